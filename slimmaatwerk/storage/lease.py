"""The engine lease: a row with a heartbeat, so exactly one engine runs per database."""

from __future__ import annotations

from sqlalchemy import Connection, select, update

from . import schema as s

LEASE_NAME = "engine"
# A lease whose heartbeat is older than this is considered abandoned (the engine crashed).
LEASE_TTL_MS = 30_000


def acquire(conn: Connection, holder: str, now_ms: int, ttl_ms: int = LEASE_TTL_MS) -> str | None:
    """Take the lease; returns None on success, or the current holder's name if it is still alive."""
    t = s.engine_lease
    row = conn.execute(select(t).where(t.c.name == LEASE_NAME).with_for_update()).first()
    if row is None:
        conn.execute(t.insert().values(name=LEASE_NAME, holder=holder, heartbeat_ms=now_ms))
        return None
    if row.holder != holder and now_ms - int(row.heartbeat_ms) < ttl_ms:
        return str(row.holder)
    conn.execute(update(t).where(t.c.name == LEASE_NAME).values(holder=holder, heartbeat_ms=now_ms))
    return None


def renew(conn: Connection, holder: str, now_ms: int) -> bool:
    t = s.engine_lease
    result = conn.execute(
        update(t).where(t.c.name == LEASE_NAME, t.c.holder == holder).values(heartbeat_ms=now_ms)
    )
    return result.rowcount == 1


def release(conn: Connection, holder: str) -> None:
    t = s.engine_lease
    conn.execute(t.delete().where(t.c.name == LEASE_NAME, t.c.holder == holder))
