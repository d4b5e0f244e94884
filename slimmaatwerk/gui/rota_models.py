"""The team and rota editor's tables as read-only item models, and the rota in words (days, hours, the
hours of the week nobody is on duty). Used by :mod:`slimmaatwerk.gui.teams_dialog`."""

from __future__ import annotations

from typing import Any

from slimmaatwerk.gui.i18n import tr
from slimmaatwerk.gui.qt import (
    QAbstractItemView,
    QAbstractTableModel,
    QHeaderView,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTableView,
    QWidget,
)
from slimmaatwerk.storage.teams import RotaEntry, TeamInfo

# The usual shifts of Dutch home care, offered when a role is chosen (the times stay editable); these
# roles are shown translated, an organisation's own role as typed.
SHIFTS: dict[str, tuple[int, int]] = {"office": (8 * 60, 17 * 60), "evening": (17 * 60, 23 * 60),
                                      "night": (23 * 60, 8 * 60)}

_Index = QModelIndex | QPersistentModelIndex


def clock_text(minute: int) -> str:
    return f"{minute // 60 % 24:02d}:{minute % 60:02d}"


def days_text(mask: int) -> str:
    names = tr("date.weekdays").split()
    if mask & 0b1111111 == 0b1111111:
        return tr("rota.every_day")
    return " ".join(names[d] for d in range(7) if mask >> d & 1)


def gap_text(start: int, end: int) -> str:
    """``za 08:00 – ma 08:00``: a gap of the week (minutes from Monday 00:00, possibly past Sunday)."""
    names = tr("date.weekdays").split()

    def moment(m: int) -> str:
        return f"{names[m // (24 * 60) % 7]} {clock_text(m % (24 * 60))}"

    if start // (24 * 60) == (end - 1) // (24 * 60):
        return f"{moment(start)} – {clock_text(end % (24 * 60))}"  # within one day: the day once
    return f"{moment(start)} – {moment(end)}"


class _ListModel(QAbstractTableModel):
    """A read-only table over a list of records; subclasses say how each column reads."""

    headers: tuple[str, ...] = ()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: list[Any] = []

    def set_items(self, items: list[Any]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def items(self) -> list[Any]:
        return list(self._items)

    def item(self, row: int) -> Any:
        return self._items[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self.headers):
            return tr(self.headers[section])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.cell(self._items[index.row()], index.column())
        return None

    def cell(self, item: Any, column: int) -> str:
        raise NotImplementedError

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.headers) - 1)
        if self._items:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._items) - 1, len(self.headers) - 1))


class TeamsModel(_ListModel):
    headers = ("teams.col.name", "teams.col.district", "teams.col.residents")

    def cell(self, item: TeamInfo, column: int) -> str:
        return (item.name, item.district or "—", str(item.residents))[column]


class RotaModel(_ListModel):
    headers = ("rota.col.role", "rota.col.person", "rota.col.phone", "rota.col.days", "rota.col.hours")

    def cell(self, item: RotaEntry, column: int) -> str:
        role = tr(f"role.{item.role}") if item.role in SHIFTS else item.role
        hours = f"{clock_text(item.start_min)}–{clock_text(item.end_min)}"
        return (role, item.person, item.phone or "—", days_text(item.weekdays), hours)[column]


def make_table(model: _ListModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.setTabKeyNavigation(False)  # Tab leaves the table for the next field
    return view
