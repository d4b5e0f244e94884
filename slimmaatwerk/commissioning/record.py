"""The commissioning record of one home: a plain, versioned JSON document (no Qt, no SQL).

It holds what the Afwegingskader Sensordata en Privacy asks an installer to record per home (purpose,
data need, alternatives considered, consent and who gave it), the household the analytics must know
about (partner, pet, scheduled care visits), and per device: identity, model, profile, room,
placement, walk-test result and time, battery and signal, and the problems named during the test.
Reading an older ``format`` keeps working: unknown keys are ignored, missing ones get defaults.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from ..errors import InputError

FORMAT = 1


@dataclass(frozen=True)
class Household:
    composition: str = "alone"  # alone | partner
    pet: bool = False
    care_visits: str = ""  # free text the coordinator reads, e.g. "ma-vr 08:00-08:30 thuiszorg"


@dataclass(frozen=True)
class PrivacyAnswers:
    purpose: str = ""
    data_need: str = ""
    alternatives: str = ""
    consent_by: str = "resident"  # resident | representative
    consent_name: str = ""
    consent_given: bool = False


@dataclass(frozen=True)
class DeviceRecord:
    id: str  # stable hardware identity
    name: str
    model: str = ""
    vendor: str = ""
    profile: str = ""
    room: str = "other"
    placement: str = ""
    result: str = "untested"  # passed | failed | untested
    tested_at: str = ""  # ISO 8601 with offset
    battery: float | None = None
    signal: int | None = None
    problems: tuple[str, ...] = ()  # problem keys, e.g. "battery_low"
    problem_args: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class CommissioningRecord:
    home_id: str
    resident_id: str
    resident_name: str
    installer: str
    started_at: str
    completed_at: str
    broker_url: str = ""
    household: Household = field(default_factory=Household)
    privacy: PrivacyAnswers = field(default_factory=PrivacyAnswers)
    devices: tuple[DeviceRecord, ...] = ()
    notes: str = ""
    version: int = 0  # set by storage: the n-th record of this home
    record_id: int = 0

    @property
    def status(self) -> str:
        return "complete" if self.devices and all(d.result == "passed" for d in self.devices) else "incomplete"

    def to_json(self) -> str:
        document = asdict(self)
        document.pop("version")
        document.pop("record_id")
        document["format"] = FORMAT
        return json.dumps(document, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str, version: int = 0, record_id: int = 0) -> CommissioningRecord:
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"commissioning record is not readable JSON: {exc}") from None
        if not isinstance(raw, dict) or not isinstance(raw.get("home_id"), str):
            raise InputError("commissioning record lacks a home")
        devices = tuple(_build(DeviceRecord, d) for d in raw.get("devices") or () if isinstance(d, dict))
        devices = tuple(_tuples(d) for d in devices)
        return _build(cls, {**raw, "household": _build(Household, raw.get("household") or {}),
                            "privacy": _build(PrivacyAnswers, raw.get("privacy") or {}),
                            "devices": devices, "version": version, "record_id": record_id})


def _build(kind: type, raw: dict[str, Any]) -> Any:
    known = {f.name for f in fields(kind)}
    return kind(**{k: v for k, v in raw.items() if k in known})


def _tuples(device: DeviceRecord) -> DeviceRecord:
    from dataclasses import replace

    return replace(device, problems=tuple(device.problems), problem_args=tuple(device.problem_args))
