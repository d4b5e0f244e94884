"""``analyse``: the strict online replay behind the ``analyse`` command (and the detection backtest).

Raw events are turned into arrays, device health and the daily feature table once (O(events)); then
every 04:00-04:00 day from ``first_day`` to ``last_day`` is visited in order. For day d the baseline is
refitted from the feature table of the days before d (already-alerted days left out), day d is scored,
and the real-time rules for d run. An alert only uses data up to its ``raised_at``: the night's features
(from going to bed until waking up) and wake-up are raised as soon as the wake-up time is certain (at
16:00 when it was not seen), the rest of the day at 04:00 the next morning.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd

from ..events import EXTERIOR_DOORS
from .alerts import make_alert, sensors_at
from .baseline import MIN_DAYS, Baseline, fit_baseline
from .calibration import Adjustment, calibrate, with_note
from .context import ResidentContext
from .detect import SPECS, Spec, Verdict, Window, band, score
from .explain import clock, explain_daily, explain_not_up, number
from .features import WAKE_LATEST_MIN, Prepared, compute_features, feature_days, prepare
from .frame import NS_PER_MIN, local_ns
from .health import DeviceState, activity_devices, degraded
from .hygiene import SHOWER_PLACEMENTS
from .not_up import not_up_from
from .realtime import in_periods, inactivity_alerts, night_exit_alerts, sensor_offline_alerts
from .trends import CUSUM_H, Cusum, climate_issue, run_text, run_verdict, zero_run

AWAY_SHARE = 0.5


def _ns(ts: datetime) -> int:
    return round(ts.timestamp() * 1e9)


class _Replay:
    """The state of one replay; kept in a class only so the steps can share it."""

    def __init__(self, prep: Prepared, feats: pd.DataFrame, context: ResidentContext, until: int | None = None) -> None:
        self.prep, self.feats, self.context = prep, feats, context
        self.until = until  # ns UTC: alerts raised later are not worked out (see ``analyse``)
        self.periods = [(_ns(p.start), _ns(p.end)) for p in context.periods]
        self.partner = context.household == "partner"
        self.alerted: set[date] = set()
        self.alerted_by: dict[str, set[date]] = {}
        self.baselines: dict[date, Baseline] = {}
        self.cusum = Cusum()
        self.open_runs: dict[str, date] = {}
        self.adjustments: dict[date, dict[str, Adjustment]] = {}

    def adjustment(self, indicator: str, day: date) -> Adjustment | None:
        """Feedback calibration of ``indicator`` for scoring ``day`` (None: the default threshold)."""
        if not self.context.labels:
            return None
        if day not in self.adjustments:
            self.adjustments[day] = calibrate(self.context.labels, day)
        return self.adjustments[day].get(indicator)

    def baseline(self, day: date) -> Baseline:
        if day not in self.baselines:
            self.baselines[day] = fit_baseline(self.feats, self.context, day, frozenset(self.alerted), lazy=True)
        return self.baselines[day]

    def devices(self, rooms: frozenset[str] | None, by: int) -> list[DeviceState]:
        return activity_devices(self.prep.states, rooms, by)

    def suppressed(self, devices: list[DeviceState], start: int, end: int, raised: int) -> bool:
        """Context period, a sensor that was silent too long, or the resident away most of the window."""
        if not devices or in_periods(self.periods, start, end) or degraded(devices, start, end, raised):
            return True
        cut = min(end, raised)
        a_s, a_e = self.prep.away_start, np.minimum(self.prep.away_end, raised)
        away = np.clip(np.minimum(a_e, cut) - np.maximum(a_s, start), 0, None).sum()
        return bool(away > AWAY_SHARE * (cut - start))

    def later(self, raised: int) -> bool:
        """True when an alert raised at ``raised`` comes after ``until``: the caller would drop it."""
        return self.until is not None and raised > self.until

    def value(self, column: str, day: date) -> float:
        key = pd.Timestamp(day)
        return float(self.feats.at[key, column]) if key in self.feats.index else math.nan

    def record(self, alerts: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for a in alerts:
            if a["severity"] in ("amber", "red"):
                d = date.fromisoformat(a["date"])
                self.alerted.add(d)
                self.alerted_by.setdefault(a["indicator"], set()).add(d)
        return alerts


def _window(spec: Spec, day: date, days: int, known: float = math.nan) -> tuple[int, int, int]:
    """(start, end, raised_at) in ns UTC of a spec's window ending on ``day`` and spanning ``days`` days.

    ``known``: when ``day``'s wake-up time became certain (minutes after its midnight; the feature
    ``wake_known``): the night and the morning end, and are raised, then; without it at 16:00, the latest
    waking the features look for.
    """
    first = day - timedelta(days=days - 1)
    end = local_ns(day, known if math.isfinite(known) else WAKE_LATEST_MIN)
    if spec.window == "sleep":  # from the evening before to the wake-up
        return local_ns(first - timedelta(days=1), 19 * 60), end, end
    if spec.window == "morning":
        return local_ns(first, 240), end, end
    start = local_ns(first, 19 * 60) if spec.indicator == "bed_time" else local_ns(first, 240)
    return start, local_ns(day + timedelta(days=1), 240), local_ns(day + timedelta(days=1), 240)


def _fmt(spec: Spec, x: float, lang: str, mean: bool) -> str:
    if spec.unit == "min":
        return clock(x)
    if spec.unit == "h" or spec.log:
        return number(x, lang, 1)
    return number(x, lang, 1 if mean else 0)


def _several_days(rp: _Replay, spec: Spec, day: date, k: int) -> Window | None:
    """The ``k`` days ending on ``day`` as one window, judged against the baseline from before the first.

    None when an earlier day is unknown, not to be learnt from, or already alerted on this indicator
    (that change was raised; it should not be raised again as part of a longer one).
    """
    days = [day - timedelta(days=j) for j in range(k - 1, -1, -1)]
    values = [rp.value(spec.column, d) for d in days]
    for d, v in zip(days[:-1], values[:-1], strict=True):
        if (pd.Timestamp(d) not in rp.feats.index or not math.isfinite(v)
                or bool(rp.feats.at[pd.Timestamp(d), "excluded"])
                or d in rp.alerted_by.get(spec.indicator, set())):
            return None
    b = rp.baseline(days[0])
    params = b.usable(spec.column)
    if params is None or b.days < MIN_DAYS:
        return None
    return Window(values, [d.weekday() >= 5 for d in days], params)


def _daily(rp: _Replay, spec: Spec, day: date) -> list[dict[str, Any]]:
    known = rp.value("wake_known", day)
    if spec.indicator == "wake_time" and day not in rp.alerted_by.get(spec.indicator, set()):
        early = _not_up_yet(rp, spec, day, known)
        if early is not None:
            return early
    # One alert per indicator and day, even when two of its tests (count and pace) would raise one.
    if rp.later(_window(spec, day, 1, known)[2]) or day in rp.alerted_by.get(spec.indicator, set()):
        return []
    b = rp.baseline(day)
    # A spec without a single-day test needs only the baselines of its windows (a fit saved per day).
    params = b.usable(spec.column) if spec.single_day else None
    today = rp.value(spec.column, day)
    if (spec.single_day and params is None) or b.days < MIN_DAYS or not math.isfinite(today):
        return []
    start, end, raised = _window(spec, day, 1, known)
    devices = rp.devices(spec.rooms, raised)
    if rp.suppressed(devices, start, end, raised):
        return []
    windows = [w for k in spec.windows if (w := _several_days(rp, spec, day, k)) is not None]
    adjustment = rp.adjustment(spec.indicator, day)
    verdict = score(spec, today, day.weekday() >= 5, params, windows, rp.partner,
                    adjustment.p_factor() if adjustment else 1.0)
    if verdict is None:
        return []
    return [_day_alert(rp, spec, day, verdict, start, end, raised, devices, adjustment, known)]


def _day_alert(rp: _Replay, spec: Spec, day: date, verdict: Verdict, start: int, end: int, raised: int,
               devices: list[DeviceState], adjustment: Adjustment | None, known: float,
               not_up: bool = False) -> dict[str, Any]:
    """The ALERT of a day-based verdict; ``not_up``: raised while the resident was not up yet."""
    b = rp.baseline(day)
    if verdict.window > 1:
        start = _window(spec, day, verdict.window, known)[0]
        b = rp.baseline(day - timedelta(days=verdict.window - 1))  # the baseline the window was judged by
    mean = verdict.window > 1
    rooms = sorted(spec.rooms) if spec.rooms else []
    sensors = sensors_at(devices, raised)
    healthy = all(s["healthy"] for s in sensors)
    extra = {"more_en": "Longer" if verdict.direction == "high" else "Shorter",
             "more_nl": "Langer" if verdict.direction == "high" else "Korter"}
    ref = {"from": b.fitted_on[0].isoformat(), "to": b.fitted_on[1].isoformat(), "days": b.days}
    observed, expected, low, high = verdict.observed, verdict.expected, verdict.low, verdict.high
    if not_up:  # what is known is today's lower bound; the usual range is today's
        observed = (raised - local_ns(day, 0)) / NS_PER_MIN
        expected, low, high = band(spec, b.usable(spec.column) or {}, day.weekday() >= 5)
    shown = {lang: (_fmt(spec, observed, lang, mean and not not_up), _fmt(spec, low, lang, False),
                    _fmt(spec, high, lang, False)) for lang in ("en", "nl")}
    if not_up:
        text = explain_not_up(day, verdict.window, shown, ref, healthy)
    else:
        text = explain_daily(spec.column, day, verdict.window, shown, ref, rooms, healthy, extra)
    return make_alert(
        day=day, start=start, end=end, raised=raised, indicator=spec.indicator, severity=verdict.severity,
        score=verdict.score, observed=observed, expected=expected, low=low,
        high=high, unit=spec.unit, baseline=b, sensors=sensors,
        explanation=with_note(text, adjustment))


def _not_up_yet(rp: _Replay, spec: Spec, day: date, known: float) -> list[dict[str, Any]] | None:
    """The wake-time alert raised while the resident is still not up (``not_up``), [] when it is due
    after ``until``, or None: no such alert (the ordinary test at the wake-up then decides).

    The earliest minute m at which a wake-up at m or later would already be an alert is found by
    bisection (the tests only get more certain as the wake-up gets later); from m on, the first moment
    the resident is known not to be up yet is when it is raised.
    """
    b = rp.baseline(day)
    params = b.usable(spec.column)
    if params is None or b.days < MIN_DAYS:
        return None
    windows = [w for k in spec.windows if (w := _several_days(rp, spec, day, k)) is not None]
    adjustment = rp.adjustment(spec.indicator, day)
    strictness = adjustment.p_factor() if adjustment else 1.0
    weekend = day.weekday() >= 5

    def verdict_at(minute: int) -> Verdict | None:
        at = [Window([*w.values[:-1], float(minute)], w.weekends, w.params) for w in windows]
        return score(spec, float(minute), weekend, params, at, rp.partner, strictness)

    lo, hi = 4 * 60, WAKE_LATEST_MIN - 1
    # Up before the earliest wake-up worth an alert could be: no need to look (online: ``known`` has passed).
    if verdict_at(hi) is None or (math.isfinite(known) and verdict_at(int(known)) is None):
        return None
    while lo < hi:
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if verdict_at(mid) is not None else (mid + 1, hi)
    w0 = local_ns(day, 240)
    raised = not_up_from(rp.prep.sleep, w0, local_ns(day, lo), local_ns(day, WAKE_LATEST_MIN))
    if raised is None:
        return None
    if rp.later(raised):
        return []
    devices = rp.devices(spec.rooms, raised)
    if rp.suppressed(devices, w0, raised, raised):
        return None
    verdict = verdict_at(math.ceil((raised - local_ns(day, 0)) / NS_PER_MIN))
    if verdict is None:  # cannot happen (later is only more unusual); kept as a guard, not an alert
        return None
    return [_day_alert(rp, spec, day, verdict, w0, raised, raised, devices, adjustment, known, not_up=True)]


def _runs(rp: _Replay, day: date) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    b = rp.baseline(day)
    end = local_ns(day + timedelta(days=1), 240)
    if rp.later(end):
        return out
    for feature, indicator in (("door_uses", "housebound"), ("showers", "hygiene")):
        k = zero_run(rp.feats, feature, day)
        if k == 0:
            rp.open_runs.pop(indicator, None)
            continue
        since = day - timedelta(days=k - 1)
        # Judge the run against the baseline from before it began, so it does not learn itself as normal.
        b = rp.baseline(since)
        params = b.usable(feature)
        if params is None or b.days < MIN_DAYS:
            continue
        adjustment = rp.adjustment(indicator, day)
        verdict = run_verdict(params, k, rp.partner, regular=indicator == "hygiene",
                              step=adjustment.step if adjustment else 0)
        if verdict is None or rp.open_runs.get(indicator) == since:
            continue
        if indicator == "housebound":
            devices = [s for s in rp.prep.states.values() if s.placement in EXTERIOR_DOORS and s.first_seen <= end]
        else:
            devices = [s for s in rp.prep.states.values() if s.first_seen <= end and (
                s.room == "bathroom" or s.placement in ("ventilation_unit", *SHOWER_PLACEMENTS))]
        if rp.suppressed(devices, local_ns(since, 240), end, end):
            continue
        rp.open_runs[indicator] = since
        severity, p = verdict
        out.append(make_alert(
            day=day, start=local_ns(since, 240), end=end, raised=end, indicator=indicator, severity=severity,
            score=-math.log10(p), observed=float(k), expected=float(params["max_run"]), low=0.0,
            high=float(params["max_run"]), unit="days", baseline=b, sensors=sensors_at(devices, end),
            explanation=with_note(run_text(indicator, k, since, params["max_run"], b), adjustment)))
    return out


def _decline(rp: _Replay, day: date) -> list[dict[str, Any]]:
    measures = {m: rp.value(m, day) for m in ("total_activity", "activity_pace")}
    start, end = local_ns(day, 240), local_ns(day + timedelta(days=1), 240)
    if rp.later(end):
        return []
    devices = rp.devices(None, end)
    if not math.isfinite(measures["total_activity"]) or rp.suppressed(devices, start, end, end):
        return []
    b = rp.baseline(day)
    adjustment = rp.adjustment("gradual_decline", day)
    h = CUSUM_H * (adjustment.cusum_factor() if adjustment else 1.0)
    if not rp.cusum.update(day, measures, b.usable("activity_level") if b.days >= MIN_DAYS else None, h):
        return []
    pace = rp.cusum.measure == "activity_pace"
    return [make_alert(
        day=day, start=local_ns(rp.cusum.start or day, 240), end=end, raised=end, indicator="gradual_decline",
        severity="amber", score=rp.cusum.s, observed=sum(rp.cusum.values) / len(rp.cusum.values),
        expected=rp.cusum.usual(), low=rp.cusum.usual(-1.645), high=rp.cusum.usual(1.645),
        unit="events per active quarter-hour" if pace else "events", baseline=b,
        sensors=sensors_at(devices, end), explanation=with_note(rp.cusum.text(b), adjustment))]


def _climate(rp: _Replay, day: date) -> list[dict[str, Any]]:
    if rp.later(local_ns(day + timedelta(days=1), 240)):
        return []
    issue = climate_issue(rp.value("temperature", day), rp.value("co2", day))
    if issue is None or climate_issue(rp.value("temperature", day - timedelta(days=1)),
                                      rp.value("co2", day - timedelta(days=1))) is not None:
        return []
    observed, text, unit = issue
    start, end = local_ns(day, 240), local_ns(day + timedelta(days=1), 240)
    devices = [s for s in rp.prep.states.values() if s.first_seen <= end and s.room != "bathroom"]
    return [make_alert(
        day=day, start=start, end=end, raised=end, indicator="indoor_climate", severity="info", score=0.0,
        observed=observed, expected=None, low=None, high=None, unit=unit, baseline=rp.baseline(day),
        sensors=sensors_at([d for d in devices if d.first_active > end], end), explanation=text)]


def analyse(events: pd.DataFrame, context: ResidentContext, first_day: date, last_day: date,
            progress: Callable[[int, int], None] | None = None,
            until: datetime | None = None) -> list[dict[str, Any]]:
    """Replay days ``first_day``..``last_day`` in strict online order; ALERT dicts sorted by raised_at.

    ``until`` (the nightly job's "now"): day alerts that would be raised after it are not worked out,
    which saves their baseline fits. Every alert raised by ``until`` is exactly as without it (what an
    alert depends on is raised no later than the alert itself, strict online), and the caller keeps
    only those; a few real-time alerts raised later may still be returned.
    """
    if last_day < first_day:
        raise ValueError(f"last_day {last_day} is before first_day {first_day}")
    prep = prepare(events, context, learn_until=local_ns(first_day, 240))
    span = feature_days(prep)
    if span is None:
        return []
    feats = compute_features(prep, context, min(span[0], first_day), last_day)
    return replay(prep, feats, context, first_day, last_day, progress, until)


def replay(prep: Prepared, feats: pd.DataFrame, context: ResidentContext, first_day: date, last_day: date,
           progress: Callable[[int, int], None] | None = None,
           until: datetime | None = None, baselines: dict[date, Baseline] | None = None) -> list[dict[str, Any]]:
    """The replay of ``analyse`` on events already prepared and the daily feature table already made.

    The nightly job calls it with the stored features of earlier days and ``prep`` of a recent window
    of events (``features.prepare`` with a ``DeviceHistory``); ``analyse`` with everything from raw events.
    ``baselines``: filled with the baseline fitted for each day replayed (to be kept by the caller).
    """
    rp = _Replay(prep, feats, context, None if until is None else _ns(until))
    days = [first_day + timedelta(days=i) for i in range((last_day - first_day).days + 1)]
    alerts: list[dict[str, Any]] = []
    for i, day in enumerate(days):
        rp.baseline(day)
        for spec in SPECS:
            alerts += rp.record(_daily(rp, spec, day))
        alerts += rp.record(_runs(rp, day))
        alerts += rp.record(inactivity_alerts(prep, day, rp.baselines[day], rp.periods, rp.partner,
                                              rp.adjustment("inactivity", day)))
        alerts += rp.record(_decline(rp, day))
        alerts += _climate(rp, day)
        if progress is not None:
            progress(i + 1, len(days))
    rp.baseline(first_day - timedelta(days=1))
    alerts += night_exit_alerts(prep, first_day, last_day, rp.baselines, rp.periods, context.pet)
    alerts += sensor_offline_alerts(prep, local_ns(first_day, 240), local_ns(last_day + timedelta(days=1), 240),
                                    rp.baselines)
    if baselines is not None:
        baselines.update(rp.baselines)
    return sorted(alerts, key=lambda a: (datetime.fromisoformat(a["raised_at"]), a["indicator"]))
