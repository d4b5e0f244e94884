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


def user_by_id(conn: Connection, user_id: int) -> User | None:
    row = conn.execute(select(s.users).where(s.users.c.id == user_id)).first()
    return _user(row) if row else None


def list_users(conn: Connection) -> list[dict]:
    """Every account with its scope and family link; never the password hash itself."""
    from . import schema_privacy as p

    links = {int(r.user_id): (r.resident_id, int(r.relative_id)) for r in conn.execute(select(p.family_links))}
    out = []
    for row in conn.execute(select(s.users).order_by(s.users.c.username)):
        link = links.get(int(row.id))
        out.append({
            "id": int(row.id), "username": row.username, "display_name": row.display_name, "role": row.role,
            "all_residents": bool(row.all_residents), "os_user": row.os_user,
            "has_password": bool(row.password_hash), "residents": sorted(scope(conn, int(row.id))),
            "family_resident": link[0] if link else None, "family_relative_id": link[1] if link else None,
        })
    return out


def password_hash(conn: Connection, username: str) -> tuple[User, str | None] | None:
    row = conn.execute(select(s.users).where(s.users.c.username == username)).first()
    return (_user(row), row.password_hash) if row else None


def set_password_hash(conn: Connection, user_id: int, hashed: str) -> None:
    conn.execute(s.users.update().where(s.users.c.id == user_id).values(password_hash=hashed))


def link_os_user(conn: Connection, user_id: int, os_user: str | None) -> None:
    conn.execute(s.users.update().where(s.users.c.id == user_id).values(os_user=os_user))


def revoke(conn: Connection, user_id: int, resident_id: str) -> None:
    conn.execute(s.user_scope.delete().where(s.user_scope.c.user_id == user_id,
                                             s.user_scope.c.resident_id == resident_id))


def link_family(conn: Connection, user_id: int, resident_id: str, relative_id: int) -> None:
    """Tie a family account to one resident as one named relative (and scope it to that resident)."""
    from . import schema_privacy as p

    conn.execute(p.family_links.insert().values(user_id=user_id, resident_id=resident_id,
                                                relative_id=relative_id))
    grant(conn, user_id, resident_id)


def family_link(conn: Connection, user_id: int) -> tuple[str, int] | None:
    """(resident id, relative id) of a family account, or None."""
    from . import schema_privacy as p

    row = conn.execute(select(p.family_links).where(p.family_links.c.user_id == user_id)).first()
    return (row.resident_id, int(row.relative_id)) if row else None


def usernames(conn: Connection) -> dict[int, str]:
    return {int(r.id): r.username for r in conn.execute(select(s.users.c.id, s.users.c.username))}
