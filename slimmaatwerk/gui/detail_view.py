"""One resident's detail: name, activity heatmap (what changed) and alerts with sensors (why).

Given the command-side service (:meth:`ResidentDetailView.set_service`), three more tabs: today's
timeline per room ("Vandaag"), the context calendar ("Agenda") and the indicator trends, and a button to
the resident's team and contact list. Without it the detail is the read-only overview tab.
"""

from __future__ import annotations

from slimmaatwerk.clock import Clock
from slimmaatwerk.gui.alerts_panel import AlertsPanel
from slimmaatwerk.gui.detail_tabs import ContextCalendar, TrendsPanel
from slimmaatwerk.gui.heatmap import ActivityHeatmap
from slimmaatwerk.gui.i18n import tr
from slimmaatwerk.gui.qt import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    Qt,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    Signal,
)
from slimmaatwerk.gui.timeline_view import TimelinePanel
from slimmaatwerk.permissions import allowed
from slimmaatwerk.service import Service
from slimmaatwerk.views import ResidentDetail


class ResidentDetailView(QWidget):
    contacts_requested = Signal(str)  # resident id: open their team and contact list

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
        self._clock = clock
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
        self.contacts_button = QPushButton()
        self.contacts_button.setObjectName("contactsButton")
        self.contacts_button.setVisible(False)  # only for users who handle alerts (set_service)
        self.contacts_button.clicked.connect(self._request_contacts)
        header = QHBoxLayout()
        header.addWidget(self.name_label, 1)
        header.addWidget(self.contacts_button)
        layout.addLayout(header)
        layout.addWidget(self.subtitle)
        layout.addWidget(splitter, 1)
        self._layout = layout
        self._overview = splitter
        self.tabs: QTabWidget | None = None  # only with a service: overview, calendar, trends
        self.calendar: ContextCalendar | None = None
        self.trends: TrendsPanel | None = None
        self.timeline: TimelinePanel | None = None
        self.retranslate()

    def set_service(self, service: Service) -> None:
        """Add the calendar and trends tabs (once); they load lazily for the resident shown."""
        if self.calendar is not None:
            return
        self.calendar = ContextCalendar(service, self._clock)
        self.calendar.set_editable(allowed(service.roles, "change_context"))
        self.contacts_button.setVisible(allowed(service.roles, "handle_alerts"))
        self.trends = TrendsPanel(service)
        self.timeline = TimelinePanel(service)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("detailTabs")
        self.tabs.setDocumentMode(True)
        self._layout.replaceWidget(self._overview, self.tabs)
        self.tabs.addTab(self._overview, "")
        self.tabs.addTab(self.timeline, "")
        self.tabs.addTab(self.calendar, "")
        self.tabs.addTab(self.trends, "")
        self.tabs.currentChanged.connect(self._load_current_tab)
        self.retranslate()

    def _load_current_tab(self, _index: int = -1) -> None:
        # Only the visible tab asks the service: trends read events, so only for this resident, on demand.
        if self.tabs is None:
            return
        resident_id = self.resident_id()
        current = self.tabs.currentWidget()
        if current is self.calendar and self.calendar is not None:
            self.calendar.set_resident(resident_id)
        elif current is self.trends and self.trends is not None:
            self.trends.set_resident(resident_id)
        elif current is self.timeline and self.timeline is not None:
            self.timeline.set_resident(resident_id)

    def _request_contacts(self) -> None:
        if self._detail is not None:
            self.contacts_requested.emit(self._detail.resident_id)

    def shutdown(self) -> None:
        for panel in (self.calendar, self.trends, self.timeline):
            if panel is not None:
                panel.shutdown()

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
            self._clear_tabs()
        self._loading_name = name
        self._loading = True
        self.retranslate()

    def set_detail(self, detail: ResidentDetail) -> None:
        self._detail = detail
        self._loading = False
        self.heatmap.set_data(detail.days, detail.hourly, detail.usual_hourly)
        self.alerts.set_data(detail.alerts, detail.devices)
        self.retranslate()
        self._load_current_tab()

    def clear(self) -> None:
        self._detail = None
        self._loading = False
        self.heatmap.clear()
        self.alerts.set_data([], [])
        self._clear_tabs()
        self.retranslate()

    def _clear_tabs(self) -> None:
        for panel in (self.calendar, self.trends, self.timeline):
            if panel is not None:
                panel.set_resident(None)

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
        self.contacts_button.setText(tr("detail.contacts"))
        self.contacts_button.setEnabled(self._detail is not None)
        self.heatmap_title.setText(tr("detail.heatmap", n=len(self._detail.days) if self._detail else 0))
        self.heatmap.retranslate()
        self.alerts.retranslate()
        if self.tabs is not None and self.calendar is not None and self.trends is not None \
                and self.timeline is not None:
            for panel, key in ((self._overview, "overview"), (self.timeline, "timeline"),
                               (self.calendar, "calendar"), (self.trends, "trends")):
                self.tabs.setTabText(self.tabs.indexOf(panel), tr(f"detail.tab.{key}"))
            self.calendar.retranslate()
            self.trends.retranslate()
            self.timeline.retranslate()
