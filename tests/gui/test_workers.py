from __future__ import annotations

import threading
import time

import pytest

from slimmaatwerk.gui.qt import QThread
from slimmaatwerk.gui.workers import BackgroundRunner

pytestmark = pytest.mark.gui


def test_success_runs_off_the_ui_thread_and_is_delivered_on_it(qtbot) -> None:
    runner = BackgroundRunner()
    ui_thread = QThread.currentThread()
    seen: dict[str, object] = {}

    def work() -> int:
        seen["worker_is_ui"] = threading.current_thread() is threading.main_thread()
        return 42

    def done(value: int) -> None:
        seen["value"] = value
        seen["callback_on_ui"] = QThread.currentThread() is ui_thread

    assert runner.run("k", work, done, lambda e: None)
    qtbot.waitUntil(lambda: "value" in seen, timeout=2000)
    assert seen == {"worker_is_ui": False, "value": 42, "callback_on_ui": True}
    qtbot.waitUntil(lambda: not runner.in_flight())


def test_failure_is_delivered_not_raised(qtbot) -> None:
    runner = BackgroundRunner()
    errors: list[BaseException] = []
    runner.run("k", lambda: 1 / 0, lambda v: None, errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=2000)
    assert isinstance(errors[0], ZeroDivisionError)


def test_a_failing_success_callback_is_reported_as_a_failure(qtbot) -> None:
    runner = BackgroundRunner()
    errors: list[BaseException] = []

    def broken(_value: object) -> None:
        raise KeyError("bug in the screen")

    runner.run("k", lambda: 1, broken, errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=2000)
    assert isinstance(errors[0], KeyError)


def test_requests_do_not_pile_up_and_the_newest_wins(qtbot) -> None:
    runner = BackgroundRunner()
    release = threading.Event()
    calls: list[str] = []
    delivered: list[str] = []

    def slow(name: str):
        def work() -> str:
            calls.append(name)
            if name == "first":
                release.wait(2)
            return name

        return work

    assert runner.run("detail", slow("first"), delivered.append, lambda e: None) is True
    assert runner.run("detail", slow("second"), delivered.append, lambda e: None) is False
    assert runner.run("detail", slow("third"), delivered.append, lambda e: None) is False
    release.set()
    qtbot.waitUntil(lambda: delivered == ["third"], timeout=3000)
    time.sleep(0.05)
    qtbot.wait(20)
    assert calls == ["first", "third"], "the superseded request never ran"
    assert delivered == ["third"], "the stale first result was dropped"
