"""The installer menu's later-visit, commissioning-record and profile-builder entries in the main window:
for installers and administrators only, each opening its dialog on the selected resident."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from slimmaatwerk.gui.commissioning_dialog import CommissioningDialog
from slimmaatwerk.gui.profile_builder_dialog import ProfileBuilderDialog
from slimmaatwerk.gui.visits_dialog import VisitsDialog
from slimmaatwerk.localtime import ms
from slimmaatwerk.profiles.user_profiles import user_profiles_dir
from slimmaatwerk.storage import accounts
from tests.gui.gui_sampledata import NOW
from tests.gui.test_workspace import World, open_window, world  # noqa: F401 - fixture

pytestmark = pytest.mark.gui


def test_the_installer_menu_opens_the_visit_records_and_builder_dialogs(qtbot: QtBot, world: World) -> None:  # noqa: F811
    coordinator = open_window(qtbot, world, "anja")
    actions = coordinator.workspace.installer_actions
    assert [a.isEnabled() for a in (actions.visit_action, actions.records_action, actions.builder_action)] == \
        [False, False, False]
    assert actions.visit_action.toolTip() == "Alleen voor installateurs."
    assert actions.open_visit() is None
    titles = [a.text() for a in coordinator.workspace.installer_menu.actions()]
    assert titles[1:] == ["Later bezoek…", "Ingebruiknameverslagen…", "Profielbouwer…"]

    installer_only = open_window(qtbot, world, "ivo", wait=False)
    assert installer_only.workspace.installer_actions.records_action.isEnabled()
    with world.db.begin() as conn:  # an installer who also coordinates sees the overview and selects
        accounts.create_user(conn, "mix", "Mia Mix", "coordinator,installer", ms(NOW), all_residents=True)
    installer = open_window(qtbot, world, "mix")
    actions = installer.workspace.installer_actions
    assert installer.select_resident("r2")
    actions.visit_action.trigger()
    visit = actions.dialog
    assert isinstance(visit, VisitsDialog) and visit.isVisible()
    qtbot.waitUntil(lambda: visit.resident.count() == 3 and not visit.runner.in_flight(), timeout=5000)
    assert visit.resident_id() == "r2" and visit.status.text() == "Geen sensoren in deze woning."
    actions.records_action.trigger()  # one installer dialog at a time
    records = actions.dialog
    assert isinstance(records, CommissioningDialog) and not visit.isVisible()
    qtbot.waitUntil(lambda: records.resident.count() == 3 and not records.runner.in_flight(), timeout=5000)
    assert records.resident.currentData() == "r2"
    actions.builder_action.trigger()
    builder = actions.dialog
    assert isinstance(builder, ProfileBuilderDialog)
    qtbot.waitUntil(lambda: not builder.busy, timeout=5000)  # the home's broker is looked up off the UI thread
    assert builder.broker.text() == ""  # r2's home has no commissioning record: no broker to fill in
    assert builder.user_dir == user_profiles_dir(world.data_dir) and builder.capture_button.isEnabled()
    installer.switch_language("en")
    assert actions.visit_action.text() == "Later visit…" and builder.windowTitle() == "Profile builder"
    builder.reject()
    assert actions.dialog is None
