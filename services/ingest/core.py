"""Ingest core: validate an incoming article, canonicalise it, drop exact re-polls.

No I/O beyond the injected store. ``IngestCore.accept`` returns the
``ArticleIngested`` to publish, or raises ``SkipMessage`` for an article seen
before with the same text (a re-poll). A changed text under the same URL is
published again, marked ``update``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from schemas import ArticleIn, ArticleIngested
from services.extraction.normalize import normalize_plain
from services.runtime.errors import SkipMessage
from services.runtime.store import Store

_TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "igshid", "ocid", "cmpid", "at_medium",
             "at_campaign", "rss", "ref", "ref_src", "spm", "output")
_MOBILE_HOSTS = ("m.", "mobile.", "amp.", "www.")


def canonical_url(url: str) -> str:
    """Scheme and host lower-cased, tracking parameters, fragments, AMP and mobile forms folded."""
    parts = urlsplit(url.strip())
    scheme = "https" if parts.scheme.lower() in ("http", "https") else parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    for prefix in _MOBILE_HOSTS:
        if host.startswith(prefix) and host.count(".") >= 2:
            host = host[len(prefix):]
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    path = parts.path or "/"
    for amp in ("/amp/", "/amp"):
        if path.endswith(amp):
            path = path[: -len(amp)] or "/"
    if path.startswith("/amp/"):
        path = path[4:]
    if len(path) > 1:
        path = path.rstrip("/")
    query = sorted(
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith(_TRACKING) and k.lower() not in ("amp", "outputtype")
    )
    return urlunsplit((scheme, host, path, urlencode(query), ""))


def content_hash(title: str, body: str) -> str:
    """Hash of the normalised text: survives spacing, diacritics and punctuation changes."""
    return hashlib.sha1(normalize_plain(f"{title}\n{body}").encode()).hexdigest()


@dataclass(frozen=True)
class Accepted:
    """An article to publish, and the claim to record once it is delivered."""

    article: ArticleIngested
    key: str
    digest: str


class IngestCore:
    """Two ways in. ``accept`` claims the URL at once (one atomic step: two replicas
    reading one file cannot both publish a line). ``check`` + ``remember`` record the
    claim only after the article was delivered, so a crash in between re-publishes
    it on the next poll or push instead of losing it (at-least-once; dedup drops
    the copy by its URL)."""

    def __init__(self, store: Store, clock: Callable[[], dt.datetime], horizon_s: int) -> None:
        self.store = store
        self.clock = clock
        self.horizon_s = horizon_s

    def _claim_key(self, canonical: str) -> str:
        return "ingest:seen:" + hashlib.sha1(canonical.encode()).hexdigest()

    def _ingested(self, article: ArticleIn, canonical: str, update: bool) -> ArticleIngested:
        return ArticleIngested(
            article_id=article.id,
            url=article.url,
            canonical_url=canonical,
            source=article.source,
            title=article.title,
            body=article.body,
            published_at=article.published_at,
            language=article.language,
            author=article.author,
            ingested_at=self.clock(),
            update=update,
        )

    def accept(self, article: ArticleIn) -> ArticleIngested:
        canonical = canonical_url(article.url)
        digest = content_hash(article.title, article.body)
        key = self._claim_key(canonical)
        previous = self.store.claim(key, digest, self.horizon_s)
        if previous == digest:
            raise SkipMessage(f"exact re-poll of {canonical}")
        if previous is not None:
            self.store.set(key, digest, self.horizon_s)  # the story changed: remember the new text
        return self._ingested(article, canonical, update=previous is not None)

    def check(self, article: ArticleIn) -> Accepted:
        """Like ``accept``, but nothing is recorded until ``remember``."""
        canonical = canonical_url(article.url)
        digest = content_hash(article.title, article.body)
        key = self._claim_key(canonical)
        previous = self.store.get(key)
        if previous == digest:
            raise SkipMessage(f"exact re-poll of {canonical}")
        return Accepted(self._ingested(article, canonical, update=previous is not None), key, digest)

    def remember(self, accepted: Accepted) -> None:
        self.store.set(accepted.key, accepted.digest, self.horizon_s)
