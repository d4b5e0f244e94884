"""The access log (NEN 7513 spirit): one append-only entry per user action on a resident's data."""

from __future__ import annotations

from sqlalchemy import Connection, select

from . import schema as s


def append(
    conn: Connection, ts_ms: int, user_id: int, action: str, resident_id: str | None, detail: str = "",
    on_behalf_of: str = "",
) -> None:
    conn.execute(
        s.access_log.insert().values(
            ts_ms=ts_ms, user_id=user_id, action=action, resident_id=resident_id, detail=detail,
            on_behalf_of=on_behalf_of,
        )
    )


def entries(conn: Connection, resident_id: str | None = None) -> list[dict]:
    t = s.access_log
    query = select(t).order_by(t.c.id)
    if resident_id is not None:
        query = query.where(t.c.resident_id == resident_id)
    return [dict(row._mapping) for row in conn.execute(query)]
