"""Anomaly injections: parsing ``TYPE@DATE``, changing the day plans, and the ground truth they leave.

An injection changes what the resident *does* (plans), so every anomaly arrives in the raw stream with
its full sensor signature; heartbeats keep coming because they are derived from the final stream. Only
S (a dead sensor) works at the device level: from its moment on the device sends nothing at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np

from ..errors import InputError
from ..localtime import TZ
from .household import P_INJECT, rng_for
from .model import ANOMALIES, INJECTION_TYPES, Injection
from .plan import DayPlan
from .routine import Stimuli, wall


def parse_injection(text: str, start: date) -> Injection:
    """``"A1@2026-02-10"`` (a date) or ``"A1@15"`` (days after ``start``) -> Injection."""
    kind, sep, when = text.strip().partition("@")
    kind = kind.strip().upper()
    if not sep or not kind or not when.strip():
        raise InputError(f"injection {text!r} is not TYPE@DATE or TYPE@DAY (e.g. A1@2026-02-10 or A1@15)")
    if kind not in ANOMALIES:
        raise InputError(f"unknown anomaly type {kind!r} in {text!r}; expected one of {', '.join(INJECTION_TYPES)}")
    when = when.strip()
    if when.lstrip("+").isdigit():
        return Injection(kind, start + timedelta(days=int(when)))
    try:
        return Injection(kind, date.fromisoformat(when))
    except ValueError:
        raise InputError(f"injection {text!r}: {when!r} is neither a date (YYYY-MM-DD) nor a day number") from None


@dataclass
class Applied:
    injection: Injection
    days: list[date]
    device: str | None = None
    at: float | None = None  # S: the moment the device dies
    params: dict = field(default_factory=dict)


def _validate(inj: Injection, plans: list[DayPlan], kit: set[str]) -> None:
    spec = ANOMALIES.get(inj.type)
    if spec is None:
        raise InputError(f"unknown anomaly type {inj.type!r}; expected one of {', '.join(INJECTION_TYPES)}")
    if not plans[0].day <= inj.start <= plans[-1].day:
        raise InputError(
            f"injection {inj.type}@{inj.start} lies outside the simulated days {plans[0].day}..{plans[-1].day}"
        )
    unknown = set(inj.params) - spec.allowed_params
    if unknown:
        raise InputError(
            f"injection {inj.type}: unknown parameter(s) {', '.join(sorted(unknown))} "
            f"(allowed: {', '.join(sorted(spec.allowed_params)) or 'none'})"
        )
    device = inj.params.get("device")
    if device is not None and device not in kit:
        raise InputError(f"injection S: device {device!r} is not in this home's kit")


def apply_injections(plans: list[DayPlan], injections: list[Injection], kit: set[str], seed: int,
                     index: int) -> list[Applied]:
    by_day = {p.day: p for p in plans}
    applied: list[Applied] = []
    for n, inj in enumerate(injections):
        _validate(inj, plans, kit)
        spec = ANOMALIES[inj.type]
        rng = rng_for(seed, index, P_INJECT, n)
        prm = inj.params
        count = int(prm.get("days", spec.days))
        days = [d for i in range(max(count, 1)) if (d := inj.start + timedelta(days=i)) in by_day]
        item = Applied(inj, days)
        for i, day in enumerate(days):
            _apply_day(inj.type, by_day[day], i, prm, rng, by_day.get(day + timedelta(days=1)))
        if inj.type == "S":
            default = "kitchen_motion" if "kitchen_motion" in kit else min(d for d in kit if d.endswith("_motion"))
            item.device = str(prm.get("device", default))
            item.at = wall(inj.start, float(prm.get("at_min", rng.uniform(8 * 60, 20 * 60))))
        applied.append(item)
    return applied


def _apply_day(kind: str, plan: DayPlan, i: int, prm: dict, rng: np.random.Generator,
               nxt: DayPlan | None) -> None:
    if kind in ("A1", "A3"):
        plan.no_kitchen = True
    elif kind == "B":
        shift = float(prm.get("shift_min", 120))
        plan.wake += shift
        plan.breakfast += shift
        plan.outings = [o for o in plan.outings if o[0] > plan.breakfast + 30]
        if plan.visit and plan.visit[0] < plan.breakfast + 30:
            plan.visit = None
    elif kind == "C":
        plan.extra_toilet += int(prm.get("visits", 3))
    elif kind == "D":
        plan.thin *= float(prm.get("factor", 0.5))
    elif kind == "E":
        hours = float(prm.get("hours", 4))
        at = float(prm.get("at_min", rng.uniform(max(9 * 60, plan.breakfast + 45), max(14 * 60, plan.breakfast + 60))))
        end = at + hours * 60
        plan.outings = [o for o in plan.outings if o[0] + o[1] < at - 20 or o[0] > end + 20]
        if plan.visit and not (plan.visit[0] + plan.visit[1] < at - 20 or plan.visit[0] > end + 20):
            plan.visit = None
        if plan.nap and plan.nap[0] + plan.nap[1] > at - 20:
            plan.nap = None
        plan.gap = (at, hours * 60)
    elif kind == "F":
        plan.night_exit = (float(prm.get("at_min", 1440 + 180 + rng.normal(0, 8))), float(prm.get("away_min", 20)))
    elif kind == "G":
        plan.thin *= (1 - float(prm.get("rate", 0.02))) ** (i + 1)
    elif kind == "H":
        plan.outings, plan.visit = [], None
    elif kind == "I":
        plan.shower = False
    elif kind == "J":
        plan.bursts += int(prm.get("bursts", 5))
    elif kind == "K":
        plan.bed += float(prm.get("shift_min", 120))
        if nxt is not None:
            plan.bed = min(plan.bed, nxt.wake + 1440 - 180)


def _local(ts: float) -> datetime:
    return datetime.fromtimestamp(round(ts), TZ)


def ground_truth(applied: list[Applied], stim: Stimuli, activity_times: np.ndarray,
                 stream_end: float) -> list[dict]:
    """One dict per injected anomaly: type, start, end, indicators, dates (alert dates) [, device]."""
    out: list[dict] = []
    for item in applied:
        kind = item.injection.type
        spec = ANOMALIES[kind]
        days = item.days
        entry: dict = {"type": kind, "indicators": list(spec.indicators)}
        if kind == "S":
            entry.update(start=_local(item.at or 0), end=_local(stream_end), device=item.device,
                         dates=[days[0]] if days else [])
        elif kind in ("C", "F", "J", "E"):
            marks = [t for d in days for t in stim.marks.get((kind, d), [])]
            if not marks:  # nothing could be placed (e.g. a night too short); keep the window
                marks = [wall(days[0], 240), wall(days[-1], 1680)]
            start, end = min(marks), max(marks)
            if kind == "E" and activity_times.size:
                edge = round(end)  # readings are whole seconds
                before = activity_times[activity_times < edge]
                after = activity_times[activity_times >= edge]
                start = float(before[-1]) if before.size else start
                end = float(after[0]) if after.size else end
            dates = days if kind == "E" else [d + timedelta(days=1) for d in days]
            entry.update(start=_local(start), end=_local(end), dates=dates)
        else:
            entry.update(start=_local(wall(days[0], 240)), end=_local(min(wall(days[-1], 1680), stream_end)),
                         dates=days)
        out.append(entry)
    return out
