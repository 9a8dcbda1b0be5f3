"""Shared fixtures: one embedded broker per session, the real Redis, unique names per test."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from services.runtime.embedded import redis_answers, start_broker, start_redis
from services.runtime.settings import Settings, load_settings
from services.runtime.store import RedisStore

RECV_TIMEOUT = 90.0  # seconds a test waits for a message to come through the services


@pytest.fixture(scope="session")
def broker() -> Iterator[str]:
    """A Kafka-protocol broker: RAQIB_TEST_BOOTSTRAP_SERVERS if set, else an embedded one."""
    configured = os.environ.get("RAQIB_TEST_BOOTSTRAP_SERVERS")
    if configured:
        yield configured
        return
    process = start_broker(deadline_s=20.0)
    try:
        yield process.address
    finally:
        process.stop()


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """The real Redis at RAQIB_TEST_REDIS_URL (default 127.0.0.1:6379), or a private one."""
    url = os.environ.get("RAQIB_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    if redis_answers(url):
        yield url
        return
    process = start_redis()
    try:
        yield process.address
    finally:
        process.stop()


@pytest.fixture
def unique() -> str:
    return uuid.uuid4().hex[:10]


@pytest.fixture
def settings_factory(broker: str, redis_url: str, unique: str):
    """Settings isolated per test: own topic prefix, group prefix and Redis key prefix."""

    def make(**overrides) -> Settings:
        s = load_settings()
        s.kafka = s.kafka.model_copy(update={
            "bootstrap_servers": broker, "topic_prefix": f"t{unique}.",
            "group_prefix": f"g{unique}-", "partitions": 3, **overrides})
        s.redis = s.redis.model_copy(update={"url": redis_url, "key_prefix": f"test:{unique}:"})
        return s

    yield make
    # the workers' state: left behind it would slow every later SCAN-based clean-up of this Redis
    RedisStore.from_url(redis_url, prefix=f"test:{unique}:").clear()
