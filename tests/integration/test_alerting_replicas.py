"""One timeline gives the same alerts through `raqib pipeline`, through Kafka with one
alerting replica, and with three, one of them killed mid-stream and restarted (issue 5).
The reports go in as one burst, keyed by theatre as dedup keys them, so they reach the
replicas out of event-time order."""

from __future__ import annotations

import collections
import datetime as dt
import signal
import time

import pytest

from schemas import ALERTS, EVENTS, encode
from services.alerting.core import AlertingCore
from services.dedup.core import theatre_country
from services.runtime.kafka import ensure_topics, producer
from services.runtime.store import MemoryStore
from tests.conftest import RECV_TIMEOUT
from tests.helpers import isolated, read_topic, start_worker, stop, wait_for_members
from tests.unit.test_alert_order import pipeline_run

pytestmark = pytest.mark.integration

ENV = {"RAQIB_ALERTING__HOLD_S": "3", "RAQIB_ALERTING__LEASE_S": "5"}


def _run(settings_factory, tmp_path, name, reports, want, replicas, extra=(), kill=False):
    settings = isolated(settings_factory, name)
    ensure_topics(settings.kafka)
    procs = [start_worker(settings, "alerting", tmp_path, *extra, env=ENV) for _ in range(replicas)]
    try:
        wait_for_members(settings, "alerting", replicas)
        prod = producer(settings.kafka)
        for r in reports:
            prod.send(settings.kafka.topic(EVENTS), key=theatre_country(r.event).encode(), value=encode(r))
        prod.flush()
        prod.close()
        if kill:  # mid-stream: holding reports it has observed, some perhaps taken to decide
            time.sleep(2.5)
            procs[0].send_signal(signal.SIGKILL)
            procs[0].wait()
            procs[0] = start_worker(settings, "alerting", tmp_path, *extra, env=ENV)
        got = read_topic(settings, ALERTS, lambda m: {a.model_dump_json() for a in m} >= want,
                         RECV_TIMEOUT, procs)
        time.sleep(1)  # anything more would be a second alert
        return read_topic(settings, ALERTS, lambda m: False, 3) if kill else got
    finally:
        stop(procs)


def _check(got, want, name):
    assert {a.model_dump_json() for a in got} == want, name
    versions = collections.defaultdict(set)
    for a in got:  # redelivery may repeat a revision, never change it
        versions[(a.alert_id, a.revision)].add(a.model_dump_json())
    assert all(len(v) == 1 for v in versions.values()), name


def test_one_and_three_alerting_replicas_give_the_alerts_of_the_pipeline(settings_factory, tmp_path):
    _, reports, expected = pipeline_run()
    want = {a.model_dump_json() for a in expected}
    _check(_run(settings_factory, tmp_path, "one", reports, want, 1), want, "one replica")
    _check(_run(settings_factory, tmp_path, "three", reports, want, 3, kill=True), want, "three, one killed")


def test_warmup_on_the_worker_is_warmup_in_the_pipeline(settings_factory, tmp_path):
    settings, reports, _ = pipeline_run()
    times = sorted(r.first_seen for r in reports)
    warmup = times[len(times) // 2]
    core = AlertingCore(MemoryStore(), settings.alerting.model_copy(update={"warmup_until": warmup}))
    expected = [a for r in reports for a in core.handle(r)]
    assert expected and all(a.first_seen >= warmup for a in expected)
    want = {a.model_dump_json() for a in expected}
    got = _run(settings_factory, tmp_path, "warm", reports, want, 1,
               extra=("--warmup-until", warmup.astimezone(dt.UTC).isoformat()))
    _check(got, want, "warm-up")
