"""Render the application icon (SVG) to the PNG sizes Linux desktops want and to a Windows ICO.

Run from the repository root: QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/render_icons.py
The outputs are committed, so a build needs no renderer; run this again only after changing the SVG.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

HERE = Path(__file__).resolve().parent
APP_ID = "nl.slimmaatwerk.SlimMaatwerk"
SOURCE = HERE / "linux" / "icons" / "slimmaatwerk.svg"
PNG_SIZES = (48, 128, 256)
ICO_SIZES = (16, 24, 32, 48, 64, 256)  # what Explorer, the taskbar and the Start menu ask for
ICO_TARGET = HERE / "windows" / "slimmaatwerk.ico"


def render_png(renderer: QSvgRenderer, size: int) -> bytes:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data().data())


def ico_bytes(images: dict[int, bytes]) -> bytes:
    """An ICO file whose entries are PNG images (read by Windows Vista and later, and by Inno Setup)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, blobs = b"", b""
    for size, png in sorted(images.items()):
        dim = 0 if size >= 256 else size  # 0 means 256 in an ICO directory entry
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(png), offset + len(blobs))
        blobs += png
    return header + entries + blobs


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - QPainter needs one
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        print(f"render_icons: {SOURCE} is not a valid SVG", file=sys.stderr)
        return 1
    for size in PNG_SIZES:
        target = HERE / "linux" / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(render_png(renderer, size))
        print(target.relative_to(HERE), file=sys.stderr)
    ICO_TARGET.write_bytes(ico_bytes({size: render_png(renderer, size) for size in ICO_SIZES}))
    print(ICO_TARGET.relative_to(HERE), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
