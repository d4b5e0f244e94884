"""One function per command-line command. Each opens a session as the linked app account."""

from __future__ import annotations

import argparse
import importlib
import io
import sys
import threading
from pathlib import Path

from .cli import print_json
from .clock import SystemClock

# Privacy commands live in their own module; the dispatcher finds them here by name.
from .commands_privacy import (  # noqa: F401
    cmd_audit_checkpoint,
    cmd_audit_export,
    cmd_audit_verify,
    cmd_backup_create,
    cmd_backup_restore,
    cmd_consent_grant,
    cmd_consent_list,
    cmd_consent_revoke,
    cmd_data_erase,
    cmd_data_export,
    cmd_data_purge,
    cmd_jobs_run,
    cmd_jobs_schedule,
    cmd_relatives_add,
    cmd_report_weekly,
    cmd_retention_set,
    cmd_retention_show,
    cmd_users_add,
    cmd_users_list,
    cmd_users_passwd,
)
from .datadir import default_data_dir
from .errors import AccessDenied, InputError, SlimMaatwerkError
from .eventcsv import read_events, write_events
from .identity import Session, open_session

# Installer device commands live with pairing; the dispatcher finds them here by name.
from .pairing.cli import cmd_devices_discover, cmd_devices_list, cmd_devices_pair  # noqa: F401


def _session(args: argparse.Namespace, *, demo: bool = False) -> Session:
    data_dir = args.data_dir or default_data_dir(demo)
    return open_session(Path(data_dir), SystemClock(), require_protection=args.require_protection)


def _progress(label: str):  # type: ignore[no-untyped-def]
    def report(done: int, total: int) -> None:
        if sys.stderr.isatty() or done == total:
            print(f"\r{label}: {done}/{total}", end="\n" if done == total else "", file=sys.stderr)

    return report


def _gui(args: argparse.Namespace, entry: str) -> int:
    # The GUI is reached by name so the Qt-free core never imports it (import-linter contract).
    try:
        launch = importlib.import_module("slimmaatwerk.gui.launch")
    except ImportError as exc:
        raise SlimMaatwerkError(f"the desktop app needs the 'gui' extra (PySide6): {exc}") from None
    return int(getattr(launch, entry)(args))


def cmd_demo(args: argparse.Namespace) -> int:
    return _gui(args, "run_demo")


def cmd_app(args: argparse.Namespace) -> int:
    return _gui(args, "run_app")


def cmd_residents_add(args: argparse.Namespace) -> int:
    session = _session(args)
    record = session.service.add_resident(args.id, args.name, args.household, args.pet, args.team)
    print(f"resident {record.id} added", file=sys.stderr)
    return 0


def cmd_residents_list(args: argparse.Namespace) -> int:
    session = _session(args)
    found = session.service.list_residents()
    if args.json:
        print_json({"residents": [
            {"id": r.id, "name": r.name, "household": r.household, "pet": r.pet, "team": r.team,
             "home": r.home_id, "active": r.active} for r in found]})
    else:
        for r in found:
            print(f"{r.id}\t{r.name}\t{r.household}{' +pet' if r.pet else ''}", file=sys.stderr)
    return 0


def cmd_context_add(args: argparse.Namespace) -> int:
    session = _session(args)
    session.service.add_context(args.resident, args.type, args.start, args.end, args.note)
    print(f"{args.type} recorded for {args.resident}", file=sys.stderr)
    return 0


def cmd_import_events(args: argparse.Namespace) -> int:
    try:
        raw = args.file.read_bytes()
    except OSError as exc:
        raise InputError(f"{args.file}: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(f"{args.file}: line {line}: not UTF-8 text") from None
    try:
        rows = read_events(text)
    except InputError as exc:
        raise InputError(f"{args.file}: {exc}; nothing was imported") from None
    session = _session(args)
    result = session.service.import_events(args.resident, rows, source=args.file.name)
    print(f"{result.read} events read, {result.new} new, {result.read - result.new} already stored",
          file=sys.stderr)
    return 0


def cmd_export_events(args: argparse.Namespace) -> int:
    session = _session(args)
    pairs = session.service.export_events(args.resident, args.first, args.last)
    buffer = io.StringIO()
    residents = None if args.resident else [rid for _event, rid in pairs]
    count = write_events(buffer, [event for event, _rid in pairs], residents)
    tmp = args.file.with_name(args.file.name + ".tmp")
    tmp.write_text(buffer.getvalue(), encoding="utf-8")
    tmp.replace(args.file)
    print(f"{count} events written to {args.file}", file=sys.stderr)
    return 0


def cmd_analyse(args: argparse.Namespace) -> int:
    session = _session(args)
    result = session.service.analyse(args.resident, args.first, args.last, progress=_progress("days"))
    if args.json:
        print_json(result)
    else:
        for alert in result["alerts"]:
            print(f"{alert['date']} {alert['severity']:5} {alert['indicator']}: {alert['explanation']['en']}",
                  file=sys.stderr)
    return 0


def cmd_simulate(args: argparse.Namespace) -> int:
    from . import simulate

    start = args.start or simulate.DEFAULT_START
    injections = [simulate.parse_injection(text, start) for text in args.inject]
    if args.homes < 1 or args.days < 1:
        raise InputError("--homes and --days must be at least 1")
    homes = simulate.simulate(args.homes, args.days, args.seed, start, injections)
    if args.csv:
        paths = simulate.write_csv(homes, args.csv)
        print(f"{len(paths)} files written to {args.csv}", file=sys.stderr)
    else:
        sent = simulate.publish(homes, args.broker, args.speed)
        print(f"{sent} messages published to {args.broker}", file=sys.stderr)
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    """Run DESIGN.md's detection-quality protocol (or render the README table of a stored result)."""
    import time

    from . import evaluation
    from .evaluation.report import command_line, load_result

    if args.render:
        try:
            sys.stdout.write(evaluation.render_table(load_result(args.render)))
        except (OSError, ValueError, KeyError) as exc:
            raise InputError(f"{args.render}: cannot render: {exc}") from None
        return 0
    try:
        seeds = tuple(int(x) for x in args.seeds.split(",") if x.strip())
        config = evaluation.Config(seeds=seeds, homes=args.homes, days=args.days, repeats=args.repeats)
    except ValueError as exc:
        raise InputError(f"evaluate: {exc}") from None
    if args.jobs < 1:
        raise InputError("--jobs must be at least 1")
    cases = evaluation.build_cases(config)
    print(f"evaluate: {len(cases)} streams, {args.jobs} worker(s)", file=sys.stderr)
    began = time.perf_counter()
    results = evaluation.run_cases(cases, args.jobs, evaluation.runner.stderr_progress)
    result = evaluation.build_result(config, results, command=command_line(), elapsed_s=time.perf_counter() - began,
                                     jobs=args.jobs)
    if args.out:
        evaluation.write_result(result, args.out)
        print(f"evaluate: result written to {args.out}", file=sys.stderr)
    if args.json:
        print_json({k: v for k, v in result.items() if k != "cases"})
    else:
        sys.stderr.write(evaluation.render_table(result))
    return 0


def cmd_score(args: argparse.Namespace) -> int:
    """The engine's scoring job once, as the engine's account: e.g. after the engine was down for days
    (``--days-back``), after importing events, or to see what one pass costs. Stored alerts are never
    replaced, so running it beside a running engine or twice stores nothing twice."""
    import time

    from .engine_jobs import engine_service
    from .permissions import allowed
    from .scoring import score_residents

    if args.days_back < 0 or (args.processes is not None and args.processes < 0):
        raise InputError("--days-back and --processes must not be negative")
    session = _session(args)
    roles = session.service.roles
    if not (allowed(roles, "analyse") or allowed(roles, "manage_database")):
        raise AccessDenied("only a coordinator or an administrator may run the scoring job")
    clock = session.service.clock
    now = clock.now()
    counted = {"residents": 0}
    report = _progress("residents")

    def progress(done: int, total: int) -> None:
        counted["residents"] = total
        report(done, total)

    pids: set[int] = set()
    began = time.perf_counter()
    try:
        stored = score_residents(engine_service(session.db, clock), now, args.days_back, progress=progress,
                                 processes=args.processes, worker_pids=pids)
    finally:
        session.db.dispose()
    seconds = round(time.perf_counter() - began, 2)
    print(f"score: {counted['residents']} residents, {stored} alerts due by now (each stored once), "
          f"{len(pids)} worker processes, {seconds} s", file=sys.stderr)
    if args.json:
        print_json({"as_of": now.isoformat(), "residents": counted["residents"], "alerts_due": stored,
                    "worker_processes": len(pids), "seconds": seconds})
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from .status import collect

    session = _session(args)
    status = collect(session)
    if args.json:
        print_json(status)
    else:
        for key, value in status.items():
            print(f"{key}: {value}", file=sys.stderr)
    return 0


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from .identity import database_url, os_user
    from .permissions import allowed, parse_roles
    from .storage import accounts, migrate
    from .storage.database import Database

    data_dir = Path(args.data_dir or default_data_dir())
    db = Database(database_url(data_dir), check_schema=False)
    if not migrate.is_empty(db.engine):
        with db.read() as conn:
            user = accounts.user_by_os_user(conn, os_user())
        if user is None or not allowed(parse_roles(user.role), "manage_database"):
            raise SlimMaatwerkError("only an administrator may upgrade the database schema")
    before, after = migrate.upgrade(db.engine)
    print(f"database schema: {before or 'empty'} -> {after}", file=sys.stderr)
    return 0


def _broker_credentials(url: str) -> tuple[str, str | None, str | None]:
    """(URL without user, user, password): the password from $CREDENTIALS_DIRECTORY/broker-password (the
    service), else the OS keyring entry the settings screen stores; never from the command line or a file."""
    from urllib.parse import urlsplit, urlunsplit

    from .protection import SERVICE, credentials_dir, keyring_usable

    parts = urlsplit(url)
    user = parts.username
    netloc = parts.hostname or ""
    if parts.port:
        netloc += f":{parts.port}"
    plain = urlunsplit((parts.scheme, netloc, parts.path, "", ""))
    if not user:
        return plain, None, None
    folder = credentials_dir()
    if folder is not None and (folder / "broker-password").is_file():
        return plain, user, (folder / "broker-password").read_text(encoding="utf-8").strip()
    if keyring_usable():
        import keyring

        password = keyring.get_password(SERVICE, f"broker:{user}@{parts.hostname}:{parts.port or 1883}")
        if password:
            return plain, user, password
    raise InputError(
        f"no password for broker user {user!r}: provide the systemd credential 'broker-password' "
        "($CREDENTIALS_DIRECTORY) or store it in the OS keyring through the app's settings"
    )


# Windows services get no SIGTERM: a service wrapper (or an administrator) stops the engine cleanly by
# creating this file in the data folder; the engine removes it at start.
STOP_FILE = "ingest.stop"


def _watch_stop_file(path: Path, stop: threading.Event) -> None:
    while not stop.wait(1.0):
        if path.exists():
            stop.set()


def cmd_ingest(args: argparse.Namespace) -> int:
    from .engine_jobs import EngineJobs, engine_service
    from .ingest.engine import IngestEngine
    from .ingest.service import run_until_signalled
    from .profiles.user_profiles import user_profiles_dir

    session = _session(args)
    url, user, password = _broker_credentials(args.broker)
    clock = session.service.clock
    engine = IngestEngine(session.db.engine, [url], clock=clock, username=user, password=password,
                          ca_file=args.ca, cert_file=args.cert, key_file=args.key, protocol=args.protocol,
                          user_profiles_dir=user_profiles_dir(session.data_dir))
    publish = engine.connections[0].publish
    jobs = EngineJobs(session.db, engine, engine_service(session.db, clock), clock, publish=publish,
                      data_dir=session.data_dir)
    stop_file = session.data_dir / STOP_FILE
    stop_file.unlink(missing_ok=True)
    print(f"ingest: engine on {url} for {session.data_dir}; stop with Ctrl+C, SIGTERM or by creating "
          f"{stop_file}", file=sys.stderr)
    stop = threading.Event()
    jobs.start()
    watcher = threading.Thread(target=_watch_stop_file, args=(stop_file, stop), name="stop-file", daemon=True)
    watcher.start()
    try:
        return run_until_signalled(engine, stop)
    finally:
        jobs.stop()
        jobs.write_status()  # the engine has stopped: say so at once rather than after going stale
        session.db.dispose()
