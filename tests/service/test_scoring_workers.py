"""The scoring job's worker processes: what they compute, how they start and how they fail.

The workers score exactly what one process scores and report who they were; they run BLAS on one
thread; they leave when the engine is killed outright; and when they cannot start or die (a damaged
installation, a frozen program that runs its command line instead of being a worker) the job scores every
resident in its own process and says so, rather than hanging or losing a resident.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.spawn
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from multiprocessing import resource_tracker
from pathlib import Path

import pytest

from slimmaatwerk.clock import FixedClock
from slimmaatwerk.engine_jobs import engine_service
from slimmaatwerk.identity import open_session
from slimmaatwerk.scoring import BLAS_THREAD_VARS, ScoringWorkersFailed, score_residents, worker_pool
from tests.support.processes import children, running, threads
from tests.support.scoring_homes import seed_data_folder, stored_alerts

pytestmark = pytest.mark.timeout(300)  # a hang is a failure, not a stuck run

NOW = datetime.now(UTC).replace(microsecond=0)
HOMES = 4
DAYS = 20
DAYS_BACK = 3
LINUX = sys.platform.startswith("linux")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("seeded") / "data"
    seed_data_folder(folder, HOMES, DAYS, NOW)
    return folder


@pytest.fixture(scope="module")
def expected(seeded: Path, tmp_path_factory: pytest.TempPathFactory) -> list[tuple]:
    """The alerts one process stores: the reference for every parallel run."""
    folder = tmp_path_factory.mktemp("reference") / "data"
    shutil.copytree(seeded, folder)
    _score(folder, processes=0)
    alerts = stored_alerts(folder)
    assert alerts, "the simulated deviations should raise alerts"
    return alerts


def _score(folder: Path, processes: int, pids: set[int] | None = None) -> int:
    session = open_session(folder, FixedClock(NOW), warn=lambda _text: None)
    try:
        return score_residents(engine_service(session.db, session.service.clock), NOW, DAYS_BACK,
                               processes=processes, worker_pids=pids)
    finally:
        session.db.dispose()


def _copy(seeded: Path, tmp_path: Path) -> Path:
    shutil.copytree(seeded, tmp_path / "data")
    return tmp_path / "data"


def test_workers_store_exactly_what_one_process_stores(seeded: Path, expected: list[tuple], tmp_path: Path) -> None:
    folder = _copy(seeded, tmp_path)
    pids: set[int] = set()
    _score(folder, processes=2, pids=pids)
    assert stored_alerts(folder) == expected
    assert 1 <= len(pids) <= 2 and os.getpid() not in pids


@pytest.fixture
def spawn_executable() -> Iterator[Callable[[str], None]]:
    """Make multiprocessing's spawn start another program for the workers (restored afterwards)."""
    resource_tracker.ensure_running()  # started with the real interpreter, before the switch
    previous = multiprocessing.spawn.get_executable()
    context = multiprocessing.get_context("spawn")
    yield context.set_executable
    context.set_executable(previous)


@pytest.mark.skipif(os.name != "posix", reason="the stand-in programs are POSIX shell scripts")
@pytest.mark.parametrize("program", ["missing", "runs_the_command_line"])
def test_workers_that_fail_leave_every_resident_to_this_process(
        seeded: Path, expected: list[tuple], tmp_path: Path, spawn_executable, program: str) -> None:
    """``missing``: the worker program cannot be started at all. ``runs_the_command_line``: it starts but
    prints the usage and exits, as a frozen program without ``freeze_support()`` would."""
    folder = _copy(seeded, tmp_path)
    if program == "missing":
        executable = tmp_path / "no-such-program"
    else:
        executable = tmp_path / "slimmaatwerk"
        executable.write_text("#!/bin/sh\necho 'usage: slimmaatwerk [-h] COMMAND' >&2\nexit 2\n")
        executable.chmod(0o755)
    spawn_executable(str(executable))
    began = time.monotonic()
    with pytest.raises(ScoringWorkersFailed, match="scored in this process instead, so every resident.s alerts are stored") as failed:
        _score(folder, processes=2)
    assert time.monotonic() - began < 120
    assert stored_alerts(folder) == expected
    assert failed.value.stored == len(expected)


def _blas_threads() -> tuple[str | None, int]:
    """In a worker: the BLAS setting it started with, and its threads once numpy has run a product."""
    import numpy as np

    matrix = np.ones((300, 300))
    assert (matrix @ matrix).sum() > 0
    return os.environ.get("OPENBLAS_NUM_THREADS"), threads(os.getpid())


@pytest.mark.skipif(not LINUX or (os.cpu_count() or 1) < 2, reason="counts threads in /proc; needs >= 2 cores")
def test_workers_run_blas_on_one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in BLAS_THREAD_VARS:  # as an administrator's shell would start the engine: nothing set
        monkeypatch.setenv(var, "")
        monkeypatch.delenv(var)
    with worker_pool(2) as pool:
        setting, threads = pool.submit(_blas_threads).result()
    assert setting == "1"
    # The worker's own thread and the one that watches its parent; OpenBLAS would add one per extra core.
    assert threads == 2


@pytest.mark.skipif(not LINUX, reason="finds child processes in /proc")
def test_workers_leave_when_the_engine_is_killed_outright() -> None:
    code = ("import os, sys\n"
            "from slimmaatwerk.scoring import worker_pool\n"
            "if __name__ == '__main__':\n"
            "    pool = worker_pool(2)\n"
            "    pool.submit(os.getpid).result()\n"
            "    print('ready', flush=True)\n"
            "    sys.stdin.read()\n")
    engine = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                              cwd=Path(__file__).resolve().parents[2])
    try:
        assert engine.stdout.readline().strip() == "ready"
        workers = children(engine.pid)
        assert len(workers) >= 2  # both workers (and multiprocessing's resource tracker)
        os.kill(engine.pid, signal.SIGKILL)
        engine.wait(10)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and any(running(pid) for pid in workers):
            time.sleep(0.1)
        left = [pid for pid in workers if running(pid)]
        assert not left, f"worker processes outlived the killed engine: {left}"
    finally:
        if engine.poll() is None:
            engine.kill()
        for pid in workers if "workers" in locals() else ():
            if running(pid):
                os.kill(pid, signal.SIGKILL)
