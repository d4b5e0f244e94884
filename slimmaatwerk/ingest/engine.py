"""The ingest engine: one per database. Holds the lease, runs the MQTT connections and the writer.

    engine = IngestEngine("sqlite:///data/slimmaatwerk.db", ["mqtt://localhost:1883"], clock=SystemClock())
    engine.on_commit.append(lambda n: ...)   # called from the writer thread after each commit
    engine.start()    # raises errors.EngineBusy if another engine holds the lease
    engine.status()   # the ingest part of `slimmaatwerk status --json`
    engine.stop()     # flush, commit, ack, disconnect, release the lease
"""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Self

from sqlalchemy import Engine

from ..clock import Clock, SystemClock
from ..errors import EngineBusy
from ..localtime import format_timestamp, from_ms, ms
from ..profiles import DEFAULT_DIR, ProfileRegistry, load_profiles
from ..profiles.topics import filter_matches
from ..profiles.user_profiles import load_library
from ..storage import device_state, lease, quarantine
from ..storage.devices import current_assignments
from ..storage.engine import make_engine
from ..storage.migrate import ensure_schema
from .device_tracker import DeviceTracker
from .mqtt_client import BrokerConfig, MqttConnection
from .pipeline import Outcome, Pipeline
from .receiver_process import BATCH_LIMIT, ReceiverProcess
from .writer import Writer

log = logging.getLogger(__name__)


class IngestEngine:
    def __init__(
        self,
        db: str | Engine,
        broker_urls: Sequence[str] = (),
        profiles_dir: Path | str | None = None,
        clock: Clock | None = None,
        *,
        client_id: str | None = None,
        username: str | None = None,
        password: str | None = None,
        ca_file: str | None = None,
        cert_file: str | None = None,
        key_file: str | None = None,
        protocol: int = 5,
        receive_maximum: int = 1000,
        batch_size: int = 500,
        flush_s: float = 0.05,
        queue_size: int = 20_000,
        heartbeat_min_interval_s: float = 60.0,
        holder: str | None = None,
        registry: ProfileRegistry | None = None,
        user_profiles_dir: Path | str | None = None,
        receiver: str = "process",
    ) -> None:
        self.clock: Clock = clock or SystemClock()
        self.db: Engine = make_engine(db) if isinstance(db, str) else db
        # User profiles (made with the profile builder) load beside the built-ins; a broken or clashing
        # user file is logged and skipped (``profiles.user_profiles``), never fatal for ingest.
        self.refused_profiles: list[str] = []
        if registry is None and user_profiles_dir is not None:
            library = load_library(Path(user_profiles_dir), profiles_dir or DEFAULT_DIR)
            registry, self.refused_profiles = library.registry, library.refused
        self.registry = registry or load_profiles(profiles_dir or DEFAULT_DIR)
        # A stable client id per installation and broker: the broker keeps our session (and queued
        # messages) under it while we are away.
        base_id = client_id or "slimmaatwerk-engine"
        # The lease holder is stable too, so an engine restarted after a crash takes its own lease back
        # at once instead of waiting for it to expire.
        self.holder = holder or f"ingest@{socket.gethostname()}:{base_id}"
        self.pipelines = {i: Pipeline(self.registry) for i in range(len(broker_urls))}
        self.tracker = DeviceTracker(heartbeat_min_interval_ms=int(heartbeat_min_interval_s * 1000))
        if receiver not in ("process", "thread"):
            raise ValueError(f"receiver must be 'process' or 'thread', not {receiver!r}")
        # A receiver process hands over batches of up to BATCH_LIMIT messages, each one queue entry.
        entries = queue_size if receiver == "thread" else max(2, queue_size // BATCH_LIMIT)
        self.writer = Writer(self.db, self.pipelines, self.tracker, self.clock, self._ack, batch_size=batch_size,
                             flush_s=flush_s, queue_size=entries, periodic=self._renew_lease)
        self.on_commit: list[Callable[[int], None]] = self.writer.on_commit
        self.on_outcome: list[Callable[[int, Outcome], None]] = self.writer.on_outcome
        self.on_outcome.append(self._follow_discovery)
        filters = self.registry.subscription_filters()
        self._filters = filters
        discovery = [sp.pattern.mqtt_filter() for sp in self.registry.specials if sp.discovery_format]
        configs = [
            BrokerConfig(url, base_id if len(broker_urls) == 1 else f"{base_id}-{i}", username, password,
                         ca_file, cert_file, key_file, protocol, receive_maximum=receive_maximum)
            for i, url in enumerate(broker_urls)
        ]
        # "process" (the default): each connection in a process of its own, so paho's parsing and the
        # writer use two cores (``receiver_process``). "thread": all in this process, for embedding
        # where no child process may be started.
        self.connections: list[MqttConnection | ReceiverProcess] = [
            ReceiverProcess(config, i, self.writer.submit_many, self.clock, filters, discovery)
            if receiver == "process" else
            MqttConnection(config, i, lambda item: self.writer.submit(item, timeout=0.5), self.clock, filters,
                           discovery)
            for i, config in enumerate(configs)
        ]
        self._lease_lost = False
        self._started = False
        self._lock = threading.Lock()

    # -- lifecycle ------------------------------------------------------------------------------
    def start(self) -> None:
        with self._lock:
            if self._started:
                return
            ensure_schema(self.db)
            with self.db.begin() as conn:
                current = lease.acquire(conn, self.holder, ms(self.clock.now()))
            if current is not None:
                raise EngineBusy(f"another engine ({current}) is already running on this database")
            try:
                self.writer.start()
                for connection in self.connections:
                    connection.start()
            except Exception:
                self._release()
                raise
            self._started = True
            log.info("ingest engine started (%d profiles, %d broker(s))", len(self.registry), len(self.connections))

    def stop(self) -> None:
        """Stop receiving, flush and commit what was received, ack it, then release the lease."""
        with self._lock:
            if not self._started:
                return
            # Writer first: its last commit acks over connections that are still up.
            for connection in self.connections:
                connection.pause()
            self.writer.stop()
            for connection in self.connections:
                connection.stop()
            self._release()
            self._started = False

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def _release(self) -> None:
        try:
            with self.db.begin() as conn:
                lease.release(conn, self.holder)
        except Exception:
            log.exception("could not release the engine lease")

    def _renew_lease(self) -> None:
        with self.db.begin() as conn:
            if not lease.renew(conn, self.holder, ms(self.clock.now())):
                self._lease_lost = True
                log.error("the engine lease was taken over by another engine: this one stops ingesting")
                for connection in self.connections:
                    connection.pause()

    def _follow_discovery(self, source: int, outcome: Outcome) -> None:
        """Home Assistant entities may publish anywhere: subscribe to each announced state topic."""
        for info in outcome.discovered:
            if info.topic and outcome.integration == "homeassistant":
                covered = any(filter_matches(f, info.topic) for f in self._filters)
                if not covered and "#" not in info.topic and "+" not in info.topic:
                    self.connections[source].subscribe([info.topic])

    def _ack(self, source: int, acks: Sequence[tuple[int, int]]) -> None:
        self.connections[source].ack_many(acks)

    # -- status ---------------------------------------------------------------------------------
    def status(self) -> dict[str, Any]:
        """events_stored, events_per_s, quarantined and rejected_fields by reason, writer, brokers, devices."""
        now_ms = ms(self.clock.now())
        with self.db.connect() as conn:
            counts = quarantine.counters(conn)
            health = device_state.health(conn)
            assigned = current_assignments(conn, now_ms)
            devices = device_state.known_devices(conn)
        by_prefix: dict[str, dict[str, int]] = {"quarantined": {}, "rejected": {}, "ignored": {}}
        for name, value in counts.items():
            prefix, _, reason = name.partition(":")
            if prefix in by_prefix:
                by_prefix[prefix][reason] = value
        last = self.writer.last_commit_ms
        device_rows = []
        for device_id, identity, name, profile, _model, _vendor, interval in devices:
            h = health.get(int(device_id), {})
            a = assigned.get(int(device_id))
            seen = h.get("last_seen_ms")
            online = h.get("online")
            silent = seen is not None and now_ms - int(seen) > (int(interval) + 3600) * 1000
            device_rows.append({
                "id": identity, "name": name, "profile": profile,
                "resident": a.resident_id if a else None, "room": a.room if a else None,
                "placement": a.placement if a else None,
                "online": None if online is None else bool(online) and not silent,
                "battery": h.get("battery"),
                "last_seen": format_timestamp(from_ms(int(seen))) if seen is not None else None,
            })
        return {
            "events_stored": counts.get("events_stored", 0),
            "events_per_s": round(self.writer.events_per_s(), 1),
            "messages": counts.get("messages", 0),
            "quarantined": by_prefix["quarantined"],
            "rejected_fields": by_prefix["rejected"],
            "ignored": by_prefix["ignored"],
            "writer": {
                "alive": self.writer.alive,
                "queue": self.writer.queue_size,
                "last_commit": format_timestamp(from_ms(last)) if last is not None else None,
                "error": self.writer.error,
            },
            "brokers": [self._broker_status(c) for c in self.connections],
            "lease_lost": self._lease_lost,
            "devices": device_rows,
        }

    @staticmethod
    def _broker_status(connection: MqttConnection | ReceiverProcess) -> dict[str, Any]:
        status: dict[str, Any] = {"url": connection.config.url, "state": connection.state,
                                  "error": connection.last_error}
        if isinstance(connection, ReceiverProcess):  # its process: is it there, how often was it restarted
            status["receiver"] = {"pid": connection.pid, "alive": connection.alive, "restarts": connection.restarts}
        return status
