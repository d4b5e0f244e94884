"""Hand-built homes for the analytics tests: realistic days of one resident living alone.

A seeded ``numpy`` Generator drives day-to-day spread: wake-up and bed time vary by about half an hour,
night-time toilet trips are Poisson, showers happen on most days, meals and an outing vary in length.
Each activity carries its full sensor signature (bed -> bedroom -> hall -> toilet -> flush -> back),
and every device sends an hourly heartbeat, so silence of a sensor can be told from an empty room.
Anomalies are applied to the raw events (drop or add events), the way DESIGN.md injects them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import numpy as np
import pandas as pd

from slimmaatwerk.localtime import TZ

DEVICES: dict[str, tuple[str, str]] = {
    "bed": ("bedroom", "bed"),
    "bedroom_motion": ("bedroom", ""),
    "hall_motion": ("hall", ""),
    "toilet_motion": ("toilet", ""),
    "toilet_flush": ("toilet", "toilet"),
    "bathroom_motion": ("bathroom", ""),
    "bathroom_humidity": ("bathroom", "ventilation_unit"),
    "kitchen_motion": ("kitchen", ""),
    "fridge": ("kitchen", "fridge"),
    "living_motion": ("living", ""),
    "front_door": ("entrance", "front_door"),
}


def at(day: date, minutes: float) -> datetime:
    """Local wall-clock moment ``minutes`` after midnight of ``day``, as UTC."""
    wall = datetime.combine(day, time(0)) + timedelta(minutes=float(minutes))
    return wall.replace(tzinfo=TZ).astimezone(UTC)


@dataclass
class Home:
    """Builds events; call the day methods, then ``frame()``."""

    seed: int = 1
    rows: list[tuple[datetime, str, str, float]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rng = np.random.default_rng(self.seed)

    def emit(self, ts: datetime, device: str, kind: str, value: float) -> None:
        self.rows.append((ts, device, kind, value))

    def motion(self, day: date, m0: float, m1: float, device: str, every: float = 2.5) -> None:
        """Someone moving about near ``device`` from m0 to m1 minutes after midnight of ``day``."""
        m = m0
        while m < m1:
            self.emit(at(day, m), device, "motion", 1)
            self.emit(at(day, m + 1.5), device, "motion", 0)
            m += max(1.6, self.rng.exponential(every))

    def toilet_trip(self, day: date, m: float, from_bed: bool) -> float:
        if from_bed:
            self.emit(at(day, m), "bed", "presence", 0)
        self.motion(day, m + 0.2, m + 1, "bedroom_motion")
        self.motion(day, m + 1, m + 1.5, "hall_motion")
        self.motion(day, m + 1.6, m + 5, "toilet_motion")
        self.emit(at(day, m + 4.5), "toilet_flush", "usage", 1)
        self.motion(day, m + 5.2, m + 5.8, "hall_motion")
        self.motion(day, m + 6, m + 6.8, "bedroom_motion")
        if from_bed:
            self.emit(at(day, m + 7), "bed", "presence", 1)
        return m + 7

    def shower(self, day: date, m: float) -> None:
        self.motion(day, m, m + 15, "bathroom_motion")
        for k in range(0, 60, 5):
            rise = 25 * np.exp(-max(0, k - 12) / 15) if k >= 3 else 0
            self.emit(at(day, m + k), "bathroom_humidity", "humidity", 55 + rise)

    def meal(self, day: date, m: float, length: float, kitchen: bool = True) -> None:
        room = "kitchen_motion" if kitchen else "living_motion"
        self.motion(day, m, m + length, room, every=2.0)
        if kitchen:
            for _ in range(int(self.rng.integers(1, 4))):
                t = m + self.rng.uniform(0, length)
                self.emit(at(day, t), "fridge", "contact", 1)
                self.emit(at(day, t + 0.5), "fridge", "contact", 0)

    def heartbeats(self, day: date, skip: dict[str, datetime] | None = None) -> None:
        for i, device in enumerate(DEVICES):
            for h in range(24):
                ts = at(day, 240 + h * 60 + (i * 5) % 60)
                if skip and device in skip and ts >= skip[device]:
                    continue
                self.emit(ts, device, "heartbeat", 1)
        for k in range(240, 240 + 1440, 30):
            self.emit(at(day, k + 2), "bathroom_humidity", "humidity", 55 + self.rng.normal(0, 1))

    def normal_day(self, day: date, *, kitchen: bool = True, wake_shift: float = 0.0, bed_shift: float = 0.0,
                   extra_toilet: int = 0, outing: bool | None = None, shower: bool | None = None) -> None:
        """One ordinary 04:00-04:00 day: the night before is the one ending on ``day``."""
        rng = self.rng
        for _ in range(int(rng.poisson(0.8)) + extra_toilet):
            self.toilet_trip(day, rng.uniform(30, 290), from_bed=True)
        wake = rng.normal(7.25 * 60, 25) + wake_shift
        self.emit(at(day, wake), "bed", "presence", 0)
        m = self.toilet_trip(day, wake, from_bed=False)
        if rng.random() < 0.85 if shower is None else shower:
            self.shower(day, m + 2)
            m += 20
        self.motion(day, m, m + 2, "hall_motion")
        self.meal(day, m + 3, rng.uniform(15, 30), kitchen)
        m = wake + 75
        go_out = rng.random() < 0.7 if outing is None else outing
        out_at = rng.uniform(13.5, 15) * 60
        while m < 12 * 60:
            self.motion(day, m, m + rng.uniform(20, 50), "living_motion", every=4)
            m += rng.uniform(30, 70)
        self.meal(day, 12.5 * 60, rng.uniform(20, 40), kitchen)
        m = 13.2 * 60
        if go_out:
            self.motion(day, m, out_at, "living_motion", every=5)
            self.motion(day, out_at, out_at + 2, "hall_motion")
            self.emit(at(day, out_at + 2), "front_door", "contact", 1)
            self.emit(at(day, out_at + 2.3), "front_door", "contact", 0)
            back = out_at + rng.uniform(60, 150)
            self.emit(at(day, back), "front_door", "contact", 1)
            self.emit(at(day, back + 0.3), "front_door", "contact", 0)
            self.motion(day, back + 0.5, back + 3, "hall_motion")
            m = back + 3
        while m < 17.5 * 60:
            self.motion(day, m, m + rng.uniform(15, 40), "living_motion", every=5)
            m += rng.uniform(30, 75)
        self.meal(day, 17.75 * 60, rng.uniform(30, 50), kitchen)
        bed = rng.normal(23 * 60, 25) + bed_shift
        m = 18.75 * 60
        while m < bed - 20:
            self.motion(day, m, min(m + rng.uniform(20, 50), bed - 20), "living_motion", every=5)
            m += rng.uniform(30, 60)
        if kitchen:
            self.meal(day, bed - 20, 4, True)
        self.motion(day, bed - 15, bed - 14, "hall_motion")
        self.motion(day, bed - 13, bed - 9, "toilet_motion")
        self.emit(at(day, bed - 9.5), "toilet_flush", "usage", 1)
        self.motion(day, bed - 8, bed - 1, "bedroom_motion")
        self.emit(at(day, bed), "bed", "presence", 1)
        self.heartbeats(day)

    def frame(self, drop: list[tuple[str, datetime, datetime]] | None = None,
              quiet: list[tuple[datetime, datetime]] | None = None) -> pd.DataFrame:
        """The events as the analytics take them. ``drop``: (device, from, to) removed entirely (a dead
        sensor); ``quiet``: (from, to) with every human event removed (heartbeats and climate stay)."""
        rows = self.rows
        if drop:
            rows = [r for r in rows if not any(r[1] == d and a <= r[0] < b for d, a, b in drop)]
        if quiet:
            human = {"motion", "contact", "presence", "usage"}
            rows = [r for r in rows if not (r[2] in human and any(a <= r[0] < b for a, b in quiet))]
        frame = pd.DataFrame(rows, columns=["timestamp", "device", "kind", "value"])
        frame["timestamp"] = pd.to_datetime(frame["timestamp"], utc=True).dt.as_unit("ns")
        frame["room"] = frame["device"].map(lambda d: DEVICES[d][0])
        frame["placement"] = frame["device"].map(lambda d: DEVICES[d][1])
        frame["value"] = frame["value"].astype(float)
        return frame.sort_values("timestamp", kind="stable").reset_index(drop=True)[
            ["timestamp", "device", "kind", "room", "placement", "value"]]


def normal_home(start: date, days: int, seed: int = 1, **per_day: dict) -> Home:
    """``days`` ordinary days from ``start``; ``per_day`` maps a keyword of ``normal_day`` to {date: value}."""
    home = Home(seed)
    for i in range(days):
        day = start + timedelta(days=i)
        kwargs = {key: table[day] for key, table in per_day.items() if day in table}
        home.normal_day(day, **kwargs)
    return home
