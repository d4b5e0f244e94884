"""The daily features the engine keeps, and the recent window of raw events the scoring job reads.

Scoring a day needs the daily feature table of the weeks before it (the baseline learns from it) but
raw events only of the last few days. So the scoring job (``scoring``) reads, per resident:

* the stored feature rows of closed days (``daily_features``; a day is closed two days after it ended,
  when nothing it depends on can still move), which the job itself keeps current;
* the raw events of a recent window only: the last ``LOOKBACK_DAYS`` days (and further back where
  a stored day is missing, of an old feature version or of changed inputs, or where a run of days
  without a door or shower use began), plus ``MARGIN_DAYS`` for the features that look back
  (sleep, bursts, absences), plus the resident's last human event before that (an absence that began
  earlier is recognised as one);
* the device facts from before the window (``storage.event_history``): first messages, and where an
  ongoing silence began.

Every day in the window is computed again from raw events on every run, and the closed ones whose
values or event counts changed are stored: a late event within the window is taken in at once. For
older days a count of their raw events is compared with the stored counts; when they differ (a late
event older than the window, a retention purge) every day is computed again from raw events.

With all of this the replay gives exactly the alerts of ``analytics.analyse`` over the whole history
(tests/service/test_scoring_aggregates.py).
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection

from .analytics.context import ResidentContext
from .analytics.features import (
    FEATURE_VERSION,
    STORED_COLUMNS,
    compute_features,
    excluded,
    prepare,
)
from .analytics.frame import day_ordinal, local_ns
from .analytics.health import DeviceHistory
from .localtime import day_bounds, day_of, from_ms, ms
from .resident_data import events_frame
from .storage import event_history
from .storage.feature_store import StoredDay, load_baseline, stored_days

# A late event up to this many days old is taken in by the next run; older ones by the count check.
LOOKBACK_DAYS = 7
# Days of raw events before the first computed day: sleep looks back to the previous evening, night
# bursts and showers a few hours, the 3-day tests to the day before yesterday.
MARGIN_DAYS = 3
# Before the window, back to the last human event minus this: an absence begins with indoor activity
# followed by the door, and both must be in the window for it to be recognised.
AWAY_MARGIN_MS = 2 * 3_600_000
# A day is closed (computed once, stored) this many days after the day it scores.
CLOSED_AFTER_DAYS = 2
# Stored days read back: enough for the baseline's window even with many excluded days.
READ_BACK_DAYS = 4 * 56


def inputs_key(context: ResidentContext) -> str:
    """What the stored features depend on besides the events: the pet and the devices as paired."""
    devices = sorted((d.device, d.room, d.placement, int(d.report_interval_s)) for d in context.devices)
    text = json.dumps([bool(context.pet), devices])
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Inputs:
    """A resident's inputs to scoring, as read from the database (picklable for worker processes)."""

    context: ResidentContext
    events: pd.DataFrame  # raw events of the window
    history: DeviceHistory | None  # None: the resident has no events at all
    stored: tuple[StoredDay, ...]  # usable stored days before ``start_day``
    recent: dict[date, StoredDay]  # stored days from ``start_day`` on (to store only what changed)
    start_day: date  # the first day computed from the window's raw events
    data_start_day: date  # the day of the resident's first event
    closed_until: date
    baseline_day: date | None = None  # the day the kept baseline (``schema.baselines``) was fitted for


def _run_start(days: list[StoredDay]) -> date | None:
    """The first day of the runs of days without a door use or a shower that reach the last stored day."""
    start = None
    for column in ("door_uses", "showers"):
        k = len(days)
        while k > 0 and days[k - 1].values.get(column) == 0:
            k -= 1
        if k < len(days):
            start = days[k].day if start is None else min(start, days[k].day)
    return start


def _complete_run(days: list[StoredDay], begin: date, key: str, before: date) -> list[StoredDay]:
    """The stored days from ``begin`` on without a gap, of this feature version and these inputs."""
    usable: list[StoredDay] = []
    expect = begin
    for d in days:
        if d.day != expect or d.version != FEATURE_VERSION or d.inputs_key != key or d.day >= before:
            break
        usable.append(d)
        expect = d.day + timedelta(days=1)
    return usable


def read_inputs(conn: Connection, resident_id: str, context: ResidentContext, first: date, today: date) -> Inputs:
    """Read what scoring days ``first``..``today`` needs (see the module docstring)."""
    devices = event_history.assignments(conn, resident_id)
    first_seen, first_active = event_history.first_messages(conn, devices)
    closed_until = today - timedelta(days=CLOSED_AFTER_DAYS)
    fresh_from = min(first, closed_until + timedelta(days=1), today - timedelta(days=LOOKBACK_DAYS))
    if not first_seen:
        empty = events_frame(conn, resident_id, 0, 0)
        return Inputs(context, empty, None, (), {}, fresh_from, fresh_from, closed_until)
    data_start = min(first_seen.values())
    data_start_day = day_of(from_ms(data_start))
    key = inputs_key(context)
    # The baseline learns from at most 56 usable days: older stored days are only read when needed.
    since = max(fresh_from - timedelta(days=READ_BACK_DAYS), data_start_day)
    days = stored_days(conn, resident_id, since)
    usable = _complete_run(days, since, key, fresh_from)
    if since > data_start_day and len(usable) < READ_BACK_DAYS // 2:
        since = data_start_day
        days = stored_days(conn, resident_id, since)
        usable = _complete_run(days, since, key, fresh_from)
    start_day = fresh_from
    if usable:
        start_day = min(start_day, usable[-1].day + timedelta(days=1), _run_start(usable) or start_day)
    else:
        start_day = min(start_day, since)
    usable = [d for d in usable if d.day < start_day]
    if usable and event_history.count_between(conn, devices, ms(day_bounds(usable[0].day)[0]),
                                              ms(day_bounds(start_day)[0])) != sum(d.events for d in usable):
        usable, start_day = [], min(data_start_day, start_day)  # raw events before the window changed
    recent = {d.day: d for d in days if d.day >= start_day}
    window = ms(day_bounds(start_day - timedelta(days=MARGIN_DAYS))[0])
    last_before, last_human = event_history.last_messages_before(conn, devices, window)
    # Read from a little before the last human event: a few messages before ``window`` are then both
    # read and in ``last_before``, which changes no outage (a repeated time is no silence).
    read_from = window if last_human is None else min(window, last_human - AWAY_MARGIN_MS)
    events = events_frame(conn, resident_id, read_from, ms(day_bounds(today)[1]))
    to_ns = 1_000_000
    history = DeviceHistory(
        data_start=data_start * to_ns, window_start=window * to_ns,
        first_seen={k: v * to_ns for k, v in first_seen.items()},
        first_active={k: v * to_ns for k, v in first_active.items()},
        last_before={k: v * to_ns for k, v in last_before.items()})
    kept = load_baseline(conn, resident_id)
    baseline_day = date.fromisoformat(kept["as_of"]) if kept and "as_of" in kept else None
    return Inputs(context, events, history, tuple(usable), recent, start_day, data_start_day, closed_until,
                  baseline_day)


def feature_table(inputs: Inputs, first: date, last: date) -> tuple[Any, pd.DataFrame, list[StoredDay]] | None:
    """(prepared window, the daily feature table ``analyse`` would build, closed days to store).

    None when the resident has no events (``analyse`` returns no alerts then either).
    """
    if inputs.history is None:
        return None
    context = inputs.context
    prep = prepare(inputs.events, context, learn_until=local_ns(first, 240), history=inputs.history)
    begin = min(inputs.data_start_day, first)
    compute_from = max(inputs.start_day, begin)
    fresh = compute_features(prep, context, compute_from - timedelta(days=1), last).iloc[1:]
    rows = [_stored_row(d) for d in inputs.stored]
    older = pd.DataFrame(rows, index=pd.DatetimeIndex([pd.Timestamp(d.day) for d in inputs.stored], name="date"),
                         columns=list(STORED_COLUMNS)) if rows else None
    frame = fresh.drop(columns=["excluded"])
    if older is not None:
        older["degraded"] = older["degraded"].astype(bool)
        frame = pd.concat([older.astype(frame.dtypes.to_dict()), frame])
    frame["excluded"] = excluded(frame, context)
    counts = _day_counts(prep, compute_from, last)
    key = inputs_key(context)
    changed = []
    columns = {c: fresh[c].to_numpy() for c in STORED_COLUMNS}
    for i in range(len(fresh)):
        day = compute_from + timedelta(days=i)
        if day > inputs.closed_until:
            break
        values = {c: _plain(columns[c][i]) for c in STORED_COLUMNS}
        row = StoredDay(day, FEATURE_VERSION, int(counts[i]), key, values)
        if not _same(inputs.recent.get(day), row):
            changed.append(row)
    return prep, frame, changed


def _plain(value: Any) -> float | bool:
    return bool(value) if isinstance(value, (bool, np.bool_)) else float(value)


def _equal(a: Any, b: Any) -> bool:
    """Equal values, a missing feature (NaN) equal to itself."""
    return a == b or (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b))


def _same(old: StoredDay | None, new: StoredDay) -> bool:
    if old is None or (old.version, old.events, old.inputs_key) != (new.version, new.events, new.inputs_key):
        return False
    return all(_equal(old.values.get(k), v) for k, v in new.values.items())


def _stored_row(day: StoredDay) -> list[Any]:
    return [day.values.get(c, np.nan) for c in STORED_COLUMNS]


def _day_counts(prep: Any, first: date, last: date) -> np.ndarray:
    """Raw events per 04:00-04:00 day ``first``..``last``."""
    n = (last - first).days + 1
    row = prep.arr.day - day_ordinal(first)
    ok = (row >= 0) & (row < n)
    return np.bincount(row[ok], minlength=n)[:n]
