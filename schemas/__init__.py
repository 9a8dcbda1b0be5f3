"""Message models for every Raqib topic, the topic table and the codec."""

from schemas.models import (
    SCHEMA_VERSION,
    Actor,
    AlertEvent,
    ArticleEnriched,
    ArticleIn,
    ArticleIngested,
    Corroboration,
    DeadLetter,
    Entity,
    EscalationAlert,
    Event,
    EventReported,
    Evidence,
    Location,
    Reason,
    SourceRef,
    Theatre,
)
from schemas.registry import (
    ALERTS,
    DLQ,
    ENRICHED,
    EVENTS,
    RAW,
    TOPIC_MODELS,
    DecodeError,
    decode,
    encode,
    json_schemas,
    write_json_schemas,
)

__all__ = [
    "ALERTS", "DLQ", "ENRICHED", "EVENTS", "RAW", "SCHEMA_VERSION", "TOPIC_MODELS",
    "Actor", "AlertEvent", "ArticleEnriched", "ArticleIn", "ArticleIngested", "Corroboration",
    "DeadLetter", "DecodeError", "Entity", "EscalationAlert", "Event", "EventReported",
    "Evidence", "Location", "Reason", "SourceRef", "Theatre",
    "decode", "encode", "json_schemas", "write_json_schemas",
]
