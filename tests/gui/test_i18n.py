from __future__ import annotations

import re
import string
from datetime import date, timedelta
from pathlib import Path

import pytest

from slimmaatwerk.gui import i18n
from slimmaatwerk.gui.qt import QLocale
from slimmaatwerk.gui.strings import STRINGS
from tests.gui.gui_sampledata import NOW

pytestmark = pytest.mark.gui

GUI_DIR = Path(i18n.__file__).parent
DESIGN_INDICATORS = (
    "wake_time",
    "bed_time",
    "sleep_duration",
    "night_toilet_visits",
    "night_restlessness",
    "kitchen_activity",
    "total_activity",
    "time_out_of_home",
    "housebound",
    "inactivity",
    "night_exit",
    "hygiene",
    "room_transitions",
    "gradual_decline",
    "sensor_offline",
    "indoor_climate",
)


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_every_key_has_both_languages_with_the_same_placeholders(key: str) -> None:
    entry = STRINGS[key]
    assert set(entry) == {"nl", "en"}, f"{key} must have exactly nl and en"
    assert entry["nl"].strip() and entry["en"].strip(), f"{key} has an empty text"
    assert _fields(entry["nl"]) == _fields(entry["en"]), f"{key}: placeholders differ"


def test_every_literal_key_used_in_the_gui_exists() -> None:
    used = set()
    for path in GUI_DIR.glob("*.py"):
        used |= set(re.findall(r"""\btr\(\s*["']([a-z_.]+)["']""", path.read_text(encoding="utf-8")))
    assert used, "the scan found no tr() calls at all"
    assert sorted(used - set(STRINGS)) == []


def test_every_design_indicator_reads_as_plain_words_in_both_languages() -> None:
    for lang in i18n.LANGUAGES:
        i18n.set_language(lang)
        for indicator in DESIGN_INDICATORS:
            assert f"indicator.{indicator}" in STRINGS
            assert "_" not in i18n.indicator_name(indicator)
    i18n.set_language("nl")
    assert i18n.indicator_name("wake_time") == "Opstaan"
    assert i18n.indicator_name("night_toilet_visits") == "Nachtelijk toiletbezoek"
    i18n.set_language("en")
    assert i18n.indicator_name("inactivity") == "Long inactivity"
    assert i18n.indicator_name("sensor_offline") == "Sensor offline"


def test_unknown_names_are_humanised_not_shown_as_snake_case() -> None:
    assert i18n.placement_name("window_sill") == "Window sill"
    assert i18n.tr("no.such.key") == "no.such.key"


def test_set_language_switches_tr_and_refuses_unknown_languages() -> None:
    i18n.set_language("en")
    assert i18n.tr("overview.title") == "Residents"
    i18n.set_language("nl")
    assert i18n.tr("overview.title") == "Bewoners"
    with pytest.raises(ValueError, match="unknown language"):
        i18n.set_language("de")


@pytest.mark.parametrize(
    ("language", "expected"),
    [(QLocale.Language.Dutch, "nl"), (QLocale.Language.English, "en"), (QLocale.Language.German, "nl")],
)
def test_default_language_is_dutch_unless_the_system_is_english(language, expected: str) -> None:
    assert i18n.default_language(QLocale(language)) == expected


def test_relative_times_and_dates() -> None:
    assert i18n.format_relative(None, NOW) == "onbekend"
    assert i18n.format_relative(NOW - timedelta(seconds=20), NOW) == "zojuist"
    assert i18n.format_relative(NOW - timedelta(minutes=12), NOW) == "12 min geleden"
    assert i18n.format_relative(NOW - timedelta(hours=3, minutes=5), NOW) == "3 uur geleden"
    assert i18n.format_relative(NOW - timedelta(days=1, hours=2), NOW) == "1 dag geleden"
    assert i18n.format_day(date(2026, 3, 2)) == "ma 2 mrt"
    i18n.set_language("en")
    assert i18n.format_relative(NOW - timedelta(days=4), NOW) == "4 days ago"
    assert i18n.format_day(date(2026, 3, 2), year=True) == "Mon 2 Mar 2026"


def test_the_coordinator_strings_are_all_merged_and_their_computed_keys_exist() -> None:
    """Keys built at run time (f-strings) escape the literal scan above: check their families here."""
    from slimmaatwerk.gui.overview_groups import GROUP_BY
    from slimmaatwerk.gui.settings_dialog import SAVE_STEPS
    from slimmaatwerk.gui.strings_coordinator import COORDINATOR_STRINGS
    from slimmaatwerk.gui.teams_dialog import SHIFTS

    assert all(STRINGS[key] == text for key, text in COORDINATOR_STRINGS.items())  # none shadowed
    computed = [f"group.by.{by}" for by in GROUP_BY] + [f"role.{role}" for role in SHIFTS]
    computed += [f"rota.field.{k}" for k in ("role", "person", "phone", "days", "hours")]
    computed += [f"rota.name.{k}" for k in ("role", "person", "phone", "start", "end")]
    computed += [f"contacts.col.{k}" for k in ("name", "relation", "phone", "note")]
    computed += [f"contacts.{k}" for k in ("add", "remove", "up", "down")]
    computed += [f"timeline.{k}.name" for k in ("previous", "today", "next")]
    computed += [f"detail.tab.{k}" for k in ("overview", "timeline", "calendar", "trends")]
    computed += [f"settings.step.{step}" for step in SAVE_STEPS]
    assert [key for key in computed if key not in STRINGS] == []
