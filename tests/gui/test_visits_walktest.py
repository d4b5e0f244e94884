"""The later-visit dialog's walk test (pytest-qt, offscreen, real SQLite, a real mosquitto that takes no
anonymous clients): a broken sensor replaced, the replacement chosen and walk-tested on the home's recorded
broker with the keyring's password, the result recorded as the next commissioning record version; a wrong
password, a home without a record and refused user profiles said in words; screenshots in Dutch and English."""

from __future__ import annotations

from pathlib import Path

import pytest

from slimmaatwerk.gui import i18n
from slimmaatwerk.gui.visits_dialog import VisitsDialog
from slimmaatwerk.pairing.credentials import store_broker_password
from slimmaatwerk.pairing.tools import MqttTools
from slimmaatwerk.profiles.user_profiles import user_profiles_dir
from tests.gui.test_visits_dialog import select, settle
from tests.pairing.conftest import (  # noqa: F401 - fixtures
    INSTALLER_PASSWORD,
    INSTALLER_USER,
    SecuredHome,
    clock,
    registry,
    secured_home,
    world,
)
from tests.pairing.test_visit_walktest import PIR, SPARE, SPARE_ID, paired

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'gui.db'}"


def shot(dialog: VisitsDialog, name: str, language: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"visits_walk_{name}_{language}.png"
    assert dialog.grab().save(str(path))
    assert path.stat().st_size > 5_000


def opened(qtbot, world, clock, registry, **kw) -> VisitsDialog:  # type: ignore[no-untyped-def]  # noqa: F811
    dialog = VisitsDialog(world.installer, clock, "r1", tools=MqttTools(registry, clock, connect_timeout_s=3.0), **kw)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.resident.count() > 0 and len(dialog.model.items()) > 0, timeout=10_000)
    settle(qtbot, dialog)
    return dialog


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_replacement_is_walk_tested_and_recorded(qtbot, world, secured_home: SecuredHome, clock,  # noqa: F811
                                                      registry, memory_keyring, language: str) -> None:  # noqa: F811
    i18n.set_language(language)
    bridge = secured_home.bridge
    paired(world, secured_home.broker.url)
    store_broker_password("home-r1", secured_home.broker.url, INSTALLER_USER, INSTALLER_PASSWORD)
    bridge.devices.append(SPARE)
    bridge.publish_devices()
    dialog = opened(qtbot, world, clock, registry)
    dialog.tabs.setCurrentIndex(1)
    select(dialog, PIR)
    dialog.new_device.setCurrentText(SPARE_ID)
    dialog.propose("replace")
    dialog.confirm()
    qtbot.waitUntil(lambda: SPARE_ID in {d.identity for d in dialog.model.items()}, timeout=10_000)
    settle(qtbot, dialog)
    assert [d.identity for d in dialog.selected()] == [SPARE_ID]  # chosen for its walk test

    dialog.walk.walk_button.click()
    qtbot.waitUntil(lambda: dialog.walk.live is not None and not dialog.busy, timeout=10_000)
    assert dialog.walk.walk_button.text() == ("Stoppen" if language == "nl" else "Stop")
    waiting = "loop voorbij" if language == "nl" else "walk past"
    assert waiting in dialog.walk.status.text()
    shot(dialog, "1_waiting", language)
    bridge.state(SPARE, occupancy=True, battery=95, linkquality=88)
    qtbot.waitUntil(lambda: dialog.walk.check is not None and dialog.walk.check.confirmed, timeout=10_000)
    assert ("werkt (motion 1)" if language == "nl" else "works (motion 1)") in dialog.walk.status.text()
    assert ("batterij 95 %" if language == "nl" else "battery 95 %") in dialog.walk.status.text()
    shot(dialog, "2_lit", language)

    dialog.walk.record_button.click()
    qtbot.waitUntil(lambda: not dialog.walk.busy and "2" in dialog.status.text(), timeout=10_000)
    assert dialog.status.text() == (f"Versie 2 van het verslag opgeslagen: {SPARE_ID} werkt." if language == "nl"
                                    else f"Version 2 of the record saved: {SPARE_ID} works.")
    (_first, (latest_id, version, _status, _at)) = world.installer.records("r1")
    spare = {d.id: d for d in world.installer.open_record(latest_id).devices}[SPARE_ID]
    assert (version, spare.result, spare.battery, spare.signal) == (2, "passed", 95.0, 88)
    assert dialog.walk.live is None and dialog.walk.walk_button.isEnabled()
    shot(dialog, "3_recorded", language)


def test_a_wrong_password_and_a_home_without_record_are_said_in_words(qtbot, world, secured_home,  # noqa: F811
                                                                      clock, registry, memory_keyring) -> None:  # noqa: F811
    i18n.set_language("nl")
    paired(world, secured_home.broker.url)
    store_broker_password("home-r1", secured_home.broker.url, INSTALLER_USER, "fout")
    dialog = opened(qtbot, world, clock, registry)
    dialog.tabs.setCurrentIndex(1)
    dialog.walk.walk_button.click()  # nothing chosen
    assert dialog.status.text() == "Kies eerst één sensor in de lijst."
    select(dialog, PIR)
    dialog.walk.walk_button.click()
    qtbot.waitUntil(lambda: not dialog.walk.busy, timeout=10_000)
    assert dialog.status.text() == "De broker weigert deze gebruikersnaam of dit wachtwoord."
    assert dialog.walk.live is None and not dialog.walk.record_button.isEnabled()
    shot(dialog, "4_wrong_password", "nl")

    world.installer.pair("zigbee:0x00124b00aaaaaaaa", "r2", "hall", name="gang_pir", profile="z2m.aqara.rtcgq11lm")
    dialog.resident.setCurrentIndex(dialog.resident.findData("r2"))
    qtbot.waitUntil(lambda: [d.name for d in dialog.model.items()] == ["gang_pir"], timeout=10_000)
    settle(qtbot, dialog)
    select(dialog, "zigbee:0x00124b00aaaaaaaa")
    dialog.walk.walk_button.click()
    qtbot.waitUntil(lambda: not dialog.walk.busy, timeout=10_000)
    assert dialog.status.text().startswith("Voor deze woning is geen broker vastgelegd")


def test_refused_user_profiles_are_named_above_the_sensors(qtbot, world, clock, registry,  # noqa: F811
                                                           tmp_path: Path) -> None:
    i18n.set_language("en")
    paired(world, "mqtt://192.168.1.20:1883")
    folder = user_profiles_dir(tmp_path / "data")
    folder.mkdir(parents=True)
    (folder / "kapot.json").write_text("{not json", encoding="utf-8")
    dialog = opened(qtbot, world, clock, registry, data_dir=tmp_path / "data")
    assert dialog.profile_warning.isVisible()
    assert dialog.profile_warning.text().startswith("Own device profiles refused; sensors of those models are not "
                                                    "read: kapot.json (not readable JSON")
    shot(dialog, "5_refused_profiles", "en")
    i18n.set_language("nl")
    dialog.retranslate()
    assert dialog.profile_warning.text().startswith("Eigen apparaatprofielen geweigerd")
    plain = opened(qtbot, world, clock, registry)  # no data folder: nothing to say
    assert not plain.profile_warning.isVisible()
