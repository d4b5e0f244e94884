"""Not up yet: the moment, judged strictly online, from which the resident is known not to have got up.

The wake-up time itself is only certain once the resident reached a day room (or, with a bed sensor,
stayed out of bed for 45 minutes), so a wake-up that is late is raised late, and one that never comes
(someone too ill to get up, or fallen before reaching a day room, where the long-lie rule does not look
yet) would not be raised at all. The replay instead asks, from the first moment at which a wake-up
still to come would be unusually late: is the resident still not up *now*?

"Not up at t" uses only events before t:

* no activity in a day room since 04:00 (the wake-up rule would have seen one);
* with a bed sensor: in bed at t, and every time the bed was left since 04:00 it was re-entered within
  45 minutes (a longer time out of bed is a wake-up); while out of bed on a short trip, wait for the
  return;
* without one: no human event in the last 15 minutes (someone pottering about the bedroom may be on
  the way to the kitchen: a burst of activity that leads into a day room is part of the wake-up).

When the resident is not up at t, the wake-up (whenever it comes) is at or after t, so the ordinary
wake-time test would raise the same alert later; what is gained is time.
"""

from __future__ import annotations

import numpy as np

from .sleep import BED_LEFT_FOR, CHAIN_GAP, SleepInputs


def _last_before(times: np.ndarray, t: int, inclusive: bool = False) -> int | None:
    i = int(np.searchsorted(times, t, "right" if inclusive else "left"))
    return int(times[i - 1]) if i > 0 else None


def not_up_from(inp: SleepInputs, w0: int, t: int, limit: int) -> int | None:
    """The first moment in [t, limit) at which the resident is known not to be up yet, or None.

    None also when the resident got up (by the rules above) before such a moment came.
    """
    while t < limit:
        i = int(np.searchsorted(inp.dayroom, w0, "left"))
        if i < len(inp.dayroom) and inp.dayroom[i] < t:
            return None  # reached a day room: up
        if inp.has_bed:
            moved = _bed_wait(inp, w0, t)
            if moved is None:
                return None
            if moved > t:
                t = moved
                continue
            return t
        last = _last_before(inp.human, t)
        if last is not None and last >= w0 and t - last < CHAIN_GAP:
            t = last + CHAIN_GAP  # active just now: look again once it has been quiet for a while
            continue
        return t
    return None


def _bed_wait(inp: SleepInputs, w0: int, t: int) -> int | None:
    """With a bed sensor: ``t`` when in bed at t with only short trips out since ``w0``; the moment of
    return when out on a short trip at t; None when up (a long time out of bed) or the state is unknown."""
    lo = int(np.searchsorted(inp.bed_leave, w0, "left"))
    hi = int(np.searchsorted(inp.bed_leave, t, "left"))
    for leave in inp.bed_leave[lo:hi].tolist():
        k = int(np.searchsorted(inp.bed_enter, leave, "right"))
        back = int(inp.bed_enter[k]) if k < len(inp.bed_enter) else None
        if back is None or back - leave > BED_LEFT_FOR:
            return None  # out of bed for longer than a trip (or still out): that is getting up
        if back > t:
            return back  # out on a short trip right now: judge again when back in bed
    # Back in bed at the very moment counts: the state at t includes what the bed reported at t.
    entered, left = _last_before(inp.bed_enter, t, True), _last_before(inp.bed_leave, t, True)
    if entered is None or (left is not None and left > entered):
        return None  # not in bed (slept elsewhere, or the sensor never saw the night): cannot tell
    return t
