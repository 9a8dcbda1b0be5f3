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


class IngestCore:
    def __init__(self, store: Store, clock: Callable[[], dt.datetime], horizon_s: int) -> None:
        self.store = store
        self.clock = clock
        self.horizon_s = horizon_s

    def accept(self, article: ArticleIn) -> ArticleIngested:
        canonical = canonical_url(article.url)
        digest = content_hash(article.title, article.body)
        key = "ingest:seen:" + hashlib.sha1(canonical.encode()).hexdigest()
        previous = self.store.claim(key, digest, self.horizon_s)
        if previous == digest:
            raise SkipMessage(f"exact re-poll of {canonical}")
        if previous is not None:
            self.store.set(key, digest, self.horizon_s)  # the story changed: remember the new text
        return ArticleIngested(
            article_id=article.id,
            url=article.url,
            canonical_url=canonical,
            source=article.source,
            title=article.title,
            body=article.body,
            published_at=article.published_at,
            language=article.language,
            ingested_at=self.clock(),
            update=previous is not None,
        )
