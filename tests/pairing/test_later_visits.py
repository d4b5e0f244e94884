"""Later visits as the visit screen uses them (no Qt): the home's devices with health, each change said in
words before it happens and then carried out at exactly that moment; new versions of a commissioning
record from the home as it is now (SQLite file and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from slimmaatwerk.commissioning.record import Household, PrivacyAnswers
from slimmaatwerk.errors import AccessDenied, InputError
from slimmaatwerk.events import KIND_CODES
from slimmaatwerk.localtime import ms
from slimmaatwerk.pairing.installer import Installer
from slimmaatwerk.pairing.record_versions import new_version
from slimmaatwerk.pairing.texts import TEXTS
from slimmaatwerk.pairing.visit_plans import Change, Target, apply, describe, done_words, when_words
from slimmaatwerk.pairing.visits import Visits
from slimmaatwerk.storage import device_state, event_store
from slimmaatwerk.storage import devices as device_store
from tests.pairing.conftest import NOW, World
from tests.pairing.test_commissioning import record

PIR = "zigbee:0x00158d0001a2b301"
DOOR = "zigbee:0x00124b0022aa0002"
SPARE = "zigbee:0x00158d0001a2b3ff"
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


def kit(world: World) -> None:
    world.installer.pair(PIR, "r1", "kitchen", "", name="keuken_pir", profile="z2m.aqara.rtcgq11lm",
                         when=NOW - 10 * DAY)
    world.installer.pair(DOOR, "r1", "entrance", "front_door", name="voordeur", profile="z2m.sonoff.snzb04",
                         when=NOW - 10 * DAY)


def heard(world: World, identity: str, when, battery: float) -> None:  # type: ignore[no-untyped-def]
    with world.db.begin() as conn:
        device_id = device_store.device_ids_by_identity(conn)[identity]
        device_state.save(conn, [(device_id, "battery", battery, ms(when), ms(when))])


def motion(world: World, identity: str, when) -> None:  # type: ignore[no-untyped-def]
    with world.db.begin() as conn:
        device_id = device_store.device_ids_by_identity(conn)[identity]
        event_store.insert_events(conn, [{"device_id": device_id, "ts_ms": ms(when), "kind": KIND_CODES["motion"],
                                          "value": 1.0, "received_delta_ms": 0}])


def rooms_of(world: World, resident: str) -> list[tuple[str, str]]:
    with world.db.read() as conn:
        return [(name, room) for _ts, name, _k, room, _p, _v in event_store.resident_events(conn, resident)]


def test_the_home_lists_devices_with_battery_and_last_seen(world: World) -> None:
    kit(world)
    heard(world, PIR, NOW - 10 * 60 * 1000 * timedelta(milliseconds=1), 87.0)
    heard(world, DOOR, NOW - 3 * DAY, 14.0)  # silent for days: not online
    home = {d.identity: d for d in world.visits.home("r1")}
    assert set(home) == {PIR, DOOR}
    assert (home[PIR].room, home[PIR].battery, home[PIR].online) == ("kitchen", 87.0, True)
    assert (home[DOOR].placement, home[DOOR].battery, home[DOOR].online) == ("front_door", 14.0, False)
    assert world.visits.home("r2") == []
    with pytest.raises(AccessDenied):
        Visits(world.scoped).home("r2")


def test_every_change_is_said_in_words_in_both_languages(world: World) -> None:
    when = NOW + timedelta(minutes=5)  # 10:05 in Amsterdam
    pir = Target(PIR, "keuken_pir", "hall")
    move = Change("move", "r1", "Mevr. Jansen", when, (pir,), room="bathroom", placement="shower")
    assert describe(move, NOW, "nl") == ("Vanaf vandaag 10:05 tellen de gebeurtenissen van sensor keuken_pir voor "
                                         "de badkamer (shower); eerdere gebeurtenissen blijven bij de gang.")
    assert describe(move, NOW, "en") == ("From today 10:05 the events of sensor keuken_pir count for the bathroom "
                                         "(shower); earlier events stay with the hall.")
    replace = Change("replace", "r1", "Mevr. Jansen", when, (pir,), new_identity=SPARE)
    assert SPARE in describe(replace, NOW, "en") and "takes the place of keuken_pir in the hall" in \
        describe(replace, NOW, "en")
    reuse = Change("reuse", "r1", "Mevr. Jansen", when, (pir, Target(DOOR, "voordeur", "entrance")),
                   target_id="r2", target_name="Dhr. Bakker")
    assert describe(reuse, NOW, "nl") == ("Vanaf vandaag 10:05 tellen de gebeurtenissen van keuken_pir, voordeur "
                                          "voor Dhr. Bakker (ieder in dezelfde ruimte); eerdere gebeurtenissen "
                                          "blijven bij Mevr. Jansen.")
    end = Change("end_care", "r1", "Mevr. Jansen", when, (pir,))
    assert "no longer count for Mevr. Jansen" in describe(end, NOW, "en")
    assert when_words(NOW + 2 * DAY, NOW, "nl") == "2026-03-04 10:00"
    assert done_words(replace, "nl") == f"keuken_pir vervangen door {SPARE}."
    with pytest.raises(ValueError):
        describe(Change("paint", "r1", "x", when), NOW)


def test_every_pairing_text_has_both_languages_with_the_same_placeholders() -> None:
    import string

    def names(template: str) -> set[str]:
        return {n for _, n, _, _ in string.Formatter().parse(template) if n}

    for key, entry in TEXTS.items():
        assert set(entry) == {"nl", "en"} and entry["nl"].strip() and entry["en"].strip(), key
        assert names(entry["nl"]) == names(entry["en"]), key


def test_applied_changes_attribute_past_and_new_events_correctly(world: World) -> None:
    kit(world)
    motion(world, PIR, NOW - 5 * DAY)
    home = {d.identity: d for d in world.visits.home("r1")}
    pir = Target(PIR, home[PIR].name, home[PIR].room)
    apply(world.visits, Change("move", "r1", "Mevr. Jansen", NOW - 4 * DAY, (pir,), room="living",
                               placement="chair"))
    motion(world, PIR, NOW - 3 * DAY)
    apply(world.visits, Change("replace", "r1", "Mevr. Jansen", NOW - 2 * DAY,
                               (Target(PIR, "keuken_pir", "living", "chair"),), new_identity=SPARE))
    motion(world, SPARE, NOW - DAY)
    assert rooms_of(world, "r1") == [("keuken_pir", "kitchen"), ("keuken_pir", "living"), (SPARE, "living")]
    door = Target(DOOR, "voordeur", "entrance", "front_door")
    spare = Target(SPARE, SPARE, "living", "chair")
    apply(world.visits, Change("reuse", "r1", "Mevr. Jansen", NOW - HOUR, (door, spare), target_id="r2"))
    with world.db.read() as conn:
        ids = device_store.device_ids_by_identity(conn)
        moved = [device_store.assignment_at(conn, ids[i], ms(NOW)) for i in (DOOR, SPARE)]
    assert [(a.resident_id, a.room, a.placement) for a in moved if a] == [
        ("r2", "entrance", "front_door"), ("r2", "living", "chair")]
    assert world.visits.home("r1") == []
    apply(world.visits, Change("end_care", "r2", "Dhr. Bakker", NOW - HOUR / 2, ()))
    assert world.visits.home("r2") == []
    assert rooms_of(world, "r1")[-1] == (SPARE, "living")  # history is untouched by the later changes


def test_a_kit_is_reused_all_or_nothing_and_rights_are_checked(world: World) -> None:
    kit(world)
    door = Target(DOOR, "voordeur", "entrance", "front_door")
    ghost = Target("zigbee:0xdead", "ghost", "hall")
    with pytest.raises(InputError, match="unknown device"):
        apply(world.visits, Change("reuse", "r1", "Mevr. Jansen", NOW, (door, ghost), target_id="r2"))
    assert {d.identity for d in world.visits.home("r1")} == {PIR, DOOR}  # nothing moved
    with pytest.raises(AccessDenied):
        apply(Visits(world.scoped), Change("reuse", "r1", "Mevr. Jansen", NOW, (door,), target_id="r2"))
    with pytest.raises(AccessDenied):
        apply(Visits(Installer(world.coordinator)), Change("move", "r1", "x", NOW, (door,), room="hall"))


def test_a_new_record_version_keeps_history_and_tests_only_what_stayed(world: World) -> None:
    kit(world)
    first = world.installer.save_record(record())
    world.visits.move(DOOR, "hall", "", when=NOW - DAY)  # moved since it was tested
    heard(world, PIR, NOW - HOUR, 64.0)
    answers = PrivacyAnswers("Dwalen 's nachts signaleren", "Deuren per uur", "", "resident", "", True)
    second = new_version(world.installer, first.record_id, Household("alone", False, "di 10:00 thuiszorg"), answers,
                         "Voordeur-sensor naar de gang verplaatst.")
    assert (second.version, second.privacy.purpose, second.household.care_visits) == \
        (2, "Dwalen 's nachts signaleren", "di 10:00 thuiszorg")
    devices = {d.id: d for d in second.devices}
    assert set(devices) == {PIR, DOOR}
    assert (devices[PIR].result, devices[PIR].tested_at, devices[PIR].battery) == \
        ("passed", "2026-03-02T10:13:02+01:00", 64.0)
    assert (devices[DOOR].result, devices[DOOR].room, devices[DOOR].tested_at) == ("untested", "hall", "")
    assert world.installer.open_record(first.record_id) == first  # the old version is unchanged
    assert world.installer.resident("r1").household == "alone"  # type: ignore[union-attr]
    assert [v for _id, v, _s, _at in world.installer.records("r1")] == [1, 2]
    with pytest.raises(InputError, match="consent"):
        new_version(world.installer, first.record_id, Household(), PrivacyAnswers("p", "d"))
    with pytest.raises(InputError, match="purpose and data need"):
        new_version(world.installer, first.record_id, Household(), PrivacyAnswers("", "d", consent_given=True))
    with pytest.raises(AccessDenied):
        new_version(Installer(world.coordinator), first.record_id, Household(), answers)
