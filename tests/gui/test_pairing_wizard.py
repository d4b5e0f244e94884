"""The pairing wizard walked page by page (pytest-qt, offscreen) against a real mosquitto with a
Zigbee2MQTT bridge and a Home Assistant door; a screenshot of every page in Dutch and English."""

from __future__ import annotations

from pathlib import Path

import pytest

from slimmaatwerk.gui import i18n
from slimmaatwerk.gui.pairing_wizard import LIT, WARN, PairingWizard
from slimmaatwerk.pairing.flow import PairingFlow
from slimmaatwerk.pairing.forms import STEPS
from tests.pairing.conftest import (  # noqa: F401 - fixtures
    clock,
    home_broker,
    registry,
    tools,
    world,
)

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """The GUI test needs one database; storage is tested on both in tests/pairing."""
    return f"sqlite:///{tmp_path / 'gui.db'}"


def shot(wizard: PairingWizard, name: str, language: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"pairing_{name}_{language}.png"
    assert wizard.grab().save(str(path))
    assert path.stat().st_size > 5_000


def go_next(qtbot, wizard: PairingWizard, step: str) -> None:
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentId() == STEPS.index(step) and not wizard.busy, timeout=20_000)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_wizard_walks_every_page(qtbot, world, home_broker, tools, memory_keyring,  # noqa: F811
                                     language: str) -> None:
    broker, bridge = home_broker
    i18n.set_language(language)
    flow = PairingFlow(world.installer, world.installer.registry, tools, world.clock)
    wizard = PairingWizard(flow)
    qtbot.addWidget(wizard)
    wizard.show()
    pages = wizard.pages
    shot(wizard, "1_home", language)
    pages["home"].inputs["resident_id"].setText("r9")
    pages["home"].inputs["name"].setText("Mevr. de Vries")
    go_next(qtbot, wizard, "household")
    pages["household"].inputs["household"].setCurrentIndex(1)
    pages["household"].inputs["pet"].setChecked(True)
    pages["household"].inputs["care_visits"].setPlainText("ma-vr 08:00-08:30 thuiszorg")
    shot(wizard, "2_household", language)
    go_next(qtbot, wizard, "purpose")
    wizard.next()  # nothing filled in: the page stays and names what is missing
    qtbot.waitUntil(lambda: not wizard.busy)
    assert wizard.currentId() == STEPS.index("purpose")
    assert pages["purpose"].findChildren(type(pages["purpose"].error))  # error labels exist
    shot(wizard, "3_purpose_errors", language)
    pages["purpose"].inputs["purpose"].setPlainText("Valrisico 's nachts signaleren")
    pages["purpose"].inputs["data_need"].setPlainText("Beweging en deuren per ruimte, per uur")
    pages["purpose"].inputs["consent_given"].setChecked(True)
    go_next(qtbot, wizard, "broker")
    pages["broker"].inputs["broker_url"].setText(broker.url)
    pages["broker"].inputs["seconds"].setValue(1)
    shot(wizard, "4_broker", language)
    go_next(qtbot, wizard, "discover")
    boxes = pages["discover"].inputs["_device_boxes"]
    assert len(boxes) == 6 and not boxes["topic:acme/hal/sensor7"].isEnabled()
    for device_id, box in boxes.items():
        box.setChecked(device_id != "topic:acme/hal/sensor7")
    shot(wizard, "5_discover", language)
    go_next(qtbot, wizard, "profiles")
    shot(wizard, "6_profiles", language)
    go_next(qtbot, wizard, "rooms")
    shot(wizard, "7_rooms", language)
    go_next(qtbot, wizard, "walktest")
    qtbot.waitUntil(lambda: flow.live is not None and flow.live.connected, timeout=10_000)
    # walk order is the discover list: bathroom, kitchen, bedroom, front door, toilet door
    bridge.state(bridge.devices[2], humidity=50.0, temperature=20.0, battery=80, linkquality=90)
    bridge.state(bridge.devices[2], humidity=60.0, temperature=20.5, battery=80, linkquality=90)
    bridge.state(bridge.devices[0], occupancy=True, battery=100, linkquality=140)
    kitchen, _status = pages["walktest"].rows[f"zigbee:{bridge.devices[0].ieee}"]
    qtbot.waitUntil(lambda: LIT in kitchen.styleSheet(), timeout=10_000)  # lit up via the queued signal
    bridge.state(bridge.devices[1], contact=False, battery=12, linkquality=20)  # while "in the bedroom"
    door, door_status = pages["walktest"].rows[f"zigbee:{bridge.devices[1].ieee}"]
    qtbot.waitUntil(lambda: WARN in door.styleSheet(), timeout=10_000)
    assert ("batterij bijna leeg" if language == "nl" else "battery low") in door_status.text()
    shot(wizard, "8_walktest", language)
    wizard.next()
    qtbot.waitUntil(lambda: not wizard.busy)
    assert wizard.currentId() == STEPS.index("walktest") and pages["walktest"].error.text()
    pages["walktest"].inputs["accept_problems"].setChecked(True)
    go_next(qtbot, wizard, "summary")
    shot(wizard, "9_summary", language)
    with qtbot.waitSignal(wizard.finished_record, timeout=10_000) as done:
        wizard.next()
    record = done.args[0]
    assert record.resident_id == "r9" and len(record.devices) == 5
    assert sum(d.result == "passed" for d in record.devices) == 2


def test_cancel_and_abort_are_shown_in_words(qtbot, world, tools) -> None:  # noqa: F811
    flow = PairingFlow(world.installer, world.installer.registry, tools, world.clock)
    wizard = PairingWizard(flow)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.reject()
    assert flow.finished and not wizard.isVisible()
    from slimmaatwerk.pairing.installer import Installer

    refused = PairingWizard(PairingFlow(Installer(world.coordinator), world.installer.registry, tools, world.clock))
    qtbot.addWidget(refused)
    assert refused.aborted == "access_denied"
    assert refused.pages["home"].error.text() == "U mag geen apparaten koppelen voor deze bewoner."
    assert not refused.pages["home"].isComplete()
