"""Draw docs/shower_week.png: one week of real bathroom humidity with the showers the detector finds.

Data: tests/fixtures/opensmarthome/Bathroom_Humidity.csv (Open Smart Home Data Set, (c) 2018 Fraunhofer
IBP, CC BY-SA 4.0). Uses pyqtgraph (the GUI extra) offscreen; run with
``QT_QPA_PLATFORM=offscreen .venv/bin/python docs/make_shower_week.py``.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SERIES = ROOT / "tests" / "fixtures" / "opensmarthome" / "Bathroom_Humidity.csv"
OUT = ROOT / "docs" / "shower_week.png"
TZ = ZoneInfo("Europe/Berlin")
WEEK = ("2017-04-24", "2017-05-01")


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import pyqtgraph as pg
    import pyqtgraph.exporters
    from PySide6.QtWidgets import QApplication

    from slimmaatwerk.analytics.hygiene import humidity_showers

    data = np.loadtxt(SERIES, delimiter="\t")
    t_s, rh = data[:, 0].astype(np.int64), data[:, 1].astype(float)
    onsets = humidity_showers(t_s * 1_000_000_000, rh) // 1_000_000_000
    lo, hi = (int(datetime.fromisoformat(d).replace(tzinfo=TZ).timestamp()) for d in WEEK)
    sel = (t_s >= lo) & (t_s < hi)
    shown = onsets[(onsets >= lo) & (onsets < hi)]
    # DateAxisItem shows UTC-based epoch values in local time of the machine; shift to Amsterdam/Berlin time.
    offset = datetime.fromtimestamp(lo, TZ).utcoffset().total_seconds()

    app = QApplication.instance() or QApplication(sys.argv)
    pg.setConfigOptions(antialias=True, background="w", foreground="k")
    win = pg.GraphicsLayoutWidget()
    win.resize(1400, 420)
    plot = win.addPlot(axisItems={"bottom": pg.DateAxisItem(utcOffset=0)})
    plot.setTitle(f"Bathroom humidity, {WEEK[0]} to {WEEK[1]} (real data: Open Smart Home Data Set, "
                  f"Fraunhofer IBP, CC BY-SA 4.0) — {len(shown)} showers detected")
    plot.setLabel("left", "relative humidity", units="%")
    plot.showGrid(x=True, y=True, alpha=0.25)
    plot.plot(t_s[sel] + offset, rh[sel], pen=pg.mkPen("#1f77b4", width=2), stepMode=None)
    for x in shown:
        plot.addItem(pg.InfiniteLine(pos=x + offset, angle=90, pen=pg.mkPen("#d62728", width=1.5,
                                                                           style=pg.QtCore.Qt.PenStyle.DashLine)))
    peak = [rh[(t_s >= x) & (t_s <= x + 1800)].max() for x in shown]
    plot.plot(shown + offset, peak, pen=None, symbol="t", symbolSize=12, symbolBrush="#d62728", name="shower")
    plot.setYRange(20, 100)
    app.processEvents()
    exporter = pyqtgraph.exporters.ImageExporter(plot)
    exporter.parameters()["width"] = 1400
    exporter.export(str(OUT))
    print(f"{OUT}: {len(shown)} showers in the week, {len(onsets)} in the whole series", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
