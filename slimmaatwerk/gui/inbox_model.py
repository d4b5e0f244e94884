"""The alert inbox's table model and the words it shows for an alert: owner, history line, explanation.

One row per :class:`~slimmaatwerk.alert_workflow.InboxRow`; the text is rebuilt on a language switch.
The panel that shows it is :mod:`slimmaatwerk.gui.inbox`.
"""

from __future__ import annotations

from typing import Any

from slimmaatwerk.alert_workflow import LABELS, HistoryEntry, InboxRow
from slimmaatwerk.clock import Clock
from slimmaatwerk.gui.alerts_panel import severity_text
from slimmaatwerk.gui.i18n import (
    current_language,
    format_clock,
    format_day,
    format_relative,
    has_text,
    indicator_name,
    tr,
)
from slimmaatwerk.gui.list_model import ListTableModel
from slimmaatwerk.gui.qt import QFont, QObject, Qt
from slimmaatwerk.localtime import to_local

AlertIdRole = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("severity", "resident", "indicator", "raised", "status", "owner", "label", "escalation")


def role_text(role: str) -> str:
    """The usual shift roles in words; an organisation's own role names are shown as typed."""
    return tr(f"role.{role}") if has_text(f"role.{role}") else role


def owner_text(row: InboxRow) -> str:
    if row.owner:
        return row.owner
    if row.on_duty:
        return tr("inbox.owner.on_duty", person=row.on_duty, role=role_text(row.on_duty_role))
    return tr("inbox.owner.none")


def history_text(entry: HistoryEntry) -> str:
    detail = entry.detail
    if entry.action == "resolved" and detail in LABELS:
        detail = tr(f"label.{detail}")
    elif entry.action == "raised" and len(parts := detail.split(" ", 1)) == 2:
        detail = f"{severity_text(parts[0])}, {indicator_name(parts[1])}"
    text = tr(f"history.{entry.action}", detail=detail)
    when = f"{format_day(to_local(entry.at).date())} {format_clock(entry.at)}"
    return tr("history.line", time=when, actor=entry.actor, text=text)


class InboxModel(ListTableModel):
    """A read-only table over a list of :class:`InboxRow`; unhandled (new) alerts in bold."""

    columns = COLUMNS

    def __init__(self, clock: Clock, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._clock = clock

    # set_rows/rows: the inbox's own words for set_items/items, used by the panel and the workspace
    def set_rows(self, rows: list[InboxRow]) -> None:
        self.set_items(rows)

    def rows(self) -> list[InboxRow]:
        return self.items()

    def row_of(self, alert_id: int) -> int:
        return next((i for i, r in enumerate(self._items) if r.alert_id == alert_id), -1)

    def header(self, column: str) -> str:
        return tr(f"inbox.col.{column}")

    def cell(self, row: InboxRow, column: str) -> str:
        if column == "severity":
            return severity_text(row.severity)
        if column == "resident":
            return row.resident_name
        if column == "indicator":
            return indicator_name(row.indicator)
        if column == "raised":
            return format_relative(row.raised_at, self._clock.now())
        if column == "status":
            return tr(f"alert_status.{row.status}")
        if column == "owner":
            return owner_text(row)
        if column == "label":
            return tr(f"label.{row.label or 'none'}")
        return tr(f"escalation.state.{row.escalation}") if row.escalation else ""

    def tooltip(self, row: InboxRow, column: str) -> str:
        return explanation(row) if column == "indicator" else self.cell(row, column)

    def cell_role(self, row: InboxRow, column: str, role: int) -> Any:
        if role == AlertIdRole:
            return row.alert_id
        if role == Qt.ItemDataRole.FontRole and row.status == "new":
            font = QFont()
            font.setBold(True)
            return font
        return None


def explanation(row: InboxRow) -> str:
    """The explanation in the current language, falling back to the other one rather than nothing."""
    return row.explanation.get(current_language()) or next((t for t in row.explanation.values() if t), "")
