"""The team and rota editor: teams with their district, and per team who owns its alerts when (office
hours, evening, night on-call), with the hours nobody is on duty said in words.

A thin layer over the service facade (``team_details``, ``save_team``, ``rename_team``, ``remove_team``,
``rota``, ``add_rota_entry``, ``remove_rota_entry``), which checks the role again on every call; each call runs on the dialog's own
:class:`BackgroundRunner`. Input is checked here first so the coordinator reads what to fix in their
own language; whatever the service still refuses is shown as it says it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slimmaatwerk.errors import AccessDenied
from slimmaatwerk.gui.i18n import tr
from slimmaatwerk.gui.qt import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    Qt,
    QTime,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
    Signal,
)
from slimmaatwerk.gui.remove_team_dialog import RemoveTeamDialog
from slimmaatwerk.gui.rota_models import SHIFTS, RotaModel, TeamsModel, gap_text, make_table
from slimmaatwerk.gui.workers import BackgroundRunner
from slimmaatwerk.permissions import allowed
from slimmaatwerk.rota_coverage import week_gaps
from slimmaatwerk.storage.teams import RotaEntry, TeamInfo


class TeamsDialog(QDialog):
    loaded = Signal()
    changed = Signal()  # a team or rota entry was stored
    failed = Signal(str)

    def __init__(self, service: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("teamsDialog")
        self._service = service
        self._runner = BackgroundRunner(self)
        self._rota: list[RotaEntry] = []
        self._message: tuple[str, dict[str, object]] | None = None
        self._select_next: str | None = None  # a team just saved: show it once the list is back
        self.may_edit = allowed(service.roles, "handle_alerts")

        self.teams_model, self.rota_model = TeamsModel(self), RotaModel(self)
        self.teams_title, self.rota_title = QLabel(), QLabel()
        for title in (self.teams_title, self.rota_title):
            title.setObjectName("sectionTitle")
        self.teams_view, self.rota_view = make_table(self.teams_model), make_table(self.rota_model)
        self.teams_view.selectionModel().currentRowChanged.connect(self._team_chosen)
        self.team_name, self.district = QLineEdit(), QLineEdit()
        self.save_team_button, self.rename_button, self.remove_team_button = QPushButton(), QPushButton(), QPushButton()
        self.save_team_button.clicked.connect(self.save_team)
        self.rename_button.clicked.connect(self.rename_team)
        self.remove_team_button.clicked.connect(self.remove_team)
        self.remove_dialog: RemoveTeamDialog | None = None
        team_form = QFormLayout()
        self._team_labels = [QLabel(), QLabel()]
        for label, field in zip(self._team_labels, (self.team_name, self.district), strict=True):
            label.setBuddy(field)
            team_form.addRow(label, field)
        team_buttons = QHBoxLayout()
        for button in (self.save_team_button, self.rename_button, self.remove_team_button):
            team_buttons.addWidget(button)
        team_buttons.addStretch(1)
        team_form.addRow(team_buttons)

        self.role = QComboBox()
        for role in SHIFTS:
            self.role.addItem("", role)
        self.role.currentIndexChanged.connect(self._role_chosen)
        self.person, self.phone = QLineEdit(), QLineEdit()
        self.day_boxes = [QCheckBox() for _ in range(7)]
        days = QWidget()
        days_layout = QHBoxLayout(days)
        days_layout.setContentsMargins(0, 0, 0, 0)
        for box in self.day_boxes:
            box.setChecked(True)
            days_layout.addWidget(box)
        days_layout.addStretch(1)
        self.start, self.end = QTimeEdit(), QTimeEdit()
        for edit in (self.start, self.end):
            edit.setDisplayFormat("HH:mm")
        hours = QWidget()
        hours_layout = QHBoxLayout(hours)
        hours_layout.setContentsMargins(0, 0, 0, 0)
        self.until_label = QLabel()
        for widget in (self.start, self.until_label, self.end):
            hours_layout.addWidget(widget)
        hours_layout.addStretch(1)
        self.add_button, self.remove_button = QPushButton(), QPushButton()
        self.add_button.clicked.connect(self.add_entry)
        self.remove_button.clicked.connect(self.remove_entry)
        rota_form = QFormLayout()
        self._rota_labels = [QLabel() for _ in range(5)]
        rows = ((self.role, self.role), (self.person, self.person), (self.phone, self.phone),
                (days, self.day_boxes[0]), (hours, self.start))
        for label, (field, buddy) in zip(self._rota_labels, rows, strict=True):
            label.setBuddy(buddy)
            rota_form.addRow(label, field)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        rota_form.addRow(buttons)

        self.gaps_label = QLabel()
        self.gaps_label.setObjectName("rotaGaps")
        self.gaps_label.setWordWrap(True)
        # Room for three lines of gaps: a word-wrapped label beside a stretching table gets squeezed.
        self.gaps_label.setMinimumHeight(self.gaps_label.fontMetrics().lineSpacing() * 3 + 4)
        self.gaps_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.message_label = QLabel()
        self.message_label.setObjectName("formMessage")
        self.message_label.setWordWrap(True)
        self.close_buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.close_buttons.rejected.connect(self.reject)

        left = QVBoxLayout()
        left.addWidget(self.teams_title)
        left.addWidget(self.teams_view, 1)
        left.addLayout(team_form)
        right = QVBoxLayout()
        right.addWidget(self.rota_title)
        right.addWidget(self.rota_view, 1)
        right.addWidget(self.gaps_label)
        right.addLayout(rota_form)
        columns = QHBoxLayout()
        columns.addLayout(left, 2)
        columns.addLayout(right, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.message_label)
        layout.addWidget(self.close_buttons)
        self._role_chosen()
        self._set_editable(False)
        self.retranslate()
        if self.may_edit:
            self.reload()
        else:
            self._set_message("teams.denied", {})

    # -- data ----------------------------------------------------------------------------------------
    def reload(self) -> None:
        service = self._service
        self._runner.run("load", lambda: (service.team_details(), service.rota()), self._on_loaded,
                         self._on_failure)

    def _on_loaded(self, outcome: tuple[list[TeamInfo], list[RotaEntry]]) -> None:
        chosen = self._select_next or self.current_team()
        self._select_next = None
        teams, self._rota = outcome
        self.teams_model.set_items(teams)
        self._set_editable(True)
        names = [t.name for t in teams]
        if names:  # the team chosen before, or the first when it is gone (removed, renamed elsewhere)
            self.teams_view.selectRow(names.index(chosen) if chosen in names else 0)
        self._show_rota()
        self.loaded.emit()

    def current_team(self) -> str | None:
        info = self.current_team_info()
        return info.name if info is not None else None

    def current_team_info(self) -> TeamInfo | None:
        index = self.teams_view.currentIndex()
        return self.teams_model.item(index.row()) if index.isValid() else None

    def select_team(self, name: str) -> bool:
        names = [t.name for t in self.teams_model.items()]
        if name not in names:
            return False
        self.teams_view.selectRow(names.index(name))
        return True

    def _team_chosen(self, *_args: object) -> None:
        index = self.teams_view.currentIndex()
        if index.isValid():
            team = self.teams_model.item(index.row())
            self.team_name.setText(team.name)
            self.district.setText(team.district)
        self._show_rota()

    def _show_rota(self) -> None:
        team = self.current_team()
        entries = [e for e in self._rota if e.team == team] if team else []
        self.rota_model.set_items(entries)
        self.rota_title.setText(tr("rota.title", team=team) if team else tr("rota.title_none"))
        if team is None:
            self.gaps_label.clear()
            return
        gaps = week_gaps(entries)
        self.gaps_label.setProperty("error", bool(gaps))
        self.gaps_label.setText(tr("rota.gaps", gaps="; ".join(gap_text(a, b) for a, b in gaps)) if gaps
                                else tr("rota.no_gaps"))

    # -- editing -------------------------------------------------------------------------------------
    def save_team(self) -> bool:
        name, district = self.team_name.text().strip(), self.district.text().strip()
        if not name:
            return self._refuse("teams.err.name")
        service = self._service
        self._run("save-team", lambda: service.save_team(name, district), "teams.saved", select=name)
        return True

    def rename_team(self) -> bool:
        """Give the chosen team the name typed under Name (its residents, district and rota go along)."""
        team, new = self.current_team(), self.team_name.text().strip()
        if team is None:
            return self._refuse("teams.err.choose")
        if not new or new == team:
            return self._refuse("teams.err.new_name", team=team)
        if new in (t.name for t in self.teams_model.items()):
            return self._refuse("teams.err.exists", team=new)
        service = self._service
        self._run("rename-team", lambda: service.rename_team(team, new),
                  lambda _r: ("teams.renamed", {"old": team, "new": new}), select=new)
        return True

    def remove_team(self) -> bool:
        """Ask (window-modal, not blocking) where the chosen team's residents go; remove it when accepted."""
        info = self.current_team_info()
        if info is None:
            return self._refuse("teams.err.choose")
        others = [t.name for t in self.teams_model.items() if t.name != info.name]
        shifts = sum(e.team == info.name for e in self._rota)
        dialog = RemoveTeamDialog(info, others, shifts, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._remove(info, dialog.target()))
        dialog.finished.connect(lambda _r: setattr(self, "remove_dialog", None))
        self.remove_dialog = dialog
        dialog.open()
        return True

    def _remove(self, info: TeamInfo, target: str) -> None:
        service, name = self._service, info.name
        # Only a team with residents says where they go: the service refuses a silent move.
        move_to = target if info.residents else None

        def done(moved: object) -> tuple[str, dict[str, object]]:
            if moved:
                return "teams.removed_moved", {"team": name, "n": moved, "target": target or tr("overview.team_none")}
            return "teams.removed", {"team": name}

        self._run("remove-team", lambda: service.remove_team(name, move_to), done, select=target or None)

    def entry(self) -> RotaEntry:
        mask = sum(1 << d for d, box in enumerate(self.day_boxes) if box.isChecked())
        start, end = self.start.time(), self.end.time()
        return RotaEntry(self.current_team() or "", self.role.currentData(), self.person.text().strip(), mask,
                         start.hour() * 60 + start.minute(), end.hour() * 60 + end.minute(),
                         self.phone.text().strip())

    def add_entry(self) -> bool:
        entry = self.entry()
        if not entry.team:
            return self._refuse("rota.err.team")
        if not entry.person:
            return self._refuse("rota.err.person")
        if not entry.weekdays:
            return self._refuse("rota.err.days")
        if entry.start_min == entry.end_min:
            return self._refuse("rota.err.same")
        service = self._service
        self._run("add", lambda: service.add_rota_entry(entry), "rota.added")
        return True

    def remove_entry(self) -> bool:
        index = self.rota_view.currentIndex()
        if not index.isValid():
            return self._refuse("rota.err.remove")
        entry_id = self.rota_model.item(index.row()).id
        service = self._service
        self._run("remove", lambda: service.remove_rota_entry(entry_id), "rota.removed")
        return True

    def _run(self, key: str, fn: Any, done: str | Callable[[object], tuple[str, dict[str, object]]],
             select: str | None = None) -> None:
        self._set_editable(False)

        def finished(result: object) -> None:
            self._set_message(*(done(result) if callable(done) else (done, {})))
            if key == "add":
                self.person.clear()
                self.phone.clear()
            self._select_next = select
            self.changed.emit()
            self.reload()

        self._runner.run(key, fn, finished, self._on_failure)

    def _on_failure(self, error: BaseException) -> None:
        self._set_editable(self.may_edit)
        key = "edit.denied" if isinstance(error, AccessDenied) else "edit.failed"
        self._set_message(key, {"error": str(error) or type(error).__name__})
        self.failed.emit(self.message())

    def _refuse(self, key: str, **kw: object) -> bool:
        self._set_message(key, kw)
        return False

    def _set_editable(self, on: bool) -> None:
        for widget in (self.save_team_button, self.rename_button, self.remove_team_button, self.add_button,
                       self.remove_button, self.team_name, self.district,
                       self.role, self.person, self.phone, self.start, self.end, *self.day_boxes):
            widget.setEnabled(on and self.may_edit)

    def _role_chosen(self, _index: int = -1) -> None:
        start, end = SHIFTS[self.role.currentData()]
        self.start.setTime(QTime(start // 60, start % 60))
        self.end.setTime(QTime(end // 60, end % 60))

    def _set_message(self, key: str, kw: dict[str, object]) -> None:
        self._message = (key, kw)
        self.message_label.setText(tr(key, **kw))
        self.message_label.setProperty("error", key.startswith(("edit.", "teams.err", "rota.err", "teams.denied")))

    def message(self) -> str:
        return self.message_label.text()

    def retranslate(self) -> None:
        self.setWindowTitle(tr("teams.window"))
        self.teams_title.setText(tr("teams.title"))
        for label, key in zip(self._team_labels, ("teams.field.name", "teams.field.district"), strict=True):
            label.setText(tr(key))
        self.team_name.setAccessibleName(tr("teams.col.name"))
        self.district.setAccessibleName(tr("teams.col.district"))
        self.district.setPlaceholderText(tr("teams.district_hint"))
        self.save_team_button.setText(tr("teams.save"))
        self.close_buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("teams.close"))
        self.rename_button.setText(tr("teams.rename"))
        self.rename_button.setToolTip(tr("teams.rename.tip"))
        self.remove_team_button.setText(tr("teams.remove"))
        if self.remove_dialog is not None:
            self.remove_dialog.retranslate()
        for i in range(self.role.count()):
            self.role.setItemText(i, tr(f"role.{self.role.itemData(i)}"))
        for label, key in zip(self._rota_labels, ("role", "person", "phone", "days", "hours"), strict=True):
            label.setText(tr(f"rota.field.{key}"))
        for widget, key in ((self.role, "role"), (self.person, "person"), (self.phone, "phone"),
                            (self.start, "start"), (self.end, "end")):
            widget.setAccessibleName(tr(f"rota.name.{key}"))
        names = tr("date.weekdays").split()
        for box, name in zip(self.day_boxes, names, strict=True):
            box.setText(name)
        self.until_label.setText(tr("rota.until"))
        self.add_button.setText(tr("rota.add"))
        self.remove_button.setText(tr("rota.remove"))
        self.teams_view.setAccessibleName(tr("teams.title"))
        self.rota_view.setAccessibleName(tr("rota.list_name"))
        self.teams_model.retranslate()
        self.rota_model.retranslate()
        self._show_rota()
        if self._message is not None:
            self.message_label.setText(tr(self._message[0], **self._message[1]))

    def shutdown(self) -> None:
        self._runner.shutdown()

    def done(self, result: int) -> None:
        self._runner.shutdown()
        super().done(result)
