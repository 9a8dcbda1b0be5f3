"""Extraction core: one article in, an ``ArticleEnriched`` out. No I/O.

A dictionary event coder in the PETRARCH/PLOVER tradition, native in Arabic
and English. Per sentence: the strongest event trigger gives category and
mode; the actors around it give who did it (actor1) to whom (actor2); places,
weapons, dates and casualty counts are read from the same sentence, with the
article as context where the sentence is silent.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from schemas import Actor, ArticleEnriched, ArticleIngested, Entity, Event, Evidence, Location
from services.extraction.lexicon import Lexicon, Mention, load_lexicon
from services.extraction.normalize import normalize_plain, script_of

SUPPORTED_LANGUAGES = ("ar", "en")
KINETIC_CATEGORIES = {"ASSAULT"}

# --------------------------------------------------------------------------- sentences

_SENTENCE_END = re.compile(r"(?<=[.!?؟])[\"'”»)]*\s+|\n+")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of ``text``."""
    spans = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if text[start:m.start()].strip():
            spans.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


# --------------------------------------------------------------------------- numbers

_EN_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "a dozen": 12, "dozens": 12,
    "tens": 10, "scores": 20, "hundreds": 100,
}
_AR_NUMBERS = {  # normalised spellings (ة -> ه, أ -> ا)
    "واحد": 1, "اثنان": 2, "اثنين": 2, "شخصين": 2, "ثلاثه": 3, "ثلاث": 3, "اربعه": 4, "اربع": 4,
    "خمسه": 5, "خمس": 5, "سته": 6, "ست": 6, "سبعه": 7, "سبع": 7, "ثمانيه": 8, "ثماني": 8,
    "تسعه": 9, "تسع": 9, "عشره": 10, "عشر": 10, "عشرين": 20, "عشرون": 20, "ثلاثين": 30,
    "عشرات": 10, "العشرات": 10, "مئات": 100,
}
_NUM = r"(\d+|" + "|".join(sorted({*_EN_NUMBERS, *_AR_NUMBERS}, key=len, reverse=True)) + r")"
_Q = r"(?:at least |some |about |around |nearly |more than |over |up to |على الاقل |نحو |حوالي |اكثر من )?"
_KILLED = [
    re.compile(_Q + _NUM + r" (?:[a-z]+ ){0,3}?(?:were |have been |had been |was |are )?(?:killed|dead|died|deaths)"),
    re.compile(r"(?:killed|killing|deaths of|death of|left) " + _Q + _NUM + r"(?! (?:injured|wounded))"),
    re.compile(r"(?:مقتل|قتل|استشهاد|سقوط|وفاه) " + _Q + _NUM),
    re.compile(_NUM + r" (?:\S+ )?(?:قتلي|قتيلا|قتيل|شهيدا|شهداء|اشخاص قتلوا)"),
]
_INJURED = [
    re.compile(_Q + _NUM + r" (?:[a-z]+ ){0,3}?(?:were |have been |was |are )?(?:injured|wounded|hurt)"),
    re.compile(r"(?:injuring|wounding|injured|wounded) " + _Q + _NUM),
    re.compile(r"(?:اصابه|اصيب|جرح|اصابات) " + _Q + _NUM),
    re.compile(_NUM + r" (?:\S+ ){0,2}?(?:جرحي|مصابين|جريحا|بجروح|اصابات)"),
]
_SINGLE_DEATH = [re.compile(r"(?:وفاه|مقتل) (?:متعاقد|جندي|مدني|شخص|طفل)"),
                 re.compile(r"(?:a|one) (?:[a-z]+ ){0,2}(?:was killed|died)")]


def _number(token: str) -> int:
    if token.isdigit():
        return int(token)
    return _EN_NUMBERS.get(token) or _AR_NUMBERS[token]


def _count(patterns: list[re.Pattern], text: str) -> int | None:
    values = [_number(m.group(1)) for p in patterns for m in p.finditer(text)]
    values = [v for v in values if v < 100000]
    return max(values) if values else None


def casualties(sentence: str) -> tuple[int | None, int | None]:
    norm = normalize_plain(sentence)
    killed = _count(_KILLED, norm)
    if killed is None and any(p.search(norm) for p in _SINGLE_DEATH):
        killed = 1
    return killed, _count(_INJURED, norm)


# --------------------------------------------------------------------------- dates

_WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6, "الاثنين": 0, "الثلاثاء": 1, "الاربعاء": 2, "الخميس": 3, "الجمعه": 4,
    "السبت": 5, "الاحد": 6,
}
_YESTERDAY = re.compile(r"\b(?:yesterday|last night|overnight)\b|(?:^| )(?:امس|البارحه|الليله الماضيه)(?: |$)")
_TODAY = re.compile(r"\b(?:today|this morning|earlier today|tonight)\b|(?:^| )(?:اليوم|فجر اليوم|صباح اليوم)(?: |$)")
_WEEKDAY = re.compile(r"(?:^| )(?:on |last |يوم |)(" + "|".join(_WEEKDAYS) + r")(?: |$)")


def resolve_date(sentence: str, published: dt.datetime) -> dt.date:
    """The day a sentence's event happened, relative to the publication time."""
    norm = normalize_plain(sentence)
    day = published.date()
    if _YESTERDAY.search(norm):
        return day - dt.timedelta(days=1)
    if _TODAY.search(norm):
        return day
    m = _WEEKDAY.search(norm)
    if m:
        back = (day.weekday() - _WEEKDAYS[m.group(1)]) % 7
        return day - dt.timedelta(days=back)
    return day


# --------------------------------------------------------------------------- roles

_SPEECH = re.compile(
    r"\b(?:said|says|announced|stated|told|added|according to|confirmed|claimed)\b|"
    r"(?:^| )(?:قال|قالت|اعلن|اعلنت|اكد|اكدت|صرح|اضاف|افاد|افادت|ذكر|ذكرت|حسب|حسبما|وفق|نقلا|اشار|اشارت)(?: |$)"
)
_TARGET_MARKERS = re.compile(
    r"\b(?:on|against|at|targeting|toward|towards)$|(?:^| )(?:علي|ضد|نحو)$")
_AGENT_MARKERS = re.compile(r"(?:\bby$)|(?:(?:^| )(?:قبل|يد)$)")


@dataclass
class SentenceMentions:
    start: int
    end: int
    actors: list[Mention]
    places: list[Mention]
    weapons: list[Mention]
    systems: list[Mention]
    triggers: list[Mention]


def _before(text: str, pos: int, width: int = 24) -> str:
    return normalize_plain(text[max(0, pos - width):pos])


def _actor(m: Mention) -> Actor:
    return Actor(code=m.entry.id, name=m.entry.name, country=m.entry.data.get("country"),
                 kind=m.entry.data.get("kind", "unknown"))


def _distinct(mentions: list[Mention]) -> list[Mention]:
    seen, out = set(), []
    for m in mentions:
        if m.entry.id not in seen:
            seen.add(m.entry.id)
            out.append(m)
    return out


_LOCATIVE = re.compile(
    r"\b(?:in|into|across|near|inside|from|to|over|of|eastern|western|northern|southern|central)$|"
    r"(?:^| )(?:في|شرق|شرقي|غرب|غربي|شمال|شمالي|جنوب|جنوبي|داخل|وسط|الي|من|اراضي)$|"
    r"\bborders? with$|(?:^| )(?:الحدود|حدود) مع$"
)


def _place_like_actors(text: str, actors: list[Mention], places: list[Mention]) -> set[int]:
    """Indexes of actor mentions that are really places ("strikes in Syria").

    A country name is both an actor (its government) and a place. It is a
    place when a locative precedes it, when it carries the Arabic ب prefix
    ("in"), or when it is coordinated right after another such place
    ("in Iraq and Syria", "في العراق وسوريا").
    """
    out: set[int] = set()
    last_place_end = -10
    for i, a in enumerate(actors):
        if not any(p.start <= a.start and a.end <= p.end for p in places):
            continue
        before = _before(text, a.start, 16)
        surface = normalize_plain(a.surface)
        coordinated = a.start - last_place_end <= 6 and (
            surface.startswith("و") or re.search(r"\b(?:and|or)$", before))
        if _LOCATIVE.search(before) or surface.startswith("ب") or coordinated:
            out.add(i)
            last_place_end = a.end
    return out


def assign_roles(text: str, s: SentenceMentions, trigger: Mention) -> tuple[
        Mention | None, Mention | None, Mention | None]:
    """(actor1, actor2, speaker) for a sentence's event."""
    place_like = _place_like_actors(text, s.actors, s.places)
    actors = [a for i, a in enumerate(s.actors) if i not in place_like]
    speaker = None
    before_trigger = [a for a in actors if a.start < trigger.start]
    if before_trigger and _SPEECH.search(normalize_plain(text[s.start:trigger.start])):
        # "X said (that) ...": the first actor before the trigger said it, when it is
        # followed by another actor or stands right after the speech verb
        first = before_trigger[0]
        right_after_verb = _SPEECH.search(_before(text, first.start, 12))
        if len(actors) > 1 or right_after_verb:
            speaker = first
            # its apposition ("Defense Secretary Lloyd Austin") goes with it
            actors = [a for a in actors if a is not first and not (
                a.entry.id == first.entry.id and a.start - first.end <= 30 and a.start < trigger.start)]
    passive = bool(trigger.entry.data.get("passive"))
    # "by X" names the agent only after a passive trigger ("were attacked by X"),
    # not in "depots used by X"
    agents = [a for a in actors if passive and a.start >= trigger.end
              and _AGENT_MARKERS.search(_before(text, a.start))]
    targets = [a for a in actors if a.start >= trigger.end
               and _TARGET_MARKERS.search(_before(text, a.start))]
    # an actor overlapping the trigger ("US strikes") is its agent: count it as before
    before = [a for a in actors if a.start < trigger.end]
    after = [a for a in actors if a.start >= trigger.end and a not in agents]
    untargeted_after = [a for a in after if a not in targets]
    actor1 = agents[0] if agents else (before[-1] if before else (
        untargeted_after[0] if untargeted_after else None))
    others = [a for a in _distinct(targets + after + before[::-1])
              if actor1 is None or a.entry.id != actor1.entry.id]
    actor2 = others[0] if others else None
    if trigger.entry.data.get("passive") and not agents:
        actor1, actor2 = (None, actor1) if actor2 is None else (actor2, actor1)
    return actor1, actor2, speaker


def choose_trigger(triggers: list[Mention]) -> Mention:
    """The sentence's main event trigger.

    The highest priority wins (a specific kinetic mode over a generic attack
    word over mobilisation, threats and diplomacy), except that an attack
    word yields to an earlier non-kinetic trigger, whose complement it usually
    is: "threatened to attack", "sent a message warning against attacks",
    "deployed air defences to protect bases from rocket attacks".
    """
    best = max(triggers, key=lambda m: (m.entry.data["priority"], -m.start))
    if best.entry.data["category"] == "ASSAULT":
        earlier = [m for m in triggers
                   if m.start < best.start and m.entry.data["category"] != "ASSAULT"]
        if earlier:
            return max(earlier, key=lambda m: (m.entry.data["priority"], -m.start))
    return best


# --------------------------------------------------------------------------- core

_MODE_FROM_WEAPON = [
    ("fighter_jet", "air_strike", 8), ("drone", "drone_strike", 7),
    ("ballistic_missile", "missile_strike", 8), ("cruise_missile", "missile_strike", 8),
    ("missile", "missile_strike", 8), ("rocket", "rocket_attack", 7), ("artillery", "shelling", 7),
    ("explosive", "bombing", 7), ("naval_vessel", "naval_attack", 7), ("small_arms", "ground_clash", 6),
]
_STATE_KINDS = {"state_forces", "government"}


class Extractor:
    """The extraction core: ``process(article) -> ArticleEnriched``."""

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon or load_lexicon()

    def language(self, article: ArticleIngested) -> str:
        detected = script_of(f"{article.title}\n{article.body}")
        if detected == "und" and article.language:
            return article.language
        return detected

    def process(self, article: ArticleIngested) -> ArticleEnriched:
        language = self.language(article)
        text = article.body
        mentions = self.lexicon.find(text) if language in SUPPORTED_LANGUAGES else []
        events: list[Event] = []
        if mentions:
            context = self._context(mentions)
            for start, end in split_sentences(text):
                s = self._sentence(mentions, start, end)
                event = self._event(text, s, article.published_at, context)
                if event is not None:
                    events.append(event)
        entities = [
            Entity(kind="weapon" if m.kind == "system" else m.kind, id=m.entry.id,
                   name=m.entry.name, start=m.start, end=m.end)
            for m in mentions if m.kind != "trigger"
        ]
        return ArticleEnriched(
            **article.model_dump(include={"article_id", "url", "canonical_url", "source", "title",
                                          "body", "published_at", "ingested_at"}),
            language=language, entities=entities, events=events,
        )

    # -- helpers -------------------------------------------------------------------

    @staticmethod
    def _sentence(mentions: list[Mention], start: int, end: int) -> SentenceMentions:
        inside = [m for m in mentions if start <= m.start < end]
        by_kind = {k: [m for m in inside if m.kind == k]
                   for k in ("actor", "place", "weapon", "system", "trigger")}
        return SentenceMentions(start, end, by_kind["actor"], by_kind["place"], by_kind["weapon"],
                                by_kind["system"], by_kind["trigger"])

    @staticmethod
    def _context(mentions: list[Mention]) -> dict:
        """Article-wide context: countries named, and each place span resolved once."""
        countries = Counter(m.entry.data["country"] for m in mentions if m.kind == "place")
        countries.update(m.entry.data.get("country") for m in mentions
                         if m.kind == "actor" and m.entry.data.get("country"))
        spans: dict[tuple[int, int], list[Mention]] = {}
        for m in mentions:
            if m.kind == "place":
                spans.setdefault((m.start, m.end), []).append(m)

        def candidate_rank(m: Mention):
            # one name, several places: the place of that very name, then the one in
            # a country the article talks about, then the most populous
            d = m.entry.data
            named = normalize_plain(m.entry.name) == normalize_plain(m.surface)
            return (not named, -countries.get(d["country"], 0), -d["population"])

        places = [min(group, key=candidate_rank) for group in spans.values()]
        return {"countries": countries, "places": places}

    @staticmethod
    def _place(candidates: list[Mention], context: dict) -> Mention | None:
        """The most specific place, preferring countries the article talks about."""
        if not candidates:
            return None
        countries = context["countries"]
        rank = {"city": 0, "admin1": 1, "country": 2}
        return min(candidates, key=lambda m: (rank[m.entry.data["precision"]],
                                               -countries.get(m.entry.data["country"], 0), m.start))

    def _event(self, text: str, s: SentenceMentions, published: dt.datetime, context: dict) -> Event | None:
        if not s.triggers:
            return None
        trigger = choose_trigger(s.triggers)
        data = trigger.entry.data
        category, mode, intensity = data["category"], data["mode"], data["intensity"]
        weapons = sorted({m.entry.id for m in s.weapons} | {m.entry.data["class"] for m in s.systems})
        if mode == "from_weapons":
            mode, intensity = "other", intensity
            for weapon, weapon_mode, weapon_intensity in _MODE_FROM_WEAPON:
                if weapon in weapons:
                    mode, intensity = weapon_mode, weapon_intensity
                    break
        actor1, actor2, speaker = assign_roles(text, s, trigger)
        if category == "ASSAULT" and actor1 is None and actor2 is None and not weapons:
            return None  # a bare "attack" with nobody and nothing is not an event we can code
        resolved = [m for m in context["places"] if s.start <= m.start < s.end]
        place = self._place(resolved, context) or self._place(
            [m for m in context["places"] if m.entry.data["precision"] != "country"], context
        ) or self._place(context["places"], context)
        killed, injured = casualties(text[s.start:s.end])
        a1 = _actor(actor1) if actor1 else None
        a2 = _actor(actor2) if actor2 else None
        if category in KINETIC_CATEGORIES:
            if (a1 and a2 and a1.kind in _STATE_KINDS and a2.kind in _STATE_KINDS
                    and a1.country and a2.country and a1.country != a2.country):
                intensity = max(intensity, 9)  # a state striking another state's forces
            if killed and killed >= 10:
                intensity += 1
        location = None
        if place is not None:
            d = place.entry.data
            location = Location(name=place.entry.name, geonameid=d["geonameid"], lat=d["lat"],
                                lon=d["lon"], country=d["country"], admin1=d["admin1"],
                                precision=d["precision"])
        return Event(
            category=category, mode=mode, actor1=a1, actor2=a2, location=location,
            occurred_on=resolve_date(text[s.start:s.end], published),
            killed=killed, injured=injured, weapons=weapons,
            systems=sorted({m.entry.id for m in s.systems}),
            intensity=min(intensity, 10),
            attribution=speaker.entry.name if speaker else None,
            evidence=Evidence(text=text[s.start:s.end], start=s.start, end=s.end),
        )
