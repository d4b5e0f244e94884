"""Where a data folder lives and what it holds: the database (or a URL to one) and the settings file.

The per-user default comes from platformdirs, so the same code finds the right place on Windows,
macOS and Linux. A machine-wide configuration file (rolled out by IT) can require protection.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_data_dir

from .errors import InputError

APP = "slimmaatwerk"
CONFIG_FILE = "config.json"


def default_data_dir(demo: bool = False) -> Path:
    base = Path(user_data_dir(APP, appauthor=False))
    return base / "demo" if demo else base


def machine_config_paths() -> list[Path]:
    """The IT administrator's machine-wide file at a fixed place per platform (never from XDG variables,
    which a user could point elsewhere), plus an optional extra file that can only add requirements."""
    if sys.platform.startswith("win"):
        fixed = Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / APP / CONFIG_FILE
    elif sys.platform == "darwin":
        fixed = Path("/Library/Application Support") / APP / CONFIG_FILE
    else:
        fixed = Path("/etc") / APP / CONFIG_FILE
    extra = os.environ.get("SLIMMAATWERK_MACHINE_CONFIG")
    return [fixed] + ([Path(extra)] if extra else [])


@dataclass
class DataDirConfig:
    """Settings kept in ``<data dir>/config.json``; secrets never go here."""

    database_url: str = ""
    brokers: list[str] = field(default_factory=list)
    language: str = ""

    @classmethod
    def load(cls, data_dir: Path) -> DataDirConfig:
        path = data_dir / CONFIG_FILE
        if not path.exists():
            return cls()
        try:
            raw = json.loads(path.read_text(encoding="utf-8-sig"))
        except (OSError, ValueError) as exc:
            raise InputError(f"{path}: not a readable settings file ({exc})") from None
        if not isinstance(raw, dict):
            raise InputError(f"{path}: settings must be a JSON object")
        return cls(
            database_url=str(raw.get("database_url", "")),
            brokers=[str(b) for b in raw.get("brokers", [])],
            language=str(raw.get("language", "")),
        )

    def save(self, data_dir: Path) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        path = data_dir / CONFIG_FILE
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.__dict__, indent=2), encoding="utf-8")
        tmp.replace(path)


def machine_requires_protection() -> bool:
    """Fails closed: a machine file that exists but cannot be read or parsed requires protection."""
    for path in machine_config_paths():
        if not path.exists():
            continue
        try:
            # utf-8-sig: Notepad and PowerShell 5 write a byte-order mark.
            raw = json.loads(path.read_text(encoding="utf-8-sig"))
        except (OSError, ValueError):
            return True
        if not isinstance(raw, dict) or raw.get("require_protection"):
            return True
    return False
