"""The resident detail's calendar and trends tabs, and the overview's team filter.

A real :class:`~slimmaatwerk.service.Service` over SQLite in ``tmp_path``; the history is stored by a
second service acting as the "system" account (as the engine would).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from slimmaatwerk.clock import FixedClock
from slimmaatwerk.events import Event
from slimmaatwerk.gui import i18n
from slimmaatwerk.gui.app import ensure_application
from slimmaatwerk.gui.launch import ServiceSource
from slimmaatwerk.gui.main_window import MainWindow
from slimmaatwerk.gui.overview_model import COL_NAME, COL_TEAM
from slimmaatwerk.gui.qt import QDateTime, QImage, Qt
from slimmaatwerk.localtime import TZ, ms
from slimmaatwerk.service import Service
from slimmaatwerk.storage import accounts
from slimmaatwerk.storage.database import Database
from tests.gui.gui_sampledata import NOW, SCREENSHOTS

pytestmark = pytest.mark.gui

HISTORY_DAYS = 60


@dataclass
class World:
    db: Database
    clock: FixedClock

    def service(self, username: str) -> Service:
        with self.db.read() as conn:
            user = accounts.user_by_name(conn, username)
        assert user is not None
        return Service(self.db, user, self.clock)


def _history(days: int) -> dict[tuple[str, str], list[Event]]:
    """A regular life: up around 07:30, meals in the kitchen, a night-time toilet visit now and then."""
    rng = random.Random(5)
    out: dict[tuple[str, str], list[Event]] = {("bedroom", "r1/bedroom"): [], ("kitchen", "r1/kitchen"): [],
                                               ("bathroom", "r1/bathroom"): [], ("living", "r1/living"): []}
    start = (NOW.astimezone(TZ) - timedelta(days=days)).replace(hour=0, minute=0, second=0, microsecond=0)
    for d in range(days + 1):  # and this morning
        day = start + timedelta(days=d)
        wake = day + timedelta(hours=7, minutes=rng.randint(0, 60))
        if wake >= NOW:
            break
        out[("bedroom", "r1/bedroom")].append(Event(wake, "r1/bedroom", "motion", 1.0, "bedroom"))
        for _ in range(rng.randint(0, 2)):
            night = day + timedelta(hours=2, minutes=rng.randint(0, 120))
            out[("bathroom", "r1/bathroom")].append(Event(night, "r1/bathroom", "motion", 1.0, "bathroom"))
        for hour in (8, 12, 13, 18):
            for k in range(rng.randint(2, 6)):
                at = day + timedelta(hours=hour, minutes=5 * k)
                if at < NOW:
                    out[("kitchen", "r1/kitchen")].append(Event(at, "r1/kitchen", "motion", 1.0, "kitchen"))
        for hour in range(9, 22, 2):
            at = day + timedelta(hours=hour, minutes=rng.randint(0, 50))
            if at < NOW:
                out[("living", "r1/living")].append(Event(at, "r1/living", "motion", 1.0, "living"))
        bed = day + timedelta(hours=22, minutes=rng.randint(0, 60))
        if bed < NOW:
            out[("bedroom", "r1/bedroom")].append(Event(bed, "r1/bedroom", "motion", 1.0, "bedroom"))
        for hour in range(24):  # healthy sensors report hourly, motion or not
            at = day + timedelta(hours=hour, minutes=30)
            if at < NOW:
                for (room, device), events in out.items():
                    events.append(Event(at, device, "heartbeat", 1.0, room))
    return out


@pytest.fixture
def world(tmp_path: Path, clock: FixedClock) -> Iterator[World]:
    db = Database(f"sqlite:///{tmp_path / 'slimmaatwerk.db'}")
    with db.begin() as conn:
        for username, name, role in [("anja", "Anja de Wit", "coordinator"), ("engine", "Engine", "system")]:
            accounts.create_user(conn, username, name, role, ms(NOW), all_residents=True)
    w = World(db, clock)
    coordinator, engine = w.service("anja"), w.service("engine")
    coordinator.add_resident("r1", "Annie de Vries", team="Noord")
    coordinator.add_resident("r2", "Gerrit Jansen", team="Zuid")
    coordinator.add_resident("r3", "Maria de Boer", team="Noord")
    for i, ((room, device), events) in enumerate(_history(HISTORY_DAYS).items()):
        engine.store_device_events("r1", f"zigbee:0x{i + 1}", device, room, "", events)
    coordinator.add_context("r1", "visit", "2026-02-14T10:00:00+01:00", "2026-02-14T16:00:00+01:00",
                            "dochter op bezoek")
    yield w
    db.dispose()


def open_window(qtbot: QtBot, world: World, *, service: bool = True) -> MainWindow:
    ensure_application()
    window = MainWindow(ServiceSource(world.service("anja"), ""), clock=world.clock,
                        service=world.service("anja") if service else None)
    qtbot.addWidget(window)
    window.resize(1400, 850)
    window.show()
    qtbot.waitUntil(window.is_ready, timeout=5000)
    assert window.select_resident("r1")
    qtbot.waitUntil(lambda: window.detail_view.resident_id() == "r1", timeout=5000)
    return window


def test_without_a_service_the_detail_has_no_calendar_or_trends(qtbot: QtBot, world: World) -> None:
    window = open_window(qtbot, world, service=False)
    view = window.detail_view
    assert view.calendar is None and view.trends is None
    assert view.tabs is None


def test_the_calendar_lists_and_adds_periods(qtbot: QtBot, world: World) -> None:
    window = open_window(qtbot, world)
    view = window.detail_view
    calendar = view.calendar
    assert calendar is not None and calendar.form.isVisibleTo(calendar)
    assert [view.tabs.tabText(i) for i in range(view.tabs.count())] == ["Overzicht", "Vandaag", "Agenda", "Trends"]
    with qtbot.waitSignal(calendar.loaded, timeout=5000):
        view.tabs.setCurrentWidget(calendar)
    assert calendar.table.rowCount() == 1
    assert [calendar.table.item(0, c).text() for c in (0, 3)] == ["Bezoek", "dochter op bezoek"]
    assert calendar.table.item(0, 1).text() == "za 14 feb 2026 10:00"

    calendar.type_combo.setCurrentIndex(calendar.type_combo.findData("hospital"))
    calendar.from_edit.setDateTime(QDateTime.fromString("2026-02-20 09:00", "yyyy-MM-dd HH:mm"))
    calendar.to_edit.setDateTime(QDateTime.fromString("2026-02-25 17:30", "yyyy-MM-dd HH:mm"))
    calendar.note_edit.setText("heupoperatie")
    with qtbot.waitSignal(calendar.loaded, timeout=5000):
        calendar.add_button.click()
    assert calendar.message() == "Periode toegevoegd"
    assert calendar.table.rowCount() == 2
    assert [calendar.table.item(0, c).text() for c in range(4)] == [
        "Ziekenhuisopname", "vr 20 feb 2026 09:00", "wo 25 feb 2026 17:30", "heupoperatie"]
    stored = world.service("anja").list_context("r1")
    assert [(p.type, p.note) for p in stored] == [("visit", "dochter op bezoek"), ("hospital", "heupoperatie")]
    assert stored[1].start.isoformat() == "2026-02-20T08:00:00+00:00"  # 09:00 Amsterdam time

    i18n.set_language("en")
    window.retranslate()
    assert calendar.table.item(0, 0).text() == "Hospital stay"
    assert calendar.message() == "Period added"


def test_the_calendar_explains_a_refused_period_in_words(qtbot: QtBot, world: World) -> None:
    window = open_window(qtbot, world)
    calendar = window.detail_view.calendar
    window.detail_view.tabs.setCurrentWidget(calendar)
    calendar.from_edit.setDateTime(QDateTime.fromString("2026-02-20 09:00", "yyyy-MM-dd HH:mm"))
    calendar.to_edit.setDateTime(QDateTime.fromString("2026-02-19 09:00", "yyyy-MM-dd HH:mm"))
    calendar.add_button.click()
    qtbot.waitUntil(lambda: calendar.message().startswith("Niet gelukt"), timeout=5000)
    assert "later" in calendar.message()
    assert calendar.add_button.isEnabled()
    assert len(world.service("anja").list_context("r1")) == 1


def test_the_trends_tab_shows_curves_with_a_usual_band(qtbot: QtBot, world: World) -> None:
    window = open_window(qtbot, world)
    view = window.detail_view
    trends = view.trends
    assert trends is not None
    with qtbot.waitSignal(trends.loaded, timeout=10_000):
        view.tabs.setCurrentWidget(trends)
    indicators = [t.indicator for t in trends.trends()]
    assert indicators == ["wake_time", "night_toilet_visits", "kitchen_activity", "total_activity"]
    wake = trends.trends()[0]
    assert 28 <= len(wake.days) <= 56
    known = [v for v in wake.values if v is not None]
    assert known and all(7 * 60 <= v <= 8 * 60 + 30 for v in known)
    assert any(lo is not None for lo in wake.low)
    assert len(trends.curve_items()) == 4
    assert len(trends.band_items()) == 4
    assert trends.status_label.text().startswith("Lijn")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_screenshots_of_the_calendar_and_trends_tabs(qtbot: QtBot, world: World, language: str) -> None:
    i18n.set_language(language)
    window = open_window(qtbot, world)
    window.retranslate()
    view = window.detail_view
    with qtbot.waitSignal(view.calendar.loaded, timeout=5000):
        view.tabs.setCurrentWidget(view.calendar)
    SCREENSHOTS.mkdir(exist_ok=True)
    for name, panel in (("calendar", view.calendar), ("trends", view.trends)):
        if panel is view.trends:
            with qtbot.waitSignal(view.trends.loaded, timeout=10_000):
                view.tabs.setCurrentWidget(panel)
        qtbot.wait(50)
        path = SCREENSHOTS / f"detail_{name}_{language}.png"
        assert window.grab().save(str(path))
        assert not QImage(str(path)).isNull()


def test_the_team_column_and_filter(qtbot: QtBot, world: World) -> None:
    window = open_window(qtbot, world)
    world.service("anja").add_resident("r4", "Jan Mulder")  # no team
    window.reload()
    qtbot.waitUntil(lambda: window.model.rowCount() == 4, timeout=5000)
    combo = window.team_combo
    assert [combo.itemText(i) for i in range(combo.count())] == ["Alle teams", "Noord", "Zuid", "(geen team)"]
    assert window.model.headerData(COL_TEAM, Qt.Orientation.Horizontal) == "Team"

    def shown() -> list[tuple[str, str]]:
        return sorted((window.proxy.index(r, COL_NAME).data(), window.proxy.index(r, COL_TEAM).data())
                      for r in range(window.proxy.rowCount()))

    assert window.set_team_filter("Noord")
    assert shown() == [("Annie de Vries", "Noord"), ("Maria de Boer", "Noord")]
    assert window.set_team_filter("")
    assert shown() == [("Jan Mulder", "—")]
    assert window.selected_resident_id() == "r4"  # the detail follows a resident that is shown
    window.search.setText("annie")
    assert shown() == []
    window.search.clear()
    assert window.set_team_filter("Zuid") and shown() == [("Gerrit Jansen", "Zuid")]
    assert not window.set_team_filter("West")

    with qtbot.waitSignal(window.overview_loaded, timeout=5000):
        window.reload()  # a live update keeps the chosen team
    assert combo.currentData() == "Zuid" and shown() == [("Gerrit Jansen", "Zuid")]
    i18n.set_language("en")
    window.retranslate()
    assert combo.itemText(0) == "All teams" and combo.currentText() == "Zuid"
    assert window.set_team_filter(None) and window.proxy.rowCount() == 4
