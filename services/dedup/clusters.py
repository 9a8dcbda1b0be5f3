"""Event clusters: which reports tell the same real-world event, and what they say together.

Pure functions, no I/O. A report is summarised into a small record (category,
mode group, the two sides, place, day); a new report joins the cluster whose
members it is most compatible with, or opens a new one.

Compatible means: the same category; the same mode group where both name one;
the same side where both name it (states compare by country: "the United
States" and "US forces" are one side); dates at most one day apart; and the
same place: the same GeoNames place or two places within ``max_km``, or, when
one report only names the province or country, the same province or country.
Being compatible is not enough: a report must also agree positively on where
(the same town, or the same province plus a named side) or on who (both sides
named and equal). Two strikes on the same day in two towns of one province
stay apart; an Arabic and an English report of one strike come together.

A cluster is known by one summary, its first report's, completed by later
reports (sides, mode and a more precise place it did not have): see ``fill``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from schemas import Actor, Event
from services.extraction.gazetteer import km

_MODE_GROUP = {
    "air_strike": "air", "drone_strike": "air", "missile_strike": "air",
    "rocket_attack": "indirect", "shelling": "indirect",
}
_VAGUE_MODES = {"", "other"}
#: places told by a point: a town, or a district (at its seat; a town in it lies within ``max_km``)
_POINTS = frozenset({"city", "district"})
#: score a candidate needs: a shared town (3), a shared province and side (1 + 2), an
#: attacker and the kind of attack (2 + 1), or both sides named and equal (2 + 2)
MIN_SCORE = 3


def theatre_country(event: Event) -> str:
    """The country whose conflict an event belongs to: where it happened, else its target's."""
    for candidate in (
        event.location.country if event.location else None,
        event.actor2.country if event.actor2 else None,
        event.actor1.country if event.actor1 else None,
    ):
        if candidate:
            return candidate
    return "XX"


def party(actor: Actor | None) -> str:
    """Actors compare by state where they have one: reports name the US strike as "the
    United States" or "US forces"; armed groups compare by their own code. Civilians and
    unknown actors name no side: "" (compatible with any)."""
    if actor is None or actor.kind in ("civilians", "unknown"):
        return ""
    if actor.kind in ("state_forces", "government") and actor.country:
        return actor.country
    return actor.code


def mode_group(mode: str | None) -> str:
    mode = mode or ""
    return "" if mode in _VAGUE_MODES else _MODE_GROUP.get(mode, mode)


def event_day(event: Event, published: dt.datetime) -> dt.date:
    return event.occurred_on or published.date()


def summary(event: Event, published: dt.datetime) -> dict:
    """The fields clustering compares, small enough to keep per member in Redis."""
    loc = event.location
    day = event_day(event, published)
    return {
        "c": event.category,
        "m": mode_group(event.mode),
        "a1": party(event.actor1),
        "a2": party(event.actor2),
        "g": loc.geonameid if loc else None,
        "lat": loc.lat if loc else None,
        "lon": loc.lon if loc else None,
        "ad": loc.admin1 if loc else None,
        "co": (loc.country if loc else None) or theatre_country(event),
        "p": loc.precision if loc else "none",
        "d": day.isoformat(),
        "n": day.toordinal(),  # the day again, as a number to compare
    }


def score(new: dict, old: dict, max_km: float = 30.0) -> int | None:
    """How well a new report fits a cluster member; None when they cannot be one event.
    The place counts 3 for the same town or district (the same GeoNames place or two within
    ``max_km``), 1 for the same province, 0 when either tells neither."""
    if new["c"] != old["c"] or abs(new["n"] - old["n"]) > 1:
        return None
    total = 0
    if (mode := new["m"]) and old["m"]:
        if mode != old["m"]:
            return None
        total = 1  # the same kind of attack
    sides = False  # a side named by both
    if (side := new["a1"]) and old["a1"]:
        if side != old["a1"]:
            return None
        total, sides = total + 2, True
    if (side := new["a2"]) and old["a2"]:
        if side != old["a2"]:
            return None
        total, sides = total + 2, True
    # the place (inline: this runs for every candidate of every report)
    a, b = new["co"], old["co"]
    if a and b and a != b and a != "XX" and b != "XX":
        return None
    if new["p"] in _POINTS and old["p"] in _POINTS:
        same = new["g"] is not None and new["g"] == old["g"]  # the same GeoNames place, else within max_km
        if not same and (None in (new["lat"], new["lon"], old["lat"], old["lon"])
                         or km(new["lat"], new["lon"], old["lat"], old["lon"]) > max_km):
            return None
        total += 3
    elif (a := new["ad"]) and (b := old["ad"]):
        if a != b or not sides:
            return None  # another province; or a province (and a kind of attack) alone does not make one event
        total += 1
    return total if total >= MIN_SCORE else None


_PRECISION = {"city": 4, "district": 3, "admin1": 2, "country": 1, "none": 0}


def fill(old: dict, new: dict) -> dict:
    """A cluster's summary after another report joined it: sides and mode the cluster
    did not know yet, and a more precise place, come from the new report."""
    out = dict(old)
    for key in ("m", "a1", "a2"):
        if not out[key] and new[key]:
            out[key] = new[key]
    if _PRECISION.get(new["p"], 0) > _PRECISION.get(old["p"], 0):
        out.update({k: new[k] for k in ("g", "lat", "lon", "ad", "co", "p")})
    return out


def best_cluster(new: dict, members: Iterable[tuple[str, dict]], max_km: float = 30.0) -> str | None:
    """The cluster whose members fit ``new`` best (ties: the smallest id), or None."""
    best: tuple[int, str] | None = None
    mode = new["m"]
    for cid, old in members:
        if mode and old["m"] and old["m"] != mode:
            continue  # (score's own first refusal, without the call: it is most candidates')
        s = score(new, old, max_km)
        if s is not None and (best is None or (-s, cid) < (-best[0], best[1])):
            best = (s, cid)
    return best[1] if best else None


class _Votes:
    """One field's votes, in report order: per distinct key its count, and its best
    occurrence (the first with the highest ``prefer``) with that occurrence's index;
    and the leader, kept as votes come in (an entry's rank only ever rises, so the
    leader after a vote is the former leader or the entry just voted for)."""

    __slots__ = ("key", "leader", "prefer", "tally")

    def __init__(self, key=None, prefer=None) -> None:
        self.key, self.prefer = key, prefer
        self.tally: dict = {}  # key -> [count, best index, best value]
        self.leader: list | None = None

    def _rank(self, entry: list) -> tuple:
        """The most votes; then ``prefer``'s maximum when given; then the earliest report."""
        if self.prefer:
            return entry[0], self.prefer(entry[2]), -entry[1]
        return entry[0], -entry[1]

    def add(self, value, index: int) -> None:
        if value is None:
            return
        k = self.key(value) if self.key else value
        entry = self.tally.get(k)
        if entry is None:
            entry = self.tally[k] = [1, index, value]
        else:
            entry[0] += 1
            if self.prefer and self.prefer(value) > self.prefer(entry[2]):
                entry[1], entry[2] = index, value
        leader = self.leader
        # fewer votes never lead: the ranks are compared only between equal counts
        if leader is None or (entry is not leader and entry[0] >= leader[0]
                              and self._rank(entry) > self._rank(leader)):
            self.leader = entry

    def winner(self):
        """The value most reports give; ties go to ``prefer``'s maximum when given, else
        (and between equals) to the earliest report."""
        return None if self.leader is None else self.leader[2]


def _location_key(loc):
    return (loc.geonameid, loc.name)


def _location_precision(loc) -> int:
    return _PRECISION.get(loc.precision, 0)


def _actor_code(actor: Actor) -> str:
    return actor.code


def _same(v):
    return v


class Tally:
    """The merge of a cluster's reports, kept up to date one report at a time: each
    field the value most reports give; counts tied between reports take the higher
    figure; weapons and named systems are the union; intensity the highest; the wording
    (evidence, attribution) is the first report's. ``merged()`` after ``add`` of each
    report is ``merge`` of all of them, without going over the earlier ones again."""

    def __init__(self) -> None:
        self.first: Event | None = None
        self.count = 0
        self._votes = {"category": _Votes(), "mode": _Votes(), "actor1": _Votes(_actor_code),
                       "actor2": _Votes(_actor_code), "location": _Votes(_location_key, _location_precision),
                       "occurred_on": _Votes(), "occurred_until": _Votes(), "killed": _Votes(prefer=_same),
                       "injured": _Votes(prefer=_same),
                       "missile_range": _Votes()}
        self._weapons: set[str] = set()
        self._systems: set[str] = set()
        self._intensity = 0
        # the counts some report gave as a number, not as an unknown plural ("several")
        self._reported_killed: set[int] = set()
        self._reported_injured: set[int] = set()

    def add(self, e: Event) -> None:
        i, votes = self.count, self._votes
        self.count += 1
        if self.first is None:
            self.first = e
        votes["category"].add(e.category, i)
        votes["mode"].add(e.mode if mode_group(e.mode) else None, i)
        votes["actor1"].add(e.actor1 if e.actor1 is not None and party(e.actor1) else None, i)
        votes["actor2"].add(e.actor2 if e.actor2 is not None and party(e.actor2) else None, i)
        votes["location"].add(e.location, i)
        votes["occurred_on"].add(e.occurred_on, i)
        votes["occurred_until"].add(e.occurred_until, i)
        votes["killed"].add(e.killed, i)
        votes["injured"].add(e.injured, i)
        if e.killed is not None and not e.killed_vague:
            self._reported_killed.add(e.killed)
        if e.injured is not None and not e.injured_vague:
            self._reported_injured.add(e.injured)
        votes["missile_range"].add(e.missile_range, i)
        self._weapons.update(e.weapons)
        self._systems.update(e.systems)
        self._intensity = max(self._intensity, e.intensity)

    def merged(self) -> Event:
        base = self.first
        if base is None:
            raise ValueError("no reports to merge")
        update = {name: v.winner() for name, v in self._votes.items()}
        update["mode"] = update["mode"] or base.mode
        update["actor1"] = update["actor1"] or base.actor1
        update["actor2"] = update["actor2"] or base.actor2
        update.update(weapons=sorted(self._weapons), systems=sorted(self._systems), intensity=self._intensity,
                      killed_vague=update["killed"] is not None and update["killed"] not in self._reported_killed,
                      injured_vague=update["injured"] is not None and update["injured"] not in self._reported_injured)
        return base.model_copy(update=update)  # shallow: every field here is replaced, not changed in place


def merge(events: list[Event]) -> Event:
    """One event from the reports of a cluster (in report order): see :class:`Tally`."""
    tally = Tally()
    for e in events:
        tally.add(e)
    return tally.merged()
