"""The one place the GUI imports Qt from (Anki's ``aqt.qt`` idea).

Every other module in ``slimmaatwerk.gui`` writes ``from slimmaatwerk.gui.qt import QWidget, Signal``;
swapping or pinning the binding then touches one file. pyqtgraph is told to use the same binding.
"""

from __future__ import annotations

import os

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

from PySide6.QtCore import (  # noqa: E402
    QAbstractTableModel,
    QDate,
    QEventLoop,
    QItemSelectionModel,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRunnable,
    QSize,
    QSortFilterProxyModel,
    Qt,
    QThread,
    QThreadPool,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import (  # noqa: E402
    QAction,
    QActionGroup,
    QBrush,
    QColor,
    QFont,
    QGuiApplication,
    QKeySequence,
    QPalette,
)
from PySide6.QtWidgets import (  # noqa: E402
    QAbstractItemView,
    QApplication,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStatusBar,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

__all__ = [
    "QAbstractItemView",
    "QAbstractTableModel",
    "QAction",
    "QActionGroup",
    "QApplication",
    "QBrush",
    "QColor",
    "QDate",
    "QEventLoop",
    "QFont",
    "QFrame",
    "QGuiApplication",
    "QHBoxLayout",
    "QHeaderView",
    "QItemSelectionModel",
    "QKeySequence",
    "QLabel",
    "QLineEdit",
    "QLocale",
    "QMainWindow",
    "QModelIndex",
    "QObject",
    "QPalette",
    "QPersistentModelIndex",
    "QRunnable",
    "QScrollArea",
    "QSize",
    "QSizePolicy",
    "QSortFilterProxyModel",
    "QSplitter",
    "QStatusBar",
    "QTabWidget",
    "QTableView",
    "QTableWidget",
    "QTableWidgetItem",
    "QThread",
    "QThreadPool",
    "QTimer",
    "QVBoxLayout",
    "QWidget",
    "Qt",
    "Signal",
    "Slot",
]
