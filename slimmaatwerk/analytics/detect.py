"""Scoring a day against the resident's baseline: predictive distributions, tests and severity.

Each day-based indicator is tested two ways: the day on its own, and the last three days together
(a smaller shift that persists is as telling as a large one-off). For times of day and durations the
three days are tested twice more: their mean against a heavy tail (a large shift on two days), and a
sum of standardised residuals against the resident's own robust spread with each day capped at
``DAY_CAP`` spreads, read against a normal tail (a moderate shift on all three days: one odd day, and
real routines have them, cannot carry that sum). Both p-values are corrected together
(Bonferroni), and an alert also needs a *meaningful* effect (e.g. wake-up at least an hour later), so a
tidy resident is not alarmed by a 20-minute lie-in. With about fifteen tests a day, ``AMBER_P`` keeps the
nominal false-alarm rate well under one alert-day per month; real homes are messier than the model,
which is what the effect sizes and the floors on spread guard against (REALISM.md).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .frame import TOILET_ROOMS

AMBER_P = 1e-3
RED_P = 1e-5
ONE_DAY_DF = 5  # heavy tails for a single day: real routines have odd days
MEAN_DF = 10
DAY_CAP = 2.5  # residuals of a single day beyond this many spreads count as this many in the 3-day sum


@dataclass(frozen=True)
class Spec:
    """How one day-based indicator is tested."""

    indicator: str
    family: str  # "count" | "location"
    tail: str  # "low" | "high" | "both"
    rooms: frozenset[str] | None  # the rooms whose sensors it depends on (None: the whole home)
    effect: float  # minimum effect for one day (relative drop for low counts, else absolute)
    effect_mean: float  # the same for the three-day mean
    unit: str
    window: str  # "sleep" (the night up to waking; raised at 16:00), "morning" (04:00-16:00), "day" (04:00-04:00)


SPECS: tuple[Spec, ...] = (
    Spec("kitchen_activity", "count", "low", frozenset({"kitchen"}), 0.5, 0.35, "events", "day"),
    Spec("total_activity", "count", "low", None, 0.4, 0.3, "events", "day"),
    Spec("room_transitions", "count", "low", None, 0.4, 0.3, "transitions", "day"),
    Spec("night_toilet_visits", "count", "high", TOILET_ROOMS, 2.0, 1.5, "visits", "sleep"),
    Spec("night_restlessness", "count", "high", None, 3.0, 2.0, "spells", "sleep"),
    Spec("wake_time", "location", "high", None, 60.0, 45.0, "min", "morning"),
    Spec("bed_time", "location", "high", None, 60.0, 45.0, "min", "day"),
    Spec("sleep_duration", "location", "both", None, 1.5, 1.0, "h", "sleep"),
)


@dataclass(frozen=True)
class Verdict:
    severity: str
    p: float
    score: float
    observed: float
    expected: float
    low: float
    high: float
    window: int
    direction: str  # "low" | "high"


def _stats() -> Any:
    """scipy.stats, imported on first use: like statsmodels it is slow to import (REFERENCE.md)."""
    from scipy import stats

    return stats


class _Dist:
    """A scipy distribution with its arguments bound, without scipy's frozen-distribution object.

    Freezing builds docstrings and checks on every call (~2 ms, most of a day's scoring); the unfrozen
    methods compute exactly the same values.
    """

    __slots__ = ("args", "dist", "kwds")

    def __init__(self, dist: Any, *args: float, **kwds: float) -> None:
        self.dist, self.args, self.kwds = dist, args, kwds

    def cdf(self, x: float) -> Any:
        return self.dist.cdf(x, *self.args, **self.kwds)

    def sf(self, x: float) -> Any:
        return self.dist.sf(x, *self.args, **self.kwds)

    def ppf(self, q: float) -> Any:
        return self.dist.ppf(q, *self.args, **self.kwds)


def _count_dist(params: dict[str, Any], weekends: Sequence[bool]) -> Any:
    """Negative binomial of the sum over ``weekends`` days, with parameter uncertainty folded in."""
    n, a = params["n"], params["alpha"]
    mean = var = 0.0
    for weekend in weekends:
        mu = max(params["mu_weekend" if weekend else "mu_weekday"], 1e-3)
        a_pred = a + (a + 1.0 / mu) / n
        mean += mu
        var += mu + a_pred * mu * mu
    alpha = max((var - mean) / mean**2, 1e-6)
    size = 1.0 / alpha
    return _Dist(_stats().nbinom, size, size / (size + mean)), mean


def _loc_dist(params: dict[str, Any], weekend: bool) -> Any:
    """Heavy-tailed predictive distribution of one day's time or duration."""
    loc = params["loc_weekend" if weekend else "loc_weekday"]
    scale = params["scale"] * math.sqrt(1.0 + 1.0 / params["n"])
    return _Dist(_stats().t, ONE_DAY_DF, loc=loc, scale=scale), loc


def _capped_sum_p(params: dict[str, Any], values: Sequence[float], weekends: Sequence[bool]) -> tuple[float, float, float]:
    """(p low, p high, expected mean) of several days' capped standardised residuals summed (see above)."""
    scale = params["scale"] * math.sqrt(1.0 + 1.0 / params["n"])
    locs = [params["loc_weekend" if w else "loc_weekday"] for w in weekends]
    z = sum(max(-DAY_CAP, min(DAY_CAP, (v - m) / scale)) for v, m in zip(values, locs, strict=True))
    z /= math.sqrt(len(values))
    norm = _stats().norm
    return float(norm.cdf(z)), float(norm.sf(z)), sum(locs) / len(locs)


def band(spec: Spec, params: dict[str, Any], weekend: bool) -> tuple[float, float, float]:
    """(expected, usual low, usual high) for one day: the central 90 % of the predictive distribution."""
    if spec.family == "count":
        dist, mean = _count_dist(params, [weekend])
    else:
        dist, mean = _loc_dist(params, weekend)
    return float(mean), float(dist.ppf(0.05)), float(dist.ppf(0.95))


def _mean_dist(params: dict[str, Any], weekends: Sequence[bool]) -> tuple[Any, float]:
    """Predictive distribution of the mean of several days' times or durations (tails a little lighter)."""
    k = len(weekends)
    loc = sum(params["loc_weekend" if w else "loc_weekday"] for w in weekends) / k
    scale = params["scale"] * math.sqrt(1.0 + 1.0 / params["n"]) / math.sqrt(k)
    return _Dist(_stats().t, MEAN_DF, loc=loc, scale=scale), loc


def _tail_p(spec: Spec, params: dict[str, Any], values: Sequence[float], weekends: Sequence[bool],
            capped: bool = False) -> tuple[float, str, float, float]:
    """(p, direction, observed per day, expected per day) for the values of one window.

    ``capped``: for several days of a time or duration, the capped sum instead of the mean.
    """
    k = len(values)
    if spec.family == "count":
        dist, mean = _count_dist(params, weekends)
        total = round(sum(values))
        p_low, p_high = float(dist.cdf(total)), float(dist.sf(total - 1))
        observed, expected = total / k, mean / k
    elif k == 1:
        dist, expected = _loc_dist(params, weekends[0])
        observed = values[0]
        p_low, p_high = float(dist.cdf(observed)), float(dist.sf(observed))
    elif capped:
        p_low, p_high, expected = _capped_sum_p(params, values, weekends)
        observed = sum(values) / k
    else:
        dist, expected = _mean_dist(params, weekends)
        observed = sum(values) / k
        p_low, p_high = float(dist.cdf(observed)), float(dist.sf(observed))
    if spec.tail == "low":
        return p_low, "low", observed, expected
    if spec.tail == "high":
        return p_high, "high", observed, expected
    return (2 * p_low, "low", observed, expected) if p_low < p_high else (2 * p_high, "high", observed, expected)


def _meaningful(spec: Spec, direction: str, observed: float, expected: float, effect: float) -> bool:
    if spec.family == "count" and direction == "low":
        return observed <= (1.0 - effect) * expected
    return abs(observed - expected) >= effect


def score(spec: Spec, today: float, today_weekend: bool, params_today: dict[str, Any],
          window: Sequence[float] | None, window_weekends: Sequence[bool] | None,
          params_window: dict[str, Any] | None, partner: bool, strictness: float = 1.0) -> Verdict | None:
    """The verdict for one indicator on one day, or None when nothing is worth an alert.

    ``strictness`` (at most 1) scales the alert levels: feedback calibration for this resident.
    """
    candidates: list[tuple[float, str, float, float, int]] = []
    p, direction, obs, exp = _tail_p(spec, params_today, [today], [today_weekend])
    if _meaningful(spec, direction, obs, exp, spec.effect):
        candidates.append((p, direction, obs, exp, 1))
    tests = 2 if spec.family == "count" else 3
    if window is not None and window_weekends is not None and params_window is not None:
        for capped in (False, True)[:tests - 1]:
            p3, d3, obs3, exp3 = _tail_p(spec, params_window, window, window_weekends, capped)
            if _meaningful(spec, d3, obs3, exp3, spec.effect_mean):
                candidates.append((p3, d3, obs3, exp3, len(window)))
    if not candidates:
        return None
    p, direction, obs, exp, k = min(candidates)
    p_adj = min(1.0, tests * p)  # Bonferroni over the tests made: one day, and the 3-day ones
    if p_adj >= AMBER_P * strictness:
        return None
    severity = "red" if p_adj < RED_P * strictness and not partner else "amber"
    expected, low, high = band(spec, params_today, today_weekend)
    z = float(_stats().norm.isf(max(p_adj, 1e-300)))
    return Verdict(severity, p_adj, z if direction == "high" else -z, obs, expected, low, high, k, direction)
