"""Where secrets live: service credentials, the OS keyring, and only where allowed a key file.

Secrets are 32 random bytes, kept hex-encoded. A headless service reads
``$CREDENTIALS_DIRECTORY/slimmaatwerk-<name>`` (``LoadCredentialEncrypted=``), which is read-only, so the
administrator provisions it; when that credential is there it wins over the keyring. Desktops use the OS
keyring. A key file in the data folder is a last resort that only some
callers accept (the access-log key, never the database key), and it is reported as "not protected":
anyone who can read the folder can read the key.
"""

from __future__ import annotations

import os
import secrets as _random
from dataclasses import dataclass
from pathlib import Path

from .errors import SlimMaatwerkError
from .protection import SERVICE, credentials_dir, keyring_usable, preferred_store

KEY_BYTES = 32
KEYS_FOLDER = "keys"

STORE_TEXT = {
    "keyring": {"nl": "sleutelbos van het besturingssysteem", "en": "operating-system keyring"},
    "credentials": {"nl": "systemd-credentials van de dienst", "en": "the service's systemd credentials"},
    "file": {"nl": "sleutelbestand in de gegevensmap (niet beveiligd)",
             "en": "key file in the data folder (not protected)"},
    "database": {"nl": "in de database zelf (niet beveiligd)", "en": "inside the database itself (not protected)"},
}


class KeyStoreError(SlimMaatwerkError):
    """A secret is needed but cannot be read or stored."""


@dataclass(frozen=True)
class Secret:
    value: bytes
    store: str  # "keyring", "credentials", "file" or "database"

    @property
    def protected(self) -> bool:
        return self.store in ("keyring", "credentials")


def credential_name(name: str) -> str:
    """``audit-key/abc`` -> ``slimmaatwerk-audit-key``: one credential per service, not per database."""
    return f"{SERVICE}-{name.split('/')[0]}"


def _decode(text: str, where: str) -> bytes:
    try:
        value = bytes.fromhex(text.strip())
    except ValueError:
        raise KeyStoreError(f"the secret in {where} is not a hex-encoded key") from None
    if len(value) < 16:
        raise KeyStoreError(f"the secret in {where} is too short (at least 16 bytes)")
    return value


def _key_file(folder: Path, name: str) -> Path:
    return folder / KEYS_FOLDER / (name.replace("/", "-") + ".key")


def _credential(name: str) -> Secret | None:
    folder = credentials_dir()
    if folder is not None:
        path = folder / credential_name(name)
        if path.is_file():
            return Secret(_decode(path.read_text(encoding="ascii", errors="replace"), str(path)), "credentials")
    return None


def load(name: str, fallback_dir: Path | None = None) -> Secret | None:
    """The secret ``name`` from the first store that has it, or None.

    A service credential of this name wins over the keyring (see ``protection.service_credentials``).
    """
    found = _credential(name)
    if found is not None:
        return found
    if keyring_usable():
        import keyring

        try:
            text = keyring.get_password(SERVICE, name)
        except Exception as exc:  # noqa: BLE001 - backends raise their own types; say so, never fall back
            raise KeyStoreError(f"the OS keyring could not be read: {exc}") from None
        if text:
            return Secret(_decode(text, "the OS keyring"), "keyring")
    if fallback_dir is not None:
        path = _key_file(fallback_dir, name)
        if path.is_file():
            return Secret(_decode(path.read_text(encoding="ascii", errors="replace"), str(path)), "file")
    return None


def create(name: str, fallback_dir: Path | None = None) -> Secret:
    """Make a new random secret and keep it in the keyring, or (when allowed) in a key file.

    Credentials are provisioned by the administrator, so they are never written here.
    """
    value = _random.token_bytes(KEY_BYTES)
    if keyring_usable():
        import keyring

        try:
            keyring.set_password(SERVICE, name, value.hex())
        except Exception as exc:  # noqa: BLE001 - backends raise their own types
            raise KeyStoreError(f"the OS keyring could not store a key: {exc}") from None
        return Secret(value, "keyring")
    if fallback_dir is None:
        raise KeyStoreError(
            f"no OS keyring and no credential {credential_name(name)!r} in $CREDENTIALS_DIRECTORY"
        )
    path = _key_file(fallback_dir, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(value.hex() + "\n")
    return Secret(value, "file")


def store_available() -> str:
    """The protected store secrets come from first: "credentials", "keyring" or ""."""
    return preferred_store()
