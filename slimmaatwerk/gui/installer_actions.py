"""The installer menu's later-visit, commissioning-record and profile-builder entries.

Added to the workspace's installer menu beside "pair"; enabled for users who may manage devices
(the installer role) — the facade checks again on every call. Each opens one dialog at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from slimmaatwerk.clock import Clock
from slimmaatwerk.gui.commissioning_dialog import CommissioningDialog
from slimmaatwerk.gui.i18n import current_language
from slimmaatwerk.gui.profile_builder_dialog import ProfileBuilderDialog
from slimmaatwerk.gui.qt import QAction, QDialog, QMenu, QObject, Qt, QWidget
from slimmaatwerk.gui.visits_dialog import VisitsDialog
from slimmaatwerk.pairing.broker import BrokerSettings
from slimmaatwerk.pairing.home_broker import home_broker
from slimmaatwerk.pairing.installer import Installer
from slimmaatwerk.pairing.texts import text
from slimmaatwerk.pairing.tools import MqttTools
from slimmaatwerk.permissions import allowed
from slimmaatwerk.profiles import ProfileRegistry
from slimmaatwerk.profiles.user_profiles import user_profiles_dir
from slimmaatwerk.service import Service


class InstallerActions(QObject):
    def __init__(self, menu: QMenu, window: QWidget, service: Service, clock: Clock, data_dir: Path | None,
                 selected_resident: Callable[[], str | None], after_change: Callable[[], None],
                 mark: Callable[[QWidget], None] = lambda _w: None) -> None:
        super().__init__(window)
        self._window, self._service, self._clock, self._data_dir = window, service, clock, data_dir
        self._selected, self._after_change, self._mark = selected_resident, after_change, mark
        self.may = allowed(service.roles, "manage_devices")
        self.dialog: QDialog | None = None
        self.visit_action, self.records_action, self.builder_action = QAction(self), QAction(self), QAction(self)
        for action, opener in ((self.visit_action, self.open_visit), (self.records_action, self.open_records),
                               (self.builder_action, self.open_builder)):
            action.setEnabled(self.may)
            action.triggered.connect(opener)
            menu.addAction(action)
        self.retranslate()

    def retranslate(self) -> None:
        language = current_language()
        denied = "" if self.may else text("menu.denied", language)
        for action, key in ((self.visit_action, "menu.visit"), (self.records_action, "menu.records"),
                            (self.builder_action, "menu.builder")):
            action.setText(text(key, language))
            action.setToolTip(denied)
            action.setStatusTip(denied)
        if self.dialog is not None and hasattr(self.dialog, "retranslate"):
            self.dialog.retranslate()

    def _show(self, dialog: QDialog) -> QDialog:
        if self.dialog is not None:
            self.dialog.close()
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.finished.connect(lambda _r: self._closed(dialog))
        self._mark(dialog)
        self.dialog = dialog
        dialog.show()
        return dialog

    def _closed(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        self._after_change()

    def open_visit(self) -> QDialog | None:
        if not self.may:
            return None
        return self._show(VisitsDialog(Installer(self._service), self._clock, self._selected(), parent=self._window,
                                       data_dir=self._data_dir))

    def open_records(self) -> QDialog | None:
        if not self.may:
            return None
        return self._show(CommissioningDialog(Installer(self._service), self._selected(), parent=self._window))

    def open_builder(self) -> QDialog | None:
        if not self.may:
            return None
        user_dir = user_profiles_dir(self._data_dir) if self._data_dir is not None else None
        tools = MqttTools(ProfileRegistry([], []), self._clock)  # capturing needs no profiles
        installer, resident, data_dir = Installer(self._service), self._selected(), self._data_dir

        def home() -> tuple[str, BrokerSettings | None]:
            """The selected resident's home broker, as pairing recorded it (None: nothing recorded)."""
            if resident is None:
                return "", None
            found = installer.resident(resident)
            return (found.name if found else resident), home_broker(installer, resident, data_dir)

        return self._show(ProfileBuilderDialog(user_dir, tools, broker_lookup=home, parent=self._window))

    def shutdown(self) -> None:
        if self.dialog is not None:
            self.dialog.close()
