"""Scoring a day against the resident's baseline: predictive distributions, tests and severity.

Each day-based indicator is tested on the day on its own and on the last few days together (its
``windows``: a smaller shift that persists is as telling as a large one-off). Counts over several days
are read as one negative-binomial sum. Times of day and durations over several days are read as a sum of
standardised residuals against the resident's own robust spread, each day capped at ``DAY_CAP`` spreads,
against a normal tail: a moderate shift on two or three days adds up, one odd day (real routines have
them) cannot carry the sum however odd it is. The tests of one indicator share its level (Bonferroni),
and an alert also needs a *meaningful* effect (e.g. wake-up at least an hour later), so a tidy resident
is not alarmed by a 20-minute lie-in.

The level is per indicator-day (``Spec.level``), chosen on simulated streams without anomalies so that
all indicators together stay inside the false-alarm budget (DESIGN.md: at most one episode a
resident-month) and spent where persistent change is what matters: times of day and night toilet visits
over two or three days, and whole-home activity over three days. A single day of whole-home activity
is only an alert when it fell to a quarter of the usual: real homes have quiet days (REALISM.md:
day-to-day CV up to 0.8), and those are a poor reason to call someone. Moving about less over several
days is read from the pace of activity (activity events per active quarter-hour), which a day out or
a long lie-in does not change, on the log scale.
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
DAY_CAP = 2.5  # residuals of a single day beyond this many spreads count as this many in a several-day sum


@dataclass(frozen=True)
class Spec:
    """How one day-based indicator is tested."""

    indicator: str
    family: str  # "count" | "location"
    tail: str  # "low" | "high" | "both"
    rooms: frozenset[str] | None  # the rooms whose sensors it depends on (None: the whole home)
    effect: float  # minimum effect for one day (relative drop for low counts, else absolute)
    effect_mean: float  # the same for the mean of several days
    unit: str
    window: str  # "sleep" (the night up to waking), "morning" (04:00 to waking; both raised when the wake-up
    # is certain), "day" (04:00-04:00)
    windows: tuple[int, ...] = (3,)  # the several-day windows (ending on the day) tested besides the day
    level: float = AMBER_P  # amber level of one indicator-day, all its tests together
    feature: str = ""  # the daily feature tested, when it is not the indicator itself
    log: bool = False  # tested on the log scale (the baseline was fitted on the log of the feature)
    single_day: bool = True  # also test the day on its own

    @property
    def column(self) -> str:
        return self.feature or self.indicator


SPECS: tuple[Spec, ...] = (
    Spec("kitchen_activity", "count", "low", frozenset({"kitchen"}), 0.5, 0.35, "events", "day"),
    Spec("total_activity", "count", "low", None, 0.75, 0.3, "events", "day"),
    # Moving about less, read from the pace of activity (activity events per active quarter-hour, see
    # features), over three days on the log scale: at least 30 % less (log 0.7 = -0.36).
    Spec("total_activity", "location", "low", None, math.inf, 0.36, "events per active quarter-hour", "day",
         level=3e-3, feature="activity_pace", log=True, single_day=False),
    Spec("room_transitions", "count", "low", None, 0.4, 0.3, "transitions", "day"),
    Spec("night_toilet_visits", "count", "high", TOILET_ROOMS, 2.0, 1.5, "visits", "sleep", (2, 3), 3e-3),
    Spec("night_restlessness", "count", "high", None, 3.0, 2.0, "spells", "sleep"),
    Spec("wake_time", "location", "high", None, 60.0, 45.0, "min", "morning", (2, 3), 3e-3),
    Spec("bed_time", "location", "high", None, 60.0, 45.0, "min", "day", (2, 3), 3e-3),
    Spec("sleep_duration", "location", "both", None, 1.5, 1.0, "h", "sleep", (2, 3), 3e-3),
)


@dataclass(frozen=True)
class Window:
    """The values of several days ending on the scored day, and the baseline from before the first."""

    values: Sequence[float]
    weekends: Sequence[bool]
    params: dict[str, Any]


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


def _tail_p(spec: Spec, params: dict[str, Any], values: Sequence[float],
            weekends: Sequence[bool]) -> tuple[float, str, float, float]:
    """(p, direction, observed per day, expected per day) for the values of one window."""
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
    else:
        p_low, p_high, expected = _capped_sum_p(params, values, weekends)
        observed = sum(values) / k
    if spec.tail == "low":
        return p_low, "low", observed, expected
    if spec.tail == "high":
        return p_high, "high", observed, expected
    return (2 * p_low, "low", observed, expected) if p_low < p_high else (2 * p_high, "high", observed, expected)


def _meaningful(spec: Spec, direction: str, observed: float, expected: float, effect: float) -> bool:
    if spec.family == "count" and direction == "low":
        return observed <= (1.0 - effect) * expected
    return abs(observed - expected) >= effect


def score(spec: Spec, today: float, today_weekend: bool, params_today: dict[str, Any] | None,
          windows: Sequence[Window], partner: bool, strictness: float = 1.0) -> Verdict | None:
    """The verdict for one indicator on one day, or None when nothing is worth an alert.

    ``params_today``: the baseline for the day on its own (unused, and may be None, for a spec without
    a single-day test). ``windows``: the several-day windows that could be tested (a window whose earlier
    days are unknown, excluded or already alerted is left out by the caller). The usual range of the
    verdict is that of the baseline its test used: for a window, the one learnt before its first day.
    ``strictness`` (at most 1) scales the alert levels: feedback calibration for this resident.
    """
    if spec.log:
        if today <= 0 or any(v <= 0 for w in windows for v in w.values):
            return None
        today = math.log(today)
        windows = [Window([math.log(v) for v in w.values], w.weekends, w.params) for w in windows]
    candidates: list[tuple[float, str, float, float, int, dict[str, Any]]] = []
    if spec.single_day and params_today is not None:
        p, direction, obs, exp = _tail_p(spec, params_today, [today], [today_weekend])
        if _meaningful(spec, direction, obs, exp, spec.effect):
            candidates.append((p, direction, obs, exp, 1, params_today))
    tests = int(spec.single_day) + len(spec.windows)
    for w in windows:
        p_w, d_w, obs_w, exp_w = _tail_p(spec, w.params, w.values, w.weekends)
        if _meaningful(spec, d_w, obs_w, exp_w, spec.effect_mean):
            candidates.append((p_w, d_w, obs_w, exp_w, len(w.values), w.params))
    if not candidates:
        return None
    p, direction, obs, exp, k, used = min(candidates, key=lambda c: c[:5])
    p_adj = min(1.0, tests * p)  # Bonferroni over the tests of this indicator: the day and its windows
    if p_adj >= spec.level * strictness:
        return None
    severity = "red" if p_adj < RED_P * strictness and not partner else "amber"
    expected, low, high = band(spec, used, today_weekend)
    if spec.log:  # back to the feature's own scale (a mean of logs is a geometric mean)
        obs, expected, low, high = (math.exp(x) for x in (obs, expected, low, high))
    z = float(_stats().norm.isf(max(p_adj, 1e-300)))
    return Verdict(severity, p_adj, z if direction == "high" else -z, obs, expected, low, high, k, direction)
