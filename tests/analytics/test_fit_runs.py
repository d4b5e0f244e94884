"""``fit_runs`` (vectorised) gives exactly what the day-by-day definition of a run gives."""

from __future__ import annotations

import numpy as np
import pandas as pd

from slimmaatwerk.analytics.baseline import fit_runs


def _by_day(values: pd.Series) -> int:
    """The longest run of calendar-consecutive zero days, counted one day at a time."""
    run = longest = 0
    previous = None
    for day, value in values.items():
        consecutive = previous is not None and (day - previous).days == 1
        run = (run + 1 if consecutive else 1) if value == 0 else 0
        longest = max(longest, run)
        previous = day
    return longest


def test_longest_run_matches_the_day_by_day_count_on_random_series() -> None:
    rng = np.random.default_rng(0)
    runs = set()
    for _ in range(2000):
        n = int(rng.integers(0, 30))
        days = np.sort(rng.choice(60, n, replace=False))
        index = pd.DatetimeIndex(pd.Timestamp("2026-03-20") + pd.to_timedelta(days, "D"))
        values = pd.Series(rng.choice([0.0, 0.0, 1.0, 3.0], n), index=index)
        fitted = fit_runs(values)
        assert fitted["max_run"] == _by_day(values)
        assert fitted["n"] == n
        runs.add(fitted["max_run"])
    assert max(runs) >= 5  # long runs were among the cases


def test_a_gap_in_the_days_breaks_a_run() -> None:
    index = pd.DatetimeIndex(["2026-03-01", "2026-03-02", "2026-03-04", "2026-03-05", "2026-03-06"])
    assert fit_runs(pd.Series([0.0, 0.0, 0.0, 0.0, 0.0], index=index))["max_run"] == 3
    assert fit_runs(pd.Series([0.0, 1.0, 0.0, 0.0, 2.0], index=index))["max_run"] == 2
