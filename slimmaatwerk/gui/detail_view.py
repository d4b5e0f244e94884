"""One resident's detail: name, activity heatmap (what changed) and alerts with sensors (why)."""

from __future__ import annotations

from slimmaatwerk.clock import Clock
from slimmaatwerk.gui.alerts_panel import AlertsPanel
from slimmaatwerk.gui.heatmap import ActivityHeatmap
from slimmaatwerk.gui.i18n import tr
from slimmaatwerk.gui.qt import QLabel, QSplitter, Qt, QVBoxLayout, QWidget
from slimmaatwerk.views import ResidentDetail


class ResidentDetailView(QWidget):
    def __init__(self, clock: Clock | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._detail: ResidentDetail | None = None
        self._loading = False
        self._loading_name = ""
        self.name_label = QLabel()
        self.name_label.setObjectName("residentName")
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.subtitle = QLabel()
        self.subtitle.setObjectName("residentSubtitle")
        self.heatmap_title = QLabel()
        self.heatmap_title.setObjectName("sectionTitle")
        self.heatmap = ActivityHeatmap()
        self.alerts = AlertsPanel(clock)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.setSpacing(4)
        top_layout.addWidget(self.heatmap_title)
        top_layout.addWidget(self.heatmap, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(top)
        splitter.addWidget(self.alerts)
        splitter.setSizes([480, 260])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(6)
        layout.addWidget(self.name_label)
        layout.addWidget(self.subtitle)
        layout.addWidget(splitter, 1)
        self.retranslate()

    def set_subtitle(self, text: str) -> None:
        """One line from the overview row (status, last activity, sensors): the context for the detail."""
        self.subtitle.setText(text)

    def resident_id(self) -> str | None:
        return self._detail.resident_id if self._detail else None

    def detail(self) -> ResidentDetail | None:
        return self._detail

    def show_loading(self, name: str) -> None:
        """Another resident was chosen: show their name at once, the old resident's data not at all."""
        if self._detail is not None and self._detail.name != name:
            self.heatmap.clear()
            self.alerts.set_data([], [])
            self._detail = None
        self._loading_name = name
        self._loading = True
        self.retranslate()

    def set_detail(self, detail: ResidentDetail) -> None:
        self._detail = detail
        self._loading = False
        self.heatmap.set_data(detail.days, detail.hourly, detail.usual_hourly)
        self.alerts.set_data(detail.alerts, detail.devices)
        self.retranslate()

    def clear(self) -> None:
        self._detail = None
        self._loading = False
        self.heatmap.clear()
        self.alerts.set_data([], [])
        self.retranslate()

    def retranslate(self) -> None:
        if self._detail is not None:
            name = self._detail.name
            if self._loading:
                name += f"  ·  {tr('detail.loading')}"
            self.name_label.setText(name)
        elif self._loading:
            self.name_label.setText(f"{self._loading_name}  ·  {tr('detail.loading')}")
        else:
            self.name_label.setText(tr("detail.choose"))
        self.heatmap_title.setText(tr("detail.heatmap", n=len(self._detail.days) if self._detail else 0))
        self.heatmap.retranslate()
        self.alerts.retranslate()
