"""The team and rota editor and a resident's team and contact list, over a real service on SQLite.

What is typed is checked in words before anything is stored; the service checks roles again, so an
installer's account gets a clear refusal, and the menu entries are disabled for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from slimmaatwerk.clock import FixedClock
from slimmaatwerk.gui import i18n
from slimmaatwerk.gui.app import ensure_application
from slimmaatwerk.gui.contacts_dialog import ContactsDialog
from slimmaatwerk.gui.main_window import MainWindow
from slimmaatwerk.gui.qt import QApplication, QImage, QLineEdit, Qt, QTime
from slimmaatwerk.gui.teams_dialog import TeamsDialog
from slimmaatwerk.localtime import ms
from slimmaatwerk.service import Service
from slimmaatwerk.storage import accounts
from slimmaatwerk.storage.database import Database
from slimmaatwerk.storage.teams import Contact, RotaEntry
from tests.gui.gui_sampledata import NOW, SCREENSHOTS, MemorySource

pytestmark = pytest.mark.gui

EVERY_DAY = 0b1111111
WEEKDAYS = 0b0011111


@dataclass
class World:
    db: Database
    clock: FixedClock

    def service(self, username: str) -> Service:
        with self.db.read() as conn:
            user = accounts.user_by_name(conn, username)
        assert user is not None
        return Service(self.db, user, self.clock)


@pytest.fixture
def world(tmp_path: Path, clock: FixedClock) -> Iterator[World]:
    db = Database(f"sqlite:///{tmp_path / 'slimmaatwerk.db'}")
    with db.begin() as conn:
        for username, name, role in [("anja", "Anja de Wit", "coordinator"), ("ivo", "Ivo Installateur", "installer")]:
            accounts.create_user(conn, username, name, role, ms(NOW), all_residents=True)
    w = World(db, clock)
    anja = w.service("anja")
    anja.add_resident("r1", "Annie de Vries", team="Noord")
    anja.add_resident("r2", "Gerrit Jansen", team="Zuid")
    anja.save_team("Noord", "Oosterpark")
    anja.add_rota_entry(RotaEntry("Noord", "office", "Anja de Wit", WEEKDAYS, 8 * 60, 17 * 60, "020-1234567"))
    anja.add_rota_entry(RotaEntry("Noord", "evening", "Bram Bos", WEEKDAYS, 17 * 60, 23 * 60))
    anja.set_contacts("r1", [Contact(1, "Els de Vries", "dochter", "06-12345678", "altijd eerst"),
                             Contact(2, "Huisarts Oost", "huisarts", "020-7654321", "kantooruren")])
    yield w
    db.dispose()


def open_teams(qtbot: QtBot, service: Service) -> TeamsDialog:
    ensure_application()
    dialog = TeamsDialog(service)
    qtbot.addWidget(dialog)
    dialog.resize(1020, 600)
    dialog.show()
    return dialog


def loaded_teams(qtbot: QtBot, service: Service) -> TeamsDialog:
    dialog = open_teams(qtbot, service)  # the load runs on a worker and reports through the event loop
    with qtbot.waitSignal(dialog.loaded, timeout=5000):
        pass
    return dialog


def test_teams_and_rota_are_listed_with_the_hours_nobody_is_on_duty(qtbot: QtBot, world: World, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    dialog = loaded_teams(qtbot, world.service("anja"))
    qtmodeltester.check(dialog.teams_model)
    qtmodeltester.check(dialog.rota_model)
    teams = [[dialog.teams_model.index(r, c).data() for c in range(3)] for r in range(dialog.teams_model.rowCount())]
    assert teams == [["Noord", "Oosterpark", "1"], ["Zuid", "—", "1"]]
    assert dialog.current_team() == "Noord" and dialog.district.text() == "Oosterpark"
    rota = [[dialog.rota_model.index(r, c).data() for c in range(5)] for r in range(dialog.rota_model.rowCount())]
    assert rota == [["kantoor", "Anja de Wit", "020-1234567", "ma di wo do vr", "08:00–17:00"],
                    ["avond", "Bram Bos", "—", "ma di wo do vr", "17:00–23:00"]]
    assert dialog.gaps_label.text().startswith("⚠ Niemand van dienst")
    assert "ma 23:00 – di 08:00" in dialog.gaps_label.text() and "vr 23:00 – ma 08:00" in dialog.gaps_label.text()
    assert dialog.rota_view.accessibleName() == "Diensten in het rooster"


def test_adding_a_night_shift_closes_the_gaps_and_removing_it_opens_them(qtbot: QtBot, world: World) -> None:
    dialog = loaded_teams(qtbot, world.service("anja"))
    dialog.role.setCurrentIndex(dialog.role.findData("night"))
    assert (dialog.start.time(), dialog.end.time()) == (QTime(23, 0), QTime(8, 0))  # the usual night shift
    dialog.person.setText("Cor Claassen")
    dialog.phone.setText("06-33333333")
    with qtbot.waitSignal(dialog.loaded, timeout=5000):
        assert dialog.add_entry()
    assert dialog.message() == "✓ Dienst toegevoegd"
    assert [e.person for e in world.service("anja").rota("Noord")] == ["Anja de Wit", "Bram Bos", "Cor Claassen"]
    assert "vr 23:00 – ma 08:00" not in dialog.gaps_label.text()  # weekday nights now covered until Saturday
    assert dialog.gaps_label.text().endswith(": za 08:00 – 23:00; zo 08:00 – 23:00")  # weekend days
    dialog.rota_view.selectRow(2)
    with qtbot.waitSignal(dialog.loaded, timeout=5000):
        assert dialog.remove_entry()
    assert [e.person for e in world.service("anja").rota("Noord")] == ["Anja de Wit", "Bram Bos"]
    assert dialog.message() == "✓ Dienst verwijderd"


@pytest.mark.parametrize(("setup", "message"), [
    (lambda d: d.person.clear(), "⚠ Vul in wie deze dienst heeft."),
    (lambda d: [box.setChecked(False) for box in d.day_boxes], "⚠ Kies minstens één dag."),
    (lambda d: d.end.setTime(d.start.time()), "⚠ Begin en einde van de dienst zijn gelijk"),
])
def test_a_wrong_shift_is_explained_in_words_and_nothing_is_stored(qtbot: QtBot, world: World, setup, message: str) -> None:  # type: ignore[no-untyped-def]
    dialog = loaded_teams(qtbot, world.service("anja"))
    dialog.person.setText("Cor")
    setup(dialog)
    assert not dialog.add_entry()
    assert dialog.message().startswith(message)
    assert len(world.service("anja").rota("Noord")) == 2
    dialog.rota_view.clearSelection()
    dialog.rota_view.setCurrentIndex(dialog.rota_model.index(-1, 0))
    assert not dialog.remove_entry() and dialog.message() == "⚠ Kies eerst een dienst in het rooster."


def test_a_new_team_with_a_district_is_saved_and_chosen(qtbot: QtBot, world: World) -> None:
    dialog = loaded_teams(qtbot, world.service("anja"))
    dialog.team_name.clear()
    assert not dialog.save_team() and dialog.message() == "⚠ Geef het team een naam."
    dialog.team_name.setText("West")
    dialog.district.setText("Bos en Lommer")
    with qtbot.waitSignal(dialog.loaded, timeout=5000):
        assert dialog.save_team()
    assert dialog.current_team() == "West" and dialog.message() == "✓ Team opgeslagen"
    assert dialog.rota_model.rowCount() == 0 and "ma 00:00" in dialog.gaps_label.text()
    assert [(t.name, t.district) for t in world.service("anja").team_details()] == [
        ("Noord", "Oosterpark"), ("West", "Bos en Lommer"), ("Zuid", "")]


def test_a_team_is_renamed_from_the_name_field_with_its_rota_and_residents(qtbot: QtBot, world: World) -> None:
    dialog = loaded_teams(qtbot, world.service("anja"))
    assert dialog.current_team() == "Noord"
    assert not dialog.rename_team() and dialog.message() == "⚠ Typ bij Naam de nieuwe naam voor team Noord."
    dialog.team_name.setText("Zuid")
    assert not dialog.rename_team() and dialog.message().startswith("⚠ Er is al een team Zuid: kies een andere naam")
    dialog.team_name.setText("Noord-Oost")
    with qtbot.waitSignal(dialog.changed, timeout=5000), qtbot.waitSignal(dialog.loaded, timeout=5000):
        assert dialog.rename_team()
    assert dialog.message() == "✓ Team Noord heet nu Noord-Oost"
    assert dialog.current_team() == "Noord-Oost" and dialog.district.text() == "Oosterpark"
    assert dialog.rota_model.rowCount() == 2  # the rota went along
    assert [(t.name, t.residents) for t in world.service("anja").team_details()] == [("Noord-Oost", 1), ("Zuid", 1)]
    i18n.set_language("en")
    dialog.retranslate()
    assert dialog.message() == "✓ Team Noord is now called Noord-Oost"
    assert dialog.rename_button.text() == "&Rename" and "rota go with it" in dialog.rename_button.toolTip()


def test_removing_a_team_asks_where_its_residents_go(qtbot: QtBot, world: World) -> None:
    anja = world.service("anja")
    dialog = loaded_teams(qtbot, anja)
    assert dialog.remove_team()  # Noord: one resident, two shifts
    ask = dialog.remove_dialog
    assert ask is not None and ask.isVisible() and ask.windowModality() == Qt.WindowModality.WindowModal
    assert ask.question.text() == ("Team Noord heeft nog 1 bewoner(s). Bij welk team horen zij voortaan? "
                                   "Het rooster van Noord (2 diensten) verdwijnt.")
    assert [ask.move_to.itemText(i) for i in range(ask.move_to.count())] == ["Zuid", "(geen team)"]
    assert ask.move_to.isVisibleTo(ask) and ask.move_to.accessibleName() == "Team voor de bewoners"
    ask.reject()  # cancelled: nothing changes
    qtbot.waitUntil(lambda: dialog.remove_dialog is None, timeout=2000)
    assert [t.name for t in anja.team_details()] == ["Noord", "Zuid"]

    assert dialog.remove_team()
    ask = dialog.remove_dialog
    ask.move_to.setCurrentIndex(0)  # Zuid
    with qtbot.waitSignal(dialog.changed, timeout=5000), qtbot.waitSignal(dialog.loaded, timeout=5000):
        ask.buttons.button(ask.buttons.StandardButton.Ok).click()
    assert dialog.message() == "✓ Team Noord verwijderd; 1 bewoner(s) nu bij Zuid"
    assert [(t.name, t.residents) for t in anja.team_details()] == [("Zuid", 2)]
    assert anja.rota() == [] and dialog.current_team() == "Zuid"


def test_removing_an_empty_team_only_confirms_and_a_refusal_is_shown(qtbot: QtBot, world: World) -> None:
    anja = world.service("anja")
    anja.save_team("West", "Bos en Lommer")
    anja.save_team("Oost", "")
    dialog = loaded_teams(qtbot, anja)
    assert dialog.select_team("West") and dialog.remove_team()
    ask = dialog.remove_dialog
    assert not ask.move_to.isVisibleTo(ask)  # nobody to move
    assert ask.question.text() == ("Team West heeft geen bewoners. Verwijderen? "
                                   "Het rooster van het team (0 diensten) verdwijnt ook.")
    with qtbot.waitSignal(dialog.loaded, timeout=5000):
        ask.accept()
    assert dialog.message() == "✓ Team West verwijderd"
    assert [t.name for t in anja.team_details()] == ["Noord", "Oost", "Zuid"]

    # While the coordinator confirms, a colleague puts a resident in Oost: the service refuses to move
    # that resident silently, and the dialog says so in words.
    assert dialog.select_team("Oost") and dialog.remove_team()
    anja.set_resident_team("r2", "Oost")
    with qtbot.waitSignal(dialog.failed, timeout=5000):
        dialog.remove_dialog.accept()
    assert dialog.message().startswith("⚠ Niet gelukt: team Oost still has 1 resident(s)")
    assert [(t.name, t.residents) for t in anja.team_details()] == [("Noord", 1), ("Oost", 1)]  # Zuid: empty, no row
    assert dialog.remove_team_button.isEnabled()


def test_an_installer_is_refused_in_words_and_cannot_edit(qtbot: QtBot, world: World) -> None:
    dialog = open_teams(qtbot, world.service("ivo"))
    assert dialog.message().startswith("⚠ U mag teams en roosters niet inzien of wijzigen")
    assert not dialog.add_button.isEnabled() and not dialog.save_team_button.isEnabled()
    assert not dialog.rename_button.isEnabled() and not dialog.remove_team_button.isEnabled()
    assert dialog.teams_model.rowCount() == 0  # nothing was read
    dialog.may_edit = True  # even past the screen's own check, the service refuses
    with qtbot.waitSignal(dialog.failed, timeout=5000):
        dialog.reload()
    assert dialog.message().startswith("⚠ Niet toegestaan:")


def open_contacts(qtbot: QtBot, service: Service, rid: str = "r1", name: str = "Annie de Vries",
                  team: str = "Noord") -> ContactsDialog:
    ensure_application()
    dialog = ContactsDialog(service, rid, name, team)
    qtbot.addWidget(dialog)
    dialog.resize(760, 460)
    dialog.show()
    return dialog


def test_the_contact_list_is_edited_reordered_and_saved_with_the_team(qtbot: QtBot, world: World, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    dialog = open_contacts(qtbot, world.service("anja"))
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2, timeout=5000)
    qtmodeltester.check(dialog.model)
    assert dialog.team.currentText() == "Noord"
    assert [dialog.model.index(0, c).data() for c in range(4)] == ["Els de Vries", "dochter", "06-12345678",
                                                                  "altijd eerst"]
    assert dialog.model.headerData(0, Qt.Orientation.Vertical) == "1"
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=3000)
    dialog.add_contact()  # a new row at the end, its name cell open for typing
    model = dialog.model
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.table.viewport().findChild(QLineEdit), timeout=3000)
    editor = QApplication.focusWidget()
    qtbot.keyClicks(editor, "Buurman Piet")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: model.index(2, 0).data() == "Buurman Piet", timeout=3000)  # committed (queued)
    for col, value in enumerate(("buurman", "+31 20 555 0101", "heeft een sleutel"), start=1):
        assert model.setData(model.index(2, col), value)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)  # one place up: second
    assert [c.name for c in model.contacts()] == ["Els de Vries", "Buurman Piet", "Huisarts Oost"]
    dialog.table.setCurrentIndex(model.index(0, 0))
    assert dialog.move_contact(1) and not dialog.move_contact(5)
    assert [c.name for c in model.contacts()] == ["Buurman Piet", "Els de Vries", "Huisarts Oost"]
    dialog.table.setCurrentIndex(model.index(2, 0))
    assert dialog.remove_contact()
    dialog.team.setEditText("West")  # a new team, created on save
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        assert dialog.save()
    stored = world.service("anja").contacts("r1")
    assert [(c.position, c.name, c.phone, c.note) for c in stored] == [
        (1, "Buurman Piet", "+31 20 555 0101", "heeft een sleutel"), (2, "Els de Vries", "06-12345678", "altijd eerst")]
    assert {r.resident_id: r.team for r in world.service("anja").overview()}["r1"] == "West"


@pytest.mark.parametrize(("name", "phone", "message"), [
    ("", "06-1", "⚠ Contactpersoon 3 heeft nog geen naam."),
    ("Piet", "bel de buren", "⚠ Het telefoonnummer van Piet klopt niet"),
])
def test_a_wrong_contact_is_explained_and_nothing_is_stored(qtbot: QtBot, world: World, name: str, phone: str,
                                                            message: str) -> None:
    dialog = open_contacts(qtbot, world.service("anja"))
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2, timeout=5000)
    dialog.add_contact()
    dialog.model.setData(dialog.model.index(2, 0), name)
    dialog.model.setData(dialog.model.index(2, 2), phone)
    assert not dialog.save()
    assert dialog.message().startswith(message) and dialog.isVisible()
    assert len(world.service("anja").contacts("r1")) == 2


def test_an_installer_gets_a_refusal_not_a_crash(qtbot: QtBot, world: World) -> None:
    dialog = open_contacts(qtbot, world.service("ivo"))
    assert dialog.message().startswith("⚠ U mag de contactpersonen niet inzien")
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Save).isEnabled()
    dialog.may_edit = True
    with qtbot.waitSignal(dialog.failed, timeout=5000):
        dialog.reload()
    assert dialog.message().startswith("⚠ Niet toegestaan:")


def test_menu_entries_follow_the_role_and_the_detail_opens_the_contact_list(qtbot: QtBot, world: World, rows) -> None:  # type: ignore[no-untyped-def]
    ensure_application()
    installer = MainWindow(MemorySource(rows), clock=world.clock, service=world.service("ivo"))
    qtbot.addWidget(installer)
    ws = installer.workspace
    assert ws is not None and not ws.teams_action.isEnabled() and not ws.contacts_action.isEnabled()
    assert ws.teams_action.toolTip().startswith("Alleen voor zorgcoördinatoren")
    assert not installer.detail_view.contacts_button.isVisibleTo(installer)
    ws.open_teams()
    assert ws.teams_dialog is None

    window = MainWindow(MemorySource(rows), clock=world.clock, service=world.service("anja"))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.detail_view.detail() is not None, timeout=5000)
    ws = window.workspace
    assert ws is not None and ws.teams_action.isEnabled() and ws.team_menu.title() == "&Team"
    assert window.detail_view.contacts_button.isVisible()
    window.detail_view.contacts_button.click()
    assert ws.contacts_dialog is not None
    assert ws.contacts_dialog.resident_id == window.selected_resident_id()
    ws.contacts_dialog.reject()
    ws.open_teams()
    assert ws.teams_dialog is not None and ws.teams_dialog.isVisible()
    ws.teams_dialog.reject()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_screenshots_of_the_team_dialogs(qtbot: QtBot, world: World, language: str) -> None:
    i18n.set_language(language)
    teams = loaded_teams(qtbot, world.service("anja"))
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"teams_rota_{language}.png"
    assert teams.grab().save(str(path)) and not QImage(str(path)).isNull()
    assert teams.remove_team()
    ask = teams.remove_dialog
    qtbot.waitExposed(ask)
    path = SCREENSHOTS / f"teams_remove_{language}.png"
    assert ask.grab().save(str(path)) and not QImage(str(path)).isNull()
    ask.reject()
    contacts = open_contacts(qtbot, world.service("anja"))
    qtbot.waitSignal(contacts.loaded, timeout=5000)
    qtbot.waitUntil(lambda: contacts.model.rowCount() == 2, timeout=5000)
    path = SCREENSHOTS / f"contacts_{language}.png"
    assert contacts.grab().save(str(path)) and not QImage(str(path)).isNull()
    assert contacts.windowTitle() == ("Team en contactpersonen — Annie de Vries" if language == "nl"
                                      else "Team and contacts — Annie de Vries")
