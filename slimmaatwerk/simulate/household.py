"""Who lives in a simulated home and which sensor kit they have: seeds, names, kit and persona.

Everything here is a pure function of (seed, home index): the same inputs always give the same home.
Random streams come from ``numpy.random.SeedSequence`` spawn keys, never from ``hash()`` or the clock.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import InputError
from .model import SimDevice

# Spawn-key purposes, so that independent parts of a home never share a random stream.
P_PERSONA, P_PLAN, P_ACT, P_SENSOR, P_CLIMATE, P_INJECT, P_PET, P_NAME = range(8)

MODELS: dict[str, tuple[str, str]] = {
    # kind_family: (Zigbee2MQTT model, description)
    "motion": ("RTCGQ11LM", "Motion sensor"),
    "contact": ("MCCGQ11LM", "Door and window sensor"),
    "presence": ("RTCZCGQ11LM", "Presence sensor FP1"),
    "climate": ("WSDCGQ11LM", "Temperature, humidity and pressure sensor"),
}

# (device, kind_family, room, placement) of the full kit, in a fixed order (the order fixes IEEE ids).
FULL_KIT: tuple[tuple[str, str, str, str], ...] = (
    ("bedroom_motion", "motion", "bedroom", ""),
    ("bed_presence", "presence", "bedroom", "bed"),
    ("bedroom_door", "contact", "bedroom", "bedroom_door"),
    ("toilet_motion", "motion", "toilet", ""),
    ("toilet_door", "contact", "toilet", "toilet_door"),
    ("bathroom_motion", "motion", "bathroom", ""),
    ("bathroom_climate", "climate", "bathroom", ""),
    ("kitchen_motion", "motion", "kitchen", ""),
    ("fridge_door", "contact", "kitchen", "fridge"),
    ("living_motion", "motion", "living", ""),
    ("chair_presence", "presence", "living", "chair"),
    ("hall_motion", "motion", "hall", ""),
    ("front_door", "contact", "entrance", "front_door"),
)
PROFILES: tuple[str, ...] = ("standard", "full", "minimal", "motion_only")
_MINIMAL = frozenset(
    {"bed_presence", "toilet_motion", "kitchen_motion", "fridge_door", "living_motion", "front_door",
     "bathroom_climate"}
)

SURNAMES = (
    "de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder",
    "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra",
    "Smits", "de Graaf", "van der Meer", "Kok", "Jacobs", "de Haan", "Vermeulen", "van Dijk", "Schouten",
)
INITIALS = "ABCDEGHJKLMNPRTW"


def rng_for(seed: int, *keys: int) -> np.random.Generator:
    """An independent, reproducible stream for (seed, keys...)."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(entropy=seed, spawn_key=keys)))


def _absent_by_index(index: int) -> frozenset[str]:
    """Kits differ a lot between real homes (REALISM.md); vary them deterministically by home index."""
    missing: set[str] = set()
    if index % 6 == 5:
        missing.add("front_door")
    if index % 4 == 3:
        missing.add("chair_presence")
    if index % 5 == 2:
        missing.add("fridge_door")
    if index % 7 == 6:
        missing.add("bed_presence")
    if index % 8 == 4:
        missing.add("toilet_door")
    if index % 5 == 4:
        missing.add("bedroom_door")
    if index % 9 == 7:
        missing.add("bathroom_motion")
    return frozenset(missing)


def build_kit(index: int, seed: int, profile: str | None = None) -> list[SimDevice]:
    """The devices of home ``index``; ``profile`` overrides the by-index variation."""
    profile = profile or "standard"
    if profile not in PROFILES:
        raise InputError(f"unknown simulator profile {profile!r} (expected one of {', '.join(PROFILES)})")
    rng = rng_for(seed, index, P_SENSOR, 999)
    devices: list[SimDevice] = []
    for position, (name, family, room, placement) in enumerate(FULL_KIT):
        interval = int(rng.integers(3000, 3601))  # Aqara battery devices: every 50-60 min
        if family == "climate":
            interval = int(rng.integers(300, 601))  # temperature/humidity every 5-10 min
        if profile == "standard" and name in _absent_by_index(index):
            continue
        if profile == "minimal" and name not in _MINIMAL:
            continue
        if profile == "motion_only" and family not in ("motion", "climate"):
            continue
        ieee = f"0x00158d000{0x4a0000 + index * 0x40 + position:07x}"
        devices.append(SimDevice(name, family, room, placement, ieee, MODELS[family][0], "Aqara", interval))
    return devices


def resident_name(index: int, seed: int) -> str:
    rng = rng_for(seed, index, P_NAME)
    title = "Mevr." if rng.random() < 0.68 else "Dhr."  # most older people living alone are women
    return f"{title} {INITIALS[int(rng.integers(len(INITIALS)))]}. {SURNAMES[int(rng.integers(len(SURNAMES)))]}"


@dataclass(frozen=True)
class Persona:
    """Per-resident routine parameters (minutes after local midnight unless said otherwise)."""

    wake_med: float
    wake_sd: float
    weekend_wake_shift: float
    bed_med: float  # may exceed 1440 (after midnight)
    bed_sd: float
    night_toilet_rate: float  # Poisson mean per night
    day_toilet_every: float  # minutes between daytime toilet visits
    shower_every: float  # mean days between showers
    shower_evening: bool
    outings_per_day: float
    weekly_outings: tuple[tuple[int, float, float], ...]  # (weekday, start_min, duration_min)
    visitors_per_week: float
    nap_prob: float
    nap_in_bed: bool
    sit_motion_gap_s: float  # mean seconds between living-room detections while sitting
    doze_prob: float  # chance that a sitting spell is a motionless doze
    day_sigma: float  # log-sd of the day-to-day activity level
    off_day_prob: float  # chance of a slow, unwell day
    snack_trips: float  # extra kitchen trips per day
    fridge_per_meal: float
    lunch_med: float
    dinner_med: float
    close_bedroom_door: float  # probability of closing the door behind oneself
    close_toilet_door: float
    night_bed_motion: float  # bedroom detections per night while lying in bed
    eats_in_living: float
    pet_rate_day: float  # pet triggers per hour (if a pet lives there)
    pet_rate_night: float


def draw_persona(index: int, seed: int) -> Persona:
    rng = rng_for(seed, index, P_PERSONA)
    u = rng.uniform
    wake_med = u(6.5 * 60, 10 * 60)
    # Older people spend 7.5-9.5 h in bed; bedtime is kept within 22:00-01:30.
    bed_med = float(np.clip(wake_med + 1440 - u(7.5 * 60, 9.5 * 60), 22 * 60, 25.5 * 60))
    weekly: list[tuple[int, float, float]] = []
    if rng.random() < 0.45:
        weekly.append((6, u(9 * 60, 9.75 * 60), u(100, 160)))  # Sunday church / family lunch
    if rng.random() < 0.35:
        weekly.append((int(rng.integers(0, 5)), u(9.5 * 60, 10.5 * 60), u(180, 240)))  # day care / club
    if rng.random() < 0.4:
        weekly.append((5, u(10 * 60, 11 * 60), u(60, 120)))  # Saturday market
    shower_every = float(rng.choice([1.0, 1.0, 1.5, 2.0, 2.0, 2.5, 3.0]))
    return Persona(
        wake_med=wake_med,
        wake_sd=float(np.exp(u(np.log(30), np.log(150)))),  # real homes: 51-248 min, median ~66
        weekend_wake_shift=u(0, 45),
        bed_med=bed_med,
        bed_sd=u(30, 90),
        night_toilet_rate=u(0.4, 1.5),
        day_toilet_every=u(110, 220),
        shower_every=shower_every,
        shower_evening=bool(rng.random() < 0.3),
        outings_per_day=u(0.6, 1.6),
        weekly_outings=tuple(weekly),
        visitors_per_week=u(0.5, 2.5),
        nap_prob=u(0.0, 0.8),
        nap_in_bed=bool(rng.random() < 0.3),
        sit_motion_gap_s=float(np.exp(u(np.log(150), np.log(1200)))),
        doze_prob=u(0.05, 0.3),
        day_sigma=u(0.15, 0.6),
        off_day_prob=u(0.0, 0.05),
        snack_trips=u(2, 7),
        fridge_per_meal=u(0.8, 3.0),
        lunch_med=u(12 * 60, 13.25 * 60),
        dinner_med=u(17 * 60, 18.75 * 60),
        close_bedroom_door=u(0.1, 0.9),
        close_toilet_door=u(0.5, 1.0),
        night_bed_motion=float(np.exp(u(np.log(0.3), np.log(8)))),
        eats_in_living=u(0.0, 0.6),
        pet_rate_day=u(1.5, 5.0),
        pet_rate_night=u(0.3, 1.5),
    )
