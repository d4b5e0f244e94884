"""The sample mosquitto configurations start a real mosquitto and do what their comments promise.

Each test runs a temporary copy of a sample with its paths and ports rewritten (and `user root` when the
tests run as root: mosquitto would otherwise drop to the user mosquitto and fail to read the password
file in pytest's 0700 folders). Certificates are throwaway, made here.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import queue
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from tests.packaging.tools import PACKAGING, require_tool
from tests.support.servers import free_port, mosquitto_binary, unavailable, wait_for_port

pytestmark = pytest.mark.broker

SAMPLES = PACKAGING / "mosquitto"
INGEST_USER, INGEST_PASSWORD = "slimmaatwerk-ingest", "ingest-secret"
HOME, HOME_PASSWORD = "h0042", "home-secret"
NOT_AUTHORIZED = 135  # MQTT v5 reason code


@dataclass
class Pki:
    ca: Path
    cert: Path
    key: Path


def make_pki(folder: Path) -> Pki:
    """A throwaway CA and a server certificate for 127.0.0.1 / localhost."""
    x509 = pytest.importorskip("cryptography.x509")
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.UTC)

    def name(text: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])

    def pem_key(key: ec.EllipticCurvePrivateKey) -> bytes:
        return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                 serialization.NoEncryption())

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(name("test CA")).issuer_name(name("test CA"))
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(name("localhost")).issuer_name(ca.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))
    folder.mkdir(parents=True, exist_ok=True)
    pki = Pki(folder / "ca.pem", folder / "server.crt", folder / "server.key")
    pki.ca.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    pki.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    pki.key.write_bytes(pem_key(key))
    return pki


def rewrite(text: str, replacements: dict[str, str]) -> str:
    """Replace each sample value; a value that is no longer in the sample fails the test (config drift)."""
    for old, new in replacements.items():
        assert old in text, f"the sample no longer contains {old!r}"
        text = text.replace(old, new)
    return text


@dataclass
class Running:
    port: int
    config: Path
    log: Path
    process: subprocess.Popen | None = None

    def start(self) -> None:
        binary = mosquitto_binary()
        assert binary is not None
        self.process = subprocess.Popen([binary, "-c", str(self.config)], stdout=subprocess.DEVNULL,
                                        stderr=open(self.log, "ab"))  # noqa: SIM115
        try:
            wait_for_port(self.port)
        except RuntimeError:
            raise AssertionError(f"mosquitto did not start:\n{self.log.read_text()}") from None
        assert self.process.poll() is None, self.log.read_text()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # mosquitto writes its persistence file on SIGTERM
            self.process.wait(10)


@contextmanager
def running(broker: Running) -> Iterator[Running]:
    broker.start()
    try:
        yield broker
    finally:
        broker.stop()


def as_root_if_needed(text: str) -> str:
    return ("user root\n" + text) if os.geteuid() == 0 else text


def central_broker(tmp_path: Path, pki: Pki) -> Running:
    passwd_tool = require_tool("mosquitto_passwd", "mosquitto")
    if mosquitto_binary() is None:
        unavailable("mosquitto is not installed (apt-get install mosquitto)")
    etc, data = tmp_path / "central-etc", tmp_path / "central-data"
    etc.mkdir()
    data.mkdir()
    passwd = etc / "passwd"
    subprocess.run([passwd_tool, "-c", "-b", str(passwd), INGEST_USER, INGEST_PASSWORD], check=True,
                   capture_output=True)
    subprocess.run([passwd_tool, "-b", str(passwd), HOME, HOME_PASSWORD], check=True, capture_output=True)
    (etc / "acl").write_text((SAMPLES / "central.acl").read_text())
    (etc / "server.crt").write_bytes(pki.cert.read_bytes())
    (etc / "server.key").write_bytes(pki.key.read_bytes())
    port = free_port()
    text = rewrite((SAMPLES / "central.conf").read_text(), {
        "/etc/mosquitto/slimmaatwerk/": f"{etc}/",
        "/var/lib/mosquitto/": f"{data}/",
        "listener 8883\n": f"listener {port} 127.0.0.1\n",
    })
    config = tmp_path / "central.conf"
    config.write_text(as_root_if_needed(text))
    return Running(port, config, tmp_path / "central.log")


def gateway_broker(tmp_path: Path, pki: Pki, central_port: int) -> Running:
    etc, data = tmp_path / "gateway-etc", tmp_path / "gateway-data"
    etc.mkdir()
    data.mkdir()
    (etc / "central-ca.pem").write_bytes(pki.ca.read_bytes())
    port = free_port()
    text = rewrite((SAMPLES / "home-gateway.conf").read_text(), {
        "/etc/mosquitto/slimmaatwerk/": f"{etc}/",
        "/var/lib/mosquitto/": f"{data}/",
        "listener 1883 127.0.0.1\n": f"listener {port} 127.0.0.1\n",
        "address mqtt.zorg.example:8883\n": f"address 127.0.0.1:{central_port}\n",
        "remote_password change-me\n": f"remote_password {HOME_PASSWORD}\n",
        "restart_timeout 10 300\n": "restart_timeout 1 2\n",  # the test need not wait 10 s to reconnect
    })
    config = tmp_path / "gateway.conf"
    config.write_text(as_root_if_needed(text))
    return Running(port, config, tmp_path / "gateway.log")


class Client:
    """A paho v5 client that records what happens, for assertions."""

    def __init__(self, port: int, *, client_id: str = "", user: str | None = None, password: str | None = None,
                 ca: Path | None = None, persistent: bool = False) -> None:
        self.connected: queue.Queue = queue.Queue()
        self.messages: queue.Queue = queue.Queue()
        self.published: queue.Queue = queue.Queue()
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5)
        if user is not None:
            self.client.username_pw_set(user, password)
        if ca is not None:
            self.client.tls_set(ca_certs=str(ca))
        self.client.on_connect = lambda _c, _u, _f, reason, _p: self.connected.put(reason)
        self.client.on_message = lambda _c, _u, msg: self.messages.put((msg.topic, msg.payload, msg.qos))
        self.client.on_publish = lambda _c, _u, mid, reason, _p: self.published.put((mid, reason))
        properties = None
        if persistent:  # what the engine does: a session the broker keeps (and queues for) for a day
            properties = Properties(PacketTypes.CONNECT)
            properties.SessionExpiryInterval = 86400
        self.client.connect_async("127.0.0.1", port, clean_start=not persistent, properties=properties)
        self.client.loop_start()

    def reason(self, timeout: float = 10.0) -> mqtt.ReasonCode:
        return self.connected.get(timeout=timeout)

    def publish(self, topic: str, payload: bytes, qos: int = 1) -> int:
        info = self.client.publish(topic, payload, qos=qos)
        if qos == 0:
            return 0
        mid, reason = self.published.get(timeout=10)
        assert mid == info.mid
        return int(reason.value)

    def receive(self, count: int, timeout: float = 15.0) -> list[tuple[str, bytes, int]]:
        deadline = time.monotonic() + timeout
        got = []
        while len(got) < count and time.monotonic() < deadline:
            try:
                got.append(self.messages.get(timeout=max(0.01, deadline - time.monotonic())))
            except queue.Empty:
                break
        return got

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def test_central_broker_needs_tls_and_a_password(tmp_path: Path) -> None:
    pki = make_pki(tmp_path / "pki")
    with running(central_broker(tmp_path, pki)) as central:
        good = Client(central.port, user=INGEST_USER, password=INGEST_PASSWORD, ca=pki.ca)
        bad = Client(central.port, user=INGEST_USER, password="wrong", ca=pki.ca)
        anonymous = Client(central.port, ca=pki.ca)
        try:
            assert good.reason().value == 0
            assert bad.reason().is_failure
            assert anonymous.reason().is_failure
        finally:
            for client in (good, bad, anonymous):
                client.close()
        plain = Client(central.port, user=INGEST_USER, password=INGEST_PASSWORD)
        try:  # no clear-text listener: the TLS port never answers a plain CONNECT
            with pytest.raises(queue.Empty):
                plain.reason(timeout=3)
        finally:
            plain.close()


def test_a_home_may_only_publish_under_its_own_prefix(tmp_path: Path) -> None:
    pki = make_pki(tmp_path / "pki")
    with running(central_broker(tmp_path, pki)) as central:
        home = Client(central.port, user=HOME, password=HOME_PASSWORD, ca=pki.ca)
        try:
            assert home.reason().value == 0
            assert home.publish(f"homes/{HOME}/zigbee2mqtt/hall", b"{}") < 128  # 16: accepted, no subscriber
            assert home.publish("homes/h0099/zigbee2mqtt/hall", b"{}") == NOT_AUTHORIZED
        finally:
            home.close()


@pytest.mark.slow
def test_a_weekend_without_engine_and_a_broker_restart_lose_nothing(tmp_path: Path) -> None:
    """Zigbee2MQTT (QoS 0) -> home gateway -> TLS bridge -> central broker -> engine that was away."""
    pki = make_pki(tmp_path / "pki")
    central = central_broker(tmp_path, pki)
    gateway = gateway_broker(tmp_path, pki, central.port)
    topic_filter = "homes/+/zigbee2mqtt/#"
    with running(central), running(gateway):
        engine = Client(central.port, client_id="slimmaatwerk-engine", user=INGEST_USER,
                        password=INGEST_PASSWORD, ca=pki.ca, persistent=True)
        assert engine.reason().value == 0
        engine.client.subscribe(topic_filter, qos=1)
        time.sleep(0.5)
        engine.close()  # the engine goes away for the weekend; its session stays

        # The bridge is up once its own state notification reaches the central broker.
        watcher = Client(central.port, user=INGEST_USER, password=INGEST_PASSWORD, ca=pki.ca)
        assert watcher.reason().value == 0
        watcher.client.subscribe(f"homes/{HOME}/gateway/state", qos=1)
        assert any(payload == b"1" for _t, payload, _q in watcher.receive(1, timeout=20)), gateway.log.read_text()
        watcher.close()

        sensors = Client(gateway.port)
        assert sensors.reason().value == 0
        for i in range(30):  # Zigbee2MQTT publishes at QoS 0 by default
            sensors.publish("zigbee2mqtt/r01/kitchen_motion", b'{"occupancy":true,"n":%d}' % i, qos=0)
        time.sleep(1.0)

        # The central broker restarts (an update): the queue must come back from its persistence file.
        central.stop()
        for i in range(30, 50):  # meanwhile the gateway queues for the bridge
            sensors.publish("zigbee2mqtt/r01/kitchen_motion", b'{"occupancy":true,"n":%d}' % i, qos=0)
        central.start()

        engine = Client(central.port, client_id="slimmaatwerk-engine", user=INGEST_USER,
                        password=INGEST_PASSWORD, ca=pki.ca, persistent=True)
        try:
            assert engine.reason().value == 0
            got = engine.receive(50, timeout=30)
        finally:
            engine.close()
            sensors.close()
    numbers = sorted(int(payload.split(b'"n":')[1].rstrip(b"}")) for _t, payload, _q in got)
    assert numbers == list(range(50)), central.log.read_text()
    assert {topic for topic, _p, _q in got} == {f"homes/{HOME}/zigbee2mqtt/r01/kitchen_motion"}
    assert {qos for _t, _p, qos in got} == {1}  # upgraded: the engine acknowledges after its commit
