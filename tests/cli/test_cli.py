"""The command-line contract of DESIGN.md: identity, residents, import/export, bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import update

from slimmaatwerk.cli import main
from slimmaatwerk.storage import schema
from slimmaatwerk.storage.database import Database

CSV = """timestamp,device,kind,room,placement,value
2026-03-01T07:12:03+01:00,bed,presence,bedroom,bed,0
2026-03-01T07:13:00+01:00,keuken,motion,kitchen,,1
2026-03-01T07:14:30Z,keuken,motion,kitchen,,0
2026-03-01T08:00:00+01:00,voordeur,contact,entrance,front_door,1
2026-03-01T08:00:09+01:00,voordeur,contact,entrance,front_door,0
"""


def run(*args: str) -> int:
    return main(list(args))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


def test_first_command_links_os_user_as_admin_and_coordinator(data_dir: Path, capsys) -> None:
    assert run("residents", "add", "--data-dir", str(data_dir), "--id", "r1", "--name", "Mevr. Jansen",
               "--pet") == 0
    assert "not protected" in capsys.readouterr().err
    assert run("residents", "list", "--data-dir", str(data_dir), "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["residents"][0]["id"] == "r1" and listed["residents"][0]["pet"] is True


def test_unlinked_os_user_is_refused(data_dir: Path, capsys) -> None:
    assert run("residents", "list", "--data-dir", str(data_dir)) == 0
    db = Database.in_folder(data_dir)
    with db.begin() as conn:
        conn.execute(update(schema.users).values(os_user="someone-else"))
    db.dispose()
    capsys.readouterr()
    assert run("residents", "list", "--data-dir", str(data_dir)) == 2
    err = capsys.readouterr().err.strip()
    assert "has no Slim Maatwerk account" in err and len(err.splitlines()) == 1


def test_import_twice_stores_each_event_once_and_exports_them(data_dir: Path, tmp_path: Path, capsys) -> None:
    source = tmp_path / "events.csv"
    source.write_text(CSV, encoding="utf-8")
    run("residents", "add", "--data-dir", str(data_dir), "--id", "r1", "--name", "A")
    assert run("import-events", "--data-dir", str(data_dir), "--resident", "r1", "--file", str(source)) == 0
    assert run("import-events", "--data-dir", str(data_dir), "--resident", "r1", "--file", str(source)) == 0
    assert "5 events read, 0 new" in capsys.readouterr().err
    out = tmp_path / "out.csv"
    assert run("export-events", "--data-dir", str(data_dir), "--resident", "r1", "--file", str(out)) == 0
    lines = out.read_text().splitlines()
    assert lines[0] == "timestamp,device,kind,room,placement,value"
    assert len(lines) == 6
    assert "2026-03-01T08:14:30+01:00,keuken,motion,kitchen,,0" in lines
    everyone = tmp_path / "all.csv"
    assert run("export-events", "--data-dir", str(data_dir), "--file", str(everyone)) == 0
    assert everyone.read_text().splitlines()[0].endswith(",resident")


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        ("2026-03-01T09:00:00,keuken,motion,kitchen,,1", "offset"),
        ("2026-03-01T09:00:00+01:00,keuken,wobble,kitchen,,1", "unknown kind"),
        ("2026-03-01T09:00:00+01:00,keuken,motion,garage,,1", "unknown room"),
        ("2026-03-01T09:00:00+01:00,keuken,motion,kitchen,,lots", "not a number"),
        ("2026-03-01T09:00:00+01:00,keuken,motion", "expected 6 fields"),
    ],
)
def test_a_bad_line_is_named_and_nothing_is_imported(data_dir: Path, tmp_path: Path, capsys,
                                                     bad_line: str, message: str) -> None:
    lines = CSV.splitlines()
    source = tmp_path / "bad.csv"
    source.write_text("\n".join(lines[:3] + [bad_line] + lines[3:]) + "\n", encoding="utf-8")
    run("residents", "add", "--data-dir", str(data_dir), "--id", "r1", "--name", "A")
    capsys.readouterr()
    assert run("import-events", "--data-dir", str(data_dir), "--resident", "r1", "--file", str(source)) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "line 4:" in err and message in err and "nothing was imported" in err
    out = tmp_path / "out.csv"
    run("export-events", "--data-dir", str(data_dir), "--resident", "r1", "--file", str(out))
    assert len(out.read_text().splitlines()) == 1


def test_resident_column_must_agree(data_dir: Path, tmp_path: Path, capsys) -> None:
    source = tmp_path / "r.csv"
    source.write_text("timestamp,device,kind,room,placement,value,resident\n"
                      "2026-03-01T09:00:00+01:00,k,motion,kitchen,,1,r1\n"
                      "2026-03-01T09:01:00+01:00,k,motion,kitchen,,1,r2\n")
    run("residents", "add", "--data-dir", str(data_dir), "--id", "r1", "--name", "A")
    capsys.readouterr()
    assert run("import-events", "--data-dir", str(data_dir), "--resident", "r1", "--file", str(source)) == 2
    assert "line 3: resident 'r2' disagrees" in capsys.readouterr().err


def test_non_utf8_file_and_missing_file_are_clear_errors(data_dir: Path, tmp_path: Path, capsys) -> None:
    source = tmp_path / "latin.csv"
    source.write_bytes(b"timestamp,device,kind,room,placement,value\n2026-03-01T09:00:00+01:00,k\xe9,motion,kitchen,,1\n")
    assert run("import-events", "--data-dir", str(data_dir), "--resident", "r1", "--file", str(source)) == 2
    assert "line 2: not UTF-8" in capsys.readouterr().err
    assert run("import-events", "--data-dir", str(data_dir), "--resident", "r1",
               "--file", str(tmp_path / "missing.csv")) == 2
    assert "missing.csv" in capsys.readouterr().err


def test_unknown_resident_and_context_errors(data_dir: Path, capsys) -> None:
    assert run("context", "add", "--data-dir", str(data_dir), "--resident", "nobody", "--type", "absence",
               "--from", "2026-03-01T08:00:00+01:00", "--to", "2026-03-04T08:00:00+01:00") == 2
    assert "unknown resident 'nobody'" in capsys.readouterr().err
    run("residents", "add", "--data-dir", str(data_dir), "--id", "r1", "--name", "A")
    assert run("context", "add", "--data-dir", str(data_dir), "--resident", "r1", "--type", "hospital",
               "--from", "2026-03-04T08:00:00+01:00", "--to", "2026-03-01T08:00:00+01:00") == 2
    assert "--to must be later" in capsys.readouterr().err


def test_every_access_is_logged(data_dir: Path, tmp_path: Path, capsys) -> None:
    source = tmp_path / "events.csv"
    source.write_text(CSV, encoding="utf-8")
    run("residents", "add", "--data-dir", str(data_dir), "--id", "r1", "--name", "A")
    run("import-events", "--data-dir", str(data_dir), "--resident", "r1", "--file", str(source))
    run("export-events", "--data-dir", str(data_dir), "--resident", "r1", "--file", str(tmp_path / "o.csv"))
    capsys.readouterr()
    assert run("audit", "export", "--data-dir", str(data_dir), "--resident", "r1", "--json") == 0
    actions = [e["action"] for e in json.loads(capsys.readouterr().out)["entries"]]
    assert actions == ["change", "change", "export"]


def test_module_entry_point_keeps_stdout_clean(data_dir: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "slimmaatwerk", "residents", "list", "--data-dir", str(data_dir), "--json"],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0
    assert json.loads(result.stdout) == {"residents": []}
    assert "not protected" in result.stderr
