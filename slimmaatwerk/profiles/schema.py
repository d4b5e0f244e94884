"""The device-profile file schema and a small hand-written validator for it (no new dependency).

The schema is a subset of JSON Schema (type, required, properties, additionalProperties, items, enum,
minItems, minimum), enough to name the exact file and field of every mistake an author can make.
Semantic checks that need code (known kinds and converters, compilable topic patterns, unique ids and
models) live in ``loader.py``.
"""

from __future__ import annotations

from typing import Any

from ..events import KINDS
from .converters import CONVERTERS
from .decoders import DECODERS

_STRINGS = {"type": "array", "items": {"type": "string"}}
_NUMBER = {"type": "number"}

FIELD = {
    "type": "object",
    "required": ["kind"],
    "additionalProperties": False,
    "properties": {
        "kind": {"type": "string", "enum": list(KINDS)},
        "converter": {"type": "string", "enum": sorted(CONVERTERS)},
        "scale": _NUMBER,
        "offset": _NUMBER,
        "round": {"type": "integer", "minimum": 0},
        "min": _NUMBER,
        "max": _NUMBER,
        "sentinels": {"type": "array", "items": _NUMBER},
        "on": {},
        "off": {},
        "map": {"type": "object", "additionalProperties": {"type": ["number", "null"]}},
        "reject_when": {
            "type": "object",
            "required": ["path", "equals", "reason"],
            "additionalProperties": False,
            "properties": {"path": {"type": "string"}, "equals": {}, "reason": {"type": "string"}},
        },
        "description": {"type": "string"},
    },
}

TOPIC = {
    "type": "object",
    "required": ["pattern"],
    "additionalProperties": False,
    "properties": {
        "pattern": {"type": "string"},
        "role": {"type": "string", "enum": ["state", "availability"]},
        "payload": {"type": "string", "enum": ["json", "value", "auto"]},
        "path": {"type": "string"},
        "decoder": {"type": "string", "enum": sorted(DECODERS)},
    },
}

EXAMPLE = {
    "type": "object",
    "required": ["topic", "payload", "events"],
    "additionalProperties": False,
    "properties": {
        "topic": {"type": "string"},
        "payload": {"type": ["string", "object", "array", "number", "boolean"]},
        "retained": {"type": "boolean"},
        "discovery": {
            "type": "object",
            "required": ["topic", "payload"],
            "additionalProperties": False,
            "properties": {"topic": {"type": "string"}, "payload": {"type": "object"}},
        },
        "events": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["kind", "value"],
                "additionalProperties": False,
                "properties": {"kind": {"type": "string", "enum": list(KINDS)}, "value": _NUMBER},
            },
        },
        "disposition": {"type": "string", "enum": ["events", "partial", "ignore", "quarantine"]},
        "rejected": {"type": "array", "items": {"type": "string"}},
        "note": {"type": "string"},
    },
}

PROFILE = {
    "type": "object",
    "required": ["id", "description", "fields", "examples"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string"},
        "integration": {"type": "string"},
        "description": {"type": "string"},
        "match": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"models": _STRINGS, "vendors": _STRINGS, "model_ids": _STRINGS},
        },
        "fallback": {"type": "boolean"},
        "binding": {"type": "string", "enum": ["discovery", "topic"]},
        "identity": {"type": "string"},
        "topics": {"type": "array", "items": TOPIC, "minItems": 1},
        "fields": {"type": "object", "additionalProperties": FIELD},
        "availability": FIELD,
        "device_time": {"type": "string"},
        "power": {"type": "string", "enum": ["battery", "mains", "usb"]},
        "report_interval_s": {"type": "integer", "minimum": 1},
        "hold_s": {"type": "number", "minimum": 0},
        "blind_s": {"type": "number", "minimum": 0},
        "notes": {"type": "string"},
        "examples": {"type": "array", "items": EXAMPLE, "minItems": 1},
    },
}

DEFAULTS = {**PROFILE, "required": [], "properties": {k: v for k, v in PROFILE["properties"].items()
                                                      if k not in ("id", "examples")}}

FILE = {
    "type": "object",
    "required": ["family", "profiles"],
    "additionalProperties": False,
    "properties": {
        "$comment": {"type": "string"},
        "family": {"type": "string"},
        "description": {"type": "string"},
        "source": {"type": "string"},
        "defaults": DEFAULTS,
        "ignore_topics": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["pattern", "reason"],
                "additionalProperties": False,
                "properties": {
                    "pattern": {"type": "string"},
                    "reason": {"type": "string"},
                    "gateway_state": {"type": "boolean"},
                },
            },
        },
        "discovery": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["pattern", "format"],
                "additionalProperties": False,
                "properties": {
                    "pattern": {"type": "string"},
                    "format": {"type": "string", "enum": ["zigbee2mqtt_devices", "homeassistant"]},
                },
            },
        },
        "profiles": {"type": "array", "items": PROFILE},
    },
}

_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "number": (int, float),
    "integer": (int,),
    "boolean": (bool,),
    "null": (type(None),),
}


def _type_ok(value: Any, names: str | list[str]) -> bool:
    for name in [names] if isinstance(names, str) else names:
        # JSON true is not a number, although bool is an int subclass in Python.
        if name in ("number", "integer") and isinstance(value, bool):
            continue
        if isinstance(value, _TYPES[name]):
            return True
    return False


def validate(value: Any, schema: dict[str, Any], where: str = "") -> list[str]:
    """Every violation as ``"field.path: message"`` (an empty list means valid)."""
    errors: list[str] = []
    label = where or "(top level)"
    expected = schema.get("type")
    if expected is not None and not _type_ok(value, expected):
        return [f"{label}: expected {expected}, got {type(value).__name__} {value!r:.60}"]
    if "enum" in schema and value not in schema["enum"]:
        return [f"{label}: {value!r} is not one of {', '.join(map(str, schema['enum']))}"]
    if "minimum" in schema and value < schema["minimum"]:
        errors.append(f"{label}: {value} is below the minimum {schema['minimum']}")
    if isinstance(value, dict):
        for key in schema.get("required", ()):
            if key not in value:
                errors.append(f"{label}: required field {key!r} is missing")
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            path = f"{where}.{key}" if where else key
            if key in properties:
                errors.extend(validate(item, properties[key], path))
            elif extra is False:
                errors.append(f"{path}: unknown field (known: {', '.join(sorted(properties))})")
            elif isinstance(extra, dict):
                errors.extend(validate(item, extra, path))
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            errors.append(f"{label}: needs at least {schema['minItems']} item(s)")
        if "items" in schema:
            for index, item in enumerate(value):
                errors.extend(validate(item, schema["items"], f"{where}[{index}]"))
    return errors
