"""The baseline's hand-rolled IRLS loops give statsmodels' numbers exactly (bit for bit).

``baseline._poisson_glm`` and ``baseline._huber_rlm`` replay statsmodels' own IRLS steps without
building model and results objects (most of a fit's time); any difference would change alerts.
"""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.api as sm

from slimmaatwerk.analytics.baseline import _design, _huber_rlm, _poisson_glm


def _cases(seed: int, count: int):  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    for i in range(count):
        n = int(rng.integers(14, 57))
        weekend = (np.arange(n) + int(rng.integers(0, 7))) % 7 >= 5
        X, _ = _design(weekend if i % 5 else np.zeros(n, dtype=bool))
        yield i, rng, n, weekend, X


@pytest.mark.parametrize("seed", [1, 2])
def test_poisson_glm_is_statsmodels_exactly(seed: int) -> None:
    for i, rng, n, weekend, X in _cases(seed, 150):
        scale = [0.3, 2.0, 40.0, 600.0][i % 4]
        y = rng.negative_binomial(3, 3 / (3 + scale * (1 + 0.5 * weekend)), size=n).astype(float)
        if y.sum() == 0:
            continue
        res = sm.GLM(y, X, family=sm.families.Poisson()).fit()
        params, mu = _poisson_glm(y, X)
        assert np.array_equal(params, np.asarray(res.params)), (i, params, res.params)
        assert np.array_equal(mu, np.asarray(res.fittedvalues)), i


@pytest.mark.parametrize("seed", [1, 2])
def test_huber_rlm_is_statsmodels_exactly(seed: int) -> None:
    for i, rng, n, weekend, X in _cases(seed, 150):
        kind = i % 3
        if kind == 0:  # a time of day in minutes, with the odd late morning
            y = 420 + 30 * weekend + rng.standard_t(3, size=n) * 20
        elif kind == 1:  # whole minutes: ties, as real wake times have
            y = np.round(1380 + rng.normal(0, 25, size=n))
        else:  # sleep hours
            y = 7.5 + rng.normal(0, 0.6, size=n) + (rng.random(n) < 0.1) * 3
        if np.ptp(y) == 0:
            continue
        res = sm.RLM(y, X, M=sm.robust.norms.HuberT()).fit()
        params, scale = _huber_rlm(y, X)
        assert np.array_equal(params, np.asarray(res.params)), (i, params, res.params)
        assert scale == float(res.scale), i
