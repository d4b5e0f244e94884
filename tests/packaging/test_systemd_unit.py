"""The ingest service unit parses, runs as its own user, and carries the hardening and credentials."""

from __future__ import annotations

import re
import shlex
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest

from tests.packaging.tools import PACKAGING, require_tool

UNIT = PACKAGING / "systemd" / "slimmaatwerk-ingest.service"
SYSUSERS = PACKAGING / "systemd" / "slimmaatwerk.sysusers.conf"
MAX_EXPOSURE = 2.0  # `systemd-analyze security`: 0 is fully locked down, 10 is none at all


def parse_unit(text: str) -> dict[str, dict[str, list[str]]]:
    """Sections -> key -> every value (systemd keys may repeat); continuation lines are joined."""
    sections: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    section = ""
    for line in re.sub(r"\\\n\s*", " ", text).splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        key, _, value = line.partition("=")
        sections[section][key.strip()].append(value.strip())
    return sections


@pytest.fixture(scope="module")
def unit() -> dict[str, dict[str, list[str]]]:
    return parse_unit(UNIT.read_text(encoding="utf-8"))


def test_runs_ingest_as_a_dedicated_user_and_restarts_on_failure(unit: dict) -> None:
    service = unit["Service"]
    assert service["User"] == ["slimmaatwerk"] and service["Group"] == ["slimmaatwerk"]
    assert "u slimmaatwerk " in SYSUSERS.read_text(encoding="utf-8")
    assert service["Restart"] == ["on-failure"]
    argv = shlex.split(service["ExecStart"][0])
    assert argv[1] == "ingest"
    assert argv[argv.index("--broker") + 1].startswith("mqtts://")
    data_dir = argv[argv.index("--data-dir") + 1]
    assert data_dir in service["ReadWritePaths"]
    assert unit["Install"]["WantedBy"] == ["multi-user.target"]


def test_is_hardened(unit: dict) -> None:
    service = unit["Service"]
    expected = {"ProtectSystem": "strict", "ProtectHome": "yes", "NoNewPrivileges": "yes", "PrivateTmp": "yes",
                "PrivateDevices": "yes", "CapabilityBoundingSet": ""}
    for key, value in expected.items():
        assert service[key] == [value], key


def test_secrets_come_from_encrypted_credentials_only(unit: dict) -> None:
    service = unit["Service"]
    names = {entry.split(":", 1)[0] for entry in service["LoadCredentialEncrypted"]}
    assert names == {"broker-password", "database-key"}
    text = " ".join(service.get("Environment", []) + service["ExecStart"]).lower()
    assert "password" not in text and "key=" not in text


def _verifiable_copy(tmp_path: Path) -> Path:
    # verify checks that ExecStart's program exists; the bundle is not installed here.
    text = UNIT.read_text(encoding="utf-8").replace("/opt/slimmaatwerk/slimmaatwerk", "/bin/true")
    copy = tmp_path / UNIT.name
    copy.write_text(text, encoding="utf-8")
    return copy


def test_systemd_analyze_verify_is_clean(tmp_path: Path) -> None:
    tool = require_tool("systemd-analyze", "systemd")
    copy = _verifiable_copy(tmp_path)
    result = subprocess.run([tool, "verify", "--man=no", str(copy)], check=False, capture_output=True, text=True)
    # verify exits 0 even for unknown keys or bad values, but names the file in a warning.
    output = result.stdout + result.stderr
    assert result.returncode == 0 and UNIT.name not in output, output


def test_exposure_score_is_low(tmp_path: Path) -> None:
    tool = require_tool("systemd-analyze", "systemd")
    result = subprocess.run([tool, "security", "--offline=true", "--no-pager", str(_verifiable_copy(tmp_path))],
                            check=False, capture_output=True, text=True)
    match = re.search(r"Overall exposure level for \S+: (\d+\.\d+)", result.stdout + result.stderr)
    assert match, result.stdout + result.stderr
    assert float(match.group(1)) <= MAX_EXPOSURE
