"""The in-window banner for red alerts that need someone now, and a tray notification where a tray exists.

The rule of what needs attention is the core's (``Service.needs_attention``: escalated, nobody on duty,
or unacknowledged past the escalation delay); escalation itself is done by the engine, so it works with
no desktop open. The banner is always shown in the window, because many desktops (and offscreen test
runs) have no system tray.
"""

from __future__ import annotations

from typing import Protocol

from slimmaatwerk.alert_workflow import InboxRow
from slimmaatwerk.gui.i18n import indicator_name, tr
from slimmaatwerk.gui.qt import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QSystemTrayIcon,
    QWidget,
    Signal,
)
from slimmaatwerk.gui.workers import BackgroundRunner


class AttentionSource(Protocol):
    def needs_attention(self) -> list[InboxRow]:
        """Red open alerts someone must act on now (called on a worker thread)."""
        ...


class TrayNotifier:
    """Shows each alert once as a system-tray message; does nothing where no tray exists."""

    def __init__(self, parent: QWidget) -> None:
        self._notified: set[int] = set()
        self._tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            icon = parent.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
            self._tray = QSystemTrayIcon(icon, parent)
            self._tray.show()

    @property
    def available(self) -> bool:
        return self._tray is not None

    def notify(self, rows: list[InboxRow]) -> list[int]:
        """Notify the alerts not notified before; returns their ids (also when there is no tray)."""
        fresh = [r for r in rows if r.alert_id not in self._notified]
        self._notified.update(r.alert_id for r in fresh)
        if self._tray is not None and fresh:
            text = "\n".join(tr("tray.message", resident=r.resident_name, indicator=indicator_name(r.indicator))
                             for r in fresh[:5])
            self._tray.showMessage(tr("tray.title"), text, QSystemTrayIcon.MessageIcon.Warning, 30_000)
        return [r.alert_id for r in fresh]


class EscalationBanner(QFrame):
    """"▲ 2 red alerts need action now…" with a button to the inbox; hidden while nothing needs it."""

    open_inbox = Signal()
    changed = Signal(int)  # how many alerts need attention

    def __init__(self, source: AttentionSource, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("escalationBanner")
        self._source = source
        self._rows: list[InboxRow] = []
        self._error = ""
        self._runner = BackgroundRunner(self)
        self.tray = TrayNotifier(self)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setObjectName("escalationText")
        self.button = QPushButton()
        self.button.clicked.connect(self.open_inbox.emit)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.button)
        # Not colour alone: the ▲ symbol and the words carry the meaning; the frame just adds contrast.
        self.setStyleSheet("#escalationBanner { background: #7a1010; } #escalationBanner QLabel "
                           "{ color: white; font-weight: bold; }")
        self.setVisible(False)
        self.retranslate()

    def reload(self) -> None:
        """Ask the source again (connect the main window's overview refresh to this)."""
        self._runner.run("attention", self._source.needs_attention, self.set_rows, self._failed)

    def _failed(self, error: BaseException) -> None:
        """A banner that cannot check must say so: hiding would read as "nothing needs attention"."""
        self._error = str(error)
        self.text.setText(tr("banner.check_failed", error=self._error))
        self.setVisible(True)

    def set_rows(self, rows: list[InboxRow]) -> None:
        self._rows = list(rows)
        self._error = ""
        self.tray.notify(self._rows)
        self.retranslate()
        self.setVisible(bool(self._rows))
        self.changed.emit(len(self._rows))

    def rows(self) -> list[InboxRow]:
        return list(self._rows)

    def retranslate(self) -> None:
        rows = self._rows
        escalated = sum(1 for r in rows if r.escalation)
        unowned = sum(1 for r in rows if r.unowned and not r.escalation)
        waiting = len(rows) - escalated - unowned
        self.text.setText(tr("banner.attention", n=len(rows), escalated=escalated, unowned=unowned,
                             waiting=waiting))
        self.button.setText(tr("banner.open_inbox"))
        self.button.setAccessibleName(tr("banner.open_inbox").replace("&", ""))
        if self._error:
            self.text.setText(tr("banner.check_failed", error=self._error))
        self.setAccessibleName(self.text.text())

    def shutdown(self) -> None:
        self._runner.shutdown()
