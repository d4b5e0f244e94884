"""protocol: which streams are simulated, and where anomalies are injected."""

from __future__ import annotations

from collections import Counter

import pytest

from slimmaatwerk.evaluation.protocol import CONDITIONS, LEARN_DAYS, TYPES, Config, build_cases, latest_start
from slimmaatwerk.simulate.household import build_kit


def test_every_type_is_injected_repeats_times_per_seed_from_day_15_on() -> None:
    config = Config(seeds=(1, 2), homes=6, days=90, repeats=3)
    cases = build_cases(config)
    injected = [c for c in cases if c.condition == "injected"]
    assert Counter(c.type for c in injected) == {t: 6 for t in TYPES}
    for c in injected:
        assert LEARN_DAYS <= c.inject_day <= latest_start(c.type, config.days)
        assert (c.first_day - config.start).days == LEARN_DAYS
        assert c.last_day >= c.first_day
    # The start days are spread, not fixed.
    assert len({c.inject_day for c in injected}) > 20


def test_false_alarm_streams_are_separate_and_cover_every_condition() -> None:
    cases = build_cases(Config(seeds=(1, 2, 3), homes=4, days=60, repeats=1))
    fa = [c for c in cases if c.condition != "injected"]
    assert len(fa) == 12 and {c.condition for c in fa} == set(CONDITIONS)
    assert all(c.type is None and (c.last_day - c.start).days == 59 for c in fa)


def test_door_anomalies_only_go_to_homes_with_a_front_door() -> None:
    config = Config(seeds=(1,), homes=6, days=60, repeats=6)
    cases = build_cases(config)
    assert "front_door" not in {d.device for d in build_kit(5, 1)}
    door = [c for c in cases if c.type in ("F", "H")]
    assert door and all(c.home != 5 for c in door)
    assert any(c.home == 5 for c in cases if c.condition == "injected")


def test_cases_are_deterministic_and_validated() -> None:
    config = Config(seeds=(3,), homes=5, days=70, repeats=2)
    assert build_cases(config) == build_cases(config)
    assert build_cases(config) != build_cases(Config(seeds=(4,), homes=5, days=70, repeats=2))
    with pytest.raises(ValueError):
        Config(days=20)
    with pytest.raises(ValueError):
        Config(seeds=())


def test_injected_replays_reach_past_the_detection_deadline() -> None:
    from datetime import timedelta

    from slimmaatwerk.simulate import ANOMALIES

    for c in build_cases(Config(seeds=(1,), homes=4, days=60, repeats=2)):
        if c.type is None:
            continue
        spec = ANOMALIES[c.type]
        last_alert_date = c.start + timedelta(days=c.inject_day + max(spec.days, 1) - 1 + (1 if spec.night else 0))
        # The deadline is the end of the day after the last alert date: that day must be replayed.
        assert c.last_day >= last_alert_date + timedelta(days=1), c
        assert c.last_day <= c.start + timedelta(days=c.days - 1)
