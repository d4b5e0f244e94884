"""Evidence of a shower or bath: a bathroom humidity rise, a ventilation boost, or use of the shower/bath.

No ventilation unit publishes a "shower" flag, so it is inferred: relative humidity rising by at least
``HUMIDITY_RISE`` %RH within 30 minutes, or the fan going from normal to boost speed, or activity at a
``shower``/``bath`` placement. Evidence less than an hour apart is one episode.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .frame import NS_PER_MIN, EventArrays

HUMIDITY_RISE = 8.0
BOOST_LEVEL = 60.0
EPISODE_GAP = 60 * NS_PER_MIN
SHOWER_PLACEMENTS = ["shower", "bath"]


def hygiene_device_mask(arr: EventArrays) -> np.ndarray:
    """Events of devices that can witness a shower (bathroom climate/fan, ventilation unit, shower/bath)."""
    climate = np.isin(arr.kind, ["humidity", "fan"]) & (
        (arr.room == "bathroom") | (arr.placement == "ventilation_unit")
    )
    return climate | np.isin(arr.placement, SHOWER_PLACEMENTS)


def shower_evidence(arr: EventArrays) -> np.ndarray:
    """Sorted UTC ns times of shower evidence."""
    times: list[np.ndarray] = [arr.t[np.isin(arr.placement, SHOWER_PLACEMENTS) & arr.active]]
    wet = (arr.room == "bathroom") | (arr.placement == "ventilation_unit")
    for kind in ("humidity", "fan"):
        idx = np.flatnonzero((arr.kind == kind) & wet)
        if len(idx) == 0:
            continue
        frame = pd.DataFrame({"t": arr.t[idx], "device": arr.device[idx], "v": arr.value[idx]})
        for _, one in frame.groupby("device", sort=False):
            t = one["t"].to_numpy()
            v = one["v"].to_numpy()
            if kind == "humidity":
                series = pd.Series(v, index=pd.to_datetime(t))
                low = series.rolling("30min").min().to_numpy()
                hit = (v - low) >= HUMIDITY_RISE
            else:
                prev = np.concatenate(([np.inf], v[:-1]))
                hit = (v >= BOOST_LEVEL) & (prev < BOOST_LEVEL)
            times.append(t[hit])
    return np.sort(np.concatenate(times)) if times else np.array([], dtype=np.int64)


def episode_starts(evidence: np.ndarray) -> np.ndarray:
    """The first evidence time of each episode."""
    if len(evidence) == 0:
        return evidence
    new = np.concatenate(([True], np.diff(evidence) > EPISODE_GAP))
    return evidence[new]
