"""The day plan: when a resident wakes, eats, showers, goes out, naps, gets visitors and goes to bed.

Plans are drawn per day from their own random stream (seed, home, day), so an injection on one day
never changes the untouched days around it. Times are wall-clock minutes after the local midnight of
the plan's date (a bedtime of 1470 is 00:30 the next morning), so routines survive DST changes.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from .household import P_PLAN, Persona, rng_for

Window = tuple[float, float]  # (start minute, duration in minutes)


@dataclass
class DayPlan:
    day: date
    wake: float
    bed: float
    breakfast: float
    lunch: float
    dinner: float
    shower: bool
    shower_evening: bool
    outings: list[Window] = field(default_factory=list)
    visit: Window | None = None
    nap: Window | None = None
    level: float = 1.0  # day-to-day activity level (spread of events/day)
    # What injections change (see injections.py):
    thin: float = 1.0  # share of motion detections / fridge openings that still happen (D, G)
    no_kitchen: bool = False  # A
    gap: Window | None = None  # E: a long lie
    extra_toilet: int = 0  # C: extra visits in the night that begins this evening
    night_exit: Window | None = None  # F: (minute, e.g. 1620 = 03:00 next morning, minutes away)
    bursts: int = 0  # J: restless wandering in the night that begins this evening
    away: str = ""  # "" | "leave" | "gone" | "return" (announced absence)
    away_at: float = 0.0  # minute of leaving ("leave") or coming back ("return")


def _overlaps(busy: list[Window], start: float, dur: float, margin: float) -> bool:
    return any(start < s + d + margin and s < start + dur + margin for s, d in busy)


def _place(rng: np.random.Generator, busy: list[Window], windows: list[Window], dur: float) -> Window | None:
    """Put an activity of ``dur`` minutes somewhere free inside one of ``windows``."""
    for _ in range(4):
        lo, hi = windows[int(rng.integers(len(windows)))]
        if hi - lo < dur:
            continue
        start = float(rng.uniform(lo, hi - dur))
        if not _overlaps(busy, start, dur, 15):
            return (start, dur)
    return None


def draw_plan(persona: Persona, seed: int, index: int, k: int, day: date, shower_due: bool) -> DayPlan:
    rng = rng_for(seed, index, P_PLAN, k)
    p = persona
    weekend = day.weekday() >= 5
    wake = p.wake_med + (p.weekend_wake_shift if weekend else 0.0) + rng.normal(0, p.wake_sd)
    wake = float(np.clip(wake, max(5 * 60, p.wake_med - min(2.5 * p.wake_sd, 180)),
                         min(12.5 * 60, p.wake_med + min(3 * p.wake_sd, 180))))
    bed = float(np.clip(p.bed_med + rng.normal(0, p.bed_sd), 20.5 * 60, 27 * 60))
    bed = max(bed, wake + 10 * 60)
    breakfast = wake + float(rng.uniform(20, 55))
    lunch = max(p.lunch_med + float(rng.normal(0, 20)), breakfast + 150)
    dinner = max(p.dinner_med + float(rng.normal(0, 25)), lunch + 240)
    bed = max(bed, dinner + 150)
    level = float(np.exp(rng.normal(0, p.day_sigma)))
    if rng.random() < p.off_day_prob:  # feeling unwell: a slow day mostly in the chair
        level = min(level, float(rng.uniform(0.3, 0.5)))
    plan = DayPlan(day, wake, bed, breakfast, lunch, dinner, shower_due,
                   p.shower_evening if rng.random() < 0.85 else not p.shower_evening, level=level)

    busy: list[Window] = []
    for weekday, start, dur in p.weekly_outings:
        if weekday == day.weekday() and rng.random() < 0.85 and start > breakfast + 20:
            busy.append((start + float(rng.normal(0, 10)), dur + float(rng.normal(0, 15))))
    windows = [(breakfast + 40, lunch - 20), (lunch + 45, dinner - 20)]
    if rng.random() < 0.15:
        windows.append((dinner + 60, bed - 60))
    rate = p.outings_per_day * (0.6 if day.weekday() == 6 else 1.0) * min(level, 1.5)
    for _ in range(min(int(rng.poisson(rate)), 3)):
        dur = float(np.clip(np.exp(rng.normal(np.log(75), 0.6)), 30, 240))
        placed = _place(rng, busy, windows, dur)
        if placed:
            busy.append(placed)
    plan.outings = sorted(busy)

    if rng.random() < p.visitors_per_week / 7 * (1.6 if weekend else 0.8):
        dur = float(rng.uniform(45, 180))
        plan.visit = _place(rng, busy, [(max(10.5 * 60, breakfast + 60), 17 * 60), (lunch + 40, 17.5 * 60)], dur)
        if plan.visit:
            busy.append(plan.visit)
    if rng.random() < p.nap_prob:
        dur = float(rng.uniform(20, 90))
        plan.nap = _place(rng, busy, [(lunch + 30, min(lunch + 180, dinner - 30))], dur)
    return plan


def draw_plans(persona: Persona, seed: int, index: int, start: date, days: int) -> list[DayPlan]:
    plans: list[DayPlan] = []
    since = 0.0
    next_gap = persona.shower_every
    for k in range(days):
        since += 1
        due = since >= next_gap
        plan = draw_plan(persona, seed, index, k, start + timedelta(days=k), due)
        if due:
            since = 0.0
            # A fresh interval per shower; drawn from the day's own stream so untouched days stay put.
            next_gap = max(1.0, round(persona.shower_every + rng_for(seed, index, P_PLAN, k, 1).normal(0, 0.5)))
        plans.append(plan)
    # Keep at least 4 h between going to bed and getting up the next morning.
    for today, tomorrow in itertools.pairwise(plans):
        today.bed = min(today.bed, tomorrow.wake + 1440 - 240)
    return plans


def add_absence(plans: list[DayPlan], seed: int, index: int, avoid: set[date]) -> tuple[int, int] | None:
    """An announced absence of 3-7 days (family stay, holiday); returns (first, last) plan index."""
    rng = rng_for(seed, index, P_PLAN, 10**6)
    length = int(rng.integers(3, 8))
    lo, hi = min(15, max(1, len(plans) // 3)), len(plans) - length - 1
    if hi <= lo:
        return None
    candidates = [a for a in range(lo, hi) if not any(p.day in avoid for p in plans[a:a + length + 1])]
    if not candidates:
        return None
    first = candidates[int(rng.integers(len(candidates)))]
    last = first + length
    leave = plans[first]
    leave.away, leave.away_at = "leave", max(leave.breakfast + 45, float(rng.uniform(9.5 * 60, 11.5 * 60)))
    for plan in plans[first + 1:last]:
        plan.away = "gone"
    back = plans[last]
    back.away, back.away_at = "return", float(rng.uniform(13 * 60, 17 * 60))
    for plan in plans[first:last + 1]:
        plan.visit = None
        plan.outings = [o for o in plan.outings if plan.away == "return" and o[0] > back.away_at + 30]
        plan.nap = plan.nap if plan.away == "return" and plan.nap and plan.nap[0] > back.away_at else None
    return first, last
