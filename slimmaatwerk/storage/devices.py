"""Devices (stable hardware identity) and their dated assignments to a home, resident, room, placement.

An event belongs to whichever assignment was valid at the event's time, so a sensor that is moved,
replaced or re-used in another home never rewrites history.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, and_, or_, select, update

from . import schema as s


@dataclass(frozen=True)
class Assignment:
    id: int
    device_id: int
    home_id: str
    resident_id: str | None
    room: str
    placement: str
    valid_from_ms: int
    valid_to_ms: int | None


def ensure_device(
    conn: Connection, identity: str, name: str, now_ms: int, *, profile: str = "", model: str = "",
    vendor: str = "", report_interval_s: int = 3600,
) -> int:
    """The id of the device with this hardware identity, created if new (name and model kept fresh)."""
    row = conn.execute(select(s.devices.c.id, s.devices.c.name).where(s.devices.c.identity == identity)).first()
    if row is not None:
        if row.name != name and name:
            conn.execute(update(s.devices).where(s.devices.c.id == row.id).values(name=name))
        return int(row.id)
    result = conn.execute(
        s.devices.insert().values(
            identity=identity, name=name, profile=profile, model=model, vendor=vendor,
            report_interval_s=report_interval_s, created_ms=now_ms,
        )
    )
    return int(result.inserted_primary_key[0])


def device_ids_by_identity(conn: Connection) -> dict[str, int]:
    return {row.identity: int(row.id) for row in conn.execute(select(s.devices.c.identity, s.devices.c.id))}


def assignments(conn: Connection, device_id: int) -> list[Assignment]:
    query = (
        select(s.device_assignments)
        .where(s.device_assignments.c.device_id == device_id)
        .order_by(s.device_assignments.c.valid_from_ms)
    )
    return [_assignment(row) for row in conn.execute(query)]


def assignment_at(conn: Connection, device_id: int, ts_ms: int) -> Assignment | None:
    t = s.device_assignments
    row = conn.execute(
        select(t).where(
            t.c.device_id == device_id,
            t.c.valid_from_ms <= ts_ms,
            or_(t.c.valid_to_ms.is_(None), t.c.valid_to_ms > ts_ms),
        )
    ).first()
    return _assignment(row) if row else None


def assign(
    conn: Connection, device_id: int, home_id: str, resident_id: str | None, room: str, placement: str,
    valid_from_ms: int,
) -> int:
    """Start a new assignment at ``valid_from_ms``, ending whichever assignment covered that moment.

    Assignments that start later stay as they are, so back-dated pairing does not swallow newer history.
    """
    t = s.device_assignments
    current = assignment_at(conn, device_id, valid_from_ms)
    later = conn.execute(
        select(t.c.valid_from_ms)
        .where(t.c.device_id == device_id, t.c.valid_from_ms > valid_from_ms)
        .order_by(t.c.valid_from_ms)
        .limit(1)
    ).scalar()
    valid_to = current.valid_to_ms if current else later
    if current is not None:
        if current.valid_from_ms == valid_from_ms:
            conn.execute(t.delete().where(t.c.id == current.id))
        else:
            conn.execute(update(t).where(t.c.id == current.id).values(valid_to_ms=valid_from_ms))
    result = conn.execute(
        t.insert().values(
            device_id=device_id, home_id=home_id, resident_id=resident_id, room=room, placement=placement,
            valid_from_ms=valid_from_ms, valid_to_ms=valid_to,
        )
    )
    return int(result.inserted_primary_key[0])


def extend_back(conn: Connection, assignment_id: int, valid_from_ms: int) -> None:
    """Let an assignment start earlier (importing older history of the same sensor in the same place)."""
    t = s.device_assignments
    conn.execute(update(t).where(t.c.id == assignment_id).values(valid_from_ms=valid_from_ms))


def end_assignment(conn: Connection, device_id: int, at_ms: int) -> None:
    t = s.device_assignments
    conn.execute(
        update(t)
        .where(t.c.device_id == device_id, t.c.valid_from_ms <= at_ms,
               or_(t.c.valid_to_ms.is_(None), t.c.valid_to_ms > at_ms))
        .values(valid_to_ms=at_ms)
    )


def resident_devices(conn: Connection, resident_id: str) -> list[tuple[int, str, str, str, int, Assignment]]:
    """(device id, name, identity, profile, report interval, assignment) of every assignment ever made."""
    t, d = s.device_assignments, s.devices
    query = (
        select(d.c.id, d.c.name, d.c.identity, d.c.profile, d.c.report_interval_s, t)
        .join(t, t.c.device_id == d.c.id)
        .where(t.c.resident_id == resident_id)
        .order_by(d.c.name, t.c.valid_from_ms)
    )
    out = []
    for row in conn.execute(query):
        out.append((int(row[0]), row[1], row[2], row[3], int(row[4]), _assignment(row[5:])))
    return out


def current_assignments(conn: Connection, now_ms: int, resident_id: str | None = None) -> dict[int, Assignment]:
    """Device id -> the assignment valid at ``now_ms``; of one resident only when ``resident_id`` is given
    (a resident's detail must not read the assignments of every home)."""
    t = s.device_assignments
    query = select(t).where(
        and_(t.c.valid_from_ms <= now_ms, or_(t.c.valid_to_ms.is_(None), t.c.valid_to_ms > now_ms))
    )
    if resident_id is not None:
        query = query.where(t.c.resident_id == resident_id)
    return {int(row.device_id): _assignment(row) for row in conn.execute(query)}


def _assignment(row) -> Assignment:  # type: ignore[no-untyped-def]
    return Assignment(
        int(row[0]), int(row[1]), row[2], row[3], row[4], row[5], int(row[6]),
        None if row[7] is None else int(row[7]),
    )
