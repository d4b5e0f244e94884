"""The event CSV of DESIGN.md: ``timestamp,device,kind,room,placement,value[,resident]``.

Reading validates the whole file before anything is stored: an error names the physical line (the
header is line 1) and the caller imports nothing. Unknown extra columns are ignored, as the contract says.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TextIO

from .errors import InputError
from .events import KIND_CODES, ROOMS, Event, is_valid_placement
from .localtime import format_timestamp, parse_timestamp

HEADER: tuple[str, ...] = ("timestamp", "device", "kind", "room", "placement", "value")
REQUIRED = frozenset(HEADER) - {"placement"}


@dataclass(frozen=True, slots=True)
class CsvEvent:
    event: Event
    resident: str | None
    line: int


def _format_value(value: float) -> str:
    if float(value).is_integer():
        return str(int(value))
    return repr(round(float(value), 6))


def write_events(out: TextIO, events: Iterable[Event], residents: Iterable[str] | None = None) -> int:
    """Write events (optionally with a parallel iterable of resident ids) and return how many."""
    writer = csv.writer(out, lineterminator="\n")
    header = list(HEADER) + (["resident"] if residents is not None else [])
    writer.writerow(header)
    count = 0
    resident_iter = iter(residents) if residents is not None else None
    for event in events:
        row = [
            format_timestamp(event.timestamp),
            event.device,
            event.kind,
            event.room,
            event.placement,
            _format_value(event.value),
        ]
        if resident_iter is not None:
            row.append(next(resident_iter))
        writer.writerow(row)
        count += 1
    return count


def _physical_lines(text: str) -> Iterator[tuple[int, str]]:
    yield from enumerate(text.splitlines(), start=1)


def read_events(source: TextIO | str) -> list[CsvEvent]:
    """Parse and validate a whole event CSV. Raises InputError naming the first bad physical line."""
    text = source if isinstance(source, str) else source.read()
    text = text.removeprefix("\ufeff")
    lines = list(_physical_lines(text))
    if not lines or not lines[0][1].strip():
        raise InputError("line 1: the file is empty; expected the header " + ",".join(HEADER))
    header = [h.strip().lower() for h in next(csv.reader([lines[0][1]]))]
    missing = REQUIRED - set(header)
    if missing:
        raise InputError(f"line 1: header lacks column(s) {', '.join(sorted(missing))}")
    index = {name: header.index(name) for name in header if name in set(HEADER) | {"resident"}}
    result: list[CsvEvent] = []
    for number, line in lines[1:]:
        if not line.strip():
            continue
        try:
            fields = next(csv.reader(io.StringIO(line)))
        except csv.Error as exc:
            raise InputError(f"line {number}: unreadable CSV ({exc})") from None
        if len(fields) < len(header):
            raise InputError(f"line {number}: expected {len(header)} fields, found {len(fields)}")
        result.append(_parse_row(fields, index, number))
    return result


def _parse_row(fields: list[str], index: dict[str, int], number: int) -> CsvEvent:
    def field(name: str) -> str:
        return fields[index[name]].strip() if name in index else ""

    try:
        timestamp = parse_timestamp(field("timestamp"))
    except ValueError:
        raise InputError(
            f"line {number}: timestamp {field('timestamp')!r} is not ISO 8601 with an offset"
        ) from None
    device = field("device")
    if not device:
        raise InputError(f"line {number}: device is empty")
    kind = field("kind")
    if kind not in KIND_CODES:
        raise InputError(f"line {number}: unknown kind {kind!r}")
    room = field("room")
    if room not in ROOMS:
        raise InputError(f"line {number}: unknown room {room!r} (expected one of {', '.join(ROOMS)})")
    placement = field("placement")
    if not is_valid_placement(placement):
        raise InputError(f"line {number}: placement {placement!r} is not snake_case")
    try:
        value = float(field("value"))
    except ValueError:
        raise InputError(f"line {number}: value {field('value')!r} is not a number") from None
    if not math.isfinite(value):
        raise InputError(f"line {number}: value {field('value')!r} is not a finite number")
    resident = field("resident") or None
    event = Event(timestamp=timestamp, device=device, kind=kind, value=value, room=room, placement=placement)
    return CsvEvent(event=event, resident=resident, line=number)
