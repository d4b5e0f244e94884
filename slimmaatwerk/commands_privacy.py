"""Handlers of the privacy commands (see ``cli_privacy.py``): users, relatives, consent, audit, weekly report,
data rights (export, erase, purge), retention and backups.

Passwords never appear on the command line: they come from a terminal prompt or, for scripts, from
standard input with ``--password-stdin``.
"""

from __future__ import annotations

import argparse
import getpass
import json
import shutil
import sys
from pathlib import Path

from . import consent
from .audit_files import folder_of, read_checkpoint, read_folder
from .audit_keys import attach
from .cli import print_json
from .clock import SystemClock
from .datadir import default_data_dir
from .errors import AccessDenied, InputError
from .identity import Session, open_session
from .permissions import allowed, parse_roles

EXIT_BROKEN = 1


def privacy_session(args: argparse.Namespace) -> Session:
    data_dir = Path(args.data_dir or default_data_dir())
    session = open_session(data_dir, SystemClock(), require_protection=args.require_protection)
    attach(session.db.engine, data_dir)
    return session


def _read_secret(prompt: str, from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        if not line:
            raise InputError("expected a password on standard input")
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise InputError("no terminal to ask for a password: use --password-stdin")
    return getpass.getpass(prompt)


# --- audit ------------------------------------------------------------------------------------------
def cmd_audit_verify(args: argparse.Namespace) -> int:
    extra = [read_checkpoint(path) for path in args.checkpoint]
    session = privacy_session(args)
    extra += read_folder(folder_of(session.data_dir))
    verdict = session.service.privacy.verify_audit(extra)
    if args.json:
        broken = verdict.broken
        print_json({"intact": verdict.intact, "entries": verdict.entries, "checkpoints": verdict.checkpoints,
                    "broken": None if broken is None else
                    {"entry": broken.entry_id, "kind": broken.kind, "explanation": broken.text},
                    "notes": verdict.notes})
    for note in verdict.notes:
        print(f"warning: {note['en']} / {note['nl']}", file=sys.stderr)
    if verdict.broken is not None:
        print(f"broken: {verdict.broken.text['en']} / {verdict.broken.text['nl']}", file=sys.stderr)
        return EXIT_BROKEN
    print(f"intact: {verdict.entries} entries, {verdict.checkpoints} checkpoints / "
          f"intact: {verdict.entries} regels, {verdict.checkpoints} controlepunten", file=sys.stderr)
    return 0


def cmd_audit_checkpoint(args: argparse.Namespace) -> int:
    session = privacy_session(args)
    written = session.service.privacy.checkpoint(args.folder or folder_of(session.data_dir))
    for path in written:
        print(f"checkpoint written to {path}", file=sys.stderr)
    return 0


def cmd_audit_export(args: argparse.Namespace) -> int:
    session = privacy_session(args)
    entries = session.service.privacy.export_audit(args.resident)
    if args.json:
        print_json({"entries": entries})
    else:
        for e in entries:
            print(f"#{e['id']} {e['time']} {e['user']} {e['action']} {e['resident_id'] or '-'} {e['detail']}",
                  file=sys.stderr)
    return 0


# --- users ------------------------------------------------------------------------------------------
def cmd_users_add(args: argparse.Namespace) -> int:
    password = _read_secret("password: ", True) if args.password_stdin else None
    session = privacy_session(args)
    user = session.service.privacy.add_user(
        args.username, args.name, args.role, residents=tuple(args.resident), all_residents=args.all_residents,
        os_user=args.os_user, password=password, relative=args.relative)
    print(f"user {user.username} added ({user.role})", file=sys.stderr)
    return 0


def cmd_users_list(args: argparse.Namespace) -> int:
    found = privacy_session(args).service.privacy.list_users()
    if args.json:
        print_json({"users": found})
    else:
        for u in found:
            scope = "all residents" if u["all_residents"] else ",".join(u["residents"]) or "-"
            print(f"{u['username']}\t{u['role']}\t{scope}\t{u['display_name']}", file=sys.stderr)
    return 0


def cmd_users_passwd(args: argparse.Namespace) -> int:
    session = privacy_session(args)
    own = args.username == session.service.actor.username
    old = _read_secret("current password: ", args.password_stdin) if own and session.service.privacy.has_password() \
        else None
    new = _read_secret("new password: ", args.password_stdin)
    session.service.privacy.set_password(args.username, new, old)
    print(f"password of {args.username} set", file=sys.stderr)
    return 0


# --- relatives and consent ------------------------------------------------------------------------------
def cmd_relatives_add(args: argparse.Namespace) -> int:
    found = privacy_session(args).service.privacy.add_relative(args.resident, args.name, args.relation)
    print(f"relative {found.name} recorded for {args.resident}", file=sys.stderr)
    return 0


def _consent(args: argparse.Namespace, granted: bool) -> int:
    sections = consent.parse_sections(args.sections)
    now = privacy_session(args).service.privacy.record_consent(args.resident, args.relative, sections, granted,
                                                               args.by)
    shown = ", ".join(s for s in consent.SECTIONS if s in now) or "nothing"
    print(f"{args.relative} now sees: {shown}", file=sys.stderr)
    return 0


def cmd_consent_grant(args: argparse.Namespace) -> int:
    return _consent(args, True)


def cmd_consent_revoke(args: argparse.Namespace) -> int:
    return _consent(args, False)


def cmd_consent_list(args: argparse.Namespace) -> int:
    state = privacy_session(args).service.privacy.consent_state(args.resident)
    if args.json:
        print_json({"resident": args.resident, "relatives": {name: [s for s in consent.SECTIONS if s in sections]
                                                             for name, sections in state.items()}})
    else:
        for name, sections in state.items():
            print(f"{name}\t{', '.join(s for s in consent.SECTIONS if s in sections) or '-'}", file=sys.stderr)
    return 0


# --- weekly report -----------------------------------------------------------------------------------------
def cmd_report_weekly(args: argparse.Namespace) -> int:
    from .reports.week import parse_week

    week = parse_week(args.week)
    target: Path = args.pdf or args.html
    if not target.parent.exists():
        raise InputError(f"{target.parent}: folder does not exist")
    session = privacy_session(args)
    summary = session.service.privacy.weekly_summary(args.resident, week, args.relative)
    if args.pdf:
        from .reports.render_pdf import render_pdf

        data, font_note = render_pdf(summary, args.language)
        if font_note:
            print(f"note: {font_note}", file=sys.stderr)
    else:
        from .reports.render_html import render_html

        data = render_html(summary, args.language).encode("utf-8")
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(target)
    print(f"weekly summary {args.week} of {args.resident} written to {target}", file=sys.stderr)
    return 0


# --- data rights, retention and backups ----------------------------------------------------------------------
def _write_atomic(target: Path, data: bytes) -> None:
    if not target.parent.is_dir():
        raise InputError(f"{target.parent}: folder does not exist")
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(target)


def cmd_data_export(args: argparse.Namespace) -> int:
    if not args.file.parent.is_dir():
        raise InputError(f"{args.file.parent}: folder does not exist")
    record = privacy_session(args).service.data_rights.export_resident(args.resident)
    _write_atomic(args.file, (json.dumps(record, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    print(f"all data of {args.resident} written to {args.file} ({len(record['events'])} events); "
          "it contains personal data: hand it over securely", file=sys.stderr)
    return 0


def cmd_data_erase(args: argparse.Namespace) -> int:
    if args.confirm != args.resident:
        raise InputError(f"erasing {args.resident!r} cannot be undone: repeat the id with --confirm {args.resident}")
    session = privacy_session(args)
    removed = session.service.data_rights.erase_resident(args.resident, session.data_dir)
    rows = sum(n for table, n in removed.items() if table not in ("access_log_pseudonymised", "backups_scrubbed"))
    print(f"resident {args.resident} erased: {rows} rows removed, {removed.get('backups_scrubbed', 0)} backups "
          f"scrubbed, {removed.get('access_log_pseudonymised', 0)} access-log entries pseudonymised",
          file=sys.stderr)
    return 0


def cmd_data_purge(args: argparse.Namespace) -> int:
    session = privacy_session(args)
    rights = session.service.data_rights
    removed = rights.purge(session.data_dir)
    if args.json:
        print_json({"retention_days": rights.retention_days(), "removed": removed})
    print(f"purged data older than {rights.retention_days()} days: {removed.get('events', 0)} events, "
          f"{removed.get('quarantine', 0)} quarantined messages, {removed.get('backups', 0)} backups",
          file=sys.stderr)
    return 0


def cmd_retention_set(args: argparse.Namespace) -> int:
    privacy_session(args).service.data_rights.set_retention_days(args.raw_days)
    print(f"raw events are now kept {args.raw_days} days (run 'slimmaatwerk data purge' to apply)", file=sys.stderr)
    return 0


def cmd_retention_show(args: argparse.Namespace) -> int:
    print(f"raw events are kept {privacy_session(args).service.data_rights.retention_days()} days", file=sys.stderr)
    return 0


def cmd_backup_create(args: argparse.Namespace) -> int:
    if args.file is not None and not args.file.parent.is_dir():
        raise InputError(f"{args.file.parent}: folder does not exist")
    session = privacy_session(args)
    path = session.service.data_rights.make_backup(session.data_dir)
    print(f"backup written to {path}", file=sys.stderr)
    if args.file is not None:
        for suffix in ("", ".keyid"):
            source = path.with_name(path.name + suffix)
            if source.exists():
                shutil.copyfile(source, args.file.with_name(args.file.name + suffix))
        print(f"copied to {args.file}; note: copies outside {path.parent} are not scrubbed by 'data erase' "
              "nor expired by 'data purge'", file=sys.stderr)
    return 0


def cmd_backup_restore(args: argparse.Namespace) -> int:
    from .storage import access_log, backup

    source: Path = args.file
    if not source.is_file():
        raise InputError(f"{source}: no such backup file")
    with source.open("rb") as f:
        plain = f.read(16) == b"SQLite format 3\x00"
    if not plain and not source.with_name(source.name + ".keyid").is_file():
        raise InputError(f"{source}: not a readable backup (neither a database nor an encrypted backup with its "
                         ".keyid beside it); nothing was restored")
    session = privacy_session(args)
    user = session.service.actor
    if not allowed(parse_roles(user.role), "manage_database"):
        session.db.dispose()
        raise AccessDenied(f"{user.username} ({user.role}) may not restore the database")
    if session.db.engine.dialect.name != "sqlite":
        session.db.dispose()
        raise InputError("restore here is for SQLite data folders; restore PostgreSQL with its own tools")
    target = Path(str(session.db.engine.url.database))
    session.db.dispose()
    backup.restore(source, target)
    after = privacy_session(args)
    service = after.service
    with after.db.begin() as conn:
        access_log.append(conn, service.now_ms(), service.actor.id, "change", None,
                          f"database restored from backup {source.name}", service.on_behalf_of)
    after.db.dispose()
    print(f"database restored from {source}; everything after that backup is gone, including access-log entries "
          "(older checkpoints will report them missing)", file=sys.stderr)
    return 0
