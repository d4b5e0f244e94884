"""The Zigbee2MQTT wire format and publishing (with a fake paho client; no broker needed)."""

from __future__ import annotations

import itertools
import json
from datetime import date, timedelta

import pytest

from slimmaatwerk.clock import FixedClock
from slimmaatwerk.errors import InputError
from slimmaatwerk.localtime import day_bounds, format_timestamp
from slimmaatwerk.simulate import simulate_home, zigbee2mqtt_messages
from slimmaatwerk.simulate.mqtt_publish import merged_messages, parse_broker_url, publish

START = date(2026, 1, 5)


@pytest.fixture(scope="module")
def home():
    return simulate_home(0, 2, 4, START)


@pytest.fixture(scope="module")
def messages(home):
    return list(zigbee2mqtt_messages(home))


def _state(payload: bytes) -> dict:
    data = json.loads(payload)
    data.pop("last_seen", None)
    return data


def test_bridge_devices_first_and_retained(home, messages) -> None:
    _when, topic, payload, retain = messages[0]
    assert topic == "zigbee2mqtt/bridge/devices" and retain
    entries = json.loads(payload)
    coordinator = [e for e in entries if e["type"] == "Coordinator"]
    assert len(coordinator) == 1
    devices = {e["friendly_name"]: e for e in entries if e["type"] == "EndDevice"}
    assert set(devices) == {f"r01/{d.device}" for d in home.devices}
    kitchen = devices["r01/kitchen_motion"]
    assert kitchen["definition"]["model"] == "RTCGQ11LM" and kitchen["definition"]["vendor"] == "Aqara"
    assert kitchen["ieee_address"] == next(d.ieee for d in home.devices if d.device == "kitchen_motion")
    assert all(not m[3] for m in messages[1:])
    assert all(m[1].startswith("zigbee2mqtt/r01/") for m in messages[1:])


def test_contact_polarity_is_inverted(home, messages) -> None:
    opened = next(e for e in home.events if e.device == "front_door" and e.kind == "contact" and e.value == 1)
    closed = next(e for e in home.events if e.device == "front_door" and e.kind == "contact" and e.value == 0)
    by_time = {(m[0], m[1]): _state(m[2]) for m in messages[1:]}
    assert by_time[(opened.timestamp, "zigbee2mqtt/r01/front_door")]["contact"] is False  # open
    assert by_time[(closed.timestamp, "zigbee2mqtt/r01/front_door")]["contact"] is True  # closed


def test_heartbeat_repeats_the_cached_state(home, messages) -> None:
    topic = "zigbee2mqtt/r01/kitchen_motion"
    own = [(m[0], _state(m[2]), json.loads(m[2])) for m in messages if m[1] == topic]
    beats = {e.timestamp for e in home.events if e.device == "kitchen_motion" and e.kind == "heartbeat"}
    checked = 0
    for (_, before, _), (when, state, raw) in itertools.pairwise(own):
        if when in beats and not any(e.timestamp == when and e.device == "kitchen_motion" and e.kind != "heartbeat"
                                     for e in home.events):
            assert state == before
            assert raw["last_seen"] == format_timestamp(when)  # when it happened, for fast replays
            checked += 1
    assert checked >= 5
    motion = [s for _, s, _ in own if s.get("occupancy")]
    assert motion and all("illuminance" in s and "linkquality" in s for s in motion)


def test_climate_message_carries_whole_state(messages) -> None:
    climate = [_state(m[2]) for m in messages if m[1] == "zigbee2mqtt/r01/bathroom_climate"]
    assert len(climate) > 200
    assert {"temperature", "humidity", "pressure", "linkquality"} <= set(climate[-1])
    presence = [_state(m[2]) for m in messages if m[1] == "zigbee2mqtt/r01/bed_presence"]
    assert presence and all("battery" not in s for s in presence)  # FP1 is mains powered
    battery = [s for m in messages if m[1] == "zigbee2mqtt/r01/front_door" and "battery" in (s := _state(m[2]))]
    assert battery and all(2700 < s["voltage"] < 3200 for s in battery)


def test_same_moment_events_become_one_message(home, messages) -> None:
    humidity = sum(e.kind == "humidity" for e in home.events)
    climate = sum(m[1] == "zigbee2mqtt/r01/bathroom_climate" for m in messages)
    assert climate == humidity  # humidity + temperature of one report are one message


class FakeInfo:
    def wait_for_publish(self, timeout: float | None = None) -> None:
        return None


class FakeClient:
    def __init__(self) -> None:
        self.published: list[tuple[str, bytes, int, bool]] = []
        self.connected_to: tuple[str, int] | None = None
        self.stopped = False

    def connect(self, host: str, port: int) -> None:
        self.connected_to = (host, port)

    def loop_start(self) -> None: ...

    def loop_stop(self) -> None:
        self.stopped = True

    def disconnect(self) -> None: ...

    def publish(self, topic: str, payload: bytes, qos: int = 0, retain: bool = False) -> FakeInfo:
        self.published.append((topic, payload, qos, retain))
        return FakeInfo()


def test_publish_sends_everything_in_order_with_qos1() -> None:
    homes = [simulate_home(0, 1, 4, START), simulate_home(1, 1, 4, START)]
    client = FakeClient()
    sent = publish(homes, "mqtt://broker.local:1884", 0, client_factory=lambda: client)
    assert client.connected_to == ("broker.local", 1884) and client.stopped
    assert sent == len(client.published) == len(list(merged_messages(homes)))
    assert all(qos == 1 for _, _, qos, _ in client.published)
    topic, payload, _, retain = client.published[0]
    assert topic == "zigbee2mqtt/bridge/devices" and retain
    names = {e["friendly_name"] for e in json.loads(payload)}
    assert {"r01/kitchen_motion", "r02/kitchen_motion", "Coordinator"} <= names
    whens = [m[0] for m in merged_messages(homes)]
    assert whens == sorted(whens)


def test_publish_paces_by_speed() -> None:
    home = simulate_home(0, 1, 4, START)
    clock = FixedClock(day_bounds(START)[0])
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock.advance(timedelta(seconds=seconds))

    publish([home], "mqtt://localhost", 60.0, client_factory=FakeClient, clock=clock, sleep=sleep)
    span = (home.events[-1].timestamp - home.events[0].timestamp).total_seconds()
    assert sum(slept) == pytest.approx(span / 60, rel=1e-6)
    slept.clear()
    publish([home], "mqtt://localhost", 0, client_factory=FakeClient, clock=clock, sleep=sleep)
    assert not slept


@pytest.mark.parametrize("url", ["http://x:1883", "mqtt://", "broker:1883", "mqtt://host:notaport"])
def test_bad_broker_urls(url: str) -> None:
    with pytest.raises(InputError):
        parse_broker_url(url)


def test_tls_scheme_defaults() -> None:
    assert parse_broker_url("mqtts://example.org") == ("example.org", 8883, True)
    assert parse_broker_url("mqtt://example.org") == ("example.org", 1883, False)
