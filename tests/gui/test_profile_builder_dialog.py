"""The profile-builder dialog (pytest-qt, offscreen): samples pasted and captured from a real mosquitto,
fields mapped with a live preview (events and refused fields), wrong input named, saved to the user
folder and validated like the built-ins; reached from the pairing wizard for a device without a
profile, which is then found again with its new profile; screenshots in Dutch and English."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from slimmaatwerk.gui import i18n
from slimmaatwerk.gui.pairing_wizard import PairingWizard
from slimmaatwerk.gui.profile_builder_dialog import PreviewModel, ProfileBuilderDialog
from slimmaatwerk.pairing import profile_builder as pb
from slimmaatwerk.pairing.flow import PairingFlow
from slimmaatwerk.pairing.forms import STEPS
from slimmaatwerk.pairing.tools import MqttTools
from slimmaatwerk.profiles.user_profiles import load_library
from tests.ingest.mqtt_helpers import Publisher
from tests.pairing.conftest import (  # noqa: F401 - fixtures
    UNKNOWN_TOPIC,
    clock,
    home_broker,
    registry,
    tools,
    world,
)

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"
SAMPLES = ['{"pir": 1, "batt": 88, "rssi": -60}', '{"pir": 0, "batt": "low", "rssi": -61}']


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'gui.db'}"


def shot(widget, name: str, language: str) -> None:  # type: ignore[no-untyped-def]
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"profile_builder_{name}_{language}.png"
    assert widget.grab().save(str(path))
    assert path.stat().st_size > 5_000


@pytest.mark.parametrize("language", ["nl", "en"])
def test_paste_map_preview_and_save(qtbot, tmp_path: Path, language: str) -> None:
    i18n.set_language(language)
    folder = pb.user_profiles_dir(tmp_path)
    dialog = ProfileBuilderDialog(folder)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.capture_button.isEnabled()  # no broker tools: paste only
    assert dialog.save() is None and dialog.status.text() == (
        "Vul het onderwerp (topic) in." if language == "nl" else "Fill in the topic.")
    dialog.topic.setText("acme/hal/sensor7")
    assert dialog.save() is None
    assert dialog.status.text() == ("Plak of vang eerst minstens één bericht." if language == "nl"
                                    else "Paste or capture at least one message first.")
    dialog.samples.setPlainText("\n".join(SAMPLES))
    assert [f.path for f in dialog.fields] == ["pir", "batt", "rssi"]
    assert dialog.mappings() == {"pir": pb.Mapping_("motion", "boolean"), "batt": pb.Mapping_("battery")}
    assert dialog.refresh_preview()
    rows = dialog.preview_model.items()
    assert [(r.kind, r.value) for r in rows[0].readings] == [("motion", 1.0), ("battery", 88.0)]
    assert rows[1].rejected == (("batt", "not_a_number"),)  # refused with the reason, shown in red
    assert "batt: not_a_number" in dialog.preview_model.data(dialog.preview_model.index(1, 2))
    shot(dialog, "1_preview", language)

    dialog.profile_id.setText("X")  # wrong id: named
    assert dialog.save() is None and "profile id 'X'" in dialog.status.text()
    dialog.profile_id.setText("z2m.generic")  # a built-in's id: refused, never shadowed
    assert dialog.save() is None and "z2m.generic" in dialog.status.text()
    shot(dialog, "2_error", language)
    dialog.profile_id.setText("acme.pir")
    dialog.description.setText("ACME hal-PIR")
    dialog.model_name.setText("PIR-7")
    dialog.set_mapping("rssi", "")
    assert dialog.test()
    assert dialog.status.text() == ("In orde: 3 gebeurtenissen uit 2 berichten." if language == "nl"
                                    else "Valid: 3 events from 2 messages.")
    with qtbot.waitSignal(dialog.saved) as saved:
        path = dialog.save()
    assert path == folder / "acme.pir.json" == saved.args[0]
    assert json.loads(path.read_text())["profiles"][0]["match"] == {"models": ["PIR-7"]}
    assert "acme.pir" in load_library(folder).registry.by_id
    shot(dialog, "3_saved", language)


def test_samples_are_captured_from_the_broker(qtbot, broker, clock, registry) -> None:  # noqa: F811
    publisher = Publisher(broker.host, broker.port)
    publisher.publish("acme/hal/sensor7", {"pir": 0, "batt": 91}, retain=True)
    publisher.close()
    dialog = ProfileBuilderDialog(None, MqttTools(registry, clock), topic="acme/hal/#", broker_url="nope")
    qtbot.addWidget(dialog)
    dialog.capture()
    assert "mqtt://" in dialog.status.text()  # a wrong broker address is named before connecting
    dialog.broker.setText(broker.url)
    dialog.capture_seconds.setValue(1)
    dialog.capture()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    assert dialog.topic.text() == "acme/hal/sensor7" and dialog.sample_list() == ['{"pir": 0, "batt": 91}']
    assert dialog.save() is None and dialog.status.text() == "Geen gegevensmap: het profiel kan niet worden opgeslagen."
    dialog.broker.setText("mqtt://127.0.0.1:1")
    dialog.capture()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=15_000)
    assert dialog.status.text().startswith("De broker is niet bereikbaar")


def test_the_wizard_opens_the_builder_for_a_device_without_profile(qtbot, world, home_broker, tools,  # noqa: F811
                                                                   memory_keyring, tmp_path: Path) -> None:
    broker, _bridge = home_broker
    folder = pb.user_profiles_dir(tmp_path)
    flow = PairingFlow(world.installer, world.installer.registry, tools, world.clock)
    wizard = PairingWizard(flow, user_profiles_dir=folder)
    qtbot.addWidget(wizard)
    wizard.show()
    pages = wizard.pages
    pages["home"].inputs["resident_id"].setText("r9")
    pages["home"].inputs["name"].setText("Mevr. de Vries")
    for step in ("household", "purpose", "broker", "discover"):
        if step == "broker":
            pages["purpose"].inputs["purpose"].setPlainText("Valrisico")
            pages["purpose"].inputs["data_need"].setPlainText("Beweging per uur")
            pages["purpose"].inputs["consent_given"].setChecked(True)
        if step == "discover":
            pages["broker"].inputs["broker_url"].setText(broker.url)
            pages["broker"].inputs["seconds"].setValue(1)
        wizard.next()
        qtbot.waitUntil(lambda s=step: wizard.currentId() == STEPS.index(s) and not wizard.busy, timeout=20_000)
    make = pages["discover"].buttons[f"make:topic:{UNKNOWN_TOPIC}"]
    make.click()
    builder = wizard.builder
    assert builder is not None and builder.topic.text() == UNKNOWN_TOPIC
    assert builder.sample_list() == ['{"pir": 0, "batt": 91}'] and builder.broker.text() == broker.url
    builder.profile_id.setText("acme.hal")
    shot(builder, "4_from_wizard", "nl")
    builder.save()
    qtbot.waitUntil(lambda: not wizard.busy and "custom:sensor7" in pages["discover"].inputs["_device_boxes"],
                    timeout=20_000)
    boxes = pages["discover"].inputs["_device_boxes"]
    assert boxes["custom:sensor7"].isEnabled() and f"make:topic:{UNKNOWN_TOPIC}" not in pages["discover"].buttons
    assert pages["discover"].error.text() == "Profiel opgeslagen; opnieuw gezocht."
    assert "acme.hal" in flow.registry.by_id
    shot(wizard, "5_wizard_rescanned", "nl")


def test_the_preview_model_passes_the_qt_model_tester(qtmodeltester) -> None:
    model = PreviewModel()
    draft = pb.Draft("acme.pir", "x", "acme/hal/s", {"pir": pb.Mapping_("motion", "boolean"),
                                                     "batt": pb.Mapping_("battery")})
    model.set_items(pb.preview_rows(draft, SAMPLES + ["not json at all"]))
    qtmodeltester.check(model)
