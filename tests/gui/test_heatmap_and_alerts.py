from __future__ import annotations

import time
from datetime import date

import pytest

from slimmaatwerk.gui import i18n
from slimmaatwerk.gui.alerts_panel import AlertsPanel
from slimmaatwerk.gui.heatmap import ActivityHeatmap
from tests.gui.gui_sampledata import make_detail, make_rows

pytestmark = pytest.mark.gui


@pytest.fixture
def detail():
    return make_detail(make_rows()[0])


def test_heatmap_puts_the_newest_day_on_top_and_renders_quickly(qtbot, detail) -> None:
    heatmap = ActivityHeatmap()
    qtbot.addWidget(heatmap)
    heatmap.resize(700, 420)
    heatmap.show()
    started = time.perf_counter()
    heatmap.set_data(detail.days, detail.hourly, detail.usual_hourly)
    image = heatmap.grab().toImage()
    elapsed = time.perf_counter() - started
    assert heatmap.rows()[0] == date(2026, 3, 1) and heatmap.rows()[-1] == detail.days[0]
    assert not image.isNull() and image.width() >= 700
    # The image must actually carry colour (not an empty white widget).
    colours = {image.pixelColor(x, y).name() for x in range(0, image.width(), 25) for y in range(0, 300, 25)}
    assert len(colours) > 8
    assert elapsed < 1.0


def test_heatmap_without_data_says_so(qtbot) -> None:
    heatmap = ActivityHeatmap()
    qtbot.addWidget(heatmap)
    heatmap.set_data([], [], [])
    assert not heatmap.has_data()
    assert heatmap._empty.textItem.toPlainText() == "Geen activiteitsgegevens"
    with pytest.raises(ValueError):
        heatmap.set_data([date(2026, 3, 1)], [[1.0] * 23], [0.0] * 24)


def test_alert_cards_show_severity_indicator_date_and_explanation(qtbot, detail) -> None:
    panel = AlertsPanel()
    qtbot.addWidget(panel)
    panel.set_data(detail.alerts, detail.devices)
    cards = panel.cards()
    assert [c.alert.severity for c in cards] == ["red", "amber", "amber", "info"]
    first = cards[0]
    texts = [label.text() for label in first.findChildren(type(first.explanation))]
    assert "▲ Rood" in texts and "Nachtelijk toiletbezoek" in texts
    assert any("zo 1 mrt 2026" in t and "nieuw" in t for t in texts)
    assert first.explanation.text().startswith("5 toiletbezoeken vannacht")
    assert first.explanation.wordWrap()
    assert panel.tabText(0) == "Meldingen (4)" and panel.tabText(1) == "Sensoren (7 van 8 in orde)"

    i18n.set_language("en")
    panel.retranslate()
    first = panel.cards()[0]
    texts = [label.text() for label in first.findChildren(type(first.explanation))]
    assert "▲ Red" in texts and "Night-time toilet visits" in texts
    assert first.explanation.text().startswith("5 toilet visits last night")


def test_device_health_lists_offline_sensors_first_with_words(qtbot, detail, clock) -> None:
    panel = AlertsPanel(clock)
    qtbot.addWidget(panel)
    panel.set_data(detail.alerts, detail.devices)
    table = panel.devices_table
    rows = [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]
    assert len(rows) == 8
    assert rows[0][:3] == ["Keuken", "0x00158d0001a4", "✕ Geen contact"]
    toilet = next(r for r in rows if r[1] == "Toiletdeur")
    assert toilet[2] == "✓ Online" and toilet[3] == "⚠ 15% — vervangen" and toilet[4] == "12 min geleden"
    kettle = next(r for r in rows if r[1] == "Waterkoker")
    assert kettle[3] == "netstroom"


def test_an_explanation_missing_in_the_current_language_falls_back_to_the_other(qtbot, detail) -> None:
    from dataclasses import replace

    only_dutch = replace(detail.alerts[0], explanation={"nl": "Alleen Nederlands."})
    i18n.set_language("en")
    panel = AlertsPanel()
    qtbot.addWidget(panel)
    panel.set_data([only_dutch], [])
    assert panel.cards()[0].explanation.text() == "Alleen Nederlands."
