"""Privacy screens: login dialog, access-log viewer, transparency view (offscreen, nl and en screenshots)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text as sql

from slimmaatwerk.gui import i18n
from slimmaatwerk.gui.audit_viewer import AuditViewer
from slimmaatwerk.gui.login_dialog import LoginDialog
from slimmaatwerk.gui.transparency_view import TransparencyView
from slimmaatwerk.localtime import ms
from slimmaatwerk.privacy_service import login
from slimmaatwerk.protection import assess
from slimmaatwerk.service import Service
from slimmaatwerk.storage import accounts
from tests.privacy.conftest import NOW, open_db

SHOTS = Path(__file__).parents[1] / "screenshots"


@pytest.fixture
def admin(tmp_path: Path, clock) -> Iterator[Service]:  # type: ignore[no-untyped-def]
    db = open_db(f"sqlite:///{tmp_path / 'slimmaatwerk.db'}")
    with db.begin() as conn:
        user = accounts.create_user(conn, "beheer", "Beheer", "admin,coordinator", ms(NOW), all_residents=True)
    service = Service(db, user, clock)
    service.add_resident("r1", "Mevr. Jansen")
    service.privacy.add_relative("r1", "Anna", "dochter")
    service.privacy.add_relative("r1", "Bram", "zoon")
    service.privacy.record_consent("r1", "Anna", ["week", "sleep", "meals"], True, "resident")
    service.privacy.add_user("anna", "Anna Jansen", "family", residents=("r1",), relative="Anna",
                             password="dochter-wachtwoord")
    service.resident_detail("r1")
    yield service
    db.dispose()


def _shot(widget, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(exist_ok=True)
    assert widget.grab().save(str(SHOTS / name))


@pytest.mark.parametrize("language", ["nl", "en"])
def test_login_dialog_signs_in_and_refuses_a_wrong_password(qtbot, admin: Service, language: str) -> None:
    i18n.set_language(language)
    dialog = LoginDialog(lambda u, p: login(admin.db, u, p, admin.clock),
                         banner=assess(admin.db.engine).reason[language])
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.user.setText("anna")
    dialog.password.setText("fout-wachtwoord")
    dialog.attempt()
    assert dialog.service is None and dialog.password.text() == ""
    assert dialog.message.text() == {"nl": "Onbekende gebruikersnaam of verkeerd wachtwoord.",
                                     "en": "Unknown user name or wrong password."}[language]
    expected = assess(admin.db.engine).reason[language]  # "not protected" unless a keyring is installed
    assert dialog.banner.text() == expected and expected.startswith(("niet beveiligd", "not protected",
                                                                     "beveiligd", "protected"))
    _shot(dialog, f"privacy_login_{language}.png")
    dialog.password.setText("dochter-wachtwoord")
    dialog.attempt()
    assert dialog.service is not None and dialog.service.actor.username == "anna"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_audit_viewer_lists_verifies_and_exports(qtbot, admin: Service, language: str, tmp_path: Path) -> None:
    i18n.set_language(language)
    viewer = AuditViewer(admin, assess(admin.db.engine).reason[language])
    qtbot.addWidget(viewer)
    viewer.resize(900, 420)
    viewer.show()
    viewer.load()
    assert viewer.table.rowCount() == len(viewer.entries) > 5
    assert viewer.verify() and viewer.status.text().startswith("Intact")
    _shot(viewer, f"privacy_audit_viewer_{language}.png")
    assert viewer.export_to(tmp_path / "log.json") == len(viewer.entries)
    with admin.db.begin() as conn:
        conn.execute(sql("UPDATE access_log SET detail = 'weg' WHERE id = 2"))
    assert not viewer.verify()
    assert "#2" in viewer.status.text() and viewer.status.text().startswith(
        "Niet intact" if language == "nl" else "Broken")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_transparency_view_names_every_role_and_relative(qtbot, admin: Service, language: str) -> None:
    i18n.set_language(language)
    view = TransparencyView(admin, "r1", "Mevr. Jansen")
    qtbot.addWidget(view)
    view.resize(760, 300)
    view.show()
    view.load()
    rows = dict(view.row_texts())
    if language == "nl":
        assert rows["Anna (dochter)"] == "hoe de week ging, slapen en nachten, maaltijden en keuken"
        assert rows["Bram (zoon)"] == "niets, tot er toestemming is"
        assert "gezondheidssignalen" not in rows["Installateur"] and "sensoren" in rows["Installateur"]
    else:
        assert rows["Bram (zoon)"] == "nothing until consent is given"
        assert "health signals" in rows["Care coordinator"]
    _shot(view, f"privacy_transparency_{language}.png")
