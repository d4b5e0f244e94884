"""The transparency view of one resident: what each role and each named relative can see.

Meant to be shown to the resident and their family as well as the care team: plain words, no
permission names, and "nothing until consent is given" where that is the case.
"""

from __future__ import annotations

from slimmaatwerk.consent import ALWAYS, SECTION_TEXT
from slimmaatwerk.gui.i18n import current_language
from slimmaatwerk.gui.privacy_strings import STRINGS, text
from slimmaatwerk.gui.qt import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from slimmaatwerk.privacy_service import Visibility
from slimmaatwerk.service import Service


def describe(line: Visibility, lang: str) -> str:
    if line.kind == "relative":
        sections = [s for s in line.sees if s != ALWAYS]
        if not sections:
            return text("transparency.nothing")
        return ", ".join(SECTION_TEXT[s][lang].lower() for s in sections)
    words = [text(f"perm.{p}") for p in line.sees if f"perm.{p}" in STRINGS]
    return ", ".join(words)


class TransparencyView(QWidget):
    def __init__(self, service: Service, resident_id: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service, self.resident_id, self.name = service, resident_id, name
        self.lines: list[Visibility] = []
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.table = QTableWidget(0, 2)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.table)
        self.retranslate()

    def load(self) -> None:
        self.lines = self.service.privacy.transparency(self.resident_id)
        self._fill()

    def retranslate(self) -> None:
        self.title.setText(text("transparency.title", name=self.name))
        self.table.setHorizontalHeaderLabels([text("transparency.who"), text("transparency.sees")])
        self._fill()

    def _fill(self) -> None:
        lang = current_language()
        self.table.setRowCount(len(self.lines))
        for row, line in enumerate(self.lines):
            who = line.who[lang]
            self.table.setItem(row, 0, QTableWidgetItem(who[0].upper() + who[1:]))
            self.table.setItem(row, 1, QTableWidgetItem(describe(line, lang)))
        self.table.resizeColumnToContents(0)
        self.table.resizeRowsToContents()

    def row_texts(self) -> list[tuple[str, str]]:
        return [(self.table.item(r, 0).text(), self.table.item(r, 1).text()) for r in range(self.table.rowCount())]
