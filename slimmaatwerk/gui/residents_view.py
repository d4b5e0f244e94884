"""The residents table view: row selection by resident id and calm, stable column widths."""

from __future__ import annotations

from slimmaatwerk.gui.overview_model import COL_NAME, COL_STATUS, ResidentFilterProxy, ResidentIdRole
from slimmaatwerk.gui.qt import (
    QAbstractItemView,
    QHeaderView,
    QItemSelectionModel,
    QModelIndex,
    Qt,
    QTableView,
)

FIT_ROWS = 100


class ResidentsTable(QTableView):
    def __init__(self, proxy: ResidentFilterProxy) -> None:
        super().__init__()
        self._proxy = proxy
        self._fitted = False
        self.setModel(proxy)
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

    def fit_columns_once(self) -> None:
        """Size columns to their content on the first data only: live updates must not make them jump."""
        if not self._fitted and self._proxy.rowCount():
            self._fitted = True
            self.fit_columns()

    def fit_columns(self) -> None:
        for column in range(self._proxy.columnCount()):
            self.resizeColumnToContents(column)

    def resident_id_at(self, index: QModelIndex) -> str | None:
        return index.siblingAtColumn(COL_NAME).data(ResidentIdRole)

    def select_row(self, row: int) -> None:
        index = self._proxy.index(row, COL_NAME)
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.selectionModel().setCurrentIndex(index, flags)
        self.scrollTo(index)

    def select_resident(self, resident_id: str) -> bool:
        """Select the row of ``resident_id`` if it is shown; False when it is not (filtered or gone)."""
        for row in range(self._proxy.rowCount()):
            if self._proxy.index(row, COL_NAME).data(ResidentIdRole) == resident_id:
                if self.currentIndex().row() != row:
                    self.select_row(row)
                return True
        return False
