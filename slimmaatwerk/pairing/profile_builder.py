"""A profile for a device nobody wrote one for: from sample payloads to a validated profile file.

The installer pastes (or captures on the broker) a few payloads of the unknown topic; ``fields_of``
lists their fields with a suggested kind; the installer maps fields to kinds; ``preview`` shows the
normalised events each sample yields with exactly the code the engine uses; ``save`` writes a profile
family file into the user profile folder after it passed the same schema and semantic checks as the
built-in profiles (``profiles.loader.load_file``) and does not clash with them (``load_registry``).
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..events import KINDS
from ..ingest.pipeline import Pipeline
from ..profiles import DEFAULT_DIR, ProfileError, ProfileRegistry, Reading
from ..profiles.loader import _check_unique, load_file
from ..profiles.user_profiles import USER_FOLDER, user_profiles_dir

__all__ = [
    "USER_FOLDER",
    "Draft",
    "FieldSample",
    "Mapping_",
    "PreviewRow",
    "fields_of",
    "load_registry",
    "parse_samples",
    "preview",
    "preview_rows",
    "profile_document",
    "save",
    "user_profiles_dir",
]

_ID = re.compile(r"[a-z0-9][a-z0-9_.-]{2,80}")
# Field-name hints -> (kind, converter): a suggestion the installer confirms, never applied silently.
_HINTS: tuple[tuple[str, str, str], ...] = (
    ("occupancy|motion|pir|movement", "motion", "boolean"),
    ("contact|door|window|opening", "contact", "boolean"),
    ("presence|occupied|bed", "presence", "boolean"),
    ("leak|water|flood|moisture", "water_leak", "boolean"),
    ("humidity|hum|rh", "humidity", "number"),
    ("co2|carbon", "co2", "number"),
    ("temp", "temperature", "number"),
    ("battery|bat", "battery", "number"),
    ("power|watt|apower", "power", "number"),
    ("lux|illuminance", "illuminance", "number"),
    ("fan|speed", "fan", "number"),
)


@dataclass(frozen=True)
class FieldSample:
    path: str  # dotted path in the payload, "value" for a plain (non-JSON) payload
    values: tuple[Any, ...]
    kind: str = ""  # suggested kind, "" when no hint matched
    converter: str = "number"


@dataclass(frozen=True)
class Mapping_:
    """The installer's choice for one field."""

    kind: str
    converter: str = "number"
    scale: float | None = None
    on: Any = None
    off: Any = None


@dataclass
class Draft:
    id: str
    description: str
    topic: str  # a sample topic; the pattern replaces its last level by {device}
    mappings: dict[str, Mapping_] = field(default_factory=dict)
    model: str = ""
    vendor: str = ""
    report_interval_s: int = 3600
    power: str = "battery"
    pattern: str = ""  # default: derived from ``topic``

    @property
    def topic_pattern(self) -> str:
        if self.pattern:
            return self.pattern
        head, _, _last = self.topic.rpartition("/")
        return f"{head}/{{device}}" if head else "{device}"


def parse_samples(text: str) -> list[str]:
    """Pasted text -> payloads: one JSON document or plain value per non-empty line."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def fields_of(samples: list[str]) -> list[FieldSample]:
    """Every field of the samples with the values seen and a suggested kind."""
    seen: dict[str, list[Any]] = {}
    for sample in samples:
        document = _decode(sample)
        if isinstance(document, Mapping):
            for path, value in _flatten(document):
                seen.setdefault(path, []).append(value)
        else:
            seen.setdefault("value", []).append(document)
    out = []
    for path, values in seen.items():
        kind, converter = _suggest(path, values)
        out.append(FieldSample(path, tuple(values), kind, converter))
    return out


def profile_document(draft: Draft, samples: list[str]) -> dict[str, Any]:
    """The profile family file for ``draft``, with the samples as examples of the events they yield."""
    if not _ID.fullmatch(draft.id):
        raise InputError(f"profile id {draft.id!r}: 3-80 characters, lower case, digits, '.', '_' or '-'")
    if not draft.mappings:
        raise InputError("map at least one field to a kind")
    plain = any(not isinstance(_decode(s), Mapping) for s in samples)
    fields_json: dict[str, Any] = {}
    for path, choice in draft.mappings.items():
        if choice.kind not in KINDS:
            raise InputError(f"{path}: unknown kind {choice.kind!r} (one of {', '.join(KINDS)})")
        spec: dict[str, Any] = {"kind": choice.kind, "converter": choice.converter}
        if choice.scale is not None:
            spec["scale"] = choice.scale
        if choice.on is not None:
            spec["on"] = choice.on
        if choice.off is not None:
            spec["off"] = choice.off
        fields_json[path] = spec
    topic_spec: dict[str, Any] = {"pattern": draft.topic_pattern, "role": "state",
                                  "payload": "value" if plain else "json"}
    if plain:
        topic_spec["path"] = "value"
    profile: dict[str, Any] = {
        "id": draft.id, "description": draft.description or draft.id, "integration": "custom",
        "binding": "topic", "identity": "custom:{device}", "topics": [topic_spec], "fields": fields_json,
        "power": draft.power, "report_interval_s": draft.report_interval_s, "examples": [],
    }
    if draft.model:
        profile["match"] = {"models": [draft.model], **({"vendors": [draft.vendor]} if draft.vendor else {})}
    document = {"family": f"user_{draft.id}", "description": "made with the profile builder",
                "profiles": [profile]}
    # Examples are what the profile really produces: the file documents and tests itself.
    kept = samples[:5] or [""]
    profile["examples"] = [{"topic": draft.topic, "payload": _example_payload(s), "events": []} for s in kept]
    registry = _registry_of(document)
    for sample, example in zip(kept, profile["examples"], strict=True):
        readings = _readings(registry, draft.topic, sample)
        example["events"] = [{"kind": r.kind, "value": r.value} for r in readings]
        if not readings:
            example["disposition"] = "ignore"
    return document


@dataclass(frozen=True)
class PreviewRow:
    """What the engine would make of one sample: events, fields it refused (path, reason), or why none."""

    sample: str
    readings: tuple[Reading, ...]
    rejected: tuple[tuple[str, str], ...]
    reason: str  # the quarantine or ignore reason when the whole message yields nothing


def preview_rows(draft: Draft, samples: list[str]) -> list[PreviewRow]:
    """Every sample through the engine's own pipeline with the draft as the only profile."""
    registry = _registry_of(profile_document(draft, samples[:1] or [""]))
    pipeline = Pipeline(registry)
    out = []
    for sample in samples:
        outcome = pipeline.process(draft.topic, sample.encode("utf-8"), 0)
        out.append(PreviewRow(sample, tuple(outcome.readings), tuple(outcome.rejected), outcome.reason))
    return out


def preview(draft: Draft, samples: list[str]) -> list[tuple[str, list[Reading], str]]:
    """(sample, normalised readings, reason when none) per sample, through the engine's pipeline."""
    return [(row.sample, list(row.readings), row.reason) for row in preview_rows(draft, samples)]


def save(draft: Draft, samples: list[str], user_dir: Path) -> Path:
    """Validate and write ``<user_dir>/<id>.json``; refuses a clash with built-in or saved profiles."""
    document = profile_document(draft, samples)
    user_dir.mkdir(parents=True, exist_ok=True)
    target = user_dir / f"{draft.id}.json"
    text = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    with tempfile.TemporaryDirectory() as scratch:
        trial = Path(scratch) / target.name
        trial.write_text(text, encoding="utf-8")
        load_registry(user_dir, extra=[trial], skip=[target])  # saving again replaces its own file
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(target)
    return target


def load_registry(user_dir: Path | None, builtin_dir: Path = DEFAULT_DIR, *, extra: list[Path] | None = None,
                  skip: list[Path] | None = None) -> ProfileRegistry:
    """Built-in plus user profiles, validated and checked for clashing ids and models as one library."""
    files = sorted(Path(builtin_dir).glob("*.json"))
    if user_dir is not None and Path(user_dir).is_dir():
        files += sorted(p for p in Path(user_dir).glob("*.json") if p not in (skip or []))
    files += extra or []
    profiles, specials = [], []
    for path in files:
        found, special = load_file(path)
        profiles.extend(found)
        specials.extend(special)
    _check_unique(profiles)
    return ProfileRegistry(profiles, specials)


def _registry_of(document: dict[str, Any]) -> ProfileRegistry:
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "draft.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        try:
            profiles, specials = load_file(path)
        except ProfileError as exc:
            raise InputError(str(exc).replace("draft.json: ", "")) from None
    return ProfileRegistry(profiles, specials)


def _readings(registry: ProfileRegistry, topic: str, payload: str) -> list[Reading]:
    return list(Pipeline(registry).process(topic, payload.encode("utf-8"), 0).readings)


def _decode(sample: str) -> Any:
    try:
        return json.loads(sample)
    except json.JSONDecodeError:
        return sample


def _example_payload(sample: str) -> Any:
    document = _decode(sample)
    return document if isinstance(document, Mapping) else sample


def _flatten(document: Mapping[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for key, value in document.items():
        if not isinstance(key, str) or "." in key or not key:
            continue  # a dotted key cannot be addressed by a field path
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, Mapping):
            out.extend(_flatten(value, path))
        elif not isinstance(value, list):
            out.append((path, value))
    return out


def _suggest(path: str, values: list[Any]) -> tuple[str, str]:
    name = path.rsplit(".", 1)[-1].lower()
    for pattern, kind, converter in _HINTS:
        if re.search(pattern, name):
            if converter == "boolean" and all(isinstance(v, int | float) and not isinstance(v, bool) and v not in (0, 1)
                                              for v in values):
                continue
            return kind, converter
    return "", "number"
