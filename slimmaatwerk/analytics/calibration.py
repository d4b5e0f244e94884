"""Feedback calibration: coordinators' outcome labels move one resident's alert thresholds (issue 4.5).

A pure function: the labels a resident's alerts received (indicator, alert date, outcome) and the day
being scored in, per indicator a bounded *strictness step* out. The replay turns a step into a stricter
threshold for that indicator and that resident only (``STEP_P_FACTOR``, ``STEP_GAP_MIN``,
``STEP_CUSUM_H``) and says so in the alert's explanation.

How labels count, per indicator, over the alerts dated in the ``WINDOW_DAYS`` before the scored day:

* ``false_other`` counts fully: the indicator alarmed on something that was nothing for this resident,
  so their usual range is wider than the model thinks. This is what calibration is for.
* ``false_visitor`` counts half: a visit explains the deviation, and the better remedy is to enter
  visits in the context calendar (which pauses alerts); but a resident with frequent unannounced
  visitors does make the indicator less telling, so repeated visitor labels tighten it slowly.
* ``false_sensor`` does not count: a faulty or misplaced sensor is a device problem (sensor health and
  the device screen deal with it); tightening the indicator would hide real changes once it is fixed.
* ``true`` cancels one false label: an indicator that finds real problems for this resident keeps its
  threshold. It never relaxes a threshold below the default, which is set for the whole population's
  false-alarm budget; a few labels are too little evidence to alarm more often.

``BUDGET`` false alarms per indicator per window are accepted without change (about one a month over
all indicators, DESIGN.md's budget). Each further weighted false label is one step, at most
``MAX_STEP``, so labels can make an indicator stricter but never switch it off. ``night_exit`` and
``sensor_offline`` are not calibrated: a door opened at night or a sensor that sends nothing is a fact,
not a threshold.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from .explain import number

WINDOW_DAYS = 90
BUDGET = 1.0
MAX_STEP = 3
WEIGHTS: dict[str, float] = {"false_other": 1.0, "false_visitor": 0.5, "false_sensor": 0.0, "true": -1.0}
NOT_CALIBRATED: frozenset[str] = frozenset({"night_exit", "sensor_offline"})
# What one step does to each kind of threshold.
STEP_P_FACTOR = 0.1  # p-value thresholds (day indicators, runs): ten times stricter per step
STEP_GAP_MIN = 30.0  # long-lie threshold: half an hour longer per step (at most 90 minutes)
STEP_CUSUM_H = 0.5  # gradual decline: the CUSUM alarm line 50 % higher per step


@dataclass(frozen=True)
class AlertLabel:
    """A coordinator's outcome on one stored alert."""

    indicator: str
    day: date  # the alert's date
    label: str  # true | false_visitor | false_sensor | false_other

    def __post_init__(self) -> None:
        if self.label not in WEIGHTS:
            raise ValueError(f"label must be one of {sorted(WEIGHTS)}, not {self.label!r}")


@dataclass(frozen=True)
class Adjustment:
    """How much stricter one indicator is for one resident, and the labels behind it."""

    indicator: str
    step: int
    false_labels: int  # alerts marked false for a reason that counts (other, visitor) in the window
    true_labels: int

    def p_factor(self) -> float:
        return STEP_P_FACTOR**self.step

    def gap_minutes(self) -> float:
        return STEP_GAP_MIN * self.step

    def cusum_factor(self) -> float:
        return 1.0 + STEP_CUSUM_H * self.step

    def text(self) -> dict[str, str]:
        """The sentence added to an alert's explanation."""
        n = self.false_labels
        alerts_en = "alert" if n == 1 else "alerts"
        meldingen = "melding" if n == 1 else "meldingen"
        return {
            "en": (f"The threshold for this resident was raised after {number(n, 'en')} earlier {alerts_en} of this "
                   f"kind were marked false in the last {WINDOW_DAYS} days."),
            "nl": (f"De drempel voor deze bewoner is verhoogd omdat {number(n, 'nl')} eerdere {meldingen} van deze "
                   f"soort in de afgelopen {WINDOW_DAYS} dagen als onterecht zijn gemarkeerd."),
        }


def calibrate(labels: Iterable[AlertLabel], day: date) -> dict[str, Adjustment]:
    """Per indicator with a step above 0: its adjustment for scoring ``day`` (labels of the window before it)."""
    since = day - timedelta(days=WINDOW_DAYS)
    weight: dict[str, float] = {}
    false: dict[str, int] = {}
    true: dict[str, int] = {}
    for item in labels:
        if item.indicator in NOT_CALIBRATED or not since <= item.day < day:
            continue
        weight[item.indicator] = weight.get(item.indicator, 0.0) + WEIGHTS[item.label]
        if item.label == "true":
            true[item.indicator] = true.get(item.indicator, 0) + 1
        elif WEIGHTS[item.label] > 0:
            false[item.indicator] = false.get(item.indicator, 0) + 1
    out = {}
    for indicator, w in weight.items():
        step = min(MAX_STEP, math.floor(w - BUDGET + 1e-9)) if w > BUDGET else 0
        if step > 0:
            out[indicator] = Adjustment(indicator, step, false.get(indicator, 0), true.get(indicator, 0))
    return out


def with_note(explanation: dict[str, str], adjustment: Adjustment | None) -> dict[str, str]:
    """The explanation with the calibration sentence appended when a step applies."""
    if adjustment is None:
        return explanation
    note = adjustment.text()
    return {lang: f"{text} {note[lang]}" for lang, text in explanation.items()}
