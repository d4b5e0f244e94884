"""The overview grouped by team or district: header rows with counts, selection kept, live updates."""

from __future__ import annotations

from dataclasses import replace

import pytest

from slimmaatwerk.gui import i18n
from slimmaatwerk.gui.app import ensure_application
from slimmaatwerk.gui.main_window import MainWindow
from slimmaatwerk.gui.overview_groups import GroupedResidentModel, GroupRole
from slimmaatwerk.gui.overview_model import (
    COL_NAME,
    COL_STATUS,
    ResidentFilterProxy,
    ResidentIdRole,
    ResidentTableModel,
)
from slimmaatwerk.gui.qt import QImage, Qt
from slimmaatwerk.views import ResidentRow
from tests.gui.gui_sampledata import SCREENSHOTS, MemorySource

pytestmark = pytest.mark.gui

TEAMS = ("Team Noord", "Team Zuid", "Team Oost", "")
DISTRICTS = {"Team Noord": "Oosterpark", "Team Zuid": "Oosterpark", "Team Oost": "Watergraafsmeer", "": ""}


@pytest.fixture
def team_rows(rows: list[ResidentRow]) -> list[ResidentRow]:
    return [replace(r, team=TEAMS[i % 4], district=DISTRICTS[TEAMS[i % 4]]) for i, r in enumerate(rows)]


def _shown(model) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """("group", key) for header rows, ("resident", id) for the others, top to bottom."""
    out = []
    for row in range(model.rowCount()):
        rid = model.index(row, COL_NAME).data(ResidentIdRole)
        out.append(("resident", rid) if rid is not None else ("group", model.index(row, 0).data(GroupRole)))
    return out


def test_groups_by_team_with_counts_worst_first_inside_each_group(team_rows, clock, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = ResidentTableModel(clock)
    model.set_rows(team_rows)
    proxy = ResidentFilterProxy(model)
    grouped = GroupedResidentModel(proxy, "team")
    qtmodeltester.check(grouped)
    shown = _shown(grouped)
    assert [key for kind, key in shown if kind == "group"] == ["Team Noord", "Team Oost", "Team Zuid", ""]
    assert grouped.rowCount() == 30 + 4
    by_id = {r.resident_id: r for r in team_rows}
    group = None
    for kind, key in shown:
        if kind == "group":
            group = key
        else:
            assert by_id[key].team == group
    counts = grouped.group_counts()
    assert sum(sum(c.values()) for c in counts.values()) == 30
    noord = [r for r in team_rows if r.team == "Team Noord"]
    assert counts["Team Noord"]["red"] == sum(r.status == "red" for r in noord)
    header = grouped.index(0, 0).data()
    assert header.startswith(f"Team Noord — {len(noord)} bewoners:") and "▲" in header and "✓" in header
    assert grouped.index(0, 3).data() == ""  # spanned: only the first cell is painted
    assert grouped.flags(grouped.index(0, 0)) == Qt.ItemFlag.ItemIsEnabled  # never selected
    statuses = [by_id[key].status for kind, key in shown[1:len(noord) + 1]]
    assert statuses == sorted(statuses, key=("red", "amber", "grey", "green").index)
    last = grouped.index(grouped.rowCount() - 1 - sum(r.team == "" for r in team_rows), 0).data()
    assert last.startswith("(geen team)")


def test_groups_by_district_follow_search_sort_and_live_changes(team_rows, clock, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = ResidentTableModel(clock)
    model.set_rows(team_rows)
    proxy = ResidentFilterProxy(model)
    grouped = GroupedResidentModel(proxy, "district")
    qtmodeltester.check(grouped)
    assert [key for kind, key in _shown(grouped) if kind == "group"] == ["Oosterpark", "Watergraafsmeer", ""]
    assert grouped.index(grouped.header_rows()[-1], 0).data().startswith("(geen wijk)")
    proxy.set_search("de")
    assert grouped.rowCount() == proxy.rowCount() + len(grouped.header_rows())
    proxy.set_search("")
    grouped.sort(COL_NAME, Qt.SortOrder.AscendingOrder)
    first_group = [key for kind, key in _shown(grouped)[1:] if kind == "resident"][:3]
    names = [next(r.name for r in team_rows if r.resident_id == rid) for rid in first_group]
    assert names == sorted(names, key=str.casefold)

    green = next(r for r in team_rows if r.status == "green" and r.district == "Watergraafsmeer")
    before = grouped.group_counts()["Watergraafsmeer"]
    model.set_rows([replace(r, status="red", open_alerts={"red": 1}) if r is green else r for r in team_rows])
    after = grouped.group_counts()["Watergraafsmeer"]
    assert (after["red"], after["green"]) == (before["red"] + 1, before["green"] - 1)
    moved = [replace(r, team="Team Noord", district="Oosterpark") if r.resident_id == green.resident_id else r
             for r in team_rows]
    model.set_rows(moved)  # a team change moves the resident to another group; same number of rows
    assert grouped.group_counts()["Oosterpark"]["green"] == sum(
        r.status == "green" for r in moved if r.district == "Oosterpark")
    with pytest.raises(ValueError, match="group by one of"):
        grouped.set_group_by("room")
    grouped.set_group_by("none")
    assert grouped.rowCount() == 0  # not grouped: the view shows the proxy


def test_a_live_update_of_scattered_rows_regroups_once(team_rows, clock, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = ResidentTableModel(clock)
    model.set_rows(team_rows)
    proxy = ResidentFilterProxy(model)
    grouped = GroupedResidentModel(proxy, "team")
    signals = {"source": 0, "layout": 0, "reset": 0}
    model.dataChanged.connect(lambda *_a: signals.__setitem__("source", signals["source"] + 1))
    grouped.layoutChanged.connect(lambda *_a: signals.__setitem__("layout", signals["layout"] + 1))
    grouped.modelReset.connect(lambda: signals.__setitem__("reset", signals["reset"] + 1))
    # Every third resident turns red: ten blocks of one row, each re-sorted by the proxy on its own.
    changed = {r.resident_id for r in team_rows[::3]}
    model.set_rows([replace(r, status="red", open_alerts={"red": 1}) if r.resident_id in changed else r
                    for r in team_rows])
    assert signals == {"source": 10, "layout": 1, "reset": 0}  # regrouped once, not once per block
    qtmodeltester.check(grouped)
    for team in ("Team Noord", "Team Zuid", "Team Oost", ""):
        members = [r for r in team_rows if r.team == team]
        reds = sum(r.resident_id in changed or r.status == "red" for r in members)
        assert grouped.group_counts()[team]["red"] == reds
    now = {r.resident_id: r for r in model.rows()}
    first_group = [key for kind, key in _shown(grouped)[1:grouped.header_rows()[1]]]
    statuses = [now[rid].status for rid in first_group]
    assert statuses == sorted(statuses, key=("red", "amber", "grey", "green").index)  # re-sorted: reds on top
    assert any(rid in changed for rid in first_group[:statuses.count("red")])


def open_window(qtbot, source, clock) -> MainWindow:  # type: ignore[no-untyped-def]
    ensure_application()  # the app's style, whichever test file ran first
    window = MainWindow(source, clock=clock)
    qtbot.addWidget(window)
    window.resize(1400, 850)
    window.show()
    with qtbot.waitSignal(window.ready, timeout=5000):
        pass
    return window


def test_the_window_groups_keeps_the_chosen_resident_and_navigates_by_keyboard(qtbot, team_rows, clock) -> None:  # type: ignore[no-untyped-def]
    source = MemorySource(team_rows)
    window = open_window(qtbot, source, clock)
    chosen = window.selected_resident_id()
    assert [window.group_combo.itemText(i) for i in range(3)] == ["Niet groeperen", "Per team", "Per wijk"]
    assert window.group_combo.accessibleName() == "Groeperen"
    window.set_group_by("team")
    table = window.table
    assert table.is_grouped() and table.model() is window.grouped
    assert window.selected_resident_id() == chosen  # the detail stays on the same resident
    headers = window.grouped.header_rows()
    assert headers[0] == 0 and all(table.columnSpan(row, 0) == 7 for row in headers)

    table.setFocus()
    first = window.grouped.header_rows()[1] + 1  # the first resident of the second group
    with qtbot.waitSignal(window.detail_loaded, timeout=5000):
        table.select_row(first)
    with qtbot.waitSignal(window.detail_loaded, timeout=5000) as loaded:
        qtbot.keyClick(table, Qt.Key.Key_Down)
    assert loaded.args == [window.grouped.index(first + 1, COL_NAME).data(ResidentIdRole)]

    target = window.selected_resident_id()
    worse = next(r for r in team_rows if r.status == "green" and r.resident_id != target)
    with qtbot.waitSignal(window.overview_loaded, timeout=5000):
        source.update_row(worse.resident_id, status="red", open_alerts={"red": 3})
        window.refresh()
    assert window.selected_resident_id() == target  # a live update moves rows, not the selection
    assert window.grouped.group_counts()[worse.team or ""]["red"] >= 1
    assert all(table.columnSpan(row, 0) == 7 for row in window.grouped.header_rows())

    window.set_group_by("none")
    assert table.model() is window.proxy and table.columnSpan(0, 0) == 1
    assert window.selected_resident_id() == target


def _visible_rows(table) -> range:  # type: ignore[no-untyped-def]
    """The rows wholly inside the table's viewport."""
    top = table.rowAt(0)
    rows = [r for r in range(top, table.model().rowCount())
            if table.rowViewportPosition(r) >= 0
            and table.rowViewportPosition(r) + table.rowHeight(r) <= table.viewport().height()]
    return range(rows[0], rows[-1] + 1) if rows else range(0)


def test_after_grouping_the_first_header_is_in_sight_and_the_chosen_resident_too(qtbot, team_rows, clock) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, MemorySource(team_rows), clock)
    table = window.table
    # A resident of the first group (Team Noord) who sorts low in the ungrouped list: choosing them
    # scrolls the long list down, which must not carry the grouped list past its first header.
    ungrouped = [window.proxy.index(r, COL_NAME).data(ResidentIdRole) for r in range(window.proxy.rowCount())]
    by_id = {r.resident_id: r for r in team_rows}
    low = next(rid for rid in reversed(ungrouped) if by_id[rid].team == "Team Noord")
    with qtbot.waitSignal(window.detail_loaded, timeout=5000):
        assert window.select_resident(low)
    assert table.verticalScrollBar().value() > 0  # the ungrouped list did scroll down to them
    window.set_group_by("team")
    qtbot.wait(20)
    shown = _visible_rows(table)
    assert window.selected_resident_id() == low
    assert 0 in shown, "the first group's header is scrolled out of sight"
    assert table.currentIndex().row() in shown

    # Chosen in the last group (below the first screen): the resident and their own group's header show.
    last_group = window.grouped.header_rows()[-1]
    last = window.grouped.index(window.grouped.rowCount() - 1, COL_NAME).data(ResidentIdRole)
    window.set_group_by("none")
    with qtbot.waitSignal(window.detail_loaded, timeout=5000):
        assert window.select_resident(last)
    table.scrollToTop()
    window.set_group_by("team")
    qtbot.wait(20)
    shown = _visible_rows(table)
    assert window.grouped.header_row_of(table.currentIndex().row()) == last_group
    assert table.currentIndex().row() in shown and last_group in shown
    assert 0 not in shown  # the list is longer than the screen: this test would prove nothing otherwise

    # Regrouping by district with the chosen resident in the first group goes back to the top.
    first_district = next(r.resident_id for r in team_rows if r.district == "Oosterpark")
    with qtbot.waitSignal(window.detail_loaded, timeout=5000):
        assert window.select_resident(first_district)
    window.set_group_by("district")
    qtbot.wait(20)
    assert window.grouped.header_row_of(table.currentIndex().row()) == 0
    assert 0 in _visible_rows(table) and table.currentIndex().row() in _visible_rows(table)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_screenshots_of_the_grouped_overview(qtbot, team_rows, clock, language: str) -> None:  # type: ignore[no-untyped-def]
    i18n.set_language(language)
    window = open_window(qtbot, MemorySource(team_rows), clock)
    # Chosen: a resident of the first district, low in the ungrouped list (the list scrolled down).
    chosen = next(r.resident_id for r in reversed(team_rows) if r.district == "Oosterpark" and r.status == "green")
    with qtbot.waitSignal(window.detail_loaded, timeout=5000):
        assert window.select_resident(chosen)
    window.set_group_by("district")
    qtbot.wait(50)
    assert window.table.rowAt(0) == 0  # the first district's header is in sight
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"overview_grouped_{language}.png"
    assert window.grab().save(str(path))
    assert not QImage(str(path)).isNull()
    assert window.grouped.index(0, COL_STATUS).data().startswith("Oosterpark")
