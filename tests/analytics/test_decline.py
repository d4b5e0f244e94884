"""The gradual-decline CUSUM: a slow decline adds up to an alarm, one very quiet day does not."""

from __future__ import annotations

import math
from datetime import date, timedelta

from slimmaatwerk.analytics.trends import CUSUM_H, Cusum

# Usually about 300 events a day, with a robust spread of 0.3 on the log scale, learnt from 40 days.
LEVEL = {"family": "level", "measure": "total_activity", "log_mean": math.log1p(300.0), "log_sd": 0.3, "n": 40}
# The same resident's pace: about 3 events per active quarter-hour, a spread of 0.15.
PACE = {"family": "level", "measure": "activity_pace", "log_mean": math.log(3.0), "log_sd": 0.15, "n": 40}
START = date(2026, 3, 2)


def _feed(totals: list[float], level: dict = LEVEL) -> list[int]:  # type: ignore[type-arg]
    """Indices of the days on which the CUSUM alarms (the pace is a hundredth of the total)."""
    cusum = Cusum()
    return [i for i, total in enumerate(totals)
            if cusum.update(START + timedelta(days=i), {"total_activity": total, "activity_pace": total / 100},
                            level, CUSUM_H)]


def test_a_single_almost_silent_day_does_not_raise_a_decline() -> None:
    # 5 events instead of 300 is a z-score of about -13: uncapped it would cross the line on its own.
    assert _feed([300.0] * 5 + [5.0] + [300.0] * 10) == []


def test_two_percent_less_each_day_is_raised_within_four_weeks() -> None:
    alarms = _feed([300.0 * 0.98 ** (i + 1) for i in range(28)])
    assert len(alarms) == 1 and 10 <= alarms[0] < 28


def test_usual_days_never_alarm() -> None:
    wobble = [300.0 * math.exp(0.3 * ((-1) ** i) * 0.8) for i in range(60)]
    assert _feed(wobble) == []


def test_the_measure_of_the_baseline_is_followed() -> None:
    # A fifth less every day from day 5 on: on the tighter pace scale it adds up about twice as fast.
    totals = [300.0] * 5 + [240.0] * 40
    pace_alarm = _feed(totals, PACE)
    total_alarm = _feed(totals)
    assert len(pace_alarm) == 1 and len(total_alarm) == 1 and pace_alarm[0] < total_alarm[0]


def test_a_home_without_a_pace_that_day_skips_the_day() -> None:
    cusum = Cusum()
    day = START
    for _ in range(30):
        assert not cusum.update(day, {"total_activity": 10.0, "activity_pace": math.nan}, PACE, CUSUM_H)
        day += timedelta(days=1)
    assert cusum.s == 0.0 and cusum.values == []
