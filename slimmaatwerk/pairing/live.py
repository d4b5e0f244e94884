"""The live walk test: a broker session feeding the walk test on a thread of its own.

paho's thread only enqueues (``broker.BrokerSession``); this module's worker thread runs each message
through the ingest pipeline (the same profiles the engine uses) and the pure ``WalkTest``, then calls
``on_update`` with the changed check. The GUI turns that call into a queued Qt signal; nothing here
touches a widget.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from ..clock import Clock
from ..ingest.discovery import Directory
from ..ingest.pipeline import Pipeline
from ..localtime import ms
from ..profiles import ProfileRegistry
from .broker import DISCOVERY_FILTERS, BrokerSession, BrokerSettings
from .discover import link_quality
from .walktest import SensorCheck, WalkTest

log = logging.getLogger(__name__)


class LiveWalkTest:
    def __init__(self, settings: BrokerSettings, registry: ProfileRegistry, walk: WalkTest, clock: Clock,
                 topics: list[str], directory: Directory | None = None,
                 on_update: Callable[[SensorCheck], None] | None = None) -> None:
        self.walk = walk
        self.clock = clock
        self.on_update = on_update
        self._pipeline = Pipeline(registry, directory or Directory(registry))
        filters = sorted({t for t in topics if t} | {f"{t}/availability" for t in topics if t.startswith("zigbee2mqtt/")})
        self._session = BrokerSession(settings, clock, filters, "walktest", first_filters=DISCOVERY_FILTERS)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.processed = 0

    def start(self, timeout_s: float = 5.0) -> None:
        """Connect (raises broker.ConnectFailed) and start feeding the walk test."""
        self._session.open(timeout_s)
        self._thread = threading.Thread(target=self._run, name="slim-walktest", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(3.0)
        self._session.close()

    @property
    def connected(self) -> bool:
        return self._session.connected

    def snapshot(self) -> list[SensorCheck]:
        with self._lock:
            return self.walk.ordered()

    def set_focus(self, sensor_id: str | None) -> None:
        with self._lock:
            self.walk.set_focus(sensor_id)

    def _run(self) -> None:
        while not self._stop.is_set():
            item = self._session.get(0.1)
            if item is None:
                continue
            try:
                outcome = self._pipeline.process(item.topic, item.payload, item.received_ms, item.retained)
                with self._lock:
                    check = self.walk.observe(outcome, link_quality(item.payload), ms(self.clock.now()))
                self.processed += 1
                if check is not None and self.on_update is not None:
                    self.on_update(check)
            except Exception:  # one bad message or listener must not end the walk test
                log.exception("walk test failed on a message from %r", item.topic)
