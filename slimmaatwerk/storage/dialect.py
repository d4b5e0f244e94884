"""Insert-or-ignore and upsert that read the same on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite


def _insert(conn: Connection, table: Table) -> Any:
    module = postgresql if conn.dialect.name == "postgresql" else sqlite
    return module.insert(table)


def insert_ignore(conn: Connection, table: Table, rows: Sequence[dict]) -> None:
    """Insert rows, silently skipping those whose key already exists (idempotent re-delivery)."""
    if rows:
        conn.execute(_insert(conn, table).on_conflict_do_nothing(), list(rows))


def upsert(conn: Connection, table: Table, rows: Sequence[dict], keys: Sequence[str]) -> None:
    """Insert rows, replacing the non-key columns of rows whose key already exists."""
    if not rows:
        return
    statement = _insert(conn, table)
    updates = {c: statement.excluded[c] for c in rows[0] if c not in keys}
    conn.execute(statement.on_conflict_do_update(index_elements=list(keys), set_=updates), list(rows))
