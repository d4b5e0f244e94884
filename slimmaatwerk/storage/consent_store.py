"""Relatives and the consent history (newest row per relative and section is in force)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, delete, func, select

from . import schema_privacy as p


@dataclass(frozen=True)
class Relative:
    id: int
    resident_id: str
    name: str
    relation: str


def add_relative(conn: Connection, resident_id: str, name: str, relation: str, now_ms: int) -> Relative:
    result = conn.execute(p.relatives.insert().values(resident_id=resident_id, name=name, relation=relation,
                                                      created_ms=now_ms))
    return Relative(int(result.inserted_primary_key[0]), resident_id, name, relation)


def relatives(conn: Connection, resident_id: str) -> list[Relative]:
    t = p.relatives
    query = select(t).where(t.c.resident_id == resident_id).order_by(t.c.name)
    return [Relative(int(r.id), r.resident_id, r.name, r.relation) for r in conn.execute(query)]


def relative_by_name(conn: Connection, resident_id: str, name: str) -> Relative | None:
    t = p.relatives
    row = conn.execute(select(t).where(t.c.resident_id == resident_id, t.c.name == name)).first()
    return Relative(int(row.id), row.resident_id, row.name, row.relation) if row else None


def relative_by_id(conn: Connection, relative_id: int) -> Relative | None:
    row = conn.execute(select(p.relatives).where(p.relatives.c.id == relative_id)).first()
    return Relative(int(row.id), row.resident_id, row.name, row.relation) if row else None


def record(conn: Connection, resident_id: str, relative_id: int, sections: list[str], granted: bool,
           given_by: str, now_ms: int, user_id: int) -> None:
    conn.execute(p.consents.insert(), [
        {"resident_id": resident_id, "relative_id": relative_id, "section": section, "granted": granted,
         "given_by": given_by, "recorded_ms": now_ms, "recorded_by": user_id} for section in sections
    ])


def granted_sections(conn: Connection, relative_id: int) -> set[str]:
    """Sections whose newest consent row for this relative is a grant."""
    c = p.consents
    newest = (select(c.c.section, func.max(c.c.id).label("last")).where(c.c.relative_id == relative_id)
              .group_by(c.c.section).subquery())
    query = select(c.c.section).join(newest, c.c.id == newest.c.last).where(c.c.granted.is_(True))
    return {row[0] for row in conn.execute(query)}


def history(conn: Connection, resident_id: str) -> list[dict]:
    c, r = p.consents, p.relatives
    query = (select(c, r.c.name.label("relative")).join(r, r.c.id == c.c.relative_id)
             .where(c.c.resident_id == resident_id).order_by(c.c.id))
    return [dict(row._mapping) for row in conn.execute(query)]


def erase_resident(conn: Connection, resident_id: str) -> list[int]:
    """Remove relatives, consent and family links of a resident; returns the family user ids."""
    users = [int(r[0]) for r in conn.execute(
        select(p.family_links.c.user_id).where(p.family_links.c.resident_id == resident_id))]
    conn.execute(delete(p.family_links).where(p.family_links.c.resident_id == resident_id))
    conn.execute(delete(p.consents).where(p.consents.c.resident_id == resident_id))
    conn.execute(delete(p.relatives).where(p.relatives.c.resident_id == resident_id))
    return users
