"""Offline mode: the four cores in-process, in order, over a timeline of articles.

The same cores as the Kafka workers, on a MemoryStore, with the clock set to
each article's publication time, so a run is deterministic: the same file
gives the same output byte for byte.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from schemas import EscalationAlert, EventReported
from services.alerting.core import AlertingCore
from services.dedup.core import DedupCore
from services.extraction.core import Extractor
from services.ingest.core import IngestCore
from services.ingest.jsonl import Line, read_lines
from services.runtime.bootstrap import horizon_s
from services.runtime.errors import SkipMessage
from services.runtime.settings import Settings
from services.runtime.store import MemoryStore


@dataclass
class PipelineStats:
    lines: int = 0
    invalid: list[str] = field(default_factory=list)
    skipped: int = 0
    events: int = 0
    alerts: int = 0


class Pipeline:
    def __init__(self, settings: Settings, extractor: Extractor | None = None) -> None:
        self._now = dt.datetime.fromtimestamp(0, dt.UTC)
        store = MemoryStore()
        clock = lambda: self._now  # noqa: E731 - the publication time of the current article
        self.ingest = IngestCore(store, clock, horizon_s(settings))
        self.extraction = extractor or Extractor()
        self.dedup = DedupCore(store, settings.dedup)
        self.alerting = AlertingCore(store, settings.alerting)
        self.stats = PipelineStats()

    def run_lines(self, lines) -> Iterator[EventReported | EscalationAlert]:
        for line in lines:
            yield from self.run_line(line)

    def run_line(self, line: Line) -> Iterator[EventReported | EscalationAlert]:
        self.stats.lines += 1
        if line.article is None:
            self.stats.invalid.append(f"line {line.number}: {line.error}")
            return
        self._now = line.article.published_at
        try:
            ingested = self.ingest.accept(line.article)
        except SkipMessage:
            self.stats.skipped += 1
            return
        enriched = self.extraction.process(ingested)
        for report in self.dedup.process(enriched):
            self.stats.events += 1
            yield report
            for alert in self.alerting.handle(report):
                self.stats.alerts += 1
                yield alert

    def run_file(self, path: Path) -> Iterator[EventReported | EscalationAlert]:
        return self.run_lines(read_lines(path))
