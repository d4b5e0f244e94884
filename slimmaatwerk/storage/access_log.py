"""The access log (NEN 7513 spirit): one append-only, hash-chained entry per user action on a resident's data.

``append`` writes the entry and seals it into the chain (``audit_chain``) in the caller's transaction,
under a lock on the chain's head row so two writers can never fork it. The key comes from
``audit_keys`` and is never stored here. Erasure pseudonymises a resident's entries in place; the
chain stays valid because it only ever covered the pseudonym.
"""

from __future__ import annotations

import json
import uuid
import weakref
from collections.abc import Iterator

from sqlalchemy import Connection, Engine, bindparam, delete, func, select, update

from .. import audit_chain as chain
from . import schema as s
from . import schema_privacy as p

HEAD = "access_log"
DATABASE_ID_KEY = "database_id"
ANCHOR_KEY = "audit.anchor"
CHECKPOINT_EVERY_MS = 24 * 3600 * 1000

_CHECKPOINTED: weakref.WeakKeyDictionary[Engine, int] = weakref.WeakKeyDictionary()
_H = p.access_log_head
_LOCK_HEAD = (update(_H).where(_H.c.name == HEAD).values(count=_H.c.count)
              .returning(_H.c.last_entry_id, _H.c.last_mac, _H.c.count))
_SET_HEAD = update(_H).where(_H.c.name == HEAD).values(
    last_entry_id=bindparam("new_id"), last_mac=bindparam("new_mac"), count=bindparam("new_count"))


def database_id(conn: Connection) -> str:
    """A random id of this database (not secret): names its keys and binds its checkpoints."""
    value = conn.execute(select(s.settings.c.value).where(s.settings.c.key == DATABASE_ID_KEY)).scalar()
    if value:
        return str(value)
    new = uuid.uuid4().hex
    conn.execute(s.settings.insert().values(key=DATABASE_ID_KEY, value=new))
    return new


def head(conn: Connection) -> dict | None:
    row = conn.execute(select(p.access_log_head).where(p.access_log_head.c.name == HEAD)).first()
    return dict(row._mapping) if row else None


def append(
    conn: Connection, ts_ms: int, user_id: int, action: str, resident_id: str | None, detail: str = "",
    on_behalf_of: str = "",
) -> int:
    """Write one entry and seal it (and any unsealed entry before it) into the chain; returns its id."""
    from ..audit_keys import cached_database_id, chain_key

    key = chain_key(conn).value
    db_id = cached_database_id(conn)
    # Lock the head row first (PostgreSQL: a row lock; SQLite: the write lock) and read it in the same step.
    current = conn.execute(_LOCK_HEAD).first()
    if current is None:
        conn.execute(p.access_log_head.insert(), {"name": HEAD, "last_entry_id": 0, "last_mac": "", "count": 0})
        current = conn.execute(_LOCK_HEAD).first()
    last_id, previous, count = int(current[0]), current[1] or chain.genesis(key, db_id), int(current[2])
    entry = {"ts_ms": ts_ms, "user_id": user_id, "action": action, "resident_id": resident_id, "detail": detail,
             "on_behalf_of": on_behalf_of}
    new_id = int(conn.execute(s.access_log.insert(), entry).inserted_primary_key[0])
    if new_id == last_id + 1:
        pending = [{**entry, "id": new_id}]
    else:  # entries written before the chain existed (an upgraded log), sealed in order
        t = s.access_log
        pending = [dict(r) for r in conn.execute(select(t).where(t.c.id > last_id).order_by(t.c.id)).mappings()]
    rows = []
    for item in pending:
        sha = chain.detail_sha(item["detail"] or "")
        previous = chain.entry_mac(key, previous, item, sha)
        rows.append({"entry_id": int(item["id"]), "mac": previous, "detail_sha": sha})
    conn.execute(p.access_log_chain.insert(), rows)
    count += len(rows)
    conn.execute(_SET_HEAD, {"new_id": new_id, "new_mac": previous, "new_count": count})
    if ts_ms - _last_checkpoint(conn) >= CHECKPOINT_EVERY_MS:
        add_checkpoint(conn, key, db_id, ts_ms, new_id, count, previous)
        _CHECKPOINTED[conn.engine] = ts_ms
    return new_id


def position_of(conn: Connection, entry_id: int, start_id: int = 0, start_count: int = 0) -> int:
    """How many sealed entries the chain holds up to ``entry_id`` (counting from a start point)."""
    c = p.access_log_chain
    return start_count + int(conn.execute(select(func.count()).select_from(c).where(
        c.c.entry_id > start_id, c.c.entry_id <= entry_id)).scalar() or 0)


def mac_at(conn: Connection, entry_id: int) -> str | None:
    return conn.execute(select(p.access_log_chain.c.mac).where(p.access_log_chain.c.entry_id == entry_id)).scalar()


# --- the anchor: where the live log starts after an access-log retention purge --------------------------
def anchor(conn: Connection) -> dict | None:
    value = conn.execute(select(s.settings.c.value).where(s.settings.c.key == ANCHOR_KEY)).scalar()
    return json.loads(value) if value else None


def last_id_before(conn: Connection, cutoff_ms: int) -> int:
    """The newest entry id such that it and every entry before it are older than ``cutoff_ms`` (0: none).

    The newest entry of all always stays: SQLite numbers a new row after the highest one present, so an
    emptied table would hand out ids the archived entries already had.
    """
    t = s.access_log
    newer = select(func.min(t.c.id)).where(t.c.ts_ms >= cutoff_ms).scalar_subquery()
    newest = select(func.max(t.c.id)).scalar_subquery()
    found = conn.execute(select(func.max(t.c.id)).where(t.c.ts_ms < cutoff_ms, t.c.id < newest,
                                                        t.c.id < func.coalesce(newer, 2**62))).scalar()
    return int(found or 0)


def move_start(conn: Connection, body: dict) -> int:
    """Purge entries up to the signed anchor ``body`` (already archived) and record the anchor; returns rows."""
    through = int(body["last_entry_id"])
    removed = conn.execute(delete(s.access_log).where(s.access_log.c.id <= through)).rowcount or 0
    conn.execute(delete(p.access_log_chain).where(p.access_log_chain.c.entry_id <= through))
    conn.execute(delete(s.settings).where(s.settings.c.key == ANCHOR_KEY))
    conn.execute(s.settings.insert().values(key=ANCHOR_KEY, value=json.dumps(body)))
    return int(removed)


def _last_checkpoint(conn: Connection) -> int:
    """When the newest checkpoint was made; read once per engine, then remembered."""
    engine = conn.engine
    if engine not in _CHECKPOINTED:
        value = conn.execute(select(func.max(p.access_log_checkpoints.c.created_ms))).scalar()
        _CHECKPOINTED[engine] = int(value) if value is not None else -CHECKPOINT_EVERY_MS
    return _CHECKPOINTED[engine]


def add_checkpoint(conn: Connection, key: bytes, db_id: str, created_ms: int, entry_id: int, count: int,
                   last_mac: str) -> dict:
    body = chain.checkpoint_body(db_id, created_ms, entry_id, count, last_mac)
    body["signature"] = chain.sign(key, body)
    conn.execute(p.access_log_checkpoints.insert().values(
        created_ms=created_ms, entry_id=entry_id, count=count, last_mac=last_mac,
        signature=body["signature"], exported=""))
    return body


def checkpoint_now(conn: Connection, ts_ms: int) -> dict | None:
    """A signed checkpoint of the chain as it stands; None while the log is empty."""
    from ..audit_keys import chain_key

    current = head(conn)
    if current is None or int(current["count"]) == 0:
        return None
    return add_checkpoint(conn, chain_key(conn).value, database_id(conn), ts_ms,
                          int(current["last_entry_id"]), int(current["count"]), current["last_mac"])


def checkpoints(conn: Connection) -> list[dict]:
    c = p.access_log_checkpoints
    db_id = database_id(conn)
    out = []
    for row in conn.execute(select(c).order_by(c.c.id)):
        body = chain.checkpoint_body(db_id, row.created_ms, row.entry_id, row.count, row.last_mac)
        body["signature"] = row.signature
        body["row_id"] = int(row.id)
        body["exported"] = row.exported
        out.append(body)
    return out


def mark_exported(conn: Connection, row_id: int, name: str) -> None:
    conn.execute(update(p.access_log_checkpoints).where(p.access_log_checkpoints.c.id == row_id)
                 .values(exported=name))


def chained_rows(conn: Connection, batch: int = 5000, after: int = -1,
                 through: int | None = None) -> Iterator[tuple[dict, str | None, str | None]]:
    """Entries in id order (``after`` < id <= ``through``) with their stored MAC and detail hash (None where
    the MAC is missing)."""
    t, c = s.access_log, p.access_log_chain
    last = after
    while True:
        query = (select(t, c.c.mac, c.c.detail_sha).outerjoin(c, c.c.entry_id == t.c.id)
                 .where(t.c.id > last).order_by(t.c.id).limit(batch))
        if through is not None:
            query = query.where(t.c.id <= through)
        rows = conn.execute(query).mappings().all()
        if not rows:
            return
        for row in rows:
            entry = {k: row[k] for k in ("id", "ts_ms", "user_id", "on_behalf_of", "resident_id", "action",
                                         "detail")}
            yield entry, row["mac"], row["detail_sha"]
        last = int(rows[-1]["id"])


def orphan_macs(conn: Connection) -> list[int]:
    """MACs whose entry is gone: an entry deleted while its MAC stayed behind."""
    t, c = s.access_log, p.access_log_chain
    query = select(c.c.entry_id).where(~c.c.entry_id.in_(select(t.c.id))).order_by(c.c.entry_id).limit(10)
    return [int(r[0]) for r in conn.execute(query)]


def entries(conn: Connection, resident_id: str | None = None) -> list[dict]:
    t = s.access_log
    query = select(t).order_by(t.c.id)
    if resident_id is not None:
        query = query.where(t.c.resident_id == resident_id)
    return [dict(row._mapping) for row in conn.execute(query)]


def pseudonymise(conn: Connection, resident_id: str, pseudonym: str) -> int:
    """After an erase: keep the entries, but without the resident's id or any detail text."""
    t = s.access_log
    result = conn.execute(update(t).where(t.c.resident_id == resident_id)
                          .values(resident_id=chain.ERASED_PREFIX + pseudonym, detail=chain.ERASED_DETAIL))
    return int(result.rowcount or 0)
