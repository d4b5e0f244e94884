"""The privacy officer's access-log viewer: the entries, a chain check, and a JSON export.

Everything comes through the service facade (``read_audit``), so the check and the export are logged
like any other access.
"""

from __future__ import annotations

import json
from pathlib import Path

from slimmaatwerk.gui.i18n import current_language
from slimmaatwerk.gui.privacy_strings import text
from slimmaatwerk.gui.qt import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from slimmaatwerk.service import Service

COLUMNS = ("time", "user", "action", "resident", "detail")


class AuditViewer(QWidget):
    def __init__(self, service: Service, protection_text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.entries: list[dict] = []
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.banner = QLabel(protection_text)
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background: #fff4ce; padding: 6px;")
        self.banner.setVisible(bool(protection_text))
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.verify_button, self.export_button = QPushButton(), QPushButton()
        self.verify_button.clicked.connect(self.verify)
        buttons = QHBoxLayout()
        buttons.addWidget(self.verify_button)
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.banner)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(self.table)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(text("audit.title"))
        self.verify_button.setText(text("audit.verify"))
        self.export_button.setText(text("audit.export"))
        self.table.setHorizontalHeaderLabels([text(f"audit.col.{c}") for c in COLUMNS])
        self._fill()

    def load(self, resident_id: str | None = None) -> None:
        self.entries = self.service.privacy.export_audit(resident_id)
        self._fill()

    def _fill(self) -> None:
        self.table.setRowCount(len(self.entries))
        for row, entry in enumerate(self.entries):
            values = (entry["time"][:19].replace("T", " "), entry["user"], text(f"action.{entry['action']}"),
                      entry["resident_id"] or "—", entry["detail"])
            for col, value in enumerate(values):
                self.table.setItem(row, col, QTableWidgetItem(str(value)))
        self.table.resizeColumnsToContents()

    def verify(self) -> bool:
        verdict = self.service.privacy.verify_audit()
        lang = current_language()
        if verdict.intact:
            self.status.setText(text("audit.intact", entries=verdict.entries, checkpoints=verdict.checkpoints))
            self.status.setStyleSheet("color: #107c10; font-weight: bold;")
        else:
            self.status.setText(text("audit.broken", text=verdict.broken.text[lang]))  # type: ignore[union-attr]
            self.status.setStyleSheet("color: #a4262c; font-weight: bold;")
        return verdict.intact

    def export_to(self, path: Path) -> int:
        """Write the loaded entries as JSON (the button asks for a file name, then calls this)."""
        path.write_text(json.dumps({"entries": self.entries}, ensure_ascii=False, indent=1), encoding="utf-8")
        return len(self.entries)
