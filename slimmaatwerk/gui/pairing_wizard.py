"""The installer's pairing wizard: a QWizard that only renders the steps of ``pairing.flow``.

Every page is built from the flow's ``ShowForm`` (fields, error keys, placeholders); pressing Next
submits the page to the flow, off the UI thread (broker steps take seconds), and the flow's answer
decides what is shown: the same page with errors, the next step, the finished record or an abort.
The walk-test page is fed by the flow's live monitor through a queued signal: paho's and the monitor's
threads never touch a widget.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from slimmaatwerk.gui.i18n import current_language, placement_name, room_name
from slimmaatwerk.gui.profile_builder_dialog import ProfileBuilderDialog
from slimmaatwerk.gui.qt import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QObject,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    Qt,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
    Signal,
    Slot,
)
from slimmaatwerk.gui.workers import BackgroundRunner
from slimmaatwerk.pairing.discover import Candidate
from slimmaatwerk.pairing.flow import PairingFlow
from slimmaatwerk.pairing.forms import STEPS, Abort, Done, Field, Result, ShowForm
from slimmaatwerk.pairing.texts import problem_text, text
from slimmaatwerk.pairing.walktest import SensorCheck
from slimmaatwerk.profiles.user_profiles import load_library

LIT, WAITING, WARN = "#2e7d32", "#9e9e9e", "#c62828"


def t(key: str, **kw: object) -> str:
    return text(key, current_language(), **kw)


class _Relay(QObject):
    """Lives on the UI thread; emitted from the walk-test thread, delivered queued."""

    check = Signal(object)


class StepPage(QWizardPage):
    def __init__(self, wizard: PairingWizard, step: str) -> None:
        super().__init__()
        self.wiz = wizard
        self.step = step
        self.inputs: dict[str, Any] = {}
        self.rows: dict[str, tuple[QLabel, QLabel]] = {}
        self.buttons: dict[str, QPushButton] = {}
        self._layout = QVBoxLayout(self)
        self._body = QWidget()
        self._layout.addWidget(self._body)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {WARN}; font-weight: bold")
        self._layout.addWidget(self.error)

    # -- rendering -------------------------------------------------------------------------------
    def render(self, form: ShowForm) -> None:
        self.setTitle(t(f"step.{self.step}"))
        self.setSubTitle(t(f"desc.{self.step}", **form.placeholders))
        self._layout.removeWidget(self._body)
        self._body.deleteLater()
        self._body = QWidget()
        self._layout.insertWidget(0, self._body)
        self.inputs, self.rows, self.buttons = {}, {}, {}
        layout = QFormLayout(self._body)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for field in form.data_schema:
            widget = self._widget(field)
            label = field.label if field.group else t(f"field.{field.name}")
            if field.kind in ("devices", "walktest") or (field.kind == "bool" and not field.group):
                layout.addRow(widget)  # a table, or a check box that carries its own words
            elif field.group and field.name.startswith("placement:"):
                layout.addRow(f"    {t('field.placement')}", widget)
            else:
                layout.addRow(label, widget)
            message = form.errors.get(field.name)
            if message:
                hint = QLabel(t(f"error.{message}", **form.placeholders))
                hint.setStyleSheet(f"color: {WARN}")
                layout.addRow("", hint)
        base = form.errors.get("base")
        self.error.setStyleSheet(f"color: {WARN}; font-weight: bold")
        self.error.setText(t(f"error.{base}", **form.placeholders) if base else "")

    def _widget(self, field: Field) -> QWidget:
        kind = field.kind
        if kind in ("text", "password"):
            widget = QLineEdit(str(field.default or ""))
            if kind == "password":
                widget.setEchoMode(QLineEdit.EchoMode.Password)
        elif kind == "textarea":
            widget = QPlainTextEdit(str(field.default or ""))
            widget.setFixedHeight(54)
        elif kind == "int":
            widget = QSpinBox()
            widget.setRange(1, 300)
            widget.setValue(int(field.default or 3))
        elif kind == "bool":
            widget = QCheckBox(t(f"field.{field.name}") if not field.group else "")
        elif kind == "choice":
            widget = QComboBox()
            for value, label in field.options:
                shown = room_name(value) if label.startswith("room.") else (t(label) if "." in label and
                                                                           label.split(".")[0] == "choice" else label)
                widget.addItem(shown, value)
            widget.setCurrentIndex(max(0, widget.findData(field.default)))
            # Long profile descriptions must not widen the wizard past the screen of a laptop.
            widget.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            widget.setMinimumContentsLength(22)
        elif kind == "devices":
            widget = self._devices(field)
        else:
            widget = self._walk(field)
        if kind == "bool":
            widget.setChecked(bool(field.default))
        self.inputs[field.name] = widget
        return widget

    def _devices(self, field: Field) -> QWidget:
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        chosen = set(field.default or [])
        boxes = {}
        for row, c in enumerate(field.rows):
            check = QCheckBox(c.name or c.id)
            check.setChecked(c.id in chosen)
            check.setEnabled(c.source != "unknown")
            boxes[c.id] = check
            what = " ".join(x for x in (c.vendor, c.model) if x) or t(f"source.{c.source}")
            extra = [t(f"source.{c.source}")]
            if c.joined:
                extra.append(t("discover.joined"))
            grid.addWidget(check, row, 0)
            grid.addWidget(QLabel(what), row, 1)
            grid.addWidget(QLabel(c.suggested_profile or "—"), row, 2)
            grid.addWidget(QLabel(" · ".join(extra)), row, 3)
            if c.source == "unknown" and self.wiz.user_profiles_dir is not None:
                # No profile for this device: make one from the samples seen, then search again.
                make = QPushButton(t("builder.make"))
                make.clicked.connect(lambda _=False, found=c: self.wiz.open_builder(found))
                grid.addWidget(make, row, 4)
                self.buttons[f"make:{c.id}"] = make
        grid.setColumnStretch(5, 1)
        self.inputs["_device_boxes"] = boxes
        return box

    def _walk(self, field: Field) -> QWidget:
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        for row, check in enumerate(field.rows):
            light, status = QLabel("●"), QLabel()
            light.setStyleSheet(f"font-size: 20px; color: {WAITING}")
            status.setWordWrap(True)
            status.setMaximumWidth(460)
            button = QPushButton(t(f"walk.action.{check.sensor.action}"))
            button.clicked.connect(lambda _=False, sid=check.sensor.id: self.wiz.flow.focus(sid))
            name = QLabel(f"<b>{check.sensor.name}</b><br>{room_name(check.sensor.room)}"
                          + (f" · {placement_name(check.sensor.placement)}" if check.sensor.placement else ""))
            grid.addWidget(light, row, 0)
            grid.addWidget(name, row, 1)
            grid.addWidget(button, row, 2)
            grid.addWidget(status, row, 3)
            self.rows[check.sensor.id] = (light, status)
            self.buttons[check.sensor.id] = button
            self.update_check(check)
        grid.setColumnStretch(4, 1)  # spare width goes to an empty column, not between name and button
        return box

    def update_check(self, check: SensorCheck) -> None:
        light, status = self.rows.get(check.sensor.id, (None, None))
        if light is None or status is None:
            return
        colour = LIT if check.confirmed else (WARN if check.lit else WAITING)
        light.setStyleSheet(f"font-size: 20px; color: {colour}")
        parts = [t("walk.lit", event=check.last_event) if check.lit else t("walk.waiting")]
        if check.battery is not None:
            parts.append(t("walk.battery", value=round(check.battery)))
        if check.signal is not None:
            parts.append(t("walk.signal", value=check.signal))
        # Live, "nothing yet" is no problem: those two are named in the record if they last.
        problems = [problem_text(k, a, current_language()) for k, a in check.problems
                    if k not in ("no_messages", "no_activity")]
        self._mark_focus()
        status.setText(" · ".join(parts) + ("".join(f"<br><span style='color:{WARN}'>{p}</span>"
                                                    for p in problems)))

    def _mark_focus(self) -> None:
        live = self.wiz.flow.live
        focus = live.walk.focus if live is not None else None
        for sensor_id, button in self.buttons.items():
            button.setStyleSheet("font-weight: bold" if sensor_id == focus else "")
            button.setText(("▶ " if sensor_id == focus else "") + button.text().removeprefix("▶ "))

    # -- reading -------------------------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, widget in self.inputs.items():
            if name == "_device_boxes":
                out["devices"] = [i for i, box in widget.items() if box.isChecked()]
            elif isinstance(widget, QLineEdit):
                out[name] = widget.text()
            elif isinstance(widget, QPlainTextEdit):
                out[name] = widget.toPlainText()
            elif isinstance(widget, QSpinBox):
                out[name] = widget.value()
            elif isinstance(widget, QCheckBox):
                out[name] = widget.isChecked()
            elif isinstance(widget, QComboBox):
                out[name] = widget.currentData()
        return out

    # -- QWizard hooks -------------------------------------------------------------------------------
    def validatePage(self) -> bool:
        return self.wiz.submit_page(self)

    def nextId(self) -> int:
        return self.wiz.next_page_id(self.step)

    def isComplete(self) -> bool:
        return not self.wiz.busy and not self.wiz.aborted


class PairingWizard(QWizard):
    finished_record = Signal(object)
    aborted_reason = Signal(str)
    step_shown = Signal(str)

    def __init__(self, flow: PairingFlow, runner: BackgroundRunner | None = None,
                 parent: QWidget | None = None, user_profiles_dir: Path | None = None,
                 started: Result | None = None) -> None:
        super().__init__(parent)
        self.flow = flow
        self.user_profiles_dir = user_profiles_dir  # where the profile builder saves; None: no builder
        self.builder: ProfileBuilderDialog | None = None
        self.runner = runner or BackgroundRunner(self)
        self.busy = False
        self.aborted = ""
        self.record: Any = None
        self._accepted_step = ""
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setWindowTitle(t("step.home"))
        self.resize(820, 600)
        self.pages: dict[str, StepPage] = {}
        for index, step in enumerate(STEPS):
            page = StepPage(self, step)
            self.pages[step] = page
            self.setPage(index, page)
        self._relay = _Relay(self)
        self._relay.check.connect(self._on_check, Qt.ConnectionType.QueuedConnection)
        flow.on_walk_update = self._relay.check.emit
        # ``flow.start()`` reads the residents from the database: callers run it on a worker and pass it.
        first = started if started is not None else flow.start()
        self._apply(first)
        self.setStartId(0)

    def next_page_id(self, step: str) -> int:
        current = self.flow.step
        if current != step and current in STEPS:
            return STEPS.index(current)
        index = STEPS.index(step)
        return index + 1 if index + 1 < len(STEPS) else -1

    def submit_page(self, page: StepPage) -> bool:
        if self._accepted_step == page.step:
            self._accepted_step = ""
            return True
        if self.busy or self.aborted:
            return False
        values = page.values()
        self._set_busy(True)
        self.runner.run("pairing", lambda: self.flow.submit(page.step, values),
                        lambda result: self._answered(page, result), lambda exc: self._failed(page, exc))
        return False

    def _answered(self, page: StepPage, result: Result) -> None:
        self._set_busy(False)
        if isinstance(result, ShowForm) and result.step_id == page.step:
            page.render(result)
            return
        self._apply(result)
        if isinstance(result, (ShowForm, Done)):
            self._accepted_step = page.step
            if isinstance(result, Done):
                self.accept()
            else:
                self.next()

    def _failed(self, page: StepPage, exc: BaseException) -> None:
        self._set_busy(False)
        page.error.setText(str(exc))

    def _apply(self, result: Result) -> None:
        if isinstance(result, ShowForm):
            self.pages[result.step_id].render(result)
            self.step_shown.emit(result.step_id)
        elif isinstance(result, Done):
            self.record = result.record
            self.finished_record.emit(result.record)
        elif isinstance(result, Abort):
            self.aborted = result.reason_key
            page = self.currentPage() or self.pages["home"]
            if isinstance(page, StepPage):
                page.error.setText(t(f"abort.{result.reason_key}"))
                page.completeChanged.emit()
            self.aborted_reason.emit(result.reason_key)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        page = self.currentPage()
        if page is not None:
            page.completeChanged.emit()

    # -- a device without a profile ---------------------------------------------------------------------
    def open_builder(self, candidate: Candidate) -> ProfileBuilderDialog:
        # The broker the installer just logged in to, password included (in memory): capture logs in the same way.
        dialog = ProfileBuilderDialog(self.user_profiles_dir, self.flow.tools, topic=candidate.topic,
                                      samples=candidate.samples, broker=self.flow._settings, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(lambda _path: self._profile_saved(dialog))
        self.builder = dialog
        dialog.show()
        return dialog

    def _profile_saved(self, dialog: ProfileBuilderDialog) -> None:
        """Load the library with the new profile and search the broker again (off the UI thread)."""
        dialog.accept()
        self.builder = None
        page, flow, user_dir = self.pages["discover"], self.flow, self.user_profiles_dir
        chosen = page.values().get("devices", [])

        def rescan() -> Result:
            flow.use_profiles(load_library(user_dir).registry)
            return flow.submit("discover", {"devices": chosen, "rescan": True})

        self._set_busy(True)
        self.runner.run("pairing", rescan, lambda result: self._rescanned(page, result),
                        lambda exc: self._failed(page, exc))

    def _rescanned(self, page: StepPage, result: Result) -> None:
        self._set_busy(False)
        if isinstance(result, ShowForm):
            page.render(result)
            if not result.errors:
                page.error.setStyleSheet(f"color: {LIT}; font-weight: bold")
                page.error.setText(t("builder.rescanned"))
        else:
            self._apply(result)

    @Slot(object)
    def _on_check(self, check: SensorCheck) -> None:
        self.pages["walktest"].update_check(check)

    def reject(self) -> None:
        if not self.aborted and not self.flow.finished:
            self.flow.cancel()
        self.runner.shutdown()
        super().reject()
