"""AVG rights and retention in the facade: export and erase one resident, purge old data, backups.

Reached as ``Service.data_rights``. Only an administrator (privacy officer) may export a whole
resident's data or erase it; erasure also scrubs the resident from every backup and access-log archive
and truncates the WAL, so a byte search of the folder finds them nowhere. The access log is kept, with the
resident replaced by a keyed pseudonym.

Retention has three periods, all kept in the database's settings so desktops and the engine agree: raw
events (and quarantined messages, and backups) ``N`` days; the day-level data derived from them (alerts
with their history, context periods) longer; the access log at least the five years NEN 7513 practice
asks, after which old entries leave the live log only through a signed archive (``audit_archiving``).
The engine's system account runs the same purges on its daily schedule (``privacy_jobs``).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from . import audit_chain
from .audit_archiving import archive_old_entries
from .audit_files import archive_files, archive_folder_of
from .audit_keys import chain_key
from .errors import InputError
from .localtime import format_timestamp, from_ms, ms
from .permissions import allowed
from .storage import access_log, audit_archive, backup, consent_store, erasure, event_store, residents
from .storage import alerts as alert_store
from .storage.database import Database

if TYPE_CHECKING:
    from .service import Service

RAW_DAYS_KEY = "retention.raw_event_days"
DEFAULT_RAW_DAYS = 90
AGGREGATE_DAYS_KEY = "retention.aggregate_days"
DEFAULT_AGGREGATE_DAYS = 730
ACCESS_LOG_YEARS_KEY = "retention.access_log_years"
# NEN 7513 practice (REFERENCE.md): access logs are kept five years; a shorter setting is refused.
MIN_ACCESS_LOG_YEARS = 5
BACKUP_FOLDER = "backups"
BACKUP_FOLDER_KEY = "privacy.backup_folder"


def years_before(when: datetime, years: int) -> datetime:
    try:
        return when.replace(year=when.year - years)
    except ValueError:  # 29 February
        return when.replace(year=when.year - years, day=28)


class DataRights:
    def __init__(self, service: Service) -> None:
        self.s = service

    def _require_or_job(self, permission: str) -> None:
        """The engine's system account runs the scheduled purges and backups; otherwise the named right."""
        if not allowed(self.s.roles, "run_privacy_jobs"):
            self.s._require(permission)

    def retention_days(self) -> int:
        return int(self.s.db.get_setting(RAW_DAYS_KEY, str(DEFAULT_RAW_DAYS)))

    def aggregate_days(self) -> int:
        return max(self.retention_days(), int(self.s.db.get_setting(AGGREGATE_DAYS_KEY, str(DEFAULT_AGGREGATE_DAYS))))

    def access_log_years(self) -> int:
        return max(MIN_ACCESS_LOG_YEARS, int(self.s.db.get_setting(ACCESS_LOG_YEARS_KEY, str(MIN_ACCESS_LOG_YEARS))))

    def backup_folder(self, data_dir: Path | None) -> Path | None:
        """The configured backup folder, else ``<data dir>/backups``; None for a database without a folder."""
        configured = self.s.db.get_setting(BACKUP_FOLDER_KEY)
        if configured:
            return Path(configured)
        return Path(data_dir) / BACKUP_FOLDER if data_dir is not None else None

    def set_retention(self, raw_days: int | None = None, aggregate_days: int | None = None,
                      access_log_years: int | None = None) -> None:
        self.s._require("manage_retention")
        raw = raw_days if raw_days is not None else self.retention_days()
        if raw_days is not None and not 7 <= raw_days <= 3650:
            raise InputError("raw events are kept between 7 and 3650 days")
        if aggregate_days is not None and not raw <= aggregate_days <= 36500:
            raise InputError(f"daily data is kept at least as long as raw events ({raw} days) and at most 36500 days")
        if access_log_years is not None and not MIN_ACCESS_LOG_YEARS <= access_log_years <= 100:
            raise InputError(f"the access log is kept at least {MIN_ACCESS_LOG_YEARS} years (NEN 7513 practice) "
                             "and at most 100")
        changes = [(RAW_DAYS_KEY, raw_days, f"retention of raw events set to {raw_days} days"),
                   (AGGREGATE_DAYS_KEY, aggregate_days, f"retention of daily data set to {aggregate_days} days"),
                   (ACCESS_LOG_YEARS_KEY, access_log_years, f"retention of the access log set to {access_log_years} years")]
        with self.s.db.begin() as conn:
            for key, value, text in changes:
                if value is not None:
                    _put_setting(conn, key, str(value))
                    self.s._log(conn, "change", None, text)

    def set_retention_days(self, days: int) -> None:
        self.set_retention(raw_days=days)

    def export_resident(self, resident_id: str) -> dict:
        """Everything stored about one resident (right of access), as one JSON-ready record."""
        self.s._require("export_resident_data", resident_id)
        with self.s.db.begin() as conn:
            record = self.s._known_resident(conn, resident_id)
            events = [{"timestamp": format_timestamp(from_ms(ts)), "device": d, "kind": k, "room": r,
                       "placement": p, "value": v}
                      for ts, d, k, r, p, v in event_store.resident_events(conn, resident_id, None, None)]
            out = {
                "resident": {"id": record.id, "name": record.name, "household": record.household,
                             "pet": record.pet, "team": record.team},
                "context": [{"type": t, "from": format_timestamp(from_ms(a)), "to": format_timestamp(from_ms(b)),
                             "note": n} for t, a, b, n in residents.list_context(conn, resident_id)],
                "events": events,
                "alerts": alert_store.list_alerts(conn, [resident_id], limit=100_000),
                "relatives": [{"name": r.name, "relation": r.relation}
                              for r in consent_store.relatives(conn, resident_id)],
                "consent_history": [{k: v for k, v in h.items() if k != "id"}
                                    for h in consent_store.history(conn, resident_id)],
                "access_log": [{**e, "time": format_timestamp(from_ms(e["ts_ms"]))}
                               for e in access_log.entries(conn, resident_id)],
            }
            self.s._log(conn, "export", resident_id, "all data exported (AVG right of access)")
        return out

    def erase_resident(self, resident_id: str, data_dir: Path | None = None) -> dict[str, int]:
        """Remove the resident everywhere (database, backups, access-log archives); the log keeps a pseudonym."""
        self.s._require("erase_resident", resident_id)
        with self.s.db.begin() as conn:
            self.s._known_resident(conn, resident_id)
            alias = audit_chain.pseudonym(chain_key(conn).value, resident_id)
            removed = erasure.erase_resident(conn, resident_id, alias)
            self.s._log(conn, "change", audit_chain.ERASED_PREFIX + alias, "resident erased")
        with self.s.db.begin() as conn:
            erasure.truncate_wal(conn)
        folders = {f for f in (self.backup_folder(data_dir),
                               Path(data_dir) / BACKUP_FOLDER if data_dir is not None else None) if f is not None}
        removed["backups_scrubbed"] = sum(self._scrub_backups(f, resident_id, alias) for f in sorted(folders))
        if data_dir is not None:
            removed["archive_entries_pseudonymised"] = sum(
                audit_archive.pseudonymise(path, resident_id, alias) for path in archive_files(archive_folder_of(data_dir)))
        return removed

    def _scrub_backups(self, folder: Path, resident_id: str, alias: str) -> int:
        count = 0
        for path in backup.backups(folder):
            copy = Database(f"sqlite:///{path.as_posix()}", check_schema=False)
            try:
                with copy.begin() as conn:
                    erasure.erase_resident(conn, resident_id, alias)
                with copy.begin() as conn:
                    erasure.truncate_wal(conn)
            finally:
                copy.dispose()
            for suffix in ("-wal", "-shm"):
                path.with_name(path.name + suffix).unlink(missing_ok=True)
            count += 1
        return count

    def purge(self, data_dir: Path | None = None) -> dict[str, int]:
        """Delete raw events, quarantined messages and backups older than the retention period, and
        alerts and context periods older than the (longer) retention of daily data."""
        self._require_or_job("manage_retention")
        now = self.s.clock.now()
        cutoff = now - timedelta(days=self.retention_days())
        daily_cutoff = now - timedelta(days=self.aggregate_days())
        with self.s.db.begin() as conn:
            removed = erasure.purge_raw(conn, ms(cutoff))
            removed.update(erasure.purge_aggregates(conn, ms(daily_cutoff)))
            self.s._log(conn, "change", None, f"retention purge: raw data before {cutoff.date()}, daily data before "
                        f"{daily_cutoff.date()}: {removed}")
        with self.s.db.begin() as conn:
            erasure.truncate_wal(conn)
        folder = self.backup_folder(data_dir)
        removed["backups"] = len(backup.expire(folder, cutoff)) if folder is not None else 0
        return removed

    def purge_access_log(self, data_dir: Path) -> dict | None:
        """Archive (signed) and remove access-log entries older than the access-log retention."""
        self._require_or_job("manage_retention")
        now = self.s.clock.now()
        cutoff = years_before(now, self.access_log_years())
        with self.s.db.begin() as conn:
            done = archive_old_entries(conn, self.s.db.engine, ms(cutoff), ms(now), archive_folder_of(data_dir))
            if done is not None:
                self.s._log(conn, "change", None,
                            f"access-log entries #{done['from']}..#{done['to']} (older than {cutoff.date()}) archived "
                            f"in {done['archive'].name} and removed from the live log")
        with self.s.db.begin() as conn:
            erasure.truncate_wal(conn)
        return done

    def make_backup(self, data_dir: Path | None, folder: Path | None = None) -> Path:
        self._require_or_job("manage_database")
        target = folder or self.backup_folder(data_dir)
        if target is None:
            raise InputError("no backup folder: configure one with 'slimmaatwerk jobs schedule --backup-folder DIR'")
        path = backup.make_backup(self.s.db.engine, target, self.s.clock.now())
        with self.s.db.begin() as conn:
            self.s._log(conn, "export", None, f"backup {path.name}")
        return path


def _put_setting(conn, key: str, value: str) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import delete

    from .storage import schema as s

    conn.execute(delete(s.settings).where(s.settings.c.key == key))
    conn.execute(s.settings.insert().values(key=key, value=value))
