"""Quarantined messages (raw bytes kept for inspection, bounded per device) and ingest counters.

Counters are named ``quarantined:<reason>``, ``rejected:<reason>``, ``ignored:<reason>`` and
``events_stored``; they are bumped in the same transaction as the events, so they survive restarts and
never count a message twice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import Connection, delete, func, select

from . import schema as s
from .bulk import add_rows, upsert_rows

# Raw messages kept per device (or per topic when no device is known); older ones are dropped.
KEEP_PER_DEVICE = 50
MAX_PAYLOAD_BYTES = 16_384


def add(conn: Connection, rows: Sequence[Mapping[str, object]], keep: int = KEEP_PER_DEVICE) -> None:
    """Insert quarantine rows (received_ms, topic, device, reason, payload) and trim each device."""
    if not rows:
        return
    clean = [
        {"received_ms": r["received_ms"], "topic": str(r["topic"])[:500], "device": str(r["device"])[:200],
         "reason": str(r["reason"])[:100], "payload": bytes(r["payload"])[:MAX_PAYLOAD_BYTES]}  # type: ignore[arg-type]
        for r in rows
    ]
    conn.execute(s.quarantine.insert(), clean)
    t = s.quarantine
    for device in {r["device"] for r in clean}:
        cutoff = conn.execute(
            select(t.c.id).where(t.c.device == device).order_by(t.c.id.desc()).offset(keep).limit(1)
        ).scalar()
        if cutoff is not None:
            conn.execute(delete(t).where(t.c.device == device, t.c.id <= cutoff))


def recent(conn: Connection, limit: int = 100) -> list[dict[str, object]]:
    t = s.quarantine
    rows = conn.execute(select(t).order_by(t.c.id.desc()).limit(limit))
    return [dict(r._mapping) for r in rows]


def bump(conn: Connection, increments: Mapping[str, int]) -> None:
    """Add to named counters (created at zero), in one statement without reading them first."""
    if not increments:
        return
    add_rows(conn, s.counters, ("name", "value"), ("name",), [(n, int(increments[n])) for n in sorted(increments)])


def counters(conn: Connection, prefix: str = "") -> dict[str, int]:
    t = s.counters
    query = select(t.c.name, t.c.value)
    if prefix:
        query = query.where(t.c.name.startswith(prefix, autoescape=True))
    return {str(name)[len(prefix):]: int(value) for name, value in conn.execute(query)}


def load_ring(conn: Connection, name: str) -> dict[int, int]:
    """A persistent ring of integers kept as counters ``<name>:<slot>`` (slot -> value)."""
    prefix = f"{name}:"
    return {int(slot): value for slot, value in counters(conn, prefix).items() if slot.isdigit()}


def save_ring(conn: Connection, name: str, slots: Mapping[int, int]) -> None:
    upsert_rows(conn, s.counters, ("name", "value"), ("name",),
                [(f"{name}:{slot}", value) for slot, value in slots.items()])


def count(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(s.quarantine)).scalar() or 0)
