"""Language identification against the labelled data sets' own language labels.

Every text of the external data sets whose language is known (SemEval-2022 pairs
in ten languages, some machine-translated, FigNews posts in five,
OEDA and SaudiNewsNet Arabic, ACLED, CASE and the Syrian war news English) goes
through the identifier the extraction core uses. A text is identified right when
the identifier names its language, or, for a language the coder neither reads
nor lists as a neighbour, names anything but Arabic or English (it is passed on
with no events, which is what matters). Reported per data set: accuracy, the
share decided from the script and English function words without the detector,
and how many of those quick decisions were wrong.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from services.extraction.language import (
    MIN_LETTERS,
    NEIGHBOURS,
    SAMPLE_CHARS,
    SUPPORTED,
    _unmistakable,
    count_letters,
    language_identifier,
)
from services.runtime.errors import InputError

_FIGNEWS = {"Arabic": "ar", "English": "en", "Hebrew": "he", "French": "fr", "Hindi": "hi"}
_NEIGHBOUR_CODES = {"FRENCH": "fr", "SPANISH": "es", "GERMAN": "de", "ITALIAN": "it", "PORTUGUESE": "pt",
                    "TURKISH": "tr", "PERSIAN": "fa", "URDU": "ur", "HEBREW": "he", "RUSSIAN": "ru",
                    "INDONESIAN": "id", "DUTCH": "nl", "POLISH": "pl", "HINDI": "hi", "CHINESE": "zh"}
KNOWN = set(SUPPORTED) | {_NEIGHBOUR_CODES[n] for n in NEIGHBOURS}
TARGETS = {"all.accuracy": 0.99, "all.quick_errors": 0.0}


def _csv(path: Path) -> Iterator[dict]:
    if not path.is_file():
        raise InputError(f"{path} not found: pass --data with the external data folder")
    csv.field_size_limit(1 << 30)
    with open(path, encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh)


def labelled_texts(data: Path) -> Iterator[tuple[str, str, str]]:
    """(data set, ISO 639-1 language, text) for every text whose language is known."""
    for r in _csv(data / "semeval2022_task8_news_pairs/semeval2022_task8_pairs_with_text.csv"):
        yield "semeval", r["lang1"], r["text_1"]
        yield "semeval", r["lang2"], r["text_2"]
    for r in _csv(data / "fignews2024_gaza_war_posts/fignews2024_iaa_posts_with_votes.csv"):
        if r["source_language"] in _FIGNEWS:
            yield "fignews", _FIGNEWS[r["source_language"]], r["text"]
    for r in _csv(data / "arabic_event_gsr_oeda/arabic_event_sentences.csv"):
        yield "oeda", "ar", r["text"]
    saudi = data / "saudinewsnet_2015_sample/saudinewsnet_sample.jsonl"
    if not saudi.is_file():
        raise InputError(f"{saudi} not found: pass --data with the external data folder")
    with open(saudi, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield "saudinewsnet", "ar", json.loads(line)["content"]
    for r in _csv(data / "acled_middle_east_2018_d3m/acled_me_2018.csv"):
        yield "acled", "en", r["notes"]
    for r in _csv(data / "case2021_task2_event_snippets/case2021_task2_test_labeled.csv"):
        yield "case2021", "en", r["text"]
    for r in _csv(data / "fakes_syria_war_news/fakes_syria_war_news.csv"):
        yield "fakes", "en", r["article_content"]


@dataclass
class _Counts:
    texts: int = 0
    right: int = 0
    quick: int = 0
    quick_wrong: int = 0
    wrong_examples: list = field(default_factory=list)


@dataclass
class LanguageReport:
    counts: dict[str, _Counts]

    def metrics(self) -> dict[str, float]:
        out: dict[str, float] = {}
        total = _Counts()
        for name, c in [*self.counts.items(), ("all", total)]:
            if name != "all":
                total.texts += c.texts
                total.right += c.right
                total.quick += c.quick
                total.quick_wrong += c.quick_wrong
            out[f"{name}.accuracy"] = c.right / c.texts if c.texts else 0.0
            out[f"{name}.quick_share"] = c.quick / c.texts if c.texts else 0.0
            out[f"{name}.quick_errors"] = float(c.quick_wrong)
        return out

    def rows(self) -> list[tuple[str, float, float | None]]:
        return [(name, value, TARGETS.get(name)) for name, value in self.metrics().items()]

    def met(self) -> dict[str, bool]:
        m = self.metrics()
        return {"all.accuracy": m["all.accuracy"] >= TARGETS["all.accuracy"],
                "all.quick_errors": m["all.quick_errors"] <= TARGETS["all.quick_errors"]}

    def as_json(self) -> dict:
        return {"metrics": self.metrics(), "targets": TARGETS, "met": self.met(),
                "texts": {k: c.texts for k, c in self.counts.items()},
                "wrong_examples": {k: c.wrong_examples for k, c in self.counts.items() if c.wrong_examples}}


def evaluate_language(data: Path, limit: int | None = None) -> LanguageReport:
    identifier = language_identifier()
    counts: dict[str, _Counts] = {}
    for name, gold, text in labelled_texts(data):
        c = counts.setdefault(name, _Counts())
        if limit is not None and c.texts >= limit:
            continue
        sample = text[:SAMPLE_CHARS]
        letters = count_letters(sample)
        if letters < MIN_LETTERS:
            continue  # too short to say anything: the identifier answers "und" by design
        got = identifier.identify(text)
        right = got == gold if gold in KNOWN else got not in SUPPORTED
        quick = _unmistakable(sample, letters)
        c.texts += 1
        c.right += right
        if quick is not None:
            c.quick += 1
            c.quick_wrong += quick != gold
        if not right and len(c.wrong_examples) < 5:
            c.wrong_examples.append({"gold": gold, "identified": got, "text": sample[:120]})
    return LanguageReport(counts)
