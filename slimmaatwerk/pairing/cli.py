"""The headless installer commands: ``devices discover``, ``devices pair``, ``devices list``.

``discover`` connects as a short-lived, non-persistent client, listens ``--seconds`` and prints
``{"devices": [{"id", "topic", "model", "vendor", "suggested_profile"}, …]}`` (the Zigbee2MQTT coordinator
is no device; unknown topics are not devices either and are only counted on stderr). It suggests from
the same library as the engine: the built-in profiles plus the data folder's user profiles, a refused
user file named on stderr and never shadowing a built-in (``profiles.user_profiles``). ``pair`` assigns one
device from ``--from`` (default now) through the same facade as the wizard.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from ..clock import SystemClock
from ..datadir import default_data_dir
from ..errors import InputError
from ..localtime import parse_timestamp
from ..profiles import load_profiles
from ..profiles.user_profiles import load_library, user_profiles_dir
from .broker import BrokerSettings, ConnectFailed
from .texts import text


def add_device_commands(sub: argparse._SubParsersAction, common: Callable[[argparse.ArgumentParser], None]) -> None:
    devices = sub.add_parser("devices", help="discover, pair and list devices").add_subparsers(
        dest="action", required=True)
    p = devices.add_parser("discover", help="list the devices on a home's broker")
    p.add_argument("--broker", required=True, help="mqtt://host:port or mqtts://host:port")
    p.add_argument("--seconds", type=float, default=3.0, help="how long to listen (default 3)")
    p.add_argument("--username", default="", help="MQTT user name (password from $SLIM_MQTT_PASSWORD)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--data-dir", type=Path, default=None,
                   help="data folder whose user profiles are used too (default: the per-user data folder)")
    p = devices.add_parser("pair", help="assign a device to a resident, room and placement")
    common(p)
    p.add_argument("--id", required=True, help="the device's hardware identity, as 'devices discover' prints it")
    p.add_argument("--resident", required=True)
    p.add_argument("--room", required=True)
    p.add_argument("--placement", default="")
    p.add_argument("--profile", default="")
    p.add_argument("--name", default="")
    p.add_argument("--from", dest="start", help="ISO 8601 with offset (default: now)")
    p = devices.add_parser("list", help="known devices and where they are now")
    common(p)
    p.add_argument("--resident")
    p.add_argument("--json", action="store_true")


def cmd_devices_discover(args: argparse.Namespace) -> int:
    from ..cli import print_json
    from .tools import MqttTools

    if not 0 < args.seconds <= 600:
        raise InputError("--seconds must be between 0 and 600")
    import os

    settings = BrokerSettings(args.broker, args.username, os.environ.get("SLIM_MQTT_PASSWORD", ""))
    if settings.check_url():
        raise InputError(f"--broker {args.broker!r} must look like mqtt://host:port or mqtts://host:port")
    library = load_library(user_profiles_dir(Path(args.data_dir or default_data_dir())))
    for refused in library.refused:
        print(refused, file=sys.stderr)
    tools = MqttTools(library.registry, SystemClock())
    try:
        discovery, _error, _detail = tools.scan(settings, args.seconds)
    except ConnectFailed as exc:
        raise InputError(f"{args.broker}: {text('error.' + exc.key, 'en', detail=exc.detail)} ({exc.detail})") from None
    found = [c for c in discovery.devices() if c.source != "unknown"]
    unknown = len(discovery.devices()) - len(found)
    if args.json:
        print_json({"devices": [c.as_json() for c in found]})
    else:
        for c in found:
            print(f"{c.id}\t{c.topic}\t{c.vendor} {c.model}\t{c.suggested_profile or '-'}", file=sys.stderr)
    print(f"{len(found)} devices found, {unknown} unknown topics", file=sys.stderr)
    return 0


def cmd_devices_pair(args: argparse.Namespace) -> int:
    from ..commands import _session
    from .installer import Installer

    when = None
    if args.start:
        try:
            when = parse_timestamp(args.start)
        except ValueError as exc:
            raise InputError(f"--from: {exc}") from None
    session = _session(args)
    installer = Installer(session.service, load_profiles())
    installer.pair(args.id, args.resident, args.room, args.placement, name=args.name, profile=args.profile,
                   when=when)
    print(f"{args.id} paired to {args.resident}: {args.room}{'/' + args.placement if args.placement else ''}",
          file=sys.stderr)
    return 0


def cmd_devices_list(args: argparse.Namespace) -> int:
    from ..cli import print_json
    from ..commands import _session
    from .installer import Installer

    session = _session(args)
    found = Installer(session.service).devices(args.resident)
    if args.json:
        print_json({"devices": [d.as_json() for d in found]})
    else:
        for d in found:
            print(f"{d.identity}\t{d.resident_id or '-'}\t{d.room or '-'}\t{d.placement or '-'}", file=sys.stderr)
    return 0
