"""Publishing simulated homes to an MQTT broker as Zigbee2MQTT would (the only module that uses paho).

paho is imported lazily inside ``publish`` so that the rest of the simulator (and its tests) need no
network library. Pacing uses a Clock's monotonic time so long replays do not drift.
"""

from __future__ import annotations

import heapq
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from typing import Any
from urllib.parse import urlsplit

from ..clock import Clock, SystemClock
from ..errors import InputError
from .model import SimHome
from .mqtt_format import BASE, Message, bridge_devices_payload, zigbee2mqtt_messages

FAST = 1e6  # a speed at or above this (or 0) means: as fast as the broker takes it
WINDOW = 500  # QoS 1 messages in flight before we wait for acknowledgements


def parse_broker_url(url: str) -> tuple[str, int, bool]:
    parts = urlsplit(url)
    if parts.scheme not in ("mqtt", "mqtts") or not parts.hostname:
        raise InputError(f"broker URL {url!r} must look like mqtt://host:port or mqtts://host:port")
    tls = parts.scheme == "mqtts"
    try:
        port = parts.port or (8883 if tls else 1883)
    except ValueError:
        raise InputError(f"broker URL {url!r} has an invalid port") from None
    return parts.hostname, port, tls


def merged_messages(homes: Sequence[SimHome]) -> Iterator[Message]:
    """All homes' messages in time order, after one retained bridge/devices listing every device."""
    streams = [
        ((when, i, seq, topic, payload, retain)
         for seq, (when, topic, payload, retain) in enumerate(zigbee2mqtt_messages(h, include_bridge=False)))
        for i, h in enumerate(homes)
    ]
    first = min((h.events[0].timestamp for h in homes if h.events), default=None)
    if first is None:
        return
    yield first, f"{BASE}/bridge/devices", bridge_devices_payload(homes), True
    for when, _i, _seq, topic, payload, retain in heapq.merge(*streams):
        yield when, topic, payload, retain


def publish(homes: Sequence[SimHome], broker_url: str, speed: float = 0.0, *,
            client_id: str = "slimmaatwerk-simulator", clock: Clock | None = None,
            sleep: Callable[[float], None] = time.sleep, client_factory: Callable[[], Any] | None = None,
            progress: Callable[[int], None] | None = None,
            should_stop: Callable[[], bool] | None = None) -> int:
    """Publish all homes' events in time order at ``speed`` x real time (QoS 1); returns messages sent.

    ``speed`` 0 (or >= 1e6) sends as fast as possible. ``client_factory`` lets tests pass a fake client.
    """
    host, port, tls = parse_broker_url(broker_url)
    if speed < 0:
        raise InputError(f"speed must be >= 0, not {speed}")
    if client_factory is None:
        import paho.mqtt.client as mqtt  # lazily: only publishing needs paho

        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id)
        if tls:
            client.tls_set()
    else:
        client = client_factory()
    clock = clock or SystemClock()
    client.connect(host, port)
    client.loop_start()
    pending: deque[Any] = deque()
    sent = 0
    try:
        sim0 = wall0 = None
        for when, topic, payload, retain in merged_messages(homes):
            if should_stop is not None and should_stop():
                break
            if 0 < speed < FAST:
                if sim0 is None:
                    sim0, wall0 = when, clock.monotonic()
                delay = wall0 + (when - sim0).total_seconds() / speed - clock.monotonic()
                if delay > 0:
                    sleep(delay)
                    if should_stop is not None and should_stop():
                        break
            pending.append(client.publish(topic, payload, qos=1, retain=retain))
            sent += 1
            while len(pending) > WINDOW:
                pending.popleft().wait_for_publish(10)
            if progress is not None and sent % 10000 == 0:
                progress(sent)
        while pending:
            pending.popleft().wait_for_publish(10)
    finally:
        client.disconnect()
        client.loop_stop()
    return sent
