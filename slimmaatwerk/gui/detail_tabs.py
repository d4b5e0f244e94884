"""The resident detail's extra tabs: the context calendar (absence, hospital stay, visit) and the
indicator trends with the resident's usual band.

Both talk to the command-side service facade only through their own :class:`BackgroundRunner`: reading
the calendar, adding a period and computing trends (which reads events) never run on the UI thread.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import pyqtgraph as pg

from slimmaatwerk.clock import Clock
from slimmaatwerk.gui.i18n import format_day, indicator_name, tr
from slimmaatwerk.gui.qt import (
    QAbstractItemView,
    QComboBox,
    QDateTime,
    QDateTimeEdit,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)
from slimmaatwerk.gui.workers import BackgroundRunner
from slimmaatwerk.localtime import TZ, to_local
from slimmaatwerk.service import CONTEXT_TYPES, ContextPeriodView, Service
from slimmaatwerk.trends import Trend

_TEXT = "#333333"
_BAND_BRUSH = pg.mkBrush("#b4bfca")
_BAND_EDGE = pg.mkPen("#9aa7b4", width=1)
_VALUE_PEN = pg.mkPen("#1f4e9c", width=2)
_DT_FORMAT = "yyyy-MM-dd HH:mm"
# Daily indicators change at most once a day: live updates do not recompute them more often than this.
TRENDS_MAX_AGE_S = 300.0


def _format_moment(moment: datetime) -> str:
    local = to_local(moment)
    return f"{format_day(local.date(), year=True)} {local:%H:%M}"


def _edit_moment(edit: QDateTimeEdit) -> str:
    """The edit's wall-clock time in Amsterdam as ISO 8601 with its offset (what the service takes)."""
    local = datetime.fromisoformat(edit.dateTime().toString("yyyy-MM-ddTHH:mm"))
    return local.replace(tzinfo=TZ).isoformat()


def _clock_ticks(trend: Trend) -> list[tuple[int, str]]:
    """Times of day (minutes after midnight) as HH:MM, as close together as the shown range allows."""
    known = [v for v in (*trend.values, *trend.low, *trend.high) if v is not None]
    span = (max(known) - min(known)) if known else 0.0
    step = next((s for s in (15, 30, 60, 120) if span <= 6 * s), 240)
    return [(m, f"{m // 60:02d}:{m % 60:02d}") for m in range(0, 24 * 60 + 1, step)]


class ContextCalendar(QWidget):
    """The resident's context periods and, for users who may change them, a form to add one."""

    loaded = Signal()
    added = Signal(int)

    def __init__(self, service: Service, clock: Clock | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._clock = clock or service.clock
        self._runner = BackgroundRunner(self)
        self._resident_id: str | None = None
        self._periods: list[ContextPeriodView] = []
        self._message: tuple[str, dict[str, object]] | None = None

        self.title = QLabel()
        self.title.setObjectName("sectionTitle")
        self.table = QTableWidget(0, 4)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.empty_label = QLabel()

        self.form_title = QLabel()
        self.form_title.setObjectName("sectionTitle")
        self.type_combo = QComboBox()
        self.from_edit = QDateTimeEdit()
        self.to_edit = QDateTimeEdit()
        for edit in (self.from_edit, self.to_edit):
            edit.setDisplayFormat(_DT_FORMAT)
            edit.setCalendarPopup(True)
        self.note_edit = QLineEdit()
        self.add_button = QPushButton()
        self.add_button.clicked.connect(self.submit)
        self.message_label = QLabel()
        self.message_label.setObjectName("formMessage")
        self.message_label.setWordWrap(True)

        self.form = QWidget()
        form = QFormLayout(self.form)
        form.setContentsMargins(0, 0, 0, 0)
        self._form_labels = [QLabel() for _ in range(4)]
        for label, field in zip(self._form_labels, (self.type_combo, self.from_edit, self.to_edit, self.note_edit),
                                strict=True):
            label.setBuddy(field)
            form.addRow(label, field)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.message_label, 1)
        form.addRow(buttons)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.form_title)
        layout.addWidget(self.form)
        self.set_editable(True)
        self._reset_form()
        self.retranslate()

    def _reset_form(self) -> None:
        """From now (the injected clock, local time, whole hour) for two hours: a typical visit."""
        start = to_local(self._clock.now()).replace(minute=0, second=0, microsecond=0, tzinfo=None)
        self.from_edit.setDateTime(QDateTime.fromString(start.strftime("%Y-%m-%d %H:%M"), _DT_FORMAT))
        self.to_edit.setDateTime(QDateTime.fromString((start + timedelta(hours=2)).strftime("%Y-%m-%d %H:%M"),
                                                      _DT_FORMAT))
        self.note_edit.clear()

    def set_editable(self, editable: bool) -> None:
        self.form_title.setVisible(editable)
        self.form.setVisible(editable)

    def periods(self) -> list[ContextPeriodView]:
        return list(self._periods)

    def set_resident(self, resident_id: str | None) -> None:
        if resident_id != self._resident_id:
            self._periods = []
            self._message = None
            self.message_label.clear()
            self._resident_id = resident_id
            self._reset_form()
            self._show()
        self.reload()

    def reload(self) -> None:
        resident_id, service = self._resident_id, self._service
        if resident_id is None:
            return
        self._runner.run("context", lambda: (resident_id, service.list_context(resident_id)),
                         self._on_loaded, self._on_failure)

    def _on_loaded(self, outcome: tuple[str, list[ContextPeriodView]]) -> None:
        resident_id, periods = outcome
        if resident_id != self._resident_id:
            return
        self._periods = periods
        self._show()
        self.loaded.emit()

    def submit(self) -> None:
        resident_id, service = self._resident_id, self._service
        if resident_id is None:
            return
        type_ = self.type_combo.currentData()
        start, end = _edit_moment(self.from_edit), _edit_moment(self.to_edit)
        note = self.note_edit.text().strip()
        self.add_button.setEnabled(False)
        self._runner.run("add", lambda: service.add_context(resident_id, type_, start, end, note),
                         self._on_added, self._on_add_failed)

    def _on_added(self, period_id: int) -> None:
        self.add_button.setEnabled(True)
        self._reset_form()
        self._set_message("calendar.added", {})
        self.added.emit(period_id)
        self.reload()

    def _on_add_failed(self, error: BaseException) -> None:
        self.add_button.setEnabled(True)
        self._on_failure(error)

    def _on_failure(self, error: BaseException) -> None:
        self._set_message("calendar.error", {"error": str(error) or type(error).__name__})

    def _set_message(self, key: str, kw: dict[str, object]) -> None:
        self._message = (key, kw)
        self.message_label.setText(tr(key, **kw))
        self.message_label.setProperty("error", key == "calendar.error")

    def message(self) -> str:
        return self.message_label.text()

    def _show(self) -> None:
        self.table.setRowCount(len(self._periods))
        for row, period in enumerate(reversed(self._periods)):  # newest first
            cells = (tr(f"context.{period.type}"), _format_moment(period.start), _format_moment(period.end),
                     period.note)
            for col, text in enumerate(cells):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.empty_label.setVisible(not self._periods)

    def retranslate(self) -> None:
        self.title.setText(tr("calendar.title"))
        self.table.setHorizontalHeaderLabels([tr("calendar.col.type"), tr("calendar.col.from"),
                                              tr("calendar.col.to"), tr("calendar.col.note")])
        self.empty_label.setText(tr("calendar.empty"))
        self.form_title.setText(tr("calendar.add_title"))
        current = self.type_combo.currentData()
        self.type_combo.clear()
        for type_ in CONTEXT_TYPES:
            self.type_combo.addItem(tr(f"context.{type_}"), type_)
        if current is not None:
            self.type_combo.setCurrentIndex(max(0, CONTEXT_TYPES.index(current)))
        for label, key in zip(self._form_labels, ("type", "from", "to", "note"), strict=True):
            label.setText(tr(f"calendar.field.{key}"))
        self.add_button.setText(tr("calendar.add"))
        self.add_button.setAccessibleName(tr("calendar.add"))
        self.note_edit.setPlaceholderText(tr("calendar.note_hint"))
        if self._message is not None:
            self.message_label.setText(tr(self._message[0], **self._message[1]))
        self._show()

    def shutdown(self) -> None:
        self._runner.shutdown()


class TrendsPanel(QWidget):
    """One small plot per indicator: the daily value as a line over the shaded usual band."""

    loaded = Signal()

    def __init__(self, service: Service, days: int = 56, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._days = days
        self._runner = BackgroundRunner(self)
        self._resident_id: str | None = None
        self._trends: list[Trend] = []
        self._error = ""
        self._loaded_at: float | None = None

        self.title = QLabel()
        self.title.setObjectName("sectionTitle")
        self.status_label = QLabel()
        self.view = pg.GraphicsLayoutWidget()
        self.view.setBackground("w")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status_label)
        self.retranslate()

    def trends(self) -> list[Trend]:
        return list(self._trends)

    def set_resident(self, resident_id: str | None) -> None:
        if resident_id != self._resident_id:
            self._trends = []
            self._error = ""
            self._loaded_at = None
            self._resident_id = resident_id
            self._draw()
        elif self._loaded_at is not None and time.monotonic() - self._loaded_at < TRENDS_MAX_AGE_S:
            return  # the same resident's trends are fresh enough
        self.reload()

    def reload(self) -> None:
        resident_id, service, days = self._resident_id, self._service, self._days
        if resident_id is None:
            return
        self.status_label.setText(tr("detail.loading"))
        self._runner.run("trends", lambda: (resident_id, service.resident_trends(resident_id, days)),
                         self._on_loaded, self._on_failure)

    def _on_loaded(self, outcome: tuple[str, list[Trend]]) -> None:
        resident_id, trends = outcome
        if resident_id != self._resident_id:
            return
        self._trends, self._error = trends, ""
        self._loaded_at = time.monotonic()
        self._draw()
        self.loaded.emit()

    def _on_failure(self, error: BaseException) -> None:
        self._error = str(error) or type(error).__name__
        self._draw()

    def band_items(self) -> list[pg.FillBetweenItem]:
        return [item for plot in self._plots() for item in plot.items if isinstance(item, pg.FillBetweenItem)]

    def curve_items(self) -> list[pg.PlotDataItem]:
        return [item for plot in self._plots() for item in plot.items
                if isinstance(item, pg.PlotDataItem) and item.opts.get("name") == "value"]

    def _plots(self) -> list[pg.PlotItem]:
        return [item for item in self.view.ci.items if isinstance(item, pg.PlotItem)]

    def _draw(self) -> None:
        self.view.clear()
        shown = [t for t in self._trends if t.days]
        if self._error:
            self.status_label.setText(tr("trends.error", error=self._error))
        elif not shown:
            self.status_label.setText(tr("trends.nodata") if self._resident_id else "")
        else:
            self.status_label.setText(tr("trends.legend"))
        first_plot = None
        for row, trend in enumerate(shown):
            plot = self.view.addPlot(row=row, col=0)
            plot.setTitle(indicator_name(trend.indicator), color=_TEXT, size="9pt")
            plot.setMouseEnabled(x=False, y=False)
            plot.hideButtons()
            plot.setMenuEnabled(False)
            plot.getAxis("left").setWidth(48)
            for name in ("left", "bottom"):
                plot.getAxis(name).setTextPen(_TEXT)
                plot.getAxis(name).setPen(_TEXT)
            if first_plot is None:
                first_plot = plot
            else:
                plot.setXLink(first_plot)
            xs = list(range(len(trend.days)))
            plot.getAxis("bottom").setTicks([[(x, format_day(trend.days[x], weekday=False))
                                              for x in xs[:: max(1, len(xs) // 6)]]])
            if trend.indicator == "wake_time":
                plot.getAxis("left").setTicks([_clock_ticks(trend)])
            band = [(x, lo, hi) for x, lo, hi in zip(xs, trend.low, trend.high, strict=True)
                    if lo is not None and hi is not None]
            if band:
                bx = [b[0] for b in band]
                low = pg.PlotCurveItem(bx, [b[1] for b in band], pen=_BAND_EDGE)
                high = pg.PlotCurveItem(bx, [b[2] for b in band], pen=_BAND_EDGE)
                plot.addItem(low)
                plot.addItem(high)
                plot.addItem(pg.FillBetweenItem(low, high, brush=_BAND_BRUSH))
            points = [(x, v) for x, v in zip(xs, trend.values, strict=True) if v is not None]
            plot.addItem(pg.PlotDataItem([p[0] for p in points], [p[1] for p in points], pen=_VALUE_PEN,
                                         symbol="o", symbolSize=4, symbolBrush="#1f4e9c", name="value"))

    def retranslate(self) -> None:
        self.title.setText(tr("trends.title", n=self._days))
        self._draw()

    def shutdown(self) -> None:
        self._runner.shutdown()
