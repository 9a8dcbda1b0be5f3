"""Continuous feed polling: fetch, parse, fetch pages where needed, publish each story once.

No Kafka here: the poller hands articles to a :class:`Sink` (the worker's
producer, or anything with ``send`` and ``flush``).

Per feed, a loop polls, then sleeps:

* the feed's interval, jittered by ``jitter`` either way, after a good poll;
* ``interval * 2**errors`` (at most ``max_backoff_s``), jittered, after the
  ``errors``-th error in a row; a 429 or 503 ``Retry-After`` is a floor;
* conditional GET with the ETag and Last-Modified of the last good poll
  (kept in Redis, so a restart does not re-download every feed).

Per item: the item's identity is its GUID (scoped to the feed) or else its
canonical URL; its signature is a hash of link, title and text. An item whose
signature is on record was seen: no page fetch, nothing published. Otherwise
its page is fetched when the feed carries only a summary (``full_text``), the
article is checked against the URL claim of :class:`IngestCore` (a story seen
under the same URL with the same text, from any feed, is not published again;
with another text it is published once more, marked ``update``), sent, and
only after the producer has flushed are the item and URL recorded. A crash
before that re-publishes the item on the next poll; it never loses it. The
feed's ETag is stored after its items, for the same reason.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import logging
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from prometheus_client import REGISTRY, CollectorRegistry, Counter

from schemas import RAW, ArticleIn
from services.ingest.core import ClaimBatch, IngestCore, canonical_url
from services.ingest.feeds import FeedConfig, FeedItem, extract_page, parse_feed
from services.ingest.fetch import Fetcher, FetchError
from services.ingest.safety import Refused
from services.runtime.errors import SkipMessage
from services.runtime.settings import IngestSettings
from services.runtime.stage import TRANSIENT_ERRORS, Output
from services.runtime.store import Store
from services.runtime.walls import wall

logger = logging.getLogger(__name__)

OUTCOMES = ("fetched", "not_modified", "new", "update", "duplicate", "error", "refused", "page")


class Sink(Protocol):
    async def send(self, outputs: Sequence[Output]) -> None: ...

    async def flush(self) -> None: ...


class FeedMetrics:
    """Per feed: fetched, not modified, new, update, duplicate, error, refused, page (fetched)."""

    def __init__(self, registry: CollectorRegistry = REGISTRY) -> None:
        self.registry = registry
        self.counter = Counter("raqib_ingest_feed_events", "Feed polling outcomes, per feed",
                               ["feed", "outcome"], registry=registry)

    def inc(self, feed: FeedConfig, outcome: str, n: int = 1) -> None:
        self.counter.labels(feed=feed.name, outcome=outcome).inc(n)

    def value(self, feed: str, outcome: str) -> float:
        sample = self.registry.get_sample_value("raqib_ingest_feed_events_total", {"feed": feed, "outcome": outcome})
        return sample or 0.0


@dataclass
class FeedState:
    etag: str | None = None
    last_modified: str | None = None
    errors: int = 0  # in a row


def _sha(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()


class FeedPoller:
    def __init__(self, feeds: list[FeedConfig], settings: IngestSettings, core: IngestCore, store: Store,
                 fetcher: Fetcher, sink: Sink, metrics: FeedMetrics | None = None,
                 clock: Callable[[], dt.datetime] | None = None, rng: random.Random | None = None) -> None:
        self.feeds = feeds
        self.settings = settings
        self.core = core
        self.store = store
        self.fetcher = fetcher
        self.sink = sink
        self.metrics = metrics or FeedMetrics()
        self.clock = clock or core.clock
        self.rng = rng or random.Random()
        self.ttl = int(settings.seen_days * 86400)
        self.errors: dict[str, int] = {}

    # ------------------------------------------------------------------ schedule

    def interval(self, feed: FeedConfig) -> float:
        return feed.interval_s or self.settings.poll_interval_s

    def _jittered(self, delay: float) -> float:
        j = self.settings.jitter
        return delay * (1 + self.rng.uniform(-j, j))

    def next_delay(self, feed: FeedConfig, errors: int, retry_after: float | None = None) -> float:
        """Seconds to the next poll after ``errors`` errors in a row (0: the last poll was good)."""
        base = self.interval(feed)
        delay = min(base * 2 ** errors, self.settings.max_backoff_s) if errors else base
        delay = self._jittered(delay)
        if retry_after is not None:
            delay = max(delay, min(retry_after, self.settings.max_backoff_s))
        return delay

    async def run(self) -> None:
        """Poll every feed until cancelled."""
        await asyncio.gather(*(self._loop(feed) for feed in self.feeds))

    async def _loop(self, feed: FeedConfig) -> None:
        await asyncio.sleep(self.rng.uniform(0, min(self.interval(feed), 2.0)))  # spread the first polls
        while True:
            try:
                delay = await self.poll(feed)
            except TRANSIENT_ERRORS as exc:  # Redis is away: nothing was recorded, poll again
                delay = self.next_delay(feed, 1)
                logger.warning("feed %s: state store unavailable (%s); retrying in %.1fs", feed.name, exc, delay)
            except Exception:  # a bug: keep polling the other feeds and this one
                self.metrics.inc(feed, "error")
                delay = self.next_delay(feed, self.errors.get(feed.name, 0) + 1)
                logger.exception("feed %s: poll failed; retrying in %.1fs", feed.name, delay)
            await asyncio.sleep(delay)

    # ------------------------------------------------------------------ one poll

    def _state_key(self, feed: FeedConfig) -> str:
        return "ingest:feed:" + _sha(feed.url)

    def _load(self, feed: FeedConfig) -> FeedState:
        raw = self.store.get(self._state_key(feed))
        state = FeedState(**json.loads(raw)) if raw else FeedState()
        state.errors = self.errors.get(feed.name, 0)
        return state

    def _save(self, feed: FeedConfig, state: FeedState) -> None:
        self.errors[feed.name] = state.errors
        self.store.set(self._state_key(feed), json.dumps({"etag": state.etag, "last_modified": state.last_modified}),
                       self.ttl)

    def _failed(self, feed: FeedConfig, state: FeedState, outcome: str, reason: str,
                retry_after: float | None = None) -> float:
        state.errors += 1
        self.errors[feed.name] = state.errors
        self.metrics.inc(feed, outcome)
        delay = self.next_delay(feed, state.errors, retry_after)
        logger.warning("feed %s %s (%d in a row; next poll in %.0fs): %s",
                       feed.name, "refused" if outcome == "refused" else "failed", state.errors, delay, reason)
        return delay

    async def poll(self, feed: FeedConfig) -> float:
        """Poll one feed once; returns the seconds to wait before the next poll."""
        state = self._load(feed)
        try:
            response = await self.fetcher.get(feed.url, "feed", state.etag, state.last_modified)
        except Refused as exc:
            return self._failed(feed, state, "refused", str(exc))
        except FetchError as exc:
            return self._failed(feed, state, "error", str(exc), exc.retry_after)
        if response.status == 304:
            self.metrics.inc(feed, "not_modified")
            state.errors = 0
            self._save(feed, state)
            return self.next_delay(feed, 0)
        self.metrics.inc(feed, "fetched")
        try:
            parsed = parse_feed(response.body, response.headers, response.url)
        except ValueError as exc:
            return self._failed(feed, state, "error", f"{feed.url}: {exc}")
        if parsed.warning:
            logger.info("feed %s is malformed but readable: %s", feed.name, parsed.warning)
        claims = self.core.batch()  # URL claims sent in this poll (a feed may list a story twice)
        seen: list[tuple[str, str]] = []
        for item in reversed(parsed.items):  # feeds list the newest first; publish in time order
            seen.append(await self._item(feed, item, claims))
        await self.sink.flush()  # delivered: now record them
        claims.commit()
        for key, signature in seen:
            if key:
                self.store.set(key, signature, self.ttl)
        state.etag, state.last_modified, state.errors = response.etag, response.last_modified, 0
        self._save(feed, state)
        return self.next_delay(feed, 0)

    # ------------------------------------------------------------------ one item

    def _item_key(self, feed: FeedConfig, item: FeedItem, url: str) -> str:
        if item.guid:
            return "ingest:item:" + _sha(f"{feed.url}\n{item.guid}")
        return "ingest:item:" + _sha(canonical_url(url))

    def _needs_page(self, feed: FeedConfig, item: FeedItem) -> bool:
        if feed.full_text == "always":
            return True
        if feed.full_text == "never":
            return False
        return not item.has_content and len(item.text) < self.settings.full_text_min_chars

    async def _item(self, feed: FeedConfig, item: FeedItem, claims: ClaimBatch) -> tuple[str, str]:
        """Publish one item unless seen; returns the item key and signature to record once delivered."""
        url = item.link or (item.guid if item.guid and item.guid.startswith(("http://", "https://")) else None)
        if url is None:
            self.metrics.inc(feed, "error")
            logger.warning("feed %s: item %r has no link; skipped", feed.name, item.guid or item.title[:80])
            return "", ""
        key, signature = self._item_key(feed, item, url), item.signature()
        if self.store.get(key) == signature:
            self.metrics.inc(feed, "duplicate")
            return "", ""
        title, text, published, author = item.title, item.text, item.published_at, item.author
        if self._needs_page(feed, item):
            page = await self._page(feed, url)
            blocked = wall(page.text) if page is not None else None
            if blocked is not None:  # a consent banner or a bot check, not the article: keep the summary
                self.metrics.inc(feed, "wall")
                logger.warning("feed %s: page %s is a wall (%r), not the article; using the feed summary",
                               feed.name, url, blocked)
                page = None
            if page is not None:
                text = page.text
                title = title or page.title or ""
                published = published or page.published_at
                author = author or page.author
        body = text or title
        if not body.strip():
            self.metrics.inc(feed, "error")
            logger.warning("feed %s: item %s has no text; skipped", feed.name, url)
            return key, signature
        article = ArticleIn(
            id=f"{feed.name[:40]}:{_sha(canonical_url(url) + chr(10) + _sha(title + chr(10) + body))[:20]}",
            url=url[:4096], source=feed.name, title=title[:4096], body=body[:2_000_000],
            published_at=published or self.clock(), language=feed.language,
            author=author[:512] if author else None,
        )
        try:
            accepted = claims.check(article)
        except SkipMessage:  # the same story from another feed, or re-listed
            self.metrics.inc(feed, "duplicate")
            return key, signature
        await self.sink.send([Output(RAW, accepted.article.article_id, accepted.article)])
        self.metrics.inc(feed, "update" if accepted.article.update else "new")
        return key, signature

    async def _page(self, feed: FeedConfig, url: str):
        """The article page's text and metadata, or None (the feed's summary is used)."""
        try:
            response = await self.fetcher.get(url, "page")
        except Refused as exc:
            self.metrics.inc(feed, "refused")
            logger.warning("feed %s: page refused; using the feed summary: %s", feed.name, exc)
            return None
        except FetchError as exc:
            self.metrics.inc(feed, "error")
            logger.warning("feed %s: page failed; using the feed summary: %s", feed.name, exc)
            return None
        self.metrics.inc(feed, "page")
        page = await asyncio.to_thread(extract_page, response.body, response.url)
        if page is None:
            logger.info("feed %s: no main text found in %s; using the feed summary", feed.name, url)
        return page
