"""The 78-message payload corpus (tests/fixtures/payloads) and what a pipeline must know to replay it.

The corpus gives each message alone; in a real installation discovery comes first. ``DISCOVERY``
supplies it: the Zigbee2MQTT model per line (what ``bridge/devices`` would say) and the Home Assistant
discovery configs. Duco has no MQTT: its two HTTP samples are replayed on the topic the poller uses.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from slimmaatwerk.ingest.pipeline import Pipeline

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "payloads" / "device_payloads.v2.jsonl"

Z2M_MODELS = {
    1: "RTCGQ11LM", 2: "RTCGQ11LM", 3: "RTCGQ11LM", 4: "RTCGQ11LM", 5: "RTCGQ12LM", 6: "RTCGQ14LM",
    7: "9290012607", 8: "9290030675", 9: "E1525/E1745", 10: "SNZB-03", 11: "SNZB-03", 12: "unknown IAS PIR",
    13: "MCCGQ11LM", 14: "SNZB-04", 15: "WSDCGQ11LM", 16: "WSDCGQ11LM", 17: "WSDCGQ01LM",
    18: "TS0601_air_quality_sensor", 19: "TS0601_air_quality_sensor", 20: "HS3AQ", 21: "SJCGQ11LM",
    22: "RTCZCGQ11LM", 23: "RTCZCGQ13LM", 24: "TS0601_bed_presence_sensor", 25: "ZG-210Z", 26: "SPM915",
    27: "ZNCZ04LM", 28: "E2206", 29: "TS011F_plug_1", 30: "RTCGQ11LM", 31: "RTCGQ11LM",
}
HA_CONFIGS: dict[int, list[tuple[str, dict[str, Any]]]] = {
    34: [("homeassistant/binary_sensor/garden/config",
          {"name": "garden", "device_class": "motion", "state_topic": "homeassistant/binary_sensor/garden/state",
           "unique_id": "garden_motion"})],
    35: [(f"homeassistant/sensor/sensorBedroom{suffix}/config",
          {"device_class": cls, "state_topic": "homeassistant/sensor/sensorBedroom/state",
           "value_template": f"{{{{ value_json.{cls} }}}}", "unique_id": f"bedroom_{cls}",
           "device": {"identifiers": ["sensorBedroom"], "name": "Bedroom"}})
         for suffix, cls in (("T", "temperature"), ("H", "humidity"))],
}
HTTP_TOPICS = {77: "duco/box1/nodes/1", 78: "duco/box2/nodes/1"}


@dataclass(frozen=True)
class Sample:
    line: int
    integration: str
    topic: str
    payload: bytes
    events: tuple[tuple[str, float], ...]
    disposition: str
    rejected: tuple[str, ...]
    semantics: str


def samples() -> list[Sample]:
    out = []
    for line, text in enumerate(CORPUS.read_text(encoding="utf-8").splitlines(), start=1):
        raw = json.loads(text)
        payload = (base64.b64decode(raw["payload"]) if raw["payload_encoding"] == "base64"
                   else raw["payload"].encode("utf-8"))
        out.append(Sample(line, raw["integration"], HTTP_TOPICS.get(line, raw["topic"]), payload,
                          tuple((e["kind"], float(e["value"])) for e in raw["events"]), raw["disposition"],
                          tuple(r["field"] for r in raw["rejected"]), raw["semantics"]))
    return out


def discovery_messages(sample: Sample, ieee: str = "0x00158d0000000001") -> list[tuple[str, bytes]]:
    """The discovery messages a broker would have carried before this sample."""
    if sample.line in Z2M_MODELS:
        name = sample.topic.removeprefix("zigbee2mqtt/").removesuffix("/availability")
        devices = [{"ieee_address": ieee, "friendly_name": name, "type": "EndDevice",
                    "definition": {"model": Z2M_MODELS[sample.line], "vendor": ""}}]
        return [("zigbee2mqtt/bridge/devices", json.dumps(devices).encode())]
    return [(topic, json.dumps(config).encode()) for topic, config in HA_CONFIGS.get(sample.line, [])]


def prime(pipeline: Pipeline, sample: Sample) -> None:
    for topic, payload in discovery_messages(sample):
        pipeline.process(topic, payload, 0)
