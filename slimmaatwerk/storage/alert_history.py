"""Alert handling in storage: reading one alert, changing its status safely, its history, the inbox query.

A status change is a compare-and-set (``WHERE status, owner = <what the caller saw>``), so two coordinators
acting on the same alert at once cannot both win; the loser gets ``False`` and is told to look again.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, select, update

from ..alert_workflow import HistoryEntry
from ..localtime import from_ms
from . import schema as s
from . import schema_workflow as w

INBOX_LIMIT = 2000


@dataclass(frozen=True)
class StoredAlert:
    id: int
    resident_id: str
    date: str
    indicator: str
    severity: str
    raised_ms: int
    status: str
    owner: str
    label: str
    payload: dict


def _alert(row) -> StoredAlert:  # type: ignore[no-untyped-def]
    return StoredAlert(int(row.id), row.resident_id, row.date, row.indicator, row.severity, int(row.raised_ms),
                       row.status, row.owner, row.label, json.loads(row.payload))


def get_alert(conn: Connection, alert_id: int) -> StoredAlert | None:
    row = conn.execute(select(s.alerts).where(s.alerts.c.id == alert_id)).first()
    return _alert(row) if row else None


def change_alert(conn: Connection, seen: StoredAlert, **values: str) -> bool:
    """Set columns (status, owner, label) only if status and owner are still what the caller saw."""
    t = s.alerts
    result = conn.execute(
        update(t).where(t.c.id == seen.id, t.c.status == seen.status, t.c.owner == seen.owner).values(**values)
    )
    return result.rowcount == 1


def append(conn: Connection, alert_id: int, ts_ms: int, actor: str, action: str, *, from_status: str = "",
           to_status: str = "", detail: str = "") -> None:
    conn.execute(w.alert_events.insert().values(
        alert_id=alert_id, ts_ms=ts_ms, actor=actor, action=action, from_status=from_status,
        to_status=to_status, detail=detail,
    ))


def history(conn: Connection, alerts: Sequence[StoredAlert]) -> list[HistoryEntry]:
    """Every alert's history, oldest first, starting with the moment the engine raised it."""
    if not alerts:
        return []
    entries = [
        HistoryEntry(a.id, from_ms(a.raised_ms), "engine", "raised", "", "new", f"{a.severity} {a.indicator}")
        for a in alerts
    ]
    t = w.alert_events
    query = select(t).where(t.c.alert_id.in_([a.id for a in alerts])).order_by(t.c.ts_ms, t.c.id)
    entries += [
        HistoryEntry(int(r.alert_id), from_ms(int(r.ts_ms)), r.actor, r.action, r.from_status, r.to_status,
                     r.detail)
        for r in conn.execute(query)
    ]
    # stable: for equal times the raise comes first, then the events in the order they were written
    return sorted(entries, key=lambda e: (e.at, e.alert_id))


def resident_alerts(conn: Connection, resident_id: str) -> list[StoredAlert]:
    query = select(s.alerts).where(s.alerts.c.resident_id == resident_id).order_by(s.alerts.c.raised_ms)
    return [_alert(r) for r in conn.execute(query)]


@dataclass(frozen=True)
class InboxRecord:
    alert: StoredAlert
    resident_name: str
    team: str


def inbox_records(conn: Connection, statuses: Iterable[str], *, severity: str | None = None,
                  team: str | None = None, resident_id: str | None = None,
                  scope: set[str] | None = None) -> list[InboxRecord]:
    """Alerts with their resident's name and team, newest first; ``scope`` limits the residents."""
    a, r = s.alerts, s.residents
    query = (
        select(a, r.c.name.label("resident_name"), r.c.team.label("resident_team"))
        .join(r, r.c.id == a.c.resident_id)
        .where(a.c.status.in_(list(statuses)))
        .order_by(a.c.raised_ms.desc(), a.c.id.desc())
        .limit(INBOX_LIMIT)
    )
    if severity is not None:
        query = query.where(a.c.severity == severity)
    if team is not None:
        query = query.where(r.c.team == team)
    if resident_id is not None:
        query = query.where(a.c.resident_id == resident_id)
    if scope is not None:
        query = query.where(a.c.resident_id.in_(sorted(scope)))
    return [InboxRecord(_alert(row), row.resident_name, row.resident_team) for row in conn.execute(query)]


def escalation_states(conn: Connection, alert_ids: Sequence[int]) -> dict[int, str]:
    """Per escalated alert: "sent" when any channel delivered, else "pending" while retrying, else "failed"."""
    if not alert_ids:
        return {}
    t = w.escalation_log
    found: dict[int, set[str]] = {}
    for alert_id, status in conn.execute(select(t.c.alert_id, t.c.status).where(t.c.alert_id.in_(list(alert_ids)))):
        found.setdefault(int(alert_id), set()).add(status)
    # "cancelled" (acknowledged before the notice went out) shows as not escalated
    return {
        alert_id: next(st for st in ("sent", "pending", "failed") if st in states)
        for alert_id, states in found.items() if states - {"cancelled"}
    }
