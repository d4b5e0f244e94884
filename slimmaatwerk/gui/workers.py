"""Run slow calls off the UI thread and hand the outcome back on it (Anki's ``QueryOp`` idea).

``BackgroundRunner.run(key, fn, on_success, on_failure)`` runs ``fn`` on a small thread pool. The
outcome is delivered through a queued signal, so both callbacks run on the UI thread. At most one call
per key is in flight: a request made while one is running replaces any earlier waiting request, and the
running call's result is dropped as stale when a newer request is waiting (the newest question wins and
slow loads never pile up).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slimmaatwerk.gui.qt import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

_log = logging.getLogger(__name__)

Success = Callable[[Any], None]
Failure = Callable[[BaseException], None]


@dataclass
class _Request:
    fn: Callable[[], Any]
    on_success: Success
    on_failure: Failure


class _Job(QRunnable):
    def __init__(self, runner: BackgroundRunner, key: str, fn: Callable[[], Any]) -> None:
        super().__init__()
        self._runner = runner
        self._key = key
        self._fn = fn

    def run(self) -> None:  # on a pool thread
        try:
            outcome: tuple[Any, BaseException | None] = (self._fn(), None)
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the UI, none crashes
            outcome = (None, exc)
        try:
            self._runner._finished.emit(self._key, outcome[0], outcome[1])
        except RuntimeError:
            # The runner was deleted while we worked (window closed): nobody is waiting any more.
            pass


class BackgroundRunner(QObject):
    """Owns a small thread pool; create it on the UI thread."""

    _finished = Signal(str, object, object)
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, *, max_threads: int = 2) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._running: dict[str, _Request] = {}
        self._waiting: dict[str, _Request] = {}
        self._finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)

    def run(self, key: str, fn: Callable[[], Any], on_success: Success, on_failure: Failure) -> bool:
        """Start ``fn`` now (True) or queue it behind the running call with the same key (False)."""
        request = _Request(fn, on_success, on_failure)
        if key in self._running:
            self._waiting[key] = request
            return False
        self._start(key, request)
        return True

    def in_flight(self, key: str | None = None) -> bool:
        return bool(self._running) if key is None else key in self._running

    def shutdown(self, wait_ms: int = 2000) -> None:
        """Drop waiting work and give running calls a moment to finish (at window close)."""
        self._waiting.clear()
        self._pool.clear()
        self._pool.waitForDone(wait_ms)

    def _start(self, key: str, request: _Request) -> None:
        was_idle = not self._running
        self._running[key] = request
        self._pool.start(_Job(self, key, request.fn))
        if was_idle:
            self.busy_changed.emit(True)

    @Slot(str, object, object)
    def _on_finished(self, key: str, result: Any, error: BaseException | None) -> None:
        request = self._running.pop(key, None)
        newer = self._waiting.pop(key, None)
        if newer is not None:
            self._start(key, newer)
        elif request is not None:
            self._deliver(request, result, error)
        if not self._running:
            self.busy_changed.emit(False)

    @staticmethod
    def _deliver(request: _Request, result: Any, error: BaseException | None) -> None:
        if error is None:
            try:
                request.on_success(result)
                return
            except Exception as exc:  # noqa: BLE001 - a bug in a callback is reported, not fatal
                _log.exception("background success callback failed")
                error = exc
        try:
            request.on_failure(error)
        except Exception:  # noqa: BLE001
            _log.exception("background failure callback failed")
