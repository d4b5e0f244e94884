"""A resident's team and contact list: whom to call, in what order, and when.

Opened from the resident detail (or the Team menu). The ordered list is an editable table (name,
relation, phone, when to call) with add, remove and move up/down; saving assigns the team and stores the
list through the service facade (``set_resident_team``, ``set_contacts``), which checks role and scope.
Reading and saving run on the dialog's own :class:`BackgroundRunner`.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from slimmaatwerk.errors import AccessDenied
from slimmaatwerk.gui.i18n import tr
from slimmaatwerk.gui.qt import (
    QAbstractItemView,
    QAbstractTableModel,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QModelIndex,
    QPersistentModelIndex,
    QPushButton,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
    Signal,
)
from slimmaatwerk.gui.workers import BackgroundRunner
from slimmaatwerk.permissions import allowed
from slimmaatwerk.storage.teams import Contact

_Index = QModelIndex | QPersistentModelIndex
_FIELDS = ("name", "relation", "phone", "note")  # the note says when to call this person
_PHONE = re.compile(r"^\+?[0-9 ()\-]{6,20}$")


class ContactsModel(QAbstractTableModel):
    """The call list in order (row 0 is called first); every cell is editable."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._contacts: list[Contact] = []

    def set_contacts(self, contacts: list[Contact]) -> None:
        self.beginResetModel()
        self._contacts = list(contacts)
        self.endResetModel()

    def contacts(self) -> list[Contact]:
        """In call order, positions renumbered 1..n, text trimmed."""
        return [Contact(i, *(getattr(c, f).strip() for f in _FIELDS)) for i, c in enumerate(self._contacts, 1)]

    def add(self) -> int:
        row = len(self._contacts)
        self.beginInsertRows(QModelIndex(), row, row)
        self._contacts.append(Contact(row + 1, ""))
        self.endInsertRows()
        return row

    def remove(self, row: int) -> bool:
        if not 0 <= row < len(self._contacts):
            return False
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._contacts[row]
        self.endRemoveRows()
        return True

    def move(self, row: int, step: int) -> bool:
        """Move a contact up (-1) or down (+1) the call order."""
        target = row + step
        if not (0 <= row < len(self._contacts) and 0 <= target < len(self._contacts)):
            return False
        # beginMoveRows wants the row *before which* the moved row lands.
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), target + 1 if step > 0 else target)
        self._contacts.insert(target, self._contacts.pop(row))
        self.endMoveRows()
        return True

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._contacts)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_FIELDS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(_FIELDS):
            return tr(f"contacts.col.{_FIELDS[section]}")
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._contacts):
            return str(section + 1)  # the call order, visible
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._contacts):
            return None
        value = getattr(self._contacts[index.row()], _FIELDS[index.column()])
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return value
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{tr(f'contacts.col.{_FIELDS[index.column()]}')}: {value or '—'}"
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or not 0 <= index.row() < len(self._contacts):
            return False
        row = index.row()
        self._contacts[row] = replace(self._contacts[row], **{_FIELDS[index.column()]: str(value)})
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole])
        return True

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(_FIELDS) - 1)


class _ContactsTable(QTableView):
    """Alt+Up / Alt+Down move the current contact in the call order (the buttons do the same)."""

    move_requested = Signal(int)

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        step = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1}.get(Qt.Key(event.key()))
        if step is not None and event.modifiers() == Qt.KeyboardModifier.AltModifier:
            self.move_requested.emit(step)
            event.accept()
            return
        super().keyPressEvent(event)


def check_contacts(contacts: list[Contact]) -> tuple[str, dict[str, object]] | None:
    """The first problem with the list as a translatable message, or None."""
    for c in contacts:
        if not c.name:
            return "contacts.err.name", {"n": c.position}
        if c.phone and not _PHONE.match(c.phone):
            return "contacts.err.phone", {"name": c.name}
    return None


class ContactsDialog(QDialog):
    loaded = Signal()
    saved = Signal(str)  # resident id
    failed = Signal(str)

    def __init__(self, service: Any, resident_id: str, name: str, team: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("contactsDialog")
        self._service, self.resident_id, self._name, self._team = service, resident_id, name, team
        self._runner = BackgroundRunner(self)
        self._message: tuple[str, dict[str, object]] | None = None
        self.may_edit = allowed(service.roles, "handle_alerts")

        self.title = QLabel()
        self.title.setObjectName("sectionTitle")
        self.team_label = QLabel()
        self.team = QComboBox()
        self.team.setEditable(True)  # a new team is typed in, and created on save
        self.team.setMinimumWidth(240)
        self.team_label.setBuddy(self.team)
        self.list_label = QLabel()
        self.model = ContactsModel(self)
        self.table = _ContactsTable()
        self.table.move_requested.connect(self.move_contact)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.list_label.setBuddy(self.table)
        self.add_button, self.remove_button = QPushButton(), QPushButton()
        self.up_button, self.down_button = QPushButton(), QPushButton()
        self.add_button.clicked.connect(self.add_contact)
        self.remove_button.clicked.connect(self.remove_contact)
        self.up_button.clicked.connect(lambda: self.move_contact(-1))
        self.down_button.clicked.connect(lambda: self.move_contact(1))
        self.message_label = QLabel()
        self.message_label.setObjectName("formMessage")
        self.message_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        team_row = QHBoxLayout()
        team_row.addWidget(self.team_label)
        team_row.addWidget(self.team)
        team_row.addStretch(1)
        list_buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            list_buttons.addWidget(button)
        list_buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(team_row)
        layout.addWidget(self.list_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(list_buttons)
        layout.addWidget(self.message_label)
        layout.addWidget(self.buttons)
        self._set_editable(False)
        self.retranslate()
        if self.may_edit:
            self._set_message("contacts.loading", {})
            self.reload()
        else:
            self._set_message("contacts.denied", {})

    # -- data ----------------------------------------------------------------------------------------
    def reload(self) -> None:
        service, rid = self._service, self.resident_id
        self._runner.run("load", lambda: (service.contacts(rid), service.teams()), self._on_loaded,
                         self._on_failure)

    def _on_loaded(self, outcome: tuple[list[Contact], list[str]]) -> None:
        contacts, teams = outcome
        self.team.clear()
        self.team.addItem(tr("overview.team_none"), "")
        for name in teams:
            self.team.addItem(name, name)
        index = self.team.findData(self._team)
        if index < 0 and self._team:
            self.team.addItem(self._team, self._team)
            index = self.team.count() - 1
        self.team.setCurrentIndex(max(index, 0))
        self.model.set_contacts(contacts)
        self.table.resizeColumnsToContents()
        self._set_editable(True)
        self._message = None
        self.message_label.clear()
        self.loaded.emit()

    def chosen_team(self) -> str:
        text = self.team.currentText().strip()
        index = self.team.findText(text)
        return self.team.itemData(index) if index >= 0 and self.team.itemData(index) is not None else text

    # -- editing -------------------------------------------------------------------------------------
    def add_contact(self) -> None:
        row = self.model.add()
        self.table.setCurrentIndex(self.model.index(row, 0))
        self.table.edit(self.model.index(row, 0))

    def remove_contact(self) -> bool:
        row = self.table.currentIndex().row()
        if not self.model.remove(row):
            self._set_message("contacts.err.choose", {})
            return False
        return True

    def move_contact(self, step: int) -> bool:
        index = self.table.currentIndex()
        if not index.isValid() or not self.model.move(index.row(), step):
            return False
        self.table.setCurrentIndex(self.model.index(index.row() + step, index.column()))
        return True

    def save(self) -> bool:
        contacts = self.model.contacts()
        problem = check_contacts(contacts)
        if problem is not None:
            self._set_message(*problem)
            return False
        team, service, rid, old_team = self.chosen_team(), self._service, self.resident_id, self._team

        def store() -> None:
            if team != old_team:
                service.set_resident_team(rid, team)
            service.set_contacts(rid, contacts)

        self._set_editable(False)
        self._runner.run("save", store, self._on_saved, self._on_failure)
        return True

    def _on_saved(self, _result: object) -> None:
        self._team = self.chosen_team()
        self.saved.emit(self.resident_id)
        self.accept()

    def _on_failure(self, error: BaseException) -> None:
        self._set_editable(self.may_edit)
        key = "edit.denied" if isinstance(error, AccessDenied) else "edit.failed"
        self._set_message(key, {"error": str(error) or type(error).__name__})
        self.failed.emit(self.message())

    def _set_editable(self, on: bool) -> None:
        on = on and self.may_edit
        for widget in (self.team, self.table, self.add_button, self.remove_button, self.up_button, self.down_button):
            widget.setEnabled(on)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(on)

    def _set_message(self, key: str, kw: dict[str, object]) -> None:
        self._message = (key, kw)
        self.message_label.setText(tr(key, **kw))

    def message(self) -> str:
        return self.message_label.text()

    def retranslate(self) -> None:
        self.setWindowTitle(tr("contacts.window", name=self._name))
        self.title.setText(tr("contacts.title", name=self._name))
        self.team_label.setText(tr("contacts.team"))
        self.team.setAccessibleName(tr("contacts.team").replace("&", ""))
        self.list_label.setText(tr("contacts.list"))
        self.table.setAccessibleName(tr("contacts.list").replace("&", ""))
        for button, key in ((self.add_button, "add"), (self.remove_button, "remove"), (self.up_button, "up"),
                            (self.down_button, "down")):
            button.setText(tr(f"contacts.{key}"))
            button.setAccessibleName(tr(f"contacts.{key}").replace("&", ""))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(tr("settings.save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("settings.cancel"))
        self.model.retranslate()
        if self._message is not None:
            self.message_label.setText(tr(self._message[0], **self._message[1]))

    def done(self, result: int) -> None:
        self._runner.shutdown()
        super().done(result)
