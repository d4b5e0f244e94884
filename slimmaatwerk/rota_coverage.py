"""Where a team's rota leaves nobody on duty: the gaps of a week, so the rota editor can say so in words.

Pure and in the rota's own terms (weekday bits, local wall-clock minutes; a shift whose end is not after
its start runs into the next day, as :func:`slimmaatwerk.escalation.covers` reads it). A red alert in a
gap is unowned, so a coordinator should see the gaps while editing, not at 03:00.
"""

from __future__ import annotations

from collections.abc import Sequence

from .storage.teams import RotaEntry

WEEK_MIN = 7 * 24 * 60


def week_gaps(rota: Sequence[RotaEntry]) -> list[tuple[int, int]]:
    """Uncovered [start, end) minutes of the week (0 = Monday 00:00); a gap over Sunday midnight wraps
    into one interval that ends after ``WEEK_MIN``."""
    covered = bytearray(WEEK_MIN)
    for entry in rota:
        length = (entry.end_min - entry.start_min) % (24 * 60) or 24 * 60
        for day in range(7):
            if entry.weekdays >> day & 1:
                start = day * 24 * 60 + entry.start_min
                for minute in range(start, start + length):
                    covered[minute % WEEK_MIN] = 1
    if all(covered):
        return []
    if not any(covered):
        return [(0, WEEK_MIN)]
    gaps: list[list[int]] = []
    for minute, on in enumerate(covered):
        if on:
            continue
        if gaps and gaps[-1][1] == minute:
            gaps[-1][1] = minute + 1
        else:
            gaps.append([minute, minute + 1])
    if len(gaps) > 1 and gaps[0][0] == 0 and gaps[-1][1] == WEEK_MIN:
        first = gaps.pop(0)
        gaps[-1][1] = WEEK_MIN + first[1]
    return [(a, b) for a, b in gaps]
