"""Indicator trends: daily values with a usual band learnt from earlier days only."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest

from slimmaatwerk.clock import FixedClock
from slimmaatwerk.errors import AccessDenied
from slimmaatwerk.events import Event
from slimmaatwerk.localtime import ms
from slimmaatwerk.service import Service
from slimmaatwerk.storage import accounts
from slimmaatwerk.storage.database import Database
from slimmaatwerk.trends import TREND_INDICATORS, indicator_trends


def _frame(values: list[float], excluded: list[bool] | None = None) -> pd.DataFrame:
    index = pd.DatetimeIndex(pd.date_range("2026-01-01", periods=len(values)), name="date")
    return pd.DataFrame({"wake_time": values, "total_activity": values,
                         "excluded": excluded or [False] * len(values)}, index=index)


def test_band_comes_from_earlier_days_only() -> None:
    values = [float(400 + i % 5) for i in range(40)] + [600.0]
    trend = {t.indicator: t for t in indicator_trends(_frame(values), 10)}["wake_time"]
    assert len(trend.days) == len(trend.values) == len(trend.low) == len(trend.high) == 10
    assert trend.days[-1] == date(2026, 2, 10)
    assert trend.values[-1] == 600.0
    assert trend.low[-1] is not None and trend.high[-1] is not None
    assert 400 <= trend.low[-1] <= trend.high[-1] <= 404  # the outlier is not part of its own band


def test_too_little_history_leaves_the_band_unknown_and_missing_columns_are_none() -> None:
    trends = {t.indicator: t for t in indicator_trends(_frame([1.0, 2.0, 3.0]), 56)}
    assert set(trends) == set(TREND_INDICATORS)
    assert trends["wake_time"].low == [None, None, None]
    assert trends["kitchen_activity"].values == [None, None, None]


def test_excluded_days_are_not_learnt_from() -> None:
    values = [10.0] * 20 + [1000.0] * 5 + [10.0]
    excluded = [False] * 20 + [True] * 5 + [False]
    trend = indicator_trends(_frame(values, excluded), 1)[0]
    assert trend.high == [10.0]


def test_empty_features_give_empty_trends() -> None:
    assert all(t.days == [] for t in indicator_trends(pd.DataFrame(), 56))


NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
def world(db_url: str):  # type: ignore[no-untyped-def]
    db = Database(db_url)
    with db.begin() as conn:
        admin = accounts.create_user(conn, "admin", "Admin", "admin,coordinator", ms(NOW), all_residents=True)
        nurse = accounts.create_user(conn, "nurse", "Nurse", "coordinator", ms(NOW))
        engine = accounts.create_user(conn, "engine", "Engine", "system", ms(NOW), all_residents=True)
    services = {u.username: Service(db, u, FixedClock(NOW)) for u in (admin, nurse, engine)}
    services["admin"].add_resident("r1", "Mevr. Jansen")
    yield services
    db.dispose()


def test_service_trends_and_context_check_scope_and_log(world) -> None:  # type: ignore[no-untyped-def]
    start = NOW - timedelta(days=40)
    events = [Event(start + timedelta(days=d, hours=h), "r1/kitchen", "motion", 1.0, "kitchen")
              for d in range(40) for h in (7, 12, 18)]
    world["engine"].store_device_events("r1", "zigbee:0x1", "r1/kitchen", "kitchen", "", events)
    trends = world["admin"].resident_trends("r1", days=28)
    assert [t.indicator for t in trends] == list(TREND_INDICATORS)
    assert 0 < len(trends[0].days) <= 28
    world["admin"].add_context("r1", "visit", "2026-03-01T10:00:00+01:00", "2026-03-01T12:00:00+01:00", "dochter")
    periods = world["admin"].list_context("r1")
    assert [(p.type, p.note) for p in periods] == [("visit", "dochter")]
    with pytest.raises(AccessDenied):
        world["nurse"].resident_trends("r1")
    with pytest.raises(AccessDenied):
        world["nurse"].list_context("r1")
    details = [e["detail"] for e in world["admin"].audit_entries("r1")]
    assert "indicator trends" in details and "context calendar" in details
