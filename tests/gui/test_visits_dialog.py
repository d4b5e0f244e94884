"""The later-visit dialog walked through every action (pytest-qt, offscreen, real SQLite): the home's
sensors, each change said in words before it happens, wrong input, no permission; screenshots in
Dutch and English."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from slimmaatwerk.gui import i18n
from slimmaatwerk.gui.qt import QItemSelectionModel
from slimmaatwerk.gui.visits_dialog import HomeDevicesModel, VisitsDialog
from slimmaatwerk.localtime import ms
from slimmaatwerk.pairing.installer import Installer
from slimmaatwerk.pairing.visits import HomeDevice
from slimmaatwerk.storage import device_state
from slimmaatwerk.storage import devices as device_store
from tests.pairing.conftest import NOW, clock, registry, world  # noqa: F401 - fixtures

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"
PIR, DOOR, BATH = "zigbee:0x00158d0001a2b301", "zigbee:0x00124b0022aa0002", "zigbee:0x00158d0001a2b303"
SPARE = "zigbee:0x00158d0001a2b3ff"


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'gui.db'}"


@pytest.fixture
def home(world):  # noqa: F811
    day = timedelta(days=1)
    world.installer.pair(PIR, "r1", "kitchen", "", name="keuken_pir", profile="z2m.aqara.rtcgq11lm", when=NOW - 9 * day)
    world.installer.pair(DOOR, "r1", "entrance", "front_door", name="voordeur", profile="z2m.sonoff.snzb04",
                         when=NOW - 9 * day)
    world.installer.pair(BATH, "r1", "bathroom", "", name="badkamer_klimaat", profile="z2m.aqara.wsdcgq11lm",
                         when=NOW - 9 * day)
    with world.db.begin() as conn:
        ids = device_store.device_ids_by_identity(conn)
        device_state.save(conn, [(ids[PIR], "battery", 91.0, ms(NOW) - 600_000, ms(NOW) - 600_000),
                                 (ids[DOOR], "battery", 12.0, ms(NOW - 2 * day), ms(NOW - 2 * day))])
    return world


def shot(dialog: VisitsDialog, name: str, language: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"visits_{name}_{language}.png"
    assert dialog.grab().save(str(path))
    assert path.stat().st_size > 5_000


def opened(qtbot, installer: Installer, clock, resident: str = "r1") -> VisitsDialog:  # noqa: F811
    dialog = VisitsDialog(installer, clock, resident)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog.busy and dialog.resident.count() > 0, timeout=10_000)
    qtbot.waitUntil(lambda: not dialog.runner.in_flight(), timeout=10_000)
    return dialog


def select(dialog: VisitsDialog, *identities: str) -> None:
    dialog.table.clearSelection()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row, device in enumerate(dialog.model.items()):
        if device.identity in identities:
            dialog.table.selectionModel().select(dialog.model.index(row, 0), flags)


def settle(qtbot, dialog: VisitsDialog) -> None:
    qtbot.waitUntil(lambda: not dialog.runner.in_flight() and not dialog.busy, timeout=10_000)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_visit_action_is_confirmed_in_words_then_done(qtbot, home, clock, language: str) -> None:  # noqa: F811
    i18n.set_language(language)
    dialog = opened(qtbot, home.installer, clock)
    assert [d.identity for d in dialog.model.items()] == [BATH, PIR, DOOR]  # by name
    assert dialog.model.data(dialog.model.index(2, 3)) == "12 %"
    assert ("stil" if language == "nl" else "silent") in dialog.model.data(dialog.model.index(2, 4))
    shot(dialog, "1_home", language)

    dialog.propose("move")  # nothing selected
    assert dialog.status.text() == dialog.status.text() and not dialog.confirm_box.isVisible()
    assert ("Kies eerst één sensor" if language == "nl" else "Choose one sensor") in dialog.status.text()
    select(dialog, PIR)
    dialog.move_room.setCurrentIndex(dialog.move_room.findData("living"))
    dialog.move_placement.setText("Front Door!")
    dialog.propose("move")
    assert "placement" in dialog.status.text().lower() or "plaats" in dialog.status.text().lower()
    dialog.move_placement.setText("chair")
    dialog.propose("move")
    expected = ("Vanaf vandaag 10:00 tellen de gebeurtenissen van sensor keuken_pir voor de woonkamer (chair); "
                "eerdere gebeurtenissen blijven bij de keuken.") if language == "nl" else \
        ("From today 10:00 the events of sensor keuken_pir count for the living room (chair); earlier events "
         "stay with the kitchen.")
    assert dialog.plan.text() == expected and dialog.confirm_box.isVisible()
    shot(dialog, "2_move_confirm", language)
    dialog.cancel_plan()  # nothing happened
    assert {d.identity: d.room for d in home.visits.home("r1")}[PIR] == "kitchen"
    dialog.propose("move")
    clock.advance(timedelta(minutes=5))
    dialog.confirm()
    settle(qtbot, dialog)
    assert {d.identity: d.room for d in home.visits.home("r1")}[PIR] == "living"
    assert "keuken_pir" in dialog.status.text()

    dialog.tabs.setCurrentIndex(1)
    select(dialog, DOOR)
    dialog.propose("replace")  # no new device named
    assert not dialog.confirm_box.isVisible()
    dialog.new_device.setCurrentText(SPARE)
    dialog.propose("replace")
    assert SPARE in dialog.plan.text()
    shot(dialog, "3_replace_confirm", language)
    clock.advance(timedelta(minutes=5))
    dialog.confirm()
    settle(qtbot, dialog)
    assert {d.identity for d in dialog.model.items()} == {BATH, PIR, SPARE}

    dialog.tabs.setCurrentIndex(2)
    select(dialog, BATH, SPARE)
    dialog.target.setCurrentIndex(dialog.target.findData("r2"))
    dialog.propose("reuse")
    assert "Dhr. Bakker" in dialog.plan.text() and "badkamer_klimaat" in dialog.plan.text()
    shot(dialog, "4_reuse_confirm", language)
    clock.advance(timedelta(minutes=5))
    dialog.confirm()
    settle(qtbot, dialog)
    assert [d.identity for d in home.visits.home("r2")] == [BATH, SPARE]

    dialog.tabs.setCurrentIndex(3)
    dialog.propose("end_care")
    assert ("1 sensoren" if language == "nl" else "1 sensors") in dialog.plan.text()
    shot(dialog, "5_end_care_confirm", language)
    clock.advance(timedelta(minutes=5))
    dialog.confirm()
    settle(qtbot, dialog)
    assert dialog.model.items() == [] and home.visits.home("r1") == []
    assert ("vrij" if language == "nl" else "free") in dialog.status.text()
    shot(dialog, "6_after_end_care", language)


def test_a_change_the_core_refuses_is_shown_and_nothing_changes(qtbot, home, clock) -> None:  # noqa: F811
    dialog = opened(qtbot, home.installer, clock)
    select(dialog, PIR)
    dialog.propose("move")
    home.visits.reuse(PIR, "r2", "kitchen")  # someone else re-used it meanwhile: no longer this home's
    dialog.confirm()
    settle(qtbot, dialog)
    assert "not assigned" in dialog.status.text() or "after the current" in dialog.status.text()
    assert [d.identity for d in home.visits.home("r2")] == [PIR]


def test_without_permission_every_change_is_refused_in_words(qtbot, home, clock) -> None:  # noqa: F811
    dialog = opened(qtbot, Installer(home.coordinator), clock)
    assert len(dialog.model.items()) == 3  # a coordinator may look
    select(dialog, PIR)
    dialog.propose("move")
    dialog.confirm()
    settle(qtbot, dialog)
    assert dialog.status.text() == "U mag dit niet voor deze bewoner."
    assert {d.identity: d.room for d in home.visits.home("r1")}[PIR] == "kitchen"
    shot(dialog, "7_denied", "nl")


def test_the_devices_model_passes_the_qt_model_tester(qtmodeltester, clock) -> None:  # noqa: F811
    model = HomeDevicesModel(clock)
    model.set_items([HomeDevice(PIR, "keuken_pir", "p", "kitchen", "", ms(NOW), 80.0, ms(NOW), True),
                       HomeDevice(DOOR, DOOR, "p", "entrance", "front_door", ms(NOW), None, None, None)])
    qtmodeltester.check(model)
