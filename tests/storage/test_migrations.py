"""Schema versions: one head, fresh databases created at it, unknown revisions refused."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from slimmaatwerk.errors import SchemaMismatch
from slimmaatwerk.storage import migrate
from slimmaatwerk.storage.database import Database
from slimmaatwerk.storage.schema import SCHEMA_REVISION, metadata


def test_exactly_one_migration_head_and_it_is_the_code_revision() -> None:
    assert migrate.heads() == [SCHEMA_REVISION]


def test_fresh_database_gets_every_table(db_url: str) -> None:
    db = Database(db_url)
    tables = set(inspect(db.engine).get_table_names())
    assert set(metadata.tables) <= tables
    assert migrate.current_revision(db.engine) == SCHEMA_REVISION
    db.dispose()


def test_unknown_revision_is_refused_and_data_untouched(db_url: str) -> None:
    db = Database(db_url)
    with db.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'from_the_future'"))
    db.dispose()
    with pytest.raises(SchemaMismatch, match="unknown"):
        Database(db_url)
    reopened = Database(db_url, check_schema=False)
    assert migrate.current_revision(reopened.engine) == "from_the_future"
    reopened.dispose()


def test_migrations_match_the_table_definitions(db_url: str) -> None:
    """Autogenerate against a migrated database finds nothing to change."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    db = Database(db_url)
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    db.dispose()
    assert diff == []


def test_two_processes_opening_a_fresh_database_at_once_both_succeed(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The engine and a `status` command started together on a new data folder (seen in CI)."""
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'race.db'}"
    code = ("import sys; from slimmaatwerk.storage.database import Database; "
            f"Database({url!r}).dispose(); print('ok')")
    procs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(3)]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], [err[-500:] for _out, err in results]
    db = Database(url)
    assert migrate.current_revision(db.engine) == SCHEMA_REVISION
    db.dispose()


def test_migration_0005_adds_the_team_district_and_goes_back_down(db_url: str) -> None:
    from alembic import command

    db = Database(db_url)
    with db.begin() as conn:
        conn.execute(text("INSERT INTO teams (name, note, district) VALUES ('Noord', '', 'Oosterpark')"))
    config = migrate.alembic_config(db.engine)
    command.downgrade(config, "0004_commissioning")
    assert "district" not in {c["name"] for c in inspect(db.engine).get_columns("teams")}
    command.upgrade(config, "0005_team_district")
    with db.read() as conn:
        assert conn.execute(text("SELECT name, district FROM teams")).all() == [("Noord", None)]
    assert migrate.current_revision(db.engine) == "0005_team_district"
    command.upgrade(config, "head")
    assert migrate.current_revision(db.engine) == SCHEMA_REVISION
    db.dispose()


def test_migration_0007_widens_the_role_list_and_keeps_every_account(db_url: str) -> None:
    """The first user's "admin,coordinator,installer" (27 characters) did not fit PostgreSQL's VARCHAR(20)."""
    from alembic import command

    from slimmaatwerk.identity import FIRST_USER_ROLES
    from slimmaatwerk.storage import accounts

    db = Database(db_url)
    config = migrate.alembic_config(db.engine)
    command.downgrade(config, "0006_daily_features")
    with db.begin() as conn:
        conn.execute(text("INSERT INTO users (username, display_name, role, all_residents, created_ms) "
                          "VALUES ('coord', 'Coördinator', 'coordinator', true, 1)"))
        conn.execute(text("INSERT INTO homes (id, name, created_ms) VALUES ('h1', 'Thuis', 1)"))
        conn.execute(text("INSERT INTO residents (id, name, home_id, household, pet, team, active, created_ms) "
                          "VALUES ('r1', 'R', 'h1', 'alone', false, '', true, 1)"))
        conn.execute(text("INSERT INTO user_scope (user_id, resident_id) SELECT id, 'r1' FROM users"))
    command.upgrade(config, "head")
    assert migrate.current_revision(db.engine) == SCHEMA_REVISION
    with db.begin() as conn:
        assert conn.execute(text("SELECT username, role FROM users")).all() == [("coord", "coordinator")]
        assert conn.execute(text("SELECT resident_id FROM user_scope")).all() == [("r1",)]
        accounts.create_user(conn, "first", "First user", FIRST_USER_ROLES, 2, all_residents=True)
        role = conn.execute(text("SELECT role FROM users WHERE username = 'first'")).scalar_one()
    assert role == FIRST_USER_ROLES and len(role) > 20
    db.dispose()
