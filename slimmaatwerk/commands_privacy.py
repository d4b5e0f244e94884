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
from .audit_files import archive_folder_of, folder_of, read_checkpoint, read_folder
from .audit_keys import attach
from .cli import print_json
from .clock import SystemClock
from .datadir import default_data_dir
from .errors import AccessDenied, InputError
from .identity import Session, open_session
from .permissions import allowed, parse_roles
from .privacy_jobs import CHECKPOINT_FOLDER_KEY

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
    configured = session.db.get_setting(CHECKPOINT_FOLDER_KEY)
    if configured and Path(configured) != folder_of(session.data_dir):
        extra += read_folder(Path(configured))
    verdict = session.service.privacy.verify_audit(extra, archive_folder_of(session.data_dir))
    if args.json:
        broken = verdict.broken
        print_json({"intact": verdict.intact, "entries": verdict.entries, "checkpoints": verdict.checkpoints,
                    "broken": None if broken is None else
                    {"entry": broken.entry_id, "kind": broken.kind, "explanation": broken.text},
                    "restore_gaps": verdict.restore_gaps, "archived_before": verdict.archived_before,
                    "notes": verdict.notes})
    for note in verdict.notes:
        print(f"warning: {note['en']} / {note['nl']}", file=sys.stderr)
    if verdict.broken is not None:
        print(f"broken: {verdict.broken.text['en']} / {verdict.broken.text['nl']}", file=sys.stderr)
        return EXIT_BROKEN
    gaps = f", {len(verdict.restore_gaps)} restore gap(s) explained by archives" if verdict.restore_gaps else ""
    gaps_nl = f", {len(verdict.restore_gaps)} herstelgat(en) verklaard door archieven" if verdict.restore_gaps else ""
    print(f"intact: {verdict.entries} entries, {verdict.checkpoints} checkpoints{gaps} / "
          f"intact: {verdict.entries} regels, {verdict.checkpoints} controlepunten{gaps_nl}", file=sys.stderr)
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
    if args.raw_days is None and args.aggregate_days is None and args.access_log_years is None:
        raise InputError("give at least one of --raw-days, --aggregate-days, --access-log-years")
    rights = privacy_session(args).service.data_rights
    rights.set_retention(args.raw_days, args.aggregate_days, args.access_log_years)
    print(f"kept: raw events {rights.retention_days()} days, daily data {rights.aggregate_days()} days, access log "
          f"{rights.access_log_years()} years (applied by the engine's daily jobs, or 'slimmaatwerk jobs run')",
          file=sys.stderr)
    return 0


def cmd_retention_show(args: argparse.Namespace) -> int:
    rights = privacy_session(args).service.data_rights
    if args.json:
        print_json({"raw_event_days": rights.retention_days(), "aggregate_days": rights.aggregate_days(),
                    "access_log_years": rights.access_log_years()})
    print(f"raw events are kept {rights.retention_days()} days, daily data {rights.aggregate_days()} days, "
          f"the access log {rights.access_log_years()} years", file=sys.stderr)
    return 0


def cmd_jobs_schedule(args: argparse.Namespace) -> int:
    from .privacy_jobs import configure, status_record

    for folder in (args.checkpoint_folder, args.backup_folder):
        if folder is not None and not folder.is_dir():
            raise InputError(f"{folder}: folder does not exist")
    session = privacy_session(args)
    configure(session.service, args.at, args.checkpoint_folder, args.backup_folder, args.no_backup)
    with session.db.read() as conn:
        record = status_record(conn, session.service.clock.now())
    print(f"daily privacy jobs at {record['daily_at']}; next run {record['next_run']}", file=sys.stderr)
    return 0


def cmd_jobs_run(args: argparse.Namespace) -> int:
    from .privacy_jobs import PrivacyJobs

    session = privacy_session(args)
    state = PrivacyJobs(session.service, session.data_dir).run()
    if args.json:
        print_json(state)
    for step, line in state["results"].items():
        print(f"{step}: {line}", file=sys.stderr)
    for error in state["errors"].values():
        print(f"error: {error['en']} / {error['nl']}", file=sys.stderr)
    return 1 if state["errors"] else 0


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
    from .audit_archiving import prepare_restore, record_restore
    from .storage import backup

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
    # The entries the backup does not have are archived first, so old checkpoints stay explainable.
    try:
        plan = prepare_restore(session.db, source, archive_folder_of(session.data_dir), session.service.now_ms())
    finally:
        session.db.dispose()
    try:
        backup.restore(source, target)
    except BaseException:
        plan.discard()
        raise
    after = privacy_session(args)
    record_restore(after.service, plan)
    after.db.dispose()
    lost = (f"access-log entries #{plan.lost[0]}..#{plan.lost[1]} are archived in {plan.archive}"
            if plan.lost and plan.archive else "no access-log entries were lost")
    print(f"database restored from {source}; everything after that backup is gone; {lost} "
          "('audit verify' checks the archive with the checkpoints)", file=sys.stderr)
    return 0
