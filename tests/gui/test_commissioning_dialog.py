"""The commissioning-records dialog (pytest-qt, offscreen, real SQLite): list, open read-only, a new
version from an old one with edited answers (history kept), the PDF exported again, wrong input and
no permission; screenshots in Dutch and English."""

from __future__ import annotations

import subprocess
from datetime import timedelta
from pathlib import Path

import pytest

from slimmaatwerk.gui import i18n
from slimmaatwerk.gui.commissioning_dialog import CommissioningDialog, RecordsModel
from slimmaatwerk.pairing.installer import Installer
from tests.pairing.conftest import NOW, clock, registry, world  # noqa: F401 - fixtures
from tests.pairing.test_commissioning import record

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"
DOOR = "zigbee:0x00124b0022aa0002"


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'gui.db'}"


@pytest.fixture
def recorded(world):  # noqa: F811
    for device in record().devices:
        world.installer.pair(device.id, "r1", device.room, device.placement, name=device.name,
                             profile=device.profile, when=NOW - timedelta(days=3))
    world.installer.save_record(record())
    return world


def shot(dialog: CommissioningDialog, name: str, language: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"commissioning_{name}_{language}.png"
    assert dialog.grab().save(str(path))
    assert path.stat().st_size > 5_000


def settle(qtbot, dialog: CommissioningDialog) -> None:
    qtbot.waitUntil(lambda: not dialog.runner.in_flight() and not dialog.busy, timeout=15_000)


def opened(qtbot, installer: Installer) -> CommissioningDialog:
    dialog = CommissioningDialog(installer, "r1")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.resident.count() > 0, timeout=10_000)
    settle(qtbot, dialog)
    return dialog


@pytest.mark.parametrize("language", ["nl", "en"])
def test_open_revise_and_export_a_record(qtbot, recorded, tmp_path: Path, language: str) -> None:
    i18n.set_language(language)
    dialog = opened(qtbot, recorded.installer)
    assert dialog.model.rowCount() == 1
    shot(dialog, "1_list", language)
    dialog.open_selected()
    settle(qtbot, dialog)
    html = dialog.view.text()
    assert "Anna Jansen (dochter)" in html and "voordeur" in html and "2026-03-02 10:12" in html
    assert ("batterij bijna leeg (12 %)" if language == "nl" else "battery low (12 %)") in html
    shot(dialog, "2_view", language)

    recorded.visits.move(DOOR, "hall", "", when=NOW - timedelta(hours=1))
    dialog.tabs.setCurrentIndex(0)
    dialog.start_version()
    settle(qtbot, dialog)
    assert dialog.tabs.currentIndex() == 2
    assert dialog.inputs["purpose"].toPlainText().startswith("Vroegtijdig")
    dialog.inputs["purpose"].setPlainText("")  # wrong input: the answer is required
    dialog.save_version()
    assert ("Vul dit in" if language == "nl" else "Please fill this in") in dialog.status.text()
    dialog.inputs["purpose"].setPlainText("Dwalen 's nachts signaleren")
    dialog.inputs["consent_given"].setChecked(False)
    dialog.save_version()
    assert ("toestemming" if language == "nl" else "consent") in dialog.status.text().lower()
    dialog.inputs["consent_given"].setChecked(True)
    dialog.inputs["notes"].setPlainText("Voordeur-sensor naar de gang.")
    shot(dialog, "3_new_version", language)
    dialog.save_version()
    settle(qtbot, dialog)
    assert dialog.record is not None and dialog.record.version == 2
    assert "Dwalen" in dialog.view.text() and ("niet getest" if language == "nl" else "not tested") in \
        dialog.view.text()
    assert [v for _id, v, _s, _at in recorded.installer.records("r1")] == [1, 2]
    assert recorded.installer.open_record(recorded.installer.records("r1")[0][0]).privacy.purpose.startswith(
        "Vroegtijdig")  # the first version is unchanged
    shot(dialog, "4_saved", language)

    settle(qtbot, dialog)
    dialog.tabs.setCurrentIndex(0)
    pdf = tmp_path / "again.pdf"
    dialog.open_selected(f"export:{pdf}")
    settle(qtbot, dialog)
    assert pdf.stat().st_size > 5_000 and str(pdf) in dialog.status.text()
    words = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Dwalen" in words and ("Versie 2" if language == "nl" else "Version 2") in words


def test_no_records_and_no_permission_are_said_in_words(qtbot, recorded) -> None:
    dialog = opened(qtbot, recorded.installer)
    dialog.resident.setCurrentIndex(dialog.resident.findData("r2"))
    settle(qtbot, dialog)
    assert dialog.model.rowCount() == 0 and dialog.status.text() == "Nog geen verslag voor deze bewoner."
    dialog.open_selected()
    assert dialog.status.text() == "Kies eerst een verslag."
    denied = opened(qtbot, Installer(recorded.coordinator))
    denied.start_version()
    settle(qtbot, denied)
    denied.save_version()
    settle(qtbot, denied)
    assert denied.status.text() == "U mag dit niet voor deze bewoner."
    assert len(recorded.installer.records("r1")) == 1
    shot(denied, "5_denied", "nl")


def test_the_records_model_passes_the_qt_model_tester(qtmodeltester) -> None:
    model = RecordsModel()
    model.set_records([(1, 1, "incomplete", "2026-03-02T10:24:00+01:00"), (2, 2, "complete", "2026-03-09T11:00:00+01:00")])
    assert model.data(model.index(0, 0)) == "2"
    qtmodeltester.check(model)
