"""A new version of a home's commissioning record, made on a later visit (pure; no storage, no Qt).

The answers (household, purpose, data need, consent) are the installer's edits; the devices are the
home as it is now. A device still hanging where it was tested keeps its walk-test result and time; a
device that was moved, or is new (a replacement, a re-used sensor), is listed as "untested" until it
is walk-tested again: the record never claims a test that did not happen. Earlier versions stay as
they were.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from .record import CommissioningRecord, DeviceRecord, Household, PrivacyAnswers


@dataclass(frozen=True)
class DeviceNow:
    """A device in the home now (from the device store)."""

    id: str
    name: str
    room: str
    placement: str = ""
    profile: str = ""
    model: str = ""
    vendor: str = ""
    battery: float | None = None


def revise(old: CommissioningRecord, devices_now: Iterable[DeviceNow], *, household: Household,
           privacy: PrivacyAnswers, notes: str, installer: str, completed_at: str) -> CommissioningRecord:
    tested = {d.id: d for d in old.devices}
    devices = []
    for now in devices_now:
        before = tested.get(now.id)
        if before is not None and (before.room, before.placement) == (now.room, now.placement):
            kept = replace(before, name=now.name or before.name, profile=now.profile or before.profile,
                           battery=now.battery if now.battery is not None else before.battery)
            devices.append(kept)
        else:
            devices.append(DeviceRecord(now.id, now.name or now.id, now.model, now.vendor, now.profile, now.room,
                                        now.placement, "untested", battery=now.battery))
    return replace(old, installer=installer, started_at=completed_at, completed_at=completed_at,
                   household=household, privacy=privacy, devices=tuple(devices), notes=notes,
                   version=0, record_id=0)
