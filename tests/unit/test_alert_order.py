"""Alerting decisions do not depend on arrival order once every report is observed before
the decisions it precedes (what the worker's hold time provides); the hold queue itself."""

from __future__ import annotations

import random

import pytest

from services.alerting.app import QUEUE, HeldAlerting
from services.alerting.core import AlertingCore
from services.demo import sample_feed
from services.evaluate.alerts import bundled_scenarios
from services.ingest.jsonl import Line, parse_line
from services.pipeline import Pipeline
from services.runtime.settings import load_settings
from services.runtime.store import MemoryStore, RedisStore


def timeline() -> list[Line]:
    """The bundled feed and every bundled scenario as one stream, in publication order."""
    lines = sample_feed().read_bytes().splitlines()
    for folder in sorted(p for p in bundled_scenarios().iterdir() if (p / "articles.jsonl").exists()):
        lines += (folder / "articles.jsonl").read_bytes().splitlines()
    articles = sorted((parse_line(raw) for raw in lines if raw.strip()), key=lambda a: (a.published_at, a.id))
    return [Line(n, b"", a, None) for n, a in enumerate(articles, 1)]


def pipeline_run():
    settings = load_settings()
    out = list(Pipeline(settings).run_lines(timeline()))
    return settings, [m for m in out if m.type == "event"], [m for m in out if m.type == "alert"]


def test_decisions_do_not_depend_on_arrival_order():
    settings, reports, in_order = pipeline_run()
    assert len(reports) > 100 and len(in_order) > 20
    assert len({tuple(a.reasons) for a in in_order}) > 5  # many kinds of decision are at stake
    for seed in (1, 2, 3):
        shuffled = reports[:]
        random.Random(seed).shuffle(shuffled)
        core = AlertingCore(MemoryStore(), settings.alerting)
        for r in shuffled:  # every report arrives (in any order) before the decisions
            core.observe(r)
        # decisions in event time, as the hold queue releases them; revisions in order
        alerts = [a for r in sorted(shuffled, key=lambda r: (r.first_seen, r.event_id, r.revision))
                  for a in core.process(r)]
        assert sorted(a.model_dump_json() for a in alerts) == sorted(a.model_dump_json() for a in in_order)


def test_batched_decisions_are_the_decisions_one_at_a_time():
    settings, reports, in_order = pipeline_run()
    rng = random.Random(7)
    core = AlertingCore(MemoryStore(), settings.alerting)
    for r in reports:
        core.observe(r)
    due = sorted(reports, key=lambda r: (r.first_seen, r.event_id, r.revision))
    due += due[:40]  # redelivered reports say the same thing again
    alerts, i = [], 0
    while i < len(due):  # batches of any size, as the hold queue releases them
        n = rng.randint(1, 60)
        alerts += [a for out in core.process_batch(due[i:i + n]) for a in out]
        i += n
    one = AlertingCore(MemoryStore(), settings.alerting)
    for r in reports:
        one.observe(r)
    expected = [a for r in due for a in one.process(r, observed=True)]
    assert [a.model_dump_json() for a in alerts] == [a.model_dump_json() for a in expected]
    assert len(alerts) > len(in_order)  # the redeliveries were re-sent


def test_without_the_observation_first_arrival_order_changes_decisions():
    """The property above is not free: deciding on arrival gets other reasons."""
    settings, reports, in_order = pipeline_run()
    shuffled = reports[:]
    random.Random(1).shuffle(shuffled)
    core = AlertingCore(MemoryStore(), settings.alerting)
    alerts = [a for r in shuffled for a in core.handle(r)]
    assert sorted(a.model_dump_json() for a in alerts) != sorted(a.model_dump_json() for a in in_order)


@pytest.fixture(params=["memory", "redis"])
def store(request, redis_url, unique):
    if request.param == "memory":
        yield MemoryStore()
        return
    s = RedisStore.from_url(redis_url, f"test:{unique}:")
    yield s
    keys = s.client.keys(f"test:{unique}:*")
    if keys:
        s.client.delete(*keys)


def test_hold_queue(store):
    store.zadd("q", "a\n1", 10.0)
    store.zadd("q", "a\n2", 11.0)
    store.zadd("q", "b\n1", 12.0)
    assert store.take_due("q", 9.0, 5.0, 100) == []
    assert store.take_due("q", 10.0, 5.0, 100) == ["a\n1"]
    # a's second report waits while a's first is in flight; b goes ahead
    assert store.take_due("q", 12.0, 5.0, 100) == ["b\n1"]
    store.done("q", ["a\n1"])
    assert store.take_due("q", 12.0, 5.0, 100) == ["a\n2"]
    # a taker that dies: the lease runs out and the member is due again, once
    assert store.take_due("q", 16.9, 5.0, 100) == []
    assert store.take_due("q", 17.0, 5.0, 100) == ["a\n2", "b\n1"]
    assert store.take_due("q", 17.0, 5.0, 100) == []
    store.done("q", ["a\n2", "b\n1"])
    store.done("q", ["b\n1"])  # twice is harmless
    assert store.take_due("q", 100.0, 5.0, 100) == []


def test_held_alerting_releases_in_event_time_order(redis_url, unique):
    settings, reports, in_order = pipeline_run()
    store = RedisStore.from_url(redis_url, f"test:{unique}:")
    now = [1000.0]
    held = HeldAlerting(settings, store, clock=lambda: now[0])
    try:
        shuffled = reports[:]
        random.Random(4).shuffle(shuffled)
        for r in shuffled:
            held.arrive(r)
        assert held.take() == ([], [])  # nothing is due before the hold time
        now[0] += settings.alerting.hold_s
        alerts = []
        while True:
            members, due = held.take()
            if not members:
                break
            alerts += [o.message for out in held.decide_batch(due) for o in out]  # as the worker decides
            store.done(QUEUE, members)
        assert sorted(a.model_dump_json() for a in alerts) == sorted(a.model_dump_json() for a in in_order)
    finally:
        keys = store.client.keys(f"test:{unique}:*")
        if keys:
            store.client.delete(*keys)


def test_reports_are_queued_as_received_and_taken_whole_by_another_replica(redis_url, unique):
    import json

    from schemas import encode

    settings, reports, _ = pipeline_run()
    store = RedisStore.from_url(redis_url, f"test:{unique}:")
    now = [1000.0]
    mine = HeldAlerting(settings, store, clock=lambda: now[0])
    other = HeldAlerting(settings, store, clock=lambda: now[0])  # nothing of its own in memory
    try:
        received = [json.dumps(json.loads(encode(r)), indent=1).encode() for r in reports[:6]]
        mine.arrive_batch(reports[:6], received)
        now[0] += settings.alerting.hold_s
        members, taken = other.take()
        assert sorted(m.split("\n", 1)[1].encode() for m in members) == sorted(received)  # as received
        assert sorted(r.model_dump_json() for r in taken) == sorted(r.model_dump_json() for r in reports[:6])
    finally:
        keys = store.client.keys(f"test:{unique}:*")
        if keys:
            store.client.delete(*keys)
