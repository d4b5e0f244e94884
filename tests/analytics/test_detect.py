"""Scoring a day: the three-day test of times of day is a capped sum, so persistence counts, one odd day not."""

from __future__ import annotations

from slimmaatwerk.analytics.detect import SPECS, score

BED = next(s for s in SPECS if s.indicator == "bed_time")
# Bed time usually 23:00 with a robust spread of 45 minutes, learnt from 40 days.
PARAMS = {"family": "location", "loc_weekday": 1380.0, "loc_weekend": 1380.0, "scale": 45.0, "n": 40}
WEEKDAYS = [False, False, False]


def _verdict(days: list[float]):  # type: ignore[no-untyped-def]
    return score(BED, days[-1], False, PARAMS, days, WEEKDAYS, PARAMS, partner=False)


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


def test_stricter_calibration_needs_a_larger_shift() -> None:
    days = [1380 + 110, 1380 + 100, 1380 + 120]
    assert _verdict(days) is not None
    assert score(BED, days[-1], False, PARAMS, days, WEEKDAYS, PARAMS, partner=False, strictness=0.01) is None
