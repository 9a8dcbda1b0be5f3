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
