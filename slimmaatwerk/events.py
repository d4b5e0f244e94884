"""The normalised event vocabulary of DESIGN.md: kinds, rooms, placements and the Event record.

Every vendor payload, CSV line and simulated reading becomes an ``Event``. Kinds are stored as small
integer codes (see ``KIND_CODES``) to keep the event table compact.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# Order matters: the index is the code stored in the database. Append only, never reorder.
KINDS: tuple[str, ...] = (
    "motion",
    "contact",
    "presence",
    "usage",
    "humidity",
    "co2",
    "temperature",
    "fan",
    "power",
    "illuminance",
    "water_leak",
    "battery",
    "availability",
    "heartbeat",
)
KIND_CODES: dict[str, int] = {kind: code for code, kind in enumerate(KINDS)}

# Kinds that say a person did something (as opposed to climate readings and device health).
ACTIVITY_KINDS: frozenset[str] = frozenset({"motion", "contact", "presence", "usage"})
BINARY_KINDS: frozenset[str] = frozenset(
    {"motion", "contact", "presence", "usage", "water_leak", "availability", "heartbeat"}
)
HEALTH_KINDS: frozenset[str] = frozenset({"battery", "availability", "heartbeat"})

ROOMS: tuple[str, ...] = ("bedroom", "bathroom", "toilet", "kitchen", "living", "hall", "entrance", "other")

KNOWN_PLACEMENTS: frozenset[str] = frozenset(
    {
        "front_door", "back_door", "bedroom_door", "toilet_door", "bathroom_door", "fridge", "freezer",
        "cupboard", "drawer", "bed", "chair", "toilet", "shower", "bath", "sink", "stove", "microwave",
        "kettle", "ventilation_unit",
    }
)
EXTERIOR_DOORS: frozenset[str] = frozenset({"front_door", "back_door"})


@dataclass(frozen=True, slots=True)
class Event:
    """One normalised reading. ``timestamp`` is timezone-aware; ``value`` is always a number."""

    timestamp: datetime
    device: str
    kind: str
    value: float
    room: str = "other"
    placement: str = ""

    def __post_init__(self) -> None:
        if self.timestamp.tzinfo is None:
            raise ValueError("event timestamps must carry a UTC offset")
        if self.kind not in KIND_CODES:
            raise ValueError(f"unknown event kind {self.kind!r}")


def is_valid_placement(placement: str) -> bool:
    """Placements are an open snake_case vocabulary; empty is allowed."""
    return placement == "" or (placement.replace("_", "").isalnum() and placement == placement.lower())
