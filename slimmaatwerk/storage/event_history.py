"""What a recent window of a resident's events cannot show: each device's first and latest earlier messages.

The nightly job reads only recent raw events; these small queries (each a seek on the events' primary
key, device_id then ts_ms) give the device facts from before the window that the analytics need to
judge that window exactly as if they had read the whole history (``analytics.health.DeviceHistory``),
and count older events to notice late ones. All within the dated assignments to the resident, as
``event_store.resident_event_arrays`` reads. The statements are plain SQL built once: the job runs
them for every device of every resident, and building SQLAlchemy statements cost more than running them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, text

from ..events import ACTIVITY_KINDS, KIND_CODES

_ACTIVITY = ", ".join(str(c) for c in sorted(KIND_CODES[k] for k in ACTIVITY_KINDS))
# Human events (analytics.frame.to_arrays): contact and presence either way, motion and usage when seen.
_EITHER_WAY = ", ".join(str(KIND_CODES[k]) for k in ("contact", "presence"))
_WHEN_SEEN = ", ".join(str(c) for c in sorted(KIND_CODES[k] for k in ACTIVITY_KINDS - {"contact", "presence"}))
_END = 2**62  # "no end" of an open assignment

_ASSIGNMENTS = text(
    "SELECT a.device_id, d.name, a.valid_from_ms, a.valid_to_ms FROM device_assignments a "
    "JOIN devices d ON d.id = a.device_id WHERE a.resident_id = :rid")
_KINDS = text("SELECT device_id, kind FROM device_state WHERE device_id IN (SELECT device_id FROM "
              "device_assignments WHERE resident_id = :rid)")
_RANGE = "FROM events WHERE device_id = :d AND ts_ms >= :lo AND ts_ms < :hi"
_FIRST = text(f"SELECT MIN(ts_ms) {_RANGE}")
_FIRST_ACTIVE = text(f"SELECT ts_ms {_RANGE} AND kind IN ({_ACTIVITY}) ORDER BY ts_ms LIMIT 1")
_LAST = text(f"SELECT MAX(ts_ms) {_RANGE}")
_LAST_HUMAN = text(f"SELECT ts_ms {_RANGE} AND (kind IN ({_EITHER_WAY}) OR (kind IN ({_WHEN_SEEN}) AND value = 1.0)) "
                   "ORDER BY ts_ms DESC LIMIT 1")
_COUNT = text(f"SELECT COUNT(*) {_RANGE}")


@dataclass(frozen=True)
class Assignment:
    device_id: int
    name: str
    valid_from: int
    valid_to: int  # _END while open
    has_activity: bool  # False: the device never reported an activity kind (a climate sensor)


def assignments(conn: Connection, resident_id: str) -> list[Assignment]:
    """The resident's device assignments.

    ``has_activity`` comes from ``device_state`` (a row per kind a device reported): looking for the
    first activity message of, say, a climate sensor would scan its whole history. A device without
    any ``device_state`` rows is not assumed to lack activity.
    """
    kinds: dict[int, set[int]] = {}
    for device_id, kind in conn.execute(_KINDS, {"rid": resident_id}):
        kinds.setdefault(int(device_id), set()).add(int(kind))
    activity = {KIND_CODES[k] for k in ACTIVITY_KINDS}
    return [Assignment(int(d), str(name), int(lo), _END if hi is None else int(hi),
                       int(d) not in kinds or bool(kinds[int(d)] & activity))
            for d, name, lo, hi in conn.execute(_ASSIGNMENTS, {"rid": resident_id})]


def first_messages(conn: Connection, devices: list[Assignment]) -> tuple[dict[str, int], dict[str, int]]:
    """(first message, first activity message) per device name, in ms UTC."""
    first_seen: dict[str, int] = {}
    first_active: dict[str, int] = {}
    for a in devices:
        bounds = {"d": a.device_id, "lo": a.valid_from, "hi": a.valid_to}
        seen = conn.execute(_FIRST, bounds).scalar()
        if seen is None:
            continue
        first_seen[a.name] = min(int(seen), first_seen.get(a.name, int(seen)))
        active = conn.execute(_FIRST_ACTIVE, bounds).scalar() if a.has_activity else None
        if active is not None:
            first_active[a.name] = min(int(active), first_active.get(a.name, int(active)))
    return first_seen, first_active


def last_messages_before(conn: Connection, devices: list[Assignment], before_ms: int) -> tuple[dict[str, int], int | None]:
    """(last message per device name, last human event of any device) before ``before_ms``."""
    last: dict[str, int] = {}
    human: int | None = None
    for a in devices:
        if a.valid_from >= before_ms:
            continue
        bounds = {"d": a.device_id, "lo": a.valid_from, "hi": min(a.valid_to, before_ms)}
        t = conn.execute(_LAST, bounds).scalar()
        if t is None:
            continue
        last[a.name] = max(int(t), last.get(a.name, int(t)))
        h = conn.execute(_LAST_HUMAN, bounds).scalar() if a.has_activity else None
        if h is not None and (human is None or int(h) > human):
            human = int(h)
    return last, human


def count_between(conn: Connection, devices: list[Assignment], from_ms: int, to_ms: int) -> int:
    """Raw events attributed to the resident in [from_ms, to_ms)."""
    total = 0
    for a in devices:
        lo, hi = max(a.valid_from, from_ms), min(a.valid_to, to_ms)
        if lo < hi:
            total += int(conn.execute(_COUNT, {"d": a.device_id, "lo": lo, "hi": hi}).scalar() or 0)
    return total
