"""End to end: a real mosquitto, the real engine, a real database (SQLite file and PostgreSQL)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from slimmaatwerk.errors import EngineBusy
from slimmaatwerk.ingest.engine import IngestEngine
from slimmaatwerk.storage import schema as s
from tests.ingest.db_helpers import device_rows, stored_events
from tests.ingest.mqtt_helpers import Publisher, bridge_devices, wait_until

MOTION = "zigbee:0x00158d0001a2b3c4"
DOOR = "zigbee:0x00158d0001a2b3c5"
FP1 = "zigbee:0x54ef441000a1b2c3"
CLIMATE = "zigbee:0x00158d0001a2b3c6"

KIT = bridge_devices(
    ("r01/kitchen_motion", MOTION.split(":")[1], "RTCGQ11LM", "Aqara"),
    ("r01/front_door", DOOR.split(":")[1], "MCCGQ11LM", "Aqara"),
    ("r01/living_presence", FP1.split(":")[1], "RTCZCGQ11LM", "Aqara"),
    ("r01/bathroom_climate", CLIMATE.split(":")[1], "WSDCGQ11LM", "Aqara"),
)


@pytest.fixture
def engine(db_url, broker, clock):
    engine = IngestEngine(db_url, [broker.url], clock=clock, client_id=f"test-{uuid.uuid4().hex[:8]}")
    engine.start()
    yield engine
    engine.stop()


@pytest.fixture
def publisher(broker):
    publisher = Publisher(broker.host, broker.port)
    yield publisher
    publisher.close()


def events_of(engine: IngestEngine, identity: str) -> list[tuple[str, float]]:
    return [(kind, value) for ident, kind, value in stored_events(engine.db) if ident == identity]


def test_simulated_kit_is_discovered_and_normalised(engine, publisher, clock):
    publisher.publish("zigbee2mqtt/bridge/devices", KIT, retain=True)
    devices = wait_until(lambda: len(device_rows(engine.db)) == 4 and device_rows(engine.db))
    assert devices[MOTION]["name"] == "r01/kitchen_motion"
    assert devices[MOTION]["profile"] == "z2m.aqara.rtcgq11lm"
    assert devices[FP1]["model"] == "RTCZCGQ11LM"
    assert "zigbee:0x00124b0000000001" not in devices  # the coordinator is no device

    publisher.publish("zigbee2mqtt/r01/kitchen_motion", {"occupancy": True, "battery": 91, "illuminance": 12})
    publisher.publish("zigbee2mqtt/r01/front_door", {"contact": False, "battery": 88})
    publisher.publish("zigbee2mqtt/r01/living_presence", {"presence": True})
    publisher.publish("zigbee2mqtt/r01/bathroom_climate",
                      {"temperature": 21.5, "humidity": 55.2, "pressure": 1012, "battery": 80})
    wait_until(lambda: len(stored_events(engine.db)) == 9)
    clock.advance(timedelta(minutes=2))
    publisher.publish("zigbee2mqtt/r01/front_door", {"contact": True, "battery": 88})
    publisher.publish("zigbee2mqtt/r01/kitchen_motion", {"occupancy": False, "battery": 91, "illuminance": 12})
    wait_until(lambda: len(stored_events(engine.db)) == 11)

    motion = events_of(engine, MOTION)
    assert sorted(motion[:3]) == [("battery", 91.0), ("illuminance", 12.0), ("motion", 1.0)]
    assert motion[3:] == [("motion", 0.0)]  # only the change; battery and illuminance repeated
    door = events_of(engine, DOOR)
    assert ("contact", 1.0) in door and door[-1] == ("contact", 0.0)  # false = open, then true = closed
    assert events_of(engine, FP1) == [("presence", 1.0)]
    assert sorted(events_of(engine, CLIMATE)) == [("battery", 80.0), ("humidity", 55.2), ("temperature", 21.5)]


def test_cached_state_repeat_is_a_heartbeat_not_a_new_event(engine, publisher, clock):
    publisher.publish("zigbee2mqtt/bridge/devices", KIT, retain=True)
    wait_until(lambda: len(device_rows(engine.db)) == 4)
    state = {"occupancy": True, "battery": 91, "illuminance": 12}
    publisher.publish("zigbee2mqtt/r01/kitchen_motion", state)
    wait_until(lambda: len(events_of(engine, MOTION)) == 3)
    clock.advance(timedelta(minutes=50))
    publisher.publish("zigbee2mqtt/r01/kitchen_motion", state)  # the Xiaomi hourly report, unchanged
    wait_until(lambda: ("heartbeat", 1.0) in events_of(engine, MOTION))
    assert sorted(events_of(engine, MOTION)) == [("battery", 91.0), ("heartbeat", 1.0), ("illuminance", 12.0),
                                                 ("motion", 1.0)]


def test_malformed_payload_is_quarantined_and_ingest_keeps_running(engine, publisher, clock, caplog):
    publisher.publish("zigbee2mqtt/bridge/devices", KIT, retain=True)
    wait_until(lambda: len(device_rows(engine.db)) == 4)
    publisher.publish("zigbee2mqtt/r01/kitchen_motion", b'{"occupancy": tru')
    publisher.publish("zigbee2mqtt/r01/bathroom_climate", b'{"temperature": nan, "humidity": 50}')
    publisher.publish("zigbee2mqtt/r01/front_door", b"\xff\xfe\x00garbage")
    wait_until(lambda: sum(engine.status()["quarantined"].values()) == 3)
    publisher.publish("zigbee2mqtt/r01/kitchen_motion", {"occupancy": True, "battery": 90})
    wait_until(lambda: ("motion", 1.0) in events_of(engine, MOTION))

    status = engine.status()
    assert status["quarantined"] == {"malformed_json": 1, "nan": 1, "not_utf8": 1}
    assert status["writer"]["alive"] is True
    assert "quarantined message" in caplog.text
    with engine.db.connect() as conn:
        kept = conn.execute(select(s.quarantine.c.device, s.quarantine.c.reason, s.quarantine.c.payload)).all()
    assert (DOOR, "not_utf8", b"\xff\xfe\x00garbage") in [tuple(r) for r in kept]
    assert not events_of(engine, CLIMATE)  # nothing from the corrupt message


def test_unassigned_devices_events_are_stored_and_status_reports_them(engine, publisher):
    publisher.publish("zigbee2mqtt/bridge/devices", KIT, retain=True)
    wait_until(lambda: len(device_rows(engine.db)) == 4)
    publisher.publish("zigbee2mqtt/r01/kitchen_motion", {"occupancy": True, "battery": 77})
    wait_until(lambda: events_of(engine, MOTION))
    status = engine.status()
    assert status["events_stored"] == 2
    motion = next(d for d in status["devices"] if d["id"] == MOTION)
    assert motion["resident"] is None and motion["battery"] == 77.0 and motion["last_seen"]
    assert status["writer"]["last_commit"] is not None and status["writer"]["queue"] == 0


def test_second_engine_on_the_same_database_refuses(engine, db_url, broker, clock):
    second = IngestEngine(db_url, [broker.url], clock=clock, client_id="second")
    with pytest.raises(EngineBusy):
        second.start()


def test_on_commit_is_called_with_the_number_of_new_events(engine, publisher):
    calls: list[int] = []
    engine.on_commit.append(calls.append)
    publisher.publish("zigbee2mqtt/bridge/devices", KIT, retain=True)
    wait_until(lambda: len(device_rows(engine.db)) == 4)
    publisher.publish("zigbee2mqtt/r01/living_presence", {"presence": True})
    wait_until(lambda: sum(calls) == 1)
    assert sum(calls) == 1
