"""The demo's live part: the engine ingests what the simulated homes publish, in real time.

The simulated homes' events after "now" are published through the broker at their natural pace, as
Zigbee2MQTT would, and the engine stores them like any real home's messages. Every few minutes the
scoring job runs, so live deviations (a long lie, a night exit) appear without a restart.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import replace

from .clock import Clock
from .demo_world import DemoWorld
from .ingest.engine import IngestEngine
from .scoring import score_residents
from .service import Service
from .simulate import publish
from .storage.database import Database

log = logging.getLogger(__name__)
SCORING_INTERVAL_S = 300


class LiveDemo:
    def __init__(self, db: Database, broker_url: str, world: DemoWorld, system: Service, clock: Clock,
                 on_commit: Callable[[int], None]) -> None:
        self.db = db
        self.broker_url = broker_url
        self.world = world
        self.system = system
        self.clock = clock
        # MQTT 3.1.1: the embedded amqtt broker does not speak v5.
        self.engine = IngestEngine(db.engine, [broker_url], clock=clock, client_id="slimmaatwerk-demo-engine",
                                   protocol=4)
        self.engine.on_commit.append(on_commit)
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        self.engine.start()
        for name, target in (("demo-publisher", self._publish), ("demo-scoring", self._score)):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)

    def _publish(self) -> None:
        homes = [replace(home, events=future) for home, future in self.world.future if future]
        try:
            publish(homes, self.broker_url, speed=1.0, client_id="slimmaatwerk-demo-homes", clock=self.clock,
                    sleep=self._stop.wait, should_stop=self._stop.is_set)
        except Exception:  # the window stays usable without live traffic; say why in the log
            log.exception("demo publisher stopped")

    def _score(self) -> None:
        while not self._stop.wait(SCORING_INTERVAL_S):
            try:
                score_residents(self.system, self.clock.now())
            except Exception:
                log.exception("demo scoring failed")

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(10)
        self.engine.stop()
