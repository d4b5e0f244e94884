"""Writing simulated homes to disk: one event CSV per home plus ``ground_truth.json``."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from itertools import repeat
from pathlib import Path
from typing import Any

from ..eventcsv import write_events
from ..localtime import format_timestamp
from .model import SimHome


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return format_timestamp(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def home_summary(home: SimHome) -> dict:
    """Everything about a home except its events: who, kit, injections, anomalies, visitors, absences."""
    return _jsonable({
        "resident": home.resident_id,
        "name": home.name,
        "household": home.household,
        "pet": home.pet,
        "devices": [
            {"device": d.device, "kind_family": d.kind_family, "room": d.room, "placement": d.placement,
             "ieee": d.ieee, "model": d.model, "vendor": d.vendor, "report_interval_s": d.report_interval_s}
            for d in home.devices
        ],
        "injections": [{"type": i.type, "start": i.start, "params": i.params} for i in home.injections],
        "anomalies": home.ground_truth,
        "visitor_days": home.visitor_days,
        "absences": [{"from": a, "to": b} for a, b in home.absences],
    })


def write_csv(homes: Sequence[SimHome], directory: Path) -> list[Path]:
    """``<resident_id>.csv`` per home (with the resident column) and ``ground_truth.json``."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for home in homes:
        path = directory / f"{home.resident_id}.csv"
        with path.open("w", encoding="utf-8", newline="") as out:
            write_events(out, home.events, repeat(home.resident_id))
        paths.append(path)
    truth = directory / "ground_truth.json"
    text = json.dumps({"homes": [home_summary(h) for h in homes]}, indent=2, ensure_ascii=False)
    truth.write_text(text + "\n", encoding="utf-8", newline="\n")
    paths.append(truth)
    return paths
