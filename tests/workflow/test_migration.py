"""Migration 0002_alert_workflow creates exactly the tables of schema_workflow, and goes back down."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from slimmaatwerk.storage import migrate, schema_workflow
from slimmaatwerk.storage.schema import metadata

from .conftest import workflow_database

WORKFLOW_TABLES = {t.name for t in schema_workflow.metadata.sorted_tables if t.name in {
    "alert_events", "teams", "rota_entries", "resident_contacts", "escalation_settings", "escalation_channels",
    "escalation_log"}}


def test_the_migration_creates_every_workflow_table_exactly_as_defined(db_url: str) -> None:
    db = workflow_database(db_url)
    assert len(WORKFLOW_TABLES) == 7
    assert WORKFLOW_TABLES <= set(inspect(db.engine).get_table_names())
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    workflow_diff = [d for d in diff if getattr(d[1], "name", None) in WORKFLOW_TABLES
                     or getattr(getattr(d[1], "table", None), "name", None) in WORKFLOW_TABLES]
    db.dispose()
    assert workflow_diff == []


def test_downgrading_removes_only_the_workflow_tables(db_url: str) -> None:
    db = workflow_database(db_url)
    command.downgrade(migrate.alembic_config(db.engine), "0001_initial")
    tables = set(inspect(db.engine).get_table_names())
    assert not WORKFLOW_TABLES & tables and "alerts" in tables
    command.upgrade(migrate.alembic_config(db.engine), "0002_alert_workflow")
    assert WORKFLOW_TABLES <= set(inspect(db.engine).get_table_names())
    db.dispose()
