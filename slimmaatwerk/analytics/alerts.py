"""The ALERT dict of DESIGN.md, built in one place so every rule produces exactly the same shape."""

from __future__ import annotations

from datetime import date
from typing import Any

from ..localtime import format_timestamp
from .baseline import Baseline
from .frame import ns_to_datetime
from .health import DeviceState

SEVERITIES = ("info", "amber", "red")


def baseline_ref(baseline: Baseline | None) -> dict[str, Any]:
    if baseline is None or baseline.days == 0:
        return {"from": None, "to": None, "days": 0}
    return {"from": baseline.fitted_on[0].isoformat(), "to": baseline.fitted_on[1].isoformat(), "days": baseline.days}


def sensors_at(devices: list[DeviceState], when: int) -> list[dict[str, Any]]:
    return [{"device": d.device, "room": d.room, "healthy": d.healthy_at(when)} for d in
            sorted(devices, key=lambda s: s.device)]


def _num(x: float | None, digits: int = 2) -> float | None:
    return None if x is None else round(float(x), digits)


def make_alert(*, day: date, start: int, end: int, raised: int, indicator: str, severity: str, score: float,
               observed: float | None, expected: float | None, low: float | None, high: float | None, unit: str,
               baseline: Baseline | None, sensors: list[dict[str, Any]], explanation: dict[str, str]) -> dict[str, Any]:
    if severity not in SEVERITIES:
        raise ValueError(f"severity must be one of {SEVERITIES}, not {severity!r}")
    return {
        "date": day.isoformat(),
        "start": format_timestamp(ns_to_datetime(start)),
        "end": format_timestamp(ns_to_datetime(end)),
        "raised_at": format_timestamp(ns_to_datetime(raised)),
        "indicator": indicator,
        "severity": severity,
        "score": _num(score),
        "observed": _num(observed),
        "expected": _num(expected),
        "expected_low": _num(low),
        "expected_high": _num(high),
        "unit": unit,
        "baseline": baseline_ref(baseline),
        "sensors": sensors,
        "explanation": explanation,
    }
