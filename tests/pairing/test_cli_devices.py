"""``devices discover`` against a real mosquitto with Zigbee2MQTT and Home Assistant discovery, and
``devices pair`` / ``devices list`` through the command line's own identity."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import update

from slimmaatwerk.cli import main
from slimmaatwerk.storage import schema
from slimmaatwerk.storage.database import Database
from tests.pairing.conftest import KIT
from tests.support.servers import free_port

PIR = f"zigbee:{KIT[0].ieee}"


def test_discover_prints_devices_by_identity_without_the_coordinator(home_broker, capsys) -> None:
    broker, _bridge = home_broker
    assert main(["devices", "discover", "--broker", broker.url, "--seconds", "1", "--json"]) == 0
    out, err = capsys.readouterr()
    devices = json.loads(out)["devices"]
    by_id = {d["id"]: d for d in devices}
    assert set(by_id) == {f"zigbee:{d.ieee}" for d in KIT} | {"ha:shelly_door_toilet"}
    assert by_id[PIR] == {"id": PIR, "topic": "zigbee2mqtt/keuken_pir", "model": "RTCGQ11LM", "vendor": "Aqara",
                          "suggested_profile": "z2m.aqara.rtcgq11lm"}
    assert by_id["ha:shelly_door_toilet"]["topic"] == "home/toilet_door/state"
    assert "0x00124b0024c1d2e3" not in out  # the coordinator
    assert "5 devices found, 1 unknown topics" in err


def test_discover_bad_input_is_one_clear_line(capsys) -> None:
    assert main(["devices", "discover", "--broker", "http://nope", "--json"]) == 2
    assert "must look like mqtt://host:port" in capsys.readouterr().err
    assert main(["devices", "discover", "--broker", f"mqtt://127.0.0.1:{free_port()}", "--seconds", "1"]) == 2
    err = capsys.readouterr()
    assert err.out == "" and "Cannot reach the broker" in err.err and len(err.err.strip().splitlines()) == 1


def test_pair_needs_the_installer_role_then_assigns(tmp_path: Path, capsys) -> None:
    data = str(tmp_path / "data")
    assert main(["residents", "add", "--data-dir", data, "--id", "r1", "--name", "Mevr. Jansen"]) == 0
    args = ["devices", "pair", "--data-dir", data, "--id", PIR, "--resident", "r1", "--room", "kitchen",
            "--profile", "z2m.aqara.rtcgq11lm", "--from", "2026-03-01T10:00:00+01:00"]
    db = Database.in_folder(Path(data))
    with db.begin() as conn:
        conn.execute(update(schema.users).values(role="admin,coordinator"))
    db.dispose()
    capsys.readouterr()
    assert main(args) == 2  # administrator and coordinator, but not installer
    assert "may not manage devices" in capsys.readouterr().err
    db = Database.in_folder(Path(data))
    with db.begin() as conn:
        # The first account of a fresh data folder has these roles (a single-laptop install).
        conn.execute(update(schema.users).values(role="admin,coordinator,installer"))
    db.dispose()
    assert main([*args[:-6], "--room", "garage"]) == 2
    assert "room must be one of" in capsys.readouterr().err
    assert main([*args[:-2], "--from", "yesterday"]) == 2
    assert "--from" in capsys.readouterr().err
    assert main(args) == 0
    assert main(["devices", "list", "--data-dir", data, "--json"]) == 0
    (listed,) = json.loads(capsys.readouterr().out)["devices"]
    assert listed == {"id": PIR, "name": PIR, "profile": "z2m.aqara.rtcgq11lm", "model": "", "vendor": "",
                      "resident": "r1", "home": "home-r1", "room": "kitchen", "placement": "",
                      "since": "2026-03-01T10:00:00+01:00"}


def test_discover_suggests_user_profiles_and_names_refused_ones(home_broker, tmp_path: Path, capsys) -> None:
    """The same library as the engine: a user profile suggests itself for its device, a broken or clashing
    user file is named on stderr, and a built-in is never shadowed."""
    from slimmaatwerk.pairing import profile_builder as pb
    from tests.pairing.test_profile_builder import SAMPLES, draft

    broker, _bridge = home_broker
    folder = pb.user_profiles_dir(tmp_path / "data")
    pb.save(draft(), SAMPLES, folder)
    shadow = json.loads((folder / "acme.pir.json").read_text())
    shadow["profiles"][0].update(id="z2m.aqara.rtcgq11lm", match={"models": ["PIR-8"]})
    (folder / "schaduw.json").write_text(json.dumps(shadow))
    (folder / "kapot.json").write_text("{not json")
    args = ["devices", "discover", "--broker", broker.url, "--seconds", "1", "--json"]
    assert main([*args, "--data-dir", str(tmp_path / "data")]) == 0
    out, err = capsys.readouterr()
    by_id = {d["id"]: d for d in json.loads(out)["devices"]}
    assert by_id["custom:sensor7"] == {"id": "custom:sensor7", "topic": "acme/hal/sensor7", "model": "PIR-7",
                                       "vendor": "ACME", "suggested_profile": "acme.pir"}
    assert by_id[PIR]["suggested_profile"] == "z2m.aqara.rtcgq11lm"  # the built-in, not the clashing copy
    refused = [line for line in err.splitlines() if "refused" in line]
    assert len(refused) == 2 and "kapot.json" in refused[0] and "schaduw.json" in refused[1]
    assert "profile id 'z2m.aqara.rtcgq11lm' is also defined in" in refused[1]
    assert "6 devices found, 0 unknown topics" in err

    assert main([*args, "--data-dir", str(tmp_path / "empty")]) == 0  # no user folder: built-ins only
    out, err = capsys.readouterr()
    assert "custom:sensor7" not in out and "refused" not in err and "1 unknown topics" in err
