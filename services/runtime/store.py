"""The state store the cores use: Redis for workers, memory for offline runs.

The cores depend only on :class:`Store`, a handful of operations chosen so that
each is a single atomic step in Redis (a command or one Lua script). That makes
the cores safe to run on many replicas at once, and lets ``raqib pipeline`` and
the unit tests run the very same logic on :class:`MemoryStore`.

Keys are given without the prefix; the store adds it. TTLs apply in Redis
(wall clock); the memory store keeps everything for the life of the process.
"""

from __future__ import annotations

import bisect
from typing import Protocol

import redis

# Register ``member`` in the ordered registry ``KEYS[1]`` if it is not there:
# returns {ordinal, 1} for a new member, {existing ordinal, 0} otherwise.
_REGISTER_LUA = """
local v = redis.call('HGET', KEYS[1], ARGV[1])
if v then return {tonumber(v), 0} end
local n = redis.call('HLEN', KEYS[1]) + 1
redis.call('HSET', KEYS[1], ARGV[1], n)
if tonumber(ARGV[2]) > 0 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
return {n, 1}
"""

# Set KEYS[1] to ARGV[1] unless it exists; return the existing value (or nil).
# A script rather than SET NX GET, which needs Redis 7 (the embedded server is 6.2).
_CLAIM_LUA = """
local v = redis.call('GET', KEYS[1])
if v then return v end
if tonumber(ARGV[2]) > 0 then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
else
  redis.call('SET', KEYS[1], ARGV[1])
end
return false
"""


class Store(Protocol):
    def claim(self, key: str, value: str, ttl_s: int = 0) -> str | None:
        """Set ``key`` to ``value`` unless it exists; return the existing value or None."""

    def register(self, key: str, member: str, ttl_s: int = 0) -> tuple[int, bool]:
        """Give ``member`` the next ordinal (1, 2, ...) in ``key`` once; (ordinal, is_new)."""

    def ordinals(self, key: str) -> dict[str, int]:
        """Every member of the ordered registry ``key`` with its ordinal."""

    def get(self, key: str) -> str | None: ...

    def set(self, key: str, value: str, ttl_s: int = 0) -> None: ...

    def hset(self, key: str, field: str, value: str, ttl_s: int = 0) -> None: ...

    def hgetall(self, key: str) -> dict[str, str]: ...

    def zadd(self, key: str, member: str, score: float, ttl_s: int = 0) -> None:
        """Add or update ``member`` with ``score`` (idempotent)."""

    def zrange_by_score(self, key: str, low: float, high: float) -> list[tuple[str, float]]:
        """Members with low <= score < high, in score order."""


class MemoryStore:
    """In-process store for the offline pipeline and unit tests."""

    def __init__(self) -> None:
        self._kv: dict[str, str] = {}
        self._hashes: dict[str, dict[str, str]] = {}
        self._zsets: dict[str, dict[str, float]] = {}
        self._zsorted: dict[str, list[tuple[float, str]]] = {}

    def claim(self, key: str, value: str, ttl_s: int = 0) -> str | None:
        existing = self._kv.get(key)
        if existing is None:
            self._kv[key] = value
        return existing

    def register(self, key: str, member: str, ttl_s: int = 0) -> tuple[int, bool]:
        registry = self._hashes.setdefault(key, {})
        if member in registry:
            return int(registry[member]), False
        registry[member] = str(len(registry) + 1)
        return len(registry), True

    def ordinals(self, key: str) -> dict[str, int]:
        return {m: int(n) for m, n in self._hashes.get(key, {}).items()}

    def get(self, key: str) -> str | None:
        return self._kv.get(key)

    def set(self, key: str, value: str, ttl_s: int = 0) -> None:
        self._kv[key] = value

    def hset(self, key: str, field: str, value: str, ttl_s: int = 0) -> None:
        self._hashes.setdefault(key, {})[field] = value

    def hgetall(self, key: str) -> dict[str, str]:
        return dict(self._hashes.get(key, {}))

    def zadd(self, key: str, member: str, score: float, ttl_s: int = 0) -> None:
        zset = self._zsets.setdefault(key, {})
        ordered = self._zsorted.setdefault(key, [])
        old = zset.get(member)
        if old is not None:
            if old == score:
                return
            ordered.remove((old, member))
        zset[member] = score
        bisect.insort(ordered, (score, member))

    def zrange_by_score(self, key: str, low: float, high: float) -> list[tuple[str, float]]:
        ordered = self._zsorted.get(key, [])
        start = bisect.bisect_left(ordered, (low, ""))
        out = []
        for score, member in ordered[start:]:
            if score >= high:
                break
            out.append((member, score))
        return out


class RedisStore:
    """The shared store of every replica, on one Redis."""

    def __init__(self, client: redis.Redis, prefix: str = "raqib:") -> None:
        self.client = client
        self.prefix = prefix
        self._register = client.register_script(_REGISTER_LUA)
        self._claim = client.register_script(_CLAIM_LUA)

    @classmethod
    def from_url(cls, url: str, prefix: str = "raqib:", socket_timeout: float = 5.0) -> RedisStore:
        client = redis.Redis.from_url(
            url,
            decode_responses=True,
            socket_timeout=socket_timeout,
            socket_connect_timeout=socket_timeout,
        )
        return cls(client, prefix)

    def _k(self, key: str) -> str:
        return self.prefix + key

    def claim(self, key: str, value: str, ttl_s: int = 0) -> str | None:
        return self._claim(keys=[self._k(key)], args=[value, int(ttl_s)])

    def register(self, key: str, member: str, ttl_s: int = 0) -> tuple[int, bool]:
        ordinal, is_new = self._register(keys=[self._k(key)], args=[member, int(ttl_s)])
        return int(ordinal), bool(is_new)

    def ordinals(self, key: str) -> dict[str, int]:
        return {m: int(n) for m, n in self.client.hgetall(self._k(key)).items()}

    def get(self, key: str) -> str | None:
        return self.client.get(self._k(key))

    def set(self, key: str, value: str, ttl_s: int = 0) -> None:
        self.client.set(self._k(key), value, ex=ttl_s or None)

    def hset(self, key: str, field: str, value: str, ttl_s: int = 0) -> None:
        pipe = self.client.pipeline(transaction=True)
        pipe.hset(self._k(key), field, value)
        if ttl_s:
            pipe.expire(self._k(key), ttl_s)
        pipe.execute()

    def hgetall(self, key: str) -> dict[str, str]:
        return self.client.hgetall(self._k(key))

    def zadd(self, key: str, member: str, score: float, ttl_s: int = 0) -> None:
        pipe = self.client.pipeline(transaction=True)
        pipe.zadd(self._k(key), {member: score})
        if ttl_s:
            pipe.expire(self._k(key), ttl_s)
        pipe.execute()

    def zrange_by_score(self, key: str, low: float, high: float) -> list[tuple[str, float]]:
        rows = self.client.zrangebyscore(self._k(key), low, f"({high}", withscores=True)
        return [(m, float(s)) for m, s in rows]
