"""Ingest service: JSON lines files (and, later, feeds and HTTP push) -> news.articles.raw."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import faust

from schemas import DLQ, RAW
from services.ingest.core import IngestCore
from services.ingest.jsonl import read_lines
from services.runtime.bootstrap import horizon_s, redis_store
from services.runtime.errors import SkipMessage
from services.runtime.settings import Settings
from services.runtime.stage import Output, ProducerOnlyApp, Shell, dead_letter, make_app, utcnow
from services.runtime.store import Store

logger = logging.getLogger(__name__)

SERVICE = "ingest"


def bootstrap(settings: Settings, store: Store, clock=utcnow) -> IngestCore:
    return IngestCore(store, clock, horizon_s(settings))


def outputs_for_line(core: IngestCore, line, source_name: str) -> list[Output]:
    """The messages one JSON line turns into: an article, a dead letter, or nothing (re-poll)."""
    if line.article is None:
        letter = dead_letter(SERVICE, f"line {line.number}: {line.error}", line.raw,
                             topic=source_name, offset=line.number)
        return [Output(DLQ, source_name, letter)]
    try:
        article = core.accept(line.article)
    except SkipMessage as skip:
        logger.debug("skipped line %d: %s", line.number, skip)
        return []
    return [Output(RAW, article.article_id, article)]


def build_app(settings: Settings, jsonl: Path | None = None, rate: float = 0.0) -> faust.App:
    app = make_app(SERVICE, settings, ProducerOnlyApp)  # ingest consumes no topic
    shell = Shell(app, settings, SERVICE)
    core = bootstrap(settings, redis_store(settings))

    if jsonl is not None:
        @app.task
        async def replay_file() -> None:
            source_name = f"file:{jsonl.name}"
            sent = 0
            for line in read_lines(jsonl):
                outputs = await shell.call_with_retry(
                    lambda ln: outputs_for_line(core, ln, source_name), line)
                await shell.publish(outputs)
                sent += sum(1 for o in outputs if o.topic == RAW)
                if rate > 0:
                    await asyncio.sleep(1.0 / rate)
            await app.producer.flush()
            logger.info("replayed %s: %d articles published", jsonl, sent)

    return app

