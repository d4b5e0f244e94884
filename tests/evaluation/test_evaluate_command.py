"""``slimmaatwerk evaluate`` end to end on the small CI configuration (2 seeds x 4 homes x 60 days, every
anomaly type once per seed: about 1.5 minutes on 2 cores)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from slimmaatwerk.evaluation.protocol import TYPES

CLEAR_TYPES = ("A3", "C", "F", "H")


@pytest.fixture(scope="module")
def small_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict, str]:
    out = tmp_path_factory.mktemp("evaluate") / "result.json"
    done = subprocess.run(
        [sys.executable, "-m", "slimmaatwerk", "evaluate", "--seeds", "1,2", "--homes", "4", "--days", "60",
         "--repeats", "1", "--out", str(out), "--json"],
        capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    printed = json.loads(done.stdout)  # --json: the only thing on stdout
    return printed, json.loads(out.read_text(encoding="utf-8")), done.stderr


def test_result_records_commit_command_protocol_and_metrics(small_run: tuple[dict, dict, str]) -> None:
    printed, stored, stderr = small_run
    assert "cases" not in printed and len(stored["cases"]) == 2 * (4 + len(TYPES))
    assert stored["command"].startswith("slimmaatwerk evaluate --seeds 1,2 --homes 4 --days 60")
    assert "commit" in stored["git"] and "dirty" in stored["git"]
    assert stored["protocol"]["days"] == 60 and stored["protocol"]["learn_days"] == 14
    metrics = stored["metrics"]
    assert set(metrics["recall"]) == set(TYPES)
    for row in metrics["recall"].values():
        assert row["n"] == 2 and set(row["delay_h"]) == {"median", "p90"}
    fa = metrics["false_alarms"]
    assert fa["residents"] == 8 and fa["resident_months"] > 10
    assert set(fa["episodes"]) >= {"mean", "p90"} and set(fa["alert_days"]) >= {"mean", "p90"}
    assert set(fa["by_condition"]) == {"untouched", "visitors", "pet", "absence"}
    assert "evaluate: 34/34" in stderr  # progress on stderr


def test_clear_anomalies_are_found_with_their_named_indicator(small_run: tuple[dict, dict, str]) -> None:
    recall = small_run[1]["metrics"]["recall"]
    for kind in CLEAR_TYPES:
        assert recall[kind]["recall"] > 0, (kind, recall[kind])
        assert recall[kind]["indicators"], kind


def test_false_alarm_streams_stay_quiet_enough(small_run: tuple[dict, dict, str]) -> None:
    # A loose ceiling on the small run (the full run is what is published): a broken detector that
    # alerts every few days would exceed it.
    assert small_run[1]["metrics"]["false_alarms"]["alert_days"]["mean"] < 4.0


def test_readme_table_is_rendered_from_the_stored_json(small_run: tuple[dict, dict, str], tmp_path: Path) -> None:
    path = tmp_path / "result.json"
    path.write_text(json.dumps(small_run[1]), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "slimmaatwerk", "evaluate", "--render", str(path)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    table = done.stdout
    assert small_run[1]["command"] in table
    assert table.count("\n| ") >= len(TYPES) + 2
    assert "| A3 |" in table and "| S |" in table and "episodes" in table


def test_the_published_tables_are_the_render_of_the_committed_result() -> None:
    """README.md and docs/evaluation.md show exactly what docs/evaluation.json holds (no hand edits)."""
    from slimmaatwerk.evaluation.report import render_table

    root = Path(__file__).resolve().parents[2]
    table = render_table(json.loads((root / "docs" / "evaluation.json").read_text(encoding="utf-8"))).strip()
    assert table in (root / "README.md").read_text(encoding="utf-8")
    assert table in (root / "docs" / "evaluation.md").read_text(encoding="utf-8")
