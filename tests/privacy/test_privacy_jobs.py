"""The engine's daily privacy jobs: on schedule with an injected clock, catching up once, idempotent, each step
real (purge, access-log archive, encrypted backup, exported checkpoint), logged as the system account, and
visible in `status --json`."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from slimmaatwerk.audit_files import archive_folder_of, read_folder
from slimmaatwerk.clock import FixedClock
from slimmaatwerk.engine_jobs import EngineJobs, engine_service
from slimmaatwerk.errors import AccessDenied, InputError
from slimmaatwerk.events import Event
from slimmaatwerk.ingest.engine import IngestEngine
from slimmaatwerk.localtime import TZ, ms
from slimmaatwerk.privacy_jobs import PrivacyJobs, configure, next_slot, parse_at, slot_for, status_record
from slimmaatwerk.service import Service
from slimmaatwerk.storage import accounts
from slimmaatwerk.storage.database import Database
from slimmaatwerk.storage.feature_store import StoredDay, save_days, stored_days
from tests.privacy.conftest import open_db

# 02:00 local on a winter day: before the default 03:30 slot.
START = datetime(2026, 3, 10, 1, 0, tzinfo=UTC)


def _world(url: str, clock: FixedClock) -> tuple[Service, Service]:
    db = open_db(url)
    with db.begin() as conn:
        admin = accounts.create_user(conn, "admin", "Beheer", "admin,coordinator", ms(START), all_residents=True)
    return Service(db, admin, clock), engine_service(db, clock)


def _fill(admin: Service, system: Service, days_ago: int, rid: str = "r1") -> None:
    if rid not in {r.id for r in admin.list_residents()}:
        admin.add_resident(rid, f"Bewoner {rid}")
    start = admin.clock.now() - timedelta(days=days_ago)
    events = [Event(start + timedelta(minutes=5 * i), f"{rid}/keuken", "motion", float(i % 2), "kitchen")
              for i in range(50)]
    system.store_device_events(rid, f"zigbee:{rid}:kitchen", f"{rid}/keuken", "kitchen", "", events)


def _entries_by(admin: Service, user_id: int) -> list[dict]:
    return [e for e in admin.audit_entries() if e["user_id"] == user_id]


def test_the_slot_is_the_configured_local_time_and_the_next_one_follows_it() -> None:
    at = parse_at("03:30")
    before = datetime(2026, 3, 10, 2, 29, tzinfo=UTC)  # 03:29 in Amsterdam (CET)
    assert slot_for(before, at) == datetime(2026, 3, 9, 3, 30, tzinfo=TZ)
    assert slot_for(before + timedelta(minutes=1), at) == datetime(2026, 3, 10, 3, 30, tzinfo=TZ)
    assert next_slot(before + timedelta(minutes=1), at) == datetime(2026, 3, 11, 3, 30, tzinfo=TZ)
    # Across the spring DST change the slot stays at 03:30 local (01:30 UTC instead of 02:30).
    assert slot_for(datetime(2026, 3, 29, 2, 0, tzinfo=UTC), at).astimezone(UTC).hour == 1
    with pytest.raises(InputError, match="HH:MM"):
        parse_at("25:99")


def test_jobs_run_once_per_day_catch_up_once_and_are_idempotent(tmp_path: Path) -> None:
    clock = FixedClock(START)
    admin, system = _world(f"sqlite:///{tmp_path / 'slimmaatwerk.db'}", clock)
    jobs = PrivacyJobs(system, tmp_path)
    assert jobs.tick()  # never ran: catches up at once
    assert not jobs.tick()  # the same slot again: nothing
    logged = len(admin.audit_entries())
    clock.advance(timedelta(hours=1))  # 03:00 local, still before 03:30
    assert not jobs.tick() and len(admin.audit_entries()) == logged
    clock.advance(timedelta(minutes=31))  # 03:31 local: today's slot
    assert jobs.tick() and not jobs.tick()
    with system.db.read() as conn:
        record = status_record(conn, clock.now())
    assert record["last_run"].startswith("2026-03-10T03:31") and record["next_run"].startswith("2026-03-11T03:30")
    assert record["ok"] is True and record["errors"] == {}
    clock.advance(timedelta(days=3, hours=5))  # the engine was down for three days
    assert jobs.tick() and not jobs.tick()  # one catch-up run, not three
    admin.db.dispose()


def test_a_run_purges_archives_backs_up_and_exports_a_checkpoint_as_the_system_account(tmp_path: Path) -> None:
    data, backups, points = tmp_path / "data", tmp_path / "backups", tmp_path / "points"
    data.mkdir()
    backups.mkdir()
    points.mkdir()
    clock = FixedClock(START)
    admin, system = _world(f"sqlite:///{data / 'slimmaatwerk.db'}", clock)
    _fill(admin, system, 200)
    _fill(admin, system, 10)
    system.store_alerts("r1", [{"date": "2025-01-01", "indicator": "wake_time", "severity": "amber",
                                "raised_at": "2025-01-02T09:00:00+01:00"}])
    admin.data_rights.set_retention(raw_days=90, aggregate_days=365)
    with admin.db.begin() as conn:  # the engine's kept daily features: derived data, the longer retention
        save_days(conn, "r1", [StoredDay(date(2025, 1, 1), 1, 10, "k", {"total_activity": 10.0}),
                               StoredDay(date(2026, 3, 1), 1, 12, "k", {"total_activity": 12.0})], ms(START))
    configure(admin, "03:30", checkpoint_folder=points, backup_folder=backups)
    old_backup = backups / "backup-20250101T000000Z.db"
    old_backup.write_bytes(b"SQLite format 3\x00")
    state = PrivacyJobs(system, data).run()
    assert state["errors"] == {}, state["errors"]
    assert "50 events" in state["results"]["purge"] and "1 alerts" in state["results"]["purge"]
    checkpoints = read_folder(points)  # the checkpoint covers the run's own entries
    assert checkpoints and int(checkpoints[-1]["count"]) == len(admin.audit_entries())
    assert len(admin.export_events("r1", None, None)) == 50  # the 10-day-old events stay
    with admin.db.read() as conn:
        assert [d.day for d in stored_days(conn, "r1")] == [date(2026, 3, 1)]
    made = sorted(backups.glob("backup-*.db"))
    assert not old_backup.exists() and "1 backups" in state["results"]["purge"]
    assert len(made) == 1 and state["results"]["backup"] == made[0].name
    assert state["results"]["access_log"] == "nothing older than the retention"
    details = [e["detail"] for e in _entries_by(admin, system.actor.id)]
    assert any(d.startswith("retention purge:") for d in details)
    assert f"backup {made[0].name}" in details
    assert admin.privacy.verify_audit(checkpoints, archive_folder_of(data)).intact
    with admin.db.begin() as conn:
        nurse = accounts.create_user(conn, "nurse", "Verpleegkundige", "coordinator", ms(START), all_residents=True)
    with pytest.raises(AccessDenied):
        PrivacyJobs(Service(admin.db, nurse, clock), data).run()
    admin.db.dispose()


def test_a_failing_step_is_reported_in_words_and_retried_later(tmp_path: Path) -> None:
    clock = FixedClock(START)
    admin, system = _world(f"sqlite:///{tmp_path / 'slimmaatwerk.db'}", clock)
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the backup folder should be", encoding="utf-8")
    configure(admin, "03:30", backup_folder=tmp_path)
    from slimmaatwerk.data_rights import BACKUP_FOLDER_KEY
    from slimmaatwerk.storage import schema as s
    from slimmaatwerk.storage.dialect import upsert

    with admin.db.begin() as conn:  # a folder that went away after it was configured
        upsert(conn, s.settings, [{"key": BACKUP_FOLDER_KEY, "value": str(blocked)}], ["key"])
    jobs = PrivacyJobs(system, tmp_path)
    state = jobs.run()
    assert set(state["errors"]) == {"backup"}
    assert state["errors"]["backup"]["en"].startswith("encrypted backup failed:")
    assert state["errors"]["backup"]["nl"].startswith("versleutelde back-up mislukt:")
    assert "checkpoint" in state["results"]  # the other steps still ran
    with system.db.read() as conn:
        record = status_record(conn, clock.now())
    assert record["ok"] is False and record["next_run"] > record["last_run"]
    assert not jobs.tick()  # retried after an hour, not in a tight loop
    clock.advance(timedelta(minutes=61))
    assert jobs.tick()
    admin.db.dispose()


def test_jobs_on_postgresql_skip_the_file_backup_and_still_purge(db_url: str, tmp_path: Path) -> None:
    clock = FixedClock(START)
    admin, system = _world(db_url, clock)
    _fill(admin, system, 200)
    configure(admin, "04:15", backup_folder=tmp_path)
    state = PrivacyJobs(system, tmp_path).run()
    assert state["errors"] == {}
    assert "50 events" in state["results"]["purge"]
    if db_url.startswith("postgresql"):
        assert state["results"]["backup"].startswith("skipped: PostgreSQL")
    with system.db.read() as conn:
        assert status_record(conn, clock.now())["daily_at"] == "04:15"
    admin.db.dispose()


def test_the_engine_runs_the_jobs_on_its_own_thread(tmp_path: Path, broker) -> None:  # type: ignore[no-untyped-def]
    clock = FixedClock(START)
    db = Database(f"sqlite:///{tmp_path / 'slimmaatwerk.db'}")
    system = engine_service(db, clock)
    engine = IngestEngine(db.engine, [broker.url], clock=clock)
    jobs = EngineJobs(db, engine, system, clock, data_dir=tmp_path)
    jobs.start()
    try:
        clock.advance(timedelta(minutes=2))  # the engine's cadences follow the injected clock
        deadline = datetime.now(UTC) + timedelta(seconds=20)
        while db.get_setting("privacy.jobs") == "" and datetime.now(UTC) < deadline:
            jobs._stop.wait(0.2)
    finally:
        jobs.stop()
    state = json.loads(db.get_setting("privacy.jobs"))
    assert state["errors"] == {} and state["last_run_ms"] == ms(clock.now())
    assert list((tmp_path / "audit-checkpoints").glob("checkpoint-*.json"))
    db.dispose()


def test_status_json_shows_the_jobs_and_the_commands_configure_and_run_them(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from slimmaatwerk.cli import main

    data, backups = tmp_path / "data", tmp_path / "backups"
    backups.mkdir()
    assert main(["residents", "add", "--data-dir", str(data), "--id", "r1", "--name", "Mevr. Status"]) == 0
    capsys.readouterr()
    assert main(["status", "--data-dir", str(data), "--json"]) == 0
    jobs = json.loads(capsys.readouterr().out)["privacy_jobs"]
    assert jobs["last_run"] is None and jobs["ok"] is None and jobs["daily_at"] == "03:30" and jobs["next_run"]
    assert main(["jobs", "schedule", "--data-dir", str(data), "--at", "25:00"]) == 2
    assert "HH:MM" in capsys.readouterr().err
    assert main(["jobs", "schedule", "--data-dir", str(data), "--at", "02:45", "--backup-folder", str(backups)]) == 0
    assert "daily privacy jobs at 02:45" in capsys.readouterr().err
    assert main(["jobs", "run", "--data-dir", str(data), "--json"]) == 0
    ran = json.loads(capsys.readouterr().out)
    assert ran["errors"] == {} and len(list(backups.glob("backup-*.db"))) == 1
    assert main(["status", "--data-dir", str(data), "--json"]) == 0
    jobs = json.loads(capsys.readouterr().out)["privacy_jobs"]
    assert jobs["ok"] is True and jobs["last_run"] and jobs["next_run"] > jobs["last_run"]
    assert jobs["daily_at"] == "02:45" and jobs["results"]["backup"].startswith("backup-")
    assert main(["retention", "set", "--data-dir", str(data), "--access-log-years", "2"]) == 2
    assert "at least 5 years" in capsys.readouterr().err
