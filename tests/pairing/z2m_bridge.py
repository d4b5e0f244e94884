"""A Zigbee2MQTT bridge stand-in for tests: real MQTT traffic on a real mosquitto, shaped like Z2M's.

It publishes the retained ``bridge/state``, ``bridge/info`` and ``bridge/devices`` (coordinator
included), Home Assistant discovery configs, and answers ``bridge/request/permit_join`` the way
Zigbee2MQTT does (``bridge/response/permit_join`` with status ok/error). While joining is permitted,
devices waiting in ``pending`` join: ``device_joined``, then ``device_interview`` (successful, with the
definition), then a new retained ``bridge/devices``. Tests may use paho directly; the product may not.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from typing import Any

import paho.mqtt.client as paho
from paho.mqtt.enums import CallbackAPIVersion

COORDINATOR = {"ieee_address": "0x00124b0024c1d2e3", "friendly_name": "Coordinator", "type": "Coordinator",
               "network_address": 0, "supported": True, "interview_completed": True, "definition": None}


@dataclass
class ZDevice:
    name: str
    ieee: str
    model: str
    vendor: str
    power: str = "Battery"

    def entry(self) -> dict[str, Any]:
        return {"ieee_address": self.ieee, "friendly_name": self.name, "type": "EndDevice",
                "network_address": int(self.ieee[-4:], 16), "supported": True, "interview_completed": True,
                "power_source": self.power, "model_id": "",
                "definition": {"model": self.model, "vendor": self.vendor, "description": "", "exposes": []}}


@dataclass
class Z2MBridge:
    host: str
    port: int
    devices: list[ZDevice]
    pending: list[ZDevice] = field(default_factory=list)
    allow_join: bool = True
    answer: bool = True
    requests: list[dict[str, Any]] = field(default_factory=list)
    username: str = ""  # a broker that takes no anonymous clients
    password: str = ""

    def __post_init__(self) -> None:
        self.client = paho.Client(callback_api_version=CallbackAPIVersion.VERSION2, client_id="z2m-bridge",
                                  protocol=paho.MQTTv311)
        if self.username:
            self.client.username_pw_set(self.username, self.password)
        self._subscribed = threading.Event()
        self.client.on_message = self._on_message
        self.client.on_subscribe = lambda *a: self._subscribed.set()
        self.client.connect(self.host, self.port)
        self.client.loop_start()
        self.client.subscribe("zigbee2mqtt/bridge/request/#", qos=1)
        self._subscribed.wait(5)
        self.send("zigbee2mqtt/bridge/state", {"state": "online"}, retain=True)
        self.send("zigbee2mqtt/bridge/info", {"version": "2.1.1", "permit_join": False,
                                              "config": {"advanced": {}}}, retain=True)
        self.publish_devices()

    def send(self, topic: str, payload: Any, retain: bool = False) -> None:
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        self.client.publish(topic, data, qos=1, retain=retain).wait_for_publish(5)

    def publish_devices(self) -> None:
        self.send("zigbee2mqtt/bridge/devices", [COORDINATOR] + [d.entry() for d in self.devices], retain=True)

    def state(self, device: ZDevice, **payload: Any) -> None:
        self.send(f"zigbee2mqtt/{device.name}", payload)

    def _on_message(self, _client: Any, _userdata: Any, message: paho.MQTTMessage) -> None:
        if message.topic != "zigbee2mqtt/bridge/request/permit_join":
            return
        request = json.loads(message.payload)
        self.requests.append(request)
        if not self.answer:
            return
        threading.Thread(target=self._answer, args=(request,), daemon=True).start()

    def _answer(self, request: dict[str, Any]) -> None:
        topic = "zigbee2mqtt/bridge/response/permit_join"
        if not self.allow_join:
            self.send(topic, {"data": {}, "status": "error", "error": "permit_join is disabled in the configuration"})
            return
        self.send(topic, {"data": {"time": request.get("time")}, "status": "ok"})
        while self.pending:
            device = self.pending.pop(0)
            self.send("zigbee2mqtt/bridge/event", {"type": "device_joined",
                                                   "data": {"friendly_name": device.ieee, "ieee_address": device.ieee}})
            self.send("zigbee2mqtt/bridge/event", {"type": "device_interview", "data": {
                "friendly_name": device.ieee, "ieee_address": device.ieee, "status": "successful", "supported": True,
                "definition": {"model": device.model, "vendor": device.vendor, "description": "", "exposes": []}}})
            device.name = device.ieee  # a freshly joined device is named after its address until renamed
            self.devices.append(device)
            self.publish_devices()

    def close(self) -> None:
        self.client.loop_stop()
        self.client.disconnect()


def ha_config(unique: str, name: str, device_class: str, state_topic: str, model: str, vendor: str,
              component: str = "binary_sensor", **extra: Any) -> tuple[str, dict[str, Any]]:
    """A Home Assistant discovery config (full key names) and its topic."""
    return f"homeassistant/{component}/{unique}/{device_class}/config", {
        "name": name, "device_class": device_class, "state_topic": state_topic, "unique_id": f"{unique}_{device_class}",
        "device": {"identifiers": [unique], "name": name, "model": model, "manufacturer": vendor}, **extra}
