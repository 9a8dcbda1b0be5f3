"""End-to-end benchmark through Kafka: the four services as processes on this machine.

Three measurements, each on a fresh broker (the embedded broker's memory store
slows down the longer it runs, so runs are compared like with like):

* ``drain``: a backlog of N articles (a JSON lines file) replayed by the ingest
  worker as fast as it can, through extraction, dedup and alerting.
* ``ceiling``: the same file, the same ingest worker, the same topics and the
  same consumer settings, with three stages that only forward the bytes: what
  the broker and the Faust shell allow on this machine.
* ``latency``: articles at a fixed rate; time from ingest to each alert (and to
  each event report) as the subscriber receives it.

An article has *arrived* when the last stage has committed past everything it
produced: its enriched message at dedup when it told of no event, else each of
its event reports at alerting (in the ceiling run, its forwarded copy at the
third forwarder). Committed offsets are read every 0.2 s, so an arrival time is
late by at most the commit interval plus 0.2 s, the same in every run.
Throughput is counted over the 10-90 % arrival window, which leaves out the
consumer-group joins at the start and the stragglers at the end.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from kafka import KafkaConsumer, TopicPartition

from schemas import ALERTS, ENRICHED, EVENTS, RAW, ArticleIn
from services.demo import stop_workers, worker_env
from services.runtime.embedded import start_broker
from services.runtime.kafka import CommittedOffsets, ensure_topics, wait_for_group
from services.runtime.settings import Settings
from services.runtime.store import RedisStore

logger = logging.getLogger(__name__)

CONSUMERS = ("extraction", "dedup", "alerting")
#: the forward-only chain uses the pipeline's own topics: raw -> enriched -> events -> alerts
FORWARDERS = (("forward1", RAW, ENRICHED), ("forward2", ENRICHED, EVENTS), ("forward3", EVENTS, ALERTS))


# --------------------------------------------------------------------------- the articles


def base_articles() -> list[ArticleIn]:
    """The bundled feed and the bundled scenarios' articles, in publication order."""
    from services.demo import sample_feed
    from services.evaluate.alerts import bundled_scenarios
    from services.ingest.jsonl import read_lines

    files = [sample_feed(), *sorted(bundled_scenarios().glob("*/articles.jsonl"))]
    unique = {line.article.id: line.article for f in files for line in read_lines(f) if line.article}
    return sorted(unique.values(), key=lambda a: (a.published_at, a.id))


def write_articles(path: Path, n: int, seed: int = 7) -> dict:
    """``n`` articles: the base articles, then rewrites of them (another outlet's headline,
    trimmed, reordered, boilerplate, Arabic spelling variants), each round of copies
    moved later in time by the whole timeline's span plus two days."""
    from services.evaluate.dedup import rewrite

    rng = random.Random(seed)
    base = base_articles()
    span = base[-1].published_at - base[0].published_at + dt.timedelta(days=2)
    size = 0
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            a = base[i % len(base)]
            copy = i // len(base)
            title, body = (a.title, a.body) if copy == 0 else rewrite(a.title, a.body, a.language or "en", rng)
            line = ArticleIn(id=f"{a.id}-{copy}", url=f"https://bench.example/{copy}/{a.id}", source=a.source,
                             title=title, body=body, published_at=a.published_at + span * copy,
                             language=a.language).model_dump_json()
            size += len(line.encode())
            fh.write(line + "\n")
    return {"articles": n, "avg_bytes": size / n if n else 0.0, "base_articles": len(base)}


# --------------------------------------------------------------------------- processes


def _env(settings: Settings, servers: str, redis_url: str, key_prefix: str, extra: dict[str, str]) -> dict:
    """The demo's worker environment, plus what a benchmark run pins."""
    env = worker_env(settings, servers, redis_url, key_prefix)
    env.update({
        "RAQIB_KAFKA__PARTITIONS": str(settings.kafka.partitions),
        "RAQIB_KAFKA__FETCH_MAX_WAIT_MS": str(settings.kafka.fetch_max_wait_ms),
        "RAQIB_LOG_LEVEL": "WARNING",
        "RAQIB_WEB_PORT": "0",
        **extra,
    })
    return env


class Run:
    """One measurement: a fresh broker, worker processes, their logs."""

    def __init__(self, settings: Settings, redis_url: str, name: str, log_dir: Path,
                 extra_env: dict[str, str] | None = None) -> None:
        self.settings, self.redis_url, self.name, self.log_dir = settings, redis_url, name, log_dir
        self.extra_env = extra_env or {}
        self.key_prefix = f"{settings.redis.key_prefix}bench:{name}:{uuid.uuid4().hex[:8]}:"
        self.procs: list[subprocess.Popen] = []
        self.labels: list[str] = []

    def __enter__(self) -> Run:
        self.broker = start_broker()
        self.kafka = self.settings.kafka.model_copy(update={"bootstrap_servers": self.broker.address,
                                                            "topic_prefix": ""})
        ensure_topics(self.kafka)
        self.redis_cpu_start = _redis_cpu(self.redis_url)
        self.env = _env(self.settings.model_copy(update={"kafka": self.kafka}), self.broker.address,
                        self.redis_url, self.key_prefix, self.extra_env)
        return self

    def start(self, label: str, *args: str) -> subprocess.Popen:
        log = open(self.log_dir / f"{self.name}-{label}.log", "ab")  # noqa: SIM115 - lives with the process
        proc = subprocess.Popen([sys.executable, "-m", *args], env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self.procs.append(proc)
        self.labels.append(label)
        return proc

    def cpu_seconds(self) -> dict[str, float]:
        """CPU time (user + system) each worker process and the broker have used so far (Linux
        /proc), and what the Redis server used meanwhile (its INFO; the whole server's, so on a
        shared Redis it includes other clients)."""
        out = {}
        tick = os.sysconf("SC_CLK_TCK")
        for label, p in [*zip(self.labels, self.procs, strict=True), ("broker", self.broker.proc)]:
            with contextlib.suppress(OSError, ValueError, IndexError):
                fields = Path(f"/proc/{p.pid}/stat").read_text().rsplit(")", 1)[1].split()
                out[label] = round((int(fields[11]) + int(fields[12])) / tick, 2)
        now = _redis_cpu(self.redis_url)
        if now is not None and self.redis_cpu_start is not None:
            out["redis"] = round(now - self.redis_cpu_start, 2)
        return out

    def check_alive(self) -> None:
        dead = [p for p in self.procs if p.poll() is not None]
        if dead:
            raise RuntimeError(f"bench worker {' '.join(dead[0].args[2:])} exited with {dead[0].returncode}; "
                               f"see {self.log_dir}")

    def __exit__(self, *exc) -> None:
        stop_workers(self.procs)
        self.broker.stop()
        RedisStore.from_url(self.redis_url, prefix=self.key_prefix).clear()


def _redis_cpu(url: str) -> float | None:
    """The Redis server's CPU seconds so far (user + system, main thread and children)."""
    try:
        info = RedisStore.from_url(url, prefix="").client.info("cpu")
    except Exception:  # no figure is not a failed benchmark
        return None
    return sum(float(info.get(k, 0.0)) for k in ("used_cpu_sys", "used_cpu_user"))


# --------------------------------------------------------------------------- arrivals


class Tracker:
    """Follows topics from the beginning (which article each message belongs to) and the
    committed offsets of the groups that consume them; tells when each article arrived."""

    def __init__(self, kafka, watched: dict[str, str]) -> None:
        self.kafka = kafka
        self.watched = watched  # topic -> the service whose commits on it count
        self.owner: dict[tuple[str, int, int], str] = {}  # (topic, partition, offset) -> article id
        self.articles: dict[str, list[tuple[str, int, int]]] = {}
        self.last_offset: dict[tuple[str, int], int] = {}  # (topic, partition) -> highest offset seen
        self.commits: list[tuple[float, dict[tuple[str, int], int]]] = []
        self._stop = threading.Event()
        self._offsets = CommittedOffsets(kafka)
        self._consumer = KafkaConsumer(bootstrap_servers=kafka.servers, group_id=None, enable_auto_commit=False,
                                       fetch_max_wait_ms=100, max_partition_fetch_bytes=8 * 1024 * 1024)
        tps = [TopicPartition(t, p) for t in watched for p in range(kafka.partitions)]
        self._consumer.assign(tps)
        self._consumer.seek_to_beginning(*tps)
        self._thread = threading.Thread(target=self._poll_commits, daemon=True)
        self._thread.start()

    def _poll_commits(self) -> None:
        while not self._stop.is_set():
            merged: dict[tuple[str, int], int] = {}
            for topic, service in self.watched.items():
                with contextlib.suppress(Exception):  # a group not formed yet has nothing committed
                    merged.update({tp: o for tp, o in self._offsets.read(service).items() if tp[0] == topic})
            self.commits.append((time.monotonic(), merged))
            self._stop.wait(0.2)

    def read(self) -> int:
        """Take in whatever the watched topics have now; return how many messages were new."""
        n = 0
        for records in self._consumer.poll(timeout_ms=200, max_records=20_000).values():
            for r in records:
                article = _article_of(r.value)
                if article is None:
                    continue
                where = (r.topic, r.partition, r.offset)
                self.owner[where] = article
                self.articles.setdefault(article, []).append(where)
                tp = (r.topic, r.partition)
                self.last_offset[tp] = max(self.last_offset.get(tp, -1), r.offset)
                n += 1
        return n

    def arrived(self, expected: int) -> bool:
        """Every one of ``expected`` articles has all its messages behind a commit (a partition's
        commit is past all its messages once it is past the highest)."""
        if len(self.articles) < expected or not self.commits:
            return False
        last = self.commits[-1][1]
        return all(last.get(tp, 0) > o for tp, o in self.last_offset.items())

    def arrival_times(self) -> list[float]:
        """Per article, the first time the commits passed all its messages (monotonic clock):
        per partition, its offsets in order against the commits in time order."""
        first: dict[tuple[str, int, int], float] = {}
        by_tp: dict[tuple[str, int], list[int]] = {}
        for t, p, o in self.owner:
            by_tp.setdefault((t, p), []).append(o)
        for (t, p), offsets in by_tp.items():
            offsets.sort()
            i = 0
            for when, committed in self.commits:
                c = committed.get((t, p), 0)
                while i < len(offsets) and c > offsets[i]:
                    first[(t, p, offsets[i])] = when
                    i += 1
                if i == len(offsets):
                    break
        times = []
        for messages in self.articles.values():
            if all(w in first for w in messages):
                times.append(max(first[w] for w in messages))
        return sorted(times)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self._consumer.close()
        self._offsets.close()


_ARTICLE_ID = b'"article_id":"'


def _article_of(value: bytes | None) -> str | None:
    """The article a message on the watched topics belongs to (an event report: the one that made
    it, its last source; an article: its own id, its first ``article_id``). Found by position in
    the compact JSON our models write, not by parsing it: this process runs on the cores it
    measures, and parsing every message cost it a sixth of what the workers used."""
    if not value:
        return None
    at = value.rfind(_ARTICLE_ID) if value.startswith(b'{"type":"event"') else value.find(_ARTICLE_ID)
    if at < 0:
        return None
    start = at + len(_ARTICLE_ID)
    end = value.find(b'"', start)
    return value[start:end].decode() if end > start else None


def window_rate(times: list[float], low: float = 0.1, high: float = 0.9) -> tuple[float, float]:
    """(articles per second, seconds) between the ``low`` and ``high`` shares of arrivals."""
    if len(times) < 10:
        return 0.0, 0.0
    a, b = int(len(times) * low), int(len(times) * high) - 1
    seconds = times[b] - times[a]
    return ((b - a) / seconds if seconds > 0 else 0.0), seconds


# --------------------------------------------------------------------------- the runs


def _drain(run: Run, feed: Path, n: int, consumers: list[tuple[str, tuple[str, ...]]],
           watched: dict[str, str], timeout_s: float) -> dict:
    for label, args in consumers:
        run.start(label, *args)
    for label, _ in consumers:
        wait_for_group(run.kafka, label, 1, timeout=120)
    tracker = Tracker(run.kafka, watched)
    own_cpu = time.process_time()
    try:
        started = time.monotonic()
        run.start("ingest", "services.cli", "worker", "ingest", "--jsonl", str(feed))
        deadline = started + timeout_s
        while time.monotonic() < deadline:
            tracker.read()
            # arrived, and a further read finds nothing more (reports flushed before a commit)
            if tracker.arrived(n) and tracker.read() == 0 and tracker.arrived(n):
                break
            run.check_alive()
        times = tracker.arrival_times()
        cpu = run.cpu_seconds()
        # this process, reading what it tracks: on the same cores as what it measures
        cpu["tracker"] = round(time.process_time() - own_cpu, 2)
    finally:
        tracker.close()
    rate, seconds = window_rate(times)
    return {"articles": n, "arrived": len(times), "per_second": rate, "window_seconds": seconds,
            "total_seconds": (times[-1] - started) if times else None,
            "messages_watched": len(tracker.owner), "cpu_seconds": cpu}


def run_drain(settings: Settings, redis_url: str, feed: Path, n: int, log_dir: Path,
              timeout_s: float = 1800) -> dict:
    """(b): the four services drain a backlog of ``n`` articles."""
    with Run(settings, redis_url, "drain", log_dir) as run:
        consumers = [(s, ("services.cli", "worker", s)) for s in CONSUMERS]
        return _drain(run, feed, n, consumers, {ENRICHED: "dedup", EVENTS: "alerting"}, timeout_s)


def run_ceiling(settings: Settings, redis_url: str, feed: Path, n: int, log_dir: Path,
                timeout_s: float = 1800) -> dict:
    """(d): the same backlog, the same ingest worker and topics, three forward-only stages."""
    with Run(settings, redis_url, "ceiling", log_dir) as run:
        consumers = [(name, ("services.bench_kafka", "forward", name, src, dst)) for name, src, dst in FORWARDERS]
        return _drain(run, feed, n, consumers, {EVENTS: FORWARDERS[-1][0]}, timeout_s)


def _percentiles(values: list[float]) -> dict:
    if not values:
        return {"count": 0, "p50": None, "p95": None, "p99": None, "max": None}
    v = sorted(values)

    def pick(q: float) -> float:
        return v[min(len(v) - 1, max(0, round(q * len(v)) - 1))]

    return {"count": len(v), "p50": pick(0.50), "p95": pick(0.95), "p99": pick(0.99), "max": v[-1]}


def run_latency(settings: Settings, redis_url: str, feed: Path, rate: float, seconds: float, log_dir: Path,
                hold_s: float | None = None) -> dict:
    """(c): articles at ``rate`` per second for ``seconds``; latency from ingest to each alert
    revision and to each event report, as a subscriber receives them."""
    hold = settings.alerting.hold_s if hold_s is None else hold_s
    n = int(rate * seconds)
    with Run(settings, redis_url, f"latency-hold{hold:g}", log_dir,
             {"RAQIB_ALERTING__HOLD_S": str(hold)}) as run:
        for s in CONSUMERS:
            run.start(s, "services.cli", "worker", s)
        for s in CONSUMERS:
            wait_for_group(run.kafka, s, 1, timeout=120)
        consumer = KafkaConsumer(bootstrap_servers=run.kafka.servers, group_id=None, enable_auto_commit=False,
                                 fetch_max_wait_ms=run.kafka.fetch_max_wait_ms)
        tps = [TopicPartition(t, p) for t in (EVENTS, ALERTS) for p in range(run.kafka.partitions)]
        consumer.assign(tps)
        consumer.seek_to_beginning(*tps)
        to_alert: list[float] = []
        to_event: list[float] = []
        try:
            run.start("ingest", "services.cli", "worker", "ingest", "--jsonl", str(feed), "--rate", f"{rate:g}")
            end = time.monotonic() + seconds + 30
            quiet_since = time.monotonic()
            while time.monotonic() < end:
                got = consumer.poll(timeout_ms=100)
                now = dt.datetime.now(dt.UTC)
                for records in got.values():
                    for r in records:
                        data = json.loads(r.value)
                        if data.get("ingested_at"):
                            age = (now - dt.datetime.fromisoformat(data["ingested_at"])).total_seconds()
                            (to_alert if data.get("type") == "alert" else to_event).append(age)
                if got:
                    quiet_since = time.monotonic()
                elif len(to_event) and time.monotonic() - quiet_since > 5 + hold:
                    break
                run.check_alive()
        finally:
            consumer.close()
    return {"rate": rate, "seconds": seconds, "articles": n, "hold_s": hold,
            "ingest_to_alert": _percentiles(to_alert), "ingest_to_event": _percentiles(to_event)}


def _median_run(runs: list[dict]) -> dict:
    return sorted(runs, key=lambda r: r["per_second"])[len(runs) // 2]


def run_all(settings: Settings, redis_url: str, n: int, rate: float, seconds: float,
            log_dir: Path | None = None, pairs: int = 3) -> dict:
    """(b) and (d), ``pairs`` times in turn, and the ratio of their medians (one run of each
    varied by a third on this machine, the ceiling most); then (c) with the configured hold
    and with none."""
    logging.getLogger("kafka").setLevel(logging.ERROR)  # connection retries while brokers start
    log_dir = log_dir or Path(tempfile.mkdtemp(prefix="raqib-bench-"))
    log_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        feed = Path(tmp) / "bench.jsonl"
        info = write_articles(feed, n)
        runs = []
        for _ in range(max(1, pairs)):
            drain = run_drain(settings, redis_url, feed, n, log_dir)
            ceiling = run_ceiling(settings, redis_url, feed, n, log_dir)
            runs.append({"drain": drain, "ceiling": ceiling, "ratio": drain["per_second"] / ceiling["per_second"]
                         if ceiling["per_second"] else None})
        drain, ceiling = _median_run([r["drain"] for r in runs]), _median_run([r["ceiling"] for r in runs])
        latency_feed = Path(tmp) / "latency.jsonl"
        write_articles(latency_feed, int(rate * seconds), seed=11)
        latency = [run_latency(settings, redis_url, latency_feed, rate, seconds, log_dir)]
        if settings.alerting.hold_s > 0:
            latency.append(run_latency(settings, redis_url, latency_feed, rate, seconds, log_dir, hold_s=0.0))
    ratio = drain["per_second"] / ceiling["per_second"] if ceiling["per_second"] else None
    return {"articles": info, "drain": drain, "ceiling": ceiling, "ratio": ratio, "pairs": runs, "latency": latency,
            "fetch_max_wait_ms": settings.kafka.fetch_max_wait_ms, "partitions": settings.kafka.partitions,
            "cpus": os.cpu_count(), "logs": str(log_dir)}


# --------------------------------------------------------------------------- the forwarder


def forward_app(settings: Settings, name: str, source: str, target: str):
    """A stage that only forwards: the same shell, topics and consumer settings as a service."""
    from services.runtime.stage import Shell, make_app

    app = make_app(name, settings)
    shell = Shell(app, settings, name)
    out = shell.topic(target)

    @app.agent(shell.topic(source), name=f"{name}-{source}", concurrency=1)
    async def forward(stream):
        async for event in stream.events():
            await out.send(key=event.message.key, value=event.value)

    return app


def main(argv: list[str]) -> None:
    from services.runtime.settings import load_settings
    from services.runtime.stage import run_worker

    if len(argv) != 5 or argv[1] != "forward":
        raise SystemExit("usage: python -m services.bench_kafka forward NAME SOURCE TARGET")
    settings = load_settings()
    run_worker(forward_app(settings, argv[2], argv[3], argv[4]), settings)


if __name__ == "__main__":
    main(sys.argv)
