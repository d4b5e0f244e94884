"""The resident moving through the home: turns day plans into physical stimuli per device.

A stimulus is what a sensor *could* perceive: a movement in view of a motion sensor (a trigger), a door
opening or closing, someone getting into bed. ``sensors.py`` then applies each device's behaviour (Aqara
blind time, occupancy timeout, heartbeats). Times are float epoch seconds; plans are wall-clock minutes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import numpy as np

from ..localtime import TZ
from .household import P_ACT, Persona, rng_for
from .plan import DayPlan

ROOM_MOTION = {
    "bedroom": "bedroom_motion", "toilet": "toilet_motion", "bathroom": "bathroom_motion",
    "kitchen": "kitchen_motion", "living": "living_motion", "hall": "hall_motion",
}
MIN = 60.0


def wall(day: date, minutes: float) -> float:
    """Epoch seconds of a wall-clock minute after local midnight of ``day`` (aware arithmetic is
    wall-clock arithmetic in Python, so 07:00 stays 07:00 across DST)."""
    return (datetime.combine(day, time(0), tzinfo=TZ) + timedelta(minutes=minutes)).timestamp()


@dataclass
class Stimuli:
    triggers: dict[str, list[float]] = field(default_factory=dict)
    states: dict[str, list[tuple[float, int]]] = field(default_factory=dict)
    showers: list[tuple[float, float]] = field(default_factory=list)  # (start, seconds)
    washes: list[float] = field(default_factory=list)
    thin: list[tuple[float, float, float]] = field(default_factory=list)  # (from, to, keep share)
    mute: list[tuple[str | None, float, float]] = field(default_factory=list)  # (room or all, from, to)
    marks: dict[tuple[str, date], list[float]] = field(default_factory=dict)  # injected moments


class Resident:
    """Walks one resident through a sequence of day plans, appending stimuli as it goes."""

    def __init__(self, persona: Persona, kit: set[str], seed: int, index: int) -> None:
        self.p, self.kit, self.seed, self.index = persona, kit, seed, index
        self.stim = Stimuli(triggers={d: [] for d in kit}, states={d: [] for d in kit})
        self.state: dict[str, int] = {"bed_presence": 1}  # the stream starts at night, in bed
        self.rng = rng_for(seed, index, P_ACT, 10**6)
        self.t, self.room, self.level, self.thin, self.no_kitchen = 0.0, "bedroom", 1.0, 1.0, False
        self.last_toilet = 0.0
        self.day: date = date.min

    # --- sensor-level primitives -------------------------------------------------------------------
    def trig(self, room: str, a: float, b: float | None = None, gap: float = 0.0) -> None:
        dev = ROOM_MOTION.get(room, "")
        if dev not in self.kit:
            return
        out = self.stim.triggers[dev]
        out.append(a)
        if b is not None and b > a and gap > 0:
            n = int((b - a) / gap * 1.4) + 4
            times = a + np.cumsum(self.rng.exponential(gap, n))
            out.extend(times[times < b].tolist())

    def set_state(self, dev: str, at: float, value: int) -> None:
        if dev in self.kit and self.state.get(dev, 0) != value:
            self.stim.states[dev].append((at, value))
        self.state[dev] = value

    def pulse(self, dev: str, at: float, seconds: float) -> None:
        """Open and close (a fridge, the front door): always closed again."""
        if dev in self.kit:
            self.stim.states[dev].extend(((at, 1), (at + seconds, 0)))

    def door(self, dev: str, p_close: float) -> None:
        if self.state.get(dev, 0) == 0:
            self.set_state(dev, self.t, 1)
        if self.rng.random() < p_close:
            self.set_state(dev, self.t + self.rng.uniform(2, 8), 0)

    def u(self, lo: float, hi: float) -> float:
        return float(self.rng.uniform(lo, hi))

    # --- movement ------------------------------------------------------------------------------------
    def goto(self, room: str) -> None:
        here = self.room
        if room == here:
            return
        self.trig(here, self.t)
        if here == "bedroom":
            self.door("bedroom_door", self.p.close_bedroom_door)
        elif here == "toilet":
            self.door("toilet_door", 0.4)
        self.t += self.u(3, 8)
        if {here, room} != {"living", "kitchen"}:  # open-plan living/kitchen; all else via the hall
            self.trig("hall", self.t, self.t + self.u(4, 14), 6.0)
            self.t += self.u(5, 14)
        if room == "bedroom":
            self.door("bedroom_door", self.p.close_bedroom_door)
        elif room == "toilet":
            self.door("toilet_door", self.p.close_toilet_door)
        self.trig(room, self.t)
        self.room = room

    def stay(self, seconds: float, gap: float) -> None:
        self.trig(self.room, self.t, self.t + seconds, gap / self.level)
        self.t += seconds

    # --- activities ----------------------------------------------------------------------------------
    def toilet(self) -> None:
        self.goto("toilet")
        self.stay(self.u(1.5, 5) * MIN, 50)
        self.last_toilet = self.t

    def shower(self) -> None:
        self.goto("bathroom")
        self.stay(self.u(2, 4) * MIN, 40)
        length = self.u(6, 14) * MIN
        self.stim.showers.append((self.t, length))
        self.stay(length, 90)
        self.stay(self.u(5, 12) * MIN, 40)

    def wash(self) -> None:
        self.goto("bathroom")
        self.stay(self.u(3, 9) * MIN, 40)
        self.stim.washes.append(self.t)

    def sit(self, seconds: float, doze: bool = False) -> None:
        self.goto("living")
        self.t += self.u(3, 8)
        self.set_state("chair_presence", self.t, 1)
        if not doze:
            self.stay(seconds, self.p.sit_motion_gap_s)
        else:
            self.t += seconds
        self.set_state("chair_presence", self.t, 0)
        self.trig("living", self.t)

    def fridge(self, start: float, end: float, count: int) -> None:
        at = start
        for when in np.sort(self.rng.uniform(start, end, count)).tolist():
            if when > at + 5 and self.rng.random() < self.thin:
                seconds = self.u(5, 40)
                self.pulse("fridge_door", when, seconds)
                at = when + seconds

    def meal(self, kind: str) -> None:
        if self.no_kitchen:  # A: nothing happens in the kitchen; the resident skips or eats elsewhere
            self.sit(self.u(10, 25) * MIN)
            return
        self.goto("kitchen")
        lo, hi = {"breakfast": (10, 25), "lunch": (12, 30), "dinner": (25, 50)}[kind]
        seconds = self.u(lo, hi) * MIN
        self.fridge(self.t, self.t + seconds, int(self.rng.poisson(self.p.fridge_per_meal * (1.6 if kind == "dinner" else 1))))
        self.stay(seconds, 40)
        if self.rng.random() < self.p.eats_in_living:
            self.sit(self.u(15, 30) * MIN)

    def kitchen_trip(self) -> None:
        if self.no_kitchen:
            self.sit(self.u(5, 15) * MIN)
            return
        self.goto("kitchen")
        seconds = self.u(2, 8) * MIN
        if self.rng.random() < 0.6:
            self.fridge(self.t, self.t + seconds, 1)
        self.stay(seconds, 30)

    def front_door(self) -> None:
        self.pulse("front_door", self.t, self.u(4, 12))

    def go_out(self, seconds: float) -> None:
        self.goto("hall")
        self.stay(self.u(1, 4) * MIN, 25)  # coat, keys, walker
        self.front_door()
        self.room = "out"
        self.t += seconds
        self.arrive()

    def arrive(self) -> None:
        self.front_door()
        self.t += self.u(3, 8)
        self.room = "hall"
        self.stay(self.u(1, 3) * MIN, 20)
        if self.rng.random() < 0.5:
            self.kitchen_trip()  # put the shopping away

    def host_visit(self, seconds: float) -> None:
        """A second person in living room and kitchen: the resident opens the door and sits with them."""
        start = self.t
        self.goto("hall")
        self.front_door()
        self.t += self.u(20, 60)
        self.trig("living", self.t, start + seconds, self.u(30, 80))  # the visitor moves about
        self.kitchen_trip()  # coffee
        if not self.no_kitchen:
            for _ in range(int(self.rng.integers(1, 4))):
                at = self.u(self.t, start + seconds)
                self.trig("kitchen", at, at + self.u(2, 6) * MIN, 25)
        if self.rng.random() < 0.5:  # the visitor uses the toilet
            at = self.u(self.t, start + seconds)
            self.pulse("toilet_door", at, 3)
            self.trig("toilet", at + 5, at + self.u(2, 4) * MIN, 40)
        self.sit(max(start + seconds - self.t, 5 * MIN))
        self.goto("hall")
        self.front_door()
        self.stay(self.u(0.5, 2) * MIN, 20)

    def nap(self, seconds: float) -> None:
        if self.p.nap_in_bed:
            self.goto("bedroom")
            self.set_state("bed_presence", self.t, 1)
            self.t += seconds
            self.set_state("bed_presence", self.t, 0)
            self.trig("bedroom", self.t)
        else:
            self.sit(seconds, doze=True)

    def fill(self, until: float) -> None:
        """Ordinary time at home until ``until``: sitting, small kitchen trips, the toilet, pottering."""
        p = self.p
        while self.t < until - 3 * MIN:
            if self.t - self.last_toilet > p.day_toilet_every * MIN * self.u(0.7, 1.3):
                self.toilet()
                continue
            r = self.rng.random() * (1.0 + p.snack_trips / 8 * self.level + 0.3)
            if r < 1.0:
                doze = self.rng.random() < min(0.8, p.doze_prob / self.level)
                spell = self.u(40, 150) if doze else self.u(15, 90)
                self.sit(min(spell * MIN, max(until - self.t - MIN, 60)), doze)
            elif r < 1.0 + p.snack_trips / 8 * self.level:
                self.kitchen_trip()
            elif r < 1.15 + p.snack_trips / 8 * self.level:
                self.goto("bedroom")
                self.stay(self.u(2, 10) * MIN, 45)
            else:
                self.goto("hall")
                self.stay(self.u(0.5, 3) * MIN, 30)
        if self.t < until:
            self.stay(until - self.t, 120)

    # --- nights --------------------------------------------------------------------------------------
    def night_visit(self, where: str, seconds: float) -> None:
        self.set_state("bed_presence", self.t, 0)
        self.trig("bedroom", self.t)
        self.t += self.u(10, 40)
        self.goto(where)
        self.stay(seconds, 45)
        self.goto("bedroom")
        self.t += self.u(10, 30)
        self.set_state("bed_presence", self.t, 1)

    def slots(self, lo: float, hi: float, count: int) -> list[float]:
        """``count`` moments spread over [lo, hi]: one at random in each equal slot, so that injected
        visits do not bunch up (and all fit into the night)."""
        if count <= 0 or hi <= lo:
            return []
        width = (hi - lo) / count
        return [lo + width * (i + self.u(0.05, 0.45)) for i in range(count)]

    def night(self, plan: DayPlan | None, until: float, share: float = 1.0) -> None:
        """From getting into bed to getting up: toilet visits, turning over, injected disturbances."""
        start = self.t
        span = until - start
        if span <= 40 * MIN:
            self.t = max(self.t, until)
            return
        rng = self.rng
        actions: list[tuple[float, str]] = []
        for _ in range(int(rng.poisson(self.p.night_toilet_rate * share))):
            actions.append((start + rng.uniform(20 * MIN, span - 20 * MIN), "toilet"))
        turns = int(rng.poisson(self.p.night_bed_motion * share))
        for when in (start + rng.uniform(0, span, turns)).tolist():
            self.trig("bedroom", when)  # turning over in view of the bedroom sensor
        if plan is not None:
            # Injected visits fall in the core of the night (23:00-06:00) when the resident is in bed then.
            lo, hi = max(start + 20 * MIN, wall(plan.day, 1380)), min(until - 20 * MIN, wall(plan.day, 1440 + 360))
            if hi - lo < 60 * MIN:
                lo, hi = start + 20 * MIN, until - 20 * MIN
            actions += [(when, "C") for when in self.slots(lo, hi, plan.extra_toilet)]
            midnight, five = wall(plan.day, 1440), wall(plan.day, 1440 + 300)
            lo, hi = max(midnight, start + 10 * MIN), min(five, until - 15 * MIN)
            actions += [(when, "J") for when in self.slots(lo, hi, plan.bursts)]
            if plan.night_exit:
                actions.append((wall(plan.day, plan.night_exit[0]), "F"))
        actions.sort()
        for when, what in actions:
            # Visits are separated by > 15 min, as the analytics count them (REALISM.md).
            self.t = max(self.t + 15 * MIN if self.t > start else self.t, when)
            if self.t > until - 10 * MIN:
                break
            began = self.t
            if what in ("toilet", "C"):
                self.night_visit("toilet", self.u(1.5, 5) * MIN)
            elif what == "J":
                self.night_visit(str(rng.choice(["living", "kitchen", "hall"])), self.u(2, 8) * MIN)
            else:
                began = self.night_exit(plan.night_exit[1] * MIN if plan and plan.night_exit else 20 * MIN)
            if what != "toilet" and plan is not None:
                self.stim.marks.setdefault((what, plan.day), []).extend((began, self.t))
        self.t = max(self.t, until)

    def night_exit(self, seconds: float) -> float:
        """F: out of bed, through the hall, out of the front door; back after ``seconds``."""
        self.set_state("bed_presence", self.t, 0)
        self.t += self.u(20, 60)
        self.goto("hall")
        self.stay(self.u(0.5, 1.5) * MIN, 20)
        opened = self.t
        self.front_door()
        self.room = "out"
        self.t += seconds
        self.front_door()
        self.room = "hall"
        self.t += self.u(5, 15)
        self.stay(self.u(0.5, 2) * MIN, 20)
        self.goto("bedroom")
        self.set_state("bed_presence", self.t, 1)
        return opened
