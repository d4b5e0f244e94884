"""One MQTT message in, one ``Outcome`` out: which device, which readings, and what to do with it.

Pure apart from the discovery directory it keeps (one pipeline per broker connection, used by one
thread): no database, no clock, no paho. Dispositions follow the payload corpus: ``events`` (readings),
``partial`` (readings plus rejected fields), ``ignore`` (a normal message with nothing to store: topic
clears, bridge state, settings) and ``quarantine`` (corrupt: non-UTF-8, malformed JSON, ``nan``, or a
device we cannot identify). Nothing in here raises for bad input.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace
from typing import Any, NamedTuple

from ..profiles import FieldSpec, Profile, ProfileRegistry, Reading, TopicSpec
from ..profiles.decoders import DECODERS
from ..profiles.model import SpecialTopic
from ..profiles.normaliser import MalformedPayload, decode, device_time_ms, nest, normalise
from ..profiles.registry import Route
from .discovery import DeviceInfo, Directory, DiscoveryError, looks_like_ieee, zigbee_identity

log = logging.getLogger(__name__)


class Outcome(NamedTuple):  # a named tuple: made for every message, 4x cheaper than a frozen dataclass
    topic: str
    received_ms: int
    retained: bool
    disposition: str  # events | partial | ignore | quarantine
    reason: str = ""  # why ignored or quarantined (a counter key)
    device: DeviceInfo | None = None
    readings: tuple[Reading, ...] = ()
    rejected: tuple[tuple[str, str], ...] = ()  # (field path, reason)
    device_time_ms: int | None = None
    discovered: tuple[DeviceInfo, ...] = ()
    gateway_state: float | None = None  # a bridge/gateway went online (1) or offline (0)
    integration: str = ""


# Topics seen recently and what the (immutable) registry says about them: a home's few hundred topics
# repeat all day, and matching one against every pattern costs ~20 regexes. Bounded, as topics may be junk.
_TOPIC_CACHE_SIZE = 20_000


class Pipeline:
    def __init__(self, registry: ProfileRegistry, directory: Directory | None = None) -> None:
        self.registry = registry
        self.directory = directory or Directory(registry)
        self._topics: dict[str, tuple[Any, tuple[tuple[Route, dict[str, str]], ...]]] = {}
        # One field tuple per profile, so the normaliser compiles an availability field only once.
        self._availability: dict[str, tuple[FieldSpec, ...]] = {}

    def _match(self, topic: str) -> tuple[Any, tuple[tuple[Route, dict[str, str]], ...]]:
        """(special topic match or None, candidate routes with captures), cached per topic."""
        found = self._topics.get(topic)
        if found is None:
            special = self.registry.special(topic)
            found = (special, () if special is not None else tuple(self.registry.candidate_routes(topic)))
            if len(self._topics) >= _TOPIC_CACHE_SIZE:
                self._topics.clear()
            self._topics[topic] = found
        return found

    def process(self, topic: str, payload: bytes, received_ms: int, retained: bool = False) -> Outcome:
        try:
            return self._process(topic, payload, received_ms, retained)
        except Exception:  # a bug must not cost the message: keep it for inspection instead
            log.exception("pipeline failed on topic %r", topic)
            return Outcome(topic, received_ms, retained, "quarantine", "pipeline_error")

    def _process(self, topic: str, payload: bytes, received_ms: int, retained: bool) -> Outcome:
        special, routes = self._match(topic)
        if special is not None:
            return self._special(special[0], dict(special[1]), topic, payload, received_ms, retained)
        if not payload.strip():
            # An empty (retained) payload clears a topic: normal, nothing to store.
            return Outcome(topic, received_ms, retained, "ignore", "empty_payload")
        entities = self.directory.ha_entities.get(topic)
        if entities:
            return self._ha_state(list(entities.values()), topic, payload, received_ms, retained)
        unknown: Outcome | None = None
        for route, cached in routes:
            captures = dict(cached)  # callers get their own copy of the cached captures
            resolved = self._resolve(route, captures)
            if isinstance(resolved, Outcome):
                unknown = unknown or resolved
                continue
            profile, spec, device = resolved
            return self._convert(profile, spec, device, captures, topic, payload, received_ms, retained)
        if unknown is not None:
            return Outcome(topic, received_ms, retained, unknown.disposition, unknown.reason,
                           integration=unknown.integration)
        return Outcome(topic, received_ms, retained, "ignore", "unknown_topic")

    def _resolve(self, route: Route, captures: Mapping[str, str]) -> tuple[Profile, TopicSpec, DeviceInfo] | Outcome:
        profile, first_spec = route.entries[0]
        if profile.binding == "discovery":
            name = captures.get("device", "")
            device = self.directory.zigbee.get(name)
            if device is None and looks_like_ieee(name):
                # A never-renamed Zigbee2MQTT device is named after its IEEE address: identity is known.
                fallback = self.registry.for_model(profile.integration)
                device = DeviceInfo(zigbee_identity(name), name, profile_id=fallback.id if fallback else "")
            if device is None:
                return Outcome("", 0, False, "quarantine", "unknown_device", integration=profile.integration)
            chosen = self.registry.by_id.get(device.profile_id)
            for candidate, spec in route.entries:
                if candidate is chosen:
                    return candidate, spec, device
            return Outcome("", 0, False, "quarantine", "no_profile_for_model", integration=profile.integration)
        name = captures.get("device", "")
        identity = profile.identity.format_map(_Blank(captures))
        model = profile.models[0] if profile.models else ""
        device = DeviceInfo(identity, name, model, profile.vendors[0] if profile.vendors else "",
                            profile_id=profile.id, power=profile.power,
                            report_interval_s=profile.report_interval_s)
        return profile, first_spec, device

    def _convert(self, profile: Profile, spec: TopicSpec, device: DeviceInfo, captures: Mapping[str, str],
                 topic: str, payload: bytes, received_ms: int, retained: bool) -> Outcome:
        try:
            document = decode(payload, spec.payload)
            if spec.decoder:
                document, key = DECODERS[spec.decoder](document)
                if key is None:
                    return Outcome(topic, received_ms, retained, "ignore", "no_readings",
                                   integration=profile.integration)
                device = replace(device, identity=profile.identity.format(**{**captures, "device": key}),
                                 name=key)
        except MalformedPayload as exc:
            return Outcome(topic, received_ms, retained, "quarantine", exc.reason, device,
                           rejected=(("payload", exc.reason),), integration=profile.integration)
        if spec.role == "availability":
            if profile.availability is None:
                return Outcome(topic, received_ms, retained, "ignore", "no_availability_field", device)
            if isinstance(document, Mapping):  # Zigbee2MQTT {"state": "online"}
                document = document.get("state")
            fields = self._availability.get(profile.id)
            if fields is None:
                fields = self._availability[profile.id] = (profile.availability,)
            result = normalise({"availability": document}, fields)
        else:
            result = normalise(nest(spec.path, captures, document), profile.fields)
        when = device_time_ms(document, profile.device_time) if spec.role == "state" else None
        return _finish(topic, received_ms, retained, device, result.readings, result.rejected,
                       result.corrupt, when, profile.integration)

    def _ha_state(self, entities: list[Any], topic: str, payload: bytes, received_ms: int,
                  retained: bool) -> Outcome:
        profile = self.registry.by_id.get("ha.discovery")
        first = entities[0].device
        if profile is None:
            return Outcome(topic, received_ms, retained, "ignore", "no_profile_for_model", first)
        readings: list[Reading] = []
        rejected: list[tuple[str, str]] = []
        for entity in entities:
            try:
                document = decode(payload, "auto")
            except MalformedPayload as exc:
                return Outcome(topic, received_ms, retained, "quarantine", exc.reason, first,
                               rejected=(("payload", exc.reason),), integration="homeassistant")
            if entity.value_path is not None:
                for step in entity.value_path:
                    document = document.get(step) if isinstance(document, Mapping) else None
            doc = {entity.component: {entity.device_class or "none": document}}
            result = normalise(doc, profile.fields, entity.overrides)
            if result.corrupt:
                return _finish(topic, received_ms, retained, first, (), result.rejected, result.corrupt,
                               None, "homeassistant")
            readings.extend(r for r in result.readings if all(r.kind != o.kind for o in readings))
            rejected.extend(result.rejected)
        return _finish(topic, received_ms, retained, first, tuple(readings), tuple(rejected), None, None,
                       "homeassistant")

    def _special(self, special: SpecialTopic, captures: Mapping[str, str], topic: str, payload: bytes,
                 received_ms: int, retained: bool) -> Outcome:
        integration = special.integration
        if not special.discovery_format:
            state = _gateway_state(payload) if special.gateway_state else None
            return Outcome(topic, received_ms, retained, "ignore", special.reason, gateway_state=state,
                           integration=integration)
        try:
            document = decode(payload, "json") if payload.strip() else ""
            if special.discovery_format == "zigbee2mqtt_devices":
                found = tuple(self.directory.apply_zigbee_devices(document))
            else:
                info = self.directory.apply_ha_config(topic, captures, document)
                found = (info,) if info else ()
        except (MalformedPayload, DiscoveryError) as exc:
            reason = exc.reason if isinstance(exc, MalformedPayload) else str(exc)
            log.warning("dropped discovery message on %r: %s", topic, reason)
            return Outcome(topic, received_ms, retained, "quarantine", reason, integration=integration)
        return Outcome(topic, received_ms, retained, "ignore", "discovery", discovered=found,
                       integration=integration)


class _Blank(dict):  # type: ignore[type-arg]
    """Format values where a placeholder the topic lacks (filled in by a decoder later) is blank."""

    def __missing__(self, key: str) -> str:
        return ""


def _gateway_state(payload: bytes) -> float | None:
    from ..profiles.converters import CONVERTERS, Corrupt, Rejected

    try:
        return CONVERTERS["availability"](decode(payload, "auto"), {})
    except (MalformedPayload, Rejected, Corrupt):
        return None


def _finish(topic: str, received_ms: int, retained: bool, device: DeviceInfo, readings: tuple[Reading, ...],
            rejected: tuple[tuple[str, str], ...], corrupt: str | None, when: int | None,
            integration: str) -> Outcome:
    if corrupt:
        return Outcome(topic, received_ms, retained, "quarantine", corrupt, device, rejected=rejected,
                       integration=integration)
    if readings:
        disposition = "partial" if rejected else "events"
        return Outcome(topic, received_ms, retained, disposition, "", device, readings, rejected, when,
                       integration=integration)
    return Outcome(topic, received_ms, retained, "ignore", "no_readings", device, (), rejected, when,
                   integration=integration)
