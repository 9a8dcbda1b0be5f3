"""Pydantic v2 models for every message Raqib puts on Kafka.

One model per topic (see ``schemas.registry.TOPIC_MODELS``). Every message
carries ``type`` and ``schema_version``; the decoder accepts only these models.
Unknown extra fields are ignored so that a newer producer does not break an
older consumer; a bump of ``schema_version`` marks incompatible changes.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

SCHEMA_VERSION = 1

Category = Literal[
    "ASSAULT", "MOBILIZE", "THREATEN", "COERCE", "DIPLOMACY", "DEESCALATE", "UNREST", "OTHER"
]
ActorKind = Literal["state_forces", "government", "non_state_armed_group", "civilians", "unknown"]
Precision = Literal["city", "district", "admin1", "country"]
Language = str  # ISO 639-1 code ("ar", "en") or "und" when not identified


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=False, populate_by_name=True)


# --------------------------------------------------------------------------- input


class ArticleIn(_Model):
    """One line of an article JSON lines file (input to replay and pipeline)."""

    id: str = Field(min_length=1, max_length=512)
    url: str = Field(min_length=1, max_length=4096)
    source: str = Field(min_length=1, max_length=256)
    title: str = Field(default="", max_length=4096)
    body: str = Field(max_length=2_000_000)
    published_at: AwareDatetime
    language: str | None = Field(default=None, max_length=16)
    author: str | None = Field(default=None, max_length=512)

    @field_validator("body")
    @classmethod
    def _body_has_text(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("body is empty")
        return value


# --------------------------------------------------------------------------- parts


class Actor(_Model):
    code: str
    name: str
    country: str | None = None
    kind: ActorKind = "unknown"


class Location(_Model):
    name: str
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    admin1: str | None = None
    precision: Precision = "city"


class Evidence(_Model):
    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Event(_Model):
    category: Category
    mode: str | None = None
    actor1: Actor | None = None
    actor2: Actor | None = None
    location: Location | None = None
    occurred_on: dt.date | None = None
    occurred_until: dt.date | None = Field(
        default=None, description="the last day of a period the report gives ('between 17 and 26 October'); "
        "occurred_on is its first day")
    killed: int | None = Field(default=None, ge=0)
    injured: int | None = Field(default=None, ge=0)
    killed_vague: bool = Field(
        default=False, description="killed is the conventional 10 for an unknown plural ('several', 'a number of', "
        "'deaths and injuries'), as ACLED codes it, not a reported count")
    injured_vague: bool = Field(default=False, description="the same for injured")
    weapons: list[str] = Field(default_factory=list)
    systems: list[str] = Field(default_factory=list, description="named weapon systems")
    missile_range: Literal["short-range", "medium-range", "intermediate-range", "intercontinental"] | None = Field(
        default=None, description="range class of the ballistic missiles, where the text or the named system tells it")
    intensity: int = Field(ge=0, le=10)
    attribution: str | None = None
    evidence: Evidence | None = None


class Entity(_Model):
    kind: Literal["actor", "place", "weapon"]
    id: str
    name: str
    start: int
    end: int


class SourceRef(_Model):
    article_id: str
    url: str
    source: str
    language: Language
    published_at: AwareDatetime
    duplicate_of: str | None = Field(
        default=None, description="the first article of the story this article reprints or rewrites")
    similarity: float | None = Field(
        default=None, ge=0, le=1, description="estimated similarity to duplicate_of (1 for an exact copy)")


class Corroboration(_Model):
    sources: int = Field(ge=1)
    languages: list[Language]


class Theatre(_Model):
    country: str
    admin1: str | None = None


class Reason(_Model):
    code: Literal[
        "NEW_DYAD",
        "INTENSITY_JUMP",
        "NEW_THEATRE",
        "NEW_WEAPON",
        "FREQUENCY_SPIKE",
        "MASS_CASUALTY",
        "MOBILIZATION",
        "THREAT",
    ]
    text: str


# --------------------------------------------------------------------------- topics


class ArticleIngested(_Model):
    """``news.articles.raw``: an article accepted by ingest."""

    type: Literal["article_ingested"] = "article_ingested"
    schema_version: Literal[1] = SCHEMA_VERSION
    article_id: str = Field(min_length=1)
    url: str
    canonical_url: str
    source: str
    title: str = ""
    body: str
    published_at: AwareDatetime
    language: str | None = None
    author: str | None = None
    ingested_at: AwareDatetime
    update: bool = Field(default=False, description="same URL seen before with another text")


class ArticleEnriched(_Model):
    """``news.articles.enriched``: an article with language, entities and events."""

    type: Literal["article_enriched"] = "article_enriched"
    schema_version: Literal[1] = SCHEMA_VERSION
    article_id: str
    url: str
    canonical_url: str
    source: str
    title: str = ""
    body: str
    published_at: AwareDatetime
    ingested_at: AwareDatetime
    language: Language
    language_supported: bool = Field(
        default=True, description="false: a language the coder does not read; passed on with no events")
    entities: list[Entity] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)


class EventReported(_Model):
    """``news.events``: one event cluster, as of one more report of it."""

    type: Literal["event"] = "event"
    schema_version: Literal[1] = SCHEMA_VERSION
    event_id: str
    status: Literal["new", "update"]
    revision: int = Field(ge=1, description="number of reports merged into this cluster so far")
    event: Event
    sources: list[SourceRef] = Field(
        description="the reports merged so far, in order; past RAQIB_DEDUP__MAX_SOURCES (50) the first "
        "and the latest half of that many (revision and corroboration count them all)"
    )
    corroboration: Corroboration
    first_seen: AwareDatetime
    updated_at: AwareDatetime
    ingested_at: AwareDatetime | None = Field(
        default=None, description="ingest time of the report that produced this revision"
    )


class AlertEvent(Event):
    event_id: str


class EscalationAlert(_Model):
    """``news.alerts``: an escalation; later reports revise the same ``alert_id``."""

    type: Literal["alert"] = "alert"
    schema_version: Literal[1] = SCHEMA_VERSION
    alert_id: str
    revision: int = Field(ge=1)
    severity: int = Field(ge=1, le=5)
    reasons: list[str]
    reason_details: list[Reason]
    theatre: Theatre
    event: AlertEvent
    sources: list[SourceRef]
    corroboration: Corroboration
    summary: str
    first_seen: AwareDatetime
    updated_at: AwareDatetime
    ingested_at: AwareDatetime | None = Field(
        default=None, description="ingest time of the report that produced this revision"
    )


class DeadLetter(_Model):
    """``news.dlq``: a message that could not be parsed, validated or processed."""

    type: Literal["dead_letter"] = "dead_letter"
    schema_version: Literal[1] = SCHEMA_VERSION
    service: str
    error: str
    error_type: str
    topic: str
    partition: int | None = None
    offset: int | None = None
    key_b64: str | None = None
    raw_b64: str = Field(description="the original bytes, base64 (the first MAX_RAW_BYTES of them)")
    raw_size: int | None = Field(default=None, description="size of the original message in bytes")
    raw_truncated: bool = Field(default=False, description="raw_b64 holds only the start of the message")
    failed_at: AwareDatetime
