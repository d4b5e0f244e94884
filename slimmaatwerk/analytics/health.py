"""Sensor health: which devices a home has, how often they report, and when they were silent too long.

A device is unhealthy while it has been silent (no message of any kind, heartbeats included) for longer
than its report interval + 1 hour. The analytics use this to tell a dead sensor from an empty room: an
activity alert whose sensors were unhealthy is not raised, a ``sensor_offline`` alert is raised instead.
Everything here is *online*: an outage is only "known" once the silence has lasted past the threshold.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..events import ACTIVITY_KINDS
from .context import ResidentContext
from .frame import NS_PER_HOUR, EventArrays, isin

GRACE_NS = NS_PER_HOUR
DEFAULT_INTERVAL_S = 3600
MAX_INFERRED_INTERVAL_S = 24 * 3600
NEVER = np.iinfo(np.int64).max


@dataclass(frozen=True)
class DeviceState:
    """One device as the analytics know it, with its silences longer than the allowed threshold."""

    device: str
    room: str
    placement: str
    report_interval_s: int
    first_seen: int  # ns UTC of the first message
    first_active: int  # ns UTC of the first activity message (NEVER if it has none)
    outage_start: np.ndarray  # ns UTC of the last message before each too-long silence
    outage_end: np.ndarray  # ns UTC of the next message (NEVER while still silent)

    @property
    def threshold_ns(self) -> int:
        return self.report_interval_s * 1_000_000_000 + GRACE_NS

    def healthy_at(self, when: int) -> bool:
        """False while a silence known at ``when`` (i.e. already past the threshold) is going on."""
        known = (self.outage_start + self.threshold_ns <= when) & (self.outage_end > when)
        return not bool(known.any())

    def unhealthy_ns(self, w0: int, w1: int, known_at: int) -> int:
        """Nanoseconds of [w0, w1) covered by silences that are known by ``known_at``."""
        known = self.outage_start + self.threshold_ns <= known_at
        if not known.any():
            return 0
        starts = np.maximum(self.outage_start[known], w0)
        ends = np.minimum(np.minimum(self.outage_end[known], known_at), w1)
        return int(np.clip(ends - starts, 0, None).sum())


@dataclass(frozen=True)
class DeviceHistory:
    """What a window of recent events cannot know about the devices' earlier life (all ns UTC).

    With it, ``device_states`` over the events from ``window_start`` on gives the same first times and
    the same outages inside the window as over the whole history: the first message and the first
    activity of each device, and its last message before the window (where an ongoing silence began).
    """

    data_start: int  # the first message of any device of the home
    window_start: int
    first_seen: dict[str, int]
    first_active: dict[str, int]
    last_before: dict[str, int]


def _infer_interval(gaps_ns: np.ndarray) -> int:
    """A report interval in whole hours that covers almost all of the device's usual silences."""
    if len(gaps_ns) < 24:
        return DEFAULT_INTERVAL_S
    q = float(np.quantile(gaps_ns, 0.999)) / 1e9
    hours = int(np.ceil(q / 3600.0))
    return int(min(max(hours * 3600, DEFAULT_INTERVAL_S), MAX_INFERRED_INTERVAL_S))


def device_states(arr: EventArrays, context: ResidentContext, learn_until: int,
                  history: DeviceHistory | None = None) -> dict[str, DeviceState]:
    """Every device seen in the events (or declared in the context), with its outages.

    Report intervals come from the context when declared; otherwise they are inferred from the
    device's own message gaps before ``learn_until`` (so a replay never learns from its future).
    ``history``: the events are only a recent window of the device history (see ``DeviceHistory``).
    """
    declared = {d.device: d for d in context.devices}
    states: dict[str, DeviceState] = {}
    if history is not None:
        arr = _with_last_messages(arr, history)
    if len(arr) == 0 and not declared:
        return states
    # By device name, then time: integer ranks of the sorted names sort like the names, much faster.
    name_rank, _ = pd.factorize(arr.device, sort=True)
    order = np.lexsort((arr.t, name_rank))
    dev_sorted = arr.device[order]
    t_sorted = arr.t[order]
    is_act = isin(arr.kind[order], list(ACTIVITY_KINDS))
    bounds = np.flatnonzero(dev_sorted[1:] != dev_sorted[:-1]) + 1
    starts = np.concatenate(([0], bounds)) if len(order) else np.array([], dtype=int)
    ends = np.concatenate((bounds, [len(order)])) if len(order) else np.array([], dtype=int)
    for a, b in zip(starts, ends, strict=True):
        name = str(dev_sorted[a])
        times = t_sorted[a:b]
        first_idx = order[a]
        info = declared.get(name)
        if info is not None:
            interval = int(info.report_interval_s)
            room, placement = info.room, info.placement
        else:
            learnt = times[times < learn_until]
            interval = _infer_interval(np.diff(learnt))
            if history is not None and b - a > 1 and not arr.room[first_idx]:
                first_idx = order[a + 1]  # the first event of the window, not the earlier message put in front
            room, placement = str(arr.room[first_idx]), str(arr.placement[first_idx])
        threshold = interval * 1_000_000_000 + GRACE_NS
        gaps = np.diff(times)
        long = np.flatnonzero(gaps > threshold)
        o_start = np.concatenate((times[long], [times[-1]])).astype(np.int64)
        o_end = np.concatenate((times[long + 1], [NEVER])).astype(np.int64)
        act_times = times[is_act[a:b]]
        first_seen = int(times[0])
        first_active = int(act_times[0]) if len(act_times) else int(NEVER)
        if history is not None:
            first_seen = min(first_seen, history.first_seen.get(name, first_seen))
            first_active = min(first_active, history.first_active.get(name, first_active))
        states[name] = DeviceState(
            device=name,
            room=room,
            placement=placement,
            report_interval_s=interval,
            first_seen=first_seen,
            first_active=first_active,
            outage_start=o_start,
            outage_end=o_end,
        )
    for name, info in declared.items():
        if name not in states:
            # Declared but never heard from: silent from the very start of the data.
            start = int(arr.t[0]) if len(arr) else 0
            if history is not None:
                start = history.data_start
            states[name] = DeviceState(
                device=name, room=info.room, placement=info.placement,
                report_interval_s=int(info.report_interval_s), first_seen=start, first_active=int(NEVER),
                outage_start=np.array([start], dtype=np.int64), outage_end=np.array([NEVER], dtype=np.int64),
            )
    return states


def _with_last_messages(arr: EventArrays, history: DeviceHistory) -> EventArrays:
    """The window's events with each device's last earlier message put in front, for its outages.

    Those messages only mark where a silence began: they are given the kind "heartbeat" so that they
    count as neither activity nor a first message (``first_seen`` and ``first_active`` come from
    ``history``). One may also be among the events read (the window may start a little earlier): a
    repeated time is no silence, so it changes no outage. The result is for ``device_states`` only,
    which sorts by device and time itself.
    """
    before = {name: t for name, t in history.last_before.items() if t < history.window_start}
    if not before:
        return arr
    names = np.array(sorted(before), dtype=object)
    t = np.array([before[n] for n in names], dtype=np.int64)
    blank = np.full(len(t), "", dtype=object)
    false = np.zeros(len(t), dtype=bool)
    return EventArrays(
        t=np.concatenate((t, arr.t)), wall=np.concatenate((t, arr.wall)),
        device=np.concatenate((names, arr.device)),
        kind=np.concatenate((np.full(len(t), "heartbeat", dtype=object), arr.kind)),
        room=np.concatenate((blank, arr.room)), placement=np.concatenate((blank, arr.placement)),
        value=np.concatenate((np.ones(len(t)), arr.value)), active=np.concatenate((false, arr.active)),
        human=np.concatenate((false, arr.human)), door=np.concatenate((false, arr.door)))


def activity_devices(states: dict[str, DeviceState], rooms: frozenset[str] | None, by: int) -> list[DeviceState]:
    """Devices that had reported activity by ``by`` (optionally only those in ``rooms``)."""
    return [
        s for s in states.values()
        if s.first_active <= by and (rooms is None or s.room in rooms)
    ]


def degraded(devices: list[DeviceState], w0: int, w1: int, known_at: int, share: float = 0.1) -> bool:
    """True when any of ``devices`` was known silent for more than ``share`` of [w0, w1)."""
    span = max(w1 - w0, 1)
    return any(d.unhealthy_ns(w0, w1, known_at) > share * span for d in devices)
