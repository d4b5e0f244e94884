"""Read models the service facade returns to the GUI and the command line.

Plain frozen dataclasses: the GUI's Qt item models are thin adapters over lists of these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

# Traffic-light status, worst first. "grey" means the data is incomplete: never shown as green.
STATUS_ORDER: tuple[str, ...] = ("red", "amber", "grey", "green")


@dataclass(frozen=True)
class ResidentRow:
    resident_id: str
    name: str
    status: str  # one of STATUS_ORDER
    last_activity: datetime | None
    open_alerts: dict[str, int]  # by severity: {"red": 1, "amber": 0, "info": 2}
    completeness: float  # share of expected sensor reports received over the last 24 h, 0..1
    sensors_ok: int
    sensors_total: int
    team: str = ""
    owner: str = ""
    district: str = ""  # the district (wijk) of the resident's team, "" when not set


@dataclass(frozen=True)
class AlertView:
    alert_id: int
    resident_id: str
    date: date
    indicator: str
    severity: str
    raised_at: datetime
    status: str  # new, acknowledged, assigned, resolved
    explanation: dict[str, str]  # {"nl": ..., "en": ...}
    observed: float | None
    expected: float | None
    expected_low: float | None
    expected_high: float | None
    unit: str
    payload: dict = field(default_factory=dict)  # the full ALERT record of DESIGN.md


@dataclass(frozen=True)
class DeviceHealth:
    device: str
    room: str
    placement: str
    online: bool
    battery: float | None
    last_seen: datetime | None


@dataclass(frozen=True)
class ResidentDetail:
    resident_id: str
    name: str
    days: list[date]  # rows of the heatmap, oldest first
    hourly: list[list[float]]  # len(days) x 24 activity counts per local hour
    usual_hourly: list[float]  # 24 values: the resident's usual count per hour (median of the days)
    alerts: list[AlertView]
    devices: list[DeviceHealth]
