"""`slimmaatwerk score`: the engine's scoring job once, from the command line, on SQLite and PostgreSQL.

Run as its own process (``python -m slimmaatwerk``), as an administrator would, so its worker processes
are spawned from the command line's main module as they are from the engine.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from slimmaatwerk.clock import FixedClock
from slimmaatwerk.engine_jobs import engine_service
from slimmaatwerk.identity import database_url, open_session
from slimmaatwerk.localtime import parse_timestamp
from slimmaatwerk.scoring import score_residents
from tests.support.scoring_homes import seed_data_folder, stored_alerts

pytestmark = pytest.mark.timeout(300)

HOMES = 4
DAYS = 20
DAYS_BACK = 3


def _score(data_dir: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "slimmaatwerk", "score", "--data-dir", str(data_dir), *options],
                          capture_output=True, text=True, timeout=240, check=False)


def test_score_stores_what_one_process_stores_and_reports_its_workers(db_url: str, tmp_path: Path) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    data_dir = tmp_path / "data"
    seed_data_folder(data_dir, HOMES, DAYS, now, database=db_url)
    result = _score(data_dir, "--processes", "2", "--days-back", str(DAYS_BACK), "--json")
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout)
    assert report["residents"] == HOMES
    assert 1 <= report["worker_processes"] <= 2
    alerts = stored_alerts(data_dir)
    assert alerts and report["alerts_due"] == len(alerts)
    assert f"{HOMES} residents" in result.stderr

    # The reference: the same homes scored in one process at the same moment, in a SQLite folder.
    reference = tmp_path / "reference"
    seed_data_folder(reference, HOMES, DAYS, now)
    session = open_session(reference, FixedClock(now), warn=lambda _text: None)
    try:
        score_residents(engine_service(session.db, session.service.clock), parse_timestamp(report["as_of"]),
                        DAYS_BACK, processes=0)
    finally:
        session.db.dispose()
    assert alerts == stored_alerts(reference)

    again = _score(data_dir, "--processes", "0", "--days-back", str(DAYS_BACK), "--json")
    assert again.returncode == 0, again.stderr[-3000:]
    assert json.loads(again.stdout)["worker_processes"] == 0
    assert set(alerts) <= set(stored_alerts(data_dir))  # stored alerts are kept as they were


def test_score_refuses_bad_numbers_and_accounts_without_the_right(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    negative = _score(data_dir, "--processes", "-1")
    assert negative.returncode == 2 and "must not be negative" in negative.stderr

    seed_data_folder(data_dir, 1, 2, datetime.now(UTC))
    engine = create_engine(database_url(data_dir))
    with engine.begin() as conn:  # the linked account becomes an installer only
        conn.execute(text("UPDATE users SET role = 'installer' WHERE os_user IS NOT NULL"))
    engine.dispose()
    refused = _score(data_dir)
    assert refused.returncode == 2
    assert "only a coordinator or an administrator" in refused.stderr
