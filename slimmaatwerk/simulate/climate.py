"""The bathroom climate sensor (Aqara WSDCGQ11LM): humidity and temperature with showers in them.

Humidity sits at 55-65 % with a slow day-to-day drift and a small daily rhythm; a shower drives it to
85-95 % within 5-10 minutes, after which it decays back over 30-60 minutes. Temperature follows the
heating (night set-back) and rises a little with a shower. The sensor reports both every ~5-10 min, and
sooner when either has changed by more than 0.5.
"""

from __future__ import annotations

import numpy as np

from .routine import Stimuli
from .sensors import Reading


def climate_readings(stim: Stimuli, start: float, end: float, interval_s: int, utc_offset_s: float,
                     entropy: list[int]) -> list[Reading]:
    """Humidity and temperature reports of the bathroom sensor; ``entropy`` identifies the home."""
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(entropy=entropy)))
    minutes = int((end - start) // 60)
    t = start + 60.0 * np.arange(minutes)
    day = np.arange(minutes) / 1440.0
    hour = ((t + utc_offset_s) / 3600.0) % 24

    # Slow drift: a daily AR(1) level (weather, season), interpolated so there are no steps at midnight.
    n_days = int(day[-1]) + 2 if minutes else 2
    level = np.empty(n_days)
    level[0] = rng.uniform(55, 65)
    for k in range(1, n_days):
        level[k] = 60 + 0.85 * (level[k - 1] - 60) + rng.normal(0, 1.6)
    base = np.interp(day, np.arange(n_days), level) + 1.2 * np.sin(2 * np.pi * (hour - 9) / 24)
    base += np.cumsum(rng.normal(0, 0.03, minutes)) * 0.2  # sensor-level wander
    excess = np.zeros(minutes)
    warm = np.zeros(minutes)
    for begin, seconds in stim.showers:
        i0 = int((begin - start) // 60)
        if i0 >= minutes or i0 < -200:
            continue
        # Each shower's shape has its own stream (keyed by its minute), so removing one (I) shifts no other.
        own = np.random.Generator(np.random.PCG64(np.random.SeedSequence(entropy=entropy, spawn_key=(i0 + 10**7,))))
        peak = own.uniform(85, 95)
        rise, decay = own.uniform(1.8, 3.2), own.uniform(10, 20)  # minutes; ~90 % after 5-10, gone after 30-60
        length = max(1, int(seconds // 60))
        idx = np.arange(max(i0, 0), min(i0 + length + 240, minutes))
        rel = idx - i0
        top = np.maximum(peak - base[max(i0, 0)], 0)
        during = top * (1 - np.exp(-np.minimum(rel, length) / rise))
        shape = np.where(rel < length, during, during * np.exp(-(rel - length) / decay))
        excess[idx] = np.maximum(excess[idx], shape)
        warm[idx] = np.maximum(warm[idx], shape / max(top, 1) * own.uniform(1.5, 3.0))
    for when in stim.washes:  # washing at the sink: a small bump
        i0 = int((when - start) // 60)
        if 0 <= i0 < minutes:
            idx = np.arange(i0, min(i0 + 30, minutes))
            excess[idx] = np.maximum(excess[idx], 3.0 * np.exp(-(idx - i0) / 8))
    humidity = np.clip(base + excess + rng.normal(0, 0.15, minutes), 20, 99.9)

    setpoint = rng.uniform(19.5, 21.5)
    night = (hour < 6.5) | (hour >= 23)
    heating = np.where(night, setpoint - rng.uniform(1, 2.5), setpoint)
    kernel = np.ones(60) / 60  # the room follows the thermostat with some lag
    temp = np.convolve(np.concatenate([np.full(59, heating[0]), heating]), kernel, mode="valid")
    temp = temp + np.interp(day, np.arange(n_days), rng.normal(0, 0.4, n_days)) + warm
    temp += rng.normal(0, 0.05, minutes)

    out: list[Reading] = []
    last_i, last_h, last_t = -(10**9), -1e9, -1e9
    due = 0
    offsets = rng.integers(0, 60, minutes).tolist()
    dues = rng.integers(max(5, interval_s // 60 - 3), interval_s // 60 + 1, minutes).tolist()
    hums, temps = humidity.tolist(), temp.tolist()
    for i in range(minutes):
        h, c = hums[i], temps[i]
        if i - last_i >= due or abs(h - last_h) > 0.5 or abs(c - last_t) > 0.5:
            when = round(start) + 60 * i + offsets[i]
            out.append((when, "humidity", round(h, 2)))
            out.append((when, "temperature", round(c, 2)))
            last_i, last_h, last_t = i, h, c
            due = dues[i]
    return [r for r in out if r[0] < end]
