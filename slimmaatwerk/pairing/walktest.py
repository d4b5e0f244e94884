"""The walk test: which sensor lit up, when, and what is wrong with the others, in words.

Pure state fed with normalised outcomes (from ``ingest.pipeline``) and the time they arrived. The test
is guided: one sensor at a time has the focus ("front door: open and close"); when it lights up the
focus moves to the next sensor that has not. A sensor that lights up only while the installer was busy
in another room gets "wrong room"; silence gets "no messages"; messages without the activity asked
for get "no activity"; battery and signal are checked on every message. Retained messages are old
state replayed by the broker and never light a sensor.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from ..events import ACTIVITY_KINDS
from ..ingest.pipeline import Outcome

BATTERY_LOW = 20.0  # % — below this a sensor will not last until the next visit
WEAK_SIGNAL = 30  # Zigbee linkquality (0-255): below this messages get lost
HUMIDITY_RISE = 2.0  # %RH above the first reading: the shower is running
POWER_ON = 5.0  # W: the appliance is on


@dataclass(frozen=True)
class Sensor:
    """A sensor to walk-test: its identity, where it hangs and what kind of activity proves it works."""

    id: str
    name: str
    room: str
    placement: str = ""
    kinds: tuple[str, ...] = ()  # the kinds its profile can produce

    @property
    def action(self) -> str:
        """Which activity to ask for: the first of its kinds the walk test can provoke."""
        for kind in ("contact", "motion", "presence", "water_leak", "humidity", "power"):
            if kind in self.kinds:
                return kind
        return "other"


@dataclass(frozen=True)
class SensorCheck:
    sensor: Sensor
    messages: int = 0
    lit: bool = False  # an activity message arrived (the indicator lights up)
    confirmed: bool = False  # ... while the installer was at this sensor or in its room
    lit_at_ms: int | None = None
    last_event: str = ""  # e.g. "contact 1"
    battery: float | None = None
    signal: int | None = None
    online: bool = True
    other_rooms: tuple[str, ...] = ()  # rooms the installer was in when it lit up instead
    first_humidity: float | None = None

    @property
    def problems(self) -> tuple[tuple[str, dict[str, object]], ...]:
        """(problem key, placeholders), most serious first."""
        found: list[tuple[str, dict[str, object]]] = []
        if self.messages == 0:
            found.append(("no_messages", {}))
        elif not self.online:
            found.append(("offline", {}))
        if self.lit and not self.confirmed and self.other_rooms:
            found.append(("wrong_room", {"room": self.other_rooms[0]}))
        elif self.messages and not self.lit:
            found.append(("no_activity", {}))
        if self.battery is not None and self.battery < BATTERY_LOW:
            found.append(("battery_low", {"value": round(self.battery)}))
        if self.signal is not None and self.signal < WEAK_SIGNAL:
            found.append(("weak_signal", {"value": self.signal}))
        return tuple(found)

    @property
    def result(self) -> str:
        """``passed`` once it lit up at its own place; otherwise ``failed``."""
        if self.confirmed:
            return "passed"
        return "failed"


@dataclass
class WalkTest:
    sensors: list[Sensor]
    checks: dict[str, SensorCheck] = field(default_factory=dict)
    focus: str | None = None

    def __post_init__(self) -> None:
        self.checks = {s.id: SensorCheck(s) for s in self.sensors}
        self.focus = self._next_due()

    def set_focus(self, sensor_id: str | None) -> None:
        """The installer chooses which sensor to (re)test now; None is a free walk."""
        if sensor_id is not None and sensor_id not in self.checks:
            raise KeyError(sensor_id)
        self.focus = sensor_id

    def observe(self, outcome: Outcome, signal: int | None, now_ms: int) -> SensorCheck | None:
        """Take one normalised message; the updated check of its sensor, or None if not under test."""
        if outcome.device is None or outcome.device.identity not in self.checks:
            return None
        check = self.checks[outcome.device.identity]
        check = replace(check, messages=check.messages + 1, signal=signal if signal is not None else check.signal)
        for reading in outcome.readings:
            if reading.kind == "battery":
                check = replace(check, battery=reading.value)
            elif reading.kind == "availability":
                check = replace(check, online=reading.value >= 0.5)
            elif reading.kind == "humidity" and check.first_humidity is None:
                check = replace(check, first_humidity=reading.value)
        if not outcome.retained:
            active = [r for r in outcome.readings if _is_activity(r.kind, r.value, check)]
            if active:
                check = self._light(check, f"{active[0].kind} {active[0].value:g}", now_ms)
        self.checks[check.sensor.id] = check
        if self.focus is None or self.checks[self.focus].confirmed:
            self.focus = self._next_due()
        return check

    def _light(self, check: SensorCheck, event: str, now_ms: int) -> SensorCheck:
        focus = self.checks.get(self.focus) if self.focus else None
        here = focus is None or focus.sensor.id == check.sensor.id or focus.sensor.room == check.sensor.room
        other_rooms = check.other_rooms
        if not here and focus is not None and focus.sensor.room not in other_rooms:
            other_rooms = (*other_rooms, focus.sensor.room)
        return replace(check, lit=True, confirmed=check.confirmed or here, lit_at_ms=check.lit_at_ms or now_ms,
                       last_event=event, other_rooms=other_rooms)

    def _next_due(self) -> str | None:
        return next((s.id for s in self.sensors if not self.checks[s.id].confirmed), None)

    def all_passed(self) -> bool:
        return all(c.confirmed for c in self.checks.values())

    def failures(self) -> list[SensorCheck]:
        return [c for c in self.checks.values() if not c.confirmed]

    def ordered(self) -> list[SensorCheck]:
        return [self.checks[s.id] for s in self.sensors]


def _is_activity(kind: str, value: float, check: SensorCheck) -> bool:
    if kind in ACTIVITY_KINDS or kind == "water_leak":
        return value >= 0.5
    if kind == "humidity":
        return check.first_humidity is not None and value - check.first_humidity >= HUMIDITY_RISE
    if kind == "power":
        return value >= POWER_ON
    if kind in ("fan", "co2", "temperature", "illuminance"):
        return check.sensor.action == "other"  # a climate-only device proves itself by reporting
    return False


def sensors_for(devices: Iterable[tuple[str, str, str, str, tuple[str, ...]]]) -> list[Sensor]:
    """(id, name, room, placement, kinds) rows -> sensors, in the order the installer will walk."""
    return [Sensor(*row) for row in devices]
