"""The privacy menu of the main window: the access-log viewer and "who sees what" for the selected resident.

A real :class:`~slimmaatwerk.service.Service` over SQLite. The menu follows the ``read_audit`` permission:
an administrator (privacy officer) has it, a care coordinator does not.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from slimmaatwerk.clock import FixedClock
from slimmaatwerk.gui import i18n
from slimmaatwerk.gui.app import ensure_application
from slimmaatwerk.gui.launch import ServiceSource
from slimmaatwerk.gui.main_window import MainWindow
from slimmaatwerk.localtime import ms
from slimmaatwerk.service import Service
from slimmaatwerk.storage import accounts
from slimmaatwerk.storage.database import Database
from tests.gui.gui_sampledata import NOW, SCREENSHOTS

pytestmark = pytest.mark.gui


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(f"sqlite:///{tmp_path / 'slimmaatwerk.db'}")
    with database.begin() as conn:
        accounts.create_user(conn, "beheer", "Bea Beheer", "admin,coordinator", ms(NOW), all_residents=True)
        accounts.create_user(conn, "anja", "Anja de Wit", "coordinator", ms(NOW), all_residents=True)
    yield database
    database.dispose()


def _service(db: Database, username: str, clock: FixedClock) -> Service:
    with db.read() as conn:
        user = accounts.user_by_name(conn, username)
    assert user is not None
    return Service(db, user, clock)


@pytest.fixture
def admin(db: Database, clock: FixedClock) -> Service:
    service = _service(db, "beheer", clock)
    service.add_resident("r1", "Annie de Vries")
    service.add_resident("r2", "Gerrit Jansen")
    service.privacy.add_relative("r1", "Anna", "dochter")
    service.privacy.record_consent("r1", "Anna", ["week", "sleep"], True, "resident")
    return service


def open_window(qtbot: QtBot, db: Database, username: str, clock: FixedClock, tmp_path: Path) -> MainWindow:
    ensure_application()
    window = MainWindow(ServiceSource(_service(db, username, clock), ""), clock=clock,
                        service=_service(db, username, clock), data_dir=tmp_path / "data")
    qtbot.addWidget(window)
    window.resize(1200, 700)
    window.show()
    qtbot.waitUntil(window.is_ready, timeout=5000)
    return window


def _menu_titles(window: MainWindow) -> list[str]:
    return [action.text() for action in window.menuBar().actions()]


def test_a_coordinator_has_no_privacy_menu(qtbot: QtBot, db: Database, admin: Service, clock: FixedClock,
                                           tmp_path: Path) -> None:
    window = open_window(qtbot, db, "anja", clock, tmp_path)
    assert window.workspace is not None and window.workspace.privacy_menu is None
    assert "&Privacy" not in _menu_titles(window)
    window.workspace.open_audit_viewer()  # even if triggered somehow: nothing opens
    assert window.workspace.audit_viewer is None


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_admin_opens_the_access_log_and_who_sees_what(qtbot: QtBot, db: Database, admin: Service,
                                                          clock: FixedClock, tmp_path: Path,
                                                          language: str) -> None:
    i18n.set_language(language)
    window = open_window(qtbot, db, "beheer", clock, tmp_path)
    workspace = window.workspace
    assert workspace is not None and workspace.privacy_menu is not None
    assert "&Privacy" in _menu_titles(window)
    labels = [a.text() for a in workspace.privacy_menu.actions()]
    assert labels == {"nl": ["&Toegangslog…", "&Wie ziet wat (geselecteerde bewoner)…"],
                      "en": ["&Access log…", "&Who sees what (selected resident)…"]}[language]
    assert window.grab().save(str(SCREENSHOTS / f"privacy_menu_window_{language}.png"))

    workspace.audit_action.trigger()
    viewer = workspace.audit_viewer
    assert viewer is not None and viewer.isWindow() and viewer.isVisible()
    qtbot.waitUntil(lambda: viewer.table.rowCount() > 0, timeout=5000)
    assert viewer.table.rowCount() == len(viewer.entries) >= 4
    shown = [(viewer.table.item(r, 3).text(), viewer.table.item(r, 4).text()) for r in range(viewer.table.rowCount())]
    assert ("r1", "resident added") in shown and ("r1", "relative Anna added") in shown
    assert viewer.windowTitle() == {"nl": "Toegangslog", "en": "Access log"}[language]
    assert viewer.verify()
    assert viewer.grab().save(str(SCREENSHOTS / f"privacy_menu_access_log_{language}.png"))

    assert window.select_resident("r1")
    workspace.transparency_action.trigger()
    view = workspace.transparency_view
    assert view is not None and view.resident_id == "r1" and view.isWindow()
    qtbot.waitUntil(lambda: view.table.rowCount() > 0, timeout=5000)
    rows = dict(view.row_texts())
    assert rows["Anna (dochter)"] == {"nl": "hoe de week ging, slapen en nachten",
                                      "en": "how the week went, sleep and nights"}[language]
    assert {"nl": "Zorgcoördinator", "en": "Care coordinator"}[language] in rows
    assert view.title.text() == {"nl": "Wie ziet wat van Annie de Vries",
                                 "en": "Who sees what of Annie de Vries"}[language]
    assert view.grab().save(str(SCREENSHOTS / f"privacy_menu_who_sees_what_{language}.png"))

    # The viewer lists its own opening: the read of the transparency view is logged too.
    workspace.audit_action.trigger()
    before = viewer.table.rowCount()
    qtbot.waitUntil(lambda: viewer.table.rowCount() > before, timeout=5000)
    window.close()
    assert workspace.audit_viewer is None or not workspace.audit_viewer.isVisible()
