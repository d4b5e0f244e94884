"""The engine's periodic work beside ingest: status snapshot, scoring (nightly and real-time rules,
from the daily features it keeps current as days close, see ``daily_aggregates``), escalation and the
daily privacy jobs (``privacy_jobs``: retention purges, access-log archiving, backup, signed
checkpoint), so all of it happens with no desktop open.

One thread, four cadences. Each job is guarded: a failing job is logged and retried on its next turn,
never taking ingest down with it.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from pathlib import Path

from .clock import Clock
from .escalation import EscalationRunner, configured_channels
from .ingest.engine import IngestEngine
from .localtime import ms
from .privacy_jobs import PrivacyJobs
from .scoring import score_residents
from .service import Service
from .status import ENGINE_STATUS_KEY
from .storage import accounts
from .storage import schema as s
from .storage.database import Database
from .storage.dialect import upsert

log = logging.getLogger(__name__)

STATUS_EVERY_S = 5
ESCALATION_EVERY_S = 60
SCORING_EVERY_S = 300
# How often the engine asks whether the daily privacy jobs are due (they run once a day).
PRIVACY_CHECK_EVERY_S = 60
ENGINE_ACCOUNT = "engine"


def engine_service(db: Database, clock: Clock) -> Service:
    """The engine's own system account (created on first use): it stores alerts, never exports."""
    with db.begin() as conn:
        user = accounts.user_by_name(conn, ENGINE_ACCOUNT)
        if user is None:
            user = accounts.create_user(conn, ENGINE_ACCOUNT, "Slim Maatwerk engine", "system", ms(clock.now()),
                                        all_residents=True)
    return Service(db, user, clock)


class EngineJobs:
    def __init__(self, db: Database, engine: IngestEngine, system: Service, clock: Clock,
                 publish: Callable[[str, bytes], bool] | None = None, *, scoring_every_s: int = SCORING_EVERY_S,
                 secret: Callable[[str], str | None] = lambda _key: None, data_dir: Path | None = None) -> None:
        self.db, self.engine, self.system, self.clock = db, engine, system, clock
        self.privacy = PrivacyJobs(system, data_dir)
        self.scoring_every_s = scoring_every_s
        self.escalation = EscalationRunner(
            db, clock, lambda: configured_channels(db, publish=publish, secret=secret), actor_id=system.actor.id)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.errors: dict[str, str] = {}

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="engine-jobs", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(30)

    def _run(self) -> None:
        last = {"status": 0.0, "escalation": 0.0, "scoring": 0.0, "privacy": 0.0}
        cadence = {"status": STATUS_EVERY_S, "escalation": ESCALATION_EVERY_S, "scoring": self.scoring_every_s,
                   "privacy": PRIVACY_CHECK_EVERY_S}
        jobs = {"status": self.write_status, "escalation": self.escalation.tick, "scoring": self.score,
                "privacy": self.privacy.tick}
        while not self._stop.wait(1.0):
            now = self.clock.monotonic()
            for name, job in jobs.items():
                if now - last[name] >= cadence[name]:
                    last[name] = now
                    self._guarded(name, job)

    def _guarded(self, name: str, job: Callable[[], object]) -> None:
        try:
            job()
            self.errors.pop(name, None)
        except Exception as exc:  # one failing job must not stop ingest or the other jobs
            self.errors[name] = str(exc)
            log.exception("engine job %s failed", name)

    def score(self) -> None:
        score_residents(self.system, self.clock.now())

    def write_status(self) -> None:
        """What `status --json` shows from another process: the engine's own view, a few seconds old."""
        status = self.engine.status()
        record = {
            "updated_ms": ms(self.clock.now()),
            "events_per_s": status.get("events_per_s", 0.0),
            "writer_alive": status["writer"]["alive"],
            "queue": status["writer"]["queue"],
            "last_commit": status["writer"]["last_commit"],
            "brokers": status.get("brokers", []),
            "jobs_failing": dict(self.errors),
            "refused_profiles": list(getattr(self.engine, "refused_profiles", [])),
        }
        with self.db.begin() as conn:
            upsert(conn, s.settings, [{"key": ENGINE_STATUS_KEY, "value": json.dumps(record)}], ["key"])
