"""Entry points of the ``demo`` and ``app`` commands: wire broker, engine and window together.

The command line reaches this module by name only, so the Qt-free core never imports it.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from slimmaatwerk.clock import SystemClock
from slimmaatwerk.datadir import DataDirConfig, default_data_dir
from slimmaatwerk.errors import SlimMaatwerkError
from slimmaatwerk.identity import Session, open_session
from slimmaatwerk.service import Service
from slimmaatwerk.storage import accounts
from slimmaatwerk.views import ResidentDetail, ResidentRow

from .app import run_window
from .main_window import LiveBridge

DEMO_MARKER = ".slimmaatwerk-demo"


class ServiceSource:
    """The main window's DataSource over the service facade (so every read is checked and logged)."""

    def __init__(self, service: Service, banner: str) -> None:
        self.service = service
        self._banner = banner

    def overview(self) -> list[ResidentRow]:
        return self.service.overview()

    def resident_detail(self, resident_id: str) -> ResidentDetail:
        return self.service.resident_detail(resident_id)

    def banner(self) -> str:
        return self._banner

    def watermark(self) -> int:
        return self.service.watermark()


def _banner(session: Session) -> str:
    if session.protection.protected:
        return ""
    return f"{session.protection.reason['nl']} / {session.protection.reason['en']}"


def _progress(stage: str, done: int, total: int) -> None:
    print(f"demo: {stage} {done}/{total}", file=sys.stderr)


def _fresh_demo_folder(data_dir: Path) -> None:
    """The demo rebuilds its own folder each start (history must end today); never a user's folder."""
    if data_dir.exists() and any(data_dir.iterdir()):
        if not (data_dir / DEMO_MARKER).exists():
            raise SlimMaatwerkError(f"{data_dir} is not a demo folder; choose an empty --data-dir for the demo")
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / DEMO_MARKER).write_text("made by 'slimmaatwerk demo'; rebuilt on every demo start\n")


def _demo_users(session: Session) -> tuple[Service, Service]:
    """A seeded demo coordinator who is signed in, and the account that plays engine and installer."""
    clock = session.service.clock
    now = int(clock.now().timestamp() * 1000)
    with session.db.begin() as conn:
        coordinator = accounts.create_user(conn, "demo", "Demo coördinator", "coordinator", now, all_residents=True)
        setup = accounts.create_user(conn, "demo-setup", "Demo installatie", "admin,coordinator,system", now,
                                     all_residents=True)
    return Service(session.db, coordinator, clock), Service(session.db, setup, clock)


def run_demo(args: argparse.Namespace) -> int:
    from slimmaatwerk.demo_live import LiveDemo
    from slimmaatwerk.demo_world import seed
    from slimmaatwerk.embedded_broker import EmbeddedBroker

    data_dir = Path(args.data_dir or default_data_dir(demo=True))
    _fresh_demo_folder(data_dir)
    clock = SystemClock()
    session = open_session(data_dir, clock, require_protection=args.require_protection)
    coordinator, setup = _demo_users(session)
    broker = None
    broker_url = args.broker
    if not broker_url:
        broker = EmbeddedBroker()
        broker.start()
        broker_url = broker.url
    world = seed(setup, args.homes, args.days, clock.now(), progress=_progress)
    bridge = LiveBridge()
    live = LiveDemo(session.db, broker_url, world, setup, clock, on_commit=lambda _n: bridge.notify())
    try:
        live.start()
        return run_window(
            ServiceSource(coordinator, _banner(session)), demo=True, screenshot=args.screenshot,
            language=args.language, status_text=f"DEMO · {broker_url}", bridge=bridge,
            service=coordinator, data_dir=data_dir,
        )
    finally:
        live.stop()
        if broker is not None:
            broker.stop()
        session.db.dispose()


def run_app(args: argparse.Namespace) -> int:
    from slimmaatwerk.engine_jobs import EngineJobs, engine_service
    from slimmaatwerk.ingest.engine import IngestEngine
    from slimmaatwerk.profiles.user_profiles import user_profiles_dir

    data_dir = Path(args.data_dir or default_data_dir())
    session = open_session(data_dir, SystemClock(), require_protection=args.require_protection)
    config = DataDirConfig.load(data_dir)
    bridge = LiveBridge()
    engine = jobs = None
    if config.brokers:
        engine = IngestEngine(session.db.url, config.brokers, clock=session.service.clock,
                              user_profiles_dir=user_profiles_dir(data_dir))
        engine.on_commit.append(lambda _n: bridge.notify())
        engine.start()
        # On a single laptop the embedded engine is the only one: it also scores, escalates and runs
        # the daily privacy jobs (purge, checkpoint, backup), exactly as `slimmaatwerk ingest` does.
        clock = session.service.clock
        jobs = EngineJobs(session.db, engine, engine_service(session.db, clock), clock,
                          publish=engine.connections[0].publish, data_dir=data_dir)
        jobs.start()
    try:
        status = ", ".join(config.brokers) or "geen broker ingesteld / no broker configured"
        return run_window(ServiceSource(session.service, _banner(session)), demo=False,
                          screenshot=args.screenshot, language=args.language, status_text=status,
                          bridge=bridge, service=session.service, data_dir=data_dir)
    finally:
        if jobs is not None:
            jobs.stop()
        if engine is not None:
            engine.stop()
        session.db.dispose()
