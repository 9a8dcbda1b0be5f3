"""Ingest core: validate an incoming article, canonicalise it, drop exact re-polls.

No I/O beyond the injected store. ``IngestCore.check`` returns the
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
    """An article is checked against the claim of its canonical URL (``check``: a read,
    safe to retry) and the claim is recorded with ``remember`` only after the article
    was delivered. A crash, or a Redis reply lost in an outage, in between re-publishes
    the article on the next poll, push or replay instead of losing it (at-least-once;
    dedup drops the copy by its URL). A claim written at once and then retried would
    find itself and drop the article: that is why no path claims before delivery."""

    def __init__(self, store: Store, clock: Callable[[], dt.datetime], horizon_s: int) -> None:
        self.store = store
        self.clock = clock
        self.horizon_s = horizon_s

    def _claim_key(self, canonical: str) -> str:
        return "ingest:seen:" + hashlib.sha1(canonical.encode()).hexdigest()

    def claim_of(self, article: ArticleIn) -> tuple[str, str]:
        """An article's canonical URL and the key of its claim."""
        canonical = canonical_url(article.url)
        return canonical, self._claim_key(canonical)

    def check(self, article: ArticleIn, known: tuple[str, str, str | None] | None = None) -> Accepted:
        """The article to publish, or SkipMessage if its URL was seen with the same text.
        ``known``: its canonical URL, claim key and claim as read already (see ``ClaimBatch.prefetch``)."""
        canonical, key, previous = known if known is not None else (*self.claim_of(article), None)
        digest = content_hash(article.title, article.body)
        if known is None:
            previous = self.store.get(key)
        if previous == digest:
            raise SkipMessage(f"exact re-poll of {canonical}")
        ingested = ArticleIngested(
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
            update=previous is not None,
        )
        return Accepted(ingested, key, digest)

    def remember(self, accepted: Accepted) -> None:
        self.store.set(accepted.key, accepted.digest, self.horizon_s)

    def remember_many(self, accepted: list[Accepted]) -> None:
        """``remember`` for each, in one round trip."""
        self.store.set_many([(a.key, a.digest, self.horizon_s) for a in accepted])

    def accept(self, article: ArticleIn) -> ArticleIngested:
        """``check`` and ``remember`` at once: for in-process runs (the offline pipeline)."""
        accepted = self.check(article)
        self.remember(accepted)
        return accepted.article

    def batch(self) -> ClaimBatch:
        return ClaimBatch(self)


class ClaimBatch:
    """Articles sent but not yet known to be delivered: a second copy within the batch is
    a duplicate too; ``commit`` records them all once the producer has flushed."""

    def __init__(self, core: IngestCore) -> None:
        self.core = core
        self.pending: dict[str, Accepted] = {}
        self._known: dict[str, tuple[str, str, str | None]] = {}  # url -> canonical, key, claim

    def prefetch(self, articles: list[ArticleIn]) -> None:
        """Read the claims of articles about to be checked, in one round trip."""
        claims = {a.url: self.core.claim_of(a) for a in articles}
        values = self.core.store.mget([key for _, key in claims.values()])
        self._known.update({url: (c, key, v) for (url, (c, key)), v in zip(claims.items(), values, strict=True)})

    def check(self, article: ArticleIn) -> Accepted:
        accepted = self.core.check(article, self._known.get(article.url))
        held = self.pending.get(accepted.key)
        if held is not None and held.digest == accepted.digest:
            raise SkipMessage(f"exact re-poll of {accepted.article.canonical_url}")
        self.pending[accepted.key] = accepted
        return accepted

    def commit(self) -> None:
        """Record the claims of the articles sent (call after the producer flushed them)."""
        self.core.remember_many(list(self.pending.values()))
        self.pending.clear()
        self._known.clear()  # what was read is out of date now
