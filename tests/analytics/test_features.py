"""Daily features on tiny hand-made days, DST change days included."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from slimmaatwerk.analytics import ResidentContext, daily_features, hourly_activity, validate_events
from tests.analytics.homes import Home, at

CTX = ResidentContext("r1")


def _features(home: Home, day: date) -> pd.Series:
    return daily_features(home.frame(), CTX).loc[pd.Timestamp(day)]


def _simple_day(day: date, *, toilet_at: tuple[float, ...] = (), wake: float = 450, bed: float = 1380) -> Home:
    """Night toilet trips (minutes after midnight of ``day``), wake-up, a kitchen visit, bed."""
    home = Home(seed=0)
    home.emit(at(day, -60), "bed", "presence", 1)
    for m in toilet_at:
        home.toilet_trip(day, m, from_bed=True)
    home.emit(at(day, wake), "bed", "presence", 0)
    home.motion(day, wake + 1, wake + 3, "hall_motion")
    home.meal(day, wake + 5, 20)
    home.motion(day, wake + 30, 1300, "living_motion", every=20)
    home.motion(day, bed - 5, bed - 1, "bedroom_motion")
    home.emit(at(day, bed), "bed", "presence", 1)
    home.heartbeats(day)
    return home


def test_wake_time_skips_night_toilet_trips_and_bed_time_is_minutes_after_midnight() -> None:
    day = date(2026, 2, 3)
    row = _features(_simple_day(day, toilet_at=(120, 300), wake=455, bed=1400), day)
    assert row["wake_time"] == pytest.approx(455, abs=0.01)
    assert row["bed_time"] == pytest.approx(1400, abs=0.01)
    # The night runs from going to bed (23:00) to getting up (07:35): 02:00 and 05:00 both count.
    assert row["night_toilet_visits"] == 2


def test_toilet_visits_are_bursts_more_than_15_minutes_apart() -> None:
    day = date(2026, 2, 3)
    # 01:00 and 01:10 are one visit (the second starts within 15 min of the first ending); 03:00 is another.
    row = _features(_simple_day(day, toilet_at=(60, 70, 180)), day)
    assert row["night_toilet_visits"] == 2


def test_the_night_belongs_to_the_date_it_ends() -> None:
    day = date(2026, 2, 3)
    home = _simple_day(day, toilet_at=(60,))
    home.toilet_trip(date(2026, 2, 4), 90, from_bed=True)  # 01:30 on 4 Feb: part of 04:00-day 3 Feb
    home.toilet_trip(date(2026, 2, 4), 150, from_bed=True)
    frame = daily_features(home.frame(), CTX)
    assert frame.loc[pd.Timestamp(date(2026, 2, 4)), "night_toilet_visits"] == 2
    assert frame.loc[pd.Timestamp(day), "night_toilet_visits"] == 1


def test_counts_kitchen_events_and_nan_without_the_sensor() -> None:
    day = date(2026, 2, 3)
    home = _simple_day(day)
    frame = home.frame()
    row = daily_features(frame, CTX).loc[pd.Timestamp(day)]
    kitchen = frame[(frame["room"] == "kitchen") & (frame["value"] == 1) & frame["kind"].isin(["motion", "contact"])]
    assert row["kitchen_activity"] == len(kitchen)
    no_kitchen = frame[frame["room"] != "kitchen"]
    assert np.isnan(daily_features(no_kitchen, CTX).loc[pd.Timestamp(day), "kitchen_activity"])


@pytest.mark.parametrize("day", [date(2026, 3, 29), date(2026, 10, 25)])
def test_dst_change_days_keep_wall_clock_times(day: date) -> None:
    # 29 March: 02:00 -> 03:00 (23 h day); 25 October: 03:00 -> 02:00 (25 h day), Europe/Amsterdam.
    home = _simple_day(day, toilet_at=(30, 200), wake=450, bed=1390)
    prev = _simple_day(date.fromordinal(day.toordinal() - 1), bed=1380)
    home.rows += prev.rows
    row = daily_features(home.frame(), CTX).loc[pd.Timestamp(day)]
    assert row["wake_time"] == pytest.approx(450, abs=0.01)  # 07:30 on the wall clock
    assert row["bed_time"] == pytest.approx(1390, abs=0.01)
    assert row["night_toilet_visits"] == 2
    # Slept from 23:00 to 07:30 by the clock: 8.5 h, minus/plus the hour the clocks changed.
    expected = 7.5 if day.month == 3 else 9.5
    assert row["sleep_duration"] == pytest.approx(expected, abs=0.01)


def test_shower_and_outing_and_longest_gap() -> None:
    day = date(2026, 2, 3)
    home = _simple_day(day)
    home.shower(day, 500)
    home.motion(day, 837, 839, "hall_motion")
    home.emit(at(day, 840), "front_door", "contact", 1)
    home.emit(at(day, 840.2), "front_door", "contact", 0)
    home.emit(at(day, 960), "front_door", "contact", 1)
    frame = home.frame()
    frame = frame[~((frame["device"] == "living_motion") & (frame["timestamp"] > at(day, 835))
                    & (frame["timestamp"] < at(day, 965)))]
    row = daily_features(frame, CTX).loc[pd.Timestamp(day)]
    assert row["showers"] == 1
    assert row["door_uses"] == 2
    assert row["time_out_of_home"] == pytest.approx(2.0, abs=0.01)
    assert row["gap_b4"] < 30  # 14:00-16:00: the outing is an absence, not a silence at home


def test_hourly_activity_is_days_by_hours() -> None:
    day = date(2026, 2, 3)
    table = hourly_activity(_simple_day(day).frame())
    assert list(table.columns) == list(range(24))
    assert table.loc[pd.Timestamp(day), 7] > 0
    assert table.to_numpy().sum() > 0


def test_validation_refuses_bad_frames() -> None:
    frame = _simple_day(date(2026, 2, 3)).frame()
    with pytest.raises(ValueError, match="lack column"):
        validate_events(frame.drop(columns=["kind"]))
    with pytest.raises(ValueError, match="unknown kind"):
        validate_events(frame.assign(kind="smell"))
    with pytest.raises(ValueError, match="timezone-aware"):
        validate_events(frame.assign(timestamp=frame["timestamp"].dt.tz_localize(None)))
    before = frame.copy()
    validate_events(frame.iloc[::-1])
    pd.testing.assert_frame_equal(frame, before)


def _paced_day(day: date, every: float, door_only: bool = False) -> Home:
    """Two active hours (09:00-10:00 and 15:00-16:00) with a reading every ``every`` minutes."""
    home = Home(seed=0)
    for start in (540, 900):
        m = float(start)
        while m < start + 60:
            if door_only:
                home.emit(at(day, m), "front_door", "contact", 1)
                home.emit(at(day, m + 0.2), "front_door", "contact", 0)
            else:
                home.emit(at(day, m), "living_motion", "motion", 1)
                home.emit(at(day, m + 0.5), "living_motion", "motion", 0)
            m += every
    home.heartbeats(day)
    return home


def test_activity_pace_is_events_per_active_quarter_hour() -> None:
    day = date(2026, 2, 3)
    row = _features(_paced_day(day, every=3.0), day)
    # Eight active quarter-hours with five detections each.
    assert row["total_activity"] == 40
    assert row["activity_pace"] == pytest.approx(5.0)
    # Half the detections on every trip halves the pace; the active quarters stay the same.
    assert _features(_paced_day(day, every=6.0), day)["activity_pace"] == pytest.approx(2.5)


def test_activity_pace_is_unknown_without_any_motion_detection() -> None:
    # With door contacts alone, moving about less means fewer active quarters, not a lower pace.
    day = date(2026, 2, 3)
    row = _features(_paced_day(day, every=3.0, door_only=True), day)
    assert row["total_activity"] == 40 and np.isnan(row["activity_pace"])


def test_the_wake_up_is_certain_once_the_bed_stayed_empty_for_45_minutes() -> None:
    day = date(2026, 2, 3)
    row = _features(_simple_day(day, toilet_at=(120,), wake=455), day)
    assert row["wake_time"] == pytest.approx(455, abs=0.01)
    assert row["wake_known"] == 455 + 45


def test_without_a_bed_sensor_the_wake_up_is_certain_at_the_first_day_room_activity() -> None:
    day = date(2026, 2, 3)
    home = _simple_day(day, wake=455)
    home.rows = [r for r in home.rows if r[1] != "bed"]
    row = _features(home, day)
    # Up at 07:35 (the bedroom and hall burst), in the kitchen from 07:40: certain from then.
    assert row["wake_time"] <= 456 and row["wake_known"] == 460
