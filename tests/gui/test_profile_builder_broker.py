"""The profile builder logs in to the home's broker as pairing does (pytest-qt, offscreen, a real mosquitto
that takes no anonymous clients, with a TLS listener): the home's recorded address and user, the keyring's
password (never shown), the configured CA for mqtts; a wrong password said in words; kinds offered in
words while the saved profile keeps the kinds' code names; screenshots in Dutch and English."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from slimmaatwerk.gui import i18n
from slimmaatwerk.gui.profile_builder_dialog import ProfileBuilderDialog
from slimmaatwerk.pairing import profile_builder as pb
from slimmaatwerk.pairing.broker import BrokerSettings
from slimmaatwerk.pairing.credentials import store_broker_password
from slimmaatwerk.pairing.home_broker import home_broker, recorded_url
from slimmaatwerk.pairing.tools import MqttTools
from tests.pairing.conftest import (  # noqa: F401 - fixtures
    INSTALLER_PASSWORD,
    INSTALLER_USER,
    UNKNOWN_TOPIC,
    SecuredHome,
    clock,
    registry,
    secured_home,
    world,
)
from tests.pairing.test_visit_walktest import paired

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"
SAMPLE = {"pir": 1, "batt": 77}


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'gui.db'}"


def shot(widget, name: str, language: str) -> None:  # type: ignore[no-untyped-def]
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"profile_builder_{name}_{language}.png"
    assert widget.grab().save(str(path))
    assert path.stat().st_size > 5_000


def captured(qtbot, dialog: ProfileBuilderDialog) -> str:  # type: ignore[no-untyped-def]
    dialog.capture()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=15_000)
    return dialog.status.text()


def test_capture_uses_the_home_broker_and_its_keyring_password(qtbot, world, secured_home: SecuredHome,  # noqa: F811
                                                               clock, memory_keyring, tmp_path: Path) -> None:  # noqa: F811
    i18n.set_language("nl")
    secured_home.bridge.send(UNKNOWN_TOPIC, SAMPLE, retain=True)
    paired(world, secured_home.broker.url)
    store_broker_password("home-r1", secured_home.broker.url, INSTALLER_USER, INSTALLER_PASSWORD)
    tools = MqttTools(world.installer.registry, clock, connect_timeout_s=3.0)
    dialog = ProfileBuilderDialog(pb.user_profiles_dir(tmp_path), tools, topic=UNKNOWN_TOPIC,
                                  broker_lookup=lambda: ("Mevr. Jansen", home_broker(world.installer, "r1")))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.username.text() == INSTALLER_USER, timeout=10_000)
    assert dialog.broker.text() == secured_home.broker.url and dialog.password.text() == ""  # never shown
    assert dialog.password.placeholderText() == "bewaard wachtwoord"
    assert dialog.status.text() == "Broker van de woning van Mevr. Jansen ingevuld."
    assert captured(qtbot, dialog) == "1 berichten opgevangen."
    assert dialog.sample_list() == [json.dumps(SAMPLE)]
    shot(dialog, "6_home_broker", "nl")

    dialog.username.setText("iemand")  # another user: the stored password is not sent along
    assert captured(qtbot, dialog) == "De broker weigert deze gebruikersnaam of dit wachtwoord."
    shot(dialog, "7_wrong_login", "nl")
    dialog.username.setText(INSTALLER_USER)
    dialog.password.setText("fout")  # a typed password is used instead of the stored one
    assert captured(qtbot, dialog) == "De broker weigert deze gebruikersnaam of dit wachtwoord."
    dialog.password.setText(INSTALLER_PASSWORD)
    assert captured(qtbot, dialog) == "1 berichten opgevangen."


def test_capture_from_the_wizard_logs_in_with_the_wizard_s_settings(qtbot, secured_home, clock,  # noqa: F811
                                                                     registry) -> None:  # noqa: F811
    i18n.set_language("en")
    secured_home.bridge.send(UNKNOWN_TOPIC, SAMPLE, retain=True)
    tools = MqttTools(registry, clock, connect_timeout_s=3.0)
    wrong = ProfileBuilderDialog(None, tools, topic=UNKNOWN_TOPIC,
                                 broker=BrokerSettings(secured_home.broker.url, INSTALLER_USER, "fout"))
    qtbot.addWidget(wrong)
    assert captured(qtbot, wrong) == "The broker refuses this user name or password."
    anonymous = ProfileBuilderDialog(None, tools, topic=UNKNOWN_TOPIC, broker_url=secured_home.broker.url)
    qtbot.addWidget(anonymous)
    assert captured(qtbot, anonymous) == "The broker refuses this user name or password."
    right = ProfileBuilderDialog(None, tools, topic=UNKNOWN_TOPIC,
                                 broker=BrokerSettings(secured_home.broker.url, INSTALLER_USER, INSTALLER_PASSWORD))
    qtbot.addWidget(right)
    assert right.password.placeholderText() == "stored password"
    assert captured(qtbot, right) == "1 messages captured."


def test_capture_over_tls_with_the_configured_ca(qtbot, world, secured_home: SecuredHome, clock,  # noqa: F811
                                                 memory_keyring, tmp_path: Path) -> None:
    secured_home.bridge.send(UNKNOWN_TOPIC, SAMPLE, retain=True)
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "config.json").write_text(json.dumps({"broker": {"ca_file": str(secured_home.ca_file)}}))
    paired(world, secured_home.tls_url)
    store_broker_password("home-r1", secured_home.tls_url, INSTALLER_USER, INSTALLER_PASSWORD)
    assert world.installer.open_record(world.installer.records("r1")[0][0]).broker_url == \
        recorded_url(secured_home.tls_url, INSTALLER_USER)
    dialog = ProfileBuilderDialog(None, MqttTools(world.installer.registry, clock), topic=UNKNOWN_TOPIC,
                                  broker_lookup=lambda: ("r1", home_broker(world.installer, "r1", data_dir)))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.broker.text() == secured_home.tls_url, timeout=10_000)
    assert dialog.capture_settings().ca_file == str(secured_home.ca_file)
    i18n.set_language("nl")
    assert captured(qtbot, dialog) == "1 berichten opgevangen."


@pytest.mark.parametrize("language", ["nl", "en"])
def test_kinds_are_offered_in_words_and_stored_by_code(qtbot, tmp_path: Path, language: str) -> None:
    i18n.set_language(language)
    dialog = ProfileBuilderDialog(pb.user_profiles_dir(tmp_path), topic="acme/hal/sensor7",
                                  samples=('{"pir": 1, "batt": 88, "hum": 61.5}',))
    qtbot.addWidget(dialog)
    dialog.show()
    kind = dialog.field_table.cellWidget(0, 2)
    assert kind.currentData() == "motion"
    assert kind.currentText() == ("beweging" if language == "nl" else "motion")
    assert kind.itemText(0) == ("(niet gebruiken)" if language == "nl" else "(do not use)")
    words = [kind.itemText(i) for i in range(kind.count())]
    assert ("luchtvochtigheid (%)" if language == "nl" else "humidity (%)") in words
    assert "water_leak" not in words  # no code names shown
    dialog.set_mapping("hum", "humidity")
    shot(dialog, "8_kinds", language)
    dialog.profile_id.setText("acme.pir")
    path = dialog.save()
    assert path is not None
    fields = json.loads(path.read_text())["profiles"][0]["fields"]
    assert {name: spec["kind"] for name, spec in fields.items()} == {"pir": "motion", "batt": "battery",
                                                                      "hum": "humidity"}
    i18n.set_language("en" if language == "nl" else "nl")
    dialog.retranslate()
    assert kind.currentText() == ("motion" if language == "nl" else "beweging") and kind.currentData() == "motion"
