"""Pet, visitors, announced absence, kit profiles and the ground-truth file."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from slimmaatwerk.events import ACTIVITY_KINDS
from slimmaatwerk.localtime import day_of, to_local
from slimmaatwerk.simulate import Injection, simulate_home, write_csv
from tests.simulate.sim_stats import activity, by_day

START = date(2026, 1, 5)


def test_pet_moves_motion_sensors_at_night_but_never_beds_or_doors() -> None:
    plain = simulate_home(3, 14, 5, START)
    pet = simulate_home(3, 14, 5, START, pet=True)
    assert pet.pet and not plain.pet

    def night_motion(home):
        return [e for e in home.events if e.kind == "motion" and e.value == 1 and to_local(e.timestamp).hour < 4
                and e.device in ("living_motion", "kitchen_motion", "hall_motion")]

    assert len(night_motion(pet)) >= len(night_motion(plain)) + 10

    def non_motion(home):
        return [e for e in home.events if e.kind in ("contact", "presence")]

    assert non_motion(pet) == non_motion(plain)


def test_visitor_days_have_more_living_and_kitchen_activity() -> None:
    home = simulate_home(2, 28, 8, START)
    alone = simulate_home(2, 28, 8, START, visitors=False)
    assert home.visitor_days and not alone.visitor_days
    with_visit, without = by_day(activity(home.events)), by_day(activity(alone.events))
    more = []
    for day in home.visitor_days:
        rooms = sum(e.room in ("living", "kitchen") for e in with_visit[day])
        base = sum(e.room in ("living", "kitchen") for e in without[day])
        more.append(rooms / base)
        assert sum(e.placement == "front_door" and e.value == 1 for e in with_visit[day]) >= 2
    assert sum(r > 1 for r in more) >= 0.75 * len(more) and sum(more) / len(more) > 1.15, more
    quiet = [d for d in with_visit if d not in home.visitor_days and d - timedelta(days=1) not in home.visitor_days]
    assert all(with_visit[d] == without[d] for d in quiet[:-1])  # visits change only their own day


def test_announced_absence_is_silent_except_device_health() -> None:
    home = simulate_home(0, 40, 3, START, absence=True)
    assert len(home.absences) == 1
    left, back = home.absences[0]
    assert 3 * 86400 <= (back - left).total_seconds() <= 8 * 86400
    inside = [e for e in home.events if left + timedelta(minutes=1) < e.timestamp < back]
    assert not [e for e in inside if e.kind in ACTIVITY_KINDS]
    assert {e.kind for e in inside} >= {"heartbeat", "battery", "humidity", "temperature"}
    door = [e for e in home.events if e.placement == "front_door" and e.kind == "contact"]
    last_out = [e for e in door if e.timestamp <= left + timedelta(minutes=1)][-2:]
    first_in = [e for e in door if e.timestamp >= back][:2]
    assert [e.value for e in last_out] == [1, 0] and [e.value for e in first_in] == [1, 0]
    assert abs((first_in[0].timestamp - back).total_seconds()) <= 1
    plain = simulate_home(0, 40, 3, START)
    assert [e for e in plain.events if left + timedelta(minutes=1) < e.timestamp < back and e.kind == "motion"]


def test_absence_avoids_injected_days() -> None:
    inj = Injection("I", START + timedelta(days=20))
    home = simulate_home(0, 40, 3, START, [inj], absence=True)
    left, back = home.absences[0]
    away = {day_of(left) + timedelta(days=i) for i in range((day_of(back) - day_of(left)).days + 1)}
    assert not away & {inj.start + timedelta(days=i) for i in range(4)}


def test_profiles_choose_the_kit() -> None:
    def kit(profile):
        return {d.device for d in simulate_home(5, 1, 1, START, profile=profile).devices}

    assert "front_door" not in kit(None)  # home index 5 has no front-door sensor
    assert len(kit("full")) == 13
    assert kit("motion_only") == {"bedroom_motion", "toilet_motion", "bathroom_motion", "kitchen_motion",
                                  "living_motion", "hall_motion", "bathroom_climate"}
    assert "front_door" in kit("minimal") and "chair_presence" not in kit("minimal")


def test_devices_are_aqara_with_stable_unique_ieee() -> None:
    homes = [simulate_home(i, 1, 1, START) for i in range(8)]
    ieees = [d.ieee for h in homes for d in h.devices]
    assert len(ieees) == len(set(ieees)) and all(i.startswith("0x00158d000") and len(i) == 18 for i in ieees)
    models = {d.kind_family: d.model for h in homes for d in h.devices}
    assert models == {"motion": "RTCGQ11LM", "contact": "MCCGQ11LM", "presence": "RTCZCGQ11LM",
                      "climate": "WSDCGQ11LM"}
    places = {d.device: (d.room, d.placement) for h in homes for d in h.devices}
    assert places["bed_presence"] == ("bedroom", "bed") and places["fridge_door"] == ("kitchen", "fridge")
    assert places["front_door"] == ("entrance", "front_door") and places["bathroom_climate"] == ("bathroom", "")
    assert [d.ieee for d in simulate_home(3, 1, 99, START).devices] == [d.ieee for d in homes[3].devices]
    assert {h.name for h in homes} and all(h.name.startswith(("Mevr. ", "Dhr. ")) for h in homes)


def test_ground_truth_json(tmp_path: Path) -> None:
    home = simulate_home(0, 20, 2, START, [Injection("F", START + timedelta(days=16))], absence=True)
    write_csv([home], tmp_path)
    data = json.loads((tmp_path / "ground_truth.json").read_text(encoding="utf-8"))
    entry = data["homes"][0]
    assert entry["resident"] == "r01" and entry["household"] == "alone"
    anomaly = entry["anomalies"][0]
    assert anomaly["type"] == "F" and anomaly["indicators"] == ["night_exit"]
    assert anomaly["start"].startswith("2026-01-22T0") and anomaly["start"].endswith("+01:00")
    assert anomaly["dates"] == ["2026-01-22"]
    assert len(entry["devices"]) == len(home.devices) and entry["absences"]
