"""Ingest service: feeds, HTTP push and JSON lines files -> news.articles.raw."""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

import faust

from schemas import DLQ, RAW
from services.ingest.core import ClaimBatch, IngestCore
from services.ingest.feeds import load_feeds
from services.ingest.fetch import Fetcher
from services.ingest.jsonl import read_lines
from services.ingest.poller import FeedPoller
from services.ingest.push import push_route
from services.runtime.bootstrap import horizon_s, redis_store
from services.runtime.errors import SkipMessage
from services.runtime.settings import Settings
from services.runtime.stage import Output, ProducerOnlyApp, Shell, dead_letter, make_app, utcnow
from services.runtime.store import Store

logger = logging.getLogger(__name__)

SERVICE = "ingest"


def bootstrap(settings: Settings, store: Store, clock=utcnow) -> IngestCore:
    return IngestCore(store, clock, horizon_s(settings))


#: lines a replay sends between producer flushes (after each, their URL claims are recorded)
REPLAY_BATCH = 200


def outputs_for_line(claims: ClaimBatch, line, source_name: str) -> list[Output]:
    """The messages one JSON line turns into: an article, a dead letter, or nothing (re-poll).
    The article's claim is recorded by ``claims.commit()`` once the producer has flushed."""
    if line.article is None:
        letter = dead_letter(SERVICE, f"line {line.number}: {line.error}", line.raw,
                             topic=source_name, offset=line.number)
        return [Output(DLQ, source_name, letter)]
    try:
        accepted = claims.check(line.article)
    except SkipMessage as skip:
        logger.debug("skipped line %d: %s", line.number, skip)
        return []
    return [Output(RAW, accepted.article.article_id, accepted.article)]


def _chunks(items, size: int):
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class ProducerSink:
    """The poller's and push's way out: send through the shell, flush the producer."""

    def __init__(self, app: faust.App, shell: Shell) -> None:
        self.app, self.shell = app, shell

    async def send(self, outputs) -> None:
        await self.shell.publish(outputs)

    async def flush(self) -> None:
        await self.app.producer.flush()


def build_app(settings: Settings, jsonl: Path | None = None, rate: float = 0.0,
              feeds: Path | None = None) -> faust.App:
    app = make_app(SERVICE, settings, ProducerOnlyApp)  # ingest consumes no topic
    shell = Shell(app, settings, SERVICE)
    store = redis_store(settings)
    core = bootstrap(settings, store)
    sink = ProducerSink(app, shell)
    app.raqib_routes.append(push_route(settings.ingest, core, sink.send, sink.flush))
    app.raqib_max_body = settings.ingest.max_body_bytes

    if feeds is not None:
        feed_list = load_feeds(feeds)  # a bad file stops start-up with its reason

        @app.task
        async def poll_feeds() -> None:
            logger.info("polling %d feeds from %s", len(feed_list), feeds)
            async with Fetcher(settings.ingest) as fetcher:
                await FeedPoller(feed_list, settings.ingest, core, store, fetcher, sink).run()

    if jsonl is not None:
        @app.task
        async def replay_file() -> None:
            source_name = f"file:{jsonl.name}"
            sent = 0
            claims = core.batch()
            committed = time.monotonic()
            chunk = 1 if rate > 0 else REPLAY_BATCH  # at a rate, line by line; else claims read per chunk
            for lines in _chunks(read_lines(jsonl), chunk):
                if chunk > 1:
                    await shell.call_with_retry(claims.prefetch, [ln.article for ln in lines if ln.article])
                for line in lines:
                    outputs = await shell.call_with_retry(
                        lambda ln: outputs_for_line(claims, ln, source_name), line)
                    await shell.publish(outputs)
                    sent += sum(1 for o in outputs if o.topic == RAW)
                    if rate > 0:
                        await asyncio.sleep(1.0 / rate)
                if len(claims.pending) >= REPLAY_BATCH or time.monotonic() - committed >= 1.0:
                    await app.producer.flush()
                    await shell.call_with_retry(lambda c: c.commit(), claims)
                    committed = time.monotonic()
            await app.producer.flush()
            await shell.call_with_retry(lambda c: c.commit(), claims)
            logger.info("replayed %s: %d articles published", jsonl, sent)

    return app

