"""The Linux desktop integration validates with the tools distributions use, and the icons are complete."""

from __future__ import annotations

import struct
import subprocess
import xml.etree.ElementTree as ET

from tests.packaging.tools import APP_ID, PACKAGING, require_tool

LINUX = PACKAGING / "linux"
DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def test_desktop_file_validates() -> None:
    tool = require_tool("desktop-file-validate", "desktop-file-utils")
    result = subprocess.run([tool, str(DESKTOP)], check=False, capture_output=True, text=True)
    # Hints are advice; errors and warnings are not acceptable.
    problems = [line for line in result.stdout.splitlines() if ": error:" in line or ": warning:" in line]
    assert result.returncode == 0 and not problems, result.stdout + result.stderr


def test_desktop_file_speaks_dutch_and_starts_the_app() -> None:
    entries = dict(
        line.split("=", 1) for line in DESKTOP.read_text(encoding="utf-8").splitlines() if "=" in line
    )
    assert entries["Name[nl]"] and entries["Comment[nl]"]
    assert entries["Comment[nl]"] != entries["Comment"]
    assert entries["Exec"] == "slimmaatwerk app"
    assert entries["Icon"] == APP_ID


def test_metainfo_validates_offline() -> None:
    tool = require_tool("appstreamcli", "appstream")
    result = subprocess.run([tool, "validate", "--no-net", str(METAINFO)], check=False, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_metainfo_names_the_desktop_file_and_has_dutch_text() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == APP_ID
    assert root.find("launchable").text == DESKTOP.name
    assert any(el.get(XML_LANG) == "nl" for el in root.iter("summary"))
    assert any(el.get(XML_LANG) == "nl" for el in root.iter("p"))


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_icons_exist_in_every_size_desktops_ask_for() -> None:
    for size in (48, 128, 256):
        png = LINUX / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        assert _png_size(png.read_bytes()) == (size, size)
    svg = ET.parse(LINUX / "icons" / "slimmaatwerk.svg").getroot()
    assert svg.get("viewBox") == "0 0 256 256"


def test_windows_icon_holds_the_small_and_large_sizes() -> None:
    data = (PACKAGING / "windows" / "slimmaatwerk.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    sizes = set()
    for i in range(count):
        width, _h, _c, _r, _p, _b, length, offset = struct.unpack("<BBBBHHII", data[6 + 16 * i: 22 + 16 * i])
        assert _png_size(data[offset: offset + length])[0] == (width or 256)
        sizes.add(width or 256)
    assert {16, 32, 48, 256} <= sizes
