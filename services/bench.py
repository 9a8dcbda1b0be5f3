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
    enriched = timed("extraction", extractor.process, ingested)
    dedup = DedupCore(store, lambda: dt.datetime.now(dt.UTC), 86400)
    reports = timed("dedup", dedup.process, enriched)
    alerting = AlertingCore(store, settings.alerting)
    flat = [r for rs in reports for r in rs]
    start = time.perf_counter()
    for r in flat:
        alerting.process(r)
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
