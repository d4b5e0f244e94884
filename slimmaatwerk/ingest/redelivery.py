"""Recognise a redelivered message we already committed (crash between commit and ack).

After a crash, the broker resends every message that was not acknowledged, with the DUP flag, and may
interleave them with newer messages (brokers differ on resend order). Change-only filtering alone would
then see an old state "change back". So the writer remembers a fingerprint of each committed QoS 1
message -- topic, payload and packet id, which together cannot repeat within the window (packet ids
cycle through 65,535 values) -- in a ring committed with the events. Only messages flagged DUP are
checked, so a device legitimately repeating its state is never mistaken for a redelivery.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import Connection

from ..storage import quarantine

RING = "redelivery"
# More than the broker can have unacknowledged: ReceiveMaximum (1000) plus what sits in our queue.
SIZE = 4096


def fingerprint(topic: str, payload: bytes, mid: int) -> int:
    digest = hashlib.blake2b(topic.encode("utf-8", "replace") + b"\0" + payload + mid.to_bytes(4, "big"),
                             digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1  # fits a signed 64-bit column


class RedeliveryFilter:
    def __init__(self, size: int = SIZE) -> None:
        self.size = size
        self._slots: dict[int, int] = {}
        self._seen: set[int] = set()
        self._next = 0
        self._pending: dict[int, int] = {}

    def load(self, conn: Connection) -> None:
        ring = quarantine.load_ring(conn, RING)
        self._slots = {slot: value for slot, value in ring.items() if slot < self.size}
        self._seen = set(self._slots.values())
        self._next = (ring.get(self.size, 0)) % self.size
        self._pending.clear()

    def already_committed(self, topic: str, payload: bytes, mid: int) -> bool:
        return fingerprint(topic, payload, mid) in self._seen

    def remember(self, topic: str, payload: bytes, mid: int) -> None:
        value = fingerprint(topic, payload, mid)
        old = self._slots.get(self._next)
        if old is not None:
            self._seen.discard(old)
        self._slots[self._next] = value
        self._seen.add(value)
        self._pending[self._next] = value
        self._next = (self._next + 1) % self.size

    def save(self, conn: Connection) -> None:
        """Write the slots changed by this batch (same transaction as its events)."""
        if self._pending:
            quarantine.save_ring(conn, RING, {**self._pending, self.size: self._next})
        self._pending.clear()
