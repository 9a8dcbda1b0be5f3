"""The cores on the real Redis behave exactly as on the memory store."""

import threading

import pytest

from services.demo import sample_feed
from services.pipeline import Pipeline
from services.runtime.settings import load_settings
from services.runtime.store import MemoryStore, RedisStore

pytestmark = pytest.mark.integration


@pytest.fixture
def store(redis_url, unique):
    s = RedisStore.from_url(redis_url, prefix=f"test:{unique}:")
    yield s
    s.clear()


def test_register_is_atomic_across_concurrent_writers(store):
    results = []

    def writer(i):
        results.append(store.register("order", f"m{i % 50}"))

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(200)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(1 for _, new in results if new) == 50
    ordinals = store.ordinals("order")
    assert sorted(ordinals.values()) == list(range(1, 51))
    # the sequence lists the members in the order of their ordinals, and from any position
    assert store.sequence("order") == sorted(ordinals, key=ordinals.get)
    assert store.sequence("order", 45) == store.sequence("order")[45:]


def test_claim_returns_the_holder(store):
    assert store.claim("k", "a", 60) is None
    assert store.claim("k", "b", 60) == "a"


def test_pipeline_on_redis_equals_pipeline_in_memory(store):
    def run(backing):
        p = Pipeline(load_settings())
        for core in (p.ingest, p.dedup, p.alerting):
            core.store = backing
        return [m.model_dump_json() for m in p.run_file(sample_feed())]

    assert run(store) == run(MemoryStore())


def _script(store):
    """A sequence of gathers and check-and-writes; every result, for comparing backends."""
    from services.runtime.store import Check, Write

    out = []
    out.append(store.apply([Check("get", ("u",), ("",))], [Write("set", ("u",), "a1", ttl=60),
                                                           Write("sadd", ("b1", "b2"), "a1", ttl=60),
                                                           Write("set", ("sig:a1",), "S1", ttl=60)]))
    out.append(store.apply([Check("get", ("u",), ("",))], [Write("set", ("u",), "a2")]))  # stale: refused
    out.append(store.apply([Check("sunion", (k,), (n,)) for k, n in (("b1", 1), ("b2", 1), ("b3", 0))],
                           [Write("set", ("x",), "1")]))
    out.append(store.apply([Check("sunion", ("b1", "b2", "b3"), (2,))], [Write("set", ("x",), "1")]))  # refused
    out.append(store.apply([Check("sunion", ("b1",), (1,)), Check("sunion", ("b2",), (1,)), Check("hlen", ("h",), (0,)),
                            Check("sunion", ("b1", "b2", "b3"), (1,))],
                           [Write("sadd", ("b1",), "a2"), Write("hset", ("h",), "f", "v"),
                            Write("setnx", ("u",), "zz"), Write("join", ("o", "o:seq"), "a2", "0"),
                            Write("join", ("o", "o:seq"), "a1", "1"), Write("join", ("o", "o:seq"), "a2", "1")]))
    g = store.gather(["u", "missing"], [("b1",), ("nothing",), ("b2", "b1", "nothing")], "sig:", ["h", "none"])
    out.append((g.gets, g.unions, g.values, g.hashes))
    return out


def test_gather_and_apply_agree_between_redis_and_memory(store):
    expected = [
        [0, 1, 0],
        None,
        [0],
        None,
        [1, 1, 0, (1, "", ["a2"]), (2, "a2", ["a1"]), (1, "a2", ["a1"])],
        (["a1", None], [["a1", "a2"], [], ["a1", "a2"]], {"a1": "S1"}, [{"f": "v"}, {}]),
    ]
    assert _script(MemoryStore()) == expected
    assert _script(store) == expected


def _apply_then_gather(store):
    """A write and a read sent together: the read sees the write when its checks held, and
    what was there before when they did not."""
    from services.runtime.store import Check, Write

    out = []
    for expected in ("", "", "x1"):  # the second write is refused: "u" holds x1 by then
        applied, read = store.start_apply_gather(
            [Check("get", ("u",), (expected,))], [Write("set", ("u",), f"x{len(out) + 1}", ttl=60),
                                                  Write("sadd", ("b",), f"x{len(out) + 1}", ttl=60)],
            ["u"], [("b",)], "", [])
        out.append((applied.result(), read.result().gets, read.result().unions))
    return out


def test_apply_then_gather_in_one_send_agree_between_redis_and_memory(store):
    expected = [([0, 1], ["x1"], [["x1"]]), (None, ["x1"], [["x1"]]), ([0, 1], ["x3"], [["x1", "x3"]])]
    assert _apply_then_gather(MemoryStore()) == expected
    assert _apply_then_gather(store) == expected


def test_apply_then_gather_keep_their_order_when_redis_lost_its_scripts(store):
    """After a restart or a SCRIPT FLUSH a call is run again once its script is loaded, and
    so is every call sent after it, even one whose script was there (the read ran before
    the write was run again): the read still comes after the write."""
    from services.runtime.store import _GATHER_LUA, Check, Write

    store.client.script_flush()
    store.client.script_load(_GATHER_LUA)  # the read's script is there, the write's is not
    applied, read = store.start_apply_gather([Check("get", ("u",), ("",))], [Write("set", ("u",), "a", ttl=60)],
                                             ["u"], [], "", [])
    # the read's reply taken first: the write's is read (and run again) before it
    assert read.result().gets == ["a"]
    assert applied.result() == [0]


def test_apply_is_atomic_under_racing_writers(store):
    """Each writer reads the set, then adds itself only if nobody else did: one wins."""
    from services.runtime.store import Check, Write

    wins = []

    def writer(i):
        g = store.gather([], [("slot",)], "", [])
        if not g.unions[0] and store.apply([Check("sunion", ("slot",), (0,))],
                                              [Write("sadd", ("slot",), f"w{i}")]):
            wins.append(i)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(wins) == 1 and store.gather([], [("slot",)], "", []).unions == [[f"w{wins[0]}"]]


def test_mget_and_set_many_agree_between_redis_and_memory(store):
    def run(backing):
        backing.set_many([("a", "1", 60), ("b", "2", 0), ("a", "3", 60)])  # in order: the last write wins
        backing.set_many([])
        return backing.mget(["a", "missing", "b"]), backing.mget([])

    assert run(store) == run(MemoryStore()) == (["3", None, "2"], [])
    assert 0 < store.client.ttl(store._k("a")) <= 60 and store.client.ttl(store._k("b")) == -1


def test_zranges_over_shared_keys_agree_between_redis_and_memory(store):
    import random

    rng = random.Random(3)
    items = [(f"z{rng.randint(0, 3)}", f"m{i}", float(rng.randint(0, 50)), 60) for i in range(300)]
    queries = []
    for _ in range(200):  # overlapping, nested, empty and inverted windows on the same keys
        low = float(rng.randint(-5, 55))
        queries.append((f"z{rng.randint(0, 4)}", low, low + rng.choice([-3.0, 0.0, 0.5, 1.0, 7.0, 100.0])))
    memory = MemoryStore()
    for backing in (store, memory):
        backing.zadd_many(items)
    assert store.zranges(queries) == memory.zranges(queries)
    assert store.zranges([]) == []
