"""The demo's world: simulated residents with weeks of history, some with deviations, stored through
the service facade as if their Zigbee2MQTT kits had reported all along.

Qt-free, so the same seeding is tested without a GUI. Events after "now" are kept back for the live
publisher, which sends them through the broker so the engine ingests them like a real home's messages.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .events import Event
from .localtime import TZ
from .scoring import score_residents
from .service import Service
from .simulate import Injection, SimHome, simulate_home

DEMO_SEED = 20261128
TEAMS = ("Team Noord", "Team Zuid")
# Days scored when the demo starts (the nightly job of the last week), so the overview shows alerts.
SCORED_DAYS = 3


@dataclass
class DemoWorld:
    homes: list[SimHome]
    future: list[tuple[SimHome, list[Event]]]  # events after "now", for the live publisher


def _injections(index: int, today: date) -> list[Injection]:
    """A few residents with something to see; the rest live their usual lives."""
    plan = {
        0: [Injection("A1", today - timedelta(days=1))],
        1: [Injection("C", today - timedelta(days=3))],
        2: [Injection("S", today - timedelta(days=2))],
        4: [Injection("B", today - timedelta(days=2))],
    }
    return plan.get(index, [])


def device_identity(ieee: str) -> str:
    return f"zigbee:{ieee}"


def seed(system: Service, homes: int, days: int, now: datetime,
         progress: Callable[[str, int, int], None] | None = None) -> DemoWorld:
    """Create ``homes`` residents with ``days`` of history up to ``now`` and their recent alerts."""
    today = now.astimezone(TZ).date()
    start = today - timedelta(days=days)
    world = DemoWorld([], [])
    for index in range(homes):
        home = simulate_home(index, days + 2, DEMO_SEED, start, _injections(index, today), pet=index == 5)
        _store_home(system, world, home, index, now)
        if progress:
            progress("history", index + 1, homes)
    score_residents(system, now, SCORED_DAYS,
                    progress=(lambda done, total: progress("analysis", done, total)) if progress else None)
    return world


def _store_home(system: Service, world: DemoWorld, home: SimHome, index: int, now: datetime) -> None:
    """Store a home's history up to now as its paired Zigbee devices; keep the rest for the live part."""
    world.homes.append(home)
    system.add_resident(home.resident_id, home.name, home.household, home.pet, TEAMS[index % len(TEAMS)])
    by_device: dict[str, list[Event]] = defaultdict(list)
    future: list[Event] = []
    for event in home.events:
        (by_device[event.device] if event.timestamp <= now else future).append(event)
    for device in home.devices:
        system.store_device_events(
            home.resident_id, device_identity(device.ieee), f"{home.resident_id}/{device.device}",
            device.room, device.placement,
            [_renamed(e, f"{home.resident_id}/{device.device}") for e in by_device.get(device.device, [])],
            profile="", model=device.model, vendor=device.vendor,
            report_interval_s=device.report_interval_s,
        )
    world.future.append((home, future))


def _renamed(event: Event, name: str) -> Event:
    return Event(event.timestamp, name, event.kind, event.value, event.room, event.placement)
