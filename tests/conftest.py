"""Shared fixtures: real brokers, real SQLite files and a real PostgreSQL server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from slimmaatwerk.clock import FixedClock
from tests.support.memory_keyring import MemoryKeyring
from tests.support.servers import Broker, fresh_postgres_database, run_mosquitto

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[Broker]:
    with run_mosquitto(tmp_path / "mosquitto") as running:
        yield running


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The same storage code against a real SQLite file and a real PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'slimmaatwerk.db'}"
    else:
        with fresh_postgres_database() as url:
            yield url


@pytest.fixture(autouse=True)
def headless_keyring() -> Iterator[None]:
    """Every test starts on a machine without a key store (as CI is); tests that need one install it.

    Without this, one test's in-memory keyring would leak into the next and silently turn on encryption.
    """
    import keyring
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    """An OS keyring for this test only (in memory)."""
    import keyring

    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)
