"""Later visits: move a sensor, replace a broken one, re-use a kit in another home, end care.

Each is a dated assignment change at the moment of the visit (``when``, default now): the assignment
valid until then is ended at that moment and a new one starts. Events before the change stay with the
room, placement and resident they happened in; events after it go to the new assignment. A change dated
before the current assignment began is refused, because it would move events already attributed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..errors import InputError
from ..localtime import format_timestamp, from_ms, ms
from ..storage import commissioning_store as store
from ..storage import device_state
from ..storage import devices as device_store
from ..storage.devices import Assignment
from .installer import Installer, check_placement, check_room


@dataclass(frozen=True)
class HomeDevice:
    """A device in a home now: where it hangs since when, and how it is doing (for the visit screen)."""

    identity: str
    name: str
    profile: str
    room: str
    placement: str
    since_ms: int
    battery: float | None
    last_seen_ms: int | None
    online: bool | None  # None: never heard


class Visits:
    def __init__(self, installer: Installer) -> None:
        self.installer = installer
        self.service = installer.service

    def home(self, resident_id: str) -> list[HomeDevice]:
        """The devices assigned to the resident now, with battery and last seen (access-logged)."""
        self.service._require("read_devices", resident_id)
        now = self.service.now_ms()
        out = []
        with self.service.db.begin() as conn:
            self.service._known_resident(conn, resident_id)
            health = device_state.health(conn)
            for device_id, name, identity, profile, interval, a in device_store.resident_devices(conn, resident_id):
                if not (a.valid_from_ms <= now and (a.valid_to_ms is None or a.valid_to_ms > now)):
                    continue
                h = health.get(device_id, {})
                seen = h.get("last_seen_ms")
                battery = h.get("battery")
                online = None
                if seen is not None:
                    # As ``status``: offline when it says so, or silent past its report interval plus an hour.
                    online = h.get("online") != 0 and now - int(seen) <= (interval + 3600) * 1000
                out.append(HomeDevice(identity, name, profile, a.room, a.placement, a.valid_from_ms,
                                      None if battery is None else float(battery),
                                      None if seen is None else int(seen), online))
            self.service._log(conn, "read", resident_id, f"devices of the home ({len(out)})", dedup=True)
        return out

    def _at(self, when: datetime | None) -> int:
        return ms(when) if when is not None else self.service.now_ms()

    def _current(self, conn, identity: str, at: int) -> tuple[int, Assignment]:  # type: ignore[no-untyped-def]
        found = store.device_by_identity(conn, identity)
        if found is None:
            raise InputError(f"unknown device {identity!r} (see 'slimmaatwerk devices list')")
        current = device_store.assignment_at(conn, found[0], at)
        if current is None or current.resident_id is None:
            raise InputError(f"device {identity} is not assigned to anyone at "
                             f"{format_timestamp(from_ms(at))}: pair it instead")
        return found[0], current

    @staticmethod
    def _not_before(current: Assignment, at: int, identity: str) -> None:
        if at <= current.valid_from_ms:
            raise InputError(f"{identity}: the change must be after the current assignment began "
                             f"({format_timestamp(from_ms(current.valid_from_ms))}); earlier events keep "
                             "their room")

    def move(self, identity: str, room: str, placement: str = "", when: datetime | None = None) -> int:
        """The same sensor, same resident, another room or placement from ``when``."""
        check_room(room)
        check_placement(placement)
        at = self._at(when)
        with self.service.db.read() as conn:
            _device_id, current = self._current(conn, identity, at)
        self.service._require("manage_devices", current.resident_id)
        with self.service.db.begin() as conn:
            device_id, current = self._current(conn, identity, at)
            self._not_before(current, at, identity)
            new = device_store.assign(conn, device_id, current.home_id, current.resident_id, room, placement, at)
            self.service._log(conn, "change", current.resident_id,
                              f"device {identity} moved {current.room}/{current.placement or '-'} -> "
                              f"{room}/{placement or '-'}")
            self.service.db.bump_data_version(conn)
        return new

    def replace(self, old_identity: str, new_identity: str, when: datetime | None = None, *, name: str = "",
                profile: str = "", model: str = "", vendor: str = "") -> int:
        """A new sensor takes over the broken one's resident, room and placement from ``when``."""
        at = self._at(when)
        if old_identity == new_identity:
            raise InputError("the replacement must be another device than the broken one")
        with self.service.db.read() as conn:
            _device_id, current = self._current(conn, old_identity, at)
            kept = store.device_by_identity(conn, old_identity)
        self.service._require("manage_devices", current.resident_id)
        with self.service.db.begin() as conn:
            old_id, current = self._current(conn, old_identity, at)
            self._not_before(current, at, old_identity)
            new_id = device_store.ensure_device(conn, new_identity, name or new_identity, self.service.now_ms(),
                                                profile=profile or (kept[2] if kept else ""),
                                                model=model or (kept[3] if kept else ""),
                                                vendor=vendor or (kept[4] if kept else ""))
            busy = device_store.assignment_at(conn, new_id, at)
            if busy is not None and busy.resident_id not in (None, current.resident_id):
                raise InputError(f"device {new_identity} is in use at resident {busy.resident_id}")
            device_store.end_assignment(conn, old_id, at)
            new = device_store.assign(conn, new_id, current.home_id, current.resident_id, current.room,
                                      current.placement, at)
            self.service._log(conn, "change", current.resident_id,
                              f"device {old_identity} replaced by {new_identity} ({current.room})")
            self.service.db.bump_data_version(conn)
        return new

    def reuse(self, identity: str, resident_id: str, room: str, placement: str = "",
              when: datetime | None = None) -> int:
        """A sensor leaves its old home at ``when`` and starts in another resident's home."""
        return self.reuse_kit([(identity, room, placement)], resident_id, when)[0]

    def reuse_kit(self, devices: list[tuple[str, str, str]], resident_id: str,
                  when: datetime | None = None) -> list[int]:
        """Several sensors (identity, room, placement) move to another resident's home, all or none."""
        for _identity, room, placement in devices:
            check_room(room)
            check_placement(placement)
        at = self._at(when)
        self.service._require("manage_devices", resident_id)
        with self.service.db.read() as conn:
            for identity, _room, _placement in devices:
                found = store.device_by_identity(conn, identity)
                current = device_store.assignment_at(conn, found[0], at) if found else None
                if current is not None and current.resident_id:
                    self.service._require("manage_devices", current.resident_id)  # taken from a home: theirs too
        out = []
        with self.service.db.begin() as conn:
            target = self.service._known_resident(conn, resident_id)
            for identity, room, placement in devices:
                found = store.device_by_identity(conn, identity)
                if found is None:
                    raise InputError(f"unknown device {identity!r} (see 'slimmaatwerk devices list')")
                current = device_store.assignment_at(conn, found[0], at)
                if current is not None:
                    self._not_before(current, at, identity)
                    device_store.end_assignment(conn, found[0], at)
                    if current.resident_id:
                        self.service._log(conn, "change", current.resident_id,
                                          f"device {identity} removed for re-use")
                out.append(device_store.assign(conn, found[0], target.home_id, resident_id, room, placement, at))
                self.service._log(conn, "change", resident_id, f"device {identity} re-used: {room}/{placement or '-'}")
            self.service.db.bump_data_version(conn)
        return out

    def end_care(self, resident_id: str, when: datetime | None = None) -> list[str]:
        """End every assignment of the resident at ``when`` and mark them inactive; the kit is free."""
        at = self._at(when)
        self.service._require("manage_devices", resident_id)
        ended = []
        with self.service.db.begin() as conn:
            self.service._known_resident(conn, resident_id)
            for device_id, _name, identity, _profile, _interval, assignment in \
                    device_store.resident_devices(conn, resident_id):
                covers = assignment.valid_from_ms <= at and (assignment.valid_to_ms is None or assignment.valid_to_ms > at)
                if covers:
                    device_store.end_assignment(conn, device_id, at)
                    ended.append(identity)
            store.set_active(conn, resident_id, False)
            self.service._log(conn, "change", resident_id, f"care ended; {len(ended)} devices freed")
            self.service.db.bump_data_version(conn)
        return ended
