"""What the broker tells us about devices: Zigbee2MQTT ``bridge/devices`` and Home Assistant discovery.

The directory maps what a message carries (a renameable friendly name, a state topic) to a stable device
identity (IEEE address, unique_id) and a profile. Bad discovery input is dropped with a reason, never
raised into the MQTT loop (the Home Assistant way).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..profiles import ProfileRegistry


@dataclass(frozen=True)
class DeviceInfo:
    identity: str
    name: str
    model: str = ""
    vendor: str = ""
    model_id: str = ""
    profile_id: str = ""
    power: str = ""
    report_interval_s: int = 3600
    topic: str = ""


@dataclass(frozen=True)
class HaEntity:
    device: DeviceInfo
    component: str
    device_class: str
    value_path: tuple[str, ...] | None  # from value_template {{ value_json.x }}; None = the raw payload
    overrides: Mapping[str, Any] = field(default_factory=dict)


# Home Assistant's abbreviations of discovery keys (the ones we read).
_ABBREVIATIONS = {
    "stat_t": "state_topic", "dev_cla": "device_class", "uniq_id": "unique_id", "val_tpl": "value_template",
    "pl_on": "payload_on", "pl_off": "payload_off", "dev": "device", "ids": "identifiers", "mdl": "model",
    "mf": "manufacturer", "avty_t": "availability_topic", "unit_of_meas": "unit_of_measurement",
}
_TEMPLATE = re.compile(
    r"\{\{\s*value_json((?:\.[A-Za-z_]\w*|\[\s*['\"][^'\"]+['\"]\s*\])+)\s*(?:\|\s*(?:float|int|round\(\d\))\s*)*\}\}"
)
_TEMPLATE_STEP = re.compile(r"\.([A-Za-z_]\w*)|\[\s*['\"]([^'\"]+)['\"]\s*\]")
_RAW_TEMPLATE = re.compile(r"\{\{\s*value\s*(?:\|\s*(?:float|int|round\(\d\))\s*)*\}\}")
_IEEE = re.compile(r"0x[0-9a-fA-F]{16}")


class DiscoveryError(ValueError):
    """Discovery input we drop (with this reason as counter key)."""


def zigbee_identity(ieee_address: str) -> str:
    return f"zigbee:{ieee_address.lower()}"


def looks_like_ieee(name: str) -> bool:
    return _IEEE.fullmatch(name) is not None


class Directory:
    """Per-broker state learnt from discovery messages; owned by one pipeline (one thread)."""

    def __init__(self, registry: ProfileRegistry) -> None:
        self._registry = registry
        self.zigbee: dict[str, DeviceInfo] = {}
        self.ha_entities: dict[str, dict[str, HaEntity]] = {}  # state topic -> config topic -> entity

    def bind_zigbee(self, friendly_name: str, ieee_address: str, model: str, vendor: str = "",
                    model_id: str = "", power: str = "") -> DeviceInfo:
        profile = self._registry.for_model("zigbee2mqtt", model, model_id)
        info = DeviceInfo(
            zigbee_identity(ieee_address), friendly_name, model, vendor, model_id,
            profile.id if profile else "", power or (profile.power if profile else ""),
            profile.report_interval_s if profile else 3600, f"zigbee2mqtt/{friendly_name}",
        )
        self.zigbee[friendly_name] = info
        return info

    def restore_zigbee(self, rows: list[tuple[int, str, str, str, str, str, int]]) -> None:
        """Rebuild the Zigbee map from stored devices (id, identity, name, profile, model, vendor, interval)."""
        for _id, identity, name, _profile, model, vendor, _interval in rows:
            if identity.startswith("zigbee:") and name:
                self.bind_zigbee(name, identity.removeprefix("zigbee:"), model, vendor)

    def apply_zigbee_devices(self, document: Any) -> list[DeviceInfo]:
        """Replace the Zigbee map with a ``bridge/devices`` list (renames drop the old name)."""
        if not isinstance(document, list):
            raise DiscoveryError("bridge_devices_not_a_list")
        previous, self.zigbee = self.zigbee, {}
        found = []
        try:
            for entry in document:
                if not isinstance(entry, Mapping) or entry.get("type") == "Coordinator":
                    continue  # the coordinator is the USB stick, not a sensor
                ieee, name = entry.get("ieee_address"), entry.get("friendly_name")
                if not isinstance(ieee, str) or not isinstance(name, str) or not ieee or not name:
                    continue
                definition = entry.get("definition") if isinstance(entry.get("definition"), Mapping) else {}
                found.append(self.bind_zigbee(
                    name, ieee, _text(definition.get("model")) or _text(entry.get("model_id")),
                    _text(definition.get("vendor")) or _text(entry.get("manufacturer")),
                    _text(entry.get("model_id")),
                    "battery" if entry.get("power_source") == "Battery" else "",
                ))
        except Exception:
            self.zigbee = previous
            raise
        return found

    def apply_ha_config(self, config_topic: str, captures: Mapping[str, str], document: Any) -> DeviceInfo | None:
        """Register (or, for an empty payload, remove) one Home Assistant discovery entity."""
        for entities in self.ha_entities.values():
            entities.pop(config_topic, None)
        if document == "" or document is None:
            return None
        if not isinstance(document, Mapping):
            raise DiscoveryError("ha_config_not_an_object")
        config = {_ABBREVIATIONS.get(k, k): v for k, v in document.items()}
        device = config.get("device") if isinstance(config.get("device"), Mapping) else {}
        device = {_ABBREVIATIONS.get(k, k): v for k, v in device.items()}
        base = config.get("~", "")
        state_topic = _text(config.get("state_topic"))
        if base and state_topic:
            state_topic = state_topic.replace("~", base) if "~" in state_topic else state_topic
        if not state_topic:
            raise DiscoveryError("ha_config_without_state_topic")
        identifiers = device.get("identifiers")
        if isinstance(identifiers, list):
            identifiers = identifiers[0] if identifiers else None
        key = _text(identifiers) or _text(config.get("unique_id"))
        if not key:
            raise DiscoveryError("ha_config_without_unique_id")  # no stable identity, no device
        template = _text(config.get("value_template"))
        value_path: tuple[str, ...] | None = None
        if template:
            parsed = _TEMPLATE.fullmatch(template.strip())
            if parsed:
                value_path = tuple(a or b for a, b in _TEMPLATE_STEP.findall(parsed.group(1)))
            elif not _RAW_TEMPLATE.fullmatch(template.strip()):
                raise DiscoveryError("ha_unsupported_value_template")
        component = captures.get("component", "")
        device_class = _text(config.get("device_class")) or ""
        overrides = {k: config[f"payload_{k}"] for k in ("on", "off") if f"payload_{k}" in config}
        info = DeviceInfo(
            f"ha:{key}", _text(device.get("name")) or _text(config.get("name")) or key,
            _text(device.get("model")), _text(device.get("manufacturer")), profile_id="ha.discovery",
            topic=state_topic,
        )
        entity = HaEntity(info, component, device_class, value_path, overrides)
        self.ha_entities.setdefault(state_topic, {})[config_topic] = entity
        return info


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""
