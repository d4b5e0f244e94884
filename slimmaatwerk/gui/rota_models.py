"""The team and rota editor's tables as read-only item models, and the rota in words (days, hours, the
hours of the week nobody is on duty). Used by :mod:`slimmaatwerk.gui.teams_dialog`."""

from __future__ import annotations

from slimmaatwerk.gui.i18n import tr
from slimmaatwerk.gui.list_model import ListTableModel
from slimmaatwerk.gui.qt import (
    QAbstractItemView,
    QHeaderView,
    QTableView,
)
from slimmaatwerk.storage.teams import RotaEntry, TeamInfo

# The usual shifts of Dutch home care, offered when a role is chosen (the times stay editable); these
# roles are shown translated, an organisation's own role as typed.
SHIFTS: dict[str, tuple[int, int]] = {"office": (8 * 60, 17 * 60), "evening": (17 * 60, 23 * 60),
                                      "night": (23 * 60, 8 * 60)}

def clock_text(minute: int) -> str:
    return f"{minute // 60 % 24:02d}:{minute % 60:02d}"


def days_text(mask: int) -> str:
    names = tr("date.weekdays").split()
    if mask & 0b1111111 == 0b1111111:
        return tr("rota.every_day")
    return " ".join(names[d] for d in range(7) if mask >> d & 1)


def gap_text(start: int, end: int) -> str:
    """``za 08:00 – ma 08:00``: a gap of the week (minutes from Monday 00:00, possibly past Sunday)."""
    names = tr("date.weekdays").split()

    def moment(m: int) -> str:
        return f"{names[m // (24 * 60) % 7]} {clock_text(m % (24 * 60))}"

    if start // (24 * 60) == (end - 1) // (24 * 60):
        return f"{moment(start)} – {clock_text(end % (24 * 60))}"  # within one day: the day once
    return f"{moment(start)} – {moment(end)}"


class TeamsModel(ListTableModel):
    columns = ("name", "district", "residents")

    def header(self, column: str) -> str:
        return tr(f"teams.col.{column}")

    def cell(self, item: TeamInfo, column: str) -> str:
        return {"name": item.name, "district": item.district or "—", "residents": str(item.residents)}[column]


class RotaModel(ListTableModel):
    columns = ("role", "person", "phone", "days", "hours")

    def header(self, column: str) -> str:
        return tr(f"rota.col.{column}")

    def cell(self, item: RotaEntry, column: str) -> str:
        if column == "role":
            return tr(f"role.{item.role}") if item.role in SHIFTS else item.role
        if column == "hours":
            return f"{clock_text(item.start_min)}–{clock_text(item.end_min)}"
        return {"person": item.person, "phone": item.phone or "—", "days": days_text(item.weekdays)}[column]


def make_table(model: ListTableModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.setTabKeyNavigation(False)  # Tab leaves the table for the next field
    return view
