"""The bundled alerting scenarios through the offline pipeline, and the scoring itself."""

import json

from services.evaluate.alerts import REASONS, bundled_scenarios, evaluate_alerts, run_scenario
from services.runtime.settings import load_settings


def test_every_bundled_scenario_raises_what_it_expects_and_nothing_else():
    report = evaluate_alerts(bundled_scenarios(), load_settings())
    assert [f for s in report.scenarios for f in s.failures] == []
    for code in REASONS:  # each reason is exercised somewhere, and fires where expected
        assert report.reasons[code].tp >= 1 and report.reasons[code].fn == 0, code


def test_the_seed_strike_alerts_once_and_the_english_report_revises_it():
    alerts = run_scenario(bundled_scenarios() / "seed-albukamal", load_settings())
    strike = [a for a in alerts if a.event.mode == "air_strike"]
    assert {a.alert_id for a in strike} == {strike[0].alert_id}  # one alert, revised
    first, second = strike
    assert (first.theatre.country, first.event.actor1.country) == ("SY", "US")
    assert {"NEW_DYAD", "INTENSITY_JUMP"} & set(first.reasons) and first.severity >= 4
    assert (second.revision, second.corroboration.sources, second.corroboration.languages) == (2, 2, ["ar", "en"])


def test_a_wrong_expectation_is_counted_and_listed(tmp_path):
    src = bundled_scenarios() / "mass-casualty"
    for name in ("articles.jsonl", "scenario.json"):
        (tmp_path / name).write_text((src / name).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "expected.jsonl").write_text(json.dumps(
        {"article": "iq-mass-ar", "reasons": ["NEW_WEAPON"], "min_severity": 5}) + "\n", encoding="utf-8")
    report = evaluate_alerts(tmp_path, load_settings())
    assert report.reasons["NEW_WEAPON"].fn == 1 and report.reasons["MASS_CASUALTY"].fp == 1
    assert report.checks_failed >= 1
