"""Crash safety: 5,000 articles replayed while a chaos helper SIGKILLs replicas at random.

Two replicas of extraction, dedup and alerting and one ingest replaying a file
run against the real broker and Redis. A chaos thread kills a replica of every
service (ingest included) twice, at random moments, with SIGKILL (no shutdown,
no final commit, no producer flush) and restarts it. Afterwards every article
must be accounted for: dedup recorded it (new or a duplicate) and every event
cluster it joined has a report that names it, or it is a dead letter. Copies
of one event report or one alert revision (redeliveries) must be identical.

The seed is printed; RAQIB_TEST_CHAOS_SEED replays a run's kill schedule and
RAQIB_TEST_CHAOS_ARTICLES changes the article count.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import random
import subprocess
import threading
import time
from collections import Counter, defaultdict

import redis
from kafka import KafkaConsumer, TopicPartition

from schemas import ALERTS, DLQ, ENRICHED, EVENTS, RAW
from services.bench_kafka import write_articles
from services.dedup.core import key_prefix
from tests.helpers import start_worker, stop, wait_for_members

ARTICLES = int(os.environ.get("RAQIB_TEST_CHAOS_ARTICLES", "5000"))
RATE = 150  # articles a second from the ingest replica: the kills land while the stream flows
REPLICAS = {"extraction": 2, "dedup": 2, "alerting": 2, "ingest": 1}
KILLS_PER_SERVICE = 2


def read_everything(settings, logical: str) -> list[dict]:
    """Every message of a topic as JSON (malformed ones skipped), until three empty polls."""
    topic = settings.kafka.topic(logical)
    c = KafkaConsumer(bootstrap_servers=settings.kafka.bootstrap_servers, group_id=None,
                      enable_auto_commit=False, fetch_max_wait_ms=100, max_partition_fetch_bytes=8 * 1024 * 1024)
    try:
        tps = [TopicPartition(topic, p) for p in range(settings.kafka.partitions)]
        c.assign(tps)
        c.seek_to_beginning(*tps)
        out, empty = [], 0
        while empty < 3:
            got = c.poll(timeout_ms=300, max_records=50_000)
            empty = 0 if got else empty + 1
            for records in got.values():
                for r in records:
                    with contextlib.suppress(ValueError):
                        out.append(json.loads(r.value))
        return out
    finally:
        c.close()


class Chaos(threading.Thread):
    """Kills a random replica of each service at random moments and starts a new one."""

    def __init__(self, procs: dict[str, list[subprocess.Popen]], start, seed: int, window_s: float) -> None:
        super().__init__(daemon=True)
        self.procs, self.start_one, self.rng = procs, start, random.Random(seed)
        self.schedule = sorted((self.rng.uniform(3, window_s), s) for s in REPLICAS for _ in range(KILLS_PER_SERVICE))
        self.kills: list[tuple[float, str, int]] = []
        self.lock = threading.Lock()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            began = time.monotonic()
            for at, service in self.schedule:
                time.sleep(max(0.0, began + at - time.monotonic()))
                with self.lock:
                    victims = [p for p in self.procs[service] if p.poll() is None]
                    victim = self.rng.choice(victims)
                    victim.kill()  # SIGKILL
                    victim.wait()
                    self.procs[service].remove(victim)
                self.kills.append((round(time.monotonic() - began, 1), service, victim.pid))
                time.sleep(self.rng.uniform(0.5, 2.0))
                with self.lock:
                    self.procs[service].append(self.start_one(service))
        except BaseException as exc:  # reported by the test
            self.error = exc

    def unexpected_exit(self) -> str | None:
        with self.lock:
            for service, procs in self.procs.items():
                for p in procs:
                    if p.poll() is not None:
                        return f"{service} replica {p.pid} exited with {p.returncode}"
        return None


def _records(client: redis.Redis, prefix: str, ids: list[str]) -> dict[str, dict]:
    out = {}
    for i in range(0, len(ids), 1000):
        chunk = ids[i:i + 1000]
        for aid, raw in zip(chunk, client.mget([f"{prefix}art:{a}" for a in chunk]), strict=True):
            if raw is not None:
                out[aid] = json.loads(raw)
    return out


def _dead_letter_articles(letters: list[dict]) -> set[str]:
    out = set()
    for letter in letters:
        with contextlib.suppress(ValueError, KeyError, TypeError):
            data = json.loads(base64.b64decode(letter["raw_b64"]))
            out.add(data.get("article_id") or data.get("id"))
    return out


def _accounting(ids, records, reports, dead):
    """Per article: recorded by dedup with a report for each cluster it joined, or a dead letter."""
    named: dict[str, set[str]] = defaultdict(set)
    for r in reports:
        for s in r.get("sources", []):
            named[s["article_id"]].add(r["event_id"])
    lost = []
    for aid in ids:
        record = records.get(aid)
        if aid in dead:
            continue
        if record is None or not {cid for cid, _ in record["clusters"]} <= named[aid]:
            lost.append(aid)
    return lost


def _copies_differ(messages: list[dict], key: tuple[str, str]) -> list[tuple]:
    """Keys (e.g. alert_id, revision) whose copies are not identical (ingest time aside: an
    article re-published after an ingest crash carries its second ingest time)."""
    seen: dict[tuple, str] = {}
    differ = []
    for m in messages:
        k = (m[key[0]], m[key[1]])
        body = json.dumps({f: v for f, v in m.items() if f != "ingested_at"}, sort_keys=True)
        if seen.setdefault(k, body) != body:
            differ.append(k)
    return differ


def test_nothing_is_lost_while_replicas_are_killed(settings_factory, tmp_path):
    settings = settings_factory()
    seed = int(os.environ.get("RAQIB_TEST_CHAOS_SEED", str(int(time.time()))))
    print(f"chaos seed {seed} (RAQIB_TEST_CHAOS_SEED={seed} replays the kill schedule)")
    feed = tmp_path / "articles.jsonl"
    write_articles(feed, ARTICLES)
    ids = [json.loads(line)["id"] for line in feed.open(encoding="utf-8")]

    def start_one(service: str) -> subprocess.Popen:
        extra = ("--jsonl", str(feed), "--rate", str(RATE)) if service == "ingest" else ()
        return start_worker(settings, service, tmp_path, *extra)

    procs = {s: [start_one(s) for _ in range(n)] for s, n in REPLICAS.items() if s != "ingest"}
    chaos = None
    try:
        for service, members in procs.items():
            wait_for_members(settings, service, len(members))
        procs["ingest"] = [start_one("ingest")]
        chaos = Chaos(procs, start_one, seed, window_s=ARTICLES / RATE * 0.9)
        chaos.start()

        client = redis.Redis.from_url(settings.redis.url)
        prefix = settings.redis.key_prefix + key_prefix(settings.dedup)
        deadline = time.monotonic() + ARTICLES / RATE + 240
        records: dict[str, dict] = {}
        while time.monotonic() < deadline:
            time.sleep(3)
            assert chaos.error is None, chaos.error
            if not chaos.is_alive():
                problem = chaos.unexpected_exit()
                assert problem is None, problem
            records = _records(client, prefix, ids)
            if len(records) == len(ids) and not chaos.is_alive():
                break
        chaos.join(5)
        time.sleep(3)  # reports of the last articles: dedup publishes after it records
        reports = read_everything(settings, EVENTS)
        alerts = read_everything(settings, ALERTS)
        letters = read_everything(settings, DLQ)
        raw = Counter(m["article_id"] for m in read_everything(settings, RAW))
        enriched = Counter(m["article_id"] for m in read_everything(settings, ENRICHED))
        dead = _dead_letter_articles(letters)
        lost = _accounting(ids, _records(client, prefix, ids), reports, dead)

        report_keys = Counter((r["event_id"], r["revision"]) for r in reports)
        alert_keys = Counter((a["alert_id"], a["revision"]) for a in alerts)
        print(f"kills (s, service, pid): {chaos.kills}")
        again = {name: sum(c.values()) - len(c) for name, c in
                 (("raw", raw), ("enriched", enriched), ("reports", report_keys), ("alerts", alert_keys))}
        print(f"articles {len(ids)}: lost {len(lost)}, dead letters {len(dead)}; duplicates processed: "
              f"ingest re-published {again['raw']}, extraction re-did {again['enriched']}, "
              f"dedup re-emitted {again['reports']} of {len(report_keys)} reports, "
              f"alerting re-emitted {again['alerts']} of {len(alert_keys)} alert revisions")
        assert len(chaos.kills) == KILLS_PER_SERVICE * len(REPLICAS)
        assert set(raw) == set(ids)
        assert lost == [], f"{len(lost)} articles lost, e.g. {lost[:5]}"
        assert _copies_differ(reports, ("event_id", "revision")) == []
        assert _copies_differ(alerts, ("alert_id", "revision")) == []
        assert len(alert_keys) > 10  # the stream did raise alerts
    finally:
        if chaos is not None:
            chaos.join(10)
        stop([p for ps in procs.values() for p in ps])
