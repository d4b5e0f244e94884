"""The residents overview grouped by team or district: a header row per group with its traffic-light counts.

``GroupedResidentModel`` is a flat table over the sorted, filtered :class:`ResidentFilterProxy`: each
group's header row (spanned over all columns by the view) is followed by that group's residents in the
proxy's order, so sorting and searching work exactly as without grouping. A live update that only
changes values keeps every row in place (``dataChanged``); one that moves rows is a layout change that
carries the view's selection along; only a change in the number of rows resets the model.
"""

from __future__ import annotations

from typing import Any

from slimmaatwerk.gui.i18n import tr
from slimmaatwerk.gui.overview_model import ResidentFilterProxy, ResidentTableModel
from slimmaatwerk.gui.qt import (
    QAbstractTableModel,
    QBrush,
    QColor,
    QFont,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from slimmaatwerk.views import STATUS_ORDER, ResidentRow

GROUP_BY: tuple[str, ...] = ("none", "team", "district")
GroupRole = Qt.ItemDataRole.UserRole + 2  # the group's key on a header row ("" = no team / no district)
HEADER_BACKGROUND = "#e3e9f0"

_Index = QModelIndex | QPersistentModelIndex
_Entry = tuple[str, int]  # (group key, proxy row); proxy row -1 is the group's header row


def group_key(row: ResidentRow, by: str) -> str:
    return row.district if by == "district" else row.team


def group_name(key: str, by: str) -> str:
    if key:
        return key
    return tr("group.no_district") if by == "district" else tr("overview.team_none")


class GroupedResidentModel(QAbstractTableModel):
    def __init__(self, proxy: ResidentFilterProxy, by: str = "team", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._proxy = proxy
        self._by = by
        self._entries: list[_Entry] = []
        self._counts: dict[str, dict[str, int]] = {}
        self._stale = False  # the proxy changed during a live update: regroup when it is complete
        self._rebuild()
        for signal in (proxy.rowsInserted, proxy.rowsRemoved, proxy.modelReset):
            signal.connect(self._relayout)
        proxy.layoutChanged.connect(self._changed)
        proxy.dataChanged.connect(self._changed)
        proxy.headerDataChanged.connect(self.headerDataChanged)
        self._source: ResidentTableModel = proxy.sourceModel()
        self._source.rows_updated.connect(self._update_complete)

    # -- grouping ------------------------------------------------------------------------------------
    def group_by(self) -> str:
        return self._by

    def set_group_by(self, by: str) -> None:
        if by not in GROUP_BY:
            raise ValueError(f"group by one of {', '.join(GROUP_BY)}, not {by!r}")
        if by != self._by:
            self._by = by
            self._relayout()

    def header_rows(self) -> list[int]:
        return [i for i, (_key, prow) in enumerate(self._entries) if prow < 0]

    def header_row_of(self, row: int) -> int:
        """The header row of the group that ``row`` is in (the row itself for a header); -1 if none."""
        for r in range(min(row, len(self._entries) - 1), -1, -1):
            if self._entries[r][1] < 0:
                return r
        return -1

    def group_counts(self) -> dict[str, dict[str, int]]:
        """Per group key: residents shown per status (the numbers of the header rows)."""
        return {key: dict(counts) for key, counts in self._counts.items()}

    def is_header(self, row: int) -> bool:
        return 0 <= row < len(self._entries) and self._entries[row][1] < 0

    def _source_row(self, proxy_row: int) -> ResidentRow:
        source: ResidentTableModel = self._proxy.sourceModel()
        return source.row_at(self._proxy.mapToSource(self._proxy.index(proxy_row, 0)).row())

    def _build(self) -> tuple[list[_Entry], dict[str, dict[str, int]]]:
        if self._by == "none":
            return [], {}  # not grouped: the view shows the proxy itself and this model rests
        members: dict[str, list[int]] = {}
        counts: dict[str, dict[str, int]] = {}
        for prow in range(self._proxy.rowCount()):
            row = self._source_row(prow)
            key = group_key(row, self._by)
            members.setdefault(key, []).append(prow)
            status = row.status if row.status in STATUS_ORDER else "grey"
            counts.setdefault(key, dict.fromkeys(STATUS_ORDER, 0))[status] += 1
        order = sorted((k for k in members if k), key=str.casefold) + ([""] if "" in members else [])
        entries = [entry for key in order for entry in ((key, -1), *((key, p) for p in members[key]))]
        return entries, counts

    def _rebuild(self) -> None:
        self._entries, self._counts = self._build()

    def _identity(self, entry: _Entry) -> tuple[str, str]:
        key, prow = entry
        return ("group", key) if prow < 0 else ("resident", self._source_row(prow).resident_id)

    def _changed(self, *_args: object) -> None:
        # A live update changes its rows block by block, and the sorting proxy re-sorts after each block:
        # regrouping 2,000 residents after each of 200 blocks froze the window for seconds. Values and
        # order only: the number of rows is the same, so the entries stay valid until the update ends.
        if self._source.is_updating():
            self._stale = True
        else:
            self._relayout()

    def _update_complete(self) -> None:
        if self._stale:
            self._stale = False
            self._relayout()

    def _relayout(self, *_args: object) -> None:
        old = self._entries
        if self._by == "none" and not old:
            return  # not grouped and nothing shown: live updates of 2,000 rows cost nothing here
        entries, counts = self._build()
        if len(entries) != len(old):
            self.beginResetModel()
            self._entries, self._counts = entries, counts
            self.endResetModel()
            return
        # Same number of rows: move the persistent indexes (the view's selection) to their new rows.
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        identities = [self._identity(old[p.row()]) for p in before]
        self._entries, self._counts = entries, counts
        rows = {self._identity(e): i for i, e in enumerate(entries)}
        after = [self.index(rows[ident], p.column()) if ident in rows else QModelIndex()
                 for ident, p in zip(identities, before, strict=True)]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()
        if entries:
            self.dataChanged.emit(self.index(0, 0), self.index(len(entries) - 1, self.columnCount() - 1))

    def retranslate(self) -> None:
        if self._entries:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._entries) - 1, self.columnCount() - 1))

    # -- QAbstractTableModel -------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._proxy.columnCount()

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        return self._proxy.headerData(section, orientation, role)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._proxy.sort(column, order)  # groups keep their order; residents sort within each group

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self.is_header(index.row()):
            return Qt.ItemFlag.ItemIsEnabled  # a header is read, never selected
        return self._proxy.flags(self._proxy.index(self._entries[index.row()][1], index.column()))

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        key, prow = self._entries[index.row()]
        if prow >= 0:
            return self._proxy.index(prow, index.column()).data(role)
        if role == GroupRole:
            return key
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            if index.column() != 0 and role == Qt.ItemDataRole.DisplayRole:
                return ""
            counts = self._counts.get(key, {})
            return tr("group.header", name=group_name(key, self._by), n=sum(counts.values()),
                      **{s: counts.get(s, 0) for s in STATUS_ORDER})
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor(HEADER_BACKGROUND))
        return None
