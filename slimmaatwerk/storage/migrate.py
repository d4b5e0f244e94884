"""Schema versions: the app refuses a schema it does not know; only ``db upgrade`` migrates.

A fresh, empty database is created at the current revision on first use (that is initialisation, not
migration); an older or unknown revision makes every command but ``db upgrade`` refuse to run.
"""

from __future__ import annotations

import time
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect
from sqlalchemy.exc import DBAPIError

from ..errors import SchemaMismatch
from .schema import SCHEMA_REVISION

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# How long to wait for another process that is creating the same fresh database.
INIT_WAIT_S = 15.0


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def heads() -> list[str]:
    return list(ScriptDirectory.from_config(alembic_config_without_engine()).get_heads())


def alembic_config_without_engine() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def is_empty(engine: Engine) -> bool:
    return not inspect(engine).get_table_names()


def upgrade(engine: Engine, target: str = SCHEMA_REVISION) -> tuple[str | None, str]:
    """Migrate to the revision this program was written for; returns (before, after)."""
    before = current_revision(engine)
    command.upgrade(alembic_config(engine), target)
    return before, current_revision(engine) or ""


def ensure_schema(engine: Engine) -> None:
    """Create a fresh database, accept the known revision, refuse anything else."""
    if is_empty(engine):
        try:
            upgrade(engine)
            return
        except DBAPIError:
            # Another process created the tables between our look and our create: use its schema.
            pass
    revision = current_revision(engine)
    deadline = time.monotonic() + INIT_WAIT_S
    while revision is None and time.monotonic() < deadline:
        # Tables but no revision yet: another process (the engine, a second command) is creating this
        # database right now; SQLite commits its DDL statement by statement. Wait for it to finish.
        time.sleep(0.2)
        revision = current_revision(engine)
    if revision == SCHEMA_REVISION:
        return
    known = _known_revisions()
    if revision in known:
        raise SchemaMismatch(
            f"the database schema is at revision {revision}, this program needs {SCHEMA_REVISION}: "
            "an administrator must run 'slimmaatwerk db upgrade' (make a backup first)"
        )
    raise SchemaMismatch(
        f"the database schema revision {revision!r} is unknown to this program (it needs "
        f"{SCHEMA_REVISION}); it was probably made by a newer version of Slim Maatwerk"
    )


def _known_revisions() -> set[str]:
    script = ScriptDirectory.from_config(alembic_config_without_engine())
    return {rev.revision for rev in script.walk_revisions()}
