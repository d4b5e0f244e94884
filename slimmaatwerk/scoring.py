"""The engine's analysis job: score each resident's recent days and store the alerts raised by now.

Run every few minutes, it also acts as the real-time rules (long lie, night exit, silent sensor): the
replay only raises an alert at the moment its own data allows (strict online), and alerts whose
``raised_at`` is still in the future are left for a later run. A stored alert is never replaced, so
re-running is idempotent.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from .localtime import day_of, parse_timestamp
from .service import Service


def score_residents(system: Service, now: datetime, days_back: int = 1,
                    progress: Callable[[int, int], None] | None = None) -> int:
    """Score yesterday and today (by default) for every resident; returns the number of alerts stored."""
    today = day_of(now)
    residents = [r for r in system.list_residents() if r.active]
    stored = 0
    for index, resident in enumerate(residents):
        result = system.analyse(resident.id, today - timedelta(days=days_back), today)
        due = [a for a in result["alerts"] if parse_timestamp(a["raised_at"]) <= now]
        stored += system.store_alerts(resident.id, due)
        if progress:
            progress(index + 1, len(residents))
    return stored
