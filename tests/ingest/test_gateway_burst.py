"""A burst of replayed state, as when home gateways restart at once: absorbed without loss, no fake activity.

Issue 3 describes 2,000 home gateways bridged into one central broker restarting together (60,000
replayed states). Here half as many devices: 1,000 gateways x 30 devices = 30,000 devices, each
replaying its state twice (60,000 replayed states in all). On the shared 2-core test machine this takes
~33 s on SQLite and ~61 s on PostgreSQL, most of it the first discovery of each device (a database round
trip per new device); 60,000 devices would take twice that. Each device replays:

1. retained states delivered when the engine (re)subscribes: 30,000 retained messages at once;
2. the gateways restart: each announces ``zigbee2mqtt/bridge/state`` online and re-publishes all cached
   states (not retained), 30,000 more messages right behind 1,000 "online" messages.

In both, the occupancy/contact values differ from what the engine knew (the change happened while it was
away, at a time nobody knows), so they must update every device's state without a single motion or
contact event and without heartbeats; battery levels are levels, so a changed one is stored. Every
message is committed (none lost, none quarantined) and every device's last state is known afterwards.
The full-size burst is timed by tests/benchmarks/bench_ingest.py (``burst_60k_s``).
"""

from __future__ import annotations

import json
import time
import uuid
from collections import Counter

import paho.mqtt.client as paho
import pytest

from slimmaatwerk.ingest.engine import IngestEngine
from slimmaatwerk.storage import device_state, quarantine
from tests.ingest.db_helpers import device_rows, stored_events
from tests.ingest.mqtt_helpers import Publisher, bridge_devices, wait_until

GATEWAYS = 1000
PER_GATEWAY = 30
DEVICES = GATEWAYS * PER_GATEWAY


def devices() -> list[tuple[str, str, str]]:
    """(friendly name, ieee, model): alternately an Aqara motion and an Aqara door sensor."""
    return [(f"g{g:04d}/d{j:02d}", f"0x00158d{g * PER_GATEWAY + j:010x}", "RTCGQ11LM" if j % 2 == 0 else "MCCGQ11LM")
            for g in range(GATEWAYS) for j in range(PER_GATEWAY)]


def state(index: int, model: str, phase: int) -> tuple[dict, str, float, float]:
    """(payload, activity kind, its stored value, battery) of a device's cached state in a phase (0 or 1)."""
    active = (index + phase) % 2 == 0  # every device's activity state differs between the two replays
    battery = 90 + index % 10 - (1 if phase == 1 and index % 3 == 0 else 0)  # a third drained a little
    if model == "RTCGQ11LM":
        return ({"occupancy": active, "battery": battery, "linkquality": 60, "illuminance": 0},
                "motion", float(active), float(battery))
    # Zigbee2MQTT contact true = magnet near = closed; the stored contact value is 1 for open
    return {"contact": active, "battery": battery, "linkquality": 60}, "contact", float(not active), float(battery)


def publish_all(client: paho.Client, messages: list[tuple[str, bytes, bool]]) -> None:
    infos = [client.publish(topic, payload, qos=1, retain=retain) for topic, payload, retain in messages]
    for info in infos:
        info.wait_for_publish(60)


def messages_committed(engine: IngestEngine) -> int:
    with engine.db.connect() as conn:
        return quarantine.counters(conn).get("messages", 0)


@pytest.mark.slow
def test_gateway_restart_burst_is_absorbed_without_loss_or_fake_activity(db_url, broker):
    kit = devices()
    setup = Publisher(broker.host, broker.port, client_id="gateways")
    client = setup.client
    setup.publish("zigbee2mqtt/bridge/devices", bridge_devices(*[(n, ieee, m, "Aqara") for n, ieee, m in kit]),
                  retain=True)
    # 1. every gateway's states are retained in the broker before the engine subscribes
    first = [(f"zigbee2mqtt/{name}", json.dumps(state(i, model, 0)[0]).encode(), True)
             for i, (name, _ieee, model) in enumerate(kit)]
    publish_all(client, first)

    engine = IngestEngine(db_url, [broker.url], client_id=f"burst-{uuid.uuid4().hex[:8]}")
    started = time.monotonic()
    engine.start()
    try:
        wait_until(lambda: messages_committed(engine) >= 1 + DEVICES, timeout=120)
        retained_s = time.monotonic() - started

        # 2. all gateways restart at once: online, then each re-publishes its cached states (not retained)
        online = [("zigbee2mqtt/bridge/state", b'{"state":"online"}', True)] * GATEWAYS
        replay = [(f"zigbee2mqtt/{kit[g * PER_GATEWAY + j][0]}",
                   json.dumps(state(g * PER_GATEWAY + j, kit[g * PER_GATEWAY + j][2], 1)[0]).encode(), False)
                  for j in range(PER_GATEWAY) for g in range(GATEWAYS)]
        started = time.monotonic()
        publish_all(client, online + replay)
        total = 1 + DEVICES + GATEWAYS + DEVICES
        wait_until(lambda: messages_committed(engine) >= total, timeout=120)
        burst_s = time.monotonic() - started
        time.sleep(0.5)
        status = engine.status()
    finally:
        engine.stop()
        setup.close()

    # The retained device list arrives once per overlapping subscription (discovery first, then all).
    discovery = status["ignored"].get("discovery", 0)
    assert messages_committed(engine) - discovery == total - 1, "a message was lost or counted twice"
    assert status["ignored"].get("bridge_state") == GATEWAYS
    assert status["quarantined"] == {} and status["writer"]["alive"] is True
    devices_by_identity = device_rows(engine.db)
    assert len(devices_by_identity) == DEVICES

    kinds = Counter(kind for _identity, kind, _value in stored_events(engine.db))
    assert kinds["motion"] == 0 and kinds["contact"] == 0, f"fake activity from replayed states: {kinds}"
    assert kinds["heartbeat"] == 0, "a replay is no proof of life"
    # battery: the first levels (one per device), then only the third that changed in the gateway replay
    assert kinds["battery"] == DEVICES + len(range(0, DEVICES, 3))

    # every device's state is known and is the latest replayed one
    with engine.db.connect() as conn:
        known = {(device_id, kind): value for device_id, kind, value, _ts, _seen in device_state.load_all(conn)}
    wrong = []
    for i, (_name, ieee, model) in enumerate(kit):
        device_id = devices_by_identity[f"zigbee:{ieee}"]["id"]
        _payload, kind, value, battery = state(i, model, 1)
        if known.get((device_id, kind)) != value or known.get((device_id, "battery")) != battery:
            wrong.append((ieee, kind, known.get((device_id, kind)), value))
    assert not wrong, f"{len(wrong)} devices with a wrong or unknown state, e.g. {wrong[:3]}"
    engine.db.dispose()
    print(f"retained burst of {DEVICES} committed in {retained_s:.1f} s; "
          f"gateway replay of {GATEWAYS + DEVICES} in {burst_s:.1f} s")
