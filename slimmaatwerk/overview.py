"""Builds the coordinator's read models (views.py) from storage: the residents overview and the detail.

The overview is computed with a handful of set-based queries whatever the number of residents, because
a coordinator's screen refreshes it every few seconds for up to 2,000 residents.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import Connection, and_, case, func, literal, or_, select

from .events import ACTIVITY_KINDS, KIND_CODES
from .localtime import TZ, day_bounds, from_ms, ms, parse_timestamp
from .resident_data import device_health
from .storage import alerts as alert_store
from .storage import devices as device_store
from .storage import residents
from .storage import schema as s
from .storage import teams as team_store
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
    sensors = _sensor_summary(conn, now_ms)
    districts = team_store.team_districts(conn)
    rows = []
    for r in records:
        ok, total, last = sensors.get(r.id, (0, 0, None))
        completeness = ok / total if total else 0.0
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
            total, r.team, district=districts.get(r.team, ""),
        ))
    return rows


def _sensor_summary(conn: Connection, now_ms: int) -> dict[str, tuple[int, int, int | None]]:
    """Per resident: (sensors online, sensors assigned now, newest activity ms or None), in one query.

    The same rules as ``_online`` and ``device_health`` per device (newest message of any kind within
    the report interval plus an hour, the availability it last reported; activity = the newest state
    of an activity kind), summed in the database: the overview of 2,000 residents must not bring every
    device's every state row into Python.
    """
    st, a, d = s.device_state, s.device_assignments, s.devices
    state = (
        select(
            st.c.device_id,
            func.max(st.c.last_seen_ms).label("last_seen"),
            func.max(case((st.c.kind == KIND_CODES["availability"], st.c.value))).label("available"),
            func.max(case((st.c.kind.in_(ACTIVITY_CODES), st.c.ts_ms))).label("last_activity"),
        )
        .group_by(st.c.device_id)
        .subquery()
    )
    online = and_(
        func.coalesce(state.c.available, 1.0) != 0.0,
        state.c.last_seen.is_not(None),
        literal(now_ms) - state.c.last_seen <= (d.c.report_interval_s + 3600) * 1000,
    )
    query = (
        select(a.c.resident_id, func.sum(case((online, 1), else_=0)), func.count(), func.max(state.c.last_activity))
        .select_from(a.join(d, d.c.id == a.c.device_id).outerjoin(state, state.c.device_id == a.c.device_id))
        .where(a.c.valid_from_ms <= now_ms, or_(a.c.valid_to_ms.is_(None), a.c.valid_to_ms > now_ms),
               a.c.resident_id.is_not(None), a.c.resident_id != "")
        .group_by(a.c.resident_id)
    )
    return {
        rid: (int(ok or 0), int(total), None if last is None else int(last))
        for rid, ok, total, last in conn.execute(query)
    }


HOUR_MS = 3600 * 1000


def _hourly_activity(conn: Connection, resident_id: str, day_list: list[date], from_ms: int,
                     to_ms: int) -> list[list[float]]:
    """Activity events (value 1) per local date of ``day_list`` and local hour: ``analytics.hourly_activity``.

    Counted in the database per UTC hour (Amsterdam is a whole number of hours from UTC, so each UTC
    hour is one local hour), one range scan of the events' primary key (device, time) per assignment:
    the heatmap of 90 days must not load every reading into a frame.
    """
    e, a = s.events, s.device_assignments
    hour = (e.c.ts_ms // HOUR_MS).label("hour")
    query = (
        select(hour, func.count())
        .select_from(e.join(a, and_(
            a.c.device_id == e.c.device_id,
            e.c.ts_ms >= a.c.valid_from_ms,
            or_(a.c.valid_to_ms.is_(None), e.c.ts_ms < a.c.valid_to_ms),
            a.c.resident_id == resident_id,
        )))
        .where(e.c.kind.in_(ACTIVITY_CODES), e.c.value == 1.0, e.c.ts_ms >= from_ms, e.c.ts_ms < to_ms)
        .group_by(hour)
    )
    counted = conn.execute(query).all()
    grid = np.zeros((len(day_list), 24))
    if not counted or not day_list:
        return grid.tolist()
    hours = np.array([int(h) for h, _n in counted], dtype=np.int64)
    counts = np.array([float(n) for _h, n in counted])
    local = pd.DatetimeIndex(pd.to_datetime(hours * HOUR_MS, unit="ms", utc=True)).tz_convert(TZ)
    row = (local.tz_localize(None).normalize() - pd.Timestamp(day_list[0])).days.to_numpy()
    inside = (row >= 0) & (row < len(day_list))
    np.add.at(grid, (row[inside], local.hour.to_numpy()[inside]), counts[inside])
    return grid.tolist()


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
    record = residents.get_resident(conn, resident_id)
    if record is None:
        raise KeyError(resident_id)
    today = now.astimezone(TZ).date()
    first = today - timedelta(days=days - 1)
    day_list = [first + timedelta(days=i) for i in range(days)]
    hourly = _hourly_activity(conn, resident_id, day_list, ms(day_bounds(first)[0] - timedelta(hours=4)), ms(now))
    usual = [float(sorted(col)[len(col) // 2]) for col in zip(*hourly[:-1], strict=True)] if days > 1 else [0.0] * 24
    alerts = [alert_view(a) for a in alert_store.list_alerts(conn, [resident_id], limit=50)]
    now_ms = ms(now)
    assigned = device_store.current_assignments(conn, now_ms, resident_id)
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
