"""The one place database engines are made, encrypted with SQLCipher where possible (``encryption.py``).

SQLite runs in WAL mode with NORMAL sync (durable across app crashes), a busy timeout so readers and
the one writer do not trip over each other, foreign keys on, and secure_delete so erased data does not
linger in free pages.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from . import encryption

DATABASE_FILE = "slimmaatwerk.db"


def sqlite_url(data_dir: Path) -> str:
    return f"sqlite:///{(Path(data_dir) / DATABASE_FILE).as_posix()}"


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database) if parsed.database and parsed.database != ":memory:" else None
        keyed = encryption.database_key(path) if path is not None else None
        args = {"check_same_thread": False, "timeout": 10}
        if keyed is None:
            engine = create_engine(url, connect_args=args)
        else:
            engine = create_engine(url, connect_args=args, module=encryption.sqlcipher_module())
            key = keyed[0]
            event.listen(engine, "connect", lambda dbapi, _record: encryption.apply_key(dbapi, key))
        event.listen(engine, "connect", _sqlite_pragmas)
        encryption.remember(engine, keyed is not None, keyed[1] if keyed else "")
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        # Plain postgresql:// would pick psycopg2, which we do not ship; psycopg 3 is the driver.
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return create_engine(url, pool_pre_ping=True)


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
