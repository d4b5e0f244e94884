"""Aggregate statistics of simulated homes against the ranges REALISM.md reports for real homes."""

from __future__ import annotations

import itertools
from datetime import date

import numpy as np
import pytest

from slimmaatwerk.localtime import to_local
from slimmaatwerk.simulate import simulate_home
from tests.simulate.sim_stats import (
    activity,
    by_day,
    events_per_day,
    longest_daytime_gaps,
    night_toilet_visits,
    wake_minutes,
)

START = date(2026, 1, 5)
HOMES = 6
DAYS = 28


@pytest.fixture(scope="module")
def homes():
    return [simulate_home(i, DAYS, 11, START) for i in range(HOMES)]


def test_events_per_day_and_day_to_day_spread(homes) -> None:
    medians, cvs = [], []
    for home in homes:
        per_day = events_per_day(home.events)[1:-1]  # whole days only
        medians.append(np.median(per_day))
        cvs.append(per_day.std() / per_day.mean())
    assert all(50 <= m <= 2200 for m in medians), medians  # REALISM: 51-2,189 activity events/day
    assert all(0.1 <= cv <= 0.9 for cv in cvs), cvs  # REALISM: 0.16-0.81
    assert max(cvs) >= 0.25, cvs  # not every home is tidy
    totals = [len(h.events) / DAYS for h in homes]
    assert all(300 <= t <= 2000 for t in totals), totals  # incl. heartbeats and climate


def test_wake_time_medians_and_spread(homes) -> None:
    medians, sds = [], []
    for home in homes:
        wake = wake_minutes(home.events)
        medians.append(np.median(wake) / 60)
        sds.append(wake.std())
    assert all(6.0 <= m <= 11.5 for m in medians), medians
    assert all(15 <= sd <= 260 for sd in sds), sds  # REALISM: 51-248 min
    assert max(sds) - min(sds) >= 20, sds  # residents differ in regularity


def test_night_toilet_visits_are_common_but_not_universal(homes) -> None:
    shares = [float((night_toilet_visits(h.events) > 0).mean()) for h in homes]
    assert all(0.15 <= s <= 1.0 for s in shares), shares
    assert 0.4 <= float(np.mean(shares)) <= 1.0, shares  # REALISM: 0.38-1.0


def test_longest_daytime_gap_at_home(homes) -> None:
    gaps = np.concatenate([longest_daytime_gaps(h.events, exclude_out=False) for h in homes])
    assert np.quantile(gaps, 0.9) <= 5.0  # REALISM: p90 up to 3.8 h, max 5.2 h
    assert np.quantile(gaps, 0.5) >= 0.3
    assert gaps.max() >= 2.0  # quiet spells (naps, dozing) do happen


def test_kitchen_activity_varies_and_front_door_is_used(homes) -> None:
    for home in homes:
        days = by_day(activity(home.events))
        kitchen = np.array([sum(e.room == "kitchen" for e in days[d]) for d in sorted(days)][1:-1])
        assert kitchen.min() > 0 and kitchen.std() / kitchen.mean() >= 0.1
        if any(d.placement == "front_door" for d in home.devices):
            door_days = [any(e.placement == "front_door" for e in days[d]) for d in sorted(days)]
            assert 0.4 <= np.mean(door_days) < 1.0  # goes out most days, not every day


def test_kits_differ_between_homes(homes) -> None:
    kits = [frozenset(d.device for d in h.devices) for h in homes]
    assert len(set(kits)) >= 4
    assert any("front_door" not in k for k in kits)  # one in ~6 homes has no front-door sensor
    assert all({"kitchen_motion", "bathroom_climate", "living_motion"} <= k for k in kits)


def test_showers_raise_bathroom_humidity(homes) -> None:
    home = homes[0]
    hum = [(e.timestamp, e.value) for e in home.events if e.kind == "humidity"]
    values = np.array([v for _, v in hum])
    assert 50 <= np.median(values) <= 70
    peaks = by_day([e for e in home.events if e.kind == "humidity" and e.value >= 85])
    assert 7 <= len(peaks) <= DAYS  # showers every 1-3 days
    # A rise from baseline to >= 85 % takes 5-10 min: find the first >= 85 reading and look back 15 min.
    first_peak = min(t for t, v in hum if v >= 85)
    before = [v for t, v in hum if 0 < (first_peak - t).total_seconds() <= 15 * 60]
    assert min(before) < 75
    after = [v for t, v in hum if 60 * 60 <= (t - first_peak).total_seconds() <= 90 * 60]
    assert max(after) < 75  # decayed within the hour


def test_heartbeats_about_hourly_when_silent(homes) -> None:
    home = homes[0]
    beats = [e.timestamp for e in home.events if e.device == "front_door" and e.kind == "heartbeat"]
    assert len(beats) >= DAYS * 10
    msgs = sorted(e.timestamp for e in home.events if e.device == "front_door")
    longest = max((b - a).total_seconds() for a, b in itertools.pairwise(msgs))
    assert longest <= 3700  # never silent for more than the report interval + jitter
    battery = [e.value for e in home.events if e.device == "front_door" and e.kind == "battery"]
    assert DAYS - 1 <= len(battery) <= DAYS + 1 and battery[0] >= battery[-1]
    assert not [e for e in home.events if e.device == "bed_presence" and e.kind == "battery"]  # mains


def test_motion_follows_aqara_timing(homes) -> None:
    home = homes[0]
    for name in ("kitchen_motion", "living_motion"):
        evs = [e for e in home.events if e.device == name and e.kind == "motion"]
        ones = [e.timestamp for e in evs if e.value == 1]
        assert min((b - a).total_seconds() for a, b in itertools.pairwise(ones)) >= 60  # blind
        prev = None
        for e in evs:
            if e.value == 0:
                assert prev is not None and (e.timestamp - prev).total_seconds() == 90
            else:
                prev = e.timestamp


def test_dst_keeps_wall_clock_routine() -> None:
    """Across the spring DST change the wake time stays in the resident's wall-clock range."""
    home = simulate_home(1, 14, 4, date(2026, 3, 22))
    wake = wake_minutes(home.events)
    assert np.ptp(wake[:7] / 60) < 8 and abs(np.median(wake[:7]) - np.median(wake[7:])) < 120
    assert any(to_local(e.timestamp).utcoffset().total_seconds() == 7200 for e in home.events)
