"""Three fixed weeks of one resident for the weekly-summary golden tests, built from hand-made events.

Four ordinary weeks (2 February - 1 March 2026) are the usual; ISO week 2026-W10 (2 - 8 March) is the
week reported: calm, with a hospital stay (Tuesday 10:00 to Friday 14:00, no one home), or with a day
without any kitchen activity that raised an alert the care team assigned.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from slimmaatwerk.events import Event
from slimmaatwerk.service import Service
from tests.analytics.homes import DEVICES, at, normal_home

START = date(2026, 2, 2)
MONDAY = date(2026, 3, 2)
DAYS = 36  # through Sunday 8 March and the night after
HOSPITAL = (at(date(2026, 3, 3), 10 * 60), at(date(2026, 3, 6), 14 * 60))
NO_KITCHEN = date(2026, 3, 4)


def store_home(engine: Service, resident_id: str, kind: str) -> None:
    per_day: dict = {}
    if kind == "alert":
        per_day["kitchen"] = {NO_KITCHEN: False}
    home = normal_home(START, DAYS, seed=7, **per_day)
    quiet = [HOSPITAL] if kind == "hospital" else None
    frame = home.frame(quiet=quiet)
    for device, rows in frame.groupby("device"):
        room, placement = DEVICES[str(device)]
        events = [Event(ts.to_pydatetime(), str(device), k, float(v), room, placement)
                  for ts, k, v in zip(rows["timestamp"], rows["kind"], rows["value"], strict=True)]
        engine.store_device_events(resident_id, f"zigbee:{resident_id}:{device}", f"{resident_id}/{device}", room,
                                   placement, events)


def add_context_and_alerts(admin: Service, engine: Service, resident_id: str, kind: str) -> None:
    if kind == "hospital":
        admin.add_context(resident_id, "hospital", HOSPITAL[0].isoformat(), HOSPITAL[1].isoformat())
    if kind == "alert":
        alert = {"date": NO_KITCHEN.isoformat(), "indicator": "kitchen_activity", "severity": "amber",
                 "raised_at": (at(NO_KITCHEN, 24 * 60 + 4 * 60)).isoformat(),
                 "explanation": {"nl": "Geen keukenactiviteit", "en": "No kitchen activity"},
                 "observed": 0, "expected": 50, "expected_low": 35, "expected_high": 65, "unit": "events"}
        engine.store_alerts(resident_id, [alert])
        from sqlalchemy import text

        with admin.db.begin() as conn:
            conn.execute(text("UPDATE alerts SET status = 'assigned' WHERE resident_id = :r"), {"r": resident_id})


def made_at() -> datetime:
    return datetime.combine(MONDAY + timedelta(days=7), datetime.min.time())
