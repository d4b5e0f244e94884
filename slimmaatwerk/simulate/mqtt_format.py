"""The Zigbee2MQTT wire format of simulated homes: ``bridge/devices`` and per-device state messages.

Zigbee2MQTT publishes the *whole cached state* of a device on every report, so a heartbeat (a report
without a state change) is the previous payload again. Note Z2M's contact polarity: ``"contact": true``
means CLOSED, so an open door (event value 1) is ``"contact": false``. Friendly names are
``<resident_id>/<device>`` so topics are unique per home. Each payload carries Z2M's optional
``last_seen`` (ISO 8601 local), so a fast replay still tells the ingest when the reading happened.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime

from ..events import Event
from ..localtime import format_timestamp, to_local
from .household import MODELS
from .model import SimDevice, SimHome

BASE = "zigbee2mqtt"
MODEL_IDS = {
    "RTCGQ11LM": "lumi.sensor_motion.aq2", "MCCGQ11LM": "lumi.sensor_magnet.aq2",
    "RTCZCGQ11LM": "lumi.motion.ac01", "WSDCGQ11LM": "lumi.weather",
}
COORDINATOR = {
    "ieee_address": "0x00124b0024c1d2e3", "friendly_name": "Coordinator", "type": "Coordinator",
    "network_address": 0, "supported": True, "interview_completed": True, "definition": None,
}
Message = tuple[datetime, str, bytes, bool]


def friendly_name(home: SimHome, device: SimDevice) -> str:
    return f"{home.resident_id}/{device.device}"


def device_entry(home: SimHome, device: SimDevice) -> dict:
    return {
        "ieee_address": device.ieee,
        "friendly_name": friendly_name(home, device),
        "type": "EndDevice",
        "network_address": int(device.ieee[-4:], 16),
        "supported": True,
        "interview_completed": True,
        "manufacturer": "LUMI",
        "model_id": MODEL_IDS.get(device.model, ""),
        "power_source": "Mains (single phase)" if device.kind_family == "presence" else "Battery",
        "definition": {"model": device.model, "vendor": device.vendor,
                       "description": MODELS.get(device.kind_family, ("", ""))[1]},
    }


def bridge_devices_payload(homes: Sequence[SimHome]) -> bytes:
    """The retained ``zigbee2mqtt/bridge/devices`` list: the coordinator plus every device of ``homes``."""
    entries = [COORDINATOR] + [device_entry(h, d) for h in homes for d in h.devices]
    return json.dumps(entries, separators=(",", ":")).encode()


def _initial_state(device: SimDevice) -> dict:
    quality = 40 + int(device.ieee[-2:], 16) % 120  # fixed per device: a heartbeat repeats it unchanged
    if device.kind_family == "motion":
        return {"occupancy": False, "illuminance": 0, "illuminance_lux": 0, "linkquality": quality}
    if device.kind_family == "contact":
        return {"contact": True, "linkquality": quality}
    if device.kind_family == "presence":
        return {"presence": False, "linkquality": quality}
    return {"linkquality": quality}


def _illuminance(ts: datetime) -> int:
    local = to_local(ts)
    hour = local.hour + local.minute / 60
    daylight = max(0.0, math.sin(math.pi * (hour - 7.5) / 10))  # roughly 07:30-17:30 indoors
    return int(5 + 260 * daylight + ts.second % 7)


def _pressure(ts: datetime) -> float:
    days = ts.timestamp() / 86400
    return round(1013 + 9 * math.sin(2 * math.pi * days / 4.3) + 4 * math.sin(2 * math.pi * days / 1.7), 1)


def _apply(state: dict, event: Event) -> None:
    kind, value = event.kind, event.value
    if kind == "motion":
        state["occupancy"] = value >= 0.5
        if state["occupancy"]:
            lux = _illuminance(event.timestamp)
            state["illuminance"] = state["illuminance_lux"] = lux
    elif kind == "contact":
        state["contact"] = value < 0.5  # Z2M: true = closed
    elif kind == "presence":
        state["presence"] = value >= 0.5
    elif kind == "battery":
        state["battery"] = int(value)
        state["voltage"] = int(2700 + 4 * value)
    elif kind in ("humidity", "temperature"):
        state[kind] = value
        state["pressure"] = _pressure(event.timestamp)
    # heartbeat: nothing changes; the cached state is simply reported again


def zigbee2mqtt_messages(home: SimHome, events: Iterable[Event] | None = None, *,
                         include_bridge: bool = True, last_seen: bool = True) -> Iterator[Message]:
    """(when, topic, payload, retain) as Zigbee2MQTT would publish ``events`` of ``home``.

    Events of one device with the same timestamp (e.g. humidity + temperature, or a battery report with
    a heartbeat) are one message, as they are one report on the wire.
    """
    devices = {d.device: d for d in home.devices}
    states: dict[str, dict] = {}
    stream = iter(home.events if events is None else events)
    first = next(stream, None)
    if first is None:
        return
    if include_bridge:
        yield first.timestamp, f"{BASE}/bridge/devices", bridge_devices_payload([home]), True
    pending: tuple[str, datetime] | None = None

    def render(name: str, when: datetime) -> Message:
        payload = dict(sorted(states[name].items()))
        if last_seen:
            payload["last_seen"] = format_timestamp(when)
        return when, f"{BASE}/{friendly_name(home, devices[name])}", json.dumps(payload, separators=(",", ":")).encode(), False

    for event in _chain(first, stream):
        device = devices.get(event.device)
        if device is None:
            continue
        key = (event.device, event.timestamp)
        if pending is not None and pending != key:
            yield render(*pending)
        state = states.setdefault(event.device, _initial_state(device))
        _apply(state, event)
        pending = key
    if pending is not None:
        yield render(*pending)


def _chain(first: Event, rest: Iterator[Event]) -> Iterator[Event]:
    yield first
    yield from rest
