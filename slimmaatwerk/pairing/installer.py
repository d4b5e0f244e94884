"""The installer's part of the service facade: residents and households, pairing, commissioning records.

Built on ``service.Service`` (role and per-resident scope checks, one transaction per call, the access
log), like ``privacy_service``. Pairing is a dated assignment starting at the moment of pairing, so
events before it are never re-attributed; later visits are in ``visits``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime

from ..commissioning.record import CommissioningRecord
from ..errors import InputError
from ..events import ROOMS
from ..localtime import format_timestamp, from_ms, ms
from ..profiles import ProfileRegistry
from ..service import HOUSEHOLDS, Service
from ..storage import commissioning_store as store
from ..storage import devices as device_store
from ..storage import residents

PLACEMENT = re.compile(r"[a-z0-9_]{0,64}")
RESIDENT_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


@dataclass(frozen=True)
class PairedDevice:
    identity: str
    name: str
    profile: str
    model: str
    vendor: str
    resident_id: str | None
    home_id: str | None
    room: str
    placement: str
    since: str  # ISO 8601, "" when unassigned

    def as_json(self) -> dict[str, object]:
        return {"id": self.identity, "name": self.name, "profile": self.profile, "model": self.model,
                "vendor": self.vendor, "resident": self.resident_id, "home": self.home_id, "room": self.room,
                "placement": self.placement, "since": self.since or None}


def check_room(room: str) -> None:
    if room not in ROOMS:
        raise InputError(f"room must be one of {', '.join(ROOMS)}, not {room!r}")


def check_placement(placement: str) -> None:
    if not PLACEMENT.fullmatch(placement):
        raise InputError(f"placement {placement!r} must be snake_case (a-z, 0-9, _), e.g. front_door")


class Installer:
    def __init__(self, service: Service, registry: ProfileRegistry | None = None) -> None:
        self.service = service
        self.registry = registry

    def _at(self, when: datetime | None) -> int:
        return ms(when) if when is not None else self.service.now_ms()

    # -- residents -------------------------------------------------------------------------------
    def resident(self, resident_id: str) -> residents.ResidentRecord | None:
        self.service._require("read_residents")
        with self.service.db.read() as conn:
            return residents.get_resident(conn, resident_id)

    def set_household(self, resident_id: str, household: str, pet: bool) -> None:
        self.service._require("manage_devices", resident_id)
        if household not in HOUSEHOLDS:
            raise InputError(f"household must be one of {', '.join(HOUSEHOLDS)}, not {household!r}")
        with self.service.db.begin() as conn:
            self.service._known_resident(conn, resident_id)
            store.set_household(conn, resident_id, household, pet)
            self.service._log(conn, "change", resident_id, f"household recorded: {household}{' + pet' if pet else ''}")
            self.service.db.bump_data_version(conn)

    # -- pairing ---------------------------------------------------------------------------------
    def pair(self, identity: str, resident_id: str, room: str, placement: str = "", *, name: str = "",
             profile: str = "", model: str = "", vendor: str = "", when: datetime | None = None) -> int:
        """Assign a device to a resident's room and placement from ``when`` (default: now)."""
        self.service._require("manage_devices", resident_id)
        identity = identity.strip()
        if not identity:
            raise InputError("a device needs its hardware identity (--id), e.g. zigbee:0x00158d0001a2b3c4")
        check_room(room)
        check_placement(placement)
        report_interval_s = 3600
        if profile:
            found = self.registry.by_id.get(profile) if self.registry is not None else None
            if self.registry is not None and found is None:
                raise InputError(f"unknown profile {profile!r} (see device_profiles/)")
            if found is not None:
                report_interval_s = found.report_interval_s
        at = self._at(when)
        with self.service.db.begin() as conn:
            record = self.service._known_resident(conn, resident_id)
            device_id = device_store.ensure_device(conn, identity, name or identity, self.service.now_ms(),
                                                   profile=profile, model=model, vendor=vendor,
                                                   report_interval_s=report_interval_s)
            current = device_store.assignment_at(conn, device_id, at)
            if current is not None and current.resident_id not in (None, resident_id):
                raise InputError(f"device {identity} is in use at resident {current.resident_id} since "
                                 f"{format_timestamp(from_ms(current.valid_from_ms))}; re-use it on a visit "
                                 "('re-use kit') instead")
            if profile:
                store.set_device_profile(conn, device_id, profile, model, vendor)
            assignment = device_store.assign(conn, device_id, record.home_id, resident_id, room, placement, at)
            self.service._log(conn, "change", resident_id, f"device {identity} paired: {room}/{placement or '-'}")
            self.service.db.bump_data_version(conn)
        return assignment

    def devices(self, resident_id: str | None = None) -> list[PairedDevice]:
        """Every known device with its current assignment (or none), optionally of one resident."""
        self.service._require("read_devices", resident_id)
        scope = self.service._scope()
        now = self.service.now_ms()
        out = []
        with self.service.db.begin() as conn:
            current = device_store.current_assignments(conn, now)
            for device_id, identity, name, profile, model, vendor in store.all_devices(conn):
                a = current.get(device_id)
                rid = a.resident_id if a else None
                if resident_id is not None and rid != resident_id:
                    continue
                if scope is not None and rid is not None and rid not in scope:
                    continue
                out.append(PairedDevice(identity, name, profile, model, vendor, rid, a.home_id if a else None,
                                        a.room if a else "", a.placement if a else "",
                                        format_timestamp(from_ms(a.valid_from_ms)) if a else ""))
            self.service._log(conn, "search", resident_id, f"devices list ({len(out)})", dedup=True)
        return out

    # -- commissioning records ----------------------------------------------------------------------
    def save_record(self, record: CommissioningRecord) -> CommissioningRecord:
        """Store a new version of the home's record; returns it with its id and version."""
        self.service._require("manage_devices", record.resident_id)
        with self.service.db.begin() as conn:
            self.service._known_resident(conn, record.resident_id)
            stored = store.save_record(conn, record.home_id, record.resident_id, record.status, record.installer,
                                       self.service.now_ms(), self.service.now_ms(), record.to_json())
            self.service._log(conn, "change", record.resident_id, f"commissioning record v{stored.version} saved")
        return replace(record, version=stored.version, record_id=stored.id)

    def open_record(self, record_id: int) -> CommissioningRecord:
        with self.service.db.read() as conn:
            stored = store.get_record(conn, record_id)
        if stored is None:
            raise InputError(f"no commissioning record {record_id}")
        self.service._require("read_devices", stored.resident_id)
        with self.service.db.begin() as conn:
            self.service._log(conn, "read", stored.resident_id, f"commissioning record v{stored.version}", dedup=True)
        return CommissioningRecord.from_json(stored.document, stored.version, stored.id)

    def records(self, resident_id: str) -> list[tuple[int, int, str, str]]:
        """(record id, version, status, completed at) of a resident's records, oldest first."""
        self.service._require("read_devices", resident_id)
        with self.service.db.read() as conn:
            found = store.records_of_resident(conn, resident_id)
        return [(r.id, r.version, r.status, format_timestamp(from_ms(r.completed_ms))) for r in found]
