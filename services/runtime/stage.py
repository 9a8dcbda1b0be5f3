"""The thin Faust shell every service uses: decode -> core -> produce -> commit.

Rules (faust-streaming 0.15 facts this is built around):

* Agents run with ``concurrency=1``: with more, faust can commit past a message
  that is still in flight and lose it on a crash.
* An exception raised inside an agent acks the message. So the agent catches
  decode, validation and processing errors itself, publishes a ``DeadLetter``
  to ``news.dlq`` (service, error, topic, partition, offset, raw bytes) and
  moves on. Faust then commits past it.
* Redis being unreachable is not the message's fault: the agent retries the
  same message with exponential backoff until Redis answers, and only then
  moves on, so an outage loses nothing.
* Outputs are sent before the source offset is acked; faust flushes the
  producer before every commit, so delivery is at-least-once. The cores make
  redelivery harmless (idempotent effects).
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import logging
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

import faust
import redis
from faust.transport.drivers import aiokafka as faust_aiokafka
from pydantic import BaseModel

from schemas import DLQ, DeadLetter, decode, encode
from services.runtime.bootstrap import tune_gc
from services.runtime.logs import logging_config
from services.runtime.metrics import (
    DEAD_LETTERS,
    ERRORS,
    MESSAGES_OUT,
    PROCESSING,
    child,
    observe_inbound,
    observe_position,
)
from services.runtime.settings import Settings
from services.runtime.web import attach_web

logger = logging.getLogger(__name__)

#: Errors that mean "the shared store is away", not "this message is bad".
TRANSIENT_ERRORS = (redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError)


class Output(NamedTuple):
    """One message a core wants published: logical topic, key, model."""

    topic: str
    key: str | None
    message: BaseModel


Handler = Callable[[BaseModel], Sequence[Output]]


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


#: A dead letter keeps at most this much of the failed message (a 10 MB poison message
#: must not make its own dead letter too large to publish).
MAX_RAW_BYTES = 1024 * 1024


def dead_letter(
    service: str,
    error: BaseException | str,
    raw: bytes | None,
    topic: str,
    partition: int | None = None,
    offset: int | None = None,
    key: bytes | None = None,
) -> DeadLetter:
    return DeadLetter(
        service=service,
        error=str(error)[:2000],
        error_type=type(error).__name__ if isinstance(error, BaseException) else "InputError",
        topic=topic,
        partition=partition,
        offset=offset,
        key_b64=base64.b64encode(key[:1024]).decode() if key else None,
        raw_b64=base64.b64encode((raw or b"")[:MAX_RAW_BYTES]).decode(),
        raw_size=len(raw or b""),
        raw_truncated=len(raw or b"") > MAX_RAW_BYTES,
        failed_at=utcnow(),
    )


class ProducerOnlyApp(faust.App):
    """A Faust app that consumes no topic (ingest): producer and web server only.

    faust 0.15 starts app tasks only after table recovery, which never runs
    without a consumer; with no tables there is nothing to wait for.
    """

    producer_only = True

    async def _wait_for_table_recovery_completed(self) -> bool:
        return False


class _ConsumerThread(faust_aiokafka.AIOKafkaConsumerThread):
    """faust 0.15 hard-codes a 1500 ms fetch wait; ours is ``RAQIB_KAFKA__FETCH_MAX_WAIT_MS``."""

    def _create_worker_consumer(self, transport):
        consumer = super()._create_worker_consumer(transport)
        consumer._fetch_max_wait_ms = self.app.raqib_fetch_max_wait_ms  # read by start()
        return consumer


class _Consumer(faust_aiokafka.Consumer):
    def _new_consumer_thread(self) -> _ConsumerThread:
        return _ConsumerThread(self, loop=self.loop, beacon=self.beacon)


class _Transport(faust_aiokafka.Transport):
    Consumer = _Consumer


def make_app(service: str, settings: Settings, app_class: type[faust.App] = faust.App) -> faust.App:
    """A Faust app for one service: its own consumer group, our topic conventions."""
    kafka = settings.kafka
    data_dir = Path(settings.data_dir or tempfile.gettempdir()) / "raqib-faust" / kafka.group_prefix
    data_dir.mkdir(parents=True, exist_ok=True)  # faust creates only the last level
    app = app_class(
        f"{kafka.group_prefix}{service}",
        broker=[f"kafka://{s.strip()}" for s in kafka.servers.split(",")],
        store="memory://",  # state that must survive restarts lives in Redis
        datadir=str(data_dir / service),
        # Short sessions: a join on Tansu waits half of it; at faust's 60 s
        # default messages were lost on failover, at 6-10 s they were not.
        broker_session_timeout=kafka.session_timeout_s,
        broker_heartbeat_interval=kafka.heartbeat_interval_s,
        broker_commit_interval=kafka.commit_interval_s,
        consumer_auto_offset_reset="earliest",  # a new group reads what is waiting
        producer_acks=-1,  # outputs are durable before the source offset commits
        producer_max_request_size=8 * 1024 * 1024,
        producer_linger=kafka.producer_linger_ms / 1000.0,
        topic_allow_declare=False,  # topics are created by `ensure_topics`
        topic_disable_leader=True,  # no __assignor-__leader topic: no leader-only tasks
        # faust's own web server (with its /table views) stays off; a worker's port is
        # ours (services/runtime/web.py): /health, /metrics and the service's routes.
        web_enabled=False,
    )
    app.raqib_fetch_max_wait_ms = kafka.fetch_max_wait_ms
    app.transport = _Transport(app.conf.broker_consumer, app)  # before any topic or agent exists
    attach_web(app, settings, service)  # /health and /metrics on RAQIB_WEB_PORT
    return app


def raw_topic(app: faust.App, settings: Settings, logical: str) -> faust.TopicT:
    """A topic carrying undecoded bytes: decoding is ours, so failures reach the DLQ."""
    return app.topic(
        settings.kafka.topic(logical),
        value_type=bytes,
        key_type=bytes,
        value_serializer="raw",
        key_serializer="raw",
        internal=False,
    )


class Shell:
    """Publishes a core's outputs and dead letters for one service."""

    def __init__(self, app: faust.App, settings: Settings, service: str) -> None:
        self.app = app
        self.settings = settings
        self.service = service
        self._topics: dict[str, faust.TopicT] = {}

    def topic(self, logical: str) -> faust.TopicT:
        if logical not in self._topics:
            self._topics[logical] = raw_topic(self.app, self.settings, logical)
        return self._topics[logical]

    async def publish(self, outputs: Sequence[Output]) -> None:
        """Hand each output to the producer (delivered before the input's offset is committed:
        faust flushes the producer first). Straight to the producer, not through faust's
        ``Topic.send``, whose future-message and sensor bookkeeping nothing here uses: about a
        tenth of a worker's time per message."""
        if not outputs:
            return
        producer = await self.app.maybe_start_producer()
        for out in outputs:
            await producer.send(self.settings.kafka.topic(out.topic),
                                out.key.encode() if out.key is not None else None,
                                encode(out.message), partition=None, timestamp=None, headers=None)
            child(MESSAGES_OUT, self.service, out.topic).inc()

    async def dead_letter(self, error: BaseException | str, raw: bytes | None, **where) -> None:
        letter = dead_letter(self.service, error, raw, **where)
        DEAD_LETTERS.labels(service=self.service).inc()
        logger.warning(
            "dead letter from %s[%s] offset %s: %s",
            where.get("topic"), where.get("partition"), where.get("offset"), letter.error,
        )
        await self.publish([Output(DLQ, where.get("topic"), letter)])

    async def call_with_retry(self, handler: Callable, *args) -> Sequence[Output]:
        """Run the core on ``args``; while Redis is unreachable, retry with exponential backoff."""
        delay = 0.2
        while True:
            try:
                with child(PROCESSING, self.service).time():
                    return handler(*args)
            except TRANSIENT_ERRORS as exc:
                ERRORS.labels(service=self.service, kind="store_unavailable").inc()
                logger.warning("state store unavailable (%s); retrying in %.1fs", exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)


async def _decoded(shell: Shell, source: str, event) -> tuple[BaseModel | None, dict, bytes]:
    """An event's message decoded, or None after its dead letter was published."""
    msg = event.message
    where = dict(topic=msg.topic, partition=msg.partition, offset=msg.offset, key=msg.key)
    raw = event.value
    try:
        highwater = shell.app.consumer.highwater(msg.tp)
    except Exception:  # no fetch position yet: no lag figure, not an error
        highwater = None
    observe_position(shell.service, source, msg.partition, msg.offset, msg.timestamp, highwater)
    try:
        message = decode(source, raw)
    except Exception as exc:  # DecodeError, or a decoder bug: a dead agent would stop the service
        ERRORS.labels(service=shell.service, kind="decode").inc()
        await shell.dead_letter(exc, raw, **where)
        return None, where, raw
    observe_inbound(shell.service, source, message)
    return message, where, raw


async def _handle_one(shell: Shell, handler: Handler, inbound: BaseModel, where: dict, raw: bytes) -> None:
    try:
        outputs = await shell.call_with_retry(handler, inbound)
    except Exception as exc:  # a bug or a message the core cannot handle
        ERRORS.labels(service=shell.service, kind="processing").inc()
        logger.exception("%s failed on %s[%s]@%s", shell.service, where["topic"], where["partition"], where["offset"])
        await shell.dead_letter(exc, raw, **where)
        return
    await shell.publish(outputs)


def pipe_agent(app: faust.App, shell: Shell, source: str, handler: Handler) -> None:
    """Declare the service's agent: source topic -> handler -> outputs, bad input -> DLQ."""

    @app.agent(shell.topic(source), name=f"{shell.service}-{source}", concurrency=1)
    async def agent(stream):
        async for event in stream.events():
            inbound, where, raw = await _decoded(shell, source, event)
            if inbound is not None:
                await _handle_one(shell, handler, inbound, where, raw)


BatchHandler = Callable[[list[BaseModel]], list[Sequence[Output]]]


def batch_agent(app: faust.App, shell: Shell, source: str, handler: Handler, batch: BatchHandler,
                size: int, wait_s: float, with_raw: bool = False) -> None:
    """Like :func:`pipe_agent`, for cores that do a batch in fewer round trips than its
    messages one by one: up to ``size`` waiting messages (waiting at most ``wait_s`` for
    them) go to ``batch``, which returns each one's outputs in order (``with_raw``: it also
    gets the messages as received, to keep without encoding them again). If the batch fails
    for anything but the store being away, its messages are handled one by one, so only
    a bad one goes to the DLQ. The events are acked after their outputs are sent."""
    if size <= 1:
        pipe_agent(app, shell, source, handler)
        return

    @app.agent(shell.topic(source), name=f"{shell.service}-{source}", concurrency=1)
    async def agent(stream):
        async for events in stream.take_events(size, within=wait_s):
            good = [d for d in [await _decoded(shell, source, e) for e in events] if d[0] is not None]
            if not good:
                continue
            try:
                args = ([d[0] for d in good], [d[2] for d in good]) if with_raw else ([d[0] for d in good],)
                per_message = await shell.call_with_retry(batch, *args)
            except Exception as exc:
                logger.warning("%s: a batch of %d failed (%s); one by one", shell.service, len(good), exc)
                for inbound, where, raw in good:
                    await _handle_one(shell, handler, inbound, where, raw)
                continue
            for outputs in per_message:
                await shell.publish(outputs)


def run_worker(app: faust.App, settings: Settings) -> None:
    """Run the app until SIGTERM/SIGINT; faust flushes the producer and commits on the way out."""
    tune_gc()
    worker = faust.Worker(app, loglevel=settings.log_level.lower(), quiet=True,
                          logging_config=logging_config(settings.log_level, settings.log_format))
    worker.execute_from_commandline()
