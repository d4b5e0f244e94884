"""Tables of alert handling, ownership and escalation, on the same ``metadata`` as storage/schema.py.

Migration ``0002_alert_workflow`` creates exactly these. A resident's team is the existing
``residents.team`` column (one source of truth, also used by the overview's grouping); ``teams`` lists
the teams a rota can be kept for. Rota times are local wall-clock minutes after midnight (Europe/Amsterdam),
so "night on-call 23:00-08:00" means the same on both sides of a DST change.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from .schema import metadata

# Everything that happened to an alert: status changes, notes, labels, escalations. Append-only.
alert_events = Table(
    "alert_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("alert_id", Integer, ForeignKey("alerts.id"), nullable=False),
    Column("ts_ms", BigInteger, nullable=False),
    Column("actor", String(100), nullable=False),  # a username, or "engine" for escalations
    Column("action", String(20), nullable=False),
    Column("from_status", String(16), nullable=False, default=""),
    Column("to_status", String(16), nullable=False, default=""),
    Column("detail", Text, nullable=False, default=""),
    Index("ix_alert_events_alert", "alert_id", "id"),
)

teams = Table(
    "teams",
    metadata,
    Column("name", String(100), primary_key=True),  # the value residents.team holds
    Column("note", Text, nullable=False, default=""),
    # The district (wijk) the team works in: the overview groups residents by it. Added in 0005.
    Column("district", String(100), nullable=True),
)

# Who owns a team's alerts when. weekdays is a bit set (Monday = bit 0); a shift whose end is not after
# its start runs past midnight and belongs to the weekday it starts on.
rota_entries = Table(
    "rota_entries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("team", String(100), ForeignKey("teams.name"), nullable=False),
    Column("role", String(40), nullable=False),  # office, evening, night, or the organisation's own
    Column("person", String(100), nullable=False),
    Column("phone", String(40), nullable=False, default=""),
    Column("weekdays", SmallInteger, nullable=False),
    Column("start_min", SmallInteger, nullable=False),
    Column("end_min", SmallInteger, nullable=False),
    Index("ix_rota_team", "team"),
)

# Whom to call for a resident, in order.
resident_contacts = Table(
    "resident_contacts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("resident_id", String(64), ForeignKey("residents.id"), nullable=False),
    Column("position", SmallInteger, nullable=False),
    Column("name", String(200), nullable=False),
    Column("relation", String(100), nullable=False, default=""),
    Column("phone", String(40), nullable=False, default=""),
    Column("note", Text, nullable=False, default=""),
    UniqueConstraint("resident_id", "position", name="uq_contact_position"),
)

# One row (id 1): the organisation's escalation policy, read by the engine every tick.
escalation_settings = Table(
    "escalation_settings",
    metadata,
    Column("id", SmallInteger, primary_key=True),
    Column("enabled", Boolean, nullable=False, default=True),
    Column("delay_min", Integer, nullable=False, default=15),
    Column("updated_ms", BigInteger, nullable=False),
)

# Where escalations go. config is JSON without secrets (topic; relay host, port, sender, recipients; URL).
escalation_channels = Table(
    "escalation_channels",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("kind", String(16), nullable=False),  # mqtt, smtp, webhook
    Column("config", Text, nullable=False),
    Column("enabled", Boolean, nullable=False, default=True),
)

# Every escalation, one row per alert and channel: an alert escalates once; failures retry with backoff.
escalation_log = Table(
    "escalation_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("alert_id", Integer, ForeignKey("alerts.id"), nullable=False),
    Column("channel", String(40), nullable=False),
    Column("created_ms", BigInteger, nullable=False),
    Column("status", String(12), nullable=False),  # pending, sent, failed
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_ms", BigInteger, nullable=True),
    Column("sent_ms", BigInteger, nullable=True),
    Column("owner", String(100), nullable=False, default=""),  # on duty when it escalated
    Column("last_error", Text, nullable=False, default=""),
    UniqueConstraint("alert_id", "channel", name="uq_escalation_alert_channel"),
    Index("ix_escalation_status", "status", "next_attempt_ms"),
)
