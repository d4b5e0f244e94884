"""The settings dialog: broker, data (local folder or shared database), retention, language, escalation.

Where each setting lives:
- ``<data dir>/config.json`` (``DataDirConfig`` keys ``database_url``, ``brokers``, ``language``, plus
  ``broker`` {username, ca_file, cert_file, key_file} and ``retention_days``) — never a secret;
- the OS keyring (service ``slimmaatwerk``): the broker password (``broker:USER@HOST:PORT``), a database
  password taken out of the URL (``database:USER@HOST:PORT/NAME``), SMTP password / webhook token
  (``escalation:CHANNEL``). Without a usable keyring a secret is refused, never written to a file;
- the database, through the service facade: the escalation policy and channels (the engine reads them).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import keyring
from sqlalchemy.engine import URL, make_url

from slimmaatwerk.datadir import CONFIG_FILE
from slimmaatwerk.errors import SlimMaatwerkError
from slimmaatwerk.escalation import make_channel
from slimmaatwerk.gui.i18n import LANGUAGES, current_language, set_language, tr
from slimmaatwerk.gui.qt import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    Signal,
)
from slimmaatwerk.gui.workers import BackgroundRunner
from slimmaatwerk.protection import SERVICE, keyring_usable
from slimmaatwerk.storage.teams import ChannelConfig, EscalationPolicy

DEFAULT_RETENTION_DAYS = 365


class EscalationSettingsSource(Protocol):
    def escalation_settings(self) -> tuple[EscalationPolicy, list[ChannelConfig]]: ...
    def set_escalation_policy(self, policy: EscalationPolicy) -> None: ...
    def set_escalation_channel(self, channel: ChannelConfig) -> None: ...
    def remove_escalation_channel(self, name: str) -> None: ...


def _read_config(data_dir: Path) -> dict[str, Any]:
    try:
        raw = json.loads((data_dir / CONFIG_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return raw if isinstance(raw, dict) else {}


def _write_config(data_dir: Path, values: dict[str, Any]) -> None:
    """Merge into config.json, keeping keys this dialog does not know; atomic replace."""
    merged = {**_read_config(data_dir), **values}
    data_dir.mkdir(parents=True, exist_ok=True)
    tmp = data_dir / (CONFIG_FILE + ".tmp")
    tmp.write_text(json.dumps(merged, indent=2, ensure_ascii=False), encoding="utf-8")
    tmp.replace(data_dir / CONFIG_FILE)


def split_database_password(url: str) -> tuple[str, str | None, str]:
    """(URL without password, password or None, keyring key) of a database URL."""
    parsed = make_url(url)
    key = f"database:{parsed.username or ''}@{parsed.host or ''}:{parsed.port or ''}/{parsed.database or ''}"
    bare = URL.create(parsed.drivername, parsed.username, None, parsed.host, parsed.port, parsed.database,
                      parsed.query)
    return bare.render_as_string(hide_password=False), parsed.password, key


ESCALATION_ACCESS = ("edit", "read", "none")
SAVE_STEPS = ("keyring", "config", "database")


@dataclass(frozen=True)
class SavePlan:
    """What Save stores, read from the fields on the UI thread: the worker touches no widget."""

    config: dict[str, Any]
    secrets: dict[str, str] = dataclass_field(default_factory=dict)
    policy: EscalationPolicy | None = None  # None: the escalation settings are left alone
    channels: dict[str, dict[str, Any] | None] = dataclass_field(default_factory=dict)  # kind -> config, None = off


class SaveFailed(SlimMaatwerkError):
    """Storing stopped at ``step`` (one of SAVE_STEPS); the steps before it are stored."""

    def __init__(self, step: str, error: BaseException) -> None:
        super().__init__(f"{step}: {error}")
        self.step, self.error = step, error


def store_settings(plan: SavePlan, data_dir: Path, service: EscalationSettingsSource | None) -> None:
    """Secrets into the keyring, then config.json, then the escalation settings (off the UI thread:
    a keyring may ask the desktop over D-Bus, and the database may be a server on the network)."""
    step = "keyring"
    try:
        for key, value in plan.secrets.items():
            keyring.set_password(SERVICE, key, value)
        step = "config"
        _write_config(data_dir, plan.config)
        if plan.policy is not None and service is not None:
            step = "database"
            service.set_escalation_policy(plan.policy)
            for kind, config in plan.channels.items():
                if config is None:
                    service.remove_escalation_channel(kind)
                else:
                    service.set_escalation_channel(ChannelConfig(kind, kind, config, True))
    except Exception as exc:  # reported with the step it stopped at
        raise SaveFailed(step, exc) from exc


class SettingsDialog(QDialog):
    """``escalation_access``: "edit" (an administrator who handles alerts), "read" (shown read-only, with
    who may change it) or "none" (not shown to this account). The escalation settings are read from the
    database on a worker; until they are in, the tab says so and Save waits."""

    language_changed = Signal(str)
    saved = Signal()
    save_failed = Signal(str)  # the message shown in the dialog, which stays open
    loaded = Signal()  # the escalation settings arrived (or failed to)

    def __init__(self, data_dir: Path, service: EscalationSettingsSource | None = None,
                 parent: QWidget | None = None, *, escalation_access: str = "edit") -> None:
        super().__init__(parent)
        if escalation_access not in ESCALATION_ACCESS:
            raise ValueError(f"escalation_access must be one of {ESCALATION_ACCESS}, not {escalation_access!r}")
        self.setObjectName("settingsDialog")
        self._data_dir = Path(data_dir)
        self._service = service if escalation_access != "none" else None
        self._access = escalation_access
        self._esc_state = "loading" if self._service is not None else ""
        self._saving = False
        self._runner = BackgroundRunner(self)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._broker_tab(), "")
        self.tabs.addTab(self._data_tab(), "")
        self.tabs.addTab(self._language_tab(), "")
        self.tabs.addTab(self._escalation_tab(), "")
        self.error_label = QLabel()
        self.error_label.setObjectName("stateLabel")
        self.error_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self._esc_error = ""
        self.load()
        self.retranslate()

    # -- building ------------------------------------------------------------------------------------
    def _form(self) -> tuple[QWidget, QFormLayout]:
        page = QWidget()
        form = QFormLayout(page)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        return page, form

    def _file_row(self, edit: QLineEdit) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        button = QPushButton()
        button.clicked.connect(lambda: edit.setText(QFileDialog.getOpenFileName(self)[0] or edit.text()))
        self._browse_buttons.append(button)
        layout.addWidget(edit, 1)
        layout.addWidget(button)
        return row

    def _broker_tab(self) -> QWidget:
        page, form = self._form()
        self._browse_buttons: list[QPushButton] = []
        self.host, self.port = QLineEdit(), QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setMaximumWidth(160)
        self.tls = QCheckBox()
        self.ca_file, self.cert_file, self.key_file = QLineEdit(), QLineEdit(), QLineEdit()
        self.username, self.password = QLineEdit(), QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.tls.toggled.connect(self._tls_toggled)
        self._broker_rows = [("settings.broker.host", self.host), ("settings.broker.port", self.port),
                             ("", self.tls), ("settings.broker.ca", self._file_row(self.ca_file)),
                             ("settings.broker.cert", self._file_row(self.cert_file)),
                             ("settings.broker.key", self._file_row(self.key_file)),
                             ("settings.broker.user", self.username), ("settings.password", self.password)]
        for _key, widget in self._broker_rows:
            form.addRow(QLabel(), widget)
        self._broker_form = form
        return page

    def _data_tab(self) -> QWidget:
        page, form = self._form()
        self.local, self.shared = QRadioButton(), QRadioButton()
        self.folder, self.db_url = QLineEdit(str(self._data_dir)), QLineEdit()
        self.folder.setReadOnly(True)
        self.db_url.setPlaceholderText("postgresql://user@db.zorg.local:5432/slimmaatwerk")
        self.shared.toggled.connect(self.db_url.setEnabled)
        self.retention = QSpinBox()
        self.retention.setRange(30, 3650)
        self.retention.setMaximumWidth(160)
        self.restart_note = QLabel()
        self.restart_note.setWordWrap(True)
        self._data_rows = [("", self.local), ("settings.data.folder", self.folder), ("", self.shared),
                           ("settings.data.url", self.db_url), ("settings.data.retention", self.retention),
                           ("", self.restart_note)]
        for _key, widget in self._data_rows:
            form.addRow(QLabel(), widget)
        self._data_form = form
        return page

    def _language_tab(self) -> QWidget:
        page, form = self._form()
        self.language = QComboBox()
        for lang in LANGUAGES:
            self.language.addItem("", lang)
        form.addRow(QLabel(), self.language)
        self._language_form = form
        return page

    def _escalation_tab(self) -> QWidget:
        page, form = self._form()
        self.esc_enabled = QCheckBox()
        self.esc_delay = QSpinBox()
        self.esc_delay.setRange(1, 1440)
        self.esc_delay.setMaximumWidth(160)
        self.mqtt_topic, self.smtp_host, self.smtp_port = QLineEdit(), QLineEdit(), QSpinBox()
        self.smtp_port.setRange(1, 65535)
        self.smtp_port.setMaximumWidth(160)
        self.smtp_from, self.smtp_to, self.starttls = QLineEdit(), QLineEdit(), QCheckBox()
        self.webhook_url, self.webhook_token = QLineEdit(), QLineEdit()
        self.webhook_token.setEchoMode(QLineEdit.EchoMode.Password)
        self.esc_note = QLabel()
        self.esc_note.setWordWrap(True)
        self._esc_rows = [("", self.esc_note), ("", self.esc_enabled), ("settings.esc.delay", self.esc_delay),
                          ("settings.esc.mqtt", self.mqtt_topic), ("settings.esc.smtp_host", self.smtp_host),
                          ("settings.broker.port", self.smtp_port), ("settings.esc.smtp_from", self.smtp_from),
                          ("settings.esc.smtp_to", self.smtp_to), ("", self.starttls),
                          ("settings.esc.webhook", self.webhook_url), ("settings.esc.token", self.webhook_token)]
        for _key, widget in self._esc_rows:
            form.addRow(QLabel(), widget)
        self._esc_form = form
        self._esc_fields = [self.esc_enabled, self.esc_delay, self.mqtt_topic, self.smtp_host, self.smtp_port,
                            self.smtp_from, self.smtp_to, self.starttls, self.webhook_url, self.webhook_token]
        return page

    def _tls_toggled(self, on: bool) -> None:
        for edit in (self.ca_file, self.cert_file, self.key_file):
            edit.setEnabled(on)
        if on and self.port.value() == 1883:
            self.port.setValue(8883)
        elif not on and self.port.value() == 8883:
            self.port.setValue(1883)

    def retranslate(self) -> None:
        self.setWindowTitle(tr("settings.title"))
        for i, key in enumerate(("broker", "data", "language", "escalation")):
            self.tabs.setTabText(i, tr(f"settings.tab.{key}"))
        for form, rows in ((self._broker_form, self._broker_rows), (self._data_form, self._data_rows),
                           (self._esc_form, self._esc_rows)):
            for i, (key, widget) in enumerate(rows):
                label = form.itemAt(i, QFormLayout.ItemRole.LabelRole).widget()
                label.setText(tr(key) if key else "")
                if key:
                    label.setBuddy(widget)
                    widget.setAccessibleName(tr(key))
        self._language_form.itemAt(0, QFormLayout.ItemRole.LabelRole).widget().setText(tr("settings.language"))
        self.language.setAccessibleName(tr("settings.language"))
        for i in range(self.language.count()):
            self.language.setItemText(i, tr(f"lang.{self.language.itemData(i)}"))
        self.tls.setText(tr("settings.broker.tls"))
        self.password.setPlaceholderText(tr("settings.password.keep"))
        self.webhook_token.setPlaceholderText(tr("settings.password.keep"))
        for button in self._browse_buttons:
            button.setText(tr("settings.browse"))
        self.local.setText(tr("settings.data.local"))
        self.shared.setText(tr("settings.data.shared"))
        self.retention.setSuffix(tr("settings.data.days"))
        self.restart_note.setText(tr("settings.restart"))
        self.esc_enabled.setText(tr("settings.esc.enabled"))
        self.esc_delay.setSuffix(tr("settings.esc.minutes"))
        self.starttls.setText(tr("settings.esc.starttls"))
        self._show_escalation_state()
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(tr("settings.save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("settings.cancel"))

    # -- loading and saving --------------------------------------------------------------------------
    def load(self) -> None:
        config = _read_config(self._data_dir)
        broker = dict(config.get("broker") or {})
        urls = list(config.get("brokers") or [])
        parts = urlsplit(urls[0]) if urls else None
        tls = bool(parts and parts.scheme in ("mqtts", "ssl"))
        self.host.setText(parts.hostname or "" if parts else "")
        self.port.setValue(parts.port or (8883 if tls else 1883) if parts else 1883)
        self.tls.setChecked(tls)
        self._tls_toggled(tls)
        self.ca_file.setText(broker.get("ca_file", ""))
        self.cert_file.setText(broker.get("cert_file", ""))
        self.key_file.setText(broker.get("key_file", ""))
        self.username.setText(broker.get("username", ""))
        url = str(config.get("database_url", ""))
        self.db_url.setText(url)
        (self.shared if url else self.local).setChecked(True)
        self.db_url.setEnabled(bool(url))
        self.retention.setValue(int(config.get("retention_days", DEFAULT_RETENTION_DAYS)))
        self.language.setCurrentIndex(max(self.language.findData(config.get("language") or current_language()), 0))
        self._show_escalation_state()
        if self._service is not None:
            self._runner.run("escalation", self._service.escalation_settings, self._on_escalation,
                             self._on_escalation_failed)

    def _on_escalation(self, settings: tuple[EscalationPolicy, list[ChannelConfig]]) -> None:
        policy, channels = settings
        self.esc_enabled.setChecked(policy.enabled)
        self.esc_delay.setValue(policy.delay_min)
        by_kind = {c.kind: c.config for c in channels}
        self.mqtt_topic.setText(by_kind.get("mqtt", {}).get("topic", ""))
        smtp = by_kind.get("smtp", {})
        self.smtp_host.setText(smtp.get("host", ""))
        self.smtp_port.setValue(int(smtp.get("port", 25)))
        self.smtp_from.setText(smtp.get("sender", ""))
        self.smtp_to.setText(", ".join(smtp.get("recipients", [])))
        self.starttls.setChecked(bool(smtp.get("starttls", False)))
        self.webhook_url.setText(by_kind.get("webhook", {}).get("url", ""))
        self._esc_state = "ready"
        self._show_escalation_state()
        self.loaded.emit()

    def _on_escalation_failed(self, error: BaseException) -> None:
        self._esc_state = "failed"
        self._esc_error = str(error) or type(error).__name__
        self._show_escalation_state()
        self.loaded.emit()

    def may_edit_escalation(self) -> bool:
        return self._service is not None and self._access == "edit" and self._esc_state == "ready"

    def _show_escalation_state(self) -> None:
        """The escalation tab's note and which fields can be changed, for the state it is in."""
        editable = self.may_edit_escalation()
        for field in self._esc_fields:
            field.setEnabled(editable)
        if self._access == "none":
            note = tr("settings.esc.no_access")
        elif self._service is None:
            note = tr("settings.esc.no_service")
        elif self._esc_state == "loading":
            note = tr("settings.esc.loading")
        elif self._esc_state == "failed":
            note = tr("settings.esc.failed", error=self._esc_error)
        else:
            note = tr("settings.esc.internal") if self._access == "edit" else tr("settings.esc.readonly")
        self.esc_note.setText(note)
        # Saving while the stored settings are still on their way would overwrite them with blanks.
        waiting = self._access == "edit" and self._service is not None and self._esc_state == "loading"
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not waiting and not self._saving)

    def _secrets(self) -> dict[str, str]:
        secrets: dict[str, str] = {}
        if self.password.text():
            key = f"broker:{self.username.text().strip()}@{self.host.text().strip()}:{self.port.value()}"
            secrets[key] = self.password.text()
        if self.shared.isChecked() and self.db_url.text().strip():
            _url, password, key = split_database_password(self.db_url.text().strip())
            if password:
                secrets[key] = password
        if self.webhook_token.text():
            secrets["escalation:webhook"] = self.webhook_token.text()
        return secrets

    def save(self) -> bool:
        """Check the input here, then store it on a worker; True when saving has started.

        ``saved`` follows (and the dialog closes) or ``save_failed`` with the step that failed; meanwhile
        the dialog shows that it is saving and takes no edits.
        """
        if self._saving:
            return False
        self.error_label.clear()
        url = self.db_url.text().strip() if self.shared.isChecked() else ""
        if self.cert_file.text().strip() and not self.key_file.text().strip():
            return self._fail(tr("settings.err.cert_key"))
        if url and not url.startswith(("postgresql://", "postgresql+psycopg://")):
            return self._fail(tr("settings.err.url"))
        try:
            secrets = self._secrets()
            policy, channels = self._escalation_plan()
        except Exception as exc:  # noqa: BLE001 - a bad URL or relay, shown in the dialog
            return self._fail(tr("settings.err.input", error=str(exc) or type(exc).__name__))
        if secrets and not keyring_usable():
            return self._fail(tr("settings.err.keyring"))
        plan = SavePlan(self._config_values(url), secrets, policy, channels)
        data_dir, service = self._data_dir, self._service
        self._set_saving(True)
        self._runner.run("save", lambda: store_settings(plan, data_dir, service), self._on_saved,
                         self._on_save_failed)
        return True

    def is_saving(self) -> bool:
        return self._saving

    def _set_saving(self, on: bool) -> None:
        self._saving = on
        self.tabs.setEnabled(not on)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setEnabled(not on)
        if on:
            self._show_message(tr("settings.saving"), error=False)
        self._show_escalation_state()  # enables Save again unless the escalation settings are loading

    def _on_saved(self, _result: object) -> None:
        self._set_saving(False)
        self.error_label.clear()
        self.password.clear()
        self.webhook_token.clear()
        language = self.language.currentData()
        if language != current_language():
            set_language(language)
            self.retranslate()
            self.language_changed.emit(language)
        self.saved.emit()
        self.accept()

    def _on_save_failed(self, error: BaseException) -> None:
        self._set_saving(False)
        step, cause = (error.step, error.error) if isinstance(error, SaveFailed) else ("config", error)
        self._fail(tr("settings.err.save", step=tr(f"settings.step.{step}"),
                      error=str(cause) or type(cause).__name__))
        self.save_failed.emit(self.error_label.text())

    def reject(self) -> None:
        if not self._saving:  # Escape while saving: the store runs on, its outcome is shown here
            super().reject()

    def _config_values(self, url: str) -> dict[str, Any]:
        host = self.host.text().strip()
        scheme = "mqtts" if self.tls.isChecked() else "mqtt"
        tls = self.tls.isChecked()
        return {
            "brokers": [f"{scheme}://{host}:{self.port.value()}"] if host else [],
            "broker": {"username": self.username.text().strip(),
                       "ca_file": self.ca_file.text().strip() if tls else "",
                       "cert_file": self.cert_file.text().strip() if tls else "",
                       "key_file": self.key_file.text().strip() if tls else ""},
            "database_url": split_database_password(url)[0] if url else "",
            "retention_days": self.retention.value(),
            "language": self.language.currentData(),
        }

    def _escalation_plan(self) -> tuple[EscalationPolicy | None, dict[str, dict[str, Any] | None]]:
        """The policy and channels to store (None: leave them alone); a bad channel raises here, before
        anything is stored."""
        if self._service is None or not self.may_edit_escalation():
            return None, {}
        recipients = [r.strip() for r in self.smtp_to.text().split(",") if r.strip()]
        wanted: dict[str, dict[str, Any] | None] = {
            "mqtt": {"topic": self.mqtt_topic.text().strip()} if self.mqtt_topic.text().strip() else None,
            "smtp": {"host": self.smtp_host.text().strip(), "port": self.smtp_port.value(),
                     "sender": self.smtp_from.text().strip(), "recipients": recipients,
                     "starttls": self.starttls.isChecked()} if self.smtp_host.text().strip() else None,
            "webhook": {"url": self.webhook_url.text().strip()} if self.webhook_url.text().strip() else None,
        }
        for kind, config in wanted.items():
            if config is not None:
                make_channel(ChannelConfig(kind, kind, config), publish=lambda _t, _p: None)
        return EscalationPolicy(self.esc_enabled.isChecked(), self.esc_delay.value()), wanted

    def done(self, result: int) -> None:
        self._runner.shutdown()
        super().done(result)

    def _fail(self, message: str) -> bool:
        self._show_message(f"⚠ {message}", error=True)
        return False

    def _show_message(self, text: str, *, error: bool) -> None:
        self.error_label.setText(text)
        self.error_label.setProperty("error", error)
        self.error_label.style().polish(self.error_label)  # the style sheet colours errors
