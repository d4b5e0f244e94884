"""Device profiles as immutable records, built from the data files in ``device_profiles/``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .topics import TopicPattern


@dataclass(frozen=True)
class FieldSpec:
    """One payload field -> one event kind. ``path`` segments are globs; ``{sub}`` names a sub-device."""

    key: str
    path: tuple[str, ...]
    kind: str
    options: Mapping[str, Any]


@dataclass(frozen=True)
class TopicSpec:
    """A topic a profile listens to. ``path`` nests the payload, e.g. ``sensor.{field}`` for ESPHome."""

    pattern: TopicPattern
    role: str = "state"
    payload: str = "auto"
    path: str = ""
    decoder: str = ""


@dataclass(frozen=True)
class Example:
    topic: str
    payload: bytes
    events: tuple[tuple[str, float], ...]
    disposition: str
    rejected: tuple[str, ...] = ()
    retained: bool = False
    discovery: tuple[str, bytes] | None = None  # a discovery message to process first


@dataclass(frozen=True)
class Profile:
    id: str
    integration: str
    description: str
    file: str
    binding: str  # "discovery": the device is known from discovery; "topic": the topic names it
    identity: str  # template, e.g. "shelly:{device}"
    topics: tuple[TopicSpec, ...]
    fields: tuple[FieldSpec, ...]
    availability: FieldSpec | None = None
    models: tuple[str, ...] = ()
    vendors: tuple[str, ...] = ()
    model_ids: tuple[str, ...] = ()
    fallback: bool = False
    device_time: str | None = None
    power: str = "battery"
    report_interval_s: int = 3600
    # Motion quirks, for the analytics: Zigbee2MQTT clears occupancy `hold_s` after the last detection
    # (occupancy_timeout), and the sensor cannot report a new detection for `blind_s` after one.
    hold_s: float | None = None
    blind_s: float | None = None
    examples: tuple[Example, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class SpecialTopic:
    """A family-level topic that is no device reading: a discovery list, or bridge/gateway state."""

    pattern: TopicPattern
    integration: str
    reason: str = ""
    discovery_format: str = ""
    gateway_state: bool = False
