"""Named converters: small reusable functions from one raw field value to one number.

Like zigbee-herdsman-converters, profiles name a converter instead of carrying code, and one converter
serves many models. A converter returns a float, or raises ``Rejected`` (this field only is unusable:
a sentinel, "not available", out of range) or ``Corrupt`` (the whole message is untrustworthy: ``nan``).
``None`` never reaches a converter: null fields are skipped before.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

# Strings vendors put in numeric fields to say "no sensor fitted" (Itho, ESPHome, HA).
_NOT_AVAILABLE = frozenset({"not available", "unavailable", "unknown", "n/a", "na", "none", "-", ""})
_TRUE = frozenset({"true", "on", "1", "yes", "open", "detected", "occupied", "online"})
_FALSE = frozenset({"false", "off", "0", "no", "closed", "close", "clear", "free", "offline"})


class Rejected(Exception):
    """This field cannot be used; the rest of the message can. ``reason`` is a counter key."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Corrupt(Exception):
    """The message is corrupt (``nan`` readings, bytes that are no value at all): quarantine it whole."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


Converter = Callable[[Any, Mapping[str, Any]], float]
# A tuple, not ``int | float``: isinstance with a tuple is faster, and these run for every field.
_NUMBERS = (int, float)


def _number(raw: Any, _options: Mapping[str, Any]) -> float:
    if isinstance(raw, bool):
        raise Rejected("not_a_number")
    if isinstance(raw, _NUMBERS):
        value = float(raw)
    elif isinstance(raw, str):
        text = raw.strip()
        if text.lower() in _NOT_AVAILABLE:
            raise Rejected("not_available")
        try:
            value = float(text)
        except ValueError:
            raise Rejected("not_a_number") from None
    else:
        raise Rejected("not_a_number")
    if math.isnan(value) or math.isinf(value):
        raise Corrupt("nan")
    return value


def _boolean(raw: Any, options: Mapping[str, Any]) -> float:
    on, off = options.get("on"), options.get("off")
    if on is not None and raw == on:
        return 1.0
    if off is not None and raw == off:
        return 0.0
    if isinstance(raw, bool):
        return 1.0 if raw else 0.0
    if isinstance(raw, _NUMBERS) and raw in (0, 1):
        return float(raw)
    if isinstance(raw, str):
        text = raw.strip().lower()
        if text in _TRUE:
            return 1.0
        if text in _FALSE:
            return 0.0
        if text == "nan":
            raise Corrupt("nan")
    raise Rejected("not_a_boolean")


def _boolean_inverted(raw: Any, options: Mapping[str, Any]) -> float:
    # Zigbee2MQTT contact: true means the magnet is near, i.e. the door is CLOSED (contact 0).
    return 1.0 - _boolean(raw, options)


def _enum(raw: Any, options: Mapping[str, Any]) -> float:
    mapping = options.get("map") or {}
    key = raw if not isinstance(raw, str) else raw.strip()
    for candidate, value in mapping.items():
        if candidate == key or (isinstance(key, str) and candidate.lower() == key.lower()):
            if value is None:
                raise Rejected("no_kind")
            return float(value)
    if isinstance(key, str) and key.lower() == "nan":
        raise Corrupt("nan")
    raise Rejected("unknown_value")


def _availability(raw: Any, options: Mapping[str, Any]) -> float:
    # Zigbee2MQTT {"state": "online"} (old: plain online), Tasmota Online/Offline, Shelly true/false,
    # ESPHome online/offline, IthoWiFi online/offline.
    if isinstance(raw, Mapping):
        raw = raw.get("state")
        if raw is None:
            raise Rejected("not_a_boolean")
    return _boolean(raw, options)


CONVERTERS: dict[str, Converter] = {
    "number": _number,
    "boolean": _boolean,
    "boolean_inverted": _boolean_inverted,
    "enum": _enum,
    "availability": _availability,
}

# Options a field may carry, with the converter-independent post-processing they trigger.
FIELD_OPTIONS = frozenset(
    {"kind", "converter", "scale", "offset", "round", "min", "max", "sentinels", "on", "off", "map",
     "reject_when", "description"}
)


def convert(raw: Any, options: Mapping[str, Any]) -> float:
    """Run the named converter, then scaling, sentinels and the plausible range of the field."""
    return compile_field(options)(raw)


def compile_field(options: Mapping[str, Any]) -> Callable[[Any], float]:
    """``convert`` with the field's options looked up once: the ingest writer converts every field of
    every message, and reading six options per call cost as much as the conversion itself."""
    function = CONVERTERS[options.get("converter", "number")]
    sentinels = tuple(options.get("sentinels") or ())
    scale = float(options.get("scale", 1.0))
    offset = float(options.get("offset", 0.0))
    digits = int(options["round"]) if "round" in options else None
    low, high = options.get("min"), options.get("max")

    def run(raw: Any) -> float:
        value = function(raw, options)
        if sentinels and value in sentinels:
            raise Rejected("sentinel")
        value = value * scale + offset
        if digits is not None:
            value = round(value, digits)
        if (low is not None and value < low) or (high is not None and value > high):
            raise Rejected("out_of_range")
        return value

    return run
