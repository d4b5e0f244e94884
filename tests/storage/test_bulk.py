"""The ingest writer's multi-row writes (``storage.bulk``) on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import select

from slimmaatwerk.storage import bulk, device_state, event_store, quarantine
from slimmaatwerk.storage import schema as s
from slimmaatwerk.storage.database import Database
from slimmaatwerk.storage.devices import ensure_device


def test_many_rows_are_split_into_statements_and_stored_once(db_url: str) -> None:
    db = Database(db_url)
    with db.begin() as conn:
        device = ensure_device(conn, "zigbee:0x01", "keuken", 0)
        # more rows than one statement may carry (999 parameters / 5 columns = 199 rows)
        rows = [{"device_id": device, "ts_ms": t, "kind": 1, "value": float(t % 2), "received_delta_ms": None}
                for t in range(1000)]
        event_store.insert_events(conn, rows)
    with db.begin() as conn:
        event_store.insert_events(conn, rows[500:] + [{**rows[0], "ts_ms": 5000}])  # redelivered, plus one new
    with db.read() as conn:
        assert event_store.count_events(conn) == 1001
        stored = conn.execute(select(s.events.c.ts_ms, s.events.c.value).order_by(s.events.c.ts_ms)).all()
    assert [tuple(r) for r in stored[:3]] == [(0, 0.0), (1, 1.0), (2, 0.0)]
    db.dispose()


def test_upsert_replaces_and_counters_add(db_url: str) -> None:
    db = Database(db_url)
    with db.begin() as conn:
        device = ensure_device(conn, "zigbee:0x02", "gang", 0)
        device_state.save(conn, [(device, "motion", 1.0, 10, 10), (device, "battery", 97.0, 10, 10)])
        quarantine.bump(conn, {"messages": 3, "events_stored": 2})
    with db.begin() as conn:
        device_state.save(conn, [(device, "motion", 0.0, 20, 25)])
        quarantine.bump(conn, {"messages": 4})
    with db.read() as conn:
        assert sorted(device_state.load_all(conn)) == [(device, "battery", 97.0, 10, 10),
                                                       (device, "motion", 0.0, 20, 25)]
        assert quarantine.counters(conn) == {"messages": 7, "events_stored": 2}
    db.dispose()


def test_statements_name_only_real_columns() -> None:
    sql = bulk._insert_sql(s.device_state, ("device_id", "kind", "value"), ("device_id", "kind"), "replace", "?", 2)
    assert sql == ("INSERT INTO device_state (device_id, kind, value) VALUES (?, ?, ?), (?, ?, ?) "
                   "ON CONFLICT (device_id, kind) DO UPDATE SET value = excluded.value")
    try:
        bulk._insert_sql(s.events, ("device_id", "no_such_column"), (), "ignore", "?", 1)
    except KeyError as exc:
        assert "no_such_column" in str(exc)
    else:
        raise AssertionError("an unknown column must not reach the database")
