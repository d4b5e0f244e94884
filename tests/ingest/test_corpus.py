"""The whole payload corpus through the pipeline: expected events, dispositions and rejected fields."""

from __future__ import annotations

from collections import Counter

import pytest

from slimmaatwerk.ingest.pipeline import Pipeline
from slimmaatwerk.profiles import load_profiles
from tests.ingest.corpus import Sample, prime, samples

REGISTRY = load_profiles()
SAMPLES = samples()


def test_corpus_is_complete() -> None:
    assert len(SAMPLES) == 78
    assert Counter(s.disposition for s in SAMPLES) == {"events": 63, "partial": 4, "ignore": 8, "quarantine": 3}


@pytest.mark.parametrize("sample", SAMPLES, ids=[f"line{s.line}-{s.integration}" for s in SAMPLES])
def test_corpus_message_yields_expected_events_and_disposition(sample: Sample) -> None:
    pipeline = Pipeline(REGISTRY)
    prime(pipeline, sample)
    outcome = pipeline.process(sample.topic, sample.payload, 1_000)
    assert outcome.disposition == sample.disposition, (outcome.reason, outcome.readings)
    assert Counter((r.kind, round(r.value, 2)) for r in outcome.readings) == Counter(
        (k, round(v, 2)) for k, v in sample.events)
    rejected = {field for field, _ in outcome.rejected}
    if sample.disposition == "quarantine":
        assert "payload" in rejected
    else:
        assert rejected == set(sample.rejected)
    if sample.events:
        assert outcome.device is not None and outcome.device.identity


def test_sub_devices_keep_their_own_readings() -> None:
    itho = next(s for s in SAMPLES if s.topic == "itho/remotesinfo")
    outcome = Pipeline(REGISTRY).process(itho.topic, itho.payload, 0)
    assert {(r.sub, r.kind, r.value) for r in outcome.readings} == {
        ("beneden", "co2", 596), ("beneden", "motion", 1), ("boven", "co2", 535), ("boven", "motion", 1)}


def test_identity_is_stable_hardware_identity_not_the_friendly_name() -> None:
    pipeline = Pipeline(REGISTRY)
    devices = b'[{"ieee_address":"0x00158D0001A2B3C4","friendly_name":"r01/kitchen_motion","type":"EndDevice",' \
              b'"definition":{"model":"RTCGQ11LM","vendor":"Aqara"}}]'
    pipeline.process("zigbee2mqtt/bridge/devices", devices, 0)
    first = pipeline.process("zigbee2mqtt/r01/kitchen_motion", b'{"occupancy":true}', 1)
    renamed = devices.replace(b"r01/kitchen_motion", b"r01/keuken")
    pipeline.process("zigbee2mqtt/bridge/devices", renamed, 2)
    second = pipeline.process("zigbee2mqtt/r01/keuken", b'{"occupancy":false}', 3)
    old = pipeline.process("zigbee2mqtt/r01/kitchen_motion", b'{"occupancy":true}', 4)
    assert first.device and second.device
    assert first.device.identity == second.device.identity == "zigbee:0x00158d0001a2b3c4"
    assert old.disposition == "quarantine" and old.reason == "unknown_device"
