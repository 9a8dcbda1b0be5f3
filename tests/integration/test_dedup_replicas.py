"""Three dedup workers against one Redis keep one copy of each story and build the
same clusters as one worker (issue 4)."""

import datetime as dt
import random

import pytest

from schemas import ENRICHED, EVENTS, encode
from services.evaluate.dedup import article
from services.runtime.kafka import ensure_topics, producer
from tests.conftest import RECV_TIMEOUT
from tests.helpers import isolated as _isolated
from tests.helpers import read_topic, start_worker, stop, wait_for_members
from tests.integration.test_dedup_redis import _pairs
from tests.unit.test_dedup import STORY_EN

pytestmark = pytest.mark.integration

PAIRS = 500


def _stream():
    """500 stories, each with a copy under another headline; every fifth story also has
    an independent report of its event (another text), which only the event level joins.
    Yields (partition offset, article): the copies of a story go to different partitions
    at the same point of the stream, so different replicas take them at the same time."""
    rng = random.Random(5)
    words = STORY_EN.split()
    for i, (a, b) in enumerate(_pairs(PAIRS)):
        yield 0, a
        yield 1, b
        if i % 5 == 0:
            rng.shuffle(words)
            c = article(f"p{i}-c", f"Another account {i}", " ".join(words) + f" Account {i}.", "en",
                        a.published_at + dt.timedelta(hours=1), "other").model_copy(update={"events": a.events})
            yield 2, c


def _clusters(reports) -> dict[str, frozenset]:
    """Cluster id -> the articles of its latest report."""
    latest = {}
    for r in reports:
        if r.event_id not in latest or r.revision > latest[r.event_id].revision:
            latest[r.event_id] = r
    return latest


def test_three_replicas_keep_no_duplicate_and_build_the_clusters_of_one(settings_factory, tmp_path):
    stream = list(_stream())
    runs = {"one": (_isolated(settings_factory, "one"), 1), "three": (_isolated(settings_factory, "three"), 3)}
    procs = []
    try:
        for name, (settings, replicas) in runs.items():
            ensure_topics(settings.kafka)
            logs = tmp_path / name
            logs.mkdir()
            procs += [start_worker(settings, "dedup", logs) for _ in range(replicas)]
        for settings, replicas in runs.values():
            wait_for_members(settings, "dedup", replicas)
        prod = producer(runs["one"][0].kafka)
        for settings, _ in runs.values():
            for part, a in stream:
                prod.send(settings.kafka.topic(ENRICHED), key=a.article_id.encode(), value=encode(a), partition=part)
        prod.flush()

        expected = len(stream)  # one report per article: every article tells of one event
        results = {}
        for name, (settings, _) in runs.items():
            reports = read_topic(settings, EVENTS, lambda m: len(m) >= expected, RECV_TIMEOUT + 60, procs)
            results[name] = _clusters(reports)

        for name, latest in results.items():
            assert len(latest) == PAIRS, name  # one cluster per story
            for r in latest.values():
                ids = sorted(s.article_id for s in r.sources)
                story = ids[0].split("-")[0]
                assert all(i.startswith(story + "-") for i in ids), (name, ids)
                assert len(ids) == (3 if int(story[1:]) % 5 == 0 else 2), (name, ids)
                # exactly one copy of the story was kept; the other points at it
                copies = {s.article_id: s.duplicate_of for s in r.sources if not s.article_id.endswith("-c")}
                kept = [a for a, dup in copies.items() if dup is None]
                assert len(kept) == 1, (name, copies)
                assert [dup for dup in copies.values() if dup] == kept, (name, copies)
        partition = {name: {frozenset(s.article_id for s in r.sources) for r in latest.values()}
                     for name, latest in results.items()}
        assert partition["three"] == partition["one"]
        assert all(p.poll() is None for p in procs), "a worker died"
    finally:
        stop(procs)
