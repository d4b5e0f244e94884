"""One pass of the engine's scoring job from the frozen bundle, in one process and in two worker processes.

    python tests/benchmarks/bench_bundle_scoring.py --bundle dist/slimmaatwerk/slimmaatwerk --residents 96

Seeds a data folder with ``--residents`` simulated residents (``--days`` of history up to now), then,
alternating the two settings ``--repeats`` times on fresh copies of it, runs ``slimmaatwerk score
--processes 0|2 --json`` twice: the first pass also fills the kept daily features of every closed day (as
after an upgrade), the second is the engine's pass every few minutes. Figures are medians of the job's own
``seconds`` and of the whole program's wall time (start-up included); the last line of stdout is JSON.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.support.scoring_homes import seed_data_folder


def _pass(bundle: str, folder: Path, processes: int) -> dict:
    began = time.perf_counter()
    result = subprocess.run([bundle, "score", "--data-dir", str(folder), "--processes", str(processes), "--json"],
                            capture_output=True, text=True, check=False)
    wall = time.perf_counter() - began
    if result.returncode != 0:
        raise SystemExit(result.stderr[-3000:])
    report = json.loads(result.stdout)
    return {"seconds": report["seconds"], "wall": round(wall, 2), "workers": report["worker_processes"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", default="dist/slimmaatwerk/slimmaatwerk")
    parser.add_argument("--residents", type=int, default=96)
    parser.add_argument("--days", type=int, default=28)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        seeded = Path(tmp) / "seeded"
        began = time.perf_counter()
        seed_data_folder(seeded, args.residents, args.days, datetime.now(UTC))
        print(f"seeded {args.residents} residents x {args.days} days in {time.perf_counter() - began:.0f} s",
              file=sys.stderr)
        runs: dict[str, list[dict]] = {}
        for repeat in range(args.repeats):
            for processes in (0, 2):
                folder = Path(tmp) / f"p{processes}-{repeat}"
                shutil.copytree(seeded, folder)
                for name in ("first", "steady"):
                    run = _pass(args.bundle, folder, processes)
                    runs.setdefault(f"{name}_{processes}", []).append(run)
                    print(f"processes={processes} {name}: {run}", file=sys.stderr)
                shutil.rmtree(folder)
    figures = {"residents": args.residents, "days": args.days, "repeats": args.repeats}
    for key, found in runs.items():
        figures[f"{key}_seconds"] = statistics.median(r["seconds"] for r in found)
        figures[f"{key}_wall"] = statistics.median(r["wall"] for r in found)
        figures[f"{key}_workers"] = sorted({r["workers"] for r in found})
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
