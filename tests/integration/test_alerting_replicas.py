"""One timeline gives the same alerts through `raqib pipeline`, through Kafka with one
alerting replica, and with three (issue 5). The reports go in as one burst, keyed by
theatre as dedup keys them, so they reach the replicas out of event-time order."""

from __future__ import annotations

import collections

import pytest

from schemas import ALERTS, EVENTS, encode
from services.dedup.core import theatre_country
from services.runtime.kafka import ensure_topics, producer
from tests.conftest import RECV_TIMEOUT
from tests.helpers import isolated, read_topic, start_worker, stop, wait_for_members
from tests.unit.test_alert_order import pipeline_run

pytestmark = pytest.mark.integration


def test_one_and_three_alerting_replicas_give_the_alerts_of_the_pipeline(settings_factory, tmp_path):
    _, reports, expected = pipeline_run()
    want = {a.model_dump_json() for a in expected}
    runs = {}
    for name, replicas in (("one", 1), ("three", 3)):
        settings = isolated(settings_factory, name)
        ensure_topics(settings.kafka)
        procs = [start_worker(settings, "alerting", tmp_path, env={"RAQIB_ALERTING__HOLD_S": "3"})
                 for _ in range(replicas)]
        try:
            wait_for_members(settings, "alerting", replicas)
            prod = producer(settings.kafka)
            for r in reports:
                prod.send(settings.kafka.topic(EVENTS), key=theatre_country(r.event).encode(), value=encode(r))
            prod.flush()
            prod.close()
            got = read_topic(settings, ALERTS, lambda m: {a.model_dump_json() for a in m} >= want,
                             RECV_TIMEOUT, procs)
            runs[name] = got
        finally:
            stop(procs)
    for name, got in runs.items():
        assert {a.model_dump_json() for a in got} == want, name
        versions = collections.defaultdict(set)
        for a in got:  # redelivery may repeat a revision, never change it
            versions[(a.alert_id, a.revision)].add(a.model_dump_json())
        assert all(len(v) == 1 for v in versions.values()), name
