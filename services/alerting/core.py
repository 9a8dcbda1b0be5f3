"""Alerting core: event-cluster reports in, escalation alerts out. State in a Store.

Every window and every "first" is in event time: an event's time is the
publication time of its first report (``first_seen``). State is kept as
sorted sets scored by event time, with the event id as member, so recording
an event twice changes nothing (idempotent), and each question ("has A hit B
in the 30 days before t?") is a range query that leaves out the event itself.

One decision per event cluster: the first report decides whether the cluster
is an escalation; the decision is stored under the cluster id. Later reports
(higher ``revision``) update the same alert (``revision`` + 1, sources,
corroboration); a redelivered report re-emits the stored alert unchanged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from schemas import AlertEvent, EscalationAlert, Event, EventReported, Reason, Theatre
from services.dedup.clusters import party
from services.dedup.core import theatre_country
from services.runtime.settings import AlertingSettings
from services.runtime.store import Store, ZItem

DAY = 86400.0
KINETIC = {"ASSAULT"}

REASON_TEXT = {
    "NEW_DYAD": "first kinetic event by {a1} against {a2} in {days} days",
    "INTENSITY_JUMP": "intensity {intensity} is above the theatre's {days}-day maximum of {prev}",
    "NEW_THEATRE": "first kinetic event by {a1} in {country} in {days} days",
    "NEW_WEAPON": "first use of {weapons} by {a1} in {days} days",
    "FREQUENCY_SPIKE": "{count} kinetic events in {country} in a day against a baseline of {base:.1f}/day",
    "MASS_CASUALTY": "{killed} killed",
    "MOBILIZATION": "{a1} mobilising or reinforcing ({mode})",
    "THREAT": "{a1} threatening {a2}",
}


def _ts(value: dt.datetime) -> float:
    return value.timestamp()


def _pair(event: Event) -> str | None:
    """The two sides of an event as parties (a state's forces and government are one
    party), in a fixed order: a ceasefire binds both directions."""
    sides = sorted(p for p in (party(event.actor1), party(event.actor2)) if p)
    return "|".join(sides) if len(sides) == 2 and sides[0] != sides[1] else None


def _name(actor) -> str:
    return actor.name if actor else "unknown actor"


@dataclass(frozen=True)
class Decision:
    reasons: list[Reason]
    severity: int


@dataclass(frozen=True)
class _Plan:
    """What deciding an event needs to read: named history windows (key, low, high)."""

    event_id: str
    event: Event
    t: float
    country: str
    a1: str | None
    queries: dict[str, tuple[str, float, float]]
    deescalations: int  # how many "deescalation:i" windows
    recalled: bool = False  # history, not news: no reasons


def _cluster_key(event_id: str) -> str:
    return f"alerting:cluster:{event_id}"


class AlertingCore:
    def __init__(self, store: Store, settings: AlertingSettings) -> None:
        self.store = store
        self.settings = settings
        self.lookback = settings.lookback_days * DAY
        self.ttl = int((settings.lookback_days + settings.baseline_days + 2) * DAY)

    # -- public --------------------------------------------------------------------

    def observe(self, report: EventReported) -> None:
        """Put a cluster's first report into the history at once, before any decision:
        the alerting worker decides each report a hold time after it arrived, so every
        event that arrives within that time is in the history of the events it precedes
        in event time, whatever replica and partition it came through."""
        self.store.zadd_many(self.observations(report))

    def observations(self, report: EventReported) -> list[ZItem]:
        """What ``observe`` writes: the history entries of a cluster's first report."""
        return self.history(report.event_id, report.event, report.first_seen) if report.revision == 1 else []

    def handle(self, report: EventReported) -> list[EscalationAlert]:
        """Observe and decide at once (the offline pipeline: one process, in order)."""
        self.observe(report)
        return self.process(report, observed=True)

    def process(self, report: EventReported, observed: bool = False) -> list[EscalationAlert]:
        """Decide a report (``observed``: ``observe`` has put it into the history already)."""
        key = _cluster_key(report.event_id)
        stored = self.store.get(key)
        if stored is None:
            return self._first_report(key, report, observed)
        alerts, value = self._revise(stored, report)
        if value is not None:
            self.store.set(key, value, self.ttl)
        return alerts

    def process_batch(self, reports: list[EventReported]) -> list[list[EscalationAlert]]:
        """``process(report, observed=True)`` for each report, in order, in three round
        trips: one read of the stored decisions, one of every window the first reports
        need, one write of the decisions. The same alerts as one at a time: a decision
        reads only the history (written when reports arrive, not when they are decided)
        and its own cluster's record (kept here as the batch goes)."""
        keys = [_cluster_key(r.event_id) for r in reports]
        unique = list(dict.fromkeys(keys))
        values: dict[str, str | None] = dict(zip(unique, self.store.mget(unique), strict=True))
        first: dict[str, int] = {}  # cluster key -> the report that decides it
        for i, (key, report) in enumerate(zip(keys, reports, strict=True)):
            if values[key] is None and key not in first:
                if report.revision != 1:  # its first report was never decided here: record it too
                    return [self.process(r, observed=True) for r in reports]
                first[key] = i
        plans = {i: self._window_queries(reports[i].event_id, reports[i].event, reports[i].first_seen)
                 for i in first.values()}
        flat = [q for plan in plans.values() for q in plan.queries.values()]
        answers = iter(self.store.zranges(flat))
        rows = {i: {name: next(answers) for name in plan.queries} for i, plan in plans.items()}
        out: list[list[EscalationAlert]] = []
        writes: dict[str, str] = {}
        for i, (key, report) in enumerate(zip(keys, reports, strict=True)):
            if first.get(key) == i:
                alerts, value = self._decided(report, self._judge(plans[i], rows[i]))
            else:
                alerts, value = self._revise(values[key], report)
            if value is not None:
                values[key] = writes[key] = value
            out.append(alerts)
        self.store.set_many([(key, value, self.ttl) for key, value in writes.items()])
        return out

    def _revise(self, stored: str, report: EventReported) -> tuple[list[EscalationAlert], str | None]:
        """A later report of a decided cluster: the alerts to send, and the record to store
        (None: unchanged)."""
        record = json.loads(stored)
        alert = EscalationAlert.model_validate(record["alert"]) if record.get("alert") else None
        if report.revision < record["revision"]:
            return [], None  # an older report than the one already applied
        if report.revision == record["revision"]:
            return ([alert] if alert else []), None  # redelivery: say the same thing again
        if alert is None:
            record["revision"] = report.revision
            return [], json.dumps(record)
        updated = self._build(report, alert.reason_details, alert.severity, alert.revision + 1,
                              alert.alert_id)
        return [updated], json.dumps({"revision": report.revision, "alert": updated.model_dump(mode="json")})

    # -- decision ------------------------------------------------------------------

    def _first_report(self, key: str, report: EventReported, observed: bool) -> list[EscalationAlert]:
        event = report.event
        decision = self.evaluate(report.event_id, event, report.first_seen)
        if not (observed and report.revision == 1):  # observe recorded a first report already
            self.record(report.event_id, event, report.first_seen)
        alerts, value = self._decided(report, decision)
        self.store.set(key, value, self.ttl)
        return alerts

    def _decided(self, report: EventReported, decision: Decision) -> tuple[list[EscalationAlert], str]:
        """A cluster's first decision: the alert (if any) and the record to store."""
        warmup = self.settings.warmup_until
        alert = None
        if decision.reasons and not (warmup and report.first_seen < warmup):
            alert = self._build(report, decision.reasons, decision.severity, 1,
                                "al-" + hashlib.sha1(report.event_id.encode()).hexdigest()[:16])
        return ([alert] if alert else []), json.dumps({
            "revision": report.revision,
            "alert": alert.model_dump(mode="json") if alert else None,
        })

    @staticmethod
    def _before(rows: list[tuple[str, float]], t: float, event_id: str) -> list[str]:
        """Of a window's members, those before the event: leaving out ``event_id`` itself and,
        of the events at exactly ``t``, those whose id sorts after it (a fixed order for ties)."""
        out = []
        for m, score in rows:
            member_id = m.split("|", 1)[0]
            if member_id == event_id or (abs(score - t) <= 1e-6 and member_id > event_id):
                continue
            out.append(m)
        return out

    def _deescalation_keys(self, country: str, event: Event) -> list[str]:
        """The theatre's ceasefires and, for an event with two sides, those of the pair."""
        pair = _pair(event)
        return [f"alerting:deescalation:{country}"] + ([f"alerting:deescalation-pair:{pair}"] if pair else [])

    def evaluate(self, event_id: str, event: Event, when: dt.datetime) -> Decision:
        """The escalation reasons of an event, from the history before it: every window
        it needs is read in one round trip."""
        plan = self._window_queries(event_id, event, when)
        return self._judge(plan, dict(zip(plan.queries, self.store.zranges(list(plan.queries.values())),
                                          strict=True)))

    def recalled(self, event: Event, when: dt.datetime) -> bool:
        """Does the report date the event more than ``history_days`` before it was first seen?
        Then it is history the article recalls ("on 25 May", "في 14 شباط 2005"), not news."""
        return event.occurred_on is not None and (when.date() - event.occurred_on).days > self.settings.history_days

    def _window_queries(self, event_id: str, event: Event, when: dt.datetime) -> _Plan:
        """The history windows an event's decision reads (none for a non-kinetic one or history)."""
        t = _ts(when)
        s = self.settings
        country = theatre_country(event)
        a1 = event.actor1.code if event.actor1 else None
        a2 = event.actor2.code if event.actor2 else None
        queries: dict[str, tuple[str, float, float]] = {}
        deescalations: list[str] = []
        if self.recalled(event, when):
            return _Plan(event_id, event, t, country, a1, queries, 0, recalled=True)
        if event.category in KINETIC:
            window = (t - self.lookback, t + 1e-6)
            theatre = f"alerting:theatre:{country}"
            queries = {"theatre": (theatre, *window),
                       "baseline": (theatre, t - DAY - s.baseline_days * DAY, t - DAY)}
            if a1 and a2:
                queries["dyad"] = (f"alerting:dyad:{a1}>{a2}", *window)
            if a1:
                queries["actor"] = (f"alerting:actor-theatre:{a1}:{country}", *window)
                for w in event.weapons:
                    queries[f"weapon:{w}"] = (f"alerting:actor-weapon:{a1}:{w}", *window)
            deescalations = self._deescalation_keys(country, event)
            for i, key in enumerate(deescalations):
                queries[f"deescalation:{i}"] = (key, t - self.lookback, t)
        return _Plan(event_id, event, t, country, a1, queries, len(deescalations))

    def _judge(self, plan: _Plan, rows: dict[str, list[tuple[str, float]]]) -> Decision:
        """The decision from the windows ``plan`` asked for."""
        s, event, event_id, t, a1 = self.settings, plan.event, plan.event_id, plan.t, plan.a1
        fmt = dict(a1=_name(event.actor1), a2=_name(event.actor2), country=plan.country,
                   days=s.lookback_days, intensity=event.intensity, killed=event.killed,
                   mode=event.mode)
        reasons: list[Reason] = []

        def add(code: str, **extra) -> None:
            reasons.append(Reason(code=code, text=REASON_TEXT[code].format(**{**fmt, **extra})))

        if plan.recalled:
            pass
        elif event.category in KINETIC:
            if "dyad" in rows and not self._before(rows["dyad"], t, event_id):
                add("NEW_DYAD")
            if "actor" in rows and not self._before(rows["actor"], t, event_id):
                add("NEW_THEATRE")
            new = [w for w in event.weapons if a1 and not self._before(rows[f"weapon:{w}"], t, event_id)]
            if new:
                add("NEW_WEAPON", weapons=", ".join(new))
            previous = self._before(rows["theatre"], t, event_id)
            since = max((rows[f"deescalation:{i}"][-1][1] for i in range(plan.deescalations)
                         if rows[f"deescalation:{i}"]), default=0.0)
            in_force = [m for m in previous if float(m.split("|")[2]) >= since]
            if previous:
                prev_max = max((int(m.split("|")[1]) for m in in_force), default=0)
                if event.intensity > prev_max:
                    add("INTENSITY_JUMP", prev=prev_max)
            today = [m for m in previous if float(m.split("|")[2]) >= t - DAY]
            base_rate = len(rows["baseline"]) / s.baseline_days
            count = len(today) + 1
            if count >= s.spike_min_events and count > s.spike_factor * max(base_rate, 1.0):
                add("FREQUENCY_SPIKE", count=count, base=base_rate)
            if event.killed is not None and event.killed >= s.mass_casualty_killed and not event.killed_vague:
                add("MASS_CASUALTY")
        elif event.category == "MOBILIZE" and a1:
            add("MOBILIZATION")
        elif event.category == "THREATEN" and a1:
            add("THREAT")  # a threat by nobody in particular is not worth a warning
        return Decision(reasons, self.severity(event, reasons))

    def severity(self, event: Event, reasons: list[Reason]) -> int:
        """1-5 from the intensity, raised when several escalation signals coincide."""
        if not reasons:
            return 1
        codes = {r.code for r in reasons}
        if codes <= {"MOBILIZATION", "THREAT"}:
            return 2 if "MOBILIZATION" in codes else 1
        i = event.intensity
        level = 1 if i <= 3 else 2 if i <= 5 else 3 if i <= 7 else 4 if i <= 9 else 5
        escalation = codes & {"NEW_DYAD", "INTENSITY_JUMP", "NEW_THEATRE", "NEW_WEAPON", "FREQUENCY_SPIKE"}
        if len(escalation) >= 2 or "MASS_CASUALTY" in codes:
            level += 1
        return min(level, 5)

    def history(self, event_id: str, event: Event, when: dt.datetime) -> list[ZItem]:
        """The writes that add the event to the history it belongs to (idempotent: members
        are event ids)."""
        t = _ts(when)
        country = theatre_country(event)
        if self.recalled(event, when):
            return []  # history: it says nothing about the state of the conflict now
        if event.category == "DEESCALATE":
            # a ceasefire lowers the theatre it is reported in and, wherever it is
            # reported, the conflict between its two sides
            return [(key, event_id, t, self.ttl) for key in self._deescalation_keys(country, event)]
        if event.category not in KINETIC:
            return []
        a1 = event.actor1.code if event.actor1 else None
        a2 = event.actor2.code if event.actor2 else None
        items = [(f"alerting:theatre:{country}", f"{event_id}|{event.intensity}|{t}", t, self.ttl)]
        if a1 and a2:
            items.append((f"alerting:dyad:{a1}>{a2}", event_id, t, self.ttl))
        if a1:
            items.append((f"alerting:actor-theatre:{a1}:{country}", event_id, t, self.ttl))
            items += [(f"alerting:actor-weapon:{a1}:{w}", event_id, t, self.ttl) for w in event.weapons]
        return items

    def record(self, event_id: str, event: Event, when: dt.datetime) -> None:
        """Add the event to its history, in one round trip."""
        self.store.zadd_many(self.history(event_id, event, when))

    # -- output --------------------------------------------------------------------

    def _build(self, report: EventReported, reasons: list[Reason], severity: int, revision: int,
               alert_id: str) -> EscalationAlert:
        event = report.event
        country = theatre_country(event)
        return EscalationAlert(
            alert_id=alert_id,
            revision=revision,
            severity=severity,
            reasons=[r.code for r in reasons],
            reason_details=reasons,
            theatre=Theatre(country=country,
                            admin1=event.location.admin1 if event.location else None),
            event=AlertEvent(event_id=report.event_id, **event.model_dump()),
            sources=report.sources,
            corroboration=report.corroboration,
            summary=summarise(event, country, report),
            first_seen=report.first_seen,
            updated_at=report.updated_at,
            ingested_at=report.ingested_at,
        )


def summarise(event: Event, country: str, report: EventReported) -> str:
    """One English sentence: who did what to whom, where, when, with what cost."""
    what = (event.mode or event.category.lower()).replace("_", " ")
    who = _name(event.actor1) if event.actor1 else "An unidentified actor"
    target = f" against {event.actor2.name}" if event.actor2 else ""
    where = f" near {event.location.name}" if event.location else ""
    when = f" on {event.occurred_on.isoformat()}" if event.occurred_on else ""
    toll = []
    if event.killed:
        toll.append("an unknown number killed" if event.killed_vague else f"{event.killed} killed")
    if event.injured:
        toll.append("an unknown number injured" if event.injured_vague else f"{event.injured} injured")
    cost = f" ({', '.join(toll)})" if toll else ""
    n = report.corroboration.sources
    return (f"{who}: {what}{target}{where} ({country}){when}{cost}; "
            f"reported by {n} source{'s' if n != 1 else ''}.")
