"""Days x hours activity heatmap with the resident's usual day underneath (pyqtgraph).

Rows are days, newest at the top; columns are local hours 0..23. The colour map is perceptually uniform
and readable with the common colour-vision deficiencies; hovering a cell tells its day, hour and count.
Mouse zoom/pan is off: this is a picture to read, not a plot to explore.
"""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pyqtgraph as pg

from slimmaatwerk.gui.i18n import format_day, tr
from slimmaatwerk.gui.qt import QLabel, QVBoxLayout, QWidget

COLOR_MAP = "viridis"
_AXIS_WIDTH = 78
_USUAL_HEX = "#b4bfca"
_USUAL_BRUSH = pg.mkBrush(_USUAL_HEX)
_LATEST_PEN = pg.mkPen("#1b1b1b", width=2)
_TEXT = "#333333"


class ActivityHeatmap(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._days: list[date] = []
        self._grid = np.zeros((0, 24))
        self._usual = np.zeros(24)

        self._view = pg.GraphicsLayoutWidget()
        self._view.setBackground("w")
        self._view.ci.setSpacing(4)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._view, 1)
        self._legend = QLabel()
        self._legend.setObjectName("heatmapLegend")
        layout.addWidget(self._legend)

        self._plot = self._view.addPlot(row=0, col=0)
        self._image = pg.ImageItem(axisOrder="row-major")
        self._plot.addItem(self._image)
        self._plot.invertY(True)
        self._colorbar = pg.ColorBarItem(
            values=(0, 1),
            colorMap=pg.colormap.get(COLOR_MAP),
            interactive=False,
            width=12,
            colorMapMenu=False,
            pen=_TEXT,
        )
        # In the outer grid (not inside the plot) so the profile row below lines up hour for hour.
        self._view.addItem(self._colorbar, row=0, col=1)
        self._colorbar.setImageItem(self._image)
        self._empty = pg.TextItem(color=_TEXT, anchor=(0.5, 0.5))
        self._plot.addItem(self._empty)

        self._profile = self._view.addPlot(row=1, col=0)
        self._profile.setXLink(self._plot)
        self._usual_item = pg.PlotDataItem(stepMode="center", fillLevel=0, brush=_USUAL_BRUSH, pen=None)
        self._latest_item = pg.PlotDataItem(stepMode="center", pen=_LATEST_PEN)
        self._profile.addItem(self._usual_item)
        self._profile.addItem(self._latest_item)
        self._view.ci.layout.setRowStretchFactor(0, 4)
        self._view.ci.layout.setRowStretchFactor(1, 1)

        for plot in (self._plot, self._profile):
            plot.setMouseEnabled(x=False, y=False)
            plot.hideButtons()
            plot.setMenuEnabled(False)
            plot.getAxis("left").setWidth(_AXIS_WIDTH)
            for name in ("left", "bottom", "top"):
                plot.getAxis(name).setTextPen(_TEXT)
                plot.getAxis(name).setPen(_TEXT)
        self._plot.showAxis("top")
        self._plot.hideAxis("bottom")
        self._profile.getAxis("left").setTicks([[]])
        self._view.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.setMinimumHeight(260)
        self.retranslate()

    # -- public --------------------------------------------------------------------------------------
    def set_data(self, days: list[date], hourly: list[list[float]], usual: list[float]) -> None:
        """``days`` oldest first (as in ResidentDetail) with ``len(days) x 24`` counts; ``usual`` 24 values."""
        grid = np.asarray(hourly, dtype=float).reshape(len(days), 24) if days else np.zeros((0, 24))
        self._days = list(reversed(days))
        self._grid = np.nan_to_num(grid[::-1], nan=0.0)
        self._usual = (
            np.nan_to_num(np.asarray(usual, dtype=float), nan=0.0) if len(usual) == 24 else np.zeros(24)
        )
        self._render()

    def clear(self) -> None:
        self.set_data([], [], [])

    def has_data(self) -> bool:
        return bool(self._days)

    def rows(self) -> list[date]:
        """The days as drawn, top to bottom (newest first)."""
        return list(self._days)

    def retranslate(self) -> None:
        self._plot.getAxis("top").setTicks(_hour_ticks())
        self._profile.getAxis("bottom").setTicks(_hour_ticks())
        self._profile.setLabel("bottom", tr("heatmap.hours"), color=_TEXT)
        self._colorbar.axis.setLabel(tr("heatmap.scale"), color=_TEXT)
        self._empty.setText("" if self._days else tr("heatmap.nodata"))
        self._legend.setText(
            f'<span style="color:{_USUAL_HEX}">&#9632;</span> {tr("heatmap.usual")}'
            f"&nbsp;&nbsp;&nbsp;&nbsp;<b>&#9473;</b> {tr('heatmap.latest')}"
        )
        self._apply_day_ticks()

    # -- drawing -------------------------------------------------------------------------------------
    def _render(self) -> None:
        n = len(self._days)
        if n:
            top = float(np.percentile(self._grid, 99)) if self._grid.size else 1.0
            self._colorbar.setLevels((0.0, max(1.0, top)))
            self._image.setImage(self._grid, autoLevels=False)
            self._image.setRect(0, 0, 24, n)
            self._image.setVisible(True)
            edges = np.arange(25)
            self._usual_item.setData(edges, self._usual)
            self._latest_item.setData(edges, self._grid[0])
            ymax = max(1.0, float(self._usual.max()), float(self._grid[0].max())) * 1.15
        else:
            self._image.setVisible(False)
            self._usual_item.setData([], [])
            self._latest_item.setData([], [])
            ymax = 1.0
        self._empty.setPos(12, max(n, 1) / 2)
        self._plot.setXRange(0, 24, padding=0)
        self._plot.setYRange(0, max(n, 1), padding=0)
        self._profile.setYRange(0, ymax, padding=0)
        self.retranslate()

    def _apply_day_ticks(self) -> None:
        n = len(self._days)
        step = max(1, math.ceil(n / 14))
        major = [(i + 0.5, format_day(d)) for i, d in enumerate(self._days) if i % step == 0]
        self._plot.getAxis("left").setTicks([major, []])

    def _on_mouse_moved(self, pos) -> None:
        if not self._days or not self._plot.sceneBoundingRect().contains(pos):
            self._view.setToolTip("")
            return
        point = self._plot.vb.mapSceneToView(pos)
        row, hour = int(point.y()), int(point.x())
        if 0 <= row < len(self._days) and 0 <= hour < 24:
            value = self._grid[row, hour]
            shown = f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
            self._view.setToolTip(
                tr("heatmap.cell", day=format_day(self._days[row]), hour=f"{hour:02d}", value=shown)
            )


def _hour_ticks() -> list[list[tuple[float, str]]]:
    return [[(h + 0.5, f"{h:02d}") for h in range(0, 24, 3)], [(h + 0.5, "") for h in range(24)]]
