"""Start-up time of the PyInstaller bundle against `python -m slimmaatwerk` from the venv, in one run.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/benchmarks/bench_startup.py [--bundle dist/slimmaatwerk/slimmaatwerk] [--runs 7]

Two figures per variant, each the median of --runs runs after one warm-up run, the variants alternating
so that both see the same machine load:
- ``help_s``: process start to exit of ``--help`` (interpreter, bootloader and the command line's imports);
- ``first_window_s``: process start until ``app --screenshot`` has saved its first window with data shown
  (a data folder with one resident; includes the app's fixed 150 ms settle before the grab).
Human-readable lines go to stderr; the last line on stdout is JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
POLL_S = 0.005


def time_help(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([*command, "--help"], env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def time_first_window(command: list[str], env: dict[str, str], data_dir: Path, shot: Path) -> float:
    shot.unlink(missing_ok=True)
    start = time.perf_counter()
    process = subprocess.Popen([*command, "app", "--data-dir", str(data_dir), "--screenshot", str(shot)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    while not shot.exists():
        if process.poll() is not None:
            raise RuntimeError(f"{command[0]} exited without a window: {process.stderr.read().decode()[-2000:]}")
        time.sleep(POLL_S)
    elapsed = time.perf_counter() - start
    process.communicate(timeout=60)
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "slimmaatwerk" / "slimmaatwerk")
    parser.add_argument("--python", default=sys.executable, help="the venv's interpreter")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if not args.bundle.is_file():
        print(f"bench_startup: no bundle at {args.bundle}; run `make package` first", file=sys.stderr)
        return 1

    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    variants = {"bundle": [str(args.bundle)], "venv": [args.python, "-m", "slimmaatwerk"]}
    results: dict[str, dict[str, list[float]]] = {name: {"help_s": [], "first_window_s": []} for name in variants}
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        data_dir, shot = Path(tmp) / "data", Path(tmp) / "shot.png"
        subprocess.run([*variants["venv"], "residents", "add", "--data-dir", str(data_dir), "--id", "r1",
                        "--name", "Mevr. Jansen"], env=env, check=True, capture_output=True)
        for run in range(args.runs + 1):  # run 0 warms the page cache and is not counted
            for name, command in variants.items():
                help_s = time_help(command, env)
                window_s = time_first_window(command, env, data_dir, shot)
                if run:
                    results[name]["help_s"].append(help_s)
                    results[name]["first_window_s"].append(window_s)
                print(f"run {run} {name:6s} help {help_s:.3f} s  first window {window_s:.3f} s", file=sys.stderr)

    summary = {
        name: {metric: round(statistics.median(values), 3) for metric, values in metrics.items()}
        for name, metrics in results.items()
    }
    summary["runs"] = args.runs
    summary["first_window_ratio_bundle_to_venv"] = round(
        summary["bundle"]["first_window_s"] / summary["venv"]["first_window_s"], 2)
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
