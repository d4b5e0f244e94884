"""Feedback calibration through the service: label alerts, analyse again, and only that resident's
indicator changes (issue 4, point 5).

Two residents live identical days, with a quiet spell of 2 h 20 min at home on several mornings. Both
get long-lie alerts for the early spells; the coordinator marks three of one resident's alerts
"false: other". Analysing all weeks again, that resident's long-lie threshold is one hour longer after
the third labelled alert, so the later spells raise nothing for them, while the other resident, and
that resident's other indicators, are alerted exactly as before.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime

import pytest

from slimmaatwerk.clock import FixedClock
from slimmaatwerk.events import Event
from slimmaatwerk.localtime import TZ, ms
from slimmaatwerk.service import Service
from slimmaatwerk.storage import accounts
from slimmaatwerk.storage.database import Database
from tests.analytics.homes import at, normal_home

START = date(2026, 1, 5)
DAYS = 60
NOW = datetime.combine(START + timedelta(days=DAYS), dtime(6), tzinfo=TZ).astimezone(UTC)
QUIET_DAYS = [START + timedelta(days=d) for d in (22, 26, 30, 44, 48, 52)]
NO_KITCHEN = START + timedelta(days=50)
QUIET_MIN = 140
EARLY = (START + timedelta(days=16), START + timedelta(days=34))
ALL = (EARLY[0], START + timedelta(days=58))


def _store(system: Service, rid: str) -> None:
    home = normal_home(START, DAYS, seed=7, kitchen={NO_KITCHEN: False})
    frame = home.frame(quiet=[(at(d, 10 * 60), at(d, 10 * 60 + QUIET_MIN)) for d in QUIET_DAYS])
    for (device, room, placement), rows in frame.groupby(["device", "room", "placement"]):
        events = [Event(ts.to_pydatetime(), f"{rid}/{device}", kind, value, room, placement)
                  for ts, kind, value in zip(rows["timestamp"], rows["kind"], rows["value"], strict=True)]
        system.store_device_events(rid, f"test:{rid}:{device}", f"{rid}/{device}", room, placement, events)


@pytest.fixture
def world(db_url: str):  # type: ignore[no-untyped-def]
    """(the engine, which analyses and stores alerts; a coordinator, who labels them)."""
    db = Database(db_url)
    clock = FixedClock(NOW)
    with db.begin() as conn:
        admin = accounts.create_user(conn, "admin", "Admin", "admin,coordinator", ms(NOW), all_residents=True)
        engine = accounts.create_user(conn, "engine", "Engine", "system", ms(NOW), all_residents=True)
    coordinator, system = Service(db, admin, clock), Service(db, engine, clock)
    for rid in ("r1", "r2"):
        coordinator.add_resident(rid, f"Resident {rid}", "alone", False, "test")
        _store(system, rid)
    yield system, coordinator
    db.dispose()


def _by_indicator(alerts: list[dict], indicator: str) -> list[str]:
    return [a["date"] for a in alerts if a["indicator"] == indicator and a["severity"] in ("amber", "red")]


def test_false_labels_make_only_that_residents_indicator_stricter(world: tuple[Service, Service]) -> None:
    world, coordinator = world
    early = {rid: world.analyse(rid, *EARLY)["alerts"] for rid in ("r1", "r2")}
    assert _by_indicator(early["r1"], "inactivity") == [d.isoformat() for d in QUIET_DAYS[:3]]
    for rid in ("r1", "r2"):
        world.store_alerts(rid, early[rid])
    before = {rid: world.analyse(rid, *ALL)["alerts"] for rid in ("r1", "r2")}
    assert _by_indicator(before["r1"], "inactivity") == [d.isoformat() for d in QUIET_DAYS]
    assert _by_indicator(before["r2"], "inactivity") == _by_indicator(before["r1"], "inactivity")

    for stored in coordinator.open_alerts("r1"):
        if stored["indicator"] == "inactivity":
            coordinator.label(stored["id"], "false_other")

    after = {rid: world.analyse(rid, *ALL)["alerts"] for rid in ("r1", "r2")}
    # From the day after the third labelled alert: 140 min is shorter than the threshold + 60 min.
    assert _by_indicator(after["r1"], "inactivity") == [d.isoformat() for d in QUIET_DAYS[:3]]
    assert _by_indicator(after["r2"], "inactivity") == _by_indicator(before["r2"], "inactivity")
    # r1's other indicators are untouched: the day without kitchen activity is still raised, as for r2.
    assert _by_indicator(after["r1"], "kitchen_activity") == _by_indicator(before["r1"], "kitchen_activity")
    assert NO_KITCHEN.isoformat() in _by_indicator(after["r1"], "kitchen_activity")


def test_sensor_labels_leave_the_threshold_alone(world: tuple[Service, Service]) -> None:
    world, coordinator = world
    world.store_alerts("r1", world.analyse("r1", *EARLY)["alerts"])
    before = world.analyse("r1", *ALL)["alerts"]
    for stored in coordinator.open_alerts("r1"):
        if stored["indicator"] == "inactivity":
            coordinator.label(stored["id"], "false_sensor")
    assert _by_indicator(world.analyse("r1", *ALL)["alerts"], "inactivity") == _by_indicator(before, "inactivity")
