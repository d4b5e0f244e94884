"""Sections of the weekly summary and what consent each needs (pure; storage is ``storage/consent_store``).

A named relative sees nothing until consent is recorded for them, section by section. The hygiene and
night-toilet sections are sensitive: they are never part of a "standard" grant and must be named one by
one, by the resident or their representative. "What the sensors cannot see" is general information
about the system, not about the resident, so it is always included.
"""

from __future__ import annotations

from .errors import InputError

SECTIONS: tuple[str, ...] = (
    "week", "sleep", "night_toilet", "meals", "going_out", "activity", "hygiene", "care_team",
)
SENSITIVE: frozenset[str] = frozenset({"hygiene", "night_toilet"})
STANDARD: tuple[str, ...] = tuple(s for s in SECTIONS if s not in SENSITIVE)
ALWAYS = "limits"

SECTION_TEXT: dict[str, dict[str, str]] = {
    "week": {"nl": "Hoe de week ging", "en": "How the week went"},
    "sleep": {"nl": "Slapen en nachten", "en": "Sleep and nights"},
    "night_toilet": {"nl": "Toiletbezoek 's nachts", "en": "Night-time toilet visits"},
    "meals": {"nl": "Maaltijden en keuken", "en": "Meals and kitchen"},
    "going_out": {"nl": "Naar buiten gaan", "en": "Going out"},
    "activity": {"nl": "Bezigheid in huis", "en": "Activity at home"},
    "hygiene": {"nl": "Douchen en wassen", "en": "Showering and washing"},
    "care_team": {"nl": "Wat het zorgteam deed", "en": "What the care team did"},
    "limits": {"nl": "Wat de sensoren niet zien", "en": "What the sensors cannot see"},
}


def parse_sections(text: str) -> list[str]:
    """``standard``, ``all`` or a comma-separated list of section names."""
    names: list[str] = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        if part == "standard":
            names.extend(STANDARD)
        elif part == "all":
            names.extend(SECTIONS)
        elif part in SECTIONS:
            names.append(part)
        else:
            raise InputError(f"unknown section {part!r}; known: standard, all, {', '.join(SECTIONS)}")
    if not names:
        raise InputError("name at least one section")
    return list(dict.fromkeys(names))


def parse_given_by(text: str) -> str:
    """``resident`` or ``representative:<name>``: who gave (or withdrew) the consent."""
    value = text.strip()
    if value == "resident":
        return value
    if value.startswith("representative:") and value.split(":", 1)[1].strip():
        return "representative: " + value.split(":", 1)[1].strip()
    raise InputError("consent is given by 'resident' or 'representative:<name>'")
