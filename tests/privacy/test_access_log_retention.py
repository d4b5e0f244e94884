"""Access-log retention: entries older than the retention (at least five years) leave the live log only through a
signed archive; a signed anchor marks the new start, so verification works across the purge and tampering
with what remains, with the anchor or with the archive is still caught (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from slimmaatwerk.audit_files import archive_folder_of, read_folder
from slimmaatwerk.errors import AccessDenied, InputError, SlimMaatwerkError
from slimmaatwerk.service import Service
from slimmaatwerk.storage import audit_archive


def _activity(admin: Service, n: int) -> None:
    for i in range(n):
        admin.add_context("r1", "visit", f"2026-03-0{1 + i % 5}T10:00:00+01:00", f"2026-03-0{1 + i % 5}T11:00:00+01:00")


def _sql(admin: Service, statement: str, **params: object) -> None:
    with admin.db.begin() as conn:
        conn.execute(text(statement), params)


def test_the_access_log_is_kept_at_least_five_years(world) -> None:  # type: ignore[no-untyped-def]
    rights = world["admin"].data_rights
    assert rights.access_log_years() == 5
    with pytest.raises(InputError, match="at least 5 years"):
        rights.set_retention(access_log_years=4)
    rights.set_retention(access_log_years=7)
    assert rights.access_log_years() == 7
    with pytest.raises(AccessDenied):
        world["nurse"].data_rights.set_retention(access_log_years=9)


def test_purge_archives_old_entries_and_verify_stays_intact(world, clock, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    admin = world["admin"]
    _activity(admin, 6)
    old_ids = [e["id"] for e in admin.audit_entries()]
    before = admin.privacy.checkpoint(tmp_path / "points")  # exported before the purge: must still verify
    clock.advance(timedelta(days=365 * 3))
    _activity(admin, 2)  # three years old at the purge: kept
    kept_from = max(old_ids) + 1
    clock.advance(timedelta(days=365 * 3))
    done = admin.data_rights.purge_access_log(tmp_path)
    assert done is not None and done["to"] >= max(old_ids) and done["to"] < kept_from + 2
    remaining = [e["id"] for e in admin.audit_entries()]
    assert min(remaining) > done["to"] and not set(old_ids) & set(remaining)
    archived = list(audit_archive.read_entries(done["archive"]))
    assert [int(e["id"]) for e, _m, _s in archived][:len(old_ids)] == old_ids
    verdict = admin.privacy.verify_audit(read_folder(tmp_path / "points"), archive_folder_of(tmp_path))
    assert verdict.intact, verdict.broken
    assert verdict.archived_before == done["to"] and verdict.checkpoints >= len(before)
    assert admin.data_rights.purge_access_log(tmp_path) is None  # idempotent: nothing older is left
    _activity(admin, 3)
    assert admin.privacy.verify_audit(archive_folder=archive_folder_of(tmp_path)).intact
    # Tampering with what remains is still caught...
    target = [e["id"] for e in admin.audit_entries()][2]
    _sql(admin, "UPDATE access_log SET detail = 'nothing to see' WHERE id = :i", i=target)
    broken = admin.privacy.verify_audit(archive_folder=archive_folder_of(tmp_path)).broken
    assert broken is not None and broken.entry_id == target and broken.kind == "edited"


def test_deleting_the_oldest_kept_entries_or_the_anchor_is_caught(world, clock, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    admin = world["admin"]
    _activity(admin, 4)
    clock.advance(timedelta(days=365 * 6))
    _activity(admin, 4)
    done = admin.data_rights.purge_access_log(tmp_path)
    assert done is not None and admin.privacy.verify_audit().intact
    first = min(e["id"] for e in admin.audit_entries())
    _sql(admin, "DELETE FROM access_log WHERE id = :i", i=first)
    _sql(admin, "DELETE FROM access_log_chain WHERE entry_id = :i", i=first)
    broken = admin.privacy.verify_audit().broken
    assert broken is not None and broken.kind == "deleted"
    _sql(admin, "DELETE FROM settings WHERE key = 'audit.anchor'")  # without the anchor the start is unexplained
    assert not admin.privacy.verify_audit().intact


def test_a_forged_anchor_is_refused(world, clock, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Someone with database access passes an ordinary checkpoint off as an anchor, to drop entries quietly."""
    import json

    admin = world["admin"]
    _activity(admin, 6)
    assert admin.privacy.checkpoint(tmp_path)
    body = read_folder(tmp_path)[-1]
    keep = int(body["last_entry_id"])
    _sql(admin, "DELETE FROM access_log WHERE id <= :k", k=keep)
    _sql(admin, "DELETE FROM access_log_chain WHERE entry_id <= :k", k=keep)
    _sql(admin, "INSERT INTO settings (key, value) VALUES ('audit.anchor', :v)", v=json.dumps(body))
    broken = admin.privacy.verify_audit().broken
    assert broken is not None and broken.kind == "anchor"


def test_an_altered_retention_archive_is_caught(tmp_path: Path, clock, memory_keyring) -> None:  # type: ignore[no-untyped-def]
    from tests.privacy.test_data_protection import _folder_world

    admin, _engine = _folder_world(tmp_path, clock)
    admin.add_resident("r1", "Mevr. Archief")
    _activity(admin, 5)
    clock.advance(timedelta(days=365 * 6))
    done = admin.data_rights.purge_access_log(tmp_path)
    assert done is not None
    assert done["archive"].read_bytes()[:16] != b"SQLite format 3\x00"  # encrypted like the database
    assert admin.privacy.verify_audit(archive_folder=archive_folder_of(tmp_path)).intact
    admin.db.dispose()
    # Only the key holder can edit an encrypted archive: do it as an insider would, with the key.
    from slimmaatwerk.storage import backup

    conn = backup.connect_file(done["archive"], backup.key_of(done["archive"]))
    conn.execute("UPDATE entries SET detail = 'rewritten' WHERE id = (SELECT min(id) FROM entries)")
    conn.commit()
    conn.close()
    from slimmaatwerk.storage.database import Database

    admin.db = Database(f"sqlite:///{tmp_path / 'slimmaatwerk.db'}")
    broken = admin.privacy.verify_audit(archive_folder=archive_folder_of(tmp_path)).broken
    assert broken is not None and broken.kind == "archive"
    admin.db.dispose()


def test_a_broken_log_is_never_archived(world, clock, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    admin = world["admin"]
    _activity(admin, 4)
    target = [e["id"] for e in admin.audit_entries()][3]
    _sql(admin, "UPDATE access_log SET detail = 'rewritten' WHERE id = :i", i=target)
    clock.advance(timedelta(days=365 * 6))
    with pytest.raises(SlimMaatwerkError, match=f"does not verify at entry #{target}"):
        admin.data_rights.purge_access_log(tmp_path)
    assert target in [e["id"] for e in admin.audit_entries()]
    # No archive, not even a half-written one.
    assert not list(archive_folder_of(tmp_path).glob("*.db*"))
