"""The data-rights commands end to end on a real SQLite data folder: AVG export and erase, retention purge,
backup and restore."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from slimmaatwerk.cli import main


def run(*args: str) -> int:
    return main(list(args))


def _err(capsys) -> str:  # type: ignore[no-untyped-def]
    return capsys.readouterr().err.strip()


def _csv(path: Path, days_ago: list[int], device: str) -> Path:
    now = datetime.now(UTC).replace(microsecond=0)
    lines = ["timestamp,device,kind,room,placement,value"]
    for n in days_ago:
        ts = (now - timedelta(days=n, hours=1)).isoformat()
        lines.append(f"{ts},{device},motion,kitchen,,1")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


DEVICE = {"r1": "pir-jansen", "r2": "pir-bakker"}


def _events(data: Path, resident: str | None = None) -> list[tuple]:
    """Stored event times, all or of one resident's device (events are stored per device)."""
    with sqlite3.connect(data / "slimmaatwerk.db") as conn:
        if resident is None:
            return conn.execute("SELECT ts_ms FROM events ORDER BY ts_ms").fetchall()
        return conn.execute("SELECT e.ts_ms FROM events e JOIN devices d ON d.id = e.device_id "
                            "WHERE d.name = ? ORDER BY e.ts_ms", (DEVICE[resident],)).fetchall()


@pytest.fixture
def data(tmp_path: Path, capsys) -> Path:  # type: ignore[no-untyped-def]
    folder = tmp_path / "data"
    for rid, name, days in (("r1", "Mevr. Jansen", [1, 2, 60]), ("r2", "Dhr. Bakker", [1, 3])):
        assert run("residents", "add", "--data-dir", str(folder), "--id", rid, "--name", name) == 0
        source = _csv(tmp_path / f"{rid}.csv", days, DEVICE[rid])
        assert run("import-events", "--data-dir", str(folder), "--resident", rid, "--file", str(source)) == 0
    capsys.readouterr()
    return folder


def test_export_writes_the_residents_events_and_is_logged(data: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "jansen.json"
    assert run("data", "export", "--data-dir", str(data), "--resident", "r1", "--file", str(target)) == 0
    record = json.loads(target.read_text(encoding="utf-8"))
    assert record["resident"]["id"] == "r1" and len(record["events"]) == 3
    assert {e["device"] for e in record["events"]} == {"pir-jansen"}
    assert "3 events" in _err(capsys)
    assert run("audit", "export", "--data-dir", str(data), "--resident", "r1", "--json") == 0
    assert any(e["action"] == "export" and "AVG" in e["detail"]
               for e in json.loads(capsys.readouterr().out)["entries"])
    for args, message in (
        (["--resident", "nobody", "--file", str(tmp_path / "x.json")], "unknown resident 'nobody'"),
        (["--resident", "r1", "--file", str(tmp_path / "missing" / "x.json")], "folder does not exist"),
    ):
        assert run("data", "export", "--data-dir", str(data), *args) == 2
        err = _err(capsys)
        assert len(err.splitlines()) == 1 and message in err


def test_erase_needs_matching_confirm_then_removes_events_and_pseudonymises_log(data: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert run("data", "erase", "--data-dir", str(data), "--resident", "r1", "--confirm", "r2") == 2
    err = _err(capsys)
    assert len(err.splitlines()) == 1 and "--confirm r1" in err
    assert len(_events(data, "r1")) == 3  # nothing happened
    assert run("backup", "create", "--data-dir", str(data)) == 0
    assert run("data", "erase", "--data-dir", str(data), "--resident", "r1", "--confirm", "r1") == 0
    assert "1 backups scrubbed" in _err(capsys)
    assert _events(data, "r1") == [] and len(_events(data)) == len(_events(data, "r2")) == 2
    with sqlite3.connect(data / "slimmaatwerk.db") as conn:
        assert conn.execute("SELECT count(*) FROM residents WHERE id = 'r1'").fetchone()[0] == 0
        logged = conn.execute("SELECT resident_id, detail FROM access_log").fetchall()
    assert all(rid != "r1" and "r1" not in detail for rid, detail in logged)
    erased = [(rid, detail) for rid, detail in logged if rid and rid.startswith("erased:")]
    assert len(erased) >= 3 and len({rid for rid, _ in erased}) == 1  # one pseudonym, entries kept
    assert all(detail in ("[erased]", "resident erased") for _, detail in erased)
    (copy,) = (data / "backups").glob("backup-*.db")
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == 2
        assert conn.execute("SELECT count(*) FROM residents WHERE id = 'r1'").fetchone()[0] == 0
    assert run("audit", "verify", "--data-dir", str(data)) == 0
    assert run("data", "erase", "--data-dir", str(data), "--resident", "r1", "--confirm", "r1") == 2


def test_purge_removes_only_events_older_than_the_retention(data: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert run("retention", "set", "--data-dir", str(data), "--raw-days", "3") == 2
    assert "between 7 and 3650" in _err(capsys)
    assert run("retention", "set", "--data-dir", str(data), "--raw-days", "30") == 0
    assert run("retention", "show", "--data-dir", str(data)) == 0
    assert "30 days" in _err(capsys)
    before = _events(data)
    assert len(before) == 5
    assert run("data", "purge", "--data-dir", str(data), "--json") == 0
    out = json.loads(capsys.readouterr().out)
    assert out == {"retention_days": 30,
                   "removed": {"events": 1, "quarantine": 0, "alerts": 0, "context": 0, "daily_features": 0, "backups": 0}}
    assert _events(data) == before[1:]  # only the 60-day-old event of r1 went
    assert len(_events(data, "r1")) == 2


def test_backup_and_restore_round_trip(data: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    copy = tmp_path / "copy.db"
    assert run("backup", "create", "--data-dir", str(data), "--file", str(copy)) == 0
    assert "not scrubbed" in _err(capsys)
    made = sorted((data / "backups").glob("backup-*.db"))
    assert len(made) == 1 and copy.read_bytes()[:16] == made[0].read_bytes()[:16]
    before = _events(data)
    assert run("retention", "set", "--data-dir", str(data), "--raw-days", "30") == 0
    assert run("data", "purge", "--data-dir", str(data)) == 0
    assert run("residents", "add", "--data-dir", str(data), "--id", "r3", "--name", "Later") == 0
    assert len(_events(data)) == 4
    assert run("backup", "restore", "--data-dir", str(data), "--file", str(copy)) == 0
    assert "restored" in _err(capsys)
    assert _events(data) == before
    assert run("residents", "list", "--data-dir", str(data), "--json") == 0
    assert {r["id"] for r in json.loads(capsys.readouterr().out)["residents"]} == {"r1", "r2"}
    with sqlite3.connect(data / "slimmaatwerk.db") as conn:
        details = [row[0] for row in conn.execute("SELECT detail FROM access_log ORDER BY id")]
    restored = [d for d in details if d.startswith("restored from backup copy.db taken at ")]
    assert len(restored) == 1 and "of the previous chain are archived in restore-" in restored[0]
    assert not any("retention" in d for d in details)
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not a database at all" * 100)
    for file, message in ((bad, "not a readable backup"), (tmp_path / "none.db", "no such backup file")):
        assert run("backup", "restore", "--data-dir", str(data), "--file", str(file)) == 2
        err = _err(capsys)
        assert len(err.splitlines()) == 1 and message in err
    assert _events(data) == before
