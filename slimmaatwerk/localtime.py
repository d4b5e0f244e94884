"""Local time for analytics: Europe/Amsterdam, and the 04:00-04:00 day every indicator belongs to.

Binning is done in local wall-clock time so a resident who wakes at 07:30 wakes at 07:30 on both sides
of a DST change; a day is 23 or 25 hours long on those dates, which the helpers here take care of.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Europe/Amsterdam")
DAY_START_HOUR = 4


def to_local(ts: datetime) -> datetime:
    return ts.astimezone(TZ)


def day_of(ts: datetime) -> date:
    """The 04:00-04:00 local day a moment belongs to (01:30 on 3 March belongs to 2 March)."""
    local = to_local(ts)
    return (local - timedelta(hours=DAY_START_HOUR)).date()


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """UTC start and end of a 04:00-04:00 local day."""
    start = datetime.combine(day, time(DAY_START_HOUR), tzinfo=TZ)
    end = datetime.combine(day + timedelta(days=1), time(DAY_START_HOUR), tzinfo=TZ)
    return start.astimezone(UTC), end.astimezone(UTC)


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=TZ)


def minutes_after_midnight(ts: datetime, day: date) -> float:
    """Minutes from local midnight of ``day`` to ``ts`` in wall-clock terms (negative before it).

    Wall-clock, so 07:00 is 420 on every date, DST change or not.
    """
    local = to_local(ts)
    naive_delta = local.replace(tzinfo=None) - datetime.combine(day, time(0))
    return naive_delta.total_seconds() / 60.0


def parse_timestamp(text: str) -> datetime:
    """ISO 8601 with an offset or Z; a naive timestamp is refused (it is ambiguous around DST)."""
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError(f"timestamp {text!r} has no UTC offset")
    return parsed


def format_timestamp(ts: datetime) -> str:
    """ISO 8601 in Amsterdam local time with its offset, to the second (or millisecond if needed)."""
    local = to_local(ts)
    spec = "milliseconds" if local.microsecond else "seconds"
    return local.isoformat(timespec=spec)


def ms(ts: datetime) -> int:
    """Milliseconds since the epoch, as stored."""
    return round(ts.timestamp() * 1000)


def from_ms(value: int) -> datetime:
    return datetime.fromtimestamp(value / 1000, tz=UTC)
