"""Prometheus metrics every worker exports on its web port (``/metrics``)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from prometheus_client import Counter, Gauge, Histogram

_LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600, 6 * 3600, 86400)

MESSAGES_IN = Counter("raqib_messages_in", "Messages consumed", ["service", "topic"])
MESSAGES_OUT = Counter("raqib_messages_out", "Messages produced", ["service", "topic"])
ERRORS = Counter("raqib_errors", "Errors by kind (decode, processing, store_unavailable)", ["service", "kind"])
DEAD_LETTERS = Counter("raqib_dead_letters", "Messages sent to news.dlq", ["service"])
PROCESSING = Histogram("raqib_processing_seconds", "Time in the core per message", ["service"],
                       buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5))
FROM_PUBLICATION = Histogram("raqib_latency_from_publication_seconds",
                             "Age of a consumed message since the publication of its (latest) article",
                             ["service"], buckets=_LATENCY_BUCKETS)
FROM_INGESTION = Histogram("raqib_latency_from_ingestion_seconds",
                           "Age of a consumed article since ingest accepted it", ["service"],
                           buckets=_LATENCY_BUCKETS)


CONSUMER_LAG = Gauge("raqib_consumer_lag_messages",
                     "Messages behind the partition's end, as of the last message consumed",
                     ["service", "topic", "partition"])
CONSUMER_LAG_SECONDS = Gauge("raqib_consumer_lag_seconds",
                             "Age of the last consumed message since the broker took it", ["service", "topic"])


@lru_cache(maxsize=4096)
def child(metric, *values: str):
    """``metric.labels(*values)``, looked up once: labels() validates and locks on every call,
    and the per-message metrics are updated several times a message."""
    return metric.labels(*values)


def observe_position(service: str, topic: str, partition: int, offset: int, timestamp: float | None,
                     highwater: int | None) -> None:
    """Consumer lag in messages (from the consumer's last fetch) and in seconds."""
    if timestamp:
        child(CONSUMER_LAG_SECONDS, service, topic).set(max(0.0, dt.datetime.now(dt.UTC).timestamp() - timestamp))
    if highwater is not None:
        child(CONSUMER_LAG, service, topic, str(partition)).set(max(0, highwater - offset - 1))


def observe_inbound(service: str, topic: str, message) -> None:
    """Count a decoded message and its end-to-end age."""
    child(MESSAGES_IN, service, topic).inc()
    now = dt.datetime.now(dt.UTC)
    published = getattr(message, "published_at", None) or getattr(message, "updated_at", None)
    if isinstance(published, dt.datetime):
        child(FROM_PUBLICATION, service).observe(max(0.0, (now - published).total_seconds()))
    ingested = getattr(message, "ingested_at", None)
    if isinstance(ingested, dt.datetime):
        child(FROM_INGESTION, service).observe(max(0.0, (now - ingested).total_seconds()))
