"""What the main window needs from the world: the read side of the service facade, duck-typed.

The window calls these methods on worker threads only (never on the UI thread), so an implementation
may block on the database; it must tolerate calls from more than one thread.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from slimmaatwerk.views import ResidentDetail, ResidentRow


@runtime_checkable
class DataSource(Protocol):
    def overview(self) -> list[ResidentRow]:
        """Every resident the acting user may see, in any order."""
        ...

    def resident_detail(self, resident_id: str) -> ResidentDetail:
        """Heatmap data, alerts and device health of one resident."""
        ...

    def banner(self) -> str:
        """A warning shown on every screen (e.g. "Niet beveiligd / not protected"), or ""."""
        ...

    def watermark(self) -> int:
        """A number that changes whenever new data is stored; polled to decide on a refresh."""
        ...
