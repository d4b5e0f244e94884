"""Migration 0004_commissioning creates exactly the table of schema_commissioning and goes back down."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from slimmaatwerk.storage import migrate
from slimmaatwerk.storage import schema_commissioning as c
from slimmaatwerk.storage.engine import make_engine


def test_the_migration_matches_the_table_and_downgrades(db_url: str) -> None:
    engine = make_engine(db_url)
    config = migrate.alembic_config(engine)
    command.upgrade(config, "0004_commissioning")
    assert "commissioning_records" in inspect(engine).get_table_names()
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), c.metadata)
    mine = [d for d in diff if "commissioning" in repr(d)]
    assert mine == []
    command.downgrade(config, "0003_privacy")
    tables = set(inspect(engine).get_table_names())
    assert "commissioning_records" not in tables and "relatives" in tables
    engine.dispose()
