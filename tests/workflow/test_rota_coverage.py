"""Gaps in a team's rota: the hours of the week nobody owns the team's alerts."""

from __future__ import annotations

from slimmaatwerk.escalation import weekday_mask
from slimmaatwerk.rota_coverage import WEEK_MIN, week_gaps
from slimmaatwerk.storage.teams import RotaEntry

from .conftest import WEEK, standard_rota

DAY = 24 * 60


def test_a_full_rota_has_no_gaps_and_an_empty_one_is_all_gap() -> None:
    assert week_gaps(standard_rota()) == []
    assert week_gaps([]) == [(0, WEEK_MIN)]


def test_weekdays_only_leaves_the_weekend_open_from_friday_night() -> None:
    weekdays = weekday_mask(range(5))
    rota = [RotaEntry("Noord", "office", "Anja", weekdays, 8 * 60, 17 * 60),
            RotaEntry("Noord", "evening", "Bram", weekdays, 17 * 60, 23 * 60),
            RotaEntry("Noord", "night", "Cor", weekdays, 23 * 60, 8 * 60)]
    # Friday's night shift ends Saturday 08:00; nobody until Monday 08:00 (Sunday's night is not staffed).
    assert week_gaps(rota) == [(5 * DAY + 8 * 60, WEEK_MIN + 8 * 60)]
    monday_night_missing = [e for e in standard_rota() if e.role != "night"] + [
        RotaEntry("Noord", "night", "Cor", WEEK & ~1, 23 * 60, 8 * 60)]
    assert week_gaps(monday_night_missing) == [(23 * 60, DAY + 8 * 60)]


def test_a_gap_over_sunday_midnight_is_one_interval() -> None:
    rota = [RotaEntry("Noord", "office", "Anja", WEEK, 8 * 60, 22 * 60)]
    gaps = week_gaps(rota)
    assert gaps[0] == (22 * 60, DAY + 8 * 60)
    assert gaps[-1] == (6 * DAY + 22 * 60, WEEK_MIN + 8 * 60)  # Sunday 22:00 to Monday 08:00
    assert len(gaps) == 7
