"""Helpers for tests that run workers as processes and read topics."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from kafka import KafkaConsumer, TopicPartition

from schemas import DecodeError, decode
from services.runtime.kafka import wait_for_group
from services.runtime.settings import Settings


def worker_env(settings: Settings) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "RAQIB_KAFKA__BOOTSTRAP_SERVERS": settings.kafka.bootstrap_servers,
        "RAQIB_KAFKA__TOPIC_PREFIX": settings.kafka.topic_prefix,
        "RAQIB_KAFKA__GROUP_PREFIX": settings.kafka.group_prefix,
        "RAQIB_KAFKA__PARTITIONS": str(settings.kafka.partitions),
        "RAQIB_REDIS__URL": settings.redis.url,
        "RAQIB_REDIS__KEY_PREFIX": settings.redis.key_prefix,
        "RAQIB_LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    })
    return env


def start_worker(settings: Settings, service: str, log_dir: Path, *extra: str,
                 env: dict[str, str] | None = None) -> subprocess.Popen:
    log = open(log_dir / f"{service}.log", "ab")  # noqa: SIM115 - lives as long as the process
    return subprocess.Popen([sys.executable, "-m", "services.cli", "worker", service, *extra],
                            env={**worker_env(settings), **(env or {})}, stdout=log, stderr=subprocess.STDOUT)


def stop(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    for p in procs:
        try:
            p.wait(15)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def read_topic(settings: Settings, logical: str, until, timeout: float,
               procs: list[subprocess.Popen] = ()) -> list:
    """Decoded messages of a topic from the beginning, until ``until(messages)`` or timeout.

    Raises at once if one of ``procs`` (the workers under test) exits.
    """
    topic = settings.kafka.topic(logical)
    c = KafkaConsumer(bootstrap_servers=settings.kafka.bootstrap_servers, group_id=None,
                      enable_auto_commit=False, fetch_max_wait_ms=100)
    try:
        deadline = time.monotonic() + timeout
        partitions = None
        while partitions is None and time.monotonic() < deadline:
            partitions = c.partitions_for_topic(topic)
            if partitions is None:
                time.sleep(0.2)
        tps = [TopicPartition(topic, p) for p in sorted(partitions or [])]
        c.assign(tps)
        c.seek_to_beginning(*tps)
        messages: list = []
        while time.monotonic() < deadline:
            for records in c.poll(timeout_ms=200).values():
                for r in records:
                    # tests put malformed messages on input topics on purpose
                    with contextlib.suppress(DecodeError):
                        messages.append(decode(logical, r.value))
            if until(messages):
                break
            dead = [p for p in procs if p.poll() is not None]
            if dead:
                raise AssertionError(f"worker {dead[0].args[4:]} exited with {dead[0].returncode}")
        return messages
    finally:
        c.close()


def isolated(settings_factory, name: str) -> Settings:
    """Settings of one run of a test that makes several: own topics, groups and keys."""
    s = settings_factory()
    s.kafka = s.kafka.model_copy(update={"topic_prefix": f"{s.kafka.topic_prefix}{name}.",
                                         "group_prefix": f"{s.kafka.group_prefix}{name}-"})
    s.redis = s.redis.model_copy(update={"key_prefix": f"{s.redis.key_prefix}{name}:"})
    return s


def wait_for_members(settings: Settings, service: str, n: int, timeout: float = 90.0) -> None:
    """Until the service's consumer group is stable with n members (so the stream is shared)."""
    wait_for_group(settings.kafka, service, n, timeout)


def alert_key(alert) -> tuple:
    """What must agree between the offline pipeline and a Kafka run of the same feed."""
    return (alert.alert_id, alert.revision, alert.severity, tuple(alert.reasons))


def sample_feed_alerts() -> set[tuple]:
    """The alert keys the offline pipeline gives for the bundled feed."""
    from services.demo import sample_feed
    from services.pipeline import Pipeline
    from services.runtime.settings import load_settings

    return {alert_key(a) for a in Pipeline(load_settings()).run_file(sample_feed()) if a.type == "alert"}


def start_sample_feed_run(settings: Settings, log_dir: Path, env: dict[str, str] | None = None) -> list:
    """The four workers as processes, the bundled feed replayed at one article a second (as
    the demo does, so that reports of one theatre reach alerting in timeline order)."""
    from services.demo import sample_feed

    procs = [start_worker(settings, s, log_dir, env=env) for s in ("extraction", "dedup", "alerting")]
    procs.append(start_worker(settings, "ingest", log_dir, "--jsonl", str(sample_feed()), "--rate", "1", env=env))
    return procs
