"""Homes, residents and the context calendar."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from . import schema as s


@dataclass(frozen=True)
class ResidentRecord:
    id: str
    name: str
    home_id: str
    household: str
    pet: bool
    team: str
    active: bool


def add_resident(
    conn: Connection, resident_id: str, name: str, now_ms: int, *, household: str = "alone",
    pet: bool = False, team: str = "", home_id: str | None = None,
) -> ResidentRecord:
    home = home_id or f"home-{resident_id}"
    if conn.execute(select(s.homes.c.id).where(s.homes.c.id == home)).first() is None:
        conn.execute(s.homes.insert().values(id=home, name=f"{name}", created_ms=now_ms))
    conn.execute(
        s.residents.insert().values(
            id=resident_id, name=name, home_id=home, household=household, pet=pet, team=team,
            active=True, created_ms=now_ms,
        )
    )
    return ResidentRecord(resident_id, name, home, household, pet, team, True)


def get_resident(conn: Connection, resident_id: str) -> ResidentRecord | None:
    row = conn.execute(select(s.residents).where(s.residents.c.id == resident_id)).first()
    return _record(row) if row else None


def list_residents(conn: Connection, only: set[str] | None = None) -> list[ResidentRecord]:
    query = select(s.residents).order_by(s.residents.c.id)
    if only is not None:
        query = query.where(s.residents.c.id.in_(sorted(only)))
    return [_record(row) for row in conn.execute(query)]


def _record(row) -> ResidentRecord:  # type: ignore[no-untyped-def]
    return ResidentRecord(
        row.id, row.name, row.home_id, row.household, bool(row.pet), row.team, bool(row.active)
    )


def add_context(
    conn: Connection, resident_id: str, type_: str, from_ms: int, to_ms: int, note: str = "",
    created_by: int | None = None,
) -> int:
    result = conn.execute(
        s.context_periods.insert().values(
            resident_id=resident_id, type=type_, from_ms=from_ms, to_ms=to_ms, note=note,
            created_by=created_by,
        )
    )
    return int(result.inserted_primary_key[0])


def list_context(conn: Connection, resident_id: str) -> list[tuple[str, int, int, str]]:
    query = (
        select(s.context_periods.c.type, s.context_periods.c.from_ms, s.context_periods.c.to_ms,
               s.context_periods.c.note)
        .where(s.context_periods.c.resident_id == resident_id)
        .order_by(s.context_periods.c.from_ms)
    )
    return [tuple(row) for row in conn.execute(query)]  # type: ignore[misc]
