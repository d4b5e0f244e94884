"""The resident detail's "Today" tab: lanes per room from the service's room timeline, in a worker."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from slimmaatwerk.gui import i18n
from slimmaatwerk.gui.qt import QImage
from slimmaatwerk.gui.timeline_view import lane_text
from slimmaatwerk.timeline import RoomLane
from tests.gui.gui_sampledata import SCREENSHOTS
from tests.gui.test_detail_tabs import World, open_window, world  # noqa: F401 - the fixture

pytestmark = pytest.mark.gui


def test_today_tab_paints_each_room_and_says_it_in_words(qtbot: QtBot, world: World) -> None:  # noqa: F811
    window = open_window(qtbot, world)
    view = window.detail_view
    panel = view.timeline
    assert panel is not None and view.tabs.tabText(view.tabs.indexOf(panel)) == "Vandaag"
    with qtbot.waitSignal(panel.loaded, timeout=10_000):
        view.tabs.setCurrentWidget(panel)
    tl = panel.timeline()
    assert tl is not None and tl.now_min == 9 * 60 + 30  # NOW is 09:30 in Amsterdam
    assert [lane.room for lane in tl.lanes] == ["bedroom", "bathroom", "kitchen", "living"]
    kitchen = tl.lane("kitchen")
    assert kitchen.active and kitchen.usual_first is not None and 8 * 60 <= kitchen.usual_first < 9 * 60
    assert panel.title.text() == "Vandaag per ruimte — ma 2 mrt 2026"
    assert "Keuken: laatst actief 08:" in panel.summary.text()
    assert "meestal actief vanaf 08:" in panel.summary.text()
    assert panel.chart.accessibleName() == "Tijdlijn per ruimte"
    assert panel.chart.accessibleDescription() == panel.summary.text()
    assert not panel.next_button.isEnabled()  # no timeline of tomorrow

    with qtbot.waitSignal(panel.loaded, timeout=10_000):
        panel.previous_button.click()
    assert panel.timeline().now_min is None and panel.title.text() == "Per ruimte — zo 1 mrt 2026"
    assert panel.timeline().lane("living").last_active is not None
    with qtbot.waitSignal(panel.loaded, timeout=10_000):
        panel.today_button.click()
    assert panel.timeline().day.isoformat() == "2026-03-02"
    i18n.set_language("en")
    window.retranslate()
    assert panel.title.text() == "Today per room — Mon 2 Mar 2026" and "Kitchen: last active 08:" in panel.summary.text()


def test_a_late_room_is_marked_with_a_sign_and_words() -> None:
    lane = RoomLane("kitchen", (), ((510, 540),), None, None, 510, True)
    assert lane_text(lane) == "⚠ Keuken: nog geen activiteit · meestal actief vanaf 08:30 — later dan gewoonlijk"
    on_time = RoomLane("kitchen", ((515, 520),), (), 515, 580, 510, False)
    assert lane_text(on_time) == "Keuken: laatst actief 09:40 · meestal actief vanaf 08:30"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_screenshots_of_the_today_tab(qtbot: QtBot, world: World, language: str) -> None:  # noqa: F811
    i18n.set_language(language)
    window = open_window(qtbot, world)
    window.retranslate()
    view = window.detail_view
    with qtbot.waitSignal(view.timeline.loaded, timeout=10_000):
        view.tabs.setCurrentWidget(view.timeline)
    qtbot.wait(50)
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"detail_timeline_{language}.png"
    assert window.grab().save(str(path))
    assert not QImage(str(path)).isNull()
