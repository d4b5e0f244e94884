"""Speed of the nightly job (issue 4, "Speed"): 1,000 residents x 56 days in a real SQLite database.

    python tests/benchmarks/bench_analyse.py [--residents N] [--days D] [--repeats R] [--profile K] [--protected]
                                             [--full-history]

``--protected`` runs the same measurement on an SQLCipher-encrypted copy of the cached data (made with
``sqlcipher_export``, keys from service credentials, see ``protected.py``); the access log is on in both.

The database is generated once and cached under ``.cache/bench_analyse/`` (gitignored, never committed):
simulated homes (the simulator's "minimal" kit of 7 sensors, its bathroom climate sensor reporting about
every 45 minutes: ~500-600 events per resident per day) stored through the service facade as paired devices, exactly as the demo does.
``TEMPLATES`` distinct simulated homes are reused across residents (each resident has its own devices
and identities), which keeps generation to minutes; the analytics cannot tell.

Timed, in the same run:

* ``seconds``: the real nightly job, ``scoring.score_residents(service, now)`` — for every resident it
  reads the daily features the engine keeps and the raw events of the last days from the database,
  replays yesterday and today (``daily_aggregates``: exactly what ``analytics.analyse`` over all raw
  events gives) and stores the alerts raised by ``now``. Median of ``--repeats`` runs.
* ``aggregate_day_s``: what keeping those aggregates costs the engine per day of events: storing the
  daily features of the day that closes this night, for every resident (``keep_daily_features``),
  timed before the nightly job. ``--full-history`` also times the job reading every resident's whole
  history of raw events instead (``seconds_full_history``, the way it worked before).
  ``score_residents`` runs the analysis in its own worker processes (``--job-processes``; by default
  2 on this size). ``cpu_seconds`` is the CPU time of the job (this process and its workers): on a
  shared, busy machine ``seconds`` depends on the other load (``load_avg_1m``), ``cpu_seconds`` less.
* ``seconds_parallel``: the plain per-resident loop (``Service.analyse`` + ``store_alerts``) with the
  residents split over ``--processes`` worker processes, each with its own database connection.
* ``bare_fit_seconds``: the same number (one per resident) of bare statsmodels fits — a
  negative-binomial GLM of 56 x 24 hourly counts with daily Fourier terms and a weekend effect, the
  REFERENCE.md yardstick — on data already in memory. Median of ``--repeats`` runs.

With ``--profile K`` the job is also run for K residents with a per-stage breakdown (context, database
read, features, replay, store) and a cProfile summary on stderr. The last line of stdout is one JSON object.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # single-threaded BLAS inside fits (REFERENCE.md)

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from slimmaatwerk.clock import FixedClock
from slimmaatwerk.events import Event
from slimmaatwerk.identity import open_session
from slimmaatwerk.localtime import TZ

CACHE = ROOT / ".cache" / "bench_analyse"
START = datetime(2026, 1, 5).date()
SEED = 4242
TEMPLATES = 40
CLIMATE_KEEP = 8  # minimal kit, every 8th humidity/temperature reading: ~500-600 events per resident per day


def _now(days: int) -> datetime:
    """04:30 local on the morning after the last day: the nightly job's moment."""
    return datetime.combine(START + timedelta(days=days), dtime(4, 30), tzinfo=TZ).astimezone(UTC)


def _template(index: int, days: int) -> Any:
    from slimmaatwerk.simulate import simulate_home

    home = simulate_home(index, days, SEED, START, profile="minimal")
    climate_seen: dict[str, int] = {}
    kept = []
    for e in home.events:
        if e.kind in ("humidity", "temperature"):
            n = climate_seen.get(e.kind, 0)
            climate_seen[e.kind] = n + 1
            if n % CLIMATE_KEEP:
                continue
        kept.append(e)
    home.events = kept
    return home


def _upgrade(data_dir: Path) -> None:
    """A cached database made by an older schema is migrated, as ``slimmaatwerk db upgrade`` would."""
    from slimmaatwerk.identity import database_url
    from slimmaatwerk.storage import migrate
    from slimmaatwerk.storage.database import Database

    db = Database(database_url(data_dir), check_schema=False)
    if not migrate.is_empty(db.engine):
        before, after = migrate.upgrade(db.engine)
        if before != after:
            print(f"bench: cached database schema {before} -> {after}", file=sys.stderr)
    db.engine.dispose()


def build(residents: int, days: int, data_dir: Path) -> dict[str, Any]:
    """Generate the database (once); returns its description."""
    marker = data_dir / "bench.json"
    if marker.exists():
        _upgrade(data_dir)
        info = json.loads(marker.read_text())
        if info["residents"] == residents and info["days"] == days:
            return info
        raise SystemExit(f"{data_dir} holds a different benchmark ({info}); remove it or use another size")
    began = time.perf_counter()
    session = open_session(data_dir, FixedClock(_now(days)), warn=lambda _t: None)
    service = session.service
    templates = [_template(i, days) for i in range(min(TEMPLATES, residents))]
    total = 0
    for r in range(residents):
        home = templates[r % len(templates)]
        rid = f"b{r:04d}"
        service.add_resident(rid, f"Bench {r}", "alone", False, "bench")
        by_device: dict[str, list[Event]] = {}
        for e in home.events:
            by_device.setdefault(e.device, []).append(e)
        for dev in home.devices:
            name = f"{rid}/{dev.device}"
            evs = [Event(e.timestamp, name, e.kind, e.value, e.room, e.placement) for e in by_device.get(dev.device, [])]
            service.store_device_events(rid, f"zigbee:{rid}:{dev.ieee}", name, dev.room, dev.placement, evs,
                                        model=dev.model, vendor=dev.vendor, report_interval_s=dev.report_interval_s)
            total += len(evs)
        if (r + 1) % 50 == 0 or r + 1 == residents:
            print(f"bench: generated {r + 1}/{residents} residents, {total} events "
                  f"({time.perf_counter() - began:.0f} s)", file=sys.stderr, flush=True)
    info = {"residents": residents, "days": days, "events_in_db": total, "templates": len(templates),
            "generated_s": round(time.perf_counter() - began, 1)}
    marker.write_text(json.dumps(info))
    return info


def engine_service(data_dir: Path, days: int) -> Any:
    """The service as the engine's own ``system`` account (the one that may store alerts)."""
    from slimmaatwerk.service import Service
    from slimmaatwerk.storage import accounts

    session = open_session(data_dir, FixedClock(_now(days)), warn=lambda _t: None)
    with session.db.begin() as conn:
        user = accounts.user_by_name(conn, "bench-engine") or accounts.create_user(
            conn, "bench-engine", "Benchmark engine", "system", int(_now(days).timestamp() * 1000),
            all_residents=True)
    return Service(session.db, user, FixedClock(_now(days)))


def _cpu_seconds() -> float:
    """CPU time (user + system) of this process and of its finished worker processes."""
    import resource

    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


CPU_SECONDS: list[float] = []


def nightly(data_dir: Path, days: int, processes: int | None = None, aggregates: bool = True) -> float:
    """One run of the real nightly job; seconds (its CPU seconds are appended to ``CPU_SECONDS``)."""
    from sqlalchemy import delete

    from slimmaatwerk.scoring import score_residents
    from slimmaatwerk.storage.schema import baselines

    service = engine_service(data_dir, days)
    with service.db.begin() as conn:
        # The first run of the day keeps each resident's baseline: make every repeat that run.
        conn.execute(delete(baselines))
    began, cpu = time.perf_counter(), _cpu_seconds()
    score_residents(service, _now(days), processes=processes, aggregates=aggregates)
    CPU_SECONDS.append(_cpu_seconds() - cpu)
    return time.perf_counter() - began


def keep_aggregates(data_dir: Path, days: int, processes: int | None = None) -> float:
    """The engine's keeping of the daily features, as it stands at the nightly job; seconds for the last day.

    First the state of the night before (every day closed by then stored: a first fill reads every
    raw event once), then, timed, the keeping of the one day that closes this night for every resident
    (its stored rows are removed first, so each repeat does the same work).
    """
    from sqlalchemy import delete

    from slimmaatwerk.daily_aggregates import CLOSED_AFTER_DAYS
    from slimmaatwerk.localtime import day_of
    from slimmaatwerk.scoring import keep_daily_features
    from slimmaatwerk.storage.schema_features import daily_features

    service = engine_service(data_dir, days)
    keep_daily_features(service, _now(days) - timedelta(days=1), processes)
    closing = day_of(_now(days)) - timedelta(days=CLOSED_AFTER_DAYS)
    with service.db.begin() as conn:
        conn.execute(delete(daily_features).where(daily_features.c.day == closing.isoformat()))
    began = time.perf_counter()
    keep_daily_features(service, _now(days), processes)
    return time.perf_counter() - began


def _score_share(args: tuple[str, int, list[str]]) -> int:
    """The body of ``score_residents`` for a share of the residents (one worker process)."""
    from slimmaatwerk.localtime import day_of, parse_timestamp

    data_dir, days, ids = Path(args[0]), args[1], args[2]
    service = engine_service(data_dir, days)
    now = _now(days)
    today = day_of(now)
    stored = 0
    for rid in ids:
        result = service.analyse(rid, today - timedelta(days=1), today)
        stored += service.store_alerts(rid, [a for a in result["alerts"] if parse_timestamp(a["raised_at"]) <= now])
    return stored


def nightly_parallel(data_dir: Path, days: int, processes: int) -> float:
    """The same job with the residents split over ``processes`` worker processes; seconds (incl. start-up)."""
    import multiprocessing

    service = engine_service(data_dir, days)
    ids = [r.id for r in service.list_residents() if r.active]
    shares = [(str(data_dir), days, ids[i::processes]) for i in range(processes)]
    began = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        pool.map(_score_share, shares)
    return time.perf_counter() - began


def bare_fits(count: int, days: int) -> float:
    """``count`` bare NB GLM fits of hourly counts with daily Fourier terms and a weekend effect; seconds."""
    import statsmodels.api as sm

    rng = np.random.default_rng(1)
    hours = np.arange(days * 24)
    hod = hours % 24
    weekend = ((hours // 24) % 7 >= 5).astype(float)
    X = np.column_stack([np.ones(len(hours)), weekend] + [f(2 * np.pi * k * hod / 24) for k in (1, 2)
                                                         for f in (np.sin, np.cos)])
    mu = np.exp(1.0 + 1.2 * np.sin(2 * np.pi * (hod - 9) / 24))
    ys = [rng.negative_binomial(5, 5 / (5 + mu)) for _ in range(min(count, 50))]
    family = sm.families.NegativeBinomial(alpha=0.2)
    began = time.perf_counter()
    for i in range(count):
        sm.GLM(ys[i % len(ys)], X, family=family).fit()
    return time.perf_counter() - began


def profile(data_dir: Path, days: int, k: int) -> dict[str, float]:
    """Per-stage milliseconds per resident for k residents of the nightly job, and a cProfile summary on stderr."""
    from slimmaatwerk.analytics.replay import replay
    from slimmaatwerk.daily_aggregates import feature_table, read_inputs
    from slimmaatwerk.localtime import day_of, parse_timestamp
    from slimmaatwerk.resident_data import analysis_context

    service = engine_service(data_dir, days)
    now = _now(days)
    today = day_of(now)
    first = today - timedelta(days=1)
    stages = {"context": 0.0, "db_read": 0.0, "features": 0.0, "replay": 0.0, "store": 0.0}
    ids = [r.id for r in service.list_residents()][:k]
    prof = cProfile.Profile()
    prof.enable()
    for rid in ids:
        t0 = time.perf_counter()
        with service.db.read() as conn:
            context = analysis_context(conn, rid)
            t1 = time.perf_counter()
            inputs = read_inputs(conn, rid, context, first, today)
        t2 = time.perf_counter()
        table = feature_table(inputs, first, today)
        t3 = time.perf_counter()
        alerts = replay(table[0], table[1], context, first, today, until=now) if table else []
        t4 = time.perf_counter()
        service.store_alerts(rid, [a for a in alerts if parse_timestamp(a["raised_at"]) <= now])
        t5 = time.perf_counter()
        for key, a, b in (("context", t0, t1), ("db_read", t1, t2), ("features", t2, t3), ("replay", t3, t4),
                          ("store", t4, t5)):
            stages[key] += b - a
    prof.disable()
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(30)
    print(out.getvalue(), file=sys.stderr)
    return {key: round(v / max(len(ids), 1) * 1000, 2) for key, v in stages.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--residents", type=int, default=1000)
    parser.add_argument("--days", type=int, default=56)
    parser.add_argument("--repeats", type=int, default=1, help="runs of the nightly job (median)")
    parser.add_argument("--profile", type=int, default=0, metavar="K", help="also profile K residents")
    parser.add_argument("--processes", type=int, default=2,
                        help="also time the per-resident Service.analyse loop split over this many processes (0: skip)")
    parser.add_argument("--job-processes", type=int, default=None,
                        help="worker processes of score_residents itself (default: its own choice, 2 here)")
    parser.add_argument("--cache", type=Path, default=None, help=f"database folder (default {CACHE}/<size>)")
    parser.add_argument("--full-history", action="store_true",
                        help="also time the job reading every resident's whole history of raw events (the old way)")
    parser.add_argument("--protected", action="store_true",
                        help="run on an SQLCipher-encrypted copy of the data, keys from service credentials")
    args = parser.parse_args(argv)
    data_dir = args.cache or CACHE / f"r{args.residents}_d{args.days}"
    info = build(args.residents, args.days, data_dir)
    protection = {"protected": False}
    if args.protected:
        from tests.benchmarks.protected import describe, protected_copy

        data_dir = protected_copy(data_dir)
        protection = describe(data_dir)
        if not protection["protected"]:
            raise SystemExit(f"--protected: {data_dir} did not open protected ({protection})")
        print(f"bench: protected run on {data_dir} ({protection})", file=sys.stderr)
    aggregate_runs = [keep_aggregates(data_dir, args.days, args.job_processes) for _ in range(max(args.repeats, 1))]
    runs = [nightly(data_dir, args.days, args.job_processes) for _ in range(max(args.repeats, 1))]
    fits = [bare_fits(args.residents, args.days) for _ in range(max(args.repeats, 3))]
    seconds, bare = statistics.median(runs), statistics.median(fits)
    result: dict[str, Any] = {
        "residents": args.residents, "days": args.days, "events_in_db": info["events_in_db"],
        "seconds": round(seconds, 2), "bare_fit_seconds": round(bare, 3), "ratio": round(seconds / bare, 1),
        "runs": [round(r, 2) for r in runs], "target_seconds": 60, "meets_target": seconds <= 60,
        "cpu_seconds": round(statistics.median(CPU_SECONDS), 1), "cpu_count": os.cpu_count(),
        "load_avg_1m": round(os.getloadavg()[0], 2), "protection": protection,
        "aggregate_day_s": round(statistics.median(aggregate_runs), 2),
    }
    if args.full_history:
        result["seconds_full_history"] = round(nightly(data_dir, args.days, args.job_processes, aggregates=False), 2)
    if args.processes > 1:
        result["seconds_parallel"] = round(nightly_parallel(data_dir, args.days, args.processes), 2)
        result["processes"] = args.processes
    if args.profile:
        result["per_resident_ms"] = profile(data_dir, args.days, args.profile)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
