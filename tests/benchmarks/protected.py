"""``--protected`` for the benchmarks: the same cached data folder, encrypted with SQLCipher, keys from service
credentials, the access log on (it always is: the facade logs every action).

The plain cached database is copied into an encrypted one with ``sqlcipher_export`` (so both runs measure
exactly the same data), beside it as ``<folder>-protected``. The keys are given to the process the way the
headless service gets them from systemd (``LoadCredentialEncrypted=``): files in ``$CREDENTIALS_DIRECTORY``
(``slimmaatwerk-db-key``, and the plain folder's access-log key as ``slimmaatwerk-audit-key`` so the
copied chain still verifies). Those files sit in ``<folder>-credentials`` (mode 0700) under the gitignored
cache; this stands in for the systemd-decrypted credentials, it is not a way to keep real keys.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from pathlib import Path

from slimmaatwerk.protection import SERVICE
from slimmaatwerk.storage import encryption

DB_FILE = "slimmaatwerk.db"


def _credentials(plain: Path, folder: Path) -> bytes:
    """The credentials folder (made once): a database key, and the plain folder's access-log key."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    db_key = folder / f"{SERVICE}-db-key"
    if not db_key.exists():
        db_key.write_text(secrets.token_hex(32) + "\n", encoding="ascii")
    audit = sorted((plain / "keys").glob("audit-key-*.key"))
    if audit:
        shutil.copyfile(audit[0], folder / f"{SERVICE}-audit-key")
    return bytes.fromhex(db_key.read_text(encoding="ascii").strip())


def protected_copy(plain: Path) -> Path:
    """``<plain>-protected``: the plain data folder's database, encrypted; (re)made when the plain one changed.

    Sets ``$CREDENTIALS_DIRECTORY`` for this process and every process it starts.
    """
    target = plain.with_name(plain.name + "-protected")
    creds = plain.with_name(plain.name + "-credentials")
    key = _credentials(plain, creds)
    os.environ["CREDENTIALS_DIRECTORY"] = str(creds)
    source = plain / DB_FILE
    module = encryption.sqlcipher_module()
    if module is None:
        raise SystemExit("--protected needs SQLCipher (the sqlcipher3 package)")
    conn = module.connect(str(source))
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the copy must hold everything the plain run sees
    finally:
        conn.close()
    stamp = {"source_mtime_ns": source.stat().st_mtime_ns, "source_size": source.stat().st_size}
    marker = target / "protected.json"
    if marker.exists() and json.loads(marker.read_text()) == stamp:
        return target
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for item in plain.iterdir():  # settings file and benchmark marker; not the database, not the key files
        if item.is_file() and not item.name.startswith(DB_FILE):
            shutil.copy2(item, target / item.name)
    conn = module.connect(str(source))
    try:
        conn.execute(f"ATTACH DATABASE '{target / DB_FILE}' AS protected KEY \"x'{key.hex()}'\"")
        conn.execute("SELECT sqlcipher_export('protected')")
        conn.execute("DETACH DATABASE protected")
    finally:
        conn.close()
    (target / (DB_FILE + ".keyid")).write_text("bench\n", encoding="ascii")
    marker.write_text(json.dumps(stamp))
    return target


def describe(folder: Path) -> dict:
    """What the benchmark ran on, checked rather than assumed: encrypted, keys from the credentials."""
    from slimmaatwerk.protection import assess
    from slimmaatwerk.storage.database import Database

    with (folder / DB_FILE).open("rb") as handle:
        plain_header = handle.read(16) == encryption.PLAIN_HEADER
    db = Database(f"sqlite:///{folder / DB_FILE}", check_schema=False)
    try:
        state = assess(db.engine)
    finally:
        db.dispose()
    return {"encrypted_file": not plain_header, "protected": state.protected, "key_store": state.key_store}
