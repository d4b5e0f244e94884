"""A read-only table over a list of records: the one item model behind the dialogs' small tables and the alert inbox.

Subclasses name their columns and say how a cell reads (``cell``), where the tooltip says more than the
cell (``tooltip``), and, where they colour or carry data, what it gives for other roles (``cell_role``).
Headers and cells are looked up when asked, so a language switch only needs ``retranslate``.
"""

from __future__ import annotations

from typing import Any

from slimmaatwerk.gui.qt import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

_Index = QModelIndex | QPersistentModelIndex
_TEXT_ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole)


class ListTableModel(QAbstractTableModel):
    columns: tuple[str, ...] = ()

    def __init__(self, parent: QObject | None = None) -> None:
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

    def header(self, column: str) -> str:
        """The column's title in the current language."""
        raise NotImplementedError

    def cell(self, item: Any, column: str) -> str:
        """The cell as text (shown, and read out by screen readers)."""
        raise NotImplementedError

    def tooltip(self, item: Any, column: str) -> str:
        """The cell's tooltip: the text itself (in full where the column elides it) unless a subclass says more."""
        return self.cell(item, column)

    def cell_role(self, item: Any, column: str, role: int) -> Any:
        """Anything else a subclass shows for ``role`` (colour, the record's id); None by default."""
        return None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self.columns):
            return self.header(self.columns[section])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items) \
                or not 0 <= index.column() < len(self.columns):
            return None
        item, column = self._items[index.row()], self.columns[index.column()]
        if role in _TEXT_ROLES:
            return self.cell(item, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(item, column)
        return self.cell_role(item, column, role)

    def retranslate(self) -> None:
        if self.columns:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.columns) - 1)
        if self._items and self.columns:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._items) - 1, len(self.columns) - 1))
