"""The residents overview as a Qt table: a thin adapter over ``list[ResidentRow]``.

``ResidentTableModel`` renders rows (status as text + symbol + colour, never colour alone);
``ResidentFilterProxy`` sorts worst status first and filters by a search text and a team. Live updates call
``set_rows`` every few seconds, so an unchanged set of residents only emits ``dataChanged`` for the
rows that changed (one per block of rows) and the view keeps its selection and scroll position; then
``rows_updated`` says the update is complete, so a grouped view regroups once, not once per block.
"""

from __future__ import annotations

from typing import Any

from slimmaatwerk.clock import Clock, SystemClock
from slimmaatwerk.gui.i18n import format_relative, tr
from slimmaatwerk.gui.qt import (
    QAbstractTableModel,
    QBrush,
    QColor,
    QFont,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from slimmaatwerk.views import STATUS_ORDER, ResidentRow

COL_STATUS, COL_NAME, COL_LAST_ACTIVITY, COL_ALERTS, COL_COMPLETENESS, COL_SENSORS, COL_TEAM = range(7)
_HEADERS = ("col.status", "col.name", "col.last_activity", "col.alerts", "col.completeness", "col.sensors",
            "col.team")

ResidentIdRole = Qt.ItemDataRole.UserRole + 1

# Okabe-Ito hues (vermillion, orange, bluish green) as light tints with dark text: they differ in
# lightness as well as hue, and every status also carries its own word and symbol.
STATUS_BACKGROUND = {"red": "#f3b9a4", "amber": "#fbe2a2", "grey": "#dcdcdc", "green": "#cde8dd"}
STATUS_FOREGROUND = {"red": "#6b1d00", "amber": "#5c3d00", "grey": "#333333", "green": "#0d4a36"}

_Index = QModelIndex | QPersistentModelIndex


def _status(row: ResidentRow) -> str:
    return row.status if row.status in STATUS_ORDER else "unknown"


def status_text(status: str) -> str:
    return tr(f"status.{status}") if status in STATUS_ORDER else tr("status.unknown")


def alerts_text(open_alerts: dict[str, int]) -> str:
    parts = [
        tr(f"alerts.part.{sev}", n=n) for sev in ("red", "amber", "info") if (n := open_alerts.get(sev, 0))
    ]
    return " · ".join(parts) if parts else tr("alerts.none")


class ResidentTableModel(QAbstractTableModel):
    rows_updated = Signal()  # set_rows has emitted every dataChanged of one live update

    def __init__(self, clock: Clock | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._clock = clock or SystemClock()
        self._rows: list[ResidentRow] = []
        self._sort_keys: dict[int, list[tuple[Any, ...]]] = {}
        self._updating = False

    def is_updating(self) -> bool:
        """True while set_rows emits the changes of one update (a grouped view waits for rows_updated)."""
        return self._updating

    # -- data in -------------------------------------------------------------------------------------
    def set_rows(self, rows: list[ResidentRow]) -> None:
        new_ids = [r.resident_id for r in rows]
        old_ids = [r.resident_id for r in self._rows]
        if len(new_ids) != len(old_ids) or set(new_ids) != set(old_ids) or len(set(new_ids)) != len(new_ids):
            self.beginResetModel()
            self._rows = list(rows)
            self._sort_keys.clear()
            self.endResetModel()
            return
        by_id = {r.resident_id: r for r in rows}
        changed = [i for i, old in enumerate(self._rows) if by_id[old.resident_id] != old]
        if not changed:
            return
        last = self.columnCount() - 1
        self._updating = True
        try:
            # Block by block, in our own row order (indexes stay valid), each block's rows replaced just
            # before its signal: the sorting proxy moves the rows of one signal on the assumption that
            # all other rows are in order, so those must still hold the values they were sorted by.
            for start, end in _ranges(changed):
                for i in range(start, end + 1):
                    self._replace_row(i, by_id[self._rows[i].resident_id])
                self.dataChanged.emit(self.index(start, 0), self.index(end, last))
        finally:
            self._updating = False
        self.rows_updated.emit()

    def _replace_row(self, i: int, row: ResidentRow) -> None:
        self._rows[i] = row
        for column, keys in self._sort_keys.items():
            keys[i] = self._key(row, column)

    def refresh_times(self) -> None:
        """Relative times ("12 min ago") age without new data; repaint that column."""
        if self._rows:
            self._sort_keys.pop(COL_LAST_ACTIVITY, None)
            self.dataChanged.emit(
                self.index(0, COL_LAST_ACTIVITY), self.index(len(self._rows) - 1, COL_LAST_ACTIVITY)
            )

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, self.columnCount() - 1))

    # -- data out ------------------------------------------------------------------------------------
    def rows(self) -> list[ResidentRow]:
        return list(self._rows)

    def row_at(self, row: int) -> ResidentRow:
        return self._rows[row]

    def status_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUS_ORDER, 0)
        for r in self._rows:
            counts[r.status if r.status in counts else "grey"] += 1
        return counts

    def teams(self) -> list[str]:
        """The teams of the residents shown, sorted ("" for residents without a team, last)."""
        found = {r.team for r in self._rows}
        return sorted(found - {""}, key=str.casefold) + ([""] if "" in found else [])

    def sort_key(self, row: int, column: int) -> tuple[Any, ...]:
        keys = self._sort_keys.get(column)
        if keys is None:
            keys = self._sort_keys[column] = [self._key(r, column) for r in self._rows]
        return keys[row]

    def _key(self, r: ResidentRow, column: int) -> tuple[Any, ...]:
        name = r.name.casefold()
        red, amber, info = (r.open_alerts.get(s, 0) for s in ("red", "amber", "info"))
        if column == COL_STATUS:
            rank = STATUS_ORDER.index(r.status) if r.status in STATUS_ORDER else STATUS_ORDER.index("grey")
            return (rank, -red, -amber, r.completeness, name)
        if column == COL_LAST_ACTIVITY:
            # Unknown last activity sorts as the longest ago.
            return (r.last_activity is not None, r.last_activity.timestamp() if r.last_activity else 0, name)
        if column == COL_ALERTS:
            return (red, amber, info, name)
        if column == COL_COMPLETENESS:
            return (r.completeness, name)
        if column == COL_SENSORS:
            return (r.sensors_ok - r.sensors_total, r.sensors_total, name)
        if column == COL_TEAM:
            return (r.team == "", r.team.casefold(), name)
        return (name, r.resident_id)

    # -- QAbstractTableModel -------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        horizontal = orientation == Qt.Orientation.Horizontal and 0 <= section < len(_HEADERS)
        if horizontal and role == Qt.ItemDataRole.DisplayRole:
            return tr(_HEADERS[section])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(r, col)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._tooltip(r, col)
        if role == ResidentIdRole:
            return r.resident_id
        if col == COL_STATUS and role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor(STATUS_BACKGROUND.get(r.status, STATUS_BACKGROUND["grey"])))
        if col == COL_STATUS and role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor(STATUS_FOREGROUND.get(r.status, STATUS_FOREGROUND["grey"])))
        if role == Qt.ItemDataRole.FontRole and (
            (col == COL_STATUS and r.status in ("red", "amber"))
            or (col == COL_ALERTS and r.open_alerts.get("red"))
        ):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (COL_COMPLETENESS, COL_SENSORS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, r: ResidentRow, col: int) -> str:
        if col == COL_STATUS:
            return status_text(r.status)
        if col == COL_NAME:
            return r.name
        if col == COL_LAST_ACTIVITY:
            return format_relative(r.last_activity, self._clock.now())
        if col == COL_ALERTS:
            return alerts_text(r.open_alerts)
        if col == COL_COMPLETENESS:
            return f"{round(r.completeness * 100)}%"
        if col == COL_TEAM:
            return r.team or "—"
        return tr("sensors.value", ok=r.sensors_ok, total=r.sensors_total)

    def _tooltip(self, r: ResidentRow, col: int) -> str:
        if col == COL_STATUS:
            status = _status(r)
            tip = tr(f"status.{status}.tip") if status in STATUS_ORDER else tr("status.unknown")
            return f"{r.name}: {tip}"
        if col == COL_COMPLETENESS:
            return tr("completeness.tip", pct=round(r.completeness * 100))
        if col == COL_SENSORS:
            return tr("sensors.tip", ok=r.sensors_ok, total=r.sensors_total)
        if col == COL_TEAM and not r.team:
            return tr("overview.team_none")
        return self._display(r, col)


class ResidentFilterProxy(QSortFilterProxyModel):
    """Worst status first by default; a search text matches the name (or the resident id); a team
    filter (``None``: all teams, ``""``: residents without a team) keeps one team's residents."""

    def __init__(self, source: ResidentTableModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._needle = ""
        self._team: str | None = None
        self.setSourceModel(source)
        self.setDynamicSortFilter(True)
        self.sort(COL_STATUS, Qt.SortOrder.AscendingOrder)

    def set_search(self, text: str) -> None:
        self.beginFilterChange()
        self._needle = text.strip().casefold()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_team(self, team: str | None) -> None:
        if team == self._team:
            return
        self.beginFilterChange()
        self._team = team
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def team(self) -> str | None:
        return self._team

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        r = self.sourceModel().row_at(source_row)
        if self._team is not None and r.team != self._team:
            return False
        if not self._needle:
            return True
        return self._needle in r.name.casefold() or self._needle in r.resident_id.casefold()

    def lessThan(self, left: _Index, right: _Index) -> bool:
        source: ResidentTableModel = self.sourceModel()
        return source.sort_key(left.row(), left.column()) < source.sort_key(right.row(), right.column())


def _ranges(rows: list[int]) -> list[tuple[int, int]]:
    """Sorted row numbers as contiguous (first, last) ranges: one dataChanged per block."""
    out: list[tuple[int, int]] = []
    for row in rows:
        if out and row == out[-1][1] + 1:
            out[-1] = (out[-1][0], row)
        else:
            out.append((row, row))
    return out
