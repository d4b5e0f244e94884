"""Qt is imported in one place: every GUI module takes its Qt names from ``slimmaatwerk.gui.qt``."""

from __future__ import annotations

import ast
from pathlib import Path

import slimmaatwerk.gui

GUI_DIR = Path(slimmaatwerk.gui.__file__).resolve().parent
BINDINGS = {"PySide6", "shiboken6"}


def binding_imports(path: Path) -> list[str]:
    """``file:line module`` for each import of a Qt binding in ``path``, also inside functions."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [node.module]
        else:
            continue
        found += [f"{path.name}:{node.lineno} {m}" for m in modules if m.split(".")[0] in BINDINGS]
    return found


def test_only_the_qt_module_imports_the_binding() -> None:
    modules = sorted(GUI_DIR.rglob("*.py"))
    assert GUI_DIR / "qt.py" in modules and len(modules) > 10
    offenders = [hit for path in modules if path.name != "qt.py" for hit in binding_imports(path)]
    assert offenders == [], "import these through slimmaatwerk.gui.qt instead: " + ", ".join(offenders)


def test_the_scan_sees_imports_inside_functions(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import os\n\ndef f():\n"
                      "    from PySide6.QtCore import QTranslator\n    import shiboken6\n")
    assert binding_imports(sample) == ["sample.py:4 PySide6.QtCore", "sample.py:5 shiboken6"]
    assert binding_imports(GUI_DIR / "qt.py")  # the one module that may, does
