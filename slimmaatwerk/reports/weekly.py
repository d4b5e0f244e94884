"""The facts of one resident's week compared with their usual weeks (pure: feature table in, facts out).

"Usual" is the four weeks before, days that were excluded from learning (a context period, a degraded
sensor, away most of the day) left out on both sides. Each figure is judged against the resident's own
spread, with a floor so a very regular person is not told about ten minutes' difference: ``same``,
``somewhat`` or ``clearly`` higher or lower. Wording lives in ``wording.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd

USUAL_DAYS = 28
MIN_DAYS = 3  # fewer measured days than this in the week (or usual period): no comparison
MIN_DAYS_WEEKLY = 5  # per-week counts (days out, showers) are only compared on at least this many days
OUT_HOURS = 0.25  # a day with at least this long out of the house counts as a day out


@dataclass(frozen=True)
class Figure:
    key: str
    week: float | None
    usual: float | None
    direction: str  # "up", "down" or "" (about as usual, or unknown)
    degree: str  # "same", "somewhat", "clearly" or "unknown"

    @property
    def notable(self) -> bool:
        return self.degree in ("somewhat", "clearly")


@dataclass(frozen=True)
class AlertFact:
    date: date
    indicator: str
    severity: str
    status: str


@dataclass(frozen=True)
class Period:
    type: str  # absence, hospital, visit
    first: date
    last: date


@dataclass(frozen=True)
class WeekFacts:
    resident_id: str
    name: str
    monday: date
    days_measured: int
    degraded_days: int
    periods: tuple[Period, ...]
    figures: dict[str, Figure] = field(default_factory=dict)
    alerts: tuple[AlertFact, ...] = ()


# key: (feature column, how the week is summarised, absolute floor of the tolerance, kind of comparison)
RULES: dict[str, tuple[str, str, float, str]] = {
    "wake_time": ("wake_time", "median", 30.0, "diff"),
    "bed_time": ("bed_time", "median", 30.0, "diff"),
    "sleep_duration": ("sleep_duration", "median", 0.75, "diff"),
    "night_restlessness": ("night_restlessness", "mean", 1.0, "diff"),
    "night_toilet_visits": ("night_toilet_visits", "mean", 0.75, "diff"),
    "kitchen_activity": ("kitchen_activity", "mean", 0.2, "ratio"),
    "total_activity": ("total_activity", "mean", 0.2, "ratio"),
    "days_out": ("time_out_of_home", "days_out", 1.5, "diff"),
    "hours_out": ("time_out_of_home", "mean_out", 0.75, "diff"),
    "showers": ("showers", "sum", 1.5, "diff"),
}


def _summary(values: pd.Series, how: str, days: int) -> float | None:
    values = values.dropna()
    if len(values) < MIN_DAYS:
        return None
    if how == "median":
        return float(values.median())
    if how == "mean":
        return float(values.mean())
    if how == "days_out":  # per week of seven days
        return float((values >= OUT_HOURS).sum()) * 7.0 / len(values)
    if how == "mean_out":
        out = values[values >= OUT_HOURS]
        return float(out.mean()) if len(out) else 0.0
    return float(values.sum()) * 7.0 / len(values)  # "sum": per week


def _judge(week: float, usual: float, spread: float, floor: float, kind: str) -> tuple[str, str]:
    if kind == "ratio":
        if usual <= 0:
            return ("up", "clearly") if week > 0 else ("", "same")
        ratio = week / usual
        step = max(floor, spread / usual if usual else 0.0)
        off = abs(ratio - 1.0)
        direction = "up" if ratio > 1 else "down"
    else:
        off_abs = abs(week - usual)
        step = max(floor, spread)
        off = off_abs
        direction = "up" if week > usual else "down"
    if off <= step:
        return "", "same"
    return direction, "somewhat" if off <= 2 * step else "clearly"


def compare(features: pd.DataFrame, monday: date) -> tuple[dict[str, Figure], int, int]:
    """Figures of the week starting ``monday`` against the 28 days before; plus measured and degraded days."""
    index = pd.to_datetime(features.index).date if len(features) else []
    frame = features.copy()
    frame.index = pd.Index(index, name="date")
    week_days = [monday + timedelta(days=i) for i in range(7)]
    usual_days = [monday - timedelta(days=i) for i in range(USUAL_DAYS, 0, -1)]
    in_week = frame[frame.index.isin(week_days)]
    in_usual = frame[frame.index.isin(usual_days)]
    usable_week = in_week[~in_week["excluded"].astype(bool)] if len(in_week) else in_week
    usable_usual = in_usual[~in_usual["excluded"].astype(bool)] if len(in_usual) else in_usual
    degraded = int(in_week["degraded"].astype(bool).sum()) if len(in_week) else 0
    figures: dict[str, Figure] = {}
    for key, (column, how, floor, kind) in RULES.items():
        week = _summary(usable_week[column], how, 7) if column in usable_week else None
        usual = _summary(usable_usual[column], how, USUAL_DAYS) if column in usable_usual else None
        if week is None or usual is None:
            figures[key] = Figure(key, week, usual, "", "unknown")
            continue
        if how in ("days_out", "sum") and usable_week[column].notna().sum() < MIN_DAYS_WEEKLY:
            figures[key] = Figure(key, round(week, 2), round(usual, 2), "", "unknown")
            continue
        values = usable_usual[column].dropna().to_numpy(dtype=float)
        spread = _spread(values, how)
        direction, degree = _judge(week, usual, spread, floor, kind)
        figures[key] = Figure(key, round(week, 2), round(usual, 2), direction, degree)
    return figures, len(usable_week), degraded


def _spread(values: np.ndarray, how: str) -> float:
    """1.5 robust standard deviations of a daily value (per-week figures get a weekly spread)."""
    if how in ("days_out", "sum") or len(values) < 2:
        return 0.0
    mad = float(np.median(np.abs(values - np.median(values)))) * 1.4826
    return 1.5 * mad


def week_periods(periods: list[tuple[str, date, date]], monday: date) -> tuple[Period, ...]:
    """Context periods that touch the week, clipped to it."""
    sunday = monday + timedelta(days=6)
    found = [Period(t, max(first, monday), min(last, sunday)) for t, first, last in periods
             if first <= sunday and last >= monday]
    return tuple(sorted(found, key=lambda p: p.first))
