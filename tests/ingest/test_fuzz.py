"""Hypothesis fuzzing: no topic or payload crashes or stalls ingest, and valid messages still get through."""

from __future__ import annotations

import json
import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slimmaatwerk.ingest.engine import IngestEngine
from slimmaatwerk.ingest.pipeline import Pipeline
from slimmaatwerk.profiles import load_profiles
from tests.ingest.db_helpers import stored_events
from tests.ingest.mqtt_helpers import Publisher, bridge_devices, wait_until

REGISTRY = load_profiles()
PREFIXES = ["zigbee2mqtt/", "zigbee2mqtt/bridge/", "homeassistant/sensor/", "shellies/", "tele/", "itho/",
            "ebusd/", "RAMSES/GATEWAY/", "comfoconnect/sensor/", "shellyplus1-abc/", "duco/", ""]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=20,
)
payloads = st.one_of(
    st.binary(max_size=200),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.dictionaries(st.sampled_from(["occupancy", "contact", "battery", "temperature", "humidity", "presence",
                                     "co2", "power", "state", "last_seen", "illuminance"]),
                    json_values, max_size=6).map(lambda v: json.dumps(v).encode()),
    st.sampled_from([b"nan", b"", b"ON", b"offline", b"{\"state\":\"online\"}", b"-1", b"32767", b"1e999"]),
)
topics = st.builds(lambda p, rest: p + rest, st.sampled_from(PREFIXES),
                   # MQTT forbids control characters in topics (mosquitto drops such a publisher)
                   st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="#+"),
                           min_size=1, max_size=40))


@settings(max_examples=1500, deadline=None)
@given(topic=topics, payload=payloads, retained=st.booleans())
def test_pipeline_never_raises_and_always_decides(topic: str, payload: bytes, retained: bool) -> None:
    pipeline = Pipeline(REGISTRY)
    pipeline.directory.bind_zigbee("r01/kitchen_motion", "0x00158d0001a2b3c4", "RTCGQ11LM")
    outcome = pipeline.process(topic, payload, 1_000, retained)
    assert outcome.disposition in ("events", "partial", "ignore", "quarantine")
    assert outcome.reason != "pipeline_error", (topic, payload)
    for reading in outcome.readings:
        assert reading.value == reading.value  # never NaN
    if outcome.disposition in ("events", "partial"):
        assert outcome.readings and outcome.device is not None


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(garbage=st.lists(st.tuples(topics, payloads), min_size=5, max_size=40))
def test_fuzzed_traffic_through_the_broker_never_stalls_ingest(broker, tmp_path_factory, garbage) -> None:
    db_url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'slim.db'}"
    engine = IngestEngine(db_url, [broker.url], client_id=f"fuzz-{uuid.uuid4().hex[:8]}")
    publisher = Publisher(broker.host, broker.port, client_id=f"fuzzpub-{uuid.uuid4().hex[:8]}")
    try:
        engine.start()
        ieee = f"0x00158d{uuid.uuid4().hex[:10]}"
        publisher.publish("zigbee2mqtt/bridge/devices", bridge_devices(("fz/climate", ieee, "WSDCGQ11LM", "Aqara")),
                          retain=True)
        wait_until(lambda: engine.status()["devices"])
        messages = []
        for topic, payload in garbage:
            if "bridge" in topic or topic.startswith("zigbee2mqtt/fz/climate"):
                continue  # keep the known device's own stream and discovery clean
            messages.append((topic, payload))
            # every valid reading differs from the last, so each must become exactly one event
            messages.append(("zigbee2mqtt/fz/climate", {"temperature": 10 + len(messages) / 10, "battery": 90}))
        publisher.publish_many(messages)
        valid = sum(1 for t, _ in messages if t == "zigbee2mqtt/fz/climate")
        identity = f"zigbee:{ieee}"
        wait_until(lambda: len([e for e in stored_events(engine.db) if e[0] == identity and e[1] == "temperature"])
                   == valid, timeout=30)
        status = engine.status()
        assert status["writer"]["alive"] and status["writer"]["error"] is None
        assert all(b["state"] == "connected" for b in status["brokers"])
    finally:
        publisher.close()
        engine.stop()
