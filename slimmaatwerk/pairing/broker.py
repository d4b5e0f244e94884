"""The home's broker as pairing sees it: connect (with a reason when that fails), collect, permit joining.

Owns short-lived installer connections through ``ingest.mqtt_client`` (the only paho module): a fresh,
non-persistent MQTT v5 session per action, every message acknowledged at once (nothing is stored, so
at-least-once does not apply), and messages handed over through a queue so paho's thread does nothing
but stamp and enqueue.
"""

from __future__ import annotations

import json
import queue
import time
import uuid
from dataclasses import dataclass

from ..clock import Clock
from ..errors import InputError
from ..ingest.inbound import Inbound
from ..ingest.mqtt_client import BrokerConfig, MqttConnection

Z2M = "zigbee2mqtt"
DISCOVERY_FILTERS = [f"{Z2M}/bridge/#", "homeassistant/#"]
PERMIT_JOIN_REQUEST = f"{Z2M}/bridge/request/permit_join"
PERMIT_JOIN_RESPONSE = f"{Z2M}/bridge/response/permit_join"


@dataclass(frozen=True)
class BrokerSettings:
    """Where the home's broker is. The password lives here only in memory; it is kept in the keyring."""

    url: str
    username: str = ""
    password: str = ""
    # TLS files for an mqtts:// broker (empty: the system's trusted CAs, no client certificate).
    ca_file: str = ""
    cert_file: str = ""
    key_file: str = ""

    def config(self, purpose: str) -> BrokerConfig:
        return BrokerConfig(
            url=self.url, client_id=f"slim-{purpose}-{uuid.uuid4().hex[:10]}",
            username=self.username or None, password=self.password or None,
            ca_file=self.ca_file or None, cert_file=self.cert_file or None, key_file=self.key_file or None,
            session_expiry_s=0,  # an installer's look at the broker leaves no session behind
            min_backoff_s=0.2, max_backoff_s=2.0,
        )

    def check_url(self) -> str | None:
        """An error key when the URL cannot be a broker address, else None."""
        try:
            _host, _port, _tls = self.config("check").host_port_tls
        except InputError:
            return "invalid_url"
        return None


class ConnectFailed(Exception):
    """The broker could not be used: ``key`` is a translation key, ``detail`` the technical reason."""

    def __init__(self, key: str, detail: str = "") -> None:
        super().__init__(f"{key}: {detail}")
        self.key = key
        self.detail = detail


class BrokerSession:
    """One open connection that collects every message matching ``filters``."""

    def __init__(self, settings: BrokerSettings, clock: Clock, filters: list[str], purpose: str = "pair",
                 first_filters: list[str] | None = None) -> None:
        if settings.check_url():
            raise ConnectFailed("invalid_url", settings.url)
        self.clock = clock
        self.inbox: queue.Queue[Inbound] = queue.Queue(maxsize=50_000)
        self.held: list[Inbound] = []  # taken off the queue while waiting for an answer, kept in order
        try:
            self._connection = MqttConnection(settings.config(purpose), 0, self._deliver, clock, filters,
                                              first_filters=first_filters)
        except (OSError, ValueError) as exc:  # an unreadable CA or client certificate file: said, not raised
            raise ConnectFailed("cannot_connect", f"TLS: {exc}") from None

    def _deliver(self, item: Inbound) -> bool:
        # Runs on paho's thread: acknowledge (nothing is stored) and enqueue, nothing else.
        if item.qos:
            self._connection.ack(item.mid, item.qos)
        try:
            self.inbox.put_nowait(item)
        except queue.Full:
            pass  # an installer's view can lose a message of a flood; the engine never does
        return True

    def open(self, timeout_s: float = 5.0) -> BrokerSession:
        self._connection.start()
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            state = self._connection.state
            if state == "connected":
                return self
            if state == "auth_failed":
                self.close()
                raise ConnectFailed("invalid_auth", self._connection.last_error or "")
            time.sleep(0.02)
        detail = self._connection.last_error or "no answer"
        self.close()
        raise ConnectFailed("cannot_connect", detail)

    @property
    def connected(self) -> bool:
        return self._connection.connected

    def collect(self, seconds: float, until: str | None = None) -> list[Inbound]:
        """Messages arriving within ``seconds`` (wall time: the broker is real); stops early on ``until``."""
        found, self.held = self.held, []
        if until is not None and any(item.topic == until for item in found):
            return found
        deadline = time.monotonic() + seconds
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                item = self.inbox.get(timeout=min(remaining, 0.1))
            except queue.Empty:
                continue
            found.append(item)
            if until is not None and item.topic == until:
                break
        return found

    def get(self, timeout_s: float) -> Inbound | None:
        try:
            return self.inbox.get(timeout=timeout_s)
        except queue.Empty:
            return None

    def publish_json(self, topic: str, document: object) -> bool:
        return self._connection.publish(topic, json.dumps(document).encode())

    def close(self) -> None:
        self._connection.stop(timeout=3.0)


def check_connection(settings: BrokerSettings, clock: Clock, timeout_s: float = 5.0) -> None:
    """Raise ConnectFailed (invalid_url, invalid_auth, cannot_connect) unless the broker takes us."""
    # One harmless subscription: the subscribe round trip proves the session really works.
    BrokerSession(settings, clock, ["slimmaatwerk/pairing/check"], "check").open(timeout_s).close()


def permit_join(session: BrokerSession, seconds: int, timeout_s: float = 5.0) -> tuple[str | None, str]:
    """Ask Zigbee2MQTT to let new devices join; (error key or None, detail).

    Zigbee2MQTT 2.x reads ``time``; 1.x also needs ``value``: both are sent. The bridge answers on
    ``bridge/response/permit_join`` with ``status`` ok or error; silence means no (working) bridge.
    """
    if not session.publish_json(PERMIT_JOIN_REQUEST, {"value": True, "time": int(seconds)}):
        return "permit_join_refused", "the broker did not accept the request"
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        item = session.get(0.1)
        if item is None:
            continue
        if item.topic != PERMIT_JOIN_RESPONSE:
            session.held.append(item)  # joins and state: the caller still wants them
            continue
        try:
            answer = json.loads(item.payload.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return "permit_join_refused", "unreadable answer"
        if isinstance(answer, dict) and answer.get("status") == "ok":
            return None, ""
        detail = answer.get("error", "") if isinstance(answer, dict) else ""
        return "permit_join_refused", str(detail)
    return "permit_join_no_answer", ""
