"""The simulator's public records: injections, devices and a simulated home; and the anomaly table.

``ANOMALIES`` mirrors DESIGN.md's table of anomaly types: which indicators an injected anomaly should
raise, how many 04:00-04:00 days it lasts by default, and whether it lives in the night.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from ..events import Event


@dataclass(frozen=True)
class Injection:
    """One anomaly to inject. ``start`` is the first affected 04:00-04:00 local day.

    For night anomalies (C, F, J) the affected night is the one that *begins* on the evening of
    ``start`` (it ends on the morning of the next date, which is the alert date per DESIGN.md).
    ``params`` overrides magnitudes, e.g. ``{"days": 5}`` or ``{"device": "living_motion"}``.
    """

    type: str
    start: date
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class SimDevice:
    device: str
    kind_family: str  # "motion" | "contact" | "presence" | "climate" | "usage"
    room: str
    placement: str
    ieee: str
    model: str
    vendor: str
    report_interval_s: int


@dataclass
class SimHome:
    resident_id: str
    name: str
    household: str
    pet: bool
    devices: list[SimDevice]
    events: list[Event]
    injections: list[Injection]
    ground_truth: list[dict]
    visitor_days: list[date]
    absences: list[tuple[datetime, datetime]]


@dataclass(frozen=True)
class AnomalySpec:
    indicators: tuple[str, ...]
    days: int  # default number of affected days (or nights)
    night: bool  # True: affects the night beginning on the evening of each day
    allowed_params: frozenset[str]


_DAYS = frozenset({"days"})
ANOMALIES: dict[str, AnomalySpec] = {
    "A1": AnomalySpec(("kitchen_activity",), 1, False, _DAYS),
    "A3": AnomalySpec(("kitchen_activity",), 3, False, _DAYS),
    "B": AnomalySpec(("wake_time", "sleep_duration"), 3, False, _DAYS | {"shift_min"}),
    "C": AnomalySpec(("night_toilet_visits",), 3, True, _DAYS | {"visits"}),
    "D": AnomalySpec(
        ("total_activity", "room_transitions", "gradual_decline"), 3, False, _DAYS | {"factor"}
    ),
    "E": AnomalySpec(("inactivity",), 1, False, frozenset({"hours", "at_min"})),
    "F": AnomalySpec(("night_exit",), 1, True, frozenset({"at_min", "away_min"})),
    "G": AnomalySpec(("gradual_decline", "total_activity"), 28, False, _DAYS | {"rate"}),
    "H": AnomalySpec(("housebound", "time_out_of_home"), 5, False, _DAYS),
    "I": AnomalySpec(("hygiene",), 4, False, _DAYS),
    "J": AnomalySpec(("night_restlessness", "sleep_duration"), 3, True, _DAYS | {"bursts"}),
    "K": AnomalySpec(("bed_time", "sleep_duration"), 3, False, _DAYS | {"shift_min"}),
    "S": AnomalySpec(("sensor_offline",), 0, False, frozenset({"device", "at_min"})),
}
INJECTION_TYPES: tuple[str, ...] = tuple(ANOMALIES)
