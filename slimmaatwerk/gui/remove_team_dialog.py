"""Asks before a team is removed: says that its rota goes, and where its residents go (another team or
none), so removing a team never leaves residents pointing at a team that no longer exists.

Only asks; the team and rota editor (:mod:`slimmaatwerk.gui.teams_dialog`) does the removal through the
service facade once this dialog is accepted.
"""

from __future__ import annotations

from slimmaatwerk.gui.i18n import tr
from slimmaatwerk.gui.qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)
from slimmaatwerk.storage.teams import TeamInfo


class RemoveTeamDialog(QDialog):
    def __init__(self, team: TeamInfo, other_teams: list[str], shifts: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("removeTeamDialog")
        self.setMinimumWidth(460)  # the question reads as two or three lines, not a column of words
        self.team, self._shifts = team, shifts
        self.question = QLabel()
        self.question.setWordWrap(True)
        self.move_label = QLabel()
        self.move_to = QComboBox()
        self.move_to.setObjectName("moveResidentsTo")
        for name in other_teams:
            self.move_to.addItem(name, name)
        self.move_to.addItem("", "")  # no team; its text follows the language
        self.move_label.setBuddy(self.move_to)
        form = QFormLayout()
        form.addRow(self.move_label, self.move_to)
        self.move_label.setVisible(team.residents > 0)
        self.move_to.setVisible(team.residents > 0)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.question)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.retranslate()

    def target(self) -> str:
        """The team the residents move to ("" = no team)."""
        return self.move_to.currentData() or ""

    def retranslate(self) -> None:
        team = self.team
        self.setWindowTitle(tr("teams.remove.window", team=team.name))
        key = "teams.remove.members" if team.residents else "teams.remove.empty"
        self.question.setText(tr(key, team=team.name, n=team.residents, shifts=self._shifts))
        self.move_label.setText(tr("teams.remove.move_to"))
        self.move_to.setAccessibleName(tr("teams.remove.move_name"))
        self.move_to.setItemText(self.move_to.count() - 1, tr("overview.team_none"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("teams.remove.confirm"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("teams.remove.cancel"))
