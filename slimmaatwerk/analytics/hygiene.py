"""Evidence of a shower or bath: a bathroom humidity rise, a ventilation boost, or use of the shower/bath.

No ventilation unit publishes a "shower" flag, so it is inferred. Real bathroom humidity (the Open Smart
Home data set, Fraunhofer IBP; see ``tests/fixtures/opensmarthome``) is not a tidy curve: it drifts slowly
with the weather and the season, decays for one to two hours after a shower (or drops within ten
minutes when the door is opened), shows small bumps from cooking, washing and laundry, and many sensors
report *on change* only, so a rise may arrive as one jump after hours of silence. The rules:

* **onset**: a rising reading at least ``HUMIDITY_RISE`` %RH above the lowest level of the previous
  ``RISE_WINDOW`` — the level *held* since the last report counts, so a jump after a silent spell is seen.
  A shower lifts humidity by 20-50 %RH within minutes; drift is far slower, and cooking, washing and
  laundry bumps stay below the threshold (2-6 %RH in the real series), as do rebounds during a decay.
  The reading must also stand ``HUMIDITY_RISE`` above the ambient level (the median of the previous
  ``AMBIENT_WINDOW``), so a room that aired out below its usual level and then recovers is no shower.
* **one shower, one episode**: after an onset, later rises belong to the same shower until the humidity
  has come back down near its level before the shower (within ``RECOVERED`` of it) or ``MAX_EPISODE``
  has passed, and never within ``MIN_SEPARATION`` of the last onset: a rebound during the decay, or the
  room closing up again after airing, is not a second shower (the daily feature only asks "any shower?").
* a fan going from normal to boost speed, or activity at a ``shower``/``bath`` placement, is evidence
  too; evidence from all sources less than ``EPISODE_GAP`` apart is one episode.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .frame import NS_PER_MIN, EventArrays, isin

HUMIDITY_RISE = 12.0
RISE_WINDOW = 15 * NS_PER_MIN
AMBIENT_WINDOW = 180 * NS_PER_MIN
RECOVERED = 0.5  # back within half the shower's rise of the level before it
MAX_EPISODE = 180 * NS_PER_MIN
MIN_SEPARATION = 90 * NS_PER_MIN
BOOST_LEVEL = 60.0
EPISODE_GAP = 60 * NS_PER_MIN
SHOWER_PLACEMENTS = ["shower", "bath"]


def hygiene_device_mask(arr: EventArrays) -> np.ndarray:
    """Events of devices that can witness a shower (bathroom climate/fan, ventilation unit, shower/bath)."""
    climate = isin(arr.kind, ["humidity", "fan"]) & (
        (arr.room == "bathroom") | (arr.placement == "ventilation_unit")
    )
    return climate | isin(arr.placement, SHOWER_PLACEMENTS)


def level_before(t: np.ndarray, v: np.ndarray, window: int = RISE_WINDOW) -> np.ndarray:
    """Lowest humidity in force during the ``window`` before each reading (held values included)."""
    n = len(t)
    if n == 0:
        return np.array([], dtype=float)
    # The value held at the window's start: the last reading at or before t - window.
    held_idx = np.searchsorted(t, t - window, "right") - 1
    held = np.where(held_idx >= 0, v[np.maximum(held_idx, 0)], np.inf)
    inside = pd.Series(v).set_axis(pd.to_datetime(t)).rolling(pd.Timedelta(window, "ns"), closed="both").min()
    return np.minimum(held, inside.to_numpy(dtype=float))


def ambient_level(t: np.ndarray, v: np.ndarray, window: int = AMBIENT_WINDOW) -> np.ndarray:
    """Median humidity of the readings in the ``window`` before each one (the previous reading if none)."""
    if len(t) == 0:
        return np.array([], dtype=float)
    med = pd.Series(v).set_axis(pd.to_datetime(t)).rolling(pd.Timedelta(window, "ns"), closed="left").median()
    prev = np.concatenate(([v[0]], v[:-1]))
    out = med.to_numpy(dtype=float)
    return np.where(np.isfinite(out), out, prev)


def humidity_showers(t: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Onset times (same unit as ``t``, sorted) of showers in one humidity series (see the module text)."""
    t = np.asarray(t, dtype=np.int64)
    v = np.asarray(v, dtype=float)
    if len(t) < 2:
        return np.array([], dtype=np.int64)
    order = np.argsort(t, kind="stable")
    t, v = t[order], v[order]
    before = level_before(t, v)
    rising = np.concatenate(([False], np.diff(v) > 0))
    ambient = ambient_level(t, v)
    candidates = np.flatnonzero((v - before >= HUMIDITY_RISE) & rising & (v - ambient >= HUMIDITY_RISE))
    onsets: list[int] = []
    open_until = -1  # index up to which the current episode is known to last
    for i in candidates:
        if i <= open_until or (onsets and t[i] - onsets[-1] < MIN_SEPARATION):
            continue
        onsets.append(int(t[i]))
        base = before[i]
        peak_lim = t[i] + MAX_EPISODE
        j = i
        # Follow the episode until humidity is back near the pre-shower level, or it has lasted too long.
        while j + 1 < len(t) and t[j + 1] <= peak_lim:
            peak = v[i:j + 2].max()
            if v[j + 1] <= base + RECOVERED * (peak - base):
                break
            j += 1
        open_until = j
    return np.asarray(onsets, dtype=np.int64)


def shower_evidence(arr: EventArrays) -> np.ndarray:
    """Sorted UTC ns times of shower evidence."""
    times: list[np.ndarray] = [arr.t[isin(arr.placement, SHOWER_PLACEMENTS) & arr.active]]
    wet = (arr.room == "bathroom") | (arr.placement == "ventilation_unit")
    for kind in ("humidity", "fan"):
        idx = np.flatnonzero((arr.kind == kind) & wet)
        if len(idx) == 0:
            continue
        devices = arr.device[idx]
        for name in np.unique(devices.astype(str)):
            mine = idx[devices == name]
            t, v = arr.t[mine], arr.value[mine]
            if kind == "humidity":
                times.append(humidity_showers(t, v))
            else:
                prev = np.concatenate(([np.inf], v[:-1]))
                times.append(t[(v >= BOOST_LEVEL) & (prev < BOOST_LEVEL)])
    return np.sort(np.concatenate(times)).astype(np.int64) if times else np.array([], dtype=np.int64)


def episode_starts(evidence: np.ndarray) -> np.ndarray:
    """The first evidence time of each episode."""
    if len(evidence) == 0:
        return evidence
    new = np.concatenate(([True], np.diff(evidence) > EPISODE_GAP))
    return evidence[new]
