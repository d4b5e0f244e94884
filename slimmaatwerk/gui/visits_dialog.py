"""The installer's later-visit dialog: a home's sensors, and move / replace / re-use / end care.

A thin layer over ``pairing.visits`` and ``pairing.visit_plans``: the dialog builds a ``Change`` dated
the moment the installer asks for it, shows in words what it will do, and only on "Confirm" carries it
out through the facade (role and scope checks, access log), off the UI thread. Nothing changes before
the confirmation; a refusal is shown in words.

The "replace" tab also walk-tests the chosen sensor (the replacement is chosen for you once it is in)
with the wizard's live walk test on the home's recorded broker (``pairing.visit_walktest``), and records
the result and time as the next version of the commissioning record. The live test's thread reaches
the dialog only through a queued signal. User profile files the engine refuses are named at the top.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from slimmaatwerk.clock import Clock
from slimmaatwerk.events import ROOMS
from slimmaatwerk.gui.i18n import current_language, format_relative, placement_name, room_name
from slimmaatwerk.gui.list_model import ListTableModel
from slimmaatwerk.gui.qt import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    Qt,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    Signal,
)
from slimmaatwerk.gui.visit_walk_panel import VisitWalkPanel, failure_words
from slimmaatwerk.gui.workers import BackgroundRunner
from slimmaatwerk.localtime import from_ms, to_local
from slimmaatwerk.pairing.installer import PLACEMENT, Installer
from slimmaatwerk.pairing.texts import text
from slimmaatwerk.pairing.tools import MqttTools
from slimmaatwerk.pairing.visit_plans import Change, Target, apply, describe, done_words
from slimmaatwerk.pairing.visits import HomeDevice, Visits
from slimmaatwerk.profiles.user_profiles import load_library, user_profiles_dir

WARN, OK = "#c62828", "#2e7d32"
COLUMNS = ("device", "where", "since", "battery", "seen")


def t(key: str, **kw: object) -> str:
    return text(key, current_language(), **kw)


def refusal(exc: BaseException) -> str:
    """A failure in words: a refused right gets our sentence, bad input the core's own message."""
    return failure_words(exc)


def fill_residents(choice: QComboBox, residents: list[tuple[str, str]], wanted: str | None) -> bool:
    """Fill an installer dialog's resident choice ("name (id)"), preselect ``wanted``; False if none.

    Signals are blocked while filling: the caller loads the chosen resident once, not per added item.
    """
    choice.blockSignals(True)
    choice.clear()
    for rid, name in residents:
        choice.addItem(f"{name} ({rid})", rid)
    choice.setCurrentIndex(max(0, choice.findData(wanted)))
    choice.blockSignals(False)
    return bool(residents)


class HomeDevicesModel(ListTableModel):
    """The home's devices now (read-only); UserRole gives the hardware identity."""

    columns = COLUMNS

    def __init__(self, clock: Clock) -> None:
        super().__init__()
        self.clock = clock

    def header(self, column: str) -> str:
        return t(f"visit.col.{column}")

    def cell(self, d: HomeDevice, column: str) -> str:
        if column == "device":
            return f"{d.name}\n{d.identity}" if d.name != d.identity else d.identity
        if column == "where":
            return room_name(d.room) + (f" · {placement_name(d.placement)}" if d.placement else "")
        if column == "since":
            return to_local(from_ms(d.since_ms)).strftime("%Y-%m-%d %H:%M")
        if column == "battery":
            return "—" if d.battery is None else f"{d.battery:.0f} %"
        if d.last_seen_ms is None:
            return t("visit.never")
        seen = format_relative(from_ms(d.last_seen_ms), self.clock.now())
        return seen if d.online else t("visit.offline", seen=seen)

    def cell_role(self, d: HomeDevice, column: str, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole:
            low = column == "battery" and d.battery is not None and d.battery < 20
            silent = column == "seen" and d.online is not True
            return Qt.GlobalColor.red if low or silent else None
        if role == Qt.ItemDataRole.UserRole:
            return d.identity
        return None


class VisitsDialog(QDialog):
    """One home at a time; ``resident_id`` preselects the resident the main window has selected."""

    changed = Signal(str)  # the resident whose kit changed

    def __init__(self, installer: Installer, clock: Clock, resident_id: str | None = None,
                 runner: BackgroundRunner | None = None, parent: QWidget | None = None, *,
                 data_dir: Path | None = None, tools: MqttTools | None = None) -> None:
        super().__init__(parent)
        self.installer = installer
        self.visits = Visits(installer)
        self.clock = clock
        self.runner = runner or BackgroundRunner(self)
        self.data_dir = data_dir  # user profiles and the broker's TLS files; None: built-ins, system CAs
        self.wanted = resident_id
        self.residents: list[tuple[str, str]] = []
        self.pending: Change | None = None
        self.done_message = ""  # what the last change did, shown once the home is reloaded
        self.select_after = ""  # the sensor to choose once the home is reloaded (a replacement)
        self.busy = False
        self.refused_files: list[tuple[str, str]] = []
        self.resize(900, 640)

        self.resident = QComboBox()
        self.resident.currentIndexChanged.connect(lambda _i: self.reload())
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.profile_warning = QLabel()
        self.profile_warning.setWordWrap(True)
        self.profile_warning.setStyleSheet(f"color: {WARN}")
        self.profile_warning.hide()
        self.model = HomeDevicesModel(clock)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for column in range(1, len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)

        self.tabs = QTabWidget()
        self.move_room, self.move_placement = self._room_box(), QLineEdit()
        self.new_device = QComboBox()
        self.new_device.setEditable(True)
        self.target = QComboBox()
        self.keep_rooms = QCheckBox()
        self.keep_rooms.setChecked(True)
        self.reuse_room, self.reuse_placement = self._room_box(), QLineEdit()
        self.keep_rooms.toggled.connect(lambda on: (self.reuse_room.setEnabled(not on),
                                                    self.reuse_placement.setEnabled(not on)))
        self.keep_rooms.toggled.emit(True)
        self.buttons: dict[str, QPushButton] = {}
        self.labels: list[tuple[QLabel, str]] = []
        self._tab("move", [("visit.field.room", self.move_room), ("visit.field.placement", self.move_placement)])
        # The walk test of the chosen sensor (tools: for tests; None: made with the installation's profiles).
        self.walk = VisitWalkPanel(installer, clock, self.runner, lambda: (self.resident_id(), self.selected()),
                                   self._say, user_dir=self._user_dir(), data_dir=data_dir, tools=tools)
        self.walk.busy_changed.connect(lambda busy: self._set_busy(busy, walk=False))
        self._tab("replace", [("visit.field.new_device", self.new_device)], self.walk)
        self._tab("reuse", [("visit.field.target", self.target), ("", self.keep_rooms),
                            ("visit.field.room", self.reuse_room), ("visit.field.placement", self.reuse_placement)])
        self._tab("end_care", [])

        self.confirm_box = QFrame()
        self.confirm_box.setFrameShape(QFrame.Shape.StyledPanel)
        self.confirm_box.setStyleSheet("QFrame { background: #fff8e1; }")
        self.plan = QLabel()
        self.plan.setWordWrap(True)
        self.plan.setStyleSheet("font-size: 11pt;")
        self.confirm_button, self.cancel_button = QPushButton(), QPushButton()
        self.confirm_button.clicked.connect(self.confirm)
        self.cancel_button.clicked.connect(self.cancel_plan)
        box = QVBoxLayout(self.confirm_box)
        self.confirm_title = QLabel()
        self.confirm_title.setStyleSheet("font-weight: bold;")
        box.addWidget(self.confirm_title)
        box.addWidget(self.plan)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.cancel_button)
        row.addWidget(self.confirm_button)
        box.addLayout(row)
        self.confirm_box.hide()

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.reject)
        top = QHBoxLayout()
        self.resident_label = QLabel()
        top.addWidget(self.resident_label)
        top.addWidget(self.resident, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.intro)
        layout.addWidget(self.profile_warning)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.tabs)
        layout.addWidget(self.confirm_box)
        layout.addLayout(bottom)
        self.retranslate()
        self._load_residents()

    # -- building ------------------------------------------------------------------------------
    def _room_box(self) -> QComboBox:
        box = QComboBox()
        for room in ROOMS:
            box.addItem(room_name(room), room)
        return box

    def _tab(self, action: str, rows: list[tuple[str, QWidget]], extra: QWidget | None = None) -> None:
        page = QWidget()
        form = QFormLayout(page)
        for key, widget in rows:
            label = QLabel()
            self.labels.append((label, key))
            form.addRow(label, widget)
        button = QPushButton()
        button.clicked.connect(lambda _=False, a=action: self.propose(a))
        self.buttons[action] = button
        form.addRow("", button)
        if extra is not None:
            form.addRow(extra)
        self.tabs.addTab(page, "")

    def retranslate(self) -> None:
        self.setWindowTitle(t("visit.title"))
        self.resident_label.setText(t("common.resident"))
        self.intro.setText(t("visit.intro"))
        for index, action in enumerate(self.buttons):
            self.tabs.setTabText(index, t(f"visit.action.{action}"))
            self.buttons[action].setText(t(f"visit.action.{action}") + "…")
        for label, key in self.labels:
            label.setText(t(key) if key else "")
        self.keep_rooms.setText(t("visit.field.keep_rooms"))
        for box in (self.move_room, self.reuse_room):
            for i in range(box.count()):
                box.setItemText(i, room_name(box.itemData(i)))
        self.confirm_title.setText(t("visit.confirm.title"))
        self.walk.retranslate()
        self._show_refused()
        self.confirm_button.setText(t("common.confirm"))
        self.cancel_button.setText(t("common.cancel"))
        self.close_button.setText(t("common.close"))
        self.model.retranslate()

    # -- loading -------------------------------------------------------------------------------
    def _say(self, message: str, error: bool = False) -> None:
        self.status.setText(message)
        self.status.setStyleSheet(f"color: {WARN if error else OK}; font-weight: bold" if message else "")

    def _set_busy(self, busy: bool, walk: bool = True) -> None:
        self.busy = busy
        for button in (*self.buttons.values(), self.confirm_button):
            button.setEnabled(not busy)
        if walk:
            self.walk.set_enabled(not busy)

    def _load_residents(self) -> None:
        service, user_dir = self.installer.service, self._user_dir()

        def load() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
            # The engine's own check of the user profiles (same folder, same rules): which files it refuses.
            refused = load_library(user_dir).refused_files if user_dir is not None else []
            return [(r.id, r.name) for r in service.list_residents()], refused

        self._set_busy(True)
        self.runner.run("visit-residents", load, self._show_residents, self._failed)

    def _user_dir(self) -> Path | None:
        return user_profiles_dir(self.data_dir) if self.data_dir is not None else None

    def _show_refused(self) -> None:
        files = "; ".join(f"{name} ({why})" for name, why in self.refused_files)
        self.profile_warning.setText(t("visit.refused_profiles", files=files) if files else "")
        self.profile_warning.setVisible(bool(files))

    def _show_residents(self, loaded: tuple[list[tuple[str, str]], list[tuple[str, str]]]) -> None:
        self._set_busy(False)
        residents, self.refused_files = loaded
        self._show_refused()
        self.residents = residents
        if not fill_residents(self.resident, residents, self.wanted):
            self._say(t("common.no_residents"), error=True)
            return
        self.reload()

    def resident_id(self) -> str | None:
        return self.resident.currentData()

    def resident_name(self, resident_id: str | None = None) -> str:
        rid = resident_id or self.resident_id()
        return next((name for r, name in self.residents if r == rid), rid or "")

    def reload(self) -> None:
        rid = self.resident_id()
        if rid is None:
            return
        self.cancel_plan()
        if self.walk.live is not None and self.walk.resident != rid:
            self.walk.stop()  # another home was chosen: its sensors are not on that broker
        visits, installer = self.visits, self.installer
        self._set_busy(True)

        def load() -> tuple[list[HomeDevice], list[str]]:
            free = [d.identity for d in installer.devices() if d.resident_id is None]
            return visits.home(rid), free

        self.runner.run("visit-home", load, self._show_home, self._failed)

    def _show_home(self, loaded: tuple[list[HomeDevice], list[str]]) -> None:
        self._set_busy(False)
        devices, free = loaded
        self.model.set_items(devices)
        self.table.resizeRowsToContents()
        if self.select_after:
            self.table.clearSelection()
            row = next((i for i, d in enumerate(devices) if d.identity == self.select_after), None)
            if row is not None:
                self.table.selectRow(row)
            self.select_after = ""
        self.new_device.clear()
        self.new_device.addItems(free)
        self.new_device.setCurrentText("")
        self.target.clear()
        for rid, name in self.residents:
            if rid != self.resident_id():
                self.target.addItem(f"{name} ({rid})", rid)
        if self.done_message:
            self._say(self.done_message)
            self.done_message = ""
        elif not devices:
            self._say(t("visit.empty"))

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self._say(refusal(exc), error=True)

    # -- planning and confirming -----------------------------------------------------------------
    def selected(self) -> list[HomeDevice]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.item(r) for r in rows]

    def propose(self, action: str) -> Change | None:
        """Build the change the installer asks for and show it in words; None (with a message) if incomplete."""
        rid = self.resident_id()
        if rid is None:
            self._say(t("common.no_residents"), error=True)
            return None
        chosen = self.selected()
        if action in ("move", "replace") and len(chosen) != 1:
            self._say(t("visit.select_one"), error=True)
            return None
        if action == "reuse" and not chosen:
            self._say(t("visit.select_some"), error=True)
            return None
        if action == "end_care":
            chosen = self.model.items()
        targets = tuple(Target(d.identity, d.name, d.room, d.placement) for d in chosen)
        values: dict[str, str] = {}
        if action == "move":
            values = {"room": self.move_room.currentData(), "placement": self._placement(self.move_placement)}
        elif action == "replace":
            values = {"new_identity": self.new_device.currentText().strip()}
            if not values["new_identity"]:
                self._say(t("error.required") + f" ({t('visit.field.new_device')})", error=True)
                return None
        elif action == "reuse":
            if self.target.currentData() is None:
                self._say(t("common.no_residents"), error=True)
                return None
            values = {"target_id": self.target.currentData(),
                      "target_name": self.resident_name(self.target.currentData())}
            if not self.keep_rooms.isChecked():
                values |= {"room": self.reuse_room.currentData(), "placement": self._placement(self.reuse_placement)}
        if not PLACEMENT.fullmatch(values.get("placement", "")):
            self._say(t("error.invalid_placement"), error=True)
            return None
        change = Change(action, rid, self.resident_name(), self.clock.now(), targets, **values)
        self.pending = change
        self.plan.setText(describe(change, self.clock.now(), current_language()))
        self.confirm_box.show()
        self._say("")
        return change

    @staticmethod
    def _placement(edit: QLineEdit) -> str:
        return edit.text().strip().lower().replace(" ", "_")

    def cancel_plan(self) -> None:
        self.pending = None
        self.confirm_box.hide()

    def confirm(self) -> None:
        change = self.pending
        if change is None or self.busy:
            return
        visits = self.visits
        self._set_busy(True)
        self.runner.run("visit-apply", lambda: apply(visits, change), lambda _r: self._applied(change),
                        self._failed)

    def _applied(self, change: Change) -> None:
        self._set_busy(False)
        self.cancel_plan()
        self.done_message = done_words(change, current_language())
        if change.action == "replace":
            self.select_after = change.new_identity  # ready to be walk-tested
        self.changed.emit(change.resident_id)
        self.reload()

    def reject(self) -> None:
        self.walk.close_test()
        self.runner.shutdown()
        super().reject()
