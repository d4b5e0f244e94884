"""The nightly job's fast path decides exactly what the plain ``analyse`` replay decides.

``score_residents`` reads events column-wise (``event_store.resident_event_arrays``), writes the
access-log entries a batch at a time and runs the analysis in worker processes; none of that may change
an alert. The reference here is the plain path: ``event_store.resident_events`` row by row into a frame,
then ``analytics.analyse``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime

import pandas as pd
import pytest

from slimmaatwerk.analytics import analyse
from slimmaatwerk.clock import FixedClock
from slimmaatwerk.events import Event
from slimmaatwerk.localtime import TZ, day_bounds, day_of, ms, parse_timestamp
from slimmaatwerk.resident_data import analysis_context, events_frame
from slimmaatwerk.scoring import score_residents
from slimmaatwerk.service import Service
from slimmaatwerk.simulate import Injection, simulate_home
from slimmaatwerk.storage import access_log, accounts, event_store
from slimmaatwerk.storage.database import Database

START = date(2026, 1, 5)
DAYS = 30
NOW = datetime.combine(START + timedelta(days=DAYS), dtime(4, 30), tzinfo=TZ).astimezone(UTC)
# Anomalies late enough to be in the scored days, in different homes and sensor kits.
HOMES = (
    (0, "minimal", (Injection("A3", START + timedelta(days=24)),)),
    (1, "full", (Injection("B", START + timedelta(days=23)), Injection("E", START + timedelta(days=27)))),
    (2, None, (Injection("C", START + timedelta(days=25)),)),
)
DAYS_BACK = 8


def _plain_frame(conn, resident_id: str, from_ms: int | None, to_ms: int | None) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    """The reference reader: one Python tuple per event, as ``events_frame`` used to build it."""
    rows = event_store.resident_events(conn, resident_id, from_ms, to_ms)
    frame = pd.DataFrame(rows, columns=["ts_ms", "device", "kind", "room", "placement", "value"])
    frame.insert(0, "timestamp", pd.to_datetime(frame.pop("ts_ms"), unit="ms", utc=True))
    return frame


def _world(url: str, days: int = DAYS) -> tuple[Database, Service]:
    db = Database(url)
    clock = FixedClock(NOW)
    with db.begin() as conn:
        admin = accounts.create_user(conn, "admin", "Admin", "admin,coordinator", ms(NOW), all_residents=True)
        engine = accounts.create_user(conn, "engine", "Engine", "system", ms(NOW), all_residents=True)
    system = Service(db, engine, clock)
    for index, profile, injections in HOMES:
        home = simulate_home(index, days, 7, START, [i for i in injections if i.start < START + timedelta(days=days)],
                             profile=profile)
        rid = f"r{index}"
        Service(db, admin, clock).add_resident(rid, f"Resident {index}", "alone", False, "test")
        by_device: dict[str, list[Event]] = {}
        for e in home.events:
            by_device.setdefault(e.device, []).append(e)
        for dev in home.devices:
            name = f"{rid}/{dev.device}"
            evs = [Event(e.timestamp, name, e.kind, e.value, e.room, e.placement) for e in by_device.get(dev.device, [])]
            system.store_device_events(rid, f"zigbee:{rid}:{dev.ieee}", name, dev.room, dev.placement, evs,
                                       model=dev.model, vendor=dev.vendor, report_interval_s=dev.report_interval_s)
    return db, system


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    db, system = _world(f"sqlite:///{tmp_path_factory.mktemp('scoring') / 'slimmaatwerk.db'}")
    yield system
    db.dispose()


def _plain_alerts(system: Service, resident_id: str, now: datetime) -> list[dict]:
    today = day_of(now)
    with system.db.read() as conn:
        frame = _plain_frame(conn, resident_id, None, ms(day_bounds(today)[1]))
        context = analysis_context(conn, resident_id)
    alerts = analyse(frame, context, today - timedelta(days=DAYS_BACK), today)
    return [a for a in alerts if parse_timestamp(a["raised_at"]) <= now]


def test_fast_reader_returns_the_same_frame(db_url: str) -> None:
    """Column-wise reads give the row-by-row reader's frame, on SQLite and PostgreSQL."""
    db, _system = _world(db_url, days=4)
    try:
        end = ms(day_bounds(START + timedelta(days=3))[1])
        with db.read() as conn:
            for rid in ("r0", "r1", "r2"):
                for lo, hi in ((None, end), (end - 86_400_000, end), (None, None), (end - 3_600_000, None)):
                    pd.testing.assert_frame_equal(events_frame(conn, rid, lo, hi), _plain_frame(conn, rid, lo, hi),
                                                  check_exact=True, check_dtype=False)
    finally:
        db.dispose()


@pytest.mark.parametrize(("processes", "hours"), [(0, 0.0), (0, 1.0), (0, 12.0), (0, 19.5), (2, 0.0)])
def test_nightly_job_stores_exactly_the_plain_replays_alerts(world, monkeypatch, processes: int, hours: float) -> None:  # type: ignore[no-untyped-def]
    """At 04:30 (the nightly run) and later in the day (the engine runs the job every few minutes)."""
    now = NOW - timedelta(days=1) + timedelta(hours=hours)
    stored: dict[str, list[dict]] = {}

    def capture(rid: str, alerts: list[dict]) -> int:
        stored[rid] = list(alerts)
        return len(stored[rid])

    monkeypatch.setattr(world, "store_alerts", capture)
    with world.db.read() as conn:
        before = len(access_log.entries(conn))
    score_residents(world, now, DAYS_BACK, processes=processes)
    expected = {rid: _plain_alerts(world, rid, now) for rid in ("r0", "r1", "r2")}
    assert {rid: stored.get(rid, []) for rid in expected} == expected
    assert sum(len(v) for v in expected.values()) > 0, "the simulated anomalies should raise alerts"
    with world.db.read() as conn:
        logged = access_log.entries(conn)[before:]
    # One "read" entry per resident, as Service.analyse writes it.
    assert sorted(e["resident_id"] for e in logged if e["action"] == "read") == ["r0", "r1", "r2"]
