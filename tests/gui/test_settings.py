"""The settings dialog: config.json without secrets, secrets in the keyring only, escalation in the database."""

from __future__ import annotations

import json
from collections.abc import Iterator

import keyring
import pytest
from keyring.backends import fail

from slimmaatwerk.gui import i18n
from slimmaatwerk.gui.app import ensure_application
from slimmaatwerk.gui.qt import QImage
from slimmaatwerk.gui.settings_dialog import SettingsDialog
from slimmaatwerk.localtime import ms
from slimmaatwerk.storage import accounts
from slimmaatwerk.storage.teams import ChannelConfig, EscalationPolicy
from tests.gui.gui_sampledata import NOW, SCREENSHOTS
from tests.support.memory_keyring import MemoryKeyring  # noqa: F401 - re-exported
from tests.workflow.conftest import WorkflowService, workflow_database

pytestmark = pytest.mark.gui






@pytest.fixture
def service(tmp_path, clock) -> Iterator[WorkflowService]:  # type: ignore[no-untyped-def]
    db = workflow_database(f"sqlite:///{tmp_path / 'settings.db'}")
    with db.begin() as conn:
        admin = accounts.create_user(conn, "anja", "Anja de Wit", "admin,coordinator", ms(NOW), all_residents=True)
    svc = WorkflowService(db, admin, clock)
    svc.set_escalation_policy(EscalationPolicy(True, 20))
    svc.set_escalation_channel(ChannelConfig("mqtt", "mqtt", {"topic": "zorg/escalaties"}))
    yield svc
    db.dispose()


def open_dialog(qtbot, data_dir, service, access: str = "edit") -> SettingsDialog:  # type: ignore[no-untyped-def]
    ensure_application()
    dialog = SettingsDialog(data_dir, service, escalation_access=access)
    qtbot.addWidget(dialog)
    dialog.resize(640, 560)
    dialog.show()
    if service is not None and access != "none":
        # The escalation settings come from the database on a worker, never in the constructor.
        assert dialog.esc_note.text() == "Escalatie-instellingen laden…" or i18n.current_language() == "en"
        with qtbot.waitSignal(dialog.loaded, timeout=5000):
            pass
    return dialog


def test_loads_what_is_stored(qtbot, tmp_path, service) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "config.json").write_text(json.dumps({
        "brokers": ["mqtts://broker.zorg.local:8883"], "language": "en", "other_tool": 1,
        "broker": {"username": "slim", "ca_file": "/etc/ca.pem"}, "retention_days": 400}))
    dialog = open_dialog(qtbot, tmp_path, service)
    assert (dialog.host.text(), dialog.port.value(), dialog.tls.isChecked()) == ("broker.zorg.local", 8883, True)
    assert (dialog.username.text(), dialog.ca_file.text(), dialog.retention.value()) == ("slim", "/etc/ca.pem", 400)
    assert dialog.local.isChecked() and not dialog.db_url.isEnabled()
    assert dialog.language.currentData() == "en"
    assert (dialog.esc_enabled.isChecked(), dialog.esc_delay.value(), dialog.mqtt_topic.text()) == (
        True, 20, "zorg/escalaties")


def test_saving_puts_secrets_in_the_keyring_and_nothing_secret_in_files(qtbot, tmp_path, service,
                                                                        memory_keyring) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "config.json").write_text(json.dumps({"other_tool": 1}))
    dialog = open_dialog(qtbot, tmp_path, service)
    dialog.host.setText("broker.zorg.local")
    dialog.tls.setChecked(True)
    dialog.cert_file.setText("/etc/slim/client.pem")
    dialog.key_file.setText("/etc/slim/client.key")
    dialog.username.setText("slim")
    dialog.password.setText("broker-geheim")
    dialog.shared.setChecked(True)
    dialog.db_url.setText("postgresql://slim:db-geheim@db.zorg.local:5432/slimmaatwerk")
    dialog.esc_delay.setValue(10)
    dialog.webhook_url.setText("https://meldkamer.zorg.local/alarm")
    dialog.webhook_token.setText("token-geheim")
    dialog.mqtt_topic.clear()
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        assert dialog.save(), dialog.error_label.text()
        # Stored on a worker: until it reports back the dialog says so and takes no second Save.
        assert dialog.is_saving() and dialog.error_label.text() == "Opslaan…"
        assert not dialog.buttons.button(dialog.buttons.StandardButton.Save).isEnabled()
        assert not dialog.tabs.isEnabled() and not dialog.save()
    text = (tmp_path / "config.json").read_text()
    assert "geheim" not in text
    config = json.loads(text)
    assert config["brokers"] == ["mqtts://broker.zorg.local:8883"]
    assert config["broker"]["cert_file"] == "/etc/slim/client.pem"
    assert config["database_url"] == "postgresql://slim@db.zorg.local:5432/slimmaatwerk"
    assert config["other_tool"] == 1  # keys of others are kept
    assert memory_keyring.secrets == {
        ("slimmaatwerk", "broker:slim@broker.zorg.local:8883"): "broker-geheim",
        ("slimmaatwerk", "database:slim@db.zorg.local:5432/slimmaatwerk"): "db-geheim",
        ("slimmaatwerk", "escalation:webhook"): "token-geheim",
    }
    policy, channels = service.escalation_settings()
    assert policy.delay_min == 10
    assert [(c.name, c.config) for c in channels] == [("webhook", {"url": "https://meldkamer.zorg.local/alarm"})]
    assert dialog.password.text() == "" and dialog.result() == SettingsDialog.DialogCode.Accepted


def test_without_a_keyring_a_password_is_refused_and_nothing_written(qtbot, tmp_path, service) -> None:  # type: ignore[no-untyped-def]
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        dialog = open_dialog(qtbot, tmp_path, service)
        dialog.host.setText("broker.zorg.local")
        dialog.password.setText("geheim")
        assert not dialog.save()
    finally:
        keyring.set_keyring(previous)
    assert "Geen sleutelbos beschikbaar" in dialog.error_label.text()
    assert not (tmp_path / "config.json").exists()
    assert dialog.isVisible()


@pytest.mark.parametrize(("setup", "message"), [
    (lambda d: d.cert_file.setText("/c.pem"), "Een clientcertificaat heeft ook een sleutel nodig."),
    (lambda d: (d.shared.setChecked(True), d.db_url.setText("mysql://x/y")), "postgresql://"),
    (lambda d: d.webhook_url.setText("ftp://meldkamer/alarm"), "must be http"),
])
def test_bad_input_is_explained_and_not_saved(qtbot, tmp_path, service, setup, message: str) -> None:  # type: ignore[no-untyped-def]
    dialog = open_dialog(qtbot, tmp_path, service)
    dialog.tls.setChecked(True)
    setup(dialog)
    assert not dialog.save()
    assert message in dialog.error_label.text()
    assert [c.name for c in service.escalation_settings()[1]] == ["mqtt"]


def test_a_failing_store_says_where_it_stopped_and_the_dialog_stays_open(qtbot, tmp_path, service,
                                                                          memory_keyring) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "config.json").mkdir()  # a folder where the settings file belongs: writing it fails
    dialog = open_dialog(qtbot, tmp_path, service)
    dialog.host.setText("broker.zorg.local")
    dialog.username.setText("slim")
    dialog.password.setText("broker-geheim")
    dialog.esc_delay.setValue(7)
    with qtbot.waitSignal(dialog.save_failed, timeout=5000) as failed:
        assert dialog.save()
    message = failed.args[0]
    assert message.startswith("⚠ Opslaan mislukt bij het instellingenbestand (config.json): ")
    assert message.endswith("Wat daarvóór kwam is opgeslagen; probeer het opnieuw.")
    assert dialog.error_label.text() == message and dialog.error_label.property("error") is True
    assert dialog.isVisible() and not dialog.is_saving() and dialog.tabs.isEnabled()
    assert dialog.buttons.button(dialog.buttons.StandardButton.Save).isEnabled()
    assert dialog.password.text() == "broker-geheim"  # kept for the next try
    assert memory_keyring.secrets == {("slimmaatwerk", "broker:slim@broker.zorg.local:1883"): "broker-geheim"}
    assert service.escalation_settings()[0].delay_min == 20  # the step after the failing one did not run

    # The database refuses (the account lost the right to change escalation since the dialog opened):
    # said in words, in English too.
    i18n.set_language("en")
    (tmp_path / "config.json").rmdir()
    with service.db.begin() as conn:
        coordinator = accounts.create_user(conn, "bram", "Bram Bos", "coordinator", ms(NOW), all_residents=True)
    dialog = open_dialog(qtbot, tmp_path, WorkflowService(service.db, coordinator, service.clock))
    dialog.host.setText("broker.zorg.local")
    with qtbot.waitSignal(dialog.save_failed, timeout=5000) as failed:
        assert dialog.save()
    assert failed.args[0].startswith("⚠ Saving failed at the database (escalation): ")
    assert json.loads((tmp_path / "config.json").read_text())["brokers"] == ["mqtt://broker.zorg.local:1883"]


def test_changing_the_language_tells_the_window(qtbot, tmp_path, service) -> None:  # type: ignore[no-untyped-def]
    dialog = open_dialog(qtbot, tmp_path, service)
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    with qtbot.waitSignal(dialog.language_changed, timeout=5000) as changed:
        assert dialog.save()
    assert changed.args == ["en"] and i18n.current_language() == "en"
    assert dialog.windowTitle() == "Settings"
    assert json.loads((tmp_path / "config.json").read_text())["language"] == "en"


def test_fields_have_accessible_names_and_escalation_needs_a_database(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    dialog = open_dialog(qtbot, tmp_path, None)
    assert dialog.host.accessibleName() == "Host"
    assert dialog.webhook_url.accessibleName() == "Webhook meldkamer (URL)"
    assert not dialog.webhook_url.isEnabled() and not dialog.esc_delay.isEnabled()
    assert dialog.esc_note.text().startswith("Escalatie-instellingen staan in de database")


def test_the_database_read_waits_for_a_worker_and_save_waits_for_it(qtbot, tmp_path, service) -> None:  # type: ignore[no-untyped-def]
    ensure_application()
    dialog = SettingsDialog(tmp_path, service)
    qtbot.addWidget(dialog)
    save = dialog.buttons.button(dialog.buttons.StandardButton.Save)
    assert dialog.esc_note.text() == "Escalatie-instellingen laden…"
    assert not save.isEnabled() and not dialog.esc_delay.isEnabled()
    assert dialog.mqtt_topic.text() == ""  # nothing read yet: the constructor did not touch the database
    with qtbot.waitSignal(dialog.loaded, timeout=5000):
        pass
    assert save.isEnabled() and dialog.esc_delay.isEnabled() and dialog.mqtt_topic.text() == "zorg/escalaties"


def test_a_coordinator_sees_escalation_read_only_and_saving_leaves_it_alone(qtbot, tmp_path, service) -> None:  # type: ignore[no-untyped-def]
    dialog = open_dialog(qtbot, tmp_path, service, access="read")
    assert (dialog.esc_delay.value(), dialog.mqtt_topic.text()) == (20, "zorg/escalaties")  # what is in force
    assert not dialog.esc_delay.isEnabled() and not dialog.mqtt_topic.isEnabled()
    assert dialog.esc_note.text().startswith("Alleen lezen: alleen een beheerder")
    dialog.esc_delay.setValue(5)  # even if a field were changed, a coordinator's save does not store it
    dialog.host.setText("broker.zorg.local")
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        assert dialog.save(), dialog.error_label.text()
    assert service.escalation_settings()[0].delay_min == 20
    assert json.loads((tmp_path / "config.json").read_text())["brokers"] == ["mqtt://broker.zorg.local:1883"]


def test_an_account_without_alerts_is_told_escalation_is_not_for_it(qtbot, tmp_path, service) -> None:  # type: ignore[no-untyped-def]
    dialog = open_dialog(qtbot, tmp_path, service, access="none")
    assert dialog.esc_note.text().startswith("Escalatie-instellingen zijn alleen zichtbaar")
    assert dialog.buttons.button(dialog.buttons.StandardButton.Save).isEnabled()
    with pytest.raises(ValueError, match="escalation_access"):
        SettingsDialog(tmp_path, service, escalation_access="write")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_screenshots_of_the_settings_dialog(qtbot, tmp_path, service, language: str) -> None:  # type: ignore[no-untyped-def]
    i18n.set_language(language)
    dialog = open_dialog(qtbot, tmp_path, service)
    dialog.host.setText("broker.zorg.local")
    dialog.tls.setChecked(True)
    readonly = open_dialog(qtbot, tmp_path, service, access="read")
    readonly.tabs.setCurrentIndex(3)
    qtbot.wait(50)
    assert readonly.grab().save(str(SCREENSHOTS / f"settings_escalation_readonly_{language}.png"))
    failing = open_dialog(qtbot, tmp_path / "elsewhere", service)
    (tmp_path / "elsewhere" / "config.json").mkdir(parents=True)  # the settings file cannot be written
    failing.host.setText("broker.zorg.local")
    with qtbot.waitSignal(failing.save_failed, timeout=5000):
        assert failing.save()
    qtbot.wait(50)
    assert failing.grab().save(str(SCREENSHOTS / f"settings_save_failed_{language}.png"))
    for index, name in ((0, "broker"), (3, "escalation")):
        dialog.tabs.setCurrentIndex(index)
        qtbot.wait(50)
        path = SCREENSHOTS / f"settings_{name}_{language}.png"
        assert dialog.grab().save(str(path))
        assert QImage(str(path)).height() == 560
