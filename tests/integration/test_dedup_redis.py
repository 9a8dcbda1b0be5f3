"""The dedup core on the real Redis: racing replicas keep one copy of each story and
open one cluster per event."""

import datetime as dt
import random
import threading

import pytest

from services.dedup.core import DedupCore
from services.evaluate.dedup import article
from services.runtime.settings import DedupSettings
from services.runtime.store import RedisStore
from tests.unit.test_dedup import STORY_EN, _event

pytestmark = pytest.mark.integration

T0 = dt.datetime(2024, 2, 3, 8, 0, tzinfo=dt.UTC)
PLACES = ["Al Bukamal", "Al Mayadin", None]


def _pairs(n: int):
    """n stories, each with a copy under another headline with a line added; every story
    one event on its own day."""
    rng = random.Random(11)
    words = STORY_EN.split() * 2
    out = []
    for i in range(n):
        rng.shuffle(words)  # a different text per story, the same vocabulary
        body = " ".join(words) + f" Story {i}."
        title, copy = f"Update: story {i}", body + "\nFollow us for breaking news."
        ev = _event("US:MIL", None, PLACES[i % 2], day=T0.date() + dt.timedelta(days=3 * i))
        a = article(f"p{i}-a", f"Story {i}", body, "en", T0, "wire").model_copy(update={"events": [ev]})
        b = article(f"p{i}-b", title, copy, "en", T0, "paper").model_copy(update={"events": [ev]})
        out.append((a, b))
    return out


@pytest.fixture
def prefix(redis_url, unique):
    p = f"test:{unique}:"
    yield p
    RedisStore.from_url(redis_url, prefix=p).clear()


def _race(pairs, decide) -> None:
    """Two replicas, each with its own connection, take one side of every pair at once:
    ``decide(core, articles, barrier)`` gives (article, verdict, reports) as it goes. Each
    story must be kept once and both of its reports land in one cluster of its own."""
    results: dict[str, tuple] = {}
    barrier = threading.Barrier(2)

    def replica(side: int):
        for a, verdict, reports in decide(side, [pair[side] for pair in pairs], barrier):
            results[a.article_id] = (verdict, {r.event_id for r in reports})

    threads = [threading.Thread(target=replica, args=(s,)) for s in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for a, b in pairs:
        (va, ca), (vb, cb) = results[a.article_id], results[b.article_id]
        assert sorted([va.status == "new", vb.status == "new"]) == [False, True], (va, vb)
        assert ca == cb and len(ca) == 1  # both reports in one cluster
    assert len({c for _, cs in results.values() for c in cs}) == len(pairs)


def test_two_racing_replicas_keep_one_copy_and_one_cluster(redis_url, prefix):
    def one_at_a_time(side, articles, barrier):
        core = DedupCore(RedisStore.from_url(redis_url, prefix=prefix))
        for a in articles:
            barrier.wait()  # both copies of a story arrive at the same moment
            yield (a, *core.process_with_verdict(a))

    _race(_pairs(200), one_at_a_time)


def test_racing_replicas_deciding_pipelined_chunks_keep_one_copy_and_one_cluster(redis_url, prefix):
    """Batches decided chunk by chunk, each chunk's write under way while the next is
    prepared: a chunk that lost a race is decided again before the next one is read."""
    def in_batches(side, articles, barrier):
        core = DedupCore(RedisStore.from_url(redis_url, prefix=prefix), DedupSettings(chunk_size=4))
        for i in range(0, len(articles), 15):
            barrier.wait()  # both copies of 15 stories arrive at the same moment
            batch = articles[i:i + 15]
            for a, (verdict, reports) in zip(batch, core.process_batch(batch), strict=True):
                yield a, verdict, reports

    _race(_pairs(120), in_batches)
