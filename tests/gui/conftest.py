"""GUI test set-up: offscreen Qt; skipped as a whole in the core-only run without PySide6."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pyqtgraph")

from slimmaatwerk.clock import FixedClock
from slimmaatwerk.gui import i18n
from slimmaatwerk.views import ResidentRow
from tests.gui.gui_sampledata import NOW, MemorySource, make_rows


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def rows() -> list[ResidentRow]:
    return make_rows()


@pytest.fixture
def source(rows: list[ResidentRow]) -> MemorySource:
    return MemorySource(rows)


@pytest.fixture(autouse=True)
def dutch():
    """Every test starts in Dutch (the default language) and leaves it that way."""
    i18n.set_language("nl")
    yield
    i18n.set_language("nl")
