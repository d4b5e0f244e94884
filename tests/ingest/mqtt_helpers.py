"""Test-side MQTT publishing and waiting helpers (tests may use paho; the product uses mqtt_client only)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from typing import Any

import paho.mqtt.client as paho
from paho.mqtt.enums import CallbackAPIVersion


class Publisher:
    """A QoS 1 publisher that waits until the broker has acknowledged every message."""

    def __init__(self, host: str, port: int, client_id: str = "test-publisher", **tls: Any) -> None:
        self.client = paho.Client(callback_api_version=CallbackAPIVersion.VERSION2, client_id=client_id,
                                  protocol=paho.MQTTv311)
        if tls.get("username"):
            self.client.username_pw_set(tls["username"], tls.get("password"))
        if tls.get("ca_file"):
            self.client.tls_set(ca_certs=tls["ca_file"])
        self.client.connect(host, port)
        self.client.loop_start()

    def publish(self, topic: str, payload: Any, retain: bool = False, qos: int = 1) -> None:
        data = payload if isinstance(payload, bytes) else (
            payload.encode() if isinstance(payload, str) else json.dumps(payload).encode())
        info = self.client.publish(topic, data, qos=qos, retain=retain)
        info.wait_for_publish(10)

    def publish_many(self, messages: Iterable[tuple[str, Any]], qos: int = 1) -> None:
        infos = []
        for topic, payload in messages:
            data = payload if isinstance(payload, bytes) else (
                payload.encode() if isinstance(payload, str) else json.dumps(payload).encode())
            infos.append(self.client.publish(topic, data, qos=qos))
        for info in infos:
            info.wait_for_publish(30)

    def close(self) -> None:
        self.client.loop_stop()
        self.client.disconnect()


def bridge_devices(*devices: tuple[str, str, str, str]) -> list[dict[str, Any]]:
    """A Zigbee2MQTT bridge/devices payload from (friendly_name, ieee, model, vendor), with a coordinator."""
    entries: list[dict[str, Any]] = [{"ieee_address": "0x00124b0000000001", "type": "Coordinator",
                                      "friendly_name": "Coordinator", "definition": None}]
    for name, ieee, model, vendor in devices:
        entries.append({"ieee_address": ieee, "type": "EndDevice", "friendly_name": name,
                        "power_source": "Battery", "interview_completed": True, "supported": True,
                        "definition": {"model": model, "vendor": vendor, "description": "", "exposes": []}})
    return entries


def wait_until(predicate: Callable[[], Any], timeout: float = 15.0, interval: float = 0.05) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = predicate()
        except Exception:  # noqa: BLE001 -- e.g. the engine has not created its tables yet
            value = None
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")
