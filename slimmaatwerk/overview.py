"""Builds the coordinator's read models (views.py) from storage: the residents overview and the detail.

The overview is computed with a handful of set-based queries whatever the number of residents, because
a coordinator's screen refreshes it every few seconds for up to 2,000 residents.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from sqlalchemy import Connection, func, select

from .events import ACTIVITY_KINDS, KIND_CODES
from .localtime import TZ, day_bounds, from_ms, ms, parse_timestamp
from .resident_data import device_health, events_frame
from .storage import alerts as alert_store
from .storage import devices as device_store
from .storage import residents
from .storage import schema as s
from .views import AlertView, DeviceHealth, ResidentDetail, ResidentRow

# Below this share of healthy sensors a resident's data is incomplete: grey, never green.
COMPLETE_SHARE = 0.75
ACTIVITY_CODES = [KIND_CODES[k] for k in ACTIVITY_KINDS]


def _online(h: dict, interval_s: int, now_ms: int) -> bool:
    last = h["last_seen_ms"]
    return bool(h["available"]) and last is not None and now_ms - last <= (interval_s + 3600) * 1000


def overview_rows(conn: Connection, resident_ids: set[str] | None, now: datetime) -> list[ResidentRow]:
    now_ms = ms(now)
    records = residents.list_residents(conn, resident_ids)
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"red": 0, "amber": 0, "info": 0})
    t = s.alerts
    query = (
        select(t.c.resident_id, t.c.severity, func.count())
        .where(t.c.status.in_(alert_store.OPEN_STATUSES))
        .group_by(t.c.resident_id, t.c.severity)
    )
    for rid, severity, n in conn.execute(query):
        counts[rid][severity] = int(n)
    assigned = device_store.current_assignments(conn, now_ms)
    intervals = {int(r.id): int(r.report_interval_s) for r in conn.execute(
        select(s.devices.c.id, s.devices.c.report_interval_s))}
    health = device_health(conn, list(assigned))
    last_activity = _last_activity(conn, list(assigned))
    per_resident: dict[str, list[int]] = defaultdict(list)
    for device_id, a in assigned.items():
        if a.resident_id:
            per_resident[a.resident_id].append(device_id)
    rows = []
    for r in records:
        ids = per_resident.get(r.id, [])
        ok = sum(_online(health[d], intervals.get(d, 3600), now_ms) for d in ids)
        completeness = ok / len(ids) if ids else 0.0
        last = max((last_activity[d] for d in ids if d in last_activity), default=None)
        c = counts[r.id]
        if c["red"]:
            status = "red"
        elif c["amber"]:
            status = "amber"
        elif completeness < COMPLETE_SHARE or last is None or now_ms - last > 24 * 3600 * 1000:
            status = "grey"
        else:
            status = "green"
        rows.append(ResidentRow(
            r.id, r.name, status, from_ms(last) if last is not None else None, dict(c), completeness, ok,
            len(ids), r.team,
        ))
    return rows


def _last_activity(conn: Connection, device_ids: list[int]) -> dict[int, int]:
    if not device_ids:
        return {}
    st = s.device_state
    query = (
        select(st.c.device_id, func.max(st.c.ts_ms))
        .where(st.c.device_id.in_(device_ids), st.c.kind.in_(ACTIVITY_CODES))
        .group_by(st.c.device_id)
    )
    return {int(d): int(v) for d, v in conn.execute(query)}


def alert_view(record: dict) -> AlertView:
    def number(key: str) -> float | None:
        value = record.get(key)
        return float(value) if isinstance(value, (int, float)) else None

    return AlertView(
        alert_id=int(record["id"]), resident_id=record["resident_id"], date=date.fromisoformat(record["date"]),
        indicator=record["indicator"], severity=record["severity"],
        raised_at=parse_timestamp(record["raised_at"]), status=record["status"],
        explanation=dict(record.get("explanation") or {}), observed=number("observed"),
        expected=number("expected"), expected_low=number("expected_low"),
        expected_high=number("expected_high"), unit=str(record.get("unit") or ""), payload=record,
    )


def resident_detail(conn: Connection, resident_id: str, now: datetime, days: int = 28) -> ResidentDetail:
    from .analytics import hourly_activity

    record = residents.get_resident(conn, resident_id)
    if record is None:
        raise KeyError(resident_id)
    today = now.astimezone(TZ).date()
    first = today - timedelta(days=days - 1)
    frame = events_frame(conn, resident_id, ms(day_bounds(first)[0] - timedelta(hours=4)), ms(now))
    matrix = hourly_activity(frame)
    by_day = {stamp.date(): row for stamp, row in zip(matrix.index, matrix.to_numpy(dtype=float), strict=True)}
    day_list = [first + timedelta(days=i) for i in range(days)]
    hourly = [list(map(float, by_day[d])) if d in by_day else [0.0] * 24 for d in day_list]
    usual = [float(sorted(col)[len(col) // 2]) for col in zip(*hourly[:-1], strict=True)] if days > 1 else [0.0] * 24
    alerts = [alert_view(a) for a in alert_store.list_alerts(conn, [resident_id], limit=50)]
    now_ms = ms(now)
    assigned = {d: a for d, a in device_store.current_assignments(conn, now_ms).items()
                if a.resident_id == resident_id}
    names = {int(r.id): (r.name, int(r.report_interval_s)) for r in conn.execute(
        select(s.devices.c.id, s.devices.c.name, s.devices.c.report_interval_s)
        .where(s.devices.c.id.in_(list(assigned))))}
    health = device_health(conn, list(assigned))
    devices = [
        DeviceHealth(names[d][0], a.room, a.placement, _online(health[d], names[d][1], now_ms),
                     health[d]["battery"],
                     from_ms(health[d]["last_seen_ms"]) if health[d]["last_seen_ms"] is not None else None)
        for d, a in sorted(assigned.items(), key=lambda kv: (kv[1].room, names[kv[0]][0]))
    ]
    return ResidentDetail(resident_id, record.name, day_list, hourly, usual, alerts, devices)
