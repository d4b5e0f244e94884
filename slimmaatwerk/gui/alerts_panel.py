"""A resident's alerts (why they need attention) and the health of their sensors, as two tabs.

Each alert is a card: severity as word + symbol, the indicator in plain words, its date and handling
status, and the explanation against the resident's own baseline in the current language.
"""

from __future__ import annotations

from slimmaatwerk.clock import Clock, SystemClock
from slimmaatwerk.gui.i18n import (
    current_language,
    format_day,
    format_relative,
    has_text,
    indicator_name,
    placement_name,
    room_name,
    tr,
)
from slimmaatwerk.gui.qt import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from slimmaatwerk.views import AlertView, DeviceHealth

_SEVERITY_RANK = {"red": 0, "amber": 1, "info": 2}
LOW_BATTERY = 20.0
_DEVICE_COLUMNS = (
    "dev.col.room",
    "dev.col.placement",
    "dev.col.state",
    "dev.col.battery",
    "dev.col.last_seen",
)


def explanation_text(alert: AlertView) -> str:
    """The explanation in the current language, falling back to the other one rather than nothing."""
    lang = current_language()
    return alert.explanation.get(lang) or next((t for t in alert.explanation.values() if t), "")


def severity_text(severity: str) -> str:
    return tr(f"severity.{severity}") if severity in _SEVERITY_RANK else severity


def _alert_order(alert: AlertView) -> tuple:
    return (alert.status == "resolved", _SEVERITY_RANK.get(alert.severity, 3), -alert.date.toordinal())


class AlertCard(QFrame):
    def __init__(self, alert: AlertView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.alert = alert
        self.setObjectName("alertCard")
        self.setProperty("severity", alert.severity)
        self.setProperty("resolved", alert.status == "resolved")
        severity = QLabel(severity_text(alert.severity))
        severity.setObjectName("severityTag")
        severity.setProperty("severity", alert.severity)
        title = QLabel(indicator_name(alert.indicator))
        title.setObjectName("alertTitle")
        status = (
            tr(f"alert_status.{alert.status}") if has_text(f"alert_status.{alert.status}") else alert.status
        )
        meta = QLabel(tr("alert.meta", date=format_day(alert.date, year=True), status=status))
        meta.setObjectName("alertMeta")
        self.explanation = QLabel(explanation_text(alert))
        self.explanation.setWordWrap(True)
        self.explanation.setObjectName("alertExplanation")
        self.explanation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        head = QHBoxLayout()
        head.setSpacing(10)
        head.addWidget(severity)
        head.addWidget(title)
        head.addStretch(1)
        head.addWidget(meta)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 10)
        layout.setSpacing(4)
        layout.addLayout(head)
        layout.addWidget(self.explanation)
        self.setAccessibleName(f"{severity_text(alert.severity)} {indicator_name(alert.indicator)}")
        self.setAccessibleDescription(self.explanation.text())


class AlertsPanel(QTabWidget):
    def __init__(self, clock: Clock | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._clock = clock or SystemClock()
        self._alerts: list[AlertView] = []
        self._devices: list[DeviceHealth] = []

        self._list = QWidget()
        self._list.setObjectName("alertList")
        self._list_layout = QVBoxLayout(self._list)
        self._list_layout.setContentsMargins(8, 8, 8, 8)
        self._list_layout.setSpacing(8)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self._list)

        self.devices_table = QTableWidget(0, len(_DEVICE_COLUMNS))
        self.devices_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.devices_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.devices_table.verticalHeader().setVisible(False)
        self.devices_table.setAlternatingRowColors(True)
        self.devices_table.setShowGrid(False)
        header = self.devices_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

        self.addTab(scroll, "")
        self.addTab(self.devices_table, "")
        self.retranslate()

    def set_data(self, alerts: list[AlertView], devices: list[DeviceHealth]) -> None:
        self._alerts = sorted(alerts, key=_alert_order)
        self._devices = sorted(devices, key=lambda d: (d.online, d.room, d.placement, d.device))
        self.retranslate()

    def cards(self) -> list[AlertCard]:
        return self._list.findChildren(AlertCard)

    def retranslate(self) -> None:
        self._fill_alerts()
        self._fill_devices()
        ok = sum(d.online for d in self._devices)
        self.setTabText(0, tr("tab.alerts", n=len(self._alerts)))
        self.setTabText(1, tr("tab.devices", ok=ok, total=len(self._devices)))

    def _fill_alerts(self) -> None:
        while (item := self._list_layout.takeAt(0)) is not None:
            if (widget := item.widget()) is not None:
                widget.setParent(None)
                widget.deleteLater()
        for alert in self._alerts:
            self._list_layout.addWidget(AlertCard(alert))
        if not self._alerts:
            empty = QLabel(tr("alerts.empty"))
            empty.setObjectName("emptyNote")
            self._list_layout.addWidget(empty)
        self._list_layout.addStretch(1)

    def _fill_devices(self) -> None:
        table = self.devices_table
        table.setHorizontalHeaderLabels([tr(key) for key in _DEVICE_COLUMNS])
        table.setRowCount(len(self._devices))
        now = self._clock.now()
        for row, device in enumerate(self._devices):
            cells = (
                room_name(device.room),
                placement_name(device.placement) or device.device,
                tr("dev.online") if device.online else tr("dev.offline"),
                _battery_text(device.battery),
                format_relative(device.last_seen, now),
            )
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(f"{device.device}: {text}")
                if (col == 2 and not device.online) or (
                    col == 3 and device.battery is not None and device.battery < LOW_BATTERY
                ):
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                table.setItem(row, col, item)


def _battery_text(battery: float | None) -> str:
    if battery is None:
        return tr("dev.battery_mains")
    pct = round(battery)
    return tr("dev.battery_low", pct=pct) if battery < LOW_BATTERY else f"{pct}%"
