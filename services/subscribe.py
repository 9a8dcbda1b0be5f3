"""Following news.alerts: filtering, de-duplicating redeliveries, formatting."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

from kafka import TopicPartition

from schemas import ALERTS, DecodeError, EscalationAlert, decode
from services.runtime.kafka import consumer
from services.runtime.settings import KafkaSettings


@dataclass(frozen=True)
class AlertFilter:
    min_severity: int = 1
    country: str | None = None

    def accepts(self, alert: EscalationAlert) -> bool:
        if alert.severity < self.min_severity:
            return False
        return not (self.country and alert.theatre.country.upper() != self.country.upper())


def follow_alerts(
    kafka: KafkaSettings,
    from_beginning: bool,
    alert_filter: AlertFilter,
    timeout_s: float | None = None,
    errors: list[str] | None = None,
    ticks: bool = False,
) -> Iterator[EscalationAlert | None]:
    """Yield each (alert_id, revision) once, as it arrives; stop after ``timeout_s`` if given.

    At-least-once delivery means a revision can arrive twice; it is shown once.
    With ``ticks``, a poll that brings nothing new yields None, so the caller
    can decide to stop while the stream is quiet.
    """
    topic = kafka.topic(ALERTS)
    c = consumer(kafka, group_id=None, auto_offset_reset="earliest" if from_beginning else "latest")
    try:
        partitions = None
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        while partitions is None:
            partitions = c.partitions_for_topic(topic)
            if partitions is None:
                if deadline is not None and time.monotonic() >= deadline:
                    return
                time.sleep(0.2)
        tps = [TopicPartition(topic, p) for p in sorted(partitions)]
        c.assign(tps)
        if from_beginning:
            c.seek_to_beginning(*tps)
        seen: set[tuple[str, int]] = set()
        while deadline is None or time.monotonic() < deadline:
            batch = c.poll(timeout_ms=200)
            fresh = 0
            for records in batch.values():
                for record in records:
                    try:
                        alert = decode(ALERTS, record.value)
                    except DecodeError as exc:
                        if errors is not None:
                            errors.append(f"{record.topic}[{record.partition}]@{record.offset}: {exc}")
                        continue
                    ident = (alert.alert_id, alert.revision)
                    if ident in seen or not alert_filter.accepts(alert):
                        continue
                    seen.add(ident)
                    fresh += 1
                    yield alert
            if ticks and not fresh:
                yield None
    finally:
        c.close()


def format_alert(alert: EscalationAlert) -> str:
    reasons = ", ".join(alert.reasons)
    return (f"[severity {alert.severity}] {alert.theatre.country} {reasons} "
            f"(alert {alert.alert_id} rev {alert.revision}, {alert.corroboration.sources} source(s), "
            f"{'/'.join(alert.corroboration.languages)}): {alert.summary}")
