"""Runs a resident through all day plans (and a pet through the whole stream), producing Stimuli.

Each day has its own random stream (seed, home, day): what happens on one day never depends on how
many random numbers an injected day before it consumed.
"""

from __future__ import annotations

import numpy as np

from .household import P_ACT, P_PET, Persona, rng_for
from .plan import DayPlan
from .routine import MIN, Resident, Stimuli, wall


def _anchors(plan: DayPlan) -> list[tuple[float, str, float]]:
    """The fixed points of a day, in time order: meals, outings, a visit, a nap, a long lie, leaving."""
    blocked = [(s, d) for s, d in plan.outings] + ([plan.visit] if plan.visit else [])
    items: list[tuple[float, str, float]] = []
    for minute, kind in ((plan.lunch, "lunch"), (plan.dinner, "dinner")):
        if not any(s - 20 <= minute <= s + d for s, d in blocked):  # eats out or with the visitor
            items.append((minute, kind, 0.0))
    items += [(s, "out", d) for s, d in plan.outings]
    if plan.visit:
        items.append((plan.visit[0], "visit", plan.visit[1]))
    if plan.nap:
        items.append((plan.nap[0], "nap", plan.nap[1]))
    if plan.gap:
        items.append((plan.gap[0], "gap", plan.gap[1]))
    if plan.away == "leave":
        items = [a for a in items if a[0] < plan.away_at] + [(plan.away_at, "leave", 0.0)]
    if plan.away == "return":
        items = [a for a in items if a[0] > plan.away_at]
    return sorted(items)


def _morning(r: Resident, plan: DayPlan) -> None:
    r.set_state("bed_presence", r.t, 0)
    r.room = "bedroom"
    r.stay(r.u(2, 8) * MIN, 45)
    r.toilet()
    if plan.shower and not plan.shower_evening:
        r.shower()
    else:
        r.wash()
    r.fill(wall(plan.day, plan.breakfast))
    r.meal("breakfast")


def _evening(r: Resident, plan: DayPlan) -> None:
    bed_at = wall(plan.day, plan.bed)
    if plan.shower and plan.shower_evening:
        r.fill(bed_at - 55 * MIN)
        r.shower()
    r.fill(bed_at - 20 * MIN)
    r.toilet()
    r.wash()  # teeth
    r.goto("bedroom")
    r.stay(r.u(2, 6) * MIN, 45)
    r.set_state("bed_presence", r.t, 1)


def _run_anchor(r: Resident, plan: DayPlan, minute: float, kind: str, dur: float) -> bool:
    """Do one anchor; returns False when the resident has left the home for days."""
    at = wall(plan.day, minute)
    if kind in ("lunch", "dinner") and r.t > at + 90 * MIN:
        return True  # a late morning (B) swallows lunch
    if kind == "out" and r.t > at + dur * MIN / 2:
        return True
    r.fill(at)
    if kind in ("lunch", "dinner"):
        r.meal(kind)
    elif kind == "out":
        r.go_out(dur * MIN)
    elif kind == "visit":
        r.host_visit(dur * MIN)
    elif kind == "nap":
        r.nap(dur * MIN)
    elif kind == "gap":  # E: a long lie; nothing but heartbeats until the resident gets up again
        # + 2 min: the last motion sensor clears 90 s after the last movement, and the silence counts
        # from that clear, so the event-level gap is still the full duration.
        lie = dur * MIN + 120
        r.stim.marks[("E", plan.day)] = [r.t, r.t + lie]
        r.stim.mute.append((None, r.t, r.t + lie))
        r.t += lie
        r.trig(r.room, r.t)
        r.toilet()
    elif kind == "leave":
        r.goto("hall")
        r.stay(r.u(2, 6) * MIN, 25)
        r.stim.marks[("leave", plan.day)] = [r.t]
        r.front_door()
        r.room = "out"
        return False
    return True


def live(persona: Persona, kit: set[str], plans: list[DayPlan], seed: int, index: int,
         stream_start: float, stream_end: float) -> Stimuli:
    r = Resident(persona, kit, seed, index)
    stim = r.stim
    r.t = stream_start
    if plans[0].away == "":
        wake0 = wall(plans[0].day, plans[0].wake)
        r.night(None, wake0, share=max(0.0, (wake0 - stream_start) / (8 * 3600)))
    for i, plan in enumerate(plans):
        r.rng = rng_for(seed, index, P_ACT, i)
        r.level, r.thin, r.no_kitchen = plan.level, plan.thin, plan.no_kitchen
        day_start, day_end = wall(plan.day, 240), wall(plan.day, 1680)
        # A slow day (low level) also means fewer detections, not only fewer trips: real homes show a
        # day-to-day CV of events of 0.15-0.8 (REALISM.md).
        keep = plan.thin * min(1.0, plan.level) ** 0.8
        if keep < 1:
            stim.thin.append((day_start, day_end, keep))
        if plan.no_kitchen:
            stim.mute.append(("kitchen", day_start, day_end))
        if plan.away == "gone":
            stim.mute.append((None, day_start, day_end))
            continue
        if plan.away == "return":
            back = wall(plan.day, plan.away_at)
            stim.mute.append((None, day_start, back))
            r.t = back
            r.room = "out"
            r.arrive()
        else:
            r.t = max(r.t, wall(plan.day, plan.wake))
            _morning(r, plan)
        home = True
        for minute, kind, dur in _anchors(plan):
            home = _run_anchor(r, plan, minute, kind, dur)
            if not home:
                stim.mute.append((None, r.t, day_end))
                break
        if not home:
            continue
        _evening(r, plan)
        nxt = plans[i + 1] if i + 1 < len(plans) else None
        r.night(plan, wall(nxt.day, nxt.wake) if nxt else stream_end)
    return stim


def add_pet(stim: Stimuli, persona: Persona, kit: set[str], seed: int, index: int,
            start: float, end: float, utc_offset_s: float) -> None:
    """A cat or dog: short motion bursts in living room, kitchen and hall, day and night; never beds or
    doors. Muted windows (absences, long lies, no-kitchen days) are applied later by the sensors."""
    rng = rng_for(seed, index, P_PET)
    peak = max(persona.pet_rate_day, persona.pet_rate_night) / 3600
    count = int(rng.poisson(peak * (end - start)))
    times = np.sort(rng.uniform(start, end, count))
    hour = ((times + utc_offset_s) // 3600) % 24
    rate = np.where((hour >= 7) & (hour < 23), persona.pet_rate_day, persona.pet_rate_night) / 3600
    times = times[rng.random(count) < rate / peak]
    rooms = rng.choice(["living_motion", "kitchen_motion", "hall_motion"], size=len(times), p=[0.5, 0.3, 0.2])
    extra = rng.integers(0, 3, size=len(times))
    for when, dev, more in zip(times.tolist(), rooms.tolist(), extra.tolist(), strict=True):
        if dev in kit:
            stim.triggers[dev].extend([when] + (when + np.cumsum(rng.uniform(20, 90, more))).tolist())
