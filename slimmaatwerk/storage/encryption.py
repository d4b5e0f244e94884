"""Encryption at rest with SQLCipher (the ``sqlcipher3`` wheel), keyed from the OS keyring or credentials.

A new SQLite database is created encrypted when SQLCipher is installed *and* a protected key store is
there (keyring, or ``$CREDENTIALS_DIRECTORY/slimmaatwerk-db-key``); the key is never written to a file.
An existing database stays as it is: a plain one is opened plainly (and reported "not protected"), an
encrypted one needs its key or the program refuses with one clear line. The key's name in the keyring is
``db-key/<id>``, the id kept beside the database in ``<file>.keyid`` (not secret), so moving the data
folder keeps its key.
"""

from __future__ import annotations

import secrets
import weakref
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from ..errors import SlimMaatwerkError

PLAIN_HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True)
class AtRest:
    encrypted: bool
    key_store: str  # "keyring", "credentials" or "" when not encrypted


_state: weakref.WeakKeyDictionary[Engine, AtRest] = weakref.WeakKeyDictionary()


def sqlcipher_module():  # type: ignore[no-untyped-def]
    try:
        from sqlcipher3 import dbapi2
    except ImportError:
        return None
    return dbapi2


def is_plain_sqlite(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(16) == PLAIN_HEADER


def _key_id(path: Path, create: bool) -> str | None:
    sidecar = path.with_name(path.name + ".keyid")
    if sidecar.is_file():
        return sidecar.read_text(encoding="ascii").strip()
    if not create:
        return None
    value = secrets.token_hex(8)
    sidecar.write_text(value + "\n", encoding="ascii")
    return value


def database_key(path: Path) -> tuple[bytes, str] | None:
    """(key, store) for the database at ``path``: the existing key, a new one, or None (stay plain)."""
    from .. import keystore

    exists = path.is_file() and path.stat().st_size > 0
    if exists and is_plain_sqlite(path):
        return None
    if sqlcipher_module() is None:
        if exists:
            raise SlimMaatwerkError(f"{path} is encrypted, but SQLCipher (the sqlcipher3 package) is not installed")
        return None
    if not exists and not keystore.store_available():
        return None
    key_id = _key_id(path, create=not exists)
    found = keystore.load(f"db-key/{key_id}") if key_id else None
    if found is None and exists:
        raise SlimMaatwerkError(
            f"{path} is encrypted, but its key is not in the OS keyring or $CREDENTIALS_DIRECTORY "
            "(credential 'slimmaatwerk-db-key')")
    if found is None:
        found = keystore.create(f"db-key/{key_id}")  # keyring only: credentials are provisioned, never written
    return found.value, found.store


def apply_key(dbapi_connection, key: bytes) -> None:  # type: ignore[no-untyped-def]
    """``PRAGMA key`` must be the very first statement on a SQLCipher connection."""
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    cursor.close()


def remember(engine: Engine, encrypted: bool, store: str) -> None:
    _state[engine] = AtRest(encrypted, store)


def at_rest(engine: Engine) -> AtRest:
    return _state.get(engine, AtRest(False, ""))
