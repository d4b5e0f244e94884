"""End to end against a real mosquitto (skipped when the binary is missing)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from datetime import date

import pytest

from slimmaatwerk.simulate import simulate_home
from slimmaatwerk.simulate.mqtt_publish import merged_messages, publish

pytestmark = pytest.mark.broker
MOSQUITTO = shutil.which("mosquitto") or ("/usr/sbin/mosquitto" if shutil.which("/usr/sbin/mosquitto") else None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(MOSQUITTO is None, reason="needs a mosquitto binary")
def test_publish_to_mosquitto_delivers_every_message(tmp_path) -> None:
    import paho.mqtt.client as mqtt

    port = _free_port()
    conf = tmp_path / "mosquitto.conf"
    conf.write_text(f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n")
    broker = subprocess.Popen([MOSQUITTO, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        received: list[tuple[str, bool]] = []
        sub = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="test-sub")
        sub.on_message = lambda _c, _u, msg: received.append((msg.topic, msg.retain))
        for _ in range(50):
            try:
                sub.connect("127.0.0.1", port)
                break
            except OSError:
                time.sleep(0.1)
        sub.subscribe("zigbee2mqtt/#", qos=1)
        sub.loop_start()
        time.sleep(0.3)
        home = simulate_home(0, 1, 3, date(2026, 1, 5))
        sent = publish([home], f"mqtt://127.0.0.1:{port}", 0)
        assert sent == len(list(merged_messages([home])))
        deadline = time.monotonic() + 10
        while len(received) < sent and time.monotonic() < deadline:
            time.sleep(0.05)
        sub.loop_stop()
        sub.disconnect()
        assert len(received) == sent
        assert received[0][0] == "zigbee2mqtt/bridge/devices"
        assert {t for t, _ in received[1:]} <= {f"zigbee2mqtt/r01/{d.device}" for d in home.devices}
    finally:
        broker.terminate()
        broker.wait(5)
