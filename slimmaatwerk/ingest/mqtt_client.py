"""The MQTT connection: the only module that imports paho.

At-least-once: QoS 1 subscriptions, a persistent session under a stable client id (MQTT v5 with
SessionExpiryInterval and a ReceiveMaximum so mosquitto sends more than 20 unacknowledged messages, or
v3.1.1 with clean_session=False), manual acks sent by the writer after its commit. The network loop runs
in a thread of our own so reconnects get jitter (paho's own backoff has none) and so a refused login
stops the loop and is reported instead of being retried forever. Every paho callback is guarded: an
exception in one would silently kill paho's network thread.
"""

from __future__ import annotations

import logging
import random
import ssl
import struct
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import paho.mqtt.client as paho
from paho.mqtt.enums import CallbackAPIVersion, MQTTErrorCode
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from paho.mqtt.subscribeoptions import SubscribeOptions

from ..clock import Clock
from ..errors import InputError
from ..localtime import ms
from .inbound import Inbound

log = logging.getLogger(__name__)

_PUBACK = struct.Struct("!BBH")  # fixed header, remaining length 2, packet id

# CONNACK reason codes that mean "your credentials or rights are wrong": retrying cannot help.
_AUTH_FAILURES = frozenset({4, 5, 134, 135, 138, 140})


@dataclass(frozen=True)
class BrokerConfig:
    url: str  # mqtt://host:port or mqtts://host:port
    client_id: str
    username: str | None = None
    password: str | None = None
    ca_file: str | None = None
    cert_file: str | None = None
    key_file: str | None = None
    protocol: int = 5  # 5 or 4 (3.1.1)
    session_expiry_s: int = 7 * 24 * 3600  # keep queued messages across a long weekend outage
    receive_maximum: int = 1000
    keepalive_s: int = 30
    min_backoff_s: float = 0.5
    max_backoff_s: float = 60.0

    @property
    def host_port_tls(self) -> tuple[str, int, bool]:
        parts = urlsplit(self.url)
        if parts.scheme not in ("mqtt", "mqtts", "tcp", "ssl") or not parts.hostname:
            raise InputError(f"broker URL {self.url!r} must look like mqtt://host:port or mqtts://host:port")
        tls = parts.scheme in ("mqtts", "ssl")
        return parts.hostname, parts.port or (8883 if tls else 1883), tls


class MqttConnection:
    """One broker: subscribe, stamp each message with the clock and hand it to ``deliver``."""

    def __init__(self, config: BrokerConfig, source: int, deliver: Callable[[Inbound], bool],
                 clock: Clock, filters: list[str], first_filters: list[str] | None = None,
                 rng: random.Random | None = None) -> None:
        self.config = config
        self.source = source
        self._deliver = deliver
        self._clock = clock
        self._filters = list(filters)
        self._first_filters = [f for f in (first_filters or []) if f not in filters]
        self._rng = rng or random.Random()
        self._stop = threading.Event()
        self._paused = threading.Event()
        self._thread: threading.Thread | None = None
        self.state = "new"
        self.last_error: str | None = None
        self.connects = 0
        host, port, tls = config.host_port_tls
        self._host, self._port = host, port
        protocol = paho.MQTTv5 if config.protocol == 5 else paho.MQTTv311
        kwargs: dict[str, Any] = {} if protocol == paho.MQTTv5 else {"clean_session": False}
        self._client = paho.Client(callback_api_version=CallbackAPIVersion.VERSION2,
                                   client_id=config.client_id, protocol=protocol, manual_ack=True, **kwargs)
        if config.username is not None:
            self._client.username_pw_set(config.username, config.password)
        if tls:
            self._client.tls_set(ca_certs=config.ca_file, certfile=config.cert_file, keyfile=config.key_file,
                                 cert_reqs=ssl.CERT_REQUIRED)
        self._client.on_connect = self._guard(self._on_connect)
        self._client.on_disconnect = self._guard(self._on_disconnect)
        self._client.on_message = self._guard(self._on_message)
        self._client.on_subscribe = self._guard(self._on_subscribe)

    # -- public ---------------------------------------------------------------------------------
    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name=f"slim-mqtt-{self.source}", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        try:
            self._client.disconnect()
        except Exception:
            log.debug("disconnect while stopping failed", exc_info=True)
        if self._thread is not None:
            self._thread.join(timeout)
        if self.state != "auth_failed":
            self.state = "stopped"

    def pause(self) -> None:
        """Take no more messages (unacknowledged ones stay in the broker's session for next time)."""
        self._paused.set()

    def ack(self, mid: int, qos: int) -> None:
        """Acknowledge after the commit (called from the writer thread; paho queues it thread-safely)."""
        if self.state == "connected":
            self._client.ack(mid, qos)

    def ack_many(self, acks: Sequence[tuple[int, int]]) -> None:
        """Acknowledge a committed batch of (mid, qos), in the order received (MQTT wants PUBACKs in order)."""
        if self.state != "connected":
            return
        if all(qos == 1 for _mid, qos in acks) and hasattr(self._client, "_packet_queue"):
            # One write for the whole batch: paho's ack() costs two system calls per message (a wake-up
            # byte and a send), a tenth of all ingest work at 10,000 msg/s. A QoS 1 PUBACK without a
            # reason code is the same four bytes in MQTT 3.1.1 and 5 (what paho's ack() sends), and
            # paho writes a queued packet as opaque bytes, so the concatenation goes out in order.
            blob = b"".join([_PUBACK.pack(0x40, 2, mid) for mid, _qos in acks])
            self._client._packet_queue(paho.PUBACK, blob, 0, 0)
            return
        for mid, qos in acks:
            self._client.ack(mid, qos)

    def subscribe(self, filters: list[str]) -> None:
        new = [f for f in filters if f not in self._filters]
        self._filters.extend(new)
        if new and self.state == "connected":
            self._subscribe(new)

    @property
    def connected(self) -> bool:
        return self.state == "connected"

    # -- publishing: installer tools only (pairing asks Zigbee2MQTT to permit joining) -----------
    # The engine never publishes; this exists so that pairing needs no second paho module.
    def publish(self, topic: str, payload: bytes, timeout_s: float = 5.0) -> bool:
        """Publish one QoS 1 message; True once the broker acknowledged it within ``timeout_s``."""
        if self.state != "connected":
            return False
        try:
            info = self._client.publish(topic, payload, qos=1)
            info.wait_for_publish(timeout_s)
        except (RuntimeError, ValueError, OSError) as exc:
            self.last_error = f"publish to {topic!r} failed: {exc}"
            log.warning(self.last_error)
            return False
        return info.is_published()

    # -- network loop ---------------------------------------------------------------------------
    def _run(self) -> None:
        attempt = 0
        first = True
        while not self._stop.is_set():
            self.state = "connecting"
            try:
                if first:
                    self._client.connect(self._host, self._port, self.config.keepalive_s,
                                         **self._connect_args())
                    first = False
                else:
                    self._client.reconnect()
            except (OSError, ValueError) as exc:  # refused, unreachable, TLS failure: retry with backoff
                self.last_error = f"{type(exc).__name__}: {exc}"
                self.state = "disconnected"
                log.warning("cannot connect to %s: %s", self.config.url, self.last_error)
                attempt += 1
                self._stop.wait(self._backoff(attempt))
                continue
            rc = MQTTErrorCode.MQTT_ERR_SUCCESS
            while not self._stop.is_set() and rc == MQTTErrorCode.MQTT_ERR_SUCCESS:
                rc = self._client.loop(timeout=0.2)
            if self.state == "connected":
                attempt = 0
            if self._stop.is_set() or self.state == "auth_failed":
                break
            self.state = "disconnected"
            attempt += 1
            self._stop.wait(self._backoff(attempt))
        try:
            self._client.loop(timeout=0.1)  # let a pending DISCONNECT go out
        except Exception:
            log.debug("final loop failed", exc_info=True)

    def _connect_args(self) -> dict[str, Any]:
        if self.config.protocol != 5:
            return {}
        properties = Properties(PacketTypes.CONNECT)
        properties.SessionExpiryInterval = self.config.session_expiry_s
        properties.ReceiveMaximum = self.config.receive_maximum
        return {"clean_start": False, "properties": properties}

    def _backoff(self, attempt: int) -> float:
        base = min(self.config.max_backoff_s, self.config.min_backoff_s * 2 ** min(attempt, 16))
        # Jitter, so a fleet of engines does not hammer a restarted broker in lock step.
        return base * (0.5 + self._rng.random())

    # -- callbacks (all guarded) ----------------------------------------------------------------
    def _guard(self, callback: Callable[..., None]) -> Callable[..., None]:
        def guarded(*args: Any) -> None:
            try:
                callback(*args)
            except Exception:
                log.exception("MQTT callback %s failed (connection kept alive)", callback.__name__)
        return guarded

    def _on_connect(self, client: paho.Client, _userdata: Any, flags: Any, reason: Any, _props: Any) -> None:
        code = getattr(reason, "value", reason)
        if getattr(reason, "is_failure", code != 0):
            self.last_error = f"connection refused by {self.config.url}: {reason}"
            if code in _AUTH_FAILURES:
                self.state = "auth_failed"
                self.last_error = (f"{self.config.url} refused the login ({reason}): check the MQTT user name "
                                   "and password or client certificate; not retrying")
                self._stop.set()
            log.error(self.last_error)
            return
        self.state = "connected"
        self.connects += 1
        self.last_error = None
        log.info("connected to %s (session present: %s)", self.config.url, flags.session_present)
        if not flags.session_present:
            # A new session: subscribe (retained state follows, discovery lists first).
            if self._first_filters:
                self._subscribe(self._first_filters)
            self._subscribe(self._filters)

    def _subscribe(self, filters: list[str]) -> None:
        if self.config.protocol == 5:
            self._client.subscribe([(f, SubscribeOptions(qos=1)) for f in filters])
        else:
            self._client.subscribe([(f, 1) for f in filters])

    def _on_subscribe(self, _client: paho.Client, _userdata: Any, mid: int, reasons: Any, _props: Any) -> None:
        refused = [r for r in reasons if getattr(r, "is_failure", False)]
        if refused:
            self.last_error = f"subscription refused by {self.config.url}: {refused}"
            log.error(self.last_error)

    def _on_disconnect(self, _client: paho.Client, _userdata: Any, _flags: Any, reason: Any, _props: Any) -> None:
        if self.state == "connected" and not self._stop.is_set():  # not when we asked for it
            log.warning("disconnected from %s: %s", self.config.url, reason)
        if self.state != "auth_failed":
            self.state = "disconnected"

    def _on_message(self, _client: paho.Client, _userdata: Any, message: paho.MQTTMessage) -> None:
        # O(1): stamp and queue. Parsing and storage happen in the writer thread.
        if self._paused.is_set():
            return
        raw_topic = message._topic  # bytes; .topic would raise on bad UTF-8
        topic = raw_topic.decode("utf-8", "replace") if isinstance(raw_topic, bytes) else str(raw_topic)
        item = Inbound(self.source, topic, bytes(message.payload), ms(self._clock.now()), bool(message.retain),
                       int(message.mid), int(message.qos), bool(message.dup))
        while not self._deliver(item):  # queue full: back-pressure, but never deadlock a stop
            if self._stop.is_set():
                return
