"""Roles and what each may do. Checked by the service facade on every call, not just hidden in the UI.

Actions on a resident's data are also scoped per resident (see ``Service._require``): a coordinator or
installer without ``all_residents`` sees only the residents granted to them, and a family account is
tied to exactly one resident and one named relative (``storage.accounts.family_link``); what that
relative sees is decided by the resident's consent per section (``consent.py``).
"""

from __future__ import annotations

ROLES = ("admin", "coordinator", "installer", "family", "system")

PERMISSIONS: dict[str, frozenset[str]] = {
    # The administrator is also the privacy officer: users, consent, retention, access log, AVG rights.
    "admin": frozenset(
        {"manage_users", "manage_database", "read_audit", "add_resident", "read_residents",
         "manage_consent", "read_consent", "manage_retention", "export_resident_data", "erase_resident",
         "read_devices"}
    ),
    "coordinator": frozenset(
        {"add_resident", "read_residents", "read_health", "change_context", "import_events",
         "export_events", "analyse", "handle_alerts", "report", "manage_consent", "read_consent",
         "read_devices"}
    ),
    # Devices and commissioning only: never a health indicator, an alert or a report.
    "installer": frozenset({"read_residents", "add_resident", "manage_devices", "read_devices"}),
    # Only the consented sections of their own resident's weekly summary.
    "family": frozenset({"read_own_report"}),
    # The engine's own account: it ingests, keeps baselines and stores alerts; it never exports. Its daily
    # privacy jobs (retention purges, the signed checkpoint, the encrypted backup) need their own right.
    "system": frozenset(
        {"read_residents", "read_health", "store_alerts", "import_events", "manage_devices", "analyse",
         "read_devices", "run_privacy_jobs"}
    ),
}

ROLE_TEXT: dict[str, dict[str, str]] = {
    "admin": {"nl": "beheerder / privacyfunctionaris", "en": "administrator / privacy officer"},
    "coordinator": {"nl": "zorgcoördinator", "en": "care coordinator"},
    "installer": {"nl": "installateur", "en": "installer"},
    "family": {"nl": "familielid", "en": "family member"},
    "system": {"nl": "systeemaccount (engine)", "en": "system account (engine)"},
}


def parse_roles(text: str) -> frozenset[str]:
    roles = frozenset(part.strip() for part in text.split(",") if part.strip())
    unknown = roles - set(ROLES)
    if unknown:
        raise ValueError(f"unknown role(s): {', '.join(sorted(unknown))}")
    if "family" in roles and len(roles) > 1:
        # A relative's account must never pick up a care role through a combined role string.
        raise ValueError("the family role cannot be combined with another role")
    return roles


def allowed(roles: frozenset[str], permission: str) -> bool:
    return any(permission in PERMISSIONS[role] for role in roles)
