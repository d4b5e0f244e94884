"""The headless service against a mosquitto with TLS, a password file and an ACL, its password taken from a
systemd credentials directory ($CREDENTIALS_DIRECTORY/broker-password), as the packaged unit runs it.

The throwaway CA and server certificate are made with the ``cryptography`` package; the password file with
``mosquitto_passwd``. The broker accepts no anonymous clients, the engine's user may only read and the
gateway's user may only write below zigbee2mqtt/.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.ingest.mqtt_helpers import Publisher
from tests.ingest.tls_helpers import make_ca_and_server_cert
from tests.support.servers import free_port, run_mosquitto, unavailable, wait_for_port

ENGINE_PASSWORD = "correct horse battery staple"
GATEWAY_PASSWORD = "gateway-secret"
WRONG_PASSWORD = "Tr0ub4dor&3"
BRIDGE = [
    {"ieee_address": "0x00124b0000000001", "friendly_name": "Coordinator", "type": "Coordinator"},
    {"ieee_address": "0x00158d0001a2b3c4", "friendly_name": "keuken/beweging", "type": "EndDevice",
     "definition": {"model": "RTCGQ11LM", "vendor": "Aqara", "description": "motion"}},
]


@pytest.fixture
def secured_broker(tmp_path: Path):  # type: ignore[no-untyped-def]
    """(broker, TLS port, CA file): TLS listener, password file, ACL, no anonymous access."""
    passwd = shutil.which("mosquitto_passwd") or "/usr/bin/mosquitto_passwd"
    if not Path(passwd).exists():
        unavailable("mosquitto_passwd is not installed (it comes with mosquitto)")
    auth = tmp_path / "auth"
    ca_file, cert_file, key_file = make_ca_and_server_cert(auth / "tls")
    password_file, acl_file = auth / "passwords", auth / "acl"
    subprocess.run([passwd, "-b", "-c", str(password_file), "engine", ENGINE_PASSWORD], check=True,
                   capture_output=True)
    subprocess.run([passwd, "-b", str(password_file), "gateway", GATEWAY_PASSWORD], check=True, capture_output=True)
    acl_file.write_text("user engine\ntopic read #\n\nuser gateway\ntopic write zigbee2mqtt/#\n")
    tls_port = free_port()
    extra = "\n".join([
        "allow_anonymous false",
        f"password_file {password_file}",
        f"acl_file {acl_file}",
        f"listener {tls_port} 127.0.0.1",
        f"cafile {ca_file}",
        f"certfile {cert_file}",
        f"keyfile {key_file}",
        "require_certificate false",
    ])
    with run_mosquitto(tmp_path / "mosquitto", extra) as broker:
        wait_for_port(tls_port)
        yield broker, tls_port, ca_file


def _ingest(data_dir: Path, tls_port: int, ca_file: Path, credentials: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "slimmaatwerk", "ingest", "--data-dir", str(data_dir),
         "--broker", f"mqtts://engine@127.0.0.1:{tls_port}", "--ca", str(ca_file)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "CREDENTIALS_DIRECTORY": str(credentials)},
    )


def _credentials(folder: Path, password: str) -> Path:
    """What systemd's LoadCredential= provides: the broker password and the service's own secrets."""
    folder.mkdir(mode=0o700)
    (folder / "broker-password").write_text(password + "\n", encoding="utf-8")
    for name in ("slimmaatwerk-db-key", "slimmaatwerk-audit-key"):  # 32 random bytes, hex (keystore.py)
        (folder / name).write_text(secrets.token_hex(32) + "\n", encoding="ascii")
    for path in folder.iterdir():
        path.chmod(0o400)
    return folder


def _status(data_dir: Path, credentials: Path) -> dict:
    """`status --json` as an operator runs it beside the service (same credentials: the database is encrypted)."""
    result = subprocess.run([sys.executable, "-m", "slimmaatwerk", "status", "--data-dir", str(data_dir), "--json"],
                            capture_output=True, text=True, timeout=60, check=False,
                            env={**os.environ, "CREDENTIALS_DIRECTORY": str(credentials)})
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


def test_service_connects_with_tls_and_a_credentials_directory_password(secured_broker, tmp_path: Path) -> None:
    _broker, tls_port, ca_file = secured_broker
    data_dir = tmp_path / "data"
    credentials = _credentials(tmp_path / "credentials", ENGINE_PASSWORD)
    engine = _ingest(data_dir, tls_port, ca_file, credentials)
    gateway = Publisher("127.0.0.1", tls_port, client_id="gateway", username="gateway", password=GATEWAY_PASSWORD,
                        ca_file=str(ca_file))
    try:
        gateway.publish("zigbee2mqtt/bridge/devices", BRIDGE, retain=True)
        status: dict = {}
        deadline = time.monotonic() + 45
        while time.monotonic() < deadline:
            # published until the engine has it: the engine subscribes a moment after it starts
            gateway.publish("zigbee2mqtt/keuken/beweging", {"occupancy": True, "battery": 87, "linkquality": 90})
            time.sleep(1.0)
            if engine.poll() is not None:
                break
            try:
                status = _status(data_dir, credentials)
            except AssertionError:  # the engine has not created its database yet
                continue
            if status.get("events_stored", 0) >= 2:
                break
        assert engine.poll() is None, engine.communicate(timeout=5)[1][-2000:]
        assert status.get("events_stored", 0) >= 2, status  # motion and battery of the Aqara sensor
        assert any(d.get("device") == "keuken/beweging" and d.get("battery") == 87 for d in status["devices"]), status
        assert status["protected"] is True  # keyed from the credentials directory
    finally:
        gateway.close()
        if engine.poll() is None:
            engine.send_signal(signal.SIGTERM)
        _out, err = engine.communicate(timeout=30)
    assert engine.returncode == 0, err[-2000:]
    assert "Traceback" not in err
    assert ENGINE_PASSWORD not in err  # the secret never reaches the log


def test_service_with_a_wrong_password_stops_and_says_so(secured_broker, tmp_path: Path) -> None:
    _broker, tls_port, ca_file = secured_broker
    engine = _ingest(tmp_path / "data", tls_port, ca_file, _credentials(tmp_path / "credentials", WRONG_PASSWORD))
    try:
        _out, err = engine.communicate(timeout=60)
    finally:
        if engine.poll() is None:
            engine.kill()
            engine.communicate(timeout=10)
    assert engine.returncode == 3, err[-2000:]  # run_until_signalled: login refused, not retried
    assert "refused the login" in err and "not retrying" in err, err[-2000:]
    assert WRONG_PASSWORD not in err  # the secret never reaches the log


def test_untrusted_server_certificate_is_not_accepted(secured_broker, tmp_path: Path) -> None:
    """With another CA the TLS handshake fails: the engine keeps retrying and never ingests."""
    _broker, tls_port, _ca_file = secured_broker
    other_ca, _cert, _key = make_ca_and_server_cert(tmp_path / "other")
    data_dir = tmp_path / "data"
    credentials = _credentials(tmp_path / "credentials", ENGINE_PASSWORD)
    engine = _ingest(data_dir, tls_port, other_ca, credentials)
    try:
        time.sleep(4)
        assert engine.poll() is None  # a TLS failure may be temporary (clock, renewal): it retries
    finally:
        engine.send_signal(signal.SIGTERM)
        _out, err = engine.communicate(timeout=30)
    assert "certificate verify failed" in err.lower() or "ssl" in err.lower(), err[-2000:]
    assert _status(data_dir, credentials)["events_stored"] == 0
