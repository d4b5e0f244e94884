"""Encryption at rest, erase and purge leave nothing behind, backups restore (real SQLite/SQLCipher files)."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from slimmaatwerk.clock import FixedClock
from slimmaatwerk.errors import AccessDenied, SlimMaatwerkError
from slimmaatwerk.events import Event
from slimmaatwerk.localtime import ms
from slimmaatwerk.protection import assess
from slimmaatwerk.scoring import keep_daily_features
from slimmaatwerk.service import Service
from slimmaatwerk.storage import accounts, quarantine
from slimmaatwerk.storage.backup import restore
from slimmaatwerk.storage.database import Database
from slimmaatwerk.storage.schema_features import daily_features
from tests.privacy.conftest import NOW, open_db

RID, NAME, RELATIVE = "zz-erase-77", "Wilhelmina Verwijderd", "Truus Verwijderd"
SECRETS = (RID.encode(), b"Wilhelmina", b"Truus", b"Verwijderd")


def _folder_world(folder: Path, clock: FixedClock) -> tuple[Service, Service]:
    db = open_db(f"sqlite:///{folder / 'slimmaatwerk.db'}")
    with db.begin() as conn:
        admin = accounts.create_user(conn, "admin", "Beheer", "admin,coordinator", ms(NOW), all_residents=True)
        engine = accounts.create_user(conn, "engine", "Engine", "system", ms(NOW), all_residents=True)
    return Service(db, admin, clock), Service(db, engine, clock)


def _fill(admin: Service, engine: Service, rid: str, name: str, start) -> None:  # type: ignore[no-untyped-def]
    admin.add_resident(rid, name)
    events = [Event(start + timedelta(minutes=7 * i), f"{rid}/keuken", "motion", float(i % 2), "kitchen")
              for i in range(400)]
    engine.store_device_events(rid, f"zigbee:{rid}:kitchen", f"{rid}/keuken", "kitchen", "", events)
    admin.add_context(rid, "visit", "2026-03-01T10:00:00+01:00", "2026-03-01T12:00:00+01:00", note=f"bezoek {name}")
    admin.privacy.add_relative(rid, f"Truus {name.split()[-1]}" if rid == RID else "Kees", "dochter")
    admin.export_events(rid, None, None)


def _feature_rows(service: Service) -> list[str]:
    with service.db.read() as conn:
        return [r.resident_id for r in conn.execute(select(daily_features.c.resident_id))]


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def test_encrypted_database_is_unreadable_without_its_key(tmp_path: Path, clock, memory_keyring) -> None:  # type: ignore[no-untyped-def]
    admin, engine = _folder_world(tmp_path, clock)
    _fill(admin, engine, RID, NAME, NOW - timedelta(days=2))
    protection = assess(admin.db.engine)
    assert protection.protected and protection.key_store == "keyring" and "SQLCipher" in protection.reason["en"]
    with admin.db.read() as conn:
        assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
    admin.db.dispose()
    for path in _files(tmp_path):
        assert not any(secret in path.read_bytes() for secret in SECRETS), path
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        sqlite3.connect(tmp_path / "slimmaatwerk.db").execute("SELECT count(*) FROM residents").fetchone()
    memory_keyring.secrets = {k: v for k, v in memory_keyring.secrets.items() if not k[1].startswith("db-key/")}
    with pytest.raises(SlimMaatwerkError, match="encrypted, but its key is not in the OS keyring"):
        Database(f"sqlite:///{tmp_path / 'slimmaatwerk.db'}")


def test_without_a_key_store_the_database_is_plain_and_says_so(tmp_path: Path, clock) -> None:  # type: ignore[no-untyped-def]
    admin, _engine = _folder_world(tmp_path, clock)
    protection = assess(admin.db.engine)
    assert not protection.protected and protection.reason["en"].startswith("not protected")
    assert (tmp_path / "slimmaatwerk.db").read_bytes()[:15] == b"SQLite format 3"
    admin.db.dispose()


@pytest.mark.parametrize("encrypted", [False, True])
def test_erase_leaves_the_resident_nowhere(tmp_path: Path, clock, encrypted: bool, request) -> None:  # type: ignore[no-untyped-def]
    if encrypted:
        request.getfixturevalue("memory_keyring")
    admin, engine = _folder_world(tmp_path, clock)
    _fill(admin, engine, RID, NAME, NOW - timedelta(days=2))
    _fill(admin, engine, "r-keep", "Kees Blijft", NOW - timedelta(days=2))
    with admin.db.begin() as conn:
        quarantine.add(conn, [{"received_ms": ms(NOW), "topic": f"zigbee2mqtt/{RID}/keuken", "device": f"{RID}/keuken",
                               "reason": "bad_json", "payload": b'{"occupancy": nan}'}])
    keep_daily_features(engine, NOW + timedelta(days=3), processes=0)  # the engine's kept aggregates
    assert set(_feature_rows(admin)) == {RID, "r-keep"}
    admin.data_rights.make_backup(tmp_path)
    with pytest.raises(AccessDenied):
        engine.data_rights.erase_resident(RID, tmp_path)
    removed = admin.data_rights.erase_resident(RID, tmp_path)
    assert set(_feature_rows(admin)) == {"r-keep"}
    assert removed["events"] == 400 and removed["backups_scrubbed"] == 1 and removed["access_log_pseudonymised"] > 3
    assert admin.privacy.verify_audit().intact
    assert [r.id for r in admin.list_residents()] == ["r-keep"]
    assert len(admin.export_events("r-keep", None, None)) == 400
    admin.db.dispose()
    raw = b"".join(p.read_bytes() for p in _files(tmp_path))
    if not encrypted:
        assert b"Kees Blijft" in raw  # the search can see plain data: the other resident is still there
    for secret in SECRETS:
        assert secret not in raw, secret
    reopened = Database(f"sqlite:///{tmp_path / 'backups' / next((tmp_path / 'backups').glob('*.db')).name}",
                        check_schema=False)
    with reopened.read() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM residents").scalar() == 1
        assert conn.exec_driver_sql("SELECT count(*) FROM events").scalar() == 400
    reopened.dispose()


def test_purge_removes_old_raw_data_and_expired_backups(tmp_path: Path, clock) -> None:  # type: ignore[no-untyped-def]
    admin, engine = _folder_world(tmp_path, clock)
    _fill(admin, engine, "r1", "Mevr. Oud", NOW - timedelta(days=100))
    _fill(admin, engine, "r2", "Mevr. Nieuw", NOW + timedelta(days=20))
    admin.data_rights.make_backup(tmp_path)
    clock.advance(timedelta(days=40))
    admin.data_rights.set_retention_days(30)
    removed = admin.data_rights.purge(tmp_path)
    assert removed == {"events": 400, "quarantine": 0, "alerts": 0, "context": 0, "daily_features": 0, "backups": 1}
    assert admin.export_events("r1", None, None) == [] and len(admin.export_events("r2", None, None)) == 400
    with admin.db.begin() as conn:
        nurse = accounts.create_user(conn, "nurse", "Verpleegkundige", "coordinator", ms(NOW), all_residents=True)
    with pytest.raises(AccessDenied):  # the engine's system account may (its daily job); a coordinator may not
        Service(admin.db, nurse, clock).data_rights.purge(tmp_path)
    admin.db.dispose()


@pytest.mark.parametrize("encrypted", [False, True])
def test_backup_restores_and_a_damaged_backup_changes_nothing(tmp_path: Path, clock, encrypted: bool,
                                                              request) -> None:  # type: ignore[no-untyped-def]
    if encrypted:
        request.getfixturevalue("memory_keyring")
    data = tmp_path / "data"
    data.mkdir()
    admin, engine = _folder_world(data, clock)
    _fill(admin, engine, "r1", "Mevr. Jansen", NOW - timedelta(days=2))
    saved = admin.data_rights.make_backup(data)
    assert (b"Mevr. Jansen" in saved.read_bytes()) is not encrypted
    admin.add_resident("r2", "Dhr. Later")
    admin.db.dispose()
    db_path = data / "slimmaatwerk.db"
    damaged = tmp_path / "backup-20260101T000000Z.db"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x00" * 4000)
    with pytest.raises(SlimMaatwerkError, match="nothing was restored"):
        restore(damaged, db_path)
    restore(saved, db_path)
    db = Database(f"sqlite:///{db_path}")
    with db.read() as conn:
        assert [r[0] for r in conn.exec_driver_sql("SELECT id FROM residents ORDER BY id")] == ["r1"]
        assert conn.exec_driver_sql("SELECT count(*) FROM events").scalar() == 400
    assert assess(db.engine).protected is encrypted
    db.dispose()


@pytest.mark.parametrize("encrypted", [False, True])
def test_after_the_daily_jobs_erase_still_leaves_the_resident_nowhere(tmp_path: Path, clock, encrypted: bool,
                                                                       request) -> None:  # type: ignore[no-untyped-def]
    """The new files the daily jobs and a restore make — a backup in a folder outside the data folder, exported
    checkpoints, a restore archive and an access-log retention archive — are searched too."""
    from slimmaatwerk.audit_archiving import prepare_restore, record_restore
    from slimmaatwerk.audit_files import archive_folder_of
    from slimmaatwerk.privacy_jobs import PrivacyJobs, configure
    from slimmaatwerk.storage import backup

    if encrypted:
        request.getfixturevalue("memory_keyring")
    data, backups, points = tmp_path / "data", tmp_path / "backups", tmp_path / "points"
    for folder in (data, backups, points):
        folder.mkdir()
    admin, engine = _folder_world(data, clock)
    _fill(admin, engine, RID, NAME, NOW - timedelta(days=2))
    _fill(admin, engine, "r-keep", "Kees Blijft", NOW - timedelta(days=2))
    configure(admin, "03:30", checkpoint_folder=points, backup_folder=backups)
    clock.advance(timedelta(days=365 * 6))  # the first entries are now past the access-log retention
    state = PrivacyJobs(engine, data).run()
    assert state["errors"] == {} and "archived in retention-" in state["results"]["access_log"]
    saved = next(backups.glob("backup-*.db"))
    admin.export_events(RID, None, None)  # written after the backup: rolled back by the restore below
    plan = prepare_restore(admin.db, saved, archive_folder_of(data), admin.now_ms())
    db_path = data / "slimmaatwerk.db"
    admin.db.dispose()
    backup.restore(saved, db_path)
    admin.db = engine.db = Database(f"sqlite:///{db_path}")
    record_restore(admin, plan)
    assert {p.name.split("-")[0] for p in archive_folder_of(data).glob("*.db")} == {"restore", "retention"}
    before = b"".join(p.read_bytes() for p in _files(tmp_path))
    if not encrypted:
        assert RID.encode() in before  # the search does see plain data before the erase
    removed = admin.data_rights.erase_resident(RID, data)
    assert removed["backups_scrubbed"] == 1 and removed["archive_entries_pseudonymised"] >= 2
    assert admin.privacy.verify_audit(archive_folder=archive_folder_of(data)).intact
    admin.db.dispose()
    raw = b"".join(p.read_bytes() for p in _files(tmp_path))
    for secret in SECRETS:
        assert secret not in raw, secret
