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
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from .converters import Corrupt, Rejected, compile_field
from .model import FieldSpec

UNITS: dict[str, str | None] = {
    "humidity": "%RH", "co2": "ppm", "temperature": "°C", "fan": "%", "power": "W", "battery": "%",
    "illuminance": "lx",
}


class Reading(NamedTuple):  # a named tuple: made for every field of every message
    kind: str
    value: float
    sub: str = ""  # a sub-device inside one message (Itho remotes), "" for the device itself
    field: str = ""


class Normalised(NamedTuple):
    readings: tuple[Reading, ...]
    rejected: tuple[tuple[str, str], ...]  # (field path, reason)
    corrupt: str | None = None  # reason the whole message is unusable


_CONTAINERS = (Mapping, list)
_SCALARS = frozenset({bool, int, float, str})
_NAN_WORDS = frozenset({"nan", "-nan", "inf", "-inf", "infinity", "-infinity"})
_BARE_NAN = re.compile(r"[:\[,]\s*-?nan\b", re.IGNORECASE)


class MalformedPayload(ValueError):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _refuse_constant(name: str) -> Any:
    raise MalformedPayload("nan")


# One decoder for every message: ``json.loads`` with a keyword argument builds a new decoder per call.
# parse_constant refuses NaN/Infinity, which Python's json would otherwise accept silently.
_JSON = json.JSONDecoder(parse_constant=_refuse_constant)
_LONGEST_NAN_WORD = max(len(word) for word in _NAN_WORDS)


def decode(payload: bytes, mode: str) -> Any:
    """Bytes -> a JSON value or a plain string. Raises MalformedPayload with a quarantine reason."""
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError:
        raise MalformedPayload("not_utf8") from None
    stripped = text.strip()
    if len(stripped) <= _LONGEST_NAN_WORD and stripped.lower() in _NAN_WORDS:
        raise MalformedPayload("nan")  # ESPHome publishes `nan` for a failed sensor read
    if mode == "value" or (mode == "auto" and not stripped.startswith(("{", "[", '"'))):
        return stripped
    try:
        return _JSON.decode(stripped)
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


@dataclass(frozen=True, slots=True)
class _Plan:
    """A field compiled for repeated use: its converter with options resolved, and for a plain path
    (no globs, no sub-devices: nearly every field) the keys to look up directly instead of searching."""

    kind: str
    keys: tuple[str, ...] | None  # None: the path has globs or ``{sub}``, so ``find`` walks it
    where: str
    path: tuple[str, ...]
    convert: Callable[[Any], float]
    reject_when: Mapping[str, Any] | None


_GLOB = frozenset("*?[")
# Compiled field lists by id(fields) and id(overrides), holding both so that their ids cannot be reused.
_PLANS: dict[tuple[int, int], tuple[tuple[FieldSpec, ...], Mapping[str, Any] | None, tuple[_Plan, ...]]] = {}
_PLANS_MAX = 4096  # profiles are loaded once; this only bounds tests, reloads and rediscovered entities


def _plans(fields: tuple[FieldSpec, ...], overrides: Mapping[str, Any] | None) -> tuple[_Plan, ...]:
    key = (id(fields), id(overrides))
    cached = _PLANS.get(key)
    if cached is not None and cached[0] is fields and cached[1] is overrides:
        return cached[2]
    plans = tuple(_compile(spec, overrides) for spec in fields)
    if len(_PLANS) >= _PLANS_MAX:
        _PLANS.clear()
    _PLANS[key] = (fields, overrides, plans)
    return plans


def _compile(spec: FieldSpec, overrides: Mapping[str, Any] | None) -> _Plan:
    options = spec.options if not overrides else {**spec.options, **overrides}
    plain = all(segment != "{sub}" and not (_GLOB & set(segment)) for segment in spec.path)
    return _Plan(spec.kind, spec.path if plain else None, ".".join(spec.path), spec.path, compile_field(options),
                 options.get("reject_when"))


def _is_mapping(value: Any) -> bool:
    return type(value) is dict or isinstance(value, Mapping)  # JSON gives dicts: skip the slow ABC check


def _values(doc: Any, plan: _Plan) -> Iterator[tuple[str, str, Any]] | tuple[tuple[str, str, Any], ...]:
    """The (dotted path, sub-device, value) matches of one field: at most one for a plain path."""
    if plan.keys is None:
        return find(doc, plan.path)
    value = doc
    for key in plan.keys:
        if not _is_mapping(value) or key not in value:
            return ()
        value = value[key]
    return ((plan.where, "", value),)


def normalise(doc: Any, fields: tuple[FieldSpec, ...], overrides: Mapping[str, Any] | None = None) -> Normalised:
    readings: list[Reading] = []
    rejected: list[tuple[str, str]] = []
    taken: set[tuple[str, str]] = set()
    for plan in _plans(fields, overrides):
        for where, sub, raw in _values(doc, plan):
            if raw is None or (plan.kind, sub) in taken:
                continue  # null fields are skipped, not rejected; a second label is redundant
            if type(raw) not in _SCALARS and isinstance(raw, _CONTAINERS):
                continue  # a glob that reached an object is not this field
            try:
                condition = plan.reject_when
                if condition and _lookup(doc, condition["path"]) == condition["equals"]:
                    raise Rejected(condition["reason"])
                value = plan.convert(raw)
            except Rejected as exc:
                rejected.append((where, exc.reason))
                continue
            except Corrupt as exc:
                return Normalised((), (("payload", exc.reason), (where, exc.reason)), exc.reason)
            taken.add((plan.kind, sub))
            readings.append(Reading(plan.kind, value, sub, where))
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
