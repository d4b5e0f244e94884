"""The receiver process: each broker connection runs in a child process of the engine.

A child that dies is restarted and loses nothing; a child whose engine is killed leaves at once (it must
never keep the session's client id from the restarted engine); the spawn start used on Windows and in
the bundle works too, and so does the in-process ``thread`` receiver; installer tools publish through it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest

from slimmaatwerk.ingest import receiver_process
from slimmaatwerk.ingest.engine import IngestEngine
from slimmaatwerk.ingest.receiver_process import ReceiverProcess
from slimmaatwerk.storage import schema as s
from slimmaatwerk.storage.engine import make_engine
from tests.ingest.db_helpers import count_rows, device_rows, stored_events
from tests.ingest.mqtt_helpers import Publisher, bridge_devices, wait_until
from tests.ingest.streams import motion_stream

ROOT = Path(__file__).resolve().parents[2]
MOTION = "zigbee:0x00158d0001a2b3c4"


def children_of(pid: int) -> list[int]:
    """Live (not zombie) child processes of ``pid``, from /proc (no procps needed)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def running(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def start_service(db_url: str, broker_url: str, client_id: str, log: Path, **popen: object) -> subprocess.Popen:
    """The headless service (``slimmaatwerk.ingest.service``) as its own process, logging to ``log``."""
    return subprocess.Popen(
        [sys.executable, "-m", "slimmaatwerk.ingest.service", "--db", db_url, "--broker", broker_url,
         "--client-id", client_id],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.DEVNULL,
        stderr=open(log, "ab"), **popen,
    )


def non_heartbeat(db) -> Counter:
    return Counter(e for e in stored_events(db) if e[1] != "heartbeat")


@pytest.fixture
def publisher(broker):
    publisher = Publisher(broker.host, broker.port, client_id=f"pub-{uuid.uuid4().hex[:6]}")
    yield publisher
    publisher.close()


def test_a_killed_receiver_is_restarted_and_nothing_is_lost(db_url, broker, publisher):
    stream = motion_stream(seed=5, messages=6000, devices=50)
    engine = IngestEngine(db_url, [broker.url], client_id=f"restart-{uuid.uuid4().hex[:8]}")
    engine.start()
    try:
        receiver = engine.connections[0]
        assert isinstance(receiver, ReceiverProcess)
        wait_until(lambda: receiver.state == "connected")
        publisher.publish("zigbee2mqtt/bridge/devices", stream.bridge_devices(), retain=True)
        wait_until(lambda: len(device_rows(engine.db)) == len(stream.devices), timeout=30)
        first_pid = receiver.pid
        sender = threading.Thread(target=publisher.publish_many, args=(stream.messages,))
        sender.start()
        wait_until(lambda: engine.writer.messages > 1500, timeout=60)
        os.kill(first_pid, signal.SIGKILL)  # mid-stream: whatever it held is unacknowledged
        wait_until(lambda: receiver.restarts == 1 and receiver.state == "connected", timeout=30)
        assert receiver.pid != first_pid and running(receiver.pid)
        sender.join(120)
        wait_until(lambda: non_heartbeat(engine.db) == stream.expected, timeout=120)
        status = engine.status()
        assert status["brokers"][0]["receiver"] == {"pid": receiver.pid, "alive": True, "restarts": 1}
        assert status["quarantined"] == dict(stream.garbage)
    finally:
        engine.stop()
    assert not running(first_pid) and not running(receiver.pid)  # a stop ends the child as well


def test_the_receiver_leaves_when_its_engine_is_killed(tmp_path, broker):
    db_url = f"sqlite:///{tmp_path / 'killed.db'}"
    engine = start_service(db_url, broker.url, "orphan-test", tmp_path / "engine.log")
    db = make_engine(db_url)
    try:
        wait_until(lambda: count_rows(db, s.engine_lease), timeout=30)
        children = wait_until(lambda: children_of(engine.pid), timeout=15)
        assert len(children) == 1, f"expected one receiver process, found {children}"
        engine.send_signal(signal.SIGKILL)
        engine.wait(10)
        # An orphaned receiver would keep reconnecting under the same client id and fight the restarted
        # engine for its session: it must notice its engine is gone and leave.
        wait_until(lambda: not running(children[0]), timeout=10)
    finally:
        if engine.poll() is None:
            engine.kill()
        db.dispose()


@pytest.mark.parametrize("how", ["spawn", "thread"])
def test_other_receivers_store_and_publish(db_url, broker, publisher, clock, monkeypatch, how):
    """``spawn`` is how Windows and the frozen bundle start the receiver; ``thread`` keeps it in-process."""
    if how == "spawn":
        monkeypatch.setattr(receiver_process, "fresh_interpreter_possible", lambda: False)
    engine = IngestEngine(db_url, [broker.url], clock=clock, client_id=f"{how}-{uuid.uuid4().hex[:8]}",
                          receiver="process" if how == "spawn" else "thread")
    engine.start()
    try:
        connection = engine.connections[0]
        wait_until(lambda: connection.state == "connected", timeout=30)
        publisher.publish("zigbee2mqtt/bridge/devices",
                          bridge_devices(("r01/kitchen_motion", MOTION.split(":")[1], "RTCGQ11LM", "Aqara")),
                          retain=True)
        wait_until(lambda: MOTION in device_rows(engine.db))
        publisher.publish("zigbee2mqtt/r01/kitchen_motion", {"occupancy": True, "battery": 91})
        wait_until(lambda: ("zigbee:0x00158d0001a2b3c4", "motion", 1.0) in stored_events(engine.db))
        # Installer tools publish through the engine's connection (permit join).
        seen: list[bytes] = []
        publisher.client.subscribe("zigbee2mqtt/bridge/request/#", qos=1)
        publisher.client.on_message = lambda _c, _u, message: seen.append(message.payload)
        time.sleep(0.3)
        assert connection.publish("zigbee2mqtt/bridge/request/permit_join", b'{"value": true, "time": 60}')
        wait_until(lambda: seen == [b'{"value": true, "time": 60}'])
    finally:
        engine.stop()
    assert connection.state == "stopped"


def test_an_unknown_receiver_kind_is_refused(db_url):
    with pytest.raises(ValueError, match="receiver"):
        IngestEngine(db_url, [], receiver="fork")


def test_sigterm_to_the_whole_service_group_stops_cleanly(tmp_path, broker, publisher):
    """systemd (KillMode=control-group) and a terminal's Ctrl-C signal every process of the service: the
    receiver must leave the stop to its engine, which commits, acknowledges and exits 0."""
    db_url = f"sqlite:///{tmp_path / 'group.db'}"
    log = tmp_path / "engine.log"
    engine = start_service(db_url, broker.url, "group-test", log, start_new_session=True)
    db = make_engine(db_url)
    try:
        wait_until(lambda: count_rows(db, s.engine_lease), timeout=30)
        children = wait_until(lambda: children_of(engine.pid), timeout=15)
        publisher.publish("zigbee2mqtt/bridge/devices",
                          bridge_devices(("r01/kitchen_motion", MOTION.split(":")[1], "RTCGQ11LM", "Aqara")),
                          retain=True)
        wait_until(lambda: MOTION in device_rows(db), timeout=30)
        os.kill(children[0], signal.SIGTERM)  # on its own: ignored, the engine decides
        time.sleep(0.5)
        assert running(children[0])
        os.killpg(engine.pid, signal.SIGTERM)
        assert engine.wait(30) == 0
        assert count_rows(db, s.engine_lease) == 0
        wait_until(lambda: not running(children[0]), timeout=10)
        assert "restarting" not in log.read_text()
    finally:
        if engine.poll() is None:
            engine.kill()
        db.dispose()


def test_the_service_exits_with_an_error_when_its_writer_ends(tmp_path, broker):
    """The writer thread only ends on a bug: the service must then exit non-zero, so systemd
    (Restart=on-failure) starts it again, rather than go on receiving what nobody commits."""
    from slimmaatwerk.ingest import writer as writer_module
    from slimmaatwerk.ingest.service import run_until_signalled

    engine = IngestEngine(f"sqlite:///{tmp_path / 'writer.db'}", [broker.url], client_id="writer-test")
    give_up = threading.Event()

    def end_the_writer() -> None:
        wait_until(lambda: engine.writer.alive and engine.connections[0].state == "connected", timeout=30)
        engine.writer._queue.put(writer_module._STOP)  # the writer thread ends while the engine runs
        time.sleep(15)
        give_up.set()  # had the service not noticed, this stops it with 0 and the test fails

    threading.Thread(target=end_the_writer, daemon=True).start()
    assert run_until_signalled(engine, give_up) == 4  # signal handlers need the main thread
    assert engine.connections[0].state == "stopped"  # and it still stopped cleanly


def test_engine_starts_and_stops_leave_no_pipes_or_processes_behind(tmp_path, broker):
    """The desktop app and the tests start and stop engines many times in one process."""
    db_url = f"sqlite:///{tmp_path / 'cycles.db'}"

    def cycle() -> int:
        engine = IngestEngine(db_url, [broker.url], client_id="cycle-test")
        engine.start()
        wait_until(lambda: engine.connections[0].state == "connected", timeout=30)
        pid = engine.connections[0].pid
        engine.stop()
        engine.db.dispose()
        assert not running(pid)
        return len(os.listdir("/proc/self/fd"))

    cycle()  # the first start opens what stays open anyway (imports, the logging of libraries)
    before = cycle()
    for _ in range(3):
        after = cycle()
    assert after <= before, f"{after - before} file descriptors more after three more engine cycles"
