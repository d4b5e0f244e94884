"""Backups with SQLite's online backup API: consistent while the app runs, encrypted like the database.

An encrypted database is backed up into a SQLCipher file keyed with the same key (its ``.keyid`` is
copied beside it, the key itself stays in the key store): a backup into a plain connection would be an
unencrypted copy. A plain database gives a plain backup, and the status says "not protected".
Restoring copies a backup into a new file with the same API, checks its integrity, and only then
moves it into place, so a bad backup never replaces a good database.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine

from ..errors import SlimMaatwerkError
from . import encryption

PREFIX = "backup-"


def connect_file(path: Path, key: bytes | None):  # type: ignore[no-untyped-def]
    """A DB-API connection to a SQLite file: SQLCipher-keyed when ``key`` is given, plain otherwise."""
    if key is None:
        return sqlite3.connect(path)
    module = encryption.sqlcipher_module()
    conn = module.connect(str(path))
    encryption.apply_key(conn, key)
    return conn


def key_of(db_path: Path) -> bytes | None:
    """The SQLCipher key of an encrypted file (found through its ``.keyid``), None for a plain file."""
    keyed = encryption.database_key(db_path)
    return keyed[0] if keyed else None


def make_backup(engine: Engine, folder: Path, when: datetime) -> Path:
    """Write a backup of the SQLite database behind ``engine`` into ``folder``."""
    if engine.dialect.name != "sqlite" or not engine.url.database:
        raise SlimMaatwerkError("backups here are for SQLite data folders; back up PostgreSQL with its own tools")
    source_path = Path(engine.url.database)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{PREFIX}{when.strftime('%Y%m%dT%H%M%SZ')}.db"
    key = key_of(source_path) if encryption.at_rest(engine).encrypted else None
    if key is not None:
        shutil.copy(source_path.with_name(source_path.name + ".keyid"), target.with_name(target.name + ".keyid"))
    partial = target.with_suffix(".partial")
    raw = engine.raw_connection()
    try:
        dest = connect_file(partial, key)
        try:
            raw.driver_connection.backup(dest)  # type: ignore[union-attr]
        finally:
            dest.close()
    finally:
        raw.close()
    partial.replace(target)
    return target


def restore(backup: Path, db_path: Path) -> None:
    """Replace the (closed) database at ``db_path`` by the backup, after an integrity check."""
    key = key_of(backup)
    staging = db_path.with_name(db_path.name + ".restoring")
    staging.unlink(missing_ok=True)
    source = connect_file(backup, key)
    try:
        dest = connect_file(staging, key)
        try:
            source.backup(dest)
            if dest.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise SlimMaatwerkError(f"{backup}: the backup is damaged; nothing was restored")
        finally:
            dest.close()
    except sqlite3.DatabaseError as exc:
        staging.unlink(missing_ok=True)
        raise SlimMaatwerkError(f"{backup}: not a readable backup ({exc}); nothing was restored") from None
    finally:
        source.close()
    for suffix in ("-wal", "-shm"):
        db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
    if key is not None:
        shutil.copy(backup.with_name(backup.name + ".keyid"), db_path.with_name(db_path.name + ".keyid"))
    staging.replace(db_path)


def backups(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"{PREFIX}*.db")) if folder.is_dir() else []


def expire(folder: Path, older_than: datetime) -> list[Path]:
    """Delete backups made before ``older_than`` (they expire with the retention period)."""
    gone = []
    for path in backups(folder):
        stamp = datetime.strptime(path.stem[len(PREFIX):], "%Y%m%dT%H%M%SZ").replace(tzinfo=older_than.tzinfo)
        if stamp < older_than:
            path.unlink()
            path.with_name(path.name + ".keyid").unlink(missing_ok=True)
            gone.append(path)
    return gone


def chain_state(path: Path) -> tuple[str | None, dict[int, str]]:
    """A backup's database id and its access-log MACs by entry id (to find where it branches off)."""
    conn = connect_file(path, key_of(path))
    try:
        found = conn.execute("SELECT value FROM settings WHERE key = 'database_id'").fetchone()
        macs = {int(i): str(m) for i, m in conn.execute("SELECT entry_id, mac FROM access_log_chain")}
    except sqlite3.DatabaseError as exc:
        raise SlimMaatwerkError(f"{path}: not a readable backup ({exc}); nothing was restored") from None
    finally:
        conn.close()
    return (str(found[0]) if found else None), macs


def taken_at(path: Path) -> datetime:
    """When a backup was made: from its name (``backup-YYYYmmddTHHMMSSZ.db``), else the file's time."""
    from datetime import UTC

    try:
        return datetime.strptime(path.stem[len(PREFIX):], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
