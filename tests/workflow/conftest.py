"""Fixtures for the alert workflow: a real database (SQLite file and PostgreSQL), users, alerts, a rota.

``Service`` gets the alert methods from ``AlertWorkflowMixin``; until the lead mixes it into the class
itself, the tests compose it here (this keeps working once it is mixed in).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from slimmaatwerk.alert_service import AlertWorkflowMixin
from slimmaatwerk.clock import FixedClock
from slimmaatwerk.localtime import format_timestamp, ms
from slimmaatwerk.service import Service
from slimmaatwerk.storage import (
    accounts,
    migrate,
    schema_workflow,  # noqa: F401 - the tables, until schema.py imports them
)
from slimmaatwerk.storage.database import Database
from slimmaatwerk.storage.teams import RotaEntry

# Monday 2 March 2026, 10:00 in Amsterdam (CET, UTC+1)
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
WEEK = 0b1111111


class WorkflowService(Service, AlertWorkflowMixin):
    pass


def workflow_database(url: str) -> Database:
    """A database with the workflow tables, also while SCHEMA_REVISION still names 0001_initial."""
    from alembic import command
    from sqlalchemy import inspect

    db = Database(url)
    if "alert_events" not in inspect(db.engine).get_table_names():
        command.upgrade(migrate.alembic_config(db.engine), "0002_alert_workflow")
    return db


def alert_record(day: date, indicator: str, severity: str, raised: datetime,
                 explanation: dict[str, str] | None = None) -> dict:
    return {
        "date": day.isoformat(), "indicator": indicator, "severity": severity,
        "raised_at": format_timestamp(raised), "start": format_timestamp(raised - timedelta(hours=1)),
        "end": format_timestamp(raised), "score": 4.2, "observed": 0, "expected": 3, "unit": "count",
        "explanation": explanation or {"nl": "Vandaag geen keukenactiviteit.", "en": "No kitchen activity today."},
    }


def standard_rota(team: str = "Noord", people: tuple[str, str, str] = ("Anja (kantoor)", "Bram (avond)",
                                                                         "Cor (nacht)")) -> list[RotaEntry]:
    """Office hours 08-17, evening 17-23 and night on-call 23-08, every day."""
    office, evening, night = people
    return [
        RotaEntry(team, "office", office, WEEK, 8 * 60, 17 * 60, "010-1111111"),
        RotaEntry(team, "evening", evening, WEEK, 17 * 60, 23 * 60, "010-2222222"),
        RotaEntry(team, "night", night, WEEK, 23 * 60, 8 * 60, "06-33333333"),
    ]


@dataclass
class World:
    db: Database
    clock: FixedClock
    coord: WorkflowService  # admin + coordinator for everyone
    nurse: WorkflowService  # coordinator for r1 only
    engine: WorkflowService  # the system account
    fitter: WorkflowService  # installer
    alerts: dict[str, int]  # name -> alert id

    def alert_ids(self) -> list[int]:
        return list(self.alerts.values())


@pytest.fixture
def world(db_url: str) -> Iterator[World]:
    db = workflow_database(db_url)
    clock = FixedClock(NOW)
    now = ms(NOW)
    with db.begin() as conn:
        users = [
            accounts.create_user(conn, "coord", "Coördinator", "admin,coordinator", now, all_residents=True),
            accounts.create_user(conn, "nurse", "Wijkverpleegkundige", "coordinator", now),
            accounts.create_user(conn, "engine", "Engine", "system", now, all_residents=True),
            accounts.create_user(conn, "fitter", "Installateur", "installer", now, all_residents=True),
        ]
    coord, nurse, engine, fitter = (WorkflowService(db, u, clock) for u in users)
    coord.add_resident("r1", "Mevr. Jansen", team="Noord")
    coord.add_resident("r2", "Dhr. Bakker", team="Zuid")
    with db.begin() as conn:
        accounts.grant(conn, users[1].id, "r1")
    day = date(2026, 3, 2)
    engine.store_alerts("r1", [alert_record(day, "kitchen_activity", "red", NOW - timedelta(minutes=20)),
                               alert_record(day, "wake_time", "amber", NOW - timedelta(minutes=40))])
    engine.store_alerts("r2", [alert_record(day, "night_exit", "red", NOW - timedelta(minutes=5))])
    with db.read() as conn:
        from slimmaatwerk.storage import alerts as alert_store

        found = alert_store.list_alerts(conn)
    ids = {f"{a['resident_id']}:{a['indicator']}": int(a["id"]) for a in found}
    yield World(db, clock, coord, nurse, engine, fitter, ids)
    db.dispose()
