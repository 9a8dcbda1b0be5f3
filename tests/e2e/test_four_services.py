"""All four services as separate processes, through Kafka and Redis, on the bundled feed."""

import pytest

from schemas import ALERTS
from services.runtime.kafka import ensure_topics
from tests.conftest import RECV_TIMEOUT
from tests.helpers import alert_key, read_topic, sample_feed_alerts, start_sample_feed_run, stop

pytestmark = pytest.mark.e2e


def test_the_kafka_run_gives_the_alerts_of_the_offline_pipeline(settings_factory, tmp_path):
    # alerting decides in event time (a hold before each decision), so reasons and
    # severity match the offline pipeline too, not only which clusters alert
    expected = sample_feed_alerts()
    assert expected
    settings = settings_factory()
    ensure_topics(settings.kafka)
    procs = start_sample_feed_run(settings, tmp_path)
    try:
        alerts = read_topic(settings, ALERTS, lambda m: {alert_key(a) for a in m} >= expected,
                            RECV_TIMEOUT + 30, procs)
        assert {alert_key(a) for a in alerts} == expected
        assert all(p.poll() is None for p in procs), "a worker died"
    finally:
        stop(procs)
        for log in sorted(tmp_path.glob("*.log")):
            print(log.name, log.read_text(errors="replace")[-2000:])
