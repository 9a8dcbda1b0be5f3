"""Alerting service: news.events -> news.alerts (keyed by theatre country).

Event-time order with bounded disorder. Reports reach alerting through
several partitions and replicas, so a report can arrive after a report of a
later event. Each report is therefore put into the shared history at once
(``AlertingCore.observe``) and into a hold queue in Redis; it is decided
``RAQIB_ALERTING__HOLD_S`` seconds after it arrived, by whichever replica takes
it first. A decision only looks at events before the report's own event time
(ties broken by event id), so every decision is the same whatever the replica
count and the arrival order, provided that no report arrives more than the
hold time after a report of a later event (the documented bound on disorder).
The queue is durable: a replica killed mid-decision leaves its reports leased;
when the lease runs out another replica decides them again, and the stored
decision per cluster makes that re-send the same alert revision.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import OrderedDict

import faust

from schemas import ALERTS, EVENTS, EventReported, decode, encode
from services.alerting.core import AlertingCore
from services.runtime.bootstrap import redis_store
from services.runtime.settings import Settings
from services.runtime.stage import TRANSIENT_ERRORS, Handler, Output, Shell, batch_agent, make_app, pipe_agent
from services.runtime.store import Store

SERVICE = "alerting"
QUEUE = "alerting:hold"
_QUEUED_KEPT = 20_000
logger = logging.getLogger(__name__)


def bootstrap(settings: Settings, store: Store) -> Handler:
    """Observe and decide at once (one process that sees every report in order)."""
    core = AlertingCore(store, settings.alerting)

    def handle(report: EventReported) -> list[Output]:
        return [Output(ALERTS, a.theatre.country, a) for a in core.handle(report)]

    return handle


class HeldAlerting:
    """The worker's two halves: ``arrive`` (in the agent) and ``decide_due`` (on a timer)."""

    def __init__(self, settings: Settings, store: Store, clock=time.time) -> None:
        self.core = AlertingCore(store, settings.alerting)
        self.store = store
        self.hold_s = settings.alerting.hold_s
        self.lease_s = settings.alerting.lease_s
        self.clock = clock
        #: reports this replica queued, by queue member: taken back without decoding them again
        self._queued: OrderedDict[str, EventReported] = OrderedDict()

    def arrive(self, report: EventReported) -> list[Output]:
        return self.arrive_batch([report])[0]

    def arrive_batch(self, reports: list[EventReported], raws: list[bytes] | None = None) -> list[list[Output]]:
        """Observe each report and queue it for its decision, all in one round trip. ``raws``:
        the reports as received (queued as they are rather than encoded again)."""
        due = self.clock() + self.hold_s
        items = [item for r in reports for item in self.core.observations(r)]
        bodies = [raw.decode() for raw in raws] if raws is not None else [encode(r).decode() for r in reports]
        members = [f"{r.event_id}\n{body}" for r, body in zip(reports, bodies, strict=True)]
        items += [(QUEUE, m, due, 0) for m in members]
        self.store.zadd_many(items)
        for m, r in zip(members, reports, strict=True):
            self._queued[m] = r
        while len(self._queued) > _QUEUED_KEPT:  # those another replica took
            self._queued.popitem(last=False)
        return [[] for _ in reports]

    def decide(self, report: EventReported) -> list[Output]:
        return [Output(ALERTS, a.theatre.country, a) for a in self.core.process(report, observed=True)]

    def decide_batch(self, reports: list[EventReported]) -> list[list[Output]]:
        """``decide`` for each report, in order, in three round trips."""
        return [[Output(ALERTS, a.theatre.country, a) for a in alerts] for alerts in self.core.process_batch(reports)]

    def take(self, limit: int = 500) -> tuple[list[str], list[EventReported]]:
        members = self.store.take_due(QUEUE, self.clock(), self.lease_s, limit)
        reports = [self._queued.pop(m, None) or decode(EVENTS, m.split("\n", 1)[1].encode()) for m in members]
        # event-time order between clusters; within a cluster, revision order (a later report
        # can move the cluster's first_seen earlier, but the first report is decided first)
        start: dict[str, dt.datetime] = {}
        for r in reports:
            start[r.event_id] = min(start.get(r.event_id, r.first_seen), r.first_seen)
        order = sorted(range(len(reports)), key=lambda i: (start[reports[i].event_id], reports[i].event_id,
                                                             reports[i].revision))
        return [members[i] for i in order], [reports[i] for i in order]


def build_app(settings: Settings) -> faust.App:
    app = make_app(SERVICE, settings)
    shell = Shell(app, settings, SERVICE)
    store = redis_store(settings)
    if settings.alerting.hold_s <= 0:
        pipe_agent(app, shell, EVENTS, bootstrap(settings, store))
        return app
    held = HeldAlerting(settings, store)
    batch_agent(app, shell, EVENTS, held.arrive, held.arrive_batch, settings.alerting.batch_size,
                settings.alerting.batch_wait_s, with_raw=True)

    @app.timer(interval=settings.alerting.decide_interval_s)
    async def decide_due() -> None:
        try:
            members, reports = held.take()
        except TRANSIENT_ERRORS as exc:
            logger.warning("state store unavailable (%s); decisions wait", exc)
            return
        try:
            decided = await shell.call_with_retry(held.decide_batch, reports) if reports else []
        except Exception as exc:
            logger.warning("alerting: a batch of %d held reports failed (%s); one by one", len(reports), exc)
            decided = None
        for i, (member, report) in enumerate(zip(members, reports, strict=True)):
            if decided is not None:
                outputs = decided[i]
            else:
                try:
                    outputs = await shell.call_with_retry(held.decide, report)
                except Exception as exc:  # a bug: the report goes to the DLQ, not round the queue forever
                    logger.exception("alerting failed on held report %s", report.event_id)
                    await shell.dead_letter(exc, member.encode(), topic=settings.kafka.topic(EVENTS))
                    outputs = []
            await shell.publish(outputs)
        if members:
            await app.producer.flush()  # delivered: only now are they done
            held.store.done(QUEUE, members)

    return app
