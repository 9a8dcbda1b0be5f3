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
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain

from pydantic import TypeAdapter

from schemas import Actor, ArticleEnriched, ArticleIngested, Entity, Event, Evidence, Location
from services.extraction.gazetteer import km
from services.extraction.language import SUPPORTED, LanguageIdentifier, language_identifier
from services.extraction.lexicon import (
    HELD_BY,
    SMALL_PLACE,
    Lexicon,
    Mention,
    load_lexicon,
    normalize_name,
    skeleton_tokens,
)
from services.extraction.normalize import Doc, normalize_plain, numbers_as_counts

#: a city abroad (outside the countries the article is about) is read as a place only from this size
BIG_PLACE = 1_000_000

SUPPORTED_LANGUAGES = SUPPORTED
KINETIC_CATEGORIES = {"ASSAULT"}
_ENTITIES = TypeAdapter(list[Entity])

class _Gated:
    """A pattern tried only where a plain alternation of its words matches first: Python's regex engine
    scans for the first letters of a plain alternation quickly, where a pattern anchored at word edges
    in two scripts is tried at every position of the text."""

    __slots__ = ("gate", "precise")

    def __init__(self, precise: str, words: Sequence[str]) -> None:
        self.precise = re.compile(precise)
        self.gate = re.compile("|".join(sorted(words, key=len, reverse=True)))

    def search(self, text: str) -> re.Match | None:
        return self.precise.search(text) if self.gate.search(text) else None


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
    "tens": 10, "scores": 20, "hundreds": 100, "several": 10, "a number of": 10, "many": 10,
    "an unknown number of": 10, "an unspecified number of": 10, "an unidentified number of": 10,
    "unknown number of": 10, "unspecified number of": 10,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
# "twenty-one" ... "ninety-nine"
_EN_NUMBERS.update({f"{tens}-{unit}": _EN_NUMBERS[tens] + _EN_NUMBERS[unit]
                    for tens in ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
                    for unit in ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")})
_AR_NUMBERS = {  # normalised spellings (ة -> ه, أ -> ا)
    "واحد": 1, "اثنان": 2, "اثنين": 2, "شخصين": 2, "ثلاثه": 3, "ثلاث": 3, "اربعه": 4, "اربع": 4,
    "خمسه": 5, "خمس": 5, "سته": 6, "ست": 6, "سبعه": 7, "سبع": 7, "ثمانيه": 8, "ثماني": 8,
    "تسعه": 9, "تسع": 9, "عشره": 10, "عشر": 10, "عشرين": 20, "عشرون": 20, "ثلاثين": 30, "ثلاثون": 30,
    "اربعين": 40, "اربعون": 40, "خمسين": 50, "خمسون": 50, "ستين": 60, "ستون": 60, "سبعين": 70, "سبعون": 70,
    "ثمانين": 80, "ثمانون": 80, "تسعين": 90, "تسعون": 90, "ميه": 100, "مايه": 100,  # (مئة, مائة)
    "عشرات": 10, "العشرات": 10, "ميات": 100, "الميات": 100,  # (مئات: ئ folds to ي)
    # the dual tells two: "مقتل جنديين", "إصابة طفلين"
    "جنديين": 2, "جنديان": 2, "طفلين": 2, "طفلان": 2, "شرطيين": 2, "ضابطين": 2, "مسلحين اثنين": 2,
    "مدنيين اثنين": 2, "شقيقين": 2, "امراتين": 2,
}
#: a count starts a word (or follows the conjunction و): "ten" in "forgotten" is none
_NUM = (r"(?<![a-z0-9\u0621-\u0647\u0649-\u064a])(\d+|"
        + "|".join(sorted({*_EN_NUMBERS, *_AR_NUMBERS}, key=len, reverse=True)) + r")")
_Q = (r"(?:at least |some |about |around |nearly |more than |over |up to |between |as many as |a total of |all |"
      r"an estimated |estimated |approximately |roughly |almost |close to |"
      r"علي الاقل |نحو |حوالي |اكثر من |ما لا يقل عن |ما يزيد عن |ما يزيد علي |زهاء |قرابه |ما يقارب |"
      r"ما يناهز )?")
#: up to six words between a count and its verb: "15 militants of the syrian army were killed"
#: one word of them: not a verb of the toll, a joiner or the start of a clause ("30 civilians and regime shelling
#: which killed 1 man" counts the one)
_W_WORD = (r"(?!(?:and|or|killed|dead|injured|wounded|which|who|that|when|while|after) )"
           r"(?:[a-z][a-z\-]*|\d+(?:st|nd|rd|th)) ")  # (a unit's ordinal: "2 1st coastal division fighters")
#: "and" joins words of one group ("21 regime and loyalist militia fighters"), not another count ("3 soldiers and
#: 2 ...", "and a civilian") nor another verb ("raided 12 villages and killed 2")
_W = (r"(?:" + _W_WORD + r"(?:and (?!(?:a|an|one|another|" + "|".join(_EN_NUMBERS) + r") |\d)" + _W_WORD
      + r")?){0,6}?")
#: up to ten such words before a passive verb of death: "two fighters likely affiliated with al-qaeda in the
#: arabian peninsula were reportedly killed"
_W_LONG = _W.replace("{0,6}?", "{0,10}?")
#: "kill" after an attempt or a plan kills no one ("attempted to kill a policeman"); "managed to kill" does
_UNTRIED = "".join(f"(?<!{w} to )" for w in ("attempted", "tried", "trying", "planned", "planning", "plotted",
                                              "plotting", "threatened", "sought", "intended", "wanted"))
#: the words of one item of a list of the dead ("a young man", "an iraqi military officer", "two of her children",
#: "17 soldiers from the syrian regime"): no verb, no count, no joiner, no clause ("who", "in", "riding")
_W_LIST = (r"(?:(?!(?:and|or|a|an|another|killed|dead|injured|wounded|executed|assassinated|shot|were|was|while|"
           r"including|among|whom|them|who|which|that|by|in|on|at|near|with|for|during|to|after|before|as|"
           r"suspected|accused|believed|" + "|".join(_EN_NUMBERS) + r") |\d|[a-z\-]*ing )"
           r"[a-z][a-z\-]* ){0,6}+")  # (possessive: an item gives no words back)
#: a day between a verb and its count: "قتل امس سبعه", "وقتل اول من امس 4 جنود"
_AR_WHEN = r"(?:(?:(?:اول من |يوم |مساء |صباح |ليل |فجر )?امس|(?:صباح |مساء |فجر )?اليوم|الليله الماضيه) )?"
#: a word that starts a phrase of its own (a place, a time, a clause), not a subject between a verb and its count
_AR_NOT_JOINER = r"(?!(?:في|علي|من|منذ|خلال|بعد|قبل|التي|الذي|الذين|عن|الي|او|بين|حتي|مع|لمده) )"
#: what a count of the dead is not followed by: days, hours, kilometres, times
_AR_NOT_UNIT = (r"(?! (?:ايام|يوما|يوم|اشهر|شهرا|شهور|سنوات|سنه|عاما|اعوام|ساعات|ساعه|دقائق|دقيقه|كيلومترات|"
                r"كيلومترا|كلم|كم|مترا|امتار|مرات|مره|ملم)(?: |$))")
#: what a count before "and" counts when it is no dead: "struck 17 targets and 21 militants were killed" (21)
_NOT_PEOPLE = (r"(?!(?:[a-z\-]+ )?(?:targets|vehicles|houses|homes|buildings|positions|shells|rockets|missiles|"
               r"mortars|raids|strikes|airstrikes|air strikes|villages|towns|tanks|caches|bombs|barrel bombs|sites|"
               r"depots|days|hours|minutes|weeks|months|years|km|kilometres|kilometers|times|ieds|drones|boats|cars|trucks|"
               r"shelters|checkpoints)\b)")
#: a qualifier before a count that is an object ("killed at least two")
_Q_OBJECT = r"(?:at least |some |about |around |nearly |more than |over |up to |as many as |a total of )"
_KILLED = [
    # "15 soldiers were killed", "3 soldiers killed in an attack"; not a count that did the killing, told
    # with no auxiliary and an object after it ("three airstrikes reportedly killed two children", "destroyed
    # seven shelters, killed four militants": the comma is gone in the normalised text)
    re.compile(_Q + _NUM + r" " + _NOT_PEOPLE + r"(?:" + _W_LONG
               + r"(?:reportedly |all )*(?:were |have been |had been |was |are )"
               r"(?:reportedly |all )*(?:(?!injured|wounded|hurt)[a-z]+ and )?"
               r"(?:killed|dead|died|deaths|fatalities|shot dead|executed|gunned down|succumbed)|"
               + _W + r"(?:reportedly |all )*(?:(?:shot|stabbed|beaten) and )?(?:dead|died|deaths|fatalities|succumbed|"
               r"(?:killed|shot dead|executed|gunned down)(?! " + _Q_OBJECT + r"?(?:\d+|a|an|"
               + "|".join(_EN_NUMBERS) + r") (?!(?:[a-z]+ )?(?:wounded|injured|hurt)\b))))"),
    re.compile(r"(?:killed|killing|" + _UNTRIED + r"kill|kills|(?:killing|deaths?) of(?: the)?|"
               r"claimed the lives of|shot dead|executed|execution of|executing|assassinated|assassinating|"
               r"gunned down|fatally shot) "
               + _Q + _NUM
               + r"(?! (?:injured|wounded))(?! (?:minutes|hours|days|weeks|months|years|km|times)\b)"),
    # "left 5 dead", not "left three people injured" (nor "left 5 minutes later")
    re.compile(r"\bleft " + _Q + _NUM + r"(?! (?:[a-z\-]+ )?(?:injured|wounded|hurt))"
               r"(?! (?:minutes|hours|days|weeks|months|years|km|times)\b)"),
    # "مقتل 5", "قتل امس سبعه", "استشهد ثلاثه مواطنين", "قتلت 11 مسلحا" (a day may come first)
    re.compile(r"(?:مقتل|قتل|قتلت|قتلوا|استشهاد|استشهد|استشهدت|سقوط|وفاه) " + _AR_WHEN + _Q + _NUM),
    # verb, subject, count: "قتلت غاره اسرائيليه خمسه فلسطينيين", "قتل مسلحون اربعه اشخاص" (not a
    # count of days or kilometres: "قتل الجيش خلال 5 ايام" has no count of the dead)
    re.compile(r"(?:^| )[وف]?(?:قتل|قتلت|قتلوا|تقتل|يقتل|يقتلون) (?:" + _AR_NOT_JOINER + r"[^\s\dو][^\s\d]* ){1,3}?"
               + _Q + _NUM + _AR_NOT_UNIT),
    re.compile(_NUM + r" (?:\S+ )?(?:قتلي|قتيلا|قتيل|شهيدا|شهداء|اشخاص قتلوا)"),
    # "28 شخصا على الاقل قتلوا", "ثلاثة جنود لقوا حتفهم"
    re.compile(_NUM + r" (?:(?!و)\S+ ){1,4}?(?:قتلوا|لقوا حتفهم|لقوا مصرعهم|استشهدوا)(?: |$)"),
    # "لقي 5 أشخاص مصرعهم", "لقي ثلاثة جنود حتفهم"
    re.compile(r"(?:^| )(?:لقي|لقيت|لقوا) " + _Q + _NUM
               + r" (?:(?!و)\S+ ){0,3}?(?:مصرعهم|حتفهم|مصرعهما|حتفهما)(?: |$)"),
]
#: patterns tried only when the clause holds one of their words (each costs a scan of the clause)
_KILLED_IF = [
    # a total and its breakdown: "43 people, including 27 civilians and 14 children, were killed"
    (("including", "among them", "of whom"),
     re.compile(_Q + _NUM + r" " + _W + r"(?:including|among them|of whom) [^.;]{0,80}?"
                r"(?:were |have been |had been |reportedly )*(?:killed|dead)")),
    # a toll that rose: "the death toll rose to 12", "the number of fighters who were killed rose to 5"
    ((" to ",), re.compile(r"\b(?:death toll|toll|number of (?:the )?(?:dead|deaths|victims|fatalities)|"
                           r"number of (?:[a-z\-]+ ){1,8}?(?:killed|assassinated|executed|dead))"
                           r"(?: [a-z\-]+){0,10}? (?:rose|has risen|had risen|climbed|increased|reached|jumped) to "
                           + _Q + _NUM)),
    # a toll updated or brought up: "updating the fatalities to 8", "raised the death toll to 12"
    ((" to ",), re.compile(r"\b(?:updated|updating|raised|raising|revised|revising) (?:the )?(?:death toll|toll|"
                           r"fatalities|fatality count|fatality toll|number of (?:the )?(?:dead|deaths|victims|"
                           r"fatalities)) (?:up )?to " + _Q + _NUM)),
    # a toll that rose: "ارتفع عدد القتلي الي 17", "بلغت حصيله الضحايا 30"
    (("القتلي", "الضحايا", "الشهداء"),
     re.compile(r"(?:(?:ارتفع|ارتفعت|بلغ|بلغت|وصل|وصلت) (?:عدد|حصيله) (?:القتلي|الضحايا|الشهداء) (?:(?!و)\S+ ){0,3}?"
                r"(?:الي )?|(?:عدد|حصيله) (?:القتلي|الضحايا|الشهداء) (?:(?!و)\S+ ){0,3}?الي )" + _Q + _NUM)),
    # "leaving three of the family members who were inside the home dead": a count, then its dead
    (("leaving", "left"), re.compile(r"\b(?:leaving|left) " + _Q + _NUM + r" (?:(?!(?:injured|wounded|and|" + "|".join(
        _EN_NUMBERS) + r") )[a-z\-]+ ){1,10}?dead\b")),
    # a family of a count: "killing a family of four"
    (("family of",), re.compile(r"\b(?:killing|killed|kills|kill|left|leaving|wiping out|wiped out) "
                                r"(?:a|an|the|his|her|their|an entire|a whole) family of " + _NUM)),
    # bodies found are the dead: "the bodies of 5 people were found", "انتشال 7 جثث"
    (("bodies", "corpses", "جثث", "جثامين"), re.compile(r"(?:bodies of|corpses of|جثث|جثامين) " + _Q + _NUM)),
    (("bodies", "corpses", "جثث", "جثه", "جثامين"),
     re.compile(_NUM + r" (?:\S+ ){0,2}?(?:bodies|corpses|جثث|جثه|جثامين)")),
]
#: words between a count and what it counts, none of them a number ("six civilians, three women ..." lists
#: the six, it does not add to them)
_W_NO_NUMBER = (r"(?:(?!and |or |killed |dead |injured |wounded |(?:" + "|".join(_EN_NUMBERS)
                + r") )[a-z][a-z\-]* ){0,6}?")
#: two counts of one toll: "three guards and three militants were killed", "مقتل 3 جنود و5 مسلحين"
_KILLED_PAIRS = [
    ((" and ",), re.compile(_Q + _NUM + r" " + _NOT_PEOPLE + _W_NO_NUMBER + r"and " + _Q + _NUM + r" " + _W_NO_NUMBER
                            + r"(?:were |have been |had been |are |reportedly |all )*(?:killed|dead|died)")),
    (("قتل", "استشهاد"), re.compile(r"(?:مقتل|قتل|استشهاد) " + _Q + _NUM + r" (?:\S+ ){1,3}?و" + _NUM + r" ")),
    # "21 regime fighters were killed along with 26 rebels"
    ((" along with ", " as well as ", " in addition to "),
     re.compile(_Q + _NUM + r" " + _W + r"(?:were |have been |had been |reportedly )*(?:killed|dead) "
                r"(?:along with|as well as|in addition to) " + _Q + _NUM + r"(?: |$)")),
]
#: the dead of each of two sides: "clashes that killed one on each side" (2)
_EACH_SIDE = re.compile(r"\b(?:killed|killing|left|leaving) " + _NUM + r" (?:[a-z]+ )?on (?:each|either|both) sides?\b")
#: one named with a companion, both dead: "a senior leader in is and his aide were killed" (2)
_WITH_COMPANION = re.compile(r"\band (?:his|her) (?:[a-z\-]+ )?(?:aide|driver|bodyguard|companion|escort|assistant|"
                             r"deputy|son|daughter|brother|wife|husband) (?:were|have been|had been) (?:reportedly )?"
                             r"(?:killed|shot dead|executed|assassinated)\b")
#: one of the dead told with the others: "a commander was killed along with 4 others" (5)
_ONE_AND_OTHERS = re.compile(r"\b(?:was|has been|had been|is) (?:reportedly )?"
                             r"(?:killed|shot dead|executed|assassinated|found dead) "
                             r"(?:along with|together with|with his|with her) " + _Q + _NUM + r" [a-z]|"
                             # "the commander ... and eight of his escorts were killed" (9)
                             r"\band " + _NUM + r" (?:of )?(?:his|her|other|of his|of her)\b(?: [a-z\-]+){0,4}? "
                             r"(?:were|have been|had been) (?:reportedly )?(?:killed|shot dead|executed)\b")
_INJURED = [
    re.compile(_Q + _NUM + r" " + _W + r"(?:were |have been |was |are |reportedly )*(?:injured|wounded|hurt)"),
    re.compile(_Q + _NUM + r" " + _W + r"(?:suffered|sustained|received) (?:[a-z]+ )?(?:injuries|wounds)"),
    re.compile(r"(?:injuring|wounding|injured|wounded|injury of|injuries of|wounding of) " + _Q + _NUM),
    re.compile(r"(?:اصابه|اصيب|جرح|اصابات) " + _Q + _NUM),
    re.compile(_NUM + r" (?:(?!و)\S+ ){0,2}?(?:جرحي|مصابين|جريحا|بجروح|اصابات)"),
]
#: one count of the killed and the wounded together: "killing and wounding dozens", "18 soldiers were
#: killed or wounded", "مقتل وإصابة 18": half of it are counted as killed (ACLED's convention), an unknown
#: plural ("several") as it is
_KILLED_AND_WOUNDED = [
    # "killing and wounding dozens", "the killing and injuring of dozens", "the death and injury of a number of"
    re.compile(r"(?:killing|killed|deaths?) (?:and|or) (?:wounding|injuring|wounded|injured|injury|injuries) (?:of )?"
               + _Q + _NUM),
    re.compile(_Q + _NUM + r" " + _W + r"(?:were |have been |had been |reportedly )*(?:killed|dead) (?:and|or) "
               r"(?:wounded|injured)"),
    re.compile(r"(?:مقتل|قتل) (?:و|او )(?:اصابه|جرح) " + _Q + _NUM),
]
#: casualties are the killed and the wounded: "with 25 regime casualties confirmed" (a count: "an unknown number
#: of casualties" may all be wounded)
_CASUALTIES = re.compile(_Q + _NUM + r" (?:[a-z\-]+ ){0,3}?casualties\b")
#: deaths told with no count at all: "leaving deaths and injuries", "dead and wounded", "قتلى وجرحى"
_UNKNOWN_DEAD = re.compile(r"\b(?:deaths and injuries|dead and (?:wounded|injured)|loss of (?:life|lives)|"
                           r"deaths on both sides|fatalities on both sides|"
                           r"(?:deaths|fatalities) (?:were |have been )?reported|"
                           # those aboard a vehicle, its crew: how many is not told
                           r"killing (?:all )?(?:those|everyone|the people) (?:aboard|onboard|on board|inside)|"
                           r"(?:those|everyone) (?:aboard|on board|inside) (?:\S+ ){0,3}?(?:were|was|had been) killed|"
                           r"killing (?:all )?(?:the|its|their) crews?|(?:the|its|their) crews? (?:was|were) killed|"
                           r"killing all (?:who were |those who were )?(?:aboard|onboard|on board|inside)|"
                           r"all (?:of )?(?:the )?(?:[a-z]+ )?(?:occupants|passengers|crew) (?:were|was) killed|"
                           r"\ba group of (?:[a-z\-]+ ){1,6}?(?:were|have been|had been) (?:reportedly )?killed|"
                           r"human losses|casualties (?:on|from|among) both sides|"
                           r"losses (?:in|of) (?:life|lives)|"
                           r"(?:causing|caused|leaving|left) (?:deaths?|fatalities) and (?:injury|injuries)|"
                           # killing and wounding with no count: "killing and wounding those on board", "killed and
                           # injured soldiers", "resulting in fatalities"
                           r"(?:the )?(?:killing|killed) and (?:wounding|injuring|wounded|injured)(?! (?:\d|"
                           + "|".join(_EN_NUMBERS) + r")\b)|killed all (?:those|everyone|the people) "
                           r"(?:aboard|onboard|on board|inside)|"
                           r"(?:resulting|resulted) in (?:deaths|fatalities)|(?:causing|caused) fatalities|"
                           r"heavy (?:human )?losses"
                           r"(?! (?:in|of) (?:equipment|materiel|material|vehicles|weapons|hardware|property)))\b|"
                           r"(?:^| )(?:قتلي وجرحي|قتلي ومصابين|القتلي والجرحي)(?: |$)")
#: the dead named one by one or group by group: "killing a woman and a child", "a policeman and an officer
#: were killed", "killed a commander and three of his associates", "the death of two fighters and 17 soldiers";
#: not a range ("between 100 and 500")
_Q_ITEM = _Q.replace("between |", "")
#: _NUM without its group, for patterns that only find where a list is
_NUM_NC = _NUM.replace(r"])(\d+|", r"])(?:\d+|")
#: one item: a count, "a", or after "and" a possessive with or without a count ("a woman and her two
#: children"); "and" before a range's end is no list ("2 and as many as 5")
#: a person named by a role or a kinship: one item of a list after "the" ("killing the driver and a passenger"),
#: or after "and" with no article ("a woman and child")
_ROLE = (r"(?:driver|passenger|pilot|guard|bodyguard|aide|companion|escort|wife|husband|son|daughter|brother|sister|"
         r"father|mother|child|boy|girl|man|woman|baby|infant)")
_ITEM = re.compile(r"(and (?!as many as |up to ))?(?:" + _Q_ITEM + _NUM + r" " + _NOT_PEOPLE
                   + r"|(a|an|another|the(?= " + _ROLE + r" )) |"
                   r"(?<=and )(his|her|their) (?:" + _NUM + r" )?|(?<=and )()(?=" + _ROLE + r" ))" + _W_LIST)
_ITEM_ANY = r"(?:" + _Q_ITEM + _NUM_NC + r" " + _NOT_PEOPLE + r"|a |an |another |the (?=" + _ROLE + r" ))" + _W_LIST
_LISTED = (r"(" + _ITEM_ANY + r"(?:(?:and )?" + _ITEM_ANY + r"|and (?:his|her|their) (?:" + _NUM_NC + r" )?"
           + _W_LIST + r"|and (?=" + _ROLE + r" )" + _W_LIST + r")+)")
_LISTED_DEAD = [
    re.compile(r"\b(?:killing|killed|kills|" + _UNTRIED + r"kill|shot dead|assassinated|assassinating|executed|"
               r"executing|deaths? of|killing of|execution of) " + _LISTED + r"(?!(?:were|was|are|have been) )"),
    re.compile(r"(?:^| )" + _LISTED + r"(?:were|was|have been|had been) (?:reportedly |confirmed )?"
               r"(?:killed|shot dead|executed|assassinated)\b"),
    re.compile(r"\bleft " + _LISTED + r"(?:dead|killed)\b"),
]


_GENERIC_DEAD = re.compile(r"\b(?:people|persons|civilians|individuals|victims)\b")


def _list_count(span: str) -> int | None:
    """The dead a list counts: its items, each one ("a", "an", "another") or a count; an item follows
    the one before after "and", or after a comma (gone in the normalised text) when both are single ("a
    woman, a child"; not "a commander, 3 ..." nor "four members of a militia"). Counts joined by commas
    make a list when its last item comes after "and" ("8 soldiers, 11 fighters and 6 militiamen"); a
    first count that is the sum of the rest is their total ("six civilians, three women, a man and two
    boys"). Of several runs of items so joined, the largest; None when no run has two items, or one
    counts an unknown plural."""
    best, run, joints, pos, before, first = None, [], [], 0, None, ""

    def close(run: list, joints: list, first: str) -> None:
        nonlocal best
        if any(isinstance(v, Vague) for v in run):
            return
        if "comma" in joints and joints[-1] != "and":
            # no "and" at the end: the counts are no list, only the runs between them are
            parts, part = [], [run[0]]
            for value, joint in zip(run[1:], joints, strict=True):
                if joint == "comma":
                    parts.append(part)
                    part = []
                part.append(value)
            parts.append(part)
            for p in parts:
                if len(p) > 1:
                    best = max(best or 0, sum(p))
            return
        if len(run) > 1:
            # (or a first count of people in general, the rest who they were: "two civilians, a child and
            # her grandmother")
            whole = len(run) > 2 and (run[0] == sum(run[1:]) or (
                joints[0] != "and" and _GENERIC_DEAD.search(first) and run[0] >= max(run[1:])))
            best = max(best or 0, run[0] if whole else sum(run))

    while True:
        m = _ITEM.match(span, pos) if pos < len(span) else None
        joint = None
        if m is not None and run:
            if m.group(1):
                joint = "and"
            elif m.group(3) and before is not None and before[0] and not before[1].endswith("of "):
                joint = "single"
            elif not before[1].endswith("of "):
                joint = "comma"
        if m is None or (run and joint is None):
            close(run, joints, first)
            if m is None:
                return best
            run, joints = [], []
        elif run:
            joints.append(joint)
        if not run:
            first = m.group(0)
        # groups: 2 a count, 3 "a", 4 "his" (5 its count)
        single = m.group(3) is not None or m.group(6) is not None or (m.group(4) is not None and m.group(5) is None)
        run.append(1 if single else _number(m.group(2) or m.group(5)))
        before, pos = (single, m.group(0)), m.end()


def _listed(norm: str) -> int | None:
    """The most dead a list of them names, or None."""
    counts = [_list_count(m.group(1)) for p in _LISTED_DEAD for m in p.finditer(norm + " ")]
    return max((c for c in counts if c is not None), default=None)


_DENIED = re.compile(r"\b(?:no|nor|neither|without|not)\b")
_AR_ONE = r"(?:احد|جندي|مدني|شخص|طفل|طفله|شرطي|ضابط|مسلح|متعاقد|امراه|فتاه|شاب|رجل|مواطن|مواطنه|عنصر|قيادي|صحفي|ناشط)"
_SINGLE_DEATH = [re.compile(r"(?:وفاه|مقتل) " + _AR_ONE + r"(?: |$)"),
                 re.compile(r"(?:^| )[وف]?(?:قتل|قتلت|مقتل|استشهد|استشهدت|استشهاد) " + _AR_ONE + r"(?: |$)"),
                 # verb, subject, one victim: "قتل قناص جنديا اسرائيليا", "قتلت غاره مدنيا"
                 re.compile(r"(?:^| )[وف]?(?:قتل|قتلت|قتلوا) (?:[^\s\dو][^\s\d]* ){0,4}?(?:جنديا|مدنيا|شخصا|طفلا|"
                            r"شرطيا|ضابطا|مسلحا|شابا|رجلا|مواطنا|عنصرا|قياديا|صحفيا|ناشطا)(?: |$)"),
                 re.compile(r"\b(?:a|an|one) " + _W + r"(?:was killed|was shot dead|died|killed|was assass?inated|"
                            r"was executed|was beheaded)"),
                 # "kill a", not "tried to kill a"; "assassinated a commander", "the later death of a man"
                 re.compile(r"\b(?:killing|killed|kills|" + _UNTRIED + r"kill|shot dead|assassinated|assassinating|"
                            r"executed|executing|beheaded|beheading|death of|fatally shot|gunned down) "
                            r"(?:a|an|one|another) "),
                 # what an attack led to, not what a protest was against ("in protest against the killing of a")
                 re.compile(r"\b(?:led|leading|resulted|resulting) (?:to|in) the killing of (?:a|an|one) "),
                 # "stoned a woman to death", "beat a detainee to death"
                 re.compile(r"\b(?:stoned|beat|beaten|stabbed|burned|burnt|hanged|tortured|shot) (?:a|an|one) "
                            r"(?:[a-z\-]+ ){1,3}?to death\b"),
                 # "was captured and killed"; "shot dead" a named man ("shot dead abdullah al-qallaf")
                 re.compile(r"\b(?:was|has been|had been) [a-z]+ and killed\b"),
                 re.compile(r"\bshot dead (?!(?:a|an|the|one|and|or|by|in|on|at|near|after|while|during|"
                            + "|".join(_EN_NUMBERS) + r")\b)(?!\d)[a-z]"),
                 # "which led to his death"; whoever is assassinated is one person
                 re.compile(r"\b(?:led|leading|resulted|resulting) (?:to|in) (?:his|her) death\b"),
                 re.compile(r"\b(?:assassinated|assassinating) the "),
                 re.compile(r"\b(?:shot dead|fatally shot|gunned down) the (?:[a-z\-]+ ){0,3}?"
                            r"(?:colonel|general|commander|leader|chief|head|director|deputy|officer|mayor|judge|sheikh|"
                            r"imam|cleric|governor|official|journalist|activist)\b"),
                 re.compile(r"\b(?:left|leaving) (?:a|an|one) " + _W + r"(?:dead|killed)\b"),
                 re.compile(r"\b(?:one|1) (?:\S+ )?(?:fatality|death) (?:was |has been )?"
                            r"(?:reported|recorded|confirmed)"),
                 # a rank and a name: "killed Major Ibrahim al Hadhmi"
                 re.compile(r"\b(?:killed|killing|assassinated|assassinating|shot dead) (?:the )?(?:major|colonel|"
                            r"lieutenant|captain|general|brigadier|sergeant|commander|sheikh|imam|mayor|judge)\b"),
                 # one named by their role and name: "killing aqap militant akram al-adeni"
                 re.compile(r"\b(?:killing|killed|kills|assassinated|assassinating|shot dead) (?:[a-z\-]+ )?"
                            r"(?:militant|fighter|activist|journalist|official|leader|commander|cleric|member|officer) "
                            r"(?!(?:and|in|of|from|on|at|near|with|by|who|during|after|while|as)\b)[a-z]"),
                 # one person named by a role: "killing the owner", "killed the driver"
                 re.compile(r"\b(?:killing|killed|kills|shot dead|assassinated|assassinating|death of) "
                            r"(?:the|its|their) "
                            r"(?:owner|driver|pilot|guard|mayor|imam|mukhtar|father|mother|son|daughter|husband|wife|"
                            r"brother|sister|boy|girl|man|woman|child|shepherd|farmer|doctor|nurse|teacher|bomber|"
                            r"gunman|attacker|assailant|leader|chief|head|emir|deputy|founder|spokesman)\b"),
                 re.compile(r"\b(?:a|an|one) " + _W_LONG
                            + r"(?:succumbed|later died|was found dead|died under torture)\b"),
                 # his or her wounds are one person's: "a man who was injured ... succumbed to his injuries"
                 re.compile(r"\b(?:succumbed to|died of|died from) (?:his|her) (?:wounds|injuries)\b"),
                 # "the body of a man was found", "a mans body was found"
                 re.compile(r"\bbody of (?:a|an|one|the) |\b(?:a|an|one) (?:[a-z\-]+ ){1,3}?body (?:was|has been) "
                            r"(?:found|discovered|recovered|pulled)\b"),
                 # "a young man was shot and killed", "was stabbed to death"
                 re.compile(r"\b(?:a|an|one) " + _W + r"was (?:shot|stabbed|beaten|hanged|burned|gunned down) "
                            r"(?:and killed|to death|dead)\b"),
                 # the verb tells the number: "an HTS commander, Abu Hamza al-Masri, was killed"
                 re.compile(r"\b(?<!or )(?:was|has been|had been) (?:reportedly )?"
                            r"(?:killed|shot dead|executed|assassinated)\b(?! or )"),
                 re.compile(r"\b(?:killing|killed) (?:him|her|himself|herself)\b")]
#: one person wounded: "اصيب جندي", "a soldier was wounded", "wounding a civilian"
_SINGLE_INJURY = [re.compile(r"(?:^| )و?(?:اصيب|اصيبت|اصابه|جرح) (?:والده|والدته|والدهم|والدتهم|زوجته|زوجها|ابنه|ابنته|"
                             r"شقيقه|شقيقته|جندي|مدني|شخص|طفل|طفله|شرطي|ضابط|مسلح|رجل|امراه|شاب|"
                             r"مواطن|عنصر|اخر|ثالث|رابع)(?: |$)"),
                  re.compile(r"\b(?<!no )(?<!not )(?:a|an|one) " + _W
                             + r"(?:was|has been) (?:reportedly )?(?:wounded|injured|hurt)\b"),
                  re.compile(r"\b(?:wounding|injuring|wounded|injured) (?:a|an|one) ")]
#: each pattern list by the scripts a clause is written in: a pattern of the other language is not tried
_ARABIC_ANY = re.compile(r"[\u0621-\u064a]")
_LATIN_ANY = re.compile(r"[a-z]")


def _split_by_script(patterns: list[re.Pattern], scripts: str) -> dict[tuple[bool, bool], list[re.Pattern]]:
    """(has Arabic, has Latin) -> the patterns to try, from one script letter per pattern ("e" or "a")."""
    return {(ar, en): [p for p, c in zip(patterns, scripts, strict=True) if (c == "a" and ar) or (c == "e" and en)]
            for ar in (False, True) for en in (False, True)}


_KILLED_BY = _split_by_script(_KILLED, "eeeaaaaa")
_INJURED_BY = _split_by_script(_INJURED, "eeeaa")
_KILLED_AND_WOUNDED_BY = _split_by_script(_KILLED_AND_WOUNDED, "eea")
_SINGLE_DEATH_BY = _split_by_script(_SINGLE_DEATH, "aaa" + "e" * (len(_SINGLE_DEATH) - 3))  # (Arabic ones first)
#: two dead told by a dual: "استشهد فلسطينيان", "مقتل شرطيين اثنين", "قتل مدنيان"
_AR_DUAL_DEAD = re.compile(r"(?:^| )[وف]?(?:قتل|مقتل|استشهد|استشهاد|وفاه) " + _AR_WHEN
                           + r"(?:\S{2,}يان|\S+ين اثنين|\S+ان اثنان)(?: |$)|"
                           # the dual verb after its subject: "جنديين اسبانيين قتلا"
                           r"\S(?:ين|ان) (?:\S+(?:ين|ان) )?(?:قتلا|استشهدا)(?: |$)")
_SINGLE_INJURY_BY = _split_by_script(_SINGLE_INJURY, "aee")


#: counts that break down a total given before them: "43 people, including 27 civilians and 14 children"
_PART_OF = re.compile(r"(?:including|among them|of them|of whom|بينهم|منهم|من بينهم) $|"
                      r"(?:^| )" + _NUM + r" [a-z]+ $")  # "six civilians, three women, ...": a list of the six


class Vague(int):
    """A count that stands for an unknown plural: "several", "a number of" (10, as ACLED codes them)."""


class More(int):
    """A count of dead told as more than those counted before: "3 more civilians", "1 more civilian later
    died", "in addition, a man died of his wounds" (added to the toll it follows, not compared with it)."""


#: a count of the dead said to come on top of others
_MORE_DEAD = re.compile(
    r"\b(?:\d+|" + "|".join(_EN_NUMBERS) + r") (?:more|additional|further) (?:[a-z\-]+ ){0,3}?"
    r"(?:were |was |have |has |had |later |also )*(?:killed|died|dead|bodies|succumbed)\b|"
    r"\b(?:killing|killed) (?:\d+|" + "|".join(_EN_NUMBERS) + r") (?:more|additional|other)\b|"
    r"\bin addition,? (?:a|an|one|another) (?:[a-z\-]+ ){0,3}?(?:died|was killed|succumbed)\b")


_FEW = r"(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten)"
#: dead told in a clause as on top of those it counted: "two fighters were also killed", "leading to the later
#: death of a woman", "another man died of his wounds", "1 man died the next day" (added to the clause's toll)
_WORD = r"(?:(?!(?:and|while|but|as|after)\b)[a-z\-]+ )"  # a word within one count's phrase
_ADDED_DEAD = re.compile(
    r"\b(?:leading to|resulting in|causing|and) the (?:later|subsequent) deaths? of " + _FEW + r"\b|"
    r"\b" + _FEW + r" " + _WORD + r"{0,4}?(?:were|was) also (?:killed|shot dead|executed)\b|"
    r"\b(another) " + _WORD + r"{0,3}?(?:later |subsequently )?(?:died|succumbed|was killed)\b|"
    r"\b" + _FEW + r" " + _WORD + r"{0,3}?(?:later died|died later|died the (?:next|following) day|"
    r"succumbed (?:later|the (?:next|following) day))\b")
_ADDED_GATE = ("also", "later", "another", "subsequent", "next day", "following day")


#: the words of an unknown plural (dozens, tens, hundreds tell an order of magnitude: they are counts)
_UNKNOWN_PLURAL = frozenset({"several", "a number of", "many", "an unknown number of", "an unspecified number of",
                             "an unidentified number of", "unknown number of", "unspecified number of"})


def _number(token: str) -> int:
    if token.isdigit():
        return int(token)
    if token in _UNKNOWN_PLURAL:
        return Vague(_EN_NUMBERS[token])
    return _EN_NUMBERS.get(token) or _AR_NUMBERS[token]


def _count(patterns: list[re.Pattern], text: str, guarded: Sequence[tuple[tuple[str, ...], re.Pattern]] = (),
           pairs: Sequence[tuple[tuple[str, ...], re.Pattern]] = ()) -> int | None:
    values = [_number(m.group(1)) for p in patterns for m in p.finditer(text)]
    values += [_number(m.group(1)) for words, p in guarded if any(w in text for w in words)
               for m in p.finditer(text)]
    values += [a + b for words, p in pairs if any(w in text for w in words) for m in p.finditer(text)
               if not _PART_OF.search(text, max(0, m.start() - 14), m.start())
               for a, b in [(_number(m.group(1)), _number(m.group(2)))]
               if not isinstance(a, Vague) and not isinstance(b, Vague)]  # ("5 ... along with several ...")
    values = [v for v in values if v < 100000]
    return max(values) if values else None


def casualties(sentence: str) -> tuple[int | None, int | None]:
    return casualties_norm(normalize_plain(numbers_as_counts(sentence)))


_DEATH_WORDS = re.compile(
    r"kill|dead|die|death|fatalit|execut|assassinat|assasinat|bodies|body|corpses|loss of li|losses|lives|casualt|"
    r"succumb|gunned down|fatally|"
    r"قتل|قتي|مقتل|شهيد|شهدا|استشهد|استشهاد|وفا|مصرع|حتف|جثث|جثه|جثام")
_INJURY_WORDS = re.compile(r"injur|wound|hurt|اصاب|اصيب|جرح|جريح|مصاب")


_SPACES = re.compile(r" {2,}")
_OLD_DEAD = re.compile(r"mass graves?|مقبره جماعيه|مقابر جماعيه")
_GRAVE_WORDS = ("grave", "Grave", "مقبر", "مقابر")  # in the text as written: what _OLD_DEAD needs
#: what makes "body" a dead one (see ``needs_dead`` in triggers.yaml)
_FOUND_DEAD = re.compile(r"\b(?:found|discovered|recovered|retrieved|pulled|dumped|showed|showing|bore|bearing|"
                         r"killed|dead|executed|tortured|shot|mutilated|decomposed|riddled|lying|buried|dug|"
                         r"extracted|removed|unearthed|rubble)\b")


#: another source's count of a toll told before: "..., conflicting sources indicate that 37 civilians were
#: killed", "AFP reported that 14 people had been killed", "BBC Monitoring reported 6 fatalities"
_OTHER_COUNT = re.compile(
    r"(?:^| )(?:while |but |and |however |although )?"
    # who: words that are no count and tell no toll ("conflicting sources", "sept 26th website")
    r"(?:(?!(?:" + "|".join(_EN_NUMBERS) + r"|killed|killing|kills|dead|died|deaths|wounded|injured|wounding|"
    r"injuring|and|while|but)\b)(?:\d+(?:st|nd|rd|th)|[a-z'\-]+) ){1,4}?"
    r"(?:reported|report|reports|indicated|indicate|indicates|said|says|claimed|claims|put the (?:death )?toll at)"
    r"(?: that)? (?=(?:at least |about |around |some |nearly )?(?:\d+|" + "|".join(_EN_NUMBERS) + r")\b)")
_SOURCE_WORDS = ("report", "indicat", "said", "says", "claim", "toll at")


def other_count(norm: str, start: int = 0) -> re.Match | None:
    """Where another source's count of the toll begins in ``norm`` (from ``start``)."""
    return _OTHER_COUNT.search(norm, start) if any(w in norm for w in _SOURCE_WORDS) else None


def lower_toll(a: int | None, b: int | None) -> int | None:
    """Of two sources' precise counts of one toll, the lower (ACLED's conservative count)."""
    if a is None or b is None or isinstance(a, Vague) or isinstance(b, Vague):
        return None
    return min(a, b)


def casualties_norm(norm: str) -> tuple[int | None, int | None]:
    if not (_DEATH_WORDS.search(norm) or _INJURY_WORDS.search(norm)):
        return None, None  # most sentences: nothing below can match
    if (m := other_count(norm, 1)) is not None:
        head, tail = casualties_norm(norm[:m.start()]), casualties_norm(norm[m.start():])
        if (killed := lower_toll(head[0], tail[0])) is not None:
            return killed, head[1] if head[1] is not None else tail[1]
    if "no one" in norm or "not one" in norm:
        norm = _NO_ONE.sub("nobody", norm)  # "no one was injured" counts no one
    if _ANY_NUMBER.search(norm) or not _NUMBER_WORDS.isdisjoint(norm.split(" ")):
        norm, cut = _NOT_COUNTS.subn(" ", norm)
        if "to " in norm or "and " in norm or "-" in norm:
            # of a range, the lower bound (ACLED's conservative count)
            norm, ranges = _RANGE.subn(lambda m: m.group(1) or m.group(2), norm)
            cut += ranges
        if "possibl" in norm or "perhaps" in norm or "maybe" in norm or "potential" in norm or "or " in norm:
            norm, ranges = _MAYBE_MORE.subn(lambda m: m.group(1), norm)
            cut += ranges
        if cut:
            norm = _SPACES.sub(" ", norm)
        count = _count
    else:
        count = _no_count  # no number, no count: only "a soldier was killed" can tell one death
    script = (bool(_ARABIC_ANY.search(norm)), bool(_LATIN_ANY.search(norm)))
    if script[1] and any(w in norm for w in _ADDED_GATE) and (m := _ADDED_DEAD.search(norm)):
        word = next(g for g in m.groups() if g)
        extra = 1 if word in ("a", "an", "one", "another") else _number(word)
        killed, injured = casualties_norm(f"{norm[:m.start()]} {norm[m.end():]}")
        if killed is None:
            return More(extra), injured  # all the clause counts comes on top of a toll told before
        return (killed if isinstance(killed, Vague) else killed + extra), injured
    if ("grave" in norm or "مقبره" in norm or "مقابر" in norm) and _OLD_DEAD.search(norm):
        # a mass grave holds the dead of earlier days: "the remains of 70 people killed by IS"
        return None, (count(_INJURED_BY[script], norm) if _INJURY_WORDS.search(norm) else None)
    if not _DEATH_WORDS.search(norm):
        return None, _injured(count, script, norm)
    killed = count(_KILLED_BY[script], norm, _KILLED_IF, _KILLED_PAIRS)
    if count is _count and (" with " in norm or " and " in norm) and (m := _ONE_AND_OTHERS.search(norm)):
        others = _number(m.group(1) or m.group(2))
        if not isinstance(others, Vague) and (killed is None or others + 1 > killed):
            killed = others + 1
    if " side" in norm and (m := _EACH_SIDE.search(norm)):
        each = _number(m.group(1))
        if not isinstance(each, Vague) and (killed is None or 2 * each > killed):
            killed = 2 * each
    if killed is None and " and h" in norm and _WITH_COMPANION.search(norm):
        killed = 2
    injured = count(_INJURED_BY[script], norm) if _INJURY_WORDS.search(norm) else None
    if count is _count:
        together = {_number(m.group(1)) for p in _KILLED_AND_WOUNDED_BY[script] for m in p.finditer(norm)}
        if "casualties" in norm:
            together.update(n for m in _CASUALTIES.finditer(norm) if not isinstance(n := _number(m.group(1)), Vague))
        if together:  # the killed and the wounded counted together: half of them each
            total = max(together)
            half = total if isinstance(total, Vague) else max(1, total // 2)
            if killed is None or killed in together:
                killed = half
            if injured in together:
                injured = total if isinstance(total, Vague) else total - half
    listed = _listed(norm) if script[1] and (count is _count or killed is None) else None
    if listed is not None and (killed is None or listed > killed):
        killed = listed
    if killed is None:  # (before a single death: "the vehicle's crew was killed" tells no number)
        m = _UNKNOWN_DEAD.search(norm)
        if m and not _DENIED.search(norm, max(0, m.start() - 40), m.start()):  # "no injuries or fatalities"
            killed = Vague(10)
    if killed is None and script[0] and _AR_DUAL_DEAD.search(norm):
        killed = 2
    if killed is None and any(p.search(norm) for p in _SINGLE_DEATH_BY[script]):
        killed = 1
    if killed is not None and not isinstance(killed, Vague) and script[1] and _MORE_DEAD.search(norm):
        killed = More(killed)
    if injured is None and _one_wounded(script, norm):
        injured = 1
    return killed, injured


def _one_wounded(script: tuple[bool, bool], norm: str) -> bool:
    """Does the clause tell of one person wounded ("اصيب جندي", "a soldier was wounded")?"""
    return bool(_INJURY_WORDS.search(norm)) and any(p.search(norm) for p in _SINGLE_INJURY_BY[script])


def _injured(count, script: tuple[bool, bool], norm: str) -> int | None:
    """The wounded of a clause that tells no death: a count, or one person wounded."""
    if not _INJURY_WORDS.search(norm):
        return None
    injured = count(_INJURED_BY[script], norm)
    return 1 if injured is None and _one_wounded(script, norm) else injured


_NO_ONE = re.compile(r"\bno(?:t)? one\b")
_ANY_NUMBER = re.compile(r"\d")
#: a range of counts: "between 7 to 9 fatalities", "killing 10-12 people" (not "between 13 and 17": a list
#: reads "and" too, "two fighters and 17 soldiers", so only with "between")
_RANGE = re.compile(r"\b(between \d+) (?:and|to) \d+\b|\b(\d+)(?: to |-)\d+\b")
#: a count and a larger one that may be: "2, possibly 3, civilians", "at least 5 civilians, and possibly as many as
#: 7", "2 or 3 people" (the first: ACLED's conservative count)
_EXACT = r"(?:\d+|" + "|".join(w for w, n in _EN_NUMBERS.items() if n < 100 and " " not in w
                               and w not in ("several", "many", "tens", "dozens", "scores")) + r")"
_MAYBE_MORE = re.compile(r"\b(" + _EXACT + r"(?: [a-z]+){0,2}?),? (?:(?:and |but )?(?:possibly|perhaps|maybe|"
                         r"potentially) (?:as many as |up to )?|or )" + _EXACT + r"\b,?")
#: the words of the number words (all of them: "a number of" needs "number")
_NUMBER_WORDS = frozenset(w for phrase in (*_EN_NUMBERS, *_AR_NUMBERS) for w in phrase.split() if w not in ("a", "of"))


def _no_count(*_args) -> None:
    return None


# --------------------------------------------------------------------------- dates

_WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6, "الاثنين": 0, "الثلاثاء": 1, "الاربعاء": 2, "الخميس": 3, "الجمعه": 4,
    "السبت": 5, "الاحد": 6,
}
_YESTERDAY = re.compile(r"\b(?:yesterday|last night|overnight)\b|(?:^| )(?:امس|البارحه|الليله الماضيه)(?: |$)")
_TODAY = re.compile(r"\b(?:today|this morning|earlier today|tonight)\b|(?:^| )(?:اليوم|فجر اليوم|صباح اليوم)(?: |$)")
_WEEKDAY = re.compile(r"(?:^| )(?:on |last |يوم |)(" + "|".join(_WEEKDAYS) + r")(?: |$)")
#: any word of a relative date, as a plain alternation: Python's regex engine scans for its first letters
#: quickly, where the patterns above, anchored at word edges in two scripts, try every position
_DATE_WORDS = re.compile("|".join(["yesterday", "last night", "overnight", "امس", "البارحه", "الليله الماضيه",
                                   "today", "this morning", "tonight", "اليوم", *_WEEKDAYS]))


_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4,
    "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
    "يناير": 1, "فبراير": 2, "مارس": 3, "ابريل": 4, "مايو": 5, "يونيو": 6, "يوليو": 7, "اغسطس": 8,
    "سبتمبر": 9, "اكتوبر": 10, "نوفمبر": 11, "ديسمبر": 12, "كانون الثاني": 1, "شباط": 2, "اذار": 3,
    "نيسان": 4, "ايار": 5, "حزيران": 6, "تموز": 7, "اب": 8, "ايلول": 9, "تشرين الاول": 10,
    "تشرين الثاني": 11, "كانون الاول": 12,
}
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + ")"
_MONTH_WORDS = re.compile(_MONTH)  # (a plain alternation: a fast first test, see _DATE_WORDS)
#: what is not a count of casualties: "no fatalities", days of the month, years
_NOT_COUNTS = re.compile(
    r"\b(?:no|nor|without|neither|not any) (?:[a-z]+ ){0,2}?(?:fatalities|deaths|casualties|injuries|dead|killed)"
    r"(?: (?:or|nor|and) (?:fatalities|deaths|casualties|injuries))?\b|"
    r"\b" + _MONTH + r" \d{1,2}\b|\b\d{1,2}(?:st|nd|rd|th)? (?:of )?" + _MONTH + r"\b|\b(?:19|20)\d\d\b|"
    # animals: "killed five of his sheep", "killing a number of sheep"
    r"\b(?:\d+|" + "|".join(_EN_NUMBERS) + r") (?:of (?:his|her|their|the) |heads of )?"
    r"(?:sheep|goats|cows|cattle|camels|livestock|animals|horses|donkeys|chickens|birds)\b|"
    # ages and spans of time: "a 20-year-old man", "طفل (13 عاما)", "منذ 20 عاما"
    r"\b\d{1,3}[ -](?:year|month|week|day)s?[ -]old\b|\b(?:ages?|aged) (?:of |between )?\d{1,3}"
    r"(?: (?:and|to) \d{1,3})?\b|(?:^| )\d{1,3} (?:عاما|عام|سنه|سنوات|اعوام|شهرا|اشهر)(?= |$)")
_YEARISH = re.compile(r"(?:19|20)\d\d")
_DAY_MONTH = re.compile(r"(?:^| )(?:يوم )?(\d{1,2})(?: و\d{1,2})? " + _MONTH + r"(?: (?:\S+ )?(\d{4}))?(?: |$)")
_MONTH_DAY = re.compile(r"(?:^| )" + _MONTH + r" (\d{1,2})(?: (\d{4}))?(?: |$)")
_YEAR = re.compile(r"(?:^| )(?:in |since |عام |سنه |منذ |في |(?:" + _MONTH[1:-1] + r") )(19\d\d|20\d\d)(?: |$)")


def _absolute_date(norm: str, published: dt.datetime) -> dt.date | None:
    """A written date ("on January 9", "17 تشرين الاول"), the year taken from the text or
    the latest such day not after the publication."""
    if not _ANY_NUMBER.search(norm) or not _MONTH_WORDS.search(norm):
        return None  # no day number or no month, no written date
    for pattern, day_group, month_group in ((_DAY_MONTH, 1, 2), (_MONTH_DAY, 2, 1)):
        m = pattern.search(norm)
        if not m:
            continue
        day, month = int(m.group(day_group)), _MONTHS[m.group(month_group)]
        year = int(m.group(3)) if m.group(3) else published.year
        try:
            when = dt.date(year, month, day)
        except ValueError:
            continue
        if not m.group(3) and when > published.date() + dt.timedelta(days=1):
            when = when.replace(year=year - 1) if not (month == 2 and day == 29) else when
        return when
    return None


_D = r"(\d{1,2})"
_Y = r"(?: (?:\S+ )?(\d{4}))?"  # a year after the month ("تشرين الاول 2023", "october of 2023")
#: a period: "between 17 and 26 October", "from 17 to 26 October", "17-26 October", "between October 17 and 26",
#: "between 28 September and 3 October", "بين 17 و26 تشرين الأول", "من 17 إلى 26 أكتوبر"; groups: first day,
#: its month (or None: the last day's), last day, its month, year
_PERIOD_DATES = [
    (re.compile(r"(?:^| )[وف]?(?:between|from|بين|من) " + _D + r"(?: " + _MONTH + r")? "
                r"(?:and |to |until |و ?|الي |حتي )" + _D + r" " + _MONTH + _Y + r"(?: |$)"), (1, 2, 3, 4, 5)),
    (re.compile(r"(?:^| )" + _D + r" ?- ?" + _D + r" " + _MONTH + _Y + r"(?: |$)"), (1, None, 2, 3, 4)),
    (re.compile(r"(?:^| )(?:between|from) " + _MONTH + r" " + _D + r" (?:and|to|until) (?:" + _MONTH + r" )?" + _D
                + r"(?:,? (\d{4}))?(?: |$)"), (2, 1, 4, 3, 5)),
]


def _period(norm: str, published: dt.datetime) -> tuple[dt.date, dt.date] | None:
    """The first and last day of a period a clause gives ("between 17 and 26 October"), the year taken
    from the text or the latest one that puts the last day no later than the publication."""
    if not _ANY_NUMBER.search(norm) or not _MONTH_WORDS.search(norm):
        return None
    for pattern, (d1, m1, d2, m2, y) in _PERIOD_DATES:
        m = pattern.search(norm)
        if not m:
            continue
        last_month = _MONTHS[m.group(m2) or m.group(m1)]  # ("between October 17 and 26": one month)
        first_month = _MONTHS[m.group(m1)] if m1 and m.group(m1) else last_month
        year = int(m.group(y)) if m.group(y) else published.year
        try:
            first, last = dt.date(year, first_month, int(m.group(d1))), dt.date(year, last_month, int(m.group(d2)))
            if not m.group(y) and last > published.date() + dt.timedelta(days=1):
                first, last = first.replace(year=year - 1), last.replace(year=year - 1)
            if first > last:  # "between 28 December and 3 January": the first day is in the year before
                first = first.replace(year=first.year - 1)
        except ValueError:
            continue
        return first, last
    return None


#: a year or more before: "two years ago", "قبل عامين", "قبل أكثر من عام"
_YEARS_AGO = _Gated(
    r"\b(?:a|one|two|three|four|five|several|many|\d+) years? ago\b|\blast year\b|"
    r"(?:^| )(?:العام|السنه|عام|سنه) (?:الماضي|الماضيه|المنصرم|المنصرمه)(?: |$)|"
    # decades: "في الخمسينات", "in the 1950s"
    r"(?:^| )(?:في )?(?:الخمسينات|الستينات|السبعينات|الثمانينات|التسعينات|الخمسينيات|الستينيات|السبعينيات|"
    r"الثمانينيات|التسعينيات)(?: |$)|\bin the (?:19\d0s|fifties|sixties|seventies|eighties|nineties)\b|"
    r"(?:^| )قبل (?:اكثر من |نحو |حوالي )?(?:عام|عامين|سنه|سنتين|اعوام|سنوات|\d+ (?:اعوام|سنوات|عاما)|"
    r"(?:ثلاث|اربع|خمس|ست|سبع|ثماني|تسع|عشر)\S* (?:سنوات|اعوام))(?: |$)",
    ["ago", "قبل", "last year", "الماضي", "المنصرم", "ينات", "ينيات", "0s", "fifties", "sixties", "seventies",
     "eighties", "nineties"])


def historical_norm(norm: str, published: dt.datetime) -> bool:
    """Does the (normalised) sentence place its events in an earlier year ("in 1999", "منذ عام 2002")?"""
    return bool(_YEARISH.search(norm)) and any(int(y) < published.year - 1 for y in _YEAR.findall(norm))


def resolve_date(sentence: str, published: dt.datetime) -> dt.date:
    """The day a sentence's event happened, relative to the publication time."""
    return resolve_date_norm(normalize_plain(sentence), published)


def resolve_date_norm(norm: str, published: dt.datetime) -> dt.date:
    absolute = _absolute_date(norm, published)
    return absolute if absolute is not None else _relative_date(norm, published)


def _relative_date(norm: str, published: dt.datetime) -> dt.date:
    """The day a clause's relative words give ("yesterday", "الخميس"), else the publication day."""
    day = published.date()
    if not _DATE_WORDS.search(norm):
        return day
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
    r"(?:^| )[وف]?(?:قال|قالت|اعلن|اعلنت|اكد|اكدت|صرح|اضاف|افاد|افادت|ذكر|ذكرت|حسب|حسبما|وفق|نقلا|اشار|اشارت|"
    r"اوضح|اوضحت|كشف|كشفت|زعم|زعمت|ادعي|ادعت)(?: |$)"
)
_THAT_BEFORE = re.compile(r"\bthat$|(?:^| )(?:ان|بان|وان)$")
_SAID_AFTER = re.compile(r"[\s,]{0,3}(?:said|says|told|announced|reported|added|confirmed|stated)\b")
_TARGET_MARKERS = re.compile(
    r"\b(?:on|against|at|targeting|toward|towards|to|with)(?: (?:a|an|the))?$|(?:^| )(?:علي|ضد|نحو|الي|مع)$")
#: a name introduced as a town ("the Saudi city of Jizan", "بمدينة جازان") or as a province
_TOWN_BEFORE = re.compile(r"\b(?:city|town|village|port|border town|border city) of(?: the)?$|"
                          r"(?:^| )(?:و|ب|ل|ف|وب|ول)?(?:ال)?(?:مدينه|بلده|قريه|ميناء)$")
#: what the text calls a village is no city of a hundred thousand: "the village of Sarja" is not Sharjah
_VILLAGE_BEFORE = re.compile(r"(?:^|\b(?:the|a|small|tiny|remote) )villages? of$|"
                             r"(?:^| )(?:و|ب|ل|ف|وب|ول)?(?:ال)?(?:قريه|قري)$")
_VILLAGE_AFTER = re.compile(r"^ ?(?:villages?\b|hamlet\b)")
_TOWN_OF = re.compile(r"(?:^| )(\S+) (?:border )?(?:city|town|village|port) of(?: the)?$")
_FROM_BEFORE = re.compile(r"\b(?:fired|launched|shot|rockets?|missiles?|mortars?|shells?|projectiles?|drones?) "
                          r"from(?: the)?$|(?:^| )(?:اطلق|اطلقت|انطلاقا) من$")
#: how far from a district's point a town in it may lie
_DISTRICT_KM = 30.0
_LOOSE_KM = 25.0  # how near a town the article names a place matched by its consonants must be
_NEAR_TOWN_KM = 40.0  # how near a town a place said to lie in it (its district, its countryside) must be


def _holds(outer: dict, inner: dict) -> bool:
    """Can a town lie in this place: in its province (a town's name is often its province's: "in Idleb"),
    or within ``_NEAR_TOWN_KM`` of it (a district or a town's countryside)? A country holds its own."""
    if outer["precision"] == "country" or outer["admin1"] is None:  # (a region of ours, "Sinai": no province code)
        return outer["country"] == inner["country"]
    if (outer["country"], outer["admin1"]) == (inner["country"], inner["admin1"]):
        return True
    return outer["precision"] == "city" and km(outer["lat"], outer["lon"], inner["lat"], inner["lon"]) <= _NEAR_TOWN_KM


_TOWN_AFTER = re.compile(r"(?:village|town|city|area)s?\b")
_PROVINCE_BEFORE = re.compile(r"\b(?:province|governorate|region) of(?: the)?$|"
                              r"(?:^| )(?:و|ب|ل|ف|وب|ول)?(?:ال)?(?:محافظه|منطقه|ولايه)$")
_ADJUNCT_BEFORE = re.compile(r"\b(?:in|during)(?: (?:the|these|those|this|an|a))?$|(?:^| )(?:في|خلال|جراء)$")
_AGENT_MARKERS = re.compile(r"(?:\bby(?: pro)?$)|(?:(?:^| )(?:قبل|يد)$)")
_COMPANION = re.compile(r"\b(?:in conjunction with|along with|together with|alongside|backed by|supported by|"
                        r"aided by|with the support of|with support from|accompanied by)(?: \S+){0,3}$")
_BY_NEXT = re.compile(r"^by(?: the| a| an| pro)?$")
#: an English attack word that ends in a past participle: "fired", "launched", "dropped", "carried out"
_EN_PARTICIPLE = re.compile(r"(?:[a-z]ed|\bshot|\bcarried out|\bstruck|\bhit)$")
_AND_THEIR = re.compile(r"\band (?:their|its)$")
_AND_JOINED = re.compile(r"\band(?: the)?$")
_ALLIES_AFTER = re.compile(r"^(?:allies|allied|ally|partners|proxies)\b")
_DONE_BY = re.compile(r"^(?:\S+ ){0,4}?(?:launched|fired|conducted|carried out|dropped|executed|staged|mounted|"
                      r"waged|perpetrated|unleashed|claimed) by(?: the| a| an| pro)?$")  # ("by pro Houthi forces")


@dataclass
class SentenceMentions:
    start: int
    end: int
    actors: list[Mention]
    places: list[Mention]
    weapons: list[Mention]
    systems: list[Mention]
    triggers: list[Mention]


def _before(doc: Doc, pos: int, width: int = 24) -> str:
    return doc.before(pos, width)


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
    r"\b(?:in|into|across|near|inside|from|to|over|of|eastern|western|northern|southern|central|"
    r"(?:north|south)(?:east|west)(?:ern)?)$|"
    r"(?:^| )(?:في|شرق|شرقي|غرب|غربي|شمال|شمالي|جنوب|جنوبي|داخل|وسط|الي|من|اراضي)$|"
    r"\bborders? with$|(?:^| )(?:الحدود|حدود) مع$"
)


def _place_like_actors(doc: Doc, actors: list[Mention], places: list[Mention]) -> set[int]:
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
        before = _before(doc, a.start, 16)
        surface = doc.plain(a.start, a.end)
        coordinated = a.start - last_place_end <= 6 and (
            surface.startswith("و") or re.search(r"\b(?:and|or)$", before))
        if _LOCATIVE.search(before) or surface.startswith("ب") or coordinated:
            out.add(i)
            last_place_end = a.end
    return out


def _apposition(doc: Doc, first: Mention, other: Mention) -> bool:
    """Is ``other`` the same name restated right after ``first`` (only quotes, commas between)?"""
    gap = doc.text[first.end:other.start]
    return other.start >= first.end and len(gap) <= 6 and not any(c.isalnum() for c in gap)


def _mention_party(m: Mention) -> str:
    d = m.entry.data
    if d.get("kind") in _STATE_KINDS and d.get("country"):
        return f"state:{d['country']}"
    return m.entry.id


def assign_roles(doc: Doc, s: SentenceMentions, trigger: Mention) -> tuple[
        Mention | None, Mention | None, Mention | None]:
    """(actor1, actor2, speaker) for a sentence's event."""
    place_like = _place_like_actors(doc, s.actors, s.places)
    actors = [a for i, a in enumerate(s.actors) if i not in place_like]
    speaker = None
    before_trigger = [a for a in actors if a.start < trigger.start]
    if before_trigger and _SPEECH.search(doc.plain(s.start, trigger.start)):
        # "X said (that) ...": the first actor before the trigger said it, when it is
        # followed by another actor or stands right after the speech verb
        first = before_trigger[0]
        right_after_verb = _SPEECH.search(_before(doc, first.start, 12))
        # "announced that X launched ...", "أعلن التحالف أن الحوثيين أطلقوا": X opens what was said
        opens_speech = _THAT_BEFORE.search(_before(doc, first.start, 8))
        if (len(actors) > 1 or right_after_verb) and not opens_speech:
            speaker = first
            # its apposition ("Defense Secretary Lloyd Austin") goes with it
            actors = [a for a in actors if a is not first and not (
                a.entry.id == first.entry.id and _apposition(doc, first, a))]
    if speaker is None:
        # "..., the US military said" / "according to X" / "حسبما أعلن X": a source, not a target
        for a in actors:
            if a.start >= trigger.end and (_SAID_AFTER.match(doc.text, a.end)
                                           or _SPEECH.search(_before(doc, a.start, 14))):
                speaker = a
                actors = [b for b in actors if b.end <= a.start or b.start >= a.end]  # its span
                break
    # "Israel says it killed ...": the speaker speaks of its own act
    own_act = speaker is not None and _SAYS_IT.search(doc.plain(speaker.end, trigger.start))
    # "21 US personnel suffered injuries in the attacks", "جرح جنديان في هجوم": the event named as
    # where or how something happened to those named before it; they are its target
    passive = bool(trigger.entry.data.get("passive") or _ADJUNCT_BEFORE.search(_before(doc, trigger.start, 16)))
    # "by X" names the agent only after a passive trigger ("were attacked by X"),
    # not in "depots used by X"
    agents = [a for a in actors if passive and a.start >= trigger.end
              and _AGENT_MARKERS.search(_before(doc, a.start))]
    # "airstrikes were reportedly launched by X", "a raid conducted by X": whatever the attack word, the
    # doer of a deed done by someone
    agents += [a for a in actors if a.start >= trigger.end and a not in agents
               and (_DONE_BY.match(gap := doc.plain(trigger.end, a.start))
                    # the attack word is the participle itself: "rockets fired by Turkish forces landed in"
                    or (_BY_NEXT.match(gap) and _EN_PARTICIPLE.search(doc.plain(trigger.start, trigger.end))))]
    if passive:
        # an actor in the attack's own words is its doer: "جرح جنديان في هجوم انتحاري", "في قصف إسرائيلي"
        agents[:0] = [a for a in actors if _overlap(a, trigger)]
    targets = [a for a in actors if a.start >= trigger.end
               and _TARGET_MARKERS.search(_before(doc, a.start))]
    if _AR_TRANSITIVE_NOUN.search(doc.plain(trigger.start, trigger.end)):
        # an Arabic verbal noun of a transitive verb takes its object right after it: "استهداف قاعدة
        # أمريكية", "اغتيال القيادي" (unlike هجوم or غارة, whose next word is the doer)
        targets[:0] = [a for a in actors if a.start >= trigger.end and not doc.text[trigger.end:a.start].strip()
                       and a not in targets and not doc.plain(a.start, a.end).startswith("ل")]
    if not agents and not any(a.start < trigger.end for a in actors):
        # no doer named before the attack word: the first actor after it is its doer ("قصفت قوات
        # النظام البلدة", "clashes between X and Y") unless something else acted before that actor,
        # another attack word ("a suicide bomber killed 5 Iraqi soldiers") or a weapon ("فجرت سيارة
        # مفخخة حافلة للحرس الثوري", "drones targeted a US base"): then it is the target
        first = next((a for a in actors if a.start >= trigger.end and a not in targets), None)
        if first is not None and (
                any(t.end <= first.start and not _overlap(t, trigger)
                    and t.entry.data["category"] in KINETIC_CATEGORIES for t in s.triggers)
                or any(w.end <= first.start and not _overlap(w, trigger) for w in (*s.weapons, *s.systems))
                # English puts the doer before its verb: "drones targeted a US base"
                or (not _ARABIC_LETTER.match(trigger.surface)
                    and _EN_PAST.search(doc.plain(trigger.start, trigger.end)))):
            targets.insert(0, first)
    # an actor overlapping the trigger ("US strikes") is its agent: count it as before; an ally named
    # with the doer is not the doer ("Turkish forces in conjunction with their Euphrates Shield allies
    # targeted ...", "QSD forces supported by Coalition warplanes clashed with ...")
    before = [a for a in actors if a.start < trigger.end]
    if len(before) > 1:
        before = [a for i, a in enumerate(before) if i == 0 or not (
            _COMPANION.search(_before(doc, a.start, 48))
            # the doers joined by "and": the first named leads ("the Turkish army and the rebel factions
            # supported by Turkey shelled ...")
            or (_AND_JOINED.search(_before(doc, a.start, 10)) and not _ARABIC_LETTER.match(a.surface)
                and _mention_party(before[i - 1]) != _mention_party(a))
            # "Turkish forces and their Euphrates Shield allies continued their assault"
            or (_AND_THEIR.search(_before(doc, a.start, 12)) and _ALLIES_AFTER.match(doc.plain(a.end, a.end + 12))))]
    after = [a for a in actors if a.start >= trigger.end and a not in agents]
    untargeted_after = [a for a in after if a not in targets]
    actor1 = agents[0] if agents else (before[-1] if before else (
        untargeted_after[0] if untargeted_after else None))
    # the other side is another party: "the US will not tolerate attacks on Americans"
    # names no target of the US
    others = [a for a in _distinct(targets + after + before[::-1])
              if actor1 is None or _mention_party(a) != _mention_party(actor1)]
    actor2 = others[0] if others else None
    if passive and not agents:
        actor1, actor2 = (None, actor1) if actor2 is None else (actor2, actor1)
    if actor1 is not None and _victim(doc, s, actor1):
        # "قتل جندي إسرائيلي في هجوم بسكين": the soldier is who was killed, whatever the attack word chosen
        actor1, actor2 = (actor2 if actor2 is not None and not _victim(doc, s, actor2) else None), actor1
    if own_act and actor1 is None and _mention_party(speaker) != (actor2 and _mention_party(actor2)):
        actor1 = speaker
    # Arabic: an attack noun with its doer attached by ل is that doer's attack, whatever else the
    # clause says: "قتل خمسة جنود في هجوم للحوثيين", "غارة لطيران التحالف"
    doers = [a for a in actors if a.prefixed and a is not speaker and doc.plain(a.start, a.end).startswith("ل")
             and any(t.entry.data["category"] in KINETIC_CATEGORIES and t.end <= a.start
                     and not doc.text[t.end:a.start].strip() for t in s.triggers)]
    if doers:
        doer = doers[0]
        rest = [a for a in _distinct(targets + after + before[::-1])
                if a is not doer and _mention_party(a) != _mention_party(doer)]
        victim = actor2 if actor2 is not None and _mention_party(actor2) != _mention_party(doer) else None
        return doer, victim or (rest[0] if rest else None), speaker
    # "الجيش الإسرائيلي يعلن اغتيال قيادي في حزب الله", "أعلن الجيش استهداف ...": whoever announces an
    # attack by its name did it
    announcers = [a for a in s.actors if any(
        t.entry.data["category"] in KINETIC_CATEGORIES and a.end <= t.start and _announces(doc, a, t)
        for t in s.triggers)]
    if announcers:
        doer = announcers[0]
        rest = [a for a in _distinct(targets + after + before[::-1])
                if a is not doer and _mention_party(a) != _mention_party(doer)]
        return doer, rest[0] if rest else None, None
    return actor1, actor2, speaker


#: "says it", "said its forces": what follows is the speaker's own act
_SAYS_IT = re.compile(r"^(?:\S+ )?(?:says|said|announced|claimed|stated)(?: that)? (?:it|they|its forces|its troops|"
                      r"its army|its jets)\b")
#: the verbal noun of a transitive verb (استفعال, افتعال, تفعيل): استهداف, اغتيال, اقتحام, تفجير, تدمير
_AR_TRANSITIVE_NOUN = re.compile(r"(?:^| )(?:[وف]?[بل]?)(?:ال)?(?:است\S\Sا\S|ا\Sت\Sا\S|ت\S\Sي\S)$")
#: an English attack word that ends in a verb in the past: "targeted", "struck", "drones hit"
_EN_PAST = re.compile(r"(?:[a-z]ed|\bstruck|\bshot|\bfought|\boverran|\bretook|\bhit|\bbeat|\bset fire|"
                      r"\b(?:kill|target|hit|pound)s|\bshot down|\bshoots? down)$")  # "strikes", "attacks": nouns too


def _overlap(a: Mention, b: Mention) -> bool:
    return a.start < b.end and b.start < a.end


#: "and" before a verb: a second verb of the sentence, not a complement of the first
_COORDINATED = re.compile(r"\band(?: then| later| also| eventually)?$")
#: what a capture takes when it is ground, right after the word (not "captured a fighter in the village")
_CAPTURE_WORDS = frozenset({"captured", "seized", "capture", "seize"})
_GROUND_AFTER = re.compile(
    r"^(?:(?!(?:in|at|near|from|during|of|by|after|with|on)\b)\S+ ){0,3}?(?:villages?|towns?|city|mountains?|"
    r"mount|hills?|hilltops?|plateau|airport|airbase|air base|base|bases|battalion|neighbou?rhoods?|areas?|"
    r"positions?|checkpoints?|district|fronts?|crossing|highway|road|heights|outposts?|strongholds?|farms)\b")
#: an attack word that tells the setting of what comes before it: "captured 8 more during clashes", "detained
#: two minors during clashes", "اعتقل ... خلال اشتباكات": an arrest or a capture there is part of the fight
_SETTING_BEFORE = re.compile(r"\b(?:during|amid|in the course of)(?: (?:the|heavy|fierce|violent|ongoing))?$|"
                             r"(?:^| )(?:خلال|اثناء|وسط)$")


def _role_trigger(doc: Doc, triggers: list[Mention], trigger: Mention) -> Mention:
    """The attack word the sides are told around: the clause's first English attack verb in the past before
    the word that tells the mode ("IS militants targeted an Iraqi police vehicle ... by an IED": IS did it;
    "IS fighters attacked regime positions with ATGMs"), else that word."""
    if trigger.entry.data["category"] != "ASSAULT" or _ARABIC_LETTER.match(trigger.surface):
        return trigger
    return next((t for t in triggers if t.start < trigger.start and t.entry.data["category"] == "ASSAULT"
                 and _EN_PAST.search(doc.plain(t.start, t.end))), trigger)


def choose_trigger(triggers: list[Mention], doc: Doc | None = None) -> Mention:
    """The sentence's main event trigger.

    The highest priority wins (a specific kinetic mode over a generic attack
    word over mobilisation, threats and diplomacy), except that an attack
    word yields to an earlier non-kinetic trigger, whose complement it usually
    is: "threatened to attack", "sent a message warning against attacks",
    "deployed air defences to protect bases from rocket attacks".
    """
    best = max(triggers, key=lambda m: (m.entry.data["priority"], -m.start))
    if best.entry.data["category"] == "ASSAULT":
        if doc is not None and _EN_PAST.search(best.surface) and _COORDINATED.search(_before(doc, best.start, 16)):
            return best  # a verb of its own: "sent reinforcements to the town and regained all territory"
        setting = doc is not None and bool(_SETTING_BEFORE.search(_before(doc, best.start, 24)))
        earlier = [m for m in triggers if m.start < best.start and m.entry.data["category"] != "ASSAULT"
                   and not m.entry.data.get("yields") and not (setting and m.entry.data["category"] == "COERCE")]
        if earlier:
            return max(earlier, key=lambda m: (m.entry.data["priority"], -m.start))
    return best


# --------------------------------------------------------------------------- core

_MODE_FROM_WEAPON = [
    ("fighter_jet", "air_strike", 8), ("helicopter", "air_strike", 8), ("drone", "drone_strike", 7),
    ("ballistic_missile", "missile_strike", 8), ("cruise_missile", "missile_strike", 8),
    ("missile", "missile_strike", 8), ("rocket", "rocket_attack", 7), ("artillery", "shelling", 7),
    ("explosive", "bombing", 7), ("naval_vessel", "naval_attack", 7), ("small_arms", "ground_clash", 6),
]
_STATE_KINDS = {"state_forces", "government"}
_MANNED = {"fighter_jet", "helicopter"}
_AIRCRAFT = _MANNED | {"drone"}
#: weapons that are munitions: a clause that names one tells an attack, whatever hazard it names too
#: (aircraft, drones and ships crash and sink; rockets, shells and bullets do not come by accident)
_MUNITIONS = frozenset({"rocket", "ballistic_missile", "cruise_missile", "missile", "artillery", "small_arms",
                        "explosive"})
_ARMED_KINDS = frozenset({"state_forces", "non_state_armed_group"})
#: a toll told this many sentences after a hazard's, with no doer, is the hazard's too
_HAZARD_REACH = 2

# --------------------------------------------------------------------------- clauses

#: Where a sentence turns to another event: "..., in retaliation for attacks on ...",
#: "... while regime forces shelled ...", "...، فيما أصيب ...". A clause with no
#: trigger of its own stays part of the clause before it.
_CLAUSE_BREAK = re.compile(
    r";\s+|\s+(?=(?:while|whereas|after|before|following|in retaliation for|in response to|and then)\s|"
    # "as" starts a clause, not a comparison: "as many as 6", "as well as", "as a result" (and see _AS_COMPARED)
    r"as\s(?!many\s|much\s|well\s|far\s|long\s|soon\s|a\sresult\s))|"
    r"[,،]?\s+(?=(?:فيما|بينما|في حين|ردا على|ردًا على|رداً على|بعد|عقب|إثر|اثر|وذلك بعد|قبل)\s)"
)
#: any word that may break a clause, as a plain alternation (see _Gated): most sentences hold none
_CLAUSE_WORDS = re.compile(r";|while|whereas|after|before|following|in re|and then|as\s|فيما|بينما|في حين|ردا|ردًا|"
                           r"رداً|بعد|عقب|إثر|اثر|قبل")
#: the second "as" of "as many as" (a lookbehind in _CLAUSE_BREAK would cost it its fast scan)
_AS_COMPARED = re.compile(r"(?:many|much|well|far|long|soon)$")
_NEGATION = re.compile(
    r"\b(?:no|not|never|nor|neither|without|denied|did not|didn't|failed to|foiled|thwarted|prevented)$|"
    r"(?:^| )[وف]?(?:لم|لن|لا|ما|عدم|نفي|نفت|دون|بدون|احباط|احبطت|افشال|لم (?:يكن|تكن) هناك|ليس هناك|"
    r"لا (?:يوجد|توجد)|(?:ال)?مضاد(?:ه)? (?:لل|ل)?)$|"
    r"\bthere (?:was|were|is|are) no$")
#: a trigger after these tells of an attack feared, planned, prevented or possible, not one that happened
#: Arabic words of intent, fear, possibility, demand, likelihood, denial and condition ("طلب تنفيذ ضربات",
#: "من المرجح ان", "ربما", "نفى الجيش قيام", "اذا ما حدث")
_IRREALIS_AR = ["خوفا", "خشيه", "خشية", "تحسبا", "احتمال", "لمنع", "منع", "تجنب", "يخطط", "تخطط", "خطط", "مخطط",
    "مخططات", "مؤامره", "لتجنب", "سوف", "بهدف", "قادره", "قادر", "يسعي", "تسعي", "تعتزم", "يعتزم", "ينوي", "تنوي",
    "محاوله منع", "يعتزمون", "ينوون", "يخططون", "يستعد", "يستعدون", "تستعد", "استعداد", "تدرب", "تدربوا",
    "يتدربون", "لشن", "لتنفيذ", "لارتكاب", "للقيام", "تدرس", "يدرس", "بصدد", "الخيار", "خيار", "الخطط", "التوقعات",
    "توقعات", "يمكن", "ممكن", "رجحت", "رجح", "مبررا", "مبرر", "طلب", "طالب", "يطالب", "تطالب", "المرجح", "تخطيط",
    "بتخطيط", "اوامر", "باوامر", "يرجح", "ترجح", "ربما", "يمكنهم", "يمكنه", "يمكنها", "بامكان", "بامكانه",
    "اذا", "واذا", "لو", "ولو", "بطلب", "طلبا", "تحتاج", "يحتاج", "بحاجه", "يتكهن", "تكهن", "تكهنات", "جاهزه",
    "جاهز", "معده", "معد"]
_IRREALIS_AR = list(dict.fromkeys(normalize_plain(w) for w in _IRREALIS_AR))  # as the text is: مؤامرة is موامره
_IRREALIS = re.compile(
    r"\b(?:would|could|might|may (?:be|have|attack|strike|target)|plans? to|planned to|planning to|plot to|"
    r"plotted to|fears? of|fear that|"
    r"risk of|threat of|prevent(?:ed)?|avoid|in order to|intended to|aims? to|seeks? to|capable of)\b[^.;]*$|"
    r"(?:^| )[وف]?(?:" + "|".join(_IRREALIS_AR) + r")(?: |$)[^.؟]*$|(?:^| )(?:اي|لاي|باي|من اي)$|"
    # "may" before an imperfect verb: "قد يرتكبون مذبحة", "قد يعيدون تنظيم أنفسهم ويشنون هجمات"
    r"(?:^| )[وف]?قد [ين]\S+(?: [^.؟]*)?$|"
    r"\b(?<!known )(?<!clear )(?<!sure )(?<!asked )(?<!see )if\b[^.;]*$|"
    # denied, unless it is the attacker's role that is denied: "نفى الجيش قيام المسلحين بإسقاط طائرة", "the army
    # denied that militants shot down a drone"; not "Hamas denied responsibility for the rocket attack"
    r"(?:^| )[وف]?(?:نفي|نفت|ينفي|تنفي)(?! (?:\S+ ){0,3}(?:مسووليت\S*|مسووليه\S*|اي علاقه|علاقت\S*|صلت\S*|"
    r"تورط\S*))"  # (normalised: مسؤولية is مسووليه)
    r"(?: |$)[^.؟]*$|"
    r"\b(?:denied|denies|deny)\b(?! (?:any )?(?:responsibility|involvement|role|links?|claims?|being behind))"
    r"[^.;]*$|"
    r"\b(?:preparing to|prepared to|trained to|to carry out|to launch|to stage)\b[^.;]*$|"
    r"\b(?:possible|potential|imminent|future|any)$")
#: the words _IRREALIS can match, as a plain alternation tried first (see _Gated); "any" in Arabic
#: ("اي") is a part of too many words for it, and is looked for at the window's end alone
_IRREALIS_GATE = re.compile("|".join([
    "would", "could", "might", "may ", "plan", "plot", "fear", "risk", "threat", "prevent", "avoid", "in order to",
    "intended", "aim", "seek", "capable", "if", "denie", "deny", "prepar", "trained", "to carry out", "to launch",
    "to stage", "possible", "potential", "imminent", "future", "any",
    *_IRREALIS_AR, "قد ", "نفي", "نفت", "ينفي", "تنفي"]))
_ANY_AR = re.compile(r"(?:^| )(?:اي|لاي|باي|من اي)$")
#: ... or is qualified as such right after it: "ضربة جوية محتملة", "هجماتها المرتقبة"
_IRREALIS_AFTER = re.compile(r"^(?:\S+ ){0,3}?(?:" + "|".join(
    f"{w}|{w}ه|ال{w}|ال{w}ه" for w in ("محتمل", "مرتقب", "وشيك", "مقبل", "متوقع")) + r")(?: |$)")
#: the purpose prefix ل on a verbal noun: لتفجير "in order to blow up", للهجوم "for the attack"
_PURPOSE = re.compile(r"^(?:ل|ول|فل)(?!ل)")
#: ... except after "was subjected to": تعرضت الوزيرة ... لمحاولة اغتيال
_SUBJECTED = re.compile(r"(?:^| )[وف]?(?:تعرض|تعرضت|تعرضوا|يتعرض|تتعرض|يتعرضون)(?: |$)")


#: a bomb found or defused is no attack: "فككت قوات الأمن سيارة مفخخة", "police dismantled two IEDs"
_DEFUSED = _Gated(
    r"(?:^| )[وف]?(?:عثرت|عثر|العثور|ضبطت|ضبط|تفكيك|فككت|فكك|ابطال|ابطلت|اكتشاف|اكتشفت|اكتشف)(?: |$)[^.؟]*$|"
    r"\b(?:defused|defusing|dismantled|dismantling|(?:found|discovered|uncovered|seized) (?:an?|\d+|two|three|"
    r"four|five|six|seven|eight|nine|ten|several|dozens of|scores of|hundreds of))\b[^.;]*$",
    ["عثر", "العثور", "ضبط", "تفكيك", "فكك", "ابطال", "ابطلت", "اكتشف", "اكتشاف", "defus", "dismantl", "found",
     "discovered", "uncovered", "seized"])


#: what puts an attack after "found": the body was found after the airstrike ("rescuers found a body after
#: the airstrike", "عثرت فرق الإنقاذ على جثة بعد الغارة"): an attack, not a bomb found
_AFTER_ATTACK = re.compile(r"\b(?:after|following|during|amid|as|when|while)\b|"
                           r"(?:^| )(?:بعد|اثر|جراء|خلال|عندما|حين|بينما|اثناء)(?: |$)")


def _alternatives(words: str) -> str:
    """Words as written, normalised like the text, as a regex alternation."""
    return "|".join(normalize_plain(w) for w in words.split())


#: arms held, carried, shipped or traded are no attack: "بحوزتهم بنادق آلية وذخائر وقنابل يدوية", "سفينة تحمل 33 دبابة
#: وقذائف", "a shipment of rockets and mortar shells"
_HELD = _Gated(
    r"(?:^| )[وف]?(?:" + _alternatives(
        "بحوزة بحوزته بحوزتها بحوزتهم بحوزتهما تحمل يحمل تحملها يحملها تحوي يحوي تشمل يشمل تضمنت تتضمن "
        "شحنة شحنات الشحنة الشحنات مصادرة صادرت صادر تهريب هربت صفقة صفقات شراء بيع مخزن مخازن ترسانة "
        "مستودع مستودعات امدادات إمدادات تزويد تسليم معددا")
    + r")(?: (?!(?:ثم|و?قصف\S*|و?اطلق\S*|و?اطلاق|و?هاجم\S*|و?استهدف\S*)(?: |$))\S+){0,6}$|"
    r"\b(?:shipments? of|arms deal|smuggl\w*|caches? of|stockpiles? of|carrying|supplied|delivered|sold|bought|"
    r"purchased?|possession of)(?: (?!then|and then|fired|launched|shelled|attacked|struck)\S+){0,6}$",
    ["بحوز", "تحمل", "يحمل", "تحوي", "يحوي", "تشمل", "يشمل", "تضمن", "شحن", "مصادر", "صادر", "تهريب", "هرب", "صفق",
     "شراء", "بيع", "مخزن", "مخازن", "ترسان", "مستودع", "امدادات", "تزويد", "تسليم", "معددا", "shipment", "arms deal",
     "smuggl", "cache", "stockpile", "carrying", "supplied", "delivered", "sold", "bought", "purchase", "possession"])


def _held(doc: Doc, s: SentenceMentions, trigger: Mention) -> bool:
    """Is the attack word a weapon held, carried, shipped or traded ("بحوزتهم ... وقنابل يدوية")? Only a
    weapon's name is: "a warship carrying cruise missiles fired two" is an attack."""
    return any(_overlap(w, trigger) for w in chain(s.weapons, s.systems)) and bool(
        _HELD.search(_before(doc, trigger.start, 60)))


def _defused(doc: Doc, trigger: Mention) -> bool:
    """Was the attack word's device found or defused? All a clause lists after "found" was found
    ("عثرت على سيارة مفخخة جاهزة للتفجير بالإضافة الى قذائف الهاون"), unless the attack came
    between ("found a body after the airstrike")."""
    before = _before(doc, trigger.start, 120)
    m = _DEFUSED.search(before)
    return bool(m) and not _AFTER_ATTACK.search(before, m.start() + 1)


def _unreal(doc: Doc, trigger: Mention) -> bool:
    """Is the attack feared, planned, prevented or a purpose ("to blow up"), not reported as done?"""
    before = _before(doc, trigger.start, 40)
    return bool((_IRREALIS_GATE.search(before) and _IRREALIS.search(before))
                or (before.endswith("اي") and _ANY_AR.search(before))
                or (not trigger.entry.data.get("casualty") and _defused(doc, trigger))  # (bodies found: the dead)
                or _IRREALIS_AFTER.match(doc.plain(trigger.end, trigger.end + 30))
                or (trigger.prefixed and _PURPOSE.match(doc.plain(trigger.start, trigger.end))
                    and not _SUBJECTED.search(_before(doc, trigger.start, 160))))


_ANCHOR_TIME = _Gated(
    r"\b(?:yesterday|today|tonight|overnight|last night|this morning|on (?:monday|tuesday|wednesday|thursday|"
    r"friday|saturday|sunday))\b|(?:^| )(?:امس|اليوم|الليله|فجر|صباح|مساء|ظهر)(?: |$)",
    ["yesterday", "today", "tonight", "overnight", "last night", "this morning", "monday", "tuesday", "wednesday",
     "thursday", "friday", "saturday", "sunday", "امس", "اليوم", "الليله", "فجر", "صباح", "مساء", "ظهر"])
_REPORT = _Gated(r"\b(?:reported|reportedly|said|claimed|according to)\b|"
                 r"(?:^| )(?:اعلن|اعلنت|قال|قالت|افاد|افادت|ذكر|ذكرت|اكد|اكدت|مصدر|مصادر)(?: |$)",
                 ["reported", "said", "claimed", "according to", "اعلن", "قال", "افاد", "ذكر", "اكد", "مصدر",
                  "مصادر"])
#: "in Harad", "near the village of Kafr Nabl": a named place the gazetteer may not know (English only:
#: Arabic has no capitals to tell a name)
_NAMED_PLACE = re.compile(
    r"\b(?:in|near|at|on|outside|around|into) (?:the )?(?:(?:town|village|city|area|district|province|"
    r"governorate|region|outskirts|vicinity|countryside)s? (?:of )?)?(?!(?:January|February|March|April|May|June|"
    r"July|August|September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    r"The|This|That|Which|Its|His|Her|Their)\b)[A-Z][\w'’-]{2,}|"
    # "the neighbourhood of Jobar was subjected to shelling"
    r"\b(?:town|village|city|area|district|neighbou?rhood|camp|province|governorate|region)s? of [A-Z][\w'’-]{2,}")
#: deaths a protest is against, mourns or marks: an earlier event's toll, not the protest's
_MOURNED = re.compile(
    r"\b(?:commemorat\w*|mourn\w*|against|denounc\w*|condemn\w*|over|in response to|to mark|anniversary of|"
    r"accus\w*(?: \S+){0,3}? of(?: arresting and)?)(?: \S+){0,4}? (?:the )?(?:(?:deaths?|killings?|executions?|"
    r"assassinations?|murders?) of|killing|assassinating|executing|murdering)\b|"
    r"(?:^| )(?:احتجاجا علي|تنديدا ب|استنكارا ل|لاحياء ذكري|احياء لذكري)\S* (?:\S+ ){0,2}?"
    r"(?:مقتل|اغتيال|اعدام|استشهاد|قتل)")
#: a country named as the other side of a border, or where people cross to: not where the event is ("the Bab
#: al-Hawa crossing with Turkey", "shot while crossing into Turkey", "Jizan, on the border with Yemen")
_NEIGHBOUR = re.compile(r"\b(?:borders? with|crossing with|crossings with|checkpoint with|border between|"
                        r"(?:cross|crossing|enter|entering|flee|fleeing|fled|smuggled) (?:\S+ )?into|"
                        r"(?:trying|attempting|attempt) to (?:enter|reach)|bordering)(?: the)?$|"
                        r"(?:^| )(?:الحدود مع|الحدوديه مع|الحدود بين|المعبر مع)$")
#: a city named as what a decision is about is no place where anything happened: "protesting the recognition
#: of Jerusalem as Israel's capital in Bethlehem", "moving the US embassy to Jerusalem", "الاعتراف بالقدس عاصمة"
_TOPIC_BEFORE = re.compile(r"\b(?:recogni[sz]e[sd]?|recogni[sz]ing|recognition of|decision (?:on|about|over|regarding)|"
                           r"declaring|declaration of|status of|(?:embassy|embassies) to)(?: the| occupied)?$|"
                           r"(?:^| )(?:الاعتراف|اعتراف|سفاره \S+ الي|السفاره \S+ الي|السفاره الي)$")
_TOPIC_AFTER = re.compile(r"^(?: al quds)? as (?:the |its |a |an )?(?:\S+ s |israeli |palestinian |jewish )?"
                          r"(?:eternal |undivided |united )?capital\b|^ (?:عاصمه|عاصمتها|عاصمه ل)(?: |$)")
#: where too few of a province's towns lie that way to take their middle (``lexicon.province_parts``): how far
#: a part of a province lies from the mean of its towns, in standard deviations of them (on the
#: ACLED dev split, the share of events within 25 km of the gold point was flat between 1.15 and 1.3:
#: 0.4872 at 0.7, 0.4952 at 1.0, 0.4966-0.4974 at 1.15-1.3, 0.4937 at 1.5; 0.4614 at the capital)
_REACH = 1.2
#: directions, as (north, east) unit steps
_DIRECTIONS = {form: step for word, step in {"north": (1, 0), "south": (-1, 0), "east": (0, 1), "west": (0, -1),
                                              "شمال": (1, 0), "جنوب": (-1, 0), "شرق": (0, 1), "غرب": (0, -1)}.items()
               for form in ((word, word + "ern") if word.isascii() else (word, word + "ي", "ال" + word + "ي"))}
_DIR_EN = r"(north|south|east|west)(?:ern)?(?:(?:-| )?(east|west)(?:ern)?)?"
_DIR_AR = r"(شمال|جنوب|شرق|غرب|شمالي|جنوبي|شرقي|غربي)(?: (شرق|غرب|شرقي|غربي))?"
_DIR_AR_AFTER = r"(الشمالي|الجنوبي|الشرقي|الغربي)(?: (الشرقي|الغربي))?"
#: a direction before a province or its capital: "southern idlib", "north-eastern hama", "the northern
#: countryside of aleppo", "جنوب ادلب", "شمال شرق حماه"; not "north of baghdad" (near the city)
_DIRECTION_BEFORE = re.compile(r"(?:^| )(?:" + _DIR_EN + r"(?: rural| countryside of(?: the)?)?|"
                               + _DIR_AR + r"(?: ريف)?)$")
#: ... or after it: "hama's western countryside", "ريف حلب الشمالي الشرقي"
_DIRECTION_AFTER = re.compile(r"(?:s )?" + _DIR_EN + r" countryside|" + _DIR_AR_AFTER + r"(?: |$)")
#: a share ("fell by 38%", "٪"), in the text as written: normalising drops the sign
_PERCENT = re.compile(r"\d\s?[%٪]")
_STATISTIC = re.compile(r"(?:^| )(?:بنسبه|نسبه|المئه|percent|per cent|statistics|احصاءات|حصيله|بلغ عدد|"
                        r"العدد المتزايد|عدد متزايد|increasing number of|growing number of|rising number of)"
                        r"(?: |$)|"
                        # a toll summed over a period: "eight women have been killed since early December"
                        r"\b(?:have|has) been (?:\S+ )?(?:killed|wounded|injured|executed|assassinated) since\b")
_AR_NAMED_PLACE = re.compile(r"(?:^| )[وف]?(?:ب|في )?(?:" + _alternatives(
    "بلدة قرية مدينة حي مديرية ناحية قضاء مخيم محافظة ولاية إقليم اقليم بلدات قرى أحياء")
    + r") \S+")


#: fighters named by their kind, not as a party, and the fronts they move on: what an advance or taking
#: control needs in its clause to be a military one ("تقدمت القوات الأمنية من ثلاثة محاور", "واصلت المقاومة
#: تقدمها باتجاه"), not "تقدم النائب بطلب", "السيطرة على الحريق"
_MILITARY = re.compile(r"(?:^| )(?:[وفبل]?(?:ال)?|و?لل)(?:" + _alternatives(
    "قوات القوات جيش الجيش مقاومة المقاومة ثوار الثوار مسلحين المسلحين مسلحون مقاتلي مقاتلو المقاتلين "
    "ميليشيا الميليشيات مليشيات المليشيات ميليشيات فصائل الفصائل الحشد جبهة الجبهة محور محاور جبهات الجبهات "
    "ارهابيين الارهابيين ارهابيون الارهابيون عناصر العناصر التنظيم باتجاه صوب عسكرية العسكرية عسكري العسكري")
    + r")(?: |$)|\b(?:forces|troops|army|militants|rebels|fighters|militias?|militiamen|gunmen|soldiers)\b")


#: the rest of a list of names that the text calls districts, after one of them
_DISTRICTS_AFTER = re.compile(r"(?:,? (?:and )?[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?)*,? (?:border )?districts\b")
#: what breaks a truce, before its word (with a word between: "in violation of a ceasefire agreement")
_BROKEN_TRUCE = re.compile(
    r"\b(?:violations? of|violating|violated|violate|breach(?:es)? of|breaching|breached|broke|breaking|despite)"
    r"(?: (?:a|an|the|this|that|its))?(?: \S+)?$|"
    r"(?:^| )(?:خرقا|انتهاكا|خرق|انتهاك|يخرق|تخرق|خرقت)(?: \S+){0,3}$|(?:^| )(?:رغم|برغم|بالرغم من)$")
#: a crowd and the means of putting one down (not stones: a mob that stones villagers attacks them)
_CROWD = re.compile(
    r"\b(?:tear[- ]?gas|rubber(?:-coated)?(?: steel)? bullets|rubber-coated|sound bombs?|stun grenades?|water cannons?|"
    r"suffocat\w*|to disperse|dispersed|dispersing|demonstrators|protesters|protestors|rioters)\b|"
    r"(?:^| )(?:المسيل للدموع|قنابل الغاز|الرصاص المطاطي|لتفريق|تفريق|المتظاهرين|المحتجين|اختناق|حالات اختناق|"
    r"قنابل صوتيه)(?: |$)")
#: ground taken with no fight: not a battle
_UNOPPOSED = re.compile(r"\bwithout (?:a |any )?(?:fight|fighting|resistance|clashes|battle)\b|\bunopposed\b|"
                        r"(?:^| )(?:دون|بدون|من دون|من غير) (?:اي )?(?:قتال|مقاومه|اشتباكات|معارك)(?: |$)")
#: attacks counted over a period: "more than 100 suicide attacks this year", "نحو مئة هجوم منذ بداية العام"
_TALLY = re.compile(
    r"(?:^| )(?:\d+|" + _alternatives("مائة مئة مئات عشرات آلاف ألف") + r"|dozens|hundreds|scores) (?:of )?"
    r"(?:\S+ ){0,2}?(?:" + _alternatives(
        "هجوم هجمات هجوما عملية عمليات تفجير تفجيرات غارة غارات اعتداء اعتداءات")
    + r"|attacks|bombings|strikes|raids|incidents|operations)(?: |$)")
_PERIOD = re.compile(
    r"(?:^| )(?:منذ بدايه|منذ مطلع|هذا العام|العام الحالي|العام الجاري|خلال العام|هذه السنه|العام الماضي|"
    r"خلال الاشهر|خلال السنوات|this year|last year|so far|since the (?:start|beginning)|in the past (?:year|"
    r"months|decade)|over the past)(?: |$)")
#: a sentence that asks is not a report: "ثم هل كان حزب الله يتوقع ...؟"
_QUESTION = re.compile(r"[?؟][\"'”»)\s]*$")


def split_clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) offsets of the clauses of the sentence text[start:end]."""
    if not _CLAUSE_WORDS.search(text, start, end):
        return [(start, end)] if end > start else []
    cuts = [start]
    for m in _CLAUSE_BREAK.finditer(text, start, end):
        if text.startswith("as", m.end()) and _AS_COMPARED.search(text, max(start, m.start() - 5), m.start()):
            continue
        if m.start() - cuts[-1] >= 12 and end - m.end() >= 12:
            cuts.append(m.end())
    cuts.append(end)
    return [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b > a]


@dataclass
class Draft:
    """An event while the article is still being read: its mentions and where it came from."""

    event: Event
    trigger: Mention
    actor1: Mention | None
    actor2: Mention | None
    order: int
    anaphoric: bool = False  # "the strikes", "these attacks": refers back to an earlier report
    #: every trigger is definite ("the attack", "الاغتيال") and the clause gives no casualties and no
    #: day: it names an event told elsewhere, and reports one only if the article told it before
    reference_only: bool = False
    #: every trigger tells a toll ("three soldiers were wounded") and no actor is named: the
    #: casualties of an attack told just before, if there is one
    toll_only: bool = False
    #: its dead come on top of those of the report it joins ("killing 3 more civilians")
    more: bool = False
    #: another source's count of the toll just told ("AFP reported that 14 people had been killed"): of the
    #: two, the lower counts (ACLED's conservative convention)
    other_source: bool = False


_CONTINUATION = re.compile(
    r"^(?:he|she|it|they) (?:also|added|further)|^(?:also|he added|she added|it added)\b|"
    r"^(?:كما|واضاف|واضافت|وتابع|وتابعت|واكد|واكدت|وشدد|وشددت|واوضح|واوضحت|واشار|واشارت)(?: |$)")
_DEFINITE = re.compile(r"^(?:ال|[وف]ال)")  # an Arabic trigger with the article: الضربات "the strikes"
#: ("that" after a verb of saying opens what was said: "it was reported that clashes erupted")
_DEFINITE_BEFORE = re.compile(r"(?:^| )(?:the|these|those|this|such|هذه|تلك|هذا|(?<!reported )(?<!said )(?<!says )"
                              r"(?<!claimed )(?<!claims )(?<!announced )(?<!stated )(?<!indicated )(?<!confirmed )"
                              r"(?<!added )(?<!noted )(?<!reports )(?<!alleged )that)$")
#: an Arabic noun that cannot be read as a verb (normalised): plurals in ات (هجمات) and the verbal nouns
#: تفجير, اغتيال, اعتداء, انفجار, استهداف, هجوم, مقتل, after any clitics (و ف ب ل ك); a word that ends
#: in ة as written (غارة) is one too (_TA_MARBUTA_END)
_AR_NOUN = re.compile(r"^(?:[وف]?[بلك]?)(?:\S{3,}ات|ت\S\Sي\S|ا\Sت\Sا\S|ان\S\Sا\S|است\S\Sا\S|\S\Sو\S|م\S\S\S)$")
#: what follows a noun to make it definite by construct (إضافة): a word with the article, اغتيال الوزير, or a
#: name that ends in one, اغتيال رفيق الحريري (a preposition, على الجيش, starts no construct)
_GENITIVE_AFTER = re.compile(
    r"^(?:(?!(?:علي|في|من|ضد|الي|عن|قرب|داخل|بين|مع|عند|امس|اليوم|[وبلف]\S*)(?: |$))\S+ )?ال\S{2,}")
#: announcing an attack by its name reports it: "أعلن الجيش اغتيال القيادي"
#: between an actor and the attack it announces: "X يعلن اغتيال", "X announced the killing of"
_ANNOUNCING = re.compile(r"^(?:" + _alternatives("أعلن أعلنت يعلن تعلن") + r"|(?:announced|announces)(?: the)?)$")


#: a verb of an attack's happening right after it ("الهجوم وقع", "التفجير الذي وقع", "the attack took place") or, in
#: Arabic, before it ("اندلعت الاشتباكات")
_OCCURRED_AFTER = re.compile(r"^(?:\S+ )?(?:الذي |التي )?(?:"
                             + _alternatives("وقع وقعت وقعا وقعتا اندلع اندلعت جرى جرت حصل حصلت حدث حدثت")
                             + r")(?: |$)|^(?:\S+ ){0,2}?(?:took place|occurred|happened|broke out|erupted)\b")
_OCCURRED_BEFORE = re.compile(r"(?:^| )[وف]?(?:" + _alternatives("وقع وقعت اندلع اندلعت جرى جرت دار دارت") + r")$")
_ANNOUNCED_EN = re.compile(r"\b(?:announced|announces|confirmed|confirms)(?: the)?$")


def _announces(doc: Doc, actor: Mention, trigger: Mention) -> bool:
    """Does ``actor`` announce ``trigger`` by its name: "X يعلن اغتيال", or verb first, "أعلن X اغتيال"?"""
    between = doc.plain(actor.end, trigger.start)
    return bool(_ANNOUNCING.match(between) or (not between and _ANNOUNCED_BEFORE.search(_before(doc, actor.start, 12))))


_ANNOUNCED_BEFORE = re.compile(r"(?:^| )(?:" + _alternatives("أعلن أعلنت يعلن تعلن") + r")(?: \S+)?$")
#: a trigger named as the background or the subject of something else refers to a known event:
#: "six days after the assassination of ...", "منذ هجوم انتحاري", "the investigation into the bombing",
#: "قضية اغتيال الحريري", "ادانت الاعتداء"
_REFERENCE_BEFORE = re.compile(
    r"(?:^| )(?:(?:" + _alternatives("أيام أسابيع أشهر شهور سنوات أعوام عام سنة") + r") (?:بعد|علي)|"
    + _alternatives("أعقاب منذ خلفية قضية ذكرى التحقيق تحقيق محاكمة المحكمة المتهم المتهمين المتهمون متهم "
                    "متهمين المتورطين تورط منفذي مرتكبي سر ملف إدانة أدان أدانت يدين تدين استنكر استنكرت ندد "
                    "نددت شجب شجبت حادثة الحادث جريمة الجريمة وراء مسؤولية المسؤولية تداعيات تطورات تبني "
                    "تبنيه تبنيها")
    + r")(?: (?:علي|في|عن|ب|ال\S+|\S+ علي)){0,2}$|"
    r"\b(?:(?:days|weeks|months|years) (?:after|since)|since|wake of|aftermath of|investigation into|"
    r"inquiry into|trial over|trial of|anniversary of|accused of|condemned|denounced|perpetrators of|"
    r"case of)(?: \S+){0,1}$")


#: an attack named as the subject of something else that is the news: its anniversary, its investigation or
#: trial, its repercussions, who is accused of it ("الذكرى 13 لمجزرة", "التحقيقات في التفجير", "تداعيات
#: اغتيال", "the anniversary of the bombing"): not a report of it, whatever the clause dates or counts
_STRONG_REFERENCE = re.compile(
    r"(?:^| )[وف]?(?:ب|ل|في )?(?:ال)?(?:" + _alternatives(
        "ذكرى ذكري تحقيق تحقيقات محاكمة محاكمات تداعيات خلفية متهم متهمة متهمين متهمون المتهم اعترافات "
        "مشاهد منفذ منفذي مرتكب مرتكبي خلاف جدل اشتباه هدف موضوع ملف")
    + r")(?: (?:\d+|علي|في|عن|حول|ب\S*|مع|و?ال\S+|\S+ علي|تنفيذ|شن|جريمه|عمليه|اخر)){0,3}$|"
    # a time after it: "بعد ستة أيام على اغتيال", "بعد ساعات على آخر هجوم", "days after the bombing"
    r"(?:^| )(?:ايام|اسابيع|اشهر|شهور|سنوات|اعوام|ساعات|يوم|ساعه|يومين|اسبوع|اسبوعين|شهر|شهرين) "
    r"(?:بعد|علي|من)(?: (?:ال\S+|اخر|عمليه|جريمه)){0,2}$|"
    r"\b(?:hours|days|weeks|months|years|a day|a week|a month) (?:after|since)(?: the| a| an)?$|"
    r"(?:^| )[وب]?(?:ال)?(?:وقوف|تقف|يقف|يقفون|كان|كانت) وراء(?: \S+)?$|"
    # a film's or a book's title: "فيلم «اغتيال جيسي جيمس»", "the film The Assassination of ..."
    r"(?:^| )(?:فيلم|الفيلم|كتاب|الكتاب|روايه|الروايه|مسلسل|المسلسل|قصيده)$|"
    r"\b(?:film|movie|book|novel|series)(?: the)?$|"
    # one of a count: "رابع هجوم انتحاري", "ثالث أكبر هجوم"
    r"(?:^| )(?:ثاني|ثالث|رابع|خامس|سادس|سابع|ثامن|تاسع|عاشر)(?: اكبر| اعنف| اخطر)?$|"
    # its dead named as those who fell in it: "أهالي الشهداء الذين سقطوا في تفجير طرابلس", "the families of those
    # who were killed in the bombing": the attack is the background of what is told of them
    r"(?:^| )(?:الذين|الذي|التي|اللذين|اللتين) (?:سقطوا|سقط|سقطت|قتلوا|قتل|قتلت|استشهدوا|استشهد|استشهدت|قضوا|"
    r"لقوا حتفهم|لقي حتفه)(?: \S+){0,4}? (?:في|جراء|خلال|اثناء|ب\S*)$|"
    r"\b(?:who|that) (?:were|was|had been) killed in(?: the)?$|\bwho died in(?: the)?$|"
    # ... and their death in a relative clause: "the families of the 12 soldiers who were killed"
    r"\b(?:soldiers|people|civilians|men|victims|those|fighters|policemen) who$|"
    # attacks of a kind, not one: "مثل هذه التفجيرات", "such attacks"
    r"(?:^| )مثل (?:هذه|هذا|تلك|ال\S+)$|\bsuch$|"
    r"\b(?:anniversary of|investigation into|investigations into|inquiry into|trial over|trial of|"
    r"accused of|charged with|convicted of|suspected of|repercussions of|mark(?:s|ed|ing)? the)(?: \S+){0,1}$")


#: ... or qualified as an earlier one right after it: "عمليات انتحارية سابقة", "the previous attacks"
_PAST_AFTER = re.compile(r"^(?:\S+ )?(?:سابق|سابقه|السابق|السابقه|سابقا|مماثل|مماثله|المماثل|المماثله|similar|"
                         r"previous)(?: |$)")


#: what joins an attack to the words that tell of it: "التفجير الذي استهدف", "the bombing that killed"
_RELATIVE = re.compile(r"^(?:(?:\S+ ){0,3}?(?:الذي|التي|الذين|اللذين|that|which|who)(?: \S+){0,3}|"
                       r"ب|with|with an?|by|using|)$")  # (or its weapon: "اعتداء بسيارة مفخخة")


def _all_referenced(doc: Doc, triggers: list[Mention], end: int) -> bool:
    """Is every attack word of a clause the subject of something else (its anniversary, inquiry, ...),
    an earlier attack, or in a relative clause that tells of such an attack ("the investigation into the
    bombing that killed five")?"""
    before: Mention | None = None
    for t in sorted(triggers, key=lambda m: m.start):
        if not (_STRONG_REFERENCE.search(_before(doc, t.start, 30))
                or _PAST_AFTER.match(doc.plain(t.end, min(t.end + 24, end)))
                or (before is not None and t.start >= before.end
                    and _RELATIVE.match(doc.plain(before.end, t.start)))):
            return False
        before = t
    return True


#: what puts a place inside the next one: "Sayda town in eastern Dar'a", "Tir Maallah in northern Homs",
#: "Shafa in eastern Deir-ez-Zor", "بلدة صيدا في ريف درعا الشرقي"
_IN_NEXT = re.compile(
    r"^(?:(?:town|village|city|area|district|neighbou?rhood|camp|hill|site|areas|villages|towns|port|mountain|"
    r"sub-district|subdistrict|township|valley) )?"
    r"(?:(?:which|that) is |located |situated )?"
    r"(?:in|of|near|outside|,)? ?(?:the )?(?:(?:north|south|east|west|northeast|northwest|southeast|southwest|"
    r"central|eastern|western|northern|southern|north-eastern|north-western|south-eastern|south-western|"
    r"rural|greater) )*(?:of (?:the )?)?(?:(?:countryside|outskirts|province|governorate|district|suburbs|region|"
    r"city|sub-district|township) of )?"
    r"(?:the )?$|^(?:في|ب|قرب|شرق|غرب|شمال|جنوب)? ?(?:ريف|محافظه|مدينه|بلده|ضواحي)? ?$")


#: words that put a place beside the next one, not in it: "Makhmur town, southeast of Mosul", "near Hama"
_BESIDE = re.compile(r"^(?!.*\b(?:in|inside|within)\b)(?=.*\b(?:near|outside|(?:north|south)?(?:east|west)|north|south|"
                     r"(?:north|south)-(?:east|west))\b)|^(?:قرب|شرق|غرب|شمال|جنوب)\b")


#: the rest of the first place's name ("Tir Maallah", "Al-Karak al-Sharqi"), and another place named with it
#: ("the towns of Mashara and Jabaa in central Quneitra")
_NAME_GOES_ON = re.compile(r"^(?:[\s-]*(?:[A-Z][\w'’-]*|(?:al|el|as|ash|ad|ar|az)-[\w'’-]+)){0,2}"
                           r"(?: and [A-Z][\w'’-]*(?:[\s-]+[A-Z][\w'’-]*)?)?")


def _in_next(doc: Doc, end: int, start: int) -> bool:
    """Do the words between two places put the first inside the second? The rest of the first one's
    name may come first: "Tir Maallah in northern Homs" ("Tir" is a name the gazetteer knows), and
    another place named with it ("Mashara and Jabaa in central Quneitra")."""
    gap = doc.text[end:start]
    m = _NAME_GOES_ON.match(gap)
    words = normalize_plain(gap[m.end():] if m else gap)
    # a word must say it ("in", "في", "countryside of"): two names side by side or after a comma are
    # two places ("إسرائيل فتيل", "مدينة جازان، وأن ...")
    return bool(words) and bool(_IN_NEXT.match(words + " "))


def _inside(doc: Doc, places: list[Mention]) -> list[Mention]:
    """Leave out a place said to lie in a place of another country: "Sayda town in eastern Dar'a" is
    not Sidon, Lebanon (the place after it decides)."""
    if len(places) < 2:
        return places
    ordered = sorted(places, key=lambda m: m.start)
    dropped = set()
    for a, b in zip(ordered, ordered[1:], strict=False):
        if (a.entry.data["country"] != b.entry.data["country"] and b.start - a.end <= 60
                and b.entry.data["precision"] != "country"
                and _in_next(doc, a.end, b.start)):
            dropped.add(id(a))
    return [m for m in places if id(m) not in dropped] if dropped else places


#: Arabic nouns of people that a toll verb right before them makes its victims: "قتل جندي", "إصابة عنصرين"
_PEOPLE_AR = re.compile(r"^(?:ال)?(?:جندي|جنود|جنديين|جنديان|ضابط|ضباط|عسكري|عسكريين|عسكريون|عنصر|عناصر|عنصرين|شرطي|"
                        r"شرطيين|مدني|مدنيين|مدنيون|مواطن|مواطنين|فرد|افراد)(?: |$)")


def _victim(doc: Doc, s: SentenceMentions, actor: Mention) -> bool:
    """Is the actor named as the dead or wounded of a toll word right before it ("قتل جندي إسرائيلي",
    "مقتل 3 جنود أمريكيين")?"""
    if not _PEOPLE_AR.match(doc.plain(actor.start, actor.end)):
        return False
    return any(t.entry.data.get("casualty") and t.end <= actor.start
               and _COUNT_ONLY.match(doc.plain(t.end, actor.start)) for t in s.triggers)


_COUNT_ONLY = re.compile(r"^\S*$")  # nothing, or one word (a count): "مقتل 3 جنود"


#: an attack in words: the attacker goes on to speak ("شن هجوما على النظام ويحذر في مقال", "بالهجوم على الحكومة
#: قائلا", "attacked the minister, accusing him of"); not "saying", which an armed attacker says too ("attacked
#: the post, saying it had shelled their villages")
_TALK_AFTER = re.compile(
    r"(?:^| )(?:" + _alternatives("قائلا قائلة قائلين منتقدا منتقدة وانتقد وانتقدت متهما متهمة واصفا واصفة "
                                  "معتبرا معتبرة محذرا محذرة ويحذر وتحذر")
    + r"|في (?:مقال|مقاله|كلمه|خطاب|تصريح|تصريحات|حديث|مقابله|بيان))(?: |$)|"
    r"\b(?:accusing (?:him|her|it|them|the)|criticizing|criticising|in a speech|in an article|"
    r"in an interview|in an op-ed|in a column)\b")
#: what only words attack: a committee, a decision, a policy, the press ("واصلت حماس هجومها على اللجنة التنفيذية",
#: "his attack on the decision")
_WORDS_TARGET = re.compile(
    r"^(?:\S+ )?(?:علي|on) (?:the )?(?:" + _alternatives(
        "اللجنة لجنة القرار قرار السياسة سياسة سياسات البرلمان الصحافة الإعلام الاعلام وسائل الكاتب التقرير "
        "تصريحات مواقف موقف الاتفاق المبادرة الخطة الدستور")
    + r"|committee|decision|policy|policies|parliament|press|media|report|remarks|statement|initiative|plan|"
    r"constitution)(?: |$)")
#: the attack words that are also said of words: هجوم، هاجم، اعتداء، attack, assault
_ATTACK_WORD = re.compile(r"هجوم|هجم|هاجم|اعتدا|attack|assault")
#: "استهدف" of an aim, not a target: "تستهدف السيطرة على كركوك", "عملية تستهدف وجود الدولة"
_AIMS_AT = re.compile(r"^(?:ال)?(?:" + _alternatives(
    "سيطرة وجود محو تحقيق زعزعة تقويض إضعاف اضعاف إسقاط اسقاط نيل تغيير تعزيز دعم تطوير رفع خفض زيادة تحسين "
    "جذب حد حماية ضمان إنهاء انهاء تصفية عرقلة إفشال افشال تشويه إطاحة اطاحة بناء إقامة اقامة إنشاء انشاء توفير "
    "إعادة اعادة تعطيل تفتيت تمزيق تقسيم ابتزاز إثارة اثارة خلق فرض تمرير إرباك ارباك استقرار أمن امن وحدة سيادة "
    "كيان مشروع مصالح هيبة") + r")(?: |$)")
_AIM_VERB = re.compile(r"^[وف]?(?:ت|ي)?(?:استهدف|ستهدف)")


#: an assault that is a crime or abuse, not an armed attack: "السرقات والاعتداءات على الأشخاص", "اعتداءات جنسية",
#: "التعذيب والاعتداء على السجناء"
_CRIME = re.compile(r"(?:^| )[وف]?(?:" + _alternatives(
    "سرقة سرقات السرقات السرقة جنسية جنسي الجنسية الجنسي اغتصاب الاغتصاب تحرش التحرش تعذيب التعذيب السجناء "
    "سجناء المعتقلين النشل") + r")(?: |$)")  # (not جريمة: the press calls a bombing "الجريمة" too)


def _said_not_done(doc: Doc, s: SentenceMentions, trigger: Mention, norm: str) -> bool:
    """Is the attack one in words ("شن هجوما على النظام ويحذر في مقال"), an aim ("تستهدف السيطرة على") or a
    crime ("السرقات والاعتداءات على الأشخاص")?
    Asked only of a clause (``norm``, normalised) that tells no toll and no weapon."""
    surface = doc.plain(trigger.start, trigger.end)
    if _ATTACK_WORD.search(surface) and (_TALK_AFTER.search(doc.plain(trigger.end, s.end))
                                         or _WORDS_TARGET.match(doc.plain(trigger.end, min(s.end, trigger.end + 30)))):
        return True
    if "اعتدا" in surface and _CRIME.search(norm):
        return True
    return bool(_AIM_VERB.match(surface) and _AIMS_AT.match(doc.plain(trigger.end, min(s.end, trigger.end + 30))))


def _attacked_in_words(doc: Doc, s: SentenceMentions, trigger: Mention) -> bool:
    """Is the attack word followed closely by a word of speech ("هاجمت رايس حماس قائلة «... إطلاق الصواريخ»")?
    Then the weapons the clause names are in what was said."""
    return bool(_ATTACK_WORD.search(doc.plain(trigger.start, trigger.end))
                and _TALK_AFTER.search(doc.plain(trigger.end, min(s.end, trigger.end + 40))))


def _aimed(doc: Doc, s: SentenceMentions, trigger: Mention) -> bool:
    """Does the clause say what the attack was aimed at: a place or an actor right after "on",
    "against", "على", "ضد" following the attack word?"""
    return any(m.start >= trigger.end and _AIMED_AT.search(_before(doc, m.start, 20))
               for m in (*s.actors, *s.places))


#: "on", "against", "على", "ضد", with a part of the place in between: "على جنوب لبنان", "on northern Gaza"
_AIMED_AT = re.compile(
    r"(?:^| )(?:علي|ضد|نحو|الي)(?: (?:شمال|جنوب|شرق|غرب|وسط|شمالي|جنوبي|شرقي|غربي))?$|"
    r"\b(?:on|against|at|targeting)(?: (?:the )?(?:north|south|east|west|northern|southern|eastern|western|"
    r"central))?$")


def _fuzzy(m: Mention) -> bool:
    """A Latin place name matched by its spelling skeleton, not as written ("Bani-Moath" for Bāneh):
    weak evidence of where an article is."""
    return m.prefixed and not _ARABIC_LETTER.match(m.surface)


def _construct(doc: Doc, trigger: Mention) -> bool:
    """Is an Arabic noun trigger made definite by the word after it (اغتيال الوزير "the minister's
    assassination", تفجير السفارة)? Such a name refers to an event; it reports one only when announced."""
    surface = trigger.surface
    if not _ARABIC_LETTER.match(surface):
        return False
    word = doc.plain(trigger.start, trigger.end).rpartition(" ")[2]
    if not (_AR_NOUN.match(word) or _TA_MARBUTA_END.search(surface)):
        return False
    return bool(_GENITIVE_AFTER.match(doc.plain(trigger.end, trigger.end + 24))
                and not _ANNOUNCED_BEFORE.search(_before(doc, trigger.start, 24)))


_ARABIC_LETTER = re.compile(r"[\u0600-\u06ff]")
_TA_MARBUTA_END = re.compile(r"ة[\u064b-\u0652\u0640]*$")


def _fighters(doc: Doc, s: SentenceMentions) -> bool:
    """Does the clause name fighters, as a party or by their kind or front (see _MILITARY)?"""
    return any(a.entry.data.get("kind") in _ARMED_KINDS for a in s.actors) \
        or bool(_MILITARY.search(doc.plain(s.start, s.end)))


def without_hazard_readings(doc: Doc, s: SentenceMentions, hazards: set[str],
                            after_cause: bool = False) -> tuple[SentenceMentions, bool]:
    """A clause's triggers less the attack words that a hazard or a subject explains
    (hazards.yaml), and whether a cause (an earthquake, a fire, an epidemic, an accident) took them.

    Only with no munition in the clause and no armed doer. A cause explains the weak words
    (triggers.yaml ``weak``: "struck", "killed", "died", "fighting"): "an earthquake struck eastern
    Turkey, killing 22". A subject of sport, the economy or an election explains the weak and the
    figurative words ("beat", "targets", "تستهدف"), and in sport every generic attack word, when no one
    was killed or hurt: "TAT targets 3.18 trillion Baht", "Liverpool attacked in the second half".
    ``after_cause``: a cause's toll was told in the sentences just before, and this clause names no
    one: its weak words are that cause's too ("The earthquake struck at dawn. It killed 22 people.").
    """
    if not (hazards or after_cause):
        return s, False
    # (words that code nothing here anyway do not count: a launch verb with no weapon, "a fire" holds
    # "fire"; an advance with no fighters, "السيطرة على الحريق")
    armed = bool(s.weapons or s.systems)
    kinetic = [t for t in s.triggers if t.entry.data["category"] in KINETIC_CATEGORIES
               and (armed or not t.entry.data.get("needs_weapon"))]
    if any(t.entry.data.get("needs_armed") for t in kinetic) and not _fighters(doc, s):
        kinetic = [t for t in kinetic if not t.entry.data.get("needs_armed")]
    if not kinetic:
        return s, False
    classes = {m.entry.id for m in s.weapons} | {m.entry.data["class"] for m in s.systems}
    # a launch into space: its rocket and its launch words are no attack ("إطلاق صاروخ ... قمرا صناعيا")
    launched = "context_launch" in hazards and all(
        t.entry.data["mode"] in _LAUNCH_MODES for t in kinetic) and casualties_norm(
        doc.plain(s.start, s.end)) == (None, None)
    if classes & _MUNITIONS and not launched:
        return s, False
    caused = all(t.entry.data.get("weak") for t in kinetic) and (
        "cause" in hazards or (after_cause and not s.actors))
    sport = "context_attacks" in hazards
    figurative = (sport or "context" in hazards) and all(
        t.entry.data.get("weak") or t.entry.data.get("figurative")
        or (sport and t.entry.data["mode"] == "from_weapons") for t in kinetic) \
        and casualties_norm(doc.plain(s.start, s.end)) == (None, None)
    if not (caused or figurative or launched):
        return s, False
    doer = None if launched else assign_roles(doc, s, choose_trigger(kinetic))[0]  # (a satellite: whoever)
    if doer is not None and doer.entry.data.get("kind") in _ARMED_KINDS:
        return s, False
    rest = [t for t in s.triggers if t.entry.data["category"] not in KINETIC_CATEGORIES]
    return SentenceMentions(s.start, s.end, s.actors, s.places, s.weapons, s.systems, rest), caused


#: the modes a rocket's launch into space is read as
_LAUNCH_MODES = frozenset({"rocket_attack", "missile_strike", "from_weapons"})


#: "March" is the month next to a day or a year, or after a word of time ("on March 20", "20 March",
#: "since March", "in early March", "the 18th March Brigade"); not the "Great March of Return"
_MONTH_AFTER = re.compile(r"[\s,]*\d")
_MONTH_BEFORE = re.compile(r"(?:\d(?:st|nd|rd|th)?|\b(?:in|since|until|till|early|late|mid|last|next|this|by|from|"
                           r"before|after|during|of|on|through|between|and))[\s,-]*$", re.IGNORECASE)


def _the_month(text: str, start: int, end: int) -> bool:
    return bool(_MONTH_AFTER.match(text, end) or _MONTH_BEFORE.search(text, max(0, start - 12), start))


def _consonants(name: str) -> set[str]:
    """The consonants of each word of a Latin name's spelling skeleton: what "Jizan" and "Jazan", "Dihok"
    and "Duhok" share."""
    return {re.sub("[aiu]", "", t) for w in normalize_name(name).replace("-", " ").split()
            for t in skeleton_tokens(w)} - {""}


class Extractor:
    """The extraction core: ``process(article) -> ArticleEnriched``."""

    def __init__(self, lexicon: Lexicon | None = None, languages: LanguageIdentifier | None = None) -> None:
        self.lexicon = lexicon or load_lexicon()
        self.languages = languages or language_identifier()
        #: where the armed groups of the lexicon fight: between two towns of one name and no other
        #: clue, the one in a country at war ("Sehar district": Saḩar in Yemen, not Sohar in Oman)
        self.war_countries = {e.data.get("theatre") or e.data.get("country") for e in self.lexicon.entries.values()
                              if e.kind == "actor" and e.data.get("kind") == "non_state_armed_group"} - {None}
        #: the countries the gazetteer holds down to their villages (not the wider world)
        self.watched = {e.data["country"] for e in self.lexicon.entries.values()
                        if e.kind == "place" and e.data["precision"] == "country" and not e.data.get("world")}
        #: the provinces whose towns the gazetteer knows, by their own id and by their capital's: where
        #: "southern Idlib", "ريف حلب الشمالي" lie (see ``_province_part``)
        self.provinces = {}
        for e in self.lexicon.entries.values():
            if e.kind == "place" and e.data.get("towns"):
                self.provinces[e.id] = e
                capital = self.lexicon.entries.get(("place", str(e.data.get("capital"))))
                if capital is not None and _consonants(capital.name) & _consonants(e.name):
                    # by its capital's name only where the province bears it: "southern Idlib" is a part of
                    # Idlib Governorate, "northern Ramadi" a part of the city (Anbar Governorate)
                    self.provinces[capital.id] = e
        #: each country as a place, for events whose clause names no place
        self.country_places = {
            e.data["country"]: Mention(e, -1, -1, e.name) for e in self.lexicon.entries.values()
            if e.kind == "place" and e.data["precision"] == "country"}

    def language(self, article: ArticleIngested) -> str:
        return self.languages.identify(f"{article.title}\n{article.body}", hint=article.language)

    def process(self, article: ArticleIngested) -> ArticleEnriched:
        language = self.language(article)
        text = article.body
        supported = language in SUPPORTED_LANGUAGES
        doc = Doc(text)
        # an idiom ("time bomb") has hidden the event word inside it: it codes nothing
        mentions = self._by_theatre([m for m in self.lexicon.find_in(doc) if m.entry.data.get("category") != "NONE"
                                     and not (m.surface == "March" and _the_month(text, m.start, m.end))]
                                    ) if supported else []
        events: list[Event] = []
        loose: set[tuple[int, int]] = set()  # the places matched by consonants alone that the article's geography keeps
        if any(m.entry.kind == "trigger" for m in mentions):
            published = article.published_at
            context = self._context(doc, mentions)
            loose = context["loose"]
            mentions = [m for m in mentions if not m.loose or (m.start, m.end) in loose]
            starts = [m.start for m in mentions]
            drafts: list[Draft] = []
            topic: Mention | None = None  # the first actor of the sentence before
            hazard_at = -_HAZARD_REACH - 1  # the last sentence that told of a hazard and no attack
            for number, (s_start, s_end) in enumerate(split_sentences(text)):
                inside = mentions[bisect_left(starts, s_start):bisect_left(starts, s_end)]
                sentence_actors = [m for m in inside if m.entry.kind == "actor"]
                if any(m.entry.kind == "trigger" for m in inside):
                    plain = doc.plain(s_start, s_end)
                    if historical_norm(plain, published):
                        topic = sentence_actors[0] if sentence_actors else topic
                        continue  # history ("in 2002 ..."), not news
                    statistic = bool(_STATISTIC.search(plain) or _PERCENT.search(text, s_start, s_end)
                                     or _QUESTION.search(text, s_start, s_end)
                                     or (_PERIOD.search(plain) and _TALLY.search(plain)))
                    # an attack "two years ago", "قبل عامين" (its own clause in Arabic: "... اغتاله مسلحون،
                    # قبل عامين"): history, though the sentence's other news, a protest that commemorates
                    # it, stands
                    long_ago = bool(_YEARS_AGO.search(plain))
                    continues = bool(_CONTINUATION.search(plain[:40]))
                    for c_start, c_end in self._clauses(text, inside, s_start, s_end):
                        s = self._sentence(inside, c_start, c_end)
                        hazards = {m.entry.data["hazard"] for m in inside
                                   if m.entry.kind == "hazard" and c_start <= m.start < c_end}
                        s, caused = without_hazard_readings(doc, s, hazards, number - hazard_at <= _HAZARD_REACH)
                        if caused:
                            hazard_at = number
                        if not s.triggers:
                            continue
                        draft = self._event(doc, s, published, context, statistic, number, long_ago,
                                            (s_start, s_end))
                        if draft is None:
                            continue
                        if continues and topic is not None and not sentence_actors and draft.event.actor1 is None:
                            # "He also stressed ...": the subject of the sentence before
                            draft.event = draft.event.model_copy(update={"actor1": _actor(topic)})
                        drafts.append(draft)
                elif drafts and number - drafts[-1].order <= 2 and hazard_at < drafts[-1].order:
                    _add_casualties(drafts[-1], doc.plain(s_start, s_end))  # (not a hazard's toll)
                if any(m.entry.kind == "hazard" and m.entry.data["hazard"] == "cause" for m in inside) and not any(
                        number - d.order <= _HAZARD_REACH and d.event.category in KINETIC_CATEGORIES
                        for d in drafts[-4:]):
                    # a hazard told with no attack just before: the tolls after it are its own (after an
                    # attack, a fire is what the attack set off)
                    hazard_at = number
                if sentence_actors:
                    topic = sentence_actors[0]
            events = [d.event for d in carry_place(merge_drafts(carry_over(drafts)))]
        # validated as one list by pydantic's core: a quarter of the cost of constructing each model
        entities = _ENTITIES.validate_python([
            {"kind": "weapon" if m.entry.kind == "system" else m.entry.kind, "id": m.entry.id,
             "name": m.entry.name, "start": m.start, "end": m.end}
            for m in mentions
            if m.entry.kind not in ("trigger", "hazard") and not (m.loose and (m.start, m.end) not in loose)
        ])
        return ArticleEnriched(
            **article.model_dump(include={"article_id", "url", "canonical_url", "source", "title",
                                          "body", "published_at", "ingested_at"}),
            language=language, language_supported=supported, entities=entities, events=events,
        )

    # -- helpers -------------------------------------------------------------------

    @staticmethod
    def _clauses(text: str, inside: list[Mention], start: int, end: int) -> list[tuple[int, int]]:
        """Clauses of a sentence that can carry an event of their own.

        A clause with no trigger, or one that names no actor and no place ("...,
        while 21 were injured"), is part of the clause before it.
        """
        clauses: list[list[int]] = []
        for a, b in split_clauses(text, start, end):
            kinds = {m.entry.kind for m in inside if a <= m.start < b}
            standalone = "trigger" in kinds and ("actor" in kinds or "place" in kinds)
            if clauses and not standalone:
                clauses[-1][1] = b
            elif clauses and not any(m.entry.kind == "trigger" and clauses[-1][0] <= m.start < clauses[-1][1]
                                     for m in inside):
                clauses[-1][1] = b  # the clause before had no trigger: it leads into this one
            else:
                clauses.append([a, b])
        return [(a, b) for a, b in clauses]

    @staticmethod
    def _sentence(mentions: list[Mention], start: int, end: int) -> SentenceMentions:
        by_kind: dict[str, list[Mention]] = {"actor": [], "place": [], "weapon": [], "system": [], "trigger": [],
                                             "hazard": []}
        for m in mentions:
            if start <= m.start < end and not (m.entry.kind == "actor" and m.surface.lower().endswith(HELD_BY)):
                by_kind[m.entry.kind].append(m)  # ("YPG-controlled" tells the theatre, not a side)
        return SentenceMentions(start, end, by_kind["actor"], by_kind["place"], by_kind["weapon"],
                                by_kind["system"], by_kind["trigger"])

    def _by_theatre(self, mentions: list[Mention]) -> list[Mention]:
        """An actor whose name leaves open which it is ("the coalition") is the one its table (actors.yaml,
        ``by_theatre``) gives for the first country the article's places and other actors are in."""
        if not any(m.kind == "actor" and m.entry.data.get("by_theatre") for m in mentions):
            return mentions
        seen = {m.entry.data.get("country") for m in mentions if m.kind == "place"
                and not m.entry.data.get("needs_country") and not m.loose}
        seen.update(m.entry.data.get("theatre") for m in mentions
                    if m.kind == "actor" and not m.entry.data.get("by_theatre"))
        seen.discard(None)
        # (a bare district's name counts only where nothing else tells: "Coalition airstrikes hit farms in Nihm")
        weak = {m.entry.data.get("country") for m in mentions
                if m.kind == "place" and m.entry.data.get("needs_country")}
        out = []
        for m in mentions:
            table = m.entry.data.get("by_theatre") if m.kind == "actor" else None
            if table:
                code = next((c for k, c in table.items() if k in seen), None) \
                    or next((c for k, c in table.items() if k in weak and not seen), table["default"])
                m = m._replace(entry=self.lexicon.entries[("actor", code)])
            out.append(m)
        return out

    def _context(self, doc: Doc, mentions: list[Mention]) -> dict:
        """Article-wide context: countries named, and each place span resolved once."""
        # a country named as the other side of a border is not where the article is
        mentions = [m for m in mentions if not (m.kind == "place" and m.entry.data["precision"] == "country"
                                                and _NEIGHBOUR.search(_before(doc, m.start, 30)))]
        # a name matched by its consonants alone ("Arbin" for ‘Irbīn) is a place only in an article that the
        # rest places in that country, or where nothing places the article and that spelling names one town of
        # a country at war (not Ārādān in Iran for "Radwaniya" in Iraq): it tells nothing of where the article is
        loose = [m for m in mentions if m.kind == "place" and m.loose]
        if loose:
            mentions = [m for m in mentions if not (m.kind == "place" and m.loose)]
        countries = Counter(m.entry.data["country"] for m in mentions
                            if m.kind == "place" and not m.entry.data.get("needs_country"))
        countries.update(m.entry.data.get("country") for m in mentions
                         if m.kind == "actor" and m.entry.data.get("country"))
        spans: dict[tuple[int, int], list[Mention]] = {}
        for m in mentions:
            if m.kind == "place":
                spans.setdefault((m.start, m.end), []).append(m)
        for span, group in list(spans.items()):
            if _TOPIC_BEFORE.search(_before(doc, span[0], 30)) or _TOPIC_AFTER.match(
                    " " + doc.plain(span[1], span[1] + 40)):
                del spans[span]  # what a decision is about, not where it happened
                continue
            small = [m for m in group if m.entry.data["precision"] != "city"
                     or m.entry.data["population"] < SMALL_PLACE]
            if len(small) < len(group) and (_VILLAGE_BEFORE.search(_before(doc, span[0], 24))
                                            or _VILLAGE_AFTER.match(doc.text, span[1])):
                if small:  # a village: not the large city of that name
                    spans[span] = small
                else:
                    del spans[span]
        # the countries the article is about, from what is unambiguous: where its actors fight, the
        # countries and the large places it names
        # the countries and provinces named are strong evidence: a city abroad must then be large
        # (watched ones: a country of the wider world is named in passing more often than not, "at the Polish
        # embassy in Tel Aviv")
        about = {country for m in mentions if m.kind == "place" and m.entry.data["precision"] != "city"
                 and not m.entry.data.get("world") and not m.entry.data.get("needs_country")
                 for country in (m.entry.data["country"], *m.entry.data.get("with", ()))}
        abroad = BIG_PLACE  # how large a place abroad must be to be kept
        if not about:
            # else where the actors fight and the large places named
            about = {m.entry.data.get("theatre") for m in mentions if m.kind == "actor"}
            about.update(m.entry.data["country"] for m in mentions
                         if m.kind == "place" and m.entry.data["population"] >= SMALL_PLACE and not _fuzzy(m))
            about.discard(None)
            abroad = SMALL_PLACE
        loose_spans: set[tuple[int, int]] = set()
        if loose:
            # ... and where it lies in the provinces and near the towns the article names ("Jobar neighbourhood
            # in Damascus city" is no Yabrūd)
            named = [m.entry.data for group in spans.values() for m in group if m.entry.data["precision"]
                     in ("city", "admin1") and (not about or m.entry.data["country"] in about)]
            provinces = {(d["country"], d["admin1"]) for d in named if d["precision"] == "admin1"}
            towns = [(d["lat"], d["lon"]) for d in named if d["precision"] == "city"]
            # (of one spelling's towns, the one in a country at war: "Sihar" is Saḩar in Yemen, not Sohar in Oman)
            at_war = Counter((m.start, m.end) for m in loose if m.entry.data["country"] in self.war_countries)
            for m in loose:
                d = m.entry.data
                placed = d["country"] in about or (not about and d["country"] in self.war_countries
                                                   and at_war[(m.start, m.end)] == 1)
                if placed and (not named or (d["country"], d["admin1"]) in provinces or any(
                        km(lat, lon, d["lat"], d["lon"]) <= _LOOSE_KM for lat, lon in towns)):
                    spans.setdefault((m.start, m.end), []).append(m)
                    loose_spans.add((m.start, m.end))
        for span, group in list(spans.items()):
            # a bare district name: in an article placed in its country, and not a village's name ("Kamer village")
            if any(m.entry.data.get("needs_country") for m in group):
                village = (_TOWN_BEFORE.search(_before(doc, span[0], 24))
                           or _TOWN_AFTER.match(doc.plain(span[1], span[1] + 12)))
                # ... or one of a list called districts: "fired into Razeh, Munabeh, and Ghamer border districts"
                listed = _DISTRICTS_AFTER.match(doc.text, span[1])
                if not (kept := [m for m in group if not m.entry.data.get("needs_country") or listed
                                 or (m.entry.data["country"] in about and not village)]):
                    del spans[span]
                else:
                    spans[span] = kept
        def called(span: tuple[int, int]) -> str | None:
            """What the words before a name say it is: a town ("the Saudi city of Jizan") or a province."""
            before = _before(doc, span[0], 24)
            return "city" if _TOWN_BEFORE.search(before) else "admin1" if _PROVINCE_BEFORE.search(before) else None

        # a place said to lie in the next one ("Sayda town in eastern Dar'a", "Tir Maallah in northern
        # Homs") is in a country the two share: both are read as that country's, whatever the article
        # says elsewhere
        nested = set()
        ordered = sorted(spans)
        for a, b in zip(ordered, ordered[1:], strict=False):
            if b[0] - a[1] > 60 or a in loose_spans or b in loose_spans or not _in_next(doc, a[1], b[0]) or any(
                    m.entry.data["precision"] == "country" for m in (*spans.get(a, ()), *spans.get(b, ()))):
                continue
            if a not in spans or b not in spans:
                continue
            # (the place it lies in is a province or a large town, when one is so named: "the Karkh district of
            # Baghdad" is in Baghdad, Iraq, whatever Iranian villages "Karkh" and "Baghdādeh" spell alike)
            outer = [m for m in spans[b] if m.entry.data["precision"] != "city"
                     or m.entry.data["population"] >= SMALL_PLACE] or spans[b]
            shared = {m.entry.data["country"] for m in spans[a]} & {m.entry.data["country"] for m in outer}
            if len(shared) == 1:
                country = shared.pop()
                spans[a] = [m for m in spans[a] if m.entry.data["country"] == country]
                spans[b] = [m for m in spans[b] if m.entry.data["country"] == country]
                nested.update((a, b))
                # ... and in that province, or near that town: "Medaya village in southwest Afrin" is no
                # Maḑāyā by Damascus, "Ras al-Ain town in southeast Idleb" no Ra's al-'Ayn on the Turkish
                # border; a town the gazetteer does not know leaves the place it is said to lie in
                inner = [m for m in spans[a] if m.entry.data["precision"] == "city"
                         and any(_holds(o.entry.data, m.entry.data) for o in spans[b])]
                if len(inner) < len(spans[a]) and all(m.entry.data["precision"] == "city" for m in spans[a]) \
                        and not _BESIDE.search(normalize_plain(doc.text[a[1]:b[0]])):
                    if inner:
                        spans[a] = inner
                    else:
                        del spans[a]
            elif not shared:  # a village the gazetteer does not know, named like a town abroad
                del spans[a]
                nested.add(b)
        if about:
            # a town abroad that shares its name with a word of this article is not where the
            # article's events are: "Marat" (Saudi Arabia) in an article about Idlib, "Sahm"
            # (Şaḩam, Oman) in "Sahm El Golan village in Dar'a countryside"; unless the text
            # calls it a town of that country: "the Saudi city of Jizan", "مدينة جازان السعودية"
            for span, group in list(spans.items()):
                if span in nested:
                    continue
                kept = [m for m in group if m.entry.data["country"] in about
                        or (m.entry.data["population"] >= abroad and not _fuzzy(m))]
                if not kept and called(span) == "city":
                    named = self._town_country(doc, span)
                    kept = [m for m in group if m.entry.data["country"] == named]
                if kept:
                    spans[span] = kept
                else:
                    del spans[span]

        def best_candidate(span: tuple[int, int], group: list[Mention]) -> Mention:
            # one name, several places: the place of that very name, then the one in
            # a country the article talks about, then the most populous
            if len(group) == 1:
                return group[0]
            written, said = doc.plain(*span), called(span)
            return min(group, key=lambda m: (m.entry.data["norm_name"] != written,
                                             said not in (None, m.entry.data["precision"]),
                                             -countries.get(m.entry.data["country"], 0),
                                             m.entry.data["country"] not in self.war_countries,
                                             -m.entry.data["population"]))

        places = [best_candidate(span, group) for span, group in spans.items()]
        country_places = [m for m in places if m.entry.data["precision"] == "country"]
        # (a watched country before one of the wider world: "protest at the Polish embassy in Tel Aviv")
        main_country = max(country_places, key=lambda m: (not m.entry.data.get("world"),
                                                          countries.get(m.entry.data["country"], 0), -m.start),
                           default=None)
        if main_country is None and places:
            # no country named: the country of the places that are
            top = max(places, key=lambda m: (countries.get(m.entry.data["country"], 0), -m.start))
            main_country = self.country_places.get(top.entry.data["country"])
        if main_country is None:
            # no place named at all: where the actors named usually fight (actors.yaml, theatre)
            theatres = Counter(m.entry.data["theatre"] for m in mentions
                               if m.kind == "actor" and m.entry.data.get("theatre") in self.country_places)
            if theatres:
                main_country = self.country_places[theatres.most_common(1)[0][0]]
        return {"countries": countries, "places": places, "main_country": main_country, "loose": loose_spans}

    def _province_part(self, doc: Doc, place: Mention) -> Location | None:
        """A part of a province named by its direction ("southern Idlib", "Hama's western countryside",
        "ريف حلب الشمالي", "جنوب إدلب"): a point ``_REACH`` standard deviations of the province's towns
        from their mean, that way. None if the place is no province or its capital, or no direction is told."""
        if place.start < 0:
            return None
        province = self.provinces.get(place.entry.id)
        if province is None:
            return None
        before, after = _before(doc, place.start, 30), doc.plain(place.end, place.end + 40)
        m = _DIRECTION_BEFORE.search(before) or _DIRECTION_AFTER.match(after)
        if m is None:
            return None
        words = [w for w in m.groups() if w]
        dy = sum(_DIRECTIONS[w][0] for w in words)
        dx = sum(_DIRECTIONS[w][1] for w in words)
        if not (dy or dx):
            return None
        d = province.data
        dy, dx = (dy > 0) - (dy < 0), (dx > 0) - (dx < 0)
        lat, lon, slat, slon = d["towns"]
        lat, lon = d["parts"].get((dy, dx)) or (round(lat + dy * slat * _REACH, 5), round(lon + dx * slon * _REACH, 5))
        name = (("north" if dy > 0 else "south" if dy < 0 else "") + ("east" if dx > 0 else "west" if dx < 0 else ""))
        return Location(name=f"{name}ern {province.name}", geonameid=None, lat=lat, lon=lon, country=d["country"],
                        admin1=d["admin1"], precision="admin1")

    def _target_country(self, actor1: Mention | None, actor2: Mention, mode: str) -> Mention | None:
        """Where an attack that names no place happened, from its target, as far as we know: where a
        group it hit fights ("Turkish forces shelled YPG positions": Syria), or the state whose forces
        an armed group attacked ("Houthi forces shelled Saudi soldiers": Saudi Arabia, not the Houthis'
        Yemen). A watched country only, and not a state's forces hit by another state's or met in a
        clash (those fight abroad as often as at home: "the Syrian army shot down an Israeli warplane",
        "YPG forces clashed with Turkish army forces")."""
        data = actor2.entry.data
        if data.get("kind") not in _STATE_KINDS:
            home = data.get("theatre")
        elif mode != "ground_clash" and (actor1 is None or actor1.entry.data.get("kind") == "non_state_armed_group"):
            home = data.get("country")
        else:
            return None
        return self.country_places.get(home) if home in self.watched else None

    def _town_country(self, doc: Doc, span: tuple[int, int]) -> str | None:
        """The country a town is said to be in by a state adjective: the word before "city of"
        in English, the word after the name in Arabic."""
        m = _TOWN_OF.search(_before(doc, span[0], 40))
        word = m.group(1) if m else next(iter(doc.plain(span[1], span[1] + 16).split()), "")
        word = word[2:] if word.startswith("ال") else word
        return self.lexicon.demonyms.get(word)

    @staticmethod
    def _place(candidates: list[Mention], context: dict) -> Mention | None:
        """The most specific place, preferring countries the article talks about, then the first.
        A city in another country than a province or district the clause names is not in it: "Sahm El
        Golan village in Dar'a countryside" is in Daraa province, not at Şaḩam, Oman."""
        if not candidates:
            return None
        provinces = {m.entry.data["country"] for m in candidates
                     if m.entry.data["precision"] in ("admin1", "district")}
        if provinces:
            candidates = [m for m in candidates if m.entry.data["country"] in provinces
                          or m.entry.data["precision"] == "country"]
        districts = [m for m in candidates if m.entry.data["precision"] == "district"]
        if districts:
            # a town is where it happened if it is named before a district it lies in ("Sawh area of Kutaf
            # district"); a town named after it, or far from it, is the province named by its capital
            # ("Razih district of Sadah", "Al-Sawmaa district, Bayda")
            candidates = [m for m in candidates if m.entry.data["precision"] != "city" or any(
                m.start < d.start and km(d.entry.data["lat"], d.entry.data["lon"], m.entry.data["lat"],
                                         m.entry.data["lon"]) <= _DISTRICT_KM for d in districts)]
        countries = context["countries"]
        rank = _PRECISION_RANK
        # (a district named as such before one named bare: "Shuaib areas of Razih district")
        return min(candidates, key=lambda m: (rank[m.entry.data["precision"]], bool(m.entry.data.get("needs_country")),
                                               -countries.get(m.entry.data["country"], 0), m.start))

    def _event(self, doc: Doc, s: SentenceMentions, published: dt.datetime, context: dict,
               statistic: bool, order: int, long_ago: bool = False,
               sentence: tuple[int, int] | None = None) -> Draft | None:
        text = doc.text
        # (an advance needs fighters: looked for only where an advance word is)
        armed = any(t.entry.data.get("needs_armed") for t in s.triggers) and _fighters(doc, s)
        triggers = [t for t in s.triggers if not _NEGATION.search(_before(doc, t.start, 14))
                    and not (t.entry.data["category"] in KINETIC_CATEGORIES and (_unreal(doc, t) or _held(doc, s, t)))
                    and (s.weapons or s.systems or not t.entry.data.get("needs_weapon"))
                    and (armed or not t.entry.data.get("needs_armed"))
                    and (not t.entry.data.get("needs_dead") or _FOUND_DEAD.search(doc.plain(s.start, s.end)))]
        if any(t.entry.data["category"] in KINETIC_CATEGORIES for t in triggers):
            # a truce broken is what the attack did, not an event before it: "in violation of a ceasefire
            # agreement, shelled the town", "خرقا لاتفاق وقف إطلاق النار"
            triggers = [t for t in triggers if not (t.entry.data["category"] == "DEESCALATE" and _BROKEN_TRUCE.search(
                _before(doc, t.start, 40)))]
        defusal = False
        # the dead of a mass grave were killed on earlier days: its finding is news, not an attack of this day
        raw = text[sentence[0]:sentence[1]] if sentence else text[s.start:s.end]
        grave_told = any(w in raw for w in _GRAVE_WORDS) and bool(
            _OLD_DEAD.search(doc.plain(*sentence) if sentence else doc.plain(s.start, s.end)))
        grave = grave_told and bool(triggers) and all(
            t.entry.data.get("casualty") or _DEATH_WORDS.search(doc.plain(t.start, t.end)) for t in triggers)
        if not triggers:
            # a bomb found or defused: a security operation of its own, not an attack
            triggers = [t for t in s.triggers if t.entry.data["category"] in KINETIC_CATEGORIES
                        and _defused(doc, t)
                        and not _NEGATION.search(_before(doc, t.start, 14))][:1]
            if not triggers:
                return None
            # (the dead of a mass grave found: the grave, not a device)
            grave = grave_told and all(_DEATH_WORDS.search(doc.plain(t.start, t.end)) for t in triggers)
            defusal = not grave
        trigger = choose_trigger(triggers, doc)
        data = trigger.entry.data
        category, mode, intensity = ("OTHER", "defusal", 1) if defusal else ("OTHER", "mass_grave", 1) if grave \
            else (data["category"], data["mode"], data["intensity"])
        weapons = sorted({m.entry.id for m in s.weapons} | {m.entry.data["class"] for m in s.systems})
        if mode == "from_weapons":
            mode = "other"
            for weapon, weapon_mode, weapon_intensity in _MODE_FROM_WEAPON:
                if weapon in weapons:
                    mode, intensity = weapon_mode, weapon_intensity
                    break
        elif mode == "shelling" and _AIRCRAFT & set(weapons):
            # "قصفت الطائرات", "warplanes shelled": a bombardment from the air is an air strike
            mode, intensity = ("drone_strike", 7) if "drone" in weapons and not _MANNED & set(weapons) \
                else ("air_strike", 8)
        if category == "COERCE" and trigger.surface.lower() in _CAPTURE_WORDS and (
                _GROUND_AFTER.match(doc.plain(trigger.end, min(s.end, trigger.end + 50)))
                or any(0 <= m.start - trigger.end <= 5 for m in s.places)):
            # ground captured, not people: "captured three villages west of As-Saan", "seized Tal Khaznah"
            category, mode, intensity = "ASSAULT", "ground_clash", 6
        actor1, actor2, speaker = assign_roles(doc, s, _role_trigger(doc, triggers, trigger))
        clause = text[s.start:s.end]
        norm = doc.plain(s.start, s.end)
        killed, injured = casualties_norm(norm)
        if killed is not None and category == "UNREST" and _MOURNED.search(norm):
            killed = None  # the dead a protest is about, not its own: "to commemorate the death of three activists"
        resolved = _inside(doc, [m for m in context["places"] if s.start <= m.start < s.end])
        period = _period(norm, published)
        dated = period[0] if period else _absolute_date(norm, published)  # a day the clause writes out
        if category == "ASSAULT" and mode in ("ground_clash", "other") and not killed:
            whole = doc.plain(*sentence) if sentence else norm
            if mode == "ground_clash" and not injured and _UNOPPOSED.search(whole):
                # "retook the village after IS withdrew without a fight": ground changed hands, no battle
                category, mode, intensity = "OTHER", "territory_transfer", 3
            elif _CROWD.search(whole):
                # forces and a crowd: tear gas, rubber bullets, protesters dispersed: a riot put down, not a
                # battle ("clashes broke out between youths and the police, who fired tear gas")
                category, mode, intensity = "UNREST", "riot", 3
        if category == "ASSAULT" and actor1 is not None and actor1.entry.data.get("kind") == "civilians" \
                and (actor2 is None or (mode != "ground_clash" and actor2.entry.data.get("kind") != "civilians")):
            # civilians are whom a strike, a shell or a bomb hits, not who fires it ("two civilians were killed
            # in an airstrike", "warplanes struck the town, killing civilians"); in a clash they may be a side
            actor1, actor2 = actor2, actor1
        if category == "ASSAULT":
            if statistic:
                return None  # "attacks fell by 38%": a statistic, not an event
            if long_ago or _all_referenced(doc, triggers, s.end):
                return None  # "the anniversary of the massacre", "التحقيقات في التفجير": not its report
            anchored = (actor1 or actor2 or resolved or weapons or killed or injured or dated
                        or _ANCHOR_TIME.search(norm) or _REPORT.search(norm) or _NAMED_PLACE.search(clause)
                        or _AR_NAMED_PLACE.search(norm))
            if not anchored:
                return None  # "assassinations are rare": names a kind of event, reports none
            if not (killed or injured) and (_attacked_in_words(doc, s, trigger)
                                            or (not weapons and _said_not_done(doc, s, trigger, norm))):
                return None  # an attack in words, or an aim: "شن هجوما على النظام ويحذر", "تستهدف السيطرة"
            if _ARABIC_LETTER.match(trigger.surface) and not (
                    killed or injured or weapons or (actor1 and actor2) or _ANCHOR_TIME.search(norm)
                    or any(m.entry.data["precision"] != "country" and not m.entry.data.get("world")
                           for m in resolved)
                    or _AR_NAMED_PLACE.search(norm) or _aimed(doc, s, trigger)
                    or any(_overlap(a, trigger) for a in s.actors)):
                # an Arabic news sentence names a party or a country almost every time ("... اغتيال بوتو
                # ينذر بانحدار باكستان"): reporting an attack takes a toll, a weapon, both sides, a day,
                # a place below the country (a watched one: the wider world's cities are not coded that
                # closely), what it was aimed at ("غارات على جنوب لبنان") or whose attack it was in its own
                # words ("غارات إسرائيلية")
                return None
        # of the countries a clause names, the one an attack was aimed at is where it happened ("إيران
        # تطلق صواريخ على إسرائيل"); a clause that names no place happened in the article's main
        # country, as far as we know
        aimed = [m for m in resolved if _AIMED_AT.search(_before(doc, m.start, 20))] \
            if category in KINETIC_CATEGORIES and all(m.entry.data["precision"] == "country" for m in resolved) \
            else []
        # where a strike came from is not where it happened, when the clause names another place ("a rocket
        # fired from Gaza exploded in southern Israel")
        landed = [m for m in resolved if not _FROM_BEFORE.search(_before(doc, m.start, 24))] \
            if len(resolved) > 1 and (" from " in norm or " من " in norm) else resolved
        place = self._place(aimed or landed or resolved, context)
        if (place is None or place.entry.data["precision"] == "country") and sentence is not None \
                and sentence != (s.start, s.end):
            # a clause that names no place, or only its country, is where another clause of its sentence is
            # ("found the bodies of 13 soldiers hours after clashes in the Majaza area of Asir province", "Syrian
            # or Russian warplanes carried out raids while regime forces shelled the town of Murak")
            near = self._place(_inside(doc, [m for m in context["places"] if sentence[0] <= m.start < sentence[1]]),
                               context)
            if near is not None and (place is None or near.entry.data["country"] == place.entry.data["country"]):
                place = near
        if place is None and category in KINETIC_CATEGORIES and actor2 is not None:
            place = self._target_country(actor1, actor2, mode)
        place = place or context["main_country"]
        a1 = _actor(actor1) if actor1 else None
        a2 = _actor(actor2) if actor2 else None
        if category in KINETIC_CATEGORIES:
            if (a1 and a2 and a1.kind in _STATE_KINDS and a2.kind in _STATE_KINDS
                    and a1.country and a2.country and a1.country != a2.country):
                intensity = max(intensity, 9)  # a state striking another state's forces
            if killed and killed >= 10 and not isinstance(killed, Vague):  # a count, not "several"
                intensity += 1
        location = None
        if place is not None:
            d = place.entry.data
            location = self._province_part(doc, place) or Location(
                name=place.entry.name, geonameid=d["geonameid"], lat=d["lat"], lon=d["lon"], country=d["country"],
                admin1=d["admin1"], precision=d["precision"])
        occurred_on, occurred_until = period if period else (dated or _relative_date(norm, published), None)
        event = Event(
            category=category, mode=mode, actor1=a1, actor2=a2, location=location,
            occurred_on=occurred_on, occurred_until=occurred_until,
            killed=killed, injured=injured, killed_vague=isinstance(killed, Vague),
            injured_vague=isinstance(injured, Vague), weapons=weapons,
            systems=sorted({m.entry.id for m in s.systems}),
            missile_range=next((m.entry.data["range"] for m in s.systems if m.entry.data.get("range")), None),
            intensity=min(intensity, 10),
            attribution=speaker.entry.name if speaker else None,
            evidence=Evidence(text=clause, start=s.start, end=s.end),
        )
        definite = [bool(_DEFINITE.search(doc.plain(t.start, t.end))
                         or _DEFINITE_BEFORE.search(_before(doc, t.start, 24))
                         or _REFERENCE_BEFORE.search(_before(doc, t.start, 30))
                         or _construct(doc, t)) for t in triggers]
        # an attack announced by its name is news: "the army announced the killing of", "أعلن الجيش اغتيال"
        # (a day counts where it dates the attack: next to it, or told by a verb of its happening, "الهجوم وقع
        # ... صباح امس"; not the day of what the clause is about, "أعرب أمس عن انزعاجه لهذا الهجوم")
        concrete = bool(killed or injured
                        or any(_OCCURRED_AFTER.match(doc.plain(t.end, min(s.end, t.end + 30)))
                               or _OCCURRED_BEFORE.search(_before(doc, t.start, 16)) for t in triggers)
                        or (_ANCHOR_TIME.search(norm) and any(
                            _ANCHOR_TIME.search(doc.plain(max(s.start, t.start - 24), min(s.end, t.end + 24)))
                            for t in triggers))
                        or any(_ANNOUNCED_EN.search(b) or _ANNOUNCED_BEFORE.search(b)
                               for b in (_before(doc, t.start, 24) for t in triggers)))
        # (an actor that names the source is no side: "pro-Hadi Sept 26th website reported that 40 had died")
        other_source = bool(killed) and (m := other_count(norm)) is not None and m.start() == 0 \
            and all(normalize_plain(a.surface) in norm[:m.end()] for a in s.actors)
        toll_only = other_source or (not s.actors and all(t.entry.data.get("casualty") for t in triggers))
        return Draft(event, trigger, actor1, actor2, order, any(definite), all(definite) and not concrete, toll_only,
                     isinstance(killed, More), other_source)


# --------------------------------------------------------------------------- one article, one event per happening


def _add_casualties(draft: Draft, norm: str) -> None:
    """A sentence with no event of its own that counts casualties ("Two fatalities were reported.")
    counts them for the kinetic event just before it."""
    if draft.event.category not in KINETIC_CATEGORIES:
        return
    killed, injured = casualties_norm(norm)
    if killed is None and injured is None:
        return
    e = draft.event
    if isinstance(killed, More) and not e.killed_vague:
        k, kv = (e.killed or 0) + killed, False
    elif not e.killed_vague and (lower := lower_toll(e.killed, killed)) is not None \
            and (m := other_count(norm)) is not None and m.start() == 0:
        k, kv = lower, False  # "AFP reported that 14 people had been killed": another source's count
    else:
        k, kv = larger_toll(e.killed, e.killed_vague, killed, isinstance(killed, Vague))
    i, iv = larger_toll(e.injured, e.injured_vague, injured, isinstance(injured, Vague))
    draft.event = e.model_copy(update={"killed": k, "killed_vague": kv, "injured": i, "injured_vague": iv})


def larger_toll(a: int | None, a_vague: bool, b: int | None, b_vague: bool) -> tuple[int | None, bool]:
    """The larger of two counts of one toll, with whether it is vague (on a tie, a reported count wins)."""
    if b is None:
        return a, a_vague
    if a is None:
        return b, b_vague
    if a != b:
        return (a, a_vague) if a > b else (b, b_vague)
    return a, a_vague and b_vague


def _party(actor: Actor | None) -> str | None:
    """The side an actor is on, for matching reports: a state's forces and government are one side."""
    if actor is None:
        return None
    if actor.kind in _STATE_KINDS and actor.country:
        return f"state:{actor.country}"
    return actor.code


def carry_place(drafts: list[Draft]) -> list[Draft]:
    """An event placed only in its country takes the town of a report of the same kind in the sentence
    after it or before it, in that country: "Coalition warplanes launched airstrikes on Houthi positions.
    Additional strikes targeted Kahal in Taiz." (the next sentence first: it is the one that goes on)."""
    for i, d in enumerate(drafts):
        loc = d.event.location
        if loc is None or loc.precision != "country":
            continue
        near = [o for o in (*drafts[i + 1:i + 3], *reversed(drafts[max(0, i - 2):i]))
                if 0 < abs(o.order - d.order) <= 1 and o.event.category == d.event.category
                and o.event.location is not None and o.event.location.precision != "country"
                and o.event.location.country == loc.country]
        if near:
            d.event = d.event.model_copy(update={"location": min(near, key=lambda o: abs(o.order - d.order) * 2
                                                                 + (o.order < d.order)).event.location})
    return drafts


def carry_over(drafts: list[Draft]) -> list[Draft]:
    """Fill an event's missing side from another report of the same happening in the article.

    "US forces struck IRGC depots ... The strikes hit near Albukamal": the second
    report names no target; it is the one the article already gave. A kinetic
    event with one side missing takes the other side from the nearest kinetic
    event (earlier first, then later) whose known side is the same party in the
    same role. A non-kinetic event with no actor at all continues the event of
    the same category just before it ("the coalition sent reinforcements ...
    cargo planes landed at Kharab al-Jir").
    """
    for i, d in enumerate(drafts):
        e = d.event
        if e.category not in KINETIC_CATEGORIES:
            if e.actor1 is None and e.actor2 is None and i and drafts[i - 1].event.category == e.category \
                    and d.order - drafts[i - 1].order <= 1:
                p = drafts[i - 1].event
                d.event = e.model_copy(update={"actor1": p.actor1, "actor2": p.actor2})
                d.anaphoric = True
            continue
        if (e.actor1 is None) == (e.actor2 is None):
            continue
        for other in [*reversed(drafts[:i]), *drafts[i + 1:]]:
            p = other.event
            if p.category != e.category:
                continue
            # (a side never takes its own party as the other side: no one attacks itself)
            if e.actor1 is not None and p.actor2 is not None and _party(p.actor1) == _party(e.actor1) \
                    and _party(p.actor2) != _party(e.actor1):
                d.event = e.model_copy(update={"actor2": p.actor2})
                break
            if e.actor2 is not None and p.actor1 is not None and _party(p.actor2) == _party(e.actor2) \
                    and _party(p.actor1) != _party(e.actor2):
                d.event = e.model_copy(update={"actor1": p.actor1})
                break
    return drafts


_PRECISION_RANK = {"city": 0, "district": 1, "admin1": 2, "country": 3}


def _compatible_place(a: Location | None, b: Location | None) -> bool:
    if a is None or b is None:
        return True
    if a.country != b.country:
        return False
    if a.precision == "city" and b.precision == "city":
        return a.geonameid == b.geonameid and a.name == b.name
    return True


def _same_happening(a: Event, b: Event) -> bool:
    if a.category != b.category or a.occurred_on != b.occurred_on:
        return False
    if _party(a.actor1) is None or _party(a.actor1) != _party(b.actor1):
        return False
    if _party(a.actor2) != _party(b.actor2) and a.actor2 is not None and b.actor2 is not None:
        return False
    if a.mode not in ("other", b.mode) and b.mode != "other":
        return False
    return _compatible_place(a.location, b.location)


def _merge(a: Event, b: Event, more: bool = False, lower: bool = False) -> Event:
    """One happening told twice: keep the most specific of each field (the dead of ``b`` added to those
    of ``a`` when ``more``: "killing 2 ... killing 3 more civilians"; the lower count of the two when
    ``lower``, another source's count: "AFP reported that 9 people had been killed")."""
    def pick(x, y):
        return x if x is not None else y

    location = a.location
    if b.location is not None and (location is None or _PRECISION_RANK[b.location.precision]
                                   < _PRECISION_RANK[location.precision]):
        location = b.location
    actor2 = pick(a.actor2, b.actor2)
    actor1 = a.actor1
    stronger = actor1 is None or (actor1.kind != "state_forces" and b.actor1 is not None
                                  and b.actor1.kind == "state_forces")
    if b.actor1 is not None and stronger and _party(b.actor1) != _party(actor2):  # no one attacks itself
        actor1 = b.actor1
    if more and b.killed and not a.killed_vague:
        killed, killed_vague = (a.killed or 0) + b.killed, False
    elif lower and not a.killed_vague and (low := lower_toll(a.killed, b.killed)) is not None:
        killed, killed_vague = low, False
    else:
        killed, killed_vague = larger_toll(a.killed, a.killed_vague, b.killed, b.killed_vague)
    injured, injured_vague = larger_toll(a.injured, a.injured_vague, b.injured, b.injured_vague)
    return a.model_copy(update={
        "mode": a.mode if a.mode != "other" else b.mode,
        "actor1": actor1, "actor2": actor2, "location": location,
        "killed": killed, "killed_vague": killed_vague, "injured": injured, "injured_vague": injured_vague,
        "weapons": sorted(set(a.weapons) | set(b.weapons)),
        "systems": sorted(set(a.systems) | set(b.systems)),
        "missile_range": pick(a.missile_range, b.missile_range),
        "occurred_until": pick(a.occurred_until, b.occurred_until),
        "intensity": max(a.intensity, b.intensity),
        "attribution": pick(a.attribution, b.attribution),
    })


def merge_drafts(drafts: list[Draft]) -> list[Draft]:
    """Reports of one happening in one article become one event (the first one's evidence).

    A report merges into an earlier one of the same category with the same sides,
    date and a compatible place; a report that refers back ("these attacks") and names no
    side merges into the latest kinetic event before it.
    """
    kept: list[Draft] = []
    for d in drafts:
        e = d.event
        # ground that changed hands and a fight told in one sentence are one happening: the fight, where the
        # ground is and by whom it was taken ("the army controlled the village in southern Idleb after clashes
        # with the rebels")
        fight = next((k for k in reversed(kept) if k.order == d.order and _compatible_place(k.event.location,
                                                                                             e.location)), None)
        if fight is not None and e.mode == "territory_transfer" and fight.event.category in KINETIC_CATEGORIES:
            fight.event = fight.event.model_copy(update={"location": fight.event.location or e.location,
                                                         "actor1": fight.event.actor1 or e.actor1})
            continue
        if fight is not None and fight.event.mode == "territory_transfer" and e.category in KINETIC_CATEGORIES:
            kept.remove(fight)
            d.event = e = e.model_copy(update={"location": fight.event.location or e.location,
                                               "actor1": e.actor1 or fight.event.actor1})
        target = next((k for k in reversed(kept) if _same_happening(k.event, e)), None)
        if target is None and e.category in KINETIC_CATEGORIES and e.actor1 is None and e.actor2 is not None:
            # a clause that names only whom its sentence's fight was with: "regime forces took the village
            # after clashes with IS fighters" is one fight, the regime's against IS
            target = next((k for k in reversed(kept) if k.order == d.order and k.event.category == e.category
                           and e.mode in (k.event.mode, "other")
                           and k.event.actor1 is not None and _party(k.event.actor1) != _party(e.actor2)
                           and (k.event.actor2 is None or _party(k.event.actor2) == _party(e.actor2))
                           and _compatible_place(k.event.location, e.location)), None)
        last = kept[-1] if kept and kept[-1].event.category in KINETIC_CATEGORIES else None
        if target is None and last is not None and d.order - last.order <= 1 \
                and _compatible_place(last.event.location, e.location) and (
                    d.toll_only  # "... at Ain al-Asad. Three soldiers were wounded.": that attack's toll
                    # "... killing 3 civilians. 1 more civilian later died.": more of that attack's dead
                    or (d.more and e.actor1 is None and d.trigger.entry.data.get("casualty"))
                    # "US forces came under attack ... 21 US personnel were hurt in the attacks"
                    or (d.anaphoric and e.actor1 is None and e.actor2 is not None
                        and _party(e.actor2) == _party(last.event.actor2))):
            target = last
        reference_only = d.reference_only and e.category in KINETIC_CATEGORIES
        if target is None and (reference_only or d.anaphoric and e.actor1 is None and e.actor2 is None):
            target = next((k for k in reversed(kept) if k.event.category == e.category), None)
            if target is None and reference_only:
                continue  # "the assassination of X" with nothing before it: background, not news
        if target is not None:
            target.event = _merge(target.event, e, d.more, d.other_source)
        else:
            kept.append(d)
    return kept
