"""The access-log HMAC key: found once per database engine, kept outside the database where possible.

Order: the OS keyring (``audit-key/<database id>``), then ``$CREDENTIALS_DIRECTORY/slimmaatwerk-audit-key``,
then a key file in the data folder (``keys/``) — the last one is "not protected", because anyone who can
write the folder can rewrite the chain too. A PostgreSQL database opened without a data folder and
without a key store keeps the key in its own settings table, also reported as not protected.

A new key is only ever made while the log is still empty: a missing key for a non-empty log is an
error, never a silent restart of the chain.
"""

from __future__ import annotations

import secrets as _random
import weakref
from pathlib import Path

from sqlalchemy import Connection, Engine, select

from . import keystore
from .keystore import KeyStoreError, Secret
from .storage import access_log
from .storage import schema as s

FALLBACK_SETTING = "audit.fallback_key"

_cache: weakref.WeakKeyDictionary[Engine, Secret] = weakref.WeakKeyDictionary()
_folders: weakref.WeakKeyDictionary[Engine, Path] = weakref.WeakKeyDictionary()
_database_ids: weakref.WeakKeyDictionary[Engine, str] = weakref.WeakKeyDictionary()


def attach(engine: Engine, data_dir: Path) -> None:
    """Tell the key lookup which data folder an engine belongs to (for the key-file fallback)."""
    _folders[engine] = Path(data_dir)


def key_name(database_id: str) -> str:
    return f"audit-key/{database_id}"


def data_dir_of(engine: Engine) -> Path | None:
    """The data folder an engine belongs to (attached, or the SQLite file's folder); None if unknown."""
    if engine in _folders:
        return _folders[engine]
    if engine.dialect.name == "sqlite" and engine.url.database and engine.url.database != ":memory:":
        return Path(engine.url.database).resolve().parent
    return None


def chain_key(conn: Connection) -> Secret:
    engine = conn.engine
    cached = _cache.get(engine)
    if cached is not None:
        return cached
    secret, created = _resolve(conn, engine)
    if not created:
        # A key or database id made inside a transaction that may still roll back is not cached.
        _cache[engine] = secret
    return secret


def cached_database_id(conn: Connection) -> str:
    """The database id, remembered per engine once the key it names is cached (it never changes)."""
    engine = conn.engine
    if engine in _database_ids:
        return _database_ids[engine]
    value = access_log.database_id(conn)
    if engine in _cache:
        _database_ids[engine] = value
    return value


def forget(engine: Engine) -> None:
    """Drop the cached key (tests that swap key stores; a restored backup)."""
    _cache.pop(engine, None)
    _database_ids.pop(engine, None)


def _resolve(conn: Connection, engine: Engine) -> tuple[Secret, bool]:
    had_id = conn.execute(select(s.settings.c.value).where(s.settings.c.key == access_log.DATABASE_ID_KEY)
                          ).scalar() is not None
    name = key_name(access_log.database_id(conn))
    folder = data_dir_of(engine)
    found = keystore.load(name, folder)
    if found is not None:
        return found, not had_id
    stored = conn.execute(select(s.settings.c.value).where(s.settings.c.key == FALLBACK_SETTING)).scalar()
    if stored:
        return Secret(bytes.fromhex(str(stored)), "database"), not had_id
    current = access_log.head(conn)
    if current is not None and int(current["count"]) > 0:
        raise KeyStoreError(
            "the access-log key is missing (OS keyring, $CREDENTIALS_DIRECTORY and the data folder were "
            "searched); the log cannot be extended or verified without it"
        )
    if keystore.store_available() == "keyring" or folder is not None:
        return keystore.create(name, folder), True
    value = _random.token_bytes(keystore.KEY_BYTES)
    conn.execute(s.settings.insert().values(key=FALLBACK_SETTING, value=value.hex()))
    return Secret(value, "database"), True
