"""A home's commissioning records: list, open one read-only, start a new version, export the PDF again.

A thin layer over the installer facade (``pairing.installer``, ``pairing.record_versions``) and the
Qt-free PDF (``commissioning.pdf``); every read, save and export runs off the UI thread.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from slimmaatwerk.commissioning.pdf import render
from slimmaatwerk.commissioning.record import CommissioningRecord, Household, PrivacyAnswers
from slimmaatwerk.gui.i18n import current_language
from slimmaatwerk.gui.list_model import ListTableModel
from slimmaatwerk.gui.qt import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    Qt,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from slimmaatwerk.gui.visits_dialog import OK, WARN, fill_residents, refusal
from slimmaatwerk.gui.workers import BackgroundRunner
from slimmaatwerk.pairing.installer import Installer
from slimmaatwerk.pairing.record_versions import new_version
from slimmaatwerk.pairing.texts import problem_text, text

COLUMNS = ("version", "status", "completed")


def t(key: str, **kw: object) -> str:
    return text(key, current_language(), **kw)


class RecordsModel(ListTableModel):
    """(record id, version, status, completed at) rows, newest first; UserRole gives the record id."""

    columns = COLUMNS

    def set_records(self, records: list[tuple[int, int, str, str]]) -> None:
        self.set_items(sorted(records, key=lambda r: -r[1]))

    def header(self, column: str) -> str:
        return t(f"records.col.{column}")

    def cell(self, item: tuple[int, int, str, str], column: str) -> str:
        _record_id, version, status, completed = item
        return {"version": str(version), "status": t(f"records.status.{status}"),
                "completed": completed[:16].replace("T", " ")}[column]

    def cell_role(self, item: tuple[int, int, str, str], column: str, role: int) -> Any:
        return item[0] if role == Qt.ItemDataRole.UserRole else None


def record_html(record: CommissioningRecord, language: str) -> str:
    """The record read-only, as the PDF has it (same words, same order)."""
    def w(key: str, **kw: object) -> str:
        return escape(text(key, language, **kw))

    def rows(pairs: list[tuple[str, str]]) -> str:
        return "".join(f"<tr><td style='padding-right:12px'><b>{k}</b></td><td>{escape(v)}</td></tr>" for k, v in pairs)

    h, p = record.household, record.privacy
    consent = text(f"choice.{p.consent_by}", language) + (f": {p.consent_name}" if p.consent_name else "")
    parts = [f"<h2>{w('pdf.title')} — {w('pdf.version', version=record.version)}</h2><table>",
             rows([(w("pdf.resident"), f"{record.resident_name} ({record.resident_id})"),
                   (w("pdf.home"), record.home_id), (w("pdf.installer"), record.installer),
                   (w("pdf.completed"), record.completed_at.replace("T", " ")),
                   (w("pdf.broker"), record.broker_url or "—")]),
             f"</table><h3>{w('pdf.household')}</h3><table>",
             rows([(w("field.household"), text(f"choice.{h.composition}", language)),
                   (w("field.pet"), text("pdf.yes" if h.pet else "pdf.no", language)),
                   (w("field.care_visits"), h.care_visits or text("pdf.none", language))]),
             f"</table><h3>{w('pdf.privacy')}</h3><table>",
             rows([(w("field.purpose"), p.purpose or "—"), (w("field.data_need"), p.data_need or "—"),
                   (w("field.alternatives"), p.alternatives or "—"), (w("field.consent_by"), consent),
                   (w("field.consent_given"), text("pdf.yes" if p.consent_given else "pdf.no", language))]),
             f"</table><h3>{w('pdf.devices')} ({len(record.devices)})</h3><table cellpadding='3'>",
             "<tr>" + "".join(f"<th align='left'>{w(k)}</th>" for k in
                              ("pdf.col.device", "pdf.col.where", "pdf.col.test", "pdf.col.health")) + "</tr>"]
    for d in record.devices:
        where = text(f"room.{d.room}", language) + (f" / {d.placement.replace('_', ' ')}" if d.placement else "")
        result = text(f"result.{d.result}", language)
        if d.tested_at:
            result += " · " + text("records.tested_at", language, time=d.tested_at[:16].replace("T", " "))
        problems = [problem_text(k, d.problem_args[i] if i < len(d.problem_args) else {}, language)
                    for i, k in enumerate(d.problems)]
        health = " / ".join([f"{d.battery:.0f} %" if d.battery is not None else "—",
                             str(d.signal) if d.signal is not None else "—"])
        colour = OK if d.result == "passed" else WARN
        parts.append(f"<tr><td>{escape(d.name)}<br><small>{escape(d.id)}</small></td><td>{escape(where)}</td>"
                     f"<td style='color:{colour}'>{escape(result)}"
                     + (f"<br><small>{escape('; '.join(problems))}</small>" if problems else "")
                     + f"</td><td>{escape(health)}</td></tr>")
    parts.append("</table>")
    if record.notes:
        parts.append(f"<h3>{w('field.notes')}</h3><p>{escape(record.notes)}</p>")
    return "".join(parts)


class CommissioningDialog(QDialog):
    def __init__(self, installer: Installer, resident_id: str | None = None, runner: BackgroundRunner | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.installer = installer
        self.runner = runner or BackgroundRunner(self)
        self.wanted = resident_id
        self.record: CommissioningRecord | None = None  # the one opened
        self.busy = False
        self.resize(920, 640)

        self.resident_label, self.resident = QLabel(), QComboBox()
        self.resident.currentIndexChanged.connect(lambda _i: self.reload())
        self.tabs = QTabWidget()
        self.model = RecordsModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.open_button, self.version_button, self.export_button = QPushButton(), QPushButton(), QPushButton()
        self.open_button.clicked.connect(self.open_selected)
        self.version_button.clicked.connect(self.start_version)
        self.export_button.clicked.connect(self._ask_export)
        list_page = QWidget()
        list_layout = QVBoxLayout(list_page)
        list_layout.addWidget(self.table)
        row = QHBoxLayout()
        for button in (self.open_button, self.version_button, self.export_button):
            row.addWidget(button)
        row.addStretch(1)
        list_layout.addLayout(row)

        self.view = QLabel()
        self.view.setWordWrap(True)
        self.view.setTextFormat(Qt.TextFormat.RichText)
        self.view.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.view.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.view)

        self.edit_intro = QLabel()
        self.edit_intro.setWordWrap(True)
        self.inputs: dict[str, QWidget] = {
            "household": QComboBox(), "pet": QCheckBox(), "care_visits": QLineEdit(),
            "purpose": QPlainTextEdit(), "data_need": QPlainTextEdit(), "alternatives": QPlainTextEdit(),
            "consent_by": QComboBox(), "consent_name": QLineEdit(), "consent_given": QCheckBox(),
            "notes": QPlainTextEdit(),
        }
        for name in ("purpose", "data_need", "alternatives", "notes"):
            self.inputs[name].setFixedHeight(48)  # type: ignore[attr-defined]
        self.edit_labels: dict[str, QLabel] = {}
        for widget in self.inputs.values():  # an old complaint goes once the installer edits
            for signal in ("textChanged", "toggled", "currentIndexChanged"):
                if hasattr(widget, signal):
                    getattr(widget, signal).connect(lambda *_: self._say("") if self.status.text() else None)
        self.save_button = QPushButton()
        self.save_button.clicked.connect(self.save_version)
        edit_page = QWidget()
        form = QFormLayout(edit_page)
        form.addRow(self.edit_intro)
        for name, widget in self.inputs.items():
            if isinstance(widget, QCheckBox):
                form.addRow("", widget)
            else:
                self.edit_labels[name] = QLabel()  # unwrapped: wrapped form labels get clipped
                form.addRow(self.edit_labels[name], widget)
        form.addRow("", self.save_button)

        self.tabs.addTab(list_page, "")
        self.tabs.addTab(scroll, "")
        self.tabs.addTab(edit_page, "")
        self.tabs.setTabEnabled(1, False)
        self.tabs.setTabEnabled(2, False)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(self.resident_label)
        top.addWidget(self.resident, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)
        self.retranslate()
        self._set_busy(True)
        service = installer.service
        self.runner.run("records-residents", lambda: [(r.id, r.name) for r in service.list_residents()],
                        self._show_residents, self._failed)

    def retranslate(self) -> None:
        self.setWindowTitle(t("records.title"))
        self.resident_label.setText(t("common.resident"))
        for index, key in enumerate(("records.tab.list", "records.tab.view", "records.tab.edit")):
            self.tabs.setTabText(index, t(key))
        self.open_button.setText(t("records.open"))
        self.version_button.setText(t("records.new_version"))
        self.export_button.setText(t("records.export"))
        self.save_button.setText(t("records.save"))
        self.close_button.setText(t("common.close"))
        for name, label in self.edit_labels.items():
            label.setText(t(f"field.{name}"))
        for name in ("pet", "consent_given"):
            self.inputs[name].setText(t(f"field.{name}"))  # type: ignore[attr-defined]
        for name, choices in (("household", ("alone", "partner")), ("consent_by", ("resident", "representative"))):
            box = self.inputs[name]
            assert isinstance(box, QComboBox)
            current = box.currentData()
            box.clear()
            for choice in choices:
                box.addItem(t(f"choice.{choice}"), choice)
            box.setCurrentIndex(max(0, box.findData(current)))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self.record is not None:
            self.view.setText(record_html(self.record, current_language()))

    # -- plumbing --------------------------------------------------------------------------------
    def _say(self, message: str, error: bool = False) -> None:
        self.status.setText(message)
        self.status.setStyleSheet(f"color: {WARN if error else OK}; font-weight: bold" if message else "")

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for button in (self.open_button, self.version_button, self.export_button, self.save_button):
            button.setEnabled(not busy)

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self._say(refusal(exc), error=True)

    def _show_residents(self, residents: list[tuple[str, str]]) -> None:
        self._set_busy(False)
        if not fill_residents(self.resident, residents, self.wanted):
            self._say(t("common.no_residents"), error=True)
            return
        self.reload()

    def reload(self) -> None:
        rid = self.resident.currentData()
        if rid is None:
            return
        installer = self.installer
        self._set_busy(True)
        self.runner.run("records-list", lambda: installer.records(rid), self._show_records, self._failed)

    def _show_records(self, records: list[tuple[int, int, str, str]]) -> None:
        self._set_busy(False)
        self.model.set_records(records)
        if records:
            self.table.selectRow(0)
        else:
            self._say(t("records.empty"))

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.item(rows[0].row())[0] if rows else None

    # -- actions ---------------------------------------------------------------------------------
    def open_selected(self, then: str = "view") -> None:
        record_id = self.selected_id()
        if record_id is None:
            self._say(t("records.choose_one"), error=True)
            return
        installer = self.installer
        self._set_busy(True)
        self.runner.run("records-open", lambda: installer.open_record(record_id),
                        lambda record: self._opened(record, then), self._failed)

    def _opened(self, record: CommissioningRecord, then: str) -> None:
        self._set_busy(False)
        self.record = record
        self.view.setText(record_html(record, current_language()))
        self.tabs.setTabEnabled(1, True)
        if then == "view":
            self.tabs.setCurrentIndex(1)
        elif then == "edit":
            self._fill_editor(record)
        elif then.startswith("export:"):
            self.export_to(Path(then.removeprefix("export:")))

    def start_version(self) -> None:
        self.open_selected("edit")

    def _fill_editor(self, record: CommissioningRecord) -> None:
        h, p = record.household, record.privacy
        values: dict[str, object] = {"household": h.composition, "pet": h.pet, "care_visits": h.care_visits,
                                     "purpose": p.purpose, "data_need": p.data_need, "alternatives": p.alternatives,
                                     "consent_by": p.consent_by, "consent_name": p.consent_name,
                                     "consent_given": p.consent_given, "notes": record.notes}
        for name, value in values.items():
            widget = self.inputs[name]
            if isinstance(widget, QComboBox):
                widget.setCurrentIndex(max(0, widget.findData(value)))
            elif isinstance(widget, QCheckBox):
                widget.setChecked(bool(value))
            elif isinstance(widget, QPlainTextEdit):
                widget.setPlainText(str(value))
            elif isinstance(widget, QLineEdit):
                widget.setText(str(value))
        self.edit_intro.setText(t("records.edit_intro", version=record.version))
        self.tabs.setTabEnabled(2, True)
        self.tabs.setCurrentIndex(2)

    def _value(self, name: str) -> Any:
        widget = self.inputs[name]
        if isinstance(widget, QComboBox):
            return widget.currentData()
        if isinstance(widget, QCheckBox):
            return widget.isChecked()
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText().strip()
        return widget.text().strip()  # type: ignore[attr-defined]

    def save_version(self) -> None:
        base = self.record
        if base is None:
            self._say(t("records.choose_one"), error=True)
            return
        v = self._value
        household = Household(v("household"), v("pet"), v("care_visits"))
        privacy = PrivacyAnswers(v("purpose"), v("data_need"), v("alternatives"), v("consent_by"),
                                 v("consent_name"), v("consent_given"))
        missing = [k for k in ("purpose", "data_need") if not v(k)]
        if missing:
            self._say(t("error.required") + " (" + ", ".join(t(f"field.{k}") for k in missing) + ")", error=True)
            return
        if not privacy.consent_given:
            self._say(t("error.consent_required"), error=True)
            return
        if privacy.consent_by == "representative" and not privacy.consent_name:
            self._say(t("error.representative_name"), error=True)
            return
        installer, notes = self.installer, v("notes")
        self._set_busy(True)
        self.runner.run("records-save", lambda: new_version(installer, base.record_id, household, privacy, notes),
                        self._saved, self._failed)

    def _saved(self, record: CommissioningRecord) -> None:
        self._set_busy(False)
        self.record = record
        self.view.setText(record_html(record, current_language()))
        self.tabs.setTabEnabled(2, False)
        self.tabs.setCurrentIndex(1)
        self._say(t("records.saved", version=record.version))
        self.reload()

    def _ask_export(self) -> None:
        if self.selected_id() is None:
            self._say(t("records.choose_one"), error=True)
            return
        name, _ = QFileDialog.getSaveFileName(self, t("records.export"), "ingebruikname.pdf", "PDF (*.pdf)")
        if name:
            self.open_selected(f"export:{name}")

    def export_to(self, path: Path) -> None:
        """Render the opened record to ``path`` in the current language (off the UI thread)."""
        record, language = self.record, current_language()
        if record is None:
            self._say(t("records.choose_one"), error=True)
            return
        self._set_busy(True)
        self.runner.run("records-pdf", lambda: render(record, path, language),
                        lambda out: (self._set_busy(False), self._say(t("records.exported", path=out))),
                        self._failed)

    def reject(self) -> None:
        self.runner.shutdown()
        super().reject()
