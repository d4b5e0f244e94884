"""The coordinator's main window: residents overview (worst first) beside the selected resident's detail.

All data comes from a :class:`~slimmaatwerk.gui.datasource.DataSource` on worker threads. Live updates
arrive as a changed ``watermark()`` (polled every 2 s) or through :class:`LiveBridge`, whose ``notify()``
any thread may call: the signal is delivered queued on the UI thread.

Given the command-side ``service`` (and the ``data_dir``), the window also gets what
:mod:`slimmaatwerk.gui.workspace` builds: the alert inbox tab, the escalation banner, settings and the
installer's pairing wizard. Without it, it is the read-only overview.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from slimmaatwerk.clock import Clock, SystemClock
from slimmaatwerk.gui.datasource import DataSource
from slimmaatwerk.gui.detail_view import ResidentDetailView
from slimmaatwerk.gui.i18n import LANGUAGES, current_language, format_clock, format_relative, set_language, tr
from slimmaatwerk.gui.overview_groups import GROUP_BY, GroupedResidentModel
from slimmaatwerk.gui.overview_model import ResidentFilterProxy, ResidentTableModel, status_text
from slimmaatwerk.gui.qt import (
    QAction,
    QActionGroup,
    QComboBox,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QLineEdit,
    QMainWindow,
    QObject,
    QSplitter,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
    Slot,
)
from slimmaatwerk.gui.residents_view import ResidentsTable
from slimmaatwerk.gui.workers import BackgroundRunner
from slimmaatwerk.gui.workspace import Workspace
from slimmaatwerk.service import Service
from slimmaatwerk.views import ResidentDetail, ResidentRow

_log = logging.getLogger(__name__)
TIME_TICK_MS = 30_000


class LiveBridge(QObject):
    """Hands "new data stored" from non-Qt threads (MQTT, engine) to the UI thread."""

    data_changed = Signal()

    def notify(self) -> None:
        """Safe from any thread: emitting only queues a call on the receivers' (UI) thread."""
        self.data_changed.emit()


def _snapshot(source: DataSource) -> tuple[int, str, list[ResidentRow]]:
    # Watermark first: data stored while we read the rows then shows up as a change on the next poll.
    watermark = source.watermark()
    return watermark, source.banner(), source.overview()


class MainWindow(QMainWindow):
    ready = Signal()  # the first overview and, if there is a resident, their detail are shown
    overview_loaded = Signal()
    detail_loaded = Signal(str)
    load_failed = Signal(str)

    def __init__(
        self,
        source: DataSource,
        *,
        demo: bool = False,
        status_text: str = "",
        clock: Clock | None = None,
        poll_interval_ms: int = 2000,
        service: Service | None = None,
        data_dir: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._source = source
        self._demo = demo
        self._watermark: int | None = None
        self._ready = False
        self._state: tuple[str, dict[str, object]] = ("state.loading", {})
        self._runner = BackgroundRunner(self)
        self._clock = clock or SystemClock()
        self._shown_id: str | None = None  # the resident whose detail is shown or loading

        self.model = ResidentTableModel(self._clock, self)
        self.proxy = ResidentFilterProxy(self.model, self)
        self.grouped = GroupedResidentModel(self.proxy, "none", self)
        self.detail_view = ResidentDetailView(self._clock)
        if service is not None:
            self.detail_view.set_service(service)
        self.workspace: Workspace | None = None
        self._build_ui(status_text, service, data_dir)
        self._build_menus()

        self._poll_timer = QTimer(self)
        self._poll_timer.setInterval(poll_interval_ms)
        self._poll_timer.timeout.connect(self.refresh)
        self._poll_timer.start()
        self._tick_timer = QTimer(self)
        self._tick_timer.setInterval(TIME_TICK_MS)
        self._tick_timer.timeout.connect(self.model.refresh_times)
        self._tick_timer.start()

        self.retranslate()
        self.reload()

    # -- building ------------------------------------------------------------------------------------
    def _build_ui(self, status_text: str, service: Service | None, data_dir: Path | None) -> None:
        self.demo_banner = QLabel()
        self.demo_banner.setObjectName("demoBanner")
        self.demo_banner.setVisible(self._demo)
        self.warning_banner = QLabel()
        self.warning_banner.setObjectName("warningBanner")
        self.warning_banner.setVisible(False)
        for banner in (self.demo_banner, self.warning_banner):
            banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
            banner.setWordWrap(True)

        self.overview_title = QLabel()
        self.overview_title.setObjectName("sectionTitle")
        self.summary_label = QLabel()
        self.summary_label.setObjectName("summary")
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.set_search)
        self.team_label = QLabel()
        self.team_combo = QComboBox()
        self.team_combo.setObjectName("teamFilter")
        self.team_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.team_label.setBuddy(self.team_combo)
        self.team_combo.addItem("", None)  # all teams; the teams come with the overview
        self.team_combo.currentIndexChanged.connect(self._on_team_changed)
        self.group_label = QLabel()
        self.group_combo = QComboBox()
        self.group_combo.setObjectName("groupBy")
        self.group_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.group_label.setBuddy(self.group_combo)
        for by in GROUP_BY:
            self.group_combo.addItem("", by)
        self.group_combo.currentIndexChanged.connect(self._on_group_changed)
        self.table = ResidentsTable(self.proxy, self.grouped)
        self.table.resident_changed.connect(self._on_resident_changed)

        left = QWidget()
        left.setObjectName("overviewPane")
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(12, 8, 6, 8)
        left_layout.setSpacing(6)
        left_layout.addWidget(self.overview_title)
        left_layout.addWidget(self.summary_label)
        filters = QHBoxLayout()
        filters.setSpacing(6)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.team_label)
        filters.addWidget(self.team_combo)
        filters.addWidget(self.group_label)
        filters.addWidget(self.group_combo)
        left_layout.addLayout(filters)
        left_layout.addWidget(self.table, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.detail_view)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([770, 630])

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.demo_banner)
        layout.addWidget(self.warning_banner)
        if service is None:
            layout.addWidget(self.splitter, 1)
        else:
            self.workspace = Workspace(self, self.splitter, service, data_dir=data_dir, clock=self._clock,
                                       runner=self._runner, demo=self._demo, on_failure=self._on_failure)
            if self.workspace.banner is not None:
                layout.addWidget(self.workspace.banner)
            layout.addWidget(self.workspace.tabs, 1)
        self.setCentralWidget(central)

        self.state_label = QLabel()
        self.state_label.setObjectName("stateLabel")
        self.statusBar().addWidget(self.state_label, 1)
        self.status_text_label = QLabel(status_text)
        self.statusBar().addPermanentWidget(self.status_text_label)

    def _build_menus(self) -> None:
        self.file_menu = self.menuBar().addMenu("")
        self.refresh_action = QAction(self, shortcut=QKeySequence.StandardKey.Refresh)
        self.refresh_action.triggered.connect(self.reload)
        self.quit_action = QAction(self, shortcut=QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.file_menu.addAction(self.refresh_action)
        if self.workspace is not None:
            self.file_menu.addAction(self.workspace.settings_action)
            self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        if self.workspace is not None:
            self.menuBar().addMenu(self.workspace.team_menu)
            self.menuBar().addMenu(self.workspace.installer_menu)
            if self.workspace.privacy_menu is not None:
                self.menuBar().addMenu(self.workspace.privacy_menu)
        self.language_menu = self.menuBar().addMenu("")
        group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for lang in LANGUAGES:
            action = QAction(self, checkable=True)
            action.triggered.connect(lambda _checked=False, lang=lang: self.switch_language(lang))
            group.addAction(action)
            self.language_menu.addAction(action)
            self.language_actions[lang] = action
        find = QAction(self, shortcut=QKeySequence.StandardKey.Find)
        find.triggered.connect(self.search.setFocus)
        self.addAction(find)

    # -- language ------------------------------------------------------------------------------------
    @Slot(str)
    def switch_language(self, language: str) -> None:
        set_language(language)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(tr("app.title_demo") if self._demo else tr("app.title"))
        self.demo_banner.setText(tr("banner.demo"))
        self.file_menu.setTitle(tr("menu.file"))
        self.language_menu.setTitle(tr("menu.language"))
        self.refresh_action.setText(tr("action.refresh"))
        self.quit_action.setText(tr("action.quit"))
        for lang, action in self.language_actions.items():
            action.setText(tr(f"lang.{lang}"))
            action.setChecked(lang == current_language())
        self.overview_title.setText(tr("overview.title"))
        self.search.setPlaceholderText(tr("overview.search"))
        self.team_label.setText(tr("overview.team_filter"))
        self.team_combo.setAccessibleName(tr("overview.team_filter"))
        self.group_label.setText(tr("overview.group_by"))
        self.group_combo.setAccessibleName(tr("overview.group_by").replace("&", ""))
        for i in range(self.group_combo.count()):
            self.group_combo.setItemText(i, tr(f"group.by.{self.group_combo.itemData(i)}"))
        self._show_teams()
        self.model.retranslate()
        self.grouped.retranslate()
        self.table.fit_columns()
        self.detail_view.retranslate()
        if self.workspace is not None:
            self.workspace.retranslate()
        self._show_subtitle()
        self._show_summary()
        self._show_state(*self._state)

    def _show_teams(self) -> None:
        """The team filter's choices: all teams, then each team of the residents shown (kept on reload)."""
        chosen = self.team_combo.currentData()
        teams = self.model.teams()
        self.team_combo.blockSignals(True)
        try:
            self.team_combo.clear()
            self.team_combo.addItem(tr("overview.team_all"), None)
            for team in teams:
                self.team_combo.addItem(team or tr("overview.team_none"), team)
            index = self.team_combo.findData(chosen) if chosen is not None else 0
            self.team_combo.setCurrentIndex(max(index, 0))
        finally:
            self.team_combo.blockSignals(False)
        if self.team_combo.currentData() != self.proxy.team():
            self._on_team_changed()

    def set_team_filter(self, team: str | None) -> bool:
        """Show one team's residents (None: all); False when no resident has that team."""
        index = self.team_combo.findData(team) if team is not None else 0
        if index < 0:
            return False
        self.team_combo.setCurrentIndex(index)
        return True

    def set_group_by(self, by: str) -> None:
        """Group the overview by "team" or "district", or not ("none")."""
        self.group_combo.setCurrentIndex(max(self.group_combo.findData(by), 0))

    def _on_group_changed(self, _index: int = -1) -> None:
        by = self.group_combo.currentData()
        if by == "none":
            self.table.set_grouped(False)  # first, so the view does not watch the grouped rows go
        self.grouped.set_group_by(by)
        self.table.set_grouped(by != "none")
        if self._shown_id is None or not self.select_resident(self._shown_id):
            self._select_first()
        self.table.show_chosen_with_group()

    def _on_team_changed(self, _index: int = -1) -> None:
        self.proxy.set_team(self.team_combo.currentData())
        if not self.table.currentIndex().isValid():
            self._select_first()

    def _show_summary(self) -> None:
        if self.model.rowCount():
            self.summary_label.setText(tr("overview.summary", **self.model.status_counts()))
        else:
            self.summary_label.setText("" if self._watermark is None else tr("overview.empty"))

    def _show_subtitle(self) -> None:
        row = next((r for r in self.model.rows() if r.resident_id == self._shown_id), None)
        self.detail_view.set_subtitle(
            ""
            if row is None
            else tr(
                "detail.subtitle",
                status=status_text(row.status),
                last=format_relative(row.last_activity, self._now()),
                ok=row.sensors_ok,
                total=row.sensors_total,
            )
        )

    def _show_state(self, key: str, kw: dict[str, object]) -> None:
        self._state = (key, kw)
        self.state_label.setText(tr(key, **kw))
        self.state_label.setProperty("error", key == "state.error")
        self.state_label.style().polish(self.state_label)

    def status_message(self) -> str:
        return self.state_label.text()

    # -- loading -------------------------------------------------------------------------------------
    @Slot()
    def refresh(self) -> None:
        """Reload the overview and the selected detail when the data's watermark moved."""
        self._runner.run("watermark", self._source.watermark, self._on_watermark, self._on_failure)

    @Slot()
    def live_event(self) -> None:
        self.refresh()

    def connect_bridge(self, bridge: LiveBridge) -> None:
        bridge.data_changed.connect(self.live_event, Qt.ConnectionType.QueuedConnection)

    @Slot()
    def reload(self) -> None:
        """Reload unconditionally (menu "Refresh"; start-up)."""
        source = self._source
        self._runner.run("overview", lambda: _snapshot(source), self._on_overview, self._on_failure)
        if self._shown_id is not None:
            self._load_detail(self._shown_id)
        if self.workspace is not None:
            self.workspace.reload()

    def _on_watermark(self, watermark: int) -> None:
        if watermark != self._watermark:
            self.reload()
        elif self._state[0] == "state.error":
            self._show_state("state.updated", {"n": self.model.rowCount(), "time": format_clock(self._now())})

    def _on_overview(self, snapshot: tuple[int, str, list[ResidentRow]]) -> None:
        watermark, banner, rows = snapshot
        selected = self.selected_resident_id()
        self._watermark = watermark
        self.warning_banner.setText(banner)
        self.warning_banner.setVisible(bool(banner))
        self.model.set_rows(rows)
        self._show_teams()
        self.table.fit_columns_once()
        if selected is None or not self.select_resident(selected):
            self._select_first()
        self._show_summary()
        self._show_subtitle()
        self._show_state("state.updated", {"n": len(rows), "time": format_clock(self._now())})
        self.overview_loaded.emit()
        if not rows:
            self.detail_view.clear()
            self._mark_ready()

    def _on_failure(self, error: BaseException) -> None:
        _log.warning("loading failed: %s", error, exc_info=error)
        message = str(error) or type(error).__name__
        self._show_state("state.error", {"error": message})
        self.load_failed.emit(message)

    def _load_detail(self, resident_id: str) -> None:
        source = self._source
        self._runner.run(
            "detail", lambda: source.resident_detail(resident_id), self._on_detail, self._on_failure
        )

    def _on_detail(self, detail: ResidentDetail) -> None:
        if detail.resident_id != self._shown_id:
            return  # the coordinator has moved on; a newer load is on its way
        self.detail_view.set_detail(detail)
        self.detail_loaded.emit(detail.resident_id)
        self._mark_ready()

    def _mark_ready(self) -> None:
        if not self._ready:
            self._ready = True
            self.ready.emit()

    def is_ready(self) -> bool:
        return self._ready

    def _now(self) -> datetime:
        return self._clock.now()

    # -- selection -----------------------------------------------------------------------------------
    def selected_resident_id(self) -> str | None:
        index = self.table.currentIndex()
        return self.table.resident_id_at(index) if index.isValid() else None

    def select_resident(self, resident_id: str) -> bool:
        return self.table.select_resident(resident_id)

    def _select_first(self) -> None:
        self.table.select_first()

    def _on_resident_changed(self, resident_id: str, name: str) -> None:
        if resident_id == self._shown_id:
            return
        self._shown_id = resident_id
        self.detail_view.show_loading(name)
        self._show_subtitle()
        self._load_detail(resident_id)

    def closeEvent(self, event) -> None:
        self._poll_timer.stop()
        self._tick_timer.stop()
        if self.workspace is not None:
            self.workspace.shutdown()
        self.detail_view.shutdown()
        self._runner.shutdown()
        super().closeEvent(event)
