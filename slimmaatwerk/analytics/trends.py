"""Rules over several days: runs of days without going out or showering, slow decline, indoor climate.

* ``housebound`` / ``hygiene``: a run of k days without front-door use (or shower) is flagged when it is
  longer than any run in the baseline and its chance under the resident's own daily rate, p0**k, is
  below the alert level; showers follow a schedule, so for ``hygiene`` a run ``RUN_MARGIN`` days longer
  than the longest one in the baseline is flagged as well. One alert per run.
* ``gradual_decline``: a lower-sided Page CUSUM on daily z-scores of the log activity measure of the
  baseline (the pace of activity, or the daily total in a home without motion sensors). The reference
  level is frozen while the CUSUM is above zero, so a slow decline is not absorbed by the refitted
  baseline. A day's z-score counts at most ``DAY_CAP`` spreads: one very quiet day (unwell, a day in
  the chair) is a day-level matter and must not carry a drift alarm on its own, which lets the alarm
  line be lower for the same false-alarm rate. One alert per excursion.
* ``indoor_climate``: an ``info`` note when the home is cold, hot or stuffy (fixed comfort limits).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pandas as pd

from .baseline import Baseline
from .calibration import STEP_P_FACTOR
from .detect import DAY_CAP, RED_P
from .explain import learnt, long_date, number

# One run test a day per indicator (not fifteen), and a run is tested once: a looser level than AMBER_P.
RUN_AMBER_P = 5e-3
RUN_MARGIN = 2
# The CUSUM looks for a drift to a quarter less activity: its reference value is half that change in
# the resident's own spreads (the textbook k = delta / 2), within sensible bounds.
DECLINE_OF_INTEREST = math.log(1 / 0.75)
CUSUM_K_BOUNDS = (0.25, 1.5)
CUSUM_H = 6.0
# A slow drift needs a steadier reference than the 14 days that suffice for day-to-day alerts.
CUSUM_MIN_DAYS = 21
COLD_C, HOT_C, STUFFY_PPM = 16.0, 28.0, 1500.0

RUN_TEXT = {
    "housebound": {
        "en": "Has not been out of the front door for {k} days, since {since} (at most {usual} days in a row is usual; {learnt}).",
        "nl": "Is al {k} dagen de voordeur niet uit geweest, sinds {since} (gewoonlijk hooguit {usual} dagen achter elkaar; {learnt}).",
    },
    "hygiene": {
        "en": "No shower or bath detected for {k} days, since {since} (at most {usual} days in a row without is usual; {learnt}).",
        "nl": "Al {k} dagen geen douche of bad gezien, sinds {since} (gewoonlijk hooguit {usual} dagen achter elkaar zonder; {learnt}).",
    },
}


def zero_run(feats: pd.DataFrame, column: str, day: date) -> int:
    """Consecutive usable days up to ``day`` on which ``column`` was zero."""
    k = 0
    d = day
    while True:
        key = pd.Timestamp(d)
        if key not in feats.index:
            return k
        row = feats.loc[key]
        value = row[column]
        if bool(row["excluded"]) or not math.isfinite(value) or value != 0:
            return k
        k += 1
        d -= timedelta(days=1)


def run_verdict(params: dict[str, Any], k: int, partner: bool, regular: bool = False,
                step: int = 0) -> tuple[str, float] | None:
    """(severity, p) for a run of k empty days, or None.

    ``regular``: the thing follows a schedule (showers: every day, every other day, twice a week), so
    days without it are not independent coin flips and p0**k understates how unusual a long run is.
    Then a run at least ``RUN_MARGIN`` days longer than the longest in the baseline window (and at least
    three days) is flagged too, amber only. ``step``: feedback calibration (each step ten times stricter
    and one day more margin).
    """
    if k < 2 or k <= params["max_run"]:
        return None
    p = params["p_zero"] ** k
    factor = STEP_P_FACTOR**step
    if p < RUN_AMBER_P * factor:
        return ("red" if p < RED_P * factor and not partner else "amber"), p
    if regular and k >= max(params["max_run"] + RUN_MARGIN + step, 3):
        return "amber", p
    return None


def run_text(indicator: str, k: int, since: date, usual: int, baseline: Baseline) -> dict[str, str]:
    ref = {"from": baseline.fitted_on[0].isoformat(), "to": baseline.fitted_on[1].isoformat(), "days": baseline.days}
    return {lang: RUN_TEXT[indicator][lang].format(k=k, since=long_date(since, lang), usual=usual,
                                                   learnt=learnt(ref, lang)) for lang in ("en", "nl")}


@dataclass
class Cusum:
    """Lower-sided Page CUSUM state of one resident's daily activity."""

    s: float = 0.0
    ref: dict[str, Any] | None = None
    start: date | None = None
    alarmed: bool = False
    values: list[float] = field(default_factory=list)

    def update(self, day: date, measures: dict[str, float], level: dict[str, Any] | None, h: float = CUSUM_H) -> bool:
        """Feed one day (its value of each activity measure); True when this day crosses the alarm line
        ``h`` for the first time in an excursion."""
        if self.s == 0.0:
            self.ref, self.start, self.values = level, day, []
        if self.ref is None or self.ref["n"] < CUSUM_MIN_DAYS:
            return False
        value = measures.get(self.measure, math.nan)
        if not math.isfinite(value) or (self.measure == "activity_pace" and value <= 0):
            return False
        z = max(-DAY_CAP, (_log(self.measure, value) - self.ref["log_mean"]) / self.ref["log_sd"])
        k = min(max(DECLINE_OF_INTEREST / 2 / self.ref["log_sd"], CUSUM_K_BOUNDS[0]), CUSUM_K_BOUNDS[1])
        self.s = max(0.0, self.s - z - k)
        self.values.append(value)
        if self.s == 0.0:
            self.alarmed = False
            return False
        if self.s > h and not self.alarmed:
            self.alarmed = True
            return True
        return False

    @property
    def measure(self) -> str:
        return str((self.ref or {}).get("measure", "total_activity"))

    def usual(self, shift_sd: float = 0.0) -> float:
        """The reference level (``shift_sd`` spreads away from it) on the measure's own scale."""
        assert self.ref is not None
        x = self.ref["log_mean"] + shift_sd * self.ref["log_sd"]
        return math.exp(x) if self.measure == "activity_pace" else math.expm1(x)

    def text(self, baseline: Baseline) -> dict[str, str]:
        ref = {"from": baseline.fitted_on[0].isoformat(), "to": baseline.fitted_on[1].isoformat(), "days": baseline.days}
        assert self.ref is not None and self.start is not None
        usual = self.usual()
        mean = sum(self.values) / len(self.values)
        n = len(self.values)
        digits = 1 if self.measure == "activity_pace" else 0
        what = DECLINE_MEASURE[self.measure]
        return {
            "en": (f"Activity in the home has been lower for {n} days, since {long_date(self.start, 'en')}: on average "
                   f"{number(mean, 'en', digits)} {what['en']} against a usual {number(usual, 'en', digits)} "
                   f"({learnt(ref, 'en')}). "
                   "A slow change like this is easy to miss day by day; a call or visit may be worthwhile. "
                   "All sensors reported normally, so this is not a sensor fault."),
            "nl": (f"De activiteit in huis is al {n} dagen lager, sinds {long_date(self.start, 'nl')}: gemiddeld "
                   f"{number(mean, 'nl', digits)} {what['nl']} tegen gewoonlijk {number(usual, 'nl', digits)} "
                   f"({learnt(ref, 'nl')}). Zo'n langzame verandering valt van dag tot dag nauwelijks op; een "
                   "telefoontje of bezoek kan zinvol zijn. Alle sensoren werkten normaal, dus dit is geen sensorstoring."),
        }


def _log(measure: str, value: float) -> float:
    return math.log(value) if measure == "activity_pace" else math.log1p(value)


DECLINE_MEASURE = {
    "total_activity": {"en": "sensor events a day", "nl": "sensormeldingen per dag"},
    "activity_pace": {"en": "sensor events per quarter of an hour with any activity",
                      "nl": "sensormeldingen per kwartier waarin iets gebeurde"},
}


def climate_issue(temperature: float, co2: float) -> tuple[float, dict[str, str], str] | None:
    """(observed, text, unit) when the home was cold, hot or stuffy that day."""
    if math.isfinite(temperature) and temperature < COLD_C:
        t_en, t_nl = number(temperature, "en", 1), number(temperature, "nl", 1)
        return temperature, {
            "en": f"The home was cold: {t_en} °C indoors on a typical moment of the day (comfortable is above {COLD_C:g} °C).",
            "nl": f"Het was koud in huis: {t_nl} °C binnen op een doorsnee moment van de dag (prettig is boven {COLD_C:g} °C).",
        }, "°C"
    if math.isfinite(temperature) and temperature > HOT_C:
        t_en, t_nl = number(temperature, "en", 1), number(temperature, "nl", 1)
        return temperature, {
            "en": f"The home was hot: {t_en} °C indoors on a typical moment of the day (above {HOT_C:g} °C is a health risk for older people).",
            "nl": f"Het was warm in huis: {t_nl} °C binnen op een doorsnee moment van de dag (boven {HOT_C:g} °C is dat een gezondheidsrisico voor ouderen).",
        }, "°C"
    if math.isfinite(co2) and co2 > STUFFY_PPM:
        return co2, {
            "en": f"The air indoors was stale: CO2 reached {number(co2, 'en')} ppm (above {STUFFY_PPM:g} ppm calls for ventilation).",
            "nl": f"De lucht binnen was bedompt: CO2 tot {number(co2, 'nl')} ppm (boven {STUFFY_PPM:g} ppm is ventileren nodig).",
        }, "ppm"
    return None
