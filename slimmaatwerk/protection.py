"""Is this data folder protected? Secrets come from the service credentials when systemd gave us some,
otherwise from the OS keyring, then from ``$CREDENTIALS_DIRECTORY``.

Protected means: the database really is encrypted (SQLCipher, see ``storage/encryption.py``) with a key
from the keyring or the service credentials. Anything less — no key store, SQLCipher missing, a
database made before encryption, or a database server whose encryption at rest this program cannot
see — is "not protected" on every status output and screen, and ``--require-protection`` refuses.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Engine

SERVICE = "slimmaatwerk"


@dataclass(frozen=True)
class Protection:
    protected: bool
    key_store: str  # "keyring", "credentials", or "" when there is none
    reason: dict[str, str]  # why not protected, {"nl", "en"}


def keyring_usable() -> bool:
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return False
    try:
        return not isinstance(keyring.get_keyring(), fail.Keyring)
    except Exception:  # noqa: BLE001 - a broken backend is as good as none; never fall back to plaintext
        return False


def credentials_dir() -> Path | None:
    value = os.environ.get("CREDENTIALS_DIRECTORY")
    return Path(value) if value and Path(value).is_dir() else None


def service_credentials() -> bool:
    """Whether systemd gave this process credentials of ours (``LoadCredentialEncrypted=slimmaatwerk-…``).

    When it did, they win over the OS keyring: a headless service must use the secrets its unit was given,
    even on a machine where a desktop keyring happens to be reachable.
    """
    folder = credentials_dir()
    return folder is not None and any(folder.glob(f"{SERVICE}-*"))


def preferred_store() -> str:
    """Where secrets are looked up first: "credentials", "keyring", or "" when there is no store."""
    if service_credentials():
        return "credentials"
    if keyring_usable():
        return "keyring"
    return "credentials" if credentials_dir() else ""


STORE_NAMES = {"keyring": {"nl": "de sleutelbos", "en": "the OS keyring"},
               "credentials": {"nl": "de systemd-credentials", "en": "the systemd credentials"}}


def assess(engine: Engine | None = None) -> Protection:
    """Without an engine: whether a new database here could be protected (never "protected" yet)."""
    store = preferred_store()
    if engine is not None:
        from .storage.encryption import at_rest, sqlcipher_module

        state = at_rest(engine)
        if state.encrypted and state.key_store in STORE_NAMES:
            where = STORE_NAMES[state.key_store]
            return Protection(True, state.key_store, {
                "nl": f"beveiligd: de database is versleuteld (SQLCipher), de sleutel staat in {where['nl']}",
                "en": f"protected: the database is encrypted (SQLCipher), its key is in {where['en']}",
            })
        if engine.dialect.name != "sqlite":
            return Protection(False, store, {
                "nl": "niet beveiligd volgens dit programma: versleuteling van een databaseserver is de taak "
                      "van die server en wordt hier niet gecontroleerd",
                "en": "not protected as far as this program can tell: encryption at rest of a database server "
                      "is that server's job and is not checked here",
            })
        if store and sqlcipher_module() is None:
            return Protection(False, store, {
                "nl": "niet beveiligd: SQLCipher (sqlcipher3) is niet geïnstalleerd; de database is niet versleuteld",
                "en": "not protected: SQLCipher (sqlcipher3) is not installed; the database is not encrypted",
            })
        if store:
            return Protection(False, store, {
                "nl": "niet beveiligd: deze database is gemaakt zonder versleuteling",
                "en": "not protected: this database was created without encryption",
            })
    if not store:
        return Protection(
            False, "",
            {
                "nl": "niet beveiligd: geen sleutelbos of systemd-credentials gevonden; de gegevensmap is niet versleuteld",
                "en": "not protected: no OS keyring or systemd credentials found; the data folder is not encrypted",
            },
        )
    return Protection(
        False, store,
        {
            "nl": "niet beveiligd: de database is nog niet geopend en gecontroleerd",
            "en": "not protected: the database has not been opened and checked yet",
        },
    )
