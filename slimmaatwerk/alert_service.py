"""The service facade's alert handling, ownership and escalation settings, as a mixin of ``Service``.

Every method checks the acting user's permission (``handle_alerts``; changing escalation channels needs
``manage_database``) and, for a resident's data, their per-resident scope through ``Service._require``,
does its work in one transaction and writes the access log through ``Service._log``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from .alert_workflow import (
    STATUSES,
    AlertChanged,
    HistoryEntry,
    InboxFilter,
    InboxRow,
    check_label,
    check_note,
    check_owner,
    next_status,
    resolve_label,
)
from .errors import AccessDenied, InputError
from .escalation import check_rota_entry, is_due, on_duty
from .localtime import from_ms, ms
from .storage import accounts
from .storage import alert_history as history_store
from .storage import teams as team_store
from .storage.teams import CHANNEL_KINDS, ChannelConfig, Contact, EscalationPolicy, RotaEntry, TeamInfo

if TYPE_CHECKING:
    from .clock import Clock
    from .storage.accounts import User
    from .storage.database import Database

_PAST = {"acknowledge": "acknowledged", "assign": "assigned", "resolve": "resolved", "reopen": "reopened"}
_SEVERITY_RANK = {"red": 0, "amber": 1, "info": 2}
_STATUS_RANK = {status: i for i, status in enumerate(STATUSES)}


def _check_team_name(name: str) -> None:
    if not name:
        raise InputError("a team needs a name")
    if len(name) > 100:
        raise InputError("team and district names are at most 100 characters")


def _sort_key(row: InboxRow) -> tuple:
    return (row.status == "resolved", _SEVERITY_RANK.get(row.severity, 3), _STATUS_RANK.get(row.status, 9),
            -row.raised_at.timestamp(), row.alert_id)


class AlertWorkflowMixin:
    """Mixed into :class:`slimmaatwerk.service.Service`, whose checks and log it uses."""

    if TYPE_CHECKING:
        db: Database
        actor: User
        clock: Clock

        def _require(self, permission: str, resident_id: str | None = None) -> None: ...
        def _scope(self) -> set[str] | None: ...
        def _log(self, conn: Any, action: str, resident_id: str | None, detail: str, *,
                 dedup: bool = False) -> None: ...
        def now_ms(self) -> int: ...

    # --- acting on an alert -------------------------------------------------------------------------
    def acknowledge(self, alert_id: int) -> str:
        """"I have seen it": stops the escalation clock. Returns the new status."""
        return self._transition(alert_id, "acknowledge")

    def assign(self, alert_id: int, owner: str) -> str:
        return self._transition(alert_id, "assign", owner=check_owner(owner))

    def resolve(self, alert_id: int, label: str | None = None, note: str = "") -> str:
        """Close an alert with its outcome (needed for the analytics feedback loop) and an optional note."""
        alert = self._alert_for(alert_id)
        outcome = resolve_label(alert.label, label)
        return self._transition(alert_id, "resolve", label=outcome, note=note, seen=alert)

    def reopen(self, alert_id: int) -> str:
        return self._transition(alert_id, "reopen")

    def add_note(self, alert_id: int, text: str) -> None:
        note = check_note(text)
        alert = self._alert_for(alert_id)
        with self.db.begin() as conn:
            history_store.append(conn, alert_id, self.now_ms(), self.actor.username, "note",
                                 from_status=alert.status, to_status=alert.status, detail=note)
            self._log(conn, "change", alert.resident_id, f"alert {alert_id} note added")
            self.db.bump_data_version(conn)

    def label(self, alert_id: int, outcome: str) -> None:
        """Record whether the alert was true or a false alarm (visitor, sensor, other); allowed any time."""
        check_label(outcome)
        alert = self._alert_for(alert_id)
        if alert.label == outcome:
            return
        with self.db.begin() as conn:
            if not history_store.change_alert(conn, alert, label=outcome):
                raise AlertChanged(f"alert {alert_id} was changed by someone else meanwhile; look again")
            history_store.append(conn, alert_id, self.now_ms(), self.actor.username, "labelled",
                                 from_status=alert.status, to_status=alert.status,
                                 detail=f"{alert.label or '-'} -> {outcome}")
            self._log(conn, "change", alert.resident_id, f"alert {alert_id} labelled {outcome}")
            self.db.bump_data_version(conn)

    def _alert_for(self, alert_id: int) -> history_store.StoredAlert:
        self._require("handle_alerts")
        with self.db.read() as conn:
            alert = history_store.get_alert(conn, alert_id)
        if alert is None:
            raise InputError(f"unknown alert {alert_id}")
        self._require("handle_alerts", alert.resident_id)
        return alert

    def _transition(self, alert_id: int, action: str, *, owner: str | None = None, label: str | None = None,
                    note: str = "", seen: history_store.StoredAlert | None = None) -> str:
        alert = seen or self._alert_for(alert_id)
        target = next_status(alert.status, action)
        extra = check_note(note) if note.strip() else ""
        values = {"status": target}
        if owner is not None:
            values["owner"] = owner
        if label is not None:
            values["label"] = label
        now = self.now_ms()
        with self.db.begin() as conn:
            if not history_store.change_alert(conn, alert, **values):
                raise AlertChanged(f"alert {alert_id} was changed by someone else meanwhile; look again")
            history_store.append(conn, alert_id, now, self.actor.username, _PAST[action],
                                 from_status=alert.status, to_status=target, detail=owner or label or "")
            if extra:
                history_store.append(conn, alert_id, now, self.actor.username, "note",
                                     from_status=target, to_status=target, detail=extra)
            self._log(conn, "change", alert.resident_id, f"alert {alert_id} {_PAST[action]}")
            self.db.bump_data_version(conn)
        return target

    # --- reading ------------------------------------------------------------------------------------
    def alert_history(self, alert_id: int) -> list[HistoryEntry]:
        alert = self._alert_for(alert_id)
        with self.db.begin() as conn:
            found = history_store.history(conn, [alert])
            self._log(conn, "read", alert.resident_id, f"alert {alert_id} history", dedup=True)
        return found

    def resident_alert_history(self, resident_id: str) -> list[HistoryEntry]:
        self._require("handle_alerts", resident_id)
        with self.db.begin() as conn:
            found = history_store.history(conn, history_store.resident_alerts(conn, resident_id))
            self._log(conn, "read", resident_id, "alert history", dedup=True)
        return found

    def inbox(self, filter: InboxFilter | None = None) -> list[InboxRow]:
        """Alerts for the acting user's residents, worst and newest first, each with who owns it now."""
        self._require("handle_alerts")
        f = filter or InboxFilter()
        if f.resident_id is not None:
            self._require("handle_alerts", f.resident_id)
        scope = self._scope()
        now = self.clock.now()
        with self.db.begin() as conn:
            records = history_store.inbox_records(conn, f.statuses, severity=f.severity, team=f.team,
                                                  resident_id=f.resident_id, scope=scope)
            rota = team_store.rota(conn)
            escalations = history_store.escalation_states(conn, [r.alert.id for r in records])
            rows = []
            for record in records:
                a = record.alert
                duty = on_duty(rota, record.team, now)
                rows.append(InboxRow(
                    a.id, a.resident_id, record.resident_name, record.team, date.fromisoformat(a.date), a.indicator, a.severity,
                    from_ms(a.raised_ms), a.status, a.owner, duty.person if duty else "", duty.role if duty else "",
                    a.label, escalations.get(a.id, ""), dict(a.payload.get("explanation") or {}),
                ))
            if f.owner is not None:
                wanted = f.owner.strip().casefold()
                rows = [r for r in rows if r.responsible.casefold() == wanted]
            self._log(conn, "search", None, f"alert inbox ({len(rows)})", dedup=True)
        return sorted(rows, key=_sort_key)

    def needs_attention(self) -> list[InboxRow]:
        """Red open alerts someone must act on now.

        Still new and escalated, or unanswered past the escalation delay, or nobody responsible; or
        seen but still nobody responsible (no owner taken, nobody on duty).
        """
        with self.db.read() as conn:
            delay = EscalationPolicy(True, team_store.escalation_policy(conn).delay_min)
        now = self.now_ms()
        return [
            r for r in self.inbox(InboxFilter(severity="red"))
            if r.unowned or (r.status == "new" and (
                bool(r.escalation) or is_due(r.severity, r.status, ms(r.raised_at), delay, now)))
        ]

    # --- ownership: teams, rota, contacts ---------------------------------------------------------------
    def teams(self) -> list[str]:
        self._require("handle_alerts")
        with self.db.read() as conn:
            return team_store.list_teams(conn)

    def team_details(self) -> list[TeamInfo]:
        """Teams with their district and number of residents (the team and rota editor's list)."""
        self._require("handle_alerts")
        with self.db.read() as conn:
            return team_store.team_details(conn)

    def save_team(self, name: str, district: str = "") -> None:
        """Create a team or change its district; the overview groups residents by team or district."""
        self._require("handle_alerts")
        name, district = name.strip(), district.strip()
        _check_team_name(name)
        if len(district) > 100:
            raise InputError("team and district names are at most 100 characters")
        with self.db.begin() as conn:
            team_store.save_team(conn, name, district)
            self._log(conn, "change", None, f"team {name} saved (district {district or '-'})")
            self.db.bump_data_version(conn)

    def rename_team(self, old: str, new: str) -> None:
        """Rename a team: its district, rota and residents go with it (a rename, never a merge)."""
        self._require("handle_alerts")
        old, new = old.strip(), new.strip()
        _check_team_name(new)
        with self.db.begin() as conn:
            self._require_whole_team(conn, old)
            if new == old:
                return
            if team_store.team_exists(conn, new):
                raise InputError(f"there is already a team {new!r}; choose another name")
            team_store.rename_team(conn, old, new)
            self._log(conn, "change", None, f"team {old} renamed to {new}")
            self.db.bump_data_version(conn)

    def remove_team(self, name: str, move_residents_to: str | None = None) -> int:
        """Remove a team and its rota. A team that still has residents is removed only when the caller
        says where they go (another team, or "" for none); otherwise this refuses and names how many.
        Returns how many residents moved."""
        self._require("handle_alerts")
        name = name.strip()
        target = move_residents_to.strip() if move_residents_to is not None else None
        if target:
            _check_team_name(target)
        with self.db.begin() as conn:
            members = self._require_whole_team(conn, name)
            if members and target is None:
                raise InputError(f"team {name} still has {len(members)} resident(s); say which team they move to")
            if target == name:
                raise InputError(f"the residents of team {name} cannot move to the team being removed")
            moved = team_store.remove_team(conn, name, target or "")
            self._log(conn, "change", None, f"team {name} removed" + (
                f"; {moved} resident(s) moved to {target or '-'}" if moved else ""))
            for resident_id in members:  # each resident's record changed: logged per resident as well
                self._log(conn, "change", resident_id, f"team set to {target or '-'} ({name} removed)")
            self.db.bump_data_version(conn)
        return moved

    def _require_whole_team(self, conn: Any, name: str) -> list[str]:
        """The team's residents; refuses an unknown team, and a team with residents outside the caller's
        scope (renaming or removing it changes their records too)."""
        if not name or not team_store.team_exists(conn, name):
            raise InputError(f"unknown team {name!r}")
        members = team_store.team_members(conn, name)
        if not self.actor.all_residents:
            outside = set(members) - accounts.scope(conn, self.actor.id)
            if outside:
                raise AccessDenied(f"{self.actor.username} has no access to {len(outside)} resident(s) of team {name}")
        return members

    def set_resident_team(self, resident_id: str, team: str) -> None:
        self._require("handle_alerts", resident_id)
        with self.db.begin() as conn:
            if not team_store.set_resident_team(conn, resident_id, team.strip()):
                raise InputError(f"unknown resident {resident_id!r}")
            self._log(conn, "change", resident_id, f"team set to {team.strip() or '-'}")
            self.db.bump_data_version(conn)

    def rota(self, team: str | None = None) -> list[RotaEntry]:
        self._require("handle_alerts")
        with self.db.read() as conn:
            return team_store.rota(conn, team)

    def add_rota_entry(self, entry: RotaEntry) -> int:
        self._require("handle_alerts")
        check_rota_entry(entry)
        with self.db.begin() as conn:
            entry_id = team_store.add_rota_entry(conn, entry)
            self._log(conn, "change", None, f"rota: {entry.team} {entry.role} {entry.person}")
            self.db.bump_data_version(conn)
        return entry_id

    def remove_rota_entry(self, entry_id: int) -> None:
        self._require("handle_alerts")
        with self.db.begin() as conn:
            if not team_store.remove_rota_entry(conn, entry_id):
                raise InputError(f"unknown rota entry {entry_id}")
            self._log(conn, "change", None, f"rota entry {entry_id} removed")
            self.db.bump_data_version(conn)

    def contacts(self, resident_id: str) -> list[Contact]:
        self._require("handle_alerts", resident_id)
        with self.db.begin() as conn:
            found = team_store.contacts(conn, resident_id)
            self._log(conn, "read", resident_id, "contacts", dedup=True)
        return found

    def set_contacts(self, resident_id: str, contacts: Sequence[Contact]) -> None:
        self._require("handle_alerts", resident_id)
        if any(not c.name.strip() for c in contacts):
            raise InputError("every contact needs a name")
        with self.db.begin() as conn:
            team_store.set_contacts(conn, resident_id, contacts)
            self._log(conn, "change", resident_id, f"contacts set ({len(contacts)})")

    # --- escalation settings ----------------------------------------------------------------------------
    def escalation_settings(self) -> tuple[EscalationPolicy, list[ChannelConfig]]:
        self._require("handle_alerts")
        with self.db.read() as conn:
            return team_store.escalation_policy(conn), team_store.channels(conn)

    def set_escalation_policy(self, policy: EscalationPolicy) -> None:
        self._require("manage_database")
        if not 1 <= policy.delay_min <= 24 * 60:
            raise InputError("the escalation delay must be 1 to 1440 minutes")
        with self.db.begin() as conn:
            team_store.set_escalation_policy(conn, policy, self.now_ms())
            self._log(conn, "change", None, f"escalation {'on' if policy.enabled else 'off'}, "
                                            f"{policy.delay_min} min")

    def set_escalation_channel(self, channel: ChannelConfig) -> None:
        """Store a channel's settings; its password or token belongs in the keyring, never here."""
        self._require("manage_database")
        if channel.kind not in CHANNEL_KINDS or not channel.name.strip():
            raise InputError(f"a channel needs a name and a kind ({', '.join(CHANNEL_KINDS)})")
        if any(key in channel.config for key in ("password", "token", "secret")):
            raise InputError("secrets go into the keyring, not into the channel settings")
        with self.db.begin() as conn:
            team_store.set_channel(conn, channel)
            self._log(conn, "change", None, f"escalation channel {channel.name} ({channel.kind}) saved")

    def remove_escalation_channel(self, name: str) -> None:
        self._require("manage_database")
        with self.db.begin() as conn:
            team_store.remove_channel(conn, name)
            self._log(conn, "change", None, f"escalation channel {name} removed")

    def escalation_log(self, alert_id: int) -> list[team_store.EscalationRecord]:
        alert = self._alert_for(alert_id)
        with self.db.begin() as conn:
            found = team_store.escalation_log(conn, alert_id)
            self._log(conn, "read", alert.resident_id, f"alert {alert_id} escalations", dedup=True)
        return found
