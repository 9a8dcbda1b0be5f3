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
    keys = list(s.client.scan_iter(f"test:{unique}:*"))
    if keys:
        s.client.delete(*keys)


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
    assert sorted(store.ordinals("order").values()) == list(range(1, 51))


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
