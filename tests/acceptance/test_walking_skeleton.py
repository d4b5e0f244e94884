"""The walking skeleton's "done" checks, through the command line as a user would run them."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from slimmaatwerk.cli import main

START = date(2026, 1, 5)


def _run(capsys, *args: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_day_without_kitchen_activity_is_flagged_that_day_and_not_before(tmp_path: Path, capsys) -> None:
    quiet_day = START + timedelta(days=35)
    sim = tmp_path / "sim"
    data = str(tmp_path / "data")
    code, _, err = _run(capsys, "simulate", "--homes", "1", "--days", "37", "--seed", "11", "--csv", str(sim),
                        "--start", START.isoformat(), "--inject", f"A1@{quiet_day.isoformat()}")
    assert code == 0, err
    csv_file = sim / "r01.csv"
    assert _run(capsys, "residents", "add", "--data-dir", data, "--id", "r01", "--name", "Mevr. Test")[0] == 0
    code, _, err = _run(capsys, "import-events", "--data-dir", data, "--resident", "r01", "--file", str(csv_file))
    assert code == 0, err
    code, _, err = _run(capsys, "import-events", "--data-dir", data, "--resident", "r01", "--file", str(csv_file))
    assert code == 0 and ", 0 new," in err
    source_events = len(csv_file.read_text().splitlines()) - 1
    exported = tmp_path / "export.csv"
    assert _run(capsys, "export-events", "--data-dir", data, "--resident", "r01", "--file", str(exported))[0] == 0
    assert len(exported.read_text().splitlines()) - 1 == source_events

    code, out, err = _run(capsys, "analyse", "--data-dir", data, "--resident", "r01",
                          "--from", (quiet_day - timedelta(days=1)).isoformat(), "--to", quiet_day.isoformat(),
                          "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["resident"] == "r01"
    kitchen = [a for a in result["alerts"] if a["indicator"] == "kitchen_activity"
               and a["severity"] in ("amber", "red")]
    assert [a["date"] for a in kitchen] == [quiet_day.isoformat()]
    alert = kitchen[0]
    for key in ("start", "end", "raised_at", "score", "observed", "expected", "expected_low", "expected_high",
                "unit", "baseline", "sensors", "explanation"):
        assert key in alert
    assert alert["observed"] == 0 and alert["expected_low"] > 0
    assert alert["baseline"]["days"] >= 14
    assert alert["explanation"]["nl"] and alert["explanation"]["en"]
    assert all(s["healthy"] for s in alert["sensors"] if s["room"] == "kitchen")


def test_analyse_changes_nothing_but_the_access_log(tmp_path: Path, capsys) -> None:
    sim = tmp_path / "sim"
    data = str(tmp_path / "data")
    _run(capsys, "simulate", "--homes", "1", "--days", "20", "--seed", "3", "--csv", str(sim))
    _run(capsys, "residents", "add", "--data-dir", data, "--id", "r01", "--name", "X")
    _run(capsys, "import-events", "--data-dir", data, "--resident", "r01", "--file", str(sim / "r01.csv"))
    db = Path(data) / "slimmaatwerk.db"
    from sqlalchemy import create_engine, text

    def snapshot() -> dict[str, int]:
        engine = create_engine(f"sqlite:///{db}")
        with engine.connect() as conn:
            counts = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar()
                      for t in ("events", "alerts", "baselines", "device_assignments", "access_log")}
        engine.dispose()
        return counts

    before = snapshot()
    code, out, _ = _run(capsys, "analyse", "--data-dir", data, "--resident", "r01", "--from", "2026-01-20",
                        "--to", "2026-01-23", "--json")
    after = snapshot()
    assert code == 0 and "alerts" in json.loads(out)
    assert after["access_log"] == before["access_log"] + 1
    assert {k: v for k, v in after.items() if k != "access_log"} == {
        k: v for k, v in before.items() if k != "access_log"}
