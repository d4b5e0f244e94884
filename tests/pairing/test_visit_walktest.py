"""A later visit's walk test on the home's broker as pairing recorded it: a real mosquitto that takes no
anonymous clients (password file, TLS listener with a throwaway CA), the password the flow put in the
keyring, the replacement lighting up and its result and time in the next commissioning record version
(SQLite file and PostgreSQL)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from slimmaatwerk.errors import InputError
from slimmaatwerk.localtime import format_timestamp
from slimmaatwerk.pairing.broker import BrokerSettings, ConnectFailed
from slimmaatwerk.pairing.credentials import store_broker_password
from slimmaatwerk.pairing.flow import PairingFlow
from slimmaatwerk.pairing.home_broker import home_broker, recorded_url, settings_for, split_user, tls_files
from slimmaatwerk.pairing.record_versions import NoRecord, record_walk_test
from slimmaatwerk.pairing.tools import MqttTools
from slimmaatwerk.pairing.visit_walktest import sensor_for, start_visit_walk
from slimmaatwerk.pairing.walktest import Sensor, SensorCheck, WalkTest
from slimmaatwerk.protection import SERVICE
from tests.ingest.mqtt_helpers import wait_until
from tests.pairing.conftest import INSTALLER_PASSWORD, INSTALLER_USER, KIT, NOW, SecuredHome, World
from tests.pairing.test_commissioning import record
from tests.pairing.test_flow import form, to_broker
from tests.pairing.z2m_bridge import ZDevice

PIR, DOOR = f"zigbee:{KIT[0].ieee}", f"zigbee:{KIT[1].ieee}"
SPARE = ZDevice("keuken_pir_nieuw", "0x00158d0001a2b3ff", "RTCGQ11LM", "Aqara")
SPARE_ID = f"zigbee:{SPARE.ieee}"


def paired(world: World, broker_url: str) -> None:
    """r1's kit paired ten days ago, and its first commissioning record naming the broker and its user."""
    ten_days = NOW - timedelta(days=10)
    world.installer.pair(PIR, "r1", "kitchen", "", name="keuken_pir", profile="z2m.aqara.rtcgq11lm", when=ten_days)
    world.installer.pair(DOOR, "r1", "entrance", "front_door", name="voordeur", profile="z2m.sonoff.snzb04",
                         when=ten_days)
    world.installer.save_record(replace(record(), broker_url=recorded_url(broker_url, INSTALLER_USER)))


def test_a_replacement_is_walk_tested_on_the_recorded_broker_and_recorded(world: World, secured_home: SecuredHome,
                                                                          tools, memory_keyring) -> None:
    broker, bridge = secured_home.broker, secured_home.bridge
    paired(world, broker.url)
    store_broker_password("home-r1", broker.url, INSTALLER_USER, INSTALLER_PASSWORD)  # as the flow did
    bridge.devices.append(SPARE)
    bridge.publish_devices()
    world.visits.replace(PIR, SPARE_ID)

    settings = home_broker(world.installer, "r1")
    assert settings == BrokerSettings(broker.url, INSTALLER_USER, INSTALLER_PASSWORD)
    spare = {d.identity: d for d in world.visits.home("r1")}[SPARE_ID]
    assert sensor_for(spare, tools.registry) == Sensor(SPARE_ID, SPARE_ID, "kitchen", "", ("motion", "illuminance",
                                                                                           "battery"))
    seen = []
    live = start_visit_walk(tools, settings, [spare], seen.append)
    try:
        bridge.state(bridge.devices[1], contact=False, battery=80)  # another sensor: not under test
        bridge.state(SPARE, occupancy=True, battery=95, linkquality=88)
        wait_until(lambda: live.snapshot()[0].confirmed, timeout=10)
    finally:
        live.stop()
    (check,) = live.snapshot()
    assert (check.battery, check.signal, check.last_event, check.problems) == (95.0, 88, "motion 1", ())
    assert seen and all(c.sensor.id == SPARE_ID for c in seen)

    saved = record_walk_test(world.installer, "r1", [check])
    assert saved.version == 2 and saved.household == record().household and saved.privacy == record().privacy
    devices = {d.id: d for d in saved.devices}
    assert set(devices) == {DOOR, SPARE_ID}  # the broken sensor left the home; its test stays in version 1
    new = devices[SPARE_ID]
    assert (new.result, new.tested_at, new.battery, new.signal, new.room) == (
        "passed", format_timestamp(NOW), 95.0, 88, "kitchen")
    assert devices[DOOR].result == "passed"  # still where it was tested: its earlier result stands
    assert world.installer.open_record(saved.record_id).devices == saved.devices
    first = world.installer.open_record(world.installer.records("r1")[0][0])
    assert {d.id for d in first.devices} >= {PIR} and first.version == 1  # earlier versions stay as they were


def test_a_silent_replacement_is_recorded_as_failed_with_the_reason(world: World, secured_home: SecuredHome,
                                                                    tools, memory_keyring) -> None:
    paired(world, secured_home.broker.url)
    world.visits.replace(PIR, SPARE_ID)
    spare = {d.identity: d for d in world.visits.home("r1")}[SPARE_ID]
    store_broker_password("home-r1", secured_home.broker.url, INSTALLER_USER, INSTALLER_PASSWORD)
    live = start_visit_walk(tools, home_broker(world.installer, "r1"), [spare])
    live.stop()
    saved = record_walk_test(world.installer, "r1", live.snapshot())
    new = {d.id: d for d in saved.devices}[SPARE_ID]
    assert (new.result, new.problems, new.tested_at) == ("failed", ("no_messages",), format_timestamp(NOW))


def test_without_a_record_or_with_a_sensor_gone_nothing_is_recorded(world: World) -> None:
    assert home_broker(world.installer, "r1") is None
    check = start_check(PIR)
    with pytest.raises(NoRecord, match="no commissioning record"):
        record_walk_test(world.installer, "r1", [check])
    paired(world, "mqtt://192.168.1.20:1883")
    world.visits.move(PIR, "living", "chair")
    assert record_walk_test(world.installer, "r1", [start_check(PIR)]).version == 2
    world.visits.end_care("r1")
    with pytest.raises(InputError, match="no longer in this home"):
        record_walk_test(world.installer, "r1", [start_check(PIR)])
    assert len(world.installer.records("r1")) == 2


def start_check(identity: str) -> SensorCheck:
    """A walk test of ``identity`` in which nothing happened (yet)."""
    return WalkTest([Sensor(identity, identity, "kitchen", "", ("motion",))]).ordered()[0]


def test_a_wrong_or_missing_password_is_refused_by_the_broker(secured_home: SecuredHome, tools,
                                                               memory_keyring) -> None:
    url = recorded_url(secured_home.broker.url, INSTALLER_USER)
    assert settings_for(url, "home-r1").password == ""  # nothing in the keyring for this home yet
    with pytest.raises(ConnectFailed) as refused:
        tools.capture(settings_for(url, "home-r1"), "zigbee2mqtt/bridge/state", 0.2)
    assert refused.value.key == "invalid_auth"
    store_broker_password("home-r1", split_user(url)[0], INSTALLER_USER, "fout")
    with pytest.raises(ConnectFailed) as refused:
        tools.capture(settings_for(url, "home-r1"), "zigbee2mqtt/bridge/state", 0.2)
    assert refused.value.key == "invalid_auth"
    store_broker_password("home-r1", split_user(url)[0], INSTALLER_USER, INSTALLER_PASSWORD)
    found = tools.capture(settings_for(url, "home-r1"), "zigbee2mqtt/bridge/state", 0.5)
    assert found == [("zigbee2mqtt/bridge/state", '{"state": "online"}')]


def test_an_mqtts_home_broker_uses_the_configured_ca(secured_home: SecuredHome, tools, memory_keyring,
                                                     tmp_path: Path) -> None:
    url = recorded_url(secured_home.tls_url, INSTALLER_USER)
    store_broker_password("home-r1", split_user(url)[0], INSTALLER_USER, INSTALLER_PASSWORD)
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    assert tls_files(data_dir) == ("", "", "")  # no settings file yet
    with pytest.raises(ConnectFailed) as untrusted:  # the throwaway CA is not one the system trusts
        MqttTools(tools.registry, tools.clock, connect_timeout_s=1.5).capture(settings_for(url, "home-r1", data_dir), "zigbee2mqtt/bridge/state", 0.2)
    assert untrusted.value.key == "cannot_connect" and "CERTIFICATE" in untrusted.value.detail.upper()
    (data_dir / "config.json").write_text(json.dumps({"brokers": [], "broker": {"ca_file": str(secured_home.ca_file)}}))
    settings = settings_for(url, "home-r1", data_dir)
    assert (settings.url, settings.ca_file, settings.password) == (secured_home.tls_url, str(secured_home.ca_file),
                                                                   INSTALLER_PASSWORD)
    assert tools.capture(settings, "zigbee2mqtt/bridge/state", 0.5) == [("zigbee2mqtt/bridge/state",
                                                                          '{"state": "online"}')]
    plain = settings_for(recorded_url(secured_home.broker.url, INSTALLER_USER), "home-r1", data_dir)
    assert plain.ca_file == ""  # TLS files only for an mqtts:// broker
    (data_dir / "config.json").write_text(json.dumps({"broker": {"ca_file": str(tmp_path / "missing.pem")}}))
    with pytest.raises(ConnectFailed) as missing:
        tools.capture(settings_for(url, "home-r1", data_dir), "#", 0.1)
    assert missing.value.key == "cannot_connect" and "TLS" in missing.value.detail


def test_the_flow_records_the_user_and_keeps_the_password_where_a_visit_finds_it(
        world: World, secured_home: SecuredHome, tools, memory_keyring) -> None:
    broker = secured_home.broker
    flow = PairingFlow(world.installer, world.installer.registry, tools, world.clock)
    form(to_broker(flow, broker.url, username=INSTALLER_USER, password=INSTALLER_PASSWORD), "discover")
    assert memory_keyring.secrets == {(SERVICE, f"mqtt/home-r9/{INSTALLER_USER}@{broker.url}"): INSTALLER_PASSWORD}
    url = flow.build_record().broker_url
    assert url == f"mqtt://{INSTALLER_USER}@{broker.host}:{broker.port}" and INSTALLER_PASSWORD not in url
    assert settings_for(url, "home-r9").password == INSTALLER_PASSWORD
    assert recorded_url("mqtt://ine:geheim@10.0.0.2:1883", "") == "mqtt://ine@10.0.0.2:1883"
    flow.cancel()
