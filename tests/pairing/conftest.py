"""Pairing test set-up: a real mosquitto holding Zigbee2MQTT-style retained bridge messages and Home
Assistant discovery configs, real databases (SQLite file and PostgreSQL), an in-memory keyring, and an
installer account."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from slimmaatwerk.clock import FixedClock
from slimmaatwerk.localtime import ms
from slimmaatwerk.pairing.installer import Installer
from slimmaatwerk.pairing.tools import MqttTools
from slimmaatwerk.pairing.visits import Visits
from slimmaatwerk.profiles import ProfileRegistry, load_profiles
from slimmaatwerk.service import Service
from slimmaatwerk.storage import accounts
from slimmaatwerk.storage import schema_commissioning as c
from slimmaatwerk.storage.database import Database
from tests.pairing.z2m_bridge import Z2MBridge, ZDevice, ha_config
from tests.support.memory_keyring import MemoryKeyring  # noqa: F401 - re-exported
from tests.support.servers import Broker

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # Monday 10:00 in Amsterdam

KIT = [
    ZDevice("keuken_pir", "0x00158d0001a2b301", "RTCGQ11LM", "Aqara"),
    ZDevice("voordeur", "0x00124b0022aa0002", "SNZB-04", "SONOFF"),
    ZDevice("badkamer_klimaat", "0x00158d0001a2b303", "WSDCGQ11LM", "Aqara"),
    ZDevice("slaapkamer_pir", "0x00124b0022aa0004", "SNZB-03", "SONOFF"),
]
TOILET_DOOR = ha_config("shelly_door_toilet", "Toiletdeur", "door", "home/toilet_door/state", "SNDW-0A1", "Shelly",
                        payload_on="open", payload_off="closed")
UNKNOWN_TOPIC = "acme/hal/sensor7"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture(scope="session")
def registry() -> ProfileRegistry:
    return load_profiles()


def open_db(url: str) -> Database:
    """A database at the current schema plus the commissioning tables (until 0004 is wired in)."""
    db = Database(url)
    c.metadata.create_all(db.engine, tables=[c.commissioning_records])
    return db


@dataclass
class World:
    db: Database
    clock: FixedClock
    installer: Installer  # role installer, all residents
    visits: Visits
    coordinator: Service  # may not pair
    scoped: Installer  # installer for r1 only


@pytest.fixture
def world(db_url: str, clock: FixedClock, registry: ProfileRegistry) -> Iterator[World]:
    db = open_db(db_url)
    now = ms(NOW)
    with db.begin() as conn:
        fitter = accounts.create_user(conn, "fitter", "Ine Installateur", "installer", now, all_residents=True)
        coord = accounts.create_user(conn, "coord", "Coördinator", "coordinator", now, all_residents=True)
        scoped = accounts.create_user(conn, "fitter2", "Jan Installateur", "installer", now)
    installer = Installer(Service(db, fitter, clock), registry)
    installer.service.add_resident("r1", "Mevr. Jansen")
    installer.service.add_resident("r2", "Dhr. Bakker")
    with db.begin() as conn:
        accounts.grant(conn, scoped.id, "r1")
    yield World(db, clock, installer, Visits(installer), Service(db, coord, clock),
                Installer(Service(db, scoped, clock), registry))
    db.dispose()


@pytest.fixture
def home_broker(broker: Broker) -> Iterator[tuple[Broker, Z2MBridge]]:
    """A home's broker: Zigbee2MQTT bridge with a kit of four, a Home Assistant door, an unknown topic."""
    bridge = Z2MBridge(broker.host, broker.port, [ZDevice(d.name, d.ieee, d.model, d.vendor) for d in KIT])
    bridge.send(TOILET_DOOR[0], TOILET_DOOR[1], retain=True)
    bridge.send("home/toilet_door/state", "closed", retain=True)
    bridge.send(UNKNOWN_TOPIC, {"pir": 0, "batt": 91}, retain=True)
    bridge.state(bridge.devices[0], occupancy=False, battery=100, linkquality=120)
    yield broker, bridge
    bridge.close()


@pytest.fixture
def tools(registry: ProfileRegistry, clock: FixedClock) -> MqttTools:
    return MqttTools(registry, clock, connect_timeout_s=5.0)


INSTALLER_USER, INSTALLER_PASSWORD = "ine", "juist"


@dataclass
class SecuredHome:
    """A home broker that takes no anonymous clients: plain and TLS listeners, a password for each user."""

    broker: Broker
    tls_url: str
    ca_file: Path
    bridge: Z2MBridge


@pytest.fixture
def secured_home(tmp_path: Path) -> Iterator[SecuredHome]:
    """mosquitto with a password file and a TLS listener (throwaway CA), and a Zigbee2MQTT bridge with the kit."""
    from tests.ingest.tls_helpers import make_ca_and_server_cert
    from tests.support.servers import free_port, run_mosquitto, unavailable, wait_for_port

    passwd = shutil.which("mosquitto_passwd") or "/usr/bin/mosquitto_passwd"
    if not Path(passwd).exists():
        unavailable("mosquitto_passwd is not installed (it comes with mosquitto)")
    auth = tmp_path / "auth"
    ca_file, cert_file, key_file = make_ca_and_server_cert(auth / "tls")
    passwords = auth / "passwords"
    subprocess.run([passwd, "-b", "-c", str(passwords), INSTALLER_USER, INSTALLER_PASSWORD], check=True,
                   capture_output=True)
    subprocess.run([passwd, "-b", str(passwords), "z2m", "bridge-secret"], check=True, capture_output=True)
    passwords.chmod(0o644)
    tls_port = free_port()
    extra = "\n".join(["allow_anonymous false", f"password_file {passwords}", f"listener {tls_port} 127.0.0.1",
                       f"cafile {ca_file}", f"certfile {cert_file}", f"keyfile {key_file}",
                       "require_certificate false"])
    with run_mosquitto(tmp_path / "secured", extra) as broker:
        wait_for_port(tls_port)
        bridge = Z2MBridge(broker.host, broker.port, [ZDevice(d.name, d.ieee, d.model, d.vendor) for d in KIT],
                           username="z2m", password="bridge-secret")
        try:
            yield SecuredHome(broker, f"mqtts://127.0.0.1:{tls_port}", ca_file, bridge)
        finally:
            bridge.close()
