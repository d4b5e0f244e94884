"""Indicator trends for the resident detail: daily values with the resident's usual band.

Pure and Qt-free: a ``daily_features`` frame (one row per day, index ``date``) in, plain lists out.
The usual band of a day is the 10th-90th percentile of the same indicator over the previous
``window`` days (days marked ``excluded`` — context periods, degraded sensors — are not learnt from);
with fewer than ``min_history`` earlier days the band is unknown (``None``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import pandas as pd

TREND_INDICATORS: tuple[str, ...] = ("wake_time", "night_toilet_visits", "kitchen_activity", "total_activity")
BAND_WINDOW = 28
MIN_HISTORY = 7
BAND_QUANTILES = (0.1, 0.9)


@dataclass(frozen=True)
class Trend:
    indicator: str
    days: list[date]
    values: list[float | None]  # None: no value that day
    low: list[float | None]  # usual band (None: too little history)
    high: list[float | None]


def _clean(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def indicator_trends(features: pd.DataFrame, last_days: int = 56, *,
                     indicators: tuple[str, ...] = TREND_INDICATORS, window: int = BAND_WINDOW,
                     min_history: int = MIN_HISTORY) -> list[Trend]:
    """The last ``last_days`` rows of ``features`` per indicator, each with its rolling usual band."""
    if features.empty:
        return [Trend(name, [], [], [], []) for name in indicators]
    frame = features.sort_index()
    excluded = frame["excluded"].fillna(False).astype(bool) if "excluded" in frame else None
    shown = frame.index[-last_days:]
    days = [pd.Timestamp(d).date() for d in shown]
    out: list[Trend] = []
    for name in indicators:
        if name not in frame:
            out.append(Trend(name, days, [None] * len(days), [None] * len(days), [None] * len(days)))
            continue
        series = pd.to_numeric(frame[name], errors="coerce")
        learn = series.where(~excluded) if excluded is not None else series
        # Only earlier days count: shift by one so a day is not part of its own band.
        history = learn.shift(1).rolling(window, min_periods=min_history)
        low = history.quantile(BAND_QUANTILES[0])
        high = history.quantile(BAND_QUANTILES[1])
        out.append(Trend(
            name, days,
            [_clean(series[d]) for d in shown],
            [_clean(low[d]) for d in shown],
            [_clean(high[d]) for d in shown],
        ))
    return out
