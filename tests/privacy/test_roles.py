"""Role and per-resident scope, enforced in the service facade for every call and every account."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from slimmaatwerk.errors import AccessDenied, InputError
from slimmaatwerk.privacy_service import login
from slimmaatwerk.service import Service

DAY = date(2026, 3, 9)

CALLS: dict[str, Callable[[Service], object]] = {
    "list_residents": lambda s: s.list_residents(),
    "overview": lambda s: s.overview(),
    "detail_r1": lambda s: s.resident_detail("r1"),
    "detail_r2": lambda s: s.resident_detail("r2"),
    "export_r1": lambda s: s.export_events("r1", None, None),
    "analyse_r1": lambda s: s.analyse("r1", DAY, DAY),
    "context_r1": lambda s: s.add_context("r1", "visit", "2026-03-01T10:00:00+01:00", "2026-03-01T12:00:00+01:00"),
    "import_r1": lambda s: s.import_events("r1", []),
    "alerts_r1": lambda s: s.open_alerts("r1"),
    "store_alerts_r1": lambda s: s.store_alerts("r1", []),
    "audit": lambda s: s.audit_entries(),
    "verify_audit": lambda s: s.privacy.verify_audit(),
    "devices_r1": lambda s: s.privacy.devices("r1"),
    "devices_r2": lambda s: s.privacy.devices("r2"),
    "users": lambda s: s.privacy.list_users(),
    "consent_r1": lambda s: s.privacy.record_consent("r1", "Bram", ["week"], True, "resident"),
    "transparency_r1": lambda s: s.privacy.transparency("r1"),
    "family_scope": lambda s: s.privacy.family_scope(),
}

# What each account may do; everything else must be refused.
ALLOWED: dict[str, set[str]] = {
    "admin": set(CALLS) - {"store_alerts_r1", "family_scope"},
    "nurse": {"list_residents", "overview", "detail_r1", "export_r1", "analyse_r1", "context_r1", "import_r1",
              "alerts_r1", "devices_r1", "consent_r1", "transparency_r1"},
    "fitter": {"list_residents", "devices_r1"},
    "officer": {"list_residents", "audit", "verify_audit", "users", "consent_r1", "transparency_r1",
                "devices_r1", "devices_r2"},
    "engine": {"list_residents", "overview", "detail_r1", "detail_r2", "analyse_r1", "import_r1", "alerts_r1",
               "store_alerts_r1", "devices_r1", "devices_r2"},
    "anna": {"family_scope"},
    "bram": {"family_scope"},
}


@pytest.mark.parametrize("account", sorted(ALLOWED))
def test_every_call_is_checked_for_every_account(world, account: str) -> None:  # type: ignore[no-untyped-def]
    service = world[account]
    refused = set()
    for name, call in CALLS.items():
        try:
            call(service)
        except AccessDenied:
            refused.add(name)
    assert set(CALLS) - refused == ALLOWED[account]


def test_scoped_accounts_see_only_their_residents(world) -> None:  # type: ignore[no-untyped-def]
    assert [r.id for r in world["nurse"].list_residents()] == ["r1"]
    assert [r.id for r in world["fitter"].list_residents()] == ["r1"]
    assert [r.id for r in world["officer"].list_residents()] == ["r1", "r2"]


def test_installer_sees_devices_but_no_health_indicator(world) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from slimmaatwerk.events import Event
    from tests.privacy.conftest import NOW

    events = [Event(NOW - timedelta(minutes=30 - i), "r1/kitchen", "motion", float(i % 2), "kitchen")
              for i in range(6)]
    world["engine"].store_device_events("r1", "zigbee:0xab", "r1/kitchen", "kitchen", "", events)
    found = world["fitter"].privacy.devices("r1")
    assert [(d["device"], d["room"], d["online"]) for d in found] == [("r1/kitchen", "kitchen", True)]
    assert not {"activity", "alerts", "hourly", "status"} & set(found[0])
    with pytest.raises(AccessDenied, match="may not read health"):
        world["fitter"].resident_detail("r1")


def test_family_accounts_are_tied_to_one_resident_and_relative(world) -> None:  # type: ignore[no-untyped-def]
    resident, relative = world["anna"].privacy.family_scope()
    assert (resident, relative.name) == ("r1", "Anna")
    resident, relative = world["bram"].privacy.family_scope()
    assert (resident, relative.name) == ("r1", "Bram")


def test_family_account_needs_one_resident_and_a_known_relative(world) -> None:  # type: ignore[no-untyped-def]
    privacy = world["admin"].privacy
    with pytest.raises(InputError, match="exactly one --resident"):
        privacy.add_user("x", "X", "family", residents=("r1", "r2"), relative="Anna")
    with pytest.raises(InputError, match="unknown relative 'Carla'.*known: Anna, Bram"):
        privacy.add_user("x", "X", "family", residents=("r1",), relative="Carla")
    with pytest.raises(InputError, match="cannot be combined"):
        privacy.add_user("x", "X", "family,coordinator", residents=("r1",), relative="Anna")


def test_login_checks_argon2_hash_and_logs_failures(world) -> None:  # type: ignore[no-untyped-def]
    db, clock = world["admin"].db, world["admin"].clock
    service = login(db, "anna", "dochter-wachtwoord", clock)
    assert service.actor.username == "anna" and service.roles == frozenset({"family"})
    with pytest.raises(AccessDenied, match="unknown user name or wrong password") as wrong:
        login(db, "anna", "verkeerd-wachtwoord", clock)
    with pytest.raises(AccessDenied) as unknown:
        login(db, "nobody", "dochter-wachtwoord", clock)
    assert str(wrong.value) == str(unknown.value)  # no hint which user names exist
    with pytest.raises(AccessDenied):
        login(db, "bram", "", clock)  # an account without a password cannot log in
    failures = [e for e in world["admin"].audit_entries() if e["action"] == "login"]
    assert len(failures) == 3 and "dochter-wachtwoord" not in str(failures)
    with db.read() as conn:
        stored = conn.exec_driver_sql("SELECT password_hash FROM users WHERE username='anna'").scalar()
    assert stored.startswith("$argon2id$") and "dochter" not in stored


def test_passwords_change_with_the_old_one_or_by_an_admin(world) -> None:  # type: ignore[no-untyped-def]
    db, clock = world["admin"].db, world["admin"].clock
    with pytest.raises(AccessDenied, match="current password is wrong"):
        world["anna"].privacy.set_password("anna", "nieuw-wachtwoord-1", "fout")
    world["anna"].privacy.set_password("anna", "nieuw-wachtwoord-1", "dochter-wachtwoord")
    assert login(db, "anna", "nieuw-wachtwoord-1", clock).actor.username == "anna"
    with pytest.raises(AccessDenied):
        world["anna"].privacy.set_password("bram", "nieuw-wachtwoord-2")
    with pytest.raises(InputError, match="at least 10 characters"):
        world["admin"].privacy.set_password("bram", "kort")
    world["admin"].privacy.set_password("bram", "zoon-wachtwoord")
    assert login(db, "bram", "zoon-wachtwoord", clock).actor.username == "bram"


def test_consent_is_per_relative_per_section_and_revocable(world) -> None:  # type: ignore[no-untyped-def]
    privacy = world["nurse"].privacy
    state = privacy.consent_state("r1")
    assert state["Bram"] == set() and "hygiene" not in state["Anna"] and "sleep" in state["Anna"]
    assert privacy.record_consent("r1", "Anna", ["hygiene"], True, "representative:Mr. de Vries") >= {"hygiene"}
    assert "sleep" not in privacy.record_consent("r1", "Anna", ["sleep"], False, "resident")
    history = privacy.consent_history("r1")
    assert [(h["relative"], h["section"], h["granted"]) for h in history[-2:]] == [
        ("Anna", "hygiene", True), ("Anna", "sleep", False)]
    assert history[-2]["given_by"] == "representative: Mr. de Vries"
    with pytest.raises(InputError, match="unknown relative 'Carla'"):
        privacy.record_consent("r1", "Carla", ["week"], True, "resident")
    with pytest.raises(InputError, match="unknown section"):
        privacy.record_consent("r1", "Anna", ["diary"], True, "resident")
    with pytest.raises(InputError, match="representative"):
        privacy.record_consent("r1", "Anna", ["week"], True, "the neighbour")


def test_transparency_shows_every_role_and_relative(world) -> None:  # type: ignore[no-untyped-def]
    lines = world["nurse"].privacy.transparency("r1")
    by_who = {line.who["en"]: line for line in lines}
    assert "read_health" not in by_who["installer"].sees and "read_devices" in by_who["installer"].sees
    assert by_who["Anna (dochter)"].sees[:2] == ("week", "sleep")
    assert by_who["Bram (zoon)"].sees == ("limits",)
