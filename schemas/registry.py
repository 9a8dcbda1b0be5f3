"""The one table from topic to model, and the codec that enforces it."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ValidationError

from schemas.models import (
    ArticleEnriched,
    ArticleIngested,
    DeadLetter,
    EscalationAlert,
    EventReported,
)

RAW = "news.articles.raw"
ENRICHED = "news.articles.enriched"
EVENTS = "news.events"
ALERTS = "news.alerts"
DLQ = "news.dlq"

#: Logical topic name -> the only model accepted on it.
TOPIC_MODELS: dict[str, type[BaseModel]] = {
    RAW: ArticleIngested,
    ENRICHED: ArticleEnriched,
    EVENTS: EventReported,
    ALERTS: EscalationAlert,
    DLQ: DeadLetter,
}

JSON_DIR = Path(__file__).parent / "json"

#: Largest message we try to parse; larger ones are dead-lettered unparsed.
MAX_MESSAGE_BYTES = 4 * 1024 * 1024


class DecodeError(ValueError):
    """A message that is not a valid instance of its topic's model."""


def _short(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:3]:
        loc = ".".join(str(p) for p in err["loc"]) or "<root>"
        parts.append(f"{loc}: {err['msg']}")
    more = len(exc.errors()) - 3
    return "; ".join(parts) + (f" (+{more} more)" if more > 0 else "")


def decode(topic: str, raw: bytes | str | None) -> BaseModel:
    """Parse ``raw`` as the model registered for logical ``topic``.

    Raises DecodeError with a one-line reason for anything else: bytes that are
    not UTF-8, not JSON, a JSON value of another type or schema version, or a
    message that fails validation.
    """
    model = TOPIC_MODELS.get(topic)
    if model is None:
        raise DecodeError(f"no model registered for topic {topic!r}")
    if raw is None:
        raise DecodeError("empty message (tombstone)")
    if len(raw) > MAX_MESSAGE_BYTES:
        raise DecodeError(f"message of {len(raw)} bytes exceeds {MAX_MESSAGE_BYTES}")
    try:  # the common case in one pass of pydantic's own JSON parser
        return model.model_validate_json(raw)
    except ValidationError:
        pass  # say exactly what is wrong, step by step, below
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as exc:
        raise DecodeError(f"not UTF-8: {exc.reason} at byte {exc.start}") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DecodeError(f"not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from exc
    except RecursionError as exc:  # "[[[[...": Python's parser recurses per level
        raise DecodeError("not JSON we accept: nested too deeply") from exc
    if not isinstance(data, dict):
        raise DecodeError(f"expected a JSON object, got {type(data).__name__}")
    expected_type = model.model_fields["type"].default
    if data.get("type") != expected_type:
        raise DecodeError(f"type {data.get('type')!r} is not {expected_type!r} on {topic}")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise DecodeError(f"invalid {model.__name__}: {_short(exc)}") from exc


def encode(message: BaseModel) -> bytes:
    """Serialise a registered model as compact UTF-8 JSON."""
    if type(message) not in TOPIC_MODELS.values():
        raise TypeError(f"{type(message).__name__} is not a registered message model")
    return message.model_dump_json(exclude_none=False).encode("utf-8")


def json_schemas() -> dict[str, str]:
    """File name -> JSON Schema text for every registered model."""
    out = {}
    for topic, model in TOPIC_MODELS.items():
        schema = model.model_json_schema()
        schema["$id"] = f"https://raqib.dev/schemas/{topic}.schema.json"
        schema["x-topic"] = topic
        out[f"{topic}.schema.json"] = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    return out


def write_json_schemas(directory: Path = JSON_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in json_schemas().items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
