"""Commissioning tables on the shared ``metadata``: one row per saved commissioning record of a home.

Migration ``0004_commissioning`` creates exactly these. A record is never rewritten: re-opening and
saving again (a later visit) adds a new version, so what was handed over on a given day stays provable.
The record itself is a versioned JSON document (``commissioning.record``); the columns are what lists
and look-ups need.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, Integer, String, Table, Text, UniqueConstraint

from .schema import metadata

commissioning_records = Table(
    "commissioning_records",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("home_id", String(64), nullable=False),
    Column("resident_id", String(64), nullable=False),
    Column("version", Integer, nullable=False),  # 1, 2, … per home
    Column("status", String(16), nullable=False),  # complete | incomplete (walk-test failures accepted)
    Column("installer", String(200), nullable=False),
    Column("created_ms", BigInteger, nullable=False),
    Column("completed_ms", BigInteger, nullable=False),
    Column("document", Text, nullable=False),
    UniqueConstraint("home_id", "version", name="uq_commissioning_home_version"),
    Index("ix_commissioning_resident", "resident_id", "id"),
)
