"""The alert inbox and the escalation banner, over the real service facade on a real SQLite database."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta

import pytest

from slimmaatwerk.alert_workflow import InboxFilter
from slimmaatwerk.gui import i18n
from slimmaatwerk.gui.app import ensure_application
from slimmaatwerk.gui.escalation_banner import EscalationBanner
from slimmaatwerk.gui.inbox import COLUMNS, AlertIdRole, InboxModel, InboxPanel
from slimmaatwerk.gui.qt import QImage, Qt
from slimmaatwerk.localtime import ms
from slimmaatwerk.storage import accounts, teams
from slimmaatwerk.storage.teams import Contact, EscalationPolicy
from tests.gui.gui_sampledata import NOW, SCREENSHOTS
from tests.workflow.conftest import WorkflowService, alert_record, standard_rota, workflow_database

pytestmark = pytest.mark.gui

RESIDENTS = [("r1", "Annie de Vries", "Noord"), ("r2", "Gerrit Jansen", "Noord"), ("r3", "Maria de Boer", "Zuid"),
             ("r4", "Jan Mulder", "Zuid")]


@pytest.fixture
def service(tmp_path, clock) -> Iterator[WorkflowService]:  # type: ignore[no-untyped-def]
    db = workflow_database(f"sqlite:///{tmp_path / 'inbox.db'}")
    with db.begin() as conn:
        coord = accounts.create_user(conn, "anja", "Anja de Wit", "admin,coordinator", ms(NOW), all_residents=True)
        engine = accounts.create_user(conn, "engine", "Engine", "system", ms(NOW), all_residents=True)
        teams.set_escalation_policy(conn, EscalationPolicy(True, 15), ms(NOW))
    svc, system = WorkflowService(db, coord, clock), WorkflowService(db, engine, clock)
    for rid, name, team in RESIDENTS:
        svc.add_resident(rid, name, team=team)
    for entry in standard_rota("Noord", ("Anja de Wit", "Bram Kok", "Cor de Jong")):
        svc.add_rota_entry(entry)
    day = date(2026, 3, 2)

    def alert(indicator: str, severity: str, ago: timedelta, nl: str, en: str) -> dict:
        return alert_record(day, indicator, severity, NOW - ago, {"nl": nl, "en": en})

    system.store_alerts("r1", [
        alert("inactivity", "red", timedelta(minutes=40), "Al 4 uur geen beweging in huis; normaal nooit langer "
              "dan 2 uur overdag.", "No movement at home for 4 hours; usually never more than 2 hours by day."),
        alert("wake_time", "amber", timedelta(hours=2), "Opgestaan om 09:40; normaal tussen 07:00 en 08:00.",
              "Got up at 09:40; usually between 07:00 and 08:00.")])
    system.store_alerts("r2", [alert("night_toilet_visits", "amber", timedelta(hours=5),
                                     "5 toiletbezoeken vannacht; normaal 1 tot 2.", "5 toilet visits last night; "
                                     "usually 1 to 2.")])
    system.store_alerts("r3", [alert("night_exit", "red", timedelta(minutes=3), "Voordeur open om 03:02 en "
                                     "nog niet terug.", "Front door opened at 03:02, not back yet.")])
    system.store_alerts("r4", [alert("hygiene", "info", timedelta(hours=1), "2 dagen niet gedoucht.",
                                     "No shower for 2 days.")])
    svc.set_contacts("r1", [Contact(1, "Els de Vries", "dochter", "06-12345678")])
    yield svc
    db.dispose()


def open_panel(qtbot, service, clock) -> InboxPanel:  # type: ignore[no-untyped-def]
    ensure_application()
    panel = InboxPanel(service, me="Anja de Wit", clock=clock)
    qtbot.addWidget(panel)
    panel.resize(1300, 640)
    panel.show()
    panel.activateWindow()  # shortcuts work in the active window
    qtbot.waitUntil(panel.isActiveWindow, timeout=3000)
    with qtbot.waitSignal(panel.loaded, timeout=5000):
        panel.reload()
    qtbot.waitUntil(lambda: panel.history.count() > 0, timeout=5000)
    return panel


def _ids(panel: InboxPanel) -> list[str]:
    return [f"{r.resident_id}:{r.indicator}" for r in panel.model.rows()]


def test_inbox_model_passes_the_model_tester(qtmodeltester, service, clock) -> None:  # type: ignore[no-untyped-def]
    model = InboxModel(clock)
    model.set_rows(service.inbox(InboxFilter(statuses=("new", "acknowledged", "assigned", "resolved"))))
    qtmodeltester.check(model)
    assert model.rowCount() == 5 and model.columnCount() == len(COLUMNS)


def test_inbox_model_roles_tooltips_and_bold_new_alerts_in_both_languages(qtbot, service, clock) -> None:  # type: ignore[no-untyped-def]
    model = InboxModel(clock)
    first = service.inbox()
    service.acknowledge(first[1].alert_id)  # r1 inactivity: no longer new
    rows = service.inbox()
    model.set_rows(rows)
    assert [r.alert_id for r in model.rows()] == [r.alert_id for r in rows]
    indicator, owner = COLUMNS.index("indicator"), COLUMNS.index("owner")
    for i, row in enumerate(rows):
        cells = [model.index(i, c) for c in range(len(COLUMNS))]
        assert all(c.data(AlertIdRole) == row.alert_id for c in cells)
        assert all(c.data(Qt.ItemDataRole.AccessibleTextRole) == c.data() for c in cells)
        bold = [c.data(Qt.ItemDataRole.FontRole) for c in cells]
        assert all(f is not None and f.bold() for f in bold) if row.status == "new" else bold == [None] * len(cells)
        assert model.row_of(row.alert_id) == i
    assert model.row_of(-1) == -1
    assert model.index(1, indicator).data() == "Langdurige inactiviteit"
    # the indicator's tooltip is the explanation; other columns show their own text in full
    assert model.index(1, indicator).data(Qt.ItemDataRole.ToolTipRole).startswith("Al 4 uur geen beweging")
    assert model.index(1, owner).data(Qt.ItemDataRole.ToolTipRole) == "Anja de Wit (kantoor)"
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Ernst"
    assert model.headerData(0, Qt.Orientation.Vertical) is None

    changed: list[str] = []
    model.headerDataChanged.connect(lambda *_a: changed.append("header"))
    model.dataChanged.connect(lambda a, b, *_r: changed.append(f"{a.row()},{a.column()}-{b.row()},{b.column()}"))
    i18n.set_language("en")
    model.retranslate()
    assert sorted(changed) == ["0,0-4,7", "header"]  # every cell and every header is asked again
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Severity"
    assert model.index(1, indicator).data(Qt.ItemDataRole.ToolTipRole).startswith("No movement at home")
    # an explanation missing in this language falls back to the other rather than to nothing
    model.set_rows([replace(rows[1], explanation={"nl": "Alleen in het Nederlands."})])
    assert model.index(0, indicator).data(Qt.ItemDataRole.ToolTipRole) == "Alleen in het Nederlands."


def test_a_reload_keeps_the_chosen_alert_chosen_when_rows_move(qtbot, service, clock) -> None:  # type: ignore[no-untyped-def]
    panel = open_panel(qtbot, service, clock)
    with qtbot.waitSignal(panel.history_loaded, timeout=5000):
        panel.select_row(3)  # r2 night toilet visits
    chosen = panel.model.index(3, 0).data(AlertIdRole)
    service.resolve(panel.model.index(0, 0).data(AlertIdRole), "false_visitor")  # r3, above it, leaves the list
    with qtbot.waitSignal(panel.loaded):
        panel.reload()
    assert panel.model.row_of(chosen) == 2
    assert panel.table.currentIndex().data(AlertIdRole) == chosen
    assert [i.row() for i in panel.table.selectionModel().selectedRows()] == [2]
    assert panel.selected_row() is not None and panel.selected_row().alert_id == chosen
    assert panel.title.text() == "Nachtelijk toiletbezoek — Gerrit Jansen"
    service.resolve(chosen, "false_visitor")  # the chosen alert itself leaves: the first one is chosen
    with qtbot.waitSignal(panel.loaded):
        panel.reload()
    assert panel.table.currentIndex().row() == 0
    assert panel.selected_row() is not None and panel.selected_row().alert_id == panel.model.rows()[0].alert_id


def test_opens_worst_first_with_the_owner_on_duty_and_the_history(qtbot, service, clock) -> None:  # type: ignore[no-untyped-def]
    panel = open_panel(qtbot, service, clock)
    assert _ids(panel) == ["r3:night_exit", "r1:inactivity", "r1:wake_time", "r2:night_toilet_visits",
                           "r4:hygiene"]
    model = panel.model
    assert model.index(0, COLUMNS.index("owner")).data() == "⚠ niemand"  # team Zuid has no rota
    assert model.index(1, COLUMNS.index("owner")).data() == "Anja de Wit (kantoor)"
    assert model.index(1, COLUMNS.index("raised")).data() == "40 min geleden"
    assert model.index(0, COLUMNS.index("severity")).data() == "▲ Rood"
    assert panel.title.text() == "Voordeur 's nachts — Maria de Boer"
    assert panel.history.item(0).text().endswith("engine: gemeld (▲ Rood, Voordeur 's nachts)")
    assert panel.count_label.text() == "5 meldingen"


def test_filters_by_severity_owner_team_and_status(qtbot, service, clock) -> None:  # type: ignore[no-untyped-def]
    panel = open_panel(qtbot, service, clock)
    with qtbot.waitSignal(panel.loaded):
        panel.severity_box.setCurrentIndex(panel.severity_box.findData("red"))
    assert _ids(panel) == ["r3:night_exit", "r1:inactivity"]
    with qtbot.waitSignal(panel.loaded):
        panel.owner_box.setCurrentIndex(panel.owner_box.findData(""))  # nobody
    assert _ids(panel) == ["r3:night_exit"]
    with qtbot.waitSignal(panel.loaded):
        panel.severity_box.setCurrentIndex(0)
    with qtbot.waitSignal(panel.loaded):
        panel.owner_box.setCurrentIndex(0)
    with qtbot.waitSignal(panel.loaded):
        panel.team_box.setCurrentIndex(panel.team_box.findData("Noord"))
    assert {r.team for r in panel.model.rows()} == {"Noord"} and len(panel.model.rows()) == 3
    with qtbot.waitSignal(panel.loaded):
        panel.status_box.setCurrentIndex(panel.status_box.findData("resolved"))
    assert panel.model.rows() == [] and panel.count_label.text() == "Geen meldingen met deze filters."
    assert not panel.buttons["acknowledge"].isEnabled()


def test_keyboard_acknowledge_assign_note_and_resolve(qtbot, service, clock) -> None:  # type: ignore[no-untyped-def]
    panel = open_panel(qtbot, service, clock)
    panel.select_row(1)  # r1 inactivity, red
    alert_id = panel.model.index(1, 0).data(AlertIdRole)
    panel.table.setFocus()
    with qtbot.waitSignal(panel.action_done, timeout=5000):
        qtbot.keyClick(panel.table, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: panel.selected_row() is not None and panel.selected_row().status == "acknowledged")
    assert not panel.buttons["acknowledge"].isEnabled()
    panel.assign_box.setEditText("Bram Kok")
    with qtbot.waitSignal(panel.action_done, timeout=5000):
        qtbot.keyClick(panel.table, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(panel.note_edit, "Gebeld met dochter, gaat kijken")
    with qtbot.waitSignal(panel.action_done, timeout=5000):
        qtbot.keyClick(panel.note_edit, Qt.Key.Key_Return)
    assert panel.note_edit.text() == ""
    panel.label_box.setCurrentIndex(panel.label_box.findData("false_visitor"))
    with qtbot.waitSignal(panel.action_done, timeout=5000):
        qtbot.keyClick(panel.table, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    history = [(e.actor, e.action, e.detail) for e in service.alert_history(alert_id)]
    assert history[1:] == [("anja", "acknowledged", ""), ("anja", "assigned", "Bram Kok"),
                           ("anja", "note", "Gebeld met dochter, gaat kijken"),
                           ("anja", "resolved", "false_visitor")]
    qtbot.waitUntil(lambda: alert_id not in [r.alert_id for r in panel.model.rows()])  # open filter
    assert len(panel.model.rows()) == 4


def test_a_refused_action_is_shown_not_swallowed(qtbot, service, clock) -> None:  # type: ignore[no-untyped-def]
    panel = open_panel(qtbot, service, clock)
    with qtbot.waitSignal(panel.action_failed, timeout=5000) as failed:
        panel.trigger("note")  # empty note
    assert failed.args == ["a note cannot be empty"]
    assert panel.feedback.text() == "⚠ a note cannot be empty"
    assert panel.label_box.currentData() is None  # no outcome is preselected
    with qtbot.waitSignal(panel.action_failed, timeout=5000) as failed:
        panel.trigger("resolve")
    assert failed.args[0].startswith("choose an outcome")
    assert service.inbox()[0].status == "new"


def test_actions_have_accessible_names_and_shortcut_tooltips(qtbot, service, clock) -> None:  # type: ignore[no-untyped-def]
    panel = open_panel(qtbot, service, clock)
    assert panel.buttons["acknowledge"].accessibleName() == "Gezien"
    assert panel.buttons["acknowledge"].toolTip() == "Gezien (Ctrl+K)"
    assert panel.table.accessibleName() == "Lijst met meldingen"
    assert all(b.accessibleName() for b in panel.buttons.values())
    i18n.set_language("en")
    panel.retranslate()
    assert panel.buttons["resolve"].toolTip() == "Resolve (Ctrl+D)"
    assert panel.model.headerData(0, Qt.Orientation.Horizontal) == "Severity"
    assert panel.model.index(0, COLUMNS.index("owner")).data() == "⚠ nobody"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_screenshot_of_the_inbox(qtbot, service, clock, language: str) -> None:  # type: ignore[no-untyped-def]
    i18n.set_language(language)
    panel = open_panel(qtbot, service, clock)
    service.acknowledge(panel.model.index(1, 0).data(AlertIdRole))
    service.add_note(panel.model.index(1, 0).data(AlertIdRole), "Gebeld, geen gehoor; wijkteam gaat langs.")
    with qtbot.waitSignal(panel.loaded):
        panel.reload()
    with qtbot.waitSignal(panel.history_loaded, timeout=5000):
        panel.select_row(1)
    assert "Annie de Vries" in panel.title.text() and panel.history.count() == 3
    path = SCREENSHOTS / f"inbox_{language}.png"
    assert panel.grab().save(str(path))
    assert QImage(str(path)).width() == 1300


def test_banner_shows_red_alerts_that_need_someone_and_hides_when_handled(qtbot, service, clock) -> None:  # type: ignore[no-untyped-def]
    ensure_application()
    banner = EscalationBanner(service)
    qtbot.addWidget(banner)
    banner.show()
    with qtbot.waitSignal(banner.changed, timeout=5000) as shown:
        banner.reload()
    assert shown.args == [2]  # r3: nobody on duty in team Zuid; r1: red, unanswered for 40 > 15 min
    assert banner.isVisible()
    assert banner.text.text().startswith("▲ 2 rode melding(en) vragen nu actie: 0 geëscaleerd, 1 zonder eigenaar")
    assert not banner.tray.available  # offscreen has no tray: the banner is what people see
    assert banner.tray.notify(banner.rows()) == []  # each alert is notified once
    for row in banner.rows():
        service.acknowledge(row.alert_id)
    with qtbot.waitSignal(banner.changed, timeout=5000) as hidden:
        banner.reload()
    assert hidden.args == [1]  # r3 still has nobody on duty, acknowledged or not
    service.assign(banner.rows()[0].alert_id, "Anja de Wit")
    with qtbot.waitSignal(banner.changed, timeout=5000) as hidden:
        banner.reload()
    assert hidden.args == [0] and not banner.isVisible()
    with qtbot.waitSignal(banner.open_inbox):
        banner.button.click()


def test_workflow_strings_do_not_redefine_a_core_string() -> None:
    import re
    from pathlib import Path

    from slimmaatwerk.gui import strings
    from slimmaatwerk.gui.strings_workflow import WORKFLOW_STRINGS

    core = set(re.findall(r'^    "([a-z_.]+)": \{', Path(strings.__file__).read_text(encoding="utf-8"), re.MULTILINE))
    assert core and not core & set(WORKFLOW_STRINGS)
    assert all(strings.STRINGS[key] == text for key, text in WORKFLOW_STRINGS.items())


class _BrokenSource:
    def needs_attention(self) -> list:
        raise RuntimeError("database is locked")


def test_banner_says_so_when_it_cannot_check(qtbot) -> None:  # type: ignore[no-untyped-def]
    from slimmaatwerk.gui.escalation_banner import EscalationBanner

    banner = EscalationBanner(_BrokenSource())
    qtbot.addWidget(banner)
    banner.reload()
    qtbot.waitUntil(lambda: not banner.isHidden(), timeout=5000)
    assert "database is locked" in banner.text.text()
    banner.shutdown()
