"""analyse(): the acceptance cases, strict online order, false-alarm rate and explanations."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from slimmaatwerk.analytics import ContextPeriod, ResidentContext, analyse
from tests.analytics.homes import at, normal_home

CTX = ResidentContext("r1")
START = date(2026, 1, 5)
DAY = date(2026, 2, 10)  # 36 days of history before it
KEYS = {"date", "start", "end", "raised_at", "indicator", "severity", "score", "observed", "expected",
        "expected_low", "expected_high", "unit", "baseline", "sensors", "explanation"}


def _alerts(frame, first=date(2026, 1, 20), last=date(2026, 2, 13), context=CTX):
    return analyse(frame, context, first, last)


def test_a_day_without_kitchen_activity_raises_kitchen_alert_that_day_only() -> None:
    frame = normal_home(START, 40, seed=3, kitchen={DAY: False}).frame()
    alerts = _alerts(frame)
    kitchen = [a for a in alerts if a["indicator"] == "kitchen_activity"]
    assert [a["date"] for a in kitchen] == [DAY.isoformat()]
    assert kitchen[0]["severity"] in ("amber", "red")
    assert kitchen[0]["observed"] == 0
    assert not [a for a in alerts if a["date"] == (DAY - timedelta(days=1)).isoformat()]
    assert all(s["healthy"] for s in kitchen[0]["sensors"])
    assert "No kitchen activity on Tuesday 10 February" in kitchen[0]["explanation"]["en"]
    assert "Geen activiteit in de keuken op dinsdag 10 februari" in kitchen[0]["explanation"]["nl"]
    assert "not a sensor fault" in kitchen[0]["explanation"]["en"]


def test_a_dead_kitchen_sensor_raises_sensor_offline_not_kitchen_activity() -> None:
    far = at(date(2026, 3, 1), 0)
    died = at(DAY, 200)  # 03:20 on 10 February, just before the day starts
    frame = normal_home(START, 40, seed=3).frame(
        drop=[("kitchen_motion", died, far), ("fridge", died, far)])
    alerts = _alerts(frame)
    assert not [a for a in alerts if a["indicator"] == "kitchen_activity"]
    offline = [a for a in alerts if a["indicator"] == "sensor_offline"]
    assert {a["sensors"][0]["device"] for a in offline} == {"kitchen_motion", "fridge"}
    for a in offline:
        assert a["severity"] == "amber"
        raised = datetime.fromisoformat(a["raised_at"])
        last_seen = datetime.fromisoformat(a["start"])
        assert raised - last_seen <= timedelta(hours=2)  # report interval (1 h) + 1 h
        assert a["explanation"]["en"] and a["explanation"]["nl"]


def test_alerts_have_the_design_shape_and_both_languages() -> None:
    frame = normal_home(START, 40, seed=3, kitchen={DAY: False}).frame(
        quiet=[(at(DAY + timedelta(days=1), 600), at(DAY + timedelta(days=1), 840))])
    alerts = _alerts(frame)
    assert {a["indicator"] for a in alerts} >= {"kitchen_activity", "inactivity"}
    for a in alerts:
        assert set(a) == KEYS
        assert set(a["baseline"]) == {"from", "to", "days"}
        assert a["explanation"]["nl"] and a["explanation"]["en"]
        assert a["explanation"]["nl"] != a["explanation"]["en"]
    raised = [datetime.fromisoformat(a["raised_at"]) for a in alerts]
    assert raised == sorted(raised)


def test_a_long_lie_is_raised_while_the_silence_lasts() -> None:
    gap_start = at(DAY, 9.5 * 60)
    frame = normal_home(START, 40, seed=7).frame(quiet=[(gap_start, at(DAY, 13.5 * 60))])
    lie = [a for a in _alerts(frame) if a["indicator"] == "inactivity"]
    assert len(lie) == 1 and lie[0]["severity"] in ("amber", "red")
    raised = datetime.fromisoformat(lie[0]["raised_at"])
    assert gap_start < raised <= gap_start + timedelta(hours=2)


def test_front_door_at_night_is_raised_at_the_door() -> None:
    home = normal_home(START, 40, seed=7)
    home.motion(DAY, 175, 179.5, "hall_motion")
    for minute, value in ((180, 1), (180.3, 0), (200, 1), (200.3, 0)):
        home.emit(at(DAY, minute), "front_door", "contact", value)
    exits = [a for a in _alerts(home.frame()) if a["indicator"] == "night_exit"]
    assert len(exits) == 1
    assert exits[0]["date"] == DAY.isoformat() and exits[0]["severity"] == "amber"
    assert datetime.fromisoformat(exits[0]["raised_at"]) == at(DAY, 180)


def test_appending_future_events_does_not_change_earlier_alerts() -> None:
    home = normal_home(START, 40, seed=3, kitchen={DAY: False}, wake_shift={d: 150 for d in
                                                                          (DAY, DAY + timedelta(days=1))})
    full = home.frame()
    cut = at(DAY + timedelta(days=2), 13 * 60)
    past = full[full["timestamp"] < cut]
    with_past = _alerts(past)
    with_future = [a for a in _alerts(full) if datetime.fromisoformat(a["raised_at"]) < cut]
    assert with_past == [a for a in with_past if datetime.fromisoformat(a["raised_at"]) < cut]
    assert with_future == with_past
    assert {a["indicator"] for a in with_past} >= {"kitchen_activity", "wake_time"}


def test_an_announced_absence_is_quiet_and_left_out() -> None:
    away = [DAY + timedelta(days=i) for i in range(3)]
    home = normal_home(START, 40, seed=3, kitchen={d: False for d in away})
    period = ContextPeriod("absence", at(DAY, 240), at(DAY + timedelta(days=3), 240))
    context = ResidentContext("r1", periods=(period,))
    alerts = _alerts(home.frame(), context=context)
    assert not [a for a in alerts if a["severity"] != "info" and a["date"] in {d.isoformat() for d in away}]


def test_sixty_clean_days_raise_at_most_two_alert_days_a_month() -> None:
    frame = normal_home(START, 76, seed=11).frame()
    first, last = START + timedelta(days=16), START + timedelta(days=75)
    calls = []
    alerts = analyse(frame, CTX, first, last, progress=lambda i, n: calls.append((i, n)))
    alert_days = {a["date"] for a in alerts if a["severity"] in ("amber", "red")}
    assert len(alert_days) / (60 / 30.4) <= 2
    assert calls[-1] == (60, 60)


def test_refuses_reversed_dates() -> None:
    frame = normal_home(START, 3, seed=1).frame()
    with pytest.raises(ValueError, match="before first_day"):
        analyse(frame, CTX, date(2026, 1, 7), date(2026, 1, 6))


def test_going_out_at_night_without_being_seen_walking_to_the_door_is_a_night_exit() -> None:
    """Asleep since the evening, then the front door at 03:00 with no motion before it (the sensors
    missed the walk): the resident was home, so this is going out, not coming home."""
    home = normal_home(START, 40, seed=7)
    for minute, value in ((180, 1), (180.3, 0), (200, 1), (200.3, 0)):
        home.emit(at(DAY, minute), "front_door", "contact", value)
    exits = [a for a in _alerts(home.frame()) if a["indicator"] == "night_exit"]
    assert [(a["date"], datetime.fromisoformat(a["raised_at"])) for a in exits] == [(DAY.isoformat(), at(DAY, 180))]


def test_coming_home_after_midnight_is_not_a_night_exit_even_with_a_pet_about() -> None:
    """Out in the evening, back at 01:30; a pet walking through the hall meanwhile does not put the
    resident indoors (in a pet home only doors, bed and appliances do)."""
    home = normal_home(START, 40, seed=7)
    evening = DAY - timedelta(days=1)
    home.motion(evening, 23.5 * 60 - 3, 23.5 * 60 - 0.5, "hall_motion")
    for minute, value in ((23.5 * 60, 1), (23.5 * 60 + 0.3, 0), (25.5 * 60, 1), (25.5 * 60 + 0.3, 0)):
        home.emit(at(evening, minute), "front_door", "contact", value)
    home.motion(evening, 24.5 * 60, 24.5 * 60 + 1, "hall_motion")  # the cat, an hour after the door
    frame = home.frame()
    with_pet = ResidentContext("r1", pet=True)
    assert not [a for a in _alerts(frame, context=with_pet) if a["indicator"] == "night_exit"]
    # Without a pet declared that motion means someone was indoors: going out at 01:30 then.
    assert [a["date"] for a in _alerts(frame) if a["indicator"] == "night_exit"] == [DAY.isoformat()]
