"""One received MQTT message, as the connection stamps it; nothing else happens where it is made.

A module of its own so that the receiver process (``receiver_process``) can build these without
importing the writer and its database code.
"""

from __future__ import annotations

from typing import NamedTuple


class Inbound(NamedTuple):  # a named tuple: made for every message, 3x cheaper than a frozen dataclass
    source: int  # which broker connection
    topic: str
    payload: bytes
    received_ms: int
    retained: bool = False
    mid: int = 0
    qos: int = 0
    dup: bool = False  # the broker redelivers it (we may have committed it before a crash)
