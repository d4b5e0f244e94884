"""A database handle: the engine plus the schema check every program start goes through."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, func, select

from . import migrate
from . import schema as s
from .engine import make_engine, sqlite_url


class Database:
    def __init__(self, url: str, *, check_schema: bool = True) -> None:
        """Open (and on first use create) a database; refuses a schema version it does not know.

        ``check_schema=False`` is only for ``db upgrade``, which must open an old schema to migrate it.
        """
        self.url = url
        self.engine: Engine = make_engine(url)
        if check_schema:
            migrate.ensure_schema(self.engine)

    @classmethod
    def in_folder(cls, data_dir: Path) -> Database:
        data_dir.mkdir(parents=True, exist_ok=True)
        return cls(sqlite_url(data_dir))

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """A transaction: committed when the block ends, rolled back on any error."""
        with self.engine.begin() as conn:
            yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    def dispose(self) -> None:
        self.engine.dispose()

    def get_setting(self, key: str, default: str = "") -> str:
        with self.read() as conn:
            value = conn.execute(select(s.settings.c.value).where(s.settings.c.key == key)).scalar()
        return default if value is None else str(value)

    def bump_data_version(self, conn: Connection) -> None:
        """Tell polling desktops that stored data changed (imports, alerts, context)."""
        current = conn.execute(select(s.counters.c.value).where(s.counters.c.name == "data_version")).scalar()
        if current is None:
            conn.execute(s.counters.insert().values(name="data_version", value=1))
        else:
            conn.execute(
                s.counters.update().where(s.counters.c.name == "data_version").values(value=int(current) + 1)
            )

    def watermark(self) -> int:
        """A number that changes whenever data a screen shows has changed; cheap enough to poll."""
        with self.read() as conn:
            version = conn.execute(
                select(s.counters.c.value).where(s.counters.c.name == "data_version")
            ).scalar() or 0
            last_seen = conn.execute(select(func.max(s.device_state.c.last_seen_ms))).scalar() or 0
            last_alert = conn.execute(select(func.max(s.alerts.c.id))).scalar() or 0
        return hash((int(version), int(last_seen), int(last_alert))) & 0x7FFFFFFFFFFFFFFF
