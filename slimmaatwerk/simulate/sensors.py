"""Device behaviour: what each sensor reports given the stimuli, in whole epoch seconds.

- Aqara motion (RTCGQ11LM): a detection reports occupancy 1; the sensor is blind for 60 s after a
  detection; Zigbee2MQTT clears occupancy (0) 90 s after the last detection.
- Contacts and presence report state changes only (1 open/occupied, 0 closed/empty).
- Every battery device sends a periodic report when otherwise silent (a ``heartbeat``) and a
  slowly declining ``battery`` level about once a day; the FP1 presence sensor is mains powered.
"""

from __future__ import annotations

import numpy as np

from .model import SimDevice
from .routine import ROOM_MOTION, Stimuli

BLIND_S = 60
CLEAR_S = 90
Reading = tuple[int, str, float]  # (epoch second, kind, value)
_ROOM_OF = {dev: room for room, dev in ROOM_MOTION.items()}


def _muted(times: np.ndarray, room: str, stim: Stimuli) -> np.ndarray:
    keep = np.ones(len(times), dtype=bool)
    for which, a, b in stim.mute:
        if which is None or which == room:
            keep &= ~((times >= a) & (times < b))
    return times[keep]


def unit_hash(values: np.ndarray, salt: int) -> np.ndarray:
    """A uniform [0, 1) number per value (splitmix64), so whether a detection survives thinning depends
    only on its own moment, never on how many detections came before (injections stay local)."""
    with np.errstate(over="ignore"):
        z = values.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15) + np.uint64(salt & 0xFFFFFFFF)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) / float(1 << 53)


def motion_readings(device: str, stim: Stimuli, salt: int) -> list[Reading]:
    raw = np.asarray(stim.triggers.get(device, ()), dtype=float)
    if raw.size == 0:
        return []
    times = np.unique(np.rint(_muted(raw, _ROOM_OF.get(device, ""), stim)).astype(np.int64))
    detections: list[int] = []
    last = -(10**12)
    for t in times.tolist():
        if t - last >= BLIND_S:
            detections.append(t)
            last = t
    det = np.asarray(detections, dtype=np.int64)
    if stim.thin and det.size:  # D/G and slow days: the resident moves less; some detections never happen
        share = np.ones(det.size)
        for a, b, keep in stim.thin:
            share[(det >= a) & (det < b)] *= keep
        det = det[unit_hash(det, salt) < share]
    out: list[Reading] = []
    prev = None
    for t in det.tolist():
        if prev is not None and t - prev > CLEAR_S:
            out.append((prev + CLEAR_S, "motion", 0.0))
        out.append((t, "motion", 1.0))
        prev = t
    if prev is not None:
        out.append((prev + CLEAR_S, "motion", 0.0))
    return out


def state_readings(device: str, kind: str, stim: Stimuli) -> list[Reading]:
    """State changes, rounded to the second; overlapping sources collapse to real changes only."""
    changes = sorted(((round(t), v) for t, v in stim.states.get(device, ())), key=lambda c: c[0])
    out: list[Reading] = []
    state = 0
    for t, v in changes:
        if v != state:
            out.append((t, kind, float(v)))
            state = v
    return out


def battery_readings(device: SimDevice, start: float, end: float, rng: np.random.Generator) -> list[Reading]:
    if device.kind_family == "presence":  # FP1 is mains powered
        return []
    level = float(rng.integers(62, 101))
    per_day = float(rng.uniform(0.01, 0.08))
    days = int((end - start) // 86400) + 1
    moments = start + np.arange(days) * 86400 + rng.uniform(0, 86400, days)
    return [
        (round(m), "battery", float(max(5, round(level - per_day * k))))
        for k, m in enumerate(moments.tolist()) if m < end
    ]


def heartbeat_readings(device: SimDevice, messages: list[int], start: float, end: float,
                       rng: np.random.Generator) -> list[Reading]:
    """A periodic report whenever the device has been silent for its report interval (+/- 60 s)."""
    if device.kind_family == "climate":  # its regular climate reports are its sign of life
        return []
    interval = device.report_interval_s
    jitter = rng.uniform(-60, 60, int((end - start) // (interval - 60)) + 2)
    j = 0
    last = start - float(rng.uniform(0, interval))
    out: list[Reading] = []
    for m in [*messages, end]:
        due = last + interval + jitter[j]
        while due < m - 1:
            out.append((round(due), "heartbeat", 1.0))
            j += 1
            last = due
            due = last + interval + jitter[j]
        last = m
    return [r for r in out if start <= r[0] < end]


def device_readings(device: SimDevice, stim: Stimuli, start: float, end: float,
                    rngs: tuple[np.random.Generator, np.random.Generator], salt: int) -> list[Reading]:
    """Everything one non-climate device reports, in time order (within [start, end)).

    ``rngs`` are separate streams for battery and heartbeats, so neither shifts the other.
    """
    if device.kind_family == "motion":
        readings = motion_readings(device.device, stim, salt)
    else:
        readings = state_readings(device.device, device.kind_family, stim)
    readings = [r for r in readings if start <= r[0] < end]
    readings += battery_readings(device, start, end, rngs[0])
    readings.sort(key=lambda r: r[0])
    times = sorted({r[0] for r in readings})
    readings += heartbeat_readings(device, times, start, end, rngs[1])
    readings.sort(key=lambda r: r[0])
    return readings
