import datetime as dt
from statistics import fmean, pstdev

import pytest

from services.extraction.core import Extractor, casualties, resolve_date, split_sentences
from services.extraction.gazetteer import km
from services.extraction.lexicon import load_lexicon, province_parts
from services.extraction.normalize import normalize, normalize_plain

from .conftest import FRIDAY, article
from .conftest import kinetic as _kinetic


def _place_names(text: str) -> list[str]:
    """The names of the places the lexicon finds in ``text``."""
    return [m.entry.name for m in load_lexicon().find(text) if m.kind == "place"]


@pytest.fixture(scope="module")
def extractor():
    return Extractor()


def test_arabic_normalisation_folds_spelling_variants():
    assert normalize_plain("أُصيبَ") == normalize_plain("اصيب")
    assert normalize_plain("مدينــة") == normalize_plain("مدينه")
    assert normalize_plain("مستشفى") == normalize_plain("مستشفي")
    assert normalize_plain("٢١ جريحاً") == "21 جريحا"


def test_normalisation_maps_back_to_original_offsets():
    text = "قصفٌ على البوكمال"
    norm, offsets = normalize(text)
    i = norm.index("البوكمال")
    assert text[offsets[i]:offsets[i + 7] + 1] == "البوكمال"


@pytest.mark.parametrize("spelling", ["البوكمال", "البو كمال", "أبو كمال", "والبوكمال"])
def test_albukamal_spellings_resolve_to_the_geonames_city(spelling):
    places = [m for m in load_lexicon().find(f"غارة قرب {spelling} اليوم") if m.kind == "place"]
    assert any(m.entry.id == "174448" for m in places)


def test_arabic_air_strike_is_coded(extractor):
    body = ("شنت القوات الأمريكية فجر اليوم الجمعة غارات جوية بطائرات مقاتلة من طراز إف-16 "
            "على مخازن أسلحة يستخدمها الحرس الثوري الإيراني قرب مدينة البوكمال شرقي سوريا.")
    out = extractor.process(article("ar1", body, FRIDAY))
    assert out.language == "ar"
    [event] = out.events
    assert (event.category, event.mode) == ("ASSAULT", "air_strike")
    assert event.actor1.code == "USA:MIL" and event.actor2.code == "IRN:IRGC"
    assert event.location.geonameid == 174448 and event.location.country == "SY"
    assert event.occurred_on == dt.date(2023, 10, 27)
    assert "fighter_jet" in event.weapons and "F-16" in event.systems
    assert event.intensity >= 9  # a state striking another state's forces
    assert body[event.evidence.start:event.evidence.end] == event.evidence.text


def test_english_attack_with_casualties_and_yesterday(extractor):
    body = ("Iran-backed militias fired rockets at US forces at Ain al-Asad air base in western Iraq "
            "yesterday, killing two soldiers and wounding 5 others, officials said.")
    [event] = extractor.process(article("en1", body, FRIDAY)).events
    assert (event.category, event.mode) == ("ASSAULT", "rocket_attack")
    assert event.actor1.code == "IRQ:IRI" and event.actor2.code == "USA:MIL"
    assert event.location.country == "IQ"
    assert event.occurred_on == dt.date(2023, 10, 26)
    assert (event.killed, event.injured) == (2, 5)


def test_several_events_from_several_sentences(extractor):
    body = ("هددت كتائب حزب الله القوات الأمريكية بضربات أقوى.\n"
            "واستقدم التحالف الدولي تعزيزات إلى مطار خراب الجير.\n"
            "وبعث بايدن برسالة إلى المرشد الإيراني علي خامنئي.")
    events = extractor.process(article("ar2", body, FRIDAY)).events
    assert [e.category for e in events] == ["THREATEN", "MOBILIZE", "DIPLOMACY"]
    assert events[0].actor1.code == "IRQ:KH"
    assert events[1].location.name.startswith("Kharab al-Jir")
    assert events[2].actor2.code == "IRN:GOV"


def test_country_names_after_a_locative_are_places_not_actors(extractor):
    body = "US forces struck Kataib Hezbollah positions in Iraq on Thursday."
    [event] = extractor.process(article("en2", body, FRIDAY)).events
    assert event.actor2.code == "IRQ:KH"
    assert event.location.country == "IQ"
    assert event.occurred_on == dt.date(2023, 10, 26)


@pytest.mark.parametrize("body, language", [
    ("Это короткая новость на русском языке о ракетном ударе по Москве.", "ru"),
    ("Des avions de combat américains ont frappé hier soir des dépôts d'armes près d'Albukamal en Syrie.", "fr"),
])
def test_other_languages_are_marked_and_pass_through_without_events(extractor, body, language):
    out = extractor.process(article("x", body, FRIDAY))
    assert (out.language, out.language_supported, out.events) == (language, False, [])


def test_language_is_identified_not_guessed_from_the_script(extractor):
    out = extractor.process(article("x", "US warplanes struck weapons depots near Albukamal in Syria.", FRIDAY))
    assert (out.language, out.language_supported) == ("en", True)


@pytest.mark.parametrize("text, quick", [
    ("أعلنت وزارة الدفاع أن طائرات حربية قصفت مواقع للمسلحين قرب المدينة الحدودية فجر اليوم.", "ar"),
    ("The ministry said that warplanes struck positions of the militants near the border town at dawn.", "en"),
    # Persian and Urdu share the script but add letters of their own: the detector decides
    ("وزارت دفاع اعلام کرد که هواپیماهای جنگی مواضع شبه نظامیان را در نزدیکی شهر مرزی بمباران کردند.", None),
    ("وزارت دفاع نے کہا کہ جنگی طیاروں نے سرحدی شہر کے قریب عسکریت پسندوں کے ٹھکانوں پر بمباری کی۔", None),
    # Latin script without English function words: the detector decides
    ("Le ministère a déclaré que des avions de combat ont frappé des positions près de la ville frontalière.", None),
    ("Das Ministerium erklärte, dass Kampfflugzeuge in der Nacht Stellungen nahe der Grenzstadt angriffen.", None),
    ("Ministerstwo podało, że samoloty bojowe zaatakowały pozycje bojowników w pobliżu miasta granicznego.", None),
])
def test_unmistakable_arabic_and_english_skip_the_detector(text, quick):
    from services.extraction.language import _unmistakable, count_letters, language_identifier

    assert _unmistakable(text, count_letters(text)) == quick
    if quick is None:
        assert language_identifier().identify(text) not in ("ar", "en")


def test_a_feeds_declared_language_holds_for_a_short_item_dense_with_names():
    from services.extraction.language import language_identifier

    item = "On Feb 04, police forces killed 1 Islamic State militant in Arabeed village, west of Kirkuk."
    assert language_identifier().identify(item, hint="en") == "en"
    # ... but not for another language's prose
    german = "Das Ministerium erklärte, dass Kampfflugzeuge in der Nacht Stellungen nahe der Grenzstadt angriffen."
    assert language_identifier().identify(german, hint="en") == "de"


def test_a_feeds_declared_english_holds_for_an_item_too_short_for_the_detector():
    from services.extraction.language import language_identifier

    assert language_identifier().identify("Workers went on strike in Cairo.", hint="en") == "en"
    assert language_identifier().identify("Protesters marched in Indonesia.", hint="en") == "en"


@pytest.mark.parametrize("text, language", [
    # too short for the detector (French, Italian and Spanish to it): English function words, no neighbour's
    ("An officer was killed in Albukamal.", "en"),
    ("An Iranian officer was assassinated in Albukamal.", "en"),
    ("On Feb 04, police forces killed 1 Islamic State militant in Arabeed village, west of Kirkuk.", "en"),
    # a neighbour's function word, or none of English's: the detector decides
    ("Le soldat a été tué dans la ville de Homs.", "fr"),
    ("Il soldato è stato ucciso nella città di Homs.", "it"),
])
def test_a_short_undeclared_item_is_english_by_its_function_words(text, language):
    from services.extraction.language import language_identifier

    assert language_identifier().identify(text) == language


@pytest.mark.parametrize("body, protests", [
    ("A Quiet Place Part II arrives in theaters on March 20, 2020 in Amman.", 0),
    ("Since March, prices in Cairo have doubled.", 0),
    ("Thousands joined the Great March of Return in Gaza on Friday.", 1),
    ("Protesters held a march in Cairo on Friday.", 1),
])
def test_march_the_month_is_no_protest(extractor, body, protests):
    events = extractor.process(article("m", body, FRIDAY)).events
    assert len([e for e in events if e.category == "UNREST"]) == protests


def test_a_negated_attack_is_not_an_event(extractor):
    for body in ("Australia has not suffered any attack on its soil in peacetime.",
                 "ولم تتعرض أستراليا لأي هجوم على أراضيها."):
        assert [e for e in extractor.process(article("n", body, FRIDAY)).events if e.category == "ASSAULT"] == []


def test_history_is_not_news(extractor):
    body = "Investigators believe he took part in the attempt to bomb Los Angeles airport in 1999."
    assert extractor.process(article("h", body, FRIDAY)).events == []
    body = "28 يونيو (حزيران) 1988: مقتل الملحق البحري الأمريكي في انفجار سيارة مفخخة في أثينا."
    assert extractor.process(article("h", body, FRIDAY)).events == []


def test_reported_history_keeps_its_own_date(extractor):
    # coded with the day it happened; alerting leaves what is older than its history_days alone
    for body, day in (("On 19 October, jets struck the town of Maarat al-Numan in Idlib.", dt.date(2023, 10, 19)),
                      ("On 5 August, jets struck the town of Maarat al-Numan in Idlib.", dt.date(2023, 8, 5))):
        events = extractor.process(article("h", body, FRIDAY)).events
        assert [(e.category, e.occurred_on) for e in events] == [("ASSAULT", day)]


def test_written_dates_resolve_with_the_latest_year_not_after_publication():
    jan = dt.datetime(2018, 1, 11, 12, tzinfo=dt.UTC)
    assert resolve_date("AQAP militants shelled troops in Abyan on January 9.", jan) == dt.date(2018, 1, 9)
    assert resolve_date("shelled the base on 28 December", jan) == dt.date(2017, 12, 28)
    assert resolve_date("ما بين 17 و26 تشرين الأول/ أكتوبر الجاري", FRIDAY) == dt.date(2023, 10, 17)


def test_a_retaliation_clause_is_its_own_event(extractor):
    body = ("US forces struck weapons depots in eastern Syria on Friday, in retaliation for drone attacks "
            "by Kataib Hezbollah on US troops in Iraq.")
    events = extractor.process(article("c", body, FRIDAY)).events
    assert [(e.actor1 and e.actor1.code, e.actor2 and e.actor2.code) for e in events] == [
        ("USA:MIL", None), ("IRQ:KH", "USA:MIL")]


def test_a_later_report_of_the_same_strike_fills_in_and_merges(extractor):
    body = ("US forces struck depots of the Revolutionary Guards in eastern Syria on Friday.\n"
            "The strikes near Albukamal were carried out by two F-16 jets.")
    [event] = extractor.process(article("m", body, FRIDAY)).events
    assert (event.mode, event.actor1.code, event.actor2.code) == ("air_strike", "USA:MIL", "IRN:IRGC")
    assert event.location.geonameid == 174448 and event.systems == ["F-16"]


def test_a_small_place_named_like_a_common_word_needs_a_place_cue():
    mentions = load_lexicon().find("أرسل التحالف تعزيزات إلى مطار خراب الجير")
    places = [m.entry.name for m in mentions if m.kind == "place"]
    assert places == ["Kharab al-Jir airfield"]


def test_fast_normalisation_equals_the_character_by_character_one():
    import random

    from services.extraction.normalize import _normalize_by_char, normalize_plain
    alphabet = list("أعلن وزير الدفاع الأميركي أنّ ـً") + list("US-led, Dar'a ‘Ataq.  \u200f\nﻻ")
    rng = random.Random(7)
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        fast, offsets = normalize(text)
        slow, slow_offsets = _normalize_by_char(text)
        assert fast == slow
        assert normalize_plain(text) == slow.strip()
        assert [o for o, ch in zip(offsets, fast, strict=True) if ch != " "] == [
            o for o, ch in zip(slow_offsets, slow, strict=True) if ch != " "]


def test_source_to_normalised_offsets_table_equals_the_lookup_one_at_a_time():
    import random

    alphabet = list("أعلن وزير الدفاع الأميركي أنّ ـً") + list("US-led, Dar'a ‘Ataq.  \u200f\nﻻ")
    rng = random.Random(11)
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        _, offsets = normalize(text)
        assert [offsets.to_norm(a) for a in range(len(text) + 1)] == [
            offsets._to_norm(a) for a in range(len(text) + 1)], text


@pytest.mark.parametrize("sentence, expected", [
    ("مقتل ١٢ شخصا وإصابة عشرات في القصف", (12, 10)),
    ("أصيب 21 فردا أمريكيا بجروح", (None, 21)),
    ("At least 14 people were killed and dozens wounded", (14, 12)),
    ("The attack killed three civilians", (3, None)),
    # thousands separators: one number, not its first group
    ("Shelling killed 1,200 people and injured more than 3,000 in Aleppo.", (1200, 3000)),
    ("قتل ١٬٢٠٠ شخص في القصف", (1200, None)),
    ("killed 5, 200 others were injured", (5, 200)),
    # "all" before a count; "لقي ... مصرعهم / حتفهم" with the count after the verb
    ("The missile hit the plane, killing all 176 people on board.", (176, None)),
    ("لقي 5 أشخاص مصرعهم في غارة جوية على إدلب", (5, None)),
    ("لقي ثلاثة جنود حتفهم وأصيب آخر في الهجوم", (3, 1)),
    # one person wounded, told by the verb; not "no one"
    ("أصيب جندي برصاصة خلال اشتباك في درعا", (None, 1)),
    ("A soldier was wounded in the attack.", (None, 1)),
    ("The blast hit the convoy but no one was injured.", (None, None)),
    ("من دون أن يتسبب سقوطها بمقتل أو جرح أحد", (None, None)),
])
def test_casualty_counts(sentence, expected):
    assert casualties(sentence) == expected


@pytest.mark.parametrize("sentence, expected", [
    # two counts of one toll add up; a breakdown of a total does not
    ("Two policemen and three militants were killed in the clashes.", (5, None)),
    ("297 IS fighters and at least 172 HTS fighters were killed in clashes.", (469, None)),
    ("وأسفرت الاشتباكات عن مقتل 3 جنود و5 مسلحين.", (8, None)),
    ("43 people, including 27 civilians and 14 children, were killed in the blast.", (43, None)),
    # ages are not counts
    ("An 11-year-old boy was killed and a 20 year old man was wounded.", (1, 1)),
    ("5 girls between the ages of 7 and 15 were killed when a missile struck their farm.", (5, None)),
    ("قتل طفل (13 عاما) في القصف.", (1, None)),
    ("Matson, 65, of Brookings, died on Saturday.", (None, None)),
    ("The gunman, 37, was killed by a guard, 71, of the church.", (1, None)),
    # the bodies found are the dead, except in a mass grave
    ("The bodies of five people were recovered from the rubble of the house.", (5, None)),
    ("وانتشلت فرق الدفاع المدني 7 جثث من تحت الأنقاض.", (7, None)),
    ("Police found a mass grave holding the bodies of 200 people.", (None, None)),
    # a singular verb tells one death; a doubt tells none
    ("An HTS commander, Muhammad Abbas aka Abu Hamza al-Masri, was killed during clashes.", (1, None)),
    ("It is unclear whether he survived or was killed.", (None, None)),
    # a number word inside another word counts nothing: "ten" in "forgotten"
    ("The village was long forgotten, and one guard was killed there.", (1, None)),
])
def test_casualty_counts_add_up_and_leave_out_ages(sentence, expected):
    assert casualties(sentence) == expected


@pytest.mark.parametrize("sentence, expected", [
    # the dead named one by one or group by group add up
    ("The airstrike hit a house, killing a woman and a child and injuring a man.", (2, 1)),
    ("Shells hit the town, killing a woman, a child, and at least one other civilian.", (3, None)),
    ("The raid killed a local commander and three of his aides.", (4, None)),
    ("A policeman and an army officer were killed by a roadside bomb.", (2, None)),
    ("A man and his son were killed by the shelling.", (2, None)),
    ("The strike killed a woman and her two children.", (3, None)),
    ("Militants raided a house, assassinating two tribal commanders.", (2, None)),
    ("The clashes caused the death of two fighters from the rebel side and 17 soldiers from the army.", (19, None)),
    ("At least 21 soldiers were killed along with 26 rebels.", (47, None)),
    # counts joined by commas, the last by "and", are one list; a first count of their sum, or of people in
    # general, is their total
    ("8 soldiers, 11 faction fighters, and 6 YPG fighters were confirmed killed in the clashes.", (25, None)),
    ("Six civilians, three women, a man, and two boys, were killed by the airstrike.", (6, None)),
    ("Two civilians (a child and her grandmother) were killed by the rocket.", (2, None)),
    ("The shelling killed 4 soldiers, 3 militiamen and 2 civilians.", (9, None)),
    ("The shelling killed 3 soldiers, 2 civilians.", (3, None)),
    # ... but a breakdown, a range, an apposition or a clause is not another item
    ("Three civilians including one child were killed by the shelling.", (3, None)),
    ("The coalition reported killing between 100 and 500 fighters.", (100, None)),
    ("The shelling killed at least 1 person, a child, and injured other civilians.", (1, None)),
    ("Militants killed a soldier in an attack on a checkpoint.", (1, None)),
    ("Four members of a militia were killed in the clashes.", (4, None)),
    ("The blast killed 3 soldiers and 5 civilians were injured.", (3, 5)),
    # "and" inside one group of the dead, not before another clause or verb
    ("21 regime and loyalist militia fighters were killed in the clashes.", (21, None)),
    ("Airstrikes injured 30 civilians and shelling which killed 1 man hit the town.", (1, 30)),
    ("The army raided 12 villages and killed 2 militants.", (2, None)),
    # one death told by its verb or its victim's role
    ("A young man was shot and killed by border guards.", (1, None)),
    ("Gunmen assassinated a commander on the outskirts of the village.", (1, None)),
    ("A missile hit a civilian house, killing the owner.", (1, None)),
    ("The shelling led to the later death of a man from his injuries.", (1, None)),
    ("A landmine hit an ambulance, resulting in the death of the driver.", (1, None)),
    ("A man succumbed to wounds received in the shelling.", (1, None)),
    ("The border guards shot a fighter, which led to his death.", (1, None)),
    ("Soldiers fatally shot a man at the checkpoint.", (1, None)),
    ("Gunmen assassinated the party's nominated candidate in the city.", (1, None)),
    ("Snipers gunned down 3 soldiers on the mountain.", (3, None)),
    ("Three soldiers were shot and killed by snipers at the border.", (3, None)),
    ("One fatality was reported in the battle for the town.", (1, None)),
    ("A roadside bomb struck the police vehicle, leaving a policeman dead and three others wounded.", (1, 3)),
    ("Snipers claim to have killed Major Ibrahim al-Hadhmi during an attack.", (1, None)),
    ("5 more civilian bodies were recovered from the rubble of the shelling.", (5, None)),
    # a count of the injured is no count of the dead
    ("The shelling injured at least 5 people, leading to the death of a man.", (1, 5)),
    ("A bomb hit the vehicle, which resulted in the death of the 6 fighters.", (6, None)),
    # deaths with no number are an unknown plural (10, as ACLED codes them), unless denied
    ("The attack caused loss of life on the other side.", (10, None)),
    ("Deaths were reported among the attackers.", (10, None)),
    ("A rocket destroyed the vehicle, killing those aboard.", (10, None)),
    ("It was reported that its crew was killed.", (10, None)),
    ("The source mentioned heavy losses in life and equipment.", (10, None)),
    ("The army suffered heavy losses in equipment.", (None, None)),
    ("Regime forces shelled the town with no injuries or fatalities reported.", (None, None)),
    ("Warplanes struck the village; neither injuries nor fatalities were reported.", (None, None)),
    # the killed and the wounded told together: half of them are the dead
    ("The battles resulted in the killing and injuring of dozens.", (6, None)),
    ("The rebels captured the area with 25 regime casualties confirmed.", (12, None)),
    # ... an unknown number of casualties may all be wounded
    ("Airstrikes hit a bus, causing an unknown number of casualties.", (None, None)),
    # of a range, the lower bound
    ("The bombing caused between 7 to 9 fatalities.", (7, None)),
    ("The raid killed 10-12 people.", (10, None)),
    # an estimate is a count, of a range its lower bound
    ("An air raid on the camp killed an estimated 40-45 recruits.", (40, None)),
    ("Shelling killed approximately 20 people in the market.", (20, None)),
    # a count and a larger one it may be, the first; two sources' counts, the lower
    ("2, possibly 3, civilians were killed by the shelling.", (2, None)),
    ("At least 5 civilians, and possibly as many as 7, were killed by airstrikes.", (5, None)),
    ("Two or three people were killed when the shell hit the market.", (2, None)),
    ("The raids killed at least 25 civilians, conflicting sources indicate that 37 civilians were killed.", (25, None)),
    ("Clashes killed 4 fighters, activists said 6 were killed.", (4, None)),
    ("Clashes killed 4 fighters, the army said 3 soldiers were wounded.", (4, 3)),
    # one named and the others with them
    ("A militia commander was killed along with 3 others when the drone hit his car.", (4, None)),
    ("The mayor was killed together with two of his guards.", (3, None)),
    # a toll that rose; the dead who succumbed; a crew killed whole; a leader killed
    ("The death toll from Monday's car bomb in the market rose to 17.", (17, None)),
    ("The number of soldiers killed in the ambush near the border has risen to 9.", (9, None)),
    ("Two civilians succumbed to wounds received in the shelling.", (2, None)),
    ("A missile hit the armoured vehicle, killing all its crew.", (10, None)),
    ("The strike killed the leader of the local militia.", (1, None)),
    # animals and the dead of a mass grave are not this event's toll
    ("Settlers attacked a shepherd and killed five of his sheep.", (None, None)),
    ("Police found a mass grave with the remains of 70 people killed by militants.", (None, None)),
    # the dead found, or dying later, one by one
    ("The body of a farmer was found near the checkpoint on Tuesday.", (1, None)),
    ("A shepherds body was found dumped beside the road.", (1, None)),
    ("A detainee from the eastern district of the city died under torture in prison.", (1, None)),
    # killing and wounding with no count is an unknown plural, as ACLED codes it
    ("A roadside bomb hit the bus, killing and wounding those on board.", (10, None)),
    ("The gunmen opened fire on the convoy and killed all those inside.", (10, None)),
    ("Mortar fire hit the barracks, resulting in fatalities.", (10, None)),
    ("The shelling killed and injured soldiers on the other side.", (10, None)),
    ("The shelling killed and injured 6 soldiers.", (3, 3)),
    # a toll updated upwards
    ("A news agency confirmed the strike, updating the fatalities to 8 civilians.", (8, None)),
    ("Hospital officials later raised the death toll to 12.", (12, None)),
    # the dead of each side, one named with a companion, one found with his men
    ("Militants resisting arrest sparked clashes that killed one on each side.", (2, None)),
    ("A senior leader in the group and his aide were killed in the air strike.", (2, None)),
    ("The commander was found dead with his two assistants after the shelling.", (3, None)),
    ("The commander and his driver were wounded.", (None, None)),
    # all aboard, a group, a count and its dead far apart, a unit's ordinal
    ("Houthi forces blew up a vehicle on the hill, killing all who were on board.", (10, None)),
    ("All of the vehicles occupants were killed, the report said.", (10, None)),
    ("A group of the army fighters were killed when they entered a minefield.", (10, None)),
    ("Gunmen opened fire on a house, leaving three of the family members who were inside dead.", (3, None)),
    ("Gunfire left three people injured and one dead.", (1, 3)),
    ("2 1st Coastal Division fighters were killed when their vehicle was hit.", (2, None)),
    # a count of minutes is no count of the dead
    ("The convoy left 5 minutes later and 2 guards were found dead.", (2, None)),
])
def test_casualty_lists_and_unknown_tolls(sentence, expected):
    assert casualties(sentence) == expected


@pytest.mark.parametrize("body, killed", [
    ("Warplanes carried out airstrikes on the town, killing 3 civilians. 1 more civilian later died of his wounds.", 4),
    ("Regime forces shelled the town, killing 2 people. 3 more bodies were pulled from the rubble later.", 5),
])
def test_more_dead_add_to_the_toll_they_follow(extractor, body, killed):
    assert [e.killed for e in extractor.process(article("m", body, FRIDAY)).events] == [killed]


def test_as_many_as_is_a_count_not_a_clause(extractor):
    [event] = extractor.process(article("m", "Government soldiers killed as many as 6 Houthi militiamen during "
                                             "clashes in Marib.", FRIDAY)).events
    assert (event.actor2.code, event.killed) == ("YEM:HOUTHI", 6)


@pytest.mark.parametrize("body, language, period", [
    ("Between 17 and 26 October, Iran-backed groups attacked US forces in Iraq and Syria 16 times.", "en",
     ("2023-10-17", "2023-10-26")),
    ("وبين 17 و26 تشرين الأول، شنت فصائل مدعومة من إيران 16 هجوما على القوات الأمريكية في العراق.", "ar",
     ("2023-10-17", "2023-10-26")),
    ("From 28 September to 3 October, militants fired rockets at Ain al-Asad air base.", "en",
     ("2023-09-28", "2023-10-03")),
    ("Between October 17 and 26, drones attacked the al-Tanf garrison.", "en", ("2023-10-17", "2023-10-26")),
    ("Between 28 December and 3 January, militants fired rockets at the base.", "en", ("2022-12-28", "2023-01-03")),
    # one day is no period
    ("On October 19, drones attacked the al-Tanf garrison.", "en", ("2023-10-19", None)),
])
def test_reported_history_gets_its_own_dates(extractor, body, language, period):
    [event] = [e for e in extractor.process(article("p", body, FRIDAY, language)).events if e.category == "ASSAULT"]
    until = event.occurred_until.isoformat() if event.occurred_until else None
    assert (event.occurred_on.isoformat(), until) == period


def test_weekday_resolves_to_the_latest_such_day():
    assert resolve_date("وقع الهجوم يوم الأربعاء", FRIDAY) == dt.date(2023, 10, 25)
    assert resolve_date("on Friday", FRIDAY) == dt.date(2023, 10, 27)


def test_sentence_split_keeps_offsets():
    text = "First one. Second one?\nالجملة الثالثة."
    assert [text[a:b] for a, b in split_sentences(text)] == ["First one.", "Second one?", "الجملة الثالثة."]


@pytest.mark.parametrize("written, geonames", [("Idleb", "Idlib"), ("Haweejah", "Al Ḩawījah"),
                                                ("Jisr ash-Shugur", "Jisr ash Shughūr"),
                                                ("Maarat al-Numan", "Maarrat an Nu‘mān"),
                                                # ذ ظ ض are written th as often as dh; "Abul" is Abu al-
                                                ("Thubab", "Dhubāb"), ("Abul Thohur", "Abu ad Duhur")])
def test_latin_spellings_of_one_arabic_name_share_a_skeleton(written, geonames):
    from services.extraction.lexicon import skeleton
    assert skeleton(normalize_plain(written)) == skeleton(normalize_plain(geonames))


def test_a_place_spelled_otherwise_than_geonames_is_found(extractor):
    [event] = extractor.process(article("s", "Regime forces shelled the town of Talbiseh in northern Homs.",
                                        FRIDAY)).events
    assert (event.location.name, event.location.country) == ("Tallbīsah", "SY")


def test_a_town_written_with_th_for_its_dh_is_found(extractor):
    [event] = extractor.process(article("s", "Warplanes carried out raids on Abul Thohur military airport in "
                                             "southeast Idleb.", FRIDAY)).events
    assert (event.location.name, event.location.country) == ("Abū az̧ Z̧uhūr", "SY")


@pytest.mark.parametrize("written, geonames", [("Arbin", "‘Irbīn"), ("Tadaf", "Tādif"), ("Shirqat", "Ash Sharqāt"),
                                                ("Jandiris", "Jindayris")])
def test_transliterations_that_differ_in_vowels_share_a_consonant_key(written, geonames):
    from services.extraction.lexicon import consonants, skeleton
    assert skeleton(normalize_plain(written)) != skeleton(normalize_plain(geonames))
    assert consonants(normalize_plain(written)) == consonants(normalize_plain(geonames))


def test_a_consonant_key_keeps_the_number_of_vowel_groups():
    from services.extraction.lexicon import consonants
    # a vowel written or left out makes another name as often as another spelling of one
    assert consonants("naqdeh") != consonants("naqadeh")
    assert consonants("hamouriya") != consonants("hamra")


def test_a_town_spelled_with_other_vowels_is_found_after_a_place_word(extractor):
    # ‘Irbīn in GeoNames, "Arbin" in the news (عربين): the consonants and the number of vowel groups agree
    body = "Regime forces shelled the town of Arbin, killing two civilians."
    [event] = extractor.process(article("c", body, FRIDAY)).events
    assert (event.location.name, event.location.country) == ("‘Irbīn", "SY")
    body = "Government artillery pounded rebel positions in Arbin in Rural Damascus on Thursday."
    [event] = extractor.process(article("d", body, FRIDAY)).events
    assert event.location.name == "‘Irbīn"
    # nothing places the article, and of the towns of that spelling one is in a country at war (Sohar is in Oman)
    body = "Coalition airstrikes hit a farm in Sihar."
    [event] = extractor.process(article("s", body, FRIDAY)).events
    assert (event.location.name, event.location.country) == ("Saḩar", "YE")
    # nothing else tells the country (Turkey's forces fight abroad), and the spelling names one town alone
    body = "Turkish warplanes struck a car in Jandiris city, injuring two men."
    [event] = extractor.process(article("f", body, FRIDAY)).events
    assert event.location.name == "Jindayris"


@pytest.mark.parametrize("body, not_there", [
    # no place word before it: a name matched by its consonants alone needs one
    ("Regime forces shelled Arbin overnight.", "‘Irbīn"),
    # an article about another country: the town is not taken however it is spelled
    ("Police in Jordan said a blast hit the village of Arbin near Irbid.", "‘Irbīn"),
    # a part of a longer name: "Jabal" is no Jablah
    ("Houthi forces shelled positions on Jabal Saber in Taiz.", "Jablah"),
    # far from the town the article places it in: the Jobar of Damascus is no town 60 km off
    ("Shells fell on the Jobar neighbourhood of Damascus city.", "Yabrūd"),
    ("One civilian was killed by the explosion of a bomb in Latifiya.", "Laţīfī"),
])
def test_a_name_matched_by_consonants_alone_needs_a_cue_and_the_articles_geography(extractor, body, not_there):
    # (and where nothing places the article, a town of a country at war: "Latifiya" in Iraq is no Laţīfī in Iran)
    out = extractor.process(article("e", body, FRIDAY))
    assert out.events
    assert not_there not in {e.location.name for e in out.events if e.location}
    assert not_there not in {e.name for e in out.entities}


def test_an_article_that_names_no_place_is_placed_where_its_actors_fight(extractor):
    [event] = extractor.process(article("t", "Pro-Houthi forces shelled pro-Hadi troops overnight.", FRIDAY)).events
    assert (event.location.country, event.location.precision) == ("YE", "country")
    # forces that fight abroad say nothing of where
    [event] = extractor.process(article("u", "Russian warplanes carried out raids overnight.", FRIDAY)).events
    assert event.location is None


@pytest.mark.parametrize("body", [
    "A rebel commander was injured by an explosion that targeted his car in Sayda town in eastern Dar'a.",
    "Faction fighters fired several shells near Tir Maallah in northern Homs.",
    "Suspected coalition warplanes bombarded the town of Shafa in eastern Deir-ez-Zor.",
])
def test_a_place_said_to_lie_in_a_province_is_in_that_provinces_country(extractor, body):
    # (Sidon, Tyre and Şaffā abroad share these towns' names)
    [event] = extractor.process(article("n", body, FRIDAY)).events
    assert event.location.country == "SY"


@pytest.mark.parametrize("body, admin1, not_there", [
    # Maḑāyā lies by Damascus, Ra's al-'Ayn on the Turkish border: these are villages the gazetteer lacks,
    # placed in what they are said to lie in (Afrin in Aleppo province, 09; Idlib province, 12)
    ("Turkish-backed fighters captured Medaya village in southwest Afrin after clashes with YPG fighters.",
     "09", "Maḑāyā"),
    ("Regime forces shelled Ras al-Ain town in southeast Idleb overnight.", "12", "Ra’s al ‘Ayn"),
])
def test_a_town_said_to_lie_in_a_place_far_from_it_is_another_town_of_that_name(extractor, body, admin1, not_there):
    events = [e for e in extractor.process(article("p", body, FRIDAY)).events if e.category == "ASSAULT"]
    assert events
    assert {(e.location.country, e.location.admin1) for e in events} == {("SY", admin1)}
    assert not_there not in {e.location.name for e in events}


@pytest.mark.parametrize("body, town", [
    # in its province by its code, or beside the next place rather than in it
    ("Regime forces shelled Sanjar town in southern Idleb overnight.", "Sinjār"),
    ("Police forces repulsed an IS attack, killing 3 militants in Makhmur town, southeast of Mosul.", "Mexmur"),
])
def test_a_town_in_its_province_or_beside_the_next_place_keeps_its_name(extractor, body, town):
    [event] = [e for e in extractor.process(article("q", body, FRIDAY)).events if e.category == "ASSAULT"]
    assert event.location.name == town


def test_a_place_said_to_lie_in_a_large_town_takes_that_towns_country(extractor):
    # "Karkh" spells two Iranian villages alike, and "Baghdad" Baghdādeh in Iran: Baghdad decides
    [event] = extractor.process(article("k", "A bomb exploded in the Karkh district of Baghdad.", FRIDAY)).events
    assert (event.location.name, event.location.country) == ("Baghdad", "IQ")


def test_a_name_with_its_article_after_an_unknown_name_is_that_names_tail(extractor):
    # "Suquor al-Sham" is a brigade, not Damascus (al-Sham)
    body = "HTS fighters clashed with Suquor al-Sham fighters in the Ariha area overnight."
    [event] = extractor.process(article("s", body, FRIDAY)).events
    assert event.location.name == "Arīḩā"


def test_a_village_abroad_named_like_a_word_is_not_taken_in_an_article_about_another_country(extractor):
    body = "Syrian warplanes carried out raids on the town of Marat in southern Idleb."
    [event] = extractor.process(article("v", body, FRIDAY)).events
    assert event.location.country == "SY"


@pytest.mark.parametrize("body", [
    "Analysts fear the group could attack the embassy.",
    "الشرطة تعمل على منع أي هجوم على السفارة.",
    "وحاول المتهمون التخطيط لتفجير مبنى السفارة.",
    "The assassination of the former prime minister still divides the country.",
    "ولا يزال الاغتيال يثير جدلا في البلاد.",
    # planned or prepared
    "وكان المتهمون يعتزمون تنفيذ هجوم انتحاري على القنصلية.",
    "وقال إنه كان يستعد لشن هجوم على السفارة.",
    "The cell was preparing to carry out a bomb attack on the embassy.",
    # asked, not told
    "هل قصفت الطائرات الإسرائيلية مواقع في سوريا أمس؟",
    "Did Israeli jets strike targets in Syria yesterday?",
    # a tally over a period, not one attack
    "وشنت حركة طالبان أكثر من مئة هجوم انتحاري منذ بداية العام في أفغانستان.",
    "Taliban fighters carried out more than 100 suicide attacks in Afghanistan this year.",
    # the subject of a trial, an inquiry or a condemnation, told nowhere else in the article
    "وتنظر المحكمة الدولية في قضية اغتيال رئيس الوزراء اللبناني.",
    "وأدانت الحكومة الأردنية اغتيال النائب اللبناني.",
    "The inquiry into the bombing of the embassy opened in Beirut.",
    # idioms
    "وشن الرئيس اليمني هجوما لاذعا على معارضيه في صنعاء.",
    "The Lebanese budget is a ticking time bomb, the minister said in Beirut.",
    "Iran and Iraq struck a deal on border crossings in Baghdad.",
])
def test_an_attack_feared_planned_or_only_referred_to_is_not_reported(extractor, body):
    assert [e for e in extractor.process(article("i", body, FRIDAY)).events if e.category == "ASSAULT"] == []


@pytest.mark.parametrize("body", [
    # the subject of an anniversary, an investigation, a confession or an accusation
    "تحيي البلاد اليوم الذكرى العاشرة لمجزرة القرية.",
    "The country marks today the anniversary of the bombing of the embassy.",
    "تواصلت أمس التحقيقات في التفجير الذي استهدف دورية للجيش.",
    "The investigation into the bombing that killed five soldiers continued on Monday.",
    "وبث التلفزيون اعترافات المتهمين حول تنفيذ اعتداء بسيارة مفخخة.",
    "وقالت محامية المتهمة بمحاولة قتل جنود إن موكلتها بريئة.",
    # a year or more ago, or qualified as an earlier attack
    "اغتاله مسلحون قبل عامين في بغداد.",
    "Gunmen killed the mayor two years ago in Baghdad.",
    "The bombing last year killed 20 people in the capital.",
    "ونفذت الحركة عمليات انتحارية سابقة في لاهور.",
    # possible, asked for, likely, denied, on a condition, or not there
    "وظهرت تقارير عن ضربة جوية أميركية أو إسرائيلية محتملة لإيران.",
    "وطلب القائد تنفيذ ضربات جوية عاجلة لوقف تقدم المدرعات.",
    "من المرجح أن يكون الموساد هو من أقدم على اغتيال العالم.",
    "نفى الجيش قيام المسلحين بإسقاط طائرة مسيرة في دارفور.",
    "The army denied that militants shot down a drone over Darfur.",
    "وقال إن أنقرة مستعدة لتحمل الانتقادات إذا شنت هجوما.",
    "Ankara is ready to face criticism if it launches an attack.",
    "ولم تكن هناك سيارة مفخخة في الموقع.",
    # a time after it, its perpetrator's arrest, similar earlier ones, a plan, a film's title, an accident
    "وسيلقي الرئيس كلمة اليوم بعد ستة أيام على اغتيال رئيسة الوزراء.",
    "The president will speak today, six days after the assassination of the prime minister.",
    "وتم إلقاء القبض على منفذ جريمة اغتيال الشيخ في بغداد أمس.",
    "وتعرضت بلدات المنطقة منذ فترة إلى تفجيرات مماثلة أوقعت عشرات القتلى.",
    "وقال عباس إنه تلقى معلومات بتخطيط الحركة لاغتياله بعبوة ناسفة.",
    "وفاز الممثل بجائزة عن دوره في فيلم «اغتيال جيسي جيمس».",
    "The actor won an award for his role in the film The Assassination of Jesse James.",
    "قتل شخصان أمس جراء انفجار أسطوانة غاز في مطعم بالمدينة.",
    "Two people were killed yesterday in a gas cylinder explosion at a restaurant.",
    # one of a count, decades ago, orders, an anti-missile system, an attack's goal
    "وهذا هو رابع هجوم انتحاري بسيارة مفخخة تشنه الجماعة في اليمن.",
    "تخلت الحكومة في الخمسينات عن الحركات التي نفذت اغتيالات في البلاد.",
    "وقالت الشرطة إنها تلقت أوامر بإطلاق النار على اللصوص.",
    "وحصلت إسرائيل على نظام مضاد للصواريخ من الولايات المتحدة.",
    "ورجح متابعون أن يكون الهدف من اعتداء أمس البحث عن الصدى الإعلامي.",
    # may, needs, speculation, a count over years, the subject of a case
    "ويشير آخرون إلى أن المستوطنين قد يرتكبون مذبحة ضد المصلين.",
    "وهذه تحتاج إلى ضربة إسرائيلية مسبقة تشل قدرات تلك القوى.",
    "ويتكهن بعض المحللين بأن المسلحين سيشنون هجمات جديدة.",
    "وخلال السنوات الست الماضية بلغ عدد الصواريخ التي أطلقت 6000 صاروخ.",
    "Analysts point to the growing number of suicide attacks in the country.",
    "وأكدت مصادر قضائية معنية بملف اغتيال اللواء أن التحقيق مستمر.",
    # its dead named as those who fell in it
    "واتصل الوزير بأهالي الجنود الذين سقطوا في تفجير الحلة أمس معزيا.",
    "The minister met the families of the 12 soldiers who were killed in the bombing in Hilla.",
    # the day of a reaction to an attack told nowhere else, not of the attack
    "وأعرب الأمين العام أمس عن انزعاجه الشديد لهذا الهجوم، وقدم العزاء لأسر الضحايا.",
    "وكرم الجيش اليوم الجنود الذين سقطوا في التفجير وألبسهم الأوسمة.",
])
def test_an_attack_that_is_the_subject_of_other_news_or_not_real_is_not_reported(extractor, body):
    assert [e for e in extractor.process(article("r", body, FRIDAY)).events if e.category == "ASSAULT"] == []


@pytest.mark.parametrize("body, category, mode", [
    ("Army units restored control over the town of Atarib after a day of fighting.", "ASSAULT", "ground_clash"),
    ("The militia tried to storm the town of Jisr al-Shughur on Monday.", "ASSAULT", "ground_clash"),
    ("Rebel fighters made advances on the Azaz front overnight.", "ASSAULT", "ground_clash"),
    ("The army said its troops now fully control the town of Atarib.", "ASSAULT", "ground_clash"),
    # ground that changed hands with no fight told: no battle, an event all the same
    ("Islamic State fighters controlled three villages in eastern Hama on Tuesday.", "OTHER", "territory_transfer"),
    # ... and a fight told after it is the event: "controlled" governs no attack word
    ("The army controlled the village in southern Idleb after clashes with the rebels.", "ASSAULT", "ground_clash"),
])
def test_ground_taken_or_pressed_for_by_fighters_is_an_event(extractor, body, category, mode):
    [event] = extractor.process(article("g", body, FRIDAY)).events
    assert (event.category, event.mode) == (category, mode)


@pytest.mark.parametrize("body, mode", [
    ("Workers of the cement company went on a strike and gathered outside the governor's office.", "protest"),
    ("Hundreds of teachers have been protesting unpaid salaries in Basra since Sunday.", "protest"),
    ("Young men hurled rocks at police vehicles and set tyres on fire in Karak.", "riot"),
])
def test_strikes_and_protests_of_workers_and_crowds_are_unrest(extractor, body, mode):
    # ("went on a strike": no air strike)
    assert [(e.category, e.mode) for e in extractor.process(article("w", body, FRIDAY)).events] == [("UNREST", mode)]


@pytest.mark.parametrize("body, category", [
    # a capture during a fight is part of it; an arrest over an attack is the arrest
    ("Government troops killed 12 militants and captured 5 more during clashes near Marib.", "ASSAULT"),
    ("Police arrested two men suspected of the bombing in Baghdad.", "COERCE"),
    # ground captured, not people
    ("Regime forces captured three villages west of Hama from rebel fighters.", "ASSAULT"),
    ("Rebel fighters managed to capture the hill overlooking the town of Atarib.", "ASSAULT"),
    ("The army captured eight fighters near Idlib.", "COERCE"),
    ("Police captured two gunmen in the village of Kafr Nabl.", "COERCE"),
])
def test_a_capture_of_ground_or_during_a_fight_is_the_fight(extractor, body, category):
    events = extractor.process(article("k", body, FRIDAY)).events
    assert [e.category for e in events] == [category]


@pytest.mark.parametrize("body, mode", [
    ("A farmer was seriously wounded by Saudi artillery in the border district of Shada.", "shelling"),
    ("Militants used a drone to target an army post near Kirkuk, injuring two soldiers.", "drone_strike"),
    ("An exchange of fire took place between rebel and government fighters near Daraa.", "ground_clash"),
    # the head of a committee named for reconciliation is shot: no truce
    ("The head of the local Reconciliation Committee was shot by unknown gunmen in Daraa.", "ground_clash"),
    # a second verb of its own, not a complement of the first
    ("Government forces sent reinforcements to the town and regained all the ground they had lost to the rebels.",
     "ground_clash"),
])
def test_attack_wordings_news_uses(extractor, body, mode):
    [event] = extractor.process(article("a", body, FRIDAY)).events
    assert (event.category, event.mode) == ("ASSAULT", mode)


def test_ground_taken_after_a_fight_is_one_event_where_the_ground_is(extractor):
    body = "Islamist fighters controlled the village in southern Idleb after clashes with the Suqour al-Sham brigade."
    [event] = extractor.process(article("g", body, FRIDAY)).events
    assert (event.category, event.location.name) == ("ASSAULT", "southern Idlib Governorate")


@pytest.mark.parametrize("body", [
    "The two governments made advances in their talks on trade.",
    "The town, controlled by the army since 2016, was calm on Friday.",
    "Residents of rebel-controlled areas complained about the price of bread.",
])
def test_advances_and_control_without_fighters_or_a_change_are_no_event(extractor, body):
    assert [e for e in extractor.process(article("h", body, FRIDAY)).events
            if e.category == "ASSAULT" or e.mode == "territory_transfer"] == []


@pytest.mark.parametrize("body, killed", [
    ("وقال مصدر أمني إن الانتحاري فجر نفسه قرب نقطة تفتيش للجيش في الموصل.", None),
    ("وفجر المسلحون عبوة ناسفة قرب دورية للشرطة في كركوك.", None),
    # one victim right after the verb: "its forces killed a gunman"
    ("وأكد الجيش أن قواته قتلت مسلحا قرب كركوك.", 1),
    # the attack named alone, with the verb of its happening and where: a report, with no day told
    ("وقال الشهود إن التفجير وقع في سوق شعبي وسط مدينة الحلة.", None),
])
def test_arabic_wordings_of_an_attack(extractor, body, killed):
    [event] = extractor.process(article("b", body, FRIDAY)).events
    assert (event.category, event.killed) == ("ASSAULT", killed)


def test_dawn_is_no_blast(extractor):
    assert extractor.process(article("b", "ووصل الوفد فجرا إلى العاصمة بغداد.", FRIDAY)).events == []


def test_families_of_the_victims_are_no_capture(extractor):
    # أسر is "captured" and "families": condolences to the families are no seizure, a capture still is one
    assert extractor.process(article("q", "وقدم الوزير العزاء لأسر الضحايا في بغداد.", FRIDAY)).events == []
    body = "وأسر مقاتلو الحركة جنديين قرب الحدود أمس."
    assert [e.category for e in extractor.process(article("q", body, FRIDAY)).events] == ["COERCE"]


@pytest.mark.parametrize("body", [
    "وأفاد مصدر أمني بأن الهجوم وقع قرب مدينة الرمادي فجر اليوم.",
    "وقال الشهود إن الاشتباكات التي اندلعت مساء أمس امتدت إلى وسط المدينة.",
    "Witnesses said the attack took place near Ramadi yesterday.",
])
def test_an_attack_told_by_its_happening_on_a_day_is_reported(extractor, body):
    # (the attack named alone, "the attack", "الهجوم": the verb of its happening and the day make it news)
    assert [e.category for e in extractor.process(article("o", body, FRIDAY)).events] == ["ASSAULT"]


def test_a_protest_over_an_attack_years_ago_is_news_and_the_attack_is_not(extractor):
    body = "Dozens of protesters took to the streets of Sitra to commemorate three activists executed a year ago."
    assert [e.category for e in extractor.process(article("y", body, FRIDAY)).events] == ["UNREST"]


@pytest.mark.parametrize("body", [
    "Security forces dismantled an IED planted near a market in Mahmudiyah yesterday.",
    "Police defused two roadside bombs on the road to Baquba.",
    "وفككت قوات الأمن أمس سيارة مفخخة قرب السفارة في بغداد.",
    "وعثرت الشرطة على عبوة ناسفة قرب مدرسة في الموصل.",
    # all a clause lists after "found" was found
    "وقال إن القوة عثرت على سيارة مفخخة جاهزة للتفجير بالإضافة إلى كميات كبيرة من قذائف الهاون.",
])
def test_a_bomb_found_or_defused_is_a_security_operation_not_an_attack(extractor, body):
    events = extractor.process(article("f", body, FRIDAY)).events
    assert [(e.category, e.mode) for e in events] == [("OTHER", "defusal")]


@pytest.mark.parametrize("body, killed", [
    ("The bodies of three men were found yesterday on the road outside Deir ez-Zor.", 3),
    ("A young man was found dead on Monday in the town of Saraqib.", 1),
    ("A teacher from Saraqib who was wounded in last week's shelling succumbed to his injuries yesterday.", 1),
])
def test_the_dead_found_or_dying_later_are_a_killing_with_its_toll(extractor, body, killed):
    """Bodies found and a death from earlier wounds are reported as killings (ACLED codes them as violence
    against civilians), not as a bomb found (the "found" of a defusal)."""
    [event] = extractor.process(article("d", body, FRIDAY)).events
    assert (event.category, event.killed) == ("ASSAULT", killed)


@pytest.mark.parametrize("body", [
    # a toll over a period, a statistic
    "Activists rallied outside parliament after six journalists have been killed since early March.",
    "Attacks on aid convoys fell by 38% this year, the agency said.",
    # an attack in words, an aim, a crime
    "شن وزير الخارجية أمس هجوما على الحكومة العراقية قائلا إنها فشلت في حماية الحدود.",
    "صعّد النائب من هجومه على رئيس الوزراء وانتقد أداء الحكومة في جلسة البرلمان أمس.",
    "وقال البيان إن العملية تستهدف السيطرة على حقول النفط في كركوك.",
    "وأشار مدير الشرطة أمس إلى أن السرقات والاعتداءات على الأشخاص في المدينة تراجعت.",
    "The opposition leader attacked the government yesterday, accusing it of corruption.",
    # arms held, shipped or traded
    "واعتقلت الشرطة أمس خمسة رجال كانت بحوزتهم بنادق آلية وذخائر وقنابل يدوية.",
    "ورست في الميناء سفينة تحمل عشرين دبابة وقذائف مدفعية.",
    "The vessel that docked yesterday held a shipment of rockets and mortar shells for the army.",
    # a body that is no dead one
    "The governing body of the football league met in Riyadh yesterday.",
    "The new body was formed in Baghdad on Monday to oversee the elections.",
])
def test_what_tells_no_attack_done_codes_none(extractor, body):
    assert not _kinetic(extractor, body)


@pytest.mark.parametrize("body", [
    "شن مسلحون أمس هجوما على نقطة تفتيش في الرمادي، وقال مصدر أمني إن ثلاثة جنود قتلوا.",
    "استهدفت غارة إسرائيلية أمس سيارة في جنوب لبنان.",
    "أدان الرئيس الاعتداء على الجيش فجر أمس في طرابلس ووصفه بالجريمة التي استهدفت الجنود.",
    "Militants attacked an army post near Ramadi yesterday, saying it had been used to shell their villages.",
    "A warship carrying cruise missiles fired two of them at a radar site near Hodeidah yesterday.",
])
def test_an_attack_that_is_done_stays_one(extractor, body):
    assert len(_kinetic(extractor, body)) == 1


def test_a_mass_grave_found_is_news_but_no_attack_of_its_day(extractor):
    body = "Security forces found a mass grave holding the bodies of 40 civilians near the village of Badush."
    [event] = extractor.process(article("m", body, FRIDAY)).events
    assert (event.category, event.mode, event.killed) == ("OTHER", "mass_grave", None)


@pytest.mark.parametrize("body", [
    "Rescuers found a body in the rubble after the airstrike on the town of Saraqib yesterday, killing 3.",
    "Police found a man dead after gunmen attacked his car in Baghdad yesterday.",
])
def test_what_is_found_after_an_attack_leaves_it_an_attack(extractor, body):
    events = extractor.process(article("g", body, FRIDAY)).events
    assert [e.category for e in events] == ["ASSAULT"]


@pytest.mark.parametrize("body, language", [
    ("Hamas denied responsibility for the rocket attack on Sderot that wounded 3 people yesterday.", "en"),
    ("ونفت حركة حماس مسؤوليتها عن الهجوم الصاروخي على سديروت الذي أسفر عن إصابة 3 أشخاص أمس.", "ar"),
    ("ونفى الحزب أي علاقة له بالتفجير الذي استهدف السوق أمس وأوقع 5 قتلى.", "ar"),
])
def test_a_denied_role_leaves_the_attack_reported(extractor, body, language):
    assert [e.category for e in extractor.process(article("d", body, FRIDAY, language)).events] == ["ASSAULT"]


def test_if_after_known_is_no_condition(extractor):
    body = "Warplanes whose identity is not known if they were Russian or Syrian struck the town of Saraqib."
    assert [e.mode for e in extractor.process(article("r", body, FRIDAY)).events] == ["air_strike"]


def test_a_kidnapping_coerces_and_is_not_kinetic(extractor):
    [event] = extractor.process(article("k", "Gunmen kidnapped two aid workers in Mogadishu yesterday.",
                                        FRIDAY)).events
    assert (event.category, event.mode) == ("COERCE", "abduction")


def test_a_coalition_strike_on_an_unknown_village_is_still_an_event(extractor):
    [event] = extractor.process(article("w", "Coalition airstrikes hit a residential area in Wadi Sidad.",
                                        FRIDAY)).events
    assert (event.category, event.mode) == ("ASSAULT", "air_strike")


@pytest.mark.parametrize("sentence, expected", [
    ("Warplanes struck the town, injuring several civilians; no fatalities were reported.", (None, 10)),
    ("On Feb 27, tribal fighters killed 2 IS militants near Ramadi.", (2, None)),
    ("The shelling killed between 13 and 17 people.", (13, None)),
    ("As a result 15 militants of the Syrian army were killed.", (15, None)),
])
def test_casualty_counts_ignore_dates_and_denials(sentence, expected):
    assert casualties(sentence) == expected


def test_a_casualty_sentence_without_an_event_counts_for_the_event_before(extractor):
    body = "Regime forces shelled the town of Saqba overnight. Two people were reported dead."
    events = [e for e in extractor.process(article("d", body, FRIDAY)).events if e.category == "ASSAULT"]
    assert [e.killed for e in events] == [2]


def test_an_english_possessive_does_not_hide_the_name():
    mentions = load_lexicon().find("Turkey's army shelled Tabriz's outskirts")
    assert [(m.kind, m.entry.id, m.surface) for m in mentions if m.kind != "trigger"] == [
        ("actor", "TUR:GOV", "Turkey"), ("place", "298795", "Turkey"), ("place", "113646", "Tabriz")]


def test_the_month_of_may_is_not_a_modal(extractor):
    body = "On 5 May, Israeli warplanes struck a depot near Damascus."
    assert [e.category for e in extractor.process(article("may", body, FRIDAY)).events] == ["ASSAULT"]


@pytest.mark.parametrize("body, name, country, precision", [
    # a province, by a name no city has
    ("Pro-Houthi forces shelled Saudi soldiers in Asir province.", "Asir Region", "SA", "admin1"),
    ("وقصفت القوات الحكومية مواقع للمسلحين في ريف إدلب.", "Idlib Governorate", "SY", "admin1"),
    ("وقصفت القوات الحكومية مواقع للمسلحين في ريف إدلب الجنوبي.", "southern Idlib Governorate", "SY", "admin1"),
    # a seat of a district that GeoNames lists without a population
    ("A coalition strike destroyed an Islamic State position near Hawija.", "Al Ḩawījah", "IQ", "city"),
    # a place word after the name cues a small place
    ("Turkish warplanes bombed the Afrin district overnight.", "‘Afrīn", "SY", "city"),
    # a town abroad named like a word of the clause is not where a province's event is
    ("The rebel factions shelled Sahm El Golan village in Dar'a countryside.", "Daraa Governorate", "SY", "admin1"),
    # a village the gazetteer does not know, then after a comma the town it lies in
    ("A rocket fired by Houthi fighters killed a woman in Jadaan, Marib.", "Ma'rib", "YE", "city"),
])
def test_provinces_district_seats_and_place_cues_locate_the_event(extractor, body, name, country, precision):
    [event] = [e for e in extractor.process(article("p", body, FRIDAY)).events if e.category == "ASSAULT"]
    assert (event.location.name, event.location.country, event.location.precision) == (name, country, precision)


@pytest.mark.parametrize("body, name, precision", [
    # a district named as one, in any spelling the skeleton folds or the lexicon lists
    ("Coalition airstrikes hit a farm in Razeh district.", "Razih District", "district"),
    ("Two airstrikes were reported in the Malahidh area of Dhaher district.", "Al Dhaher District", "district"),
    # the town after it is the province named by its capital, not where the strike was
    ("Coalition warplanes fired a missile into Razih district of Sadah.", "Razih District", "district"),
    ("A coalition airstrike missile struck a stone-crushing machine in Bajil district, Hudayda.", "Bajil District",
     "district"),
    # a town named before the district it lies in is more precise than the district
    ("An airstrike hit a house in Ad Durayhimi, Ad Durayhimi district.", "Ad Durayhimī", "city"),
    # a one-word district named bare, in an article its actors place in Yemen
    ("Houthi forces shelled pro-Hadi positions in Nihm on Monday.", "Nihm District", "district"),
    # in Arabic, "مديرية" and the Arabic name GeoNames gives its seat
    ("شن طيران التحالف ثلاث غارات على مديرية حيس جنوب الحديدة صباح اليوم.", "Hays District", "district"),
])
def test_districts_locate_an_event_between_its_town_and_its_province(extractor, body, name, precision):
    [event] = [e for e in extractor.process(article("d", body, FRIDAY)).events if e.category == "ASSAULT"]
    assert (event.location.name, event.location.country, event.location.precision) == (name, "YE", precision)


@pytest.mark.parametrize("body, country", [
    # a bare one-word district name needs its country named: "Kafr" is a district in Yemen and the first
    # word of hundreds of Syrian villages
    ("Regime forces shelled the town of Kafr Nabutha in Idlib.", "SY"),
    ("Warplanes bombed the village of Kafr Aleppo, and the residents said that there were no casualties.", "SY"),
    # nor is it a village's name ("Kamer village", not Ghamr district) in a Yemeni article
    ("In Jizan border province, pro-Houthi forces shelled Saudi soldiers near Kamer village.", "SA"),
])
def test_a_bare_district_name_does_not_take_a_village_elsewhere(extractor, body, country):
    [event] = [e for e in extractor.process(article("d", body, FRIDAY)).events if e.category == "ASSAULT"]
    assert (event.location.country if event.location else None) == country


def test_israel_and_the_palestinian_territories_are_named_together(extractor):
    # a town of either is no town abroad in an article that names the other
    body = "Israeli fighter jets hit targets in Gaza following a series of rocket attacks on southern Israel."
    assert [e.location.country for e in extractor.process(article("g", body, FRIDAY)).events] == ["PS", "IL"]


def test_a_clause_that_names_no_place_is_where_its_sentence_is(extractor):
    body = ("Houthi fighters found the bodies of 13 Saudi soldiers hours after intense clashes in the Majaza area "
            "of Asir province, the group said.")
    assert {e.location.name for e in extractor.process(article("c", body, FRIDAY)).events} == {"Asir Region"}


@pytest.mark.parametrize("body", [
    # a clause that names only its country ("Syrian") is where the next clause of its sentence is
    "Syrian or Russian warplanes carried out raids while regime forces shelled the town of Murak, causing damage.",
    # a sentence that names only its country is where the next report of an attack is
    "Coalition warplanes launched more than five airstrikes on Houthi positions in Yemen on Tuesday. Additional "
    "strikes targeted Kahal in Taiz, destroying a tank.",
])
def test_an_attack_placed_only_in_its_country_takes_the_town_told_next(extractor, body):
    events = extractor.process(article("t", body, FRIDAY)).events
    assert len(events) == 2 and all(e.location.precision == "city" for e in events)


@pytest.mark.parametrize("body", [
    "A rocket fired from Gaza exploded in an open area in southern Israel near Shaar Hanegev, the army said.",
    "صاروخ أطلق من غزة سقط في منطقة مفتوحة جنوب إسرائيل",
])
def test_where_a_strike_came_from_is_not_where_it_happened(extractor, body):
    [event] = extractor.process(article("f", body, FRIDAY)).events
    assert event.location.country == "IL"


@pytest.mark.parametrize("body, code", [
    ("Pro-Houthi snipers killed a Saudi soldier at a border post in Najran, the group said on Monday.",
     "YEM:HOUTHI"),
    ("The pro-Hadi 1st infantry brigade attacked the hill and said that it killed two of the fighters.", "YEM:MIL"),
    ("Pro-regime militias shelled the town of Saraqib, and the residents said that it was the third time.",
     "SYR:MIL"),
])
def test_a_side_named_by_whom_it_supports(extractor, body, code):
    [event] = [e for e in extractor.process(article("s", body, FRIDAY)).events if e.category == "ASSAULT"]
    assert event.actor1.code == code


@pytest.mark.parametrize("body, killed", [
    ("Hundreds marched in Manama to commemorate the death of four activists executed last year.", None),
    ("Protesters in Menbij denounced the killing of two students by the militia.", None),
    ("تظاهر المئات في البصرة احتجاجا على مقتل ثلاثة شبان برصاص الشرطة", None),
    # the protest's own dead stay
    ("Two protesters were killed when police fired on a demonstration in Basra.", 2),
])
def test_a_protest_does_not_take_the_toll_it_mourns(extractor, body, killed):
    [event] = extractor.process(article("u", body, FRIDAY)).events
    assert (event.category, event.killed) == ("UNREST", killed)


@pytest.mark.parametrize("body, name, north, east", [
    ("Warplanes struck a village in southern Idleb.", "southern Idlib Governorate", -1, 0),
    ("Regime forces shelled villages in Hama's western countryside.", "western Hama Governorate", 0, -1),
    ("Turkish forces shelled villages in the northern countryside of Aleppo.", "northern Aleppo Governorate", 1, 0),
    ("Airstrikes hit villages in north-eastern Hama.", "northeastern Hama Governorate", 1, 1),
    ("قصفت قوات النظام قرى في ريف حلب الشمالي", "northern Aleppo Governorate", 1, 0),
    ("غارات جوية على بلدات جنوب إدلب", "southern Idlib Governorate", -1, 0),
])
def test_a_part_of_a_province_named_by_its_direction_lies_that_way(extractor, body, name, north, east):
    """"Southern Idlib" is not Idlib city: a point that way from the middle of the province's towns."""
    [event] = [e for e in extractor.process(article("d", body, FRIDAY)).events if e.location]
    province = next(e for e in extractor.lexicon.entries.values()
                    if e.kind == "place" and e.name == name.split(" ", 1)[1])
    lat, lon, _, _ = province.data["towns"]
    assert (event.location.name, event.location.precision) == (name, "admin1")
    assert (event.location.lat - lat) * north >= 0 and (event.location.lon - lon) * east >= 0
    assert (event.location.lat, event.location.lon) != (lat, lon)


def test_north_of_a_city_is_near_the_city(extractor):
    [event] = [e for e in _kinetic(extractor, "Clashes north of Baghdad left two dead.") if e.location]
    assert event.location.name == "Baghdad"
    # a capital that does not name its province: "northern Ramadi" is a part of the city, not of Anbar
    [event] = [e for e in _kinetic(extractor, "A bomb exploded in northern Ramadi, killing a man.") if e.location]
    assert event.location.name == "Ramadi"


def test_who_holds_a_place_tells_the_theatre_not_a_side(extractor):
    """"The YPG-controlled village": the YPG fights in Syria, so the village is Syrian (not "Khafr", Iran,
    matched by the spelling of "Kafr"); the words name who holds the place, not a side of the attack."""
    out = extractor.process(article("h", "Turkish military forces shelled the YPG-controlled village of Kafr "
                                         "Naseh with neither injuries nor fatalities reported.", FRIDAY))
    [event] = out.events
    assert event.location.country == "SY"
    assert (event.actor1.code, event.actor2) == ("TUR:MIL", None)
    assert "SYR:YPG" in {e.id for e in out.entities}


@pytest.mark.parametrize("body, country", [
    ("Saudi troops said they killed 30 Houthi fighters during clashes in Jizan, on the border with Yemen.", "SA"),
    ("A bomb exploded near the Bab al-Hawa crossing with Turkey in Idlib, killing two men.", "SY"),
    ("اشتباكات عنيفة في مدينة جازان على الحدود مع اليمن", "SA"),
])
def test_a_country_across_the_border_is_not_where_the_event_is(extractor, body, country):
    [event] = [e for e in extractor.process(article("n", body, FRIDAY)).events if e.category == "ASSAULT"]
    assert event.location.country == country


@pytest.mark.parametrize("body", [
    "Rebel factions managed to regain control of the village of Tal Hadya in southern Aleppo.",
    "Regime forces managed to capture the town of Kafr Nabl in southern Idlib.",
    "HTS fighters managed to impose their control over the area of Has in southern Idlib.",
])
def test_ground_taken_or_retaken_is_a_ground_clash(extractor, body):
    [event] = _kinetic(extractor, body)
    assert (event.mode, event.location.country) == ("ground_clash", "SY")


def test_another_sources_lower_count_of_a_toll_told_after_it_counts(extractor):
    """ACLED's conservative convention: of two sources' counts of one toll, the lower."""
    body = ("An airstrike by the Saudi-led coalition hit a market in northern Yemen, killing 11 people. "
            "AFP reported that 9 people had been killed.")
    [event] = extractor.process(article("t", body, FRIDAY)).events
    assert event.killed == 9
    body = "Warplanes struck a market in Saada, killing 11 people. A health official reported 14 deaths."
    [event] = extractor.process(article("t", body, FRIDAY)).events
    assert event.killed == 11


@pytest.mark.parametrize("body, place", [
    ("Police discovered explosives in a house in Kirkuk on Monday.", "Kirkuk"),
    ("Security forces found a weapons cache near Mosul.", "Mosul"),
    ("تمكنت قوات الأمن من تفكيك عبوة ناسفة في مدينة الموصل", "Mosul"),
])
def test_a_device_found_or_defused_is_a_security_operation_not_an_attack(extractor, body, place):
    [event] = extractor.process(article("f", body, FRIDAY)).events
    assert (event.category, event.mode, event.location.name) == ("OTHER", "defusal", place)


def test_a_name_matched_by_its_spelling_does_not_run_over_a_full_stop():
    mentions = load_lexicon().find("Turkish forces shelled the village of Kela. No injuries were reported.")
    assert all(". " not in m.surface for m in mentions if m.kind == "place")


def test_a_list_of_villages_does_not_cue_its_next_name_as_a_place():
    """After "in X," the town X lies in is cued; the next name of a list of villages is not, nor the
    first word of a longer name ("Rasm" of "Rasm al-Hulu" is no Ghaşam)."""
    lexicon = load_lexicon()
    listed = lexicon.find("Rebels took the villages of Kafr Shams, Rasm al-Hulu, and Tell Qarah on Monday.")
    assert "Ghaşam" not in [m.entry.name for m in listed if m.kind == "place"]
    apposed = lexicon.find("Houthi fighters shelled a house in Haylan, Sirwah.")
    assert "Sūq Şirwāḩ" in [m.entry.name for m in apposed if m.kind == "place"]


def test_a_city_name_at_the_end_of_a_longer_unknown_name_is_not_that_city():
    places = [m.entry.name for m in load_lexicon().find("Turkish warplanes struck the village of Haj Khalil.")
              if m.kind == "place"]
    assert "Hebron" not in places
    places = [m.entry.name for m in load_lexicon().find("Regime forces shelled Greater Idlib and Eastern Hama.")
              if m.kind == "place"]
    assert {"Idlib", "Ḩamāh"} <= set(places)


def test_a_village_named_later_in_a_list_that_a_place_word_opens_is_a_place(extractor):
    # a one-word village needs a place word before it; "the villages of X and Y" gives one to both
    [event] = extractor.process(article("s", "Army artillery hit the villages of Hazrama and Nashabiyeh overnight.",
                                        FRIDAY)).events
    assert (event.location.name, event.location.country) == ("An Nashābīyah", "SY")


@pytest.mark.parametrize("body, place", [
    # a one-word village standing alone as a name, with no place word: "shelling on Jandaris"
    ("The Kurdish Red Crescent reported the Turkish shelling on Jandaris targeted one of their ambulances.",
     "Jindayris"),
    ("Army of Glory forces targeted, likely with shelling, Halfaya in response to regime shelling.", "Ḩalfāyā"),
])
def test_a_village_standing_alone_as_a_name_is_placed_where_the_article_is(extractor, body, place):
    event = _kinetic(extractor, body)[0]
    assert (event.location.name, event.location.country) == (place, "SY")


def test_a_village_name_that_opens_a_sentence_or_a_longer_name_needs_a_place_word():
    assert "Jindayris" in _place_names("Turkish artillery shelled Jandaris overnight.")
    assert "Jindayris" not in _place_names("Jandaris residents said Turkish artillery shelled the town.")
    assert "Jindayris" not in _place_names("Turkish artillery killed Ahmad Jandaris, a teacher.")


def test_a_province_part_is_the_middle_of_the_towns_lying_that_way():
    # an L-shaped province: its towns to the east line a valley in the south
    towns = [(36.0, 40.0), (36.2, 40.0), (36.4, 40.0), (36.6, 40.0), (35.0, 41.0), (35.0, 41.2), (35.1, 41.4)]
    lats, lons = [t[0] for t in towns], [t[1] for t in towns]
    spread = (fmean(lats), fmean(lons), pstdev(lats), pstdev(lons))
    parts = province_parts(towns, spread)
    assert parts[(0, 1)] == (35.0, 41.2)  # "eastern": the valley, not east of the middle of all
    assert parts[(1, 0)] == (36.4, 40.0)
    assert (-1, -1) not in parts  # no town that way: none


@pytest.mark.parametrize("body", [
    "Coalition warplanes struck IS positions in the eastern countryside of Deir ez-Zor.",
    "قصفت طائرات التحالف مواقع التنظيم في ريف دير الزور الشرقي",
])
def test_a_part_of_a_province_lies_among_its_towns_that_way(extractor, body):
    """"Eastern Deir ez-Zor" is the Euphrates valley south-east of the city (Hajin), where the province's
    eastern towns are, not a point east of the middle of all its towns (towards the Khabur, to the north)."""
    [event] = extractor.process(article("p", body, FRIDAY)).events
    assert event.location.name == "eastern Deir ez-Zor Governorate"
    assert km(event.location.lat, event.location.lon, 34.694, 40.831) < 25  # Hajin


def test_a_spelling_matches_whole_words_but_for_the_towns_a_road_joins():
    assert "Bāneh" not in _place_names("A coalition airstrike hit the Dhubab area of Bani-Hushaish district.")
    assert "Tadmur" in _place_names("IS forces shelled areas along the Tadmor-Sokhneh highway.")


@pytest.mark.parametrize("body, actor1", [
    ("Warplanes conducted several airstrikes on Saqba town in conjunction with shelling by the Syrian army on the "
     "same town, killing five civilians.", "SYR:MIL"),
    ("Sniper fire on the town injured a civilian.", None),
])
def test_civilians_are_whom_a_strike_or_a_shot_hits_not_who_makes_it(extractor, body, actor1):
    event = _kinetic(extractor, body)[0]
    assert (event.actor1.code if event.actor1 else None, event.actor2.kind) == (actor1, "civilians")


@pytest.mark.parametrize("body, sides", [
    ("IS militants targeted an Iraqi police vehicle north of Baghdad with an IED.", ("ISIS", "IQ")),
    ("IS fighters attacked regime positions near Palmyra with guided missiles.", ("ISIS", "SY")),
])
def test_the_sides_are_told_around_the_verb_not_the_weapon_that_tells_the_mode(extractor, body, sides):
    event = _kinetic(extractor, body)[0]
    assert (event.actor1.code, event.actor2.country) == sides


@pytest.mark.parametrize("body, doer", [
    ("Warplanes, likely regime or Russian, carried out raids on Al-Latamna town in northern Hama.", "SYR:MIL"),
    ("Seven civilians were killed by Turkish aerial bombardment on the city of Afrin.", "TUR:MIL"),
    ("Two coalition airstrike raids were reported in Sadah city.", "SAU:COAL"),
    # an article inside a name written apart; "by pro Houthi forces" is by the Houthis
    ("Hayat Tahrir Al Sham clashed against Syria Liberation Front in Taqad village.", "SYR:HTS"),
    ("Mortar shells reportedly launched by pro Houthi forces hit a residential area in Taizz.", "YEM:HOUTHI"),
    # of doers joined by "and", the first named leads
    ("The Turkish army and the rebel factions supported by Turkey shelled Maraanaz village.", "TUR:MIL"),
    ("A young man was killed by regime sniper fire on the outskirts of Talbiseh.", "SYR:MIL"),
    ("Israeli missiles struck a military airport near Homs.", "ISR:MIL"),
    ("Coalition military forces conducted two airstrikes that engaged an IS tactical unit near Baiji.", "USA:COAL"),
])
def test_a_doer_told_by_a_hedge_an_adjective_or_the_coalitions_theatre(extractor, body, doer):
    assert _kinetic(extractor, body)[0].actor1.code == doer


@pytest.mark.parametrize("body, sides", [
    ("Regime forces took control of Hajilah village after clashes with Islamic State fighters.", ("SYR:MIL", "ISIS")),
    ("The Syrian army controlled Tuffaha village in northeastern Hama after clashes with ISIS.", ("SYR:MIL", "ISIS")),
    ("Following clashes with rebels, regime forces established control of Big Bweideh town.", ("SYR:MIL", "SYR:OPP")),
])
def test_whom_a_fight_was_with_is_the_other_side_of_its_sentences_fight(extractor, body, sides):
    [event] = _kinetic(extractor, body)
    assert (event.actor1.code, event.actor2.code) == sides


def test_attacks_of_different_modes_in_one_sentence_stay_apart(extractor):
    body = ("Regime forces shelled the city of Duma, killing 2, as warplanes carried out strikes on the city, "
            "killing 3 more civilians.")
    assert [e.mode for e in _kinetic(extractor, body)] == ["shelling", "air_strike"]


def test_civilians_may_be_a_side_of_a_clash(extractor):
    event = _kinetic(extractor, "Clashes broke out between Palestinian youths and Israeli troops near Beita.")[0]
    assert {event.actor1.country, event.actor2.country} == {"PS", "IL"}


def test_a_russian_style_alternate_name_gives_no_spelling_to_match_other_towns_by():
    """GeoNames lists "Shakhba" (kh for ح) for Shahbā: spelled alike, it must not take "Saqba", a town of
    the Eastern Ghouta 77 km away; the town's own spellings still match."""
    assert "Shahbā" not in _place_names("Regime forces shelled the town of Saqba in Rural Damascus.")
    assert "Shahbā" in _place_names("Protesters gathered in the town of Shahba in Sweida province.")
    assert "Shahbā" in _place_names("Protesters gathered in the town of Shahbaa in Sweida province.")


def test_a_given_name_that_also_names_a_town_is_a_place_only_after_a_place_word():
    """"Khalil" is also Hebron (al-Khalil) and "Ahmad" Al Ahmadi in Kuwait: a person quoted by name is
    neither, standing alone or after "according to"."""
    assert "Hebron" not in _place_names("Two children were killed in the strike, added Khalil, a resident.")
    assert "Al Aḩmadī" not in _place_names("Police arrested two men, according to Ahmad.")
    assert "Hebron" in _place_names("Israeli forces raided a house in Khalil, killing a man.")
    assert "Hebron" in _place_names("Settlers attacked farmers south of Hebron, said Khalil, a resident.")


@pytest.mark.parametrize("body, province, country", [
    ("Workers of a steel company gathered in front of Lorestan's governorate to protest unpaid salaries.",
     "Lorestan Province", "IR"),
    ("Hundreds protested water shortages in Khuzestan province on Saturday.", "Khuzestan Province", "IR"),
    ("تظاهر مئات العمال في محافظة مازندران احتجاجا على تأخر الرواتب", "Mazandaran Province", "IR"),
    ("An Israeli drone struck a car in the Bekaa Valley, killing two men.", "Beqaa Governorate", "LB"),
])
def test_the_provinces_of_iran_and_the_governorates_of_lebanon_place_an_event(extractor, body, province, country):
    [event] = extractor.process(article("p", body, FRIDAY)).events
    assert (event.location.name, event.location.precision, event.location.country) == (province, "admin1", country)


def test_a_listed_name_that_spells_a_town_elsewhere_stays_unplaced(extractor):
    # cued only by its list, a name is a place only in an article about that place's country, and a word of
    # a longer unknown name ("Mila Khalil") is no town (al-Khalil, Hebron)
    [event] = extractor.process(article("s", "Turkish artillery shelled the YPG-held villages of Kafr Janna, Mila "
                                             "Khalil and Burj Abdalo overnight.", FRIDAY)).events
    assert event.location is None or event.location.country == "SY"


def test_a_city_name_at_the_head_of_a_longer_unknown_name_is_not_that_city():
    """"Tal" of "Tal Zuhur" is no At Tall, "Khan" of "Khan al-Sabeel" no other town; a city followed by
    what it is, a quarter of it or a firm named after it stays."""
    assert "At Tall" not in _place_names("Regime forces clashed with rebels in Tal Zuhur town in southeastern Idleb.")
    assert "At Tall" in _place_names("Regime forces clashed with rebels in Tal, north of Damascus.")
    assert "Al Bāb" not in _place_names("Shells fell on the Bab Touma neighbourhood of the Old City of Damascus.")
    assert "Al Bāb" in _place_names("Turkish forces shelled Al Bab Monday.")
    assert "Dar‘ā" in _place_names("Regime forces fired rockets at areas in Dar'a al-Balad on Monday.")
    assert "Ahvaz" in _place_names(
        "Workers of Ahvaz Steel Company gathered in protest outside the provincial government.")


def test_subject_and_object_side_by_side_in_arabic_and_a_toll_right_after_are_one_attack(extractor):
    body = ("استهدفت الفصائل المدعومة من إيران القوات الأمريكية في قاعدة عين الأسد غربي العراق بطائرات مسيرة، "
            "أمس الأربعاء، وفق مسؤول عسكري.\nوأفاد المسؤول بأن الدفاعات الجوية أسقطت طائرتين، "
            "فيما أصيب ثلاثة جنود بجروح طفيفة.")
    [event] = extractor.process(article("a", body, FRIDAY)).events
    assert (event.actor1.code, event.actor2.code) == ("IRQ:IRI", "USA:MIL")  # not Assad in "Ain al-Asad"
    assert (event.mode, event.location.name, event.injured) == ("drone_strike", "Ain al-Asad air base", 3)


def test_those_hurt_in_the_attacks_are_their_target_not_their_author(extractor):
    body = ("US forces came under attack with drones and rockets in Iraq and Syria at least 13 times since "
            "October 17, Pentagon spokesman Pat Ryder said on Tuesday.\n"
            "Twenty-one US personnel suffered minor injuries in the attacks, he said.")
    [event] = extractor.process(article("p", body, FRIDAY)).events
    assert (event.actor1, event.actor2.code, event.injured) == (None, "USA:MIL", 21)


@pytest.mark.parametrize("body, actor1, actor2", [
    ("قتل خمسة جنود في هجوم للحوثيين على موقع عسكري في مأرب.", "YEM:HOUTHI", None),
    ("وأسفرت غارة لطيران التحالف على مواقع الحوثيين في صعدة عن مقتل ثلاثة مسلحين.", "SAU:COAL", "YEM:HOUTHI"),
])
def test_an_arabic_attack_noun_with_its_doer_attached_by_lam_is_the_doers(extractor, body, actor1, actor2):
    [event] = extractor.process(article("l", body, FRIDAY)).events
    assert (event.actor1.code, event.actor2.code if event.actor2 else None) == (actor1, actor2)


@pytest.mark.parametrize("body, expected", [
    ("Yemen's Houthi rebels fired a ballistic missile at the Saudi city of Najran on Monday, and Saudi air "
     "defences intercepted it.", ("YEM:HOUTHI", "SA", "SA")),
    ("قال مسؤول في اليمن إن الحوثيين أطلقوا صاروخا باليستيا باتجاه مدينة نجران السعودية، وإن الدفاعات الجوية "
     "السعودية اعترضته.", ("YEM:HOUTHI", "SA", "SA")),
])
def test_an_intercepted_attack_is_on_the_interceptor_in_the_town_named(extractor, body, expected):
    """Who intercepts is the target; "the Saudi city of", "مدينة ... السعودية" keep a town abroad of a
    country the article names; the actor that opens what was said ("إن الحوثيين") is no speaker."""
    [event] = extractor.process(article("i", body, FRIDAY)).events
    assert (event.actor1.code, event.actor2.country, event.location.country) == expected
    assert event.location.precision == "city" and event.attribution is None


def test_the_actor_after_said_that_acts_and_does_not_speak(extractor):
    body = "Officials said that Houthi rebels attacked Saudi forces near the border on Monday."
    [event] = extractor.process(article("s", body, FRIDAY)).events
    assert (event.actor1.code, event.actor2.code, event.attribution) == ("YEM:HOUTHI", "SAU:MIL", None)


@pytest.mark.parametrize("body", [
    # an attack named by what it belongs to (construct state) is background unless announced
    "وستنظر المحكمة الدولية في اغتيال الوزير السابق خلال جلستها.",
    "وتعود أزمة العلاقات بين البلدين إلى اغتيال رفيق الحريري في بيروت.",
    # a party and a country are named, but no toll, weapon, day, second side or place in the country
    "ويرى المحلل أن الهجمات الانتحارية في أفغانستان تضعف الحالة المعنوية لحلف الأطلسي.",
    # possible, expected, an option
    "وتحدثت تقارير عن ضربة جوية محتملة على المنشآت الإيرانية.",
    "أما الخيار الثالث فهو شن هجوم بري واسع عبر الحدود.",
    # "subjected to" torture, not to an attack
    "وقال المعتقل إنه تعرض للتعذيب خلال التحقيق معه في السجن.",
    # وزارة "ministry" is not زار "visited" with a prefix and a suffix
    "وقالت وزارة الدفاع في بيان إنها تتابع التطورات.",
])
def test_arabic_mentions_that_report_no_attack(extractor, body):
    events = extractor.process(article("k", body, FRIDAY)).events
    assert [e for e in events if e.category in ("ASSAULT", "DIPLOMACY")] == []


@pytest.mark.parametrize("body", [
    "أعلن الجيش اغتيال القيادي في الحركة بغارة على مدينة خان يونس.",
    "وقتل ثلاثة جنود في هجوم انتحاري في أفغانستان.",
    "ونفذت الطائرات هجوما على الجيش في مدينة حلب.",
    "ووقع هجوم انتحاري أمس قرب مجلس محلي في أفغانستان.",
    "تعرضت دورية للشرطة لإطلاق نار في مدينة الموصل.",
    "وتعرضت الوزيرة لمحاولة اغتيال في ولاية الوحدة عندما صوب أحد الأشخاص مسدسا الى وجهها.",
])
def test_arabic_attacks_with_a_toll_a_day_or_a_place_are_reported(extractor, body):
    assert len(_kinetic(extractor, body)) == 1


def test_arabic_count_before_the_verb_of_death():
    assert casualties("وقال المصدر إن «28 شخصا على الاقل قتلوا وأصيب نحو 55 آخرين بجروح»") == (28, 55)


@pytest.mark.parametrize("sentence, expected", [
    ("Warplanes struck a house in the village, killing a family of four.", (4, None)),
    ("A woman and child were killed by a landmine explosion.", (2, None)),
    ("The airstrike hit a car, killing the driver and a passenger.", (2, None)),
    ("The raid led to the killing of a commander of the group.", (1, None)),
    ("Militants stoned a woman to death in the square.", (1, None)),
    ("The pilot ejected and was captured and killed by rebels.", (1, None)),
    ("Security forces shot dead Abdullah al-Qallaf in the town.", (1, None)),
    # a protest against a killing reports none ("the killing of" names an earlier one)
    ("Residents protested against the killing of a teacher by gunmen.", (None, None)),
    ("The man was shot dead by police near the border.", (1, None)),
    # a count that did the killing is not the dead (the comma before "killed" is gone in the normalised text)
    ("Three coalition airstrikes reportedly killed two children and wounded two others.", (2, 2)),
    ("Iraqi forces destroyed seven shelters, killed four militants and arrested eighteen others.", (4, None)),
    ("21 militants killed, 4 wounded in clashes near the border", (21, 4)),
    # nor a count of targets before "and"
    ("Iraqi helicopters struck 17 targets and 21 militants were killed.", (21, None)),
    # a long description between the count and its passive verb; a verb joined to "killed"
    ("Two fighters believed to be members of a local armed group were reportedly killed.", (2, None)),
    ("On the western front, two soldiers were hit and killed by sniper fire.", (2, None)),
    ("Two military vehicles were destroyed and their crews were killed.", (10, None)),
    # one named by their role and name
    ("A drone strike hit a car, killing militant commander Abu Omar al-Shami.", (1, None)),
    # one and a count of his own: "X and eight of his escorts were killed" (9)
    ("The brigade commander, Salem al-Qadi, and eight of his escorts were killed in the ambush.", (9, None)),
    ("A local commander and 5 of his fighters were killed in the clashes.", (6, None)),
    # a list, with a singular verb
    ("A family of a husband, a wife, and a child was killed by a landmine.", (3, None)),
])
def test_the_dead_named_as_a_family_a_role_or_a_person(sentence, expected):
    assert casualties(sentence) == expected


@pytest.mark.parametrize("sentence, expected", [
    # the verb before its count, a day between them, or its subject (verb, subject, object order)
    ("قتلت القوات الحكومية 11 مسلحا في هجوم على القرية", (11, None)),
    ("وقتل اول من امس 4 جنود في انفجار عبوة ناسفة", (4, None)),
    ("قتل أمس سبعة من عناصر الشرطة في هجوم انتحاري", (7, None)),
    ("سقطت صواريخ على المنطقة فقتلت 32 متمردا", (32, None)),
    ("قتلت غارة إسرائيلية خمسة فلسطينيين", (5, None)),
    ("قتل مسلحون أربعة أشخاص في كمين", (4, None)),
    ("قتل الطيران الروسي أمس نحو 40 مدنيا في إدلب", (40, None)),
    ("استشهد ثلاثة مواطنين برصاص الاحتلال", (3, None)),
    # ... not a count of days, kilometres or schools
    ("قتل الجيش خلال 5 أيام من المعارك عددا من المسلحين", (None, None)),
    ("سقطت قذيفة على بعد 3 كيلومترات من المدينة دون وقوع إصابات", (None, None)),
    ("استهدف القصف 3 مدارس في المدينة", (None, None)),
    # approximations, and tolls that rose
    ("وأفيد بمقتل زهاء 15 مسلحا في اشتباكات عنيفة", (15, None)),
    ("أسفر القصف عن مقتل قرابة 20 مدنيا وإصابة أكثر من 40 آخرين", (20, 40)),
    ("أدى الانفجار إلى مقتل ما يقارب 30 شخصا", (30, None)),
    ("ارتفع عدد القتلى إلى 17 شخصا", (17, None)),
    ("أعلنت وزارة الصحة ارتفاع عدد الشهداء إلى 52", (52, None)),
    # tens are not their units ("خمسين" is no "خمس"), hundreds spelt with hamza fold to ي
    ("ما أسفر عن مقتل ستة مدنيين وإصابة نحو خمسين آخرين", (6, 50)),
    ("قتل عشرة أشخاص على الأقل وأصيب أربعون آخرون", (10, 40)),
    ("قتل المئات خلال 3 أشهر من القتال", (100, None)),
    # one dead, two dead (a dual), one wounded named by who they are
    ("قتلت القوات الإسرائيلية فجر اليوم شابا فلسطينيا في جنين", (1, None)),
    ("استشهدت طفلة وأصيب 4 آخرون بقصف مدفعي", (1, 4)),
    ("استشهد فلسطينيان برصاص الجنود", (2, None)),
    ("وقتل مساء أمس شرطيان في هجوم على حاجز أمني", (2, None)),
    ("وقال مصدر إن جنديين قتلا وأصيب ثالث بجروح خطيرة", (2, 1)),
    ("استشهد ثلاثة أطفال وأصيبت والدتهم بجروح", (3, 1)),
    # another clause's verb is not the subject of the first
    ("قُتل ضابط وجرح جنديان في هجوم", (1, 2)),
    ("قتل عشرة جنود وأصيب عشرون آخرون", (10, 20)),
])
def test_arabic_tolls_in_the_orders_news_writes_them(sentence, expected):
    assert casualties(sentence) == expected


@pytest.mark.parametrize("sentence, expected", [
    # an unknown plural is 10, as ACLED codes it; dozens are 12, a count
    ("Clashes left several fighters dead.", (10, None)),
    ("The shelling left deaths and injuries among the troops.", (10, None)),
    ("An unspecified number of soldiers were killed in the ambush.", (10, None)),
    ("وأسفر القصف عن سقوط قتلى وجرحى في صفوف المدنيين.", (10, None)),
    # one count of the killed and the wounded together: half of it killed
    ("The militants attacked the post, killing and wounding dozens of soldiers.", (6, 6)),
    ("18 soldiers were killed or wounded in the attack.", (9, None)),
    ("Israeli strike kills three Palestinians in Khan Younis", (3, None)),
    ("Gunmen kill a police officer in Baghdad", (1, None)),
    ("An armed man attempted to kill a policeman but was arrested.", (None, None)),
    ("Rebel factions managed to kill 5 soldiers of the army.", (5, None)),
    ("The raid killed and wounded several guards.", (10, 10)),
])
def test_vague_tolls_follow_acled(sentence, expected):
    assert casualties(sentence) == expected


def test_a_vague_toll_is_marked_and_a_reported_one_is_not(extractor):
    [vague] = extractor.process(article("v", "Jets struck the town of Kafr Zeita, killing several civilians.",
                                        FRIDAY)).events
    [counted] = extractor.process(article("c", "Jets struck the town of Kafr Zeita, killing 14 civilians.",
                                          FRIDAY)).events
    assert (vague.killed, vague.killed_vague, vague.intensity) == (10, True, 8)
    assert (counted.killed, counted.killed_vague, counted.intensity) == (14, False, 9)


def test_a_name_matched_only_by_its_spelling_does_not_place_an_article_abroad(extractor):
    # "Bani-Moath" is Bāneh (Iran) by spelling skeleton alone: weak evidence, it neither says the
    # article is about Iran nor keeps that town over Sehar district of the war the article is about
    [event] = extractor.process(article("b", "Two coalition airstrike raids were reported in Bani-Moath area of "
                                             "Sehar district.", FRIDAY)).events
    assert (event.location.name, event.location.country) == ("Saḩar", "YE")


@pytest.mark.parametrize("body, language, sides", [
    # the doer inside the attack's own words stays the doer when the victims come first
    ("قتل خمسة جنود عراقيين في هجوم انتحاري على نقطة تفتيش في الموصل.", "ar", ("UNK:ARMED", "IRQ:MIL")),
    # ... two soldiers, the adjective in the dual
    ("قتل جنديان اميركيان في هجوم انتحاري بسيارة مفخخة في الموصل.", "ar", ("UNK:ARMED", "USA:MIL")),
    # a weapon acted first: the actor after it is the target (VSO with the weapon as subject)
    ("وقالت الوكالة إن سيارة مفخخة فجرت حافلة مملوكة للحرس الثوري في مدينة زاهدان.", "ar", (None, "IRN:IRGC")),
    # the doer right after the attack verb is still the doer
    ("قصفت قوات النظام بلدة كفرنبل في ريف إدلب.", "ar", ("SYR:MIL", None)),
    # a state's adjective on an Arabic attack word names whose attack it was
    ("وأسفرت غارة جوية أميركية في شمال العراق عن مقتل ثمانية من مقاتلي البيشمركة.", "ar", ("USA:MIL", "IRQ:KRG")),
    # English: another attack word between the first one and the actor makes it the target
    ("A suicide bomber killed 5 Iraqi soldiers at a checkpoint in Mosul.", "en", (None, "IRQ:MIL")),
    ("Clashes erupted between regime forces and IS fighters near Deir ez-Zor.", "en", ("SYR:MIL", "ISIS")),
    # the dead of a toll word are the target, whatever attack word the clause is coded by
    ("قتل جندي إسرائيلي في هجوم بسكين قرب الخليل أمس، بحسب ما أعلن الجيش الذي قال إنه تم إطلاق النار على المنفذ.",
     "ar", (None, "ISR:MIL")),
    # "the factions" are an armed group too: the subject of the verb, not its object
    ("استهدفت الفصائل القواعد الأمريكية في سوريا بطائرات مسيرة أمس.", "ar", ("UNK:ARMED", "USA:MIL")),
    # a deed done by someone names its doer, whatever attack word the clause is coded by
    ("Three airstrikes were reportedly launched by Saudi-led coalition planes on the area.", "en", ("SAU:COAL", None)),
    ("A raid conducted by the Israeli army hit a house in the camp.", "en", ("ISR:MIL", None)),
    # an ally named with the doer is not the doer
    ("Turkish forces in conjunction with their Syrian National Army allies shelled YPG positions.", "en",
     ("TUR:MIL", "SYR:YPG")),
])
def test_who_attacked_whom(extractor, body, language, sides):
    events = [e for e in extractor.process(article("r", body, FRIDAY)).events if e.category == "ASSAULT"]
    assert (events[0].actor1 and events[0].actor1.code, events[0].actor2 and events[0].actor2.code) == sides


@pytest.mark.parametrize("body, sides, mode", [
    # headlines: the present tense, the attacker's adjective on the attack word, and what it was aimed at
    ("غارات إسرائيلية على جنوب لبنان", ("ISR:MIL", None), "air_strike"),
    ("الحوثيون يطلقون صواريخ على إسرائيل", ("YEM:HOUTHI", "ISR:GOV"), "rocket_attack"),
    ("طائرات مسيرة تستهدف قاعدة أمريكية في سوريا", (None, "USA:MIL"), "drone_strike"),
    ("غارة إسرائيلية تقتل خمسة مدنيين في غزة", ("ISR:MIL", "CIV"), "air_strike"),
    ("Drones targeted a US base in eastern Syria.", (None, "USA:MIL"), "drone_strike"),
    # the doer's adjective on the attack word in a passive clause; the object after a transitive verbal noun
    ("استشهاد ثلاثة فلسطينيين في قصف إسرائيلي على خان يونس", ("ISR:MIL", "PSE:CIV"), "shelling"),
    ("حزب الله يعلن استهداف موقع إسرائيلي بصواريخ موجهة", ("LBN:HZB", "ISR:MIL"), "missile_strike"),
    ("إصابة 21 جنديا أمريكيا في هجمات على قواعد في العراق وسوريا", (None, "USA:MIL"), "other"),
    ("مسيرة تركية تستهدف سيارة في ريف الحسكة وتقتل شخصين", ("TUR:MIL", None), "drone_strike"),
    # whoever announces an attack by its name did it, verb first or last
    ("الجيش الإسرائيلي يعلن اغتيال قيادي في حزب الله بغارة على جنوب لبنان", ("ISR:MIL", "LBN:HZB"), "air_strike"),
    ("أعلن الجيش الإسرائيلي اغتيال قيادي في حماس", ("ISR:MIL", "PSE:HAMAS"), "targeted_killing"),
    ("The Israeli military announced the killing of a Hamas commander in Gaza.", ("ISR:MIL", "PSE:HAMAS"), "other"),
    # an interception in the present tense: the interceptor was attacked
    ("القوات الأمريكية تعترض طائرة مسيرة فوق البحر الأحمر", (None, "USA:MIL"), "drone_strike"),
    # a bombardment from the air is an air strike
    ("Russian warplanes shelled a hospital in Maarat al-Numan.", ("RUS:MIL", None), "air_strike"),
    # English headlines: the present tense, a state's adjective on the attack word, "says it"
    ("Israeli strike kills three Palestinians in Khan Younis", ("ISR:MIL", "PSE:CIV"), "other"),
    ("Houthis fire ballistic missile at commercial ship in Red Sea", ("YEM:HOUTHI", None), "missile_strike"),
    ("The Houthis said they fired a missile at a US destroyer.", ("YEM:HOUTHI", "USA:GOV"), "missile_strike"),
    ("Israel says it killed a Hezbollah commander in an air strike", ("ISR:GOV", "LBN:HZB"), "air_strike"),
    ("Islamic State attack kills five Syrian soldiers in the Badia desert", ("ISIS", "SYR:MIL"), "other"),
    ("Two US soldiers wounded in rocket attack on base in Syria", (None, "USA:MIL"), "rocket_attack"),
    ("Turkish drone strike kills two in northeast Syria", ("TUR:MIL", None), "drone_strike"),
    # shooting a drone down is the shooter's act
    ("US forces shoot down drone over the Red Sea", ("USA:MIL", None), "other"),
])
def test_headlines_are_coded(extractor, body, sides, mode):
    [event] = [e for e in extractor.process(article("h", body, FRIDAY)).events if e.category == "ASSAULT"]
    assert ((event.actor1 and event.actor1.code, event.actor2 and event.actor2.code), event.mode) == (sides, mode)


def test_the_arabic_dual_counts_two():
    assert casualties("مقتل جنديين في هجوم على دورية للجيش") == (2, None)
    assert casualties("مقتل جندي في هجوم على دورية للجيش") == (1, None)


def test_of_two_countries_named_the_one_aimed_at_is_where_it_happened(extractor):
    [event] = extractor.process(article("i", "إيران تطلق صواريخ باليستية على إسرائيل", FRIDAY)).events
    assert (event.actor1.code, event.location.country) == ("IRN:GOV", "IL")


def test_sending_weapons_is_a_deployment_and_sending_a_message_is_not(extractor):
    [event] = extractor.process(article("s", "البنتاغون يرسل منظومات دفاع جوي إضافية إلى الشرق الأوسط",
                                        FRIDAY)).events
    assert (event.category, event.mode, event.actor1.code) == ("MOBILIZE", "deployment", "USA:MIL")
    assert "MOBILIZE" not in [e.category for e in extractor.process(
        article("m", "الرئيس يرسل رسالة إلى نظيره الفرنسي", FRIDAY)).events]


@pytest.mark.parametrize("body, region", [
    ("غارات إسرائيلية على جنوب لبنان", ("southern Lebanon", "LB")),
    ("مقتل جنديين في هجوم على دورية للجيش في سيناء", ("Sinai", "EG")),
    ("Israeli troops raided a village in the West Bank.", ("West Bank", "PS")),
])
def test_conflict_regions_named_without_their_country(extractor, body, region):
    [event] = [e for e in extractor.process(article("g", body, FRIDAY)).events if e.category == "ASSAULT"]
    assert (event.location.name, event.location.country) == region


@pytest.mark.parametrize("body, country, name", [
    # the wider world: its countries, its cities where their country is named, its metropolises
    ("Russian shelling hit Kharkiv, Ukraine, on Friday, killing 3.", "UA", "Kharkiv"),
    ("Police fired tear gas at protesters in Jakarta on Friday.", "ID", "Jakarta"),
    ("تظاهر الآلاف في باريس أمس احتجاجا على الحرب.", "FR", "Paris"),
    ("قصفت القوات الروسية مدينة خاركوف الأوكرانية أمس ما أدى إلى مقتل 3 مدنيين.", "UA", "Kharkiv"),
    # a watched place keeps its name from a larger town abroad ("Bethlehem", Pennsylvania)
    ("Israeli forces raided a house in Bethlehem on Friday, killing a man.", "PS", "Bethlehem"),
    # a one-word town abroad gives way to the watched village its spelling finds ("Sosa", Japan)
    ("Coalition warplanes struck the town of Sosa in Deir ez-Zor on Friday.", "SY", None),
    # a country inside a longer name is not that country
    ("Agence France Presse said an air strike hit Sanaa on Friday, killing 4.", "YE", "Sanaa"),
])
def test_places_of_the_wider_world_and_the_watched_ones(extractor, body, country, name):
    events = [e for e in extractor.process(article("w", body, FRIDAY)).events if e.location]
    assert events and events[0].location.country == country
    if name:
        assert events[0].location.name == name


def test_a_text_about_elsewhere_is_placed_at_no_watched_village(extractor):
    """'Macon' (Georgia, US) was Makū in Iran by its spelling."""
    body = "A man was shot several times behind a hotel in Macon on Friday, the sheriff said."
    events = extractor.process(article("w", body, FRIDAY)).events
    assert events and not [e.location for e in events if e.location]


@pytest.mark.parametrize("body, mode", [
    ("قصفت الطائرات الإسرائيلية مخيم جباليا أمس.", "air_strike"),
    ("قصفت طائرات التحالف مواقع الحوثيين في صعدة أمس.", "air_strike"),
    ("استهدفت الطائرات المسيرة قاعدة عين الأسد أمس.", "drone_strike"),
    ("قصفت المدفعية مخيم جباليا أمس.", "shelling"),
])
def test_arabic_warplanes_named_as_the_aircraft_make_an_air_strike(extractor, body, mode):
    assert [e.mode for e in _kinetic(extractor, body)] == [mode]


@pytest.mark.parametrize("body, mode, killed", [
    ("Gunmen on a motorbike gunned down a police officer in Aden on Friday.", "ground_clash", 1),
    ("An explosive charge went off near a bus station in Kirkuk, leaving two people dead.", "bombing", 2),
    ("Regime bombardments on the town of Douma in Rural Damascus killed 4 civilians on Friday.", "shelling", 4),
])
def test_attacks_told_by_gunning_down_a_charge_or_bombardments(extractor, body, mode, killed):
    events = extractor.process(article("g", body, FRIDAY)).events
    assert [(e.category, e.mode, e.killed) for e in events] == [("ASSAULT", mode, killed)]


@pytest.mark.parametrize("body, country", [
    # an armed group's attack on a watched state's forces, no place named: in that state
    ("Houthi forces shelled Saudi soldiers, the group said.", "SA"),
    ("Houthi fighters fired rockets at Saudi troops near the border.", "SA"),
    # an attack on a group: where the group fights
    ("Turkish forces shelled YPG positions on Tuesday.", "SY"),
    # a clash of a group and a foreign army: where the group fights, not the army's home
    ("YPG fighters clashed with Turkish soldiers on Tuesday.", "SY"),
    # a state's forces hit by another state's: no guess from the target
    ("Israeli warplanes struck Syrian army positions overnight.", "SY"),
])
def test_an_attack_that_names_no_place_is_where_its_target_is(extractor, body, country):
    [event] = _kinetic(extractor, body)
    assert event.location is not None and event.location.country == country


@pytest.mark.parametrize("body, name", [
    # the Arabic article in lower case before a capital, and joined by a hyphen
    ("Two civilians were killed by landmine explosions in the town of ar-Raqqa.", "Ar Raqqah"),
    ("A landmine exploded on the outskirts of al-Bab, killing one person.", "Al Bāb"),
    ("A man was shot dead by unidentified gunmen in the town of ar-Rastan.", "Ar Rastan"),
])
def test_place_names_written_with_the_article_in_lower_case(extractor, body, name):
    [event] = extractor.process(article("p", body, FRIDAY)).events
    assert event.location is not None and event.location.name == name


def test_a_militia_named_for_jerusalem_is_not_jerusalem(extractor):
    [event] = extractor.process(article("q", "Liwa al-Quds militias clashed with rebels in the Hameidiyyeh "
                                              "neighborhood of Aleppo.", FRIDAY)).events
    assert (event.actor1.code, event.location.name) == ("SYR:LIWA_QUDS", "Aleppo")


@pytest.mark.parametrize("body, code, country", [
    # a country's people named as such are its civilians, and say where a protest with no place was
    ("Hundreds of Bahrainis took to the streets to protest against the regime.", "BHR:CIV", "BH"),
    ("Iranians rallied to voice support for the Islamic Republic.", "IRN:CIV", "IR"),
    ("تظاهر آلاف المواطنين العراقيين احتجاجا على انقطاع الكهرباء.", "IRQ:CIV", "IQ"),
])
def test_a_countrys_people_are_its_civilians(extractor, body, code, country):
    [event] = extractor.process(article("n", body, FRIDAY)).events
    assert (event.actor1.code, event.location.country) == (code, country)


@pytest.mark.parametrize("body, mode", [
    ("Army helicopters dropped explosive barrels on the village of Kafr Amim on Tuesday morning.", "air_strike"),
    ("Militants blew up the house of a village mayor near Tuz Khurmatu overnight, the police said.", "bombing"),
    ("At least four missiles fell on the town of Khan Shaykhun on Tuesday, wounding three people.", "missile_strike"),
    ("Gunmen fired an RPG at an army patrol passing through the village of Kafr Amim on Tuesday.",
     "rocket_attack"),
    ("It was reported that clashes erupted between the army and the rebels in the town of Kafr Amim.",
     "ground_clash"),
    ("The commander of the 18th March Brigade was assassinated in the city of Daraa by unknown gunmen.",
     "targeted_killing"),
    ("The neighbourhood of Jobar was subjected to heavy shelling throughout the whole of the night.",
     "shelling"),
])
def test_attacks_in_words_the_lexicon_had_missed(extractor, body, mode):
    """Barrels dropped from the air, blowing up, missiles falling, a launcher named as a weapon, clashes
    after "it was reported that" (a clause opener, not "that clash"), a unit named for a month (no
    protest march) and a place named as "the neighbourhood of X"."""
    assert [e.mode for e in _kinetic(extractor, body)] == [mode]


@pytest.mark.parametrize("body", [
    "The army retook the village of Kafr Amim after the militants withdrew without a fight on Monday.",
    "استعاد الجيش السيطرة على بلدة كفر عميم بعد انسحاب المسلحين منها دون قتال يوم الاثنين.",
])
def test_ground_taken_without_a_fight_is_no_battle(extractor, body):
    events = extractor.process(article("t", body, FRIDAY)).events
    assert not [e for e in events if e.category == "ASSAULT"]
    assert ("OTHER", "territory_transfer") in [(e.category, e.mode) for e in events]


@pytest.mark.parametrize("body, mode", [
    ("Government forces, in violation of the ceasefire agreement, shelled the town of Kafr Amim on Monday.",
     "shelling"),
    ("خرقت قوات النظام اتفاق وقف إطلاق النار وقصفت بلدة كفر عميم بالمدفعية صباح اليوم.", "shelling"),
    ("A bomb placed near the shops of the market of Kafr Amim went off on Tuesday, wounding three civilians.",
     "bombing"),
    ("A shepherd stepped on a landmine near the village of Kafr Amim on Tuesday and lost a leg.", "bombing"),
    ("Skirmishes took place between the army and the rebels on the outskirts of Kafr Amim on Monday.",
     "ground_clash"),
])
def test_an_attack_that_breaks_a_truce_and_other_attack_words(extractor, body, mode):
    """The truce an attack breaks is no event of its own; a bomb that went off, a mine stepped on,
    skirmishes."""
    assert [e.mode for e in _kinetic(extractor, body)] == [mode]


def test_going_off_is_an_attack_only_with_a_weapon(extractor):
    assert _kinetic(extractor, "The warning sirens went off in the city of Haifa on Monday evening.") == []


@pytest.mark.parametrize("body", [
    "Dozens of youths were injured in clashes with the police in the town of Kafr Amim, where officers fired "
    "tear gas and rubber bullets to disperse them.",
    "أصيب عشرات الشبان في مواجهات مع الشرطة في بلدة كفر عميم، حيث أطلقت قوات الأمن الغاز المسيل للدموع "
    "والرصاص المطاطي لتفريق المحتجين.",
])
def test_a_crowd_put_down_is_a_riot_not_a_battle(extractor, body):
    events = extractor.process(article("r", body, FRIDAY)).events
    assert [(e.category, e.mode) for e in events] == [("UNREST", "riot")]


def test_settlers_who_stone_villagers_attack_them(extractor):
    body = ("Dozens of settlers attacked the villagers of Kafr Amim on Monday, beating them and throwing stones "
            "at their houses, which injured several of them.")
    assert [e.category for e in _kinetic(extractor, body)] == ["ASSAULT"]


@pytest.mark.parametrize("body", [
    "Security forces discovered 25 IEDs and 39 mortar shells in the area of Tarmiyah on Monday.",
    "Army engineers found two caches with 123 IEDs that were destroyed by controlled detonation near Falluja.",
    "Police uncovered three roadside bombs on the highway near Tarmiyah on Monday, officials said.",
])
def test_devices_found_or_blown_up_in_a_controlled_detonation_are_no_attack(extractor, body):
    events = extractor.process(article("d", body, FRIDAY)).events
    assert [(e.category, e.mode) for e in events] == [("OTHER", "defusal")]


def test_an_attack_word_that_is_a_participle_takes_its_doer_after_by(extractor):
    [event] = _kinetic(extractor, "Rockets fired by Turkish forces landed in the town of Kafr Amim on Monday, "
                                  "residents said.")
    assert (event.actor1.code, event.actor2) == ("TUR:MIL", None)


def test_allies_named_with_the_doer_are_not_the_doer(extractor):
    [event] = _kinetic(extractor, "Turkish forces and their Euphrates Shield allies continued their assault on "
                                  "the town of Kafr Amim on Monday.")
    assert event.actor1.code == "TUR:MIL"


def test_a_mass_grave_of_those_killed_by_a_group_is_no_attack_of_its_day(extractor):
    body = ("Iraqi forces discovered a mass grave containing the remains of more than 100 people, allegedly "
            "killed by Islamic State militants near the village of Kafr Amim, south of Mosul.")
    events = extractor.process(article("g", body, FRIDAY)).events
    assert [(e.category, e.mode) for e in events] == [("OTHER", "mass_grave")]


@pytest.mark.parametrize("sentence, expected", [
    ("The army killed three militants in a raid, and two soldiers were also killed.", (5, None)),
    ("Shelling hit the town, killing 1 civilian and leading to the later death of a woman from her injuries.",
     (2, None)),
    ("Missiles hit the city, killing 2 people and wounding 29; 1 man died the next day of his injuries.", (3, 29)),
    ("Two soldiers were killed and three were wounded; another soldier later died in hospital.", (3, 3)),
])
def test_dead_told_as_on_top_of_a_clauses_toll_are_added(sentence, expected):
    assert casualties(sentence) == expected


def test_a_later_death_told_alone_adds_to_the_attack_before(extractor):
    body = ("Regime forces shelled the town of Kafr Amim on Monday, killing two civilians, residents said. "
            "Another man died of his wounds in hospital on Tuesday.")
    [event] = _kinetic(extractor, body)
    assert event.killed == 3


@pytest.mark.parametrize("sentence, expected", [
    ("An imam was assassinated in front of his mosque on Monday.", (1, None)),
    ("An imam was assasinated in front of his mosque on Monday.", (1, None)),  # as some reports spell it
    ("Police stopped a car bomb on the highway and killed its driver as he tried to escape.", (1, None)),
])
def test_one_death_told_by_its_verb_or_the_victims_role(sentence, expected):
    assert casualties(sentence) == expected


def test_an_arabic_word_with_a_clitic_is_a_village_only_after_in_or_and_after_a_place():
    """"وأشار" ("and he pointed") and "للحكومة" ("for the government") are no villages of those spellings; a
    name with ب ("in") is cued, and so is one joined by و ("and") to the place before it."""
    lexicon = load_lexicon()

    def places(text: str) -> list[str]:
        return [m.surface for m in lexicon.find(text) if m.kind == "place"]

    assert places("وأشار المتحدث إلى أن الدعم المقدم للحكومة سيستمر.") == []
    assert places("شنت الطائرات غارات على عدن ولحج أمس.") == ["عدن", "ولحج"]
    assert "بالحويجة" in places("انفجرت عبوة ناسفة بالحويجة صباح اليوم.")


def test_common_arabic_words_that_name_small_villages_are_no_places():
    """The operators' stopwords (places.yaml) hold words such as "البلاد" ("the country") and "بيان"
    ("statement"), which GeoNames also lists as the names of small villages."""
    found = [m.surface for m in load_lexicon().find("وقالت الحكومة في بيان إن الوضع في البلاد مستقر منذ سنة.")
             if m.kind == "place"]
    assert found == []


@pytest.mark.parametrize("body", [
    "أطلق الحرس الثوري الإيراني صاروخا يحمل قمرا صناعيا إلى المدار صباح اليوم.",
    "Iran's Revolutionary Guards launched a rocket carrying a satellite into orbit on Monday, state media said.",
])
def test_a_rocket_that_carries_a_satellite_is_no_attack(extractor, body):
    assert _kinetic(extractor, body) == []


@pytest.mark.parametrize("body", [
    "وهاجمت الوزيرة حركة حماس قائلة إن إطلاق الصواريخ لا يخدم أحدا.",
    "واصلت الحركة هجومها على اللجنة التنفيذية للمنظمة في بيان أمس.",
    "The senator continued his attack on the committee in a statement on Monday evening.",
])
def test_an_attack_in_words_is_no_attack_even_if_what_was_said_names_a_weapon(extractor, body):
    assert _kinetic(extractor, body) == []


@pytest.mark.parametrize("body, code", [
    ("Coalition airstrikes hit a farm in the Nihm district east of Sanaa on Monday, residents said.", "SAU:COAL"),
    ("Coalition airstrikes hit farms in Nihm on Monday, residents said.", "SAU:COAL"),  # a bare district
    ("Coalition warplanes struck Islamic State positions near Hajin in eastern Deir ez-Zor on Monday.",
     "USA:COAL"),
    ("شنت مقاتلات التحالف غارات على مواقع الحوثيين في مديرية نهم صباح اليوم.", "SAU:COAL"),
])
def test_the_coalition_is_the_one_of_the_articles_theatre(extractor, body, code):
    [event] = _kinetic(extractor, body)
    assert event.actor1.code == code


def test_a_list_the_text_calls_districts_names_districts(extractor):
    [event] = _kinetic(extractor, "Saudi soldiers fired artillery into Razeh, Munabeh and Ghamer border districts "
                                  "on Monday, residents said.")
    assert (event.location.country, event.location.precision) == ("YE", "district")


@pytest.mark.parametrize("body, where", [
    ("Israeli forces suppressed a Palestinian rally protesting the US recognition of Jerusalem as Israel's "
     "capital in Bethlehem city.", "Bethlehem"),
    ("Palestinians staged a rally in Gaza to express their anger at Washington's decision on Jerusalem.", "Gaza"),
    ("Protesters in Amman denounced the move of the US embassy to Jerusalem.", "Amman"),
    ("تظاهر فلسطينيون في بيت لحم احتجاجا على الاعتراف الأمريكي بالقدس عاصمة لإسرائيل.", "Bethlehem"),
    # where it happened, it stays
    ("Israeli police clashed with protesters in Jerusalem on Friday.", "Jerusalem"),
])
def test_a_city_a_decision_is_about_is_not_where_it_happened(extractor, body, where):
    [event] = extractor.process(article("topic", body, FRIDAY)).events
    assert event.location.name == where


@pytest.mark.parametrize("body, country", [
    # a village the gazetteer knows only abroad, said to lie in a watched place: the watched place decides
    ("Two fighters died when a landmine went off in the Maris area north of the province of Al-Dala'a.", "YE"),
    ("A roadside bomb wounded three people near Al-Karak al-Sharqi in eastern Dar'a.", "SY"),
    ("Landmines exploded near Mashara and Jabaa in central Quneitra, wounding a shepherd.", "SY"),
    ("Turkish jets bombed Yalanquz, which is in the Jandairis township, on Monday.", "SY"),
])
def test_a_place_said_to_lie_in_the_next_is_in_the_next_ones_country(extractor, body, country):
    [event] = extractor.process(article("inside", body, FRIDAY)).events
    assert event.location.country == country


@pytest.mark.parametrize("body, country", [
    # a village is no city of a hundred thousand: "Sarja" is also a name of Sharjah
    ("Syrian warplanes bombed the village of Sarja on Tuesday, killing one resident.", "SY"),
    # "X village of <province>" is the village in the province, which stays
    ("Pro-Houthi forces claim to have shot dead 5 Saudi soldiers in Qamar village of Jizan.", "SA"),
])
def test_what_the_text_calls_a_village_is_not_a_large_city(extractor, body, country):
    [event] = extractor.process(article("village", body, FRIDAY)).events
    assert event.location.country == country
