"""The resident's context as the analytics see it: household, pet, devices and the context calendar.

These records (and the alert labels of ``calibration``) are plain frozen dataclasses so the engine, the command line and the tests can build them
without any storage or GUI code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .calibration import AlertLabel

CONTEXT_TYPES: frozenset[str] = frozenset({"absence", "hospital", "visit"})
HOUSEHOLDS: frozenset[str] = frozenset({"alone", "partner"})


@dataclass(frozen=True)
class ContextPeriod:
    """An announced absence, a hospital stay or a visit, from ``start`` to ``end`` (timezone-aware)."""

    type: str
    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.type not in CONTEXT_TYPES:
            raise ValueError(f"context period type must be one of {sorted(CONTEXT_TYPES)}, not {self.type!r}")
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("context period start and end must carry a UTC offset")
        if self.end <= self.start:
            raise ValueError(f"context period ends ({self.end}) before it starts ({self.start})")


@dataclass(frozen=True)
class DeviceInfo:
    """A paired device; ``report_interval_s`` is how often it reports at least (heartbeats included)."""

    device: str
    room: str
    placement: str
    report_interval_s: int = 3600


@dataclass(frozen=True)
class ResidentContext:
    """What the analytics need to know about a home. ``devices`` may be empty: then they are inferred.

    ``labels``: coordinators' outcomes on the resident's earlier alerts, which calibrate its thresholds
    (see ``calibration``).
    """

    resident_id: str
    household: str = "alone"
    pet: bool = False
    periods: tuple[ContextPeriod, ...] = ()
    devices: tuple[DeviceInfo, ...] = ()
    labels: tuple[AlertLabel, ...] = ()

    def __post_init__(self) -> None:
        if self.household not in HOUSEHOLDS:
            raise ValueError(f"household must be one of {sorted(HOUSEHOLDS)}, not {self.household!r}")
