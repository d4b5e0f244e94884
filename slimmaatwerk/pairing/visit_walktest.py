"""The walk test on a later visit: a replacement (or a moved sensor) proves itself where it now hangs.

The same live walk test as the pairing wizard (``live.LiveWalkTest`` over the pure ``walktest.WalkTest``),
but the sensors come from the device store — identity, room, placement and the kinds their profile can
produce — and the broker is the home's recorded one (``home_broker``). The store keeps identities, not
topics (a friendly name can be renamed), so the test listens to the whole home broker and the ingest
pipeline's directory tells which device each message is from, as the engine does. The result goes into
the next commissioning record version through ``record_versions.record_walk_test``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..profiles import ProfileRegistry
from .broker import BrokerSettings
from .live import LiveWalkTest
from .tools import MqttTools
from .visits import HomeDevice
from .walktest import Sensor, SensorCheck, WalkTest

EVERY_TOPIC = "#"


def sensor_for(device: HomeDevice, registry: ProfileRegistry) -> Sensor:
    """The device as the walk test sees it; an unknown profile leaves it "trigger the sensor"."""
    profile = registry.by_id.get(device.profile)
    kinds = tuple(dict.fromkeys(f.kind for f in profile.fields)) if profile is not None else ()
    return Sensor(device.identity, device.name or device.identity, device.room, device.placement, kinds)


def start_visit_walk(tools: MqttTools, settings: BrokerSettings, devices: Iterable[HomeDevice],
                     on_update: Callable[[SensorCheck], None] | None = None) -> LiveWalkTest:
    """Connect to the home's broker and start testing ``devices`` (raises broker.ConnectFailed)."""
    walk = WalkTest([sensor_for(d, tools.registry) for d in devices])
    return tools.walk(settings, walk, [EVERY_TOPIC], None, on_update)
