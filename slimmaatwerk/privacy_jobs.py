"""The daily privacy jobs the engine runs: retention purges, access-log archiving, backup and checkpoint.

Once a day at a configured local time (default 03:30, Europe/Amsterdam) the engine's system account
1. purges raw events and quarantined messages older than the raw retention, and alerts and context
   periods older than the (longer) retention of daily data;
2. archives access-log entries older than the access-log retention (at least five years) in a signed
   archive and removes them from the live log;
3. if a backup folder is configured, makes an encrypted backup there (step 1 deleted the backups older
   than the raw retention);
4. takes a signed checkpoint of the access log and exports every checkpoint not yet exported to the
   configured folder (default ``<data dir>/audit-checkpoints``).

Schedule and outcome live in the database's ``settings`` table (keys below), so ``status --json`` from any
process shows them and a restarted engine catches up: a run missed while the engine was down happens at
its next tick, once, because every step works from "now". A slot that completed is never run again; a
step that failed is retried an hour later.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from .audit_files import export_checkpoints, folder_of
from .errors import InputError
from .localtime import TZ, format_timestamp, from_ms, ms
from .storage import access_log
from .storage import schema as s
from .storage.dialect import upsert

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from .service import Service

log = logging.getLogger(__name__)

AT_KEY = "privacy.daily_at"
CHECKPOINT_FOLDER_KEY = "privacy.checkpoint_folder"
STATE_KEY = "privacy.jobs"
DEFAULT_AT = "03:30"
RETRY_AFTER = timedelta(hours=1)
STEPS = ("purge", "access_log", "backup", "checkpoint")
STEP_TEXT = {
    "purge": {"nl": "opschonen volgens de bewaartermijn", "en": "retention purge"},
    "access_log": {"nl": "archiveren van oude logregels", "en": "archiving old access-log entries"},
    "backup": {"nl": "versleutelde back-up", "en": "encrypted backup"},
    "checkpoint": {"nl": "getekend controlepunt exporteren", "en": "exporting the signed checkpoint"},
}


def parse_at(text: str) -> time:
    try:
        parsed = datetime.strptime(text.strip(), "%H:%M").time()
    except ValueError:
        raise InputError(f"{text!r} is not a time of day as HH:MM (e.g. 03:30)") from None
    return parsed


def slot_for(now: datetime, at: time) -> datetime:
    """The latest scheduled moment at or before ``now`` (local time ``at`` today, else yesterday)."""
    local = now.astimezone(TZ)
    today = datetime.combine(local.date(), at, tzinfo=TZ)
    return today if today <= local else datetime.combine(local.date() - timedelta(days=1), at, tzinfo=TZ)


def next_slot(now: datetime, at: time) -> datetime:
    current = slot_for(now, at)
    return datetime.combine(current.date() + timedelta(days=1), at, tzinfo=TZ)


def _read_state(conn: Connection) -> dict:
    from sqlalchemy import select

    raw = conn.execute(select(s.settings.c.value).where(s.settings.c.key == STATE_KEY)).scalar()
    return json.loads(raw) if raw else {}


def _setting(conn: Connection, key: str, default: str = "") -> str:
    from sqlalchemy import select

    value = conn.execute(select(s.settings.c.value).where(s.settings.c.key == key)).scalar()
    return default if value is None else str(value)


def configure(service: Service, at: str | None = None, checkpoint_folder: Path | None = None,
              backup_folder: Path | None = None, no_backup: bool = False) -> None:
    """Set the daily time and folders (administrator); folders are stored as absolute paths."""
    from .data_rights import BACKUP_FOLDER_KEY

    service._require("manage_retention")
    if at is not None:
        parse_at(at)
    values = {AT_KEY: at, CHECKPOINT_FOLDER_KEY: str(checkpoint_folder.resolve()) if checkpoint_folder else None,
              BACKUP_FOLDER_KEY: "" if no_backup else (str(backup_folder.resolve()) if backup_folder else None)}
    with service.db.begin() as conn:
        for key, value in values.items():
            if value is not None:
                upsert(conn, s.settings, [{"key": key, "value": value}], ["key"])
                service._log(conn, "change", None, f"privacy jobs: {key} set to {value or '(none)'}")


class PrivacyJobs:
    """Runs the daily privacy jobs as ``service`` (the engine's system account, or an administrator)."""

    def __init__(self, service: Service, data_dir: Path | None) -> None:
        self.s = service
        self.data_dir = Path(data_dir) if data_dir is not None else None

    def _at(self, conn: Connection) -> time:
        try:
            return parse_at(_setting(conn, AT_KEY, DEFAULT_AT))
        except InputError:
            log.warning("privacy jobs: bad %s setting, using %s", AT_KEY, DEFAULT_AT)
            return parse_at(DEFAULT_AT)

    def due(self) -> bool:
        now = self.s.clock.now()
        with self.s.db.read() as conn:
            state, at = _read_state(conn), self._at(conn)
        if int(state.get("slot_ms", -1)) >= ms(slot_for(now, at)):
            return False
        attempt = state.get("attempt_ms")
        return attempt is None or now - from_ms(int(attempt)) >= RETRY_AFTER

    def tick(self) -> bool:
        """Run the day's jobs when they are due; True when they ran."""
        if not self.due():
            return False
        self.run()
        return True

    def run(self) -> dict:
        """All steps now, each guarded; the outcome (errors in words) is stored for ``status --json``."""
        self.s.data_rights._require_or_job("manage_retention")
        now = self.s.clock.now()
        with self.s.db.read() as conn:
            at, before = self._at(conn), _read_state(conn)
        steps = {"purge": self._purge, "access_log": self._access_log, "backup": self._backup,
                 "checkpoint": self._checkpoint}
        results: dict[str, str] = {}
        errors: dict[str, dict[str, str]] = {}
        for name in STEPS:
            try:
                results[name] = steps[name]()
            except Exception as exc:  # one failing step must not stop the others; it is reported in words
                log.exception("privacy job %s failed", name)
                errors[name] = {"nl": f"{STEP_TEXT[name]['nl']} mislukt: {exc}",
                                "en": f"{STEP_TEXT[name]['en']} failed: {exc}"}
        state = {"slot_ms": ms(slot_for(now, at)) if not errors else int(before.get("slot_ms", -1)),
                 "last_run_ms": ms(now), "attempt_ms": None if not errors else ms(now),
                 "results": results, "errors": errors}
        with self.s.db.begin() as conn:
            upsert(conn, s.settings, [{"key": STATE_KEY, "value": json.dumps(state)}], ["key"])
        return state

    # --- the steps: each returns one line for the status -----------------------------------------
    def _purge(self) -> str:
        removed = self.s.data_rights.purge(None)
        return ", ".join(f"{n} {k}" for k, n in removed.items())

    def _access_log(self) -> str:
        if self.data_dir is None:
            return "skipped: no data folder for archives"
        done = self.s.data_rights.purge_access_log(self.data_dir)
        return "nothing older than the retention" if done is None else \
            f"entries #{done['from']}..#{done['to']} archived in {done['archive'].name}"

    def _backup(self) -> str:
        from .data_rights import BACKUP_FOLDER_KEY

        configured = self.s.db.get_setting(BACKUP_FOLDER_KEY)
        if not configured:
            return "skipped: no backup folder configured"
        if self.s.db.engine.dialect.name != "sqlite":
            return "skipped: PostgreSQL is backed up with its own tools"
        # Backups older than the raw retention were already deleted by the purge step.
        return self.s.data_rights.make_backup(self.data_dir, Path(configured)).name

    def _checkpoint(self) -> str:
        with self.s.db.begin() as conn:
            access_log.checkpoint_now(conn, self.s.now_ms())
            configured = _setting(conn, CHECKPOINT_FOLDER_KEY)
        folder = Path(configured) if configured else (folder_of(self.data_dir) if self.data_dir else None)
        if folder is None:
            return "checkpoint kept in the database (no folder configured)"
        written = export_checkpoints(self.s.db, folder)
        return f"{len(written)} exported to {folder}"


def status_record(conn: Connection, now: datetime) -> dict:
    """What ``status --json`` shows under ``privacy_jobs``: last run, next run, outcome and errors in words."""
    state = _read_state(conn)
    try:
        at = parse_at(_setting(conn, AT_KEY, DEFAULT_AT))
    except InputError:
        at = parse_at(DEFAULT_AT)
    done = int(state.get("slot_ms", -1)) >= ms(slot_for(now, at))
    attempt = state.get("attempt_ms")
    if done:
        upcoming = next_slot(now, at)
    elif attempt is not None:
        upcoming = max(now, from_ms(int(attempt)) + RETRY_AFTER)
    else:
        upcoming = now  # due: the engine runs it at its next tick (within a minute while it runs)
    last = state.get("last_run_ms")
    return {
        "daily_at": at.strftime("%H:%M"),
        "last_run": format_timestamp(from_ms(int(last))) if last is not None else None,
        "next_run": format_timestamp(upcoming),
        "ok": (not state.get("errors")) if state else None,
        "results": state.get("results", {}),
        "errors": state.get("errors", {}),
    }
