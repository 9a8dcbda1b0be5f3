"""Dedup core: enriched articles in, event-cluster reports out. State in a Store.

Article level. An article is one of:

* ``exact_duplicate`` with ``same_url``: its canonical URL is held by another
  article: the same report again. Recorded; it yields no event report.
* ``exact_duplicate``: the text of an earlier article (hash of the normalised
  text) under another URL: syndicated wire copy, another outlet's report.
* ``near_duplicate``: a rewrite of an earlier story, found by MinHash-LSH over
  word shingles (see :mod:`services.dedup.minhash`): a candidate shares an LSH
  band, and its estimated Jaccard index reaches ``near_jaccard`` or the
  containment of the new text in the earlier one reaches ``near_containment``.
* ``new``: the first article of a story. Only these enter the index, so a
  duplicate always points at the first article of its story.

Duplicates are not dropped: their events are further reports of the story's
events (another source, language and time), which is what corroboration counts.

Event level. Each event joins the most compatible event cluster among those of
the same theatre, category and day (±1), or opens one (see
:mod:`services.dedup.clusters`); each report of a cluster produces an
``EventReported`` with the next ``revision``.

Concurrency. Everything one article does is decided from one read
(``Store.gather``) and written in one atomic check-and-write (``Store.apply``)
that first checks that nothing it read has changed: the URL and text claims,
the size of every LSH bucket it looked in, and of every cluster block. If
another replica wrote there in between, the article is read and decided again.
So two replicas racing on two copies of one story cannot both keep it, and two
reports of one event cannot both open a cluster. A redelivered article finds
its own record and gets back exactly the verdict, clusters and revisions it
had the first time: its re-emitted reports are identical.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import OrderedDict
from dataclasses import dataclass

from schemas import ArticleEnriched, Corroboration, Event, EventReported, SourceRef
from services.dedup.clusters import best_cluster, event_day, fill, merge, summary, theatre_country
from services.dedup.minhash import INDEX_VERSION, Fingerprint, fingerprint, similarity
from services.ingest.core import content_hash
from services.runtime.settings import DedupSettings
from services.runtime.store import Check, Gathered, Store, Write

__all__ = ["ArticleVerdict", "ContentionError", "DedupCore", "theatre_country"]

def key_prefix(settings: DedupSettings) -> str:
    """Key names are pinned: they change only with the fingerprint scheme and its
    settings (other settings, another index). The hash tag keeps every dedup key in
    one Redis Cluster slot, as the multi-key scripts need."""
    return (f"dedup:{{dedup}}:{INDEX_VERSION}-p{settings.num_perm}b{settings.bands}"
            f"w{settings.shingle_words}:")


class ContentionError(RuntimeError):
    """Other replicas kept changing what an article depends on; try it again later."""


@dataclass(frozen=True)
class ArticleVerdict:
    status: str  # new | exact_duplicate | near_duplicate
    duplicate_of: str | None = None
    similarity: float | None = None
    story: str = ""  # the first article of the story
    same_url: bool = False  # the duplicate holds this very URL: the same report again

    def to_json(self, article_id: str) -> dict:
        return {"article_id": article_id, "status": self.status, "duplicate_of": self.duplicate_of,
                "similarity": self.similarity}


@dataclass(frozen=True)
class _Plan:
    verdict: ArticleVerdict
    clusters: list[tuple[str, int]]  # (cluster id, index of the event) kept from this article
    summaries: list[tuple[str, str, dict]]  # cluster summaries to write: (block, cluster, summary)
    checks: list[Check]
    fresh: bool  # decided now (False: found in the article's own record)


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()


class DedupCore:
    def __init__(self, store: Store, settings: DedupSettings | None = None) -> None:
        self.store = store
        self.settings = settings or DedupSettings()
        self.ttl = int(self.settings.horizon_days * 86400)
        self._members = _Cache(100_000)
        self.prefix = key_prefix(self.settings)

    # ------------------------------------------------------------------ keys

    def _keys(self, article: ArticleEnriched) -> tuple[str, str, str]:
        """The article's own record, its URL claim and its text claim."""
        return (f"{self.prefix}art:{article.article_id}", f"{self.prefix}url:{_sha1(article.canonical_url)}",
                f"{self.prefix}text:{content_hash(article.title, article.body)}")

    def _blocks(self, article: ArticleEnriched) -> list[tuple[str, list[str]]]:
        """Per event: its own block (theatre, category, day) and the blocks its
        candidates live in (the same, one day either side)."""
        out = []
        for event in article.events:
            day = event_day(event, article.published_at)
            base = f"{self.prefix}block:{theatre_country(event)}:{event.category}:"
            out.append((base + day.isoformat(),
                        [base + (day + dt.timedelta(days=d)).isoformat() for d in (-1, 0, 1)]))
        return out

    # ------------------------------------------------------------------ article level

    def fingerprint(self, article: ArticleEnriched) -> Fingerprint:
        s = self.settings
        return fingerprint(f"{article.title}\n{article.body}", s.shingle_words, s.num_perm)

    def _decide(self, article: ArticleEnriched, fp: Fingerprint, g: Gathered) -> ArticleVerdict:
        url_holder, text_holder = g.gets[1], g.gets[2]
        if url_holder:
            holder, _, story = url_holder.partition("|")
            if holder != article.article_id:
                return ArticleVerdict("exact_duplicate", holder, 1.0, story or holder, same_url=True)
        if text_holder and text_holder != article.article_id:
            return ArticleVerdict("exact_duplicate", text_holder, 1.0, text_holder)
        best: tuple[float, str] | None = None
        for member, encoded in sorted(g.values.items()):
            if member == article.article_id:
                continue
            sim = similarity(fp, Fingerprint.decode(encoded))
            if sim.jaccard >= self.settings.near_jaccard or (
                    sim.containment >= self.settings.near_containment
                    and sim.jaccard >= self.settings.near_containment_min_jaccard):
                score = max(sim.jaccard, sim.containment)
                if best is None or score > best[0]:
                    best = (score, member)
        if best is not None:
            return ArticleVerdict("near_duplicate", best[1], round(best[0], 4), best[1])
        return ArticleVerdict("new", None, None, article.article_id)

    # ------------------------------------------------------------------ event level

    def _assign(self, article: ArticleEnriched, blocks: list[tuple[str, list[str]]],
                hashes: dict[str, dict[str, str]]) -> tuple[list[tuple[str, int]], list[tuple[str, str, dict]]]:
        """Each event to a cluster (events of this article in one cluster collapse into the
        richest of them); and the cluster summaries to write: (block key, cluster, summary)."""
        chosen: dict[str, int] = {}
        known: dict[str, tuple[str, dict]] = {}  # cluster -> (its block, its summary)
        for key, fields in hashes.items():
            for cid, value in fields.items():
                known[cid] = (key, json.loads(value))
        changed: set[str] = set()
        for i, event in enumerate(article.events):
            new = summary(event, article.published_at)
            candidates = [(cid, s) for cid, (key, s) in known.items() if key in blocks[i][1]]
            cid = best_cluster(new, candidates, self.settings.cluster_km)
            if cid is None:
                cid = "ev-" + _sha1(f"{article.article_id}#{i}")[:16]
                known[cid] = (blocks[i][0], new)
                changed.add(cid)
            else:
                updated = fill(known[cid][1], new)
                if updated != known[cid][1]:
                    known[cid] = (known[cid][0], updated)
                    changed.add(cid)
            if cid not in chosen or _richness(event) > _richness(article.events[chosen[cid]]):
                chosen[cid] = i
        clusters = sorted(chosen.items(), key=lambda kv: kv[1])
        return clusters, [(known[cid][0], cid, known[cid][1]) for cid in sorted(changed)]

    # ------------------------------------------------------------------ the step

    def _plan(self, article: ArticleEnriched, keys: tuple[str, str, str], fp: Fingerprint, bands: list[str],
              blocks: list[tuple[str, list[str]]], with_events: bool) -> _Plan:
        art_key, url_key, text_key = keys
        block_keys = sorted({k for _, ks in blocks for k in ks}) if with_events else []
        g = self.store.gather([art_key, url_key, text_key], bands, f"{self.prefix}sig:", block_keys)
        if g.gets[0]:  # redelivered: what was decided then stands
            record = json.loads(g.gets[0])
            verdict = ArticleVerdict(record["status"], record["duplicate_of"], record["similarity"],
                                     record["story"], record["same_url"])
            return _Plan(verdict, [tuple(c) for c in record["clusters"]], [], [], False)
        verdict = self._decide(article, fp, g)
        clusters, summaries = [], []
        if with_events and not verdict.same_url:
            clusters, summaries = self._assign(article, blocks, dict(zip(block_keys, g.hashes, strict=True)))
        checks = [Check("get", (art_key, url_key, text_key), ("", g.gets[1] or "", g.gets[2] or "")),
                  Check("scard", tuple(bands), tuple(len(m) for m in g.sets))]
        if block_keys:
            checks.append(Check("hlen", tuple(block_keys), tuple(len(h) for h in g.hashes)))
        return _Plan(verdict, clusters, summaries, checks, True)

    def _writes(self, article: ArticleEnriched, keys: tuple[str, str, str], plan: _Plan, fp: Fingerprint,
                bands: list[str]) -> list[Write]:
        ttl, aid, v = self.ttl, article.article_id, plan.verdict
        art_key, url_key, text_key = keys
        writes: list[Write] = []
        if plan.fresh:
            record = {"status": v.status, "duplicate_of": v.duplicate_of, "similarity": v.similarity,
                      "story": v.story, "same_url": v.same_url, "clusters": plan.clusters}
            writes.append(Write("set", (art_key,), json.dumps(record), ttl=ttl))
            writes.append(Write("setnx", (url_key,), f"{aid}|{v.story}", ttl=ttl))
            if v.status == "new":
                writes.append(Write("set", (text_key,), aid, ttl=ttl))
                writes.append(Write("set", (f"{self.prefix}sig:{aid}",), fp.encode(), ttl=ttl))
                writes.append(Write("sadd", tuple(bands), aid, ttl=ttl))
        writes += [Write("hset", (key,), cid, json.dumps(s), ttl=ttl) for key, cid, s in plan.summaries]
        source = self._source(article, v)
        for cid, i in plan.clusters:
            event = article.events[i]
            base = f"{self.prefix}cluster:{cid}:"
            self._members.put((cid, aid), (event, source))
            report = json.dumps({"e": event.model_dump(mode="json"), "s": source.model_dump(mode="json")})
            writes += [Write("hset", (base + "reports",), aid, report, ttl=ttl),
                       Write("register", (base + "order",), aid, ttl=ttl),
                       Write("hgetall", (base + "order",))]
        return writes

    def _source(self, article: ArticleEnriched, v: ArticleVerdict) -> SourceRef:
        return SourceRef(article_id=article.article_id, url=article.url, source=article.source,
                         language=article.language, published_at=article.published_at,
                         duplicate_of=v.duplicate_of, similarity=v.similarity)

    def _step(self, article: ArticleEnriched, with_events: bool) -> tuple[ArticleVerdict, list[EventReported]]:
        fp = self.fingerprint(article)
        bands = [f"{self.prefix}band:{i}:{h}" for i, h in enumerate(fp.bands(self.settings.bands))]
        blocks = self._blocks(article) if with_events else []
        keys = self._keys(article)  # hashing the normalised text once, not once per attempt
        for _ in range(self.settings.max_attempts):
            plan = self._plan(article, keys, fp, bands, blocks, with_events)
            writes = self._writes(article, keys, plan, fp, bands)
            results = self.store.apply(plan.checks, writes)
            if results is not None:
                break
        else:
            raise ContentionError(f"article {article.article_id}: state kept changing "
                                  f"over {self.settings.max_attempts} attempts")
        # each cluster's writes end: register, hgetall order
        at = [n for n, w in enumerate(writes) if w.op == "register"]
        reports = [self._report(cid, int(results[n]), results[n + 1], article)
                   for (cid, _), n in zip(plan.clusters, at, strict=True)]
        return plan.verdict, reports

    def verdict(self, article: ArticleEnriched) -> ArticleVerdict:
        """Article level only: decide and record whether the article is new or a duplicate."""
        return self._step(article, with_events=False)[0]

    def process(self, article: ArticleEnriched) -> list[EventReported]:
        """Article and event level: one report per event cluster the article tells of."""
        return self._step(article, with_events=True)[1]

    def process_with_verdict(self, article: ArticleEnriched) -> tuple[ArticleVerdict, list[EventReported]]:
        return self._step(article, with_events=True)

    def _parsed_members(self, cid: str, members: list[str]) -> list[tuple[Event, SourceRef]]:
        """The stored reports of a cluster's members: from this process's cache, and
        from Redis for those another replica wrote."""
        missing = [a for a in members if self._members.get((cid, a)) is None]
        if missing:
            for a, raw in zip(missing, self.store.hmget(f"{self.prefix}cluster:{cid}:reports", missing), strict=True):
                if raw is not None:
                    data = json.loads(raw)
                    self._members.put((cid, a), (Event.model_validate(data["e"]),
                                                 SourceRef.model_validate(data["s"])))
        return [p for a in members if (p := self._members.get((cid, a))) is not None]

    def _report(self, cid: str, revision: int, order: dict[str, str], article: ArticleEnriched) -> EventReported:
        members = [a for _, a in sorted((int(n), a) for a, n in order.items() if int(n) <= revision)]
        parsed = self._parsed_members(cid, members)
        events = [e for e, _ in parsed]
        sources = [s for _, s in parsed]
        return EventReported(
            event_id=cid,
            status="new" if revision == 1 else "update",
            revision=revision,
            event=merge(events),
            sources=sources,
            corroboration=Corroboration(sources=len({s.source for s in sources}),
                                        languages=sorted({s.language for s in sources})),
            first_seen=min(s.published_at for s in sources),
            updated_at=max(s.published_at for s in sources),
            ingested_at=article.ingested_at,
        )


class _Cache:
    """A small LRU map: parsed cluster members, written once and never changed."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._data: OrderedDict = OrderedDict()

    def get(self, key):
        value = self._data.get(key)
        if value is not None:
            self._data.move_to_end(key)
        return value

    def put(self, key, value) -> None:
        self._data[key] = value
        self._data.move_to_end(key)
        if len(self._data) > self.size:
            self._data.popitem(last=False)


def _richness(event: Event) -> tuple:
    return (event.intensity, event.killed or 0, event.injured or 0, len(event.weapons),
            event.location is not None)
