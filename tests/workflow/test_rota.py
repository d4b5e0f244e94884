"""Who owns a team's alerts when: office hours, evening, night on-call past midnight, and DST changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from slimmaatwerk.clock import FixedClock
from slimmaatwerk.errors import InputError
from slimmaatwerk.escalation import check_rota_entry, covers, on_duty, weekday_mask, weekdays_of
from slimmaatwerk.localtime import to_local
from slimmaatwerk.storage.teams import RotaEntry

from .conftest import standard_rota

ROTA = standard_rota("Noord")


def _expected_by_local_hour(hour: int) -> str:
    if 8 <= hour < 17:
        return "Anja (kantoor)"
    if 17 <= hour < 23:
        return "Bram (avond)"
    return "Cor (nacht)"


def test_walking_a_clock_through_a_day_and_a_night_hands_over_at_each_shift_change() -> None:
    clock = FixedClock(datetime(2026, 3, 2, 6, 0, tzinfo=UTC))  # Monday 07:00 local
    seen = []
    for _ in range(2 * 24 * 4):  # two days in 15-minute steps
        owner = on_duty(ROTA, "Noord", clock.now())
        assert owner is not None, f"nobody on duty at {to_local(clock.now())}"
        assert owner.person == _expected_by_local_hour(to_local(clock.now()).hour)
        if not seen or seen[-1] != owner.person:
            seen.append(owner.person)
        clock.advance(timedelta(minutes=15))
    assert seen == ["Cor (nacht)", "Anja (kantoor)", "Bram (avond)", "Cor (nacht)",
                    "Anja (kantoor)", "Bram (avond)", "Cor (nacht)"]


def test_shift_boundaries_are_start_inclusive_and_end_exclusive() -> None:
    at = lambda h, m: datetime(2026, 3, 2, h, m, tzinfo=UTC) - timedelta(hours=1)
    assert on_duty(ROTA, "Noord", at(7, 59)).person == "Cor (nacht)"
    assert on_duty(ROTA, "Noord", at(8, 0)).person == "Anja (kantoor)"
    assert on_duty(ROTA, "Noord", at(22, 59)).person == "Bram (avond)"
    assert on_duty(ROTA, "Noord", at(23, 0)).person == "Cor (nacht)"


def test_a_night_shift_belongs_to_the_weekday_it_starts_on() -> None:
    friday_night = RotaEntry("Noord", "night", "Dien", weekday_mask([4]), 23 * 60, 7 * 60)
    saturday_3am = datetime(2026, 3, 7, 2, 0, tzinfo=UTC)  # 03:00 CET on Saturday
    friday_3am = datetime(2026, 3, 6, 2, 0, tzinfo=UTC)
    friday_2330 = datetime(2026, 3, 6, 22, 30, tzinfo=UTC)
    assert covers(friday_night, saturday_3am)
    assert covers(friday_night, friday_2330)
    assert not covers(friday_night, friday_3am)  # that is Thursday's night


def test_weekend_gaps_leave_alerts_unowned() -> None:
    weekdays_only = [RotaEntry("Noord", "office", "Anja", weekday_mask(range(5)), 8 * 60, 17 * 60)]
    saturday_noon = datetime(2026, 3, 7, 11, 0, tzinfo=UTC)
    monday_noon = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)
    assert on_duty(weekdays_only, "Noord", saturday_noon) is None
    assert on_duty(weekdays_only, "Noord", monday_noon).person == "Anja"
    assert on_duty(weekdays_only, "Zuid", monday_noon) is None  # a team without a rota


def test_spring_forward_uses_local_wall_clock_time() -> None:
    # 29 March 2026: 02:00 CET becomes 03:00 CEST. 06:30 UTC is 07:30 local the day before, 08:30 on the day.
    assert on_duty(ROTA, "Noord", datetime(2026, 3, 28, 6, 30, tzinfo=UTC)).person == "Cor (nacht)"
    assert on_duty(ROTA, "Noord", datetime(2026, 3, 29, 6, 30, tzinfo=UTC)).person == "Anja (kantoor)"
    # the short night is still covered all through, including the hour that does not exist
    clock = FixedClock(datetime(2026, 3, 28, 22, 0, tzinfo=UTC))  # 23:00 CET
    while clock.now() < datetime(2026, 3, 29, 6, 0, tzinfo=UTC):  # until 08:00 CEST
        assert on_duty(ROTA, "Noord", clock.now()).person == "Cor (nacht)", to_local(clock.now())
        clock.advance(timedelta(minutes=10))
    assert on_duty(ROTA, "Noord", clock.now()).person == "Anja (kantoor)"


def test_fall_back_covers_the_repeated_hour_and_hands_over_at_local_eight() -> None:
    # 25 October 2026: 03:00 CEST becomes 02:00 CET, so 02:30 local happens twice
    first, second = datetime(2026, 10, 25, 0, 30, tzinfo=UTC), datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    assert to_local(first).hour == to_local(second).hour == 2
    assert on_duty(ROTA, "Noord", first).person == on_duty(ROTA, "Noord", second).person == "Cor (nacht)"
    assert on_duty(ROTA, "Noord", datetime(2026, 10, 25, 6, 30, tzinfo=UTC)).person == "Cor (nacht)"  # 07:30
    assert on_duty(ROTA, "Noord", datetime(2026, 10, 25, 7, 0, tzinfo=UTC)).person == "Anja (kantoor)"  # 08:00


def test_with_overlapping_shifts_the_one_that_started_last_owns_the_alert() -> None:
    lunch = RotaEntry("Noord", "cover", "Evi (lunch)", weekday_mask(range(7)), 12 * 60, 13 * 60, id=99)
    rota = [*ROTA, lunch]
    assert on_duty(rota, "Noord", datetime(2026, 3, 2, 11, 30, tzinfo=UTC)).person == "Evi (lunch)"  # 12:30
    assert on_duty(rota, "Noord", datetime(2026, 3, 2, 12, 0, tzinfo=UTC)).person == "Anja (kantoor)"  # 13:00


def test_weekday_sets_round_trip_and_bad_entries_are_refused() -> None:
    assert weekdays_of(weekday_mask([0, 2, 6])) == [0, 2, 6]
    with pytest.raises(InputError, match="weekday must be 0"):
        weekday_mask([7])
    with pytest.raises(InputError, match="at least one weekday"):
        check_rota_entry(RotaEntry("Noord", "office", "Anja", 0, 480, 1020))
    with pytest.raises(InputError, match="0-1439"):
        check_rota_entry(RotaEntry("Noord", "office", "Anja", 1, 480, 1440))
    with pytest.raises(InputError, match="needs a team"):
        check_rota_entry(RotaEntry("Noord", "office", " ", 1, 480, 1020))
