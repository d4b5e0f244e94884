"""What is on the home's broker: candidate devices from Zigbee2MQTT, Home Assistant discovery and topics.

Pure: messages in, candidates out. Zigbee2MQTT devices come from the retained ``bridge/devices`` list
and from ``bridge/event`` joins and interviews (the coordinator is the USB stick, not a device); Home
Assistant devices from retained discovery configs; Shelly, Tasmota, ESPHome and ventilation bridges from
the topics their profiles know; everything else is listed as an unknown topic with sample payloads for
the profile builder. A device is identified by its hardware identity, never its friendly name.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ..ingest.discovery import Directory, zigbee_identity
from ..ingest.inbound import Inbound
from ..ingest.pipeline import Outcome, Pipeline
from ..profiles import ProfileRegistry

BRIDGE = "zigbee2mqtt/bridge/"
MAX_UNKNOWN_TOPICS = 200
MAX_SAMPLES = 5


@dataclass(frozen=True)
class Candidate:
    """One device found on the broker (``id`` is its stable hardware identity)."""

    id: str
    topic: str
    model: str = ""
    vendor: str = ""
    suggested_profile: str = ""
    source: str = "zigbee2mqtt"  # zigbee2mqtt | homeassistant | topic | unknown
    name: str = ""
    power: str = ""
    joined: bool = False  # joined while we listened (permit-join)
    battery: float | None = None
    signal: int | None = None
    kinds: tuple[str, ...] = ()  # event kinds seen in its messages so far
    samples: tuple[str, ...] = field(default=(), compare=False)

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "topic": self.topic, "model": self.model, "vendor": self.vendor,
                "suggested_profile": self.suggested_profile or None}


class Discovery:
    """Accumulates candidates from messages; one instance per discover step (or CLI run)."""

    def __init__(self, registry: ProfileRegistry) -> None:
        self.registry = registry
        self.directory = Directory(registry)
        self.pipeline = Pipeline(registry, self.directory)
        self.candidates: dict[str, Candidate] = {}
        self.bridge_seen = False
        self.permit_join_open = False

    def feed(self, messages: Iterable[Inbound]) -> None:
        # Discovery lists first: a state message is only attributable once its device is known.
        ordered = sorted(messages, key=lambda m: (0 if _is_listing(m.topic) else 1))
        for message in ordered:
            self._one(message)

    def devices(self) -> list[Candidate]:
        """Known devices first (by source, then name), unknown topics last."""
        order = {"zigbee2mqtt": 0, "homeassistant": 1, "topic": 2, "unknown": 3}
        return sorted(self.candidates.values(), key=lambda c: (order.get(c.source, 9), c.name or c.topic))

    # -- one message ---------------------------------------------------------------------------
    def _one(self, message: Inbound) -> None:
        topic = message.topic
        if topic.startswith("$SYS/"):
            return
        if topic.startswith(BRIDGE):
            self.bridge_seen = True
            if topic == BRIDGE + "event":
                self._bridge_event(message.payload)
                return
            if topic == BRIDGE + "info":
                info = _json(message.payload)
                if isinstance(info, Mapping):
                    self.permit_join_open = bool(info.get("permit_join"))
                return
        outcome = self.pipeline.process(topic, message.payload, message.received_ms, message.retained)
        for info in outcome.discovered:
            source = "homeassistant" if info.identity.startswith("ha:") else "zigbee2mqtt"
            old = self.candidates.get(info.identity)
            self._put(Candidate(info.identity, info.topic, info.model, info.vendor, info.profile_id, source,
                                info.name, info.power, old.joined if old else False,
                                old.battery if old else None, old.signal if old else None,
                                old.kinds if old else ()))
        if outcome.device is not None and outcome.disposition in ("events", "partial", "ignore"):
            self._state(outcome, message.payload)
        elif outcome.reason in ("unknown_topic", "unknown_device", "no_profile_for_model") \
                and message.payload.strip() and not topic.startswith(("homeassistant/", BRIDGE)):
            self._unknown(topic, message.payload)

    def _bridge_event(self, payload: bytes) -> None:
        event = _json(payload)
        if not isinstance(event, Mapping) or not isinstance(event.get("data"), Mapping):
            return
        data = event["data"]
        ieee, name = data.get("ieee_address"), data.get("friendly_name")
        if not isinstance(ieee, str) or not ieee:
            return
        identity = zigbee_identity(ieee)
        name = name if isinstance(name, str) and name else ieee
        old = self.candidates.get(identity) or Candidate(identity, f"zigbee2mqtt/{name}", name=name)
        if event.get("type") == "device_joined":
            self._put(replace(old, joined=True))
        elif event.get("type") == "device_interview" and data.get("status") == "successful":
            definition = data.get("definition") if isinstance(data.get("definition"), Mapping) else {}
            model, vendor = str(definition.get("model") or ""), str(definition.get("vendor") or "")
            info = self.directory.bind_zigbee(name, ieee, model, vendor)
            self._put(replace(old, topic=info.topic, model=model, vendor=vendor,
                              suggested_profile=info.profile_id, name=name, joined=True))
        elif event.get("type") == "device_leave":
            self.candidates.pop(identity, None)

    def _state(self, outcome: Outcome, payload: bytes) -> None:
        device = outcome.device
        assert device is not None
        old = self.candidates.get(device.identity)
        if old is None:
            source = "homeassistant" if device.identity.startswith("ha:") else (
                "zigbee2mqtt" if device.identity.startswith("zigbee:") else "topic")
            old = Candidate(device.identity, outcome.topic, device.model, device.vendor, device.profile_id,
                            source, device.name, device.power)
        battery = next((r.value for r in outcome.readings if r.kind == "battery"), old.battery)
        kinds = tuple(sorted(set(old.kinds) | {r.kind for r in outcome.readings}))
        self._put(replace(old, battery=battery, signal=link_quality(payload) or old.signal, kinds=kinds))

    def _unknown(self, topic: str, payload: bytes) -> None:
        key = f"topic:{topic}"
        old = self.candidates.get(key)
        if old is None and sum(1 for c in self.candidates.values() if c.source == "unknown") >= MAX_UNKNOWN_TOPICS:
            return
        sample = payload.decode("utf-8", "replace")[:2000]
        samples = (old.samples if old else ()) + (sample,)
        self._put(Candidate(key, topic, source="unknown", name=topic, samples=samples[-MAX_SAMPLES:]))

    def _put(self, candidate: Candidate) -> None:
        self.candidates[candidate.id] = candidate


def link_quality(payload: bytes) -> int | None:
    """Zigbee2MQTT's ``linkquality`` (0-255) or Shelly/ESPHome ``rssi``; None when absent."""
    document = _json(payload)
    if not isinstance(document, Mapping):
        return None
    for key in ("linkquality", "rssi", "RSSI"):
        value = document.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return int(value)
    return None


def _is_listing(topic: str) -> bool:
    return topic == BRIDGE + "devices" or (topic.startswith("homeassistant/") and topic.endswith("/config"))


def _json(payload: bytes) -> Any:
    try:
        return json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return None
