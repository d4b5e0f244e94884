"""Benchmark: cost of the hash-chained access log per logged access, against a plain insert (same run).

Run: ``.venv/bin/python tests/benchmarks/bench_access_log.py [N]``. Prints microseconds per entry for a
plain SQLite file, and for SQLCipher with the key in an in-memory keyring, each entry in its own
transaction (how the facade logs) and many entries in one transaction.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import keyring
from keyring.backend import KeyringBackend

from slimmaatwerk.storage import access_log
from slimmaatwerk.storage import schema as s
from slimmaatwerk.storage import schema_privacy as p
from slimmaatwerk.storage.database import Database


class MemoryKeyring(KeyringBackend):
    priority = -1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


def _db(folder: Path) -> Database:
    db = Database.in_folder(folder)
    p.metadata.create_all(db.engine, tables=[p.access_log_chain, p.access_log_head, p.access_log_checkpoints])
    return db


def _time(db: Database, n: int, chained: bool, one_transaction: bool) -> float:
    def write(conn, i: int) -> None:  # type: ignore[no-untyped-def]
        if chained:
            access_log.append(conn, 1_700_000_000_000 + i, 1, "read", "r1", f"resident detail {i}")
        else:
            conn.execute(s.access_log.insert().values(ts_ms=1_700_000_000_000 + i, user_id=1, action="read",
                                                      resident_id="r1", detail=f"resident detail {i}",
                                                      on_behalf_of=""))
    start = time.perf_counter()
    if one_transaction:
        with db.begin() as conn:
            for i in range(n):
                write(conn, i)
    else:
        for i in range(n):
            with db.begin() as conn:
                write(conn, i)
    return (time.perf_counter() - start) / n * 1e6


def main(n: int) -> None:
    for label, use_keyring in (("plain SQLite", False), ("SQLCipher + keyring", True)):
        if use_keyring:
            keyring.set_keyring(MemoryKeyring())
        for one in (False, True):
            figures = []
            for chained in (False, True):
                with tempfile.TemporaryDirectory() as folder:
                    db = _db(Path(folder))
                    _time(db, 20, chained, one)  # warm-up: key lookup, statement cache
                    figures.append(_time(db, n, chained, one))
                    db.dispose()
            mode = "one transaction" if one else "a transaction each"
            print(f"{label:20} {mode:19} plain insert {figures[0]:7.1f} µs  chained {figures[1]:7.1f} µs  "
                  f"overhead {figures[1] - figures[0]:7.1f} µs/entry")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
