"""Hot-path writes: many rows through one DB-API ``executemany``, parameters as plain tuples.

SQLAlchemy builds and processes a parameter dictionary per row, which for the ingest writer's few rows
per message cost as much as parsing the message. ``INSERT ... ON CONFLICT`` reads the same on SQLite
(3.24+, SQLCipher included) and PostgreSQL, so one statement text serves both; only the placeholder
differs. The text is built from the table definitions in ``schema.py`` and cached per dialect.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from sqlalchemy import Connection, Table


@cache
def _insert_sql(table: Table, columns: tuple[str, ...], keys: tuple[str, ...], on_conflict: str,
                placeholder: str) -> str:
    """``on_conflict``: "ignore" the row, "replace" the other columns, or "add" to them."""
    columns = tuple(table.c[name].name for name in columns)  # a KeyError names a column the table lacks
    values = ", ".join(placeholder for _ in columns)
    head = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({values})"
    if on_conflict == "ignore":
        return f"{head} ON CONFLICT DO NOTHING"
    template = "{0} = excluded.{0}" if on_conflict == "replace" else "{0} = " + table.name + ".{0} + excluded.{0}"
    changes = ", ".join(template.format(name) for name in columns if name not in keys)
    return f"{head} ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {changes}"


def _placeholder(conn: Connection) -> str:
    return "?" if conn.dialect.name == "sqlite" else "%s"


def insert_ignore_rows(conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[tuple]) -> None:
    """Insert tuples of ``columns``, skipping rows whose key already exists (idempotent redelivery)."""
    if rows:
        sql = _insert_sql(table, tuple(columns), (), "ignore", _placeholder(conn))
        conn.exec_driver_sql(sql, list(rows))


def upsert_rows(conn: Connection, table: Table, columns: Sequence[str], keys: Sequence[str],
                rows: Sequence[tuple]) -> None:
    """Insert tuples of ``columns``, replacing the other columns of rows whose ``keys`` already exist."""
    if rows:
        sql = _insert_sql(table, tuple(columns), tuple(keys), "replace", _placeholder(conn))
        conn.exec_driver_sql(sql, list(rows))


def add_rows(conn: Connection, table: Table, columns: Sequence[str], keys: Sequence[str],
             rows: Sequence[tuple]) -> None:
    """Insert tuples of ``columns``; where ``keys`` already exist, add the other columns to theirs."""
    if rows:
        sql = _insert_sql(table, tuple(columns), tuple(keys), "add", _placeholder(conn))
        conn.exec_driver_sql(sql, list(rows))
