"""Every injection type leaves its full sensor signature in the raw stream, and heartbeats go on."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
import pytest

from slimmaatwerk.events import ACTIVITY_KINDS, Event
from slimmaatwerk.localtime import day_bounds, day_of, to_local
from slimmaatwerk.simulate import ANOMALIES, Injection, SimHome, simulate_home
from tests.simulate.sim_stats import activity, wake_minutes

START = date(2026, 1, 5)
DAY = START + timedelta(days=16)
DAYS = 26
SEED = 21


@pytest.fixture(scope="module")
def plain() -> SimHome:
    return simulate_home(0, DAYS, SEED, START)


def inject(kind: str, start: date = DAY, days: int = DAYS, **params) -> SimHome:
    return simulate_home(0, days, SEED, START, [Injection(kind, start, params)])


def within(events: list[Event], a: datetime, b: datetime) -> list[Event]:
    return [e for e in events if a <= e.timestamp < b]


def days_window(first: date, count: int) -> tuple[datetime, datetime]:
    return day_bounds(first)[0], day_bounds(first + timedelta(days=count - 1))[1]


def test_ground_truth_names_the_design_indicators() -> None:
    expected = {
        "A1": {"kitchen_activity"}, "B": {"wake_time", "sleep_duration"}, "C": {"night_toilet_visits"},
        "D": {"total_activity", "room_transitions", "gradual_decline"}, "E": {"inactivity"},
        "F": {"night_exit"}, "G": {"gradual_decline", "total_activity"},
        "H": {"housebound", "time_out_of_home"}, "I": {"hygiene"},
        "J": {"night_restlessness", "sleep_duration"}, "K": {"bed_time", "sleep_duration"},
        "S": {"sensor_offline"},
    }
    for kind, indicators in expected.items():
        assert set(ANOMALIES[kind].indicators) == indicators
    home = simulate_home(0, 10, 1, START, [Injection("A3", START + timedelta(days=2)), Injection("S", START)])
    a3, s = home.ground_truth
    assert a3["type"] == "A3" and a3["indicators"] == ["kitchen_activity"]
    assert (a3["start"], a3["end"]) == days_window(START + timedelta(days=2), 3)
    assert s["device"] == "kitchen_motion" and s["end"] == day_bounds(START + timedelta(days=9))[1]


@pytest.mark.parametrize(("kind", "count"), [("A1", 1), ("A3", 3)])
def test_a_no_kitchen_activity_but_kitchen_heartbeats(plain: SimHome, kind: str, count: int) -> None:
    home = inject(kind)
    a, b = days_window(DAY, count)
    kitchen = [e for e in within(home.events, a, b) if e.room == "kitchen"]
    assert not [e for e in kitchen if e.kind in ACTIVITY_KINDS]
    assert sum(e.kind == "heartbeat" and e.device == "kitchen_motion" for e in kitchen) >= 20 * count
    assert sum(e.kind == "heartbeat" and e.device == "fridge_door" for e in kitchen) >= 20 * count
    assert len([e for e in within(plain.events, a, b) if e.room == "kitchen" and e.kind == "motion"]) > 50
    after = day_bounds(DAY + timedelta(days=count))
    assert [e for e in within(home.events, *after) if e.room == "kitchen" and e.kind == "motion"]


def test_b_wakes_two_hours_later(plain: SimHome) -> None:
    home = inject("B")
    base, late = wake_minutes(plain.events), wake_minutes(home.events)
    shift = late[16:19] - base[16:19]
    assert np.all((shift > 90) & (shift < 150)), shift
    assert np.all(np.abs(late[20:] - base[20:]) < 1)
    def got_up(h):  # the bed sensor sees the later getting up too
        return next(e.timestamp for e in h.events if e.device == "bed_presence" and e.kind == "presence"
                    and e.value == 0 and day_of(e.timestamp) == DAY and to_local(e.timestamp).hour >= 5)

    assert 100 <= (got_up(home) - got_up(plain)).total_seconds() / 60 <= 140


def _bed_exits(home: SimHome, a: datetime, b: datetime) -> int:
    return sum(e.device == "bed_presence" and e.kind == "presence" and e.value == 0
               for e in within(home.events, a, b))


def test_c_three_extra_full_night_toilet_visits(plain: SimHome) -> None:
    home = inject("C")
    truth = home.ground_truth[0]
    for night in range(3):
        a = day_bounds(DAY + timedelta(days=night))[0] + timedelta(hours=17)  # evening before the night
        b = a + timedelta(hours=19)  # until the next afternoon
        assert _bed_exits(home, a, b) - _bed_exits(plain, a, b) >= 3
    visits = within(home.events, truth["start"], truth["end"] + timedelta(seconds=1))
    devices = {e.device for e in visits if e.kind in ACTIVITY_KINDS}
    assert {"bed_presence", "hall_motion", "toilet_motion", "toilet_door"} <= devices
    assert truth["dates"] == [DAY + timedelta(days=i) for i in (1, 2, 3)]  # nights end on these dates


def test_d_halves_activity(plain: SimHome) -> None:
    home = inject("D")
    a, b = days_window(DAY, 3)
    ratio = len(activity(within(home.events, a, b))) / len(activity(within(plain.events, a, b)))
    assert 0.35 <= ratio <= 0.7, ratio


def test_e_four_hours_without_activity_while_at_home(plain: SimHome) -> None:
    home = inject("E")
    truth = home.ground_truth[0]
    start, end = truth["start"], truth["end"]
    assert (end - start).total_seconds() >= 4 * 3600
    assert 9 <= to_local(start).hour < 15
    inside = within(home.events, start + timedelta(seconds=1), end)
    assert not [e for e in inside if e.kind in ACTIVITY_KINDS]
    assert sum(e.kind == "heartbeat" for e in inside) >= 20  # the sensors are alive
    assert len(activity(within(plain.events, start, end))) > 20  # normally a lot happens then
    door = [e for e in home.events if e.placement == "front_door" and e.kind == "contact" and e.timestamp < start]
    assert not door or door[-1].value == 0  # the door is closed: at home (last use was coming back)


def test_f_front_door_at_three_in_the_night_and_back_after_twenty_minutes() -> None:
    home = inject("F")
    truth = home.ground_truth[0]
    opened = truth["start"]
    local = to_local(opened)
    assert local.date() == DAY + timedelta(days=1) and (local.hour, local.minute) >= (2, 30) and local.hour < 4
    doors = [e for e in home.events if e.placement == "front_door" and e.kind == "contact"
             and opened <= e.timestamp <= opened + timedelta(minutes=40)]
    assert [e.value for e in doors] == [1, 0, 1, 0]
    assert 19 * 60 <= (doors[2].timestamp - doors[0].timestamp).total_seconds() <= 21 * 60
    hall = [e for e in home.events if e.device == "hall_motion" and e.value == 1
            and abs((e.timestamp - opened).total_seconds()) < 300]
    assert hall


def test_g_declines_over_four_weeks() -> None:
    start = START + timedelta(days=2)
    home = inject("G", start=start, days=31)
    plain = simulate_home(0, 31, SEED, START)
    first = days_window(start, 7)
    last = days_window(start + timedelta(days=21), 7)

    def ratio(window):
        return len(activity(within(home.events, *window))) / len(activity(within(plain.events, *window)))

    assert ratio(first) > 0.8 and ratio(last) < 0.75 and ratio(last) < ratio(first) - 0.15


def test_h_no_exterior_door_for_five_days(plain: SimHome) -> None:
    home = inject("H")
    a, b = days_window(DAY, 5)
    door = [e for e in within(home.events, a, b) if e.device == "front_door"]
    assert not [e for e in door if e.kind == "contact"]
    assert sum(e.kind == "heartbeat" for e in door) >= 100
    assert [e for e in within(plain.events, a, b) if e.device == "front_door" and e.kind == "contact"]


def test_i_no_shower_humidity_rise_for_four_days(plain: SimHome) -> None:
    home = inject("I")
    a, b = days_window(DAY, 4)

    def peak(h):
        return max(e.value for e in within(h.events, a, b) if e.kind == "humidity")

    assert peak(plain) >= 85 and peak(home) < 75


def test_j_five_night_bursts_per_night(plain: SimHome) -> None:
    home = inject("J")
    truth = home.ground_truth[0]
    for night in range(1, 4):
        a = day_bounds(DAY + timedelta(days=night - 1))[0] + timedelta(hours=20)  # 00:00 local
        b = a + timedelta(hours=5)
        assert _bed_exits(home, a, b) - _bed_exits(plain, a, b) >= 5
        roaming = [e for e in within(home.events, a, b) if e.device in ("living_motion", "kitchen_motion")
                   and e.value == 1 and e.kind == "motion"]
        assert len(roaming) >= 5
    assert truth["start"] >= day_bounds(DAY)[0] + timedelta(hours=20)
    assert to_local(truth["end"]).hour < 6


def test_k_goes_to_bed_two_hours_later(plain: SimHome) -> None:
    home = inject("K")

    def bedtime(h, day):
        a, b = day_bounds(day)
        ons = [e.timestamp for e in within(h.events, a + timedelta(hours=16), b)
               if e.device == "bed_presence" and e.kind == "presence" and e.value == 1]
        return ons[0]

    for i in range(3):
        day = DAY + timedelta(days=i)
        shift = (bedtime(home, day) - bedtime(plain, day)).total_seconds() / 60
        assert 75 <= shift <= 150, shift


def test_s_dead_sensor_sends_nothing_at_all() -> None:
    home = inject("S")
    truth = home.ground_truth[0]
    device, died = truth["device"], truth["start"]
    assert device == "kitchen_motion"
    assert [e for e in home.events if e.device == device and e.timestamp < died]
    assert not [e for e in home.events if e.device == device and e.timestamp >= died]
    assert [e for e in home.events if e.device == "fridge_door" and e.timestamp >= died and e.kind == "contact"]


def test_s_can_pick_another_device() -> None:
    home = inject("S", device="living_motion", at_min=600)
    died = home.ground_truth[0]["start"]
    assert to_local(died).hour == 10
    assert not [e for e in home.events if e.device == "living_motion" and e.timestamp >= died]
