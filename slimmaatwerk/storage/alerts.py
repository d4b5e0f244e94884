"""Stored alerts: the ALERT record of DESIGN.md as JSON plus the columns the inbox filters on."""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import Connection, select, update

from . import schema as s
from .dialect import insert_ignore

OPEN_STATUSES = ("new", "acknowledged", "assigned")


def store_alerts(conn: Connection, resident_id: str, records: Iterable[dict], raised_ms: Iterable[int]) -> None:
    """Store new alerts; one per resident, day and indicator, and a stored one keeps its status."""
    rows = [
        {
            "resident_id": resident_id, "date": rec["date"], "indicator": rec["indicator"],
            "severity": rec["severity"], "raised_ms": ms, "status": "new", "owner": "", "label": "",
            "payload": json.dumps(rec, ensure_ascii=False, sort_keys=True),
        }
        for rec, ms in zip(records, raised_ms, strict=True)
    ]
    insert_ignore(conn, s.alerts, rows)


def list_alerts(
    conn: Connection, resident_ids: Iterable[str] | None = None, *, open_only: bool = False, limit: int = 500
) -> list[dict]:
    t = s.alerts
    query = select(t).order_by(t.c.raised_ms.desc()).limit(limit)
    if resident_ids is not None:
        query = query.where(t.c.resident_id.in_(sorted(set(resident_ids))))
    if open_only:
        query = query.where(t.c.status.in_(OPEN_STATUSES))
    return [
        {"id": int(r.id), "resident_id": r.resident_id, "status": r.status, "owner": r.owner,
         "label": r.label, "raised_ms": int(r.raised_ms), **json.loads(r.payload)}
        for r in conn.execute(query)
    ]


def set_status(conn: Connection, alert_id: int, status: str, *, owner: str | None = None,
               label: str | None = None) -> None:
    values: dict[str, str] = {"status": status}
    if owner is not None:
        values["owner"] = owner
    if label is not None:
        values["label"] = label
    conn.execute(update(s.alerts).where(s.alerts.c.id == alert_id).values(**values))
