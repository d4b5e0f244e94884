"""Ownership and escalation in storage: teams, rota, contacts per resident, escalation settings and log.

The records here are plain frozen dataclasses; the rules that use them (who is on duty, when an alert
escalates) live in :mod:`slimmaatwerk.escalation`. A resident's team is ``residents.team``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection, delete, func, select, update

from . import schema as s
from . import schema_workflow as w
from .dialect import insert_ignore, upsert

DEFAULT_DELAY_MIN = 15
CHANNEL_KINDS = ("mqtt", "smtp", "webhook")


@dataclass(frozen=True)
class TeamInfo:
    """A team, the district (wijk) it works in ("" when not set) and how many residents it has."""

    name: str
    district: str = ""
    residents: int = 0


@dataclass(frozen=True)
class RotaEntry:
    """A shift: ``person`` owns the team's alerts on ``weekdays`` from ``start_min`` to ``end_min``."""

    team: str
    role: str
    person: str
    weekdays: int  # bit set, Monday = bit 0 ... Sunday = bit 6
    start_min: int  # local minutes after midnight
    end_min: int  # not after start_min: the shift runs past midnight into the next day
    phone: str = ""
    id: int = 0


@dataclass(frozen=True)
class Contact:
    position: int  # 1 is called first
    name: str
    relation: str = ""
    phone: str = ""
    note: str = ""


@dataclass(frozen=True)
class EscalationPolicy:
    enabled: bool = True
    delay_min: int = DEFAULT_DELAY_MIN


@dataclass(frozen=True)
class ChannelConfig:
    """Where escalations go; ``config`` holds no secrets (those are in the keyring or credentials)."""

    name: str
    kind: str  # one of CHANNEL_KINDS
    config: dict = field(default_factory=dict)
    enabled: bool = True


@dataclass(frozen=True)
class EscalationRecord:
    id: int
    alert_id: int
    channel: str
    created_ms: int
    status: str  # pending, sent, failed, cancelled
    attempts: int
    next_attempt_ms: int | None
    sent_ms: int | None
    owner: str
    last_error: str


# --- teams --------------------------------------------------------------------------------------------
def add_team(conn: Connection, name: str, note: str = "") -> None:
    insert_ignore(conn, w.teams, [{"name": name, "note": note}])


def list_teams(conn: Connection) -> list[str]:
    """Teams with a rota, and teams residents are in (even before anyone made a rota for them)."""
    named = {r[0] for r in conn.execute(select(w.teams.c.name))}
    used = {r[0] for r in conn.execute(select(s.residents.c.team).distinct()) if r[0]}
    return sorted(named | used)


def team_details(conn: Connection) -> list[TeamInfo]:
    """Every team of ``list_teams`` with its district and number of residents, sorted by name."""
    districts = {name: district or "" for name, district in conn.execute(select(w.teams.c.name, w.teams.c.district))}
    counted = dict(conn.execute(
        select(s.residents.c.team, func.count()).where(s.residents.c.team != "").group_by(s.residents.c.team)
    ).all())
    return [TeamInfo(name, districts.get(name, ""), int(counted.get(name, 0))) for name in list_teams(conn)]


def team_districts(conn: Connection) -> dict[str, str]:
    """Team name -> district, for the teams that have one."""
    return {name: district for name, district in conn.execute(select(w.teams.c.name, w.teams.c.district))
            if district}


def save_team(conn: Connection, name: str, district: str) -> None:
    """Create the team if new; set its district ("" clears it)."""
    add_team(conn, name)
    conn.execute(update(w.teams).where(w.teams.c.name == name).values(district=district or None))


def team_members(conn: Connection, name: str) -> list[str]:
    """The ids of the residents in team ``name``, sorted."""
    query = select(s.residents.c.id).where(s.residents.c.team == name).order_by(s.residents.c.id)
    return [r[0] for r in conn.execute(query)]


def team_exists(conn: Connection, name: str) -> bool:
    return name in list_teams(conn)


def rename_team(conn: Connection, old: str, new: str) -> None:
    """Give team ``old`` the name ``new`` everywhere: its row (note, district), its rota, its residents.

    The new row comes first and the old one goes last: the rota's foreign key must always point at a
    team that exists. The caller checks that ``old`` exists and ``new`` does not.
    """
    row = conn.execute(select(w.teams.c.note, w.teams.c.district).where(w.teams.c.name == old)).first()
    conn.execute(w.teams.insert().values(name=new, note=row.note if row else "", district=row.district if row else None))
    conn.execute(update(w.rota_entries).where(w.rota_entries.c.team == old).values(team=new))
    conn.execute(update(s.residents).where(s.residents.c.team == old).values(team=new))
    conn.execute(delete(w.teams).where(w.teams.c.name == old))


def remove_team(conn: Connection, name: str, move_to: str = "") -> int:
    """Remove team ``name`` and its rota; its residents move to ``move_to`` ("" = no team). Returns how
    many residents moved."""
    if move_to:
        add_team(conn, move_to)
    moved = conn.execute(update(s.residents).where(s.residents.c.team == name).values(team=move_to)).rowcount
    conn.execute(delete(w.rota_entries).where(w.rota_entries.c.team == name))
    conn.execute(delete(w.teams).where(w.teams.c.name == name))
    return int(moved)


def set_resident_team(conn: Connection, resident_id: str, team: str) -> bool:
    if team:
        add_team(conn, team)
    result = conn.execute(update(s.residents).where(s.residents.c.id == resident_id).values(team=team))
    return result.rowcount == 1


def resident_teams(conn: Connection, resident_ids: Sequence[str]) -> dict[str, str]:
    query = select(s.residents.c.id, s.residents.c.team).where(s.residents.c.id.in_(list(resident_ids)))
    return {rid: team for rid, team in conn.execute(query)}


# --- rota ---------------------------------------------------------------------------------------------
def add_rota_entry(conn: Connection, entry: RotaEntry) -> int:
    add_team(conn, entry.team)
    result = conn.execute(w.rota_entries.insert().values(
        team=entry.team, role=entry.role, person=entry.person, phone=entry.phone, weekdays=entry.weekdays,
        start_min=entry.start_min, end_min=entry.end_min,
    ))
    key = result.inserted_primary_key
    assert key is not None  # an insert into a table with an integer primary key
    return int(key[0])


def remove_rota_entry(conn: Connection, entry_id: int) -> bool:
    return conn.execute(delete(w.rota_entries).where(w.rota_entries.c.id == entry_id)).rowcount == 1


def rota(conn: Connection, team: str | None = None) -> list[RotaEntry]:
    t = w.rota_entries
    query = select(t).order_by(t.c.team, t.c.start_min, t.c.id)
    if team is not None:
        query = query.where(t.c.team == team)
    return [
        RotaEntry(r.team, r.role, r.person, int(r.weekdays), int(r.start_min), int(r.end_min), r.phone, int(r.id))
        for r in conn.execute(query)
    ]


# --- contacts -----------------------------------------------------------------------------------------
def set_contacts(conn: Connection, resident_id: str, contacts: Sequence[Contact]) -> None:
    """Replace the resident's call list; positions are renumbered 1..n in the order given."""
    conn.execute(delete(w.resident_contacts).where(w.resident_contacts.c.resident_id == resident_id))
    if contacts:
        conn.execute(w.resident_contacts.insert(), [
            {"resident_id": resident_id, "position": i, "name": c.name, "relation": c.relation,
             "phone": c.phone, "note": c.note}
            for i, c in enumerate(contacts, start=1)
        ])


def contacts(conn: Connection, resident_id: str) -> list[Contact]:
    t = w.resident_contacts
    query = select(t).where(t.c.resident_id == resident_id).order_by(t.c.position)
    return [Contact(int(r.position), r.name, r.relation, r.phone, r.note) for r in conn.execute(query)]


# --- escalation settings ------------------------------------------------------------------------------
def escalation_policy(conn: Connection) -> EscalationPolicy:
    row = conn.execute(select(w.escalation_settings).where(w.escalation_settings.c.id == 1)).first()
    return EscalationPolicy(bool(row.enabled), int(row.delay_min)) if row else EscalationPolicy()


def set_escalation_policy(conn: Connection, policy: EscalationPolicy, now_ms: int) -> None:
    upsert(conn, w.escalation_settings,
           [{"id": 1, "enabled": policy.enabled, "delay_min": policy.delay_min, "updated_ms": now_ms}], ["id"])


def channels(conn: Connection) -> list[ChannelConfig]:
    t = w.escalation_channels
    return [ChannelConfig(r.name, r.kind, json.loads(r.config), bool(r.enabled))
            for r in conn.execute(select(t).order_by(t.c.name))]


def set_channel(conn: Connection, channel: ChannelConfig) -> None:
    upsert(conn, w.escalation_channels, [{
        "name": channel.name, "kind": channel.kind, "enabled": channel.enabled,
        "config": json.dumps(channel.config, sort_keys=True),
    }], ["name"])


def remove_channel(conn: Connection, name: str) -> None:
    conn.execute(delete(w.escalation_channels).where(w.escalation_channels.c.name == name))


# --- escalation log -----------------------------------------------------------------------------------
def _record(r) -> EscalationRecord:  # type: ignore[no-untyped-def]
    return EscalationRecord(
        int(r.id), int(r.alert_id), r.channel, int(r.created_ms), r.status, int(r.attempts),
        None if r.next_attempt_ms is None else int(r.next_attempt_ms),
        None if r.sent_ms is None else int(r.sent_ms), r.owner, r.last_error,
    )


def open_escalation(conn: Connection, alert_id: int, channel: str, now_ms: int, owner: str) -> None:
    """Start an escalation of an alert to a channel; an alert escalates once per channel, ever."""
    insert_ignore(conn, w.escalation_log, [{
        "alert_id": alert_id, "channel": channel, "created_ms": now_ms, "status": "pending", "attempts": 0,
        "next_attempt_ms": now_ms, "sent_ms": None, "owner": owner, "last_error": "",
    }])


def escalated_alert_ids(conn: Connection, alert_ids: Sequence[int]) -> set[int]:
    t = w.escalation_log
    query = select(t.c.alert_id).where(t.c.alert_id.in_(list(alert_ids))).distinct()
    return {int(r[0]) for r in conn.execute(query)} if alert_ids else set()


def due_escalations(conn: Connection, now_ms: int) -> list[EscalationRecord]:
    t = w.escalation_log
    query = select(t).where(t.c.status == "pending", t.c.next_attempt_ms <= now_ms).order_by(t.c.id)
    return [_record(r) for r in conn.execute(query)]


def finish_attempt(conn: Connection, record_id: int, *, status: str, attempts: int, now_ms: int,
                   next_attempt_ms: int | None = None, error: str = "") -> None:
    values: dict[str, object] = {"status": status, "attempts": attempts, "next_attempt_ms": next_attempt_ms,
                                 "last_error": error[:2000]}
    if status == "sent":
        values["sent_ms"] = now_ms
    conn.execute(update(w.escalation_log).where(w.escalation_log.c.id == record_id).values(**values))


def escalation_log(conn: Connection, alert_id: int | None = None) -> list[EscalationRecord]:
    t = w.escalation_log
    query = select(t).order_by(t.c.id)
    if alert_id is not None:
        query = query.where(t.c.alert_id == alert_id)
    return [_record(r) for r in conn.execute(query)]
