"""The real-time rules: long lie (inactivity), front door at night (night_exit) and a dead sensor.

These are raised the moment the engine, running online, would know: a long lie when the silence has
lasted the home's own threshold for that time of day, a night exit at the door event itself, a dead
sensor when it has been silent for its report interval + 1 hour. Each rule only looks at data up to its
``raised_at``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np

from ..localtime import TZ, day_of
from .alerts import make_alert, sensors_at
from .baseline import MIN_DAYS, Baseline
from .calibration import Adjustment, with_note
from .explain import ROOMS_EN, ROOMS_NL, clock, duration, learnt, long_date
from .features import Prepared
from .frame import NS_PER_DAY, NS_PER_HOUR, NS_PER_MIN, day_ordinal, ns_to_datetime
from .health import DeviceState, activity_devices
from .presence import night_exit_indices

ALIVE_WINDOW = 2 * NS_PER_HOUR
NIGHT_EXIT_ROUTINE_RATE = 0.1


def in_periods(periods: list[tuple[int, int]], a: int, b: int) -> bool:
    return any(a < pe and b > ps for ps, pe in periods)


def inactivity_alerts(prep: Prepared, day: date, baseline: Baseline, periods: list[tuple[int, int]],
                      partner: bool, adjustment: Adjustment | None = None) -> list[dict[str, Any]]:
    """Long-lie alerts for at-home gaps that start on ``day``; ``adjustment``: feedback calibration."""
    params = baseline.usable("inactivity")
    if params is None or baseline.days < MIN_DAYS:
        return []
    g = prep.gaps
    sel = np.flatnonzero(g.day == day_ordinal(day))
    alerts = []
    for i in sel:
        threshold = params["threshold_min"][int(g.block[i])]
        if threshold is None:
            continue
        if adjustment is not None:
            threshold += adjustment.gap_minutes()
        start = int(g.start[i])
        raised = start + int(threshold * NS_PER_MIN)
        if int(g.end[i]) <= raised or raised > prep.data_end or in_periods(periods, start, raised):
            continue
        devices = activity_devices(prep.states, None, start)
        if not devices or not all(d.healthy_at(raised) for d in devices):
            continue  # silence of the sensors themselves: sensor_offline speaks for it
        typical = params["typical_min"][int(g.block[i])] or 0.0
        tod = (prep.arr.wall[np.searchsorted(prep.arr.t, start)] - day_ordinal(day) * NS_PER_DAY) / NS_PER_MIN
        ref = {"from": baseline.fitted_on[0].isoformat(), "to": baseline.fitted_on[1].isoformat(), "days": baseline.days}
        text = {
            "en": (f"No movement in the home for {duration(threshold, 'en')} since {clock(tod)} on "
                   f"{long_date(day, 'en')}, while the resident is at home (at this time of day the longest quiet "
                   f"spell is usually {duration(typical, 'en')}; {learnt(ref, 'en')}). The sensors are reporting "
                   "normally, so this is not a sensor fault. Please check on the resident."),
            "nl": (f"Geen beweging in huis gedurende {duration(threshold, 'nl')} sinds {clock(tod)} op "
                   f"{long_date(day, 'nl')}, terwijl de bewoner thuis is (op dit tijdstip is de langste stille "
                   f"periode gewoonlijk {duration(typical, 'nl')}; {learnt(ref, 'nl')}). De sensoren melden zich "
                   "normaal, dus dit is geen sensorstoring. Neem contact op met de bewoner."),
        }
        alerts.append(make_alert(
            day=day, start=start, end=raised, raised=raised, indicator="inactivity",
            severity="amber" if partner else "red", score=threshold / max(typical, 1.0),
            observed=threshold, expected=typical, low=0.0, high=threshold, unit="min", baseline=baseline,
            sensors=sensors_at(devices, raised), explanation=with_note(text, adjustment)))
    return alerts


def night_exit_alerts(prep: Prepared, first: date, last: date, baselines: dict[date, Baseline],
                      periods: list[tuple[int, int]], pet: bool = False) -> list[dict[str, Any]]:
    """One alert per night (00:00-05:00) in which the resident went out through an exterior door."""
    arr = prep.arr
    seen: set[date] = set()
    alerts = []
    for i in night_exit_indices(arr, pet):
        night = date.fromordinal(date(1970, 1, 1).toordinal() + int(arr.wall[i] // NS_PER_DAY))
        if night < first or night > last or night in seen:
            continue
        t = int(arr.t[i])
        if in_periods(periods, t - NS_PER_HOUR, t + 1):
            continue
        seen.add(night)
        # The baseline of the previous date: everything it learnt from lies before this night began.
        baseline = baselines.get(date.fromordinal(night.toordinal() - 1))
        params = baseline.usable("night_exits") if baseline is not None else None
        tod = (int(arr.wall[i]) - day_ordinal(night) * NS_PER_DAY) / NS_PER_MIN
        door_devs = [s for s in prep.states.values() if s.device == arr.device[i]]
        if params is None or baseline is None or baseline.days < MIN_DAYS:
            severity, rate, usual_en, usual_nl = "info", None, (
                "there is too little history yet to say whether this is usual"), (
                "er zijn nog te weinig gegevens om te zeggen of dit gewoon is")
        else:
            rate = params["rate"]
            severity = "info" if rate > NIGHT_EXIT_ROUTINE_RATE else "amber"
            k, n = round(rate * params["n"]), params["n"]
            ref = {"from": baseline.fitted_on[0].isoformat(), "to": baseline.fitted_on[1].isoformat(),
                   "days": baseline.days}
            usual_en = f"this happened in {k} of {n} earlier nights; {learnt(ref, 'en')}"
            usual_nl = f"dit gebeurde in {k} van {n} eerdere nachten; {learnt(ref, 'nl')}"
        text = {
            "en": (f"The front door was opened at {clock(tod)} in the night to {long_date(night, 'en')}, shortly "
                   f"after activity indoors: the resident seems to have gone out at night ({usual_en})."),
            "nl": (f"De voordeur is om {clock(tod)} geopend in de nacht naar {long_date(night, 'nl')}, kort na "
                   f"activiteit binnen: de bewoner lijkt 's nachts naar buiten te zijn gegaan ({usual_nl})."),
        }
        alerts.append(make_alert(
            day=night, start=t, end=t, raised=t, indicator="night_exit", severity=severity,
            score=1.0 - (rate or 0.0), observed=1.0, expected=rate, low=0.0, high=0.0, unit="exits",
            baseline=baseline, sensors=sensors_at(door_devs, t), explanation=text))
    return alerts


def _interval_text(seconds: int, lang: str) -> str:
    hours = seconds / 3600
    if hours <= 1:
        return "uur" if lang == "nl" else "hour"
    return f"{hours:g} uur" if lang == "nl" else f"{hours:g} hours"


def sensor_offline_alerts(prep: Prepared, w0: int, w1: int, baselines: dict[date, Baseline]) -> list[dict[str, Any]]:
    """One alert per outage whose threshold passes in [w0, w1) while the rest of the home still reports."""
    t = prep.arr.t
    alerts = []
    for state in prep.states.values():
        for start, end in zip(state.outage_start, state.outage_end, strict=True):
            raised = int(start) + state.threshold_ns
            if not (w0 <= raised < w1) or raised > prep.data_end or int(end) <= raised:
                continue
            lo, hi = np.searchsorted(t, raised - ALIVE_WINDOW, "left"), np.searchsorted(t, raised, "right")
            if hi <= lo:
                continue  # nothing from anyone: the gateway or broker is down, not this sensor
            alerts.append(_offline_alert(state, int(start), raised, baselines))
    return alerts


def _offline_alert(state: DeviceState, start: int, raised: int, baselines: dict[date, Baseline]) -> dict[str, Any]:
    day = day_of(ns_to_datetime(raised))
    since = ns_to_datetime(start)
    local = since.astimezone(TZ)
    since_day = local.date()
    tod = local.hour * 60 + local.minute
    room_en, room_nl = ROOMS_EN.get(state.room, state.room), ROOMS_NL.get(state.room, state.room)
    text = {
        "en": (f"Sensor {state.device} ({room_en}) has sent nothing since {clock(tod)} on "
               f"{long_date(since_day, 'en')}, not even its regular sign of life (it normally reports at least every "
               f"{_interval_text(state.report_interval_s, 'en')}). Activity alerts for the {room_en} are held back "
               "until it reports again, so a dead sensor is not mistaken for an empty room. Please check its "
               "battery and connection."),
        "nl": (f"Sensor {state.device} ({room_nl}) heeft sinds {clock(tod)} op {long_date(since_day, 'nl')} niets "
               f"meer gestuurd, ook geen teken van leven (normaal meldt hij zich minstens elk "
               f"{_interval_text(state.report_interval_s, 'nl')}). Activiteitsmeldingen voor de {room_nl} worden "
               "achtergehouden tot hij weer meldt, zodat een kapotte sensor niet voor een lege kamer wordt "
               "aangezien. Controleer de batterij en de verbinding."),
    }
    silent_h = (raised - start) / NS_PER_HOUR
    return make_alert(
        day=day, start=start, end=raised, raised=raised, indicator="sensor_offline", severity="amber",
        score=silent_h / max(state.report_interval_s / 3600, 1e-9), observed=silent_h,
        expected=state.report_interval_s / 3600, low=0.0, high=state.threshold_ns / NS_PER_HOUR, unit="h",
        baseline=baselines.get(day), sensors=[{"device": state.device, "room": state.room, "healthy": False}],
        explanation=text)

