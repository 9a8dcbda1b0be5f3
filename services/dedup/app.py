"""Dedup service: news.articles.enriched -> news.events (keyed by theatre country)."""

from __future__ import annotations

import faust

from schemas import ENRICHED, EVENTS, ArticleEnriched, EventReported
from services.dedup.core import DedupCore, theatre_country
from services.runtime.bootstrap import redis_store
from services.runtime.settings import Settings
from services.runtime.stage import BatchHandler, Handler, Output, Shell, batch_agent, make_app
from services.runtime.store import Store

SERVICE = "dedup"


def _outputs(reports: list[EventReported]) -> list[Output]:
    # keyed by theatre: every report of one theatre is alerted on, in order, by one replica
    return [Output(EVENTS, theatre_country(r.event), r) for r in reports]


def bootstrap(settings: Settings, store: Store) -> tuple[Handler, BatchHandler]:
    core = DedupCore(store, settings.dedup)

    def handle(article: ArticleEnriched) -> list[Output]:
        return _outputs(core.process(article))

    def handle_batch(articles: list[ArticleEnriched]) -> list[list[Output]]:
        return [_outputs(reports) for _, reports in core.process_batch(articles)]

    return handle, handle_batch


def build_app(settings: Settings) -> faust.App:
    app = make_app(SERVICE, settings)
    handle, handle_batch = bootstrap(settings, redis_store(settings))
    batch_agent(app, Shell(app, settings, SERVICE), ENRICHED, handle, handle_batch,
                settings.dedup.batch_size, settings.dedup.batch_wait_s)
    return app
