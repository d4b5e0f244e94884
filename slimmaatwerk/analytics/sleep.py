"""Wake time and bed time of one 04:00-04:00 day, robust to night-time toilet trips.

Wake time: with a bed sensor, the first time after 04:00 the bed is left for more than 45 minutes;
otherwise the start of the burst of activity that leads into the first activity in a day room (kitchen,
living room, entrance): a toilet trip at 05:00 followed by more sleep is a separate burst and is skipped.
Bed time: the last day-room activity before a day-room silence of two hours or more after 19:00,
followed to the bed (bed sensor) or to the end of that burst of activity. Both are wall-clock minutes
after local midnight of the day (bed time can exceed 1440: 01:30 is 1530).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .frame import NS_PER_MIN

BED_LEFT_FOR = 45 * NS_PER_MIN
CHAIN_GAP = 15 * NS_PER_MIN
DAYROOM_SILENCE = 120 * NS_PER_MIN
BED_REACHED_WITHIN = 240 * NS_PER_MIN


@dataclass(frozen=True)
class SleepInputs:
    """Sorted UTC ns times of the event streams the rules look at."""

    human: np.ndarray  # every human event
    dayroom: np.ndarray  # human events in day rooms (non-motion only in pet homes that have them)
    bed_enter: np.ndarray  # bed presence 1
    bed_leave: np.ndarray  # bed presence 0

    @property
    def has_bed(self) -> bool:
        return len(self.bed_enter) + len(self.bed_leave) > 0


def _window(times: np.ndarray, a: int, b: int) -> np.ndarray:
    return times[np.searchsorted(times, a, "left"):np.searchsorted(times, b, "left")]


def wake_time(inp: SleepInputs, w0: int, w1: int, bed_w1: int) -> int | None:
    """UTC ns of waking in [w0, w1) (bed exits are looked for in [w0, bed_w1)), or None."""
    if inp.has_bed:
        for leave in _window(inp.bed_leave, w0, bed_w1):
            k = np.searchsorted(inp.bed_enter, leave, "right")
            if k >= len(inp.bed_enter) or inp.bed_enter[k] - leave > BED_LEFT_FOR:
                return int(leave)
    first = _window(inp.dayroom, w0, w1)
    if len(first) == 0:
        return None
    j = int(np.searchsorted(inp.human, first[0], "left"))
    while j > 0 and inp.human[j] - inp.human[j - 1] <= CHAIN_GAP and inp.human[j - 1] >= w0:
        j -= 1
    return int(inp.human[j]) if j < len(inp.human) else int(first[0])


def bed_time(inp: SleepInputs, b0: int, b1: int) -> int | None:
    """UTC ns of going to bed in [b0, b1), or None when there was no evening activity to go by."""
    evening = _window(inp.dayroom, b0, b1)
    if len(evening) == 0:
        return None
    following = np.concatenate((evening[1:], [b1]))
    quiet = np.flatnonzero(following - evening >= DAYROOM_SILENCE)
    onset = int(evening[quiet[0]] if len(quiet) else evening[-1])
    if inp.has_bed:
        k = np.searchsorted(inp.bed_enter, onset, "right")
        if k < len(inp.bed_enter) and inp.bed_enter[k] - onset <= BED_REACHED_WITHIN and inp.bed_enter[k] < b1:
            return int(inp.bed_enter[k])
    j = int(np.searchsorted(inp.human, onset, "left"))
    while j + 1 < len(inp.human) and inp.human[j + 1] - inp.human[j] <= CHAIN_GAP and inp.human[j + 1] < b1:
        j += 1
    return int(inp.human[j]) if j < len(inp.human) else onset
