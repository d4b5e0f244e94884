"""The night's features on hand-built evenings and nights: bed time, toilet visits and restless spells.

Bed time must not be fooled by a doze in the armchair (a long day-room silence without the bedroom),
toilet visits count over the whole night from going to bed to getting up, and a restless spell is time
up and about in the home at night, not turning over in bed and not a toilet visit.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from slimmaatwerk.analytics import ResidentContext, daily_features
from tests.analytics.homes import Home, at

CTX = ResidentContext("r1")
DAY = date(2026, 2, 3)


def _evening(home: Home, day: date, *, doze: tuple[float, float] | None, bed: float, in_bed: bool = True) -> None:
    """Living-room evening from 19:00, an optional motionless doze, then toilet, bedroom and bed."""
    m = 19 * 60
    while m < bed - 20:
        if doze and doze[0] <= m < doze[1]:
            m = doze[1]
            continue
        end = min(m + 20, bed - 20, doze[0] if doze and m < doze[0] else bed)
        home.motion(day, m, end, "living_motion", every=3)
        m = end + 2
    home.motion(day, bed - 15, bed - 14, "hall_motion")
    home.motion(day, bed - 13, bed - 9, "toilet_motion")
    home.motion(day, bed - 8, bed - 1, "bedroom_motion")
    if in_bed:
        home.emit(at(day, bed), "bed", "presence", 1)


def _morning(home: Home, day: date, wake: float) -> None:
    home.emit(at(day, wake), "bed", "presence", 0)
    home.motion(day, wake + 1, wake + 3, "hall_motion")
    home.meal(day, wake + 5, 20)
    home.motion(day, wake + 30, 18 * 60, "living_motion", every=20)
    home.heartbeats(day)


def _row(home: Home, day: date, drop: tuple[str, ...] = ()) -> pd.Series:
    frame = home.frame()
    frame = frame[~frame["device"].isin(drop)]
    return daily_features(frame, CTX).loc[pd.Timestamp(day)]


@pytest.mark.parametrize("drop", [(), ("bed",)], ids=["bed sensor", "no bed sensor"])
def test_a_doze_in_the_chair_is_not_bed_time(drop: tuple[str, ...]) -> None:
    home = Home(seed=3)
    _morning(home, DAY, 450)
    # 20:00-22:45 motionless in the armchair, then up again and to bed at 01:00 (a late night).
    _evening(home, DAY, doze=(20 * 60, 22.75 * 60), bed=25 * 60)
    _morning(home, DAY + timedelta(days=1), 480)
    assert _row(home, DAY, drop)["bed_time"] == pytest.approx(25 * 60, abs=10)


def test_with_a_bed_sensor_bed_time_is_the_start_of_the_longest_stay_in_bed() -> None:
    home = Home(seed=4)
    _morning(home, DAY, 450)
    _evening(home, DAY, doze=None, bed=23.5 * 60)
    # Lay down on the bed at 20:00 for an hour, up again until 23:30, then a toilet trip at 02:00.
    home.emit(at(DAY, 20 * 60), "bed", "presence", 1)
    home.emit(at(DAY, 21 * 60), "bed", "presence", 0)
    home.toilet_trip(DAY + timedelta(days=1), 120, from_bed=True)
    _morning(home, DAY + timedelta(days=1), 450)
    row = daily_features(home.frame(), CTX)
    assert row.loc[pd.Timestamp(DAY), "bed_time"] == pytest.approx(23.5 * 60, abs=0.01)
    assert row.loc[pd.Timestamp(DAY + timedelta(days=1)), "sleep_duration"] == pytest.approx(8.0, abs=0.01)


def test_toilet_visits_count_from_going_to_bed_to_getting_up_not_the_evening_routine() -> None:
    home = Home(seed=5)
    night = DAY + timedelta(days=1)
    _morning(home, DAY, 450)
    _evening(home, DAY, doze=None, bed=22 * 60)  # the evening toilet visit at 21:47 is before bed
    for m in (-60, 120, 330):  # 23:00, 02:00 and 05:30: all while in bed for the night
        home.toilet_trip(night, m, from_bed=True)
    _morning(home, night, 7 * 60)
    features = daily_features(home.frame(), CTX)
    assert features.loc[pd.Timestamp(night), "night_toilet_visits"] == 3


def test_without_a_known_bed_time_the_night_is_midnight_to_five() -> None:
    home = Home(seed=6)
    for m in (30, 200, 330):  # 00:30 and 03:20 count; 05:30 is outside the fallback window
        home.toilet_trip(DAY, m, from_bed=True)
    _morning(home, DAY, 7 * 60)
    assert _row(home, DAY)["night_toilet_visits"] == 2


def test_restless_spells_are_up_and_about_not_turning_over_or_the_toilet() -> None:
    home = Home(seed=7)
    night = DAY + timedelta(days=1)
    _morning(home, DAY, 450)
    _evening(home, DAY, doze=None, bed=23 * 60)
    for m in (40, 70, 100, 130, 190, 250):  # turning over in bed: bedroom motion only
        home.motion(night, m, m + 1, "bedroom_motion")
    home.toilet_trip(night, 150, from_bed=True)  # through the hall to the toilet: a toilet visit
    for m in (60, 210):  # up, through the hall to the living room and back: two restless spells
        home.emit(at(night, m), "bed", "presence", 0)
        home.motion(night, m + 0.5, m + 1, "bedroom_motion")
        home.motion(night, m + 1, m + 1.5, "hall_motion")
        home.motion(night, m + 2, m + 8, "living_motion")
        home.motion(night, m + 8.5, m + 9, "hall_motion")
        home.emit(at(night, m + 10), "bed", "presence", 1)
    _morning(home, night, 7 * 60)
    row = _row(home, night)
    assert row["night_restlessness"] == 2
    assert row["night_toilet_visits"] == 1
