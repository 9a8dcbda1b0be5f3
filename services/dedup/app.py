"""Dedup service: news.articles.enriched -> news.events (keyed by theatre country)."""

from __future__ import annotations

import faust

from schemas import ENRICHED, EVENTS, ArticleEnriched
from services.dedup.core import DedupCore, theatre_country
from services.runtime.bootstrap import redis_store
from services.runtime.settings import Settings
from services.runtime.stage import Handler, Output, Shell, make_app, pipe_agent
from services.runtime.store import Store

SERVICE = "dedup"


def bootstrap(settings: Settings, store: Store) -> Handler:
    core = DedupCore(store, settings.dedup)

    def handle(article: ArticleEnriched) -> list[Output]:
        # keyed by theatre: every report of one theatre is alerted on, in order, by one replica
        return [Output(EVENTS, theatre_country(r.event), r) for r in core.process(article)]

    return handle


def build_app(settings: Settings) -> faust.App:
    app = make_app(SERVICE, settings)
    pipe_agent(app, Shell(app, settings, SERVICE), ENRICHED, bootstrap(settings, redis_store(settings)))
    return app
