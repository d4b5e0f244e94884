"""One test over every profile definition and every example it ships (zigbee-herdsman style)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from slimmaatwerk.events import KINDS
from slimmaatwerk.ingest.pipeline import Pipeline
from slimmaatwerk.profiles import CONVERTERS, Profile, ProfileError, load_profiles
from slimmaatwerk.profiles.loader import DEFAULT_DIR

REGISTRY = load_profiles()
EXAMPLES = [(p, i) for p in REGISTRY.profiles for i in range(len(p.examples))]


def pipeline_for(profile: Profile, topic: str) -> Pipeline:
    """A pipeline that knows the example's device the way discovery would have told it."""
    pipeline = Pipeline(REGISTRY)
    if profile.binding == "discovery" and profile.integration == "zigbee2mqtt":
        name = topic.removeprefix("zigbee2mqtt/").removesuffix("/availability")
        model = profile.models[0] if profile.models else "unknown-model"
        pipeline.directory.bind_zigbee(name, "0x00158d00000000aa", model)
    return pipeline


@pytest.mark.parametrize(("profile", "index"), EXAMPLES, ids=[f"{p.id}[{i}]" for p, i in EXAMPLES])
def test_every_profile_example_yields_its_events(profile: Profile, index: int) -> None:
    example = profile.examples[index]
    pipeline = pipeline_for(profile, example.topic)
    if example.discovery is not None:
        assert pipeline.process(*example.discovery, 500).discovered
    outcome = pipeline.process(example.topic, example.payload, 1_000, example.retained)
    assert outcome.disposition == example.disposition, outcome
    assert Counter((r.kind, r.value) for r in outcome.readings) == Counter(example.events)
    if outcome.readings:
        assert outcome.device is not None and outcome.device.profile_id == profile.id
    if example.rejected:
        assert sorted(f for f, _ in outcome.rejected) == sorted(example.rejected)


def test_every_profile_is_complete_and_unique() -> None:
    assert len(REGISTRY) == len(REGISTRY.by_id)
    for profile in REGISTRY.profiles:
        assert profile.examples, profile.id
        assert {f.kind for f in profile.fields} <= set(KINDS)
        assert all(f.options.get("converter", "number") in CONVERTERS for f in profile.fields)
        # every mapped kind is exercised by at least one example of the profile (or its family)
        if profile.binding == "topic":
            assert profile.topics, profile.id


def test_library_covers_the_required_models() -> None:
    required = ["RTCGQ11LM", "RTCGQ14LM", "9290012607", "E1525/E1745", "SNZB-03", "MCCGQ11LM", "SNZB-04",
                "WSDCGQ11LM", "RTCZCGQ11LM", "SJCGQ11LM"]
    for model in required:
        found = REGISTRY.for_model("zigbee2mqtt", model)
        assert found is not None and not found.fallback, model


def test_motion_quirks_are_data() -> None:
    aqara = REGISTRY.for_model("zigbee2mqtt", "RTCGQ11LM")
    assert aqara is not None and (aqara.hold_s, aqara.blind_s) == (90, 60)


def _write(tmp_path: Path, data: dict) -> Path:
    (tmp_path / "bad.json").write_text(json.dumps(data))
    return tmp_path


BASE = {"family": "x", "defaults": {"integration": "x", "identity": "x:{device}",
                                    "topics": [{"pattern": "x/{device}"}]}}


@pytest.mark.parametrize(
    ("profile", "message"),
    [
        ({"id": "a", "description": "", "fields": {"t": {"kind": "temprature"}}, "examples": []},
         "profiles[0].fields.t.kind: 'temprature' is not one of"),
        ({"id": "a", "description": "", "fields": {"t": {"kind": "temperature", "converter": "nope"}},
          "examples": [{"topic": "x/1", "payload": "1", "events": []}]},
         "profiles[0].fields.t.converter: 'nope' is not one of"),
        ({"id": "a", "description": "", "fields": {}, "examples": [{"topic": "x/1", "payload": "1", "events": []}],
          "colour": "red"}, "profiles[0].colour: unknown field"),
        ({"id": "a", "description": "", "fields": {}, "topics": [{"pattern": "x/{device"}],
          "examples": [{"topic": "x/1", "payload": "1", "events": []}]}, "profiles[0] (a).topics[0].pattern"),
    ],
)
def test_invalid_profile_files_name_file_and_field(tmp_path: Path, profile: dict, message: str) -> None:
    with pytest.raises(ProfileError) as caught:
        load_profiles(_write(tmp_path, {**BASE, "profiles": [profile]}))
    assert "bad.json" in str(caught.value) and message in str(caught.value)


def test_duplicate_models_across_files_are_refused(tmp_path: Path) -> None:
    for name in ("a", "b"):
        profile = {"id": name, "description": "", "match": {"models": ["M1"]}, "fields": {},
                   "examples": [{"topic": "x/1", "payload": "1", "events": []}]}
        (tmp_path / f"{name}.json").write_text(json.dumps({**BASE, "profiles": [profile]}))
    with pytest.raises(ProfileError, match="'M1' is already matched by a"):
        load_profiles(tmp_path)


def test_default_directory_is_the_repository_library() -> None:
    assert DEFAULT_DIR.name == "device_profiles" and any(DEFAULT_DIR.glob("*.json"))


def test_subscription_filters_are_valid_and_cover_every_example() -> None:
    from slimmaatwerk.profiles.topics import filter_matches

    filters = REGISTRY.subscription_filters()
    for mqtt_filter in filters:
        levels = mqtt_filter.split("/")
        assert all(level in ("+", "#") or not set(level) & set("+#{}") for level in levels), mqtt_filter
        assert "#" not in levels[:-1], mqtt_filter
    for profile in REGISTRY.profiles:
        for example in profile.examples:
            if example.discovery is not None:
                continue  # Home Assistant state topics are subscribed when their config arrives
            assert any(filter_matches(f, example.topic) for f in filters), example.topic
