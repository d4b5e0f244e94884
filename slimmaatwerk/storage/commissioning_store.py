"""Storage of commissioning records and of the household facts recorded at commissioning."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, func, select, update

from . import schema as s
from . import schema_commissioning as c


@dataclass(frozen=True)
class StoredRecord:
    id: int
    home_id: str
    resident_id: str
    version: int
    status: str
    installer: str
    created_ms: int
    completed_ms: int
    document: str


def save_record(conn: Connection, home_id: str, resident_id: str, status: str, installer: str,
                created_ms: int, completed_ms: int, document: str) -> StoredRecord:
    """Add the next version of a home's record (earlier versions are never changed)."""
    t = c.commissioning_records
    version = int(conn.execute(select(func.coalesce(func.max(t.c.version), 0)).where(t.c.home_id == home_id))
                  .scalar() or 0) + 1
    result = conn.execute(t.insert().values(
        home_id=home_id, resident_id=resident_id, version=version, status=status, installer=installer,
        created_ms=created_ms, completed_ms=completed_ms, document=document))
    return StoredRecord(int(result.inserted_primary_key[0]), home_id, resident_id, version, status, installer,
                        created_ms, completed_ms, document)


def get_record(conn: Connection, record_id: int) -> StoredRecord | None:
    row = conn.execute(select(c.commissioning_records).where(c.commissioning_records.c.id == record_id)).first()
    return _stored(row) if row else None


def records_of_resident(conn: Connection, resident_id: str) -> list[StoredRecord]:
    t = c.commissioning_records
    return [_stored(r) for r in conn.execute(select(t).where(t.c.resident_id == resident_id).order_by(t.c.id))]


def latest_for_home(conn: Connection, home_id: str) -> StoredRecord | None:
    t = c.commissioning_records
    row = conn.execute(select(t).where(t.c.home_id == home_id).order_by(t.c.version.desc()).limit(1)).first()
    return _stored(row) if row else None


def set_household(conn: Connection, resident_id: str, household: str, pet: bool) -> None:
    """The analytics read household and pet from the resident; commissioning is where they are learnt."""
    conn.execute(update(s.residents).where(s.residents.c.id == resident_id).values(household=household, pet=pet))


def set_active(conn: Connection, resident_id: str, active: bool) -> None:
    conn.execute(update(s.residents).where(s.residents.c.id == resident_id).values(active=active))


def _stored(row) -> StoredRecord:  # type: ignore[no-untyped-def]
    return StoredRecord(int(row.id), row.home_id, row.resident_id, int(row.version), row.status, row.installer,
                        int(row.created_ms), int(row.completed_ms), row.document)


def set_device_profile(conn: Connection, device_id: int, profile: str, model: str = "", vendor: str = "") -> None:
    """The profile the installer confirmed (model and vendor only filled in, never blanked)."""
    values: dict[str, str] = {"profile": profile}
    if model:
        values["model"] = model
    if vendor:
        values["vendor"] = vendor
    conn.execute(update(s.devices).where(s.devices.c.id == device_id).values(**values))


def device_by_identity(conn: Connection, identity: str) -> tuple[int, str, str, str, str] | None:
    """(id, name, profile, model, vendor) of a device, or None."""
    d = s.devices
    row = conn.execute(select(d.c.id, d.c.name, d.c.profile, d.c.model, d.c.vendor).where(d.c.identity == identity)).first()
    return (int(row[0]), row[1], row[2], row[3], row[4]) if row else None


def all_devices(conn: Connection) -> list[tuple[int, str, str, str, str, str]]:
    """(id, identity, name, profile, model, vendor) of every known device."""
    d = s.devices
    query = select(d.c.id, d.c.identity, d.c.name, d.c.profile, d.c.model, d.c.vendor).order_by(d.c.identity)
    return [(int(r[0]), r[1], r[2], r[3], r[4], r[5]) for r in conn.execute(query)]
