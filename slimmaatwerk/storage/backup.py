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


def _connect(path: Path, key: bytes | None):  # type: ignore[no-untyped-def]
    if key is None:
        return sqlite3.connect(path)
    module = encryption.sqlcipher_module()
    conn = module.connect(str(path))
    encryption.apply_key(conn, key)
    return conn


def _key_of(db_path: Path) -> bytes | None:
    keyed = encryption.database_key(db_path)
    return keyed[0] if keyed else None


def make_backup(engine: Engine, folder: Path, when: datetime) -> Path:
    """Write a backup of the SQLite database behind ``engine`` into ``folder``."""
    if engine.dialect.name != "sqlite" or not engine.url.database:
        raise SlimMaatwerkError("backups here are for SQLite data folders; back up PostgreSQL with its own tools")
    source_path = Path(engine.url.database)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{PREFIX}{when.strftime('%Y%m%dT%H%M%SZ')}.db"
    key = _key_of(source_path) if encryption.at_rest(engine).encrypted else None
    if key is not None:
        shutil.copy(source_path.with_name(source_path.name + ".keyid"), target.with_name(target.name + ".keyid"))
    partial = target.with_suffix(".partial")
    raw = engine.raw_connection()
    try:
        dest = _connect(partial, key)
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
    key = _key_of(backup)
    staging = db_path.with_name(db_path.name + ".restoring")
    staging.unlink(missing_ok=True)
    source = _connect(backup, key)
    try:
        dest = _connect(staging, key)
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
