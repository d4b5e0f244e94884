"""Seeded message streams with the events they must produce (the reference model of change-only ingest)."""

from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import dataclass, field

from tests.ingest.mqtt_helpers import bridge_devices

GARBAGE = [b'{"occupancy": tru', b'{"occupancy": nan, "battery": 50}', b"\xff\xfe\xfa not utf-8", b"nan"]


@dataclass
class Stream:
    devices: list[tuple[str, str]]  # (friendly name, identity)
    messages: list[tuple[str, bytes]] = field(default_factory=list)
    expected: Counter[tuple[str, str, float]] = field(default_factory=Counter)
    garbage: Counter[str] = field(default_factory=Counter)

    def bridge_devices(self) -> list[dict]:
        return bridge_devices(*[(name, ident.split(":")[1], "RTCGQ11LM", "Aqara") for name, ident in self.devices])


def motion_stream(seed: int, messages: int, devices: int = 400, garbage_every: int = 97) -> Stream:
    """Aqara motion sensors reporting whole cached states; some garbage mixed in, each unique."""
    rng = random.Random(seed)
    stream = Stream([(f"h{i // 8:03d}/motion_{i % 8}", f"zigbee:0x00158d00{i:08x}") for i in range(devices)])
    state: dict[str, dict[str, float]] = {ident: {} for _, ident in stream.devices}
    for n in range(messages):
        name, ident = stream.devices[n % devices]
        topic = f"zigbee2mqtt/{name}"
        if n % garbage_every == garbage_every - 1:
            raw = GARBAGE[(n // garbage_every) % len(GARBAGE)]
            # unique bytes, so a redelivered copy is recognisable as the same message
            stream.messages.append((topic, raw + f" #{n}".encode()))
            stream.garbage["not_utf8" if raw.startswith(b"\xff") else "nan" if b": nan" in raw else "malformed_json"] += 1
            continue
        reading = {"occupancy": rng.random() < 0.5, "battery": rng.choice([100, 100, 99, 98])}
        stream.messages.append((topic, json.dumps(reading).encode()))
        for kind, value in (("motion", float(reading["occupancy"])), ("battery", float(reading["battery"]))):
            if state[ident].get(kind) != value:
                state[ident][kind] = value
                stream.expected[(ident, kind, value)] += 1
    return stream
