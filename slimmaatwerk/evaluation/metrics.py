"""The metrics of DESIGN.md, as pure functions of ALERT dicts and ground truth.

Only ``amber`` and ``red`` alerts count (``info`` counts neither for recall nor as a false alarm).

* **Recall per type, with the right indicator named**: an injected anomaly is detected when an amber/red
  alert whose ``indicator`` is one of the type's expected indicators is raised between the anomaly's
  start and its deadline, for a date on or after the first affected date. Deadlines (DESIGN.md):
  the end (04:00) of the day after the last affected date; G within its 28 days; E while the gap lasts;
  F within 15 minutes of the door opening; S within the device's report interval + 1 hour, and S also
  needs *no* activity alert that relies on the dead sensor afterwards.
* **Delay**: ``raised_at`` - start (for E the start of the silence), median and 90th percentile.
* **False-alarm episodes per resident-month** on streams without injections: consecutive alert days
  form one episode, and an episode longer than 7 days counts once per started week; the mean and the
  90th-percentile resident. **Alert-days per resident-month** likewise.

Ground truth is a dict with ``type``, ``start``/``end`` (ISO 8601 with offset), ``dates`` (ISO dates of
the affected alert dates), ``indicators`` and, for S, ``device`` and ``report_interval_s``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np

from ..localtime import TZ

ALARM_SEVERITIES = frozenset({"amber", "red"})
MONTH_DAYS = 365.25 / 12
F_DEADLINE = timedelta(minutes=15)
S_GRACE = timedelta(hours=1)


def is_alarm(alert: dict[str, Any]) -> bool:
    """Amber or red: the alerts that count."""
    return alert.get("severity") in ALARM_SEVERITIES


def _ts(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _day_end(d: date) -> datetime:
    """04:00 local on the morning after the 04:00-04:00 day ``d``."""
    return datetime.combine(d + timedelta(days=1), time(4), tzinfo=TZ)


def deadline(truth: dict[str, Any]) -> datetime:
    """The latest ``raised_at`` that still counts as detecting ``truth`` (see the module docstring)."""
    kind = truth["type"]
    start = _ts(truth["start"])
    last = date.fromisoformat(truth["dates"][-1]) if truth["dates"] else start.date()
    if kind == "E":
        return _ts(truth["end"])
    if kind == "F":
        return start + F_DEADLINE
    if kind == "S":
        return start + timedelta(seconds=int(truth["report_interval_s"])) + S_GRACE
    if kind == "G":
        return _day_end(last)
    return _day_end(last + timedelta(days=1))


@dataclass(frozen=True)
class Detection:
    """How one injected anomaly fared."""

    type: str
    detected: bool  # named indicator in time (and, for S, no activity alert on the dead sensor)
    indicator: str | None  # the first named indicator in time
    delay_h: float | None  # raised_at - start of that alert, in hours
    any_alarm: bool  # any amber/red alert in the window, named or not (diagnostic only)
    blamed_dead_sensor: int  # S: activity alerts that relied on the dead sensor after it died

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, "detected": self.detected, "indicator": self.indicator,
                "delay_h": None if self.delay_h is None else round(self.delay_h, 4),
                "any_alarm": self.any_alarm, "blamed_dead_sensor": self.blamed_dead_sensor}


def detect(alerts: Sequence[dict[str, Any]], truth: dict[str, Any]) -> Detection:
    """Judge one injected anomaly against the alerts of its stream."""
    start, end = _ts(truth["start"]), deadline(truth)
    first_date = date.fromisoformat(truth["dates"][0]).isoformat() if truth["dates"] else "0000-00-00"
    wanted = set(truth["indicators"])
    in_window = [a for a in alerts if is_alarm(a) and start <= _ts(a["raised_at"]) <= end
                 and a["date"] >= first_date]
    named = sorted((a for a in in_window if a["indicator"] in wanted), key=lambda a: _ts(a["raised_at"]))
    blamed = 0
    if truth["type"] == "S":
        device = truth.get("device")
        blamed = sum(
            1 for a in alerts
            if is_alarm(a) and a["indicator"] != "sensor_offline" and _ts(a["raised_at"]) >= start
            and any(s.get("device") == device for s in a.get("sensors", ()))
        )
    hit = named[0] if named else None
    delay = (_ts(hit["raised_at"]) - start).total_seconds() / 3600 if hit else None
    return Detection(truth["type"], hit is not None and blamed == 0, hit["indicator"] if hit else None,
                     delay, bool(in_window), blamed)


def alert_dates(alerts: Iterable[dict[str, Any]]) -> set[date]:
    """The distinct dates of amber/red alerts."""
    return {date.fromisoformat(a["date"]) for a in alerts if is_alarm(a)}


def episodes(dates: Iterable[date]) -> int:
    """Runs of consecutive alert days, each counted once per started week (8 days count twice)."""
    ordered = sorted(set(dates))
    count, run = 0, 0
    for i, d in enumerate(ordered):
        run = run + 1 if i and (d - ordered[i - 1]).days == 1 else 1
        if run % 7 == 1:  # day 1, 8, 15, ... of a run starts a new week
            count += 1
    return count


def _quantile(values: Sequence[float], q: float) -> float | None:
    return float(np.quantile(np.asarray(values, dtype=float), q)) if len(values) else None


def _round(x: float | None, digits: int = 3) -> float | None:
    return None if x is None or not math.isfinite(x) else round(x, digits)


def false_alarm_rates(streams: Sequence[tuple[set[date], int]]) -> dict[str, Any]:
    """Per resident-month rates over streams given as (alert dates, scored days)."""
    if not streams:
        return {"residents": 0, "resident_months": 0.0, "episodes": {"mean": None, "p90": None, "total": 0},
                "alert_days": {"mean": None, "p90": None, "total": 0}}
    months = [max(days, 1) / MONTH_DAYS for _, days in streams]
    eps = [episodes(d) for d, _ in streams]
    adays = [len(d) for d, _ in streams]
    ep_rate = [e / m for e, m in zip(eps, months, strict=True)]
    ad_rate = [a / m for a, m in zip(adays, months, strict=True)]
    return {
        "residents": len(streams),
        "resident_months": _round(sum(months), 2),
        "episodes": {"mean": _round(float(np.mean(ep_rate))), "p90": _round(_quantile(ep_rate, 0.9)),
                     "total": int(sum(eps)), "pooled": _round(sum(eps) / sum(months))},
        "alert_days": {"mean": _round(float(np.mean(ad_rate))), "p90": _round(_quantile(ad_rate, 0.9)),
                       "total": int(sum(adays)), "pooled": _round(sum(adays) / sum(months))},
    }


def recall_table(detections: Sequence[Detection], types: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Per type: n, detected, recall, delay median/p90 (hours) and which indicators found it."""
    table: dict[str, dict[str, Any]] = {}
    for kind in types:
        mine = [d for d in detections if d.type == kind]
        hits = [d for d in mine if d.detected]
        delays = [d.delay_h for d in hits if d.delay_h is not None]
        named: dict[str, int] = {}
        for d in hits:
            named[d.indicator or ""] = named.get(d.indicator or "", 0) + 1
        table[kind] = {
            "n": len(mine),
            "detected": len(hits),
            "recall": _round(len(hits) / len(mine)) if mine else None,
            "any_alarm": sum(d.any_alarm for d in mine),
            "delay_h": {"median": _round(_quantile(delays, 0.5)), "p90": _round(_quantile(delays, 0.9))},
            "indicators": dict(sorted(named.items())),
            "blamed_dead_sensor": sum(d.blamed_dead_sensor for d in mine),
        }
    return table


def indicator_counts(alerts: Iterable[dict[str, Any]]) -> dict[str, int]:
    """Amber/red alert-days per indicator (an indicator alerting twice on one date counts once)."""
    seen = {(a["indicator"], a["date"]) for a in alerts if is_alarm(a)}
    out: dict[str, int] = {}
    for indicator, _ in seen:
        out[indicator] = out.get(indicator, 0) + 1
    return dict(sorted(out.items()))


# Targets of DESIGN.md.
TARGET_RECALL = 0.9
TARGET_EPISODES = 1.0
TARGET_ALERT_DAYS = 2.0
TARGET_DELAY_H = {"E": 2.0, "F": 0.25}
DEFAULT_DELAY_H = 24.0


def target_check(recall: dict[str, dict[str, Any]], fa: dict[str, Any]) -> dict[str, Any]:
    """Which DESIGN.md targets a result meets."""
    per_type = {}
    for kind, row in recall.items():
        limit = TARGET_DELAY_H.get(kind, DEFAULT_DELAY_H)
        med = row["delay_h"]["median"]
        per_type[kind] = {
            "recall": row["recall"] is not None and row["recall"] >= TARGET_RECALL,
            "delay": med is not None and med <= limit,
        }
    ep, ad = fa["episodes"]["mean"], fa["alert_days"]["mean"]
    return {
        "types": per_type,
        "all_recall": all(v["recall"] for v in per_type.values()),
        "all_delay": all(v["delay"] for v in per_type.values()),
        "episodes": ep is not None and ep <= TARGET_EPISODES,
        "alert_days": ad is not None and ad <= TARGET_ALERT_DAYS,
    }
