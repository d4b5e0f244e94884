"""Seeded simulator of realistic single-resident homes (DESIGN.md ``simulate``; REALISM.md).

Owns: resident personas and sensor kits (household), day plans (plan), the resident moving through the
home (routine, days), device behaviour (sensors, climate), anomaly injection and ground truth
(injections), CSV/JSON output (csvout), the Zigbee2MQTT wire format (mqtt_format) and publishing to a
broker (mqtt_publish, the only module that imports paho). Same seed -> byte-identical output.
"""

from __future__ import annotations

from .csvout import write_csv
from .home import DEFAULT_START, simulate, simulate_home
from .injections import parse_injection
from .model import ANOMALIES, INJECTION_TYPES, Injection, SimDevice, SimHome
from .mqtt_format import bridge_devices_payload, zigbee2mqtt_messages
from .mqtt_publish import publish

__all__ = [
    "ANOMALIES", "DEFAULT_START", "INJECTION_TYPES", "Injection", "SimDevice", "SimHome",
    "bridge_devices_payload", "parse_injection", "publish", "simulate", "simulate_home", "write_csv",
    "zigbee2mqtt_messages",
]
