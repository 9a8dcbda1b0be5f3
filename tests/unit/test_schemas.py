import json

import pytest

from schemas import ALERTS, RAW, TOPIC_MODELS, DecodeError, decode, encode, json_schemas
from schemas.registry import JSON_DIR


def test_committed_json_schemas_match_the_models():
    for name, text in json_schemas().items():
        path = JSON_DIR / name
        assert path.exists(), f"{name} missing: run `make schemas`"
        assert path.read_text(encoding="utf-8") == text, f"{name} drifted: run `make schemas`"


def test_every_model_has_type_and_schema_version():
    for model in TOPIC_MODELS.values():
        assert "type" in model.model_fields and "schema_version" in model.model_fields


@pytest.mark.parametrize("raw, reason", [
    (b"\xff\xfe", "not UTF-8"),
    (b"{not json", "not JSON"),
    (b"[1, 2]", "expected a JSON object"),
    (b'{"type": "alert"}', "is not 'article_ingested'"),
    (b'{"type": "article_ingested", "schema_version": 1}', "invalid ArticleIngested"),
    (b'{"type": "article_ingested", "schema_version": 9, "article_id": "a"}', "schema_version"),
])
def test_decoder_rejects_with_a_reason(raw, reason):
    with pytest.raises(DecodeError, match=reason):
        decode(RAW, raw)


def test_decoder_refuses_unregistered_topics():
    with pytest.raises(DecodeError, match="no model registered"):
        decode("news.other", b"{}")


def test_encode_round_trips(ingested_article):
    assert decode(RAW, encode(ingested_article)) == ingested_article


def test_encode_refuses_unregistered_models():
    from schemas import Actor

    with pytest.raises(TypeError):
        encode(Actor(code="X", name="x"))


def test_alert_json_has_the_documented_shape(sample_alerts):
    alert = json.loads(encode(sample_alerts[0]))
    for key in ("type", "schema_version", "alert_id", "revision", "severity", "reasons", "theatre",
                "event", "sources", "corroboration", "summary", "first_seen", "updated_at"):
        assert key in alert
    assert alert["type"] == "alert" and alert["schema_version"] == 1
    assert decode(ALERTS, encode(sample_alerts[0])) == sample_alerts[0]


def test_decode_refuses_deeply_nested_json_with_a_reason():
    import pytest

    from schemas import DecodeError, decode
    with pytest.raises(DecodeError, match="nested too deeply"):
        decode("news.events", b"[" * 100_000 + b"]" * 100_000)
