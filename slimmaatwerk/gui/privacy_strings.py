"""Texts of the privacy screens (login, access-log viewer, transparency view), Dutch and English.

Kept beside ``strings.py`` (same shape) so the privacy work could land without editing the shared table;
``text(key)`` follows the GUI's current language.
"""

from __future__ import annotations

from slimmaatwerk.gui.i18n import current_language

STRINGS: dict[str, dict[str, str]] = {
    "login.title": {"nl": "Inloggen — Slim Maatwerk", "en": "Sign in — Slim Maatwerk"},
    "login.user": {"nl": "Gebruikersnaam", "en": "User name"},
    "login.password": {"nl": "Wachtwoord", "en": "Password"},
    "login.ok": {"nl": "Inloggen", "en": "Sign in"},
    "login.cancel": {"nl": "Annuleren", "en": "Cancel"},
    "login.failed": {"nl": "Onbekende gebruikersnaam of verkeerd wachtwoord.",
                     "en": "Unknown user name or wrong password."},
    "login.empty": {"nl": "Vul uw gebruikersnaam en wachtwoord in.", "en": "Enter your user name and password."},
    "menu.privacy": {"nl": "&Privacy", "en": "&Privacy"},
    "action.access_log": {"nl": "&Toegangslog…", "en": "&Access log…"},
    "action.who_sees": {"nl": "&Wie ziet wat (geselecteerde bewoner)…", "en": "&Who sees what (selected resident)…"},
    "audit.title": {"nl": "Toegangslog", "en": "Access log"},
    "audit.verify": {"nl": "Controleer de keten", "en": "Verify the chain"},
    "audit.export": {"nl": "Exporteren (JSON)…", "en": "Export (JSON)…"},
    "audit.intact": {"nl": "Intact: {entries} regels, {checkpoints} controlepunten kloppen.",
                     "en": "Intact: {entries} entries and {checkpoints} checkpoints check out."},
    "audit.broken": {"nl": "Niet intact: {text}", "en": "Broken: {text}"},
    "audit.col.time": {"nl": "Tijd", "en": "Time"},
    "audit.col.user": {"nl": "Gebruiker", "en": "User"},
    "audit.col.action": {"nl": "Handeling", "en": "Action"},
    "audit.col.resident": {"nl": "Bewoner", "en": "Resident"},
    "audit.col.detail": {"nl": "Omschrijving", "en": "Detail"},
    "action.read": {"nl": "ingezien", "en": "read"},
    "action.search": {"nl": "gezocht", "en": "searched"},
    "action.export": {"nl": "geëxporteerd", "en": "exported"},
    "action.change": {"nl": "gewijzigd", "en": "changed"},
    "action.disclosure": {"nl": "verstrekt", "en": "disclosed"},
    "action.login": {"nl": "inlogpoging", "en": "login attempt"},
    "action.restore": {"nl": "hersteld uit back-up", "en": "restored from backup"},
    "transparency.title": {"nl": "Wie ziet wat van {name}", "en": "Who sees what of {name}"},
    "transparency.who": {"nl": "Wie", "en": "Who"},
    "transparency.sees": {"nl": "Wat zij kunnen zien", "en": "What they can see"},
    "transparency.nothing": {"nl": "niets, tot er toestemming is", "en": "nothing until consent is given"},
    "perm.read_health": {"nl": "gezondheidssignalen en meldingen", "en": "health signals and alerts"},
    "perm.read_devices": {"nl": "sensoren en hun werking", "en": "sensors and whether they work"},
    "perm.export_events": {"nl": "ruwe sensorgegevens", "en": "raw sensor data"},
    "perm.report": {"nl": "het weekoverzicht", "en": "the weekly summary"},
    "perm.read_audit": {"nl": "het toegangslog", "en": "the access log"},
    "perm.manage_consent": {"nl": "toestemmingen", "en": "consent"},
    "perm.erase_resident": {"nl": "gegevens wissen (AVG)", "en": "erasing data (GDPR)"},
}


def text(key: str, **kw: object) -> str:
    entry = STRINGS.get(key, {"nl": key})
    template = entry.get(current_language()) or entry["nl"]
    return template.format(**kw) if kw else template
