"""Scoring a day: several days of a time of day are a capped sum, so persistence counts, one odd day not."""

from __future__ import annotations

import math

import pytest

from slimmaatwerk.analytics.detect import SPECS, Window, score

BED = next(s for s in SPECS if s.indicator == "bed_time")
# Bed time usually 23:00 with a robust spread of 45 minutes, learnt from 40 days.
PARAMS = {"family": "location", "loc_weekday": 1380.0, "loc_weekend": 1380.0, "scale": 45.0, "n": 40}
WEEKDAYS = [False, False, False]


def _windows(days: list[float]) -> list[Window]:
    """The two- and three-day windows ending on the last day, all against the same baseline."""
    return [Window(days[-k:], WEEKDAYS[-k:], PARAMS) for k in BED.windows]


def _verdict(days: list[float]):  # type: ignore[no-untyped-def]
    return score(BED, days[-1], False, PARAMS, _windows(days), partner=False)


def test_three_evenings_each_about_two_spreads_late_are_an_alert() -> None:
    verdict = _verdict([1380 + 110, 1380 + 100, 1380 + 120])
    assert verdict is not None and verdict.window == 3 and verdict.severity == "amber"
    assert verdict.observed == 1380 + 110


def test_one_very_late_evening_after_two_usual_ones_is_not_a_three_day_alert() -> None:
    # 5 spreads late on the last evening: the capped sum is (0 + 0 + 2.5) / sqrt(3) ~ 1.4, not an alert;
    # the day on its own is judged against the heavy-tailed one-day distribution.
    verdict = _verdict([1380, 1380, 1380 + 225])
    assert verdict is None or verdict.window == 1


def test_one_odd_evening_does_not_make_a_slightly_late_pair_a_three_day_alert() -> None:
    verdict = _verdict([1380 + 40, 1380 + 40, 1380 + 200])
    assert verdict is None or verdict.window == 1


def test_two_evenings_each_well_over_two_spreads_late_are_raised_on_the_second() -> None:
    # (2.5 + 2.5) / sqrt(2) ~ 3.5 spreads: raised on the second evening, without waiting for a third.
    verdict = _verdict([1380, 1380 + 130, 1380 + 140])
    assert verdict is not None and verdict.window == 2 and verdict.direction == "high"
    # The same two evenings a little less late are not enough.
    assert _verdict([1380, 1380 + 60, 1380 + 60]) is None


def test_without_several_day_windows_only_the_day_itself_is_judged() -> None:
    days = [1380 + 110, 1380 + 100, 1380 + 120]
    assert _verdict(days) is not None
    assert score(BED, days[-1], False, PARAMS, [], partner=False) is None


def test_a_quiet_day_is_not_a_whole_home_alert_unless_activity_fell_to_a_quarter() -> None:
    total = next(s for s in SPECS if s.indicator == "total_activity")
    usual = {"family": "count", "mu_weekday": 300.0, "mu_weekend": 300.0, "alpha": 0.02, "n": 40}
    # 40 % of the usual on one day is very unlikely under this tight baseline, but not a quarter.
    assert score(total, 120.0, False, usual, [], partner=False) is None
    verdict = score(total, 60.0, False, usual, [], partner=False)
    assert verdict is not None and verdict.window == 1 and verdict.direction == "low"
    # Three days at 40 % of the usual are.
    three = score(total, 120.0, False, usual, [Window([120.0] * 3, [False] * 3, usual)], partner=False)
    assert three is not None and three.window == 3


def test_stricter_calibration_needs_a_larger_shift() -> None:
    days = [1380 + 110, 1380 + 100, 1380 + 120]
    assert _verdict(days) is not None
    assert score(BED, days[-1], False, PARAMS, _windows(days), partner=False, strictness=0.01) is None


PACE = next(s for s in SPECS if s.column == "activity_pace")
# Usually 3 events per active quarter-hour, with a spread of 0.15 on the log scale.
PACE_PARAMS = {"family": "location", "loc_weekday": math.log(3.0), "loc_weekend": math.log(3.0), "scale": 0.15,
               "n": 40}


def test_three_days_of_a_much_lower_pace_raise_total_activity_on_the_pace_scale() -> None:
    assert PACE.indicator == "total_activity" and PACE.log and not PACE.single_day
    days = [1.8, 1.9, 1.7]  # about 40 % below the usual pace
    verdict = score(PACE, days[-1], False, PACE_PARAMS, [Window(days, WEEKDAYS, PACE_PARAMS)], partner=False)
    assert verdict is not None and verdict.window == 3 and verdict.direction == "low"
    # Observed and usual are on the pace's own scale (a geometric mean), not on the log scale.
    assert verdict.observed == pytest.approx((1.8 * 1.9 * 1.7) ** (1 / 3))
    assert verdict.expected == pytest.approx(3.0)


def test_one_day_of_a_low_pace_is_not_judged_on_its_own() -> None:
    assert score(PACE, 1.0, False, PACE_PARAMS, [], partner=False) is None
    # Nor are three days only a little slower than usual (less than 30 %).
    days = [2.4, 2.4, 2.4]
    assert score(PACE, days[-1], False, PACE_PARAMS, [Window(days, WEEKDAYS, PACE_PARAMS)], partner=False) is None


def test_a_window_alert_shows_the_usual_range_learnt_before_the_window() -> None:
    # Today's baseline has already learnt two of the late evenings (23:30); the window's has not (23:00).
    today = dict(PARAMS, loc_weekday=1410.0, loc_weekend=1410.0)
    days = [1380 + 110, 1380 + 100, 1380 + 120]
    verdict = score(BED, days[-1], False, today, [Window(days, WEEKDAYS, PARAMS)], partner=False)
    assert verdict is not None and verdict.window == 3
    assert verdict.expected == pytest.approx(1380.0) and verdict.low < 1380.0 < verdict.high
