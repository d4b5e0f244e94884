"""The headless service's systemd credentials win over the OS keyring when they are there (real SQLCipher files,
a real credentials folder as systemd's LoadCredentialEncrypted= leaves it)."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from slimmaatwerk import keystore
from slimmaatwerk.audit_keys import chain_key
from slimmaatwerk.protection import assess, preferred_store
from slimmaatwerk.storage.database import Database


@pytest.fixture
def credentials(tmp_path: Path, monkeypatch) -> Path:  # type: ignore[no-untyped-def]
    folder = tmp_path / "credentials"
    folder.mkdir(mode=0o700)
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(folder))
    return folder


def _provision(folder: Path, name: str) -> str:
    value = secrets.token_hex(32)
    (folder / f"slimmaatwerk-{name}").write_text(value + "\n", encoding="ascii")
    return value


def test_service_credentials_win_over_a_reachable_keyring(tmp_path: Path, credentials: Path, memory_keyring) -> None:  # type: ignore[no-untyped-def]
    db_key = _provision(credentials, "db-key")
    audit_key = _provision(credentials, "audit-key")
    assert preferred_store() == "credentials" and assess().key_store == "credentials"
    (tmp_path / "data").mkdir()
    db = Database(f"sqlite:///{tmp_path / 'data' / 'slimmaatwerk.db'}")
    state = assess(db.engine)
    assert state.protected and state.key_store == "credentials" and "systemd" in state.reason["en"]
    with db.begin() as conn:
        secret = chain_key(conn)
    assert secret.store == "credentials" and secret.value.hex() == audit_key
    assert not any(name.startswith(("db-key/", "audit-key/")) for _svc, name in memory_keyring.secrets)
    db.dispose()
    # The database really is keyed with the credential: a wrong credential cannot open it.
    (credentials / "slimmaatwerk-db-key").write_text(secrets.token_hex(32), encoding="ascii")
    with pytest.raises(Exception, match="not a database|file is not a database|encrypted"):
        reopened = Database(f"sqlite:///{tmp_path / 'data' / 'slimmaatwerk.db'}")
        reopened.dispose()
    (credentials / "slimmaatwerk-db-key").write_text(db_key, encoding="ascii")
    Database(f"sqlite:///{tmp_path / 'data' / 'slimmaatwerk.db'}").dispose()


def test_without_credentials_of_ours_the_keyring_is_used(tmp_path: Path, credentials: Path, memory_keyring) -> None:  # type: ignore[no-untyped-def]
    (credentials / "some-other-service-key").write_text("00" * 32, encoding="ascii")
    assert preferred_store() == "keyring"
    db = Database(f"sqlite:///{tmp_path / 'slimmaatwerk.db'}")
    assert assess(db.engine).key_store == "keyring"
    assert any(name.startswith("db-key/") for _svc, name in memory_keyring.secrets)
    db.dispose()


def test_a_keyring_secret_is_shadowed_by_the_credential_of_the_same_name(credentials: Path, memory_keyring) -> None:  # type: ignore[no-untyped-def]
    memory_keyring.set_password("slimmaatwerk", "audit-key/abc", "11" * 32)
    assert keystore.load("audit-key/abc").store == "keyring"  # type: ignore[union-attr]
    provisioned = _provision(credentials, "audit-key")
    found = keystore.load("audit-key/abc")
    assert found is not None and found.store == "credentials" and found.value.hex() == provisioned
