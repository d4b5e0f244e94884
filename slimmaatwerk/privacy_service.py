"""The facade's privacy part: accounts and login, relatives and consent, transparency, devices, the audit chain.

Reached as ``Service.privacy``; every method checks role and per-resident scope through the service's
``_require`` and logs through its ``_log``, exactly like the rest of the facade.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from . import audit_chain, consent, passwords
from .audit_keys import chain_key
from .clock import Clock
from .errors import AccessDenied, InputError
from .permissions import PERMISSIONS, ROLES, parse_roles
from .reports.collect import collect_week
from .reports.summary import WeeklySummary, build_summary
from .resident_data import device_health
from .storage import access_log, accounts, consent_store
from .storage import devices as device_store
from .storage.accounts import User
from .storage.database import Database

CARE_TEAM_AUDIENCE = {"nl": "Voor het zorgteam: alle onderdelen.", "en": "For the care team: every section."}


def _family_audience(relative: consent_store.Relative, name: str) -> dict[str, str]:
    who = f"{relative.name} ({relative.relation})" if relative.relation else relative.name
    return {"nl": f"Voor {who}. Alleen de onderdelen die {name} met u wil delen.",
            "en": f"For {who}. Only the parts {name} has agreed to share with you."}


if TYPE_CHECKING:
    from .service import Service

LOGIN_FAILED = {"nl": "onbekende gebruikersnaam of verkeerd wachtwoord", "en": "unknown user name or wrong password"}


@dataclass(frozen=True)
class Visibility:
    """One line of the transparency view: who, and which parts of a resident's data they can see."""

    who: dict[str, str]  # {"nl", "en"}
    kind: str  # "role" or "relative"
    sees: tuple[str, ...]  # permission names or summary sections


def login(db: Database, username: str, password: str, clock: Clock) -> Service:
    """Check a user name and password; a service acting as that account, or AccessDenied.

    Failed attempts are access-logged (action "login") so the privacy officer sees guessing.
    """
    from .localtime import ms
    from .service import Service

    with db.begin() as conn:
        found = accounts.password_hash(conn, username)
        stored = found[1] if found else None
        if found is None or not passwords.verify_password(stored, password):
            access_log.append(conn, ms(clock.now()), found[0].id if found else 0, "login", None,
                              f"failed login as {username[:100]!r}")
            ok = False
        else:
            ok = True
            if stored and passwords.needs_rehash(stored):
                accounts.set_password_hash(conn, found[0].id, passwords.hash_password(password))
    if not ok or found is None:
        raise AccessDenied(f"{LOGIN_FAILED['en']} / {LOGIN_FAILED['nl']}")
    return Service(db, found[0], clock)


class PrivacyService:
    def __init__(self, service: Service) -> None:
        self.s = service

    # --- accounts ---------------------------------------------------------------------------------
    def add_user(self, username: str, display_name: str, role: str, *, residents: tuple[str, ...] = (),
                 all_residents: bool = False, os_user: str | None = None, password: str | None = None,
                 relative: str | None = None) -> User:
        self.s._require("manage_users")
        try:
            roles = parse_roles(role)
        except ValueError as exc:
            raise InputError(f"{exc} (known: {', '.join(ROLES)})") from None
        if not username.strip() or not display_name.strip():
            raise InputError("a user needs a non-empty user name and display name")
        if "family" in roles and (all_residents or len(residents) != 1 or not relative):
            raise InputError("a family account needs exactly one --resident and a --relative, never all residents")
        if relative and "family" not in roles:
            raise InputError("--relative is only for family accounts")
        hashed = passwords.hash_password(password) if password is not None else None
        with self.s.db.begin() as conn:
            if accounts.user_by_name(conn, username) is not None:
                raise InputError(f"user {username!r} already exists")
            for rid in residents:
                self.s._known_resident(conn, rid)
            user = accounts.create_user(conn, username, display_name, ",".join(sorted(roles)), self.s.now_ms(),
                                        all_residents=all_residents, os_user=os_user, password_hash=hashed)
            if "family" in roles:
                found = self._relative(conn, residents[0], relative or "")
                accounts.link_family(conn, user.id, residents[0], found.id)
                self.s._log(conn, "change", residents[0], f"family account {username} for {found.name}")
            else:
                for rid in residents:
                    accounts.grant(conn, user.id, rid)
                    self.s._log(conn, "change", rid, f"access granted to {username} ({role})")
        return user

    def list_users(self) -> list[dict]:
        self.s._require("manage_users")
        with self.s.db.read() as conn:
            return accounts.list_users(conn)

    def set_password(self, username: str, new_password: str, old_password: str | None = None) -> None:
        """Users change their own password (old one needed); an administrator may set anyone's."""
        own = username == self.s.actor.username
        if not own:
            self.s._require("manage_users")
        hashed = passwords.hash_password(new_password)
        with self.s.db.begin() as conn:
            found = accounts.password_hash(conn, username)
            if found is None:
                raise InputError(f"unknown user {username!r}")
            if own and found[1] is not None and not passwords.verify_password(found[1], old_password or ""):
                raise AccessDenied("the current password is wrong / het huidige wachtwoord klopt niet")
            accounts.set_password_hash(conn, found[0].id, hashed)

    def has_password(self) -> bool:
        """Whether the acting account has a password (then changing it needs the current one)."""
        with self.s.db.read() as conn:
            found = accounts.password_hash(conn, self.s.actor.username)
        return bool(found and found[1])

    # --- relatives and consent -------------------------------------------------------------------
    def _relative(self, conn, resident_id: str, name: str) -> consent_store.Relative:  # type: ignore[no-untyped-def]
        found = consent_store.relative_by_name(conn, resident_id, name)
        if found is None:
            known = ", ".join(r.name for r in consent_store.relatives(conn, resident_id)) or "none yet"
            raise InputError(f"unknown relative {name!r} of resident {resident_id} (known: {known})")
        return found

    def add_relative(self, resident_id: str, name: str, relation: str = "") -> consent_store.Relative:
        self.s._require("manage_consent", resident_id)
        if not name.strip():
            raise InputError("a relative needs a name")
        with self.s.db.begin() as conn:
            self.s._known_resident(conn, resident_id)
            if consent_store.relative_by_name(conn, resident_id, name.strip()) is not None:
                raise InputError(f"relative {name!r} is already recorded for {resident_id}")
            found = consent_store.add_relative(conn, resident_id, name.strip(), relation, self.s.now_ms())
            self.s._log(conn, "change", resident_id, f"relative {found.name} added")
        return found

    def relatives(self, resident_id: str) -> list[consent_store.Relative]:
        self.s._require("read_consent", resident_id)
        with self.s.db.read() as conn:
            return consent_store.relatives(conn, resident_id)

    def record_consent(self, resident_id: str, relative: str, sections: list[str], granted: bool,
                       given_by: str) -> set[str]:
        """Grant or withdraw sections for one relative; returns the sections now in force."""
        self.s._require("manage_consent", resident_id)
        unknown = [x for x in sections if x not in consent.SECTIONS]
        if unknown:
            raise InputError(f"unknown section(s): {', '.join(unknown)}")
        who = consent.parse_given_by(given_by)
        with self.s.db.begin() as conn:
            self.s._known_resident(conn, resident_id)
            found = self._relative(conn, resident_id, relative)
            consent_store.record(conn, resident_id, found.id, sections, granted, who, self.s.now_ms(),
                                 self.s.actor.id)
            verb = "granted" if granted else "withdrawn"
            self.s._log(conn, "change", resident_id,
                        f"consent {verb} for {found.name}: {', '.join(sections)} (by {who})")
            return consent_store.granted_sections(conn, found.id)

    def consent_state(self, resident_id: str) -> dict[str, set[str]]:
        self.s._require("read_consent", resident_id)
        with self.s.db.read() as conn:
            return {r.name: consent_store.granted_sections(conn, r.id)
                    for r in consent_store.relatives(conn, resident_id)}

    def consent_history(self, resident_id: str) -> list[dict]:
        self.s._require("read_consent", resident_id)
        with self.s.db.begin() as conn:
            self.s._log(conn, "read", resident_id, "consent history", dedup=True)
            return consent_store.history(conn, resident_id)

    def transparency(self, resident_id: str) -> list[Visibility]:
        """What each role and each named relative can see of this resident (for the resident, too)."""
        self.s._require("read_consent", resident_id)
        from .permissions import ROLE_TEXT

        lines = [Visibility(ROLE_TEXT[role], "role", tuple(sorted(PERMISSIONS[role])))
                 for role in ("coordinator", "installer", "admin")]
        with self.s.db.begin() as conn:
            self.s._known_resident(conn, resident_id)
            for rel in consent_store.relatives(conn, resident_id):
                sees = consent_store.granted_sections(conn, rel.id)
                label = f"{rel.name} ({rel.relation})" if rel.relation else rel.name
                lines.append(Visibility({"nl": label, "en": label}, "relative",
                                        tuple(s for s in consent.SECTIONS if s in sees) + (consent.ALWAYS,)))
            self.s._log(conn, "read", resident_id, "transparency view", dedup=True)
        return lines

    def family_scope(self) -> tuple[str, consent_store.Relative]:
        """For a family account: its one resident and the relative it acts as."""
        self.s._require("read_own_report")
        with self.s.db.read() as conn:
            link = accounts.family_link(conn, self.s.actor.id)
            relative = consent_store.relative_by_id(conn, link[1]) if link else None
        if link is None or relative is None or relative.resident_id != link[0]:
            raise AccessDenied(f"{self.s.actor.username} is not linked to a resident")
        return link[0], relative

    # --- weekly summary -------------------------------------------------------------------------------
    def weekly_summary(self, resident_id: str, monday: date, relative: str | None = None) -> WeeklySummary:
        """The care team's version, or only what ``relative`` may see; the disclosure is access-logged.

        A family account gets its own resident's summary as its own relative, and nothing else.
        """
        if "family" in self.s.roles:
            own_resident, own = self.family_scope()
            if resident_id != own_resident or relative not in (None, own.name):
                raise AccessDenied(f"{self.s.actor.username} may only read their own weekly summary")
            relative = own.name
        else:
            self.s._require("report", resident_id)
        with self.s.db.begin() as conn:
            record = self.s._known_resident(conn, resident_id)
            if relative is None:
                allowed, audience = set(consent.SECTIONS), dict(CARE_TEAM_AUDIENCE)
                who = "the care team"
            else:
                found = self._relative(conn, resident_id, relative)
                allowed = consent_store.granted_sections(conn, found.id)
                audience = _family_audience(found, record.name)
                who = found.name
            facts = collect_week(conn, resident_id, monday)
            summary = build_summary(facts, allowed, audience, self.s.clock.now())
            action = "read" if "family" in self.s.roles else ("disclosure" if relative else "export")
            self.s._log(conn, action, resident_id,
                        f"weekly summary {summary.week} for {who}: {', '.join(summary.keys)}")
        return summary

    # --- devices (installers) -------------------------------------------------------------------
    def devices(self, resident_id: str) -> list[dict]:
        """Paired devices and their health: what an installer needs, and no health indicator."""
        self.s._require("read_devices", resident_id)
        now = self.s.now_ms()
        with self.s.db.begin() as conn:
            self.s._known_resident(conn, resident_id)
            found = device_store.resident_devices(conn, resident_id)
            health = device_health(conn, [d[0] for d in found])
            self.s._log(conn, "read", resident_id, "devices", dedup=True)
        out = []
        for device_id, name, identity, profile, interval, assignment in found:
            h = health[device_id]
            seen = h["last_seen_ms"]
            out.append({"device": name, "identity": identity, "profile": profile, "room": assignment.room,
                        "placement": assignment.placement, "battery": h["battery"],
                        "online": bool(h["available"]) and seen is not None
                        and now - seen <= (interval + 3600) * 1000})
        return out

    # --- access-log chain ----------------------------------------------------------------------------
    def verify_audit(self, extra_checkpoints: list[dict] | None = None,
                     archive_folder: Path | None = None) -> audit_chain.Verdict:
        """Check the live log, its signed anchor, the checkpoints and the archives in ``archive_folder``
        (default: the data folder's ``audit-archives``, so a restore gap is explained on every screen too)."""
        self.s._require("read_audit")
        from .audit_files import archive_folder_of, read_archives
        from .audit_keys import data_dir_of

        if archive_folder is None and (folder := data_dir_of(self.s.db.engine)) is not None:
            archive_folder = archive_folder_of(folder)
        archives = read_archives(archive_folder) if archive_folder is not None else []
        with self.s.db.read() as conn:
            secret = chain_key(conn)
            verdict = audit_chain.verify(
                secret.value, access_log.database_id(conn), access_log.chained_rows(conn),
                access_log.head(conn), access_log.checkpoints(conn) + list(extra_checkpoints or []),
                access_log.orphan_macs(conn), access_log.anchor(conn), archives)
        if not secret.protected:
            from .keystore import STORE_TEXT

            verdict.notes.append({lang: f"{'sleutel' if lang == 'nl' else 'key'}: {STORE_TEXT[secret.store][lang]}"
                                  for lang in ("nl", "en")})
        return verdict

    def export_audit(self, resident_id: str | None = None) -> list[dict]:
        """Access-log entries with user names and local times; the export itself is logged."""
        self.s._require("read_audit")
        from .localtime import format_timestamp, from_ms

        with self.s.db.begin() as conn:
            names = accounts.usernames(conn)
            found = access_log.entries(conn, resident_id)
            self.s._log(conn, "export", resident_id, "access log exported")
        return [{**e, "time": format_timestamp(from_ms(e["ts_ms"])), "user": names.get(e["user_id"], "?")}
                for e in found]

    def checkpoint(self, folder: Path | None = None) -> list[Path]:
        """Take a signed checkpoint now and write every checkpoint not yet exported to ``folder``."""
        self.s._require("read_audit")
        from .audit_files import export_checkpoints

        with self.s.db.begin() as conn:
            access_log.checkpoint_now(conn, self.s.now_ms())
        return export_checkpoints(self.s.db, folder) if folder is not None else []
