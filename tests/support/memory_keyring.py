"""A real keyring backend that keeps secrets in memory: what a desktop keyring does, minus the disk.

Headless machines (and CI) have no keyring; tests that need one install this through the
``memory_keyring`` fixture of tests/conftest.py.
"""

from __future__ import annotations

from keyring.backend import KeyringBackend


class MemoryKeyring(KeyringBackend):
    # Below the fail backend's 0: merely defining this class must not make keyring pick it on its own.
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
