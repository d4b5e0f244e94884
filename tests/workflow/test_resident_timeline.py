"""The room timeline through the service facade (SQLite and PostgreSQL): read from stored events, checked
per resident, logged as a read, absence days left out of "usual"."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from slimmaatwerk.errors import AccessDenied, InputError
from slimmaatwerk.events import Event
from slimmaatwerk.localtime import TZ
from slimmaatwerk.storage import access_log

from .conftest import World

TODAY = date(2026, 3, 2)  # NOW is 10:00 in Amsterdam


def _local(day: date, hh: int, mm: int) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=TZ)


def _store_kitchen_history(world: World, days: int = 14) -> None:
    kitchen = [Event(_local(TODAY - timedelta(days=d), 8, 30), "r1/kitchen", "motion", 1.0, "kitchen")
               for d in range(1, days + 1)]
    bedroom = [Event(_local(TODAY - timedelta(days=d), 7, 10), "r1/bedroom", "motion", 1.0, "bedroom")
               for d in range(days + 1)]
    world.engine.store_device_events("r1", "zigbee:k", "r1/kitchen", "kitchen", "", kitchen)
    world.engine.store_device_events("r1", "zigbee:b", "r1/bedroom", "bedroom", "", bedroom)


def test_today_shows_the_quiet_kitchen_against_its_usual_start(world: World) -> None:
    _store_kitchen_history(world)
    timeline = world.coord.resident_timeline("r1")
    assert timeline.day == TODAY and timeline.now_min == 10 * 60 and timeline.history_days == 14
    kitchen = timeline.lane("kitchen")
    assert kitchen is not None and kitchen.active == () and kitchen.usual_first == 8 * 60 + 30
    assert kitchen.late  # 10:00, usually active by 08:30
    assert timeline.lane("bedroom").active == ((430, 435),)
    yesterday = world.coord.resident_timeline("r1", TODAY - timedelta(days=1))
    assert yesterday.now_min is None and yesterday.lane("kitchen").active == ((510, 515),)
    with world.db.read() as conn:
        reads = [(e["action"], e["resident_id"], e["detail"]) for e in access_log.entries(conn, "r1")]
    assert ("read", "r1", f"room timeline {TODAY}") in reads


def test_absence_days_do_not_count_towards_usual(world: World) -> None:
    _store_kitchen_history(world, days=9)
    world.coord.add_context("r1", "hospital", "2026-02-22T09:00:00+01:00", "2026-02-24T12:00:00+01:00")
    assert world.coord.resident_timeline("r1").history_days == 6  # 9 days minus 3 in hospital
    assert world.coord.resident_timeline("r1").lane("kitchen").usual == ()


def test_scope_role_and_dates_are_checked(world: World) -> None:
    _store_kitchen_history(world)
    assert world.nurse.resident_timeline("r1").lane("kitchen") is not None
    with pytest.raises(AccessDenied):
        world.nurse.resident_timeline("r2")  # not in the nurse's scope
    with pytest.raises(AccessDenied):
        world.fitter.resident_timeline("r1")  # an installer never sees activity
    with pytest.raises(InputError, match="has not begun"):
        world.coord.resident_timeline("r1", TODAY + timedelta(days=1))
    with pytest.raises(InputError, match="unknown resident"):
        world.coord.resident_timeline("r9")
