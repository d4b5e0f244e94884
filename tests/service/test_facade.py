"""The service facade checks role and per-resident scope on every call and logs every access."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from slimmaatwerk.clock import FixedClock
from slimmaatwerk.errors import AccessDenied, InputError
from slimmaatwerk.events import Event
from slimmaatwerk.localtime import ms
from slimmaatwerk.service import Service
from slimmaatwerk.storage import accounts
from slimmaatwerk.storage.database import Database

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
def world(db_url: str):  # type: ignore[no-untyped-def]
    db = Database(db_url)
    clock = FixedClock(NOW)
    with db.begin() as conn:
        admin = accounts.create_user(conn, "admin", "Admin", "admin,coordinator", ms(NOW), all_residents=True)
        nurse = accounts.create_user(conn, "nurse", "Wijkverpleegkundige", "coordinator", ms(NOW))
        fitter = accounts.create_user(conn, "fitter", "Installateur", "installer", ms(NOW), all_residents=True)
        engine = accounts.create_user(conn, "engine", "Engine", "system", ms(NOW), all_residents=True)
    services = {u.username: Service(db, u, clock) for u in (admin, nurse, fitter, engine)}
    services["admin"].add_resident("r1", "Mevr. Jansen")
    services["admin"].add_resident("r2", "Dhr. Bakker", household="partner")
    with db.begin() as conn:
        accounts.grant(conn, nurse.id, "r1")
    yield services
    db.dispose()


def _events(device: str, room: str, start: datetime, n: int) -> list[Event]:
    return [Event(start + timedelta(minutes=10 * i), device, "motion", float(i % 2), room) for i in range(n)]


def test_scope_limits_what_a_coordinator_sees(world) -> None:  # type: ignore[no-untyped-def]
    nurse = world["nurse"]
    assert [r.id for r in nurse.list_residents()] == ["r1"]
    assert [r.resident_id for r in nurse.overview()] == ["r1"]
    with pytest.raises(AccessDenied, match="no access to resident r2"):
        nurse.resident_detail("r2")
    with pytest.raises(AccessDenied):
        nurse.export_events("r2", None, None)


def test_installer_sees_no_health_data(world) -> None:  # type: ignore[no-untyped-def]
    fitter = world["fitter"]
    assert {r.id for r in fitter.list_residents()} == {"r1", "r2"}
    with pytest.raises(AccessDenied, match="may not read health"):
        fitter.overview()
    with pytest.raises(AccessDenied):
        fitter.analyse("r1", NOW.date(), NOW.date())


def test_only_the_engine_account_stores_alerts(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AccessDenied):
        world["nurse"].store_alerts("r1", [])
    assert world["engine"].store_alerts("r1", []) == 0


def test_overview_is_grey_without_data_and_green_with_healthy_sensors(world) -> None:  # type: ignore[no-untyped-def]
    admin = world["admin"]
    rows = {r.resident_id: r for r in admin.overview()}
    assert rows["r1"].status == "grey" and rows["r1"].sensors_total == 0
    world["engine"].store_device_events("r1", "zigbee:0x1", "r1/kitchen", "kitchen", "",
                                        _events("r1/kitchen", "kitchen", NOW - timedelta(hours=5), 30))
    rows = {r.resident_id: r for r in admin.overview()}
    assert rows["r1"].status == "green" and rows["r1"].completeness == 1.0
    assert rows["r1"].last_activity is not None
    assert rows["r2"].status == "grey"


def test_a_silent_sensor_makes_data_incomplete(world) -> None:  # type: ignore[no-untyped-def]
    engine = world["engine"]
    engine.store_device_events("r1", "zigbee:0x1", "r1/kitchen", "kitchen", "",
                               _events("r1/kitchen", "kitchen", NOW - timedelta(hours=5), 30))
    engine.store_device_events("r1", "zigbee:0x2", "r1/hall", "hall", "",
                               _events("r1/hall", "hall", NOW - timedelta(days=3), 5), report_interval_s=3600)
    row = next(r for r in world["admin"].overview() if r.resident_id == "r1")
    assert (row.sensors_ok, row.sensors_total, row.status) == (1, 2, "grey")
    detail = world["admin"].resident_detail("r1")
    assert {d.device: d.online for d in detail.devices} == {"r1/kitchen": True, "r1/hall": False}


def test_open_alerts_colour_the_overview_and_show_in_the_detail(world) -> None:  # type: ignore[no-untyped-def]
    engine = world["engine"]
    engine.store_device_events("r1", "zigbee:0x1", "r1/kitchen", "kitchen", "",
                               _events("r1/kitchen", "kitchen", NOW - timedelta(hours=5), 30))
    alert = {"date": "2026-03-09", "indicator": "kitchen_activity", "severity": "red",
             "raised_at": "2026-03-10T04:00:00+01:00", "explanation": {"nl": "Geen keuken", "en": "No kitchen"},
             "observed": 0, "expected": 20, "expected_low": 10, "expected_high": 30, "unit": "events"}
    assert engine.store_alerts("r1", [alert, alert]) == 2
    rows = {r.resident_id: r for r in world["admin"].overview()}
    assert rows["r1"].status == "red" and rows["r1"].open_alerts["red"] == 1
    detail = world["admin"].resident_detail("r1")
    assert [(a.indicator, a.severity, a.explanation["nl"]) for a in detail.alerts] == [
        ("kitchen_activity", "red", "Geen keuken")]
    assert len(detail.hourly) == 28 and all(len(row) == 24 for row in detail.hourly)
    assert sum(detail.hourly[-1]) == 15  # the 15 "detected" readings of today


def test_reads_are_logged_once_per_window_and_changes_always(world) -> None:  # type: ignore[no-untyped-def]
    admin = world["admin"]
    admin.resident_detail("r1")
    admin.resident_detail("r1")
    entries = admin.audit_entries("r1")
    assert [e["action"] for e in entries] == ["change", "read"]
    assert entries[-1]["user_id"] == admin.actor.id


def test_bad_household_and_duplicate_resident(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError, match="household"):
        world["admin"].add_resident("r3", "X", household="commune")
    with pytest.raises(InputError, match="already exists"):
        world["admin"].add_resident("r1", "X")
