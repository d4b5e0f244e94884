"""Hot-path writes: many rows per statement, parameters as plain tuples.

The ingest writer stores a few rows per message (events, device state, the redelivery memory). Through
SQLAlchemy each row costs a parameter dictionary and its processing, which cost as much as parsing the
message; one ``executemany`` step per row also hands Python's GIL to the MQTT thread and back for every
row. So rows go as multi-row ``INSERT ... VALUES (...), (...) ON CONFLICT ...`` statements, which read the
same on SQLite (3.24+, SQLCipher included) and PostgreSQL; only the placeholder differs. Statement texts
are built from the table definitions in ``schema.py`` and cached.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from itertools import chain

from sqlalchemy import Connection, Table

# Parameters per statement: SQLite before 3.32 allows 999 (newer builds and PostgreSQL allow more).
MAX_PARAMETERS = 999


@cache
def _insert_sql(table: Table, columns: tuple[str, ...], keys: tuple[str, ...], on_conflict: str,
                placeholder: str, rows: int) -> str:
    """``on_conflict``: "ignore" the row, "replace" the other columns, or "add" to them."""
    columns = tuple(table.c[name].name for name in columns)  # a KeyError names a column the table lacks
    row = "(" + ", ".join(placeholder for _ in columns) + ")"
    head = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES {', '.join(row for _ in range(rows))}"
    if on_conflict == "ignore":
        return f"{head} ON CONFLICT DO NOTHING"
    template = "{0} = excluded.{0}" if on_conflict == "replace" else "{0} = " + table.name + ".{0} + excluded.{0}"
    changes = ", ".join(template.format(name) for name in columns if name not in keys)
    return f"{head} ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {changes}"


def _write(conn: Connection, table: Table, columns: Sequence[str], keys: Sequence[str], on_conflict: str,
           rows: Sequence[tuple]) -> None:
    placeholder = "?" if conn.dialect.name == "sqlite" else "%s"
    per_statement = max(1, MAX_PARAMETERS // len(columns))
    for start in range(0, len(rows), per_statement):
        chunk = rows[start : start + per_statement]
        sql = _insert_sql(table, tuple(columns), tuple(keys), on_conflict, placeholder, len(chunk))
        conn.exec_driver_sql(sql, tuple(chain.from_iterable(chunk)))


def insert_ignore_rows(conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[tuple]) -> None:
    """Insert tuples of ``columns``, skipping rows whose key already exists (idempotent redelivery)."""
    _write(conn, table, columns, (), "ignore", rows)


def upsert_rows(conn: Connection, table: Table, columns: Sequence[str], keys: Sequence[str],
                rows: Sequence[tuple]) -> None:
    """Insert tuples of ``columns``, replacing the other columns of rows whose ``keys`` already exist.

    A key may appear only once in ``rows`` (PostgreSQL refuses to update one row twice in a statement)."""
    _write(conn, table, columns, keys, "replace", rows)


def add_rows(conn: Connection, table: Table, columns: Sequence[str], keys: Sequence[str],
             rows: Sequence[tuple]) -> None:
    """Insert tuples of ``columns``; where ``keys`` already exist, add the other columns to theirs.

    A key may appear only once in ``rows``."""
    _write(conn, table, columns, keys, "add", rows)
