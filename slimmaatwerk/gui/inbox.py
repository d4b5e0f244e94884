"""The alert inbox: filter alerts, see who owns each now, act on them, and read each alert's history.

A thin layer over the service facade's alert methods (``slimmaatwerk.alert_service``): every call runs
on a worker (``BackgroundRunner``) and the inbox reloads after each action. Actions have keyboard
shortcuts and accessible names; which buttons are enabled follows ``alert_workflow.allowed_actions``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from slimmaatwerk.alert_workflow import (
    LABELS,
    OPEN_STATUSES,
    STATUSES,
    HistoryEntry,
    InboxFilter,
    InboxRow,
    allowed_actions,
)
from slimmaatwerk.clock import Clock, SystemClock
from slimmaatwerk.gui.alerts_panel import severity_text
from slimmaatwerk.gui.i18n import indicator_name, tr
from slimmaatwerk.gui.inbox_model import (
    COLUMNS,
    AlertIdRole,
    InboxModel,
    explanation,
    history_text,
    owner_text,
)
from slimmaatwerk.gui.qt import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QKeySequence,
    QLabel,
    QLineEdit,
    QListWidget,
    QModelIndex,
    QPushButton,
    QSplitter,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
    Signal,
)
from slimmaatwerk.gui.workers import BackgroundRunner

SHORTCUTS = {"acknowledge": "Ctrl+K", "assign": "Ctrl+G", "resolve": "Ctrl+D", "reopen": "Ctrl+Shift+R",
             "note": "Ctrl+N", "label": "Ctrl+L"}
STATUS_CHOICES = ("open", *STATUSES, "all")


class InboxSource(Protocol):
    """What the inbox needs: the alert methods of the service facade (called on worker threads)."""

    def inbox(self, filter: InboxFilter | None = None) -> list[InboxRow]: ...
    def alert_history(self, alert_id: int) -> list[HistoryEntry]: ...
    def acknowledge(self, alert_id: int) -> str: ...
    def assign(self, alert_id: int, owner: str) -> str: ...
    def resolve(self, alert_id: int, label: str | None = None, note: str = "") -> str: ...
    def reopen(self, alert_id: int) -> str: ...
    def add_note(self, alert_id: int, text: str) -> None: ...
    def label(self, alert_id: int, outcome: str) -> None: ...
    def teams(self) -> list[str]: ...


class InboxPanel(QWidget):
    """Filters, the alert table, and the selected alert's detail, history and actions."""

    loaded = Signal()  # rows shown
    history_loaded = Signal(int)
    action_done = Signal(str)
    action_failed = Signal(str)

    def __init__(self, source: InboxSource, *, me: str, clock: Clock | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._source, self._me = source, me
        self._clock = clock or SystemClock()
        self._runner = BackgroundRunner(self)
        self._selected: int | None = None
        self.model = InboxModel(self._clock, self)
        self._build()
        self.retranslate()

    # -- building ------------------------------------------------------------------------------------
    def _combo(self, name: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.currentIndexChanged.connect(lambda _i: self.reload())
        return combo

    def _build(self) -> None:
        self.status_box, self.severity_box = self._combo("statusFilter"), self._combo("severityFilter")
        self.owner_box, self.team_box = self._combo("ownerFilter"), self._combo("teamFilter")
        self.filter_labels = [QLabel() for _ in range(4)]
        filters = QHBoxLayout()
        for label, box in zip(self.filter_labels, (self.status_box, self.severity_box, self.owner_box,
                                                   self.team_box), strict=True):
            label.setBuddy(box)
            filters.addWidget(label)
            filters.addWidget(box)
            filters.addSpacing(8)
        filters.addStretch(1)
        self.count_label = QLabel()
        filters.addWidget(self.count_label)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # The owner text can be long ("name (on duty: night on-call)"): elided, in full in the tooltip.
        header.setSectionResizeMode(COLUMNS.index("owner"), QHeaderView.ResizeMode.Interactive)
        header.resizeSection(COLUMNS.index("owner"), 190)
        header.setStretchLastSection(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)

        self.title = QLabel()
        self.title.setObjectName("sectionTitle")
        self.title.setWordWrap(True)
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.duty_label = QLabel()
        self.duty_label.setWordWrap(True)
        self.history_title = QLabel()
        self.history = QListWidget()
        self.history.setWordWrap(True)
        self.feedback = QLabel()
        self.feedback.setObjectName("stateLabel")
        self.feedback.setWordWrap(True)

        self.assign_box = QComboBox()
        self.assign_box.setEditable(True)
        self.label_box = QComboBox()
        self.note_edit = QLineEdit()
        self.note_edit.returnPressed.connect(lambda: self.trigger("note"))
        self.buttons: dict[str, QPushButton] = {}
        for action in SHORTCUTS:
            button = QPushButton()
            button.setObjectName(f"{action}Button")
            button.clicked.connect(lambda _c=False, a=action: self.trigger(a))
            self.buttons[action] = button
        self.assign_label, self.outcome_label = QLabel(), QLabel()
        self.assign_label.setBuddy(self.assign_box)
        self.outcome_label.setBuddy(self.label_box)
        grid = QGridLayout()
        status_row = QHBoxLayout()  # two equal buttons, not one stretched across the combo-box column
        status_row.addWidget(self.buttons["acknowledge"])
        status_row.addWidget(self.buttons["reopen"])
        status_row.addStretch(1)
        grid.addLayout(status_row, 0, 0, 1, 3)
        grid.addWidget(self.assign_label, 1, 0)
        grid.addWidget(self.assign_box, 1, 1)
        grid.addWidget(self.buttons["assign"], 1, 2)
        grid.addWidget(self.outcome_label, 2, 0)
        grid.addWidget(self.label_box, 2, 1)
        grid.addWidget(self.buttons["label"], 2, 2)
        grid.addWidget(self.buttons["resolve"], 3, 2)
        grid.addWidget(self.note_edit, 4, 0, 1, 2)
        grid.addWidget(self.buttons["note"], 4, 2)
        grid.setColumnStretch(1, 1)

        detail = QWidget()
        detail.setObjectName("inboxDetail")
        side = QVBoxLayout(detail)
        side.setContentsMargins(10, 4, 4, 4)
        for widget in (self.title, self.explanation, self.duty_label):
            side.addWidget(widget)
        side.addLayout(grid)
        side.addWidget(self.feedback)
        side.addWidget(self.history_title)
        side.addWidget(self.history, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.table)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([885, 395])  # room for every column, the escalation one included
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)

    def _fill_combo(self, combo: QComboBox, items: list[tuple[str, Any]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        for text, data in items:
            combo.addItem(text, data)
        found = combo.findData(current)
        combo.setCurrentIndex(max(found, 0))
        combo.blockSignals(False)

    def retranslate(self, teams: list[str] | None = None) -> None:
        self._fill_combo(self.status_box, [(tr("inbox.status.open") if s == "open" else tr("inbox.any") if s == "all"
                                            else tr(f"alert_status.{s}"), s) for s in STATUS_CHOICES])
        self._fill_combo(self.severity_box, [(tr("inbox.any"), None)] +
                         [(severity_text(s), s) for s in ("red", "amber", "info")])
        self._fill_combo(self.owner_box, [(tr("inbox.any"), None), (tr("inbox.owner.mine"), self._me),
                                          (tr("inbox.owner.unowned"), "")])
        if teams is not None or self.team_box.count() == 0:
            names = teams if teams is not None else [self.team_box.itemData(i) for i in range(1, self.team_box.count())]
            self._fill_combo(self.team_box, [(tr("inbox.any"), None)] + [(t, t) for t in names])
        else:
            self.team_box.setItemText(0, tr("inbox.any"))
        # No outcome is preselected: a label is data for the analytics, so it must be a choice.
        self._fill_combo(self.label_box, [(tr("inbox.label.prompt"), None)] +
                         [(tr(f"label.{label}"), label) for label in LABELS])
        for label, key in zip(self.filter_labels, ("status", "severity", "owner", "team"), strict=True):
            label.setText(tr(f"inbox.filter.{key}"))
        for action, button in self.buttons.items():
            plain = tr(f"inbox.act.{action}")
            button.setText(plain)
            button.setShortcut(QKeySequence(SHORTCUTS[action]))  # after setText, which resets it
            button.setToolTip(tr("inbox.act.tip", action=plain, keys=SHORTCUTS[action]))
            button.setAccessibleName(plain)
        self.assign_label.setText(tr("inbox.assign.to"))
        self.outcome_label.setText(tr("inbox.label.choose"))
        self.note_edit.setPlaceholderText(tr("inbox.note.placeholder"))
        self.note_edit.setAccessibleName(tr("inbox.note.placeholder"))
        self.history_title.setText(tr("inbox.history"))
        self.table.setAccessibleName(tr("inbox.table.name"))
        self.history.setAccessibleName(tr("inbox.history.name"))
        self.model.retranslate()
        self._show_selected()

    # -- loading -------------------------------------------------------------------------------------
    def current_filter(self) -> InboxFilter:
        status = self.status_box.currentData() or "open"
        statuses = OPEN_STATUSES if status == "open" else STATUSES if status == "all" else (status,)
        return InboxFilter(statuses=statuses, severity=self.severity_box.currentData(),
                           team=self.team_box.currentData(), owner=self.owner_box.currentData())

    def reload(self) -> None:
        source, wanted = self._source, self.current_filter()
        self._runner.run("inbox", lambda: (source.inbox(wanted), source.teams()), self._on_rows, self._on_failure)

    def _on_rows(self, result: tuple[list[InboxRow], list[str]]) -> None:
        rows, teams = result
        self.model.set_rows(rows)
        self._fill_combo(self.team_box, [(tr("inbox.any"), None)] + [(t, t) for t in teams])
        people = sorted({self._me, *(r.on_duty for r in rows if r.on_duty), *(r.owner for r in rows if r.owner)})
        typed = self.assign_box.currentText()
        self._fill_combo(self.assign_box, [(p, p) for p in people])
        self.assign_box.setEditText(typed or self._me)
        self.count_label.setText(tr("inbox.count", n=len(rows)) if rows else tr("inbox.empty"))
        row = self.model.row_of(self._selected) if self._selected is not None else -1
        if rows:
            self.select_row(max(row, 0))
        else:
            self._clear_selection()
        self.loaded.emit()

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)
        self.table.setCurrentIndex(self.model.index(row, 0))
        self._show_selected()

    def selected_row(self) -> InboxRow | None:
        row = self.model.row_of(self._selected) if self._selected is not None else -1
        return self.model.rows()[row] if row >= 0 else None

    def _clear_selection(self) -> None:
        self._selected = None
        self._show_selected()

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        selected = current.data(AlertIdRole) if current.isValid() else None
        if selected != self._selected:
            self.history.clear()  # never show one alert's history under another's title
            row = self.model.row_of(selected) if selected is not None else -1
            label = self.model.rows()[row].label if row >= 0 else ""
            # a reload keeps what the coordinator chose; another alert starts from its own outcome
            self.label_box.setCurrentIndex(max(self.label_box.findData(label), 0) if label else 0)
        self._selected = selected
        self._show_selected()
        if self._selected is not None:
            source, alert_id = self._source, self._selected
            self._runner.run("history", lambda: (alert_id, source.alert_history(alert_id)),
                             self._on_history, self._on_failure)

    def _on_history(self, result: tuple[int, list[HistoryEntry]]) -> None:
        alert_id, entries = result
        if alert_id != self._selected:
            return
        self._history = entries
        self.history.clear()
        self.history.addItems([history_text(e) for e in reversed(entries)])  # newest first
        self.history_loaded.emit(alert_id)

    def _show_selected(self) -> None:
        row = self.selected_row()
        allowed = allowed_actions(row.status) if row else ()
        for action, button in self.buttons.items():
            button.setEnabled(row is not None and (action in allowed or action in ("note", "label")))
        if row is None:
            self.title.setText(tr("inbox.choose"))
            for label in (self.explanation, self.duty_label):
                label.clear()
            self.history.clear()
            return
        self.title.setText(tr("inbox.detail.title", indicator=indicator_name(row.indicator),
                              resident=row.resident_name))
        self.explanation.setText(explanation(row))
        self.duty_label.setText(tr("inbox.detail.duty", who=owner_text(row), team=row.team or "—"))

    # -- actions -------------------------------------------------------------------------------------
    def trigger(self, action: str) -> None:
        row = self.selected_row()
        if row is None or not self.buttons[action].isEnabled():
            return
        alert_id, source = row.alert_id, self._source
        calls: dict[str, Callable[[], Any]] = {
            "acknowledge": lambda: source.acknowledge(alert_id),
            "assign": lambda: source.assign(alert_id, self.assign_box.currentText()),
            "resolve": lambda: source.resolve(alert_id, self.label_box.currentData(), self.note_edit.text()),
            "reopen": lambda: source.reopen(alert_id),
            "note": lambda: source.add_note(alert_id, self.note_edit.text()),
            "label": lambda: source.label(alert_id, self.label_box.currentData()),
        }
        call = calls[action]
        self._runner.run("action", call, lambda _r: self._on_done(action), self._on_failure)

    def _on_done(self, action: str) -> None:
        if action in ("note", "resolve"):
            self.note_edit.clear()
        self.feedback.setText(tr("inbox.done"))
        self.action_done.emit(action)
        self.reload()
        if self._selected is not None:
            source, alert_id = self._source, self._selected
            self._runner.run("history", lambda: (alert_id, source.alert_history(alert_id)),
                             self._on_history, self._on_failure)

    def _on_failure(self, error: BaseException) -> None:
        message = str(error) or type(error).__name__
        self.feedback.setText(tr("inbox.error", error=message))
        self.action_failed.emit(message)

    def shutdown(self) -> None:
        self._runner.shutdown()
