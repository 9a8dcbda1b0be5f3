"""Extraction service: news.articles.raw -> news.articles.enriched."""

from __future__ import annotations

import faust

from schemas import ENRICHED, RAW, ArticleIngested
from services.extraction.core import Extractor
from services.runtime.settings import Settings
from services.runtime.stage import Handler, Output, Shell, batch_agent, make_app

SERVICE = "extraction"


def bootstrap(settings: Settings, extractor: Extractor | None = None) -> Handler:
    core = extractor or Extractor()

    def handle(article: ArticleIngested) -> list[Output]:
        enriched = core.process(article)
        return [Output(ENRICHED, enriched.article_id, enriched)]

    return handle


def build_app(settings: Settings) -> faust.App:
    app = make_app(SERVICE, settings)
    handle = bootstrap(settings)
    batch_agent(app, Shell(app, settings, SERVICE), RAW, handle, lambda articles: [handle(a) for a in articles],
                settings.extraction.batch_size, settings.extraction.batch_wait_s)
    return app
