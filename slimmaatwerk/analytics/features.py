"""Daily features: one row per 04:00-04:00 day, one column per indicator feature.

``prepare`` turns an event frame into the arrays, device health, absences and gaps every later step
uses, once; ``compute_features`` then fills the daily table in O(events + days). Night-time features
(00:00-05:00) belong to the date on which the night ends. A feature is NaN where the home lacked the
sensor on that day (no kitchen sensor: no kitchen count, not a count of zero).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from ..events import ACTIVITY_KINDS, EXTERIOR_DOORS
from .context import ResidentContext
from .frame import (
    NS_PER_DAY,
    NS_PER_HOUR,
    NS_PER_MIN,
    TOILET_PLACEMENTS,
    TOILET_ROOMS,
    EventArrays,
    day_ordinal,
    isin,
    local_ns,
    ordinal_date,
    to_arrays,
    validate_events,
)
from .gaps import N_BLOCKS, Gaps, block_maxima, dayroom_mask, home_gaps
from .health import NEVER, DeviceHistory, DeviceState, activity_devices, degraded, device_states
from .hygiene import episode_starts, hygiene_device_mask, shower_evidence
from .presence import away_intervals, night_exit_indices
from .sleep import SleepInputs, bed_time, wake_time

FEATURES: tuple[str, ...] = (
    "wake_time", "wake_known", "bed_time", "sleep_duration", "night_toilet_visits", "night_restlessness",
    "kitchen_activity", "total_activity", "activity_pace", "room_transitions", "time_out_of_home", "door_uses",
    "night_exits", "showers", "longest_gap", "temperature", "co2",
)
GAP_COLUMNS: tuple[str, ...] = tuple(f"gap_b{b}" for b in range(N_BLOCKS))
TOILET_BURST_GAP = 15 * NS_PER_MIN
RESTLESS_BURST_GAP = 10 * NS_PER_MIN
NIGHT_END = 5 * NS_PER_HOUR
AWAY_DAY_HOURS = 12.0
PACE_BLOCK = 15 * NS_PER_MIN
# A wake-up is looked for until this wall-clock minute (16:00); bed exits until 14:00.
WAKE_LATEST_MIN = 16 * 60
BED_EXIT_LATEST_MIN = 14 * 60
# The version of the feature code: stored daily features of another version are computed again.
FEATURE_VERSION = 3
# What a stored day keeps; ``excluded`` is not stored, it follows from these and the context calendar.
STORED_COLUMNS: tuple[str, ...] = (*FEATURES, *GAP_COLUMNS, "degraded")


@dataclass(frozen=True)
class Prepared:
    """Everything derived once from the raw events of one resident."""

    arr: EventArrays
    states: dict[str, DeviceState]
    away_start: np.ndarray
    away_end: np.ndarray
    dayroom: np.ndarray
    gaps: Gaps
    data_end: int  # ns UTC of the last message of any kind
    sleep: SleepInputs  # what the wake-up, bed-time and not-up-yet rules look at


def prepare(events: pd.DataFrame, context: ResidentContext, learn_until: int | None = None,
            history: DeviceHistory | None = None) -> Prepared:
    """``history``: ``events`` are the recent window of a longer history (see ``DeviceHistory``)."""
    frame = validate_events(events)
    arr = to_arrays(frame)
    end = int(arr.t[-1]) if len(arr) else 0
    states = device_states(arr, context, end + 1 if learn_until is None else learn_until, history)
    a_start, a_end = away_intervals(arr)
    dayroom = dayroom_mask(arr, context.pet)
    return Prepared(arr, states, a_start, a_end, dayroom, home_gaps(arr, dayroom), end,
                    sleep_inputs(arr, dayroom, context.pet))


def _bincount(day: np.ndarray, first: int, n: int, weights: np.ndarray | None = None) -> np.ndarray:
    row = day - first
    ok = (row >= 0) & (row < n)
    w = None if weights is None else weights[ok]
    return np.bincount(row[ok], weights=w, minlength=n)[:n].astype(float)


def _night_bursts(t: np.ndarray, w0: np.ndarray, w1: np.ndarray, gap: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Bursts of the (sorted) event times ``t`` that fall in one of the nights [w0[i], w1[i]).

    Returns the positions in ``t`` of the events inside a night, their night row, and the burst number of
    each (a new burst after a pause longer than ``gap`` or in a new night).
    """
    row = np.searchsorted(w0, t, "right") - 1
    inside = np.flatnonzero((row >= 0) & (t < w1[np.clip(row, 0, None)]))
    t, row = t[inside], row[inside]
    new = np.concatenate(([True], (np.diff(t) > gap) | (np.diff(row) != 0))) if len(t) else np.zeros(0, bool)
    return inside, row, np.cumsum(new) - 1


def _toilet_visits(arr: EventArrays, toilet: np.ndarray, w0: np.ndarray, w1: np.ndarray) -> np.ndarray:
    """Toilet visits (bursts of toilet activity more than 15 minutes apart) per night."""
    _, row, burst = _night_bursts(arr.t[toilet], w0, w1, TOILET_BURST_GAP)
    if len(row) == 0:
        return np.zeros(len(w0))
    first = np.concatenate(([True], np.diff(burst) != 0))
    return np.bincount(row[first], minlength=len(w0)).astype(float)


def _restless_spells(arr: EventArrays, mask: np.ndarray, toilet: np.ndarray, w0: np.ndarray,
                     w1: np.ndarray) -> np.ndarray:
    """Spells up and about in the night that are neither a toilet visit nor in the bedroom only.

    Turning over in bed trips the bedroom sensor many times a night for some residents and not at all
    for others (REALISM.md: 1 to 541 night events a home); counting those drowns a few nights of
    wandering about the home. Toilet visits have their own indicator.
    """
    idx = np.flatnonzero(mask)
    inside, row, burst = _night_bursts(arr.t[idx], w0, w1, RESTLESS_BURST_GAP)
    if len(row) == 0:
        return np.zeros(len(w0))
    idx = idx[inside]
    away = np.bincount(burst, weights=(arr.room[idx] != "bedroom").astype(float)) > 0
    to_toilet = np.bincount(burst, weights=toilet[idx].astype(float)) > 0
    first = np.concatenate(([True], np.diff(burst) != 0))
    spell_rows = row[first][away & ~to_toilet]
    return np.bincount(spell_rows, minlength=len(w0)).astype(float)


def _pace(arr: EventArrays, d0: int, n: int) -> np.ndarray:
    """Activity events per active quarter-hour (a wall-clock quarter with any activity) of each day.

    How busy the resident is while up and about at home, apart from how many hours that was: a day out,
    a long lie-in or an early night take quarters away but leave the pace, so it varies less from day to
    day than the total, and moving about less (fewer motion detections on every trip) shows in it at
    once. NaN on a day without any motion detection: with door contacts alone, moving about less means
    fewer active quarters, not fewer events in each, so such a home has no pace (its total still counts).
    """
    blocks = np.unique(arr.wall[arr.active] // PACE_BLOCK)
    # Quarters align with the 04:00 day boundary (a whole number of quarters after midnight).
    quarters = _bincount((blocks * PACE_BLOCK - 4 * NS_PER_HOUR) // NS_PER_DAY, d0, n)
    events = _bincount(arr.day[arr.active], d0, n)
    motion = _bincount(arr.day[arr.active & (arr.kind == "motion")], d0, n)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where((quarters > 0) & (motion > 0), events / quarters, np.nan)


def _available(states: list[DeviceState], ends: np.ndarray, attr: str = "first_active") -> np.ndarray:
    if not states:
        return np.zeros(len(ends), dtype=bool)
    first = min(getattr(s, attr) for s in states)
    return ends >= first


def _pet_filter(arr: EventArrays, mask: np.ndarray, pet: bool) -> np.ndarray:
    """In pet homes, night-time motion alone may be the pet: use other sensors when the home has them."""
    if not pet:
        return mask
    solid = mask & (arr.kind != "motion")
    return solid if solid.any() else mask


def compute_features(prep: Prepared, context: ResidentContext, first: date, last: date) -> pd.DataFrame:
    """The daily feature table for days ``first``..``last`` (inclusive)."""
    if last < first:
        raise ValueError(f"last day {last} is before first day {first}")
    arr, states = prep.arr, prep.states
    d0, n = day_ordinal(first), (last - first).days + 1
    dates = [first + timedelta(days=i) for i in range(n)]
    starts = np.array([local_ns(d, 240) for d in dates], dtype=np.int64)
    ends = np.array([local_ns(d + timedelta(days=1), 240) for d in dates], dtype=np.int64)
    night_ends = np.array([local_ns(d, 300) for d in dates], dtype=np.int64)
    midnights = np.array([local_ns(d, 0) for d in dates], dtype=np.int64)
    day = arr.day
    out: dict[str, np.ndarray] = {}

    act_devs = activity_devices(states, None, int(NEVER))
    has_act = _available(act_devs, ends)
    kitchen = arr.active & (arr.room == "kitchen")
    out["kitchen_activity"] = np.where(
        _available(activity_devices(states, frozenset({"kitchen"}), int(NEVER)), ends),
        _bincount(day[kitchen], d0, n), np.nan)
    out["total_activity"] = np.where(has_act, _bincount(day[arr.active], d0, n), np.nan)
    out["activity_pace"] = np.where(has_act, _pace(arr, d0, n), np.nan)
    aidx = np.flatnonzero(arr.active)
    moved = np.concatenate(([False], arr.room[aidx][1:] != arr.room[aidx][:-1]))
    out["room_transitions"] = np.where(has_act, _bincount(day[aidx][moved], d0, n), np.nan)

    door_devs = [s for s in states.values() if s.placement in EXTERIOR_DOORS]
    has_door = _available(door_devs, ends, "first_seen")
    opened = arr.door & (arr.value == 1.0)
    out["door_uses"] = np.where(has_door, _bincount(day[opened], d0, n), np.nan)
    exits = night_exit_indices(arr, context.pet)
    out["night_exits"] = np.where(has_door, _bincount(arr.wall[exits] // NS_PER_DAY, d0, n), np.nan)
    away_h = np.zeros(n)
    a_end = np.minimum(prep.away_end, max(prep.data_end, 0))
    for i in range(n):
        lo = np.searchsorted(a_end, starts[i], "right")
        hi = np.searchsorted(prep.away_start, ends[i], "left")
        if hi > lo:
            span = np.minimum(a_end[lo:hi], ends[i]) - np.maximum(prep.away_start[lo:hi], starts[i])
            away_h[i] = np.clip(span, 0, None).sum() / NS_PER_HOUR
    out["time_out_of_home"] = np.where(has_door, away_h, np.nan)

    toilet_mask = _pet_filter(
        arr, arr.human & (isin(arr.room, list(TOILET_ROOMS)) | isin(arr.placement, list(TOILET_PLACEMENTS))),
        context.pet)
    toilet_devs = [s for s in act_devs if s.room in TOILET_ROOMS or s.placement in TOILET_PLACEMENTS]
    wake_ns, known_ns, bed_ns = _sleep_times(prep, dates, starts, ends)
    w0, w1 = _nights(wake_ns, bed_ns, midnights, night_ends)
    out["night_toilet_visits"] = np.where(_available(toilet_devs, w1), _toilet_visits(arr, toilet_mask, w0, w1), np.nan)
    restless = _pet_filter(arr, arr.human, context.pet)
    out["night_restlessness"] = np.where(
        _available(act_devs, w1), _restless_spells(arr, restless, toilet_mask, w0, w1), np.nan)

    hyg = hygiene_device_mask(arr)
    has_hyg = ends >= (arr.t[hyg].min() if hyg.any() else NEVER)
    showers = episode_starts(shower_evidence(arr))
    shower_day = (arr.wall[np.searchsorted(arr.t, showers)] - 4 * NS_PER_HOUR) // NS_PER_DAY
    out["showers"] = np.where(has_hyg, _bincount(shower_day, d0, n), np.nan)

    out.update(_sleep_columns(arr, wake_ns, bed_ns, dates))
    out["wake_known"] = _clock_minutes(known_ns, dates)
    maxima = block_maxima(prep.gaps, d0, n, ends, prep.data_end)
    for b, col in enumerate(GAP_COLUMNS):
        out[col] = np.where(has_act, maxima[:, b], np.nan)
    out["longest_gap"] = np.where(has_act, maxima.max(axis=1), np.nan)
    out.update(_climate_columns(arr, d0, n))

    frame = pd.DataFrame(out, index=pd.DatetimeIndex(pd.to_datetime(dates), name="date"))
    frame["degraded"] = [
        degraded(act_devs_at(act_devs, int(e)), int(m), int(e), int(e))
        for m, e in zip(midnights, ends, strict=True)
    ]
    frame["excluded"] = excluded(frame, context)
    return frame[list(FEATURES) + list(GAP_COLUMNS) + ["degraded", "excluded"]]


def excluded(frame: pd.DataFrame, context: ResidentContext) -> np.ndarray:
    """Days not to learn from: degraded sensors, a context-calendar period, or away most of the day.

    Separate from the rest of the features because the calendar can change after a day was stored.
    """
    dates = [ts.date() for ts in frame.index]
    midnights = np.array([local_ns(d, 0) for d in dates], dtype=np.int64)
    ends = np.array([local_ns(d + timedelta(days=1), 240) for d in dates], dtype=np.int64)
    degraded_days = frame["degraded"].to_numpy(dtype=bool)
    away = frame["time_out_of_home"].fillna(0.0).to_numpy(dtype=float) > AWAY_DAY_HOURS
    return degraded_days | _in_context(context, midnights, ends) | away


def act_devs_at(devs: list[DeviceState], when: int) -> list[DeviceState]:
    return [d for d in devs if d.first_active <= when]


def _in_context(context: ResidentContext, w0: np.ndarray, w1: np.ndarray) -> np.ndarray:
    hit = np.zeros(len(w0), dtype=bool)
    for p in context.periods:
        ps, pe = int(p.start.timestamp() * 1e9), int(p.end.timestamp() * 1e9)
        hit |= (w0 < pe) & (w1 > ps)
    return hit


def sleep_inputs(arr: EventArrays, dayroom: np.ndarray, pet: bool) -> SleepInputs:
    """The event times the wake-up and bed-time rules (and the not-up-yet rule) look at."""
    bed = (arr.kind == "presence") & ((arr.placement == "bed") | ((arr.room == "bedroom") & (arr.placement != "chair")))
    return SleepInputs(
        human=arr.t[arr.human], dayroom=arr.t[dayroom],
        bed_enter=arr.t[bed & (arr.value == 1.0)], bed_leave=arr.t[bed & (arr.value == 0.0)],
        bedroom=arr.t[_pet_filter(arr, arr.human & (arr.room == "bedroom"), pet)],
    )


def _sleep_times(prep: Prepared, dates: list[date], starts: np.ndarray,
                 ends: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """UTC ns of waking up on, of when that was certain, and of going to bed on each date (-1: not seen)."""
    inp = prep.sleep
    n = len(dates)
    wake_ns = np.full(n, -1, dtype=np.int64)
    known_ns = np.full(n, -1, dtype=np.int64)
    bed_ns = np.full(n, -1, dtype=np.int64)
    for i, d in enumerate(dates):
        w = wake_time(inp, int(starts[i]), local_ns(d, WAKE_LATEST_MIN), local_ns(d, BED_EXIT_LATEST_MIN))
        if w is not None:
            wake_ns[i], known_ns[i] = w
        b = bed_time(inp, local_ns(d, 19 * 60), int(ends[i]))
        bed_ns[i] = -1 if b is None else b
    return wake_ns, known_ns, bed_ns


def _sleep_hours(wake_ns: np.ndarray, bed_ns: np.ndarray) -> np.ndarray:
    """Hours from the previous evening's bed time to each date's wake time; NaN when not believable."""
    prev_bed = np.concatenate(([-1], bed_ns[:-1]))
    hours = (wake_ns - prev_bed) / NS_PER_HOUR
    ok = (wake_ns > 0) & (prev_bed > 0) & (hours > 2) & (hours < 16)
    return np.where(ok, hours, np.nan)


def _nights(wake_ns: np.ndarray, bed_ns: np.ndarray, midnights: np.ndarray,
            night_ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The night ending on each date: from going to bed to getting up; 00:00-05:00 when either is unknown.

    Nocturia is waking to void during the main sleep period, whenever that is: a fixed 00:00-05:00 window
    misses the visits of a resident who sleeps 22:00-06:00, and counts the evening routine of one who
    goes to bed at 01:00 (REALISM.md: real bed times 00:00-01:45, wake times 07:00-11:15).
    """
    known = np.isfinite(_sleep_hours(wake_ns, bed_ns))
    prev_bed = np.concatenate(([-1], bed_ns[:-1]))
    return np.where(known, prev_bed, midnights), np.where(known, wake_ns, night_ends)


def _sleep_columns(arr: EventArrays, wake_ns: np.ndarray, bed_ns: np.ndarray,
                   dates: list[date]) -> dict[str, np.ndarray]:
    return {"wake_time": _wall_minutes(arr, wake_ns, dates), "bed_time": _wall_minutes(arr, bed_ns, dates),
            "sleep_duration": _sleep_hours(wake_ns, bed_ns)}


def _clock_minutes(ns: np.ndarray, dates: list[date]) -> np.ndarray:
    """Wall-clock minutes after each date's local midnight of arbitrary UTC moments (-1: NaN), rounded up
    to a whole minute, so the moment they stand for is never earlier than the real one."""
    out = np.full(len(ns), np.nan)
    ok = ns > 0
    if not ok.any():
        return out
    wall = pd.to_datetime(ns[ok], utc=True).tz_convert("Europe/Amsterdam").tz_localize(None)
    midnight = pd.to_datetime(np.array(dates, dtype="datetime64[D]")[ok])
    out[ok] = np.ceil((wall - midnight) / pd.Timedelta(minutes=1))
    return out


def _wall_minutes(arr: EventArrays, ns: np.ndarray, dates: list[date]) -> np.ndarray:
    """Wall-clock minutes after each date's local midnight of event times (07:00 is 420 on DST days too)."""
    out = np.full(len(ns), np.nan)
    ok = ns > 0
    if not ok.any():
        return out
    idx = np.searchsorted(arr.t, ns[ok])
    idx = np.clip(idx, 0, len(arr.t) - 1)
    ords = np.array([day_ordinal(d) for d in dates])[ok]
    out[ok] = (arr.wall[idx] - ords * NS_PER_DAY) / NS_PER_MIN
    return out


def _climate_columns(arr: EventArrays, d0: int, n: int) -> dict[str, np.ndarray]:
    result = {"temperature": np.full(n, np.nan), "co2": np.full(n, np.nan)}
    for kind, column, stat in (("temperature", "temperature", 0.5), ("co2", "co2", 0.9)):
        mask = (arr.kind == kind) & (arr.room != "bathroom")
        if not mask.any():
            continue
        s = pd.Series(arr.value[mask]).groupby(arr.day[mask]).quantile(stat)
        rows = s.index.to_numpy() - d0
        ok = (rows >= 0) & (rows < n)
        result[column][rows[ok]] = s.to_numpy()[ok]
    return result


def feature_days(prep: Prepared) -> tuple[date, date] | None:
    """First and last 04:00 day the events touch."""
    if len(prep.arr) == 0:
        return None
    day = prep.arr.day
    # The night that ends on the calendar date of the last event is a feature of that date.
    last = max(int(day.max()), int(prep.arr.wall.max() // NS_PER_DAY))
    return ordinal_date(int(day.min())), ordinal_date(last)


def daily_features(events: pd.DataFrame, context: ResidentContext) -> pd.DataFrame:
    """One row per 04:00-04:00 day the events cover (index ``date``), one column per feature.

    Columns: ``FEATURES`` (times of day in minutes after local midnight, ``wake_known`` the moment the
    wake-up time became certain, which is when the alerts that depend on it are raised, ``sleep_duration`` and
    ``time_out_of_home`` in hours, ``longest_gap`` in minutes, ``activity_pace`` in activity events
    per active quarter-hour, the rest counts or readings), the
    per-block longest gaps ``gap_b0``..``gap_b7`` (06:00-22:00 in two-hour blocks) used to learn the
    long-lie threshold, ``degraded`` (an activity sensor was silent too long) and ``excluded`` (the day
    must not be learnt from: context period, degraded sensors, or away most of the day).
    """
    prep = prepare(events, context)
    span = feature_days(prep)
    if span is None:
        return pd.DataFrame(columns=list(FEATURES) + list(GAP_COLUMNS) + ["degraded", "excluded"],
                            index=pd.DatetimeIndex([], name="date"))
    return compute_features(prep, context, *span)


def hourly_activity(events: pd.DataFrame) -> pd.DataFrame:
    """Activity events per local calendar date (index ``date``) and local hour (columns 0..23)."""
    frame = validate_events(events)
    active = frame["kind"].isin(list(ACTIVITY_KINDS)) & (frame["value"] == 1.0)
    local = frame.loc[active, "timestamp"].dt.tz_convert("Europe/Amsterdam")
    counts = pd.crosstab(local.dt.tz_localize(None).dt.normalize().rename("date"), local.dt.hour.rename("hour"))
    counts = counts.reindex(columns=range(24), fill_value=0)
    counts.columns = pd.Index(range(24), name="hour")
    counts.index = pd.DatetimeIndex(counts.index, name="date")
    return counts.astype(int)
