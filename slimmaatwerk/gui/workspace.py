"""What the main window adds around the residents overview when it has the command-side service facade.

Tabs (residents, alert inbox), the escalation banner, the settings dialog and the installer's pairing
wizard. What a user gets follows the facade's permissions: the inbox and the banner need
``handle_alerts``, the pairing wizard ``manage_devices``, the privacy menu (access-log viewer, and who
sees what of the selected resident) ``read_audit``, the Team menu (teams and rota, a resident's team
and contact list) ``handle_alerts``, and the settings dialog edits the escalation policy only for users
who may both read it and change it (``manage_database``); coordinators see it read-only. Service calls
run off the UI thread: the inbox and the banner have their own runners, the pairing flow is prepared
on the window's.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from slimmaatwerk.clock import Clock
from slimmaatwerk.gui.audit_viewer import AuditViewer
from slimmaatwerk.gui.contacts_dialog import ContactsDialog
from slimmaatwerk.gui.escalation_banner import EscalationBanner
from slimmaatwerk.gui.i18n import current_language, tr
from slimmaatwerk.gui.inbox import InboxPanel
from slimmaatwerk.gui.installer_actions import InstallerActions
from slimmaatwerk.gui.pairing_wizard import PairingWizard
from slimmaatwerk.gui.privacy_strings import text
from slimmaatwerk.gui.qt import QAction, QFileDialog, QKeySequence, QMenu, QObject, Qt, QTabWidget, QWidget
from slimmaatwerk.gui.settings_dialog import SettingsDialog
from slimmaatwerk.gui.teams_dialog import TeamsDialog
from slimmaatwerk.gui.transparency_view import TransparencyView
from slimmaatwerk.gui.workers import BackgroundRunner
from slimmaatwerk.pairing.flow import PairingFlow
from slimmaatwerk.pairing.forms import Result
from slimmaatwerk.pairing.home_broker import tls_files
from slimmaatwerk.pairing.installer import Installer
from slimmaatwerk.pairing.tools import MqttTools
from slimmaatwerk.permissions import allowed
from slimmaatwerk.profiles.user_profiles import load_library, user_profiles_dir
from slimmaatwerk.protection import assess
from slimmaatwerk.service import Service

if TYPE_CHECKING:
    from slimmaatwerk.gui.main_window import MainWindow


def make_pairing_flow(service: Service, clock: Clock, data_dir: Path | None = None) -> PairingFlow:
    """The wizard's flow over the real broker tools (reads the device profiles: run it off the UI thread).

    With a data folder, the installer's own profiles (profile builder) are offered beside the built-ins.
    """
    registry = load_library(user_profiles_dir(data_dir) if data_dir is not None else None).registry
    return PairingFlow(Installer(service, registry), registry, MqttTools(registry, clock), clock,
                       tls=tls_files(data_dir))


class Workspace(QObject):
    """Owns the tabs, the inbox, the banner and the settings and installer actions of one main window."""

    def __init__(self, window: MainWindow, residents: QWidget, service: Service, *, data_dir: Path | None,
                 clock: Clock, runner: BackgroundRunner, demo: bool,
                 on_failure: Callable[[BaseException], None]) -> None:
        super().__init__(window)
        self._window, self._service, self._data_dir = window, service, data_dir
        self._clock, self._runner, self._demo, self._on_failure = clock, runner, demo, on_failure
        self.pairing_wizard: PairingWizard | None = None
        self.settings_dialog: SettingsDialog | None = None

        self.tabs = QTabWidget()
        self.tabs.setObjectName("workspaceTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(residents, "")
        self.inbox: InboxPanel | None = None
        self.banner: EscalationBanner | None = None
        if allowed(service.roles, "handle_alerts"):
            self.inbox = InboxPanel(service, me=service.actor.display_name, clock=clock)
            self.tabs.addTab(self.inbox, "")
            self.banner = EscalationBanner(service)
            self.banner.open_inbox.connect(self.show_inbox)
            self.inbox.action_done.connect(self._after_action)
            self.inbox.loaded.connect(self._show_tab_texts)

        self.settings_action = QAction(self)
        # The platform's own key where it has one (macOS, KDE); Windows and GNOME have none: Ctrl+, then.
        keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Preferences) or [QKeySequence("Ctrl+,")]
        self.settings_action.setShortcuts(keys)
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.settings_action.triggered.connect(self.open_settings)
        self.settings_action.setEnabled(data_dir is not None)
        self.installer_menu = QMenu(window)
        self.installer_menu.setToolTipsVisible(True)
        self.may_pair = allowed(service.roles, "manage_devices")
        self.pair_action = QAction(self)
        self.pair_action.setEnabled(self.may_pair)
        self.pair_action.triggered.connect(self.open_pairing)
        self.installer_menu.addAction(self.pair_action)
        self.installer_actions = InstallerActions(
            self.installer_menu, window, service, clock, data_dir, window.selected_resident_id, window.refresh,
            self._mark_demo)

        # Ownership: teams and rota, and a resident's team and contact list (the facade checks again).
        self.may_handle = allowed(service.roles, "handle_alerts")
        self.teams_dialog: TeamsDialog | None = None
        self.contacts_dialog: ContactsDialog | None = None
        self.team_menu = QMenu(window)
        self.team_menu.setToolTipsVisible(True)
        self.teams_action, self.contacts_action = QAction(self), QAction(self)
        self.teams_action.triggered.connect(self.open_teams)
        self.contacts_action.triggered.connect(lambda: self.open_contacts())
        for action in (self.teams_action, self.contacts_action):
            action.setEnabled(self.may_handle)
            self.team_menu.addAction(action)
        window.detail_view.contacts_requested.connect(self.open_contacts)

        # The privacy officer's screens: only for users who may read the access log (the facade checks
        # again on every call). Each opens as its own window; the list is fetched off the UI thread.
        self.audit_viewer: AuditViewer | None = None
        self.transparency_view: TransparencyView | None = None
        self.privacy_menu: QMenu | None = None
        self.audit_action = QAction(self)
        self.audit_action.triggered.connect(self.open_audit_viewer)
        self.transparency_action = QAction(self)
        self.transparency_action.triggered.connect(self.open_transparency)
        if allowed(service.roles, "read_audit"):
            self.privacy_menu = QMenu(window)
            self.privacy_menu.addAction(self.audit_action)
            self.privacy_menu.addAction(self.transparency_action)

    # -- what the main window calls ------------------------------------------------------------------
    def reload(self) -> None:
        """Ask the service again for the inbox and what needs attention (each on its own worker)."""
        if self.inbox is not None and self.banner is not None:
            self.inbox.reload()
            self.banner.reload()

    def retranslate(self) -> None:
        self._show_tab_texts()
        self.settings_action.setText(tr("action.settings"))
        self.installer_menu.setTitle(tr("menu.installer"))
        self.pair_action.setText(tr("action.pair"))
        denied = "" if self.may_pair else tr("action.pair.denied")
        self.pair_action.setToolTip(denied)
        self.pair_action.setStatusTip(denied)
        self.installer_actions.retranslate()
        self.team_menu.setTitle(tr("menu.team"))
        self.teams_action.setText(tr("action.teams"))
        self.contacts_action.setText(tr("action.contacts"))
        for action in (self.teams_action, self.contacts_action):
            action.setToolTip("" if self.may_handle else tr("action.teams.denied"))
            action.setStatusTip("" if self.may_handle else tr("action.teams.denied"))
        for dialog in (self.teams_dialog, self.contacts_dialog):
            if dialog is not None:
                dialog.retranslate()
        if self.privacy_menu is not None:
            self.privacy_menu.setTitle(text("menu.privacy"))
        self.audit_action.setText(text("action.access_log"))
        self.transparency_action.setText(text("action.who_sees"))
        for view in (self.audit_viewer, self.transparency_view):
            if view is not None:
                view.retranslate()
                view.setWindowTitle(view.title.text())
                self._mark_demo(view)
        if self.inbox is not None and self.banner is not None:
            self.inbox.retranslate()
            self.banner.retranslate()

    def shutdown(self) -> None:
        if self.pairing_wizard is not None:
            self.pairing_wizard.reject()  # cancels the flow: stops a running walk test
        self.installer_actions.shutdown()
        for view in (self.audit_viewer, self.transparency_view, self.teams_dialog, self.contacts_dialog):
            if view is not None:
                view.close()
        if self.inbox is not None and self.banner is not None:
            self.inbox.shutdown()
            self.banner.shutdown()

    # -- tabs ----------------------------------------------------------------------------------------
    def show_inbox(self) -> None:
        if self.inbox is not None:
            self.tabs.setCurrentWidget(self.inbox)
            self.inbox.table.setFocus()

    def _show_tab_texts(self) -> None:
        self.tabs.setTabText(0, tr("workspace.tab.residents"))
        if self.inbox is not None:
            n = self.inbox.model.rowCount()
            self.tabs.setTabText(1, tr("workspace.tab.inbox_count", n=n) if n else tr("workspace.tab.inbox"))

    def _after_action(self, _action: str) -> None:
        # The inbox reloads itself; the action moved the data's watermark, so the window's refresh
        # reloads the overview (alert counts) and the banner now rather than at the next poll.
        self._window.refresh()

    # -- dialogs -------------------------------------------------------------------------------------
    def _mark_demo(self, widget: QWidget) -> None:
        if self._demo:
            widget.setWindowTitle(f"{widget.windowTitle()} — DEMO")

    def open_settings(self) -> None:
        if self._data_dir is None:
            return
        roles = self._service.roles
        # Coordinators see the escalation settings read-only; only an administrator who handles alerts
        # may change them (the facade checks again); others do not see them at all.
        if not allowed(roles, "handle_alerts"):
            access = "none"
        else:
            access = "edit" if allowed(roles, "manage_database") else "read"
        dialog = SettingsDialog(self._data_dir, self._service, self._window, escalation_access=access)
        dialog.language_changed.connect(self._window.switch_language)
        self._mark_demo(dialog)
        self.settings_dialog = dialog
        try:
            dialog.exec()
        finally:
            self.settings_dialog = None
            dialog.deleteLater()

    def _dialog_window(self, dialog: QWidget, size: tuple[int, int]) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self._mark_demo(dialog)
        dialog.resize(*size)
        dialog.show()

    def open_teams(self) -> None:
        if not self.may_handle:
            return
        if self.teams_dialog is not None:
            self.teams_dialog.raise_()
            return
        dialog = TeamsDialog(self._service, self._window)
        dialog.changed.connect(self._window.refresh)  # teams and districts regroup the overview
        dialog.finished.connect(lambda _r: setattr(self, "teams_dialog", None))
        self.teams_dialog = dialog
        self._dialog_window(dialog, (1020, 600))

    def open_contacts(self, resident_id: str | None = None) -> None:
        resident_id = resident_id or self._window.selected_resident_id()
        if not self.may_handle or resident_id is None:
            return
        if self.contacts_dialog is not None:
            self.contacts_dialog.close()
        row = next((r for r in self._window.model.rows() if r.resident_id == resident_id), None)
        dialog = ContactsDialog(self._service, resident_id, row.name if row else resident_id,
                                row.team if row else "", self._window)
        dialog.saved.connect(lambda _rid: self._window.refresh())
        dialog.finished.connect(lambda _r: setattr(self, "contacts_dialog", None))
        self.contacts_dialog = dialog
        self._dialog_window(dialog, (760, 460))

    def open_pairing(self) -> None:
        if not self.pair_action.isEnabled():  # not allowed, or a wizard is already open or opening
            return
        service, clock, data_dir = self._service, self._clock, self._data_dir
        self.pair_action.setEnabled(False)  # one wizard at a time; enabled again when it closes
        def prepare() -> tuple[PairingFlow, Result]:
            flow = make_pairing_flow(service, clock, data_dir)
            return flow, flow.start()  # its first form lists the residents: a database read, done here

        self._runner.run("pairing", prepare, self._show_wizard, self._pairing_failed)

    def _show_wizard(self, prepared: tuple[PairingFlow, Result]) -> None:
        flow, started = prepared
        wizard = PairingWizard(flow, parent=self._window, user_profiles_dir=user_profiles_dir(self._data_dir)
                               if self._data_dir is not None else None, started=started)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.setWindowModality(Qt.WindowModality.WindowModal)
        self._mark_demo(wizard)
        wizard.finished.connect(self._wizard_closed)
        self.pairing_wizard = wizard
        wizard.show()

    def _wizard_closed(self, _result: int) -> None:
        self.pairing_wizard = None
        self.pair_action.setEnabled(True)
        self._window.refresh()  # a pairing changes devices, so the overview's sensor counts

    def _pairing_failed(self, error: BaseException) -> None:
        self.pair_action.setEnabled(True)
        self._on_failure(error)

    # -- privacy -------------------------------------------------------------------------------------
    def _privacy_window(self, view: QWidget) -> None:
        view.setParent(self._window, Qt.WindowType.Window)
        view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        view.setWindowTitle(view.title.text())  # type: ignore[attr-defined]
        self._mark_demo(view)
        view.resize(960, 520)
        view.show()
        view.raise_()
        view.activateWindow()

    def open_audit_viewer(self) -> None:
        if self.privacy_menu is None:
            return
        if self.audit_viewer is None:
            reason = assess(self._service.db.engine).reason  # encrypted at rest or not, said plainly
            viewer = AuditViewer(self._service, reason[current_language()])
            viewer.export_button.clicked.connect(self._export_audit)
            viewer.destroyed.connect(lambda: setattr(self, "audit_viewer", None))
            self.audit_viewer = viewer
            self._privacy_window(viewer)
        else:
            self.audit_viewer.raise_()
            self.audit_viewer.activateWindow()
        service = self._service
        self._runner.run("audit-log", lambda: service.privacy.export_audit(None), self._show_audit,
                         self._on_failure)

    def _show_audit(self, entries: list[dict]) -> None:
        if self.audit_viewer is not None:
            self.audit_viewer.entries = entries
            self.audit_viewer.retranslate()

    def _export_audit(self) -> None:
        if self.audit_viewer is None:
            return
        name, _ = QFileDialog.getSaveFileName(self.audit_viewer, text("audit.export"), "toegangslog.json",
                                              "JSON (*.json)")
        if name:
            self.audit_viewer.export_to(Path(name))

    def open_transparency(self) -> None:
        resident_id = self._window.selected_resident_id()
        if self.privacy_menu is None or resident_id is None:
            return
        name = next((r.name for r in self._window.model.rows() if r.resident_id == resident_id), resident_id)
        if self.transparency_view is not None:
            self.transparency_view.close()
        view = TransparencyView(self._service, resident_id, name)
        view.destroyed.connect(lambda: setattr(self, "transparency_view", None))
        self.transparency_view = view
        self._privacy_window(view)
        service = self._service
        self._runner.run("transparency", lambda: (resident_id, service.privacy.transparency(resident_id)),
                         self._show_transparency, self._on_failure)

    def _show_transparency(self, result: tuple[str, list]) -> None:
        resident_id, lines = result
        view = self.transparency_view
        if view is not None and view.resident_id == resident_id:
            view.lines = lines
            view.retranslate()
