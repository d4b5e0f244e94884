"""User accounts, their per-resident scope, and the link to an operating-system user."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from . import schema as s


@dataclass(frozen=True)
class User:
    id: int
    username: str
    display_name: str
    role: str
    all_residents: bool


def count_users(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(s.users)).scalar() or 0)


def create_user(
    conn: Connection, username: str, display_name: str, role: str, now_ms: int, *,
    all_residents: bool = False, os_user: str | None = None, password_hash: str | None = None,
) -> User:
    result = conn.execute(
        s.users.insert().values(
            username=username, display_name=display_name, role=role, all_residents=all_residents,
            os_user=os_user, password_hash=password_hash, created_ms=now_ms,
        )
    )
    return User(int(result.inserted_primary_key[0]), username, display_name, role, all_residents)


def _user(row) -> User:  # type: ignore[no-untyped-def]
    return User(int(row.id), row.username, row.display_name, row.role, bool(row.all_residents))


def user_by_os_user(conn: Connection, os_user: str) -> User | None:
    row = conn.execute(select(s.users).where(s.users.c.os_user == os_user)).first()
    return _user(row) if row else None


def user_by_name(conn: Connection, username: str) -> User | None:
    row = conn.execute(select(s.users).where(s.users.c.username == username)).first()
    return _user(row) if row else None


def grant(conn: Connection, user_id: int, resident_id: str) -> None:
    conn.execute(s.user_scope.insert().values(user_id=user_id, resident_id=resident_id))


def scope(conn: Connection, user_id: int) -> set[str]:
    query = select(s.user_scope.c.resident_id).where(s.user_scope.c.user_id == user_id)
    return {row[0] for row in conn.execute(query)}
