"""A profile for an unknown device: fields suggested from samples, a preview through the engine's own
pipeline, validated by the built-in schema, saved to the user folder and loaded with the built-ins."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from slimmaatwerk.errors import InputError
from slimmaatwerk.ingest.pipeline import Pipeline
from slimmaatwerk.pairing import profile_builder as pb
from slimmaatwerk.profiles import ProfileError

SAMPLES = ['{"pir": 1, "batt": 88, "rssi": -60, "info": {"temp_c": 21.5}}', '{"pir": 0, "batt": 87, "rssi": -61}']


def draft(**changes: object) -> pb.Draft:
    base = pb.Draft("acme.pir", "ACME hal-PIR", "acme/hal/sensor7",
                    {"pir": pb.Mapping_("motion", "boolean"), "batt": pb.Mapping_("battery"),
                     "info.temp_c": pb.Mapping_("temperature")}, model="PIR-7", vendor="ACME")
    for key, value in changes.items():
        setattr(base, key, value)
    return base


def test_fields_are_listed_with_suggested_kinds() -> None:
    fields = {f.path: f for f in pb.fields_of(pb.parse_samples("\n".join(SAMPLES) + "\n\n"))}
    assert fields["pir"].kind == "motion" and fields["pir"].values == (1, 0)
    assert fields["batt"].kind == "battery" and fields["info.temp_c"].kind == "temperature"
    assert fields["rssi"].kind == ""  # no guess: the installer decides
    assert [f.path for f in pb.fields_of(["ON", "OFF"])] == ["value"]


def test_preview_shows_the_normalised_events() -> None:
    rows = pb.preview(draft(), SAMPLES)
    assert [[(r.kind, r.value) for r in readings] for _s, readings, _why in rows] == [
        [("motion", 1.0), ("battery", 88.0), ("temperature", 21.5)], [("motion", 0.0), ("battery", 87.0)]]
    plain = pb.Draft("acme.plug", "plug", "acme/plug/p1", {"value": pb.Mapping_("power")})
    assert [(r.kind, r.value) for r in pb.preview(plain, ["12.5"])[0][1]] == [("power", 12.5)]


def test_saved_profile_loads_with_the_builtins_and_routes_messages(tmp_path: Path) -> None:
    folder = pb.user_profiles_dir(tmp_path)
    path = pb.save(draft(), SAMPLES, folder)
    document = json.loads(path.read_text())
    assert document["profiles"][0]["examples"][0]["events"][0] == {"kind": "motion", "value": 1.0}
    registry = pb.load_registry(folder)
    assert "acme.pir" in registry.by_id and "z2m.aqara.rtcgq11lm" in registry.by_id
    outcome = Pipeline(registry).process("acme/hal/sensor9", b'{"pir": true, "batt": 55}', 0)
    assert outcome.device is not None and outcome.device.identity == "custom:sensor9"
    assert [(r.kind, r.value) for r in outcome.readings] == [("motion", 1.0), ("battery", 55.0)]
    assert pb.save(draft(description="ACME v2"), SAMPLES, folder) == path  # saving again replaces it


def test_bad_drafts_are_refused_in_words(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="profile id"):
        pb.save(draft(id="X"), SAMPLES, tmp_path)
    with pytest.raises(InputError, match="map at least one field"):
        pb.save(draft(mappings={}), SAMPLES, tmp_path)
    with pytest.raises(InputError, match="unknown kind 'smell'"):
        pb.save(draft(mappings={"pir": pb.Mapping_("smell")}), SAMPLES, tmp_path)
    with pytest.raises(InputError, match="converter"):
        pb.save(draft(mappings={"pir": pb.Mapping_("motion", "magic")}), SAMPLES, tmp_path)
    with pytest.raises(ProfileError, match="z2m.generic"):
        pb.save(draft(id="z2m.generic"), SAMPLES, tmp_path)
    assert list(tmp_path.glob("*.json")) == []
    pb.save(draft(), SAMPLES, tmp_path)
    with pytest.raises(ProfileError, match="'PIR-7' is already matched by acme.pir"):
        pb.save(draft(id="acme.copy"), SAMPLES, tmp_path)
    assert [p.name for p in tmp_path.glob("*.json")] == ["acme.pir.json"]
