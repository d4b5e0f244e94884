"""Running the protocol: simulate each case, replay it strictly online through ``analytics.analyse``.

Each case is independent, so cases run in a process pool (two workers by default: a 2-core laptop).
BLAS is kept single-threaded in the workers (REFERENCE.md: threaded BLAS makes tiny fits slower).
The replay sees only the events up to the end of its last day, exactly as the ``analyse`` command
reads them from the database; ``analyse`` itself scores every day using only data up to each alert's
``raised_at``. Progress goes to stderr.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd

from .protocol import Case

Progress = Callable[[int, int, str], None]


def events_frame(events: Sequence[Any]) -> pd.DataFrame:
    """The events DataFrame the app builds (resident_data.EVENT_COLUMNS) from simulator Events."""
    return pd.DataFrame({
        "timestamp": pd.to_datetime([e.timestamp for e in events], utc=True).as_unit("ns"),
        "device": [e.device for e in events],
        "kind": [e.kind for e in events],
        "room": [e.room for e in events],
        "placement": [e.placement for e in events],
        "value": [float(e.value) for e in events],
    })


def _iso(x: datetime | date) -> str:
    return x.isoformat()


def _truth(entry: dict[str, Any], intervals: dict[str, int]) -> dict[str, Any]:
    out = {"type": entry["type"], "indicators": list(entry["indicators"]), "start": _iso(entry["start"]),
           "end": _iso(entry["end"]), "dates": [_iso(d) for d in entry["dates"]]}
    if entry.get("device"):
        out["device"] = entry["device"]
        out["report_interval_s"] = intervals[entry["device"]]
    return out


def _compact(alert: dict[str, Any]) -> dict[str, Any]:
    return {"date": alert["date"], "raised_at": alert["raised_at"], "indicator": alert["indicator"],
            "severity": alert["severity"], "sensors": [{"device": s["device"]} for s in alert["sensors"]]}


def run_case(case: Case) -> dict[str, Any]:
    """Simulate and replay one case; a JSON-safe record of what happened (amber/red alerts only)."""
    from ..analytics import ContextPeriod, DeviceInfo, ResidentContext, analyse
    from ..localtime import day_bounds
    from ..simulate import Injection, simulate_home

    began = time.perf_counter()
    injections = []
    if case.type is not None and case.inject_day is not None:
        injections = [Injection(case.type, case.start + timedelta(days=case.inject_day))]
    home = simulate_home(case.home, case.days, case.seed, case.start, injections,
                         visitors=case.condition != "untouched", pet=case.condition == "pet",
                         absence=case.condition == "absence")
    cutoff = day_bounds(case.last_day)[1]
    events = [e for e in home.events if e.timestamp < cutoff]
    periods = tuple(ContextPeriod("absence", a, b) for a, b in home.absences)
    context = ResidentContext(
        resident_id=home.resident_id, household=home.household, pet=home.pet, periods=periods,
        devices=tuple(DeviceInfo(d.device, d.room, d.placement, d.report_interval_s) for d in home.devices))
    simulated = time.perf_counter()
    alerts = analyse(events_frame(events), context, case.first_day, case.last_day)
    intervals = {d.device: d.report_interval_s for d in home.devices}
    return {
        "case": case.to_dict(),
        "scored_days": (case.last_day - case.first_day).days + 1,
        "devices": sorted(intervals),
        "truth": [_truth(t, intervals) for t in home.ground_truth],
        "alerts": [_compact(a) for a in alerts if a["severity"] in ("amber", "red")],
        "info_alerts": sum(1 for a in alerts if a["severity"] == "info"),
        "visitor_dates": [_iso(d) for d in home.visitor_days if case.first_day <= d <= case.last_day],
        "absences": [[_iso(a), _iso(b)] for a, b in home.absences],
        "events": len(events),
        "seconds": {"simulate": round(simulated - began, 2), "analyse": round(time.perf_counter() - simulated, 2)},
    }


def _cost(case: Case) -> int:
    return (case.last_day - case.first_day).days


def _init_worker() -> None:
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"


def stderr_progress(done: int, total: int, label: str) -> None:
    """One line per finished case on stderr."""
    print(f"evaluate: {done}/{total} {label}", file=sys.stderr, flush=True)


def run_cases(cases: Sequence[Case], jobs: int = 2, progress: Progress | None = None) -> list[dict[str, Any]]:
    """Run every case (longest first, for an even load); results in the order of ``cases``."""
    order = sorted(range(len(cases)), key=lambda i: -_cost(cases[i]))
    results: list[dict[str, Any] | None] = [None] * len(cases)
    began = time.perf_counter()
    if jobs <= 1:
        for n, i in enumerate(order, 1):
            results[i] = run_case(cases[i])
            if progress:
                progress(n, len(cases), f"{cases[i].key} ({time.perf_counter() - began:.0f} s)")
        return [r for r in results if r is not None]
    _init_worker()  # inherited by spawned workers before they import numpy
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_init_worker) as pool:
        futures = {pool.submit(run_case, cases[i]): i for i in order}
        for n, future in enumerate(as_completed(futures), 1):
            i = futures[future]
            results[i] = future.result()
            if progress:
                progress(n, len(cases), f"{cases[i].key} ({time.perf_counter() - began:.0f} s)")
    return [r for r in results if r is not None]
