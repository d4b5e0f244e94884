"""`status --json` names the engine's jobs whose last run failed (scoring, escalation, privacy), and why."""

from __future__ import annotations

import json
from pathlib import Path

from slimmaatwerk.cli import main
from slimmaatwerk.clock import SystemClock
from slimmaatwerk.engine_jobs import EngineJobs, engine_service
from slimmaatwerk.ingest.engine import IngestEngine
from slimmaatwerk.storage.database import Database


def test_a_failing_engine_job_shows_in_status_until_it_runs_again(tmp_path: Path, broker, capsys) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"

    def status() -> dict:
        capsys.readouterr()
        assert main(["status", "--data-dir", str(data), "--json"]) == 0
        return json.loads(capsys.readouterr().out)

    assert status()["jobs_failing"] == {}  # no engine running: nothing to report
    db = Database.in_folder(data)
    clock = SystemClock()
    engine = IngestEngine(db.engine, [broker.url], clock=clock)
    jobs = EngineJobs(db, engine, engine_service(db, clock), clock, data_dir=data)

    def broken() -> None:
        raise OSError("disk full")

    try:
        jobs._guarded("scoring", broken)  # how the engine's loop runs every job
        jobs.write_status()
        assert status()["jobs_failing"] == {"scoring": "disk full"}
        jobs._guarded("scoring", lambda: None)
        jobs.write_status()
        assert status()["jobs_failing"] == {}
    finally:
        db.dispose()
