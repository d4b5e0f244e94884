"""DESIGN.md's seams, checked on the source: the core never imports Qt; side effects live at named edges."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "slimmaatwerk"


def _modules(exclude_gui: bool = True) -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = list(rel.parts)
        if exclude_gui and parts[:2] == ["slimmaatwerk", "gui"]:
            continue
        if "migrations" in parts or parts[-1] == "__main__":
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.append(".".join(parts))
    return names


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def test_importing_every_core_module_loads_no_qt() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == ""


def test_only_the_gui_imports_qt_and_only_mqtt_edges_import_paho() -> None:
    qt_outside_gui, paho_users = [], []
    for path in PACKAGE.rglob("*.py"):
        imports = _imports(path)
        rel = path.relative_to(PACKAGE).as_posix()
        if imports & {"PySide6", "shiboken6", "pyqtgraph"} and not rel.startswith("gui/"):
            qt_outside_gui.append(rel)
        if "paho" in imports:
            paho_users.append(rel)
    assert qt_outside_gui == []
    # The engine's client, and the simulator's publisher (a test-data tool, never part of the engine).
    assert sorted(paho_users) == ["ingest/mqtt_client.py", "simulate/mqtt_publish.py"]
