"""Deaths and damage with no attacker, and attack words as figures of speech: no attack is coded
(hazards.yaml); the same words with a munition, an armed doer or a specific attack word still are."""

import json

import pytest

from services.extraction.core import Extractor
from services.pipeline import Pipeline
from services.runtime.settings import load_settings

from .conftest import kinetic as _kinetic


@pytest.fixture(scope="module")
def extractor():
    return Extractor()


@pytest.mark.parametrize("body", [
    # natural hazards
    "A powerful earthquake struck eastern Turkey on Friday, killing 22 people.",
    "Floods killed 12 people in Yemen's Hadramawt province on Thursday.",
    "The storm struck the coast of Oman, killing 14.",
    "Hundreds of fires are still burning across the country, killing 18 people.",
    "Five firefighters were injured fighting a blaze in a high-rise in Amman.",
    "ضرب زلزال بقوة 6 درجات محافظة هطاي جنوب تركيا فجر اليوم ما أدى إلى مقتل 20 شخصا.",
    "أدت السيول إلى مقتل 12 شخصا في حضرموت أمس.",
    "اندلع حريق في مستودع بجدة وأسفر عن مقتل 3 عمال.",
    # accidents
    "A bus crash killed 14 people near Homs.",
    "A military helicopter crashed in southern Iraq on Thursday, killing its three crew.",
    "لقي 5 أشخاص مصرعهم في حادث سير على طريق الرياض.",
    "قتل 17 شخصا أمس في تحطم مروحية عسكرية في جنوب البلاد بسبب عطل تقني.",
    # illness and natural death
    "He died of a heart attack in Amman.",
    "COVID-19 killed 30 people in Egypt on Tuesday.",
    "Six health workers infected by the coronavirus in Baghdad have died.",
    "توفي 30 شخصا بفيروس كورونا في مصر خلال 24 ساعة.",
    "وذكرت السلطات أن عدد ضحايا كورونا بلغ 170 شخصا وأصيب 7711 آخرون في العراق.",
    # sport, the economy, elections
    "Liverpool attacked in the second half and Salah scored in Amman.",
    "سجل محمد صلاح هدفا من ضربة جزاء في الدقيقة 80 في الرياض.",
    "أصيب اللاعب بضربة في الرأس خلال المباراة في عمان.",
    "Oil prices hit a record high in Riyadh on Monday.",
    "The tourism authority targets 3 billion riyals in revenue in Jeddah this year.",
    "واشار إلى أن الهيئة العامة للسياحة تستهدف تطوير الاسواق التراثية في المنطقة الشرقية.",
    "Kemmerich beat incumbent Bodo Ramelow of the Left party in the vote in Erfurt.",
])
def test_no_attack_is_coded_where_a_hazard_or_a_subject_explains_the_attack_word(extractor, body):
    assert _kinetic(extractor, body) == []


def test_the_toll_told_after_a_hazard_is_the_hazards(extractor):
    body = "A powerful earthquake struck eastern Turkey at dawn on Friday. It killed 22 people and injured 300."
    assert _kinetic(extractor, body) == []


@pytest.mark.parametrize("body, mode, killed", [
    # a specific attack word
    ("An Israeli air strike hit Gaza amid heavy rains, killing 5.", "air_strike", 5),
    ("قصفت المدفعية مخيم جباليا ما أدى إلى اندلاع حريق ومقتل 5 مدنيين.", "shelling", 5),
    # a munition
    ("Gunmen killed 3 people in Idlib amid the coronavirus pandemic.", "ground_clash", 3),
    ("A rocket hit a house in Erbil and a fire broke out, killing 2.", "rocket_attack", 2),
    # an armed doer
    ("Regime forces killed 3 civilians in Daraa as floods hit the province.", "other", 3),
    # a plain attack word: a cause explains only the weak ones
    ("Gunmen attacked a hospital in Baghdad during the pandemic.", "ground_clash", None),
    # sport or the economy with casualties is not a figure of speech
    ("An attack on fans at a football match in Baghdad killed 4 people.", "other", 4),
])
def test_attacks_that_name_a_hazard_or_a_subject_stay_attacks(extractor, body, mode, killed):
    events = _kinetic(extractor, body)
    assert [(e.mode, e.killed) for e in events] == [(mode, killed)]


def test_an_advance_needs_fighters_in_its_clause(extractor):
    assert _kinetic(extractor, "تقدم النائب بطلب مناقشة عامة لسياسة الحكومة في بغداد أمس.") == []
    assert _kinetic(extractor, "وتقدم الموظف بالشكر للملحقية الثقافية في الرياض.") == []
    assert len(_kinetic(extractor, "وتقدمت القوات الأمنية أمس من ثلاثة محاور محيطة بمدينة الرمادي.")) == 1
    assert len(_kinetic(extractor, "وواصلت المقاومة تقدمها باتجاه بلدة العين في أبين أمس.")) == 1


def test_operation_names_that_hold_a_hazard_word_are_no_hazard(extractor):
    events = _kinetic(extractor, "قتل 5 مدنيين في صنعاء أمس مع استمرار عمليات عاصفة الحزم.")
    assert [e.killed for e in events] == [5]


def test_an_earthquake_raises_no_alert(tmp_path):
    """The whole pipeline: a natural disaster's toll is no military escalation."""
    feed = tmp_path / "quake.jsonl"
    feed.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in [
        {"id": "q1", "url": "https://wire.example/q1", "source": "Wire", "title": "Earthquake kills 22 in Turkey",
         "body": "A powerful earthquake struck eastern Turkey on Friday, killing 22 people and injuring more "
                 "than 1,000, officials said.", "published_at": "2023-10-27T09:10:00+03:00", "language": "en"},
        {"id": "q2", "url": "https://wire.example/q2", "source": "Wire", "title": "زلزال يضرب شرق تركيا",
         "body": "ضرب زلزال قوي شرق تركيا اليوم الجمعة ما أسفر عن مقتل 22 شخصا وإصابة أكثر من ألف آخرين.",
         "published_at": "2023-10-27T09:30:00+03:00", "language": "ar"},
    ]), encoding="utf-8")
    out = list(Pipeline(load_settings()).run_file(feed))
    assert [m for m in out if m.type == "alert"] == []
