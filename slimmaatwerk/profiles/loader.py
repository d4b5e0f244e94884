"""Load and validate ``device_profiles/*.json``; every error names the file and the field.

A family file holds ``defaults`` shared by its profiles (topics, identity template, availability),
``discovery`` and ``ignore_topics`` entries, and the ``profiles`` themselves. Loading is all-or-nothing:
a broken profile file stops the engine at start-up with a clear message, never half a library.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from ..errors import InputError
from .model import Example, FieldSpec, Profile, SpecialTopic, TopicSpec
from .registry import ProfileRegistry
from .schema import FILE, validate
from .topics import PatternError, compile_pattern

_PLACEHOLDER_NAMES = re.compile(r"\{([a-z_]+)\}")
# The repository's (and an installed bundle's) built-in profiles; a packaged app points
# SLIMMAATWERK_PROFILES at the folder shipped next to its executable.
DEFAULT_DIR = Path(
    os.environ.get("SLIMMAATWERK_PROFILES") or Path(__file__).resolve().parents[2] / "device_profiles"
)


class ProfileError(InputError):
    """A device-profile file is invalid; the message names the file and the field."""


def load_profiles(directory: Path | str = DEFAULT_DIR) -> ProfileRegistry:
    directory = Path(directory)
    files = sorted(directory.glob("*.json"))
    if not files:
        raise ProfileError(f"{directory}: no device profile files (*.json) found")
    profiles: list[Profile] = []
    specials: list[SpecialTopic] = []
    for path in files:
        file_profiles, file_specials = load_file(path)
        profiles.extend(file_profiles)
        specials.extend(file_specials)
    _check_unique(profiles)
    return ProfileRegistry(profiles, specials)


def load_file(path: Path) -> tuple[list[Profile], list[SpecialTopic]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ProfileError(f"{path.name}: not readable JSON: {exc}") from None
    errors = validate(data, FILE)
    if errors:
        raise ProfileError(f"{path.name}: " + f"\n{path.name}: ".join(errors))
    defaults = data.get("defaults", {})
    family_integration = defaults.get("integration", data["family"])
    specials = [
        _special(path, f"discovery[{i}]", entry["pattern"], family_integration,
                 discovery_format=entry["format"])
        for i, entry in enumerate(data.get("discovery", []))
    ] + [
        _special(path, f"ignore_topics[{i}]", entry["pattern"], family_integration,
                 reason=entry["reason"], gateway_state=entry.get("gateway_state", False))
        for i, entry in enumerate(data.get("ignore_topics", []))
    ]
    profiles = [_profile(path, f"profiles[{i}]", {**defaults, **raw}) for i, raw in enumerate(data["profiles"])]
    return profiles, specials


def _special(path: Path, where: str, pattern: str, integration: str, **kwargs: Any) -> SpecialTopic:
    try:
        compiled = compile_pattern(pattern)
    except PatternError as exc:
        raise ProfileError(f"{path.name}: {where}.pattern: {exc}") from None
    return SpecialTopic(compiled, integration, **kwargs)


def _fail(path: Path, where: str, message: str) -> ProfileError:
    return ProfileError(f"{path.name}: {where}: {message}")


def _field(path: Path, where: str, key: str, raw: dict[str, Any]) -> FieldSpec:
    segments = tuple(key.split("."))
    if any(not s for s in segments):
        raise _fail(path, where, f"empty segment in field path {key!r}")
    if raw.get("converter") == "enum" and not raw.get("map"):
        raise _fail(path, where, "converter 'enum' needs a 'map'")
    return FieldSpec(key, segments, raw["kind"], dict(raw))


def _profile(path: Path, where: str, raw: dict[str, Any]) -> Profile:
    pid = raw["id"]
    where = f"{where} ({pid})"
    for required in ("integration", "identity"):
        if required not in raw:
            raise _fail(path, where, f"required field {required!r} is missing (in the profile or defaults)")
    topics = []
    for index, topic in enumerate(raw.get("topics", [])):
        try:
            pattern = compile_pattern(topic["pattern"])
        except PatternError as exc:
            raise _fail(path, f"{where}.topics[{index}].pattern", str(exc)) from None
        spec = TopicSpec(pattern, topic.get("role", "state"), topic.get("payload", "auto"), topic.get("path", ""),
                         topic.get("decoder", ""))
        if "{field}" in spec.path and "field" not in pattern.names:
            raise _fail(path, f"{where}.topics[{index}].path", "uses {field} but the pattern has no {field}")
        missing = [n for n in _PLACEHOLDER_NAMES.findall(raw["identity"]) if n not in pattern.names]
        if raw.get("binding", "topic") == "topic" and missing and not spec.decoder:
            raise _fail(path, f"{where}.topics[{index}].pattern", f"lacks {missing} used by the identity")
        topics.append(spec)
    fields = tuple(_field(path, f"{where}.fields.{key}", key, spec) for key, spec in raw["fields"].items())
    availability = None
    if "availability" in raw:
        availability = _field(path, f"{where}.availability", "availability", raw["availability"])
        if availability.kind != "availability":
            raise _fail(path, f"{where}.availability.kind", "must be 'availability'")
    match = raw.get("match", {})
    binding = raw.get("binding", "topic")
    if binding == "discovery" and not (match.get("models") or raw.get("fallback")):
        raise _fail(path, f"{where}.match.models", "a discovery-bound profile needs models to match")
    examples = tuple(_example(path, f"{where}.examples[{i}]", e) for i, e in enumerate(raw["examples"]))
    return Profile(
        id=pid, integration=raw["integration"], description=raw["description"], file=path.name,
        binding=binding, identity=raw["identity"], topics=tuple(topics), fields=fields,
        availability=availability, models=tuple(match.get("models", ())),
        vendors=tuple(match.get("vendors", ())), model_ids=tuple(match.get("model_ids", ())),
        fallback=raw.get("fallback", False), device_time=raw.get("device_time"),
        power=raw.get("power", "battery"), report_interval_s=raw.get("report_interval_s", 3600),
        hold_s=raw.get("hold_s"), blind_s=raw.get("blind_s"), examples=examples,
    )


def _example(path: Path, where: str, raw: dict[str, Any]) -> Example:
    payload = raw["payload"]
    data = payload.encode("utf-8") if isinstance(payload, str) else json.dumps(payload).encode("utf-8")
    events = tuple((e["kind"], float(e["value"])) for e in raw["events"])
    disposition = raw.get("disposition", "events" if events else "ignore")
    if disposition in ("events", "partial") and not events:
        raise _fail(path, f"{where}.disposition", f"{disposition!r} needs at least one event")
    discovery = raw.get("discovery")
    return Example(raw["topic"], data, events, disposition, tuple(raw.get("rejected", ())),
                   raw.get("retained", False),
                   (discovery["topic"], json.dumps(discovery["payload"]).encode()) if discovery else None)


def _check_unique(profiles: list[Profile]) -> None:
    seen: dict[str, str] = {}
    models: dict[tuple[str, str], str] = {}
    for profile in profiles:
        if profile.id in seen:
            raise ProfileError(f"{profile.file}: profile id {profile.id!r} is also defined in {seen[profile.id]}")
        seen[profile.id] = profile.file
        for model in profile.models:
            key = (profile.integration, model.lower())
            if key in models:
                raise ProfileError(
                    f"{profile.file}: {profile.id}.match.models: {model!r} is already matched by {models[key]}"
                )
            models[key] = profile.id
