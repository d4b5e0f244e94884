"""Events, dated assignments and the engine lease on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from slimmaatwerk.events import KIND_CODES
from slimmaatwerk.localtime import ms
from slimmaatwerk.storage import devices, event_store, lease, residents
from slimmaatwerk.storage.database import Database

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def _event(device_id: int, minutes: int, kind: str = "motion", value: float = 1.0) -> dict:
    return {"device_id": device_id, "ts_ms": ms(T0 + timedelta(minutes=minutes)), "kind": KIND_CODES[kind],
            "value": value, "received_delta_ms": 40}


def test_events_are_stored_once_however_often_delivered(db_url: str) -> None:
    db = Database(db_url)
    with db.begin() as conn:
        residents.add_resident(conn, "r1", "Mevr. Jansen", ms(T0))
        device = devices.ensure_device(conn, "zigbee:0x01", "keuken", ms(T0))
        devices.assign(conn, device, "home-r1", "r1", "kitchen", "", ms(T0))
        rows = [_event(device, m) for m in range(10)] + [_event(device, 3, value=0.0)]
        event_store.insert_events(conn, rows)
    with db.begin() as conn:
        event_store.insert_events(conn, rows)  # redelivery
    with db.read() as conn:
        assert event_store.count_resident_events(conn, "r1") == 11
        stored = event_store.resident_events(conn, "r1")
    assert stored[0][1:5] == ("keuken", "motion", "kitchen", "")
    assert [r[5] for r in stored if r[0] == ms(T0 + timedelta(minutes=3))] == [0.0, 1.0]
    db.dispose()


def test_moving_a_sensor_never_rewrites_history(db_url: str) -> None:
    db = Database(db_url)
    moved_at = T0 + timedelta(days=1)
    with db.begin() as conn:
        for rid in ("r1", "r2"):
            residents.add_resident(conn, rid, rid, ms(T0))
        device = devices.ensure_device(conn, "zigbee:0x02", "sensor", ms(T0))
        devices.assign(conn, device, "home-r1", "r1", "kitchen", "", ms(T0))
        event_store.insert_events(conn, [_event(device, 10)])
        # Re-used in another home from the next day on.
        devices.assign(conn, device, "home-r2", "r2", "hall", "", ms(moved_at))
        event_store.insert_events(conn, [_event(device, 60 * 24 + 10)])
    with db.read() as conn:
        first = event_store.resident_events(conn, "r1")
        second = event_store.resident_events(conn, "r2")
        history = devices.assignments(conn, device)
    assert [(r[3]) for r in first] == ["kitchen"] and len(first) == 1
    assert [(r[3]) for r in second] == ["hall"] and len(second) == 1
    assert history[0].valid_to_ms == ms(moved_at) and history[1].valid_to_ms is None
    db.dispose()


def test_back_dated_assignment_keeps_later_ones(db_url: str) -> None:
    db = Database(db_url)
    with db.begin() as conn:
        residents.add_resident(conn, "r1", "r1", ms(T0))
        device = devices.ensure_device(conn, "zigbee:0x03", "s", ms(T0))
        devices.assign(conn, device, "home-r1", "r1", "hall", "", ms(T0 + timedelta(days=5)))
        devices.assign(conn, device, "home-r1", "r1", "kitchen", "", ms(T0))
        history = devices.assignments(conn, device)
    assert [(a.room, a.valid_to_ms) for a in history] == [
        ("kitchen", ms(T0 + timedelta(days=5))), ("hall", None)]
    db.dispose()


def test_only_one_engine_holds_the_lease(db_url: str) -> None:
    db = Database(db_url)
    now = ms(T0)
    with db.begin() as conn:
        assert lease.acquire(conn, "engine-a", now) is None
    with db.begin() as conn:
        assert lease.acquire(conn, "engine-b", now + 1000) == "engine-a"
    with db.begin() as conn:
        assert lease.renew(conn, "engine-a", now + 20_000)
        assert not lease.renew(conn, "engine-b", now + 20_000)
    # engine-a died: after the time-to-live a new engine may take over.
    with db.begin() as conn:
        assert lease.acquire(conn, "engine-b", now + 20_000 + lease.LEASE_TTL_MS) is None
    db.dispose()
