"""The Linux bundle built by packaging/build.sh runs, and holds what the app needs at run time.

Building takes one to two minutes, so these run only with SLIM_TEST_BUNDLE=1 (and PyInstaller installed).
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from tests.packaging.tools import APP_ID, PACKAGING, ROOT

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(1200),  # the module's first test also builds the bundle (2-4 minutes on 2 cores)
    pytest.mark.skipif(os.environ.get("SLIM_TEST_BUNDLE") != "1", reason="set SLIM_TEST_BUNDLE=1 to build the bundle"),
]


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> dict:
    pytest.importorskip("PyInstaller", reason="pip install pyinstaller")
    base = tmp_path_factory.mktemp("bundle")
    env = dict(os.environ, PYTHON=sys.executable, DIST=str(base / "dist"), WORK=str(base / "work"))
    result = subprocess.run(["bash", str(PACKAGING / "build.sh")], env=env, check=False, capture_output=True,
                            text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-4000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    return {"dist": base / "dist", "bundle": base / "dist" / "slimmaatwerk", "figures": figures}


def run(build: dict, *args: str, data_dir: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("SLIMMAATWERK_PROFILES", None)  # the bundle must find its own
    command = [str(build["bundle"] / "slimmaatwerk"), *args]
    if data_dir is not None:
        command += ["--data-dir", str(data_dir)]
    return subprocess.run(command, env=env, check=False, capture_output=True, text=True, timeout=timeout)


def test_executable_is_where_make_package_promises(build: dict) -> None:
    assert os.access(build["bundle"] / "slimmaatwerk", os.X_OK)
    result = run(build, "--help")
    assert result.returncode == 0 and result.stdout.startswith("usage: slimmaatwerk"), result.stderr


def test_command_line_works_on_a_fresh_data_folder(build: dict, tmp_path: Path) -> None:
    added = run(build, "residents", "add", "--id", "r1", "--name", "Mevr. Jansen", data_dir=tmp_path / "d")
    assert added.returncode == 0, added.stderr
    listed = run(build, "residents", "list", "--json", data_dir=tmp_path / "d")
    assert listed.returncode == 0, listed.stderr
    assert [r["id"] for r in json.loads(listed.stdout)["residents"]] == ["r1"]


def test_every_device_profile_is_next_to_the_executable(build: dict) -> None:
    profiles = sorted((ROOT / "device_profiles").glob("*.json"))
    assert profiles
    for profile in profiles:
        assert (build["bundle"] / "device_profiles" / profile.name).read_bytes() == profile.read_bytes()


def test_dutch_qt_translations_ui_and_migrations_are_inside(build: dict) -> None:
    internal = build["bundle"] / "_internal"
    assert (internal / "PySide6" / "Qt" / "translations" / "qtbase_nl.qm").stat().st_size > 0
    assert (internal / "ui" / "style.qss").is_file()
    source = ROOT / "slimmaatwerk" / "storage" / "migrations"
    for path in [source / "env.py", source / "script.py.mako", *source.glob("versions/*.py")]:
        assert (internal / path.relative_to(ROOT)).read_bytes() == path.read_bytes(), path.name


def test_tarball_holds_the_bundle_and_the_desktop_integration(build: dict) -> None:
    with tarfile.open(build["figures"]["archive"]) as archive:
        names = set(archive.getnames())
    for name in ("slimmaatwerk/slimmaatwerk", "slimmaatwerk/install.sh",
                 f"slimmaatwerk/share/applications/{APP_ID}.desktop",
                 f"slimmaatwerk/share/metainfo/{APP_ID}.metainfo.xml",
                 f"slimmaatwerk/share/icons/hicolor/256x256/apps/{APP_ID}.png"):
        assert name in names, name


def test_install_script_stages_a_machine_wide_install(build: dict, tmp_path: Path) -> None:
    root = tmp_path / "root"
    result = subprocess.run(["sh", str(build["bundle"] / "install.sh")], env=dict(os.environ, DESTDIR=str(root)),
                            check=False, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert os.readlink(root / "usr/local/bin/slimmaatwerk") == "/opt/slimmaatwerk/slimmaatwerk"
    assert (root / "opt/slimmaatwerk/slimmaatwerk").is_file()
    assert (root / f"usr/local/share/applications/{APP_ID}.desktop").is_file()
    assert (root / f"usr/local/share/icons/hicolor/48x48/apps/{APP_ID}.png").is_file()
    assert not (root / "etc").exists()  # the machine-wide configuration is the administrator's


def test_demo_screenshot_from_the_bundle(build: dict, tmp_path: Path) -> None:
    """The bundled demo starts its embedded broker (amqtt), simulator, engine and window, and saves it."""
    shot = tmp_path / "demo.png"
    result = run(build, "demo", "--homes", "3", "--days", "21", "--screenshot", str(shot),
                 data_dir=tmp_path / "demo", timeout=300)
    assert result.returncode == 0, result.stderr[-4000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) >= (1000, 600)
    # The residents overview lists the demo's residents; a blank or failed window would be a few kB.
    assert len(data) > 30_000


def test_bundled_ingest_receives_through_its_receiver_process(build: dict, tmp_path: Path, broker) -> None:
    """`slimmaatwerk ingest` from the bundle: its broker connection runs in a receiver process started the
    frozen way (multiprocessing spawn of the bundle itself), stores what arrives and stops cleanly."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import SQLAlchemyError

    from slimmaatwerk.events import KIND_CODES
    from tests.ingest.mqtt_helpers import Publisher, bridge_devices, wait_until

    data_dir = tmp_path / "ingest"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("SLIMMAATWERK_PROFILES", None)
    log = tmp_path / "ingest.log"
    service = subprocess.Popen([str(build["bundle"] / "slimmaatwerk"), "ingest", "--broker", broker.url,
                                "--data-dir", str(data_dir)], env=env, stdout=subprocess.DEVNULL,
                               stderr=open(log, "ab"))  # noqa: SIM115
    publisher = Publisher(broker.host, broker.port, client_id="bundle-test")
    try:
        database = data_dir / "slimmaatwerk.db"
        wait_until(lambda: database.exists(), timeout=60)
        db = create_engine(f"sqlite:///{database}")

        def stored() -> int:
            try:
                with db.connect() as conn:
                    return conn.execute(text("SELECT count(*) FROM events WHERE kind = :kind"),
                                        {"kind": KIND_CODES["motion"]}).scalar_one()
            except SQLAlchemyError:  # the schema is still being created
                return 0

        publisher.publish("zigbee2mqtt/bridge/devices",
                          bridge_devices(("r01/kitchen_motion", "00158d0001a2b3c4", "RTCGQ11LM", "Aqara")),
                          retain=True)

        def motion_stored() -> bool:
            publisher.publish("zigbee2mqtt/r01/kitchen_motion", {"occupancy": True, "battery": 91})
            return stored() > 0

        wait_until(motion_stored, timeout=60, interval=1.0)
        service.terminate()
        assert service.wait(30) == 0, log.read_text()[-3000:]
        assert "restarting" not in log.read_text()
        db.dispose()
    finally:
        publisher.close()
        if service.poll() is None:
            service.kill()


def test_bundled_scoring_runs_in_worker_processes(build: dict, tmp_path: Path) -> None:
    """`slimmaatwerk score` from the bundle: with PARALLEL_MIN_RESIDENTS residents it scores in two worker
    processes, started the frozen way (the bundled executable again, made a worker by freeze_support, never
    the command line), with BLAS on one thread, and stores exactly the alerts one process stores."""
    import shutil
    import time
    from collections import Counter
    from datetime import UTC, datetime

    from slimmaatwerk.clock import FixedClock
    from slimmaatwerk.engine_jobs import engine_service
    from slimmaatwerk.identity import open_session
    from slimmaatwerk.localtime import parse_timestamp
    from slimmaatwerk.scoring import BLAS_THREAD_VARS, PARALLEL_MIN_RESIDENTS, score_residents
    from tests.support.processes import children, command_line, environment, threads
    from tests.support.scoring_homes import seed_data_folder, stored_alerts

    now = datetime.now(UTC).replace(microsecond=0)
    data_dir, reference = tmp_path / "bundle", tmp_path / "reference"
    seed_data_folder(data_dir, PARALLEL_MIN_RESIDENTS, 21, now)
    shutil.copytree(data_dir, reference)

    executable = str(build["bundle"] / "slimmaatwerk")
    env = {k: v for k, v in os.environ.items() if k not in BLAS_THREAD_VARS}  # BLAS is the program's business
    env.pop("SLIMMAATWERK_PROFILES", None)
    job = subprocess.Popen([executable, "score", "--data-dir", str(data_dir), "--days-back", "2", "--json"],
                           env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen: dict[int, dict] = {}  # the job's child processes while it runs
    deadline = time.monotonic() + 300
    while job.poll() is None and time.monotonic() < deadline:
        for pid in children(job.pid):
            child = seen.setdefault(pid, {"command": command_line(pid), "env": environment(pid), "threads": Counter()})
            child["threads"][threads(pid)] += 1
        time.sleep(0.05)
    if job.poll() is None:
        job.kill()
    out, err = job.communicate(timeout=30)
    assert job.returncode == 0, err[-4000:]
    report = json.loads(out)
    assert report["residents"] == PARALLEL_MIN_RESIDENTS
    assert report["worker_processes"] == 2, report

    workers = {pid: c for pid, c in seen.items() if "--multiprocessing-fork" in c["command"]
               and "tracker_fd" in " ".join(c["command"])}
    assert len(workers) == 2, seen
    for child in workers.values():
        assert child["command"][0] == executable  # the bundle itself, not a Python interpreter
        assert "score" not in child["command"]  # a worker, not a second run of the command line
        assert child["env"].get("OPENBLAS_NUM_THREADS") == "1"
        # Mostly (start-up runs short-lived threads: argon2 at import) its own thread and the one watching its
        # parent; a multi-threaded OpenBLAS would add a thread per extra core for the worker's whole life.
        assert 1 <= child["threads"].most_common(1)[0][0] <= 2, workers
    assert "restarting" not in err and "Traceback" not in err

    session = open_session(reference, FixedClock(now), warn=lambda _text: None)
    try:
        score_residents(engine_service(session.db, session.service.clock), parse_timestamp(report["as_of"]), 2,
                        processes=0)
    finally:
        session.db.dispose()
    alerts = stored_alerts(data_dir)
    assert alerts and report["alerts_due"] == len(alerts)
    assert alerts == stored_alerts(reference)
