from __future__ import annotations

import itertools
import threading
import time

import pytest

from slimmaatwerk.gui import i18n
from slimmaatwerk.gui.main_window import LiveBridge, MainWindow
from slimmaatwerk.gui.overview_model import COL_ALERTS, COL_NAME, COL_STATUS, ResidentIdRole
from slimmaatwerk.gui.qt import QTimer
from tests.gui.gui_sampledata import MemorySource

pytestmark = pytest.mark.gui


def open_window(qtbot, source, clock, **kw) -> MainWindow:
    window = MainWindow(source, clock=clock, **kw)
    qtbot.addWidget(window)
    window.resize(1400, 850)
    window.show()
    with qtbot.waitSignal(window.ready, timeout=5000):
        pass
    return window


def _worst(rows):
    reds = [r for r in rows if r.status == "red"]
    return max(reds, key=lambda r: (r.open_alerts.get("red", 0), r.open_alerts.get("amber", 0)))


def test_opens_on_the_overview_with_the_worst_resident_selected_and_shown(qtbot, source, rows, clock) -> None:
    window = open_window(qtbot, source, clock)
    assert window.proxy.rowCount() == 30
    worst = _worst(rows)
    assert window.selected_resident_id() == worst.resident_id
    assert window.detail_view.name_label.text() == worst.name
    assert window.detail_view.heatmap.has_data()
    assert len(window.detail_view.alerts.cards()) == 4
    assert window.summary_label.text().startswith("▲ 3 rood")
    assert "30 bewoners" in window.status_message()
    assert not window.demo_banner.isVisible() and "DEMO" not in window.windowTitle()


def test_selecting_another_row_loads_that_resident(qtbot, source, clock) -> None:
    window = open_window(qtbot, source, clock)
    with qtbot.waitSignal(window.detail_loaded, timeout=3000) as blocker:
        window.table.select_row(5)
    target = window.proxy.index(5, COL_NAME)
    assert blocker.args == [target.data(ResidentIdRole)]
    assert window.detail_view.name_label.text() == target.data()


def test_demo_banner_and_protection_warning_are_visible(qtbot, rows, clock) -> None:
    source = MemorySource(rows, banner="Niet beveiligd / not protected")
    window = open_window(qtbot, source, clock, demo=True, status_text="demo-coördinator")
    assert window.demo_banner.isVisible() and window.demo_banner.text().startswith("DEMO")
    assert "DEMO" in window.windowTitle()
    assert (
        window.warning_banner.isVisible() and window.warning_banner.text() == "Niet beveiligd / not protected"
    )
    assert window.status_text_label.text() == "demo-coördinator"


def test_language_switch_retranslates_visible_texts(qtbot, source, clock) -> None:
    window = open_window(qtbot, source, clock, demo=True)
    assert window.overview_title.text() == "Bewoners"
    window.language_actions["en"].trigger()
    assert i18n.current_language() == "en"
    assert window.overview_title.text() == "Residents"
    assert window.search.placeholderText() == "Search by name…"
    assert window.demo_banner.text().startswith("DEMO — simulated")
    assert window.proxy.index(0, COL_STATUS).data() == "▲ Red"
    assert window.detail_view.alerts.tabText(0) == "Alerts (4)"
    assert window.language_menu.title() == "&Language"
    assert "residents" in window.status_message()
    window.language_actions["nl"].trigger()
    assert window.proxy.index(0, COL_STATUS).data() == "▲ Rood"


def test_refresh_after_a_watermark_change_updates_the_row(qtbot, source, rows, clock) -> None:
    window = open_window(qtbot, source, clock)
    green = next(r for r in rows if r.status == "green")
    with qtbot.assertNotEmitted(window.overview_loaded, wait=100):
        window.refresh()  # nothing new stored: no reload
    source.update_row(green.resident_id, status="red", open_alerts={"red": 5})
    with qtbot.waitSignal(window.overview_loaded, timeout=3000):
        window.refresh()
    assert window.proxy.index(0, COL_NAME).data() == green.name
    assert window.proxy.index(0, COL_ALERTS).data() == "5 rood"
    # The coordinator keeps looking at the resident they chose; the list re-sorted under them.
    assert window.selected_resident_id() == _worst(rows).resident_id


def test_the_poll_timer_picks_up_new_data_by_itself(qtbot, source, rows, clock) -> None:
    window = open_window(qtbot, source, clock, poll_interval_ms=50)
    grey = next(r for r in rows if r.status == "grey")
    source.update_row(grey.resident_id, status="green", completeness=1.0)
    qtbot.waitUntil(lambda: window.model.status_counts()["grey"] == 3, timeout=3000)


def test_live_bridge_notify_from_another_thread_triggers_a_refresh(qtbot, source, rows, clock) -> None:
    window = open_window(qtbot, source, clock, poll_interval_ms=3_600_000)
    bridge = LiveBridge()
    window.connect_bridge(bridge)
    source.update_row(rows[0].resident_id, name="Annie de Vries-Peters")
    with qtbot.waitSignal(window.overview_loaded, timeout=3000):
        thread = threading.Thread(target=bridge.notify)  # e.g. paho's network thread
        thread.start()
        thread.join()
    names = [window.proxy.index(r, COL_NAME).data() for r in range(window.proxy.rowCount())]
    assert "Annie de Vries-Peters" in names


def test_a_slow_source_does_not_block_the_ui_thread(qtbot, rows, clock) -> None:
    source = MemorySource(rows, delay=1.0)
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    started = time.perf_counter()
    window = MainWindow(source, clock=clock)
    qtbot.addWidget(window)
    window.show()
    assert time.perf_counter() - started < 0.5, "the constructor must not wait for data"
    assert window.status_message() == "Gegevens laden…"
    with qtbot.waitSignal(window.ready, timeout=5000):
        pass
    timer.stop()
    # Two one-second loads ran; the event loop kept ticking all through them.
    assert len(ticks) >= 40
    assert max(b - a for a, b in itertools.pairwise(ticks)) < 0.3


def test_a_failing_source_shows_an_error_in_the_status_bar(qtbot, rows, clock) -> None:
    source = MemorySource(rows)
    source.fail_with = RuntimeError("database is locked")
    window = MainWindow(source, clock=clock)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.load_failed, timeout=3000):
        pass
    assert window.status_message() == "⚠ Kon gegevens niet laden: database is locked"
    assert window.isVisible()
    source.fail_with = None
    with qtbot.waitSignal(window.ready, timeout=3000):
        window.reload()
    assert window.status_message().startswith("30 bewoners")
