"""Access-log archive files: entries taken out of the live log, kept with their MACs in a small SQLite file.

Two things move entries out of the live log: a restore (the entries after the backup are no longer in the
database) and the access-log retention purge (entries older than the retention period). Both first write
the entries, their MACs and a signed description (``meta``) into an archive file, so ``audit verify`` can
still check them. An archive is encrypted with the database's own SQLCipher key when the database is
encrypted (its ``.keyid`` beside it), because access-log entries name residents.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

from .. import audit_chain as chain
from . import backup

ENTRY_COLUMNS = ("id", "ts_ms", "user_id", "on_behalf_of", "resident_id", "action", "detail")
_CREATE = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    ("CREATE TABLE entries (id INTEGER PRIMARY KEY, ts_ms INTEGER NOT NULL, user_id INTEGER NOT NULL, "
     "on_behalf_of TEXT NOT NULL, resident_id TEXT, action TEXT NOT NULL, detail TEXT NOT NULL, "
     "mac TEXT NOT NULL, detail_sha TEXT NOT NULL)"),
)


def write(path: Path, meta: dict, rows: Iterable[tuple[dict, str, str]], key: bytes | None,
          keyid_from: Path | None = None) -> Path:
    """Write an archive atomically (``rows`` are entry, MAC, detail hash); returns ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    conn = backup.connect_file(partial, key)
    try:
        conn.execute("PRAGMA secure_delete=ON")
        for statement in _CREATE:
            conn.execute(statement)
        conn.executemany("INSERT INTO meta VALUES (?, ?)", [(k, str(v)) for k, v in meta.items()])
        conn.executemany(
            "INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ([e["id"], e["ts_ms"], e["user_id"], e["on_behalf_of"] or "", e["resident_id"], e["action"],
              e["detail"] or "", mac, sha] for e, mac, sha in rows))
        conn.commit()
    finally:
        conn.close()
    if key is not None and keyid_from is not None:
        shutil.copy(keyid_from, path.with_name(path.name + ".keyid"))
    partial.replace(path)
    return path


def _open(path: Path):  # type: ignore[no-untyped-def]
    return backup.connect_file(path, backup.key_of(path))


def read_meta(path: Path) -> dict[str, str]:
    conn = _open(path)
    try:
        return {str(k): str(v) for k, v in conn.execute("SELECT key, value FROM meta")}
    finally:
        conn.close()


def read_entries(path: Path, batch: int = 5000) -> Iterator[tuple[dict, str, str]]:
    """Entries in id order with their MAC and detail hash, as ``access_log.chained_rows`` gives them."""
    conn = _open(path)
    try:
        cursor = conn.execute(f"SELECT {', '.join(ENTRY_COLUMNS)}, mac, detail_sha FROM entries ORDER BY id")
        while rows := cursor.fetchmany(batch):
            for row in rows:
                yield dict(zip(ENTRY_COLUMNS, row[:7], strict=True)), row[7], row[8]
    finally:
        conn.close()


def pseudonymise(path: Path, resident_id: str, pseudonym: str) -> int:
    """Erase one resident from an archive as from the live log: the MACs stay valid (see ``audit_chain``)."""
    conn = _open(path)
    try:
        conn.execute("PRAGMA secure_delete=ON")
        changed = conn.execute("UPDATE entries SET resident_id = ?, detail = ? WHERE resident_id = ?",
                               (chain.ERASED_PREFIX + pseudonym, chain.ERASED_DETAIL, resident_id)).rowcount
        conn.commit()
        if changed:
            conn.execute("VACUUM")
        return int(changed or 0)
    finally:
        conn.close()
