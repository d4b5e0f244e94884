"""`slimmaatwerk app` on a single laptop: its embedded engine also runs the engine's jobs.

Without them a desktop-only installation would store events but never score them, escalate or run the
daily privacy jobs. The engine's status record is written by those jobs, so `status --json` from another
process seeing the app's broker connection proves they run inside the app.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from slimmaatwerk.datadir import DataDirConfig
from tests.support.servers import Broker


def _status(data_dir: Path) -> dict:
    result = subprocess.run([sys.executable, "-m", "slimmaatwerk", "status", "--data-dir", str(data_dir), "--json"],
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def test_the_desktop_app_runs_the_engine_jobs_with_its_embedded_engine(broker: Broker, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    subprocess.run([sys.executable, "-m", "slimmaatwerk", "residents", "add", "--data-dir", str(data_dir),
                    "--id", "r1", "--name", "Mevr. Jansen"], check=True, capture_output=True)
    DataDirConfig(brokers=[broker.url]).save(data_dir)
    assert _status(data_dir)["brokers"] == []  # nothing runs yet

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    app = subprocess.Popen([sys.executable, "-m", "slimmaatwerk", "app", "--data-dir", str(data_dir)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    try:
        deadline = time.monotonic() + 60
        status = _status(data_dir)
        while time.monotonic() < deadline and not any(b["state"] == "connected" for b in status["brokers"]):
            assert app.poll() is None, app.stderr.read()[-2000:] if app.stderr else ""
            time.sleep(0.5)
            status = _status(data_dir)
        assert any(b["state"] == "connected" for b in status["brokers"]), status
        assert status["writer"]["alive"] is True
        assert status["privacy_jobs"]["next_run"], status["privacy_jobs"]
    finally:
        app.kill()
        app.communicate(timeout=30)
