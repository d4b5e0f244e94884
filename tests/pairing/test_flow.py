"""The pairing flow walked through every step, error and abort, against a real mosquitto holding
Zigbee2MQTT-style retained bridge messages and Home Assistant discovery configs, on SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from slimmaatwerk.pairing.flow import PairingFlow
from slimmaatwerk.pairing.forms import Abort, Done, ShowForm
from slimmaatwerk.pairing.installer import Installer
from slimmaatwerk.storage import devices as device_store
from slimmaatwerk.storage import residents
from tests.ingest.mqtt_helpers import wait_until
from tests.pairing.conftest import KIT, UNKNOWN_TOPIC, MemoryKeyring, World
from tests.pairing.z2m_bridge import Z2MBridge, ZDevice
from tests.support.servers import Broker, free_port, run_mosquitto

KITCHEN, DOOR, BATH, BEDROOM = (f"zigbee:{d.ieee}" for d in KIT)
TOILET = "ha:shelly_door_toilet"


def form(result: object, step: str) -> ShowForm:
    assert isinstance(result, ShowForm), result
    assert result.step_id == step, (result.step_id, result.errors)
    return result


def to_broker(flow: PairingFlow, url: str, **extra: object) -> ShowForm:
    form(flow.start(), "home")
    form(flow.submit("home", {"resident_id": "r9", "name": "Mevr. de Vries"}), "household")
    form(flow.submit("household", {"household": "partner", "pet": True, "care_visits": "ma-vr 08:00 thuiszorg"}),
         "purpose")
    purpose = {"purpose": "Valrisico 's nachts", "data_need": "Beweging per ruimte per uur", "consent_given": True}
    form(flow.submit("purpose", purpose), "broker")
    return flow.submit("broker", {"broker_url": url, "seconds": 1, **extra})  # type: ignore[return-value]


def test_the_whole_flow_pairs_a_kit_with_a_live_walk_test(world: World, home_broker: tuple[Broker, Z2MBridge],
                                                          tools, memory_keyring: MemoryKeyring) -> None:
    broker, bridge = home_broker
    flow = PairingFlow(world.installer, world.installer.registry, tools, world.clock)
    home = form(flow.start(), "home")
    assert [f.name for f in home.data_schema] == ["existing", "resident_id", "name"]
    assert ("r1", "r1 — Mevr. Jansen") in home.data_schema[0].options
    # home: every error, then a new resident
    assert form(flow.submit("home", {}), "home").errors == {"resident_id": "required", "name": "required"}
    assert form(flow.submit("home", {"resident_id": "r 9", "name": "X"}), "home").errors == {"resident_id": "invalid_id"}
    assert form(flow.submit("home", {"resident_id": "r1", "name": "X"}), "home").errors == {"resident_id": "resident_exists"}
    assert form(flow.submit("home", {"existing": "nobody"}), "home").errors == {"existing": "unknown_resident"}
    assert form(flow.submit("walktest", {}), "home").errors == {"base": "unknown_step"}
    form(flow.submit("home", {"resident_id": "r9", "name": "Mevr. de Vries"}), "household")
    # household
    assert form(flow.submit("household", {"household": "commune"}), "household").errors == {"household": "invalid_choice"}
    form(flow.submit("household", {"household": "partner", "pet": True, "care_visits": "ma-vr 08:00-08:30 thuiszorg"}),
         "purpose")
    # purpose / data need / consent (Afwegingskader)
    errors = form(flow.submit("purpose", {"consent_by": "representative"}), "purpose").errors
    assert errors == {"purpose": "required", "data_need": "required", "consent_name": "representative_name",
                      "consent_given": "consent_required"}
    purpose = {"purpose": "Valrisico 's nachts signaleren", "data_need": "Beweging en deuren per ruimte, per uur",
               "alternatives": "Alarmknop: wordt niet gedragen", "consent_by": "representative",
               "consent_name": "Anna de Vries (dochter)", "consent_given": True}
    broker_form = form(flow.submit("purpose", purpose), "broker")
    assert {f.name for f in broker_form.data_schema} == {"broker_url", "username", "password", "seconds"}
    # broker: bad URL, nobody listening, bad seconds, then the real one (password to the keyring)
    assert form(flow.submit("broker", {"broker_url": "http://x"}), "broker").errors == {"broker_url": "invalid_url"}
    assert form(flow.submit("broker", {"broker_url": broker.url, "seconds": 0}), "broker").errors == {
        "seconds": "invalid_seconds"}
    dead = form(flow.submit("broker", {"broker_url": f"mqtt://127.0.0.1:{free_port()}", "seconds": 1}), "broker")
    assert dead.errors == {"broker_url": "cannot_connect"} and "Connection refused" in str(dead.placeholders["detail"])
    found = form(flow.submit("broker", {"broker_url": broker.url, "username": "ine", "password": "geheim",
                                        "seconds": 1}), "discover")
    assert ("slimmaatwerk", f"mqtt/home-r9/ine@{broker.url}") in memory_keyring.secrets
    assert "geheim" in memory_keyring.secrets.values()
    rows = found.data_schema[0].rows
    ids = {c.id for c in rows}
    assert {DOOR, KITCHEN, BATH, BEDROOM, TOILET, f"topic:{UNKNOWN_TOPIC}"} == ids  # no coordinator
    assert found.placeholders["count"] == 6
    suggested = {c.id: c.suggested_profile for c in rows}
    assert suggested[DOOR] == "z2m.sonoff.snzb04" and suggested[TOILET] == "ha.discovery"
    # discover: errors, then permit-join lets a new sensor in
    assert form(flow.submit("discover", {"devices": []}), "discover").errors == {"devices": "no_devices_selected"}
    assert form(flow.submit("discover", {"devices": ["zigbee:0xdead"]}), "discover").errors == {
        "devices": "unknown_device"}
    assert form(flow.submit("discover", {"devices": [f"topic:{UNKNOWN_TOPIC}"]}), "discover").errors == {
        "devices": "no_profile"}
    newcomer = ZDevice("new", "0x00124b0022aa0099", "SNZB-03", "SONOFF")
    bridge.pending.append(newcomer)
    joined = form(flow.submit("discover", {"permit_join": True}), "discover")
    assert joined.errors == {} and joined.placeholders["joined"] == 1
    assert bridge.requests[-1]["time"] == 254
    assert any(c.id == f"zigbee:{newcomer.ieee}" and c.joined for c in joined.data_schema[0].rows)
    chosen = [DOOR, KITCHEN, BATH, BEDROOM, TOILET]
    profiles = form(flow.submit("discover", {"devices": chosen}), "profiles")
    assert [f.default for f in profiles.data_schema][:2] == ["z2m.sonoff.snzb04", "z2m.aqara.rtcgq11lm"]
    # profiles
    bad = form(flow.submit("profiles", {f"profile:{DOOR}": "no.such.profile"}), "profiles")
    assert bad.errors == {f"profile:{DOOR}": "unknown_profile"}
    rooms = form(flow.submit("profiles", {f"profile:{DOOR}": "z2m.sonoff.snzb04"}), "rooms")
    defaults = {f.name: f.default for f in rooms.data_schema}
    assert defaults[f"room:{DOOR}"] == "entrance" and defaults[f"placement:{DOOR}"] == "front_door"
    assert defaults[f"room:{KITCHEN}"] == "kitchen" and defaults[f"room:{TOILET}"] == "toilet"
    # rooms
    answer = {f"room:{DOOR}": "entrance", f"placement:{DOOR}": "front door", f"room:{KITCHEN}": "kitchen",
              f"room:{BATH}": "bathroom", f"placement:{BATH}": "shower", f"room:{BEDROOM}": "bedroom",
              f"room:{TOILET}": "toilet", f"placement:{TOILET}": "toilet_door"}
    bad = form(flow.submit("rooms", {**answer, f"room:{KITCHEN}": "garage", f"placement:{BATH}": "Douche!"}), "rooms")
    assert bad.errors == {f"room:{KITCHEN}": "unknown_room", f"placement:{BATH}": "invalid_placement"}
    walk = form(flow.submit("rooms", answer), "walktest")
    assert [c.sensor.id for c in walk.data_schema[0].rows] == chosen
    try:
        # the live walk test: the bedroom sensor fires while the installer is still at the front door
        wait_until(lambda: flow.live is not None and flow.live.connected)
        bridge.state(bridge.devices[3], occupancy=True, battery=90, linkquality=150)
        wait_until(lambda: _check(flow, BEDROOM).lit)
        bridge.state(bridge.devices[1], contact=False, battery=12, linkquality=20)  # door open, battery low
        bridge.state(bridge.devices[0], occupancy=True, battery=100, linkquality=140)  # kitchen
        bridge.state(bridge.devices[2], humidity=52.0, temperature=20.5, battery=95, linkquality=99)
        bridge.state(bridge.devices[2], humidity=61.5, temperature=21.0, battery=95, linkquality=99)  # shower
        wait_until(lambda: _check(flow, BATH).confirmed)
        assert flow.live.walk.focus == BEDROOM  # the bedroom sensor never proved itself in the bedroom
        assert form(flow.submit("walktest", {"focus": TOILET}), "walktest").errors == {}
        bridge.send("home/toilet_door/state", "open")
        wait_until(lambda: _check(flow, TOILET).confirmed)
        checks = {c.sensor.id: c for c in flow.current_checks()}
        assert checks[DOOR].confirmed and [p for p, _ in checks[DOOR].problems] == ["battery_low", "weak_signal"]
        assert checks[BEDROOM].lit and not checks[BEDROOM].confirmed
        assert checks[BEDROOM].problems[0] == ("wrong_room", {"room": "entrance"})
        incomplete = form(flow.submit("walktest", {}), "walktest")
        assert incomplete.errors == {"base": "walktest_incomplete"}
        summary = form(flow.submit("walktest", {"accept_problems": True}), "summary")
        assert flow.live is None and summary.errors == {}
    finally:
        flow._stop_live()
    assert residents.get_resident(world.db.engine.connect(), "r9") is None  # nothing stored before the summary
    done = flow.submit("summary", {"notes": "Sensor slaapkamer hangt in de gang: volgende keer verplaatsen."})
    assert isinstance(done, Done)
    record = done.record
    assert record.version == 1 and record.record_id > 0 and record.status == "incomplete"
    results = {d.id: (d.result, d.problems) for d in record.devices}
    assert results[DOOR] == ("passed", ("battery_low", "weak_signal"))
    assert results[BEDROOM] == ("failed", ("wrong_room",))
    assert results[KITCHEN][0] == results[BATH][0] == results[TOILET][0] == "passed"
    assert record.privacy.consent_name == "Anna de Vries (dochter)" and record.household.pet
    # The broker and its user are recorded (a later visit logs in again with the keyring's password); never a password.
    assert record.installer == "Ine Installateur" and record.broker_url == f"mqtt://ine@{broker.host}:{broker.port}"
    with world.db.read() as conn:
        r9 = residents.get_resident(conn, "r9")
        assert r9 is not None and r9.household == "partner" and r9.pet
        door_id = device_store.device_ids_by_identity(conn)[DOOR]
        (assignment,) = device_store.assignments(conn, door_id)
    assert (assignment.resident_id, assignment.room, assignment.placement) == ("r9", "entrance", "front_door")
    reopened = world.installer.open_record(record.record_id)
    assert reopened == record
    assert isinstance(flow.submit("summary", {}), Abort) and flow.submit("summary", {}).reason_key == "already_done"


def _check(flow: PairingFlow, sensor_id: str):  # type: ignore[no-untyped-def]
    return next(c for c in flow.current_checks() if c.sensor.id == sensor_id)


def test_cancel_aborts_and_stores_nothing(world: World, home_broker, tools, memory_keyring) -> None:
    broker, _bridge = home_broker
    flow = PairingFlow(world.installer, world.installer.registry, tools, world.clock)
    form(to_broker(flow, broker.url), "discover")
    assert flow.cancel() == Abort("cancelled")
    assert flow.submit("discover", {"devices": [DOOR]}) == Abort("already_done")
    with world.db.read() as conn:
        assert residents.get_resident(conn, "r9") is None
        assert device_store.device_ids_by_identity(conn) == {}


def test_a_coordinator_cannot_start_pairing(world: World, tools) -> None:
    flow = PairingFlow(Installer(world.coordinator), world.installer.registry, tools, world.clock)
    assert flow.start() == Abort("access_denied")


def test_an_installer_outside_their_scope_is_stopped(world: World, tools) -> None:
    flow = PairingFlow(world.scoped, world.installer.registry, tools, world.clock)
    form(flow.start(), "home")
    assert flow.submit("home", {"existing": "r2"}) == Abort("access_denied")
    household = form(flow.submit("home", {"existing": "r1"}), "household")
    assert household.data_schema[0].default == "alone"


def test_an_empty_broker_aborts_with_no_devices_found(world: World, broker: Broker, tools) -> None:
    flow = PairingFlow(world.installer, world.installer.registry, tools, world.clock)
    assert to_broker(flow, broker.url) == Abort("no_devices_found")


def test_permit_join_refused_or_unanswered_is_named(world: World, home_broker, tools) -> None:
    broker, bridge = home_broker
    flow = PairingFlow(world.installer, world.installer.registry, tools, world.clock)
    form(to_broker(flow, broker.url), "discover")
    bridge.allow_join = False
    refused = form(flow.submit("discover", {"permit_join": True}), "discover")
    assert refused.errors == {"base": "permit_join_refused"} and "disabled" in str(refused.placeholders["detail"])
    bridge.answer = False
    assert form(flow.submit("discover", {"permit_join": True}), "discover").errors == {"base": "permit_join_no_answer"}


def test_a_device_in_use_in_another_home_is_refused(world: World, home_broker, tools) -> None:
    broker, _bridge = home_broker
    world.installer.pair(DOOR, "r2", "entrance", "front_door")
    flow = PairingFlow(world.installer, world.installer.registry, tools, world.clock)
    form(to_broker(flow, broker.url), "discover")
    refused = form(flow.submit("discover", {"devices": [DOOR, KITCHEN]}), "discover")
    assert refused.errors == {"devices": "device_in_use"} and refused.placeholders["resident"] == "r2"


def test_no_keyring_means_the_password_is_not_stored(world: World, home_broker, tools) -> None:
    broker, _bridge = home_broker
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        flow = PairingFlow(world.installer, world.installer.registry, tools, world.clock)
        refused = form(to_broker(flow, broker.url, username="ine", password="geheim"), "broker")
    finally:
        keyring.set_keyring(previous)
    assert refused.errors == {"password": "keyring_unavailable"}


def test_a_refused_login_is_named_on_the_password(world: World, tmp_path: Path, tools, memory_keyring) -> None:
    passwords = tmp_path / "passwd"
    passwords.write_text("")
    subprocess.run(["mosquitto_passwd", "-b", str(passwords), "ine", "juist"], check=True)
    passwords.chmod(0o644)
    with run_mosquitto(tmp_path / "auth", f"allow_anonymous false\npassword_file {passwords}\n") as secured:
        flow = PairingFlow(world.installer, world.installer.registry, tools, world.clock)
        refused = form(to_broker(flow, secured.url, username="ine", password="fout"), "broker")
        assert refused.errors == {"password": "invalid_auth"}
        assert memory_keyring.secrets == {}
        assert flow.submit("broker", {"broker_url": secured.url, "username": "ine", "password": "juist",
                                      "seconds": 1}) == Abort("no_devices_found")
        assert "juist" in memory_keyring.secrets.values()


@pytest.mark.parametrize("step", ["summary", "bogus"])
def test_a_step_that_is_not_due_is_refused_in_words(world: World, tools, step: str) -> None:
    flow = PairingFlow(world.installer, world.installer.registry, tools, world.clock)
    form(flow.start(), "home")
    assert form(flow.submit(step, {}), "home").errors == {"base": "unknown_step"}


def test_an_mqtts_home_broker_is_reached_with_the_organisations_ca(world: World, secured_home, tools,
                                                                  memory_keyring: MemoryKeyring) -> None:
    from tests.pairing.conftest import INSTALLER_PASSWORD, INSTALLER_USER

    login = {"username": INSTALLER_USER, "password": INSTALLER_PASSWORD}
    untrusted = PairingFlow(world.installer, world.installer.registry, tools, world.clock)
    refused = form(to_broker(untrusted, secured_home.tls_url, **login), "broker")
    assert set(refused.errors) & {"broker_url", "password"}, refused.errors  # the throwaway CA is not trusted

    trusted = PairingFlow(world.installer, world.installer.registry, tools, world.clock,
                          tls=(str(secured_home.ca_file), "", ""))
    form(to_broker(trusted, secured_home.tls_url, **login), "discover")
