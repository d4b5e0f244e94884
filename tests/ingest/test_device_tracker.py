"""Change-only filtering, heartbeats and replays (pure: no broker, no database)."""

from __future__ import annotations

from slimmaatwerk.events import KIND_CODES, KINDS
from slimmaatwerk.ingest.device_tracker import DeviceTracker

MIN = 60_000


def kinds(rows: list[dict]) -> list[tuple[str, float]]:
    return [(KINDS[r["kind"]], r["value"]) for r in rows]


def test_only_changes_become_events_and_unchanged_reports_are_heartbeats() -> None:
    tracker = DeviceTracker()
    state = [("motion", 1.0), ("battery", 90.0)]
    assert kinds(tracker.observe(1, state, 0, replay=False)) == state
    assert kinds(tracker.observe(1, state, 50 * MIN, replay=False)) == [("heartbeat", 1.0)]
    assert kinds(tracker.observe(1, [("motion", 0.0), ("battery", 90.0)], 51 * MIN, replay=False)) == [("motion", 0.0)]


def test_heartbeats_are_rate_limited() -> None:
    tracker = DeviceTracker(heartbeat_min_interval_ms=MIN)
    tracker.observe(1, [("temperature", 20.0)], 0, replay=False)
    assert kinds(tracker.observe(1, [("temperature", 20.0)], 1_000, replay=False)) == [("heartbeat", 1.0)]
    assert tracker.observe(1, [("temperature", 20.0)], 2_000, replay=False) == []  # duplicate within 1 s
    assert kinds(tracker.observe(1, [("temperature", 20.0)], 62_000, replay=False)) == [("heartbeat", 1.0)]


def test_replayed_state_creates_no_activity_and_no_heartbeat_but_updates_state() -> None:
    tracker = DeviceTracker()
    tracker.observe(1, [("contact", 0.0), ("battery", 100.0)], 0, replay=False)
    # The door was opened while we were away; the retained state says open, battery dropped.
    rows = tracker.observe(1, [("contact", 1.0), ("battery", 97.0)], MIN, replay=True)
    assert kinds(rows) == [("battery", 97.0)]
    assert tracker.value(1, "contact") == 1.0
    assert tracker.observe(1, [("contact", 1.0), ("battery", 97.0)], 2 * MIN, replay=True) == []
    # A real close afterwards is a change against the updated state.
    assert kinds(tracker.observe(1, [("contact", 0.0)], 3 * MIN, replay=False)) == [("contact", 0.0)]


def test_replay_detection_retained_gateway_restart_and_stale_last_seen() -> None:
    tracker = DeviceTracker(stale_after_ms=120_000, gateway_replay_ms=30_000)
    assert tracker.is_replay(True, "zigbee2mqtt/hal", 0, None)
    assert not tracker.is_replay(False, "zigbee2mqtt/hal", 0, None)
    tracker.gateway("zigbee2mqtt", 1.0, 1_000)
    assert tracker.is_replay(False, "zigbee2mqtt/hal", 20_000, None)
    assert not tracker.is_replay(False, "zigbee2mqtt/hal", 40_000, None)
    assert not tracker.is_replay(False, "shellies/door", 20_000, None)
    assert tracker.is_replay(False, "zigbee2mqtt/hal", 24 * MIN + 100_000, 100_000)  # last_seen 24 min old
    assert not tracker.is_replay(False, "zigbee2mqtt/hal", 100_500, 100_000)


def test_one_gateway_restarting_does_not_hide_activity_in_other_homes() -> None:
    """2,000 homes bridge into one broker: only the restarted home's messages are its cache."""
    tracker = DeviceTracker()
    tracker.gateway("homes/h1/zigbee2mqtt", 1.0, 1_000)
    assert tracker.is_replay(False, "homes/h1/zigbee2mqtt/kitchen", 5_000, None)
    assert not tracker.is_replay(False, "homes/h2/zigbee2mqtt/kitchen", 5_000, None)
    assert not tracker.is_replay(False, "homes/h10/zigbee2mqtt/kitchen", 5_000, None)
    tracker.gateway("@homeassistant", 1.0, 1_000)  # HA's birth: devices anywhere re-publish
    assert tracker.is_replay(False, "esp-bath/sensor/humidity/state", 5_000, None, "homeassistant")
    assert not tracker.is_replay(False, "esp-bath/sensor/humidity/state", 5_000, None, "esphome")


def test_availability_alone_is_no_proof_of_life() -> None:
    tracker = DeviceTracker()
    tracker.observe(1, [("availability", 1.0)], 0, replay=False, alive=False)
    assert tracker.observe(1, [("availability", 1.0)], 10 * MIN, replay=False, alive=False) == []


def test_state_survives_a_restart_through_dirty_rows() -> None:
    tracker = DeviceTracker()
    tracker.observe(7, [("presence", 1.0)], 5_000, replay=False)
    saved = tracker.dirty_rows()
    assert saved == [(7, "presence", 1.0, 5_000, 5_000)]
    restarted = DeviceTracker()
    restarted.load(saved)
    assert restarted.observe(7, [("presence", 1.0)], 6_000, replay=True) == []
    assert restarted.observe(7, [("presence", 0.0)], 7_000, replay=False)[0]["kind"] == KIND_CODES["presence"]


def test_repeats_refresh_last_seen_with_at_most_one_row_per_device() -> None:
    tracker = DeviceTracker(heartbeat_min_interval_ms=MIN)
    tracker.observe(1, [("motion", 1.0), ("battery", 90.0), ("illuminance", 5.0)], 0, replay=False)
    tracker.observe(2, [("contact", 0.0), ("battery", 80.0)], 0, replay=False)
    tracker.clear_dirty()
    # device 1 changes one reading and repeats two; device 2 repeats everything (twice)
    tracker.observe(1, [("motion", 0.0), ("battery", 90.0), ("illuminance", 5.0)], 1_000, replay=False)
    tracker.observe(2, [("contact", 0.0), ("battery", 80.0)], 1_000, replay=False)
    tracker.observe(2, [("contact", 0.0), ("battery", 80.0)], 2_000, replay=False)
    rows = tracker.dirty_rows()
    by_device: dict[int, list[tuple]] = {}
    for row in rows:
        by_device.setdefault(row[0], []).append(row)
    # device 1: the changed value carries the newest last_seen; the repeats need no row of their own
    assert by_device[1] == [(1, "motion", 0.0, 1_000, 1_000)]
    # device 2: its first heartbeat (a new value) and one row holding the newest last_seen
    assert max(row[4] for row in by_device[2]) == 2_000 and len(by_device[2]) <= 2
    tracker.clear_dirty()
    assert tracker.dirty_rows() == []
    # a replay is no proof of life: it moves no last_seen
    tracker.observe(2, [("contact", 0.0)], 3_000, replay=True)
    assert tracker.dirty_rows() == []
