"""Alerting accuracy: scenario timelines with the alerts they should (and should not) raise.

A scenario is a folder:

* ``articles.jsonl``: the timeline, article JSON lines as ``raqib pipeline`` reads them;
* ``expected.jsonl``: one expectation per line (below);
* ``scenario.json`` (optional): ``description``, ``warmup_until`` (ISO 8601: state is
  built from the articles before it without alerting) and ``ignore_below`` (alerts
  below this severity that no expectation names are not counted against precision;
  default 1, every alert counts).

An expectation names the alert by an ``article`` among the alert's sources, optionally
narrowed by ``category`` and ``mode``, and says:

* ``reasons``: the reasons it must carry; ``also``: reasons it may carry besides;
* ``min_severity`` / ``max_severity``; on its last revision ``revision``, ``sources``
  and ``languages`` (counts), ``theatre`` (country) and ``actor1_country``;
* or ``absent: true``: no alert (at or above ``ignore_below``) tells of that article.

Scoring per reason: a reason of a matched alert is a true positive when the
expectation requires it, neutral when it allows it, else a false positive; a
required reason the alert lacks, or an expected alert not raised, is a false
negative; every reason of an alert no expectation matches (at or above
``ignore_below``) is a false positive. The other conditions are checks, listed
when they fail.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from schemas import EscalationAlert
from services.evaluate.extraction import Binary
from services.runtime.errors import InputError
from services.runtime.settings import Settings

REASONS = ("NEW_DYAD", "INTENSITY_JUMP", "NEW_THEATRE", "NEW_WEAPON", "FREQUENCY_SPIKE", "MASS_CASUALTY",
           "MOBILIZATION", "THREAT")


def bundled_scenarios() -> Path:
    return Path(str(resources.files("services.data") / "scenarios"))


@dataclass
class ScenarioResult:
    name: str
    alerts: int  # distinct alerts raised (after warm-up)
    failures: list[str] = field(default_factory=list)


@dataclass
class AlertsReport:
    reasons: dict[str, Binary]
    scenarios: list[ScenarioResult]

    @property
    def checks_failed(self) -> int:
        return sum(len(s.failures) for s in self.scenarios)

    def as_json(self) -> dict:
        total = Binary()
        for b in self.reasons.values():
            total.tp, total.fp, total.fn = total.tp + b.tp, total.fp + b.fp, total.fn + b.fn
        return {
            "reasons": {code: b.scores() for code, b in self.reasons.items()},
            "all_reasons": total.scores(),
            "scenarios": [{"name": s.name, "alerts": s.alerts, "failures": s.failures} for s in self.scenarios],
            "checks_failed": self.checks_failed,
        }


def _load_jsonl(path: Path) -> list[dict]:
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{n}: not JSON ({exc.msg})") from None
    return out


def run_scenario(folder: Path, settings: Settings) -> list[EscalationAlert]:
    """Every alert revision the scenario's timeline raises through the offline pipeline."""
    from services.pipeline import Pipeline

    meta = _meta(folder)
    settings = settings.model_copy(deep=True)
    if meta.get("warmup_until"):
        settings.alerting.warmup_until = dt.datetime.fromisoformat(meta["warmup_until"])
    return [m for m in Pipeline(settings).run_file(folder / "articles.jsonl") if m.type == "alert"]


def _meta(folder: Path) -> dict:
    path = folder / "scenario.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _matches(expectation: dict, alert: EscalationAlert) -> bool:
    if expectation["article"] not in {s.article_id for s in alert.sources}:
        return False
    return all(expectation.get(k) in (None, getattr(alert.event, k)) for k in ("category", "mode"))


def score_scenario(folder: Path, alerts: list[EscalationAlert], reasons: dict[str, Binary]) -> ScenarioResult:
    meta = _meta(folder)
    ignore_below = int(meta.get("ignore_below", 1))
    latest: dict[str, EscalationAlert] = {}
    for a in alerts:
        if a.alert_id not in latest or a.revision > latest[a.alert_id].revision:
            latest[a.alert_id] = a
    result = ScenarioResult(folder.name, len(latest))
    matched: set[str] = set()
    for n, e in enumerate(_load_jsonl(folder / "expected.jsonl"), 1):
        label = f"expectation {n} ({e.get('article')})"
        hits = [a for a in latest.values() if _matches(e, a)]
        if e.get("absent"):
            loud = [a for a in hits if a.severity >= ignore_below]
            matched.update(a.alert_id for a in hits)
            if loud:
                result.failures.append(f"{label}: expected no alert, got {loud[0].reasons} "
                                       f"severity {loud[0].severity}")
                for r in loud[0].reasons:
                    reasons[r].fp += 1
            continue
        required, allowed = set(e.get("reasons", [])), set(e.get("also", []))
        if not hits:
            result.failures.append(f"{label}: no alert raised (expected {sorted(required)})")
            for r in required:
                reasons[r].fn += 1
            continue
        alert = max(hits, key=lambda a: (len(set(a.reasons) & required), a.severity))
        matched.add(alert.alert_id)
        got = set(alert.reasons)
        for r in got:
            if r in required:
                reasons[r].tp += 1
            elif r not in allowed:
                reasons[r].fp += 1
        for r in required - got:
            reasons[r].fn += 1
        if required - got or got - required - allowed:
            result.failures.append(f"{label}: reasons {sorted(got)}, expected {sorted(required)}"
                                   + (f" (+ allowed {sorted(allowed)})" if allowed else ""))
        result.failures += [f"{label}: {m}" for m in _checks(e, alert)]
    for a in latest.values():
        if a.alert_id not in matched and a.severity >= ignore_below:
            result.failures.append(f"unexpected alert {a.reasons} severity {a.severity}: {a.summary}")
            for r in a.reasons:
                reasons[r].fp += 1
    return result


def _checks(e: dict, alert: EscalationAlert) -> list[str]:
    out = []
    if "min_severity" in e and alert.severity < e["min_severity"]:
        out.append(f"severity {alert.severity} < {e['min_severity']}")
    if "max_severity" in e and alert.severity > e["max_severity"]:
        out.append(f"severity {alert.severity} > {e['max_severity']}")
    got = {"revision": alert.revision, "sources": alert.corroboration.sources,
           "languages": len(alert.corroboration.languages), "theatre": alert.theatre.country,
           "actor1_country": alert.event.actor1.country if alert.event.actor1 else None}
    out += [f"{k} {got[k]!r}, expected {e[k]!r}" for k in got if k in e and got[k] != e[k]]
    return out


def scenario_folders(root: Path) -> list[Path]:
    if (root / "articles.jsonl").exists():
        return [root]
    folders = sorted(p.parent for p in root.glob("*/articles.jsonl"))
    if not folders:
        raise InputError(f"{root}: no scenario folders (each needs articles.jsonl and expected.jsonl)")
    for f in folders:
        if not (f / "expected.jsonl").exists():
            raise InputError(f"{f}: expected.jsonl is missing")
    return folders


def evaluate_alerts(root: Path, settings: Settings) -> AlertsReport:
    reasons = {code: Binary() for code in REASONS}
    results = [score_scenario(f, run_scenario(f, settings), reasons) for f in scenario_folders(root)]
    return AlertsReport(reasons, results)
