"""The broker actions pairing needs, on a real broker: check a login, scan for devices, live walk test.

``MqttTools`` is what the flow, the wizard and ``devices discover`` use; the flow only sees the
three methods, so it stays a state machine that does not know about MQTT.
"""

from __future__ import annotations

from collections.abc import Callable

from ..clock import Clock
from ..ingest.discovery import Directory
from ..profiles import ProfileRegistry
from .broker import DISCOVERY_FILTERS, BrokerSession, BrokerSettings, check_connection, permit_join
from .discover import Discovery
from .live import LiveWalkTest
from .walktest import SensorCheck, WalkTest

PERMIT_JOIN_S = 254  # Zigbee2MQTT's maximum; the installer closes it by finishing the step


class MqttTools:
    def __init__(self, registry: ProfileRegistry, clock: Clock, connect_timeout_s: float = 5.0) -> None:
        self.registry = registry
        self.clock = clock
        self.connect_timeout_s = connect_timeout_s

    def check(self, settings: BrokerSettings) -> None:
        """Raises broker.ConnectFailed with a translation key."""
        check_connection(settings, self.clock, self.connect_timeout_s)

    def scan(self, settings: BrokerSettings, seconds: float, discovery: Discovery | None = None,
             join: bool = False) -> tuple[Discovery, str | None, str]:
        """Listen ``seconds`` (after asking the bridge to permit joining when ``join``) and collect devices.

        Returns (discovery, error key or None, detail); retained discovery lists arrive at once.
        """
        found = discovery or Discovery(self.registry)
        session = BrokerSession(settings, self.clock, ["#"], "discover", first_filters=DISCOVERY_FILTERS)
        session.open(self.connect_timeout_s)
        error: str | None = None
        detail = ""
        try:
            if join:
                # Retained bridge state first: is there a Zigbee2MQTT bridge to ask at all?
                found.feed(session.collect(min(1.0, seconds)))
                if not found.bridge_seen:
                    error = "no_zigbee_bridge"
                else:
                    error, detail = permit_join(session, PERMIT_JOIN_S)
            found.feed(session.collect(seconds))
        finally:
            session.close()
        return found, error, detail

    def capture(self, settings: BrokerSettings, topic_filter: str, seconds: float,
                limit: int = 20) -> list[tuple[str, str]]:
        """(topic, payload text) of the messages on ``topic_filter`` within ``seconds`` (retained ones at once).

        For the profile builder: samples of a device nobody wrote a profile for. Raises ConnectFailed.
        """
        session = BrokerSession(settings, self.clock, [topic_filter], "capture")
        session.open(self.connect_timeout_s)
        try:
            found = session.collect(seconds)
        finally:
            session.close()
        return [(m.topic, m.payload.decode("utf-8", "replace")) for m in found if m.payload.strip()][:limit]

    def walk(self, settings: BrokerSettings, walk: WalkTest, topics: list[str], directory: Directory | None,
             on_update: Callable[[SensorCheck], None] | None) -> LiveWalkTest:
        live = LiveWalkTest(settings, self.registry, walk, self.clock, topics, directory, on_update)
        live.start(self.connect_timeout_s)
        return live
