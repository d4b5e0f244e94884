"""Simulating whole homes: persona + kit + plans + injections -> stimuli -> device readings -> Events."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

import numpy as np

from ..errors import InputError
from ..events import ACTIVITY_KINDS, Event
from ..localtime import TZ, day_bounds
from .climate import climate_readings
from .days import add_pet, live
from .household import P_CLIMATE, P_SENSOR, build_kit, draw_persona, resident_name, rng_for
from .injections import apply_injections, ground_truth
from .model import Injection, SimHome
from .plan import add_absence, draw_plans
from .routine import wall
from .sensors import device_readings

DEFAULT_START = date(2026, 1, 5)  # a fixed Monday: output never depends on today


def simulate_home(index: int, days: int, seed: int, start: date, injections: Sequence[Injection] = (), *,
                  visitors: bool = True, pet: bool = False, absence: bool = False,
                  profile: str | None = None) -> SimHome:
    """One single-resident home, ``days`` 04:00-04:00 days from ``start``; deterministic in its inputs.

    ``profile`` picks a sensor kit: None/"standard" (varies by index), "full", "minimal", "motion_only".
    """
    if days < 1:
        raise InputError(f"days must be at least 1, not {days}")
    if index < 0:
        raise InputError(f"home index must be >= 0, not {index}")
    devices = build_kit(index, seed, profile)
    kit = {d.device for d in devices}
    persona = draw_persona(index, seed)
    plans = draw_plans(persona, seed, index, start, days)
    if not visitors:
        for plan in plans:
            plan.visit = None
    applied = apply_injections(plans, list(injections), kit, seed, index)
    stream_start = day_bounds(start)[0].timestamp()
    stream_end = day_bounds(start + timedelta(days=days - 1))[1].timestamp()

    span = None
    if absence:
        busy = {d for item in applied for d in item.days}
        busy |= {d - timedelta(days=1) for d in busy} | {d + timedelta(days=1) for d in busy}
        span = add_absence(plans, seed, index, busy)

    stim = live(persona, kit, plans, seed, index, stream_start, stream_end)
    absences: list[tuple[datetime, datetime]] = []
    if span:  # from the front door closing behind the resident to it opening on return
        first, last = plans[span[0]], plans[span[1]]
        left = stim.marks.get(("leave", first.day), [wall(first.day, first.away_at)])[0]
        absences.append((datetime.fromtimestamp(round(left), TZ),
                         datetime.fromtimestamp(round(wall(last.day, last.away_at)), TZ)))
    offset = TZ.utcoffset(datetime.combine(start, datetime.min.time())).total_seconds()
    if pet:
        add_pet(stim, persona, kit, seed, index, stream_start, stream_end, offset)

    dead = {item.device: item.at for item in applied if item.device and item.at is not None}
    rows: list[tuple[int, int, str, float]] = []  # (second, device position, kind, value)
    for pos, dev in enumerate(devices):
        if dev.kind_family == "climate":
            readings = climate_readings(stim, stream_start, stream_end, dev.report_interval_s, offset,
                                        [seed, index, P_CLIMATE])
        else:
            rngs = (rng_for(seed, index, P_SENSOR, pos, 1), rng_for(seed, index, P_SENSOR, pos, 2))
            readings = device_readings(dev, stim, stream_start, stream_end, rngs, seed * 1000 + index * 50 + pos)
        cutoff = dead.get(dev.device)
        if cutoff is not None:  # S: a dead device sends nothing at all, heartbeats included
            readings = [r for r in readings if r[0] < cutoff]
        rows.extend((t, pos, kind, value) for t, kind, value in readings)

    # Sort by time, then a fixed device order; a stable sort keeps each device's own order in a second.
    rows.sort(key=lambda r: (r[0], r[1]))
    events: list[Event] = []
    seen: set[tuple[int, int, str, float]] = set()
    stamps: dict[int, datetime] = {}
    for row in rows:
        if row in seen:
            continue
        seen.add(row)
        t, pos, kind, value = row
        dev = devices[pos]
        ts = stamps.get(t)
        if ts is None:
            ts = stamps[t] = datetime.fromtimestamp(t, UTC)
        events.append(Event(ts, dev.device, kind, value, dev.room, dev.placement))

    activity = np.asarray([r[0] for r in rows if r[2] in ACTIVITY_KINDS], dtype=float)
    return SimHome(
        resident_id=f"r{index + 1:02d}",
        name=resident_name(index, seed),
        household="alone",
        pet=pet,
        devices=devices,
        events=events,
        injections=list(injections),
        ground_truth=ground_truth(applied, stim, activity, stream_end),
        visitor_days=[p.day for p in plans if p.visit is not None and p.away in ("", "return")],
        absences=absences,
    )


def simulate(homes: int, days: int, seed: int, start: date | None = None,
             injections: Sequence[Injection] = ()) -> list[SimHome]:
    """``homes`` homes with the same injections each (the ``simulate`` command's --inject)."""
    if homes < 1:
        raise InputError(f"homes must be at least 1, not {homes}")
    first = start or DEFAULT_START
    return [simulate_home(i, days, seed, first, injections) for i in range(homes)]
