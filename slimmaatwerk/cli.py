"""The command line (``slimmaatwerk``): argument parsing and dispatch to the service facade.

Machine-readable output (``--json``) is the only thing on stdout; progress and messages go to stderr.
Every error the product raises on purpose becomes one clear line and a non-zero exit; stored data is
never lost on error because every change runs in one transaction.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from .cli_privacy import add_privacy_commands
from .clock import SystemClock
from .datadir import default_data_dir
from .errors import SlimMaatwerkError
from .pairing.cli import add_device_commands

EXIT_ERROR = 2


def _common(parser: argparse.ArgumentParser, *, demo: bool = False) -> None:
    parser.add_argument("--data-dir", type=Path, default=None,
                        help=f"data folder (default: {default_data_dir(demo)})")
    parser.add_argument("--require-protection", action="store_true",
                        help="refuse to run unless the data folder can be protected")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="slimmaatwerk", description="Slim Maatwerk: local-first monitoring")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    for name, text in (("demo", "open the demo on embedded defaults"), ("app", "open the desktop app")):
        p = sub.add_parser(name, help=text)
        _common(p, demo=name == "demo")
        p.add_argument("--screenshot", type=Path, help="save the main window once data is shown, then exit")
        p.add_argument("--language", choices=("nl", "en"), help="user interface language")
        if name == "demo":
            p.add_argument("--homes", type=int, default=6, help="simulated homes (default 6)")
            p.add_argument("--days", type=int, default=28, help="days of history (default 28)")
            p.add_argument("--broker", help="use this broker instead of the embedded one")

    residents = sub.add_parser("residents", help="add or list residents").add_subparsers(
        dest="action", required=True)
    p = residents.add_parser("add", help="add a resident")
    _common(p)
    p.add_argument("--id", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--household", choices=("alone", "partner"), default="alone")
    p.add_argument("--pet", action="store_true", help="a pet that can trigger motion sensors lives there")
    p.add_argument("--team", default="")
    p = residents.add_parser("list", help="list residents")
    _common(p)
    p.add_argument("--json", action="store_true")

    context = sub.add_parser("context", help="the context calendar").add_subparsers(dest="action", required=True)
    p = context.add_parser("add", help="record an absence, hospital stay or visit")
    _common(p)
    p.add_argument("--resident", required=True)
    p.add_argument("--type", required=True, choices=("absence", "hospital", "visit"))
    p.add_argument("--from", dest="start", required=True, help="ISO 8601 with offset")
    p.add_argument("--to", dest="end", required=True, help="ISO 8601 with offset")
    p.add_argument("--note", default="")

    p = sub.add_parser("import-events", help="import historical events from CSV")
    _common(p)
    p.add_argument("--resident", required=True)
    p.add_argument("--file", required=True, type=Path)

    p = sub.add_parser("export-events", help="export stored events as CSV")
    _common(p)
    p.add_argument("--resident")
    p.add_argument("--from", dest="first", type=_date)
    p.add_argument("--to", dest="last", type=_date)
    p.add_argument("--file", required=True, type=Path)

    p = sub.add_parser("analyse", help="replay days in strict online order and print the alerts")
    _common(p)
    p.add_argument("--resident", required=True)
    p.add_argument("--from", dest="first", required=True, type=_date)
    p.add_argument("--to", dest="last", required=True, type=_date)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("simulate", help="generate realistic synthetic homes")
    p.add_argument("--homes", type=int, required=True)
    p.add_argument("--days", type=int, required=True)
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--start", type=_date, help="first day (default: a fixed date)")
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--csv", type=Path, help="write one CSV per home into this folder")
    target.add_argument("--broker", help="publish to mqtt://host:port as Zigbee2MQTT would")
    p.add_argument("--speed", type=float, default=0.0, help="time speed-up when publishing (0: as fast as possible)")
    p.add_argument("--inject", action="append", default=[], metavar="TYPE@DATE")
    p.add_argument("--data-dir", type=Path, default=None, help=argparse.SUPPRESS)

    p = sub.add_parser("evaluate", help="measure detection quality on simulated homes (DESIGN.md protocol)")
    p.add_argument("--seeds", default="1,2,3", help="comma-separated simulator seeds (default 1,2,3)")
    p.add_argument("--homes", type=int, default=10, help="simulated residents per seed (default 10)")
    p.add_argument("--days", type=int, default=120, help="days per stream (default 120)")
    p.add_argument("--repeats", type=int, default=4, help="injections of every anomaly type per seed (default 4)")
    p.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    p.add_argument("--out", type=Path, help="write the full result (every case) as JSON to this file")
    p.add_argument("--render", type=Path, metavar="RESULT_JSON",
                   help="print the README table of a stored result and exit (nothing is run)")
    p.add_argument("--json", action="store_true", help="print the result (without the per-case records)")
    p.add_argument("--data-dir", type=Path, default=None, help=argparse.SUPPRESS)

    p = sub.add_parser("ingest", help="run the engine headless: ingest, scoring and escalation until stopped")
    _common(p)
    p.add_argument("--broker", required=True, help="mqtt://[user@]host:port or mqtts://[user@]host:port")
    p.add_argument("--ca", help="CA certificate file for mqtts")
    p.add_argument("--cert", help="client certificate file")
    p.add_argument("--key", help="client key file")
    p.add_argument("--protocol", type=int, choices=(4, 5), default=5, help="MQTT 5 (default) or 3.1.1 (4)")

    p = sub.add_parser("score", help="run the engine's scoring job once: score every resident, store the alerts due")
    _common(p)
    p.add_argument("--days-back", type=int, default=1,
                   help="also (re)score this many days before today (default 1, as the engine; more after an outage)")
    p.add_argument("--processes", type=int,
                   help="worker processes (default: 2 from 24 residents on a multi-core machine; 0: this process only)")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("status", help="engine, storage and device health")
    _common(p)
    p.add_argument("--json", action="store_true")

    db = sub.add_parser("db", help="database administration").add_subparsers(dest="action", required=True)
    p = db.add_parser("upgrade", help="migrate the database schema (administrator only)")
    _common(p)

    audit = sub.add_parser("audit", help="the access log").add_subparsers(dest="action", required=True)
    p = audit.add_parser("export", help="print access-log entries")
    _common(p)
    p.add_argument("--resident")
    p.add_argument("--json", action="store_true")
    add_privacy_commands(sub, audit, _common)
    add_device_commands(sub, _common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler = _handler(args)
    try:
        return handler(args)
    except SlimMaatwerkError as exc:
        print(f"slimmaatwerk: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("slimmaatwerk: interrupted", file=sys.stderr)
        return 130


def _handler(args: argparse.Namespace) -> Callable[[argparse.Namespace], int]:
    from . import commands

    key = args.command + (f"_{args.action}" if getattr(args, "action", None) else "")
    return getattr(commands, "cmd_" + key.replace("-", "_"))


def _clock() -> SystemClock:
    return SystemClock()


def print_json(payload: object) -> None:
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=None) + "\n")
