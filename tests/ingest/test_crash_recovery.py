"""At-least-once end to end: kill -9 the engine mid-stream, restart it, lose nothing, double nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from slimmaatwerk.storage import quarantine
from slimmaatwerk.storage import schema as s
from slimmaatwerk.storage.engine import make_engine
from tests.ingest.db_helpers import count_rows, stored_events
from tests.ingest.mqtt_helpers import Publisher, wait_until
from tests.ingest.streams import motion_stream

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = int(os.environ.get("SLIM_TEST_CRASH_MESSAGES", "50000"))


def start_engine(db_url: str, broker_url: str, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "slimmaatwerk.ingest.service", "--db", db_url, "--broker", broker_url,
         "--client-id", "crash-test-engine"],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.DEVNULL,
        stderr=open(log, "ab"),
    )


def non_heartbeat_events(db) -> Counter:
    return Counter(e for e in stored_events(db) if e[1] != "heartbeat")


def messages_committed(db) -> int:
    with db.connect() as conn:
        return quarantine.counters(conn).get("messages", 0)


@pytest.mark.slow
def test_kill_9_mid_stream_then_restart_stores_exactly_the_expected_events(db_url, broker, tmp_path):
    stream = motion_stream(seed=3, messages=MESSAGES)
    db = make_engine(db_url)
    log = tmp_path / "engine.log"
    setup = Publisher(broker.host, broker.port, client_id="setup")
    engine = start_engine(db_url, broker.url, log)
    try:
        wait_until(lambda: count_rows(db, s.engine_lease), timeout=30)
        setup.publish("zigbee2mqtt/bridge/devices", stream.bridge_devices(), retain=True)
        wait_until(lambda: count_rows(db, s.devices) == len(stream.devices), timeout=30)
        publisher = Publisher(broker.host, broker.port, client_id="stream")
        sender = threading.Thread(target=publisher.publish_many, args=(stream.messages,))
        sender.start()
        wait_until(lambda: messages_committed(db) > MESSAGES // 5, timeout=120)
        engine.send_signal(signal.SIGKILL)  # mid-stream, no chance to flush or ack
        engine.wait(10)
        killed_at = messages_committed(db)
        sender.join(300)
        publisher.close()
        assert killed_at < MESSAGES, "the engine was killed after the stream ended: nothing was tested"

        engine = start_engine(db_url, broker.url, log)
        try:
            wait_until(lambda: non_heartbeat_events(db) == stream.expected
                       and sum(_quarantined(db).values()) == sum(stream.garbage.values()), timeout=240)
        except AssertionError:
            got = non_heartbeat_events(db)
            pytest.fail(f"missing {sum((stream.expected - got).values())}: {list((stream.expected - got).items())[:5]}; "
                        f"extra {sum((got - stream.expected).values())}: {list((got - stream.expected).items())[:5]}; "
                        f"quarantined {_quarantined(db)} != {dict(stream.garbage)}; killed at {killed_at}")
        time.sleep(1.0)  # anything still arriving would now be a duplicate
        assert non_heartbeat_events(db) == stream.expected
        assert _quarantined(db) == dict(stream.garbage)
        engine.send_signal(signal.SIGTERM)
        assert engine.wait(30) == 0
        assert count_rows(db, s.engine_lease) == 0  # released on a clean stop
    finally:
        setup.close()
        if engine.poll() is None:
            engine.kill()
        db.dispose()


def _quarantined(db) -> dict[str, int]:
    with db.connect() as conn:
        return quarantine.counters(conn, "quarantined:")
