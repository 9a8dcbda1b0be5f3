"""Shared wiring for the composition roots of the services."""

from __future__ import annotations

from services.runtime.settings import Settings
from services.runtime.store import RedisStore


def redis_store(settings: Settings) -> RedisStore:
    """The shared store of all replicas (the client connects lazily, on first use)."""
    return RedisStore.from_url(settings.redis.url, settings.redis.key_prefix,
                               settings.redis.socket_timeout_s)


def horizon_s(settings: Settings) -> int:
    return int(settings.dedup.horizon_days * 86400)
