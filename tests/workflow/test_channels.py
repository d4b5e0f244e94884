"""The three escalation channels against real servers on 127.0.0.1: an SMTP relay, an alarm centre's
webhook and the organisation's mosquitto. Nothing is mocked.
"""

from __future__ import annotations

import email
import json
import queue
import smtplib
import urllib.error

import paho.mqtt.client as paho
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from slimmaatwerk.errors import InputError
from slimmaatwerk.escalation import MqttChannel, Notice, SmtpChannel, WebhookChannel, make_channel
from slimmaatwerk.storage.teams import ChannelConfig
from tests.ingest.mqtt_helpers import Publisher

from .local_servers import smtp_relay, webhook_receiver

NOTICE = Notice(
    alert_id=7, resident_id="r1", resident_name="Mevr. Jansen", team="Noord", indicator="inactivity",
    severity="red", raised_at="2026-03-02T10:00:00+01:00", waited_min=15,
    on_duty={"person": "Cor", "role": "night", "phone": "06-3"},
    contacts=[{"position": 1, "name": "Els", "relation": "dochter", "phone": "06-1"}],
    explanation={"nl": "Al 4 uur geen beweging.", "en": "No movement for 4 hours."},
)


def test_smtp_channel_mails_both_languages_through_the_relay() -> None:
    with smtp_relay() as (port, box):
        SmtpChannel("mail", "127.0.0.1", port, "slim@zorg.example", ["nacht@zorg.example", "tl@zorg.example"]
                    ).send(NOTICE)
    (message,) = box.messages
    assert message["from"] == "slim@zorg.example"
    assert message["to"] == ["nacht@zorg.example", "tl@zorg.example"]
    parsed = email.message_from_bytes(message["data"])
    assert "Mevr. Jansen" in parsed["Subject"]
    body = parsed.get_payload(decode=True).decode("utf-8")
    assert "is na 15 minuten nog niet gezien" in body and "not been acknowledged after 15 minutes" in body
    assert "1. Els 06-1" in body and "Cor (night, 06-3)" in body


def test_smtp_relay_refusal_raises_so_the_runner_retries() -> None:
    with smtp_relay(refuse_first=1) as (port, box):
        channel = SmtpChannel("mail", "127.0.0.1", port, "slim@zorg.example", ["nacht@zorg.example"])
        with pytest.raises(smtplib.SMTPSenderRefused):
            channel.send(NOTICE)
        channel.send(NOTICE)
    assert len(box.messages) == 1


def test_webhook_channel_posts_json_with_the_token() -> None:
    with webhook_receiver() as (url, box):
        WebhookChannel("meldkamer", url, token="s3cret").send(NOTICE)
    (request,) = box.messages
    assert request["path"] == "/alarm"
    assert request["headers"]["Authorization"] == "Bearer s3cret"
    assert request["headers"]["Content-Type"].startswith("application/json")
    body = json.loads(request["body"])
    assert (body["alert_id"], body["severity"], body["version"]) == (7, "red", 1)
    assert body["explanation"]["en"] == "No movement for 4 hours."


def test_webhook_error_status_raises() -> None:
    with webhook_receiver(refuse_first=1) as (url, _box), pytest.raises(urllib.error.HTTPError, match="503"):
        WebhookChannel("meldkamer", url).send(NOTICE)


def test_webhook_ignores_the_machines_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """An internal alarm centre must be reached directly, never through an HTTP proxy (data leaving)."""
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    with webhook_receiver() as (url, box):
        WebhookChannel("meldkamer", url).send(NOTICE)
    assert len(box.messages) == 1


@pytest.mark.broker
def test_mqtt_channel_publishes_to_the_organisations_broker(broker) -> None:  # type: ignore[no-untyped-def]
    received: queue.Queue[paho.MQTTMessage] = queue.Queue()
    subscribed: queue.Queue[bool] = queue.Queue()
    listener = paho.Client(callback_api_version=CallbackAPIVersion.VERSION2, client_id="alarm-listener")
    listener.on_message = lambda _c, _u, msg: received.put(msg)
    listener.on_subscribe = lambda *_a: subscribed.put(True)
    listener.on_connect = lambda c, *_a: c.subscribe("zorg/escalaties", qos=1)
    listener.connect(broker.host, broker.port)
    listener.loop_start()
    publisher = Publisher(broker.host, broker.port, client_id="slim-engine")
    try:
        assert subscribed.get(timeout=10)
        MqttChannel("mqtt", "zorg/escalaties", publisher.publish).send(NOTICE)
        message = received.get(timeout=10)
    finally:
        publisher.close()
        listener.loop_stop()
        listener.disconnect()
    assert message.topic == "zorg/escalaties"
    body = json.loads(message.payload)
    assert (body["type"], body["resident_id"], body["on_duty"]["person"]) == ("slimmaatwerk.escalation", "r1", "Cor")


def test_channels_are_built_from_stored_settings_with_secrets_from_the_keyring() -> None:
    secrets = {"escalation:meldkamer": "tok", "escalation:mail": "pw"}
    hook = make_channel(ChannelConfig("meldkamer", "webhook", {"url": "https://alarm.zorg.local/in"}),
                        secret=secrets.get)
    mail = make_channel(ChannelConfig("mail", "smtp", {"host": "relay", "port": 587, "sender": "a@b",
                                                        "recipients": ["c@d"], "username": "slim"}),
                        secret=secrets.get)
    sent: list[tuple[str, bytes]] = []
    mqtt = make_channel(ChannelConfig("mqtt", "mqtt", {"topic": "zorg/esc"}),
                        publish=lambda t, p: sent.append((t, p)))
    assert isinstance(hook, WebhookChannel) and hook._token == "tok"
    assert isinstance(mail, SmtpChannel) and (mail.port, mail.password) == (587, "pw")
    mqtt.send(NOTICE)
    assert sent[0][0] == "zorg/esc" and json.loads(sent[0][1])["alert_id"] == 7


@pytest.mark.parametrize(("config", "message"), [
    (ChannelConfig("x", "mqtt", {"topic": "zorg/#"}), "without wildcards"),
    (ChannelConfig("x", "webhook", {"url": "ftp://alarm/in"}), "must be http"),
    (ChannelConfig("x", "smtp", {"host": "relay", "sender": "a@b", "recipients": []}), "needs a relay host"),
    (ChannelConfig("x", "pager", {}), "unknown escalation channel kind"),
])
def test_bad_channel_settings_are_refused_clearly(config: ChannelConfig, message: str) -> None:
    with pytest.raises(InputError, match=message):
        make_channel(config, publish=lambda _t, _p: None)
