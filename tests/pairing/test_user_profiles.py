"""User profiles in real use: a profile made with the builder is loaded by the ingest engine beside the
built-ins, and a device's messages on a real mosquitto become stored events; broken or clashing user
files are refused by name and never stop the built-ins; samples are captured from a real broker."""

from __future__ import annotations

import json
import logging
import uuid
from pathlib import Path

import pytest

from slimmaatwerk.ingest.engine import IngestEngine
from slimmaatwerk.pairing import profile_builder as pb
from slimmaatwerk.pairing.broker import BrokerSettings, ConnectFailed
from slimmaatwerk.profiles.user_profiles import load_library
from tests.ingest.db_helpers import stored_events
from tests.ingest.mqtt_helpers import Publisher, wait_until
from tests.pairing.test_profile_builder import SAMPLES, draft


def test_a_saved_profile_is_used_by_the_engine_on_a_real_broker(tmp_path: Path, db_url: str, broker,
                                                                 clock) -> None:  # type: ignore[no-untyped-def]
    folder = pb.user_profiles_dir(tmp_path)
    pb.save(draft(), SAMPLES, folder)
    engine = IngestEngine(db_url, [broker.url], clock=clock, client_id=f"test-{uuid.uuid4().hex[:8]}",
                          user_profiles_dir=folder)
    assert "acme.pir" in engine.registry.by_id and "z2m.aqara.rtcgq11lm" in engine.registry.by_id
    engine.start()
    publisher = Publisher(broker.host, broker.port)
    try:
        # A retained report reaches the engine whenever its subscription lands; once it is stored the
        # engine is listening, and a live message follows (retained activity is old state, not stored).
        publisher.publish("acme/hal/sensor7", {"batt": 90}, retain=True)
        wait_until(lambda: len(stored_events(engine.db)) == 1, timeout=10)
        publisher.publish("acme/hal/sensor7", {"pir": 1, "batt": 88, "info": {"temp_c": 21.5}})
        rows = wait_until(lambda: len(stored_events(engine.db)) == 4 and stored_events(engine.db), timeout=8)
    except AssertionError:
        raise AssertionError(engine.status()) from None
    finally:
        publisher.close()
        engine.stop()
    assert sorted((ident, kind, value) for ident, kind, value in rows) == [
        ("custom:sensor7", "battery", 88.0), ("custom:sensor7", "battery", 90.0),
        ("custom:sensor7", "motion", 1.0), ("custom:sensor7", "temperature", 21.5)]


def test_broken_and_clashing_user_files_are_refused_by_name(tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    folder = pb.user_profiles_dir(tmp_path)
    good = pb.save(draft(), SAMPLES, folder)
    (folder / "kapot.json").write_text("{not json", encoding="utf-8")
    document = json.loads(good.read_text())
    document["profiles"][0]["fields"]["pir"]["kind"] = "smell"
    (folder / "verkeerd.json").write_text(json.dumps(document), encoding="utf-8")
    shadow = json.loads(good.read_text())
    shadow["profiles"][0].update(id="z2m.generic")
    shadow["profiles"][0].pop("match")
    (folder / "schaduw.json").write_text(json.dumps(shadow), encoding="utf-8")
    with caplog.at_level(logging.ERROR):
        library = load_library(folder)
    assert [p.name for p in library.loaded] == ["acme.pir.json"]
    assert "acme.pir" in library.registry.by_id
    assert library.registry.by_id["z2m.generic"].file != "schaduw.json"  # the built-in stays itself
    refused = "\n".join(library.refused)
    assert "kapot.json: not readable JSON" in refused
    assert "verkeerd.json" in refused and "kind" in refused
    assert "schaduw.json: profile id 'z2m.generic' is also defined in" in refused
    assert sum("refused" in r.message for r in caplog.records) == 3
    assert len(load_library(tmp_path / "nothing").registry) == len(library.registry) - 1


def test_samples_are_captured_from_the_broker(broker, clock) -> None:  # type: ignore[no-untyped-def]
    from slimmaatwerk.pairing.tools import MqttTools
    from slimmaatwerk.profiles import load_profiles

    publisher = Publisher(broker.host, broker.port)
    try:
        publisher.publish("acme/hal/sensor7", {"pir": 0, "batt": 91}, retain=True)
        tools = MqttTools(load_profiles(), clock)
        found = tools.capture(BrokerSettings(broker.url), "acme/hal/#", 0.5)
        publisher.publish("acme/hal/sensor7", b"", retain=True)  # clear the retained sample
    finally:
        publisher.close()
    assert found == [("acme/hal/sensor7", '{"pir": 0, "batt": 91}')]
    with pytest.raises(ConnectFailed):
        MqttTools(load_profiles(), clock, connect_timeout_s=0.5).capture(BrokerSettings("mqtt://127.0.0.1:1"),
                                                                          "#", 0.1)


def test_status_names_the_refused_user_profiles(tmp_path: Path, broker, capsys) -> None:  # type: ignore[no-untyped-def]
    """Without a running engine: what the next start would refuse. With one: what it refused at its start."""
    from slimmaatwerk.cli import main
    from slimmaatwerk.clock import SystemClock
    from slimmaatwerk.engine_jobs import EngineJobs, engine_service
    from slimmaatwerk.storage.database import Database

    data = tmp_path / "data"
    folder = pb.user_profiles_dir(data)
    pb.save(draft(), SAMPLES, folder)
    (folder / "kapot.json").write_text("{not json", encoding="utf-8")

    def status() -> dict:
        capsys.readouterr()
        assert main(["status", "--data-dir", str(data), "--json"]) == 0
        return json.loads(capsys.readouterr().out)

    (refused,) = status()["refused_profiles"]
    assert "kapot.json" in refused and "not readable JSON" in refused

    db = Database.in_folder(data)
    clock = SystemClock()
    engine = IngestEngine(db.engine, [broker.url], clock=clock, user_profiles_dir=folder)
    jobs = EngineJobs(db, engine, engine_service(db, clock), clock, data_dir=data)
    try:
        (folder / "kapot.json").unlink()  # fixed after the engine started: the running engine still lacks it
        jobs.write_status()
        (shown,) = status()["refused_profiles"]
        assert shown == engine.refused_profiles[0] and "kapot.json" in shown
    finally:
        db.dispose()
    assert status()["refused_profiles"] == [shown]  # the engine's record is fresh for a minute
