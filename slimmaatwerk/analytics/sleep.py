"""Wake time and bed time of one 04:00-04:00 day, robust to night-time toilet trips.

Wake time: with a bed sensor, the first time after 04:00 the bed is left for more than 45 minutes;
otherwise the start of the burst of activity that leads into the first activity in a day room (kitchen,
living room, entrance): a toilet trip at 05:00 followed by more sleep is a separate burst and is skipped.
Bed time: with a bed sensor, the start of the night's main sleep: the longest stay in bed that begins
after 19:00 (leaving the bed for up to 45 minutes, a toilet trip, does not end it). Otherwise the last
day-room activity before a day-room silence of two hours or more after 19:00 that the resident spends
in the bedroom, followed to the end of that burst of activity. A doze in the armchair is also a long
day-room silence, but one without bedroom activity: taking it for bed time put the evening hours too
early, and most of all on the late evenings a later bedtime is about. Both are wall-clock minutes after
local midnight of the day (bed time can exceed 1440: 01:30 is 1530).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .frame import NS_PER_MIN

BED_LEFT_FOR = 45 * NS_PER_MIN
CHAIN_GAP = 15 * NS_PER_MIN
DAYROOM_SILENCE = 120 * NS_PER_MIN
BED_REACHED_WITHIN = 240 * NS_PER_MIN
MAIN_SLEEP_MIN = 180 * NS_PER_MIN


@dataclass(frozen=True)
class SleepInputs:
    """Sorted UTC ns times of the event streams the rules look at."""

    human: np.ndarray  # every human event
    dayroom: np.ndarray  # human events in day rooms (non-motion only in pet homes that have them)
    bed_enter: np.ndarray  # bed presence 1
    bed_leave: np.ndarray  # bed presence 0
    bedroom: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # human events there

    @property
    def has_bed(self) -> bool:
        return len(self.bed_enter) + len(self.bed_leave) > 0


def _window(times: np.ndarray, a: int, b: int) -> np.ndarray:
    return times[np.searchsorted(times, a, "left"):np.searchsorted(times, b, "left")]


def wake_time(inp: SleepInputs, w0: int, w1: int, bed_w1: int) -> tuple[int, int] | None:
    """(UTC ns of waking in [w0, w1), UTC ns from which that is certain), or None.

    Bed exits are looked for in [w0, bed_w1). An exit is certain once the bed stayed empty for
    ``BED_LEFT_FOR``; the first day-room activity is certain when it happens (the burst leading into it
    lies before it); with a bed sensor but no qualifying exit, only at ``w1``, when no exit can come.
    """
    if inp.has_bed:
        for leave in _window(inp.bed_leave, w0, bed_w1):
            k = np.searchsorted(inp.bed_enter, leave, "right")
            if k >= len(inp.bed_enter) or inp.bed_enter[k] - leave > BED_LEFT_FOR:
                return int(leave), int(leave) + BED_LEFT_FOR
    first = _window(inp.dayroom, w0, w1)
    if len(first) == 0:
        return None
    known = w1 if inp.has_bed else int(first[0])
    j = int(np.searchsorted(inp.human, first[0], "left"))
    while j > 0 and inp.human[j] - inp.human[j - 1] <= CHAIN_GAP and inp.human[j - 1] >= w0:
        j -= 1
    return (int(inp.human[j]) if j < len(inp.human) else int(first[0])), known


def _main_sleep(inp: SleepInputs, b0: int, b1: int) -> int | None:
    """UTC ns of the bed entry that starts the longest stay in bed beginning in [b0, b1), or None.

    Only data before ``b1`` is used (the bed time is scored at ``b1``). A stay counts as the night's sleep
    when it lasts ``MAIN_SLEEP_MIN`` or is still going on at ``b1``.
    """
    best, best_len, still_in_bed = None, 0, False
    enters = _window(inp.bed_enter, b0, b1)
    i = 0
    while i < len(enters):
        start = int(enters[i])
        end = start
        while end < b1:  # bridge short trips out of bed (a toilet visit), as the wake-time rule does
            k = np.searchsorted(inp.bed_leave, end, "right")
            end = min(int(inp.bed_leave[k]), b1) if k < len(inp.bed_leave) else b1
            j = np.searchsorted(inp.bed_enter, end, "left")
            if end >= b1 or j >= len(inp.bed_enter) or inp.bed_enter[j] - end > BED_LEFT_FOR or inp.bed_enter[j] >= b1:
                break
            end = int(inp.bed_enter[j])
        if end - start > best_len:
            best, best_len = start, end - start
            still_in_bed = end >= b1
        i = int(np.searchsorted(enters, end, "right"))
    if best is None or not (still_in_bed or best_len >= MAIN_SLEEP_MIN):
        return None
    return best


def bed_time(inp: SleepInputs, b0: int, b1: int) -> int | None:
    """UTC ns of going to bed in [b0, b1), or None when there was no evening activity to go by."""
    if inp.has_bed:
        main = _main_sleep(inp, b0, b1)
        if main is not None:
            return main
    evening = _window(inp.dayroom, b0, b1)
    if len(evening) == 0:
        return None
    following = np.concatenate((evening[1:], [b1]))
    quiet = np.flatnonzero(following - evening >= DAYROOM_SILENCE)
    if len(inp.bedroom):
        # Only a silence the resident spends (partly) in the bedroom is the night; a doze is not.
        spent_in_bedroom = [q for q in quiet
                            if len(_window(inp.bedroom, int(evening[q]), int(following[q])))]
        quiet = np.asarray(spent_in_bedroom or quiet, dtype=np.int64)
    onset = int(evening[quiet[0]] if len(quiet) else evening[-1])
    if inp.has_bed:
        k = np.searchsorted(inp.bed_enter, onset, "right")
        if k < len(inp.bed_enter) and inp.bed_enter[k] - onset <= BED_REACHED_WITHIN and inp.bed_enter[k] < b1:
            return int(inp.bed_enter[k])
    j = int(np.searchsorted(inp.human, onset, "left"))
    while j + 1 < len(inp.human) and inp.human[j + 1] - inp.human[j] <= CHAIN_GAP and inp.human[j + 1] < b1:
        j += 1
    return int(inp.human[j]) if j < len(inp.human) else onset
