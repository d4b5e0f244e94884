"""Sample data for the GUI tests: 30 residents of varied status, a 28-day resident detail, and a real
thread-safe in-memory DataSource (not a mock: it stores rows, moves its watermark, can be slow or fail).
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from slimmaatwerk.views import AlertView, DeviceHealth, ResidentDetail, ResidentRow

NOW = datetime(2026, 3, 2, 8, 30, tzinfo=UTC)
SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"  # named in the README

NAMES = [
    "Annie de Vries",
    "Gerrit Jansen",
    "Wilhelmina Bakker",
    "Johannes Visser",
    "Cornelia Smit",
    "Hendrik Meijer",
    "Maria de Boer",
    "Jan Mulder",
    "Geertruida de Groot",
    "Pieter Bos",
    "Johanna Vos",
    "Cornelis Peters",
    "Hendrika Hendriks",
    "Willem van Leeuwen",
    "Elisabeth Dekker",
    "Jacobus Brouwer",
    "Aaltje de Wit",
    "Klaas Dijkstra",
    "Trijntje Smits",
    "Dirk de Graaf",
    "Anna van der Meer",
    "Teunis van der Linden",
    "Grietje Kok",
    "Gijsbert Jacobs",
    "Neeltje de Haan",
    "Arie Vermeulen",
    "Dina van den Berg",
    "Hermanus van Dijk",
    "Jannetje Koster",
    "Bernardus Prins",
]
# Worst-first expectations rely on this mix: 3 red, 6 amber, 4 grey, 17 green.
STATUSES = ["red"] * 3 + ["amber"] * 6 + ["grey"] * 4 + ["green"] * 17


def make_rows(seed: int = 7) -> list[ResidentRow]:
    rng = random.Random(seed)
    statuses = STATUSES[:]
    rng.shuffle(statuses)
    rows = []
    for i, (name, status) in enumerate(zip(NAMES, statuses, strict=True)):
        total = rng.choice([6, 8, 8, 10])
        alerts = {
            "red": {"red": rng.randint(1, 2), "amber": rng.randint(0, 1)},
            "amber": {"amber": rng.randint(1, 2)},
            "grey": {},
            "green": {"info": 1} if i % 5 == 0 else {},
        }[status]
        rows.append(
            ResidentRow(
                resident_id=f"r{i + 1:03d}",
                name=name,
                status=status,
                last_activity=None
                if status == "grey" and i % 2
                else NOW - timedelta(minutes=rng.randint(2, 600)),
                open_alerts=alerts,
                completeness=rng.uniform(0.1, 0.5) if status == "grey" else rng.uniform(0.9, 1.0),
                sensors_ok=total - (2 if status == "grey" else 0),
                sensors_total=total,
            )
        )
    return rows


def _profile(hour: int, wake: int) -> float:
    if hour < wake or hour >= 23:
        return 0.6
    if hour in (wake, wake + 1):
        return 14.0
    if 12 <= hour <= 13 or 17 <= hour <= 19:
        return 11.0
    return 6.0


def make_detail(row: ResidentRow, days: int = 28, seed: int = 3) -> ResidentDetail:
    rng = random.Random(seed)
    end = date(2026, 3, 1)
    day_list = [end - timedelta(days=days - 1 - i) for i in range(days)]
    hourly = []
    for i in range(days):
        wake = 9 if i >= days - 3 else 7  # the last three mornings start two hours late
        hourly.append([max(0.0, round(rng.gauss(_profile(h, wake), 1.5))) for h in range(24)])
    usual = [sorted(col)[days // 2] for col in zip(*hourly, strict=True)]

    def alert(n: int, indicator: str, severity: str, day: date, nl: str, en: str) -> AlertView:
        return AlertView(
            alert_id=n,
            resident_id=row.resident_id,
            date=day,
            indicator=indicator,
            severity=severity,
            raised_at=NOW - timedelta(hours=n),
            status="new",
            explanation={"nl": nl, "en": en},
            observed=None,
            expected=None,
            expected_low=None,
            expected_high=None,
            unit="",
        )

    alerts = [
        alert(
            1,
            "wake_time",
            "amber",
            end,
            "Opgestaan om 09:12; normaal tussen 06:50 en 07:40 (afgelopen 28 dagen).",
            "Got up at 09:12; usually between 06:50 and 07:40 (last 28 days).",
        ),
        alert(
            2,
            "night_toilet_visits",
            "red",
            end,
            "5 toiletbezoeken vannacht; normaal 0 tot 1 (afgelopen 28 dagen).",
            "5 toilet visits last night; usually 0 to 1 (last 28 days).",
        ),
        alert(
            3,
            "sensor_offline",
            "amber",
            end - timedelta(days=1),
            "De bewegingssensor in de keuken meldt zich sinds 14:05 niet meer.",
            "The kitchen motion sensor has not reported since 14:05.",
        ),
        alert(
            4,
            "kitchen_activity",
            "info",
            end - timedelta(days=4),
            "Iets minder keukenactiviteit dan gewoonlijk.",
            "Slightly less kitchen activity than usual.",
        ),
    ]
    devices = [
        DeviceHealth("0x00158d0001a1", "bedroom", "bed", True, 88, NOW - timedelta(minutes=3)),
        DeviceHealth("0x00158d0001a2", "bedroom", "bedroom_door", True, 74, NOW - timedelta(minutes=40)),
        DeviceHealth("0x00158d0001a3", "toilet", "toilet_door", True, 15, NOW - timedelta(minutes=12)),
        DeviceHealth("0x00158d0001a4", "kitchen", "", False, 61, NOW - timedelta(hours=18)),
        DeviceHealth("0x00158d0001a5", "kitchen", "fridge", True, 92, NOW - timedelta(minutes=25)),
        DeviceHealth("0x00158d0001a6", "living", "chair", True, 80, NOW - timedelta(minutes=5)),
        DeviceHealth("0x00158d0001a7", "entrance", "front_door", True, 67, NOW - timedelta(hours=2)),
        DeviceHealth("shelly-plug-kettle", "kitchen", "kettle", True, None, NOW - timedelta(minutes=1)),
    ]
    return ResidentDetail(row.resident_id, row.name, day_list, hourly, usual, alerts, devices)


class MemorySource:
    """A thread-safe in-memory DataSource: the read side of a small care organisation."""

    def __init__(
        self, rows: list[ResidentRow] | None = None, *, banner: str = "", delay: float = 0.0
    ) -> None:
        self._lock = threading.Lock()
        self._rows = list(rows if rows is not None else make_rows())
        self._banner = banner
        self._watermark = 1
        self.delay = delay
        self.fail_with: Exception | None = None
        self.detail_calls: list[str] = []

    def overview(self) -> list[ResidentRow]:
        self._maybe_slow_or_fail()
        with self._lock:
            return list(self._rows)

    def resident_detail(self, resident_id: str) -> ResidentDetail:
        self._maybe_slow_or_fail()
        with self._lock:
            self.detail_calls.append(resident_id)
            row = next(r for r in self._rows if r.resident_id == resident_id)
        return make_detail(row)

    def banner(self) -> str:
        return self._banner

    def watermark(self) -> int:
        with self._lock:
            return self._watermark

    def update_row(self, resident_id: str, **changes: object) -> None:
        """Store new data for one resident, as the engine would."""
        with self._lock:
            self._rows = [replace(r, **changes) if r.resident_id == resident_id else r for r in self._rows]
            self._watermark += 1

    def _maybe_slow_or_fail(self) -> None:
        if self.delay:
            time.sleep(self.delay)
        if self.fail_with is not None:
            raise self.fail_with
