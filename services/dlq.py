"""Dead letters: read ``news.dlq``, and send letters back to the topic they came from.

A dead letter carries the raw bytes of the message that failed and the topic it
was read from. Replaying it publishes those bytes, with their key, to that
topic again: after a fix is deployed, or once a transient cause is gone.
Letters from files (``file:NAME``, bad lines of a replayed file) have no topic
to return to, and truncated letters (messages over 1 MB) no whole message:
they are listed, not replayed.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator
from dataclasses import dataclass

from kafka import TopicPartition

from schemas import DLQ, DeadLetter, DecodeError, decode
from services.runtime.kafka import consumer, producer
from services.runtime.settings import KafkaSettings


@dataclass(frozen=True)
class Letter:
    partition: int
    offset: int
    letter: DeadLetter


def read_letters(kafka: KafkaSettings, quiet_s: float = 2.0, service: str | None = None,
                 source: str | None = None) -> Iterator[Letter]:
    """Every dead letter from the beginning, until the topic has been quiet for ``quiet_s``
    (end offsets are not trusted: some Kafka-protocol brokers misreport them)."""
    topic = kafka.topic(DLQ)
    c = consumer(kafka, group_id=None, auto_offset_reset="earliest")
    try:
        partitions = c.partitions_for_topic(topic) or set()
        tps = [TopicPartition(topic, p) for p in sorted(partitions)]
        if not tps:
            return
        c.assign(tps)
        c.seek_to_beginning(*tps)
        last = time.monotonic()
        while time.monotonic() - last < quiet_s:
            for records in c.poll(timeout_ms=200).values():
                last = time.monotonic()
                for r in records:
                    try:
                        letter = decode(DLQ, r.value)
                    except DecodeError:
                        continue  # not ours to explain
                    if service and letter.service != service:
                        continue
                    if source and letter.topic not in (source, kafka.topic(source)):
                        continue
                    yield Letter(r.partition, r.offset, letter)
    finally:
        c.close()


def replayable(kafka: KafkaSettings, letter: DeadLetter) -> bool:
    """From a topic of ours, and whole (a truncated letter cannot give the message back)."""
    return (not letter.topic.startswith("file:") and letter.topic.startswith(kafka.topic_prefix)
            and not letter.raw_truncated)


def replay_letters(kafka: KafkaSettings, letters: list[Letter]) -> tuple[int, int]:
    """Publish each replayable letter's bytes to its topic; (replayed, skipped)."""
    prod = producer(kafka)
    replayed = skipped = 0
    try:
        for item in letters:
            letter = item.letter
            if not replayable(kafka, letter):
                skipped += 1
                continue
            key = base64.b64decode(letter.key_b64) if letter.key_b64 else None
            prod.send(letter.topic, key=key, value=base64.b64decode(letter.raw_b64))
            replayed += 1
        prod.flush()
    finally:
        prod.close()
    return replayed, skipped
