"""The resident detail's "Today" tab: one lane per room for a 04:00-04:00 day, painted from a
:class:`~slimmaatwerk.timeline.DayTimeline` (activity blocks over the faint usual band, exterior doors,
time out of home, now), with the same facts in words below it for reading and for screen readers.

The timeline is computed in the core (``Service.resident_timeline``) on the panel's own worker; the
chart only paints.
"""

from __future__ import annotations

import time
from datetime import date, timedelta

from slimmaatwerk.gui.i18n import format_day, room_name, tr
from slimmaatwerk.gui.qt import (
    QBrush,
    QColor,
    QHBoxLayout,
    QLabel,
    QPainter,
    QPen,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from slimmaatwerk.gui.workers import BackgroundRunner
from slimmaatwerk.localtime import day_of
from slimmaatwerk.timeline import DAY_END_MIN, DAY_START_MIN, DayTimeline, RoomLane

# Blue activity on a pale grey-blue usual band; time out in a light orange with a hatch, so the three
# differ in lightness and pattern as well as hue (readable for colour-blind users).
ACTIVE = QColor("#1f4e9c")
USUAL = QColor("#d5dde7")
AWAY = QColor("#f6d9a8")
DOOR = QColor("#8a3b00")
NOW = QColor("#c0392b")
TEXT = QColor("#333333")
LABEL_W, TOP, LANE_H, AXIS_H = 120, 22, 30, 22
# Reading four weeks of one resident's raw events takes ~0.15 s of a worker (1,200 events a day). Live
# updates come every few seconds while the engine stores data: the same resident's day is read again
# at most this often; choosing a resident or a day reads at once.
TIMELINE_MAX_AGE_S = 60.0


def clock(minute: int) -> str:
    return f"{minute // 60 % 24:02d}:{minute % 60:02d}"


def lane_text(lane: RoomLane) -> str:
    """"Keuken: laatst actief 09:40 · meestal actief vanaf 08:30" — the lane in words; a room usually
    first used at night says so ("meestal 's nachts al rond 02:18 gebruikt"), never "active by 02:18"."""
    parts = [tr("timeline.last", time=clock(lane.last_active)) if lane.last_active is not None
             else tr("timeline.none_yet")]
    if lane.usual_first is not None:
        key = "timeline.usual_night" if lane.usually_first_at_night else "timeline.usual_from"
        parts.append(tr(key, time=clock(lane.usual_first)))
    text = f"{room_name(lane.room)}: {' · '.join(parts)}"
    return f"⚠ {text} — {tr('timeline.late')}" if lane.late else text


class RoomTimelineChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.timeline: DayTimeline | None = None
        self.setMinimumHeight(TOP + AXIS_H + 2 * LANE_H)

    def set_timeline(self, timeline: DayTimeline | None) -> None:
        self.timeline = timeline
        lanes = len(timeline.lanes) if timeline else 0
        self.setMinimumHeight(TOP + AXIS_H + max(lanes, 2) * LANE_H + 4)
        self.update()

    def _x(self, minute: int) -> float:
        width = max(self.width() - LABEL_W - 12, 10)
        return LABEL_W + (minute - DAY_START_MIN) / (DAY_END_MIN - DAY_START_MIN) * width

    def paintEvent(self, _event) -> None:  # type: ignore[no-untyped-def]
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        tl = self.timeline
        if tl is None:
            painter.end()
            return
        lanes = tl.lanes
        bottom = TOP + len(lanes) * LANE_H
        right = self._x(DAY_END_MIN)
        for a, b in tl.away:  # behind everything, over all lanes
            painter.fillRect(int(self._x(a)), TOP, max(int(self._x(b) - self._x(a)), 1), bottom - TOP, AWAY)
            painter.fillRect(int(self._x(a)), TOP, max(int(self._x(b) - self._x(a)), 1), bottom - TOP,
                             QBrush(QColor("#d9a35a"), Qt.BrushStyle.BDiagPattern))
        painter.setPen(QPen(QColor("#e2e2e2")))
        for minute in range(DAY_START_MIN, DAY_END_MIN + 1, 120):
            painter.drawLine(int(self._x(minute)), TOP, int(self._x(minute)), bottom)
        for i, lane in enumerate(lanes):
            y = TOP + i * LANE_H
            painter.setPen(QPen(TEXT))
            label = ("⚠ " if lane.late else "") + room_name(lane.room)
            painter.drawText(4, y, LABEL_W - 8, LANE_H, int(Qt.AlignmentFlag.AlignVCenter), label)
            for a, b in lane.usual:
                painter.fillRect(int(self._x(a)), y + 5, max(int(self._x(b) - self._x(a)), 1), LANE_H - 10, USUAL)
            for a, b in lane.active:
                painter.fillRect(int(self._x(a)), y + 9, max(int(self._x(b) - self._x(a)), 2), LANE_H - 18, ACTIVE)
            painter.setPen(QPen(QColor("#ececec")))
            painter.drawLine(LABEL_W, y + LANE_H, int(right), y + LANE_H)
        painter.setPen(QPen(DOOR, 2))
        for minute in tl.doors:  # a small triangle above the lanes and a line through them
            x = int(self._x(minute))
            painter.drawLine(x, TOP - 6, x, bottom)
            painter.drawText(x - 5, 2, 10, TOP - 6, int(Qt.AlignmentFlag.AlignCenter), "▼")
        if tl.now_min is not None:
            pen = QPen(NOW, 2)
            pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawLine(int(self._x(tl.now_min)), TOP - 4, int(self._x(tl.now_min)), bottom)
        painter.setPen(QPen(TEXT))
        for minute in range(DAY_START_MIN, DAY_END_MIN + 1, 120):
            x = int(self._x(minute))
            painter.drawText(x - 20, bottom + 2, 40, AXIS_H, int(Qt.AlignmentFlag.AlignCenter), clock(minute))
        painter.end()


class TimelinePanel(QWidget):
    loaded = Signal()

    def __init__(self, service, parent: QWidget | None = None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self._service = service
        self._runner = BackgroundRunner(self)
        self._resident_id: str | None = None
        self._day: date | None = None  # None: today
        self._timeline: DayTimeline | None = None
        self._error = ""
        self._loaded_at: float | None = None  # monotonic time of the last load of this resident and day

        self.title = QLabel()
        self.title.setObjectName("sectionTitle")
        self.previous_button, self.today_button, self.next_button = QPushButton(), QPushButton(), QPushButton()
        self.previous_button.clicked.connect(lambda: self.step_day(-1))
        self.next_button.clicked.connect(lambda: self.step_day(1))
        self.today_button.clicked.connect(lambda: self.show_day(None))
        navigation = QHBoxLayout()
        navigation.addWidget(self.title, 1)
        for button in (self.previous_button, self.today_button, self.next_button):
            navigation.addWidget(button)
        self.chart = RoomTimelineChart()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self.status_label = QLabel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(navigation)
        layout.addWidget(self.chart)
        layout.addWidget(self.summary)
        layout.addWidget(self.legend)
        layout.addWidget(self.status_label)
        layout.addStretch(1)
        self.retranslate()

    def timeline(self) -> DayTimeline | None:
        return self._timeline

    def set_resident(self, resident_id: str | None) -> None:
        if resident_id != self._resident_id:
            self._resident_id, self._timeline, self._error = resident_id, None, ""
            self._loaded_at = None
            self._show()
        elif self._loaded_at is not None and time.monotonic() - self._loaded_at < TIMELINE_MAX_AGE_S:
            return  # a live update of the resident shown: what is on screen is fresh enough
        self.reload()

    def show_day(self, day: date | None) -> None:
        today = day_of(self._service.clock.now())
        self._day = None if day is None or day >= today else day
        self.reload()

    def step_day(self, step: int) -> None:
        current = self._day or day_of(self._service.clock.now())
        self.show_day(current + timedelta(days=step))

    def reload(self) -> None:
        rid, day, service = self._resident_id, self._day, self._service
        if rid is None:
            return
        self.status_label.setText(tr("detail.loading"))
        self._runner.run("timeline", lambda: (rid, service.resident_timeline(rid, day)), self._on_loaded,
                         self._on_failure)

    def _on_loaded(self, outcome: tuple[str, DayTimeline]) -> None:
        rid, timeline = outcome
        if rid != self._resident_id:
            return
        self._timeline, self._error = timeline, ""
        self._loaded_at = time.monotonic()
        self._show()
        self.loaded.emit()

    def _on_failure(self, error: BaseException) -> None:
        self._error = str(error) or type(error).__name__
        self._show()

    def _show(self) -> None:
        tl = self._timeline
        self.chart.set_timeline(tl)
        self.next_button.setEnabled(self._day is not None)
        self.today_button.setEnabled(self._day is not None)
        if tl is None:
            self.title.setText(tr("timeline.title_empty"))
            self.summary.clear()
            self.status_label.setText(tr("timeline.error", error=self._error) if self._error else "")
            return
        self.title.setText(tr("timeline.title_today" if tl.now_min is not None else "timeline.title_day",
                              day=format_day(tl.day, year=True)))
        lines = [lane_text(lane) for lane in tl.lanes]
        if tl.away:
            lines.append(tr("timeline.away", spans=", ".join(f"{clock(a)}–{clock(b)}" for a, b in tl.away)))
        if tl.doors:
            lines.append(tr("timeline.doors", n=len(tl.doors), times=", ".join(clock(m) for m in tl.doors)))
        self.summary.setText("\n".join(lines) if tl.lanes else tr("timeline.nodata"))
        self.chart.setAccessibleDescription(self.summary.text())
        self.status_label.setText(tr("timeline.error", error=self._error) if self._error else
                                  tr("timeline.history", n=tl.history_days))

    def retranslate(self) -> None:
        self.previous_button.setText(tr("timeline.previous"))
        self.today_button.setText(tr("timeline.today"))
        self.next_button.setText(tr("timeline.next"))
        for button, key in ((self.previous_button, "previous"), (self.today_button, "today"),
                            (self.next_button, "next")):
            button.setAccessibleName(tr(f"timeline.{key}.name"))
        self.chart.setAccessibleName(tr("timeline.chart_name"))
        self.legend.setText(tr("timeline.legend"))
        self._show()
        self.chart.update()

    def shutdown(self) -> None:
        self._runner.shutdown()
