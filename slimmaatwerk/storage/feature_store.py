"""Stored daily features and baselines (tables of ``schema_features``): plain JSON, no pickles."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from . import schema
from . import schema_features as f
from .dialect import upsert


@dataclass(frozen=True)
class StoredDay:
    day: date
    version: int
    events: int
    inputs_key: str
    values: dict[str, float | bool]


def _plain(value: Any) -> float | bool | None:
    if isinstance(value, bool):
        return value
    number = float(value)
    return number if math.isfinite(number) else None  # JSON has no NaN: a missing feature is null


def stored_days(conn: Connection, resident_id: str, since: date | None = None) -> list[StoredDay]:
    """The resident's stored days (from ``since`` on), oldest first; null values come back as NaN."""
    t = f.daily_features
    query = select(t.c.day, t.c.version, t.c.events, t.c.inputs_key, t.c.features).where(
        t.c.resident_id == resident_id)
    if since is not None:
        query = query.where(t.c.day >= since.isoformat())
    days = []
    for day, version, events, key, features in conn.execute(query.order_by(t.c.day)):
        values = {k: (math.nan if v is None else v) for k, v in json.loads(features).items()}
        days.append(StoredDay(date.fromisoformat(day), int(version), int(events), str(key), values))
    return days


def save_days(conn: Connection, resident_id: str, days: Sequence[StoredDay], now_ms: int) -> None:
    rows = [{"resident_id": resident_id, "day": d.day.isoformat(), "version": d.version, "events": d.events,
             "inputs_key": d.inputs_key, "computed_ms": now_ms,
             "features": json.dumps({k: _plain(v) for k, v in d.values.items()})} for d in days]
    upsert(conn, f.daily_features, rows, ["resident_id", "day"])


def save_baseline(conn: Connection, resident_id: str, baseline: dict[str, Any], now_ms: int) -> None:
    """Keep ``Baseline.to_dict()`` as the resident's latest baseline (plain versioned parameters)."""
    upsert(conn, schema.baselines, [{"resident_id": resident_id, "version": int(baseline["version"]),
                                     "fitted_ms": now_ms, "params": json.dumps(baseline)}], ["resident_id"])


def load_baseline(conn: Connection, resident_id: str) -> dict[str, Any] | None:
    t = schema.baselines
    text = conn.execute(select(t.c.params).where(t.c.resident_id == resident_id)).scalar()
    return None if text is None else json.loads(text)
