"""AVG rights and retention in the facade: export and erase one resident, purge old raw data, backups.

Reached as ``Service.data_rights``. Only an administrator (privacy officer) may export a whole
resident's data or erase it; erasure also scrubs the resident from every backup in the data folder and
truncates the WAL, so a byte search of the folder finds them nowhere. The access log is kept, with the
resident replaced by a keyed pseudonym.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from . import audit_chain
from .audit_keys import chain_key
from .errors import InputError
from .localtime import format_timestamp, from_ms, ms
from .storage import access_log, backup, consent_store, erasure, event_store, residents
from .storage import alerts as alert_store
from .storage.database import Database

if TYPE_CHECKING:
    from .service import Service

RAW_DAYS_KEY = "retention.raw_event_days"
DEFAULT_RAW_DAYS = 90
BACKUP_FOLDER = "backups"


class DataRights:
    def __init__(self, service: Service) -> None:
        self.s = service

    def retention_days(self) -> int:
        return int(self.s.db.get_setting(RAW_DAYS_KEY, str(DEFAULT_RAW_DAYS)))

    def set_retention_days(self, days: int) -> None:
        self.s._require("manage_retention")
        if not 7 <= days <= 3650:
            raise InputError("raw events are kept between 7 and 3650 days")
        from sqlalchemy import delete

        from .storage import schema as s

        with self.s.db.begin() as conn:
            conn.execute(delete(s.settings).where(s.settings.c.key == RAW_DAYS_KEY))
            conn.execute(s.settings.insert().values(key=RAW_DAYS_KEY, value=str(days)))
            self.s._log(conn, "change", None, f"retention of raw events set to {days} days")

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
        """Remove the resident everywhere (database and backups); the access log keeps a pseudonym."""
        self.s._require("erase_resident", resident_id)
        with self.s.db.begin() as conn:
            self.s._known_resident(conn, resident_id)
            alias = audit_chain.pseudonym(chain_key(conn).value, resident_id)
            removed = erasure.erase_resident(conn, resident_id, alias)
            self.s._log(conn, "change", audit_chain.ERASED_PREFIX + alias, "resident erased")
        with self.s.db.begin() as conn:
            erasure.truncate_wal(conn)
        if data_dir is not None:
            removed["backups_scrubbed"] = self._scrub_backups(Path(data_dir) / BACKUP_FOLDER, resident_id, alias)
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
        """Delete raw events, quarantined messages and backups older than the retention period."""
        self.s._require("manage_retention")
        now = self.s.clock.now()
        cutoff = now - timedelta(days=self.retention_days())
        with self.s.db.begin() as conn:
            removed = erasure.purge_raw(conn, ms(cutoff))
            self.s._log(conn, "change", None, f"retention purge before {cutoff.date()}: {removed}")
        with self.s.db.begin() as conn:
            erasure.truncate_wal(conn)
        if data_dir is not None:
            removed["backups"] = len(backup.expire(Path(data_dir) / BACKUP_FOLDER, cutoff))
        return removed

    def make_backup(self, data_dir: Path) -> Path:
        self.s._require("manage_database")
        path = backup.make_backup(self.s.db.engine, Path(data_dir) / BACKUP_FOLDER, self.s.clock.now())
        with self.s.db.begin() as conn:
            self.s._log(conn, "export", None, f"backup {path.name}")
        return path
