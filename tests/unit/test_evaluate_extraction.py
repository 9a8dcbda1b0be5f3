"""The founding seed article and the evaluation harness, on the shared data beside the clone."""

from pathlib import Path

import pytest

from services.evaluate.extraction import TARGETS, evaluate_extraction, evaluate_seed
from services.extraction.core import Extractor

SHARED = Path(__file__).resolve().parents[3] / "shared"
SEED = SHARED / "samples" / "seed_ar_albukamal.txt"
EXTERNAL = SHARED / "data" / "external"

needs_shared = pytest.mark.skipif(not SEED.is_file(), reason="../shared is not beside this clone")


@needs_shared
def test_the_seed_article_yields_every_required_event():
    checks = evaluate_seed(Extractor(), SEED)
    assert checks == {name: True for name in checks}, checks


@needs_shared
def test_the_evaluation_scores_each_benchmark_on_a_sample_of_rows():
    report = evaluate_extraction(EXTERNAL, "dev", limit=40, seed=SEED)
    assert {"acled.kinetic_f1", "acled.country_accuracy", "acled.location_within_25km",
            "acled.killed_accuracy", "oeda.assault_f1"} <= set(report.metrics)
    assert all(0.0 <= v <= 1.0 for v in report.metrics.values())
    assert report.details["acled"]["rows"] == 40 and report.details["oeda"]["rows"] == 40
    # the roles are scored on the sentences whose coders named a country for a side
    roles = report.details["oeda_roles"]
    assert {"oeda.source_country", "oeda.target_country"} <= set(report.metrics)
    assert roles["source"]["total"] + roles["target"]["total"] > 0
    assert set(report.as_json()["met"]) <= set(TARGETS)
    # who attacked, by kind, on the ACLED attacks we coded as attacks
    assert "acled.actor1_kind_accuracy" in report.metrics and report.details["acled"]["actor1_rows"] > 0


@needs_shared
def test_language_evaluation_counts_every_labelled_data_set():
    from services.evaluate.language import evaluate_language

    report = evaluate_language(EXTERNAL, limit=60)
    metrics = report.metrics()
    assert set(report.counts) == {"semeval", "fignews", "oeda", "saudinewsnet", "acled", "case2021", "fakes"}
    assert all(0 < c.texts <= 60 for c in report.counts.values())
    assert metrics["oeda.quick_share"] > 0.9  # Arabic news sentences need no detector
    assert all(0.0 <= metrics[f"{name}.accuracy"] <= 1.0 for name in report.counts)
