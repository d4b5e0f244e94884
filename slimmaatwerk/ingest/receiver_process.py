"""One broker connection in a process of its own, so that paho's work runs beside the writer's.

paho parses every message in Python (~50 µs each); the writer normalises and commits (~30 µs). In one
process the two share one interpreter lock and so one core, whatever the machine has. Here the
connection (``MqttConnection``, unchanged) runs in a child process that hands received messages over in
batches through a pipe; the writer stays in the engine's process and sends the acknowledgements of each
commit back the same way. At-least-once is kept: the child acknowledges only what the parent committed,
and whatever is in flight when either process dies stays unacknowledged in the broker's session.

    receiver = ReceiverProcess(config, 0, writer.submit_many, clock, filters, discovery_filters)
    receiver.start()
    receiver.ack_many([(mid, 1), ...])   # after the commit
    receiver.stop()

It offers what the engine and the installer tools use of ``MqttConnection`` (state, last_error,
connects, pause, ack_many, subscribe, publish, stop). A child that dies is started again after a pause;
a child whose parent dies (kill -9) notices the closed pipe and exits at once, so it never fights a
restarted engine for the session's client id.
"""

from __future__ import annotations

import itertools
import logging
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Protocol

from ..clock import Clock, SystemClock
from ..localtime import ms
from .inbound import Inbound
from .mqtt_client import BrokerConfig, MqttConnection

log = logging.getLogger(__name__)

# At most this many messages per hand-over: big enough that the pipe costs ~1 µs a message, small enough
# that the writer's batches (500) stay near their size and a batch never waits long for its acks.
BATCH_LIMIT = 500
# Messages the child holds before paho's callback waits (back-pressure when the writer falls behind;
# QoS 1 is already bounded by the session's ReceiveMaximum, QoS 0 is not).
PENDING_LIMIT = 20_000
_IDLE_S = 0.002  # how long the child's sender sleeps when nothing arrived
_RESTART_S = 1.0


class ReceiverProcess:
    def __init__(self, config: BrokerConfig, source: int, deliver_many: Callable[[list[Inbound]], None],
                 clock: Clock, filters: list[str], first_filters: list[str] | None = None) -> None:
        self.config = config
        self.source = source
        self._deliver_many = deliver_many
        self._clock = clock
        # The child stamps arrival with the wall clock; a test's fixed clock must win, so restamp then.
        self._restamp = not isinstance(clock, SystemClock)
        self._filters = list(filters)
        self._first_filters = list(first_filters or [])
        self.state = "new"
        self.last_error: str | None = None
        self.connects = 0
        self.restarts = 0
        self._paused = False
        self._stopping = threading.Event()
        self._send_lock = threading.Lock()
        self._process: _Child | None = None
        self._commands: Connection | None = None
        self._reader: threading.Thread | None = None
        self._replies: dict[int, tuple[threading.Event, list[bool]]] = {}
        self._request_ids = itertools.count(1)

    # -- lifecycle ------------------------------------------------------------------------------
    def start(self) -> None:
        events = self._spawn()
        self._reader = threading.Thread(target=self._read, args=(events,), name=f"slim-receiver-{self.source}",
                                        daemon=True)
        self._reader.start()

    def _spawn(self) -> Connection:
        process, commands, events = _launch(
            (self.config, self.source, self._filters, self._first_filters, os.getpid(), self._paused))
        self._process = process
        self._commands = commands
        return events

    def stop(self, timeout: float = 10.0) -> None:
        """Send what is queued (acks first: the pipe keeps order), disconnect, end the child."""
        self._stopping.set()
        self._send(("stop",))
        if self._reader is not None:
            self._reader.join(timeout)
        process = self._process
        if process is not None:
            process.join(timeout)
            if process.is_alive():
                log.warning("receiver process for %s did not stop; terminating it", self.config.url)
                process.terminate()
                process.join(2)
        if self.state != "auth_failed":
            self.state = "stopped"

    def pause(self) -> None:
        """Take no more messages; what was received but not handed over stays unacknowledged."""
        self._paused = True
        self._send(("pause",))

    def ack_many(self, acks: Sequence[tuple[int, int]]) -> None:
        self._send(("ack", list(acks)))

    def subscribe(self, filters: list[str]) -> None:
        new = [f for f in filters if f not in self._filters]
        if new:
            self._filters.extend(new)  # a restarted child subscribes to these too
            self._send(("subscribe", new))

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    @property
    def alive(self) -> bool:
        return self._process is not None and self._process.is_alive()

    def publish(self, topic: str, payload: bytes, timeout_s: float = 5.0) -> bool:
        """Publish one QoS 1 message through the child's connection; True once the broker acknowledged it."""
        request = next(self._request_ids)
        done = threading.Event()
        result: list[bool] = []
        self._replies[request] = (done, result)
        try:
            if not self._send(("publish", request, topic, bytes(payload), timeout_s)):
                return False
            done.wait(timeout_s + 2.0)
        finally:
            self._replies.pop(request, None)
        return bool(result and result[0])

    # -- parent side ----------------------------------------------------------------------------
    def _send(self, message: tuple[Any, ...]) -> bool:
        with self._send_lock:
            commands = self._commands
            if commands is None:
                return False
            try:
                commands.send(message)
            except (OSError, ValueError):  # the child is gone; the reader restarts it
                return False
        return True

    def _read(self, events: Connection) -> None:
        try:
            self._read_until_stopped(events)
        finally:
            with self._send_lock:
                if self._commands is not None:
                    self._commands.close()
                    self._commands = None

    def _read_until_stopped(self, events: Connection) -> None:
        while True:
            try:
                message = events.recv()
            except (EOFError, OSError):
                events.close()
                if self._stopping.is_set():
                    return
                restarted = self._restart()
                if restarted is None:
                    return
                events = restarted
                continue
            kind = message[0]
            if kind == "batch":
                if self._paused:
                    continue
                self._deliver_many(self._inbound(message[1]))
            elif kind == "state":
                self.state, self.last_error, self.connects = message[1], message[2], message[3]
            elif kind == "published":
                waiting = self._replies.get(message[1])
                if waiting is not None:
                    waiting[1].append(bool(message[2]))
                    waiting[0].set()
            elif kind == "stopped":
                events.close()
                return

    def _inbound(self, batch: list[tuple[Any, ...]]) -> list[Inbound]:
        source = self.source
        if not self._restamp:
            return [Inbound(source, *fields) for fields in batch]
        now = ms(self._clock.now())
        return [Inbound(source, topic, payload, now, retained, mid, qos, dup)
                for topic, payload, _received, retained, mid, qos, dup in batch]

    def _restart(self) -> Connection | None:
        """The child died (killed, crashed): report it, and start a new one that resumes the session."""
        process = self._process
        if process is not None:
            process.join(1)
        code = process.exitcode if process is not None else None
        self.state = "disconnected"
        self.last_error = f"the receiver process for {self.config.url} ended (exit code {code}); restarting it"
        log.error(self.last_error)
        with self._send_lock:
            if self._commands is not None:
                self._commands.close()
                self._commands = None
        while not self._stopping.wait(_RESTART_S):
            try:
                with self._send_lock:
                    events = self._spawn()
            except OSError as exc:  # no processes left, no memory: keep trying, and say so
                self.last_error = f"cannot start the receiver process for {self.config.url}: {exc}"
                log.error(self.last_error)
                continue
            self.restarts += 1
            return events
        return None


class _Child(Protocol):  # what both ways of starting a child offer (a multiprocessing.Process has it all)
    pid: int | None

    @property
    def exitcode(self) -> int | None: ...
    def is_alive(self) -> bool: ...
    def join(self, timeout: float | None = None) -> None: ...
    def terminate(self) -> None: ...


def _launch(args: tuple[Any, ...]) -> tuple[_Child, Connection, Connection]:
    """Start a child running ``serve(*args)``; returns it with the parent's ends of both pipes.

    Never by a plain fork: this process runs threads (Qt, the writer, paho). On POSIX a fresh interpreter
    that imports only this module (~0.1 s); multiprocessing's spawn would first import the parent's main
    script again, whatever it is (0.5 s for a benchmark script), at every engine start. Windows and a
    frozen bundle (no ``python -c`` there) use spawn, which the bundle's entry scripts support.
    """
    if fresh_interpreter_possible():
        return _launch_interpreter(args)
    context = multiprocessing.get_context("spawn")
    commands_in, commands_out = context.Pipe(duplex=False)
    events_in, events_out = context.Pipe(duplex=False)
    process = context.Process(target=serve, name="slim-mqtt-receiver", daemon=True,
                              args=(*args[:4], commands_in, events_out, *args[4:]))
    process.start()
    # Our copies of the child's ends must go, or neither side would ever see the other one close.
    commands_in.close()
    events_out.close()
    return process, commands_out, events_in


def fresh_interpreter_possible() -> bool:
    return os.name == "posix" and not getattr(sys, "frozen", False)


def _launch_interpreter(args: tuple[Any, ...]) -> tuple[_Child, Connection, Connection]:
    commands_r, commands_w = os.pipe()
    events_r, events_w = os.pipe()
    env = dict(os.environ)
    package_root = str(Path(__file__).resolve().parents[2])  # where ``slimmaatwerk`` is, installed or not
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH", "")) if p)
    code = ("import sys; from slimmaatwerk.ingest.receiver_process import child_main; "
            "child_main(int(sys.argv[1]), int(sys.argv[2]))")
    popen = subprocess.Popen([sys.executable, "-c", code, str(commands_r), str(events_w)],
                             pass_fds=(commands_r, events_w), env=env, stdin=subprocess.DEVNULL)
    os.close(commands_r)
    os.close(events_w)
    commands = Connection(commands_w, readable=False)
    commands.send(args)  # the child's arguments are its first message
    return _Interpreter(popen), commands, Connection(events_r, writable=False)


class _Interpreter:
    """A ``subprocess.Popen`` child, seen through the ``multiprocessing.Process`` methods we use."""

    def __init__(self, popen: subprocess.Popen[bytes]) -> None:
        self._popen = popen
        self.pid: int | None = popen.pid

    @property
    def exitcode(self) -> int | None:
        return self._popen.poll()

    def is_alive(self) -> bool:
        return self._popen.poll() is None

    def join(self, timeout: float | None = None) -> None:
        try:
            self._popen.wait(timeout)
        except subprocess.TimeoutExpired:
            pass

    def terminate(self) -> None:
        self._popen.terminate()


# -- the child process --------------------------------------------------------------------------------
def child_main(commands_fd: int, events_fd: int) -> None:
    """Entry of a child started as a fresh interpreter: its arguments arrive as the first message."""
    commands = Connection(commands_fd, writable=False)
    events = Connection(events_fd, readable=False)
    config, source, filters, first_filters, parent_pid, paused = commands.recv()
    serve(config, source, filters, first_filters, commands, events, parent_pid, paused)


def serve(config: BrokerConfig, source: int, filters: list[str], first_filters: list[str],
          commands: Connection, events: Connection, parent_pid: int, paused: bool) -> None:
    """The child's main: run the connection, hand messages over in batches, obey the parent's commands."""
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # The engine decides when we stop (its "stop", or its end closing the pipe). A Ctrl-C in a terminal or
    # systemd's SIGTERM reach the whole process group: dying on them would lose the acks of the engine's
    # last commit and make it restart us while it shuts down.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.SIG_IGN)
    pending: deque[tuple[Any, ...]] = deque()
    send_lock = threading.Lock()
    stopping = threading.Event()

    def deliver(item: Inbound) -> bool:
        if len(pending) >= PENDING_LIMIT:
            time.sleep(0.01)  # the parent is behind: hold paho (and so the broker) back a little
            return False
        pending.append(item[1:])
        return True

    def send(message: tuple[Any, ...]) -> None:
        with send_lock:
            events.send(message)

    connection = MqttConnection(config, source, deliver, SystemClock(), filters, first_filters)
    if paused:
        connection.pause()
    commander = threading.Thread(target=_obey, args=(commands, connection, send, stopping), daemon=True,
                                 name="slim-receiver-commands")
    commander.start()
    connection.start()
    state: tuple[Any, ...] = ()
    next_check = time.monotonic() + 0.5
    try:
        while True:
            if pending:
                count = min(len(pending), BATCH_LIMIT)
                send(("batch", [pending.popleft() for _ in range(count)]))
            now_state = (connection.state, connection.last_error, connection.connects)
            if now_state != state:
                state = now_state
                send(("state", *state))
            if stopping.is_set() and not pending:
                break
            if not pending:
                time.sleep(_IDLE_S)
                if time.monotonic() >= next_check:
                    next_check = time.monotonic() + 0.5
                    if os.getppid() != parent_pid:  # orphaned (the pipe may be held open by a sibling)
                        os._exit(0)
    except (OSError, ValueError):  # the parent closed its end: it is gone or stopping
        os._exit(0)
    commander.join(15)
    try:
        send(("state", connection.state, connection.last_error, connection.connects))
        send(("stopped",))
    except (OSError, ValueError):
        pass


def _obey(commands: Connection, connection: MqttConnection, send: Callable[[tuple[Any, ...]], None],
          stopping: threading.Event) -> None:
    while True:
        try:
            message = commands.recv()
        except (EOFError, OSError):
            # The parent died without stopping us (kill -9): leave at once. Nothing unacknowledged is
            # lost; the broker keeps it for the restarted engine.
            os._exit(0)
        kind = message[0]
        if kind == "ack":
            connection.ack_many(message[1])
        elif kind == "subscribe":
            connection.subscribe(message[1])
        elif kind == "pause":
            connection.pause()
        elif kind == "publish":
            threading.Thread(target=_publish, args=(connection, send, *message[1:]), daemon=True).start()
        elif kind == "stop":
            connection.pause()
            connection.stop()
            stopping.set()
            return


def _publish(connection: MqttConnection, send: Callable[[tuple[Any, ...]], None], request: int, topic: str,
             payload: bytes, timeout_s: float) -> None:
    ok = connection.publish(topic, payload, timeout_s)
    try:
        send(("published", request, ok))
    except (OSError, ValueError):
        pass
