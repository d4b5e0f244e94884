"""Roles and what each may do. Checked by the service facade on every call, not just hidden in the UI."""

from __future__ import annotations

ROLES = ("admin", "coordinator", "installer", "family", "system")

# Actions on a resident's data are also scoped per resident (see Service._require).
PERMISSIONS: dict[str, frozenset[str]] = {
    "admin": frozenset({"manage_users", "manage_database", "read_audit", "add_resident", "read_residents"}),
    "coordinator": frozenset(
        {"add_resident", "read_residents", "read_health", "change_context", "import_events",
         "export_events", "analyse", "handle_alerts", "report"}
    ),
    "installer": frozenset({"read_residents", "add_resident", "manage_devices"}),
    "family": frozenset({"read_own_report"}),
    # The engine's own account: it ingests, keeps baselines and stores alerts; it never exports.
    "system": frozenset(
        {"read_residents", "read_health", "store_alerts", "import_events", "manage_devices", "analyse"}
    ),
}


def parse_roles(text: str) -> frozenset[str]:
    roles = frozenset(part.strip() for part in text.split(",") if part.strip())
    unknown = roles - set(ROLES)
    if unknown:
        raise ValueError(f"unknown role(s): {', '.join(sorted(unknown))}")
    return roles


def allowed(roles: frozenset[str], permission: str) -> bool:
    return any(permission in PERMISSIONS[role] for role in roles)
