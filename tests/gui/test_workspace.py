"""The main window with the command-side service: tabs, alert inbox, escalation banner, settings, pairing.

A real :class:`~slimmaatwerk.service.Service` over a real SQLite database; the engine's part (storing
alerts) is played by a second service acting as the "system" account.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from slimmaatwerk.clock import FixedClock
from slimmaatwerk.gui import i18n
from slimmaatwerk.gui.app import ensure_application
from slimmaatwerk.gui.launch import ServiceSource
from slimmaatwerk.gui.main_window import MainWindow
from slimmaatwerk.gui.pairing_wizard import PairingWizard
from slimmaatwerk.gui.qt import QImage, QTabWidget, QTimer
from slimmaatwerk.localtime import format_timestamp, ms
from slimmaatwerk.service import Service
from slimmaatwerk.storage import accounts
from slimmaatwerk.storage.database import Database
from slimmaatwerk.storage.teams import RotaEntry
from tests.gui.gui_sampledata import NOW, SCREENSHOTS

pytestmark = pytest.mark.gui

EVERY_DAY = 0b1111111


@dataclass
class World:
    db: Database
    data_dir: Path
    clock: FixedClock

    def service(self, username: str) -> Service:
        with self.db.read() as conn:
            user = accounts.user_by_name(conn, username)
        assert user is not None
        return Service(self.db, user, self.clock)


def _alert(indicator: str, severity: str, minutes_ago: int, nl: str, en: str) -> dict:
    raised = NOW - timedelta(minutes=minutes_ago)
    return {"date": raised.date().isoformat(), "indicator": indicator, "severity": severity,
            "raised_at": format_timestamp(raised), "start": format_timestamp(raised - timedelta(hours=1)),
            "end": format_timestamp(raised), "score": 4.2, "observed": 0, "expected": 3, "unit": "count",
            "explanation": {"nl": nl, "en": en}}


@pytest.fixture
def world(tmp_path: Path, clock: FixedClock) -> Iterator[World]:
    db = Database(f"sqlite:///{tmp_path / 'slimmaatwerk.db'}")
    with db.begin() as conn:
        for username, name, role in [("anja", "Anja de Wit", "coordinator"),
                                     ("beheer", "Bea Beheer", "admin,coordinator"),
                                     ("ivo", "Ivo Installateur", "installer"),
                                     ("engine", "Engine", "system")]:
            accounts.create_user(conn, username, name, role, ms(NOW), all_residents=True)
    w = World(db, tmp_path / "data", clock)
    coordinator, engine = w.service("anja"), w.service("engine")
    for rid, name in [("r1", "Annie de Vries"), ("r2", "Gerrit Jansen"), ("r3", "Maria de Boer")]:
        coordinator.add_resident(rid, name, team="Noord")
    # Office hours 08:00-17:00: at NOW (09:30 in Amsterdam) someone is on duty for team Noord.
    coordinator.add_rota_entry(RotaEntry("Noord", "office", "Anja de Wit", EVERY_DAY, 8 * 60, 17 * 60))
    engine.store_alerts("r1", [_alert("inactivity", "red", 40,
                                      "Al 4 uur geen beweging in huis; normaal nooit langer dan 2 uur.",
                                      "No movement at home for 4 hours; usually never more than 2 hours.")])
    engine.store_alerts("r2", [_alert("night_toilet_visits", "amber", 300,
                                      "5 toiletbezoeken vannacht; normaal 1 tot 2.",
                                      "5 toilet visits last night; usually 1 to 2.")])
    yield w
    db.dispose()


def open_window(qtbot: QtBot, world: World, username: str | None = "anja", *, wait: bool = True,
                **kw: Any) -> MainWindow:
    ensure_application()
    reader = world.service(username or "anja")
    service = world.service(username) if username else None
    window = MainWindow(ServiceSource(reader, ""), clock=world.clock, service=service,
                        data_dir=world.data_dir if service else None, **kw)
    qtbot.addWidget(window)
    window.resize(1400, 850)
    window.show()
    if wait:
        qtbot.waitUntil(window.is_ready, timeout=5000)
    if window.workspace is not None and window.workspace.inbox is not None:
        qtbot.waitUntil(lambda: window.workspace.inbox.model.rowCount() > 0, timeout=5000)
        qtbot.waitUntil(window.workspace.banner.isVisible, timeout=5000)
    return window


def test_the_inbox_tab_lists_the_stored_alerts(qtbot: QtBot, world: World) -> None:
    window = open_window(qtbot, world)
    tabs = window.workspace.tabs
    assert [tabs.tabText(i) for i in range(tabs.count())] == ["Bewoners", "Meldingen (2)"]
    assert tabs.currentIndex() == 0 and window.proxy.rowCount() == 3
    rows = window.workspace.inbox.model.rows()
    assert [(r.resident_name, r.indicator, r.severity) for r in rows] == [
        ("Annie de Vries", "inactivity", "red"), ("Gerrit Jansen", "night_toilet_visits", "amber")]
    assert window.workspace.banner.text.text().startswith("▲ 1 rode")

    window.language_actions["en"].trigger()
    assert [tabs.tabText(i) for i in range(tabs.count())] == ["Residents", "Alert inbox (2)"]
    assert window.workspace.banner.text.text().startswith("▲ 1 red")
    assert window.workspace.installer_menu.title() == "&Installer"
    assert window.workspace.settings_action.text() == "&Settings…"
    assert not window.workspace.settings_action.shortcut().isEmpty()


def test_acknowledging_from_the_inbox_clears_the_banner(qtbot: QtBot, world: World) -> None:
    window = open_window(qtbot, world)
    workspace = window.workspace
    banner, inbox = workspace.banner, workspace.inbox
    assert [r.resident_id for r in banner.rows()] == ["r1"]  # red, unanswered past the escalation delay

    with qtbot.waitSignal(banner.open_inbox, timeout=1000):
        banner.button.click()
    assert workspace.tabs.currentWidget() is inbox

    alert_id = banner.rows()[0].alert_id
    inbox.select_row(inbox.model.row_of(alert_id))
    # (the 2 s poll may reload the banner meanwhile: wait for the answer after the acknowledgement)
    with qtbot.waitSignal(banner.changed, timeout=5000, check_params_cb=lambda n: n == 0):
        inbox.trigger("acknowledge")
    assert not banner.isVisible()
    qtbot.waitUntil(lambda: inbox.model.rows()[inbox.model.row_of(alert_id)].status == "acknowledged",
                    timeout=5000)


def test_the_settings_action_opens_the_settings_dialog(qtbot: QtBot, world: World) -> None:
    window = open_window(qtbot, world, "beheer", demo=True)
    seen: dict[str, object] = {}

    def close_it() -> None:
        dialog = window.workspace.settings_dialog
        seen.update(title=dialog.windowTitle(), visible=dialog.isVisible(),
                    escalation=dialog.tabs.widget(3).isEnabled())
        dialog.reject()

    QTimer.singleShot(0, close_it)
    window.workspace.settings_action.trigger()  # runs the dialog's own event loop until close_it rejects it
    assert seen == {"title": "Instellingen — DEMO", "visible": True, "escalation": True}
    assert window.workspace.settings_dialog is None


def test_a_plain_coordinator_saves_settings_and_the_window_follows(qtbot: QtBot, world: World) -> None:
    window = open_window(qtbot, world, "anja")
    seen: dict[str, object] = {}

    def choose_english() -> None:
        dialog = window.workspace.settings_dialog
        # The escalation policy needs manage_database to change: shown read-only; the rest saves.
        seen["escalation"] = dialog.esc_delay.isEnabled()
        dialog.language.setCurrentIndex(dialog.language.findData("en"))
        seen["saved"] = dialog.save()  # stores on a worker; the dialog closes itself once stored
        if not dialog.is_saving():
            seen["error"] = dialog.error_label.text()
            dialog.reject()

    QTimer.singleShot(0, choose_english)
    window.workspace.settings_action.trigger()  # returns when the dialog has closed
    assert seen == {"escalation": False, "saved": True}
    assert window.workspace.settings_dialog is None
    assert i18n.current_language() == "en" and window.file_menu.title() == "&File"
    assert window.workspace.tabs.tabText(0) == "Residents"
    assert '"language": "en"' in (world.data_dir / "config.json").read_text(encoding="utf-8")


def test_pairing_is_for_installers_only(qtbot: QtBot, world: World) -> None:
    coordinator = open_window(qtbot, world, "anja")
    assert not coordinator.workspace.pair_action.isEnabled()
    assert "installateurs" in coordinator.workspace.pair_action.toolTip()
    assert coordinator.workspace.installer_menu.title() == "&Installatie"

    installer = open_window(qtbot, world, "ivo", wait=False)
    workspace = installer.workspace
    assert workspace.pair_action.isEnabled() and "installateurs" not in workspace.pair_action.toolTip()
    assert workspace.inbox is None and workspace.tabs.count() == 1  # no alerts for an installer
    workspace.pair_action.trigger()
    qtbot.waitUntil(lambda: workspace.pairing_wizard is not None, timeout=5000)
    wizard = workspace.pairing_wizard
    assert isinstance(wizard, PairingWizard) and wizard.isVisible() and not wizard.aborted
    assert not workspace.pair_action.isEnabled()  # one wizard at a time
    wizard.reject()
    assert workspace.pairing_wizard is None and workspace.pair_action.isEnabled()


def test_without_a_service_the_window_has_no_tabs(qtbot: QtBot, world: World) -> None:
    window = open_window(qtbot, world, None)
    assert window.workspace is None
    assert window.findChildren(QTabWidget) == [window.detail_view.alerts]  # only the detail's own tabs
    assert [a.text() for a in window.file_menu.actions()] == ["&Vernieuwen", "&Afsluiten"]
    assert [m.title() for m in (a.menu() for a in window.menuBar().actions())] == ["&Bestand", "&Taal"]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_screenshots_of_the_main_window_with_tabs(qtbot: QtBot, world: World, language: str) -> None:
    i18n.set_language(language)
    window = open_window(qtbot, world, "beheer", demo=True, status_text="demo-coördinator")
    names = {"nl": ("&Bestand", "&Team", "&Installatie", "&Privacy", "&Taal"),  # beheer may read the access log
             "en": ("&File", "&Team", "&Installer", "&Privacy", "&Language")}[language]
    assert tuple(a.text() for a in window.menuBar().actions()) == names
    for tab, name in ((0, "residents"), (1, "inbox")):
        window.workspace.tabs.setCurrentIndex(tab)
        qtbot.wait(150)
        path = SCREENSHOTS / f"main_window_{name}_{language}.png"
        assert window.grab().save(str(path))
        assert QImage(str(path)).size().width() == 1400
