"""Command-line arguments of the privacy commands: users, relatives, consent, audit, weekly report, data rights,
backups and retention.

Kept apart from ``cli.py`` so the main parser stays readable; handlers live in ``commands_privacy.py``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path


def add_privacy_commands(sub: argparse._SubParsersAction, audit: argparse._SubParsersAction,
                         common: Callable[[argparse.ArgumentParser], None]) -> None:
    p = audit.add_parser("verify", help="check the access-log hash chain (exit 0 intact, 1 broken)")
    common(p)
    p.add_argument("--checkpoint", action="append", type=Path, default=[],
                   help="also check against this exported checkpoint file (repeatable)")
    p.add_argument("--json", action="store_true")
    p = audit.add_parser("checkpoint", help="write a signed checkpoint of the access log")
    common(p)
    p.add_argument("--folder", type=Path, help="where to write it (default: <data dir>/audit-checkpoints)")

    users = sub.add_parser("users", help="accounts and roles").add_subparsers(dest="action", required=True)
    p = users.add_parser("add", help="add an account")
    common(p)
    p.add_argument("--username", required=True)
    p.add_argument("--name", required=True, help="display name")
    p.add_argument("--role", required=True, help="admin, coordinator, installer, family (comma-separated)")
    p.add_argument("--resident", action="append", default=[], help="grant this resident (repeatable)")
    p.add_argument("--all-residents", action="store_true")
    p.add_argument("--relative", help="family accounts: the named relative this account is")
    p.add_argument("--os-user", help="link this operating-system user to the account")
    p.add_argument("--password-stdin", action="store_true", help="read a password from standard input")
    p = users.add_parser("list", help="list accounts")
    common(p)
    p.add_argument("--json", action="store_true")
    p = users.add_parser("passwd", help="set a password (your own, or as administrator anyone's)")
    common(p)
    p.add_argument("--username", required=True)
    p.add_argument("--password-stdin", action="store_true",
                   help="read the new password (for your own account: the current one first) from stdin")

    relatives = sub.add_parser("relatives", help="named relatives of a resident").add_subparsers(
        dest="action", required=True)
    p = relatives.add_parser("add", help="record a relative who may receive the weekly summary")
    common(p)
    p.add_argument("--resident", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--relation", default="", help="e.g. dochter, zoon, buurvrouw")

    consent = sub.add_parser("consent", help="consent per relative and section").add_subparsers(
        dest="action", required=True)
    for action, text in (("grant", "record consent"), ("revoke", "withdraw consent")):
        p = consent.add_parser(action, help=text)
        common(p)
        p.add_argument("--resident", required=True)
        p.add_argument("--relative", required=True)
        p.add_argument("--sections", required=True, help="standard, all, or names: week,sleep,hygiene,...")
        p.add_argument("--by", default="resident", help="'resident' or 'representative:<name>'")
    p = consent.add_parser("list", help="consent in force per relative")
    common(p)
    p.add_argument("--resident", required=True)
    p.add_argument("--json", action="store_true")

    report = sub.add_parser("report", help="reports").add_subparsers(dest="action", required=True)
    p = report.add_parser("weekly", help="the weekly summary of one resident (PDF or HTML)")
    common(p)
    p.add_argument("--resident", required=True)
    p.add_argument("--week", required=True, help="ISO week, e.g. 2026-W10")
    p.add_argument("--for", dest="relative", help="only the sections this named relative may see")
    p.add_argument("--language", choices=("nl", "en"), default="nl")
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--pdf", type=Path)
    target.add_argument("--html", type=Path)

    data = sub.add_parser("data", help="AVG rights and retention: export, erase, purge").add_subparsers(
        dest="action", required=True)
    p = data.add_parser("export", help="everything stored about one resident as JSON (AVG right of access)")
    common(p)
    p.add_argument("--resident", required=True)
    p.add_argument("--file", required=True, type=Path)
    p = data.add_parser("erase", help="erase one resident everywhere, backups included (AVG right to erasure)")
    common(p)
    p.add_argument("--resident", required=True)
    p.add_argument("--confirm", required=True, metavar="ID", help="repeat the resident id to confirm")
    p = data.add_parser("purge", help="delete raw events, quarantine and backups older than the retention period")
    common(p)
    p.add_argument("--json", action="store_true")

    backups = sub.add_parser("backup", help="encrypted backups of the SQLite database").add_subparsers(
        dest="action", required=True)
    p = backups.add_parser("create", help="back up the database (default: <data dir>/backups)")
    common(p)
    p.add_argument("--file", type=Path, help="also copy the backup to this file")
    p = backups.add_parser("restore", help="replace the database by a backup (stop the app and engine first)")
    common(p)
    p.add_argument("--file", required=True, type=Path)

    retention = sub.add_parser("retention", help="how long raw data is kept").add_subparsers(
        dest="action", required=True)
    p = retention.add_parser("set", help="set retention periods (raw events, daily data, access log)")
    common(p)
    p.add_argument("--raw-days", type=int, help="raw events, quarantine and backups: days (7..3650)")
    p.add_argument("--aggregate-days", type=int, help="alerts and context periods: days (>= raw days)")
    p.add_argument("--access-log-years", type=int, help="access log: years (at least 5, NEN 7513 practice)")
    p = retention.add_parser("show", help="show the retention periods")
    common(p)
    p.add_argument("--json", action="store_true")

    jobs = sub.add_parser("jobs", help="the engine's daily privacy jobs (purge, archive, backup, checkpoint)"
                          ).add_subparsers(dest="action", required=True)
    p = jobs.add_parser("schedule", help="when and where the daily privacy jobs run")
    common(p)
    p.add_argument("--at", help="local time of day, HH:MM (default 03:30)")
    p.add_argument("--checkpoint-folder", type=Path, help="where signed checkpoints are exported daily")
    backup_target = p.add_mutually_exclusive_group()
    backup_target.add_argument("--backup-folder", type=Path, help="make an encrypted backup here daily")
    backup_target.add_argument("--no-backup", action="store_true", help="no daily backup")
    p = jobs.add_parser("run", help="run the daily privacy jobs now (as you, an administrator)")
    common(p)
    p.add_argument("--json", action="store_true")
