"""Stored events: idempotent inserts and per-resident reads through the dated assignments."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, and_, func, or_, select

from ..events import KINDS
from . import schema as s
from .dialect import insert_ignore

# Rows per statement: large enough to amortise round trips, small enough for SQLite's variable limit.
CHUNK = 5000


def insert_events(conn: Connection, rows: Sequence[dict]) -> None:
    """Insert event rows (device_id, ts_ms, kind, value, received_delta_ms); existing ones are skipped."""
    for start in range(0, len(rows), CHUNK):
        insert_ignore(conn, s.events, rows[start : start + CHUNK])


def _resident_join(resident_id: str):  # type: ignore[no-untyped-def]
    e, a = s.events, s.device_assignments
    return and_(
        a.c.device_id == e.c.device_id,
        e.c.ts_ms >= a.c.valid_from_ms,
        or_(a.c.valid_to_ms.is_(None), e.c.ts_ms < a.c.valid_to_ms),
        a.c.resident_id == resident_id,
    )


def resident_events(
    conn: Connection, resident_id: str, from_ms: int | None = None, to_ms: int | None = None
) -> list[tuple[int, str, str, str, str, float]]:
    """(ts_ms, device name, kind, room, placement, value) of a resident's events, oldest first."""
    e, a, d = s.events, s.device_assignments, s.devices
    query = (
        select(e.c.ts_ms, d.c.name, e.c.kind, a.c.room, a.c.placement, e.c.value)
        .select_from(e.join(a, _resident_join(resident_id)).join(d, d.c.id == e.c.device_id))
        .order_by(e.c.ts_ms, d.c.name, e.c.kind, e.c.value)
    )
    if from_ms is not None:
        query = query.where(e.c.ts_ms >= from_ms)
    if to_ms is not None:
        query = query.where(e.c.ts_ms < to_ms)
    return [(int(r[0]), r[1], KINDS[r[2]], r[3], r[4], float(r[5])) for r in conn.execute(query)]


def count_resident_events(conn: Connection, resident_id: str) -> int:
    e, a = s.events, s.device_assignments
    query = select(func.count()).select_from(e.join(a, _resident_join(resident_id)))
    return int(conn.execute(query).scalar() or 0)


def count_events(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(s.events)).scalar() or 0)


def last_event_ms(conn: Connection, device_ids: Sequence[int]) -> dict[int, int]:
    e = s.events
    query = select(e.c.device_id, func.max(e.c.ts_ms)).where(e.c.device_id.in_(list(device_ids)))
    return {int(r[0]): int(r[1]) for r in conn.execute(query.group_by(e.c.device_id))}
