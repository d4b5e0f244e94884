from __future__ import annotations

import pytest

from slimmaatwerk.gui.app import run_window
from slimmaatwerk.gui.main_window import LiveBridge
from slimmaatwerk.gui.qt import QImage
from tests.gui.gui_sampledata import SCREENSHOTS, MemorySource

pytestmark = pytest.mark.gui


@pytest.mark.parametrize("language", ["nl", "en"])
def test_screenshot_mode_saves_the_window_once_data_is_shown(qtbot, rows, clock, language: str) -> None:
    path = SCREENSHOTS / f"main_window_{language}.png"
    path.unlink(missing_ok=True)
    code = run_window(
        MemorySource(rows, banner=""),
        demo=True,
        screenshot=path,
        language=language,
        status_text="demo-coördinator",
        clock=clock,
        bridge=LiveBridge(),
    )
    assert code == 0
    image = QImage(str(path))
    assert (image.width(), image.height()) == (1400, 850)
    # The DEMO banner (yellow) runs across the top of the window, below the menu bar.
    assert image.pixelColor(4, 30).name() == "#ffd83d"


def test_screenshot_mode_gives_up_with_a_clear_message_when_data_never_shows(capsys, rows, clock, tmp_path):
    path = tmp_path / "never.png"
    code = run_window(
        MemorySource(rows, delay=1.5), demo=False, screenshot=path, language="en", clock=clock, timeout_s=0.3
    )
    assert code == 1
    assert not path.exists()
    assert "not shown within 0.3 s" in capsys.readouterr().err


def test_screenshot_mode_reports_a_failing_source(capsys, rows, clock, tmp_path) -> None:
    source = MemorySource(rows)
    source.fail_with = RuntimeError("schema version 7 is unknown")
    code = run_window(source, demo=False, screenshot=tmp_path / "x.png", language="nl", clock=clock)
    assert code == 1
    assert "schema version 7 is unknown" in capsys.readouterr().err
