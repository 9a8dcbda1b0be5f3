"""Settings for every Raqib process, loaded once from ``RAQIB_*`` variables.

Nested fields use ``__``: ``RAQIB_KAFKA__BOOTSTRAP_SERVERS``,
``RAQIB_REDIS__URL``, ``RAQIB_ALERTING__LOOKBACK_DAYS`` and so on. A bad
value stops start-up with :class:`ConfigError`, whose message names the
variable.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.runtime.errors import ConfigError

ENV_PREFIX = "RAQIB_"


class KafkaSettings(BaseModel):
    bootstrap_servers: str = Field(
        default="",
        description="RAQIB_KAFKA__BOOTSTRAP_SERVERS: host:port[,host:port]. Empty means "
        "127.0.0.1:9092 for workers, and an embedded broker for `raqib demo`.",
    )
    topic_prefix: str = Field(
        default="",
        pattern=r"^[A-Za-z0-9._-]*$",
        description="RAQIB_KAFKA__TOPIC_PREFIX: prepended to every topic name (isolates runs).",
    )
    group_prefix: str = Field(
        default="raqib-",
        pattern=r"^[A-Za-z0-9._-]*$",
        description="RAQIB_KAFKA__GROUP_PREFIX: consumer group of a service is prefix + name.",
    )
    partitions: int = Field(
        default=6, ge=1, le=1000, description="RAQIB_KAFKA__PARTITIONS: partitions per topic."
    )
    replication_factor: int = Field(
        default=1, ge=1, le=10, description="RAQIB_KAFKA__REPLICATION_FACTOR"
    )
    session_timeout_s: float = Field(
        default=8.0,
        ge=3.0,
        le=300.0,
        description="RAQIB_KAFKA__SESSION_TIMEOUT_S: a group join waits half of it on Tansu; "
        "faust lost messages on failover at its default 60 s but not at 6-10 s.",
    )
    heartbeat_interval_s: float = Field(
        default=1.0, gt=0, le=30.0, description="RAQIB_KAFKA__HEARTBEAT_INTERVAL_S"
    )
    commit_interval_s: float = Field(
        default=1.0, gt=0, le=60.0, description="RAQIB_KAFKA__COMMIT_INTERVAL_S"
    )
    fetch_max_wait_ms: int = Field(
        default=100, ge=1, le=30_000,
        description="RAQIB_KAFKA__FETCH_MAX_WAIT_MS: longest a consumer's fetch waits for data. On "
        "the embedded broker an empty fetch sleeps half of it, so it bounds the latency each hop "
        "adds (faust's fixed 1500 ms gave p99 1.9 s over three hops, 100 ms 0.15-0.25 s) at the "
        "price of more fetches, about 3x the idle CPU. Apache Kafka answers as soon as data "
        "arrives, so there it only sets how often an idle consumer asks.",
    )
    producer_linger_ms: int = Field(
        default=5, ge=0, le=1_000,
        description="RAQIB_KAFKA__PRODUCER_LINGER_MS: how long a producer gathers messages into one "
        "request before sending: fewer, fuller requests for the broker, at up to this much latency "
        "per hop. On the embedded broker 5 ms (against 0) cut its CPU in a 20,000-article drain "
        "from 19.6 to 7.9 s and raised the drain from 577 to 767 articles/s, for ~10 ms more p50.",
    )

    @property
    def servers(self) -> str:
        return self.bootstrap_servers or "127.0.0.1:9092"

    def topic(self, logical: str) -> str:
        return f"{self.topic_prefix}{logical}"


class RedisSettings(BaseModel):
    url: str = Field(
        default="redis://127.0.0.1:6379/0",
        pattern=r"^(redis|rediss|unix)://",
        description="RAQIB_REDIS__URL: shared state for every replica.",
    )
    key_prefix: str = Field(
        default="raqib:", description="RAQIB_REDIS__KEY_PREFIX: prefix of every key Raqib writes."
    )
    socket_timeout_s: float = Field(default=5.0, gt=0, description="RAQIB_REDIS__SOCKET_TIMEOUT_S")


class ExtractionSettings(BaseModel):
    batch_size: int = Field(
        default=64, ge=1, le=1000,
        description="RAQIB_EXTRACTION__BATCH_SIZE: waiting articles the worker takes from its stream at "
        "once (1: one at a time); each is still coded on its own, a batch saves per-message overhead.",
    )
    batch_wait_s: float = Field(
        default=0.01, ge=0, le=1,
        description="RAQIB_EXTRACTION__BATCH_WAIT_S: how long the worker waits to fill a batch.",
    )


class DedupSettings(BaseModel):
    horizon_days: float = Field(
        default=7.0, gt=0, description="RAQIB_DEDUP__HORIZON_DAYS: how long dedup keys live."
    )
    near_jaccard: float = Field(
        default=0.5, gt=0, le=1,
        description="RAQIB_DEDUP__NEAR_JACCARD: estimated Jaccard index of word shingles at which "
        "an article is a near-duplicate.",
    )
    near_containment: float = Field(
        default=0.8, gt=0, le=1,
        description="RAQIB_DEDUP__NEAR_CONTAINMENT: share of the shorter text's shingles found in the "
        "other at which an article is a near-duplicate (trimmed copies).",
    )
    near_containment_min_jaccard: float = Field(
        default=0.2, ge=0, le=1,
        description="RAQIB_DEDUP__NEAR_CONTAINMENT_MIN_JACCARD: containment counts only above this Jaccard.",
    )
    shingle_words: int = Field(default=3, ge=1, le=10, description="RAQIB_DEDUP__SHINGLE_WORDS")
    num_perm: int = Field(
        default=128, ge=16, le=1024,
        description="RAQIB_DEDUP__NUM_PERM: MinHash permutations (changing it starts a new index).",
    )
    bands: int = Field(
        default=32, ge=1, le=1024,
        description="RAQIB_DEDUP__BANDS: LSH bands; num_perm / bands rows each.",
    )
    max_sources: int = Field(
        default=50, ge=2, le=10000,
        description="RAQIB_DEDUP__MAX_SOURCES: the most sources an event report lists (the first half and "
        "the latest half of them; corroboration counts every one). A story told by hundreds of outlets "
        "would otherwise make each update carry all of them, past the broker's message size limit.",
    )
    cluster_km: float = Field(
        default=30.0, gt=0, description="RAQIB_DEDUP__CLUSTER_KM: two towns this close can be one event's place."
    )
    max_attempts: int = Field(
        default=50, ge=1, description="RAQIB_DEDUP__MAX_ATTEMPTS: re-reads of an article under contention."
    )
    batch_size: int = Field(
        default=256, ge=1, le=1000,
        description="RAQIB_DEDUP__BATCH_SIZE: articles the worker takes at once when they are waiting "
        "(1: one at a time); it decides them chunk by chunk.",
    )
    chunk_size: int = Field(
        default=64, ge=1, le=1000,
        description="RAQIB_DEDUP__CHUNK_SIZE: articles decided from one read and one write; a batch's "
        "chunks are pipelined (Redis writes one while the next is prepared).",
    )
    batch_wait_s: float = Field(
        default=0.01, ge=0, le=1,
        description="RAQIB_DEDUP__BATCH_WAIT_S: how long the worker waits to fill a batch.",
    )

    @model_validator(mode="after")
    def _bands_divide_perms(self) -> DedupSettings:
        if self.num_perm % self.bands:
            raise ValueError(f"num_perm ({self.num_perm}) must be a multiple of bands ({self.bands})")
        return self


class AlertingSettings(BaseModel):
    lookback_days: int = Field(
        default=30, ge=1, le=3650, description="RAQIB_ALERTING__LOOKBACK_DAYS: the look-back window."
    )
    baseline_days: int = Field(
        default=28, ge=1, le=3650, description="RAQIB_ALERTING__BASELINE_DAYS: frequency baseline."
    )
    spike_factor: float = Field(
        default=3.0, gt=1, description="RAQIB_ALERTING__SPIKE_FACTOR: day count / baseline mean."
    )
    spike_min_events: int = Field(
        default=6, ge=2, description="RAQIB_ALERTING__SPIKE_MIN_EVENTS: fewest events for a spike."
    )
    mass_casualty_killed: int = Field(
        default=10, ge=1, description="RAQIB_ALERTING__MASS_CASUALTY_KILLED"
    )
    history_days: int = Field(
        default=30, ge=0, le=3650,
        description="RAQIB_ALERTING__HISTORY_DAYS: an event the report dates more than this many days before "
        "its first report (\"on 25 May\" in a January article) is history recalled, not news: it raises "
        "nothing and enters no window.",
    )
    warmup_until: dt.datetime | None = Field(
        default=None,
        description="RAQIB_ALERTING__WARMUP_UNTIL: build state without alerting before this time.",
    )
    hold_s: float = Field(
        # The pipeline's own disorder is what a hold can absorb: ingest -> event report
        # measured p99 0.16 s, max 0.18 s at 100 articles/s (raqib bench kafka), so 0.5 s
        # covers it about three times over and keeps ingest -> alert p99 under 1 s (0.78 s).
        # Longer stalls (a rebalance, a backlog, a feed polled late) outlast any short hold.
        default=0.5, ge=0, le=3600,
        description="RAQIB_ALERTING__HOLD_S: a report is decided this long after it arrived, so that "
        "reports of earlier events arriving up to this much later still count (0: decide at once, "
        "in arrival order). Every alert waits this long.",
    )
    lease_s: float = Field(
        default=30.0, gt=0, le=3600,
        description="RAQIB_ALERTING__LEASE_S: a replica that took reports to decide and died is "
        "replaced after this long.",
    )
    decide_interval_s: float = Field(
        default=0.1, gt=0, le=10, description="RAQIB_ALERTING__DECIDE_INTERVAL_S: how often due reports are decided."
    )
    batch_size: int = Field(
        default=64, ge=1, le=1000,
        description="RAQIB_ALERTING__BATCH_SIZE: waiting reports observed and queued in one round trip "
        "(with a hold; 1: one at a time).",
    )
    batch_wait_s: float = Field(
        default=0.01, ge=0, le=1, description="RAQIB_ALERTING__BATCH_WAIT_S: how long the worker waits to fill a batch."
    )


class IngestSettings(BaseModel):
    """Feed polling, page fetching and HTTP push. Every request Raqib makes to a URL it was
    given goes through these limits (see services/ingest/safety.py)."""

    push_token: SecretStr | None = Field(
        default=None, min_length=16,
        description="RAQIB_INGEST__PUSH_TOKEN: bearer token of POST /articles (unset: push is off).",
    )
    push_max_articles: int = Field(
        default=1000, ge=1, le=100_000, description="RAQIB_INGEST__PUSH_MAX_ARTICLES: largest batch per POST."
    )
    allow_hosts: list[str] = Field(
        default_factory=list,
        description="RAQIB_INGEST__ALLOW_HOSTS: JSON list of host or host:port that may resolve to "
        "loopback, private or link-local addresses (e.g. an intranet feed).",
    )
    allow_networks: list[str] = Field(
        default_factory=list,
        description="RAQIB_INGEST__ALLOW_NETWORKS: JSON list of CIDR networks that may be fetched "
        "although not public.",
    )
    max_body_bytes: int = Field(
        default=5 * 1024 * 1024, ge=1024, le=200 * 1024 * 1024,
        description="RAQIB_INGEST__MAX_BODY_BYTES: largest feed, page or push body read.",
    )
    connect_timeout_s: float = Field(default=5.0, gt=0, le=120, description="RAQIB_INGEST__CONNECT_TIMEOUT_S")
    read_timeout_s: float = Field(
        default=15.0, gt=0, le=600, description="RAQIB_INGEST__READ_TIMEOUT_S: longest wait for the next bytes."
    )
    total_timeout_s: float = Field(
        default=30.0, gt=0, le=600, description="RAQIB_INGEST__TOTAL_TIMEOUT_S: longest whole request."
    )
    max_redirects: int = Field(default=5, ge=0, le=20, description="RAQIB_INGEST__MAX_REDIRECTS")
    per_host_concurrency: int = Field(
        default=2, ge=1, le=64, description="RAQIB_INGEST__PER_HOST_CONCURRENCY: requests in flight per host."
    )
    poll_interval_s: float = Field(
        default=300.0, ge=1.0, le=86400.0,
        description="RAQIB_INGEST__POLL_INTERVAL_S: default interval of a feed that names none.",
    )
    jitter: float = Field(
        default=0.1, ge=0, lt=1, description="RAQIB_INGEST__JITTER: each wait is the interval +/- this share."
    )
    max_backoff_s: float = Field(
        default=3600.0, ge=1.0, le=7 * 86400.0,
        description="RAQIB_INGEST__MAX_BACKOFF_S: longest wait after repeated errors (and longest Retry-After).",
    )
    full_text_min_chars: int = Field(
        default=500, ge=0,
        description="RAQIB_INGEST__FULL_TEXT_MIN_CHARS: with full_text: auto, an item whose feed text is "
        "shorter than this is a summary, and its page is fetched.",
    )
    user_agent: str = Field(
        default="RaqibBot/0.1 (news monitoring; +https://github.com/raqib)",
        min_length=1, description="RAQIB_INGEST__USER_AGENT",
    )
    seen_days: float = Field(
        default=30.0, gt=0, description="RAQIB_INGEST__SEEN_DAYS: how long a feed item is remembered."
    )

    @field_validator("allow_networks")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        for net in value:
            try:
                ipaddress.ip_network(net, strict=False)
            except ValueError as exc:
                raise ValueError(f"not a CIDR network: {net!r}") from exc
        return value


class Settings(BaseSettings):
    """Every setting of a Raqib process."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, env_nested_delimiter="__", extra="ignore", case_sensitive=False
    )

    kafka: KafkaSettings = Field(default_factory=KafkaSettings)
    redis: RedisSettings = Field(default_factory=RedisSettings)
    extraction: ExtractionSettings = Field(default_factory=ExtractionSettings)
    dedup: DedupSettings = Field(default_factory=DedupSettings)
    alerting: AlertingSettings = Field(default_factory=AlertingSettings)
    ingest: IngestSettings = Field(default_factory=IngestSettings)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", description="RAQIB_LOG_LEVEL"
    )
    log_format: Literal["text", "json"] = Field(
        default="text", description="RAQIB_LOG_FORMAT: json for one JSON object per log line (log shippers)."
    )
    web_host: str = Field(
        default="127.0.0.1", description="RAQIB_WEB_HOST: bind address of a worker's web port."
    )
    web_port: int = Field(
        default=0,
        ge=0,
        le=65535,
        description="RAQIB_WEB_PORT: a worker's web port (HTTP push for ingest); 0 turns it off.",
    )
    data_dir: str = Field(
        default="",
        description="RAQIB_DATA_DIR: scratch directory of faust workers (default: a temp dir).",
    )


def _variable(loc: tuple) -> str:
    return ENV_PREFIX + "__".join(str(p).upper() for p in loc)


def load_settings(**overrides) -> Settings:
    """Load settings from the environment; a bad value raises ConfigError naming it."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise ConfigError(f"{_variable(err['loc'])}: {err['msg']} (got {err.get('input')!r})") from exc
