"""REALISM.md-style statistics of a simulated event stream (test helper; 04:00-04:00 days)."""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import date

import numpy as np

from slimmaatwerk.events import ACTIVITY_KINDS, Event
from slimmaatwerk.localtime import day_of, minutes_after_midnight, to_local


def activity(events: list[Event]) -> list[Event]:
    return [e for e in events if e.kind in ACTIVITY_KINDS]


def by_day(events: list[Event]) -> dict[date, list[Event]]:
    days: dict[date, list[Event]] = defaultdict(list)
    for e in events:
        days[day_of(e.timestamp)].append(e)
    return days


def whole_days(events: list[Event]) -> list[date]:
    days = sorted(by_day(events))
    return days


def events_per_day(events: list[Event]) -> np.ndarray:
    days = by_day(activity(events))
    return np.array([len(days[d]) for d in sorted(days)], dtype=float)


def wake_minutes(events: list[Event]) -> np.ndarray:
    """First bathroom/kitchen/living activity of each day (the morning routine), minutes after midnight."""
    out = []
    for day, evs in sorted(by_day(activity(events)).items()):
        times = [minutes_after_midnight(e.timestamp, day) for e in evs
                 if e.room in ("bathroom", "kitchen", "living") and e.value == 1]
        if times:
            out.append(min(times))
    return np.array(out)


def night_toilet_visits(events: list[Event]) -> np.ndarray:
    """Per night (00:00-05:00 local): toilet/bathroom activity episodes separated by > 15 min."""
    nights: dict[date, list[float]] = defaultdict(list)
    for e in activity(events):
        local = to_local(e.timestamp)
        if e.room in ("toilet",) and local.hour < 5:
            nights[local.date()].append(e.timestamp.timestamp())
    all_nights = sorted({to_local(e.timestamp).date() for e in events})[1:]
    counts = []
    for night in all_nights:
        times = sorted(nights.get(night, []))
        visits = 0
        last = -1e18
        for t in times:
            if t - last > 15 * 60:
                visits += 1
            last = t
        counts.append(visits)
    return np.array(counts)


def longest_daytime_gaps(events: list[Event], exclude_out: bool = True) -> np.ndarray:
    """Longest silence (hours) between 09:00 and 18:00, on days without front-door use."""
    out = []
    for day, evs in sorted(by_day(activity(events)).items()):
        if exclude_out and any(e.placement == "front_door" for e in evs):
            continue
        mins = sorted(m for e in evs if 540 <= (m := minutes_after_midnight(e.timestamp, day)) <= 1080)
        edges = [540.0, *mins, 1080.0]
        out.append(max(b - a for a, b in itertools.pairwise(edges)) / 60)
    return np.array(out)
