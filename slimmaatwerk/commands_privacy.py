"""Handlers of the privacy commands (see ``cli_privacy.py``): users, relatives, consent, audit, weekly report.

Passwords never appear on the command line: they come from a terminal prompt or, for scripts, from
standard input with ``--password-stdin``.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from . import consent
from .audit_files import folder_of, read_checkpoint, read_folder
from .audit_keys import attach
from .cli import print_json
from .clock import SystemClock
from .datadir import default_data_dir
from .errors import InputError
from .identity import Session, open_session

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
