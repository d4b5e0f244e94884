from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from slimmaatwerk.gui import i18n
from slimmaatwerk.gui.overview_model import (
    COL_ALERTS,
    COL_LAST_ACTIVITY,
    COL_NAME,
    COL_STATUS,
    ResidentFilterProxy,
    ResidentIdRole,
    ResidentTableModel,
)
from slimmaatwerk.gui.qt import Qt
from slimmaatwerk.views import STATUS_ORDER
from tests.gui.gui_sampledata import NOW, make_rows

pytestmark = pytest.mark.gui


@pytest.fixture
def model(rows, clock):
    model = ResidentTableModel(clock)
    model.set_rows(rows)
    return model


def _column(proxy, column: int, role=Qt.ItemDataRole.DisplayRole) -> list:
    return [proxy.index(r, column).data(role) for r in range(proxy.rowCount())]


def test_models_pass_the_qt_model_tester(qtmodeltester, model) -> None:
    qtmodeltester.check(model)
    qtmodeltester.check(ResidentFilterProxy(model))


def test_worst_status_comes_first_and_more_red_alerts_before_fewer(model, rows) -> None:
    proxy = ResidentFilterProxy(model)
    statuses = [
        model.row_at(proxy.mapToSource(proxy.index(r, 0)).row()).status for r in range(proxy.rowCount())
    ]
    assert statuses == sorted(statuses, key=STATUS_ORDER.index)
    assert statuses[0] == "red" and statuses[-1] == "green"
    reds = [r for r in rows if r.status == "red"]
    most_red = max(reds, key=lambda r: (r.open_alerts.get("red", 0), r.open_alerts.get("amber", 0)))
    assert proxy.index(0, COL_NAME).data(ResidentIdRole) == most_red.resident_id


def test_status_is_told_in_words_and_symbols_not_colour_alone(model) -> None:
    proxy = ResidentFilterProxy(model)
    texts = set(_column(proxy, COL_STATUS))
    assert texts == {"▲ Rood", "◆ Oranje", "■ Grijs — geen gegevens", "✓ Groen"}
    tips = _column(proxy, COL_STATUS, Qt.ItemDataRole.AccessibleTextRole)
    assert all(tip and ":" in tip for tip in tips)
    backgrounds = {
        proxy.index(r, COL_STATUS).data(Qt.ItemDataRole.BackgroundRole).color().name()
        for r in range(proxy.rowCount())
    }
    assert len(backgrounds) == 4
    i18n.set_language("en")
    model.retranslate()
    assert set(_column(proxy, COL_STATUS)) == {"▲ Red", "◆ Amber", "■ Grey — no data", "✓ Green"}
    assert model.headerData(COL_NAME, Qt.Orientation.Horizontal) == "Name"


def test_cells_show_relative_time_alert_counts_completeness_and_sensors(clock) -> None:
    row = replace(
        make_rows()[0],
        last_activity=NOW - timedelta(minutes=12),
        open_alerts={"red": 1, "amber": 2},
        completeness=0.873,
        sensors_ok=7,
        sensors_total=8,
    )
    model = ResidentTableModel(clock)
    model.set_rows([row])
    cells = [model.index(0, c).data() for c in range(model.columnCount())]
    assert cells[1:] == [row.name, "12 min geleden", "1 rood · 2 oranje", "87%", "7/8", "—"]  # no team
    clock.advance(timedelta(hours=2))
    model.refresh_times()
    assert model.index(0, COL_LAST_ACTIVITY).data() == "2 uur geleden"


def test_search_filters_by_name_case_insensitively(model) -> None:
    proxy = ResidentFilterProxy(model)
    proxy.set_search("  de VRIES ")
    assert _column(proxy, COL_NAME) == ["Annie de Vries"]
    proxy.set_search("van")
    names = _column(proxy, COL_NAME)
    assert len(names) == 5 and all("van" in n.lower() for n in names)
    proxy.set_search("")
    assert proxy.rowCount() == 30


def test_set_rows_with_the_same_residents_only_signals_the_changed_row(qtbot, model, rows) -> None:
    changed = []
    model.dataChanged.connect(lambda top, bottom, _roles=(): changed.append((top.row(), bottom.row())))
    resets = []
    model.modelReset.connect(lambda: resets.append(1))
    target = rows[5]
    shuffled = list(reversed(rows))  # the order a source returns must not matter
    shuffled[shuffled.index(target)] = replace(target, status="red", open_alerts={"red": 3})
    model.set_rows(shuffled)
    assert resets == []
    assert changed == [(5, 5)]
    assert model.row_at(5).open_alerts == {"red": 3}
    model.set_rows(shuffled)
    assert changed == [(5, 5)], "identical rows emit nothing"


def test_changed_row_moves_to_its_new_place_in_the_sorted_view(model, rows) -> None:
    proxy = ResidentFilterProxy(model)
    green = next(r for r in rows if r.status == "green")
    model.set_rows([replace(r, status="red", open_alerts={"red": 9}) if r is green else r for r in rows])
    assert proxy.index(0, COL_NAME).data() == green.name
    assert proxy.index(0, COL_ALERTS).data() == "9 rood"


def test_many_scattered_changes_leave_the_view_worst_first_in_every_column(model, rows) -> None:
    # A live update where every third resident changes: ten separate blocks. The proxy places each
    # block's rows assuming the others are in order, so every block must be its own consistent step.
    proxy = ResidentFilterProxy(model)
    changed = {r.resident_id for r in rows[::3]}
    updated = [replace(r, status="red", open_alerts={"red": 1}, completeness=0.5) if r.resident_id in changed
               else replace(r, status="green", open_alerts={}) if r.status == "red" else r for r in rows]
    model.set_rows(updated)
    by_id = {r.resident_id: r for r in updated}
    statuses = [by_id[rid].status for rid in _column(proxy, COL_NAME, ResidentIdRole)]
    assert statuses == sorted(statuses, key=STATUS_ORDER.index)
    assert statuses.count("red") == len(changed)
    proxy.sort(COL_LAST_ACTIVITY, Qt.SortOrder.DescendingOrder)  # the cached keys of another column
    model.set_rows([replace(r, last_activity=NOW) if r.resident_id in changed else r for r in updated])
    assert set(_column(proxy, COL_NAME, ResidentIdRole)[:len(changed)]) == changed  # just active: on top


def test_a_different_set_of_residents_resets_the_model(qtbot, model, rows) -> None:
    with qtbot.waitSignal(model.modelReset, timeout=100):
        model.set_rows(rows[:10])
    assert model.rowCount() == 10
    assert model.status_counts() == {s: sum(r.status == s for r in rows[:10]) for s in STATUS_ORDER}
