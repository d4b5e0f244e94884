"""The resident detail's "Today" tab: lanes per room from the service's room timeline, in a worker."""

from __future__ import annotations

from datetime import date

import pytest
from pytestqt.qtbot import QtBot

from slimmaatwerk.gui import i18n
from slimmaatwerk.gui.app import ensure_application
from slimmaatwerk.gui.launch import ServiceSource
from slimmaatwerk.gui.main_window import MainWindow
from slimmaatwerk.gui.qt import QImage
from slimmaatwerk.gui.timeline_view import lane_text
from slimmaatwerk.service import Service
from slimmaatwerk.storage import accounts
from slimmaatwerk.timeline import DayTimeline, RoomLane
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


class ReadCountingService(Service):
    """The real service facade, remembering whose room timeline it read (four weeks of raw events)."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.timeline_reads: list[str] = []

    def resident_timeline(self, resident_id: str, day: date | None = None) -> DayTimeline:
        self.timeline_reads.append(resident_id)
        return super().resident_timeline(resident_id, day)


def test_the_today_tab_reads_only_when_shown_and_live_updates_do_not_reread_it(qtbot: QtBot, world: World) -> None:  # noqa: F811
    with world.db.read() as conn:
        user = accounts.user_by_name(conn, "anja")
    service = ReadCountingService(world.db, user, world.clock)
    ensure_application()
    window = MainWindow(ServiceSource(service, ""), clock=world.clock, service=service)
    qtbot.addWidget(window)
    window.resize(1400, 850)
    window.show()
    qtbot.waitUntil(window.is_ready, timeout=5000)
    view, panel = window.detail_view, window.detail_view.timeline
    for rid in ("r1", "r3", "r1"):  # opening details with the overview tab in front
        with qtbot.waitSignal(window.detail_loaded, timeout=5000):
            assert window.select_resident(rid)
    assert service.timeline_reads == [] and panel.timeline() is None  # not read, not painted

    with qtbot.waitSignal(panel.loaded, timeout=10_000):
        view.tabs.setCurrentWidget(panel)
    assert service.timeline_reads == ["r1"]
    with qtbot.waitSignal(window.detail_loaded, timeout=5000):
        window.reload()  # what a live update does: the detail of the same resident again
    qtbot.wait(100)
    assert service.timeline_reads == ["r1"]  # fresh enough: no second read of four weeks of events
    with qtbot.waitSignal(panel.loaded, timeout=10_000):
        assert window.select_resident("r3")
    assert service.timeline_reads == ["r1", "r3"]  # another resident: read at once
    with qtbot.waitSignal(panel.loaded, timeout=10_000):
        panel.previous_button.click()
    assert service.timeline_reads == ["r1", "r3", "r3"]  # another day: read at once


def test_a_late_room_is_marked_with_a_sign_and_words() -> None:
    lane = RoomLane("kitchen", (), ((510, 540),), None, None, 510, True)
    assert lane_text(lane) == "⚠ Keuken: nog geen activiteit · meestal actief vanaf 08:30 — later dan gewoonlijk"
    on_time = RoomLane("kitchen", ((515, 520),), (), 515, 580, 510, False)
    assert lane_text(on_time) == "Keuken: laatst actief 09:40 · meestal actief vanaf 08:30"


@pytest.mark.parametrize(("language", "text"), [
    ("nl", "Badkamer: nog geen activiteit · meestal 's nachts al rond 02:18 gebruikt"),
    ("en", "Bathroom: no activity yet · usually first used at night around 02:18"),
])
def test_a_room_usually_first_used_at_night_does_not_read_as_the_morning(language: str, text: str) -> None:
    i18n.set_language(language)
    night = RoomLane("bathroom", (), ((1560, 1590),), None, None, 24 * 60 + 138, False)
    assert lane_text(night) == text
    early = RoomLane("bathroom", (), (), None, None, 4 * 60 + 40, False)  # 04:40 is still the night
    assert "02:18" not in lane_text(early) and ("'s nachts" in lane_text(early) or "at night" in lane_text(early))
    morning = RoomLane("bathroom", (), (), None, None, 5 * 60, False)  # from 05:00 it is the morning
    assert lane_text(morning).endswith(("meestal actief vanaf 05:00", "usually active by 05:00"))


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
