"""The residents table view: row selection by resident id, calm column widths, and optional grouping.

Without grouping the view shows the sorted, filtered proxy itself (the fast path for 2,000 residents);
grouped, it shows a :class:`GroupedResidentModel` over that proxy, whose header rows span the table.
Either way the view reports the chosen resident through ``resident_changed`` (header rows choose nobody).
"""

from __future__ import annotations

from slimmaatwerk.gui.overview_groups import GroupedResidentModel
from slimmaatwerk.gui.overview_model import COL_NAME, COL_STATUS, ResidentFilterProxy, ResidentIdRole
from slimmaatwerk.gui.qt import (
    QAbstractItemView,
    QHeaderView,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTableView,
    Signal,
)

FIT_ROWS = 100


class ResidentsTable(QTableView):
    resident_changed = Signal(str, str)  # resident id, name: the current row moved to this resident

    def __init__(self, proxy: ResidentFilterProxy, grouped: GroupedResidentModel | None = None) -> None:
        super().__init__()
        self._proxy = proxy
        self._grouped = grouped
        self._fitted = False
        self.setModel(proxy)
        self._chosen_before_reset: str | None = None
        if grouped is not None:
            grouped.modelAboutToBeReset.connect(self._remember_chosen)
            grouped.modelReset.connect(self._restore_chosen)
            grouped.layoutChanged.connect(self._span_headers)
        self.setObjectName("residentsTable")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSortingEnabled(True)
        self.sortByColumn(COL_STATUS, Qt.SortOrder.AscendingOrder)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(30)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # Names are fitted like the other columns (a coordinator must read them whole); the last column
        # takes what is left, so the table scrolls sideways rather than cutting names short.
        header.setStretchLastSection(True)
        header.setMinimumSectionSize(60)
        # Fit columns to the rows on screen and a few around them, not to every resident: with 2,000
        # rows Qt would ask the model for each cell's text, font and size (most of opening the overview).
        header.setResizeContentsPrecision(FIT_ROWS)

    # -- grouping ------------------------------------------------------------------------------------
    def set_grouped(self, on: bool) -> None:
        """Show the grouped model (header row per group) or the plain proxy; the chosen resident stays."""
        wanted = self._grouped if on and self._grouped is not None else self._proxy
        if self.model() is wanted:
            self._span_headers()
            return
        chosen = self.resident_id_at(self.currentIndex()) if self.currentIndex().isValid() else None
        self.setModel(wanted)
        self._span_headers()
        if chosen is not None:
            self.select_resident(chosen)

    def is_grouped(self) -> bool:
        return self.model() is self._grouped

    def _remember_chosen(self) -> None:
        index = self.currentIndex()
        self._chosen_before_reset = self.resident_id_at(index) if self.is_grouped() and index.isValid() else None

    def _restore_chosen(self) -> None:
        # Searching or a new resident changes the number of grouped rows: a reset, after which the
        # coordinator must still be on the resident they chose.
        self._span_headers()
        if self._chosen_before_reset is not None and self.is_grouped():
            self.select_resident(self._chosen_before_reset)
        self._chosen_before_reset = None

    def show_chosen_with_group(self) -> None:
        """After the grouping changed: the list from its top when the chosen resident is on the first
        screen (the first group's header stays in sight), else the chosen resident's group header at the
        top; the chosen resident is always visible, even below a group taller than the screen."""
        self.scrollToTop()
        index = self.currentIndex()
        if not index.isValid():
            return
        rect = self.visualRect(index)
        if rect.top() >= 0 and rect.bottom() < self.viewport().height():
            return  # on the first screen: the first group's header stays in sight
        if self.is_grouped() and self._grouped is not None:
            header = self._grouped.header_row_of(index.row())
            if header >= 0:
                self.scrollTo(self.model().index(header, 0), QAbstractItemView.ScrollHint.PositionAtTop)
        self.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)

    def _span_headers(self) -> None:
        self.clearSpans()
        if self.is_grouped() and self._grouped is not None:
            for row in self._grouped.header_rows():
                self.setSpan(row, 0, 1, self._grouped.columnCount())

    # -- selection -----------------------------------------------------------------------------------
    def currentChanged(self, current: QModelIndex, previous: QModelIndex) -> None:
        super().currentChanged(current, previous)
        resident_id = self.resident_id_at(current) if current.isValid() else None
        if resident_id is not None:  # the window ignores the resident it already shows
            self.resident_changed.emit(resident_id, current.siblingAtColumn(COL_NAME).data() or "")

    def fit_columns_once(self) -> None:
        """Size columns to their content on the first data only: live updates must not make them jump."""
        if not self._fitted and self._proxy.rowCount():
            self._fitted = True
            self.fit_columns()

    def fit_columns(self) -> None:
        for column in range(self._proxy.columnCount()):
            self.resizeColumnToContents(column)

    def resident_id_at(self, index: QModelIndex | QPersistentModelIndex) -> str | None:
        return index.siblingAtColumn(COL_NAME).data(ResidentIdRole)

    def select_row(self, row: int) -> None:
        index = self.model().index(row, COL_NAME)
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.selectionModel().setCurrentIndex(index, flags)
        self.scrollTo(index)

    def select_first(self) -> bool:
        """Select the first resident shown (below a group's header); False when none is shown."""
        model = self.model()
        for row in range(model.rowCount()):
            if model.index(row, COL_NAME).data(ResidentIdRole) is not None:
                self.select_row(row)
                return True
        return False

    def select_resident(self, resident_id: str) -> bool:
        """Select the row of ``resident_id`` if it is shown; False when it is not (filtered or gone)."""
        model = self.model()
        for row in range(model.rowCount()):
            if model.index(row, COL_NAME).data(ResidentIdRole) == resident_id:
                if self.currentIndex().row() != row:
                    self.select_row(row)
                return True
        return False
