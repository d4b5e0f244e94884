"""Privacy tables on the shared ``metadata``: relatives, consent, family links, the access-log chain.

Migration ``0003_privacy`` creates exactly these. Consent is a history, not a flag: each grant or
revocation is a new row, and the newest row per (relative, section) is in force, so the privacy officer
can show when and by whom consent was given or withdrawn.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Index, Integer, String, Table, Text, UniqueConstraint

from .schema import metadata

# A named relative (or other person close to the resident) who may receive the weekly summary.
relatives = Table(
    "relatives",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("resident_id", String(64), nullable=False),
    Column("name", String(200), nullable=False),
    Column("relation", String(100), nullable=False, default=""),
    Column("created_ms", BigInteger, nullable=False),
    UniqueConstraint("resident_id", "name", name="uq_relative_name"),
)

consents = Table(
    "consents",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("resident_id", String(64), nullable=False),
    Column("relative_id", Integer, nullable=False),
    Column("section", String(40), nullable=False),
    Column("granted", Boolean, nullable=False),
    Column("given_by", String(200), nullable=False),  # "resident" or "representative: <name>"
    Column("recorded_ms", BigInteger, nullable=False),
    Column("recorded_by", Integer, nullable=False),
    Index("ix_consents_relative", "relative_id", "section", "id"),
)

# A family account sees one resident, as one named relative.
family_links = Table(
    "family_links",
    metadata,
    Column("user_id", Integer, primary_key=True),
    Column("resident_id", String(64), nullable=False),
    Column("relative_id", Integer, nullable=False),
)

# One MAC per access-log entry: HMAC-SHA256(key, previous MAC + canonical entry). The key is kept
# outside the database, so whoever can write the database cannot forge the chain.
access_log_chain = Table(
    "access_log_chain",
    metadata,
    Column("entry_id", Integer, primary_key=True, autoincrement=False),
    Column("mac", String(64), nullable=False),
    Column("detail_sha", String(64), nullable=False),
)

# The chain's head: appenders lock this row, so two writers can never fork the chain.
access_log_head = Table(
    "access_log_head",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("last_entry_id", BigInteger, nullable=False),
    Column("last_mac", String(64), nullable=False),
    Column("count", BigInteger, nullable=False),
)

# Signed checkpoints (count + last MAC), also exported daily as files outside the database, so a
# truncated log is caught even when the newest rows and their MACs were removed together.
access_log_checkpoints = Table(
    "access_log_checkpoints",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_ms", BigInteger, nullable=False),
    Column("entry_id", BigInteger, nullable=False),
    Column("count", BigInteger, nullable=False),
    Column("last_mac", String(64), nullable=False),
    Column("signature", String(64), nullable=False),
    Column("exported", Text, nullable=False, default=""),
)
