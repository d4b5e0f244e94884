"""Start the desktop window: the QApplication, style sheet, language, and the screenshot mode.

``run_window`` is what the ``app`` and ``demo`` commands call once they have a data source.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from slimmaatwerk.clock import Clock
from slimmaatwerk.gui.datasource import DataSource
from slimmaatwerk.gui.i18n import default_language, set_language
from slimmaatwerk.gui.main_window import LiveBridge, MainWindow
from slimmaatwerk.gui.qt import (
    QApplication,
    QEventLoop,
    QGuiApplication,
    QLibraryInfo,
    Qt,
    QTimer,
    QTranslator,
)
from slimmaatwerk.service import Service

_log = logging.getLogger(__name__)

STYLE_SHEET = Path(__file__).resolve().parents[2] / "ui" / "style.qss"
SCREENSHOT_SIZE = (1400, 850)
SCREENSHOT_TIMEOUT_S = 60.0
_SETTLE_MS = 150
_STYLED = "slimmaatwerk"  # let layouts and the first paint finish before grabbing


def _install_qt_translations(app: QApplication) -> None:
    """Qt's own texts (dialog buttons, context menus) in Dutch unless the system language is English."""
    language = default_language()
    translator = QTranslator(app)
    if translator.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(translator)


def ensure_application() -> QApplication:
    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(sys.argv[:1])
        app.setApplicationName("Slim Maatwerk")
        app.setOrganizationName("Slim Maatwerk")
        _install_qt_translations(app)
    if app.objectName() != _STYLED:
        # Also for an application someone else created (a test harness): screenshots look like the app.
        app.setObjectName(_STYLED)
        app.setStyle("Fusion")  # the same look on every platform, and in screenshots
        if STYLE_SHEET.is_file():
            app.setStyleSheet(STYLE_SHEET.read_text(encoding="utf-8"))
    return app


def run_window(
    source: DataSource,
    *,
    demo: bool,
    screenshot: Path | None,
    language: str | None,
    status_text: str = "",
    bridge: LiveBridge | None = None,
    clock: Clock | None = None,
    timeout_s: float = SCREENSHOT_TIMEOUT_S,
    service: Service | None = None,
    data_dir: Path | None = None,
) -> int:
    """Show the main window until it is closed; with ``screenshot``, save it once data is shown and exit.

    ``bridge`` carries "new data stored" from the engine's threads; without it the window still polls
    ``source.watermark()`` every 2 s. ``service`` (the acting user's facade) and ``data_dir`` add the
    alert inbox, escalation banner, settings and pairing wizard (see ``MainWindow``). Returns the exit
    code: 0, or 1 when the screenshot could not be made (reason on stderr).
    """
    app = ensure_application()
    set_language(language or default_language())
    window = MainWindow(source, demo=demo, status_text=status_text, clock=clock, service=service,
                        data_dir=data_dir)
    if bridge is not None:
        window.connect_bridge(bridge)
    if screenshot is None:
        window.resize(1400, 850)
        window.show()
        return app.exec()
    return _screenshot(window, Path(screenshot), timeout_s)


def _screenshot(window: MainWindow, path: Path, timeout_s: float) -> int:
    loop = QEventLoop()
    outcome: dict[str, int] = {}

    def finish(code: int, message: str = "") -> None:
        if "code" in outcome:
            return
        outcome["code"] = code
        if message:
            print(message, file=sys.stderr)
        loop.exit(code)

    def grab() -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        if window.grab().save(str(path)):
            finish(0)
        else:
            finish(1, f"slimmaatwerk: could not write the screenshot to {path}")

    def on_failed(message: str) -> None:
        if not window.is_ready():
            finish(1, f"slimmaatwerk: no screenshot, loading the data failed: {message}")

    window.ready.connect(lambda: QTimer.singleShot(_SETTLE_MS, grab))
    window.load_failed.connect(on_failed)
    timeout = QTimer(window, singleShot=True, interval=int(timeout_s * 1000))
    timeout.timeout.connect(
        lambda: finish(1, f"slimmaatwerk: no screenshot, the data was not shown within {timeout_s:g} s")
    )
    timeout.start()
    window.resize(*SCREENSHOT_SIZE)
    window.show()
    code = loop.exec() if "code" not in outcome else outcome["code"]
    timeout.stop()
    window.close()
    window.deleteLater()
    return code
