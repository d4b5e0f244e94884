"""Escalation timing with an injected clock: once per alert, only red and unacknowledged, retried with
backoff on a real failing server, cancelled when someone acknowledges, logged everywhere, never raising.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from slimmaatwerk.escalation import (
    MAX_ATTEMPTS,
    EscalationRunner,
    WebhookChannel,
    configured_channels,
    retry_delay_ms,
)
from slimmaatwerk.storage import teams
from slimmaatwerk.storage.teams import Contact, EscalationPolicy

from .conftest import World, standard_rota
from .local_servers import webhook_receiver


def _policy(world: World, delay_min: int = 30, enabled: bool = True) -> None:
    with world.db.begin() as conn:
        teams.set_escalation_policy(conn, EscalationPolicy(enabled, delay_min), 0)


def _log(world: World) -> list[teams.EscalationRecord]:
    with world.db.read() as conn:
        return teams.escalation_log(conn)


def test_a_red_alert_escalates_once_when_unacknowledged_for_the_delay(world: World) -> None:
    _policy(world, delay_min=30)
    for entry in standard_rota("Noord"):
        world.coord.add_rota_entry(entry)
    world.coord.set_contacts("r1", [Contact(1, "Els (dochter)", "dochter", "06-12345678")])
    red_r1, red_r2 = world.alerts["r1:kitchen_activity"], world.alerts["r2:night_exit"]
    with webhook_receiver() as (url, box):
        runner = EscalationRunner(world.db, world.clock, [WebhookChannel("meldkamer", url)])
        assert runner.tick().started == []  # r1 waited 20 min, r2 5 min
        world.clock.advance(timedelta(minutes=9, seconds=59))
        assert runner.tick().started == []
        world.clock.advance(timedelta(seconds=1))  # r1 has waited exactly 30 minutes
        report = runner.tick()
        assert report.started == [red_r1] and report.sent == [(red_r1, "meldkamer")]
        assert runner.tick().started == []  # once
        world.clock.advance(timedelta(minutes=15))  # r2 waited 30 minutes too
        assert runner.tick().sent == [(red_r2, "meldkamer")]
        world.clock.advance(timedelta(hours=2))
        assert runner.tick().started == [] and len(box.messages) == 2  # amber never escalates
    notice = json.loads(box.messages[0]["body"])
    assert notice["type"] == "slimmaatwerk.escalation" and notice["alert_id"] == red_r1
    assert notice["waited_min"] == 30
    assert notice["on_duty"] == {"person": "Anja (kantoor)", "role": "office", "phone": "010-1111111"}
    assert notice["contacts"][0]["phone"] == "06-12345678"
    assert "Mevr. Jansen" in notice["text"]["nl"] and "30 minuten" in notice["text"]["nl"]
    assert json.loads(box.messages[1]["body"])["on_duty"] == {}  # team Zuid has nobody on duty
    assert [(r.alert_id, r.status, r.attempts, r.owner) for r in _log(world)] == [
        (red_r1, "sent", 1, "Anja (kantoor)"), (red_r2, "sent", 1, "")]
    history = world.coord.alert_history(red_r1)
    assert [(e.actor, e.action, e.detail) for e in history][-1] == ("engine", "escalated", "meldkamer")
    assert world.coord.inbox()[1].escalation == "sent"


def test_an_acknowledged_alert_never_escalates(world: World) -> None:
    _policy(world, delay_min=30)
    world.coord.acknowledge(world.alerts["r1:kitchen_activity"])
    world.coord.assign(world.alerts["r2:night_exit"], "Bram")
    with webhook_receiver() as (url, box):
        runner = EscalationRunner(world.db, world.clock, [WebhookChannel("meldkamer", url)])
        world.clock.advance(timedelta(hours=1))
        assert runner.tick().started == []
    assert box.messages == [] and _log(world) == []


def test_disabled_escalation_and_stale_alerts_do_not_page_anyone(world: World) -> None:
    _policy(world, delay_min=30, enabled=False)
    with webhook_receiver() as (url, box):
        runner = EscalationRunner(world.db, world.clock, [WebhookChannel("meldkamer", url)])
        world.clock.advance(timedelta(hours=1))
        assert runner.tick().started == []
        _policy(world, delay_min=30, enabled=True)
        world.clock.advance(timedelta(hours=24))  # a day-old backlog when escalation is switched on
        assert runner.tick().started == []
    assert box.messages == []


def test_a_failing_channel_is_retried_with_backoff_until_it_answers(world: World) -> None:
    _policy(world, delay_min=20)
    alert = world.alerts["r1:kitchen_activity"]
    with webhook_receiver(refuse_first=2) as (url, box):
        runner = EscalationRunner(world.db, world.clock, [WebhookChannel("meldkamer", url)])
        first = runner.tick()
        assert first.started == [alert] and first.sent == [] and "503" in first.retrying[0][2]
        world.clock.advance(timedelta(seconds=59))
        assert runner.tick().retrying == []  # not yet: the first retry waits a minute
        world.clock.advance(timedelta(seconds=1))
        assert len(runner.tick().retrying) == 1  # refused again; now it waits two minutes
        world.clock.advance(timedelta(minutes=1))
        assert runner.tick().sent == []
        world.clock.advance(timedelta(minutes=1))
        assert runner.tick().sent == [(alert, "meldkamer")]
    assert box.refused == 2 and len(box.messages) == 1
    (record,) = _log(world)
    assert (record.status, record.attempts, record.last_error) == ("sent", 3, "")
    assert [retry_delay_ms(n) // 60_000 for n in (1, 2, 3, 6, 7, 8)] == [1, 2, 4, 30, 30, 30]


def test_an_unreachable_channel_gives_up_reported_and_logged_without_raising(world: World) -> None:
    _policy(world, delay_min=20)
    alert = world.alerts["r1:kitchen_activity"]
    world.coord.acknowledge(world.alerts["r2:night_exit"])
    with webhook_receiver() as (url, _box):
        pass  # the port is closed again: connection refused
    runner = EscalationRunner(world.db, world.clock, [WebhookChannel("meldkamer", url, timeout_s=2)])
    failed = []
    for _ in range(MAX_ATTEMPTS + 2):
        failed += runner.tick().failed
        world.clock.advance(timedelta(minutes=31))
    assert [(a, c) for a, c, _ in failed] == [(alert, "meldkamer")]
    assert "refused" in failed[0][2].lower() or "errno" in failed[0][2].lower()
    (record,) = _log(world)
    assert (record.status, record.attempts) == ("failed", MAX_ATTEMPTS)
    assert world.coord.alert_history(alert)[-1].action == "escalation_failed"
    assert [r.escalation for r in world.coord.inbox() if r.alert_id == alert] == ["failed"]


def test_acknowledging_while_retrying_cancels_the_escalation(world: World) -> None:
    _policy(world, delay_min=20)
    for entry in standard_rota("Noord"):
        world.coord.add_rota_entry(entry)
    with webhook_receiver(refuse_first=1) as (url, box):
        runner = EscalationRunner(world.db, world.clock, [WebhookChannel("meldkamer", url)])
        assert len(runner.tick().retrying) == 1
        world.coord.acknowledge(world.alerts["r1:kitchen_activity"])
        world.clock.advance(timedelta(minutes=5))
        report = runner.tick()
    assert report.sent == [] and box.messages == []
    (record,) = _log(world)
    assert record.status == "cancelled" and "acknowledged" in record.last_error
    assert [r.resident_id for r in world.coord.needs_attention()] == ["r2"]  # r2 still has nobody on duty


def test_each_channel_gets_the_alert_once_and_disclosures_are_in_the_access_log(world: World) -> None:
    _policy(world, delay_min=20)
    alert = world.alerts["r1:kitchen_activity"]
    with webhook_receiver() as (url_a, box_a), webhook_receiver() as (url_b, box_b):
        channels = [WebhookChannel("meldkamer", url_a), WebhookChannel("teamleider", url_b)]
        runner = EscalationRunner(world.db, world.clock, lambda: channels, actor_id=world.engine.actor.id)
        assert sorted(runner.tick().sent) == [(alert, "meldkamer"), (alert, "teamleider")]
        world.clock.advance(timedelta(minutes=5))
        assert runner.tick().sent == []
    assert len(box_a.messages) == len(box_b.messages) == 1
    disclosures = [e["detail"] for e in world.coord.audit_entries("r1") if e["action"] == "disclosure"]
    assert sorted(disclosures) == [f"alert {alert} escalated to meldkamer", f"alert {alert} escalated to teamleider"]


def test_a_broken_channel_list_is_reported_not_raised(world: World, caplog: pytest.LogCaptureFixture) -> None:
    _policy(world, delay_min=20)

    def channels() -> list:
        raise RuntimeError("settings unreadable")

    report = EscalationRunner(world.db, world.clock, channels).tick()
    assert report.started == [] and "escalation tick failed" in caplog.text


def test_the_runner_can_read_its_channels_from_the_stored_settings(world: World) -> None:
    _policy(world, delay_min=20)
    with webhook_receiver() as (url, box):
        world.coord.set_escalation_channel(teams.ChannelConfig("webhook", "webhook", {"url": url}))
        world.coord.set_escalation_channel(teams.ChannelConfig("mqtt", "mqtt", {"topic": "zorg/#"}))  # unusable
        runner = EscalationRunner(world.db, world.clock, lambda: configured_channels(world.db))
        assert runner.tick().sent == [(world.alerts["r1:kitchen_activity"], "webhook")]
    assert len(box.messages) == 1
