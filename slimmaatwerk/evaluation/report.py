"""The evaluation result: one JSON document (with the commit and the exact command) and its README table.

``build_result`` turns the per-case records of the runner into the metrics of DESIGN.md;
``render_table`` renders the README markdown from a *committed* JSON result, so the published table is
always the one a recorded command produced.
"""

from __future__ import annotations

import json
import platform
import shlex
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from .metrics import (
    DEFAULT_DELAY_H,
    TARGET_ALERT_DAYS,
    TARGET_DELAY_H,
    TARGET_EPISODES,
    TARGET_RECALL,
    Detection,
    alert_dates,
    detect,
    false_alarm_rates,
    indicator_counts,
    recall_table,
    target_check,
)
from .protocol import CONDITIONS, TYPES, Config

SCHEMA = "slimmaatwerk.evaluation/1"
ANOMALY_TEXT = {
    "A1": "no kitchen activity, 1 day", "A3": "no kitchen activity, 3 days", "B": "wake-up 2 h later, 3 days",
    "C": "+3 night toilet visits, 3 nights", "D": "activity -50 %, 3 days", "E": "no movement 4 h, daytime",
    "F": "front door at ~03:00", "G": "activity -2 %/day, 28 days", "H": "no exterior door use, 5 days",
    "I": "no showers, 4 days", "J": "+5 night motion bursts, 3 nights", "K": "bedtime 2 h later, 3 days",
    "S": "a sensor dies",
}


def git_commit(cwd: Path | None = None) -> dict[str, Any]:
    """``git rev-parse HEAD`` and whether the tree had local changes; None values when git is absent."""
    def run(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=20, check=False)
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    head = run("rev-parse", "HEAD")
    status = run("status", "--porcelain", "--untracked-files=no") if head else None
    return {"commit": head, "dirty": bool(status) if status is not None else None}


def command_line(argv: list[str] | None = None) -> str:
    """The exact command, as ``slimmaatwerk <args>``."""
    args = sys.argv[1:] if argv is None else argv
    return shlex.join(["slimmaatwerk", *args])


def _in_absence(day: str, absences: list[list[str]]) -> bool:
    d = date.fromisoformat(day)
    return any(datetime.fromisoformat(a).date() <= d <= datetime.fromisoformat(b).date() for a, b in absences)


def summarise(results: list[dict[str, Any]]) -> dict[str, Any]:
    """The metrics over all case records (see ``metrics``)."""
    detections: list[Detection] = []
    missed: list[dict[str, Any]] = []
    for r in results:
        if r["case"]["condition"] != "injected":
            continue
        for truth in r["truth"]:
            d = detect(r["alerts"], truth)
            detections.append(d)
            r["detection"] = d.to_dict()
            if not d.detected:
                missed.append({"case": r["case"]["key"], "type": d.type, "any_alarm": d.any_alarm})
    fa = [r for r in results if r["case"]["condition"] != "injected"]
    streams = [(alert_dates(r["alerts"]), r["scored_days"]) for r in fa]
    by_condition = {c: false_alarm_rates([(alert_dates(r["alerts"]), r["scored_days"]) for r in fa
                                          if r["case"]["condition"] == c]) for c in CONDITIONS}
    all_fa_alerts = [a for r in fa for a in r["alerts"]]
    visitor_hits = sum(len(alert_dates(r["alerts"]) & {date.fromisoformat(d) for d in r["visitor_dates"]})
                       for r in fa if r["case"]["condition"] == "visitors")
    visitor_days = sum(len(r["visitor_dates"]) for r in fa if r["case"]["condition"] == "visitors")
    absence_hits = sum(1 for r in fa if r["case"]["condition"] == "absence"
                       for d in alert_dates(r["alerts"]) if _in_absence(d.isoformat(), r["absences"]))
    recall = recall_table(detections, TYPES)
    false_alarms = false_alarm_rates(streams)
    false_alarms["by_condition"] = by_condition
    false_alarms["by_indicator_alert_days"] = indicator_counts(all_fa_alerts)
    false_alarms["visitor_days"] = {"days": visitor_days, "alert_days_on_them": visitor_hits}
    false_alarms["absence_alert_days_during_announced_absence"] = absence_hits
    named = [d for d in detections]
    return {
        "recall": recall,
        "overall": {"injected": len(named), "detected": sum(d.detected for d in named),
                    "recall": round(sum(d.detected for d in named) / len(named), 3) if named else None},
        "false_alarms": false_alarms,
        "targets": target_check(recall, false_alarms),
        "missed": missed,
    }


def build_result(config: Config, results: list[dict[str, Any]], *, command: str, elapsed_s: float,
                 jobs: int, cwd: Path | None = None) -> dict[str, Any]:
    """The whole JSON document."""
    metrics = summarise(results)
    return {
        "schema": SCHEMA,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": command,
        "git": git_commit(cwd),
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "jobs": jobs},
        "elapsed_s": round(elapsed_s, 1),
        "protocol": config.to_dict(),
        "targets": {"recall": TARGET_RECALL, "episodes_per_resident_month": TARGET_EPISODES,
                    "alert_days_per_resident_month": TARGET_ALERT_DAYS,
                    "median_delay_h": {**{t: DEFAULT_DELAY_H for t in TYPES}, **TARGET_DELAY_H}},
        "metrics": metrics,
        "cases": [{k: v for k, v in r.items() if k != "devices"} for r in results],
    }


def write_result(result: dict[str, Any], path: Path) -> None:
    """Write the JSON atomically (a temporary file, then a rename)."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)


def _fmt(x: float | None, digits: int = 2) -> str:
    return "–" if x is None else f"{x:.{digits}f}"


def _delay(h: float | None) -> str:
    if h is None:
        return "–"
    return f"{h * 60:.0f} min" if h < 2 else f"{h:.1f} h"


def render_table(result: dict[str, Any]) -> str:
    """The README markdown for a committed result JSON."""
    m = result["metrics"]
    p = result["protocol"]
    fa = m["false_alarms"]
    commit = (result["git"].get("commit") or "unknown")[:10]
    dirty = " (with uncommitted changes)" if result["git"].get("dirty") else ""
    lines = [
        (f"Measured with `{result['command']}` at commit `{commit}`{dirty}: "
         f"{len(p['seeds'])} seed(s), {p['homes']} simulated residents per seed, {p['days']} days each, "
         f"strict online replay after {p['learn_days']} learning days; {m['overall']['injected']} injected "
         f"anomalies and {fa['residents']} false-alarm streams ({fa['resident_months']} resident-months)."),
        "",
        "| type | anomaly | n | named recall | median delay | p90 delay | found by |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for kind in p["types"]:
        row = m["recall"][kind]
        found = ", ".join(f"{k} {v}" for k, v in row["indicators"].items()) or "–"
        lines.append(f"| {kind} | {ANOMALY_TEXT.get(kind, '')} | {row['n']} | {_fmt(row['recall'])} | "
                     f"{_delay(row['delay_h']['median'])} | {_delay(row['delay_h']['p90'])} | {found} |")
    lines += [
        "",
        "| false alarms (amber + red), per resident-month | mean | 90th-percentile resident |",
        "|---|---:|---:|",
        f"| episodes (all no-alert conditions) | {_fmt(fa['episodes']['mean'])} | {_fmt(fa['episodes']['p90'])} |",
        f"| alert-days (all no-alert conditions) | {_fmt(fa['alert_days']['mean'])} | {_fmt(fa['alert_days']['p90'])} |",
    ]
    for cond, row in fa["by_condition"].items():
        if row["residents"]:
            lines.append(f"| episodes / alert-days: {cond} ({row['residents']} residents) | "
                         f"{_fmt(row['episodes']['mean'])} / {_fmt(row['alert_days']['mean'])} | "
                         f"{_fmt(row['episodes']['p90'])} / {_fmt(row['alert_days']['p90'])} |")
    t = m["targets"]
    short = [k for k, v in t["types"].items() if not v["recall"]]
    lines += [
        "",
        f"Targets (recall ≥ {TARGET_RECALL} per type, ≤ {TARGET_EPISODES:g} episode and ≤ {TARGET_ALERT_DAYS:g} "
        f"alert-days per resident-month): false-alarm episodes {'met' if t['episodes'] else 'NOT met'}, "
        f"alert-days {'met' if t['alert_days'] else 'NOT met'}, recall "
        + ("met on every type." if not short else f"NOT met for {', '.join(short)}."),
    ]
    return "\n".join(lines) + "\n"


def load_result(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("schema") != SCHEMA:
        raise ValueError(f"{path}: not an evaluation result ({SCHEMA})")
    return data
