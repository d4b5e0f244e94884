"""Signed access-log checkpoints and archives as files outside the database, and reading them back.

A checkpoint file is small JSON: format, database id, time, the number of entries, the last entry id,
its MAC and an HMAC signature. Kept outside the database (ideally copied off the machine daily), it
proves how long the log was, so deleting the newest entries together with their MACs is still caught.
Archive files (``audit-archives/``, see ``storage/audit_archive.py``) hold entries taken out of the live
log by a restore or by the access-log retention purge; ``anchor-*.json`` beside the checkpoints records
where the live log starts after such a purge.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from .audit_chain import CHECKPOINT_FORMAT, Archive
from .errors import InputError
from .storage import access_log, audit_archive
from .storage.database import Database

FOLDER = "audit-checkpoints"
ARCHIVE_FOLDER = "audit-archives"
FIELDS = ("format", "database_id", "created_ms", "last_entry_id", "count", "last_mac", "signature")


def folder_of(data_dir: Path) -> Path:
    return Path(data_dir) / FOLDER


def export_checkpoints(db: Database, folder: Path) -> list[Path]:
    """Write every checkpoint of the database that has no file yet; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with db.begin() as conn:
        for body in access_log.checkpoints(conn):
            if body["exported"]:
                continue
            when = datetime.fromtimestamp(body["created_ms"] / 1000, tz=UTC).strftime("%Y%m%dT%H%M%SZ")
            path = folder / f"checkpoint-{when}-{body['last_entry_id']}.json"
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps({k: body[k] for k in FIELDS}, indent=1), encoding="utf-8")
            tmp.replace(path)
            access_log.mark_exported(conn, body["row_id"], path.name)
            written.append(path)
    return written


def read_checkpoint(path: Path) -> dict:
    """One checkpoint file; a missing, unreadable or malformed file is one clear InputError."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot read the checkpoint ({exc.strerror or exc})") from None
    except ValueError:
        raise InputError(f"{path}: not a checkpoint file (not valid JSON)") from None
    if not isinstance(raw, dict) or raw.get("format") != CHECKPOINT_FORMAT:
        raise InputError(f"{path}: not a Slim Maatwerk audit checkpoint")
    missing = [f for f in FIELDS if f not in raw]
    if missing:
        raise InputError(f"{path}: checkpoint is missing {', '.join(missing)}")
    try:
        int(raw["created_ms"]), int(raw["last_entry_id"]), int(raw["count"])
    except (TypeError, ValueError):
        raise InputError(f"{path}: checkpoint numbers are not numbers") from None
    return {k: raw[k] for k in FIELDS}


def read_folder(folder: Path) -> list[dict]:
    if not folder.is_dir():
        return []
    return [read_checkpoint(path) for path in sorted(folder.glob("checkpoint-*.json"))]


def archive_folder_of(data_dir: Path) -> Path:
    return Path(data_dir) / ARCHIVE_FOLDER


def stamp(created_ms: int) -> str:
    return datetime.fromtimestamp(created_ms / 1000, tz=UTC).strftime("%Y%m%dT%H%M%SZ")


def archive_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.db") if p.name.startswith(("restore-", "retention-")))


def read_archives(folder: Path) -> list[Archive]:
    """Every archive in ``folder``; an unreadable one still appears (with empty meta) so it counts as damaged."""
    found = []
    for path in archive_files(folder):
        try:
            meta = audit_archive.read_meta(path)
        except Exception:  # noqa: BLE001 - sqlite3/sqlcipher errors alike: the file is damaged
            meta = {}
        meta.setdefault("name", path.name)
        found.append(Archive(meta, lambda path=path: audit_archive.read_entries(path)))
    return found


def write_anchor(body: dict, folder: Path) -> Path:
    """A copy of the signed anchor beside the checkpoints (the database keeps the one verification uses)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"anchor-{stamp(body['created_ms'])}-{body['last_entry_id']}.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(body, indent=1), encoding="utf-8")
    tmp.replace(path)
    return path
