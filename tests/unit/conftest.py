import datetime as dt

import pytest

from schemas import ArticleIngested
from services.demo import sample_feed
from services.pipeline import Pipeline
from services.runtime.settings import load_settings

UTC3 = dt.timezone(dt.timedelta(hours=3))
#: the seed article's publication time: a Friday morning
FRIDAY = dt.datetime(2023, 10, 27, 7, 30, tzinfo=UTC3)


def article(article_id: str, body: str, published: dt.datetime, source: str = "Test Wire",
            url: str | None = None, title: str = "") -> ArticleIngested:
    url = url or f"https://{source.replace(' ', '').lower()}.example/{article_id}"
    return ArticleIngested(article_id=article_id, url=url, canonical_url=url, source=source,
                           title=title, body=body, published_at=published, ingested_at=published)


def kinetic(extractor, body: str) -> list:
    """The attacks the extractor codes in ``body``, published on FRIDAY."""
    return [e for e in extractor.process(article("k", body, FRIDAY)).events if e.category == "ASSAULT"]


@pytest.fixture
def ingested_article() -> ArticleIngested:
    return article("a1", "US forces struck a depot near Albukamal in Syria on Friday.",
                   dt.datetime(2023, 10, 27, 8, 0, tzinfo=UTC3))


@pytest.fixture(scope="session")
def sample_output():
    return list(Pipeline(load_settings()).run_file(sample_feed()))


@pytest.fixture(scope="session")
def sample_alerts(sample_output):
    return [m for m in sample_output if m.type == "alert"]
