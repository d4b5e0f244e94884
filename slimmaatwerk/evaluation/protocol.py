"""The evaluation protocol of DESIGN.md ("Detection quality: how it is judged"), as plain cases.

A *case* is one simulated event stream that is replayed through ``analytics.analyse``:

* **injected** cases: a resident's stream with exactly one anomaly (A1, A3, B-K, S) injected into the
  raw events. Its start day is drawn uniformly from day 15 onward (0-based day index >= 14, so the
  detector has had exactly 14 days to learn) and early enough that the anomaly and its detection
  deadline fit in the stream. A type is only injected into homes whose sensor kit can see it (a home
  without a front-door contact cannot show a night exit or being housebound; REALISM.md: some real
  homes have none), and the report says so.
* **false-alarm** cases: separate streams without any injection, under one of the no-alert
  conditions: ``untouched`` (no visitors either), ``visitors`` (the resident's usual visitors: a second
  person in living room and kitchen), ``pet`` (a pet declared at commissioning, triggering motion
  sensors day and night) and ``absence`` (a 3-7 day absence announced in the context calendar).

Everything is a pure function of the seeds and sizes: the same command gives the same cases.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np

from ..simulate import ANOMALIES, DEFAULT_START
from ..simulate.household import build_kit

LEARN_DAYS = 14
TYPES: tuple[str, ...] = tuple(ANOMALIES)  # A1, A3, B, ..., K, S
CONDITIONS: tuple[str, ...] = ("untouched", "visitors", "pet", "absence")
# Days after the last affected day the replay must still cover (the deadline is the end of the day after).
TAIL_DAYS = 2
_PROTOCOL_SALT = 7_919


@dataclass(frozen=True)
class Case:
    """One stream to simulate and replay."""

    seed: int
    home: int
    days: int
    start: date
    condition: str  # "injected" or one of CONDITIONS
    type: str | None = None  # anomaly type for injected cases
    inject_day: int | None = None  # 0-based day index of the injection start

    @property
    def key(self) -> str:
        what = f"{self.type}@{self.inject_day}" if self.type else self.condition
        return f"s{self.seed}-h{self.home:02d}-{what}"

    @property
    def first_day(self) -> date:
        """The first replayed (scored) day: the days before it are history only."""
        return self.start + timedelta(days=LEARN_DAYS)

    @property
    def last_day(self) -> date:
        """The last replayed day: the whole stream, or (injected) the detection deadline + one day."""
        final = self.start + timedelta(days=self.days - 1)
        if self.type is None or self.inject_day is None:
            return final
        span = affected_days(self.type)
        night = 1 if ANOMALIES[self.type].night else 0
        needed = self.start + timedelta(days=self.inject_day + max(span, 1) - 1 + night + TAIL_DAYS)
        return min(final, needed)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["start"] = self.start.isoformat()
        out["key"] = self.key
        return out


def affected_days(kind: str) -> int:
    """How many days (or nights) an anomaly of this type lasts by default."""
    return ANOMALIES[kind].days


def observable(kind: str, kit: set[str]) -> bool:
    """Whether a home with these devices can show the anomaly at all."""
    if kind in ("F", "H"):
        return "front_door" in kit
    if kind in ("A1", "A3"):
        return bool(kit & {"kitchen_motion", "fridge_door"})
    if kind == "I":
        return "bathroom_climate" in kit
    if kind == "C":
        return bool(kit & {"toilet_motion", "toilet_door"})
    return True


def latest_start(kind: str, days: int) -> int:
    """The last 0-based start day that leaves room for the anomaly and its deadline in ``days`` days."""
    night = 1 if ANOMALIES[kind].night else 0
    return days - max(affected_days(kind), 1) - night - TAIL_DAYS


@dataclass(frozen=True)
class Config:
    """The sizes of an evaluation run."""

    seeds: tuple[int, ...] = (1, 2, 3)
    homes: int = 10  # residents per seed
    days: int = 120
    repeats: int = 4  # injections of every type per seed
    start: date = DEFAULT_START

    def __post_init__(self) -> None:
        if not self.seeds:
            raise ValueError("at least one seed is needed")
        if self.homes < 1 or self.repeats < 1:
            raise ValueError("homes and repeats must be at least 1")
        need = LEARN_DAYS + max(latest_start_margin(k) for k in TYPES) + 1
        if self.days < need:
            raise ValueError(f"days must be at least {need} so every anomaly fits after {LEARN_DAYS} learning days")

    def to_dict(self) -> dict[str, Any]:
        return {"seeds": list(self.seeds), "homes": self.homes, "days": self.days, "repeats": self.repeats,
                "start": self.start.isoformat(), "learn_days": LEARN_DAYS, "types": list(TYPES),
                "conditions": list(CONDITIONS)}


def latest_start_margin(kind: str) -> int:
    night = 1 if ANOMALIES[kind].night else 0
    return max(affected_days(kind), 1) + night + TAIL_DAYS


def build_cases(config: Config) -> list[Case]:
    """All cases of a run: per seed, one false-alarm stream per resident and ``repeats`` x every type.

    Conditions rotate over residents (shifted per seed, so a condition is not tied to one kit variant);
    types are dealt to residents round-robin from a seeded shuffle, skipping homes that cannot see them.
    """
    cases: list[Case] = []
    for seed in config.seeds:
        rng = np.random.default_rng([seed, _PROTOCOL_SALT])
        kits = [{d.device for d in build_kit(h, seed)} for h in range(config.homes)]
        for home in range(config.homes):
            condition = CONDITIONS[(home + seed) % len(CONDITIONS)]
            cases.append(Case(seed, home, config.days, config.start, condition))
        slot = int(rng.integers(config.homes))
        for _ in range(config.repeats):
            for kind in [TYPES[i] for i in rng.permutation(len(TYPES))]:
                home = _next_home(kits, kind, slot)
                slot = (home + 1) % config.homes
                if home < 0:
                    continue
                day = int(rng.integers(LEARN_DAYS, latest_start(kind, config.days) + 1))
                cases.append(Case(seed, home, config.days, config.start, "injected", kind, day))
    return cases


def _next_home(kits: list[set[str]], kind: str, slot: int) -> int:
    n = len(kits)
    for k in range(n):
        home = (slot + k) % n
        if observable(kind, kits[home]):
            return home
    return -1


def resident_months(days: int) -> float:
    """Scored days expressed in months of 365.25 / 12 days."""
    return days / (365.25 / 12)


def describe(config: Config) -> str:
    """One line for progress output."""
    per_seed = config.homes + config.repeats * len(TYPES)
    return (f"{len(config.seeds)} seed(s) x ({config.homes} false-alarm streams + {config.repeats} x "
            f"{len(TYPES)} injected) = about {len(config.seeds) * per_seed} streams of {config.days} days; "
            f"{math.ceil(resident_months(config.days - LEARN_DAYS) * config.homes * len(config.seeds))} "
            "false-alarm resident-months")
