"""Silences at home in the daytime, and the home's own threshold for calling one a long lie.

A gap is the time between two human events (heartbeats and climate readings do not count) that starts
at home (not at an exterior door, which starts an absence), after the resident was up (after the first
day-room activity of the day), between 06:00 and 22:00, and not with the resident in bed or seated in a
chair that senses them. In a home without an exterior-door sensor a silence that starts in the hall or
entrance may be an outing and is left out. Gaps are grouped by the two-hour block they
start in, because a quiet hour after lunch is normal where the same hour at 09:00 is not.

The threshold per block is learnt from the home's own history: a Gumbel (extreme value) fit of the
daily longest gap in that block, read at a return period of about one false alarm per eight months of
blocks, never below 90 minutes and never above 4 hours. A block where long silences are routine (a nap
every day, an early night) is switched off rather than made to alarm every other day.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .frame import DAY_ROOMS, NS_PER_DAY, NS_PER_MIN, EventArrays, isin
from .health import NEVER

WAY_OUT_ROOMS: frozenset[str] = frozenset({"hall", "entrance"})
BLOCK_START_MIN = 6 * 60
BLOCK_MIN = 120
N_BLOCKS = 8
MIN_THRESHOLD_MIN = 90.0
MAX_THRESHOLD_MIN = 240.0
# Switch a block off when one day in ten already has a silence this long there.
ROUTINE_SILENCE_MIN = 200.0
GUMBEL_RETURN = 8 * 30 * N_BLOCKS
EULER_GAMMA = 0.5772156649


@dataclass(frozen=True)
class Gaps:
    start: np.ndarray  # ns UTC
    end: np.ndarray  # ns UTC of the next human event (NEVER if none yet)
    day: np.ndarray  # 04:00-04:00 day ordinal of the start
    block: np.ndarray  # 0..N_BLOCKS-1

    def __len__(self) -> int:
        return len(self.start)


def dayroom_mask(arr: EventArrays, pet: bool) -> np.ndarray:
    """Human events that show the resident up and about; pets trip motion sensors, so skip those."""
    mask = arr.human & isin(arr.room, list(DAY_ROOMS))
    if pet:
        solid = mask & (arr.kind != "motion")
        if solid.any():
            return solid
    return mask


def home_gaps(arr: EventArrays, dayroom: np.ndarray) -> Gaps:
    """All at-home daytime gaps of the stream (see the module docstring)."""
    hidx = np.flatnonzero(arr.human)
    empty = np.array([], dtype=np.int64)
    if len(hidx) == 0:
        return Gaps(empty, empty, empty, empty)
    ht = arr.t[hidx]
    nxt = np.concatenate((ht[1:], [NEVER])).astype(np.int64)
    day = arr.day[hidx]
    tod = (arr.wall[hidx] - day * NS_PER_DAY) // NS_PER_MIN
    keep = ~arr.door[hidx] & (tod >= BLOCK_START_MIN) & (tod < BLOCK_START_MIN + N_BLOCKS * BLOCK_MIN)
    keep &= ~_in_bed(arr, hidx, tod)
    if not arr.door.any():
        # No exterior-door sensor (REALISM.md: some homes have none): a silence that starts on the way out
        # (hall, entrance) may be an outing, which this home cannot tell from a long lie. Leave it out.
        keep &= ~isin(arr.room[hidx], list(WAY_OUT_ROOMS))
    didx = np.flatnonzero(dayroom)
    if len(didx):
        dr_day = arr.day[didx]
        days, first = np.unique(dr_day, return_index=True)
        lo = int(min(days.min(), day.min()))
        up_at = np.full(int(max(days.max(), day.max())) - lo + 1, NEVER, dtype=np.int64)
        up_at[days - lo] = arr.t[didx][first]
        keep &= ht >= up_at[day - lo]
    else:
        keep &= tod >= 8 * 60
    block = (tod - BLOCK_START_MIN) // BLOCK_MIN
    return Gaps(ht[keep], nxt[keep], day[keep].astype(np.int64), block[keep].astype(np.int64))


def _state_at(arr: EventArrays, hidx: np.ndarray, sensor: np.ndarray) -> np.ndarray:
    """For each human event in ``hidx``: was the presence sensor of ``sensor`` occupied at that moment?"""
    last = np.maximum.accumulate(np.where(sensor, np.arange(len(hidx)), -1))
    return np.where(last >= 0, arr.value[hidx][np.maximum(last, 0)] == 1.0, False)


def _in_bed(arr: EventArrays, hidx: np.ndarray, tod: np.ndarray) -> np.ndarray:
    """Gaps that start with the resident in bed or seated are sleep, a nap or a doze, not a long lie.

    With a bed sensor: the bed was occupied at the gap start. Without one: the gap starts in the
    bedroom in the evening or the early morning. With a chair presence sensor: the chair was occupied at
    the gap start (real residents doze in their chair for hours, REALISM.md; someone on the floor is not
    in the chair, and the chair sensor itself keeps seeing them).
    """
    kind, room, placement = arr.kind[hidx], arr.room[hidx], arr.placement[hidx]
    presence = kind == "presence"
    bed = presence & ((placement == "bed") | ((room == "bedroom") & (placement != "chair")))
    chair = presence & (placement == "chair")
    seated = _state_at(arr, hidx, chair) if chair.any() else np.zeros(len(hidx), dtype=bool)
    if bed.any():
        return _state_at(arr, hidx, bed) | seated
    return ((room == "bedroom") & ((tod >= 19 * 60) | (tod < 10 * 60))) | seated


def block_maxima(gaps: Gaps, first_day: int, n_days: int, day_end: np.ndarray, data_end: int) -> np.ndarray:
    """(n_days, N_BLOCKS) longest gap in minutes per day and start block, cut at the day's end."""
    out = np.zeros((n_days, N_BLOCKS))
    if len(gaps) == 0:
        return out
    row = gaps.day - first_day
    ok = (row >= 0) & (row < n_days)
    row, blk = row[ok], gaps.block[ok]
    cut = np.minimum(np.minimum(gaps.end[ok], day_end[row]), data_end)
    length = np.clip(cut - gaps.start[ok], 0, None) / NS_PER_MIN
    np.maximum.at(out, (row, blk), length)
    return out


def block_threshold(maxima: np.ndarray) -> float | None:
    """Minutes of silence that are a long lie in this block for this home, or None (block off)."""
    values = np.asarray(maxima, dtype=float)
    # Only days on which a silence at home started in this block say anything about it; a block the
    # resident is usually out or asleep in has too few such days and stays off.
    values = values[np.isfinite(values) & (values > 0)]
    if len(values) < 10 or float(np.quantile(values, 0.9)) > ROUTINE_SILENCE_MIN:
        return None
    beta = max(float(np.std(values, ddof=1)) * math.sqrt(6.0) / math.pi, 10.0)
    mu = float(np.mean(values)) - EULER_GAMMA * beta
    p = 1.0 - 1.0 / GUMBEL_RETURN
    gumbel = mu - beta * math.log(-math.log(p))
    threshold = max(gumbel, 1.1 * float(values.max()), MIN_THRESHOLD_MIN)
    return float(min(threshold, MAX_THRESHOLD_MIN))


def block_of(wall_tod_min: float) -> int | None:
    b = int((wall_tod_min - BLOCK_START_MIN) // BLOCK_MIN)
    return b if 0 <= b < N_BLOCKS else None

