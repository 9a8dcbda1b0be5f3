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


def tune_gc() -> None:
    """Collect cyclic garbage less often, and never rescan what start-up built.

    A worker allocates many short-lived objects per message (decoded models, dicts)
    and keeps large long-lived caches (parsed cluster members, lexicons). With
    Python's default thresholds (700, 10, 10) the full collections rescan those
    caches again and again: in ``raqib bench dedup`` they took a quarter of the
    time. ``gc.freeze()`` moves everything built so far to a permanent generation;
    a first threshold of 50,000 allocations makes young collections rarer, at the
    cost of a few MB of garbage waiting a little longer."""
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
