"""Stored events: idempotent inserts and per-resident reads through the dated assignments."""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter

import numpy as np
from sqlalchemy import Connection, and_, func, or_, select

from ..events import KINDS
from . import schema as s
from .bulk import insert_ignore_rows

COLUMNS = ("device_id", "ts_ms", "kind", "value", "received_delta_ms")
_AS_TUPLE = itemgetter(*COLUMNS)


def insert_events(conn: Connection, rows: Sequence[dict]) -> None:
    """Insert event rows (device_id, ts_ms, kind, value, received_delta_ms); existing ones are skipped.

    The ingest writer's hot path: one executemany of plain tuples (see ``bulk``)."""
    insert_ignore_rows(conn, s.events, COLUMNS, [_AS_TUPLE(row) for row in rows])


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


def resident_event_arrays(
    conn: Connection, resident_id: str, from_ms: int | None = None, to_ms: int | None = None
) -> dict[str, np.ndarray]:
    """The same events as ``resident_events`` (same rows, same order) as column arrays, read fast.

    One small query for the resident's assignments, then one range scan of the events' primary key
    (device_id, ts_ms, ...) per assignment, fetched as plain tuples and turned into numpy arrays:
    no per-row Python objects beyond the driver's tuples. Keys: ``ts_ms`` (int64), ``device`` (device
    name), ``kind`` (int codes, see ``events.KINDS``), ``room``, ``placement`` (object) and ``value``
    (float64).
    """
    e, a, d = s.events, s.device_assignments, s.devices
    assignments = conn.execute(
        select(a.c.device_id, d.c.name, a.c.room, a.c.placement, a.c.valid_from_ms, a.c.valid_to_ms)
        .select_from(a.join(d, d.c.id == a.c.device_id))
        .where(a.c.resident_id == resident_id)
    ).all()
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, int]] = []
    raw_cursor = conn.dialect.name == "sqlite"
    for index, (device_id, _name, _room, _placement, valid_from, valid_to) in enumerate(assignments):
        lo = int(valid_from) if from_ms is None else max(int(valid_from), int(from_ms))
        hi = valid_to if to_ms is None else (to_ms if valid_to is None else min(int(valid_to), int(to_ms)))
        query = select(e.c.ts_ms, e.c.kind, e.c.value).where(e.c.device_id == device_id, e.c.ts_ms >= lo)
        if hi is not None:
            query = query.where(e.c.ts_ms < int(hi))
        result = conn.execute(query)
        try:
            if raw_cursor:
                # SQLite's own tuples: building SQLAlchemy Row objects would double the cost of the read.
                rows = result.cursor.fetchall() if result.cursor is not None else []
            else:
                rows = [tuple(r) for r in result]
        finally:
            result.close()
        if rows:
            data = np.array(rows, dtype=np.float64)  # ts_ms (< 2**53) and kind codes are exact in float64
            parts.append((data[:, 0].astype(np.int64), data[:, 1].astype(np.int64), data[:, 2], index))
    if not parts:
        empty = np.array([], dtype=object)
        return {"ts_ms": np.array([], dtype=np.int64), "device": empty, "kind": np.array([], dtype=np.int64),
                "room": empty, "placement": empty, "value": np.array([], dtype=np.float64)}
    ts = np.concatenate([p[0] for p in parts])
    kind = np.concatenate([p[1] for p in parts])
    value = np.concatenate([p[2] for p in parts])
    which = np.concatenate([np.full(len(p[0]), p[3], dtype=np.int64) for p in parts])
    names = np.array([str(r[1]) for r in assignments], dtype=object)
    # ORDER BY ts_ms, device name, kind, value, as resident_events (names by code point, as SQLite does).
    name_rank = {n: i for i, n in enumerate(sorted(set(names)))}
    rank = np.array([name_rank[n] for n in names], dtype=np.int64)[which]
    order = np.lexsort((value, kind, rank, ts))
    which = which[order]
    return {
        "ts_ms": ts[order],
        "device": names[which],
        "kind": kind[order],
        "room": np.array([str(r[2]) for r in assignments], dtype=object)[which],
        "placement": np.array([str(r[3]) for r in assignments], dtype=object)[which],
        "value": value[order],
    }
