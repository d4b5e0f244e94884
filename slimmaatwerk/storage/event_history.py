"""What a recent window of a resident's events cannot show: each device's first and latest earlier messages.

The nightly job reads only recent raw events; these small queries (each a seek on the events' primary
key, device_id then ts_ms) give the device facts from before the window that the analytics need to
judge that window exactly as if they had read the whole history (``analytics.health.DeviceHistory``).
All within the dated assignments to the resident, as ``event_store.resident_event_arrays`` reads.
"""

from __future__ import annotations

from sqlalchemy import Connection, and_, func, or_, select

from ..events import ACTIVITY_KINDS, KIND_CODES
from . import schema as s

_ACTIVITY = sorted(KIND_CODES[k] for k in ACTIVITY_KINDS)
# Human events (analytics.frame.to_arrays): contact and presence either way, motion and usage when seen.
_EITHER_WAY = sorted(KIND_CODES[k] for k in ("contact", "presence"))
_WHEN_SEEN = sorted(KIND_CODES[k] for k in ACTIVITY_KINDS - {"contact", "presence"})


def _assignments(conn: Connection, resident_id: str) -> list[tuple[int, str, int, int | None]]:
    a, d = s.device_assignments, s.devices
    return [(int(r[0]), str(r[1]), int(r[2]), None if r[3] is None else int(r[3])) for r in conn.execute(
        select(a.c.device_id, d.c.name, a.c.valid_from_ms, a.c.valid_to_ms)
        .select_from(a.join(d, d.c.id == a.c.device_id)).where(a.c.resident_id == resident_id))]


def _without_activity(conn: Connection, device_ids: list[int]) -> set[int]:
    """Devices that never reported an activity kind (``device_state`` keeps a row per kind reported).

    Looking for the first activity message of, say, a climate sensor would scan its whole history.
    A device with no ``device_state`` rows at all is not assumed to lack activity.
    """
    st = s.device_state
    kinds: dict[int, set[int]] = {}
    for device_id, kind in conn.execute(select(st.c.device_id, st.c.kind).where(st.c.device_id.in_(device_ids))):
        kinds.setdefault(int(device_id), set()).add(int(kind))
    return {d for d, seen in kinds.items() if not seen & set(_ACTIVITY)}


def first_messages(conn: Connection, resident_id: str) -> tuple[dict[str, int], dict[str, int]]:
    """(first message, first activity message) per device name, in ms UTC."""
    e = s.events
    first_seen: dict[str, int] = {}
    first_active: dict[str, int] = {}
    assignments = _assignments(conn, resident_id)
    passive = _without_activity(conn, [a[0] for a in assignments])
    for device_id, name, valid_from, valid_to in assignments:
        inside = [e.c.device_id == device_id, e.c.ts_ms >= valid_from]
        if valid_to is not None:
            inside.append(e.c.ts_ms < valid_to)
        seen = conn.execute(select(func.min(e.c.ts_ms)).where(*inside)).scalar()
        if seen is None:
            continue
        first_seen[name] = min(int(seen), first_seen.get(name, int(seen)))
        if device_id in passive:
            continue
        active = conn.execute(
            select(e.c.ts_ms).where(*inside, e.c.kind.in_(_ACTIVITY)).order_by(e.c.ts_ms).limit(1)).scalar()
        if active is not None:
            first_active[name] = min(int(active), first_active.get(name, int(active)))
    return first_seen, first_active


def last_messages_before(conn: Connection, resident_id: str, before_ms: int) -> tuple[dict[str, int], int | None]:
    """(last message per device name, last human event of any device) before ``before_ms``."""
    e = s.events
    last: dict[str, int] = {}
    human: int | None = None
    assignments = _assignments(conn, resident_id)
    passive = _without_activity(conn, [a[0] for a in assignments])
    for device_id, name, valid_from, valid_to in assignments:
        if valid_from >= before_ms:
            continue
        inside = [e.c.device_id == device_id, e.c.ts_ms >= valid_from, e.c.ts_ms < before_ms]
        if valid_to is not None:
            inside.append(e.c.ts_ms < valid_to)
        t = conn.execute(select(func.max(e.c.ts_ms)).where(*inside)).scalar()
        if t is None:
            continue
        last[name] = max(int(t), last.get(name, int(t)))
        if device_id in passive:
            continue
        was_human = or_(e.c.kind.in_(_EITHER_WAY), and_(e.c.kind.in_(_WHEN_SEEN), e.c.value == 1.0))
        h = conn.execute(
            select(e.c.ts_ms).where(*inside, was_human).order_by(e.c.ts_ms.desc()).limit(1)).scalar()
        if h is not None and (human is None or int(h) > human):
            human = int(h)
    return last, human
