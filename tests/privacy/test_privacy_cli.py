"""The privacy commands end to end: users, consent, audit verify/export/checkpoint, weekly report."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

import pytest

from slimmaatwerk.cli import main
from slimmaatwerk.identity import os_user


def run(*args: str) -> int:
    return main(list(args))



@pytest.fixture
def data(tmp_path: Path, capsys) -> Path:  # type: ignore[no-untyped-def]
    folder = tmp_path / "data"
    assert run("residents", "add", "--data-dir", str(folder), "--id", "r1", "--name", "Mevr. Jansen") == 0
    assert run("relatives", "add", "--data-dir", str(folder), "--resident", "r1", "--name", "Anna",
               "--relation", "dochter") == 0
    capsys.readouterr()
    return folder


def _err(capsys) -> str:  # type: ignore[no-untyped-def]
    return capsys.readouterr().err.strip()


def test_audit_verify_intact_then_broken(data: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert run("audit", "verify", "--data-dir", str(data)) == 0
    err = _err(capsys)
    assert "intact:" in err and "not protected" in err  # no keyring here: the key file is said to be unsafe
    with sqlite3.connect(data / "slimmaatwerk.db") as conn:
        conn.execute("UPDATE access_log SET detail = 'x' WHERE id = 1")
    assert run("audit", "verify", "--data-dir", str(data), "--json") == 1
    out = json.loads(capsys.readouterr().out)
    assert out["intact"] is False and out["broken"]["entry"] == 1 and out["broken"]["kind"] == "edited"


def test_checkpoint_files_catch_truncation_and_corrupt_files_are_one_line(data: Path, capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        assert run("residents", "list", "--data-dir", str(data)) == 0
    assert run("audit", "checkpoint", "--data-dir", str(data)) == 0
    files = list((data / "audit-checkpoints").glob("checkpoint-*.json"))
    assert len(files) == 2  # the day's first checkpoint and the one just asked for
    with sqlite3.connect(data / "slimmaatwerk.db") as conn:
        last = conn.execute("SELECT max(id) FROM access_log").fetchone()[0]
        conn.execute("DELETE FROM access_log WHERE id >= ?", (last - 1,))
        conn.execute("DELETE FROM access_log_chain WHERE entry_id >= ?", (last - 1,))
        mac = conn.execute("SELECT mac FROM access_log_chain WHERE entry_id = ?", (last - 2,)).fetchone()[0]
        conn.execute("UPDATE access_log_head SET last_entry_id = ?, last_mac = ?, count = count - 2",
                     (last - 2, mac))
        conn.execute("DELETE FROM access_log_checkpoints")
    capsys.readouterr()
    assert run("audit", "verify", "--data-dir", str(data)) == 1
    assert "truncated" in _err(capsys)
    bad = tmp_path / "bad.json"
    bad.write_text("{oops", encoding="utf-8")
    assert run("audit", "verify", "--data-dir", str(data), "--checkpoint", str(bad)) == 2
    err = _err(capsys)
    assert len(err.splitlines()) == 1 and "not a checkpoint file" in err


def test_users_add_list_and_passwd(data: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("sys.stdin", io.StringIO("een-lang-wachtwoord\n"))
    assert run("users", "add", "--data-dir", str(data), "--username", "anna", "--name", "Anna Jansen",
               "--role", "family", "--resident", "r1", "--relative", "Anna", "--password-stdin") == 0
    assert run("users", "add", "--data-dir", str(data), "--username", "nurse", "--name", "Zr. de Wit",
               "--role", "coordinator", "--resident", "r1") == 0
    capsys.readouterr()
    assert run("users", "list", "--data-dir", str(data), "--json") == 0
    users = {u["username"]: u for u in json.loads(capsys.readouterr().out)["users"]}
    assert users["anna"]["family_resident"] == "r1" and users["anna"]["has_password"] is True
    assert users["nurse"]["residents"] == ["r1"] and users[os_user()]["all_residents"] is True
    assert "password_hash" not in json.dumps(users)
    monkeypatch.setattr("sys.stdin", io.StringIO("nog-een-wachtwoord\n"))
    assert run("users", "passwd", "--data-dir", str(data), "--username", "nurse", "--password-stdin") == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("kort\n"))
    capsys.readouterr()
    assert run("users", "passwd", "--data-dir", str(data), "--username", "nurse", "--password-stdin") == 2
    assert "at least 10 characters" in _err(capsys)
    assert run("users", "add", "--data-dir", str(data), "--username", "x", "--name", "X", "--role", "family",
               "--resident", "r1", "--relative", "Carla") == 2
    err = _err(capsys)
    assert len(err.splitlines()) == 1 and "unknown relative 'Carla'" in err
    assert run("users", "add", "--data-dir", str(data), "--username", "y", "--name", "Y", "--role", "boss") == 2
    assert "unknown role" in _err(capsys)


def test_report_weekly_writes_pdf_and_html_and_refuses_bad_input(data: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert run("consent", "grant", "--data-dir", str(data), "--resident", "r1", "--relative", "Anna",
               "--sections", "standard") == 0
    pdf, html = tmp_path / "w.pdf", tmp_path / "w.html"
    assert run("report", "weekly", "--data-dir", str(data), "--resident", "r1", "--week", "2026-W10",
               "--for", "Anna", "--pdf", str(pdf)) == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    assert run("report", "weekly", "--data-dir", str(data), "--resident", "r1", "--week", "2026-W10",
               "--html", str(html), "--language", "en") == 0
    assert "What the sensors cannot see" in html.read_text(encoding="utf-8")
    capsys.readouterr()
    for args, message in (
        (["--week", "2026-10", "--pdf", str(pdf)], "is not an ISO week"),
        (["--week", "2026-W10", "--for", "Carla", "--pdf", str(pdf)], "unknown relative 'Carla'"),
        (["--week", "2026-W10", "--pdf", str(tmp_path / "missing" / "x.pdf")], "folder does not exist"),
    ):
        assert run("report", "weekly", "--data-dir", str(data), "--resident", "r1", *args) == 2
        err = _err(capsys)
        assert len(err.splitlines()) == 1 and message in err
    assert run("audit", "export", "--data-dir", str(data), "--resident", "r1", "--json") == 0
    entries = json.loads(capsys.readouterr().out)["entries"]
    assert [e["action"] for e in entries if "weekly" in e["detail"]] == ["disclosure", "export"]
    assert entries[-1]["user"] == os_user() and entries[-1]["time"].startswith("20")
    assert run("consent", "list", "--data-dir", str(data), "--resident", "r1", "--json") == 0
    assert "hygiene" not in json.loads(capsys.readouterr().out)["relatives"]["Anna"]
