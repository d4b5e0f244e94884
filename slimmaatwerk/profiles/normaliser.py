"""Apply a profile to one decoded payload: readings in the event vocabulary, rejected fields, or corrupt.

Pure and per message: whether a reading is a *change* is the device tracker's business. Within one
message each (kind, sub-device) yields at most one reading, from the first field of the profile that has
a usable value: the same quantity under two labels (Itho ``temp`` and ``Temperature``, Zigbee2MQTT 1.x
``illuminance_lux`` and ``illuminance``) is one reading.
"""

from __future__ import annotations

import fnmatch
import json
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .converters import Corrupt, Rejected, convert
from .model import FieldSpec

UNITS: dict[str, str | None] = {
    "humidity": "%RH", "co2": "ppm", "temperature": "°C", "fan": "%", "power": "W", "battery": "%",
    "illuminance": "lx",
}


@dataclass(frozen=True, slots=True)
class Reading:
    kind: str
    value: float
    sub: str = ""  # a sub-device inside one message (Itho remotes), "" for the device itself
    field: str = ""


@dataclass(frozen=True, slots=True)
class Normalised:
    readings: tuple[Reading, ...]
    rejected: tuple[tuple[str, str], ...]  # (field path, reason)
    corrupt: str | None = None  # reason the whole message is unusable


_NAN_WORDS = frozenset({"nan", "-nan", "inf", "-inf", "infinity", "-infinity"})
_BARE_NAN = re.compile(r"[:\[,]\s*-?nan\b", re.IGNORECASE)


class MalformedPayload(ValueError):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _refuse_constant(name: str) -> Any:
    raise MalformedPayload("nan")


def decode(payload: bytes, mode: str) -> Any:
    """Bytes -> a JSON value or a plain string. Raises MalformedPayload with a quarantine reason."""
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError:
        raise MalformedPayload("not_utf8") from None
    stripped = text.strip()
    if stripped.lower() in _NAN_WORDS:
        raise MalformedPayload("nan")  # ESPHome publishes `nan` for a failed sensor read
    if mode == "value" or (mode == "auto" and not stripped.startswith(("{", "[", '"'))):
        return stripped
    try:
        # parse_constant refuses NaN/Infinity, which Python's json would otherwise accept silently.
        return json.loads(stripped, parse_constant=_refuse_constant)
    except json.JSONDecodeError:
        # Tasmota writes a bare `nan` for a disconnected sensor: say so rather than "bad JSON".
        raise MalformedPayload("nan" if _BARE_NAN.search(stripped) else "malformed_json") from None
    except RecursionError:
        raise MalformedPayload("malformed_json") from None


def nest(path: str, captures: Mapping[str, str], value: Any) -> Any:
    """Wrap a payload under the topic-derived path, e.g. ``sensor.{field}`` -> {"sensor": {"co2": v}}."""
    if not path:
        return value
    for segment in reversed(path.format(**captures).split(".")):
        value = {segment: value}
    return value


def find(doc: Any, path: tuple[str, ...], prefix: str = "", sub: str = "") -> Iterator[tuple[str, str, Any]]:
    """Every (dotted path, sub-device, value) in ``doc`` matching the glob segments of ``path``."""
    if not path:
        yield prefix, sub, doc
        return
    if not isinstance(doc, Mapping):
        return
    head, rest = path[0], path[1:]
    if head == "{sub}":
        for key, value in doc.items():
            yield from find(value, rest, _join(prefix, key), str(key))
    elif any(ch in head for ch in "*?["):
        for key, value in doc.items():
            if fnmatch.fnmatchcase(str(key), head):
                yield from find(value, rest, _join(prefix, key), sub)
    elif head in doc:
        yield from find(doc[head], rest, _join(prefix, head), sub)


def _join(prefix: str, key: Any) -> str:
    return f"{prefix}.{key}" if prefix else str(key)


def normalise(doc: Any, fields: tuple[FieldSpec, ...], overrides: Mapping[str, Any] | None = None) -> Normalised:
    readings: list[Reading] = []
    rejected: list[tuple[str, str]] = []
    taken: set[tuple[str, str]] = set()
    for spec in fields:
        options = spec.options if not overrides else {**spec.options, **overrides}
        for where, sub, raw in find(doc, spec.path):
            if raw is None or (spec.kind, sub) in taken:
                continue  # null fields are skipped, not rejected; a second label is redundant
            if isinstance(raw, Mapping | list):
                continue  # a glob that reached an object is not this field
            try:
                condition = options.get("reject_when")
                if condition and _lookup(doc, condition["path"]) == condition["equals"]:
                    raise Rejected(condition["reason"])
                value = convert(raw, options)
            except Rejected as exc:
                rejected.append((where, exc.reason))
                continue
            except Corrupt as exc:
                return Normalised((), (("payload", exc.reason), (where, exc.reason)), exc.reason)
            taken.add((spec.kind, sub))
            readings.append(Reading(spec.kind, value, sub, where))
    return Normalised(tuple(readings), tuple(rejected))


def _lookup(doc: Any, dotted: str) -> Any:
    for segment in dotted.split("."):
        if not isinstance(doc, Mapping) or segment not in doc:
            return None
        doc = doc[segment]
    return doc


def device_time_ms(doc: Any, path: str | None) -> int | None:
    """A device's own timestamp (Zigbee2MQTT ``last_seen``: ISO 8601 or epoch ms), if it has one."""
    if not path:
        return None
    raw = _lookup(doc, path)
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, int | float) and math.isfinite(raw):
        return int(raw if raw > 1e11 else raw * 1000)
    if isinstance(raw, str):
        try:
            parsed = datetime.fromisoformat(raw)
        except ValueError:
            return None
        if parsed.tzinfo is not None:
            return int(parsed.timestamp() * 1000)
    return None
