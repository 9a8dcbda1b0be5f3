"""All four services as separate processes, through Kafka and Redis, on the bundled feed."""

import pytest

from schemas import ALERTS
from services.demo import sample_feed
from services.pipeline import Pipeline
from services.runtime.kafka import ensure_topics
from services.runtime.settings import load_settings
from tests.conftest import RECV_TIMEOUT
from tests.helpers import read_topic, start_worker, stop

pytestmark = pytest.mark.e2e


def _key(alert):
    # alerting decides in event time (a hold before each decision), so reasons and
    # severity match the offline pipeline too, not only which clusters alert
    return (alert.alert_id, alert.revision, alert.severity, tuple(alert.reasons))


def test_the_kafka_run_gives_the_alerts_of_the_offline_pipeline(settings_factory, tmp_path):
    expected = {_key(a) for a in Pipeline(load_settings()).run_file(sample_feed()) if a.type == "alert"}
    assert expected
    settings = settings_factory()
    ensure_topics(settings.kafka)
    procs = [start_worker(settings, s, tmp_path) for s in ("extraction", "dedup", "alerting")]
    # the feed goes in at a steady rate, as the demo does, so that reports of one
    # theatre reach alerting in timeline order
    procs.append(start_worker(settings, "ingest", tmp_path, "--jsonl", str(sample_feed()),
                              "--rate", "1"))
    try:
        alerts = read_topic(settings, ALERTS, lambda m: {_key(a) for a in m} >= expected,
                            RECV_TIMEOUT + 30, procs)
        assert {_key(a) for a in alerts} == expected
        assert all(p.poll() is None for p in procs), "a worker died"
    finally:
        stop(procs)
        for log in sorted(tmp_path.glob("*.log")):
            print(log.name, log.read_text(errors="replace")[-2000:])
