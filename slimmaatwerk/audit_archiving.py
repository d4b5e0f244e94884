"""Taking entries out of the live access log, always through a signed archive first.

Two moments do this. A **restore** puts back a database that ends where the backup ended: the entries
written after the backup are archived before the database is replaced, and the restore appends one
signed entry "restored from backup …; entries #a..#b of the previous chain are archived in F", so
checkpoints exported before the restore are explained instead of reported as truncation. The
**access-log retention purge** archives entries older than the retention period (never shorter than the
legal minimum), then removes them and records a signed anchor where the live log now starts.

``audit verify`` checks every archive together with the live log and the checkpoints (``audit_chain``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, Engine

from . import audit_chain as chain
from .audit_files import stamp
from .audit_keys import chain_key
from .errors import InputError, SlimMaatwerkError
from .localtime import format_timestamp
from .storage import access_log, audit_archive, backup, encryption
from .storage.database import Database


def file_key(engine: Engine) -> tuple[bytes | None, Path | None]:
    """Archives are encrypted like the database: its SQLCipher key, and the ``.keyid`` to copy beside them."""
    if engine.dialect.name == "sqlite" and engine.url.database and encryption.at_rest(engine).encrypted:
        path = Path(engine.url.database)
        return backup.key_of(path), path.with_name(path.name + ".keyid")
    return None, None


def _start(conn: Connection, key: bytes, db_id: str) -> tuple[int, int, str]:
    found = access_log.anchor(conn)
    if found is None:
        return 0, 0, chain.genesis(key, db_id)
    return int(found["last_entry_id"]), int(found["count"]), str(found["last_mac"])


# --- restore ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RestorePlan:
    backup_name: str
    taken_at: datetime
    lost: tuple[int, int] | None  # first and last entry id of the previous chain that the restore archives
    archive: Path | None

    def detail(self) -> str:
        taken = format_timestamp(self.taken_at)
        if self.lost is None or self.archive is None:
            return f"restored from backup {self.backup_name} taken at {taken}; no access-log entries were lost"
        return (f"restored from backup {self.backup_name} taken at {taken}; entries #{self.lost[0]}..#{self.lost[1]} "
                f"of the previous chain are archived in {self.archive.name}")

    def discard(self) -> None:
        """The restore did not happen: the archive would describe a gap that does not exist."""
        if self.archive is not None:
            self.archive.unlink(missing_ok=True)
            self.archive.with_name(self.archive.name + ".keyid").unlink(missing_ok=True)


def prepare_restore(db: Database, source: Path, folder: Path, now_ms: int) -> RestorePlan:
    """Before the database is replaced by ``source``: archive the entries the backup does not have."""
    backup_id, backup_macs = backup.chain_state(source)
    taken = backup.taken_at(source)
    with db.begin() as conn:
        current = access_log.head(conn)
        if current is None or int(current["count"]) == 0:
            return RestorePlan(source.name, taken, None, None)
        key, db_id = chain_key(conn).value, access_log.database_id(conn)
        if backup_id is not None and backup_id != db_id:
            raise InputError(f"{source}: this backup belongs to another database (id {backup_id}); restore it into "
                             "an empty data folder instead; nothing was restored")
        start_id, start_count, start_mac = _start(conn, key, db_id)
        # Where the backup branches off the live chain: the newest entry both hold with the same MAC.
        base_id, base_mac = start_id, start_mac
        for entry_id in sorted((i for i in backup_macs if i > start_id), reverse=True):
            if access_log.mac_at(conn, entry_id) == backup_macs[entry_id]:
                base_id, base_mac = entry_id, backup_macs[entry_id]
                break
        last_id = int(current["last_entry_id"])
        if base_id >= last_id:
            return RestorePlan(source.name, taken, None, None)
        base = (base_id, access_log.position_of(conn, base_id, start_id, start_count), base_mac)
        last = (last_id, int(current["count"]), str(current["last_mac"]))
        rows = list(access_log.chained_rows(conn, after=base_id))
        first = int(rows[0][0]["id"]) if rows else base_id + 1
        name = f"restore-{stamp(now_ms)}-entries-{first}-{last_id}.db"
        meta = chain.archive_meta(key, "restore", name, db_id, now_ms, base, last, backup=source.name,
                                  backup_taken=format_timestamp(taken))
    file_key_, keyid = file_key(db.engine)
    path = audit_archive.write(folder / name, meta, ((e, m or "", s or "") for e, m, s in rows), file_key_, keyid)
    return RestorePlan(source.name, taken, (first, last_id), path)


def record_restore(service, plan: RestorePlan) -> None:  # type: ignore[no-untyped-def]
    """The restore's own signed entry, the first of the restored chain's new entries."""
    with service.db.begin() as conn:
        access_log.append(conn, service.now_ms(), service.actor.id, chain.RESTORE_ACTION, None, plan.detail(),
                          service.on_behalf_of)


# --- access-log retention -------------------------------------------------------------------------------------
def _checked(key: bytes, rows: Iterator[tuple[dict, str | None, str | None]], previous: str,
             out: list[tuple[int, str]]) -> Iterator[tuple[dict, str, str]]:
    """Pass rows through while checking the chain: a broken log is never archived as if it were sound."""
    for entry, mac, sha in rows:
        if mac is None or chain.entry_mac(key, previous, entry, chain.entry_sha(entry, sha)) != mac:
            raise SlimMaatwerkError(
                f"the access log does not verify at entry #{entry['id']}; old entries are only archived from an "
                "intact log (run 'slimmaatwerk audit verify')")
        previous = mac
        out.append((int(entry["id"]), mac))
        yield entry, mac, sha or chain.detail_sha(entry["detail"] or "")


def archive_old_entries(conn: Connection, engine: Engine, cutoff_ms: int, now_ms: int,
                        folder: Path) -> dict | None:
    """Archive every entry older than ``cutoff_ms`` (a prefix of the log), remove them and move the anchor.

    Returns {"archive", "from", "to", "entries", "anchor"} or None when nothing is old enough.
    """
    key, db_id = chain_key(conn).value, access_log.database_id(conn)
    start_id, start_count, start_mac = _start(conn, key, db_id)
    through = access_log.last_id_before(conn, cutoff_ms)
    if through <= start_id:
        return None
    last_mac = access_log.mac_at(conn, through)
    count = access_log.position_of(conn, through, start_id, start_count)
    if last_mac is None:
        raise SlimMaatwerkError(f"the access log does not verify at entry #{through} (no MAC); nothing was archived")
    name = f"retention-{stamp(now_ms)}-entries-{start_id + 1}-{through}.db"
    meta = chain.archive_meta(key, "retention", name, db_id, now_ms, (start_id, start_count, start_mac),
                              (through, count, last_mac))
    seen: list[tuple[int, str]] = []
    file_key_, keyid = file_key(engine)
    path = folder / name
    try:
        audit_archive.write(path, meta, _checked(key, access_log.chained_rows(conn, after=start_id, through=through),
                                                 start_mac, seen), file_key_, keyid)
    except SlimMaatwerkError:
        path.with_name(path.name + ".partial").unlink(missing_ok=True)
        raise
    if not seen or seen[-1] != (through, last_mac) or start_count + len(seen) != count:
        path.unlink(missing_ok=True)
        raise SlimMaatwerkError("the access log changed while it was being archived; nothing was removed")
    archived = chain.Archive(audit_archive.read_meta(path), lambda: audit_archive.read_entries(path))
    if not chain.archive_intact(key, archived):
        path.unlink(missing_ok=True)
        raise SlimMaatwerkError(f"{path}: the archive did not read back intact; nothing was removed")
    body = chain.anchor_body(key, db_id, now_ms, through, count, last_mac)
    access_log.move_start(conn, body)
    return {"archive": path, "from": start_id + 1, "to": through, "entries": len(seen), "anchor": body}
