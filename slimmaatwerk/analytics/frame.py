"""The event DataFrame the analytics accept, and the sorted numpy view every feature is computed from.

``validate_events`` checks the contract (columns, kinds, rooms, timezone-aware timestamps) and returns a
new, time-sorted frame; ``EventArrays`` is built once per analysis so that features, health and
real-time rules all work on the same arrays with ``searchsorted`` instead of rescanning frames per day.
Times are kept as int64 nanoseconds: ``t`` in UTC (for durations and ordering) and ``wall`` in
Europe/Amsterdam wall-clock (for times of day, so 07:00 is 07:00 on DST change days too).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import numpy as np
import pandas as pd

from ..events import ACTIVITY_KINDS, EXTERIOR_DOORS, KIND_CODES, ROOMS
from ..localtime import DAY_START_HOUR, TZ

COLUMNS: tuple[str, ...] = ("timestamp", "device", "kind", "room", "placement", "value")
NS_PER_MIN = 60_000_000_000
NS_PER_HOUR = 60 * NS_PER_MIN
NS_PER_DAY = 24 * NS_PER_HOUR
EPOCH = date(1970, 1, 1)

# Rooms where being active means the resident is up and about (not a night-time toilet trip).
DAY_ROOMS: frozenset[str] = frozenset({"kitchen", "living", "entrance", "other"})
TOILET_ROOMS: frozenset[str] = frozenset({"toilet", "bathroom"})
TOILET_PLACEMENTS: frozenset[str] = frozenset({"toilet", "toilet_door", "bathroom_door"})


def isin(values: np.ndarray, options: Iterable[str]) -> np.ndarray:
    """``np.isin(values, list(options))`` for the string columns: hash-based, where numpy sorts objects."""
    if values.dtype != object:
        return np.isin(values, list(options))
    return pd.Series(values, dtype=object, copy=False).isin(list(options)).to_numpy(dtype=bool)


def validate_events(events: pd.DataFrame) -> pd.DataFrame:
    """Return a new frame sorted by time, with UTC nanosecond timestamps; ValueError on contract breaches."""
    if not isinstance(events, pd.DataFrame):
        raise TypeError(f"events must be a pandas DataFrame, not {type(events).__name__}")
    missing = [c for c in COLUMNS if c not in events.columns]
    if missing:
        raise ValueError(f"events lack column(s) {', '.join(missing)}; expected {', '.join(COLUMNS)}")
    frame = events.loc[:, list(COLUMNS)].copy()
    ts = frame["timestamp"]
    if getattr(ts.dtype, "tz", None) is None:
        raise ValueError(f"events.timestamp must be timezone-aware datetime64, not {ts.dtype}")
    frame["timestamp"] = ts.dt.tz_convert("UTC").dt.as_unit("ns")
    for column in ("device", "kind", "room", "placement"):
        frame[column] = frame[column].fillna("").astype(str)
    unknown_kinds = sorted(set(frame["kind"].unique()) - set(KIND_CODES))
    if unknown_kinds:
        raise ValueError(f"events have unknown kind(s) {unknown_kinds}")
    unknown_rooms = sorted(set(frame["room"].unique()) - set(ROOMS))
    if unknown_rooms:
        raise ValueError(f"events have unknown room(s) {unknown_rooms}")
    try:
        frame["value"] = pd.to_numeric(frame["value"]).astype(float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"events.value must be numeric: {exc}") from None
    if frame["value"].isna().any():
        raise ValueError("events.value has missing values")
    if (frame["device"] == "").any():
        raise ValueError("events.device has empty device names")
    return frame.sort_values("timestamp", kind="stable").reset_index(drop=True)


def empty_events() -> pd.DataFrame:
    """A valid frame with no rows (handy for callers and tests)."""
    return pd.DataFrame(
        {
            "timestamp": pd.Series([], dtype="datetime64[ns, UTC]"),
            "device": pd.Series([], dtype=object),
            "kind": pd.Series([], dtype=object),
            "room": pd.Series([], dtype=object),
            "placement": pd.Series([], dtype=object),
            "value": pd.Series([], dtype=float),
        }
    )


def day_ordinal(d: date) -> int:
    return (d - EPOCH).days


def ordinal_date(n: int) -> date:
    return EPOCH + timedelta(days=int(n))


def local_ns(d: date, minutes: float) -> int:
    """UTC nanoseconds of the wall-clock moment ``minutes`` after local midnight of ``d``."""
    wall = datetime.combine(d, time(0)) + timedelta(minutes=minutes)
    aware = wall.replace(tzinfo=TZ).astimezone(UTC)
    return int(aware.timestamp()) * 1_000_000_000 + aware.microsecond * 1000


def ns_to_datetime(ns: int) -> datetime:
    return datetime.fromtimestamp(ns / 1e9, tz=UTC)


@dataclass(frozen=True)
class EventArrays:
    """Column arrays of a validated, time-sorted event frame, plus the masks the analytics use."""

    t: np.ndarray  # int64 ns UTC, sorted
    wall: np.ndarray  # int64 ns, Amsterdam wall clock
    device: np.ndarray
    kind: np.ndarray
    room: np.ndarray
    placement: np.ndarray
    value: np.ndarray
    active: np.ndarray  # activity kind with value 1 (motion seen, door opened, bed occupied, used)
    human: np.ndarray  # something a person did: active, or a door closed / a bed left
    door: np.ndarray  # an exterior door opened or closed

    @property
    def day(self) -> np.ndarray:
        """The 04:00-04:00 day ordinal of every event."""
        return (self.wall - DAY_START_HOUR * NS_PER_HOUR) // NS_PER_DAY

    def __len__(self) -> int:
        return len(self.t)


def to_arrays(frame: pd.DataFrame) -> EventArrays:
    """Build the numpy view of an already validated frame (see ``validate_events``)."""
    ts = frame["timestamp"]
    t = ts.to_numpy(dtype="datetime64[ns]").astype(np.int64)
    wall = ts.dt.tz_convert(TZ).dt.tz_localize(None).dt.as_unit("ns").to_numpy().astype(np.int64)
    kind = frame["kind"].to_numpy(dtype=object)
    value = frame["value"].to_numpy(dtype=float)
    placement = frame["placement"].to_numpy(dtype=object)
    is_activity = isin(kind, list(ACTIVITY_KINDS))
    active = is_activity & (value == 1.0)
    # A closed door or an emptied bed is also a person's doing; a motion "clear" is only a sensor timer.
    human = active | (isin(kind, ["contact", "presence"]) & (value == 0.0))
    door = (kind == "contact") & isin(placement, list(EXTERIOR_DOORS))
    return EventArrays(
        t=t,
        wall=wall,
        device=frame["device"].to_numpy(dtype=object),
        kind=kind,
        room=frame["room"].to_numpy(dtype=object),
        placement=placement,
        value=value,
        active=active,
        human=human,
        door=door,
    )
