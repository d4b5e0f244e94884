"""The access-log hash chain: every kind of tampering is detected and named at the first broken entry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from slimmaatwerk import audit_chain
from slimmaatwerk.audit_files import read_checkpoint, read_folder
from slimmaatwerk.audit_keys import forget
from slimmaatwerk.errors import InputError
from slimmaatwerk.service import Service


def _activity(admin: Service, n: int = 6) -> None:
    for i in range(n):
        admin.add_context("r1", "visit", f"2026-03-0{1 + i % 5}T10:00:00+01:00", f"2026-03-0{1 + i % 5}T11:00:00+01:00")


def _sql(admin: Service, statement: str, **params: object) -> None:
    with admin.db.begin() as conn:
        conn.execute(text(statement), params)


def _ids(admin: Service) -> list[int]:
    return [e["id"] for e in admin.audit_entries()]


def test_untouched_log_is_intact(world) -> None:  # type: ignore[no-untyped-def]
    admin = world["admin"]
    _activity(admin)
    verdict = admin.privacy.verify_audit()
    assert verdict.intact and verdict.entries == len(_ids(admin)) > 10
    assert verdict.checkpoints >= 1  # the first entry of the day made one
    assert verdict.notes == []  # the key is in the (memory) OS keyring: protected


def test_an_edited_entry_is_named(world) -> None:  # type: ignore[no-untyped-def]
    admin = world["admin"]
    _activity(admin)
    target = _ids(admin)[5]
    _sql(admin, "UPDATE access_log SET detail = 'nothing to see' WHERE id = :i", i=target)
    verdict = admin.privacy.verify_audit()
    assert verdict.broken is not None and verdict.broken.entry_id == target and verdict.broken.kind == "edited"
    assert "was edited" in verdict.broken.text["en"] and "gewijzigd" in verdict.broken.text["nl"]


def test_an_edited_user_or_time_is_caught(world) -> None:  # type: ignore[no-untyped-def]
    admin = world["admin"]
    _activity(admin)
    target = _ids(admin)[3]
    _sql(admin, "UPDATE access_log SET user_id = 999 WHERE id = :i", i=target)
    assert admin.privacy.verify_audit().broken.entry_id == target  # type: ignore[union-attr]
    _sql(admin, "UPDATE access_log SET user_id = (SELECT user_id FROM access_log WHERE id = :j) WHERE id = :i",
         i=target, j=target - 1)
    _sql(admin, "UPDATE access_log SET ts_ms = ts_ms + 1 WHERE id = :i", i=target)
    assert admin.privacy.verify_audit().broken.entry_id == target  # type: ignore[union-attr]


@pytest.mark.parametrize("with_mac", [True, False])
def test_a_deleted_entry_is_caught(world, with_mac: bool) -> None:  # type: ignore[no-untyped-def]
    admin = world["admin"]
    _activity(admin)
    ids = _ids(admin)
    _sql(admin, "DELETE FROM access_log WHERE id = :i", i=ids[4])
    if with_mac:
        _sql(admin, "DELETE FROM access_log_chain WHERE entry_id = :i", i=ids[4])
    broken = admin.privacy.verify_audit().broken
    assert broken is not None and broken.kind == "deleted"
    assert broken.entry_id == ids[5]
    assert f"#{ids[3]} is followed by #{ids[5]}" in broken.text["en"]


def test_reordered_entries_are_caught(world) -> None:  # type: ignore[no-untyped-def]
    admin = world["admin"]
    _activity(admin)
    a, b = _ids(admin)[6:8]
    swap = ("UPDATE access_log SET ts_ms = (SELECT ts_ms FROM access_log WHERE id = :b), "
            "detail = (SELECT detail FROM access_log WHERE id = :b) WHERE id = :a")
    with admin.db.begin() as conn:
        first = conn.execute(text("SELECT ts_ms, detail FROM access_log WHERE id = :a"), {"a": a}).one()
        conn.execute(text(swap), {"a": a, "b": b})
        conn.execute(text("UPDATE access_log SET ts_ms = :t, detail = :d WHERE id = :b"),
                     {"t": first.ts_ms, "d": first.detail, "b": b})
        conn.execute(text("UPDATE access_log_chain SET entry_id = -1 WHERE entry_id = :a"), {"a": a})
        conn.execute(text("UPDATE access_log_chain SET entry_id = :a WHERE entry_id = :b"), {"a": a, "b": b})
        conn.execute(text("UPDATE access_log_chain SET entry_id = :b WHERE entry_id = -1"), {"b": b})
    broken = admin.privacy.verify_audit().broken
    assert broken is not None and broken.entry_id == a


def test_an_entry_added_outside_the_app_is_caught(world) -> None:  # type: ignore[no-untyped-def]
    admin = world["admin"]
    _activity(admin, 2)
    _sql(admin, "INSERT INTO access_log (ts_ms, user_id, on_behalf_of, resident_id, action, detail) "
                "VALUES (1, 1, '', 'r1', 'read', 'forged')")
    broken = admin.privacy.verify_audit().broken
    assert broken is not None and broken.kind == "forged" and broken.entry_id == max(_ids(admin))


def _truncate_to(admin: Service, keep_id: int) -> None:
    """What a careful attacker does: drop the newest entries, their MACs and checkpoints, fix the head."""
    with admin.db.begin() as conn:
        conn.execute(text("DELETE FROM access_log WHERE id > :k"), {"k": keep_id})
        conn.execute(text("DELETE FROM access_log_chain WHERE entry_id > :k"), {"k": keep_id})
        mac = conn.execute(text("SELECT mac FROM access_log_chain WHERE entry_id = :k"), {"k": keep_id}).scalar()
        count = conn.execute(text("SELECT count(*) FROM access_log")).scalar()
        conn.execute(text("UPDATE access_log_head SET last_entry_id = :k, last_mac = :m, count = :c"),
                     {"k": keep_id, "m": mac, "c": count})
        conn.execute(text("DELETE FROM access_log_checkpoints WHERE entry_id > :k"), {"k": keep_id})


def test_truncation_is_caught_against_the_head_row(world) -> None:  # type: ignore[no-untyped-def]
    admin = world["admin"]
    _activity(admin)
    ids = _ids(admin)
    _sql(admin, "DELETE FROM access_log_chain WHERE entry_id >= :i", i=ids[-2])
    _sql(admin, "DELETE FROM access_log WHERE id >= :i", i=ids[-2])
    broken = admin.privacy.verify_audit().broken
    assert broken is not None and broken.kind == "truncated" and broken.entry_id == ids[-1]
    assert f"ends at #{ids[-3]}" in broken.text["en"]


def test_truncation_is_caught_against_an_exported_checkpoint(world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    admin = world["admin"]
    _activity(admin)
    files = admin.privacy.checkpoint(tmp_path)
    assert files and json.loads(files[-1].read_text())["count"] == len(_ids(admin))
    covered = _ids(admin)[-1]
    _activity(admin, 2)
    _truncate_to(admin, covered - 3)
    assert admin.privacy.verify_audit().intact  # the database alone no longer shows it...
    verdict = admin.privacy.verify_audit(read_folder(tmp_path))
    assert verdict.broken is not None and verdict.broken.kind == "truncated"  # ...the exported file does
    assert verdict.broken.entry_id == covered


def test_a_forged_or_corrupt_checkpoint_is_refused(world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    admin = world["admin"]
    _activity(admin, 2)
    path = admin.privacy.checkpoint(tmp_path)[-1]
    body = read_checkpoint(path)
    body["count"] = int(body["count"]) - 1
    broken = admin.privacy.verify_audit([body]).broken
    assert broken is not None and broken.kind == "checkpoint"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="not a checkpoint file"):
        read_checkpoint(path)
    path.write_text(json.dumps({"format": audit_chain.CHECKPOINT_FORMAT}), encoding="utf-8")
    with pytest.raises(InputError, match="missing"):
        read_checkpoint(path)


def test_the_wrong_key_breaks_the_first_entry(world, memory_keyring) -> None:  # type: ignore[no-untyped-def]
    admin = world["admin"]
    for name in list(memory_keyring.secrets):
        memory_keyring.secrets[name] = "00" * 32
    forget(admin.db.engine)
    broken = admin.privacy.verify_audit().broken
    assert broken is not None and broken.entry_id == _ids(admin)[0]


def test_a_missing_key_is_an_error_not_a_new_chain(world, memory_keyring) -> None:  # type: ignore[no-untyped-def]
    from slimmaatwerk.keystore import KeyStoreError

    admin = world["admin"]
    memory_keyring.secrets.clear()
    forget(admin.db.engine)
    with pytest.raises(KeyStoreError, match="access-log key is missing"):
        admin.list_residents()


def test_pseudonymised_entries_keep_the_chain_intact(world) -> None:  # type: ignore[no-untyped-def]
    from slimmaatwerk.audit_keys import chain_key
    from slimmaatwerk.storage import access_log

    admin = world["admin"]
    _activity(admin)
    with admin.db.begin() as conn:
        alias = audit_chain.pseudonym(chain_key(conn).value, "r1")
        assert access_log.pseudonymise(conn, "r1", alias) > 5
    assert admin.privacy.verify_audit().intact
    assert admin.audit_entries("r1") == []
    _sql(admin, "UPDATE access_log SET resident_id = 'erased:0123456789abcdef0123' WHERE resident_id = 'r2'")
    assert not admin.privacy.verify_audit().intact  # a fake pseudonym needs the key
