"""One day's timeline per room for the resident detail: when each room saw activity, when an exterior
door was used, when the resident was out, and the resident's usual active hours in each room.

Pure: an event frame (the analytics' contract, ``analytics.frame``) in, a :class:`DayTimeline` out. Times
are minutes after local midnight of the day in wall-clock terms (as in alerts), and a day runs
04:00-04:00 (minutes 240 to 1680), like every indicator. "Usual" is learnt from the resident's own
earlier days, so a coordinator reads "kitchen quiet since 09:40, usually active by 08:30".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import pandas as pd

from .analytics.frame import NS_PER_DAY, NS_PER_MIN, day_ordinal, to_arrays, validate_events
from .analytics.presence import away_intervals
from .events import ROOMS
from .localtime import DAY_START_HOUR, day_of, minutes_after_midnight

DAY_START_MIN = DAY_START_HOUR * 60
DAY_END_MIN = DAY_START_MIN + 24 * 60
BIN_MIN = 5  # activity is shown in 5-minute blocks: single events stay visible, the lane stays calm
USUAL_BIN_MIN = 30
USUAL_SHARE = 0.5  # a half hour is "usual" for a room when it saw activity on at least half of the days
HISTORY_DAYS = 28
MIN_HISTORY_DAYS = 7  # fewer comparable days say nothing about "usual"
LATE_GRACE_MIN = 30  # a room counts as late this long after its usual first activity
# The night as the analytics count it (00:00-05:00): a room first used then (the toilet at 02:18) is
# used at night, not "active by 02:18" in the morning.
NIGHT_START_MIN = 24 * 60
NIGHT_END_MIN = 5 * 60


def at_night(minute: int) -> bool:
    """Whether a minute of the 04:00-04:00 day (240-1680) falls in the night, 00:00-05:00."""
    return minute >= NIGHT_START_MIN or minute < NIGHT_END_MIN


@dataclass(frozen=True)
class RoomLane:
    room: str
    active: tuple[tuple[int, int], ...]  # [start, end) minutes with activity, in BIN_MIN blocks
    usual: tuple[tuple[int, int], ...]  # [start, end) minutes the room is usually active
    first_active: int | None  # minute of the day's first activity in the room
    last_active: int | None  # minute of the day's last activity in the room
    usual_first: int | None  # median minute of the first activity on the earlier days
    late: bool  # no activity yet although the room is usually active by now (``usual_first`` + grace)

    @property
    def usually_first_at_night(self) -> bool:
        """The room's usual first activity of the day is in the night (a toilet visit at 02:18)."""
        return self.usual_first is not None and at_night(self.usual_first)


@dataclass(frozen=True)
class DayTimeline:
    day: date
    now_min: int | None  # the moment of "now" while the day is running, else None
    lanes: tuple[RoomLane, ...]  # in the order of ``events.ROOMS``
    doors: tuple[int, ...]  # minutes an exterior door was opened
    away: tuple[tuple[int, int], ...]  # [start, end) minutes the resident was out
    history_days: int  # the earlier days "usual" was learnt from

    def lane(self, room: str) -> RoomLane | None:
        return next((lane for lane in self.lanes if lane.room == room), None)


def _merge(bins: Iterable[int], size: int) -> tuple[tuple[int, int], ...]:
    """Sorted bin numbers as merged [start, end) minute intervals."""
    out: list[list[int]] = []
    for b in sorted(set(bins)):
        start = b * size
        if out and out[-1][1] == start:
            out[-1][1] = start + size
        else:
            out.append([start, start + size])
    return tuple((a, b) for a, b in out)


def day_timeline(events: pd.DataFrame, day: date, now: datetime, *, history_days: int = HISTORY_DAYS,
                 skip_days: Iterable[date] = ()) -> DayTimeline:
    """The timeline of ``day`` up to ``now``, with "usual" from the ``history_days`` days before it.

    ``events`` should hold the day and its history; ``skip_days`` (absence, hospital stay from the
    context calendar) do not count towards "usual", nor do days without any activity (nobody home or
    no working sensor).
    """
    if history_days < 0:
        raise ValueError(f"history_days must not be negative, not {history_days}")
    arr = to_arrays(validate_events(events))
    midnight = day_ordinal(day) * NS_PER_DAY  # local midnight of the day on the wall clock
    minute = (arr.wall - midnight) // NS_PER_MIN if len(arr) else np.array([], dtype=np.int64)
    days = arr.day if len(arr) else np.array([], dtype=np.int64)
    target = day_ordinal(day)
    running = day_of(now) == day
    now_min = int(minutes_after_midnight(now, day)) if running else None
    limit = now_min if now_min is not None else DAY_END_MIN
    today = (days == target) & (minute < limit)

    skipped = {day_ordinal(d) for d in skip_days}
    earlier = [d for d in range(target - history_days, target) if d not in skipped]
    with_activity = set(np.unique(days[arr.active]).tolist()) if len(arr) else set()
    history = [d for d in earlier if d in with_activity]
    enough = len(history) >= MIN_HISTORY_DAYS
    in_history = np.isin(days, history) & arr.active

    lanes = []
    present = set(arr.room[np.isin(arr.kind, ["motion", "contact", "presence", "usage"])].tolist())
    for room in (r for r in ROOMS if r in present):
        in_room = arr.room == room
        now_active = minute[today & arr.active & in_room]
        usual: tuple[tuple[int, int], ...] = ()
        usual_first = None
        if enough:
            h = in_history & in_room
            # Minutes of earlier days, shifted to the same 04:00-04:00 frame as the day shown.
            hist_min = minute[h] - (days[h] - target) * 24 * 60
            pairs = {(int(d), int(m) // USUAL_BIN_MIN) for d, m in zip(days[h], hist_min, strict=True)}
            per_bin: dict[int, int] = {}
            for _d, b in pairs:
                per_bin[b] = per_bin.get(b, 0) + 1
            usual = _merge((b for b, n in per_bin.items() if n >= USUAL_SHARE * len(history)), USUAL_BIN_MIN)
            firsts = [int(hist_min[days[h] == d].min()) for d in history if (days[h] == d).any()]
            if len(firsts) >= USUAL_SHARE * len(history):
                usual_first = int(np.median(firsts))
        first = int(now_active.min()) if len(now_active) else None
        late = (first is None and usual_first is not None and now_min is not None
                and now_min >= usual_first + LATE_GRACE_MIN)
        lanes.append(RoomLane(room, _merge((int(m) // BIN_MIN for m in now_active), BIN_MIN), usual, first,
                              int(now_active.max()) if len(now_active) else None, usual_first, late))

    doors = tuple(sorted(int(m) for m in minute[today & arr.door & (arr.value == 1.0)]))
    starts, ends = away_intervals(arr)
    away = []
    for s, e in zip(starts, ends, strict=True):
        # Both ends are event times (the end may be "never": still out); read their wall-clock minutes.
        a = int(minute[np.searchsorted(arr.t, s)])
        b = int(minute[np.searchsorted(arr.t, e)]) if e <= arr.t[-1] else DAY_END_MIN
        a, b = max(a, DAY_START_MIN), min(b, limit)
        if a < b:
            away.append((a, b))
    return DayTimeline(day, now_min, tuple(lanes), doors, tuple(away), len(history))
