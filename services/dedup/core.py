"""Dedup core: enriched articles in, event-cluster reports out. State in a Store.

Article level: an article whose canonical URL another article already holds
is an exact duplicate (the same report again) and yields no event report. An
article with the text of another one but a different URL (syndicated wire
copy) is recorded as ``exact_duplicate`` too, but it is another outlet's
report, so its events count as corroboration.

Event level: every event gets a cluster signature (category, mode group,
actors, place, day). The first report of a signature opens the cluster; each
further report from another article increases its ``revision`` by one.
Registering a report is one atomic step (``Store.register``), so replicas
racing on one cluster cannot both open it, and a redelivered article gets
back the revision it had the first time, so its re-emitted report is
identical: redelivery is harmless.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

from schemas import ArticleEnriched, Corroboration, Event, EventReported, SourceRef
from services.ingest.core import content_hash
from services.runtime.store import Store

_MODE_GROUP = {
    "air_strike": "air", "drone_strike": "air", "missile_strike": "air",
    "rocket_attack": "indirect", "shelling": "indirect",
}


def theatre_country(event: Event) -> str:
    """The country whose conflict an event belongs to: where it happened, else its target's."""
    for candidate in (
        event.location.country if event.location else None,
        event.actor2.country if event.actor2 else None,
        event.actor1.country if event.actor1 else None,
    ):
        if candidate:
            return candidate
    return "XX"


def _party(actor) -> str:
    """Actors compare by state where they have one: reports name the US strike as "the
    United States" or "US forces"; armed groups compare by their own code."""
    if actor is None:
        return "?"
    if actor.kind in ("state_forces", "government") and actor.country:
        return actor.country
    return actor.code


def signature(event: Event) -> str:
    place = ""
    if event.location is not None:
        place = str(event.location.geonameid or event.location.name)
    parts = [
        event.category,
        _MODE_GROUP.get(event.mode or "", event.mode or ""),
        _party(event.actor1),
        _party(event.actor2),
        theatre_country(event),
        place,
        event.occurred_on.isoformat() if event.occurred_on else "",
    ]
    return "|".join(parts)


def cluster_id(sig: str) -> str:
    return "ev-" + hashlib.sha1(sig.encode()).hexdigest()[:16]


def _richness(event: Event) -> tuple:
    return (event.intensity, event.killed or 0, event.injured or 0, len(event.weapons),
            event.location is not None)


def merge(events: list[Event]) -> Event:
    """One event from several reports: the earliest report, with counts and weapons merged."""
    base = events[0].model_copy(deep=True)
    killed = [e.killed for e in events if e.killed is not None]
    injured = [e.injured for e in events if e.injured is not None]
    base.killed = max(killed) if killed else None
    base.injured = max(injured) if injured else None
    base.weapons = sorted({w for e in events for w in e.weapons})
    base.systems = sorted({s for e in events for s in e.systems})
    base.intensity = max(e.intensity for e in events)
    if base.location is None:
        base.location = next((e.location for e in events if e.location is not None), None)
    return base


@dataclass(frozen=True)
class ArticleVerdict:
    status: str  # new | exact_duplicate
    duplicate_of: str | None
    same_url: bool = False  # the duplicate holds this very URL: the same report again


class DedupCore:
    def __init__(self, store: Store, clock: Callable[[], dt.datetime], horizon_s: int) -> None:
        self.store = store
        self.clock = clock
        self.horizon_s = horizon_s

    def article_verdict(self, article: ArticleEnriched) -> ArticleVerdict:
        url_key = "dedup:url:" + hashlib.sha1(article.canonical_url.encode()).hexdigest()
        holder = self.store.claim(url_key, article.article_id, self.horizon_s)
        if holder is not None and holder != article.article_id:
            return ArticleVerdict("exact_duplicate", holder, same_url=True)
        text_key = "dedup:text:" + content_hash(article.title, article.body)
        holder = self.store.claim(text_key, article.article_id, self.horizon_s)
        if holder is not None and holder != article.article_id:
            return ArticleVerdict("exact_duplicate", holder)
        return ArticleVerdict("new", None)

    def process(self, article: ArticleEnriched) -> list[EventReported]:
        verdict = self.article_verdict(article)
        self.store.hset("dedup:articles", article.article_id,
                        json.dumps({"status": verdict.status, "duplicate_of": verdict.duplicate_of}),
                        self.horizon_s)
        if verdict.same_url:
            return []  # the same report again: recorded above, nothing new to say
        # one report per cluster per article: collapse sentences that tell the same event
        by_cluster: dict[str, Event] = {}
        for event in article.events:
            cid = cluster_id(signature(event))
            if cid not in by_cluster or _richness(event) > _richness(by_cluster[cid]):
                by_cluster[cid] = event
        source = SourceRef(article_id=article.article_id, url=article.url, source=article.source,
                           language=article.language, published_at=article.published_at)
        return [self._report(cid, event, source, article) for cid, event in by_cluster.items()]

    def _report(self, cid: str, event: Event, source: SourceRef, article: ArticleEnriched) -> EventReported:
        key = f"dedup:cluster:{cid}"
        self.store.hset(key + ":events", source.article_id, event.model_dump_json(), self.horizon_s)
        self.store.hset(key + ":sources", source.article_id, source.model_dump_json(), self.horizon_s)
        revision, _ = self.store.register(key + ":order", source.article_id, self.horizon_s)
        order = self.store.ordinals(key + ":order")
        members = sorted((n, a) for a, n in order.items() if n <= revision)
        events_raw = self.store.hgetall(key + ":events")
        sources_raw = self.store.hgetall(key + ":sources")
        events = [Event.model_validate_json(events_raw[a]) for _, a in members if a in events_raw]
        sources = [SourceRef.model_validate_json(sources_raw[a]) for _, a in members if a in sources_raw]
        languages = sorted({s.language for s in sources})
        return EventReported(
            event_id=cid,
            status="new" if revision == 1 else "update",
            revision=revision,
            event=merge(events),
            sources=sources,
            corroboration=Corroboration(sources=len({s.source for s in sources}), languages=languages),
            first_seen=min(s.published_at for s in sources),
            updated_at=max(s.published_at for s in sources),
            ingested_at=article.ingested_at,
        )
