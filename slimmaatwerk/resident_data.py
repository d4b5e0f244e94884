"""Reads a resident's stored data into the shapes analytics and screens need (DataFrames, context).

No access checks here: only the service facade calls these, after it has checked and logged.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import numpy as np
import pandas as pd
from sqlalchemy import Connection, select

from .events import KIND_CODES, KINDS
from .localtime import from_ms
from .storage import devices as device_store
from .storage import event_store, residents
from .storage import schema as s

EVENT_COLUMNS = ["timestamp", "device", "kind", "room", "placement", "value"]
_KIND_NAMES = np.array(KINDS, dtype=object)


def events_frame(conn: Connection, resident_id: str, from_ms: int | None = None,
                 to_ms: int | None = None) -> pd.DataFrame:
    """A resident's events in [from_ms, to_ms) as the analytics' event frame, oldest first.

    Read column-wise (``event_store.resident_event_arrays``): the same rows in the same order as
    ``event_store.resident_events``, without building a Python tuple per event.
    """
    cols = event_store.resident_event_arrays(conn, resident_id, from_ms, to_ms)
    if not len(cols["ts_ms"]):
        frame = pd.DataFrame({c: pd.Series(dtype="object") for c in EVENT_COLUMNS})
        frame["timestamp"] = pd.to_datetime(frame["timestamp"], utc=True)
        frame["value"] = frame["value"].astype(float)
        return frame
    return pd.DataFrame({
        "timestamp": pd.to_datetime(cols["ts_ms"], unit="ms", utc=True),
        "device": cols["device"],
        "kind": _KIND_NAMES[cols["kind"]],
        "room": cols["room"],
        "placement": cols["placement"],
        "value": cols["value"],
    })


def analysis_context(conn: Connection, resident_id: str):  # type: ignore[no-untyped-def]
    """The analytics' ResidentContext: household, pet, context calendar, the devices of the home and the
    outcome labels coordinators gave its alerts (they calibrate its thresholds)."""
    from .analytics import ContextPeriod, DeviceInfo, ResidentContext
    from .analytics.calibration import WEIGHTS, AlertLabel

    record = residents.get_resident(conn, resident_id)
    if record is None:
        raise KeyError(resident_id)
    periods = tuple(
        ContextPeriod(type_, from_ms(start), from_ms(end))
        for type_, start, end, _note in residents.list_context(conn, resident_id)
    )
    seen: dict[str, DeviceInfo] = {}
    for _id, name, _identity, _profile, interval, assignment in device_store.resident_devices(conn, resident_id):
        seen[name] = DeviceInfo(name, assignment.room, assignment.placement, interval)
    a = s.alerts
    labelled = conn.execute(
        select(a.c.indicator, a.c.date, a.c.label)
        .where(a.c.resident_id == resident_id, a.c.label != "")
        .order_by(a.c.date, a.c.indicator)
    )
    labels = tuple(AlertLabel(indicator, date.fromisoformat(day), label)
                   for indicator, day, label in labelled if label in WEIGHTS)
    return ResidentContext(resident_id, record.household, record.pet, periods, tuple(seen.values()), labels)


def refresh_device_state(conn: Connection, device_ids: list[int]) -> None:
    """After an import: remember each device's newest reading per kind, as live ingest does."""
    e, st = s.events, s.device_state
    for device_id in device_ids:
        for kind_code in range(len(KINDS)):
            newest = conn.execute(
                select(e.c.ts_ms, e.c.value)
                .where(e.c.device_id == device_id, e.c.kind == kind_code)
                .order_by(e.c.ts_ms.desc())
                .limit(1)
            ).first()
            if newest is None:
                continue
            current = conn.execute(
                select(st.c.last_seen_ms).where(st.c.device_id == device_id, st.c.kind == kind_code)
            ).scalar()
            if current is not None and int(current) >= int(newest.ts_ms):
                continue
            if current is not None:
                conn.execute(st.delete().where(st.c.device_id == device_id, st.c.kind == kind_code))
            conn.execute(
                st.insert().values(device_id=device_id, kind=kind_code, value=float(newest.value),
                                   ts_ms=int(newest.ts_ms), last_seen_ms=int(newest.ts_ms))
            )


def device_health(conn: Connection, device_ids: list[int]) -> dict[int, dict]:
    """Per device: last_seen (any message), battery, and the availability the device last reported."""
    st = s.device_state
    health: dict[int, dict] = {d: {"last_seen_ms": None, "battery": None, "available": True} for d in device_ids}
    if not device_ids:
        return health
    query = select(st.c.device_id, st.c.kind, st.c.value, st.c.last_seen_ms).where(st.c.device_id.in_(device_ids))
    for device_id, kind, value, last_seen in conn.execute(query):
        entry = health[int(device_id)]
        if entry["last_seen_ms"] is None or int(last_seen) > entry["last_seen_ms"]:
            entry["last_seen_ms"] = int(last_seen)
        if kind == KIND_CODES["battery"]:
            entry["battery"] = float(value)
        if kind == KIND_CODES["availability"]:
            entry["available"] = bool(value)
    return health


def utc_now_ms(now: datetime) -> int:
    return int(now.astimezone(UTC).timestamp() * 1000)
