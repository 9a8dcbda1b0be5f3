"""Redis stops answering for 10 s mid-stream: the workers retry with backoff, nothing is
lost, and the alerts are those of the offline pipeline (issue 7)."""

from __future__ import annotations

import signal
import time

import pytest

from schemas import ALERTS
from services.demo import sample_feed
from services.pipeline import Pipeline
from services.runtime.embedded import start_redis
from services.runtime.kafka import ensure_topics
from services.runtime.settings import load_settings
from tests.conftest import RECV_TIMEOUT
from tests.helpers import read_topic, start_worker, stop

pytestmark = pytest.mark.integration


def _key(alert):
    return (alert.alert_id, alert.revision, alert.severity, tuple(alert.reasons))


def test_a_redis_outage_loses_nothing(settings_factory, tmp_path):
    expected = {_key(a) for a in Pipeline(load_settings()).run_file(sample_feed()) if a.type == "alert"}
    redis = start_redis()  # our own, to stop
    try:
        settings = settings_factory()
        settings.redis = settings.redis.model_copy(update={"url": redis.address})
        ensure_topics(settings.kafka)
        env = {"RAQIB_REDIS__SOCKET_TIMEOUT_S": "2"}
        procs = [start_worker(settings, s, tmp_path, env=env) for s in ("extraction", "dedup", "alerting")]
        procs.append(start_worker(settings, "ingest", tmp_path, "--jsonl", str(sample_feed()), "--rate", "1",
                                  env=env))
        try:
            time.sleep(6)
            redis.proc.send_signal(signal.SIGSTOP)  # connections hang: the hardest kind of outage
            time.sleep(10)
            redis.proc.send_signal(signal.SIGCONT)
            alerts = read_topic(settings, ALERTS, lambda m: {_key(a) for a in m} >= expected,
                                RECV_TIMEOUT + 30, procs)
            assert {_key(a) for a in alerts} == expected
            assert all(p.poll() is None for p in procs), "a worker died"
        finally:
            stop(procs)
        logs = "".join(p.read_text(errors="replace") for p in tmp_path.glob("*.log"))
        assert "state store unavailable" in logs  # the outage was felt, and ridden out
    finally:
        redis.proc.send_signal(signal.SIGCONT)
        redis.stop()
