"""Per-resident baselines: statsmodels fits turned into plain, versioned, JSON-safe parameters.

``fit_baseline`` learns, from the daily feature table of the days before ``as_of`` (context days,
degraded days and caller-excluded days such as already-alerted days left out; at most the last
``WINDOW_DAYS`` usable days):

* daily counts (kitchen, total activity, room transitions, night toilet visits, night restlessness):
  a Poisson GLM with a weekend effect for the mean, and a method-of-moments negative-binomial
  dispersion shrunk towards ``ALPHA_PRIOR`` (real homes are over-dispersed, see REALISM.md);
* times of day and durations (wake time, bed time, sleep duration): a robust (Huber) linear model with
  a weekend effect for the location and its robust scale; the pace of activity the same on the log
  scale (day-to-day changes in how active someone is are multiplicative);
* runs of days without something (front door use, shower): the daily chance of such a day and the
  longest run seen;
* the long-lie thresholds per two-hour block (see ``gaps``), the night-exit rate and the reference
  level of daily activity for the gradual-decline CUSUM.

A baseline is plain parameters, never a pickle; ``from_dict`` refuses versions it does not know.
"""

from __future__ import annotations

import contextlib
import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from .context import ResidentContext
from .features import GAP_COLUMNS
from .gaps import block_threshold

VERSION = 1
WINDOW_DAYS = 56
MIN_DAYS = 14
ALPHA_PRIOR = 0.1
ALPHA_PRIOR_WEIGHT = 7.0
ALPHA_FLOOR = 0.02
COUNT_FEATURES: tuple[str, ...] = (
    "kitchen_activity", "total_activity", "room_transitions", "night_toilet_visits", "night_restlessness",
)
# Smallest believable spread: nobody keeps a routine to the minute, and 14 days can look too tidy.
LOCATION_FEATURES: dict[str, float] = {"wake_time": 25.0, "bed_time": 25.0, "sleep_duration": 0.4}
# Fitted on the natural log of the feature; the floor is a spread on that scale (0.05: 5 %).
LOG_LOCATION_FEATURES: dict[str, float] = {"activity_pace": 0.05}
RUN_FEATURES: tuple[str, ...] = ("door_uses", "showers")
# Smallest believable spread of the log activity measure of the decline CUSUM.
LEVEL_SD_FLOOR: dict[str, float] = {"total_activity": 0.1, "activity_pace": 0.05}


@dataclass
class Baseline:
    """A fitted baseline: ``params`` maps each feature to its plain parameters (or None: too few days)."""

    version: int
    resident_id: str
    fitted_on: tuple[date, date]
    days: int
    params: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "resident_id": self.resident_id,
            "fitted_on": [self.fitted_on[0].isoformat(), self.fitted_on[1].isoformat()],
            "days": self.days,
            "params": self.params,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Baseline:
        version = data.get("version")
        if version != VERSION:
            raise ValueError(f"baseline version {version!r} is not supported; this program reads version {VERSION}")
        try:
            start, end = (date.fromisoformat(x) for x in data["fitted_on"])
            return cls(VERSION, str(data["resident_id"]), (start, end), int(data["days"]), dict(data["params"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"baseline is malformed: {exc}") from None

    def usable(self, feature: str) -> dict[str, Any] | None:
        value = self.params.get(feature)
        return value if isinstance(value, dict) else None


_THREADPOOLCTL: Any = None  # threadpoolctl's threadpool_limits, or False when it is not installed


def _single_threaded_blas() -> contextlib.AbstractContextManager[Any]:
    """Multi-threaded BLAS makes these tiny fits ~5x slower (REFERENCE.md): cap it when we can.

    threadpoolctl is used when installed (it is not a dependency); otherwise the environment variables
    are set, which only helps BLAS pools started later (e.g. worker processes).
    """
    global _THREADPOOLCTL
    if _THREADPOOLCTL is None:  # looked up once: a failing import costs more than a small fit
        try:
            from threadpoolctl import threadpool_limits
        except ImportError:
            threadpool_limits = False
        _THREADPOOLCTL = threadpool_limits
    if _THREADPOOLCTL is False:
        for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(var, "1")
        return contextlib.nullcontext()
    return _THREADPOOLCTL(1)


def _design(weekend: np.ndarray) -> tuple[np.ndarray, bool]:
    both = weekend.sum() >= 3 and (~weekend).sum() >= 3
    if both:
        return np.column_stack((np.ones(len(weekend)), weekend.astype(float))), True
    return np.ones((len(weekend), 1)), False


def _poisson_glm(y: np.ndarray, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(params, fitted means) of ``sm.GLM(y, X, family=Poisson()).fit()``, bit for bit, without its objects.

    statsmodels' IRLS step by step (starting mu, lstsq WLS steps, deviance convergence at atol 1e-8, the
    final pinv WLS and the results' mean), calling the same statsmodels/numpy functions in the same order,
    so the numbers are identical; building the model and results objects cost more than the fit itself
    (tests/analytics/test_fits.py checks the two agree exactly).
    """
    import statsmodels.api as sm
    from statsmodels.regression._tools import _MinimalWLS
    from statsmodels.tools.tools import pinv_extended

    family = sm.families.Poisson()
    ones = np.ones(len(y))
    mu = family.starting_mu(y)
    lin_pred = family.predict(mu)
    scale = 1.0
    deviance = [np.inf, family.deviance(y, mu, ones, ones, scale)]
    iweights = np.asarray(ones * ones)
    for iteration in range(100):
        weights = iweights * ones * family.weights(mu)
        wlsendog = lin_pred + family.link.deriv(mu) * (y - mu) - 0.0
        step = _MinimalWLS(wlsendog, X, weights, check_endog=True, check_weights=True).fit(method="lstsq")
        lin_pred = np.dot(X, step.params)
        lin_pred += 0.0
        mu = family.fitted(lin_pred)
        deviance.append(family.deviance(y, mu, ones, ones, scale))
        if np.allclose(deviance[iteration + 1], deviance[iteration + 2], atol=1e-8, rtol=0.0):
            break
    w_half = np.sqrt(weights)
    wexog = w_half[:, None] * X
    pinv_wexog, _ = pinv_extended(wexog)
    params = np.dot(pinv_wexog, w_half * wlsendog)
    return params, family.fitted(np.dot(X, params) + 0.0 + 0.0)


def _huber_rlm(y: np.ndarray, X: np.ndarray) -> tuple[np.ndarray, float]:
    """(params, scale) of ``sm.RLM(y, X, M=HuberT()).fit()``, bit for bit, without its objects.

    statsmodels' defaults step by step: OLS start (pinv), MAD scale about 0, IRLS with Huber weights,
    convergence on the M-estimator deviance at tol 1e-8, at most 50 iterations; same functions, same
    order, identical numbers (tests/analytics/test_fits.py).
    """
    import statsmodels.api as sm
    from statsmodels.regression._tools import _MinimalWLS
    from statsmodels.robust.scale import GAUSSIAN_3_4
    from statsmodels.tools.tools import pinv_extended

    norm = sm.robust.norms.HuberT()
    wexog, wendog = X * np.sqrt(1.0), y * np.sqrt(1.0)
    pinv_wexog, _ = pinv_extended(wexog)
    params = np.dot(pinv_wexog, wendog)
    fitted = np.dot(X, params)
    resid = y - fitted
    wresid = wendog - np.dot(wexog, params)
    df_resid = len(y) - int(np.linalg.matrix_rank(X))
    wls_scale = np.dot(wresid, wresid) / df_resid
    scale = np.median(np.abs(resid - 0.0) / GAUSSIAN_3_4, axis=0)  # robust.scale.mad(resid, center=0)
    deviance = [np.inf, norm((y - fitted) / wls_scale).sum()]
    iteration = 1
    while True:
        if scale == 0.0:
            break
        weights = norm.weights(resid / scale)
        step = _MinimalWLS(y, X, weights=weights, check_weights=True).fit()
        params, resid = step.params, step.resid
        scale = np.median(np.abs(resid - 0.0) / GAUSSIAN_3_4, axis=0)  # robust.scale.mad(resid, center=0)
        deviance.append(norm((y - step.fittedvalues) / step.scale).sum())
        iteration += 1
        if not (np.any(np.abs(deviance[iteration] - deviance[iteration - 1]) > 1e-8) and iteration < 50):
            break
    return params, float(scale)


def fit_count(y: np.ndarray, weekend: np.ndarray) -> dict[str, Any]:
    """Negative-binomial predictive parameters for a daily count."""
    n = len(y)
    X, split = _design(weekend)
    if split and (y[weekend].sum() == 0 or y[~weekend].sum() == 0):
        X, split = np.ones((n, 1)), False  # a zero group would push the GLM to minus infinity
    if y.sum() == 0:
        mu = np.full(n, 0.5 / (n + 1))
        coef = [math.log(mu[0])]
    else:
        params, fitted = _poisson_glm(y, X)  # == sm.GLM(y, X, family=sm.families.Poisson()).fit()
        mu = np.asarray(fitted, dtype=float)
        coef = [float(c) for c in params]
    dof = max(n - X.shape[1], 1)
    alpha_mom = max(0.0, float(np.sum(((y - mu) ** 2 - mu) / mu**2)) / dof) if y.sum() else ALPHA_PRIOR
    alpha = (n * alpha_mom + ALPHA_PRIOR_WEIGHT * ALPHA_PRIOR) / (n + ALPHA_PRIOR_WEIGHT)
    mu_wd = math.exp(coef[0])
    mu_we = math.exp(coef[0] + coef[1]) if split else mu_wd
    return {"family": "count", "mu_weekday": mu_wd, "mu_weekend": mu_we, "alpha": max(alpha, ALPHA_FLOOR), "n": n}


def fit_location(y: np.ndarray, weekend: np.ndarray, floor: float) -> dict[str, Any]:
    """Robust location (weekday/weekend) and scale for a time of day or a duration."""
    n = len(y)
    X, split = _design(weekend)
    if np.ptp(y) == 0:
        coef, scale = [float(y[0])] + ([0.0] if split else []), floor
    else:
        params, rlm_scale = _huber_rlm(y, X)  # == sm.RLM(y, X, M=sm.robust.norms.HuberT()).fit()
        coef, scale = [float(c) for c in params], rlm_scale
    loc_wd = coef[0]
    loc_we = coef[0] + coef[1] if split else loc_wd
    return {"family": "location", "loc_weekday": loc_wd, "loc_weekend": loc_we,
            "scale": max(scale, floor), "n": n}


def fit_runs(values: pd.Series) -> dict[str, Any]:
    """Chance of a day without the thing, and the longest run of such calendar-consecutive days seen."""
    zero = (values == 0).to_numpy(dtype=bool)
    days = np.asarray(values.index.to_numpy(dtype="datetime64[D]").astype(np.int64))
    # A zero day continues the run of the row before when that row was a zero day too and the day before.
    continues = np.zeros(len(zero), dtype=bool)
    continues[1:] = zero[1:] & zero[:-1] & (np.diff(days) == 1)
    run_id = np.cumsum(zero & ~continues)
    longest = int(np.bincount(run_id[zero]).max()) if zero.any() else 0
    n = len(values)
    return {"family": "runs", "p_zero": (float(zero.sum()) + 0.5) / (n + 1.0), "max_run": longest, "n": n}


def _usable_rows(features: pd.DataFrame, as_of: date, exclude: frozenset[date]) -> pd.DataFrame:
    idx = features.index
    before = idx < pd.Timestamp(as_of)
    rows = features.loc[before & ~features["excluded"].to_numpy(dtype=bool)]
    if exclude:
        rows = rows.loc[~rows.index.isin(pd.DatetimeIndex(sorted(pd.Timestamp(d) for d in exclude)))]
    return rows.iloc[-WINDOW_DAYS:]


PARAM_ORDER: tuple[str, ...] = (
    *COUNT_FEATURES, *LOCATION_FEATURES, *LOG_LOCATION_FEATURES, *RUN_FEATURES, "inactivity", "night_exits",
    "activity_level",
)


class _LazyBaseline(Baseline):
    """A baseline whose statsmodels fits (counts, times of day) run when ``usable`` first asks for them.

    The replay fits a baseline per scored day but often reads only a few of its parameters (a nightly
    run scoring yesterday and today needs the night-exit rate of one and the long-lie thresholds of
    another); each parameter is exactly what the eager fit gives, only computed on demand.
    """

    def __init__(self, version: int, resident_id: str, fitted_on: tuple[date, date], days: int,
                 params: dict[str, Any], pending: dict[str, Callable[[], dict[str, Any] | None]]) -> None:
        super().__init__(version, resident_id, fitted_on, days, params)
        self._pending = pending

    def _resolve(self, feature: str) -> None:
        fit = self._pending.pop(feature, None)
        if fit is not None:
            with _single_threaded_blas():
                self.params[feature] = fit()

    def resolve(self) -> Baseline:
        """Run every pending fit (parameters in the eager fit's order); returns self."""
        for feature in list(self._pending):
            self._resolve(feature)
        self.params = {k: self.params[k] for k in PARAM_ORDER if k in self.params} | {
            k: v for k, v in self.params.items() if k not in PARAM_ORDER}
        return self

    def usable(self, feature: str) -> dict[str, Any] | None:
        self._resolve(feature)
        return super().usable(feature)

    def to_dict(self) -> dict[str, Any]:
        return Baseline.to_dict(self.resolve())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _LazyBaseline):
            other.resolve()
        return isinstance(other, Baseline) and Baseline.to_dict(self.resolve()) == Baseline.to_dict(other)

    __hash__ = None  # type: ignore[assignment]


def _too_few() -> None:
    """The parameters of a feature with fewer than MIN_DAYS days to learn from: none."""


def fit_baseline(
    features: pd.DataFrame, context: ResidentContext, as_of: date, exclude: frozenset[date] = frozenset(),
    *, lazy: bool = False,
) -> Baseline:
    """Fit the resident's baseline on the usable days before ``as_of`` (see the module docstring).

    ``lazy``: the count and time-of-day fits run only when ``usable`` first asks for them (same numbers).
    """
    if "excluded" not in features.columns:
        raise ValueError("features lack the 'excluded' column; build them with daily_features()")
    rows = _usable_rows(features, as_of, exclude)
    n = len(rows)
    if n == 0:
        return Baseline(VERSION, context.resident_id, (as_of, as_of), 0, {})
    weekend = np.asarray(rows.index.day_of_week >= 5)
    fits: dict[str, Callable[[], dict[str, Any] | None]] = {}
    for name in COUNT_FEATURES:
        y = rows[name].to_numpy(dtype=float)
        ok = np.isfinite(y)
        fits[name] = partial(fit_count, y[ok], weekend[ok]) if ok.sum() >= MIN_DAYS else _too_few
    for name, floor in LOCATION_FEATURES.items():
        y = rows[name].to_numpy(dtype=float)
        ok = np.isfinite(y)
        fits[name] = partial(fit_location, y[ok], weekend[ok], floor) if ok.sum() >= MIN_DAYS else _too_few
    for name, floor in LOG_LOCATION_FEATURES.items():
        y = rows[name].to_numpy(dtype=float) if name in rows.columns else np.full(n, np.nan)
        ok = np.isfinite(y) & (y > 0)
        fits[name] = (partial(fit_location, np.log(y[ok]), weekend[ok], floor) if ok.sum() >= MIN_DAYS
                      else _too_few)
    params: dict[str, Any] = {}
    if not lazy:
        with _single_threaded_blas():
            for name, fit in fits.items():
                params[name] = fit()
    for name in RUN_FEATURES:
        values = rows[name].dropna()
        params[name] = fit_runs(values) if len(values) >= MIN_DAYS else None
    params["inactivity"] = _fit_inactivity(rows) if n >= MIN_DAYS else None
    exits = rows["night_exits"].dropna()
    params["night_exits"] = (
        {"family": "rate", "rate": float((exits > 0).mean()), "n": len(exits)} if len(exits) >= MIN_DAYS else None
    )
    params["activity_level"] = _fit_level(rows) if n >= MIN_DAYS else None
    first, last = rows.index[0].date(), rows.index[-1].date()
    if lazy:
        return _LazyBaseline(VERSION, context.resident_id, (first, last), n, params, fits)
    return Baseline(VERSION, context.resident_id, (first, last), n, params)


def _fit_inactivity(rows: pd.DataFrame) -> dict[str, Any]:
    table = rows[list(GAP_COLUMNS)].to_numpy(dtype=float)
    table = table[~np.isnan(table).any(axis=1)]  # the days with every block known (DataFrame.dropna)
    columns = [np.ascontiguousarray(table[:, j]) for j in range(len(GAP_COLUMNS))]
    thresholds = [block_threshold(col) for col in columns]
    typical = [float(np.median(col)) if len(table) else None for col in columns]  # == Series.median
    return {"family": "gaps", "threshold_min": thresholds, "typical_min": typical, "n": len(table)}


def _fit_level(rows: pd.DataFrame) -> dict[str, Any] | None:
    """Robust level and spread of the log daily activity measure, the reference for the decline CUSUM.

    The measure is the pace of activity (see ``features``) when the home has it on enough days, else the
    daily total: the pace varies less from day to day, so a slow decline stands out sooner against it.
    """
    pace = rows["activity_pace"].dropna() if "activity_pace" in rows.columns else pd.Series(dtype=float)
    pace = pace[pace > 0]
    if len(pace) >= MIN_DAYS:
        measure, logs = "activity_pace", np.log(pace.to_numpy(dtype=float))
    else:
        total = rows["total_activity"].dropna()
        if len(total) < MIN_DAYS:
            return None
        measure, logs = "total_activity", np.log1p(total.to_numpy(dtype=float))
    med = float(np.median(logs))
    mad = float(np.median(np.abs(logs - med))) * 1.4826
    return {"family": "level", "measure": measure, "log_mean": med, "log_sd": max(mad, LEVEL_SD_FLOOR[measure]),
            "n": len(logs)}
