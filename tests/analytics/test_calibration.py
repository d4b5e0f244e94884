"""Feedback calibration: hand-built label sequences in, per-indicator adjustments out; and in the replay."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from slimmaatwerk.analytics import ResidentContext, analyse
from slimmaatwerk.analytics.calibration import MAX_STEP, WINDOW_DAYS, AlertLabel, calibrate
from tests.analytics.homes import at, normal_home

DAY = date(2026, 4, 1)


def _labels(indicator: str, *outcomes: str, days_before: int = 10) -> list[AlertLabel]:
    return [AlertLabel(indicator, DAY - timedelta(days=days_before + i), o) for i, o in enumerate(outcomes)]


def test_one_false_alarm_is_within_budget() -> None:
    assert calibrate(_labels("inactivity", "false_other"), DAY) == {}


def test_repeated_false_other_labels_make_that_indicator_stricter_for_this_resident() -> None:
    adj = calibrate(_labels("inactivity", "false_other", "false_other", "false_other"), DAY)
    assert set(adj) == {"inactivity"}
    assert adj["inactivity"].step == 2 and adj["inactivity"].false_labels == 3
    assert adj["inactivity"].gap_minutes() == 60
    assert adj["inactivity"].p_factor() == pytest.approx(0.01)
    text = adj["inactivity"].text()
    assert "3 earlier alerts" in text["en"] and "marked false" in text["en"]
    assert "3 eerdere meldingen" in text["nl"] and "onterecht" in text["nl"]


def test_true_labels_cancel_false_ones_but_never_relax_below_the_default() -> None:
    assert calibrate(_labels("wake_time", "false_other", "false_other", "true"), DAY) == {}
    assert calibrate(_labels("wake_time", "true", "true", "true"), DAY) == {}


def test_sensor_labels_do_not_count_and_visitor_labels_count_half() -> None:
    assert calibrate(_labels("kitchen_activity", *["false_sensor"] * 6), DAY) == {}
    assert calibrate(_labels("kitchen_activity", *["false_visitor"] * 3), DAY) == {}  # 1.5: within budget + 1
    adj = calibrate(_labels("kitchen_activity", *["false_visitor"] * 4), DAY)
    assert adj["kitchen_activity"].step == 1 and adj["kitchen_activity"].false_labels == 4


def test_many_false_labels_are_bounded_so_an_indicator_is_never_switched_off() -> None:
    adj = calibrate(_labels("total_activity", *["false_other"] * 30), DAY)
    assert adj["total_activity"].step == MAX_STEP
    assert adj["total_activity"].p_factor() > 0 and adj["total_activity"].gap_minutes() <= 90


def test_only_labels_of_the_recent_window_before_the_scored_day_count() -> None:
    old = _labels("bed_time", *["false_other"] * 5, days_before=WINDOW_DAYS + 1)
    assert calibrate(old, DAY) == {}
    later = [AlertLabel("bed_time", DAY + timedelta(days=i), "false_other") for i in range(5)]
    assert calibrate(later, DAY) == {}  # the scored day itself and after: not yet known


def test_each_indicator_is_calibrated_on_its_own_and_facts_are_not_calibrated() -> None:
    labels = _labels("hygiene", *["false_other"] * 3) + _labels("night_exit", *["false_other"] * 5) + \
        _labels("sensor_offline", *["false_other"] * 5) + _labels("wake_time", "false_other")
    assert set(calibrate(labels, DAY)) == {"hygiene"}


def test_an_unknown_label_is_refused() -> None:
    with pytest.raises(ValueError, match="label must be one of"):
        AlertLabel("inactivity", DAY, "maybe")


# --- in the replay -------------------------------------------------------------------------------------

START = date(2026, 1, 5)
GAP_DAY = date(2026, 2, 10)


def _long_lie(labels: tuple[AlertLabel, ...], minutes: float) -> list[dict]:
    gap_start = at(GAP_DAY, 9.5 * 60)
    frame = normal_home(START, 40, seed=7).frame(quiet=[(gap_start, at(GAP_DAY, 9.5 * 60 + minutes))])
    alerts = analyse(frame, ResidentContext("r1", labels=labels), date(2026, 1, 20), date(2026, 2, 13))
    return [a for a in alerts if a["indicator"] == "inactivity"]


def test_false_labels_on_long_lie_alerts_raise_that_residents_threshold_in_the_replay() -> None:
    plain = _long_lie((), 240)
    false = tuple(AlertLabel("inactivity", GAP_DAY - timedelta(days=d), "false_other") for d in (5, 9, 14))
    stricter = _long_lie(false, 240)
    assert len(plain) == 1 and len(stricter) == 1
    delay = datetime.fromisoformat(stricter[0]["raised_at"]) - datetime.fromisoformat(plain[0]["raised_at"])
    assert delay == timedelta(minutes=60)  # two steps of 30 minutes
    assert "3 earlier alerts of this kind were marked false" in stricter[0]["explanation"]["en"]
    assert "als onterecht zijn gemarkeerd" in stricter[0]["explanation"]["nl"]
    assert "marked false" not in plain[0]["explanation"]["en"]
    # Labels on another indicator leave the long-lie rule as it was.
    other = tuple(AlertLabel("kitchen_activity", GAP_DAY - timedelta(days=d), "false_other") for d in (5, 9, 14))
    assert _long_lie(other, 240) == plain


def test_a_silence_longer_than_the_stricter_threshold_is_still_raised() -> None:
    many = tuple(AlertLabel("inactivity", GAP_DAY - timedelta(days=d), "false_other") for d in range(2, 40, 2))
    plain = _long_lie((), 6 * 60)
    capped = _long_lie(many, 6 * 60)
    assert len(capped) == 1
    delay = datetime.fromisoformat(capped[0]["raised_at"]) - datetime.fromisoformat(plain[0]["raised_at"])
    assert delay == timedelta(minutes=90)  # at most three steps


def test_false_labels_on_a_day_indicator_need_a_stronger_deviation() -> None:
    shifted = {GAP_DAY + timedelta(days=i): 90 for i in range(3)}
    frame = normal_home(START, 40, seed=3, wake_shift=shifted).frame()
    first, last = date(2026, 1, 20), date(2026, 2, 13)
    plain = [a for a in analyse(frame, ResidentContext("r1"), first, last) if a["indicator"] == "wake_time"]
    labels = tuple(AlertLabel("wake_time", GAP_DAY - timedelta(days=d), "false_other") for d in (3, 6, 9, 12, 15))
    strict = [a for a in analyse(frame, ResidentContext("r1", labels=labels), first, last)
              if a["indicator"] == "wake_time"]
    assert plain and len(strict) < len(plain)
