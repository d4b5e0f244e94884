"""`slimmaatwerk ingest` as a service runs it: real mosquitto, a separate process, `status --json`, SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import paho.mqtt.client as mqtt

from tests.support.servers import Broker

BRIDGE = json.dumps([
    {"ieee_address": "0x00124b0000000001", "friendly_name": "Coordinator", "type": "Coordinator"},
    {"ieee_address": "0x00158d0001a2b3c4", "friendly_name": "keuken/beweging", "type": "EndDevice",
     "definition": {"model": "RTCGQ11LM", "vendor": "Aqara", "description": "motion"}},
])


def _status(data_dir: Path) -> dict:
    result = subprocess.run([sys.executable, "-m", "slimmaatwerk", "status", "--data-dir", str(data_dir), "--json"],
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def test_headless_engine_ingests_reports_status_and_stops_cleanly(broker: Broker, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    engine = subprocess.Popen(
        [sys.executable, "-m", "slimmaatwerk", "ingest", "--data-dir", str(data_dir), "--broker", broker.url],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ),
    )
    try:
        # Publish only once the engine is up and subscribed (its status record says so); messages sent
        # before its first connection are not queued for it by the broker.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not any(
                b["state"] == "connected" for b in _status(data_dir)["brokers"]):
            time.sleep(0.5)
        time.sleep(0.5)  # connected, and the subscription acknowledged just after
        publisher = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
        publisher.connect(broker.host, broker.port)
        publisher.loop_start()
        publisher.publish("zigbee2mqtt/bridge/devices", BRIDGE, qos=1, retain=True).wait_for_publish(5)
        time.sleep(1.5)  # the engine subscribes and reads the retained device list
        for occupancy in (True, False, True):
            payload = json.dumps({"occupancy": occupancy, "battery": 90, "linkquality": 80})
            publisher.publish("zigbee2mqtt/keuken/beweging", payload, qos=1).wait_for_publish(5)
            time.sleep(0.3)
        publisher.publish("zigbee2mqtt/keuken/beweging", b"{not json", qos=1).wait_for_publish(5)
        deadline = time.monotonic() + 30
        status = _status(data_dir)
        while time.monotonic() < deadline and not (status["events_stored"] >= 3 and status["writer"]["alive"]
                                                  and status["quarantined"]):
            time.sleep(1)
            status = _status(data_dir)
        publisher.loop_stop()
        assert status["events_stored"] >= 3, status
        assert status["writer"]["alive"] is True
        assert sum(status["quarantined"].values()) == 1
        assert status["protected"] is False
        assert any(d["device"] == "keuken/beweging" and d["battery"] == 90 for d in status["devices"])
    finally:
        engine.send_signal(signal.SIGTERM)
        _out, err = engine.communicate(timeout=30)
    assert engine.returncode == 0, err[-2000:]
    later = _status(data_dir)
    assert later["writer"]["alive"] is False  # the stopped engine says so itself
    assert later["events_stored"] == status["events_stored"]


def test_ingest_refuses_a_broker_user_without_a_password(broker: Broker, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "slimmaatwerk", "ingest", "--data-dir", str(tmp_path / "d"),
         "--broker", f"mqtt://engine@127.0.0.1:{broker.port}"],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 2
    assert "no password for broker user 'engine'" in result.stderr


def test_a_stop_file_stops_the_engine_cleanly_without_signals(broker: Broker, tmp_path: Path) -> None:
    """How a Windows service (no SIGTERM there) stops the engine: create <data-dir>/ingest.stop."""
    data_dir = tmp_path / "data"
    engine = subprocess.Popen(
        [sys.executable, "-m", "slimmaatwerk", "ingest", "--data-dir", str(data_dir), "--broker", broker.url],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(b["state"] == "connected" for b in _status(data_dir)["brokers"]):
        time.sleep(0.5)
    (data_dir / "ingest.stop").write_text("")
    _out, err = engine.communicate(timeout=60)
    assert engine.returncode == 0, err[-2000:]
    assert _status(data_dir)["writer"]["alive"] is False
