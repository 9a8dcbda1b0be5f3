"""Kafka plumbing shared by the CLI and tests (kafka-python): admin and clients.

Works against any Kafka-protocol broker; nothing here knows which one.
"""

from __future__ import annotations

import logging
import socket
import time

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import NewTopic
from kafka.errors import KafkaError, TopicAlreadyExistsError

from schemas import TOPIC_MODELS
from services.runtime.errors import InfrastructureError
from services.runtime.settings import KafkaSettings

logger = logging.getLogger(__name__)


def wait_for_broker(servers: str, deadline_s: float = 20.0) -> None:
    """Block until the broker answers metadata requests, or raise InfrastructureError."""
    end = time.monotonic() + deadline_s
    last: Exception | None = None
    # the port first, quietly: the Kafka client logs every refused connection as an error, and a
    # broker that is still starting refuses a few
    first = servers.split(",")[0].strip()
    host, _, port = first.rpartition(":") if ":" in first else (first, "", "9092")
    while time.monotonic() < end:
        try:
            socket.create_connection((host.strip("[]") or "localhost", int(port)), timeout=1).close()
            break
        except (OSError, ValueError) as exc:
            last = exc
            time.sleep(0.05)
    while time.monotonic() < end:
        try:
            admin = KafkaAdminClient(bootstrap_servers=servers, request_timeout_ms=3000)
            admin.list_topics()
            admin.close()
            return
        except (KafkaError, OSError) as exc:
            last = exc
            time.sleep(0.2)
    raise InfrastructureError(f"no Kafka broker answers at {servers}: {last}") from last


def ensure_topics(kafka: KafkaSettings) -> list[str]:
    """Create every Raqib topic that does not exist yet; return the full names."""
    names = [kafka.topic(t) for t in TOPIC_MODELS]
    try:
        admin = KafkaAdminClient(bootstrap_servers=kafka.servers, request_timeout_ms=10000)
    except (KafkaError, OSError) as exc:
        raise InfrastructureError(f"no Kafka broker answers at {kafka.servers}") from exc
    try:
        existing = set(admin.list_topics())
        missing = [n for n in names if n not in existing]
        for name in missing:
            try:
                admin.create_topics(
                    [NewTopic(name, kafka.partitions, kafka.replication_factor)]
                )
                logger.info("created topic %s (%d partitions)", name, kafka.partitions)
            except TopicAlreadyExistsError:
                pass  # another process won the race
    finally:
        admin.close()
    return names


def producer(kafka: KafkaSettings, **overrides) -> KafkaProducer:
    options = dict(
        bootstrap_servers=kafka.servers,
        acks="all",  # an article is published once the broker has it
        linger_ms=5,  # small batches without adding visible latency
        retries=5,
        max_request_size=8 * 1024 * 1024,
    )
    options.update(overrides)
    return KafkaProducer(**options)


def consumer(kafka: KafkaSettings, *topics: str, **overrides) -> KafkaConsumer:
    options = dict(
        bootstrap_servers=kafka.servers,
        auto_offset_reset="latest",
        enable_auto_commit=False,
        session_timeout_ms=int(kafka.session_timeout_s * 1000),
        heartbeat_interval_ms=int(kafka.heartbeat_interval_s * 1000),
        # An empty fetch sleeps half of this on the embedded broker; keep it short.
        fetch_max_wait_ms=kafka.fetch_max_wait_ms,
    )
    options.update(overrides)
    return KafkaConsumer(*[kafka.topic(t) for t in topics], **options)


def _admin(kafka: KafkaSettings) -> KafkaAdminClient:
    admin = KafkaAdminClient(bootstrap_servers=kafka.servers, request_timeout_ms=10000)
    # the embedded broker reports authorised operations kafka-python cannot decode; not needed
    admin._process_acl_operations = lambda group: group
    return admin


def wait_for_group(kafka: KafkaSettings, service: str, members: int, timeout: float = 90.0) -> None:
    """Until the service's consumer group is stable with ``members`` members (the stream is shared)."""
    admin = _admin(kafka)
    group = f"{kafka.group_prefix}{service}"
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            desc = admin.describe_groups([group]).get(group, {})
            if desc.get("group_state") == "Stable" and len(desc.get("members", [])) == members:
                return
            time.sleep(0.5)
        raise InfrastructureError(f"{group} did not reach {members} stable members in {timeout:.0f}s")
    finally:
        admin.close()


class CommittedOffsets:
    """A consumer group's committed offsets per (topic, partition), read with one admin client."""

    def __init__(self, kafka: KafkaSettings) -> None:
        self.kafka = kafka
        self.admin = _admin(kafka)

    def read(self, service: str) -> dict[tuple[str, int], int]:
        group = f"{self.kafka.group_prefix}{service}"
        offsets = self.admin.list_group_offsets({group: None}).get(group, {})
        return {(tp.topic, tp.partition): meta.offset for tp, meta in offsets.items() if meta.offset >= 0}

    def close(self) -> None:
        self.admin.close()
