"""GUI language: the current language, ``tr(key, **kw)``, and the few formatters that depend on it.

The string table itself is :mod:`slimmaatwerk.gui.strings`. Widgets never hold translated text they
cannot rebuild: on a language switch each one re-renders from its data via ``retranslate()``.
"""

from __future__ import annotations

import logging
from datetime import date, datetime

from slimmaatwerk.gui.qt import QLocale
from slimmaatwerk.gui.strings import STRINGS
from slimmaatwerk.localtime import to_local

LANGUAGES: tuple[str, ...] = ("nl", "en")

_log = logging.getLogger(__name__)
_current = "nl"


def set_language(language: str) -> None:
    global _current
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; expected one of {', '.join(LANGUAGES)}")
    _current = language


def current_language() -> str:
    return _current


def default_language(locale: QLocale | None = None) -> str:
    """The system locale's language when it is Dutch or English, otherwise Dutch."""
    language = (locale or QLocale.system()).language()
    if language == QLocale.Language.English:
        return "en"
    return "nl"


def tr(key: str, **kw: object) -> str:
    """The text for ``key`` in the current language; an unknown key shows itself rather than crash."""
    entry = STRINGS.get(key)
    if entry is None:
        _log.warning("missing GUI string %r", key)
        return key
    template = entry.get(_current) or entry["nl"]
    return template.format(**kw) if kw else template


def has_text(key: str) -> bool:
    return key in STRINGS


def _lookup(prefix: str, name: str) -> str:
    key = f"{prefix}.{name}"
    if key in STRINGS:
        return tr(key)
    # Open vocabularies (placements, future indicators) still read as words, not snake_case.
    return name.replace("_", " ").capitalize() if name else ""


def indicator_name(indicator: str) -> str:
    return _lookup("indicator", indicator)


def room_name(room: str) -> str:
    return _lookup("room", room)


def placement_name(placement: str) -> str:
    return _lookup("placement", placement)


def format_day(day: date, *, weekday: bool = True, year: bool = False) -> str:
    """``ma 2 mrt`` / ``Mon 2 Mar`` without relying on the machine's locale data."""
    month = tr("date.months").split()[day.month - 1]
    text = f"{day.day} {month}"
    if year:
        text += f" {day.year}"
    if weekday:
        text = f"{tr('date.weekdays').split()[day.weekday()]} {text}"
    return text


def format_clock(moment: datetime) -> str:
    return to_local(moment).strftime("%H:%M")


def format_relative(moment: datetime | None, now: datetime) -> str:
    """``12 min geleden`` / ``12 min ago``; a moment in the future counts as just now."""
    if moment is None:
        return tr("time.unknown")
    minutes = int((now - moment).total_seconds() // 60)
    if minutes < 1:
        return tr("time.just_now")
    if minutes < 60:
        return tr("time.minutes", n=minutes)
    hours = minutes // 60
    if hours < 24:
        return tr("time.hours", n=hours)
    days = hours // 24
    return tr("time.day") if days == 1 else tr("time.days", n=days)
