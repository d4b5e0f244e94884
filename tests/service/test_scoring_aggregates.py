"""The scoring job from kept aggregates decides exactly what the full strict-online replay decides.

``score_residents(aggregates=True)`` reads stored daily features of closed days and a recent window of
raw events (``daily_aggregates``); the reference is ``analytics.analyse`` over every raw event of the
resident, as ``Service.analyse`` replays it. Homes: simulated kits with anomalies, a pet, context-calendar
periods, a long absence that crosses the start of the window, a dead sensor, nights across the DST
change of 29 March 2026, late events for days already stored (within the window and older), on SQLite
and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime

import pandas as pd
import pytest

from slimmaatwerk.analytics import analyse, daily_features
from slimmaatwerk.analytics.features import STORED_COLUMNS
from slimmaatwerk.clock import FixedClock
from slimmaatwerk.events import ACTIVITY_KINDS, Event
from slimmaatwerk.localtime import TZ, day_bounds, day_of, ms, parse_timestamp
from slimmaatwerk.resident_data import analysis_context, events_frame
from slimmaatwerk.scoring import score_residents
from slimmaatwerk.service import Service
from slimmaatwerk.simulate import Injection, simulate_home
from slimmaatwerk.storage import accounts, event_store
from slimmaatwerk.storage.database import Database
from slimmaatwerk.storage.feature_store import stored_days

START = date(2026, 3, 6)  # day 23 is 29 March, the night the clocks go forward
DAYS = 36
AWAY = (START + timedelta(days=14), START + timedelta(days=27))  # r3 out of the home, no calendar entry


def _at(day: date, hour: float) -> datetime:
    return datetime.combine(day, dtime(0), tzinfo=TZ).astimezone(UTC) + timedelta(hours=hour)


def _night(day: int, hours: float = 4.5) -> datetime:
    return datetime.combine(START + timedelta(days=day), dtime(0), tzinfo=TZ).astimezone(UTC) + timedelta(hours=hours)


HOMES = (
    ("r0", 0, "minimal", False, False, (Injection("A3", START + timedelta(days=26)),
                                         Injection("S", START + timedelta(days=28)))),
    ("r1", 1, "full", False, False, (Injection("B", START + timedelta(days=25)), Injection("E", START + timedelta(days=31)),
                                      Injection("F", START + timedelta(days=28)), Injection("H", START + timedelta(days=29)))),
    ("r2", 2, None, True, True, (Injection("C", START + timedelta(days=27)), Injection("I", START + timedelta(days=30)))),
    ("r3", 3, "full", False, False, (Injection("D", START + timedelta(days=30)),)),
)


def _away(events: list, door: tuple[str, str, str], indoor: tuple[str, str, str]) -> list:
    """r3: no human event from AWAY[0] 10:00 to AWAY[1] 11:00 but the front door at both ends.

    The absence starts with indoor activity and the door, as ``presence.away_intervals`` expects.
    """
    lo, hi = _at(AWAY[0], 10), _at(AWAY[1], 11)
    kept = [e for e in events if not (lo - timedelta(minutes=10) <= e.timestamp < hi and e.kind in ACTIVITY_KINDS)]
    kept.append(Event(lo - timedelta(minutes=6), indoor[0], "motion", 1.0, indoor[1], indoor[2]))
    for t in (lo - timedelta(minutes=3), hi - timedelta(minutes=1)):
        kept += [Event(t, door[0], "contact", 1.0, door[1], door[2]),
                 Event(t + timedelta(seconds=20), door[0], "contact", 0.0, door[1], door[2])]
    return sorted(kept, key=lambda e: e.timestamp)


def _world(url: str) -> tuple[Database, Service, Service]:
    db = Database(url)
    clock = FixedClock(_night(DAYS))
    with db.begin() as conn:
        admin_user = accounts.create_user(conn, "admin", "Admin", "admin,coordinator", ms(_night(DAYS)), all_residents=True)
        engine = accounts.create_user(conn, "engine", "Engine", "system", ms(_night(DAYS)), all_residents=True)
    system, admin = Service(db, engine, clock), Service(db, admin_user, clock)
    for rid, index, profile, pet, absence, injections in HOMES:
        home = simulate_home(index, DAYS, 11, START, list(injections), profile=profile, pet=pet, absence=absence)
        admin.add_resident(rid, f"Resident {rid}", "alone", pet, "test")
        by_device: dict[str, list[Event]] = {}
        events = home.events
        if rid == "r3":
            door = next(d for d in home.devices if d.placement == "front_door")
            indoor = next(d for d in home.devices if d.kind_family == "motion" and d.room == "living")
            events = _away(events, (door.device, door.room, door.placement),
                           (indoor.device, indoor.room, indoor.placement))
        for e in events:
            by_device.setdefault(e.device, []).append(e)
        for dev in home.devices:
            name = f"{rid}/{dev.device}"
            evs = [Event(e.timestamp, name, e.kind, e.value, e.room, e.placement) for e in by_device.get(dev.device, [])]
            if rid == "r0" and dev.room == "kitchen":
                # A kitchen sensor that dies for good ten days before the end: silent, heartbeats included.
                evs = [e for e in evs if e.timestamp < _at(START + timedelta(days=DAYS - 10), 9)]
            system.store_device_events(rid, f"zigbee:{rid}:{dev.ieee}", name, dev.room, dev.placement, evs,
                                       model=dev.model, vendor=dev.vendor, report_interval_s=dev.report_interval_s)
    admin.add_context("r2", "hospital", _at(START + timedelta(days=18), 9).isoformat(),
                      _at(START + timedelta(days=21), 15).isoformat(), "opname")
    admin.add_context("r1", "absence", _at(START + timedelta(days=33), 8).isoformat(),
                      _at(START + timedelta(days=33), 20).isoformat(), "familiebezoek")
    return db, system, admin


def _plain_alerts(system: Service, rid: str, now: datetime, days_back: int) -> list[dict]:
    today = day_of(now)
    with system.db.read() as conn:
        frame = events_frame(conn, rid, None, ms(day_bounds(today)[1]))
        context = analysis_context(conn, rid)
    alerts = analyse(frame, context, today - timedelta(days=days_back), today, until=now)
    return [a for a in alerts if parse_timestamp(a["raised_at"]) <= now]


def _run(system: Service, monkeypatch: pytest.MonkeyPatch, now: datetime, days_back: int,
         aggregates: bool = True) -> dict[str, list[dict]]:
    stored: dict[str, list[dict]] = {}

    def capture(rid: str, alerts: list[dict]) -> int:
        stored[rid] = list(alerts)
        return len(stored[rid])

    monkeypatch.setattr(system, "store_alerts", capture)
    score_residents(system, now, days_back, processes=0, aggregates=aggregates)
    monkeypatch.undo()
    return stored


def _check(system: Service, monkeypatch: pytest.MonkeyPatch, now: datetime, days_back: int = 1) -> int:
    got = _run(system, monkeypatch, now, days_back)
    expected = {rid: _plain_alerts(system, rid, now, days_back) for rid, *_ in HOMES}
    for rid, alerts in expected.items():
        assert got.get(rid, []) == alerts, f"{rid} at {now}"
    return sum(len(v) for v in expected.values())


def _check_stored_features(system: Service) -> int:
    """Every stored day equals the day in the daily feature table made from all raw events."""
    checked = 0
    for rid, *_ in HOMES:
        with system.db.read() as conn:
            full = daily_features(events_frame(conn, rid, None, None), analysis_context(conn, rid))
            kept = stored_days(conn, rid)
        for day in kept:
            row = full.loc[pd.Timestamp(day.day)]
            for column in STORED_COLUMNS:
                a, b = row[column], day.values[column]
                assert a == b or (pd.isna(a) and pd.isna(b)), (rid, day.day, column, a, b)
            checked += 1
    return checked


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    db, system, admin = _world(f"sqlite:///{tmp_path_factory.mktemp('aggregates') / 'slimmaatwerk.db'}")
    yield system, admin
    db.dispose()


def test_nightly_runs_from_kept_aggregates_equal_the_full_replay(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Night after night (features stored as days close), and at moments during the day."""
    system, _admin = world
    total = 0
    for day in range(20, DAYS + 1):
        total += _check(system, monkeypatch, _night(day))
        if day in (26, 27):  # r1's late mornings (B): a wake-up alert may be due before the wake-up
            total += _check(system, monkeypatch, _night(day, 10.75))
        if day in (24, 29, 33):
            total += _check(system, monkeypatch, _night(day, 16.5))
            total += _check(system, monkeypatch, _night(day, 21.25), days_back=3)
    assert total > 10, "the injected anomalies should raise alerts"
    with system.db.read() as conn:
        assert len(stored_days(conn, "r1")) == DAYS - 1  # closed days, from the first day of events
    assert _check_stored_features(system) >= 4 * (DAYS - 2)


def test_late_events_for_stored_days_are_taken_in(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    system, _admin = world
    now = _night(DAYS)
    _check(system, monkeypatch, now)
    with system.db.read() as conn:
        before = {d.day: d for d in stored_days(conn, "r1")}
    with system.db.begin() as conn:
        device = conn.execute(
            event_store.s.devices.select().where(event_store.s.devices.c.name.like("r1/%kitchen%"))).first()
        assert device is not None
        # One late event within the window, one far older than it (the count check catches that one).
        late = [_at(START + timedelta(days=DAYS - 4), 13.2), _at(START + timedelta(days=9), 13.2)]
        event_store.insert_events(conn, [{"device_id": device.id, "ts_ms": ms(t), "kind": 0, "value": 1.0,
                                          "received_delta_ms": 86_400_000 * 5} for t in late])
    _check(system, monkeypatch, now)
    with system.db.read() as conn:
        after = {d.day: d for d in stored_days(conn, "r1")}
    for t in late:
        day = day_of(t)
        assert after[day].events == before[day].events + 1
        assert after[day].values["kitchen_activity"] >= before[day].values["kitchen_activity"]
    assert _check_stored_features(system) > 0


def test_a_calendar_entry_added_later_changes_what_the_baseline_learns(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Stored days keep no ``excluded`` flag: a holiday entered afterwards still leaves its days out."""
    system, admin = world
    admin.add_context("r0", "absence", _at(START + timedelta(days=24), 6).isoformat(),
                      _at(START + timedelta(days=31), 22).isoformat(), "vakantie achteraf")
    _check(system, monkeypatch, _night(DAYS))
    _check(system, monkeypatch, _night(DAYS, 18.0), days_back=4)


def test_first_run_backfills_and_equals_on_both_databases(db_url: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """An empty store (an upgraded database): the first run computes every closed day from raw events."""
    db, system, _admin = _world(db_url)
    try:
        assert _check(system, monkeypatch, _night(30), days_back=2) > 0
        _check(system, monkeypatch, _night(31))
        assert _check_stored_features(system) >= 4 * 28
    finally:
        db.dispose()
