"""``status --json``: what a running engine last reported, plus storage and device health from the DB.

The engine may run in another process (the headless service), so everything comes from the database:
counters it commits with its batches and a status record it refreshes every few seconds.
"""

from __future__ import annotations

import json

from sqlalchemy import select

from . import privacy_jobs
from .identity import Session
from .localtime import format_timestamp, from_ms, ms
from .resident_data import device_health
from .storage import devices as device_store
from .storage import event_store, quarantine
from .storage import schema as s

ENGINE_STATUS_KEY = "engine_status"
# An engine status older than this means the engine is not running (it refreshes every few seconds).
ENGINE_STALE_MS = 60_000


def collect(session: Session) -> dict:
    now = ms(session.service.clock.now())
    with session.db.read() as conn:
        events_stored = event_store.count_events(conn)
        quarantined = quarantine.counters(conn, "quarantined:")
        rejected = quarantine.counters(conn, "rejected:")
        raw = conn.execute(select(s.settings.c.value).where(s.settings.c.key == ENGINE_STATUS_KEY)).scalar()
        engine = json.loads(raw) if raw else {}
        names = {int(r.id): (r.name, int(r.report_interval_s)) for r in conn.execute(select(s.devices))}
        assigned = device_store.current_assignments(conn, now)
        health = device_health(conn, list(names))
        privacy = privacy_jobs.status_record(conn, session.service.clock.now())
    fresh = bool(engine) and now - int(engine.get("updated_ms", 0)) < ENGINE_STALE_MS
    devices = []
    for device_id, (name, interval) in sorted(names.items(), key=lambda kv: kv[1][0]):
        h = health[device_id]
        a = assigned.get(device_id)
        last_seen = h["last_seen_ms"]
        online = bool(h["available"]) and last_seen is not None and now - last_seen <= (interval + 3600) * 1000
        devices.append({
            "device": name, "resident": a.resident_id if a else None, "room": a.room if a else None,
            "placement": a.placement if a else None, "online": online, "battery": h["battery"],
            "last_seen": format_timestamp(from_ms(last_seen)) if last_seen is not None else None,
        })
    return {
        "events_stored": events_stored,
        "events_per_s": float(engine.get("events_per_s", 0.0)) if fresh else 0.0,
        "quarantined": quarantined,
        "rejected_fields": rejected,
        "writer": {
            "alive": bool(engine.get("writer_alive")) and fresh,
            "queue": int(engine.get("queue", 0)) if fresh else 0,
            "last_commit": engine.get("last_commit"),
        },
        "brokers": engine.get("brokers", []) if fresh else [],
        # The engine's jobs (scoring, escalation, privacy, status) whose last run failed, with the reason.
        "jobs_failing": engine.get("jobs_failing", {}) if fresh else {},
        "protected": session.protection.protected,
        "protection": session.protection.reason["en"] if not session.protection.protected else "",
        "devices": devices,
        "refused_profiles": _refused_profiles(session, engine if fresh else {}),
        "privacy_jobs": privacy,
    }


def _refused_profiles(session: Session, engine: dict) -> list[str]:
    """User profile files the running engine refused at its start; without a running engine, the ones the
    next start would refuse (the data folder's user profiles checked by the same rules)."""
    if "refused_profiles" in engine:
        return list(engine["refused_profiles"])
    from .profiles.user_profiles import load_library, user_profiles_dir

    return load_library(user_profiles_dir(session.data_dir)).refused
