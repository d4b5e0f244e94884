"""The engine's analysis job: score each resident's recent days and store the alerts raised by now.

Run every few minutes, it also acts as the real-time rules (long lie, night exit, silent sensor): the
replay only raises an alert at the moment its own data allows (strict online), and alerts whose
``raised_at`` is still in the future are left for a later run. A stored alert is never replaced, so
re-running is idempotent.

Each resident is scored exactly as ``Service.analyse`` replays it (same events, same context, the same
replay, one "read" entry in the access log), so the job stores exactly the alerts of the ``analyse``
command that are due by now; ``until=now`` only spares the replay the work for alerts that are not due
yet (tests/service/test_scoring.py checks both give the same alerts). It does not re-read whole
histories: with the aggregates (``daily_aggregates``, on by default) it reads the daily features it
keeps for closed days and only the last days of raw events, stores the closed days that are new or
changed, and once a day keeps the fitted baseline as plain parameters
(tests/service/test_scoring_aggregates.py checks the alerts equal the full replay's). For many
residents the pure analysis runs in worker processes (``processes``): this process checks access,
writes the access-log entries a batch at a time, reads each resident's data and stores the results;
the workers only compute. BLAS stays single-threaded inside every fit; the parallelism is across
residents. If the worker processes cannot start or die, the residents they had not finished are scored
in this process and ``ScoringWorkersFailed`` says so afterwards (no resident goes unscored, no hang).
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.connection
import os
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import date, datetime, timedelta
from typing import Any

from .daily_aggregates import Inputs, feature_table, read_inputs
from .errors import SlimMaatwerkError
from .localtime import day_bounds, day_of, ms, parse_timestamp
from .resident_data import analysis_context, events_frame
from .service import Service
from .storage.feature_store import StoredDay, save_baseline, save_days

# Below this many residents the worker processes' start-up (imports of pandas/statsmodels) costs more
# than they save.
PARALLEL_MIN_RESIDENTS = 24
# Residents whose access-log entries are written in one transaction, and read ahead of the workers.
BATCH = 16
BLAS_THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
# Score from the kept daily features and recent raw events (``daily_aggregates``), not whole histories.
USE_AGGREGATES = True

log = logging.getLogger(__name__)


class ScoringWorkersFailed(SlimMaatwerkError):
    """The worker processes failed; this process scored what they had not, so no resident was left out."""

    def __init__(self, cause: BaseException, stored: int) -> None:
        self.stored = stored
        super().__init__(
            f"the scoring worker processes failed ({type(cause).__name__}: {cause}); the residents they had not "
            "finished were scored in this process instead, so every resident's alerts are stored. If this "
            "repeats, check that this program may start itself again (antivirus, a damaged installation); "
            "until then scoring uses one core only")


def default_processes(residents: int) -> int:
    """Worker processes for ``residents`` residents: up to 2 (the target laptop has 2 cores), 0 for few.

    The same in the frozen (PyInstaller) bundle: multiprocessing's spawn starts the bundled executable
    itself, whose entry scripts (packaging/pyinstaller/) call ``multiprocessing.freeze_support()`` first,
    so a worker runs the pool's task loop and never the command line again. tests/packaging/test_bundle.py
    scores residents through the bundle's worker processes and checks their alerts against one process.
    """
    if residents < PARALLEL_MIN_RESIDENTS:
        return 0
    return max(0, min(2, os.cpu_count() or 1))


Result = tuple[list[dict], list[StoredDay], dict | None]
Task = tuple[Any, Any, date, date, datetime, bool]  # a resident's data, context, first and last day, now, score


def _analyse_task(args: Task) -> Result:
    """Worker body: the pure replay of one resident (no database, no access checks).

    With ``Inputs`` (the kept aggregates and a recent window of events): also the closed days whose
    stored features must be written, and once a day the baseline of ``last`` to keep (all its fits
    made); with a frame of all events: the plain ``analyse``.
    """
    data, context, first, last, now, score = args
    if isinstance(data, Inputs):
        from .analytics.replay import replay

        table = feature_table(data, first, last)
        if table is None:
            return [], [], None
        prep, feats, changed = table
        if not score:
            return [], changed, None
        baselines: dict = {}
        alerts = replay(prep, feats, context, first, last, until=now, baselines=baselines)
        keep = None
        if data.baseline_day != last and last in baselines:
            keep = {"as_of": last.isoformat(), **baselines[last].to_dict()}
        return alerts, changed, keep
    from .analytics import analyse

    return analyse(data, context, first, last, until=now), [], None


def _worker_task(args: Task) -> tuple[int, Result]:
    """``_analyse_task`` in a worker, with the worker's process id (the job reports which workers ran)."""
    return os.getpid(), _analyse_task(args)


def _worker_init() -> None:
    """Make the worker leave with its parent.

    A worker blocks on the task queue, whose pipe it holds both ends of, so it would outlive an engine
    killed outright (kill -9, a Windows service stopped hard) holding its memory forever: it exits once
    the parent's sentinel fires. BLAS is not set here: numpy is already loaded when this runs, so the
    workers get BLAS_THREAD_VARS through the environment they start with (see ``worker_pool``).
    """
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def leave_with_parent() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=leave_with_parent, name="leave-with-parent", daemon=True).start()


def _inputs(system: Service, ids: list[str], first: date, last: date,
            aggregates: bool = False, score: bool = True) -> Iterator[tuple[str, Any, Any]]:
    """(resident, events, context) for each resident, as ``Service.analyse`` reads them.

    Per batch: the access checks, then one transaction with the "read" access-log entry of every
    resident in the batch (the same entries ``Service.analyse`` writes), then the reads.
    ``aggregates``: instead of all events, the ``daily_aggregates.Inputs`` (stored days, recent events).
    """
    to_ms = ms(day_bounds(last)[1])

    def read(conn: Any, rid: str) -> tuple[str, Any, Any]:
        context = analysis_context(conn, rid)
        if aggregates:
            return rid, read_inputs(conn, rid, context, first, last), context
        return rid, events_frame(conn, rid, None, to_ms), context

    for start in range(0, len(ids), BATCH):
        batch = ids[start:start + BATCH]
        for rid in batch:
            system._require("analyse", rid)
        with system.db.begin() as conn:
            for rid in batch:
                system._known_resident(conn, rid)
                system._log(conn, "read", rid, f"analyse {first} to {last}" if score else f"daily features to {last}")
        with system.db.read() as conn:  # read the whole batch, then release the connection
            done = [read(conn, rid) for rid in batch]
        yield from done


def score_residents(system: Service, now: datetime, days_back: int = 1,
                    progress: Callable[[int, int], None] | None = None,
                    processes: int | None = None, aggregates: bool | None = None, score: bool = True,
                    worker_pids: set[int] | None = None) -> int:
    """Score yesterday and today (by default) for every resident; returns the number of alerts stored.

    ``processes``: worker processes for the analysis (None: ``default_processes``; 0: in this process).
    ``aggregates``: read the kept daily features and recent raw events only, and keep the features
    current (None: ``USE_AGGREGATES``); False: read every resident's whole history of raw events.
    ``score``: False only keeps the daily features current (see ``keep_daily_features``).
    ``worker_pids``: filled with the process id of every worker process that analysed a resident.
    Raises ``ScoringWorkersFailed`` after the end if the workers failed and this process took over.
    """
    aggregates = USE_AGGREGATES if aggregates is None else aggregates
    today = day_of(now)
    first = today - timedelta(days=days_back)
    residents = [r for r in system.list_residents() if r.active]
    ids = [r.id for r in residents]
    workers = default_processes(len(ids)) if processes is None else max(0, int(processes))
    stored = 0
    done = 0

    def finish(rid: str, result: Result) -> None:
        nonlocal stored, done
        alerts, changed, baseline = result
        if changed or baseline:
            with system.db.begin() as conn:
                save_days(conn, rid, changed, ms(now))
                if baseline:
                    save_baseline(conn, rid, baseline, ms(now))
        due = [a for a in alerts if parse_timestamp(a["raised_at"]) <= now]
        stored += system.store_alerts(rid, due)
        done += 1
        if progress:
            progress(done, len(ids))

    tasks = ((rid, (data, context, first, today, now, score))
             for rid, data, context in _inputs(system, ids, first, today, aggregates, score))
    # Submitted to the workers and not finished yet: what this process redoes if the workers fail.
    pending: deque[tuple[str, Task, Future[tuple[int, Result]]]] = deque()
    failure: BaseException | None = None
    if workers and len(ids) >= 2:
        try:
            _score_in_workers(workers, tasks, pending, finish, worker_pids)
        except BrokenProcessPool as exc:  # a worker died, or could not be started at all
            failure = exc
            log.warning("scoring worker processes failed (%s: %s); scoring the remaining residents in this "
                        "process", type(exc).__name__, exc)
    for rid, args, _future in pending:
        finish(rid, _analyse_task(args))
    for rid, args in tasks:
        finish(rid, _analyse_task(args))
    if failure is not None:
        raise ScoringWorkersFailed(failure, stored) from failure
    return stored


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """``workers`` worker processes with single-threaded BLAS, which leave when this process ends.

    Spawn, never fork: the engine runs threads (the writer, paho, Qt in the app). In the frozen bundle
    spawn starts the bundled executable, whose ``freeze_support()`` turns it into a worker. An
    administrator's own BLAS_THREAD_VARS are kept (as in the systemd unit, which sets them to 1).
    """
    for var in BLAS_THREAD_VARS:  # inherited by the workers, so set before numpy loads BLAS in them
        os.environ.setdefault(var, "1")
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"), initializer=_worker_init)


def _score_in_workers(workers: int, tasks: Iterator[tuple[str, Task]],
                      pending: deque[tuple[str, Task, Future[tuple[int, Result]]]],
                      finish: Callable[[str, Result], None], worker_pids: set[int] | None) -> None:
    """Run ``tasks`` in ``workers`` worker processes, finishing each resident here in submission order."""
    window = 4 * workers  # residents in flight: keeps the workers busy, bounds memory

    def finish_oldest() -> None:
        rid, _args, future = pending[0]
        pid, result = future.result()
        pending.popleft()  # only once its result is in: a failed one is redone by the caller
        if worker_pids is not None:
            worker_pids.add(pid)
        finish(rid, result)

    with worker_pool(workers) as pool:
        for rid, args in tasks:
            pending.append((rid, args, Future()))  # a placeholder until submitted, so a failed submit is redone
            try:  # the first submit starts the workers
                pending[-1] = (rid, args, pool.submit(_worker_task, args))
            except OSError as exc:
                raise BrokenProcessPool(f"could not start a worker process: {exc}") from exc
            while len(pending) >= window:
                finish_oldest()
        while pending:
            finish_oldest()


def keep_daily_features(system: Service, now: datetime, processes: int | None = None) -> None:
    """Store the daily features of every resident's closed days, without scoring (``daily_aggregates``).

    The scoring job keeps them current as it goes; this is the same work on its own, for a first
    fill after an upgrade and to measure what keeping the aggregates costs.
    """
    score_residents(system, now, 1, processes=processes, aggregates=True, score=False)
