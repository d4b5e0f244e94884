"""Data folders with simulated residents up to a given moment, as the command line finds them.

For the tests of the scoring job run from the command line (``slimmaatwerk score``, also from the frozen
bundle): the folder is initialised the way the first command initialises it (the operating-system user
linked as administrator), and every home's history is stored as its paired devices up to ``now``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text

from slimmaatwerk.clock import FixedClock
from slimmaatwerk.datadir import DataDirConfig
from slimmaatwerk.engine_jobs import engine_service
from slimmaatwerk.events import Event
from slimmaatwerk.identity import database_url, open_session
from slimmaatwerk.localtime import TZ
from slimmaatwerk.simulate import Injection, simulate_home

SEED = 7


def _injections(index: int, now: datetime) -> list[Injection]:
    """Deviations in the last days of some homes, so the job has alerts to store."""
    today = now.astimezone(TZ).date()
    plan = {0: [Injection("A1", today - timedelta(days=1))], 1: [Injection("C", today - timedelta(days=3))],
            2: [Injection("S", today - timedelta(days=2))], 3: [Injection("B", today - timedelta(days=2))]}
    return plan.get(index % 6, [])


def seed_data_folder(data_dir: Path, homes: int, days: int, now: datetime, database: str = "") -> None:
    """``homes`` residents with ``days`` days of simulated history up to ``now`` in ``data_dir``.

    ``database``: a database URL for the folder's config.json (PostgreSQL); default its own SQLite file.
    """
    if database:
        DataDirConfig(database_url=database).save(data_dir)  # the first command below links this user
    session = open_session(data_dir, FixedClock(now), warn=lambda _text: None)
    system = engine_service(session.db, session.service.clock)
    start = now.astimezone(TZ).date() - timedelta(days=days)
    try:
        for index in range(homes):
            home = simulate_home(index, days + 1, SEED, start, _injections(index, now))
            rid = f"r{index:02d}"
            session.service.add_resident(rid, f"Resident {index}", home.household, home.pet, "test")
            by_device: dict[str, list[Event]] = defaultdict(list)
            for event in home.events:
                if event.timestamp <= now:
                    by_device[event.device].append(event)
            for device in home.devices:
                name = f"{rid}/{device.device}"
                events = [Event(e.timestamp, name, e.kind, e.value, e.room, e.placement)
                          for e in by_device.get(device.device, [])]
                system.store_device_events(rid, f"zigbee:{rid}:{device.ieee}", name, device.room, device.placement,
                                           events, model=device.model, vendor=device.vendor,
                                           report_interval_s=device.report_interval_s)
    finally:
        session.db.dispose()


def stored_alerts(data_dir: Path) -> list[tuple]:
    """Every stored alert of the folder's database, in a stable order, with its full ALERT record."""
    engine = create_engine(database_url(data_dir))
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(
                "SELECT resident_id, date, indicator, severity, raised_ms, payload FROM alerts "
                "ORDER BY resident_id, date, indicator"))]
    finally:
        engine.dispose()
