"""Broker passwords in the OS keyring, never in a file or the database (and never in plaintext instead).

Stored under the product's keyring service with a key naming the home, user and broker, so a laptop
that serves eight homes a day keeps eight passwords apart.
"""

from __future__ import annotations

from ..errors import SlimMaatwerkError
from ..protection import SERVICE, keyring_usable


class KeyringUnavailable(SlimMaatwerkError):
    """There is no usable keyring: the password is not stored anywhere."""


def broker_key(home_id: str, url: str, username: str) -> str:
    return f"mqtt/{home_id}/{username}@{url}"


def store_broker_password(home_id: str, url: str, username: str, password: str) -> str:
    """Keep the password in the keyring; returns the key it is stored under."""
    if not keyring_usable():
        raise KeyringUnavailable("no OS keyring: the broker password is not stored")
    import keyring

    key = broker_key(home_id, url, username)
    try:
        keyring.set_password(SERVICE, key, password)
    except Exception as exc:  # noqa: BLE001 - a locked keyring: say so; a plaintext fallback is not acceptable
        raise KeyringUnavailable(f"the OS keyring refused the broker password: {exc}") from None
    return key


def load_broker_password(home_id: str, url: str, username: str) -> str | None:
    if not keyring_usable():
        return None
    import keyring

    try:
        return keyring.get_password(SERVICE, broker_key(home_id, url, username))
    except Exception:  # noqa: BLE001 - a locked keyring reads as "no password stored"
        return None
