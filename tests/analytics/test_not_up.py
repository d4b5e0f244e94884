"""Not up yet: a wake-up alert raised while the resident is still in bed, strictly online."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np

from slimmaatwerk.analytics import ResidentContext, analyse
from slimmaatwerk.analytics.not_up import not_up_from
from slimmaatwerk.analytics.sleep import SleepInputs
from tests.analytics.homes import at, normal_home

CTX = ResidentContext("r1")
START = date(2026, 1, 5)
DAY = date(2026, 2, 10)  # a Tuesday, 36 days of history before it
MIN = 60_000_000_000
FAR = (at(START, 0), at(DAY + timedelta(days=30), 0))


def _inputs(human=(), dayroom=(), enter=(), leave=()) -> SleepInputs:
    def arr(values):
        return np.array(sorted(int(v * MIN) for v in values), dtype=np.int64)

    return SleepInputs(human=arr(human), dayroom=arr(dayroom), bed_enter=arr(enter), bed_leave=arr(leave))


def test_without_a_bed_sensor_quiet_and_no_day_room_is_not_up() -> None:
    inp = _inputs(human=[300, 500])
    assert not_up_from(inp, 240 * MIN, 600 * MIN, 960 * MIN) == 600 * MIN


def test_activity_in_a_day_room_before_the_moment_is_up() -> None:
    inp = _inputs(human=[300, 550], dayroom=[550])
    assert not_up_from(inp, 240 * MIN, 600 * MIN, 960 * MIN) is None


def test_recent_bedroom_activity_waits_until_it_has_been_quiet_for_a_while() -> None:
    inp = _inputs(human=[595, 598])  # pottering about the bedroom just before 10:00
    assert not_up_from(inp, 240 * MIN, 600 * MIN, 960 * MIN) == (598 + 15) * MIN
    led_into_kitchen = _inputs(human=[595, 598, 605], dayroom=[605])
    assert not_up_from(led_into_kitchen, 240 * MIN, 600 * MIN, 960 * MIN) is None


def test_in_bed_with_only_short_trips_is_not_up() -> None:
    inp = _inputs(enter=[-60, 320], leave=[300])  # a toilet trip at 05:00
    assert not_up_from(inp, 240 * MIN, 600 * MIN, 960 * MIN) == 600 * MIN


def test_out_of_bed_on_a_short_trip_waits_for_the_return() -> None:
    inp = _inputs(enter=[-60, 610], leave=[590])
    assert not_up_from(inp, 240 * MIN, 600 * MIN, 960 * MIN) == 610 * MIN


def test_a_long_time_out_of_bed_is_getting_up() -> None:
    inp = _inputs(enter=[-60, 400], leave=[330])  # up at 05:30 for 70 minutes, back to bed
    assert not_up_from(inp, 240 * MIN, 600 * MIN, 960 * MIN) is None
    still_out = _inputs(enter=[-60], leave=[580])
    assert not_up_from(still_out, 240 * MIN, 600 * MIN, 960 * MIN) is None


def test_a_bed_that_never_saw_the_night_cannot_tell() -> None:
    inp = _inputs(enter=[-600], leave=[-300])  # left the bed yesterday evening: slept elsewhere
    assert not_up_from(inp, 240 * MIN, 600 * MIN, 960 * MIN) is None


def _stays_in_bed(home, day: date) -> None:
    """A night that does not end: in bed since the evening before, turning over now and then."""
    for minute in (300, 420, 480):
        home.motion(day, minute, minute + 1, "bedroom_motion")
    home.heartbeats(day)


def _wake_alerts(frame, last=DAY):
    alerts = analyse(frame, CTX, date(2026, 1, 20), last)
    return [a for a in alerts if a["indicator"] == "wake_time" and a["date"] == DAY.isoformat()]


def test_a_resident_who_does_not_get_up_is_raised_in_the_morning() -> None:
    home = normal_home(START, 36, seed=3)
    _stays_in_bed(home, DAY)
    [alert] = _wake_alerts(home.frame())
    raised = datetime.fromisoformat(alert["raised_at"])
    # Usually up at about 07:15 (spread ~25 min): raised well before noon, after the usual range.
    assert at(DAY, 8 * 60) < raised < at(DAY, 11 * 60)
    assert alert["severity"] in ("amber", "red")
    assert alert["observed"] == round((raised - at(DAY, 0)).total_seconds() / 60, 2)
    assert alert["expected_high"] < alert["observed"]
    assert alert["explanation"]["en"].startswith("Not up yet on Tuesday 10 February: no sign of getting up by ")
    assert alert["explanation"]["nl"].startswith("Nog niet opgestaan op dinsdag 10 februari: om ")
    assert "usually up between" in alert["explanation"]["en"]
    assert "gewoonlijk op tussen" in alert["explanation"]["nl"]


def test_the_same_alert_from_the_data_up_to_its_moment_only() -> None:
    home = normal_home(START, 36, seed=3)
    _stays_in_bed(home, DAY)
    full = home.frame()
    [alert] = _wake_alerts(full)
    cut = datetime.fromisoformat(alert["raised_at"]) + timedelta(minutes=1)
    [online] = _wake_alerts(full[full["timestamp"] < cut])
    assert online == alert


def test_without_a_bed_sensor_it_is_raised_too() -> None:
    home = normal_home(START, 36, seed=3)
    _stays_in_bed(home, DAY)
    [alert] = _wake_alerts(home.frame(drop=[("bed", *FAR)]))
    raised = datetime.fromisoformat(alert["raised_at"])
    assert at(DAY, 8 * 60) < raised < at(DAY, 12 * 60)
    assert "Not up yet" in alert["explanation"]["en"]


def test_a_late_morning_is_raised_before_the_wake_up_and_only_once() -> None:
    home = normal_home(START, 37, seed=3, wake_shift={DAY: 240})  # up at about 11:15 instead of 07:15
    alerts = _wake_alerts(home.frame(), last=DAY + timedelta(days=1))
    assert len(alerts) == 1
    raised = datetime.fromisoformat(alerts[0]["raised_at"])
    assert raised < at(DAY, 10 * 60)  # well before the wake-up itself
    assert alerts[0]["explanation"]["en"].startswith("Not up yet")


def test_an_ordinary_morning_raises_nothing() -> None:
    home = normal_home(START, 37, seed=3)
    assert _wake_alerts(home.frame(), last=DAY + timedelta(days=1)) == []
