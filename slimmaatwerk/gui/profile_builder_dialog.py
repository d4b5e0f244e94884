"""The profile builder: from sample payloads of an unknown device to a validated profile in the user folder.

A thin layer over ``pairing.profile_builder``: samples are pasted or captured on the home's broker (off
the UI thread), every field gets a kind and converter (suggested, the installer decides), and the
preview below shows what the engine's own pipeline makes of each sample — events, and fields refused
with the reason — updated as the installer edits. "Save" validates with the built-in schema and the
clash checks and writes ``<data dir>/device_profiles/<id>.json``.

Capturing logs in as pairing does: the home's broker settings (address, user, the password from the
keyring, TLS files) come from the wizard or from ``broker_lookup`` (run off the UI thread); the password
is never shown, and one typed here is used for this capture only. Kinds are offered in words; the
profile stores their code names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from slimmaatwerk.errors import SlimMaatwerkError
from slimmaatwerk.events import KINDS
from slimmaatwerk.gui.i18n import current_language
from slimmaatwerk.gui.list_model import ListTableModel
from slimmaatwerk.gui.qt import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    Qt,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from slimmaatwerk.gui.visits_dialog import OK, WARN
from slimmaatwerk.gui.workers import BackgroundRunner
from slimmaatwerk.pairing import profile_builder as pb
from slimmaatwerk.pairing.broker import BrokerSettings, ConnectFailed
from slimmaatwerk.pairing.texts import text
from slimmaatwerk.profiles import CONVERTERS

PREVIEW_COLUMNS = ("sample", "events", "rejected")
# Converters that make sense for a hand-made profile (the others need options the builder does not ask).
CHOICES = tuple(c for c in ("number", "boolean", "boolean_inverted") if c in CONVERTERS)


def t(key: str, **kw: object) -> str:
    return text(key, current_language(), **kw)


def kind_words(kind: str) -> str:
    """A kind as the installer reads it ("beweging"); "" is the choice not to use the field."""
    return t(f"kind.{kind}") if kind else t("builder.kind.none")


class PreviewModel(ListTableModel):
    """Each sample and what the draft profile makes of it; failures in red."""

    columns = PREVIEW_COLUMNS

    def header(self, column: str) -> str:
        return t(f"builder.col.{column}")

    def cell(self, row: pb.PreviewRow, column: str) -> str:
        if column == "sample":
            return row.sample if len(row.sample) <= 80 else row.sample[:79] + "…"
        if column == "events":
            if not row.readings:
                return t("builder.no_events", reason=row.reason or "—")
            return ", ".join(f"{r.kind} {r.value:g}" for r in row.readings)
        return ", ".join(f"{path}: {reason}" for path, reason in row.rejected) or "—"

    def cell_role(self, row: pb.PreviewRow, column: str, role: int) -> Any:
        failed = (column == "events" and not row.readings) or (column == "rejected" and row.rejected)
        return Qt.GlobalColor.red if role == Qt.ItemDataRole.ForegroundRole and failed else None


class ProfileBuilderDialog(QDialog):
    saved = Signal(object)  # the path of the saved profile file

    def __init__(self, user_dir: Path | None, tools: Any = None, *, topic: str = "", samples: tuple[str, ...] = (),
                 broker_url: str = "", broker: BrokerSettings | None = None,
                 broker_lookup: Callable[[], tuple[str, BrokerSettings | None]] | None = None,
                 runner: BackgroundRunner | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.user_dir = user_dir
        self.tools = tools  # pairing.tools.MqttTools, for capturing; None: paste only
        self.runner = runner or BackgroundRunner(self)
        self.busy = False
        self.known = broker  # the home's broker with its password (in memory only), or None
        self.fields: list[pb.FieldSample] = []
        self.resize(940, 720)

        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.topic = QLineEdit(topic)
        self.samples = QPlainTextEdit("\n".join(samples))
        self.samples.setFixedHeight(84)
        self.broker = QLineEdit(broker.url if broker is not None else broker_url)
        self.username = QLineEdit(broker.username if broker is not None else "")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.capture_seconds = QSpinBox()
        self.capture_seconds.setRange(1, 120)
        self.capture_seconds.setValue(5)
        self.capture_button = QPushButton()
        self.capture_button.clicked.connect(self.capture)
        self.capture_button.setEnabled(tools is not None)
        capture_row = QHBoxLayout()
        capture_row.addWidget(self.broker, 5)
        capture_row.addWidget(self.username, 2)
        capture_row.addWidget(self.password, 3)
        capture_row.addWidget(self.capture_seconds)
        capture_row.addWidget(self.capture_button)

        self.field_table = QTableWidget(0, 4)
        self.field_table.verticalHeader().setVisible(False)
        self.field_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.field_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.field_table.setMinimumHeight(130)

        self.profile_id, self.description = QLineEdit(), QLineEdit()
        self.model_name, self.vendor = QLineEdit(), QLineEdit()
        self.interval = QSpinBox()
        self.interval.setRange(10, 7 * 86400)
        self.interval.setValue(3600)
        self.power = QComboBox()
        identity_row = QHBoxLayout()
        for widget in (self.profile_id, self.description):
            identity_row.addWidget(widget)
        model_row = QHBoxLayout()
        for widget in (self.model_name, self.vendor, self.interval, self.power):
            model_row.addWidget(widget)

        self.preview_model = PreviewModel()
        self.preview = QTableView()
        self.preview.setModel(self.preview_model)
        self.preview.verticalHeader().setVisible(False)
        self.preview.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.preview.setMinimumHeight(110)

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.test_button, self.save_button, self.close_button = QPushButton(), QPushButton(), QPushButton()
        self.test_button.clicked.connect(self.test)
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        for button in (self.test_button, self.save_button, self.close_button):
            buttons.addWidget(button)

        self.labels: dict[str, QLabel] = {k: QLabel() for k in ("builder.topic", "builder.samples", "builder.broker",
                                                               "builder.fields", "builder.id", "builder.model",
                                                               "builder.preview")}
        form = QFormLayout()
        form.addRow(self.labels["builder.topic"], self.topic)
        form.addRow(self.labels["builder.samples"], self.samples)
        form.addRow(self.labels["builder.broker"], capture_row)
        form.addRow(self.labels["builder.id"], identity_row)
        form.addRow(self.labels["builder.model"], model_row)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.labels["builder.fields"])
        layout.addWidget(self.field_table, 1)
        layout.addWidget(self.labels["builder.preview"])
        layout.addWidget(self.preview, 1)
        layout.addLayout(buttons)

        # Live preview: recomputed shortly after the last edit (typing does not re-run it per key).
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self.refresh_preview)
        self.samples.textChanged.connect(self._samples_changed)
        for edit in (self.topic, self.profile_id):
            edit.textChanged.connect(lambda _t: self._timer.start())
        self.retranslate()
        self._samples_changed()
        self.refresh_preview()
        if broker_lookup is not None and broker is None:
            self.busy = True
            self.capture_button.setEnabled(False)
            self.runner.run("broker", broker_lookup, self._broker_found, self._capture_failed)

    # -- words -----------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(t("builder.title"))
        self.intro.setText(t("builder.intro"))
        for key, label in self.labels.items():
            label.setText(t(key))
        self.labels["builder.id"].setText(f"{t('builder.id')} / {t('builder.description')}")
        self.labels["builder.model"].setText(" / ".join(t(k) for k in ("builder.model", "builder.vendor",
                                                                       "builder.interval", "builder.power")))
        self.profile_id.setPlaceholderText("acme.pir")
        self.description.setPlaceholderText(t("builder.description"))
        self.model_name.setPlaceholderText(t("builder.model"))
        self.vendor.setPlaceholderText(t("builder.vendor"))
        self.broker.setPlaceholderText("mqtt://192.168.1.20:1883")
        self.username.setPlaceholderText(t("builder.user"))
        self._password_hint()
        current = self.power.currentData()
        self.power.clear()
        for power in ("battery", "mains"):
            self.power.addItem(t(f"builder.power.{power}"), power)
        self.power.setCurrentIndex(max(0, self.power.findData(current)))
        self.capture_button.setText(t("builder.capture"))
        self.test_button.setText(t("builder.test"))
        self.save_button.setText(t("builder.save"))
        self.close_button.setText(t("common.close"))
        self.field_table.setHorizontalHeaderLabels([t(f"builder.col.{c}") for c in ("field", "values", "kind",
                                                                                    "converter")])
        for row in range(self.field_table.rowCount()):
            kind = self.field_table.cellWidget(row, 2)
            if isinstance(kind, QComboBox):
                for i in range(kind.count()):
                    kind.setItemText(i, kind_words(kind.itemData(i)))
        self.field_table.resizeColumnToContents(2)
        self.preview_model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(PREVIEW_COLUMNS) - 1)

    def _say(self, message: str, error: bool = False) -> None:
        self.status.setText(message)
        self.status.setStyleSheet(f"color: {WARN if error else OK}; font-weight: bold" if message else "")

    # -- fields ----------------------------------------------------------------------------------
    def sample_list(self) -> list[str]:
        return pb.parse_samples(self.samples.toPlainText())

    def _samples_changed(self) -> None:
        """Re-list the fields; a field the installer already mapped keeps its choice."""
        before = self.mappings()
        self.fields = pb.fields_of(self.sample_list())
        self.field_table.setRowCount(len(self.fields))
        for row, sample in enumerate(self.fields):
            self.field_table.setItem(row, 0, QTableWidgetItem(sample.path))
            values = ", ".join(str(v) for v in dict.fromkeys(map(str, sample.values)))
            self.field_table.setItem(row, 1, QTableWidgetItem(values))
            kind, converter = QComboBox(), QComboBox()
            kind.addItem(kind_words(""), "")
            for name in KINDS:
                kind.addItem(kind_words(name), name)
            for name in CHOICES:
                converter.addItem(name, name)
            chosen = before.get(sample.path)
            kind.setCurrentIndex(max(0, kind.findData(chosen.kind if chosen else sample.kind)))
            converter.setCurrentIndex(max(0, converter.findData(chosen.converter if chosen else sample.converter)))
            kind.currentIndexChanged.connect(lambda _i: self._timer.start())
            converter.currentIndexChanged.connect(lambda _i: self._timer.start())
            self.field_table.setCellWidget(row, 2, kind)
            self.field_table.setCellWidget(row, 3, converter)
        for column in (0, 2, 3):  # kinds in words are longer than their code names
            self.field_table.resizeColumnToContents(column)
        self._timer.start()

    def set_mapping(self, path: str, kind: str, converter: str = "number") -> None:
        for row, sample in enumerate(self.fields):
            if sample.path == path:
                self.field_table.cellWidget(row, 2).setCurrentIndex(  # type: ignore[attr-defined]
                    self.field_table.cellWidget(row, 2).findData(kind))  # type: ignore[attr-defined]
                self.field_table.cellWidget(row, 3).setCurrentIndex(  # type: ignore[attr-defined]
                    self.field_table.cellWidget(row, 3).findData(converter))  # type: ignore[attr-defined]
                return
        raise KeyError(path)

    def mappings(self) -> dict[str, pb.Mapping_]:
        out = {}
        for row in range(self.field_table.rowCount()):
            item, kind, converter = (self.field_table.item(row, 0), self.field_table.cellWidget(row, 2),
                                     self.field_table.cellWidget(row, 3))
            if item is not None and isinstance(kind, QComboBox) and isinstance(converter, QComboBox) \
                    and kind.currentData():
                out[item.text()] = pb.Mapping_(kind.currentData(), converter.currentData())
        return out

    def draft(self) -> pb.Draft:
        return pb.Draft(self.profile_id.text().strip(), self.description.text().strip(), self.topic.text().strip(),
                        self.mappings(), self.model_name.text().strip(), self.vendor.text().strip(),
                        self.interval.value(), self.power.currentData() or "battery")

    # -- preview, test, save --------------------------------------------------------------------
    def _problem(self) -> str:
        if not self.topic.text().strip():
            return t("builder.need_topic")
        if not self.sample_list():
            return t("builder.need_samples")
        return ""

    def refresh_preview(self) -> bool:
        """Show what the engine makes of every sample; False (with the reason) when it cannot yet."""
        problem = self._problem()
        if problem:
            self.preview_model.set_items([])
            self._say(problem, error=True)
            return False
        draft = self.draft()
        if not draft.id:
            draft.id = "preview.draft"  # the id is only needed to save
        try:
            self.preview_model.set_items(pb.preview_rows(draft, self.sample_list()))
        except SlimMaatwerkError as exc:
            self.preview_model.set_items([])
            self._say(str(exc), error=True)
            return False
        self._say("")
        return True

    def test(self) -> bool:
        """The full check a save makes (schema, examples), without writing anything."""
        if not self.refresh_preview():
            return False
        try:
            pb.profile_document(self.draft(), self.sample_list())
        except SlimMaatwerkError as exc:
            self._say(str(exc), error=True)
            return False
        events = sum(len(r.readings) for r in self.preview_model.items())
        self._say(t("builder.tested", events=events, samples=self.preview_model.rowCount()))
        return True

    def save(self) -> Path | None:
        if self.user_dir is None:
            self._say(t("builder.no_user_dir"), error=True)
            return None
        if not self.test():
            return None
        try:
            path = pb.save(self.draft(), self.sample_list(), self.user_dir)
        except SlimMaatwerkError as exc:
            self._say(str(exc), error=True)
            return None
        self._say(t("builder.saved", path=path))
        self.saved.emit(path)
        return path

    # -- capture ---------------------------------------------------------------------------------
    def capture(self) -> None:
        topic = self.topic.text().strip()
        if not topic:
            self._say(t("builder.need_topic"), error=True)
            return
        settings = self.capture_settings()
        if settings.check_url():
            self._say(t("error.invalid_url"), error=True)
            return
        tools, seconds = self.tools, self.capture_seconds.value()
        self.busy = True
        self.capture_button.setEnabled(False)
        self._say(t("common.busy"))
        self.runner.run("capture", lambda: tools.capture(settings, topic, seconds),
                        lambda found: self._captured(topic, found), self._capture_failed)

    def capture_settings(self) -> BrokerSettings:
        """What the capture logs in with: the fields as shown, the home's password unless one was typed."""
        url, user = self.broker.text().strip(), self.username.text().strip()
        known = self.known or BrokerSettings("")
        password = self.password.text()
        if not password and (known.url, known.username) == (url, user):
            password = known.password
        return replace(known, url=url, username=user, password=password)

    def _password_hint(self) -> None:
        stored = self.known is not None and bool(self.known.password)
        hint = t("builder.password_stored" if stored else "builder.password")
        self.password.setPlaceholderText(hint)
        self.password.setMinimumWidth(self.password.fontMetrics().horizontalAdvance(hint) + 24)  # readable in full

    def _broker_found(self, found: tuple[str, BrokerSettings | None]) -> None:
        self.busy = False
        self.capture_button.setEnabled(self.tools is not None)
        resident, settings = found
        if settings is None:
            return
        self.known = settings
        self.broker.setText(settings.url)
        self.username.setText(settings.username)
        self._password_hint()
        self._say(t("builder.broker_loaded", resident=resident))

    def _captured(self, topic: str, found: list[tuple[str, str]]) -> None:
        self.busy = False
        self.capture_button.setEnabled(True)
        if not found:
            self._say(t("builder.captured_none", topic=topic), error=True)
            return
        if any(c in topic for c in "+#"):
            self.topic.setText(found[0][0])  # a filter was asked; the profile needs a real sample topic
        existing = self.samples.toPlainText().rstrip()
        self.samples.setPlainText("\n".join([existing, *(p for _t, p in found)]).strip())
        self._say(t("builder.captured", count=len(found)))

    def _capture_failed(self, exc: BaseException) -> None:
        self.busy = False
        self.capture_button.setEnabled(self.tools is not None)
        if isinstance(exc, ConnectFailed):
            self._say(t(f"error.{exc.key}", detail=exc.detail), error=True)
        else:
            self._say(str(exc), error=True)

    def reject(self) -> None:
        self.runner.shutdown()
        super().reject()
