"""Ingest benchmark: drain a queued backlog through the pipeline vs a bare paho subscriber.

    python tests/benchmarks/bench_ingest.py [--messages 50000] [--rounds 5] [--encrypted]

Starts a private mosquitto, fills a persistent session with a backlog of Zigbee2MQTT messages, then
drains it alternately with the full engine (profiles -> tracker -> committed SQLite) and with a bare
paho subscriber that only acks (same protocol v5, same QoS 1, same ReceiveMaximum). Also measures a
60,000-message gateway-restart burst, commit latency at a live 500 msg/s, and bytes per stored event.
The last stdout line is one JSON object; progress goes to stderr.

``--encrypted`` runs the same measurement against an SQLCipher-encrypted database, opened the way the
product opens one (its key created in an OS keyring; here an in-memory keyring), and reports
``"encrypted": true``: the overhead of encryption at rest is the difference between the two runs.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import paho.mqtt.client as paho
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from sqlalchemy import text

from slimmaatwerk.clock import SystemClock
from slimmaatwerk.ingest.engine import IngestEngine
from slimmaatwerk.storage.encryption import at_rest
from tests.ingest.mqtt_helpers import Publisher, bridge_devices
from tests.support.memory_keyring import MemoryKeyring
from tests.support.servers import run_mosquitto

DEVICES = 500


def say(*args: object) -> None:
    print(*args, file=sys.stderr, flush=True)


def names() -> list[tuple[str, str]]:
    return [(f"h{i // 10:04d}/sensor_{i % 10}", f"0x00158d{i:010x}") for i in range(DEVICES)]


def backlog(round_no: int, count: int) -> list[tuple[str, bytes]]:
    out = []
    for n in range(count):
        name, _ = names()[n % DEVICES]
        payload = {"occupancy": (n // DEVICES + round_no) % 2 == 0, "battery": 100 - (n // 7919) % 3,
                   "illuminance": (n * 7) % 300, "linkquality": 100, "voltage": 3000}
        out.append((f"zigbee2mqtt/{name}", json.dumps(payload).encode()))
    return out


def choose_key_store(encrypted: bool) -> None:
    """A database is created encrypted exactly when a protected key store exists: provide one (in
    memory) for ``--encrypted``, and make sure there is none otherwise, whatever this machine has."""
    import keyring
    from keyring.backends import fail

    os.environ.pop("CREDENTIALS_DIRECTORY", None)
    keyring.set_keyring(MemoryKeyring() if encrypted else fail.Keyring())


def connect_args(session_client: paho.Client) -> dict:
    properties = Properties(PacketTypes.CONNECT)
    properties.SessionExpiryInterval = 3600
    properties.ReceiveMaximum = 1000
    return {"clean_start": False, "properties": properties}


def make_session(broker, client_id: str) -> None:
    """Create the persistent session (subscribed) and leave, so the backlog queues for it."""
    client = paho.Client(callback_api_version=CallbackAPIVersion.VERSION2, client_id=client_id,
                         protocol=paho.MQTTv5, manual_ack=True)
    done = threading.Event()
    client.on_subscribe = lambda *a: done.set()
    client.on_connect = lambda c, *a: c.subscribe("zigbee2mqtt/#", qos=1)
    client.connect(broker.host, broker.port, **connect_args(client))
    client.loop_start()
    done.wait(10)
    client.disconnect()
    client.loop_stop()


def drain_bare(broker, client_id: str, count: int) -> tuple[float, float]:
    received = 0
    done = threading.Event()
    client = paho.Client(callback_api_version=CallbackAPIVersion.VERSION2, client_id=client_id,
                         protocol=paho.MQTTv5, manual_ack=True)

    def on_message(c: paho.Client, _u: object, message: paho.MQTTMessage) -> None:
        nonlocal received
        c.ack(message.mid, message.qos)
        received += 1
        if received >= count:
            done.set()

    client.on_message = on_message
    cpu0 = time.process_time()
    start = time.perf_counter()
    client.connect(broker.host, broker.port, **connect_args(client))
    client.loop_start()
    done.wait(600)
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu0
    client.disconnect()
    client.loop_stop()
    return count / elapsed, cpu / count * 1e6


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def drain_pipeline(broker, db_url: str, client_id: str, count: int) -> tuple[float, float]:
    """Messages per second and CPU µs per message of the engine, its receiver process included (its CPU
    is counted once it has ended, so after the stop; the stop's own work is a rounding error)."""
    engine = IngestEngine(db_url, [broker.url], clock=SystemClock(), client_id=client_id)
    cpu0 = time.process_time() + children_cpu()
    start = time.perf_counter()
    engine.start()
    while engine.writer.messages < count:
        time.sleep(0.005)
    elapsed = time.perf_counter() - start
    engine.stop()
    cpu = time.process_time() + children_cpu() - cpu0
    return count / elapsed, cpu / count * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--burst", type=int, default=60_000)
    parser.add_argument("--encrypted", action="store_true", help="an SQLCipher-encrypted database")
    args = parser.parse_args()
    choose_key_store(args.encrypted)
    work = Path(tempfile.mkdtemp(prefix="slim-bench-"))
    db_path = work / "bench.db"
    db_url = f"sqlite:///{db_path}"
    with run_mosquitto(work / "mosquitto") as broker:
        publisher = Publisher(broker.host, broker.port, client_id="bench-pub")
        publisher.publish("zigbee2mqtt/bridge/devices",
                          bridge_devices(*[(n, ieee, "RTCGQ11LM", "Aqara") for n, ieee in names()]), retain=True)
        make_session(broker, "bench-pipeline")
        make_session(broker, "bench-bare")
        # the engine learns the devices once (discovery) before the timed rounds
        engine = IngestEngine(db_url, [broker.url], client_id="bench-pipeline")
        if at_rest(engine.db).encrypted != args.encrypted:
            raise SystemExit(f"the database is {'not ' if args.encrypted else ''}encrypted; SQLCipher missing?")
        say(f"database {'encrypted (SQLCipher)' if args.encrypted else 'plain SQLite'}: {db_path}")
        engine.start()
        while len(engine.status()["devices"]) < DEVICES:
            time.sleep(0.05)
        engine.stop()
        pipeline_rates, bare_rates, cpu, bare_cpu = [], [], [], []
        for round_no in range(args.rounds):
            messages = backlog(round_no, args.messages)
            say(f"round {round_no + 1}: publishing {len(messages)} messages to two queued sessions")
            publisher.publish_many(messages)
            rate, us = drain_pipeline(broker, db_url, "bench-pipeline", args.messages)
            pipeline_rates.append(rate)
            cpu.append(us)
            bare_rate, bare_us = drain_bare(broker, "bench-bare", args.messages)
            bare_rates.append(bare_rate)
            bare_cpu.append(bare_us)
            say(f"  pipeline {rate:.0f} msg/s ({us:.0f} us CPU/msg), bare paho {bare_rate:.0f} msg/s ({bare_us:.0f} us CPU/msg)")

        # gateway restart: every device republishes its cached state (repeats), live into the engine
        engine = IngestEngine(db_url, [broker.url], client_id="bench-pipeline")
        engine.start()
        base = engine.writer.messages
        burst = [(t, p) for t, p in backlog(args.rounds - 1, args.burst)]
        start = time.perf_counter()
        publisher.publish("zigbee2mqtt/bridge/state", {"state": "online"})
        sender = threading.Thread(target=publisher.publish_many, args=(burst,))
        sender.start()
        while engine.writer.messages < base + args.burst + 1:
            time.sleep(0.005)
        burst_s = time.perf_counter() - start
        sender.join()
        say(f"burst of {args.burst} replayed states committed in {burst_s:.1f} s")

        # commit latency at a live 500 msg/s: publish time -> on_commit
        latencies: list[float] = []
        sent: dict[int, float] = {}
        lock = threading.Lock()
        engine.on_commit.append(lambda _n: None)
        committed_upto = [0]

        def on_commit(_n: int) -> None:
            now = time.perf_counter()
            with lock:
                done = engine.writer.messages - base - args.burst - 1
                for index in range(committed_upto[0], done):
                    if index in sent:
                        latencies.append(now - sent.pop(index))
                committed_upto[0] = max(committed_upto[0], done)

        engine.on_commit.append(on_commit)
        live = backlog(99, 5_000)
        t0 = time.perf_counter()
        for index, (topic, payload) in enumerate(live):
            target = t0 + index / 500
            while time.perf_counter() < target:
                time.sleep(0.0005)
            with lock:
                sent[index] = time.perf_counter()
            publisher.client.publish(topic, payload, qos=1)
        time.sleep(3)
        engine.stop()
        publisher.close()
    p99 = statistics.quantiles(latencies, n=100)[98] if len(latencies) > 100 else None

    db = IngestEngine(db_url, [], client_id="bench-size").db
    with db.begin() as conn:
        events = conn.execute(text("select count(*) from events")).scalar() or 0
        conn.execute(text("delete from quarantine"))
    with db.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    size = os.path.getsize(db_path)
    bytes_per_event = size / events if events else None
    pipeline = statistics.median(pipeline_rates)
    bare = statistics.median(bare_rates)
    result = {
        "messages": args.messages, "pipeline_msgs_per_s": round(pipeline), "bare_paho_msgs_per_s": round(bare),
        "ratio": round(pipeline / bare, 3), "cpu_us_per_msg": round(statistics.median(cpu), 1),
        "bare_cpu_us_per_msg": round(statistics.median(bare_cpu), 1),
        "burst_60k_s": round(burst_s, 2), "p99_commit_latency_s": None if p99 is None else round(p99, 3),
        "bytes_per_event": None if bytes_per_event is None else round(bytes_per_event, 1),
        "encrypted": args.encrypted, "events_stored": events, "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
