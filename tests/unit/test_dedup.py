"""Dedup: fingerprints, the article-level decision, event clusters, on the memory store."""

import datetime as dt
import random

import numpy as np
import pytest

from schemas import Actor, Event, Location
from services.dedup.clusters import merge, score, summary
from services.dedup.core import DedupCore
from services.dedup.minhash import fingerprint, similarity
from services.evaluate.dedup import article, rewrite
from services.runtime.settings import DedupSettings
from services.runtime.store import MemoryStore
from services.runtime.walls import wall

T0 = dt.datetime(2024, 2, 3, 8, 0, tzinfo=dt.UTC)

STORY_EN = "\n".join([
    "US military aircraft struck positions of an Iran-backed militia near Al Bukamal in eastern Syria overnight.",
    "The Pentagon said the raids hit a weapons depot and a command post used to plan attacks on US troops.",
    "A war monitor based in Britain said at least six fighters were killed and several others wounded.",
    "The strikes came days after a drone attack on a US base in Jordan killed three American soldiers.",
    "Washington has vowed further action against groups it holds responsible for more than 160 attacks.",
    "Iraqi officials condemned the raids as a violation of sovereignty and called for restraint on all sides.",
])
OTHER_EN = "\n".join([
    "Heavy rain flooded streets in the port city on Tuesday, cutting power to thousands of homes.",
    "Emergency crews pumped water from tunnels while schools in low-lying districts stayed closed.",
    "Forecasters said more storms were expected through the weekend along the northern coast.",
    "The mayor said the drainage network had been upgraded last year but could not cope with the volume.",
])
STORY_AR = ("أعلنت وزارة الدفاع أن طائرات حربية شنت فجر اليوم غارات على مواقع للمسلحين قرب المدينة الحدودية. "
            "وقالت مصادر محلية إن الغارات أسفرت عن مقتل ستة مسلحين وإصابة آخرين بجروح مختلفة. "
            "وأضافت المصادر أن الطائرات استهدفت مستودعا للأسلحة ومقرا للقيادة في أطراف المدينة. "
            "وتأتي هذه الضربات بعد أيام من هجوم بطائرة مسيرة على قاعدة عسكرية أسفر عن سقوط قتلى. "
            "ودعت الحكومة إلى ضبط النفس وعدم التصعيد في المنطقة.")


def test_rewrites_are_near_duplicates_and_other_stories_are_not():
    rng = random.Random(3)
    base = fingerprint(STORY_EN)
    for _ in range(10):
        title, body = rewrite("US strikes militia in Syria", STORY_EN, "en", rng)
        sim = similarity(fingerprint(f"{title}\n{body}"), base)
        assert sim.jaccard >= 0.5 or sim.containment >= 0.8, sim
    assert similarity(fingerprint(OTHER_EN), base).jaccard < 0.1


@pytest.mark.parametrize("size", [0, 1, 7, 400, 5000])
def test_signature_is_datasketch_minhash(size):
    """The array-at-once signature equals datasketch's own (pinned scheme, seed and permutations)."""
    from datasketch import MinHash

    from services.dedup.minhash import _permutations, signature

    hashes = np.random.default_rng(size).integers(0, 2**32, size, dtype=np.uint64).astype(np.uint32)
    expected = MinHash(num_perm=128, seed=1, scheme="affine32", hashfunc=int, permutations=_permutations(128))
    if size:
        expected.update_batch(hashes.tolist())
    assert np.array_equal(signature(hashes, 128), expected.hashvalues.astype("<u4"))


def test_words_are_the_folded_word_runs():
    import re

    from services.dedup.minhash import words
    from services.extraction.normalize import fold_words

    for text in (STORY_EN, STORY_AR, "Al-Ḩawījah’s strike_team ٣٤ 😀 x—y", "Ｆｕｌｌ width ١٢٣ ـــ"):
        assert words(text) == re.findall(r"\w+", fold_words(text))


@pytest.mark.parametrize("text", [STORY_EN, STORY_AR, "Al-Ḩawījah’s strike_team ٣٤ 😀 x—y", "Ｆｕｌｌ width ١٢٣ ـــ",
                                  "ﻻ ﷲ ligatures", "", "  -- ", "a", "-a-", "x" * 300 + " y"])
def test_word_hashes_hash_each_word_alone(text):
    """One hash per word of ``words`` (the array-at-once path and the fallback for
    ligatures and characters beyond the BMP alike), and a word hashes the same wherever
    it stands: alone, or between other words and separators."""
    from services.dedup.minhash import word_hashes, words

    tokens, hashes = words(text), word_hashes(text)
    assert len(hashes) == len(tokens)
    for token, h in zip(tokens, hashes, strict=True):
        assert word_hashes(token).tolist() == [h]
        assert word_hashes(f"x {token}-y").tolist()[1] == h
    assert len(set(word_hashes("strike strikes struck trike kirtse").tolist())) == 5


def test_a_batch_of_texts_fingerprints_as_each_text_alone():
    """Word hashes, shingles, signatures and band keys of many texts at once equal those of
    each text alone by the plain definitions (shingle set, then datasketch's signature):
    short texts, empty ones and the ligature and beyond-the-BMP fallbacks included."""
    from services.dedup.minhash import (
        Fingerprint,
        batch_bands,
        batch_fingerprints,
        batch_word_hashes,
        shingle_hashes,
        signature,
        word_hashes,
    )

    rng = random.Random(5)
    pool = (STORY_EN + " " + STORY_AR + " " + OTHER_EN).split()
    texts = [" ".join(rng.choices(pool, k=rng.choice([0, 1, 2, 3, 5, 40, 400]))) for _ in range(60)]
    texts += ["", "  -- ", "ﻻ ﷲ ligatures here", "drone 😀 strike on Erbil", "x" * 300 + " y"]
    rng.shuffle(texts)
    hashes, offsets = batch_word_hashes(texts)
    fingerprints = batch_fingerprints(hashes, offsets, 3, 128)
    for k, text in enumerate(texts):
        alone = word_hashes(text)
        assert hashes[offsets[k]:offsets[k + 1]].tolist() == alone.tolist()
        shingled = shingle_hashes(alone, 3)
        assert fingerprints[k].size == len(shingled)
        assert np.array_equal(fingerprints[k].signature, signature(shingled, 128))
    assert batch_bands(fingerprints, 32) == [Fingerprint(f.size, f.signature.copy()).bands(32) for f in fingerprints]


def test_arabic_spelling_variants_do_not_hide_a_copy():
    variant = STORY_AR.replace("ة ", "ه ").replace("أ", "ا").replace("إ", "ا").replace("ى ", "ي ")
    assert similarity(fingerprint(variant), fingerprint(STORY_AR)).jaccard == 1.0


def test_containment_runs_from_the_new_text_to_the_old():
    trimmed = "\n".join(STORY_EN.split("\n")[:3])
    roundup = STORY_EN + "\n" + OTHER_EN
    assert similarity(fingerprint(trimmed), fingerprint(STORY_EN)).containment > 0.9
    assert similarity(fingerprint(roundup), fingerprint(STORY_EN)).containment < 0.7


def test_article_statuses_and_what_they_point_at():
    core = DedupCore(MemoryStore())
    first = article("a1", "US strikes militia", STORY_EN, "en", T0, "wire", "https://wire.example/1")
    assert core.verdict(first).status == "new"
    same_url = article("a2", "US strikes militia", STORY_EN + " ", "en", T0, "wire", "https://wire.example/1")
    v = core.verdict(same_url)
    assert (v.status, v.duplicate_of, v.same_url) == ("exact_duplicate", "a1", True)
    copy = article("a3", "US strikes militia", STORY_EN, "en", T0, "paper", "https://paper.example/x")
    assert core.verdict(copy).status == "exact_duplicate"
    title, body = rewrite("US strikes militia", STORY_EN, "en", random.Random(1))
    near = core.verdict(article("a4", title, body, "en", T0, "blog", "https://blog.example/y"))
    assert (near.status, near.duplicate_of) == ("near_duplicate", "a1") and near.similarity >= 0.5
    # a copy of a copy points at the first article of the story
    again = core.verdict(article("a5", title, body, "en", T0, "blog2", "https://blog2.example/z"))
    assert again.duplicate_of == "a1"
    assert core.verdict(article("a6", "Floods", OTHER_EN, "en", T0)).status == "new"
    # a redelivered article gets the verdict it had
    assert core.verdict(article("a4", title, body, "en", T0, "blog", "https://blog.example/y")) == near


WALL_DE = ("Wir setzen auf unserer Website Cookies und andere Technologien ein, um Ihnen den vollen "
           "Funktionsumfang unseres Angebotes anzubieten. Sie können auch zu Analysezwecken gesetzt werden.")


def test_pages_behind_one_wall_are_not_one_story():
    core = DedupCore(MemoryStore())
    one = core.verdict(article("w1", "", "Trompete trifft Piano\n" + WALL_DE, "de", T0, "tv", "https://tv.example/1"))
    two = core.verdict(article("w2", "", "Wagen kollidiert mit Lkw\n" + WALL_DE, "de", T0, "tv", "https://tv.example/2"))
    same = core.verdict(article("w3", "", "Wagen kollidiert mit Lkw\n" + WALL_DE, "de", T0, "tv", "https://tv.example/2"))
    assert (one.status, two.status) == ("new", "new")
    assert (same.status, same.duplicate_of) == ("exact_duplicate", "w2")  # its URL is still its URL


@pytest.mark.parametrize("text, phrase", [
    ("Przykro nam, ale z adresu IP odnotowaliśmy ogromną ilość połączeń. Zaznacz NIE JESTEM ROBOTEM.",
     "nie jestem robotem"),
    ("This website uses cookies to improve your experience. Accept all cookies", "this website uses cookies"),
    ("يستخدم هذا الموقع ملفات تعريف الارتباط لتحسين تجربتك.", "ملفات تعريف الارتباط"),
    ("Please enable JavaScript in your browser to continue.", "enable javascript in your browser"),
])
def test_a_short_wall_text_is_told_by_its_phrase(text, phrase):
    assert wall(text) == phrase


def test_an_article_is_no_wall():
    assert wall(STORY_EN) is None
    # a long article that ends with a cookie notice left in by the page extractor
    assert wall(STORY_EN * 4 + " We use cookies to improve your experience.") is None


def test_an_article_id_reused_for_another_url_is_refused_not_taken_for_a_redelivery():
    core = DedupCore(MemoryStore())
    core.process(article("x1", "US strikes militia", STORY_EN, "en", T0, "wire", "https://wire.example/1"))
    with pytest.raises(ValueError, match="already used"):
        core.process(article("x1", "Floods", OTHER_EN, "en", T0, "paper", "https://paper.example/2"))


def _event(a1=None, a2=None, place=None, mode="air_strike", day=T0.date(), killed=None):
    names = {"Al Bukamal": (174448, 34.45226, 40.91854, "07"), "Al Mayadin": (173480, 35.01982, 40.45154, "07"),
             "Hajin": (173000, 34.6939, 40.8317, "07")}
    loc = None
    if place in names:
        gid, lat, lon, adm = names[place]
        loc = Location(name=place, geonameid=gid, lat=lat, lon=lon, country="SY", admin1=adm, precision="city")
    elif place == "Hajin district":  # (a district at its seat, as districts.yaml places one)
        loc = Location(name=place, lat=34.6939, lon=40.8317, country="SY", admin1="07", precision="district")
    elif place == "Deir ez-Zor province":
        loc = Location(name=place, country="SY", admin1="07", precision="admin1")

    def actor(code):
        if code is None:
            return None
        return Actor(code=code, name=code, country=code.split(":")[0][:2], kind="state_forces")
    return Event(category="ASSAULT", mode=mode, actor1=actor(a1), actor2=actor(a2), location=loc,
                 occurred_on=day, killed=killed, intensity=6)


def test_cluster_compatibility():
    ours = summary(_event("US:MIL", None, "Al Bukamal"), T0)
    assert score(summary(_event(None, None, "Al Bukamal"), T0), ours) is not None  # the same town
    assert score(summary(_event("US:MIL", None, "Al Mayadin"), T0), ours) is None  # another town, 80 km away
    assert score(summary(_event("US:MIL", None, "Hajin"), T0), ours) is not None  # 28 km: one place
    assert score(summary(_event(None, None, "Hajin district"), T0), ours) is not None  # a district around it
    assert score(summary(_event(None, None, "Hajin district"), T0),
                 summary(_event(None, None, "Al Mayadin"), T0)) is None  # a town 50 km from its seat
    assert score(summary(_event("US:MIL", None, "Deir ez-Zor province"), T0), ours) is not None  # province + side
    assert score(summary(_event(None, None, "Deir ez-Zor province"), T0), ours) is None  # a province alone
    assert score(summary(_event("RU:MIL", None, "Al Bukamal"), T0), ours) is None  # another attacker
    assert score(summary(_event("US:MIL", None, "Al Bukamal", mode="shelling"), T0), ours) is None
    later = _event("US:MIL", None, "Al Bukamal", day=T0.date() + dt.timedelta(days=2))
    assert score(summary(later, T0), ours) is None


def test_merge_takes_what_most_reports_say():
    merged = merge([_event("US:MIL", None, "Deir ez-Zor province", killed=4),
                    _event("US:MIL", "IQ:KH", "Al Bukamal", killed=6),
                    _event(None, "IQ:KH", "Al Bukamal", killed=6)])
    assert merged.location.name == "Al Bukamal" and merged.killed == 6
    assert merged.actor1.code == "US:MIL" and merged.actor2.code == "IQ:KH"


def test_a_merged_toll_is_vague_only_if_no_report_counted_it():
    vague = _event("US:MIL", None, "Al Bukamal", killed=10).model_copy(update={"killed_vague": True})
    counted = vague.model_copy(update={"killed_vague": False})
    assert merge([vague, vague]).killed_vague is True
    assert merge([vague, counted, vague]).killed_vague is False
    assert (merge([vague, vague.model_copy(update={"killed": 4, "killed_vague": False})]).killed,
            merge([vague]).injured_vague) == (10, False)


@pytest.mark.parametrize("prefer", [None, len])
def test_votes_keep_the_leader_the_rule_picks(prefer):
    """The leader kept vote by vote is the winner the rule picks from all votes at once:
    most votes; then (with ``prefer``) the best-preferred occurrence; then the earliest."""
    from services.dedup.clusters import _Votes

    rng = random.Random(11)
    for _ in range(300):
        values = [rng.choice(["a", "bb", "A", "ccc", "BB", None]) for _ in range(rng.randint(1, 12))]
        votes = _Votes(key=str.lower, prefer=prefer)
        for i, value in enumerate(values):
            votes.add(value, i)
            seen = [(j, v) for j, v in enumerate(values[:i + 1]) if v is not None]
            if not seen:
                assert votes.winner() is None
                continue
            groups: dict = {}
            for j, v in seen:
                groups.setdefault(v.lower(), []).append((j, v))
            def rank(group):
                best = max(group, key=lambda jv: (prefer(jv[1]), -jv[0])) if prefer else group[0]
                return (len(group), prefer(best[1]), -best[0]) if prefer else (len(group), -best[0]), best[1]
            assert votes.winner() == max(rank(g) for g in groups.values())[1]


def test_a_tally_kept_report_by_report_is_the_merge_of_all_so_far():
    from services.dedup.clusters import Tally

    reports = [_event(None, "IQ:KH", "Al Bukamal", killed=2), _event("US:MIL", None, "Deir ez-Zor province", killed=4),
               _event("US:MIL", "IQ:KH", "Al Bukamal", killed=4), _event("US:MIL", None, "Hajin", mode="shelling"),
               _event(None, None, "Al Bukamal", killed=2)]
    tally = Tally()
    for n, report in enumerate(reports, 1):
        tally.add(report)
        assert tally.merged() == merge(reports[:n])
    assert tally.merged().killed == 4  # 2 and 4 twice each: the higher figure
    assert tally.merged().location.name == "Al Bukamal"


def _story_pair(prefix: str, seed: int, language: str = "en"):
    """One strike's report and a rewrite of it an hour later from another outlet (in ``language``)."""
    ev = _event("US:MIL", None, "Al Bukamal")
    first = article(f"{prefix}1", "US strikes", STORY_EN, "en", T0, "wire").model_copy(update={"events": [ev]})
    title, body = rewrite("US strikes", STORY_EN, "en", random.Random(seed))
    second = article(f"{prefix}2", title, body, language, T0 + dt.timedelta(hours=1), "paper").model_copy(
        update={"events": [ev]})
    return first, second


def test_reports_of_a_near_duplicate_corroborate_the_story():
    core = DedupCore(MemoryStore())
    first, second = _story_pair("b", 2)
    [r1] = core.process(first)
    verdict, [r2] = core.process_with_verdict(second)
    assert verdict.status == "near_duplicate"
    assert r1.event_id == r2.event_id and (r2.revision, r2.corroboration.sources) == (2, 2)
    assert r2.sources[1].duplicate_of == "b1"
    assert core.process(second) == [r2]  # redelivery: the identical report


def test_a_cluster_opened_earlier_in_a_chunk_is_not_read_back_whole():
    """Two reports of one new event decided in one chunk: the second merges on top of what
    the first merged, without reading the cluster's members back from the store."""
    class Counting(MemoryStore):
        def __init__(self) -> None:
            super().__init__()
            self.reads = 0

        def sequence(self, key: str, start: int = 0) -> list[str]:
            self.reads += 1
            return super().sequence(key, start)

    store = Counting()
    first, second = _story_pair("c", 3)
    [(_, [r1]), (_, [r2])] = DedupCore(store).process_batch([first, second])
    assert r1.event_id == r2.event_id and (r2.revision, r2.corroboration.sources) == (2, 2)
    assert store.reads == 0


def test_a_report_lists_the_first_and_latest_sources_and_counts_them_all():
    from services.runtime.settings import DedupSettings

    core = DedupCore(MemoryStore(), DedupSettings(max_sources=6))
    ev = _event("US:MIL", None, "Al Bukamal")
    reports = []
    for i in range(10):
        title, body = rewrite("US strikes", STORY_EN, "en", random.Random(i))
        a = article(f"s{i}", title, body, "en", T0 + dt.timedelta(minutes=i), f"outlet{i}")
        reports += core.process(a.model_copy(update={"events": [ev]}))
    last = reports[-1]
    assert len({r.event_id for r in reports}) == 1
    assert (last.revision, last.corroboration.sources) == (10, 10)
    assert [s.article_id for s in last.sources] == ["s0", "s1", "s2", "s7", "s8", "s9"]
    assert (last.first_seen, last.updated_at) == (T0, T0 + dt.timedelta(minutes=9))


def _stream(n: int, seed: int = 5):
    """Stories, their rewrites and exact copies, each with events of its own place and day,
    some arriving twice (redelivery)."""
    rng = random.Random(seed)
    texts = [(STORY_EN, "en"), (OTHER_EN, "en"), (STORY_AR, "ar")]
    places = ["Al Bukamal", "Hajin", "Al Mayadin", "Deir ez-Zor province", None]
    out = []
    for i in range(n):
        text, lang = texts[i % 3]
        story = i % 9  # nine stories: three texts, each on three days
        title, body = rewrite(f"Story {story}", text, lang, rng) if i >= 9 else (f"Story {story}", text)
        day = T0.date() + dt.timedelta(days=story // 3)
        events = [_event(rng.choice(["US:MIL", None]), None, rng.choice(places), day=day, killed=rng.choice([None, 4]))
                  for _ in range(rng.randint(0, 3))]
        a = article(f"s{i}", title, body, lang, T0 + dt.timedelta(minutes=i), f"src{i % 4}",
                    f"https://src{i % 4}.example/{story}/{i % 5}").model_copy(update={"events": events})
        out.append(a)
        if rng.random() < 0.1:
            out.append(a)
        if rng.random() < 0.15:  # wire copy: another outlet, the same text
            out.append(a.model_copy(update={"article_id": f"s{i}-copy", "source": "copier",
                                            "url": f"https://copier.example/{i}",
                                            "canonical_url": f"https://copier.example/{i}"}))
    return out


def test_a_batch_decides_exactly_as_one_article_at_a_time():
    stream = _stream(80)
    single = DedupCore(MemoryStore())
    expected = [single.process_with_verdict(a) for a in stream]
    batched = DedupCore(MemoryStore(), DedupSettings(chunk_size=4))  # a batch decided in chunks
    got = []
    for i in range(0, len(stream), 13):  # copies of one story, and redeliveries, inside one batch and chunk
        got += batched.process_batch(stream[i:i + 13])
    assert [v for v, _ in got] == [v for v, _ in expected]
    assert [r for _, r in got] == [r for _, r in expected]
    statuses = {v.status for v, _ in expected}
    assert statuses == {"new", "exact_duplicate", "near_duplicate"}  # the stream exercises every path
    assert sum(r.revision > 1 for _, rs in expected for r in rs) > 10


def test_replicas_and_a_cold_merge_cache_report_as_one_core():
    """Each report merges the members its process has not merged yet, read from the
    cluster's sequence: a replica that lags behind another, or that forgot its merges,
    reports exactly as a single core that saw everything."""
    stream = _stream(80, seed=11)
    stream += stream[:12]  # delivered again long after: each report as it was at its revision
    single = DedupCore(MemoryStore())
    expected = [r for a in stream for r in single.process(a)]
    shared = MemoryStore()
    replicas = [DedupCore(shared), DedupCore(shared)]
    forgetful = DedupCore(MemoryStore())
    forgetful._tallies.size = 1  # evicted between the write's plan and its report, most of the time
    got, cold = [], []
    for i in range(0, len(stream), 5):
        for a in stream[i:i + 5]:
            got += replicas[(i // 5) % 2].process(a)
        for _, rs in forgetful.process_batch(stream[i:i + 5]):
            cold += rs
    assert got == expected and cold == expected
    assert max(r.revision for r in expected) >= 5
