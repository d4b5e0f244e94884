"""parse_injection and argument validation: clear InputErrors on bad input."""

from __future__ import annotations

from datetime import date

import pytest

from slimmaatwerk.errors import InputError
from slimmaatwerk.simulate import INJECTION_TYPES, Injection, parse_injection, simulate, simulate_home

START = date(2026, 1, 5)


def test_parses_date_and_day_offset() -> None:
    assert parse_injection("A1@2026-02-10", START) == Injection("A1", date(2026, 2, 10))
    assert parse_injection("k@15", START) == Injection("K", date(2026, 1, 20))
    assert parse_injection(" S@0 ", START) == Injection("S", START)


def test_all_table_types_are_accepted() -> None:
    assert INJECTION_TYPES == ("A1", "A3", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "S")
    for kind in INJECTION_TYPES:
        assert parse_injection(f"{kind}@3", START).type == kind


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("A@2026-02-10", "unknown anomaly type 'A'"),
        ("Z1@3", "expected one of A1, A3, B"),
        ("A1", "TYPE@DATE"),
        ("A1@", "TYPE@DATE"),
        ("A1@2026-02-31", "neither a date"),
        ("A1@next-week", "neither a date"),
        ("A1@-3", "neither a date"),
    ],
)
def test_bad_injections_raise_clear_input_errors(text: str, fragment: str) -> None:
    with pytest.raises(InputError, match=fragment):
        parse_injection(text, START)


def test_simulate_refuses_out_of_range_and_unknown_params() -> None:
    with pytest.raises(InputError, match="outside the simulated days"):
        simulate_home(0, 5, 1, START, [Injection("A1", date(2026, 3, 1))])
    with pytest.raises(InputError, match="unknown parameter"):
        simulate_home(0, 5, 1, START, [Injection("A1", START, {"volume": 3})])
    with pytest.raises(InputError, match="not in this home's kit"):
        simulate_home(0, 5, 1, START, [Injection("S", START, {"device": "garage_motion"})])
    with pytest.raises(InputError, match="unknown simulator profile"):
        simulate_home(0, 5, 1, START, profile="palace")
    with pytest.raises(InputError):
        simulate(0, 5, 1)
    with pytest.raises(InputError):
        simulate(1, 0, 1)
