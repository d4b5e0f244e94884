"""Reading what the engine stored, for assertions (plain SQLAlchemy Core on the real database)."""

from __future__ import annotations

from sqlalchemy import Engine, select

from slimmaatwerk.events import KINDS
from slimmaatwerk.storage import schema as s


def stored_events(db: Engine, with_time: bool = False) -> list[tuple]:
    """(identity, kind, value[, ts_ms]) of every stored event, in time order."""
    e, d = s.events, s.devices
    query = select(d.c.identity, e.c.kind, e.c.value, e.c.ts_ms).join(d, d.c.id == e.c.device_id)
    with db.connect() as conn:
        rows = conn.execute(query.order_by(e.c.ts_ms, d.c.identity, e.c.kind)).all()
    if with_time:
        return [(r[0], KINDS[r[1]], r[2], r[3]) for r in rows]
    return [(r[0], KINDS[r[1]], r[2]) for r in rows]


def count_rows(db: Engine, table) -> int:  # type: ignore[no-untyped-def]
    with db.connect() as conn:
        return len(conn.execute(select(table)).all())


def device_rows(db: Engine) -> dict[str, dict]:
    with db.connect() as conn:
        return {r.identity: dict(r._mapping) for r in conn.execute(select(s.devices))}
