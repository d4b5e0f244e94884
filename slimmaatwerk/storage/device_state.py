"""Each device's last value per kind and when it was last heard: the change-only filter's memory.

Written in the same transaction as the events it filtered, so after a crash the filter and the stored
events agree and a redelivered message creates nothing new. Also the source of device health (online,
battery, last seen) for ``status``.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, func, select

from ..events import KIND_CODES, KINDS
from . import schema as s
from .bulk import upsert_rows

_COLUMNS = ("device_id", "kind", "value", "ts_ms", "last_seen_ms")


def load_all(conn: Connection) -> list[tuple[int, str, float, int, int]]:
    """(device id, kind, value, ts_ms, last_seen_ms) of every stored state row."""
    t = s.device_state
    rows = conn.execute(select(t.c.device_id, t.c.kind, t.c.value, t.c.ts_ms, t.c.last_seen_ms))
    return [(int(r[0]), KINDS[r[1]], float(r[2]), int(r[3]), int(r[4])) for r in rows]


def save(conn: Connection, rows: Sequence[tuple[int, str, float, int, int]]) -> None:
    """Upsert (device id, kind, value, ts_ms, last_seen_ms) rows (the writer's hot path: see ``bulk``)."""
    codes = KIND_CODES
    upsert_rows(conn, s.device_state, _COLUMNS, ("device_id", "kind"),
                [(d, codes[k], v, ts, seen) for d, k, v, ts, seen in rows])


def known_devices(conn: Connection) -> list[tuple[int, str, str, str, str, str, int]]:
    """(id, identity, name, profile, model, vendor, report interval) of every device, to rebuild the
    discovery directory after a restart (queued messages arrive before any retained discovery list)."""
    d = s.devices
    rows = conn.execute(select(d.c.id, d.c.identity, d.c.name, d.c.profile, d.c.model, d.c.vendor,
                               d.c.report_interval_s))
    return [(int(r[0]), r[1], r[2], r[3], r[4], r[5], int(r[6])) for r in rows]


def health(conn: Connection) -> dict[int, dict[str, float | int | None]]:
    """Per device: online (1/0/None), battery (% or None) and last_seen_ms."""
    t = s.device_state
    out: dict[int, dict[str, float | int | None]] = {}
    seen = conn.execute(select(t.c.device_id, func.max(t.c.last_seen_ms)).group_by(t.c.device_id))
    for device_id, last_seen in seen:
        out[int(device_id)] = {"online": None, "battery": None, "last_seen_ms": int(last_seen)}
    codes = (KIND_CODES["availability"], KIND_CODES["battery"])
    for device_id, kind, value in conn.execute(
        select(t.c.device_id, t.c.kind, t.c.value).where(t.c.kind.in_(codes))
    ):
        key = "online" if kind == KIND_CODES["availability"] else "battery"
        out.setdefault(int(device_id), {"online": None, "battery": None, "last_seen_ms": None})[key] = value
    return out
