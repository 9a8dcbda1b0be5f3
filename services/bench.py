"""In-process throughput of each core (figures for `raqib bench`; tests never assert on them)."""

from __future__ import annotations

import datetime as dt
import time

from services.alerting.core import AlertingCore
from services.dedup.core import DedupCore
from services.demo import sample_feed
from services.extraction.core import Extractor
from services.ingest.core import IngestCore
from services.ingest.jsonl import read_lines
from services.runtime.settings import load_settings
from services.runtime.store import MemoryStore


def core_throughput(n: int) -> list[dict]:
    """Push ``n`` articles (the bundled feed, renamed per copy) through each core in turn."""
    settings = load_settings()
    base = [line.article for line in read_lines(sample_feed()) if line.article]
    articles = []
    for i in range(n):
        a = base[i % len(base)]
        copy = i // len(base)
        articles.append(a.model_copy(update={
            "id": f"{a.id}-{copy}", "url": f"https://bench.example/{a.id}/{copy}",
            "published_at": a.published_at + dt.timedelta(days=copy)}))
    store = MemoryStore()
    rows = []

    def timed(stage, fn, items):
        start = time.perf_counter()
        out = [fn(x) for x in items]
        seconds = time.perf_counter() - start
        rows.append({"stage": stage, "articles": len(items), "seconds": seconds,
                     "per_second": len(items) / seconds if seconds else 0.0})
        return out

    ingest = IngestCore(store, lambda: dt.datetime.now(dt.UTC), 86400)
    ingested = timed("ingest", ingest.accept, articles)
    extractor = Extractor()
    for a in ingested[:len(base)]:  # warm: the language detector loads its models on first use
        extractor.process(a)
    enriched = timed("extraction", extractor.process, ingested)
    dedup = DedupCore(store)
    reports = timed("dedup", dedup.process, enriched)
    alerting = AlertingCore(store, settings.alerting)
    flat = [r for rs in reports for r in rs]
    start = time.perf_counter()
    for r in flat:
        alerting.handle(r)
    seconds = time.perf_counter() - start
    rows.append({"stage": "alerting", "articles": len(enriched), "seconds": seconds,
                 "per_second": len(enriched) / seconds if seconds else 0.0,
                 "event_reports": len(flat)})
    return rows


def extraction_articles(n: int, size: int = 3000) -> list:
    """``n`` articles of about ``size`` characters, each the bundled feed's stories of one language run together."""
    from schemas import ArticleIngested

    base = [line.article for line in read_lines(sample_feed()) if line.article]
    out = []
    for i in range(n):
        a = base[i % len(base)]
        same = [b for b in base if b.language == a.language] or [a]
        body, j = a.body, 0
        while len(body) < size:
            body += "\n" + same[(i + j) % len(same)].body
            j += 1
        url = f"https://bench.example/{a.id}/{i}"
        out.append(ArticleIngested(article_id=f"{a.id}-{i}", url=url, canonical_url=url, source=a.source,
                                   title=a.title, body=body, published_at=a.published_at,
                                   ingested_at=a.published_at))
    return out


def extraction_throughput(n: int, size: int = 3000) -> dict:
    """Articles per second through the extraction core on one core, and the resident memory it took."""
    import resource

    extractor = Extractor()
    articles = extraction_articles(min(n, 200), size)
    extractor.process(articles[0])  # warm: lexicon and language models loaded
    events = 0
    start = time.perf_counter()
    for i in range(n):
        events += len(extractor.process(articles[i % len(articles)]).events)
    seconds = time.perf_counter() - start
    return {"stage": "extraction", "articles": n, "seconds": seconds, "per_second": n / seconds,
            "avg_chars": sum(len(a.body) for a in articles) / len(articles), "events_per_article": events / n,
            "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def dedup_articles(data, n: int, seed: int = 7) -> list:
    """``n`` enriched articles for the dedup bench: the evaluation's generated set
    (stories and their rewrites, shuffled) when the external data is there, else the
    bundled feed's articles with rewrites; events from the extraction core."""
    import random

    from services.evaluate.dedup import article, enrich, generated_set, rewrite

    stories = max(1, n // 4)
    if data is not None and data.is_dir():
        plain = [a for a, _ in generated_set(data, stories, rewrites=3, seed=seed)]
    else:
        rng = random.Random(seed)
        base = [line.article for line in read_lines(sample_feed()) if line.article]
        plain = []
        for i in range(n):
            a = base[i % len(base)]
            title, body = rewrite(a.title, a.body, a.language or "en", rng) if i >= len(base) else (a.title, a.body)
            plain.append(article(f"{a.id}-{i}", title, body, a.language or "und", a.published_at, a.source))
    extractor = Extractor()
    return [enrich(extractor, a) for a in plain[:n]]


def dedup_throughput(n: int, redis_url: str, data=None) -> dict:
    """Articles per second through the dedup core (article and event level) against Redis."""
    import uuid

    from services.runtime.bootstrap import tune_gc
    from services.runtime.settings import DedupSettings
    from services.runtime.store import RedisStore

    articles = dedup_articles(data, n)
    tune_gc()  # as a worker does once it is up: what was built so far is not rescanned
    statuses: dict[str, int] = {}
    reports = 0
    timings, cpu = [], []
    settings = DedupSettings()
    size = settings.batch_size
    for events in (True, False):  # the whole core, then the article-level decision alone
        store = RedisStore.from_url(redis_url, prefix=f"raqib:bench:{uuid.uuid4().hex[:8]}:")
        core = DedupCore(store, settings)
        try:
            start, start_cpu = time.perf_counter(), time.process_time()
            for i in range(0, len(articles), size):  # batches, as the worker takes them when they wait
                batch = articles[i:i + size]
                if events:
                    for verdict, out in core.process_batch(batch):
                        statuses[verdict.status] = statuses.get(verdict.status, 0) + 1
                        reports += len(out)
                else:
                    core.verdicts(batch)
            timings.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        finally:
            store.clear()
    seconds, article_seconds = timings
    # this process's CPU time, Redis's not: steadier than the wall clock on a busy machine, to compare code
    return {"stage": "dedup", "articles": len(articles), "seconds": seconds, "cpu_seconds": cpu[0],
            "per_second": len(articles) / seconds if seconds else 0.0,
            "article_level_per_second": len(articles) / article_seconds if article_seconds else 0.0,
            "batch_size": size, "chunk_size": settings.chunk_size, "statuses": statuses,
            "event_reports": reports, "events_per_article": sum(len(a.events) for a in articles) / len(articles),
            "avg_chars": sum(len(a.body) for a in articles) / len(articles), "redis": redis_url}
