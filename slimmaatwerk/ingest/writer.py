"""The one writer thread: bounded queue in, batched transactions out, acknowledgements after commit.

Messages are taken from a bounded queue (back-pressure: a full queue blocks the MQTT callback, and with
manual acks the broker stops sending), normalised, filtered by the device tracker and written in one
transaction per batch together with the tracker state, quarantine rows and counters. A batch is flushed
when it is full, after ``flush_s`` (~50 ms), or at the first short gap in arrivals, whichever comes
first: mosquitto sends only a limited window of unacknowledged QoS 1 messages, so waiting for a full
batch would stall it. Only after the commit are the MQTT acks sent (at-least-once); a redelivered
message is then a repeat the tracker filters out.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections import Counter, deque
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Engine

from ..clock import Clock
from ..localtime import ms
from ..storage import device_state, quarantine
from ..storage.devices import ensure_device
from ..storage.event_store import insert_events
from .device_tracker import DeviceTracker
from .discovery import DeviceInfo
from .inbound import Inbound
from .pipeline import Outcome, Pipeline
from .redelivery import RedeliveryFilter

log = logging.getLogger(__name__)


Acker = Callable[[int, list[tuple[int, int]]], None]  # (source, [(mid, qos), ...]) of one commit
_STOP = object()


class Writer:
    def __init__(self, engine: Engine, pipelines: dict[int, Pipeline], tracker: DeviceTracker, clock: Clock,
                 acker: Acker | None = None, *, batch_size: int = 500, flush_s: float = 0.05,
                 gap_s: float = 0.005, queue_size: int = 20_000, periodic: Callable[[], None] | None = None,
                 periodic_s: float = 5.0) -> None:
        self.engine = engine
        self.pipelines = pipelines
        self.tracker = tracker
        self.clock = clock
        self.acker = acker
        self.batch_size = batch_size
        self.flush_s = flush_s
        self.gap_s = gap_s
        self.periodic = periodic
        self.periodic_s = periodic_s
        self.on_commit: list[Callable[[int], None]] = []
        self.on_outcome: list[Callable[[int, Outcome], None]] = []  # (source, outcome)
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=queue_size)
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._device_ids: dict[str, int] = {}
        # Stored names: a retained discovery list arrives on every (re)subscribe, and with thousands of
        # devices re-checking each one in the database made every engine start slow.
        self._device_names: dict[str, str] = {}
        self.redelivery = RedeliveryFilter()
        self.last_commit_ms: int | None = None
        self.events_stored = 0  # this session
        self.messages = 0
        self.error: str | None = None
        self._rate: deque[tuple[float, int]] = deque(maxlen=200)

    # -- producer side (any thread) -------------------------------------------------------------
    def submit(self, item: Inbound, timeout: float | None = None) -> bool:
        """Queue a message; blocks while the queue is full (back-pressure). False if it timed out."""
        try:
            self._queue.put(item, timeout=timeout)
        except queue.Full:
            return False
        return True

    def submit_many(self, items: list[Inbound]) -> None:
        """Queue a batch as one entry (the receiver process hands messages over in batches); blocks while
        the queue is full."""
        self._queue.put(items)

    @property
    def queue_size(self) -> int:
        return self._queue.qsize()

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def events_per_s(self) -> float:
        if len(self._rate) < 2:
            return 0.0
        span = self._rate[-1][0] - self._rate[0][0]
        return 0.0 if span <= 0 else sum(n for _, n in list(self._rate)[1:]) / span

    # -- lifecycle ------------------------------------------------------------------------------
    def start(self) -> None:
        with self.engine.connect() as conn:
            self.tracker.load(device_state.load_all(conn))
            self.redelivery.load(conn)
            known = device_state.known_devices(conn)
        self._device_ids = {identity: device_id for device_id, identity, *_ in known}
        self._device_names = {identity: name for _id, identity, name, *_ in known}
        for pipeline in self.pipelines.values():
            pipeline.directory.restore_zigbee(known)
        self._thread = threading.Thread(target=self._run, name="slim-writer", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Flush everything queued, commit, ack, and end the thread."""
        if self._thread is None:
            return
        self._queue.put(_STOP)
        self._thread.join(timeout)
        self._stopping.set()
        self._thread.join(5)

    # -- the writer thread ----------------------------------------------------------------------
    def _run(self) -> None:
        next_periodic = self.clock.monotonic() + self.periodic_s
        while True:
            try:
                first = self._queue.get(timeout=0.25)
            except queue.Empty:
                first = None
            if self.periodic is not None and self.clock.monotonic() >= next_periodic:
                next_periodic = self.clock.monotonic() + self.periodic_s
                self._guarded(self.periodic)
            if first is None:
                continue
            if first is _STOP:
                return
            batch, stop = self._collect(first)
            self._commit_with_retry(batch)
            if stop:
                return

    def _collect(self, first: Inbound | list[Inbound]) -> tuple[list[Inbound], bool]:
        batch = list(first) if type(first) is list else [first]
        deadline = self.clock.monotonic() + self.flush_s
        while len(batch) < self.batch_size:
            try:
                item = self._queue.get_nowait()  # what has queued up already (a backlog): no clock, no wait
            except queue.Empty:
                remaining = deadline - self.clock.monotonic()
                if remaining <= 0:
                    break
                try:
                    item = self._queue.get(timeout=min(remaining, self.gap_s))
                except queue.Empty:
                    break  # a gap in arrivals: commit now rather than keep the broker waiting
            if item is _STOP:
                return batch, True
            if type(item) is list:
                batch.extend(item)
            else:
                batch.append(item)
        return batch, False

    def _commit_with_retry(self, batch: list[Inbound]) -> None:
        delay = 0.1
        while True:
            try:
                with self.engine.begin() as conn:
                    new_events, outcomes = self._apply(conn, batch)
            except Exception as exc:  # the database is down or locked: keep the batch, retry, no acks
                self.error = f"{type(exc).__name__}: {exc}"[:300]
                log.exception("commit of %d messages failed; retrying in %.1f s", len(batch), delay)
                self._device_ids.clear()
                self._device_names.clear()
                try:
                    with self.engine.connect() as conn:
                        self.tracker.load(device_state.load_all(conn))
                        self.redelivery.load(conn)
                except Exception:
                    log.exception("could not reload device state")
                if self._stopping.wait(delay):
                    return
                delay = min(delay * 2, 5.0)
                continue
            break
        self.error = None
        self.tracker.clear_dirty()
        self.last_commit_ms = ms(self.clock.now())
        self.events_stored += new_events
        self.messages += len(batch)
        self._rate.append((self.clock.monotonic(), new_events))
        if self.acker is not None:
            acks: dict[int, list[tuple[int, int]]] = {}
            for item in batch:
                if item.qos > 0 and item.mid:
                    acks.setdefault(item.source, []).append((item.mid, item.qos))
            for source, pending in acks.items():
                self._guarded(self.acker, source, pending)
        for item, outcome in zip(batch, outcomes, strict=False):
            for callback in list(self.on_outcome):
                self._guarded(callback, item.source, outcome)
        for callback in list(self.on_commit):
            self._guarded(callback, new_events)

    def _apply(self, conn: Connection, batch: list[Inbound]) -> tuple[int, list[Outcome]]:
        rows: list[dict] = []
        quarantined: list[dict] = []
        counts: Counter[str] = Counter()
        outcomes: list[Outcome] = []
        for item in batch:
            if item.qos > 0 and item.dup and self.redelivery.already_committed(item.topic, item.payload, item.mid):
                outcomes.append(Outcome(item.topic, item.received_ms, item.retained, "ignore", "redelivered"))
                counts["ignored:redelivered"] += 1
                continue
            if item.qos > 0:
                self.redelivery.remember(item.topic, item.payload, item.mid)
            outcome = self.pipelines[item.source].process(item.topic, item.payload, item.received_ms, item.retained)
            outcomes.append(outcome)
            try:
                rows.extend(self._events_of(conn, outcome, item.dup))
            except Exception:
                log.exception("could not store readings of %r", item.topic)
                outcome = Outcome(item.topic, item.received_ms, item.retained, "quarantine", "pipeline_error")
            self._count(outcome, counts)
            if outcome.disposition == "quarantine":
                identity = outcome.device.identity if outcome.device else ""
                log.warning("quarantined message on %r (%s)", item.topic, outcome.reason)
                quarantined.append({"received_ms": item.received_ms, "topic": item.topic, "device": identity,
                                    "reason": outcome.reason, "payload": item.payload})
        before = len(rows)
        if rows:
            insert_events(conn, rows)
        device_state.save(conn, self.tracker.dirty_rows())
        self.redelivery.save(conn)
        quarantine.add(conn, quarantined)
        counts["events_stored"] += before
        counts["messages"] += len(batch)
        quarantine.bump(conn, counts)
        return before, outcomes

    def _events_of(self, conn: Connection, outcome: Outcome, dup: bool = False) -> list[dict]:
        for info in outcome.discovered:
            self._device_ids[info.identity] = self._ensure(conn, info, force=True)
        if outcome.gateway_state is not None:
            self.tracker.gateway(gateway_scope(outcome.topic, outcome.integration), outcome.gateway_state,
                                 outcome.received_ms)
        if outcome.device is None or outcome.disposition == "quarantine":
            return []
        replay = self.tracker.is_replay(outcome.retained, outcome.topic, outcome.received_ms,
                                        outcome.device_time_ms, outcome.integration)
        delta = None if outcome.device_time_ms is None else outcome.received_ms - outcome.device_time_ms
        by_sub: dict[str, list[tuple[str, float]]]
        if not any(reading.sub for reading in outcome.readings):  # nearly always: one device per message
            by_sub = {"": [(reading.kind, reading.value) for reading in outcome.readings]}
        else:
            by_sub = {}
            for reading in outcome.readings:
                by_sub.setdefault(reading.sub, []).append((reading.kind, reading.value))
        rows: list[dict] = []
        for sub, readings in by_sub.items():
            info = outcome.device
            if sub:
                info = DeviceInfo(f"{info.identity}/{sub}", f"{info.name}/{sub}", info.model, info.vendor,
                                  info.model_id, info.profile_id, info.power, info.report_interval_s, info.topic)
            device_id = self._ensure(conn, info)
            # A redelivery is no proof of life; availability is the bridge's verdict, not the device.
            alive = not dup and (any(kind != "availability" for kind, _ in readings) or (
                not readings and outcome.reason == "no_readings" and not outcome.rejected
            ))
            rows.extend(self.tracker.observe(device_id, readings, outcome.received_ms, replay, delta, alive))
        return rows

    def _ensure(self, conn: Connection, info: DeviceInfo, force: bool = False) -> int:
        """The device's id; ``force`` (discovery) also keeps its stored name fresh."""
        known = self._device_ids.get(info.identity)
        if known is not None and (not force or not info.name or self._device_names.get(info.identity) == info.name):
            return known
        device_id = ensure_device(
            conn, info.identity, info.name, ms(self.clock.now()), profile=info.profile_id, model=info.model,
            vendor=info.vendor, report_interval_s=info.report_interval_s,
        )
        self._device_ids[info.identity] = device_id
        if info.name or info.identity not in self._device_names:
            self._device_names[info.identity] = info.name
        return device_id

    @staticmethod
    def _count(outcome: Outcome, counts: Counter[str]) -> None:
        if outcome.disposition == "quarantine":
            counts[f"quarantined:{outcome.reason}"] += 1
        elif outcome.disposition == "ignore":
            counts[f"ignored:{outcome.reason}"] += 1
        if outcome.disposition != "quarantine":
            for _field, reason in outcome.rejected:
                counts[f"rejected:{reason}"] += 1

    @staticmethod
    def _guarded(function: Callable[..., Any], *args: Any) -> None:
        try:
            function(*args)
        except Exception:
            log.exception("callback %r failed", function)


def gateway_scope(topic: str, integration: str) -> str:
    """Whose cache replays: "homes/h1/zigbee2mqtt/bridge/state" -> "homes/h1/zigbee2mqtt" (that gateway
    only); a gateway without a base topic for its devices -> "@<integration>"."""
    if "/bridge/" in topic:
        return topic.rsplit("/bridge/", 1)[0]
    return f"@{integration}"
