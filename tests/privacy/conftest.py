"""Privacy test set-up: an in-memory keyring, databases with the privacy tables, a world of every role."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from slimmaatwerk.clock import FixedClock
from slimmaatwerk.localtime import ms
from slimmaatwerk.service import Service
from slimmaatwerk.storage import accounts
from slimmaatwerk.storage.database import Database
from tests.support.memory_keyring import MemoryKeyring

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)






def open_db(url: str) -> Database:
    """A database at the current schema."""
    return Database(url)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def world(db_url: str, clock: FixedClock, memory_keyring: MemoryKeyring) -> Iterator[dict[str, Service]]:
    """Two residents; an admin, a scoped coordinator and installer, an all-residents installer, the engine,
    and two family members of r1 (the daughter with standard consent, the son with none yet)."""
    db = open_db(db_url)
    now = ms(NOW)
    with db.begin() as conn:
        admin = accounts.create_user(conn, "admin", "Beheer", "admin,coordinator", now, all_residents=True)
    services = {"admin": Service(db, admin, clock)}
    services["admin"].add_resident("r1", "Mevr. Jansen")
    services["admin"].add_resident("r2", "Dhr. Bakker")
    privacy = services["admin"].privacy
    privacy.add_relative("r1", "Anna", "dochter")
    privacy.add_relative("r1", "Bram", "zoon")
    privacy.record_consent("r1", "Anna", ["week", "sleep", "meals", "going_out", "activity", "care_team"],
                           True, "resident")
    made = {
        "nurse": privacy.add_user("nurse", "Wijkverpleegkundige", "coordinator", residents=("r1",)),
        "fitter": privacy.add_user("fitter", "Installateur", "installer", residents=("r1",)),
        "officer": privacy.add_user("officer", "Privacyfunctionaris", "admin", all_residents=True),
        "engine": privacy.add_user("engine", "Engine", "system", all_residents=True),
        "anna": privacy.add_user("anna", "Anna Jansen", "family", residents=("r1",), relative="Anna",
                                 password="dochter-wachtwoord"),
        "bram": privacy.add_user("bram", "Bram Jansen", "family", residents=("r1",), relative="Bram"),
    }
    services.update({name: Service(db, user, clock) for name, user in made.items()})
    yield services
    db.dispose()
