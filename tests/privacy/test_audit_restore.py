"""Restores versus checkpoints: a restore archives the entries it rolls back and says so in a signed entry, so
`audit verify` reports intact-with-a-restore-gap; a missing or altered archive, or a truncation nothing
explains, still fails with exit 1 (real SQLite data folders, the real command line)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from slimmaatwerk.cli import main
from slimmaatwerk.clock import FixedClock
from slimmaatwerk.storage import audit_archive, backup
from tests.privacy.conftest import NOW


def run(*args: str) -> int:
    return main(list(args))


def _activity(data: Path, n: int) -> None:
    for i in range(n):
        assert run("context", "add", "--data-dir", str(data), "--resident", "r1", "--type", "visit",
                   "--from", f"2026-03-0{1 + i % 5}T10:00:00+01:00", "--to", f"2026-03-0{1 + i % 5}T11:00:00+01:00") == 0


def _verify(data: Path, capsys) -> tuple[int, dict]:  # type: ignore[no-untyped-def]
    capsys.readouterr()
    code = run("audit", "verify", "--data-dir", str(data), "--json")
    return code, json.loads(capsys.readouterr().out)


@pytest.fixture
def restored(tmp_path: Path, capsys) -> Path:  # type: ignore[no-untyped-def]
    """Backup, more work, a checkpoint exported after it, then the restore."""
    data = tmp_path / "data"
    assert run("residents", "add", "--data-dir", str(data), "--id", "r1", "--name", "Mevr. Hersteld") == 0
    _activity(data, 2)
    assert run("backup", "create", "--data-dir", str(data), "--file", str(tmp_path / "saved.db")) == 0
    _activity(data, 4)
    assert run("audit", "checkpoint", "--data-dir", str(data)) == 0
    assert run("backup", "restore", "--data-dir", str(data), "--file", str(tmp_path / "saved.db")) == 0
    err = capsys.readouterr().err
    assert "are archived in" in err and "restore-" in err
    return data


def test_a_restore_is_an_explained_gap_not_tampering(restored: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, report = _verify(restored, capsys)
    assert code == 0 and report["intact"], report
    [gap] = report["restore_gaps"]
    archive = restored / "audit-archives" / gap["archive"]
    assert archive.is_file() and gap["to"] - gap["from"] >= 4  # the 4 visits, the backup and the checkpoint
    with sqlite3.connect(restored / "slimmaatwerk.db") as conn:
        action, detail = conn.execute("SELECT action, detail FROM access_log WHERE id = ?",
                                      (gap["restore_entry"],)).fetchone()
    assert action == "restore" and f"entries #{gap['from']}..#{gap['to']}" in detail and gap["archive"] in detail
    assert any("restored from a backup" in note["en"] for note in report["notes"])
    _activity(restored, 2)  # life goes on after the restore: still intact
    assert _verify(restored, capsys)[0] == 0


def test_without_the_archive_the_old_checkpoint_reports_the_gap(restored: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    archive = next((restored / "audit-archives").glob("restore-*.db"))
    archive.rename(restored / "elsewhere.db")
    code, report = _verify(restored, capsys)
    assert code == 1 and report["broken"]["kind"] == "archive"
    assert "is missing" in report["broken"]["explanation"]["en"]


def test_an_altered_archive_is_caught(restored: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    archive = next((restored / "audit-archives").glob("restore-*.db"))
    with sqlite3.connect(archive) as conn:
        conn.execute("UPDATE entries SET detail = 'nothing happened' WHERE id = (SELECT max(id) FROM entries)")
    code, report = _verify(restored, capsys)
    assert code == 1 and report["broken"]["kind"] == "archive" and "altered" in report["broken"]["explanation"]["en"]
    with sqlite3.connect(archive) as conn:
        conn.execute("DELETE FROM entries WHERE id = (SELECT max(id) FROM entries)")
    assert _verify(restored, capsys)[0] == 1


def test_an_unexplained_truncation_after_a_restore_still_fails(restored: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    _activity(restored, 3)
    assert run("audit", "checkpoint", "--data-dir", str(restored)) == 0
    with sqlite3.connect(restored / "slimmaatwerk.db") as conn:  # a careful attacker: entries, MACs, head
        keep = conn.execute("SELECT max(id) - 2 FROM access_log").fetchone()[0]
        conn.execute("DELETE FROM access_log WHERE id > ?", (keep,))
        conn.execute("DELETE FROM access_log_chain WHERE entry_id > ?", (keep,))
        conn.execute("DELETE FROM access_log_checkpoints WHERE entry_id > ?", (keep,))
        mac = conn.execute("SELECT mac FROM access_log_chain WHERE entry_id = ?", (keep,)).fetchone()[0]
        count = conn.execute("SELECT count(*) FROM access_log_chain").fetchone()[0]
        conn.execute("UPDATE access_log_head SET last_entry_id = ?, last_mac = ?, count = ?", (keep, mac, count))
    code, report = _verify(restored, capsys)
    assert code == 1 and report["broken"]["kind"] == "truncated"


def test_a_restore_that_loses_nothing_needs_no_archive(tmp_path: Path) -> None:
    from slimmaatwerk.audit_archiving import prepare_restore
    from slimmaatwerk.audit_files import archive_folder_of
    from tests.privacy.test_data_protection import _folder_world

    admin, _engine = _folder_world(tmp_path, FixedClock(NOW))
    admin.add_resident("r1", "Mevr. Hersteld")
    saved = backup.make_backup(admin.db.engine, tmp_path / "backups", NOW)  # no log entry after it
    plan = prepare_restore(admin.db, saved, archive_folder_of(tmp_path), admin.now_ms())
    assert plan.archive is None and plan.lost is None and "no access-log entries were lost" in plan.detail()
    assert not archive_folder_of(tmp_path).exists()
    admin.db.dispose()


def test_a_backup_of_another_database_is_refused_before_anything_changes(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    one, other = tmp_path / "one", tmp_path / "other"
    for folder in (one, other):
        assert run("residents", "add", "--data-dir", str(folder), "--id", "r1", "--name", "Mevr. Eén") == 0
    assert run("backup", "create", "--data-dir", str(other)) == 0
    source = next((other / "backups").glob("backup-*.db"))
    capsys.readouterr()
    assert run("backup", "restore", "--data-dir", str(one), "--file", str(source)) == 2
    assert "belongs to another database" in capsys.readouterr().err
    assert not (one / "audit-archives").exists() or not list((one / "audit-archives").iterdir())
    assert _verify(one, capsys)[0] == 0


def test_an_encrypted_database_gets_an_encrypted_archive(tmp_path: Path, memory_keyring) -> None:  # type: ignore[no-untyped-def]
    from slimmaatwerk.audit_archiving import prepare_restore, record_restore
    from slimmaatwerk.audit_files import archive_folder_of
    from slimmaatwerk.storage.database import Database
    from tests.privacy.test_data_protection import _folder_world

    clock = FixedClock(NOW)
    admin, _engine = _folder_world(tmp_path, clock)
    admin.add_resident("r-geheim", "Mevr. Geheimhouding")
    saved = admin.data_rights.make_backup(tmp_path)
    admin.add_context("r-geheim", "visit", "2026-03-01T10:00:00+01:00", "2026-03-01T11:00:00+01:00")
    plan = prepare_restore(admin.db, saved, archive_folder_of(tmp_path), admin.now_ms())
    assert plan.archive is not None and plan.archive.read_bytes()[:16] != b"SQLite format 3\x00"
    assert b"r-geheim" not in plan.archive.read_bytes()
    assert any(e["resident_id"] == "r-geheim" for e, _m, _s in audit_archive.read_entries(plan.archive))
    db_path = Path(str(admin.db.engine.url.database))
    admin.db.dispose()
    backup.restore(saved, db_path)
    admin.db = Database(f"sqlite:///{db_path}")
    record_restore(admin, plan)
    verdict = admin.privacy.verify_audit(archive_folder=archive_folder_of(tmp_path))
    assert verdict.intact and verdict.restore_gaps[0]["archive"] == plan.archive.name
    admin.db.dispose()
