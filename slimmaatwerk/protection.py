"""Is this data folder protected? Secrets come from the OS keyring, then systemd credentials.

The database key itself is applied by the storage engine factory once encryption at rest lands
(SQLCipher); until a key store is available *and* the database is encrypted, every status output and
screen says "not protected", and ``--require-protection`` refuses to run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

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
    except Exception:  # a broken backend is as good as none; never fall back to plaintext
        return False


def credentials_dir() -> Path | None:
    value = os.environ.get("CREDENTIALS_DIRECTORY")
    return Path(value) if value and Path(value).is_dir() else None


def assess() -> Protection:
    store = "keyring" if keyring_usable() else ("credentials" if credentials_dir() else "")
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
            "nl": "niet beveiligd: versleuteling van de database is nog niet ingeschakeld in deze versie",
            "en": "not protected: database encryption is not enabled in this version yet",
        },
    )
