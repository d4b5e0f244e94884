"""The database schema as SQLAlchemy Core tables. Alembic migrations must match this exactly.

Times are stored as integer milliseconds since the epoch (UTC): compact, index-friendly and identical on
SQLite and PostgreSQL. Event kinds are stored as the small integer codes of ``events.KIND_CODES``.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)

# The Alembic revision this code was written for. The app refuses any other (see migrate.py).
SCHEMA_REVISION = "0007_wider_roles"

metadata = MetaData()

homes = Table(
    "homes",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("created_ms", BigInteger, nullable=False),
)

residents = Table(
    "residents",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("home_id", String(64), ForeignKey("homes.id"), nullable=False),
    Column("household", String(16), nullable=False, default="alone"),
    Column("pet", Boolean, nullable=False, default=False),
    Column("team", String(100), nullable=False, default=""),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_ms", BigInteger, nullable=False),
)

# A device is its stable hardware identity (IEEE address, unique_id, MAC), never a renameable name.
devices = Table(
    "devices",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("identity", String(200), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("profile", String(100), nullable=False, default=""),
    Column("model", String(100), nullable=False, default=""),
    Column("vendor", String(100), nullable=False, default=""),
    Column("report_interval_s", Integer, nullable=False, default=3600),
    Column("created_ms", BigInteger, nullable=False),
)

# Dated assignments: events are attributed by the assignment valid at the event's time, so moving,
# replacing or re-using a sensor never rewrites history.
device_assignments = Table(
    "device_assignments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("device_id", Integer, ForeignKey("devices.id"), nullable=False),
    Column("home_id", String(64), ForeignKey("homes.id"), nullable=False),
    Column("resident_id", String(64), ForeignKey("residents.id"), nullable=True),
    Column("room", String(32), nullable=False),
    Column("placement", String(64), nullable=False, default=""),
    Column("valid_from_ms", BigInteger, nullable=False),
    Column("valid_to_ms", BigInteger, nullable=True),
    Index("ix_assignments_device", "device_id", "valid_from_ms"),
    Index("ix_assignments_resident", "resident_id"),
)

# One row per distinct reading. The primary key is the event's identity, so a redelivered or
# re-imported event is stored once. WITHOUT ROWID keeps it at ~30 bytes per event on SQLite.
events = Table(
    "events",
    metadata,
    Column("device_id", Integer, primary_key=True),
    Column("ts_ms", BigInteger, primary_key=True),
    Column("kind", SmallInteger, primary_key=True),
    Column("value", Float, primary_key=True),
    Column("received_delta_ms", Integer, nullable=True),  # receive time minus device time
    sqlite_with_rowid=False,
)

# The last value per device and kind: change-only filtering survives restarts, and device health
# (online, battery, last seen) is known without scanning events.
device_state = Table(
    "device_state",
    metadata,
    Column("device_id", Integer, primary_key=True),
    Column("kind", SmallInteger, primary_key=True),
    Column("value", Float, nullable=False),
    Column("ts_ms", BigInteger, nullable=False),
    Column("last_seen_ms", BigInteger, nullable=False),
)

quarantine = Table(
    "quarantine",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("received_ms", BigInteger, nullable=False),
    Column("topic", String(500), nullable=False),
    Column("device", String(200), nullable=False, default=""),
    Column("reason", String(100), nullable=False),
    Column("payload", LargeBinary, nullable=False),
)

counters = Table(
    "counters",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("value", BigInteger, nullable=False, default=0),
)

context_periods = Table(
    "context_periods",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("resident_id", String(64), ForeignKey("residents.id"), nullable=False),
    Column("type", String(16), nullable=False),
    Column("from_ms", BigInteger, nullable=False),
    Column("to_ms", BigInteger, nullable=False),
    Column("note", Text, nullable=False, default=""),
    Column("created_by", Integer, nullable=True),
)

alerts = Table(
    "alerts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("resident_id", String(64), ForeignKey("residents.id"), nullable=False),
    Column("date", String(10), nullable=False),
    Column("indicator", String(40), nullable=False),
    Column("severity", String(8), nullable=False),
    Column("raised_ms", BigInteger, nullable=False),
    Column("status", String(16), nullable=False, default="new"),
    Column("owner", String(100), nullable=False, default=""),
    Column("label", String(30), nullable=False, default=""),
    Column("payload", Text, nullable=False),  # the ALERT record of DESIGN.md as JSON
    UniqueConstraint("resident_id", "date", "indicator", name="uq_alert_day_indicator"),
    Index("ix_alerts_status", "status", "resident_id"),
)

baselines = Table(
    "baselines",
    metadata,
    Column("resident_id", String(64), ForeignKey("residents.id"), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("fitted_ms", BigInteger, nullable=False),
    Column("params", Text, nullable=False),  # plain JSON parameters, never a pickle
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(100), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False),
    Column("role", String(100), nullable=False),  # comma-separated: admin, coordinator, installer, family, system
    Column("all_residents", Boolean, nullable=False, default=False),
    Column("os_user", String(200), nullable=True, unique=True),
    Column("password_hash", String(300), nullable=True),
    Column("created_ms", BigInteger, nullable=False),
)

user_scope = Table(
    "user_scope",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id"), primary_key=True),
    Column("resident_id", String(64), ForeignKey("residents.id"), primary_key=True),
)

access_log = Table(
    "access_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("ts_ms", BigInteger, nullable=False),
    Column("user_id", Integer, nullable=False),
    Column("on_behalf_of", String(200), nullable=False, default=""),
    Column("resident_id", String(64), nullable=True),
    Column("action", String(20), nullable=False),  # read, search, export, change, disclosure
    Column("detail", Text, nullable=False, default=""),
    Index("ix_access_resident", "resident_id", "ts_ms"),
)

# The lease: exactly one engine per database. A second refuses to start while the heartbeat is fresh.
engine_lease = Table(
    "engine_lease",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("holder", String(200), nullable=False),
    Column("heartbeat_ms", BigInteger, nullable=False),
)

settings = Table(
    "settings",
    metadata,
    Column("key", String(100), primary_key=True),
    Column("value", Text, nullable=False),
)

# Tables added by later revisions live in their own modules on the same metadata; importing them here
# makes `metadata` the whole schema the code expects (and what the migration check compares against).
from . import schema_commissioning, schema_features, schema_privacy, schema_workflow  # noqa: F401
