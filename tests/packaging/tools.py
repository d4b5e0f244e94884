"""Helpers of the packaging tests: where packaging/ is, and external tools that CI must have."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.support.servers import unavailable

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
APP_ID = "nl.slimmaatwerk.SlimMaatwerk"


def require_tool(name: str, debian_package: str) -> str:
    """The path of a command-line tool; skips without it, or fails under CI=true."""
    path = shutil.which(name)
    if path is None:
        unavailable(f"{name} is not installed (apt-get install {debian_package})")
    assert path is not None
    return path
