"""Baselines: fitted from history only, plain JSON parameters, versioned."""

from __future__ import annotations

import json
from datetime import date

import pytest

from slimmaatwerk.analytics import Baseline, ResidentContext, daily_features, fit_baseline
from tests.analytics.homes import normal_home

CTX = ResidentContext("r1")


@pytest.fixture(scope="module")
def features():
    return daily_features(normal_home(date(2026, 1, 5), 30, seed=2).frame(), CTX)


def test_round_trip_through_json(features) -> None:
    baseline = fit_baseline(features, CTX, date(2026, 2, 1))
    assert baseline.days >= 14
    again = Baseline.from_dict(json.loads(json.dumps(baseline.to_dict())))
    assert again == baseline
    kitchen = again.params["kitchen_activity"]
    assert 20 < kitchen["mu_weekday"] < 120 and kitchen["alpha"] > 0
    assert 360 < again.params["wake_time"]["loc_weekday"] < 510


def test_unknown_version_is_refused(features) -> None:
    data = fit_baseline(features, CTX, date(2026, 2, 1)).to_dict()
    data["version"] = 99
    with pytest.raises(ValueError, match="version 99"):
        Baseline.from_dict(data)


def test_fits_only_days_before_as_of_and_needs_14(features) -> None:
    early = fit_baseline(features, CTX, date(2026, 1, 15))
    assert early.days == 10
    assert early.params.get("kitchen_activity") is None
    later = fit_baseline(features, CTX, date(2026, 1, 25))
    assert later.fitted_on[1] == date(2026, 1, 24)


def test_excluded_days_and_input_are_left_alone(features) -> None:
    before = features.copy()
    skip = frozenset({date(2026, 1, 20), date(2026, 1, 21)})
    baseline = fit_baseline(features, CTX, date(2026, 1, 25), exclude=skip)
    assert baseline.days == fit_baseline(features, CTX, date(2026, 1, 25)).days - 2
    assert features.equals(before)
