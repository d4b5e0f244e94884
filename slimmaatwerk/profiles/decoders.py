"""Named payload decoders for protocols that are not key/value JSON (RAMSES II radio packets).

A decoder turns the decoded payload into (document, device key): the document is then normalised by the
profile's fields like any JSON payload; the device key names the radio device that sent the packet
(a RAMSES gateway hears its neighbours' devices too). Malformed input raises MalformedPayload.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from .normaliser import MalformedPayload

_PACKET = re.compile(
    r"^\s*(?P<rssi>\d{3}|---)\s+(?P<verb>I|RQ|RP|W)\s+(?P<seq>---|\d{3})\s+(?P<src>\d\d:\d{6}|--:------)\s+"
    r"(?P<dst>\d\d:\d{6}|--:------)\s+(?P<via>\d\d:\d{6}|--:------)\s+(?P<code>[0-9A-F]{4})\s+"
    r"(?P<length>\d{3})\s+(?P<data>[0-9A-F]*)\s*$"
)


def _ramses_rx(document: Any) -> tuple[dict[str, Any], str | None]:
    """``{"ts", "msg"}`` from a Ramses ESP gateway -> readings keyed by RAMSES code, and the sender."""
    if not isinstance(document, Mapping) or not isinstance(document.get("msg"), str):
        raise MalformedPayload("malformed_packet")
    packet = _PACKET.match(document["msg"])
    if packet is None:
        raise MalformedPayload("malformed_packet")
    code, data, verb = packet["code"], packet["data"], packet["verb"]
    if int(packet["length"]) * 2 != len(data):
        raise MalformedPayload("malformed_packet")
    if verb == "RQ":
        return {}, None  # a request carries no reading
    values: dict[str, Any] = {}
    if code == "1298" and len(data) >= 6:  # CO2 level, ppm in bytes 1-2
        values["co2"] = int(data[2:6], 16)
    elif code == "12A0" and len(data) >= 4:  # indoor humidity, % in byte 1 (0xEF = no sensor)
        values["humidity"] = None if data[2:4] == "EF" else int(data[2:4], 16)
    return {code: values}, packet["src"]


DECODERS: dict[str, Callable[[Any], tuple[dict[str, Any], str | None]]] = {"ramses_rx": _ramses_rx}
