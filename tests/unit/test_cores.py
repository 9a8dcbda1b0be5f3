"""Dedup, alerting and the offline pipeline, on the memory store."""

import datetime as dt

from schemas import Actor, Event, Location
from services.alerting.core import AlertingCore
from services.dedup.core import DedupCore
from services.extraction.core import Extractor
from services.ingest.core import IngestCore, canonical_url
from services.pipeline import Pipeline
from services.runtime.errors import SkipMessage
from services.runtime.settings import AlertingSettings, load_settings
from services.runtime.store import MemoryStore

from .conftest import UTC3, article

T0 = dt.datetime(2023, 10, 27, 7, 0, tzinfo=UTC3)
EXTRACTOR = Extractor()
AR = ("شنت القوات الأمريكية فجر اليوم غارات جوية على مخازن يستخدمها الحرس الثوري الإيراني "
      "قرب مدينة البوكمال شرقي سوريا.")
EN = ("US forces carried out airstrikes on depots used by Iran's Revolutionary Guards near "
      "Albukamal in eastern Syria early on Friday.")


def enrich(article_id, body, when, source="Test Wire", url=None):
    return EXTRACTOR.process(article(article_id, body, when, source=source, url=url))


def test_canonical_url_drops_tracking_and_mobile_forms():
    assert canonical_url("HTTP://m.Example.com/news/1/amp/?utm_source=x&b=2&a=1#top") == \
        "https://example.com/news/1?a=1&b=2"


def test_ingest_drops_exact_repolls_and_marks_updates():
    from schemas import ArticleIn

    core = IngestCore(MemoryStore(), lambda: T0, 3600)
    a = ArticleIn(id="1", url="https://x.example/a", source="x", body="text one", published_at=T0)
    assert core.accept(a).update is False
    try:
        core.accept(a)
        raise AssertionError("a re-poll must be skipped")
    except SkipMessage:
        pass
    changed = a.model_copy(update={"body": "text two"})
    assert core.accept(changed).update is True


def test_claims_read_ahead_for_a_chunk_decide_as_one_at_a_time():
    from schemas import ArticleIn

    def articles(n):
        return [ArticleIn(id=f"{i}", url=f"https://x.example/{i % 5}?utm_source=feed", source="x",
                          body=f"text {i % 3}", published_at=T0) for i in range(n)]

    def run(prefetch):
        core = IngestCore(MemoryStore(), lambda: T0, 3600)
        outcomes = []
        for round_ in range(3):  # each round re-polls what the rounds before sent
            claims = core.batch()
            chunk = articles(12 + round_)
            if prefetch:
                claims.prefetch(chunk)
            for a in chunk:
                try:
                    outcomes.append(claims.check(a).article.update)
                except SkipMessage:
                    outcomes.append("skip")
            claims.commit()
        return outcomes

    assert run(prefetch=True) == run(prefetch=False)
    assert "skip" in run(True) and True in run(True)


def test_arabic_and_english_reports_of_one_strike_form_one_cluster():
    core = DedupCore(MemoryStore())
    [first] = core.process(enrich("ar", AR, T0, "Furat"))
    [second] = core.process(enrich("en", EN, T0 + dt.timedelta(hours=1), "Levant Wire"))
    assert first.event_id == second.event_id
    assert (first.status, second.status) == ("new", "update")
    assert second.revision == 2
    assert second.corroboration.sources == 2 and second.corroboration.languages == ["ar", "en"]
    assert second.first_seen == T0


def test_redelivered_article_gives_the_identical_report():
    core = DedupCore(MemoryStore())
    a = enrich("ar", AR, T0)
    first = core.process(a)
    core.process(enrich("en", EN, T0 + dt.timedelta(hours=1), "Levant Wire"))
    assert core.process(a) == first  # same revision, same sources: harmless to send again


def test_same_url_twice_is_an_exact_duplicate_without_events():
    core = DedupCore(MemoryStore())
    assert core.process(enrich("a", AR, T0, url="https://x.example/1"))
    assert core.process(enrich("b", AR + " ", T0, url="https://x.example/1")) == []


def _event(a1, a2, country="SY", mode="shelling", intensity=7, killed=None, category="ASSAULT"):
    return Event(category=category, mode=mode, intensity=intensity, killed=killed,
                 actor1=Actor(code=a1, name=a1, country=a1[:2], kind="state_forces") if a1 else None,
                 actor2=Actor(code=a2, name=a2, country=a2[:2], kind="state_forces") if a2 else None,
                 location=Location(name="x", country=country, precision="country"),
                 weapons=["artillery"])


def _report(event_id, event, when, revision=1):
    from schemas import Corroboration, EventReported, SourceRef

    src = SourceRef(article_id=f"{event_id}-{revision}", url="https://x", source=f"s{revision}",
                    language="en", published_at=when)
    return EventReported(event_id=event_id, status="new" if revision == 1 else "update",
                         revision=revision, event=event, sources=[src],
                         corroboration=Corroboration(sources=revision, languages=["en"]),
                         first_seen=when, updated_at=when)


def test_first_attack_of_a_dyad_alerts_once_and_later_reports_revise_it():
    core = AlertingCore(MemoryStore(), AlertingSettings())
    [alert] = core.process(_report("e1", _event("SYR", "TUR"), T0))
    assert "NEW_DYAD" in alert.reasons and alert.revision == 1
    [revised] = core.process(_report("e1", _event("SYR", "TUR"), T0, revision=2))
    assert revised.alert_id == alert.alert_id and revised.revision == 2
    assert core.process(_report("e1", _event("SYR", "TUR"), T0, revision=2)) == [revised]  # redelivery
    assert core.process(_report("e1", _event("SYR", "TUR"), T0, revision=1)) == []  # stale


def test_routine_daily_shelling_after_warmup_stays_below_severity_3():
    settings = AlertingSettings(warmup_until=T0 + dt.timedelta(days=3))
    core = AlertingCore(MemoryStore(), settings)
    raised = []
    for day in range(17):
        when = T0 + dt.timedelta(days=day)
        raised += core.process(_report(f"d{day}", _event("SYR", "SDF"), when))
    assert [a for a in raised if a.severity >= 3] == []


def test_warmup_builds_state_without_alerting():
    settings = AlertingSettings(warmup_until=T0 + dt.timedelta(days=1))
    core = AlertingCore(MemoryStore(), settings)
    assert core.process(_report("w1", _event("SYR", "TUR"), T0)) == []
    # the dyad is known from the warm-up, so its next attack is not NEW_DYAD
    later = core.process(_report("w2", _event("SYR", "TUR"), T0 + dt.timedelta(days=2)))
    assert all("NEW_DYAD" not in a.reasons for a in later)


def test_mass_casualty_and_intensity_jump_are_flagged():
    core = AlertingCore(MemoryStore(), AlertingSettings())
    core.process(_report("m1", _event("SYR", "TUR", intensity=6), T0))
    [alert] = core.process(_report("m2", _event("SYR", "TUR", intensity=8, killed=25),
                                   T0 + dt.timedelta(hours=5)))
    assert {"MASS_CASUALTY", "INTENSITY_JUMP"} <= set(alert.reasons)
    assert alert.severity >= 4


def test_an_unknown_plural_toll_is_not_a_mass_casualty():
    core = AlertingCore(MemoryStore(), AlertingSettings())
    core.process(_report("v1", _event("SYR", "TUR", intensity=6), T0))
    vague = _event("SYR", "TUR", intensity=6, killed=10).model_copy(update={"killed_vague": True})
    assert core.process(_report("v2", vague, T0 + dt.timedelta(hours=5))) == []
    counted = vague.model_copy(update={"killed_vague": False})
    [alert] = core.process(_report("v3", counted, T0 + dt.timedelta(hours=6)))
    assert "MASS_CASUALTY" in alert.reasons


def test_a_ceasefire_raises_nothing():
    core = AlertingCore(MemoryStore(), AlertingSettings())
    truce = _event("SYR", "TUR", mode="ceasefire", intensity=1, category="DEESCALATE")
    assert core.process(_report("c1", truce, T0)) == []


def test_history_recalled_by_a_report_raises_nothing_and_enters_no_window():
    store = MemoryStore()
    core = AlertingCore(store, AlertingSettings())
    old = _event("SYR", "TUR", killed=30).model_copy(update={"occurred_on": (T0 - dt.timedelta(days=200)).date()})
    assert core.handle(_report("h1", old, T0)) == []
    assert core.history("h1", old, T0) == []
    # the same strike reported as news still raises its alerts: nothing of the recalled one is in the way
    recent = old.model_copy(update={"occurred_on": (T0 - dt.timedelta(days=2)).date()})
    [alert] = core.handle(_report("h2", recent, T0 + dt.timedelta(hours=1)))
    assert {"NEW_DYAD", "MASS_CASUALTY"} <= set(alert.reasons)


def test_pipeline_is_deterministic_and_alerts_on_the_bundled_feed(sample_output, sample_alerts):
    from services.demo import sample_feed

    again = list(Pipeline(load_settings()).run_file(sample_feed()))
    assert [m.model_dump_json() for m in again] == [m.model_dump_json() for m in sample_output]
    strikes = [a for a in sample_alerts if a.event.mode == "air_strike" and a.theatre.country == "SY"
               and a.event.actor1.country == "US"]
    assert strikes and max(a.severity for a in strikes) >= 4
    final = max(strikes, key=lambda a: a.revision)
    assert final.revision >= 2 and set(final.corroboration.languages) == {"ar", "en"}
    assert len({a.alert_id for a in strikes}) == 1


def test_the_kafka_bench_finds_a_messages_article_as_parsing_it_would():
    import json

    from schemas import encode
    from services.bench_kafka import _article_of

    core = DedupCore(MemoryStore())
    messages = []
    for i, body in enumerate((AR, AR + " وأضاف المصدر أن الغارات استمرت ساعتين.")):
        a = enrich(f"a{i}", body, T0 + dt.timedelta(hours=i))
        messages += [encode(a), *(encode(r) for r in core.process(a))]
    assert any(json.loads(m)["type"] == "event" and len(json.loads(m)["sources"]) == 2 for m in messages)
    for m in messages:
        d = json.loads(m)
        assert _article_of(m) == (d["sources"][-1]["article_id"] if d["type"] == "event" else d["article_id"])
    assert _article_of(b"not json") is None and _article_of(None) is None


def test_the_kafka_bench_tracker_times_an_article_at_the_first_commit_past_all_its_messages():
    from services.bench_kafka import Tracker

    t = Tracker.__new__(Tracker)  # its bookkeeping only: no broker
    t.owner, t.articles, t.last_offset, t.commits = {}, {}, {}, []
    for where, article_id in [(("e", 0, 0), "a"), (("v", 1, 0), "a"), (("e", 0, 1), "b"), (("e", 1, 0), "c")]:
        t.owner[where] = article_id
        t.articles.setdefault(article_id, []).append(where)
        t.last_offset[where[:2]] = max(t.last_offset.get(where[:2], -1), where[2])
    t.commits = [(1.0, {("e", 0): 1}), (2.0, {("e", 0): 2, ("v", 1): 1}), (3.0, {("e", 0): 2, ("v", 1): 1})]
    assert t.arrival_times() == [2.0, 2.0]  # a and b at 2.0; c never
    assert not t.arrived(3)
    t.commits.append((4.0, {("e", 0): 2, ("v", 1): 1, ("e", 1): 1}))
    assert t.arrival_times() == [2.0, 2.0, 4.0] and t.arrived(3)
