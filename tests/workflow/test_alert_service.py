"""Handling alerts through the service facade on SQLite and PostgreSQL: rules, scope, history, inbox, log."""

from __future__ import annotations

from datetime import timedelta

import pytest

from slimmaatwerk.alert_workflow import AlertChanged, InboxFilter, WorkflowError
from slimmaatwerk.errors import AccessDenied, InputError
from slimmaatwerk.storage import alert_history
from slimmaatwerk.storage.teams import ChannelConfig, Contact, EscalationPolicy

from .conftest import World, standard_rota


def _actions(entries) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    return [(e.actor, e.action, e.detail) for e in entries]


def test_an_alert_goes_from_new_to_resolved_and_every_step_is_in_its_history(world: World) -> None:
    alert = world.alerts["r1:kitchen_activity"]
    coord, clock = world.coord, world.clock
    assert coord.acknowledge(alert) == "acknowledged"
    clock.advance(timedelta(minutes=3))
    assert coord.assign(alert, "Anja") == "assigned"
    clock.advance(timedelta(minutes=3))
    coord.add_note(alert, "Gebeld: waterkoker stuk, dochter komt langs.")
    with pytest.raises(WorkflowError, match="choose an outcome"):
        coord.resolve(alert)
    assert coord.resolve(alert, "false_sensor", note="Sensor vervangen") == "resolved"
    history = coord.alert_history(alert)
    assert _actions(history) == [
        ("engine", "raised", "red kitchen_activity"),
        ("coord", "acknowledged", ""),
        ("coord", "assigned", "Anja"),
        ("coord", "note", "Gebeld: waterkoker stuk, dochter komt langs."),
        ("coord", "resolved", "false_sensor"),
        ("coord", "note", "Sensor vervangen"),
    ]
    assert [(e.from_status, e.to_status) for e in history[1:3]] == [("new", "acknowledged"),
                                                                      ("acknowledged", "assigned")]
    assert history[2].at - history[1].at == timedelta(minutes=3)
    resolved = coord.inbox(InboxFilter(statuses=("resolved",)))
    assert [(r.alert_id, r.label, r.owner) for r in resolved] == [(alert, "false_sensor", "Anja")]


def test_not_allowed_transitions_change_nothing(world: World) -> None:
    alert = world.alerts["r1:wake_time"]
    with pytest.raises(WorkflowError, match="'reopen' is not possible for an alert that is new"):
        world.coord.reopen(alert)
    world.coord.resolve(alert, "true")
    with pytest.raises(WorkflowError):
        world.coord.acknowledge(alert)
    assert world.coord.reopen(alert) == "acknowledged"
    assert [e.action for e in world.coord.alert_history(alert)] == ["raised", "resolved", "reopened"]


def test_labels_can_be_changed_any_time_and_each_change_is_recorded(world: World) -> None:
    alert = world.alerts["r2:night_exit"]
    world.coord.label(alert, "true")
    world.coord.label(alert, "true")  # no change, no entry
    world.coord.label(alert, "false_visitor")
    assert [e.detail for e in world.coord.alert_history(alert) if e.action == "labelled"] == [
        "- -> true", "true -> false_visitor"]
    assert world.coord.resolve(alert) == "resolved"  # the stored label is the outcome
    with pytest.raises(WorkflowError):
        world.coord.label(alert, "maybe")


def test_role_and_resident_scope_are_checked_on_every_action(world: World) -> None:
    other = world.alerts["r2:night_exit"]
    with pytest.raises(AccessDenied, match="no access to resident r2"):
        world.nurse.acknowledge(other)
    with pytest.raises(AccessDenied, match="no access to resident r2"):
        world.nurse.alert_history(other)
    with pytest.raises(AccessDenied, match="may not handle alerts"):
        world.fitter.acknowledge(world.alerts["r1:kitchen_activity"])
    with pytest.raises(AccessDenied, match="may not handle alerts"):
        world.engine.inbox()
    assert {r.resident_id for r in world.nurse.inbox()} == {"r1"}
    assert world.nurse.acknowledge(world.alerts["r1:wake_time"]) == "acknowledged"
    with pytest.raises(InputError, match="unknown alert 9999"):
        world.coord.acknowledge(9999)


def test_every_action_and_read_is_in_the_access_log(world: World) -> None:
    alert = world.alerts["r1:kitchen_activity"]
    world.nurse.acknowledge(alert)
    world.nurse.add_note(alert, "op weg")
    world.nurse.alert_history(alert)
    world.nurse.inbox()
    entries = world.coord.audit_entries("r1")
    details = [(e["action"], e["detail"]) for e in entries if e["user_id"] == world.nurse.actor.id]
    assert ("change", f"alert {alert} acknowledged") in details
    assert ("change", f"alert {alert} note added") in details
    assert ("read", f"alert {alert} history") in details
    searches = [e for e in world.coord.audit_entries() if e["action"] == "search"
                and e["user_id"] == world.nurse.actor.id]
    assert [e["detail"] for e in searches] == ["alert inbox (2)"]


def test_two_coordinators_cannot_both_take_the_same_alert(world: World) -> None:
    alert_id = world.alerts["r1:kitchen_activity"]
    with world.db.read() as conn:
        stale = alert_history.get_alert(conn, alert_id)
    world.nurse.assign(alert_id, "Wijkverpleegkundige")
    with world.db.begin() as conn:
        assert not alert_history.change_alert(conn, stale, status="assigned", owner="Coördinator")
    with pytest.raises(AlertChanged, match="changed by someone else"):
        world.coord._transition(alert_id, "assign", owner="Coördinator", seen=stale)
    assert world.coord.inbox(InboxFilter(statuses=("assigned",)))[0].owner == "Wijkverpleegkundige"


def test_inbox_shows_worst_first_with_who_is_on_duty_and_filters(world: World) -> None:
    for entry in standard_rota("Noord"):
        world.coord.add_rota_entry(entry)
    rows = world.coord.inbox()
    assert [(r.resident_id, r.severity) for r in rows] == [("r2", "red"), ("r1", "red"), ("r1", "amber")]
    by_id = {r.alert_id: r for r in rows}
    r1 = by_id[world.alerts["r1:kitchen_activity"]]
    assert (r1.resident_name, r1.team, r1.on_duty, r1.on_duty_role) == ("Mevr. Jansen", "Noord",
                                                                         "Anja (kantoor)", "office")
    assert r1.explanation["nl"] == "Vandaag geen keukenactiviteit."
    assert by_id[world.alerts["r2:night_exit"]].unowned  # team Zuid has no rota
    assert {r.resident_id for r in world.coord.inbox(InboxFilter(team="Zuid"))} == {"r2"}
    assert [r.severity for r in world.coord.inbox(InboxFilter(severity="amber"))] == ["amber"]
    assert {r.resident_id for r in world.coord.inbox(InboxFilter(owner=""))} == {"r2"}
    world.coord.assign(world.alerts["r2:night_exit"], "Bram")
    assert [r.resident_id for r in world.coord.inbox(InboxFilter(owner="bram"))] == ["r2"]
    assert len(world.coord.inbox(InboxFilter(owner="Anja (kantoor)"))) == 2
    world.clock.advance(timedelta(hours=9))  # 19:00 local: the evening shift owns r1's alerts now
    assert {r.on_duty for r in world.coord.inbox(InboxFilter(team="Noord"))} == {"Bram (avond)"}


def test_needs_attention_lists_red_alerts_unowned_or_unanswered_too_long(world: World) -> None:
    for entry in standard_rota("Noord"):
        world.coord.add_rota_entry(entry)
    with world.db.begin() as conn:
        from slimmaatwerk.storage import teams

        teams.set_escalation_policy(conn, EscalationPolicy(True, 30), 0)
    assert [r.resident_id for r in world.coord.needs_attention()] == ["r2"]  # nobody on duty for Zuid
    world.clock.advance(timedelta(minutes=10))  # r1's red alert now waits 30 minutes
    assert {r.resident_id for r in world.coord.needs_attention()} == {"r1", "r2"}
    world.coord.acknowledge(world.alerts["r1:kitchen_activity"])
    world.coord.acknowledge(world.alerts["r2:night_exit"])
    assert [r.resident_id for r in world.coord.needs_attention()] == ["r2"]  # seen, but nobody responsible
    world.coord.assign(world.alerts["r2:night_exit"], "Bram")
    assert world.coord.needs_attention() == []


def test_per_resident_history_spans_all_their_alerts(world: World) -> None:
    world.coord.acknowledge(world.alerts["r1:wake_time"])
    world.clock.advance(timedelta(minutes=1))
    world.coord.add_note(world.alerts["r1:kitchen_activity"], "nagebeld")
    history = world.coord.resident_alert_history("r1")
    assert [(e.alert_id, e.action) for e in history] == [
        (world.alerts["r1:wake_time"], "raised"),
        (world.alerts["r1:kitchen_activity"], "raised"),
        (world.alerts["r1:wake_time"], "acknowledged"),
        (world.alerts["r1:kitchen_activity"], "note"),
    ]
    with pytest.raises(AccessDenied):
        world.nurse.resident_alert_history("r2")


def test_teams_rota_and_contacts_are_kept_in_order(world: World) -> None:
    ids = [world.coord.add_rota_entry(e) for e in standard_rota("Noord")]
    assert [e.role for e in world.coord.rota("Noord")] == ["office", "evening", "night"]
    world.coord.remove_rota_entry(ids[1])
    assert [e.role for e in world.coord.rota("Noord")] == ["office", "night"]
    with pytest.raises(InputError, match="unknown rota entry"):
        world.coord.remove_rota_entry(ids[1])
    world.coord.set_resident_team("r2", "Noord")
    assert world.coord.inbox(InboxFilter(team="Noord"))[0].resident_id == "r2"
    assert world.coord.teams() == ["Noord"]
    world.nurse.set_contacts("r1", [Contact(9, "Els (dochter)", "dochter", "06-1"),
                                    Contact(1, "Huisarts", "huisarts", "010-2")])
    assert [(c.position, c.name) for c in world.nurse.contacts("r1")] == [(1, "Els (dochter)"), (2, "Huisarts")]
    with pytest.raises(AccessDenied):
        world.nurse.contacts("r2")


def test_escalation_settings_need_an_administrator_and_refuse_secrets(world: World) -> None:
    world.coord.set_escalation_policy(EscalationPolicy(True, 20))
    world.coord.set_escalation_channel(ChannelConfig("meldkamer", "webhook", {"url": "http://10.0.0.5/alarm"}))
    policy, channels = world.nurse.escalation_settings()
    assert (policy.delay_min, [c.name for c in channels]) == (20, ["meldkamer"])
    with pytest.raises(AccessDenied, match="may not manage database"):
        world.nurse.set_escalation_policy(EscalationPolicy(False, 20))
    with pytest.raises(InputError, match="keyring"):
        world.coord.set_escalation_channel(ChannelConfig("x", "smtp", {"host": "h", "password": "geheim"}))
    with pytest.raises(InputError, match="1 to 1440"):
        world.coord.set_escalation_policy(EscalationPolicy(True, 0))
    world.coord.remove_escalation_channel("meldkamer")
    assert world.coord.escalation_settings()[1] == []
