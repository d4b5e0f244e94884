"""Tables of the aggregates the engine keeps, on the same ``metadata`` as storage/schema.py.

Migration ``0006_daily_features`` creates exactly these.

* ``daily_features``: one row per resident and 04:00-04:00 day once the day has closed, the day's
  feature values (``analytics.features.STORED_COLUMNS``) as a JSON object of plain numbers, with the
  version of the feature code, the number of raw events the day had when it was computed (a different
  count later means late events arrived: the day is computed again) and a key of the inputs besides
  the events (pet, devices) that the values depend on.

The baselines the nightly job fits are kept in ``schema.baselines`` (the latest per resident).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Integer, String, Table, Text

from .schema import metadata

daily_features = Table(
    "daily_features",
    metadata,
    Column("resident_id", String(64), primary_key=True),
    Column("day", String(10), primary_key=True),  # ISO date of the 04:00-04:00 day
    Column("version", Integer, nullable=False),
    Column("events", Integer, nullable=False),
    Column("inputs_key", String(64), nullable=False),
    Column("computed_ms", BigInteger, nullable=False),
    Column("features", Text, nullable=False),
)
