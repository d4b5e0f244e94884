"""What each pairing step asks: the flow's step results and the data schema of every form.

``ShowForm``, ``Done`` and ``Abort`` are the three things a step can return (Home Assistant's config
flow results). A ``Field`` is rendered by the wizard and parsed by the flow; labels are text keys
(``field.<name>``), never words. Also here: the installer's starting guesses (room from a friendly
name, placement from room and kind), which the installer confirms.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..commissioning.record import CommissioningRecord
from ..events import ROOMS

STEPS: tuple[str, ...] = ("home", "household", "purpose", "broker", "discover", "profiles", "rooms",
                          "walktest", "summary")


@dataclass(frozen=True)
class Field:
    """One input. ``kind``: text, password, textarea, int, bool, choice, devices, walktest."""

    name: str
    kind: str = "text"
    required: bool = False
    default: Any = None
    options: tuple[tuple[str, str], ...] = ()  # (value, text key or literal label) for choices
    rows: tuple[Any, ...] = ()  # candidates for ``devices``, checks for ``walktest``
    label: str = ""  # literal label (a device name) when the text key is not enough
    group: str = ""  # device id the field belongs to (per-device steps)


@dataclass(frozen=True)
class ShowForm:
    step_id: str
    data_schema: tuple[Field, ...]
    errors: Mapping[str, str] = field(default_factory=dict)  # field name (or "base") -> error key
    placeholders: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Done:
    record: CommissioningRecord


@dataclass(frozen=True)
class Abort:
    reason_key: str


Result = ShowForm | Done | Abort

_ROOM_WORDS: tuple[tuple[str, str], ...] = (
    ("slaapkamer|bedroom|bed", "bedroom"), ("badkamer|bathroom|douche|shower|bath", "bathroom"),
    ("toilet|wc", "toilet"), ("keuken|kitchen|koelkast|fridge", "kitchen"),
    ("woonkamer|living|lounge|stoel|chair|bank", "living"), ("voordeur|front|entree|entrance", "entrance"),
    ("gang|hal|hall|overloop", "hall"),
)
_PLACEMENT_WORDS: tuple[tuple[str, str], ...] = (
    ("voordeur|front_?door", "front_door"), ("achterdeur|back_?door", "back_door"),
    ("koelkast|fridge", "fridge"), ("vriezer|freezer", "freezer"), ("bed", "bed"), ("stoel|chair", "chair"),
    ("douche|shower", "shower"), ("toiletdeur|toilet_?door", "toilet_door"),
    ("badkamerdeur|bathroom_?door", "bathroom_door"), ("slaapkamerdeur|bedroom_?door", "bedroom_door"),
    ("ventilat|itho|brink|zehnder|duco", "ventilation_unit"),
)


def guess_room(name: str) -> str:
    """A first guess from the friendly name ("keuken_pir" -> kitchen); "other" when nothing fits."""
    lowered = name.lower()
    for pattern, placement in _PLACEMENT_WORDS:
        if re.search(pattern, lowered) and placement in ("front_door", "back_door"):
            return "entrance"
    for pattern, room in _ROOM_WORDS:
        if re.search(pattern, lowered):
            return room
    return "other"


def guess_placement(name: str) -> str:
    lowered = name.lower()
    return next((p for pattern, p in _PLACEMENT_WORDS if re.search(pattern, lowered)), "")


def room_options() -> tuple[tuple[str, str], ...]:
    return tuple((room, f"room.{room}") for room in ROOMS)


def home_form(residents: list[tuple[str, str]], data: Mapping[str, Any]) -> tuple[Field, ...]:
    existing = (("", "choice.new"), *((rid, f"{rid} — {name}") for rid, name in residents))
    return (
        Field("existing", "choice", default=data.get("existing", ""), options=existing),
        Field("resident_id", "text", default=data.get("resident_id", "")),
        Field("name", "text", default=data.get("name", "")),
    )


def household_form(data: Mapping[str, Any]) -> tuple[Field, ...]:
    return (
        Field("household", "choice", True, data.get("household", "alone"),
              (("alone", "choice.alone"), ("partner", "choice.partner"))),
        Field("pet", "bool", default=bool(data.get("pet", False))),
        Field("care_visits", "textarea", default=data.get("care_visits", "")),
    )


def purpose_form(data: Mapping[str, Any]) -> tuple[Field, ...]:
    return (
        Field("purpose", "textarea", True, data.get("purpose", "")),
        Field("data_need", "textarea", True, data.get("data_need", "")),
        Field("alternatives", "textarea", default=data.get("alternatives", "")),
        Field("consent_by", "choice", True, data.get("consent_by", "resident"),
              (("resident", "choice.resident"), ("representative", "choice.representative"))),
        Field("consent_name", "text", default=data.get("consent_name", "")),
        Field("consent_given", "bool", True, bool(data.get("consent_given", False))),
    )


def broker_form(data: Mapping[str, Any]) -> tuple[Field, ...]:
    return (
        Field("broker_url", "text", True, data.get("broker_url", "mqtt://")),
        Field("username", "text", default=data.get("username", "")),
        Field("password", "password", default=""),  # never shown again once typed
        Field("seconds", "int", default=data.get("seconds", 3)),
    )


def discover_form(candidates: tuple[Any, ...], selected: list[str]) -> tuple[Field, ...]:
    return (
        Field("devices", "devices", True, list(selected), rows=candidates),
        Field("permit_join", "bool", default=False),
    )


def profiles_form(devices: list[Any], choices: Mapping[str, str],
                  options: Mapping[str, tuple[tuple[str, str], ...]]) -> tuple[Field, ...]:
    return tuple(Field(f"profile:{d.id}", "choice", True, choices.get(d.id, d.suggested_profile),
                       options[d.id], label=d.name or d.id, group=d.id) for d in devices)


def rooms_form(devices: list[Any], rooms: Mapping[str, str], placements: Mapping[str, str]) -> tuple[Field, ...]:
    fields: list[Field] = []
    for d in devices:
        name = d.name or d.id
        fields.append(Field(f"room:{d.id}", "choice", True, rooms.get(d.id, guess_room(name)), room_options(),
                            label=name, group=d.id))
        fields.append(Field(f"placement:{d.id}", "text", default=placements.get(d.id, guess_placement(name)),
                            label=name, group=d.id))
    return tuple(fields)


def walktest_form(checks: tuple[Any, ...]) -> tuple[Field, ...]:
    return (Field("checks", "walktest", rows=checks), Field("accept_problems", "bool", default=False))


def summary_form(data: Mapping[str, Any]) -> tuple[Field, ...]:
    return (Field("notes", "textarea", default=data.get("notes", "")),)
