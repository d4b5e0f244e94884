"""Who is acting: the command line and desktop act as the app account linked to the OS user.

The first command on a fresh data folder initialises it and links the calling operating-system user to
a new account that is administrator and coordinator for all residents, so a single-laptop install works
at once. Afterwards an unlinked operating-system user is refused.
"""

from __future__ import annotations

import getpass
import sys
from dataclasses import dataclass
from pathlib import Path

from . import audit_keys
from .clock import Clock
from .datadir import DataDirConfig, machine_requires_protection
from .errors import AccessDenied, SlimMaatwerkError
from .localtime import ms
from .protection import Protection, assess
from .service import Service
from .storage import accounts, migrate
from .storage.database import Database
from .storage.engine import sqlite_url

# Installer too: on a single laptop the same person pairs the first kit.
FIRST_USER_ROLES = "admin,coordinator,installer"


def os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some service contexts; still a stable identity
        return "unknown"


@dataclass
class Session:
    data_dir: Path
    db: Database
    service: Service
    protection: Protection
    created: bool


def database_url(data_dir: Path) -> str:
    config = DataDirConfig.load(data_dir)
    return config.database_url or sqlite_url(data_dir)


def open_session(data_dir: Path, clock: Clock, *, require_protection: bool = False,
                 warn=lambda text: print(text, file=sys.stderr)) -> Session:  # type: ignore[no-untyped-def]
    required = require_protection or machine_requires_protection()
    if required and not assess().key_store:
        # Refuse before anything is created: no key store means the folder can never be protected.
        raise SlimMaatwerkError("protection is required but this data folder cannot be protected: "
                                + assess().reason["en"])
    data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(database_url(data_dir), check_schema=False)
    protection = assess(db.engine)
    if required and not protection.protected:
        db.dispose()
        raise SlimMaatwerkError("protection is required: " + protection.reason["en"])
    audit_keys.attach(db.engine, data_dir)
    fresh = migrate.is_empty(db.engine)
    migrate.ensure_schema(db.engine)
    user_name = os_user()
    with db.begin() as conn:
        if accounts.count_users(conn) == 0:
            accounts.create_user(conn, user_name, user_name, FIRST_USER_ROLES, ms(clock.now()),
                                 all_residents=True, os_user=user_name)
            fresh = True
        user = accounts.user_by_os_user(conn, user_name)
    if user is None:
        db.dispose()
        raise AccessDenied(
            f"operating-system user {user_name!r} has no Slim Maatwerk account for {data_dir}; "
            "ask an administrator to link one"
        )
    if not protection.protected and fresh:
        warn(f"warning: {data_dir}: {protection.reason['en']} / {protection.reason['nl']}")
    return Session(data_dir, db, Service(db, user, clock), protection, fresh)
