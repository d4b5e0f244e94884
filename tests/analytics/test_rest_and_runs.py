"""A doze in the chair is not a long lie; a shower schedule makes a long run without one unusual."""

from __future__ import annotations

from datetime import date

import pandas as pd

from slimmaatwerk.analytics.frame import NS_PER_MIN, to_arrays, validate_events
from slimmaatwerk.analytics.gaps import dayroom_mask, home_gaps
from slimmaatwerk.analytics.trends import run_verdict
from tests.analytics.homes import at

DAY = date(2026, 2, 10)


def _frame(rows: list[tuple[float, str, str, str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame({
        "timestamp": pd.to_datetime([at(DAY, m) for m, *_ in rows], utc=True),
        "device": [r[1] for r in rows], "kind": [r[2] for r in rows], "room": [r[3] for r in rows],
        "placement": [r[4] for r in rows], "value": [r[5] for r in rows],
    })


def _longest_gap_min(rows: list[tuple[float, str, str, str, str, float]]) -> float:
    arr = to_arrays(validate_events(_frame(rows)))
    gaps = home_gaps(arr, dayroom_mask(arr, pet=False))
    ends = [min(e, int(arr.t[-1])) for e in gaps.end]
    return max(((e - s) / NS_PER_MIN for s, e in zip(gaps.start, ends, strict=True)), default=0.0)


MORNING = [(float(m), "kitchen_motion" if m % 20 else "living_motion", "motion", "kitchen" if m % 20 else "living",
            "", 1.0) for m in range(480, 601, 10)]
LATER = [(780, "living_motion", "motion", "living", "", 1.0), (790, "kitchen_motion", "motion", "kitchen", "", 1.0)]


def test_silence_in_the_chair_is_rest_not_a_long_lie() -> None:
    seated = [*MORNING, (601, "chair", "presence", "living", "chair", 1.0),
              (775, "chair", "presence", "living", "chair", 0.0), *LATER]
    assert _longest_gap_min(seated) < 60  # the three hours in the chair are not an at-home gap


def test_the_same_silence_after_leaving_the_chair_is_a_gap() -> None:
    left = [*MORNING, (601, "chair", "presence", "living", "chair", 1.0),
            (605, "chair", "presence", "living", "chair", 0.0), *LATER]
    assert _longest_gap_min(left) >= 170  # 10:05 to 13:00, resident up and out of the chair


def test_a_scheduled_habit_makes_a_run_two_days_past_the_longest_unusual() -> None:
    every_third_day = {"family": "runs", "p_zero": 0.66, "max_run": 3, "n": 56}
    assert run_verdict(every_third_day, 4, partner=False, regular=True) is None
    assert run_verdict(every_third_day, 5, partner=False, regular=True) == ("amber", 0.66**5)
    # Door use is not a schedule: the same run is judged by p0**k alone, and stays quiet.
    assert run_verdict(every_third_day, 5, partner=False, regular=False) is None
    daily = {"family": "runs", "p_zero": 0.05, "max_run": 1, "n": 56}
    severity, p = run_verdict(daily, 3, partner=False, regular=True)
    assert severity == "amber" and p < 1e-3  # p0**k alone already says so
