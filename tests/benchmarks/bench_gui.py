"""Speed and memory of the coordinator's desktop (issue 5, "Benchmark"): 1,000 residents x 90 days.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/benchmarks/bench_gui.py [--residents N] [--days D] [--runs 5] [--protected] [--profile FILE]

``--protected`` runs the same measurement on an SQLCipher-encrypted copy of the cached data (made with
``sqlcipher_export``, keys from service credentials, see ``protected.py``); the access log is on in both.
``--profile FILE`` runs the in-process timings under cProfile (the UI thread: where the window's own
Python time goes), writes the stats to FILE and the top functions to stderr; its timings are inflated.

The data folder is generated once and cached under ``.cache/bench_gui/`` (gitignored); delete it to
regenerate (about 4 minutes). Statuses depend on "now", so the in-process timings run on a fixed clock
``NOW_AFTER_GENERATION`` after the generation (as if the app were opened then); the real app process
of ``peak_rss_mb`` runs on the system clock. The data is stored through the real storage path, the service facade (``add_resident``, ``store_device_events``,
``store_alerts``), exactly as the demo seeds its world:

* ONE resident (``b0000``, the simulator's "standard" kit, 13 sensors) holds the full realistic 90 days
  of ``simulate_home`` events (~1,400 events per day) with an injected deviation yesterday; its alerts
  are the real analysis (``Service.analyse`` of the last 7 days, stored as the engine would). This is
  the resident of ``detail_render_s``.
* The other residents each hold 90 days of a simulated home ("minimal" kit, 7 sensors; ``TEMPLATES``
  distinct simulated homes reused, each resident with its own devices) thinned to about
  ``THIN_EVENTS_PER_DAY`` events per resident per day, always keeping every device's newest reading
  of each kind, so device state (last activity, battery, last seen) is exactly what the full stream
  would leave. Realistic volume (~500 events per resident per day, ~45M events) takes too long to
  generate here, and the overview does not read raw events: it reads device_state, alerts and
  assignments. A deterministic ~12% of residents get copies of the full resident's real alerts (red
  or amber, open) so the overview has every status. Exact numbers are in the JSON.

Timed in one process (offscreen QApplication, database open, imports warm; one unmeasured warm-up
each), every figure the median of ``--runs``:

* ``overview_open_s``: a new ``MainWindow`` over ``ServiceSource`` (with the workspace: inbox, banner)
  is created and shown, until the residents table's viewport has painted after the overview arrived
  and its last visible row shows its final status text (checked against ``Service.overview()``).
* ``bare_table_s``: the same rows fetched with ``Service.overview()`` on the UI thread into a minimal
  display-only table model, shown in a plain ``QTableView``, until its viewport has painted.
* ``overview_query_s``: ``Service.overview()`` alone (where the time goes).
* ``detail_render_s``: in the running window, from selecting the full resident (another resident's
  detail shown before) until the detail with 90 days (``Service.resident_detail(rid, days=90)``) is
  set and the heatmap's view has painted it. ``detail_query_s``: ``resident_detail(rid, days=90)`` alone.
* ``overview_ui_cpu_s`` and ``detail_ui_cpu_s``: the UI thread's own CPU time (``time.thread_time``) in
  the same runs. On a loaded machine wall times wait for the CPU; these count only the work the UI
  thread did, so they compare two versions of the code better (workers' queries are not in them).
* ``peak_rss_mb``: peak RSS (``VmHWM`` of /proc/<pid>/status, polled) of the real
  ``python -m slimmaatwerk app --data-dir D --screenshot out.png`` process, which opens the overview
  and the first resident's detail (28 days, the app's default), saves the screenshot and exits.
  ``app_screenshot_s``: that process's wall time.

Human-readable lines go to stderr; the last line of stdout is one JSON object.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from slimmaatwerk.clock import FixedClock
from slimmaatwerk.events import Event
from slimmaatwerk.identity import open_session
from slimmaatwerk.localtime import TZ

CACHE = ROOT / ".cache" / "bench_gui"
SEED = 5151
TEMPLATES = 12
THIN_EVENTS_PER_DAY = 24
FULL_ID = "b0000"
ALERT_EVERY = 8  # every 8th resident gets open alerts (~12%)
TEAMS = ("Team Noord", "Team Zuid", "Team Oost", "Team West")
TARGETS = {"overview_open_s": 1.0, "detail_render_s": 0.3, "peak_rss_mb": 500.0}
TIMEOUT_S = 120.0
VERSION = 1  # of the generated data; bump to regenerate cached folders
NOW_AFTER_GENERATION = timedelta(minutes=5)


def log(text: str) -> None:
    print(f"bench_gui: {text}", file=sys.stderr, flush=True)


# -- data ---------------------------------------------------------------------------------------------
def _thin(events: list[Event], days: int) -> list[Event]:
    """About THIN_EVENTS_PER_DAY per day, evenly over the kinds, plus each (device, kind)'s newest."""
    events = sorted(events, key=lambda e: e.timestamp)
    step = max(1, math.ceil(len(events) / (days * THIN_EVENTS_PER_DAY)))
    newest: dict[tuple[str, str], int] = {}
    for i, e in enumerate(events):
        newest[(e.device, e.kind)] = i
    keep = set(range(0, len(events), step)) | set(newest.values())
    return [events[i] for i in sorted(keep)]


def _store_home(service: Any, rid: str, home: Any, events: list[Event]) -> int:
    by_device: dict[str, list[Event]] = defaultdict(list)
    for e in events:
        by_device[e.device].append(e)
    total = 0
    for dev in home.devices:
        name = f"{rid}/{dev.device}"
        evs = [Event(e.timestamp, name, e.kind, e.value, e.room, e.placement) for e in by_device.get(dev.device, [])]
        service.store_device_events(rid, f"zigbee:{rid}:{dev.ieee}", name, dev.room, dev.placement, evs,
                                    model=dev.model, vendor=dev.vendor, report_interval_s=dev.report_interval_s)
        total += len(evs)
    return total


def _engine(session: Any, now: datetime) -> Any:
    from slimmaatwerk.service import Service
    from slimmaatwerk.storage import accounts

    with session.db.begin() as conn:
        user = accounts.user_by_name(conn, "bench-engine") or accounts.create_user(
            conn, "bench-engine", "Benchmark engine", "system", int(now.timestamp() * 1000), all_residents=True)
    return Service(session.db, user, FixedClock(now))


def _upgrade_schema(data_dir: Path) -> None:
    """The cached data outlives schema changes: migrate it as ``slimmaatwerk db upgrade`` would (the app
    refuses a schema it does not know; regenerating would take minutes)."""
    from slimmaatwerk.storage import migrate
    from slimmaatwerk.storage.database import Database

    db = Database(f"sqlite:///{data_dir / 'slimmaatwerk.db'}", check_schema=False)
    try:
        before, after = migrate.upgrade(db.engine)
    finally:
        db.dispose()
    if before != after:
        log(f"cached data in {data_dir}: schema {before} -> {after}")


def build(residents: int, days: int, data_dir: Path) -> dict[str, Any]:
    """Generate the data folder once per day; returns its description (also in ``bench.json``)."""
    from slimmaatwerk.localtime import parse_timestamp
    from slimmaatwerk.simulate import Injection, simulate_home

    now = datetime.now(UTC).replace(microsecond=0)
    today = now.astimezone(TZ).date()
    marker = data_dir / "bench.json"
    if marker.exists():
        info = json.loads(marker.read_text())
        if (info.get("residents"), info.get("days"), info.get("version")) == (residents, days, VERSION):
            _upgrade_schema(data_dir)
            return info
        log(f"cached data in {data_dir} is of another size or version; regenerating")
    if data_dir.exists():
        shutil.rmtree(data_dir)
    began = time.perf_counter()
    start = today - timedelta(days=days)
    session = open_session(data_dir, FixedClock(now), warn=lambda _t: None)
    service = session.service

    # The full resident: realistic volume, real analysis, real alerts.
    full = simulate_home(0, days + 2, SEED, start, [Injection("A1", today - timedelta(days=1))])
    full_events = [e for e in full.events if e.timestamp <= now]
    service.add_resident(FULL_ID, "Mevr. A. de Vries (90 dagen)", "alone", False, TEAMS[0])
    full_count = _store_home(service, FULL_ID, full, full_events)
    engine = _engine(session, now)
    analysed = engine.analyse(FULL_ID, today - timedelta(days=6), today)["alerts"]
    full_alerts = [a for a in analysed if parse_timestamp(a["raised_at"]) <= now and a.get("severity") in
                   ("info", "amber", "red")]
    engine.store_alerts(FULL_ID, full_alerts)
    log(f"full resident: {full_count} events, {len(full_alerts)} alerts ({time.perf_counter() - began:.0f} s)")

    templates = []
    for i in range(TEMPLATES):
        home = simulate_home(i + 1, days + 2, SEED, start, profile="minimal")
        templates.append((home, _thin([e for e in home.events if e.timestamp <= now], days)))
    thin_total, with_alerts = 0, 0
    for r in range(1, residents):
        rid = f"b{r:04d}"
        home, events = templates[r % len(templates)]
        service.add_resident(rid, f"{home.name} ({r})", "alone", False, TEAMS[r % len(TEAMS)])
        thin_total += _store_home(service, rid, home, events)
        if r % ALERT_EVERY == 0 and full_alerts:
            severity = "red" if r % (ALERT_EVERY * 3) == 0 else "amber"
            copies = [dict(a, resident=rid, severity=severity) for a in full_alerts[:2]]
            engine.store_alerts(rid, copies)
            with_alerts += 1
        if r % 100 == 0 or r + 1 == residents:
            log(f"generated {r + 1}/{residents} residents ({time.perf_counter() - began:.0f} s)")
    session.db.dispose()
    info = {
        "residents": residents, "days": days, "version": VERSION, "generated_on": str(today), "generated_at": now.isoformat(),
        "full_resident": FULL_ID, "full_resident_events": full_count,
        "full_resident_events_per_day": round(full_count / days),
        "full_resident_alerts": len(full_alerts),
        "events_per_resident_day": round(thin_total / max(residents - 1, 1) / days, 1),
        "thin_residents": residents - 1, "thin_events_total": thin_total, "templates": TEMPLATES,
        "residents_with_copied_alerts": with_alerts,
        "generated_s": round(time.perf_counter() - began, 1),
    }
    marker.write_text(json.dumps(info))
    return info


# -- in-process GUI timings ---------------------------------------------------------------------------
def _wait(app: Any, done: Any, what: str) -> None:
    deadline = time.perf_counter() + TIMEOUT_S
    while not done():
        if time.perf_counter() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        app.processEvents()
        time.sleep(0.0005)


class _PaintWatch:
    """Counts Paint events of one widget (an event filter; no subclassing of the app's widgets)."""

    def __init__(self, widget: Any) -> None:
        from PySide6.QtCore import QEvent, QObject

        paint = QEvent.Type.Paint

        class _Filter(QObject):
            def __init__(self, outer: _PaintWatch) -> None:
                super().__init__(widget)
                self._outer = outer

            def eventFilter(self, obj: Any, event: Any) -> bool:
                if event.type() == paint:
                    self._outer.count += 1
                return False

        self.count = 0
        self._filter = _Filter(self)
        widget.installEventFilter(self._filter)


def gui_timings(data_dir: Path, runs: int, now: datetime) -> dict[str, Any]:
    from PySide6.QtCore import QEvent

    from slimmaatwerk.gui.app import SCREENSHOT_SIZE, ensure_application
    from slimmaatwerk.gui.i18n import set_language
    from slimmaatwerk.gui.launch import ServiceSource
    from slimmaatwerk.gui.main_window import MainWindow
    from slimmaatwerk.gui.overview_model import COL_STATUS, status_text
    from slimmaatwerk.gui.qt import QAbstractTableModel, QModelIndex, Qt, QTableView

    app = ensure_application()
    set_language("nl")
    clock = FixedClock(now)
    session = open_session(data_dir, clock, warn=lambda _t: None)
    service = session.service

    class Source90(ServiceSource):
        """The app's ServiceSource, asking for 90 days of detail (the benchmark's question)."""

        def resident_detail(self, resident_id: str) -> Any:
            return self.service.resident_detail(resident_id, days=90)

    source = Source90(service, "")
    reference = {r.resident_id: r for r in service.overview()}

    def close(window: Any) -> None:
        window.close()
        window.deleteLater()
        app.processEvents()
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # processEvents() alone never deletes
        gc.collect()

    # overview_open_s -------------------------------------------------------------------------------
    ui_cpu: dict[str, list[float]] = {"overview": [], "detail": []}

    def open_overview() -> tuple[float, Any]:
        state: dict[str, Any] = {"loaded": False, "paints_at_load": None}
        t0, cpu0 = time.perf_counter(), time.thread_time()
        window = MainWindow(source, service=service, data_dir=data_dir, clock=clock)
        watch = _PaintWatch(window.table.viewport())

        def on_loaded() -> None:
            state["loaded"] = True
            state["paints_at_load"] = watch.count

        window.overview_loaded.connect(on_loaded)
        window.resize(*SCREENSHOT_SIZE)
        window.show()

        def final() -> bool:
            if not state["loaded"] or watch.count <= state["paints_at_load"]:
                return False
            table = window.table
            row = table.rowAt(table.viewport().height() - 1)
            row = window.proxy.rowCount() - 1 if row < 0 else row
            index = window.proxy.index(row, COL_STATUS)
            rid = table.resident_id_at(index)
            return rid in reference and index.data() == status_text(reference[rid].status)

        _wait(app, final, "the overview")
        ui_cpu["overview"].append(time.thread_time() - cpu0)
        return time.perf_counter() - t0, window

    _, window = open_overview()  # warm-up
    _wait(app, window.is_ready, "the first detail")
    close(window)
    ui_cpu["overview"].clear()
    overview_runs = []
    for _ in range(runs):
        elapsed, window = open_overview()
        overview_runs.append(elapsed)
        _wait(app, window.is_ready, "the first detail")  # let its background work end before closing
        close(window)
    overview_cpu = list(ui_cpu["overview"])
    log(f"overview_open_s runs {[round(x, 3) for x in overview_runs]}; UI thread CPU s "
        f"{[round(x, 3) for x in overview_cpu]}")

    # bare_table_s ----------------------------------------------------------------------------------
    class BareModel(QAbstractTableModel):
        def __init__(self, rows: list[Any]) -> None:
            super().__init__()
            self._rows = rows

        def rowCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
            return 0 if parent.isValid() else len(self._rows)

        def columnCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
            return 0 if parent.isValid() else 6

        def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
            if role != Qt.ItemDataRole.DisplayRole:
                return None
            r = self._rows[index.row()]
            return (r.status, r.name, str(r.last_activity), str(r.open_alerts), f"{r.completeness:.0%}",
                    f"{r.sensors_ok}/{r.sensors_total}")[index.column()]

    def bare() -> float:
        t0 = time.perf_counter()
        rows = service.overview()
        view = QTableView()
        view.setModel(BareModel(rows))
        watch = _PaintWatch(view.viewport())
        view.resize(*SCREENSHOT_SIZE)
        view.show()
        _wait(app, lambda: watch.count > 0, "the bare table")
        elapsed = time.perf_counter() - t0
        close(view)
        return elapsed

    bare()
    bare_runs = [bare() for _ in range(runs)]
    log(f"bare_table_s runs {[round(x, 3) for x in bare_runs]}")
    service.overview()
    query_runs = []
    for _ in range(runs):
        t0 = time.perf_counter()
        service.overview()
        query_runs.append(time.perf_counter() - t0)

    # detail_render_s -------------------------------------------------------------------------------
    _, window = open_overview()
    _wait(app, window.is_ready, "the first detail")
    other = next(rid for rid in reference if rid != FULL_ID)
    heatmap_watch = _PaintWatch(window.detail_view.heatmap._view.viewport())
    shown: list[str] = []
    window.detail_loaded.connect(shown.append)

    def show_detail(rid: str) -> float:
        shown.clear()
        t0, cpu0 = time.perf_counter(), time.thread_time()
        if not window.select_resident(rid):
            raise RuntimeError(f"resident {rid} is not in the overview")
        _wait(app, lambda: rid in shown, f"the detail of {rid}")
        paints = heatmap_watch.count
        _wait(app, lambda: heatmap_watch.count > paints, f"the heatmap of {rid}")
        ui_cpu["detail"].append(time.thread_time() - cpu0)
        return time.perf_counter() - t0

    detail_runs, detail_cpu = [], []
    for run in range(runs + 1):
        show_detail(other)
        elapsed = show_detail(FULL_ID)
        if run:  # run 0 warms up
            detail_runs.append(elapsed)
            detail_cpu.append(ui_cpu["detail"][-1])
    detail = window.detail_view.detail()
    detail_days = len(detail.days) if detail else 0
    close(window)
    log(f"detail_render_s runs {[round(x, 3) for x in detail_runs]} ({detail_days} days shown); UI thread "
        f"CPU s {[round(x, 3) for x in detail_cpu]}")
    detail_query_runs = []
    for _ in range(runs):
        t0 = time.perf_counter()
        service.resident_detail(FULL_ID, days=90)
        detail_query_runs.append(time.perf_counter() - t0)
    session.db.dispose()
    return {
        "overview_open_s": overview_runs, "bare_table_s": bare_runs, "overview_query_s": query_runs,
        "detail_render_s": detail_runs, "detail_query_s": detail_query_runs, "detail_days_shown": detail_days,
        "overview_ui_cpu_s": overview_cpu, "detail_ui_cpu_s": detail_cpu,
        "overview_rows": len(reference),
    }


# -- the real app process -----------------------------------------------------------------------------
def _vm_hwm_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def app_peak_rss(data_dir: Path, shot: Path) -> tuple[float, float]:
    """(peak RSS in MB, wall seconds) of one ``slimmaatwerk app --screenshot`` process.

    The peak is the process's own high-water mark (``VmHWM`` in /proc/<pid>/status, read every 5 ms
    until it exits). Not ``wait4``'s ru_maxrss: Linux carries the forking parent's (this benchmark's)
    peak into the child's ru_maxrss at exec, so it would report this process's size, not the app's.
    """
    shot.unlink(missing_ok=True)
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    t0 = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "slimmaatwerk", "app", "--data-dir", str(data_dir), "--screenshot", str(shot)],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while process.poll() is None:
        hwm = _vm_hwm_kib(process.pid)
        if hwm is not None:
            peak = max(peak, hwm)
        time.sleep(0.005)
    elapsed = time.perf_counter() - t0
    if process.returncode != 0 or not shot.exists() or not peak:
        raise RuntimeError(f"slimmaatwerk app failed (exit {process.returncode}, peak {peak} KiB); "
                           f"run it by hand: {sys.executable} -m slimmaatwerk app --data-dir {data_dir} "
                           f"--screenshot {shot}")
    return peak / 1024, elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--residents", type=int, default=1000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cache", type=Path, default=None, help=f"data folder (default {CACHE}/<size>)")
    parser.add_argument("--protected", action="store_true",
                        help="run on an SQLCipher-encrypted copy of the data, keys from service credentials")
    parser.add_argument("--profile", type=Path, default=None,
                        help="cProfile the in-process timings (UI thread) into this file; timings are inflated")
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
    log(f"data: {json.dumps(info)}")

    now = datetime.fromisoformat(info["generated_at"]) + NOW_AFTER_GENERATION
    if args.profile is not None:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        gui = profiler.runcall(gui_timings, data_dir, args.runs, now)
        profiler.dump_stats(str(args.profile))
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(30)
    else:
        gui = gui_timings(data_dir, args.runs, now)
    rss_runs, wall_runs = [], []
    shot = data_dir.parent / f"{data_dir.name}-screenshot.png"
    for _ in range(args.runs):
        rss, wall = app_peak_rss(data_dir, shot)
        rss_runs.append(rss)
        wall_runs.append(wall)
    log(f"peak_rss_mb runs {[round(x, 1) for x in rss_runs]}; app wall s {[round(x, 2) for x in wall_runs]}")

    def med(values: list[float], digits: int = 3) -> float:
        return round(statistics.median(values), digits)

    result: dict[str, Any] = {
        "residents": info["residents"], "days": info["days"],
        "overview_open_s": med(gui["overview_open_s"]), "bare_table_s": med(gui["bare_table_s"]),
        "detail_render_s": med(gui["detail_render_s"]), "peak_rss_mb": med(rss_runs, 1),
        "overview_query_s": med(gui["overview_query_s"]), "detail_query_s": med(gui["detail_query_s"]),
        "overview_ui_cpu_s": med(gui["overview_ui_cpu_s"]), "detail_ui_cpu_s": med(gui["detail_ui_cpu_s"]),
        "app_screenshot_s": med(wall_runs, 2), "detail_days_shown": gui["detail_days_shown"],
        "runs": args.runs,
        "events_per_resident_day": info["events_per_resident_day"],
        "full_resident_events_per_day": info["full_resident_events_per_day"],
        "full_resident_events": info["full_resident_events"],
        "thin_events_total": info["thin_events_total"],
        "residents_with_copied_alerts": info["residents_with_copied_alerts"],
        "data_generated_at": info["generated_at"], "gui_clock": now.isoformat(),
        "targets": TARGETS, "protection": protection, "profiled": args.profile is not None,
    }
    result["meets"] = {k: result[k] <= v for k, v in TARGETS.items()}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
