"""`raqib demo`: embedded infrastructure, four worker processes, the bundled feed.

The demo first runs the offline pipeline over the feed to know which alert
revisions to expect, then runs the real thing through Kafka and prints alerts
as they arrive. It stops when every expected revision has arrived, when
nothing has arrived for a while after the feed, or on Ctrl-C, and always
shuts the workers and the embedded infrastructure down.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from importlib import resources
from pathlib import Path

from services.pipeline import Pipeline
from services.runtime.embedded import infrastructure
from services.runtime.errors import InfrastructureError
from services.runtime.kafka import ensure_topics
from services.runtime.settings import Settings
from services.subscribe import AlertFilter, follow_alerts

logger = logging.getLogger(__name__)

SERVICES = ("ingest", "extraction", "dedup", "alerting")


def sample_feed() -> Path:
    return Path(str(resources.files("services.data") / "sample_feed.jsonl"))


def worker_env(settings: Settings, servers: str, redis_url: str, key_prefix: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "RAQIB_KAFKA__BOOTSTRAP_SERVERS": servers,
        "RAQIB_KAFKA__TOPIC_PREFIX": settings.kafka.topic_prefix,
        "RAQIB_KAFKA__GROUP_PREFIX": settings.kafka.group_prefix,
        "RAQIB_REDIS__URL": redis_url,
        "RAQIB_REDIS__KEY_PREFIX": key_prefix,
        "PYTHONUNBUFFERED": "1",
    })
    return env


def start_workers(env: dict[str, str], feed: Path, rate: float, log_dir: Path) -> list[subprocess.Popen]:
    procs = []
    for name in SERVICES:
        args = [sys.executable, "-m", "services.cli", "worker", name]
        if name == "ingest":
            args += ["--jsonl", str(feed), "--rate", str(rate)]
        log = open(log_dir / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        procs.append(subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT))
    return procs


def stop_workers(procs: list[subprocess.Popen], timeout: float = 15.0) -> None:
    for p in procs:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    end = time.monotonic() + timeout
    for p in procs:
        try:
            p.wait(max(0.1, end - time.monotonic()))
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def run_demo(
    settings: Settings,
    feed: Path,
    rate: float,
    max_seconds: float,
    idle_seconds: float,
    emit: Callable[[object], None],
    log_dir: Path,
) -> tuple[int, int]:
    """Run the demo; return (alert revisions received, revisions the offline pipeline expects)."""
    expected = {(a.alert_id, a.revision) for a in Pipeline(settings).run_file(feed)
                if getattr(a, "type", "") == "alert"}
    run = uuid.uuid4().hex[:8]
    key_prefix = f"{settings.redis.key_prefix}demo:{run}:"
    with infrastructure(settings.kafka.bootstrap_servers, settings.redis.url) as (servers, redis_url):
        kafka = settings.kafka.model_copy(update={"bootstrap_servers": servers})
        ensure_topics(kafka)
        run_settings = settings.model_copy(update={"kafka": kafka})
        log_dir.mkdir(parents=True, exist_ok=True)
        procs = start_workers(worker_env(run_settings, servers, redis_url, key_prefix), feed, rate,
                              log_dir)
        received: set[tuple[str, int]] = set()
        try:
            start = last = time.monotonic()
            with open(feed, "rb") as fh:
                feed_seconds = sum(1 for _ in fh) / rate if rate > 0 else 0.0
            for alert in follow_alerts(kafka, from_beginning=True, alert_filter=AlertFilter(),
                                       timeout_s=max_seconds, ticks=True):
                if alert is not None:
                    received.add((alert.alert_id, alert.revision))
                    last = time.monotonic()
                    emit(alert)
                if _done(received, expected, start, last, feed_seconds, idle_seconds, procs):
                    break
        finally:
            stop_workers(procs)
    return len(received), len(expected)


def _done(received, expected, start, last, feed_seconds, idle_seconds, procs) -> bool:
    """Every expected revision arrived, or the feed is over and the stream has gone quiet."""
    dead = [p for p in procs if p.poll() is not None]
    if dead:
        raise InfrastructureError(f"worker {dead[0].args[4]} exited with {dead[0].returncode}")
    if expected and expected <= received:
        return True
    now = time.monotonic()
    return now - start > feed_seconds + 30 and now - last > idle_seconds
