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
from services.runtime.store import Store

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
        if report.revision == 1:
            self.record(report.event_id, report.event, report.first_seen)

    def handle(self, report: EventReported) -> list[EscalationAlert]:
        """Observe and decide at once (the offline pipeline: one process, in order)."""
        self.observe(report)
        return self.process(report)

    def process(self, report: EventReported) -> list[EscalationAlert]:
        key = f"alerting:cluster:{report.event_id}"
        stored = self.store.get(key)
        if stored is None:
            return self._first_report(key, report)
        record = json.loads(stored)
        alert = EscalationAlert.model_validate(record["alert"]) if record.get("alert") else None
        if report.revision < record["revision"]:
            return []  # an older report than the one already applied
        if report.revision == record["revision"]:
            return [alert] if alert else []  # redelivery: say the same thing again
        if alert is None:
            record["revision"] = report.revision
            self.store.set(key, json.dumps(record), self.ttl)
            return []
        updated = self._build(report, alert.reason_details, alert.severity, alert.revision + 1,
                              alert.alert_id)
        self.store.set(key, json.dumps({"revision": report.revision,
                                        "alert": updated.model_dump(mode="json")}), self.ttl)
        return [updated]

    # -- decision ------------------------------------------------------------------

    def _first_report(self, key: str, report: EventReported) -> list[EscalationAlert]:
        event = report.event
        decision = self.evaluate(report.event_id, event, report.first_seen)
        self.record(report.event_id, event, report.first_seen)
        warmup = self.settings.warmup_until
        alert = None
        if decision.reasons and not (warmup and report.first_seen < warmup):
            alert = self._build(report, decision.reasons, decision.severity, 1,
                                "al-" + hashlib.sha1(report.event_id.encode()).hexdigest()[:16])
        self.store.set(key, json.dumps({
            "revision": report.revision,
            "alert": alert.model_dump(mode="json") if alert else None,
        }), self.ttl)
        return [alert] if alert else []

    def _window(self, key: str, t: float, event_id: str, span: float | None = None) -> list[str]:
        """Members of ``key`` in [t - span, t], leaving out ``event_id`` itself and, of the
        events at exactly ``t``, those whose id sorts after it (a fixed order for ties)."""
        rows = self.store.zrange_by_score(key, t - (span or self.lookback), t + 1e-6)
        out = []
        for m, score in rows:
            member_id = m.split("|", 1)[0]
            if member_id == event_id or (abs(score - t) <= 1e-6 and member_id > event_id):
                continue
            out.append(m)
        return out

    def evaluate(self, event_id: str, event: Event, when: dt.datetime) -> Decision:
        t = _ts(when)
        s = self.settings
        country = theatre_country(event)
        a1 = event.actor1.code if event.actor1 else None
        a2 = event.actor2.code if event.actor2 else None
        fmt = dict(a1=_name(event.actor1), a2=_name(event.actor2), country=country,
                   days=s.lookback_days, intensity=event.intensity, killed=event.killed,
                   mode=event.mode)
        reasons: list[Reason] = []

        def add(code: str, **extra) -> None:
            reasons.append(Reason(code=code, text=REASON_TEXT[code].format(**{**fmt, **extra})))

        if event.category in KINETIC:
            if a1 and a2 and not self._window(f"alerting:dyad:{a1}>{a2}", t, event_id):
                add("NEW_DYAD")
            if a1 and not self._window(f"alerting:actor-theatre:{a1}:{country}", t, event_id):
                add("NEW_THEATRE")
            if a1 and event.weapons:
                new = [w for w in event.weapons
                       if not self._window(f"alerting:actor-weapon:{a1}:{w}", t, event_id)]
                if new:
                    add("NEW_WEAPON", weapons=", ".join(new))
            previous = self._window(f"alerting:theatre:{country}", t, event_id)
            since = self._last_deescalation(country, t, event)
            in_force = [m for m in previous if float(m.split("|")[2]) >= since]
            if previous:
                prev_max = max((int(m.split("|")[1]) for m in in_force), default=0)
                if event.intensity > prev_max:
                    add("INTENSITY_JUMP", prev=prev_max)
            today = [m for m in previous if float(m.split("|")[2]) >= t - DAY]
            baseline = self.store.zrange_by_score(
                f"alerting:theatre:{country}", t - DAY - s.baseline_days * DAY, t - DAY)
            base_rate = len(baseline) / s.baseline_days
            count = len(today) + 1
            if count >= s.spike_min_events and count > s.spike_factor * max(base_rate, 1.0):
                add("FREQUENCY_SPIKE", count=count, base=base_rate)
            if event.killed is not None and event.killed >= s.mass_casualty_killed:
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

    def _last_deescalation(self, country: str, t: float, event: Event) -> float:
        """When the theatre, or the two sides of ``event``, last de-escalated (0: not in the window)."""
        keys = [f"alerting:deescalation:{country}"]
        pair = _pair(event)
        if pair:
            keys.append(f"alerting:deescalation-pair:{pair}")
        last = 0.0
        for key in keys:
            rows = self.store.zrange_by_score(key, t - self.lookback, t)
            if rows:
                last = max(last, rows[-1][1])
        return last

    def record(self, event_id: str, event: Event, when: dt.datetime) -> None:
        """Add the event to the history it belongs to (idempotent: members are event ids)."""
        t = _ts(when)
        country = theatre_country(event)
        if event.category == "DEESCALATE":
            # a ceasefire lowers the theatre it is reported in and, wherever it is
            # reported, the conflict between its two sides
            self.store.zadd(f"alerting:deescalation:{country}", event_id, t, self.ttl)
            pair = _pair(event)
            if pair:
                self.store.zadd(f"alerting:deescalation-pair:{pair}", event_id, t, self.ttl)
            return
        if event.category not in KINETIC:
            return
        a1 = event.actor1.code if event.actor1 else None
        a2 = event.actor2.code if event.actor2 else None
        self.store.zadd(f"alerting:theatre:{country}", f"{event_id}|{event.intensity}|{t}", t, self.ttl)
        if a1 and a2:
            self.store.zadd(f"alerting:dyad:{a1}>{a2}", event_id, t, self.ttl)
        if a1:
            self.store.zadd(f"alerting:actor-theatre:{a1}:{country}", event_id, t, self.ttl)
            for weapon in event.weapons:
                self.store.zadd(f"alerting:actor-weapon:{a1}:{weapon}", event_id, t, self.ttl)

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
        toll.append(f"{event.killed} killed")
    if event.injured:
        toll.append(f"{event.injured} injured")
    cost = f" ({', '.join(toll)})" if toll else ""
    n = report.corroboration.sources
    return (f"{who}: {what}{target}{where} ({country}){when}{cost}; "
            f"reported by {n} source{'s' if n != 1 else ''}.")
