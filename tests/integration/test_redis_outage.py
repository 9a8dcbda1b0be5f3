"""Redis stops answering for 10 s mid-stream: the workers retry with backoff, nothing is
lost, and the alerts are those of the offline pipeline (issue 7)."""

from __future__ import annotations

import signal
import time

import pytest

from schemas import ALERTS
from services.runtime.embedded import start_redis
from services.runtime.kafka import ensure_topics
from tests.conftest import RECV_TIMEOUT
from tests.helpers import alert_key, read_topic, sample_feed_alerts, start_sample_feed_run, stop

pytestmark = pytest.mark.integration


def test_a_redis_outage_loses_nothing(settings_factory, tmp_path):
    expected = sample_feed_alerts()
    redis = start_redis()  # our own, to stop
    try:
        settings = settings_factory()
        settings.redis = settings.redis.model_copy(update={"url": redis.address})
        ensure_topics(settings.kafka)
        procs = start_sample_feed_run(settings, tmp_path, env={"RAQIB_REDIS__SOCKET_TIMEOUT_S": "2"})
        try:
            time.sleep(6)
            redis.proc.send_signal(signal.SIGSTOP)  # connections hang: the hardest kind of outage
            time.sleep(10)
            redis.proc.send_signal(signal.SIGCONT)
            alerts = read_topic(settings, ALERTS, lambda m: {alert_key(a) for a in m} >= expected,
                                RECV_TIMEOUT + 30, procs)
            assert {alert_key(a) for a in alerts} == expected
            assert all(p.poll() is None for p in procs), "a worker died"
        finally:
            stop(procs)
        logs = "".join(p.read_text(errors="replace") for p in tmp_path.glob("*.log"))
        assert "state store unavailable" in logs  # the outage was felt, and ridden out
    finally:
        redis.proc.send_signal(signal.SIGCONT)
        redis.stop()
