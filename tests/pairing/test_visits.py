"""Later visits are dated assignment changes: past events keep their room and resident, new ones follow
the change (SQLite file and PostgreSQL)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from slimmaatwerk.errors import AccessDenied, InputError
from slimmaatwerk.events import KIND_CODES
from slimmaatwerk.localtime import ms
from slimmaatwerk.pairing.installer import Installer
from slimmaatwerk.storage import devices as device_store
from slimmaatwerk.storage import event_store, residents
from tests.pairing.conftest import NOW, World

PIR = "zigbee:0x00158d0001a2b301"
SPARE = "zigbee:0x00158d0001a2b3ff"
DAY = timedelta(days=1)


def store(world: World, identity: str, *moments: datetime) -> None:
    with world.db.begin() as conn:
        device_id = device_store.device_ids_by_identity(conn)[identity]
        event_store.insert_events(conn, [{"device_id": device_id, "ts_ms": ms(t), "kind": KIND_CODES["motion"],
                                          "value": 1.0, "received_delta_ms": 0} for t in moments])


def where(world: World, resident: str) -> list[tuple[int, str, str, str]]:
    with world.db.read() as conn:
        rows = event_store.resident_events(conn, resident)
    return [(ts, name, room, placement) for ts, name, _kind, room, placement, _v in rows]


def paired(world: World) -> None:
    world.installer.pair(PIR, "r1", "kitchen", "", name="keuken_pir", profile="z2m.aqara.rtcgq11lm",
                         when=NOW - 10 * DAY)


def test_move_keeps_old_events_in_the_old_room(world: World) -> None:
    paired(world)
    store(world, PIR, NOW - 5 * DAY, NOW - 2 * DAY)
    world.visits.move(PIR, "living", "chair", when=NOW - 3 * DAY)
    store(world, PIR, NOW - DAY)
    rooms = [(room, placement) for _ts, _n, room, placement in where(world, "r1")]
    assert rooms == [("kitchen", ""), ("living", "chair"), ("living", "chair")]
    with world.db.read() as conn:
        device_id = device_store.device_ids_by_identity(conn)[PIR]
        history = device_store.assignments(conn, device_id)
    assert [(a.room, a.valid_from_ms, a.valid_to_ms) for a in history] == [
        ("kitchen", ms(NOW - 10 * DAY), ms(NOW - 3 * DAY)), ("living", ms(NOW - 3 * DAY), None)]


def test_a_change_before_the_current_assignment_began_is_refused(world: World) -> None:
    paired(world)
    with pytest.raises(InputError, match="after the current assignment began"):
        world.visits.move(PIR, "living", when=NOW - 10 * DAY)
    with pytest.raises(InputError, match="not assigned"):
        world.visits.move(PIR, "living", when=NOW - 20 * DAY)
    with pytest.raises(InputError, match="room must be one of"):
        world.visits.move(PIR, "garage")


def test_replace_hands_room_and_resident_to_the_new_sensor(world: World) -> None:
    paired(world)
    store(world, PIR, NOW - 4 * DAY)
    world.visits.replace(PIR, SPARE, when=NOW - 2 * DAY, name="keuken_pir_nieuw")
    store(world, SPARE, NOW - DAY)
    store(world, PIR, NOW - DAY + timedelta(minutes=5))  # the broken one still twitches: nobody's event
    events = where(world, "r1")
    assert [(name, room) for _ts, name, room, _p in events] == [("keuken_pir", "kitchen"),
                                                                ("keuken_pir_nieuw", "kitchen")]
    with world.db.read() as conn:
        ids = device_store.device_ids_by_identity(conn)
        assert device_store.assignment_at(conn, ids[PIR], ms(NOW)) is None
        spare = device_store.assignment_at(conn, ids[SPARE], ms(NOW))
    assert spare is not None and (spare.resident_id, spare.room) == ("r1", "kitchen")
    with pytest.raises(InputError, match="another device"):
        world.visits.replace(SPARE, SPARE)


def test_reuse_in_another_home_splits_the_history_between_residents(world: World) -> None:
    paired(world)
    store(world, PIR, NOW - 6 * DAY)
    world.visits.reuse(PIR, "r2", "bedroom", "", when=NOW - 3 * DAY)
    store(world, PIR, NOW - 2 * DAY)
    assert [(ts, room) for ts, _n, room, _p in where(world, "r1")] == [(ms(NOW - 6 * DAY), "kitchen")]
    assert [(ts, room) for ts, _n, room, _p in where(world, "r2")] == [(ms(NOW - 2 * DAY), "bedroom")]
    with world.db.read() as conn:
        device_id = device_store.device_ids_by_identity(conn)[PIR]
        homes = [a.home_id for a in device_store.assignments(conn, device_id)]
    assert homes == ["home-r1", "home-r2"]


def test_end_of_care_frees_the_kit_and_keeps_the_history(world: World) -> None:
    paired(world)
    world.installer.pair(SPARE, "r1", "entrance", "front_door", when=NOW - 10 * DAY)
    store(world, PIR, NOW - 3 * DAY)
    ended = world.visits.end_care("r1", when=NOW - 2 * DAY)
    store(world, PIR, NOW - DAY)
    assert sorted(ended) == sorted([PIR, SPARE])
    assert [ts for ts, *_ in where(world, "r1")] == [ms(NOW - 3 * DAY)]
    with world.db.read() as conn:
        assert residents.get_resident(conn, "r1").active is False  # type: ignore[union-attr]
    world.visits.reuse(PIR, "r2", "kitchen", when=NOW - DAY + timedelta(hours=1))  # the freed kit goes on


def test_pairing_refuses_a_device_in_use_elsewhere_and_checks_rights(world: World) -> None:
    paired(world)
    with pytest.raises(InputError, match="in use at resident r1"):
        world.installer.pair(PIR, "r2", "kitchen")
    with pytest.raises(InputError, match="unknown profile"):
        world.installer.pair(SPARE, "r1", "kitchen", profile="nope")
    with pytest.raises(InputError, match="snake_case"):
        world.installer.pair(SPARE, "r1", "kitchen", "Front Door")
    with pytest.raises(AccessDenied):
        world.scoped.pair(SPARE, "r2", "kitchen")
    with pytest.raises(AccessDenied):
        Installer(world.coordinator).pair(SPARE, "r1", "kitchen")
    listed = {d.identity: d for d in world.installer.devices()}
    assert listed[PIR].resident_id == "r1" and listed[PIR].profile == "z2m.aqara.rtcgq11lm"
    assert [d.identity for d in world.scoped.devices("r1")] == [PIR]
