"""Change-only filtering: from each device's last values, decide which readings are new events.

Zigbee2MQTT and friends publish the whole cached state on every report, so a message is mostly repeats.
Rules (REFERENCE.md "Real device messages"):
- a reading equal to the device's last value of that kind is no event; a live message that changes
  nothing is a ``heartbeat`` (proof of life), at most one per ``heartbeat_min_interval_ms``;
- replayed state (retained on (re)subscribe, a gateway re-publishing its cache after a restart, or a
  ``last_seen`` much older than the receive time) never creates activity (motion, contact, presence,
  usage) nor a heartbeat: it only brings the remembered state up to date. Climate, battery and
  availability levels that differ are stored, since they are levels and not actions.
The state is kept in memory and saved (``dirty_rows``) in the same transaction as the events. A repeat
only moves a kind's ``last_seen``; readers of device health take the newest ``last_seen`` over a
device's kinds, so such refreshes write at most one row per device per commit (most messages repeat
most of their fields, and a row per field was a third of the writer's work).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..events import ACTIVITY_KINDS, KIND_CODES

HEARTBEAT = KIND_CODES["heartbeat"]


@dataclass
class _Kind:
    value: float
    ts_ms: int
    last_seen_ms: int


class DeviceTracker:
    def __init__(self, heartbeat_min_interval_ms: int = 60_000, stale_after_ms: int = 120_000,
                 gateway_replay_ms: int = 30_000) -> None:
        self.heartbeat_min_interval_ms = heartbeat_min_interval_ms
        self.stale_after_ms = stale_after_ms
        self.gateway_replay_ms = gateway_replay_ms
        self._state: dict[int, dict[str, _Kind]] = {}
        self._dirty: set[tuple[int, str]] = set()
        self._refreshed: dict[int, str] = {}  # device -> the kind whose last_seen moved furthest
        # Gateway scope (its base topic, e.g. "homes/h17/zigbee2mqtt") -> end of its replay window. Scoped
        # per gateway: with thousands of homes on one broker, one restarting gateway must not hide real
        # activity in all the others.
        self._replay_until: dict[str, int] = {}

    def load(self, rows: Iterable[tuple[int, str, float, int, int]]) -> None:
        self._state.clear()
        self.clear_dirty()
        for device_id, kind, value, ts_ms, last_seen_ms in rows:
            self._state.setdefault(device_id, {})[kind] = _Kind(value, ts_ms, last_seen_ms)

    def gateway(self, scope: str, online: float | None, received_ms: int) -> None:
        """A bridge came (back) online: what it publishes next under ``scope`` is its cache, not news.

        ``scope`` is the gateway's base topic, or ``@<integration>`` where the gateway's devices do not
        publish under one (Home Assistant's birth message makes devices anywhere re-publish).
        """
        if online == 1.0:
            self._replay_until[scope] = received_ms + self.gateway_replay_ms

    def is_replay(self, retained: bool, topic: str, received_ms: int, device_time_ms: int | None,
                  integration: str = "") -> bool:
        if retained:
            return True
        for scope, until in list(self._replay_until.items()):
            if received_ms >= until:
                del self._replay_until[scope]
            elif topic.startswith(scope + "/") or scope == f"@{integration}":
                return True
        return device_time_ms is not None and received_ms - device_time_ms > self.stale_after_ms

    def observe(self, device_id: int, readings: Iterable[tuple[str, float]], received_ms: int,
                replay: bool, delta_ms: int | None = None, alive: bool = True) -> list[dict]:
        """Event rows for the readings that are changes (plus a heartbeat if nothing changed).

        ``alive``: the message came from the device itself (not a bridge's availability verdict).
        """
        state = self._state.setdefault(device_id, {})
        rows: list[dict] = []
        for kind, value in readings:
            previous = state.get(kind)
            if previous is not None and previous.value == value:
                if not replay:
                    self._seen(device_id, kind, previous, received_ms)
                continue
            state[kind] = _Kind(value, received_ms, received_ms)
            self._dirty.add((device_id, kind))
            if replay and kind in ACTIVITY_KINDS:
                continue  # the change happened while we were away, at a time we do not know
            rows.append({"device_id": device_id, "ts_ms": received_ms, "kind": KIND_CODES[kind],
                         "value": value, "received_delta_ms": delta_ms})
        if not rows and not replay and alive:
            rows.extend(self._heartbeat(device_id, state, received_ms))
        return rows

    def _heartbeat(self, device_id: int, state: dict[str, _Kind], received_ms: int) -> list[dict]:
        last = state.get("heartbeat")
        if last is not None and received_ms - last.ts_ms < self.heartbeat_min_interval_ms:
            self._seen(device_id, "heartbeat", last, received_ms)
            return []
        state["heartbeat"] = _Kind(1.0, received_ms, received_ms)
        self._dirty.add((device_id, "heartbeat"))
        return [{"device_id": device_id, "ts_ms": received_ms, "kind": HEARTBEAT, "value": 1.0,
                 "received_delta_ms": None}]

    def _seen(self, device_id: int, kind: str, item: _Kind, received_ms: int) -> None:
        if received_ms <= item.last_seen_ms:
            return
        item.last_seen_ms = received_ms
        noted = self._refreshed.get(device_id)
        if noted is None or self._state[device_id][noted].last_seen_ms <= received_ms:
            self._refreshed[device_id] = kind

    def dirty_rows(self) -> list[tuple[int, str, float, int, int]]:
        """Changed values, plus one row per device whose newest last_seen is not among them."""
        rows = []
        newest: dict[int, int] = {}
        for device_id, kind in self._dirty:
            item = self._state[device_id][kind]
            rows.append((device_id, kind, item.value, item.ts_ms, item.last_seen_ms))
            newest[device_id] = max(newest.get(device_id, item.last_seen_ms), item.last_seen_ms)
        for device_id, kind in self._refreshed.items():
            item = self._state[device_id][kind]
            if item.last_seen_ms > newest.get(device_id, -1):
                rows.append((device_id, kind, item.value, item.ts_ms, item.last_seen_ms))
        return rows

    def clear_dirty(self) -> None:
        self._dirty.clear()
        self._refreshed.clear()

    def value(self, device_id: int, kind: str) -> float | None:
        item = self._state.get(device_id, {}).get(kind)
        return None if item is None else item.value
