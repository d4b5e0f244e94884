"""A home's broker as pairing recorded it, for the tools used on a later visit (capture, walk test).

The pairing flow keeps the broker address and user name in the home's commissioning record
(``mqtt://user@host:port``, never a password) and the password in the OS keyring (``credentials``).
Here the three come back together as ``BrokerSettings``. An ``mqtts://`` broker gets the TLS files of
the settings screen (``<data dir>/config.json``, section ``broker``): an organisation trusts one CA for
its brokers, so the installer's laptop needs it configured only once.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from ..datadir import CONFIG_FILE
from ..errors import InputError
from .broker import BrokerSettings
from .credentials import load_broker_password
from .installer import Installer


class NoBroker(InputError):
    """No broker is recorded for the home: it was never paired with the wizard (no commissioning record)."""


def _address(url: str, user: str) -> str:
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"  # an IPv6 address
    netloc = (f"{user}@" if user else "") + host + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def recorded_url(url: str, username: str) -> str:
    """The broker address as the record keeps it: any password removed, the user name kept."""
    return _address(url, username or urlsplit(url.strip()).username or "")


def split_user(url: str) -> tuple[str, str]:
    """(address without user or password, user name): the keyring keys a password by the first."""
    return _address(url, ""), urlsplit(url.strip()).username or ""


def tls_files(data_dir: Path | None) -> tuple[str, str, str]:
    """(CA, client certificate, client key) from the settings screen; empty where none is configured.

    A missing or unreadable settings file means no TLS files: the system's trusted CAs still apply.
    """
    if data_dir is None:
        return "", "", ""
    try:
        raw = json.loads((Path(data_dir) / CONFIG_FILE).read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        return "", "", ""
    broker = raw.get("broker") if isinstance(raw, dict) else None
    if not isinstance(broker, dict):
        return "", "", ""
    return tuple(str(broker.get(k) or "") for k in ("ca_file", "cert_file", "key_file"))  # type: ignore[return-value]


def settings_for(url: str, home_id: str, data_dir: Path | None = None, username: str = "") -> BrokerSettings:
    """Settings for a recorded address: the keyring's password for (home, address, user), TLS when mqtts."""
    plain, user = split_user(url)
    user = username or user
    password = (load_broker_password(home_id, plain, user) or "") if user else ""
    ca, cert, key = tls_files(data_dir) if urlsplit(plain).scheme in ("mqtts", "ssl") else ("", "", "")
    return BrokerSettings(plain, user, password, ca, cert, key)


def required_home_broker(installer: Installer, resident_id: str, data_dir: Path | None = None) -> BrokerSettings:
    """As ``home_broker``, but a home without a recorded broker raises ``NoBroker``."""
    settings = home_broker(installer, resident_id, data_dir)
    if settings is None:
        raise NoBroker(f"no broker is recorded for resident {resident_id}'s home: pair it with the wizard first")
    return settings


def home_broker(installer: Installer, resident_id: str, data_dir: Path | None = None) -> BrokerSettings | None:
    """The broker of the resident's home from its latest commissioning record; None when none is recorded."""
    versions = installer.records(resident_id)
    if not versions:
        return None
    record = installer.open_record(versions[-1][0])
    if not record.broker_url:
        return None
    return settings_for(record.broker_url, record.home_id, data_dir)
