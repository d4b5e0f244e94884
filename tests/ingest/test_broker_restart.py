"""Broker restart mid-stream: mosquitto stopped with SIGTERM (persistence on) while a QoS 1 publisher keeps
going and resends what the broker did not acknowledge; after the broker is back, the stored events equal
the expected ones exactly: nothing lost, nothing doubled.

The publisher is paho with its own at-least-once behaviour: unacknowledged messages are resent (DUP)
after its reconnect, so the broker may receive a message twice. The stream cycles through more devices
than the publisher has messages in flight, so such a repeat is always the device's current state (as a
real device's resend is) and must not become an event. While the broker is away the publisher keeps
producing into its own backlog, and after the reconnect it sends that backlog only once paho's resends
are acknowledged: paho itself would send new messages ahead of its resends (seen here: the broker
received message 4,535 before 2,076), and a gateway that reorders one device's states is a different
problem than the one this test is about. The engine keeps its persistent session across the restart: what
mosquitto had queued for it (saved to its persistence file on SIGTERM) arrives after the reconnect.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter

import paho.mqtt.client as paho
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from slimmaatwerk.ingest.engine import IngestEngine
from slimmaatwerk.storage import quarantine
from slimmaatwerk.storage import schema as s
from tests.ingest.db_helpers import count_rows, stored_events
from tests.ingest.mqtt_helpers import Publisher, wait_until
from tests.ingest.streams import motion_stream

MESSAGES = 6_000
DEVICES = 400
INFLIGHT = 20  # paho's default max_inflight_messages; must stay below DEVICES (see the docstring)


class ResendingPublisher:
    """Publishes a stream at a steady pace and keeps going while the broker is away (paho queues and resends)."""

    def __init__(self, host: str, port: int, messages: list[tuple[str, bytes]], rate: float) -> None:
        self.client = paho.Client(callback_api_version=CallbackAPIVersion.VERSION2,
                                  client_id=f"resender-{uuid.uuid4().hex[:6]}", protocol=paho.MQTTv311)
        self.client.max_inflight_messages_set(INFLIGHT)
        self.client.max_queued_messages_set(0)  # unlimited: nothing is dropped while the broker is down
        self.client.reconnect_delay_set(0.1, 0.5)
        self.disconnects = 0
        self.acked: set[int] = set()
        self.resync = threading.Event()  # set on a disconnect: resend what is in flight before anything new
        self.client.on_disconnect = self._on_disconnect
        self.client.on_publish = lambda _c, _u, mid, _rc, _p: self.acked.add(mid)
        self.client.connect(host, port)
        self.client.loop_start()
        self.messages = messages
        self.rate = rate
        self.sent = 0
        self.infos: list[paho.MQTTMessageInfo] = []
        self.thread = threading.Thread(target=self._send, daemon=True)

    def _on_disconnect(self, *_args: object) -> None:
        self.disconnects += 1
        self.resync.set()

    def _send(self) -> None:
        start = time.monotonic()
        for index, (topic, payload) in enumerate(self.messages):
            delay = start + index / self.rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            if self.resync.is_set():  # the backlog waits until paho's resends are acknowledged, in order
                while not (self.client.is_connected() and all(info.mid in self.acked for info in self.infos)):
                    time.sleep(0.01)
                self.resync.clear()
            # if the connection just dropped, paho keeps this one (rc NO_CONN) and resends it with the rest
            self.infos.append(self.client.publish(topic, payload, qos=1))
            self.sent = index + 1

    def all_acknowledged(self) -> bool:
        # (info.is_published() raises for a message first published while disconnected, even once resent)
        return len(self.infos) == len(self.messages) and all(info.mid in self.acked for info in self.infos)

    def close(self) -> None:
        self.client.loop_stop()
        self.client.disconnect()


def messages_committed(db) -> int:  # type: ignore[no-untyped-def]
    with db.connect() as conn:
        return quarantine.counters(conn).get("messages", 0)


def quarantined(db) -> int:  # type: ignore[no-untyped-def]
    with db.connect() as conn:
        return sum(quarantine.counters(conn, "quarantined:").values())


def non_heartbeat_events(db) -> Counter:  # type: ignore[no-untyped-def]
    return Counter(e for e in stored_events(db) if e[1] != "heartbeat")


@pytest.mark.parametrize("protocol", [5, 4])
def test_broker_sigterm_mid_stream_loses_and_doubles_nothing(db_url, broker, protocol):
    stream = motion_stream(seed=11, messages=MESSAGES, devices=DEVICES)
    engine = IngestEngine(db_url, [broker.url], client_id=f"restart-{uuid.uuid4().hex[:8]}", protocol=protocol)
    engine.start()
    sender: ResendingPublisher | None = None
    try:
        setup = Publisher(broker.host, broker.port, client_id="setup")
        setup.publish("zigbee2mqtt/bridge/devices", stream.bridge_devices(), retain=True)
        setup.close()
        wait_until(lambda: count_rows(engine.db, s.devices) == DEVICES, timeout=30)

        sender = ResendingPublisher(broker.host, broker.port, stream.messages, rate=2_000)
        sender.thread.start()
        wait_until(lambda: sender.sent >= MESSAGES // 3, timeout=30)
        broker.stop()  # SIGTERM: mosquitto saves its persistence file (queued messages, sessions)
        stopped_at = messages_committed(engine.db)
        time.sleep(1.0)  # the publisher keeps publishing into its own queue meanwhile
        assert engine.connections[0].state != "connected"
        broker.start_again()

        sender.thread.join(60)
        wait_until(sender.all_acknowledged, timeout=60)
        assert 0 < stopped_at < MESSAGES, "the broker was not stopped mid-stream: nothing was tested"
        assert sender.disconnects >= 1
        try:
            wait_until(lambda: non_heartbeat_events(engine.db) == stream.expected, timeout=90)
        except AssertionError:
            got = non_heartbeat_events(engine.db)
            pytest.fail(f"missing {sum((stream.expected - got).values())}: {list((stream.expected - got).items())[:5]}; "
                        f"extra {sum((got - stream.expected).values())}: {list((got - stream.expected).items())[:5]}; "
                        f"broker stopped after {stopped_at} committed messages; "
                        f"ignored {engine.status()['ignored']}; messages {messages_committed(engine.db)}")
        wait_until(lambda: engine.writer.queue_size == 0, timeout=30)
        time.sleep(1.0)  # anything still arriving now would be a duplicate
        assert non_heartbeat_events(engine.db) == stream.expected
        garbage = sum(stream.garbage.values())
        # Every corrupt message is quarantined; a publisher-side resend of one may count it twice at most.
        assert garbage <= quarantined(engine.db) <= garbage + INFLIGHT
        assert engine.connections[0].connects >= 2
        assert engine.status()["writer"]["alive"] is True
    finally:
        if sender is not None:
            sender.close()
        engine.stop()
