"""`slimmaatwerk demo --screenshot` end to end: embedded broker, seeded homes, engine and window."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from slimmaatwerk.clock import SystemClock
from slimmaatwerk.identity import open_session
from tests.gui.gui_sampledata import SCREENSHOTS

pytestmark = pytest.mark.gui


def test_demo_screenshot_shows_residents_needing_attention(tmp_path: Path) -> None:
    data_dir = tmp_path / "demo"
    shot = SCREENSHOTS / "demo_main_window.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-m", "slimmaatwerk", "demo", "--data-dir", str(data_dir), "--screenshot", str(shot)],
        capture_output=True, text=True, env=env, timeout=240, check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert shot.stat().st_size > 50_000  # a rendered window, not a blank image
    assert "demo: history 6/6" in result.stderr

    from PySide6.QtGui import QImage

    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1400, 850)

    session = open_session(data_dir, SystemClock())
    try:
        rows = session.service.overview()
        assert len(rows) >= 5
        assert any(r.status != "green" for r in rows)
        order = ("red", "amber", "grey", "green")
        worst = session.service.resident_detail(min(rows, key=lambda r: order.index(r.status)).resident_id)
        assert worst.alerts and sum(map(sum, worst.hourly)) > 0
    finally:
        session.db.dispose()


def test_demo_refuses_a_folder_that_is_not_its_own(tmp_path: Path) -> None:
    folder = tmp_path / "precious"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me")
    result = subprocess.run(
        [sys.executable, "-m", "slimmaatwerk", "demo", "--data-dir", str(folder), "--screenshot",
         str(tmp_path / "x.png")],
        capture_output=True, text=True, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"), timeout=60, check=False,
    )
    assert result.returncode == 2
    assert "is not a demo folder" in result.stderr
    assert (folder / "notes.txt").read_text() == "keep me"
