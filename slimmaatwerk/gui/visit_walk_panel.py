"""The walk test of one sensor on a later visit, as a panel of the visit dialog's "replace" tab.

A thin layer over ``pairing.visit_walktest``: connect to the home's recorded broker (address, user,
keyring password, TLS files) off the UI thread, light up when the sensor reports activity, and on
"Record" store the result and time as the next version of the home's commissioning record
(``record_versions.record_walk_test``). The live test's thread reaches the panel only through a
queued signal; failures (no broker recorded, a refused password, no record yet) are said in words.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from slimmaatwerk.clock import Clock
from slimmaatwerk.errors import AccessDenied, SlimMaatwerkError
from slimmaatwerk.gui.i18n import current_language
from slimmaatwerk.gui.qt import QFrame, QHBoxLayout, QLabel, QObject, QPushButton, Qt, QVBoxLayout, Signal
from slimmaatwerk.gui.workers import BackgroundRunner
from slimmaatwerk.pairing.broker import ConnectFailed
from slimmaatwerk.pairing.home_broker import NoBroker, required_home_broker
from slimmaatwerk.pairing.installer import Installer
from slimmaatwerk.pairing.live import LiveWalkTest
from slimmaatwerk.pairing.record_versions import NoRecord, record_walk_test
from slimmaatwerk.pairing.texts import problem_text, text
from slimmaatwerk.pairing.tools import MqttTools
from slimmaatwerk.pairing.visit_walktest import sensor_for, start_visit_walk
from slimmaatwerk.pairing.visits import HomeDevice
from slimmaatwerk.pairing.walktest import SensorCheck
from slimmaatwerk.profiles import ProfileRegistry
from slimmaatwerk.profiles.user_profiles import load_library

WARN, OK, WAITING = "#c62828", "#2e7d32", "#9e9e9e"


def t(key: str, **kw: object) -> str:
    return text(key, current_language(), **kw)


def failure_words(exc: BaseException) -> str:
    if isinstance(exc, AccessDenied):
        return t("common.access_denied")
    if isinstance(exc, ConnectFailed):
        return t(f"error.{exc.key}", detail=exc.detail)
    if isinstance(exc, NoBroker):
        return t("visit.walk.no_broker")
    if isinstance(exc, NoRecord):
        return t("visit.walk.no_record")
    return str(exc) if isinstance(exc, SlimMaatwerkError) else f"{type(exc).__name__}: {exc}"


class _Relay(QObject):
    """Lives on the UI thread; emitted from the walk test's thread, delivered queued."""

    check = Signal(object)


class VisitWalkPanel(QFrame):
    """``chosen`` gives (resident id, the sensors chosen in the dialog); ``say`` shows a message there."""

    busy_changed = Signal(bool)

    def __init__(self, installer: Installer, clock: Clock, runner: BackgroundRunner,
                 chosen: Callable[[], tuple[str | None, list[HomeDevice]]], say: Callable[[str, bool], None], *,
                 user_dir: Path | None = None, data_dir: Path | None = None, tools: MqttTools | None = None) -> None:
        super().__init__()
        self.installer, self.clock, self.runner = installer, clock, runner
        self.chosen, self.say = chosen, say
        self.user_dir, self.data_dir, self.tools = user_dir, data_dir, tools
        self.live: LiveWalkTest | None = None
        self.resident: str | None = None  # whose home the running test is in
        self.check: SensorCheck | None = None
        self.busy = False
        self._relay = _Relay(self)
        self._relay.check.connect(self.update_check, Qt.ConnectionType.QueuedConnection)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title, self.intro = QLabel(), QLabel()
        self.title.setStyleSheet("font-weight: bold;")
        self.intro.setWordWrap(True)
        self.light, self.status = QLabel("●"), QLabel()
        self.light.setStyleSheet(f"font-size: 20px; color: {WAITING}")
        self.status.setWordWrap(True)
        self.walk_button, self.record_button = QPushButton(), QPushButton()
        self.walk_button.clicked.connect(self.toggle)
        self.record_button.clicked.connect(self.record)
        row = QHBoxLayout()
        row.addWidget(self.light)
        row.addWidget(self.status, 1)
        row.addWidget(self.walk_button)
        row.addWidget(self.record_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        layout.addLayout(row)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(t("visit.walk.title"))
        self.intro.setText(t("visit.walk.intro"))
        self.walk_button.setText(t("visit.walk.stop" if self.live is not None else "visit.walk.start"))
        self.record_button.setText(t("visit.walk.record"))
        if self.check is not None:
            self.update_check(self.check)

    def set_enabled(self, enabled: bool) -> None:
        """The dialog is busy with something else (or done): no new test meanwhile."""
        self.walk_button.setEnabled(enabled and not self.busy)
        self.record_button.setEnabled(enabled and not self.busy and self.live is not None)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.set_enabled(True)
        self.busy_changed.emit(busy)

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.say(failure_words(exc), True)

    # -- start, watch, stop, record ----------------------------------------------------------------
    def toggle(self) -> None:
        """Start the walk test of the chosen sensor, or stop the running one (nothing recorded)."""
        if self.busy:
            return
        if self.live is not None:
            self.stop()
            return
        rid, chosen = self.chosen()
        if len(chosen) != 1 or rid is None:
            self.say(t("visit.select_one"), True)
            return
        device = chosen[0]
        installer, data_dir, clock, tools, user_dir = self.installer, self.data_dir, self.clock, self.tools, \
            self.user_dir
        emit = self._relay.check.emit

        def connect() -> LiveWalkTest:
            settings = required_home_broker(installer, rid, data_dir)
            walk_tools = tools or MqttTools(installer.registry or load_library(user_dir).registry, clock)
            return start_visit_walk(walk_tools, settings, [device], emit)

        shown = tools.registry if tools is not None else (installer.registry or ProfileRegistry([], []))
        self.update_check(SensorCheck(sensor_for(device, shown)))
        self.say(t("visit.walk.connecting"), False)
        self._set_busy(True)
        self.runner.run("visit-walk", connect, self._started, self._failed)

    def _started(self, live: LiveWalkTest) -> None:
        self.live = live
        self.resident = self.chosen()[0]
        self.update_check(live.snapshot()[0])
        self._set_busy(False)
        self.say("", False)
        self.retranslate()

    def update_check(self, check: SensorCheck) -> None:
        self.check = check
        colour = OK if check.confirmed else (WARN if check.lit else WAITING)
        self.light.setStyleSheet(f"font-size: 20px; color: {colour}")
        parts = [t("visit.walk.do", name=check.sensor.name, action=t(f"walk.action.{check.sensor.action}")),
                 t("walk.lit", event=check.last_event) if check.lit else t("walk.waiting")]
        if check.battery is not None:
            parts.append(t("walk.battery", value=round(check.battery)))
        if check.signal is not None:
            parts.append(t("walk.signal", value=check.signal))
        problems = [problem_text(k, a, current_language()) for k, a in check.problems
                    if k not in ("no_messages", "no_activity")]  # "nothing yet" is no problem while live
        self.status.setText(" · ".join(parts) + "".join(f"<br><span style='color:{WARN}'>{p}</span>"
                                                         for p in problems))

    def stop(self) -> None:
        live, self.live = self.live, None
        self.retranslate()
        self._set_busy(False)
        if live is not None:
            self.runner.run("visit-walk-stop", live.stop, lambda _r: None, self._failed)

    def record(self) -> None:
        """Stop the walk test and store its result and time as the home's next record version."""
        live, rid = self.live, self.resident
        if live is None or rid is None or self.busy:
            return
        self.live = None
        installer, clock = self.installer, self.clock

        def store() -> tuple[int, SensorCheck]:
            live.stop()
            checks = live.snapshot()
            return record_walk_test(installer, rid, checks, clock.now()).version, checks[0]

        self._set_busy(True)
        self.retranslate()
        self.runner.run("visit-walk-record", store, self._recorded, self._failed)

    def _recorded(self, done: tuple[int, SensorCheck]) -> None:
        self._set_busy(False)
        version, check = done
        self.update_check(check)
        self.say(t("visit.walk.recorded", version=version, name=check.sensor.name,
                   result=t(f"visit.walk.result.{check.result}")), check.result != "passed")

    def close_test(self) -> None:
        """The dialog closes: the connection is closed and nothing is recorded."""
        if self.live is not None:
            self.live.stop()
            self.live = None
