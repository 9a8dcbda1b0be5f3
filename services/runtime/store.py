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
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Generic, NamedTuple, Protocol, TypeVar

import orjson
import redis
from hiredis import pack_command

# An ordered registry is a hash (member -> ordinal) and a list (the members in
# order), so that what was added since a known length is read alone. Registering
# gives a member the next ordinal once: its ordinal, negative if it was already there.
_REGISTER_FN = """
local function register(hash, list, member, ttl, expired)
  local v = redis.call('HGET', hash, member)
  if v then return -tonumber(v) end
  local n = redis.call('RPUSH', list, member)
  redis.call('HSET', hash, member, n)
  if ttl > 0 and not (expired and expired[hash]) then
    redis.call('EXPIRE', hash, ttl)
    redis.call('EXPIRE', list, ttl)
    if expired then expired[hash] = true end
  end
  return n
end
"""

# KEYS: the registry's hash and list. ARGV: member, ttl. Returns {ordinal, 1} for a
# new member, {existing ordinal, 0} otherwise.
_REGISTER_LUA = _REGISTER_FN + """
local n = register(KEYS[1], KEYS[2], ARGV[1], tonumber(ARGV[2]))
if n < 0 then return {-n, 0} end
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


# The hold queue (see Store.take_due). KEYS: pending zset (score: due time), in-flight
# zset (score: lease end), in-flight group counts (hash). ARGV: now, lease end, limit.
# A member is "group\npayload". Expired leases go back to pending; then up to `limit`
# due members are taken, except those of a group that is already in flight (its
# members are handled one batch at a time, in order).
_TAKE_DUE_LUA = """
local now, lease, limit = ARGV[1], ARGV[2], tonumber(ARGV[3])
for _, m in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)) do
  redis.call('ZREM', KEYS[2], m)
  redis.call('ZADD', KEYS[1], now, m)
  local g = string.match(m, '^[^\\n]*')
  if redis.call('HINCRBY', KEYS[3], g, -1) <= 0 then redis.call('HDEL', KEYS[3], g) end
end
local taken, busy = {}, {}
for _, m in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, limit)) do
  local g = string.match(m, '^[^\\n]*')
  if busy[g] == nil then busy[g] = redis.call('HEXISTS', KEYS[3], g) == 1 end
  if not busy[g] then taken[#taken + 1] = m end
end
for _, m in ipairs(taken) do
  redis.call('ZREM', KEYS[1], m)
  redis.call('ZADD', KEYS[2], lease, m)
  redis.call('HINCRBY', KEYS[3], string.match(m, '^[^\\n]*'), 1)
end
return taken
"""

# Members taken with take_due are done: KEYS as above, ARGV the members.
_DONE_LUA = """
for _, m in ipairs(ARGV) do
  if redis.call('ZREM', KEYS[2], m) == 1 then
    local g = string.match(m, '^[^\\n]*')
    if redis.call('HINCRBY', KEYS[3], g, -1) <= 0 then redis.call('HDEL', KEYS[3], g) end
  end
end
return 1
"""


# Read several structures in one step (see Store.gather). KEYS: the plain keys,
# then each group of sets, then the hashes; ARGV: the number of plain keys, of
# groups and of hashes, the member-value prefix, then the size of each group.
_GATHER_LUA = """
local ng, nu, nh = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local prefix = ARGV[4]
local gets, unions, values, hashes = {}, {}, {}, {}
local seen = {}
for i = 1, ng do gets[i] = redis.call('GET', KEYS[i]) end
local k = ng + 1
for i = 1, nu do
  local n = tonumber(ARGV[4 + i])
  local members = {}
  if n > 0 then members = redis.call('SUNION', unpack(KEYS, k, k + n - 1)) end
  k = k + n
  unions[i] = members
  if prefix ~= '' then
    for _, m in ipairs(members) do
      if not seen[m] then
        seen[m] = true
        local v = redis.call('GET', prefix .. m)
        if v then values[#values + 1] = m; values[#values + 1] = v end
      end
    end
  end
end
for i = 1, nh do hashes[i] = redis.call('HGETALL', KEYS[k + i - 1]) end
return {gets, unions, values, hashes}
"""

# Check, then write, as one step (see Store.apply). KEYS: the keys of every check
# and write, in order. ARGV[1]: JSON [checks, writes]; a check is [kind, n, expected
# value per key (one, the union's size, for ``sunion``)], a write [op, n, a, b, ttl];
# each covers the next n keys; a value given as a number is the argument of that index
# (long values: inside the JSON they would be escaped and unescaped again). One JSON
# argument, not thousands: Redis and the client handle each argument on its own.
# Returns {0, index of the failed check} or {1, result per write}.
_APPLY_LUA = _REGISTER_FN + """
local spec = cjson.decode(ARGV[1])
local function value(v) if type(v) == 'number' then return ARGV[v] end return v end
local k = 1
for i, c in ipairs(spec[1]) do
  local kind, n = c[1], c[2]
  if kind == 'sunion' then
    if #redis.call('SUNION', unpack(KEYS, k, k + n - 1)) ~= c[3] then return {0, i} end
  else
    for j = 0, n - 1 do
      local key, want = KEYS[k + j], c[3 + j]
      if kind == 'get' then
        want = value(want)
        if (redis.call('GET', key) or '') ~= want then return {0, i} end
      elseif redis.call('HLEN', key) ~= want then return {0, i} end
    end
  end
  k = k + n
end
local out = {}
local expired = {}  -- keys whose time to live this call has set already
for i, w in ipairs(spec[2]) do
  local op, n, a, b, ttl = w[1], w[2], value(w[3]), value(w[4]), w[5]
  local r = 0
  if op == 'join' then
    local list, from = KEYS[k + 1], tonumber(b)
    r = {math.abs(register(KEYS[k], list, a, ttl, expired)), from > 0 and redis.call('LINDEX', list, 0) or '',
         redis.call('LRANGE', list, from, -1)}
  else
    for j = 0, n - 1 do
      local key = KEYS[k + j]
      if op == 'set' then
        if ttl > 0 then redis.call('SET', key, a, 'EX', ttl) else redis.call('SET', key, a) end
      else
        if op == 'setnx' then r = redis.call('SETNX', key, a)
        elseif op == 'sadd' then r = redis.call('SADD', key, a)
        elseif op == 'hset' then r = redis.call('HSET', key, a, b) end
        if ttl > 0 and not expired[key] then
          redis.call('EXPIRE', key, ttl)
          expired[key] = true
        end
      end
    end
  end
  k = k + n
  out[i] = r
end
return {1, out}
"""


def sequence_key(registry: str) -> str:
    """The list that holds the members of the ordered registry ``registry`` in order."""
    return registry + ":seq"


#: a sorted-set write: (key, member, score, ttl in seconds; 0 keeps the key's own)
ZItem = tuple[str, str, float, int]


@dataclass(frozen=True)
class Check:
    """A condition of :meth:`Store.apply` on each of ``keys``, against the matching
    ``expected`` value: ``kind`` is ``get`` (the value, "" when absent) or ``hlen``
    (fields of a hash); or ``sunion``, on all the keys at once: the size of the union
    of the sets, the one ``expected`` value."""

    kind: str
    keys: tuple[str, ...]
    expected: tuple[str | int, ...]


class Write(NamedTuple):  # a named tuple: a dedup step makes thousands of them
    """One write of :meth:`Store.apply`, done on each of ``keys``. ``op``: ``set``
    (key = a), ``setnx`` (key = a unless it exists), ``sadd`` (a to the set) or
    ``hset`` (field a = b); the result is that of the last key. Or ``join``, keys
    (an ordered registry, its :func:`sequence_key`): a gets the next ordinal once
    (:meth:`Store.register`), and the result is (its ordinal, the first member, ""
    when int(b) is 0; the members from position int(b) on). A ttl > 0 extends each
    key's life to at least ttl seconds."""

    op: str
    keys: tuple[str, ...]
    a: str = ""
    b: str = ""
    ttl: int = 0


T = TypeVar("T")


class Pending(Protocol[T]):
    """A store step under way: the caller works while the store does it."""

    def result(self) -> T:
        """Wait for the step and return what it returns (or raise what it raised)."""

    def discard(self) -> None:
        """Give up waiting (the step still happens); frees what the wait held."""


@dataclass
class Done(Generic[T]):
    """A step already done (the memory store's)."""

    value: T

    def result(self) -> T:
        return self.value

    def discard(self) -> None:
        pass


@dataclass
class Gathered:
    gets: list[str | None]
    unions: list[list[str]]  # per group of sets, the members of any of them (sorted)
    values: dict[str, str] = field(default_factory=dict)
    hashes: list[dict[str, str]] = field(default_factory=list)


class Store(Protocol):
    def claim(self, key: str, value: str, ttl_s: int = 0) -> str | None:
        """Set ``key`` to ``value`` unless it exists; return the existing value or None."""

    def register(self, key: str, member: str, ttl_s: int = 0) -> tuple[int, bool]:
        """Give ``member`` the next ordinal (1, 2, ...) in ``key`` once; (ordinal, is_new).
        The members in order are kept at :func:`sequence_key` ``(key)`` too."""

    def ordinals(self, key: str) -> dict[str, int]:
        """Every member of the ordered registry ``key`` with its ordinal."""

    def sequence(self, key: str, start: int = 0) -> list[str]:
        """The members of the ordered registry ``key`` from position ``start`` (0-based) on."""

    def get(self, key: str) -> str | None: ...

    def set(self, key: str, value: str, ttl_s: int = 0) -> None: ...

    def mget(self, keys: Sequence[str]) -> list[str | None]:
        """``get`` for each key, in one round trip."""

    def set_many(self, items: Sequence[tuple[str, str, int]]) -> None:
        """``set`` for each (key, value, ttl_s), in one round trip."""

    def hset(self, key: str, field: str, value: str, ttl_s: int = 0) -> None: ...

    def hgetall(self, key: str) -> dict[str, str]: ...

    def hmget(self, key: str, fields: list[str]) -> list[str | None]: ...

    def zadd(self, key: str, member: str, score: float, ttl_s: int = 0) -> None:
        """Add or update ``member`` with ``score`` (idempotent)."""

    def zrange_by_score(self, key: str, low: float, high: float) -> list[tuple[str, float]]:
        """Members with low <= score < high, in score order."""

    def zadd_many(self, items: Sequence[ZItem]) -> None:
        """``zadd`` for each (key, member, score, ttl_s), in one round trip."""

    def zranges(self, queries: Sequence[tuple[str, float, float]]) -> list[list[tuple[str, float]]]:
        """``zrange_by_score`` for each (key, low, high), in one round trip."""

    def take_due(self, key: str, now: float, lease_s: float, limit: int) -> list[str]:
        """Atomically take up to ``limit`` members of the hold queue ``key`` (added with
        ``zadd``, scored by due time) that are due at ``now``, leasing them for ``lease_s``;
        a member whose lease ran out is due again. Members are ``group + "\\n" + payload``;
        a group with members in flight is not taken from until they are ``done``."""

    def done(self, key: str, members: list[str]) -> None:
        """Members taken with ``take_due`` are handled."""

    def gather(self, gets: list[str], unions: Sequence[Sequence[str]], value_prefix: str,
               hashes: list[str]) -> Gathered:
        """One consistent read: the values of ``gets``; per group of set keys in ``unions``,
        the members of any of those sets; the value under ``value_prefix + member`` of every
        such member (when the prefix is not empty and the value exists); and the fields of
        ``hashes``."""

    def apply(self, checks: list[Check], writes: list[Write]) -> list | None:
        """If every check holds, perform the writes and return one result per write;
        otherwise write nothing and return None. One atomic step: two replicas that
        read the same state and race to act on it cannot both succeed."""

    def start_gather(self, gets: list[str], unions: Sequence[Sequence[str]], value_prefix: str,
                     hashes: list[str]) -> Pending[Gathered]:
        """:meth:`gather`, under way while the caller goes on."""

    def start_apply(self, checks: list[Check], writes: list[Write]) -> Pending[list | None]:
        """:meth:`apply`, under way while the caller goes on."""

    def start_apply_gather(self, checks: list[Check], writes: list[Write], gets: list[str],
                           unions: Sequence[Sequence[str]], value_prefix: str,
                           hashes: list[str]) -> tuple[Pending[list | None], Pending[Gathered]]:
        """:meth:`start_apply`, then :meth:`start_gather` after it: the read sees the writes
        (if their checks held), and Redis does both while the caller goes on, with no round
        trip between them. Take the apply's result before the read's."""


class MemoryStore:
    """In-process store for the offline pipeline and unit tests."""

    def __init__(self) -> None:
        self._kv: dict[str, str] = {}
        self._hashes: dict[str, dict[str, str]] = {}
        self._zsets: dict[str, dict[str, float]] = {}
        self._zsorted: dict[str, list[tuple[float, str]]] = {}
        self._sets: dict[str, set[str]] = {}
        self._lists: dict[str, list[str]] = {}

    def claim(self, key: str, value: str, ttl_s: int = 0) -> str | None:
        existing = self._kv.get(key)
        if existing is None:
            self._kv[key] = value
        return existing

    def register(self, key: str, member: str, ttl_s: int = 0) -> tuple[int, bool]:
        registry = self._hashes.setdefault(key, {})
        if member in registry:
            return int(registry[member]), False
        seq = self._lists.setdefault(sequence_key(key), [])
        seq.append(member)
        registry[member] = str(len(seq))
        return len(seq), True

    def ordinals(self, key: str) -> dict[str, int]:
        return {m: int(n) for m, n in self._hashes.get(key, {}).items()}

    def sequence(self, key: str, start: int = 0) -> list[str]:
        return self._lists.get(sequence_key(key), [])[start:]

    def get(self, key: str) -> str | None:
        return self._kv.get(key)

    def set(self, key: str, value: str, ttl_s: int = 0) -> None:
        self._kv[key] = value

    def mget(self, keys: Sequence[str]) -> list[str | None]:
        return [self._kv.get(k) for k in keys]

    def set_many(self, items: Sequence[tuple[str, str, int]]) -> None:
        for key, value, ttl_s in items:
            self.set(key, value, ttl_s)

    def hset(self, key: str, field: str, value: str, ttl_s: int = 0) -> None:
        self._hashes.setdefault(key, {})[field] = value

    def hgetall(self, key: str) -> dict[str, str]:
        return dict(self._hashes.get(key, {}))

    def hmget(self, key: str, fields: list[str]) -> list[str | None]:
        h = self._hashes.get(key, {})
        return [h.get(f) for f in fields]

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

    def zadd_many(self, items: Sequence[ZItem]) -> None:
        for key, member, score, ttl_s in items:
            self.zadd(key, member, score, ttl_s)

    def zranges(self, queries: Sequence[tuple[str, float, float]]) -> list[list[tuple[str, float]]]:
        return [self.zrange_by_score(key, low, high) for key, low, high in queries]

    def zrange_by_score(self, key: str, low: float, high: float) -> list[tuple[str, float]]:
        ordered = self._zsorted.get(key, [])
        start = bisect.bisect_left(ordered, (low, ""))
        out = []
        for score, member in ordered[start:]:
            if score >= high:
                break
            out.append((member, score))
        return out


    def take_due(self, key: str, now: float, lease_s: float, limit: int) -> list[str]:
        inflight = self._zsets.setdefault(key + ":inflight", {})
        for m, until in list(inflight.items()):
            if until <= now:
                del inflight[m]
                self.zadd(key, m, now)
        busy = {m.split("\n", 1)[0] for m in inflight}
        taken = [m for m, due in self.zrange_by_score(key, float("-inf"), now + 1e-9)[:limit]
                 if m.split("\n", 1)[0] not in busy]
        for m in taken:
            self._zsorted[key].remove((self._zsets[key].pop(m), m))
            inflight[m] = now + lease_s
        return taken

    def done(self, key: str, members: list[str]) -> None:
        inflight = self._zsets.setdefault(key + ":inflight", {})
        for m in members:
            inflight.pop(m, None)

    def _union(self, keys: Sequence[str]) -> set[str]:
        return set().union(*(self._sets.get(k, ()) for k in keys))

    def gather(self, gets: list[str], unions: Sequence[Sequence[str]], value_prefix: str,
               hashes: list[str]) -> Gathered:
        members = [sorted(self._union(group)) for group in unions]
        values = {}
        if value_prefix:
            for m in {m for ms in members for m in ms}:
                if (v := self._kv.get(value_prefix + m)) is not None:
                    values[m] = v
        return Gathered([self._kv.get(k) for k in gets], members, values,
                        [dict(self._hashes.get(k, {})) for k in hashes])

    def _have(self, kind: str, key: str) -> str:
        if kind == "get":
            return self._kv.get(key, "")
        return str(len(self._hashes.get(key, {})))

    def _write(self, w: Write, key: str):
        if w.op == "set":
            self._kv[key] = w.a
            return 0
        if w.op == "setnx":
            return int(self.claim(key, w.a) is None)
        if w.op == "sadd":
            members = self._sets.setdefault(key, set())
            new = w.a not in members
            members.add(w.a)
            return int(new)
        if w.op == "hset":
            fields = self._hashes.setdefault(key, {})
            new = w.a not in fields
            fields[w.a] = w.b
            return int(new)
        raise ValueError(f"unknown write {w.op!r}")

    def apply(self, checks: list[Check], writes: list[Write]) -> list | None:
        for c in checks:
            if c.kind == "sunion":
                if str(len(self._union(c.keys))) != str(c.expected[0]):
                    return None
            elif any(self._have(c.kind, k) != str(e) for k, e in zip(c.keys, c.expected, strict=True)):
                return None
        out: list = []
        for w in writes:
            result: object = 0
            if w.op == "join":
                registry, seq = w.keys
                if sequence_key(registry) != seq:
                    raise ValueError(f"{seq!r} is not the sequence of {registry!r}")
                ordinal = self.register(registry, w.a)[0]
                members, start = self._lists[seq], int(w.b)
                result = (ordinal, members[0] if start else "", members[start:])
            else:
                for key in w.keys:
                    result = self._write(w, key)
            out.append(result)
        return out

    def start_gather(self, gets: list[str], unions: Sequence[Sequence[str]], value_prefix: str,
                     hashes: list[str]) -> Done[Gathered]:
        return Done(self.gather(gets, unions, value_prefix, hashes))

    def start_apply(self, checks: list[Check], writes: list[Write]) -> Done[list | None]:
        return Done(self.apply(checks, writes))

    def start_apply_gather(self, checks: list[Check], writes: list[Write], gets: list[str],
                           unions: Sequence[Sequence[str]], value_prefix: str,
                           hashes: list[str]) -> tuple[Done[list | None], Done[Gathered]]:
        applied = self.start_apply(checks, writes)
        return applied, self.start_gather(gets, unions, value_prefix, hashes)


class _Line:
    """Script calls sent together on a connection of their own, their replies read when
    asked for: Redis runs them, in the order sent, while the caller goes on (calls on
    another connection are in no order with these). A reply is read only after those
    of the calls sent before it; the connection goes back to the pool once all are. A call
    run again because Redis lost its script takes every call after it with it, so those
    must be safe to run twice (the one use: a checked write, then a read)."""

    def __init__(self, client: redis.Redis, calls: list[tuple]) -> None:
        self._client, self._calls = client, calls  # (script, keys, args, convert) per call
        self._replies: list = []  # (ok, value) per call whose reply was read, in order
        self._rerun = False  # a call was run again (its script was gone): run the ones after it again too
        self._conn = client.connection_pool.get_connection()
        try:
            # packed whole by hiredis, not argument by argument by redis-py: a call has thousands
            self._conn.send_packed_command(
                [pack_command(("EVALSHA", script.sha, len(keys), *keys, *args)) for script, keys, args, _ in calls])
        except BaseException:
            self.discard()
            raise

    def _release(self, broken: bool) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            if broken:
                conn.disconnect()  # a reply may be left unread on it
            self._client.connection_pool.release(conn)

    def _next(self) -> None:
        """Read the reply of the next call in order."""
        if self._conn is None:
            raise RuntimeError("the replies were read or given up already")
        script, keys, args, _ = self._calls[len(self._replies)]
        try:
            try:
                raw = self._conn.read_response()
            except redis.exceptions.NoScriptError:  # a restarted or flushed Redis: load the script, run it again
                raw, self._rerun = None, True
            if self._rerun:  # and the calls sent after it too, so that they still follow it
                raw = script(keys=keys, args=args)
            self._replies.append((True, raw))
        except redis.exceptions.ResponseError as exc:  # the reply, an error: the call's own, the line is whole
            self._replies.append((False, exc))
        except BaseException:
            self._release(broken=True)
            raise
        if len(self._replies) == len(self._calls):
            self._release(broken=False)

    def reply(self, index: int):
        while len(self._replies) <= index:
            self._next()
        ok, value = self._replies[index]
        if not ok:
            raise value
        return self._calls[index][3](value)

    def discard(self) -> None:
        self._release(broken=True)


class _Sent:
    """One call of a :class:`_Line`: its reply, when asked for."""

    def __init__(self, line: _Line, index: int) -> None:
        self._line, self._index = line, index

    def result(self):
        return self._line.reply(self._index)

    def discard(self) -> None:
        self._line.discard()


class RedisStore:
    """The shared store of every replica, on one Redis."""

    def __init__(self, client: redis.Redis, prefix: str = "raqib:") -> None:
        self.client = client
        self.prefix = prefix
        self._register = client.register_script(_REGISTER_LUA)
        self._claim = client.register_script(_CLAIM_LUA)
        self._gather = client.register_script(_GATHER_LUA)
        self._apply = client.register_script(_APPLY_LUA)
        self._take_due = client.register_script(_TAKE_DUE_LUA)
        self._done = client.register_script(_DONE_LUA)

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

    def clear(self) -> int:
        """Delete every key under this store's prefix (a finished test or benchmark run)."""
        keys = list(self.client.scan_iter(self.prefix + "*", count=1000))
        for i in range(0, len(keys), 1000):
            self.client.delete(*keys[i:i + 1000])
        return len(keys)

    def claim(self, key: str, value: str, ttl_s: int = 0) -> str | None:
        return self._claim(keys=[self._k(key)], args=[value, int(ttl_s)])

    def register(self, key: str, member: str, ttl_s: int = 0) -> tuple[int, bool]:
        ordinal, is_new = self._register(keys=[self._k(key), self._k(sequence_key(key))], args=[member, int(ttl_s)])
        return int(ordinal), bool(is_new)

    def ordinals(self, key: str) -> dict[str, int]:
        return {m: int(n) for m, n in self.client.hgetall(self._k(key)).items()}

    def sequence(self, key: str, start: int = 0) -> list[str]:
        return self.client.lrange(self._k(sequence_key(key)), start, -1)

    def get(self, key: str) -> str | None:
        return self.client.get(self._k(key))

    def set(self, key: str, value: str, ttl_s: int = 0) -> None:
        self.client.set(self._k(key), value, ex=ttl_s or None)

    def mget(self, keys: Sequence[str]) -> list[str | None]:
        return self.client.mget([self._k(k) for k in keys]) if keys else []

    def set_many(self, items: Sequence[tuple[str, str, int]]) -> None:
        if not items:
            return
        pipe = self.client.pipeline(transaction=False)  # each step is idempotent on its own
        for key, value, ttl_s in items:
            pipe.set(self._k(key), value, ex=int(ttl_s) or None)
        pipe.execute()

    def hset(self, key: str, field: str, value: str, ttl_s: int = 0) -> None:
        pipe = self.client.pipeline(transaction=True)
        pipe.hset(self._k(key), field, value)
        if ttl_s:
            pipe.expire(self._k(key), ttl_s)
        pipe.execute()

    def hgetall(self, key: str) -> dict[str, str]:
        return self.client.hgetall(self._k(key))

    def hmget(self, key: str, fields: list[str]) -> list[str | None]:
        return self.client.hmget(self._k(key), fields)

    def zadd(self, key: str, member: str, score: float, ttl_s: int = 0) -> None:
        pipe = self.client.pipeline(transaction=True)
        pipe.zadd(self._k(key), {member: score})
        if ttl_s:
            pipe.expire(self._k(key), ttl_s)
        pipe.execute()

    def zrange_by_score(self, key: str, low: float, high: float) -> list[tuple[str, float]]:
        rows = self.client.zrangebyscore(self._k(key), low, f"({high}", withscores=True)
        return [(m, float(s)) for m, s in rows]

    def zadd_many(self, items: Sequence[ZItem]) -> None:
        if not items:
            return
        by_key: dict[str, tuple[dict[str, float], int]] = {}  # one ZADD and one EXPIRE per key
        for key, member, score, ttl_s in items:
            members, ttl = by_key.get(key, ({}, 0))
            members[member] = score  # the later of two writes of a member wins, as in order
            by_key[key] = (members, max(ttl, int(ttl_s)))
        pipe = self.client.pipeline(transaction=False)  # each step is idempotent on its own
        for key, (members, ttl) in by_key.items():
            pipe.zadd(self._k(key), members)
            if ttl:
                pipe.expire(self._k(key), ttl)
        pipe.execute()

    def zranges(self, queries: Sequence[tuple[str, float, float]]) -> list[list[tuple[str, float]]]:
        if not queries:
            return []
        # one read per key, of the union of its windows (a decision asks for its theatre's last
        # 30 days and its baseline; a batch of decisions asks for one theatre many times)
        spans: dict[str, tuple[float, float]] = {}
        for key, low, high in queries:
            lo, hi = spans.get(key, (low, high))
            spans[key] = (min(lo, low), max(hi, high))
        pipe = self.client.pipeline(transaction=False)
        for key, (low, high) in spans.items():
            pipe.zrangebyscore(self._k(key), low, f"({high}", withscores=True)
        fetched = {}
        for key, rows in zip(spans, pipe.execute(), strict=True):
            pairs = [(m, float(sc)) for m, sc in rows]
            fetched[key] = (pairs, [sc for _, sc in pairs])
        out = []
        for key, low, high in queries:
            pairs, scores = fetched[key]
            out.append(pairs[bisect.bisect_left(scores, low):bisect.bisect_left(scores, high)])
        return out

    def _queue_keys(self, key: str) -> list[str]:
        return [self._k(key), self._k(key + ":inflight"), self._k(key + ":groups")]

    def take_due(self, key: str, now: float, lease_s: float, limit: int) -> list[str]:
        return self._take_due(keys=self._queue_keys(key), args=[repr(now), repr(now + lease_s), int(limit)])

    def done(self, key: str, members: list[str]) -> None:
        if members:
            self._done(keys=self._queue_keys(key), args=members)

    def gather(self, gets: list[str], unions: Sequence[Sequence[str]], value_prefix: str,
               hashes: list[str]) -> Gathered:
        return self.start_gather(gets, unions, value_prefix, hashes).result()

    def start_gather(self, gets: list[str], unions: Sequence[Sequence[str]], value_prefix: str,
                     hashes: list[str]) -> _Sent:
        return _Sent(_Line(self.client, [self._gather_call(gets, unions, value_prefix, hashes)]), 0)

    def _gather_call(self, gets: list[str], unions: Sequence[Sequence[str]], value_prefix: str,
                     hashes: list[str]) -> tuple:
        p = self.prefix
        keys = [p + key for key in gets]
        for group in unions:
            keys += [p + key for key in group]
        keys += [p + key for key in hashes]
        prefix = p + value_prefix if value_prefix else ""
        return self._gather, keys, [len(gets), len(unions), len(hashes), prefix, *(len(group) for group in unions)], \
            _gathered

    def apply(self, checks: list[Check], writes: list[Write]) -> list | None:
        return self.start_apply(checks, writes).result()

    def start_apply(self, checks: list[Check], writes: list[Write]) -> _Sent:
        return _Sent(_Line(self.client, [self._apply_call(checks, writes)]), 0)

    def start_apply_gather(self, checks: list[Check], writes: list[Write], gets: list[str],
                           unions: Sequence[Sequence[str]], value_prefix: str,
                           hashes: list[str]) -> tuple[_Sent, _Sent]:
        line = _Line(self.client, [self._apply_call(checks, writes),
                                   self._gather_call(gets, unions, value_prefix, hashes)])
        return _Sent(line, 0), _Sent(line, 1)

    def _apply_call(self, checks: list[Check], writes: list[Write]) -> tuple:
        p = self.prefix
        keys = [p + key for c in checks for key in c.keys]
        keys += [p + key for w in writes for key in w.keys]
        # a long value (a report, a record) goes as an argument of its own, by its index: inside the JSON
        # it would be escaped and unescaped again
        args: list[str] = [""]

        def value(v: str) -> str | int:
            if len(v) < 48:
                return v
            args.append(v)
            return len(args)

        spec = [[[c.kind, len(c.keys), *(int(e) if c.kind != "get" else value(e) for e in c.expected)]
                 for c in checks],
                [[w.op, len(w.keys), value(w.a), value(w.b), int(w.ttl)] for w in writes]]
        args[0] = orjson.dumps(spec).decode()

        def applied(reply: list) -> list | None:
            ok, out = reply
            if not ok:
                return None
            return [(r[0], r[1], r[2]) if w.op == "join" else r for w, r in zip(writes, out, strict=True)]

        return self._apply, keys, args, applied


def _pairs(flat: list) -> dict[str, str]:
    return dict(zip(flat[::2], flat[1::2], strict=True))


def _gathered(reply: list) -> Gathered:
    g, members, flat, hflat = reply
    return Gathered(g, [sorted(m) for m in members], _pairs(flat), [_pairs(h) for h in hflat])
