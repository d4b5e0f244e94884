"""Gathers one resident's week from storage into ``WeekFacts`` (no access checks: the facade does those)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Connection

from ..analytics import daily_features
from ..localtime import day_bounds, day_of, from_ms, ms
from ..resident_data import analysis_context, events_frame
from ..storage import alerts as alert_store
from ..storage import residents
from .weekly import USUAL_DAYS, AlertFact, WeekFacts, compare, week_periods


def collect_week(conn: Connection, resident_id: str, monday: date) -> WeekFacts:
    record = residents.get_resident(conn, resident_id)
    if record is None:
        raise KeyError(resident_id)
    start = day_bounds(monday - timedelta(days=USUAL_DAYS + 1))[0]
    end = day_bounds(monday + timedelta(days=6))[1]
    frame = events_frame(conn, resident_id, ms(start), ms(end))
    features = daily_features(frame, analysis_context(conn, resident_id))
    figures, measured, degraded = compare(features, monday)
    periods = [(type_, day_of(from_ms(first)), day_of(from_ms(last - 1)))
               for type_, first, last, _note in residents.list_context(conn, resident_id)]
    sunday = monday + timedelta(days=6)
    alerts = []
    for alert in alert_store.list_alerts(conn, [resident_id]):
        when = date.fromisoformat(alert["date"])
        if monday <= when <= sunday and alert.get("severity") in ("amber", "red"):
            alerts.append(AlertFact(when, alert["indicator"], alert["severity"], alert["status"]))
    return WeekFacts(resident_id, record.name, monday, measured, degraded, week_periods(periods, monday), figures,
                     tuple(sorted(alerts, key=lambda a: (a.date, a.indicator))))
