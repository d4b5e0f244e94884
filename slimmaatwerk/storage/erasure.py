"""Erasing one resident everywhere (AVG art. 17) and purging old data (retention); SQL only.

Erasure walks every table of the schema, children before parents, and removes each row that belongs
to the resident by column: ``resident_id``, ``alert_id`` (their alerts), ``device_id`` (devices only
they ever used; a re-used device loses only the events and assignments of their time), ``home_id``
(their home when no one else lives there). Tables added later by others are covered by the same rule.
The access log is kept but pseudonymised (``access_log.pseudonymise``). With ``secure_delete`` on and
the WAL truncated afterwards, the erased bytes are overwritten, not just unlinked.
"""

from __future__ import annotations

from sqlalchemy import Connection, and_, delete, inspect, or_, select

from ..localtime import format_timestamp, from_ms
from . import access_log
from . import schema as s
from .schema import metadata
from .schema_features import daily_features

KEEP = {"access_log", "access_log_chain", "access_log_head", "access_log_checkpoints", "users", "settings",
        "counters", "engine_lease", "alembic_version"}


def _ids(conn: Connection, query) -> list:  # type: ignore[no-untyped-def]
    return [row[0] for row in conn.execute(query)]


def erase_resident(conn: Connection, resident_id: str, pseudonym: str) -> dict[str, int]:
    """Delete the resident's rows everywhere; returns rows removed per table (and log entries kept)."""
    a = s.device_assignments
    home = conn.execute(select(s.residents.c.home_id).where(s.residents.c.id == resident_id)).scalar()
    theirs = set(_ids(conn, select(a.c.device_id).where(a.c.resident_id == resident_id)))
    shared = set(_ids(conn, select(a.c.device_id).where(a.c.device_id.in_(theirs), a.c.resident_id != resident_id)))
    own_devices = sorted(theirs - shared)
    windows = conn.execute(select(a.c.device_id, a.c.valid_from_ms, a.c.valid_to_ms)
                           .where(a.c.resident_id == resident_id, a.c.device_id.in_(shared))).all()
    others_home = conn.execute(select(s.residents.c.id).where(s.residents.c.home_id == home,
                                                              s.residents.c.id != resident_id)).first()
    own_home = home if home is not None and others_home is None else None
    alert_ids = _ids(conn, select(s.alerts.c.id).where(s.alerts.c.resident_id == resident_id))
    names = _ids(conn, select(s.devices.c.name).where(s.devices.c.id.in_(own_devices))) + \
        _ids(conn, select(s.devices.c.identity).where(s.devices.c.id.in_(own_devices)))
    from . import schema_privacy as p

    family_users = _ids(conn, select(p.family_links.c.user_id).where(p.family_links.c.resident_id == resident_id))
    present = set(inspect(conn).get_table_names())
    removed: dict[str, int] = {}
    for table in reversed(metadata.sorted_tables):
        if table.name in KEEP or table.name not in present:
            continue
        c = table.c
        where = []
        if "resident_id" in c:
            where.append(c.resident_id == resident_id)
        if "alert_id" in c and alert_ids:
            where.append(c.alert_id.in_(alert_ids))
        if "device_id" in c and own_devices:
            where.append(c.device_id.in_(own_devices))
        if "device_id" in c and "ts_ms" in c:
            where += [and_(c.device_id == d, c.ts_ms >= start, c.ts_ms < (end if end is not None else 2**62))
                      for d, start, end in windows]
        if "home_id" in c and own_home is not None:
            where.append(c.home_id == own_home)
        if table is s.residents:
            where.append(c.id == resident_id)
        if table is s.devices and own_devices:
            where.append(c.id.in_(own_devices))
        if table is s.homes and own_home is not None:
            where.append(c.id == own_home)
        if table is s.quarantine and names:
            where.append(c.device.in_(names))
            where += [c.topic.contains(name) for name in names]
        if where:
            count = conn.execute(delete(table).where(or_(*where))).rowcount or 0
            if count:
                removed[table.name] = int(count)
    if family_users:
        removed["users"] = int(conn.execute(delete(s.users).where(s.users.c.id.in_(family_users))).rowcount or 0)
    removed["access_log_pseudonymised"] = access_log.pseudonymise(conn, resident_id, pseudonym)
    return removed


def purge_raw(conn: Connection, before_ms: int) -> dict[str, int]:
    """Retention: raw events and quarantined messages older than ``before_ms`` are deleted."""
    events = conn.execute(delete(s.events).where(s.events.c.ts_ms < before_ms)).rowcount or 0
    quarantined = conn.execute(delete(s.quarantine).where(s.quarantine.c.received_ms < before_ms)).rowcount or 0
    return {"events": int(events), "quarantine": int(quarantined)}


def truncate_wal(conn: Connection) -> None:
    """After an erase or purge on SQLite: fold the WAL into the database and empty it."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def purge_aggregates(conn: Connection, before_ms: int) -> dict[str, int]:
    """Retention of the longer-kept derived data: day-level alerts (with their history) raised before
    ``before_ms`` and context periods that ended before it."""
    old = select(s.alerts.c.id).where(s.alerts.c.raised_ms < before_ms)
    present = set(inspect(conn).get_table_names())
    for table in reversed(metadata.sorted_tables):
        if "alert_id" in table.c and table.name in present:
            conn.execute(delete(table).where(table.c.alert_id.in_(old)))
    alerts = conn.execute(delete(s.alerts).where(s.alerts.c.raised_ms < before_ms)).rowcount or 0
    context = conn.execute(delete(s.context_periods).where(s.context_periods.c.to_ms < before_ms)).rowcount or 0
    # The kept daily features are derived data of the same kind: they go with the same retention.
    # Their day is the ISO date of a 04:00-04:00 day: a date before the cut-off's local date goes.
    old_day = format_timestamp(from_ms(before_ms))[:10]
    features = conn.execute(delete(daily_features).where(daily_features.c.day < old_day)).rowcount or 0
    return {"alerts": int(alerts), "context": int(context), "daily_features": int(features)}
