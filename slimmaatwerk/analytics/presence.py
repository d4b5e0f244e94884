"""Home or away, from the exterior door: absence intervals and night-time exits.

An absence starts at an exterior-door event followed by silence indoors (no other human event for at
least ``AWAY_SILENCE``) and lasts until the next human event (usually the door on return). A night exit
is an exterior door opened between 00:00 and 05:00 while the resident was home (activity indoors since
the door was last used): they went out, as opposed to coming home late. Homes without a door sensor simply have no absences.
"""

from __future__ import annotations

import numpy as np

from .frame import NS_PER_HOUR, NS_PER_MIN, EventArrays
from .health import NEVER

AWAY_SILENCE = 10 * NS_PER_MIN
NIGHT_END_H = 5


def away_intervals(arr: EventArrays) -> tuple[np.ndarray, np.ndarray]:
    """(starts, ends) in ns UTC of the periods the resident was out, in time order.

    Only a door used right after indoor activity starts an absence: the door on coming home is
    preceded by the silence of the absence itself, and the quiet after it is time at home.
    """
    hidx = np.flatnonzero(arr.human)
    empty = np.array([], dtype=np.int64)
    if len(hidx) == 0:
        return empty, empty
    ht = arr.t[hidx]
    nxt = np.concatenate((ht[1:], [NEVER])).astype(np.int64)
    is_door = arr.door[hidx]
    starts, ends = [], []
    for k in np.flatnonzero(is_door & ((nxt - ht) >= AWAY_SILENCE)):
        c = k
        while c > 0 and is_door[c - 1] and ht[c] - ht[c - 1] < AWAY_SILENCE:
            c -= 1
        if c > 0 and not is_door[c - 1] and ht[c] - ht[c - 1] < AWAY_SILENCE:
            starts.append(ht[k])
            ends.append(nxt[k])
    return np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64)


def night_exit_indices(arr: EventArrays, pet: bool = False) -> np.ndarray:
    """Event indices of exterior doors opened at night (00:00-05:00) while the resident was home.

    Home: there was activity indoors since the door was last used. A door that opens after the home was
    quiet since the resident came in is still a night exit (asleep, then out: on a slow night the motion
    sensors may miss the walk to the door, REALISM.md); a door that opens after a quiet home *since it
    was last used* is someone coming home. A pet walks about a home the resident has left, so in a pet
    home only what a pet cannot do (a door, a bed or chair, an appliance) shows the resident indoors,
    where the home has such sensors.
    """
    opened = np.flatnonzero(arr.door & (arr.value == 1.0))
    if len(opened) == 0:
        return opened
    tod = arr.wall[opened] % (24 * NS_PER_HOUR)
    opened = opened[tod < NIGHT_END_H * NS_PER_HOUR]
    indoor = arr.human & ~arr.door
    if pet and (indoor & (arr.kind != "motion")).any():
        indoor &= arr.kind != "motion"
    it = arr.t[np.flatnonzero(indoor)]
    dt = arr.t[np.flatnonzero(arr.door)]
    exits = []
    for i in opened:
        k = np.searchsorted(it, arr.t[i], side="left") - 1
        d = np.searchsorted(dt, arr.t[i], side="left") - 1  # the door event before this opening
        if k >= 0 and (d < 0 or it[k] > dt[d]):
            exits.append(i)
    return np.array(exits, dtype=np.int64)
