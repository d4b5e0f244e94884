"""The access-log hash chain, pure: canonical entries, MACs, pseudonyms, checkpoints and verification.

Each entry's MAC is HMAC-SHA256(key, previous MAC + canonical entry); the first entry chains from a
genesis value derived from the database id. The canonical entry holds the entry id (so swapping rows is
caught), the time, the user, on whose behalf, the action, a SHA-256 of the detail text, and the
resident as a keyed pseudonym. Because the chain only ever saw the pseudonym, erasing a resident can
replace the resident id and the detail text in the kept log without breaking the chain, and nobody
without the key can fake an "erased" entry.

Verification walks the entries in id order and reports the first one that does not fit: edited,
reordered, deleted (a gap the next MAC does not bridge), forged without a MAC, or — against the head row
and the signed checkpoints — truncated at the end.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

ERASED_PREFIX = "erased:"
ERASED_DETAIL = "[erased]"
CHECKPOINT_FORMAT = "slimmaatwerk-audit-checkpoint/1"
ANCHOR_FORMAT = "slimmaatwerk-audit-anchor/1"
ARCHIVE_FORMAT = "slimmaatwerk-audit-archive/1"
SIGNED_FIELDS = ("format", "database_id", "created_ms", "last_entry_id", "count", "last_mac")
ARCHIVE_SIGNED = ("format", "kind", "name", "database_id", "created_ms", "base_entry_id", "base_count", "base_mac",
                  "last_entry_id", "count", "last_mac")
# A restore appends one entry with this action; its detail names the archive of the entries it rolled back.
RESTORE_ACTION = "restore"
RESTORE_ARCHIVE = re.compile(r"archived in (restore-[\w.-]+\.db)")


def _mac(key: bytes, data: bytes) -> bytes:
    return hmac.new(key, data, hashlib.sha256).digest()


def genesis(key: bytes, database_id: str) -> str:
    return _mac(key, b"slimmaatwerk access log genesis:" + database_id.encode()).hex()


def pseudonym(key: bytes, resident_id: str) -> str:
    """A stable keyed pseudonym: the same resident always maps to the same value, irreversibly."""
    return _mac(key, b"resident:" + resident_id.encode()).hex()[:20]


def detail_sha(detail: str) -> str:
    return hashlib.sha256(detail.encode()).hexdigest()


def chained_resident(key: bytes, resident_id: str | None) -> str | None:
    if resident_id is None:
        return None
    if resident_id.startswith(ERASED_PREFIX):
        return resident_id[len(ERASED_PREFIX):]
    return pseudonym(key, resident_id)


def canonical(entry: dict, key: bytes, sha: str) -> bytes:
    fields = [int(entry["id"]), int(entry["ts_ms"]), int(entry["user_id"]), entry["on_behalf_of"] or "",
              chained_resident(key, entry["resident_id"]), entry["action"], sha]
    return json.dumps(fields, separators=(",", ":"), ensure_ascii=False).encode()


def entry_sha(entry: dict, stored_sha: str | None) -> str:
    """The detail hash the MAC covers: recomputed, except for an erased entry whose text is gone."""
    resident = entry["resident_id"] or ""
    if resident.startswith(ERASED_PREFIX) and entry["detail"] == ERASED_DETAIL and stored_sha:
        return stored_sha
    return detail_sha(entry["detail"] or "")


def entry_mac(key: bytes, previous: str, entry: dict, sha: str) -> str:
    return _mac(key, bytes.fromhex(previous) + canonical(entry, key, sha)).hex()


# --- checkpoints, the anchor and archives ----------------------------------------------------------
def checkpoint_body(database_id: str, created_ms: int, entry_id: int, count: int, last_mac: str,
                    fmt: str = CHECKPOINT_FORMAT) -> dict:
    return {"format": fmt, "database_id": database_id, "created_ms": int(created_ms),
            "last_entry_id": int(entry_id), "count": int(count), "last_mac": last_mac}


def sign(key: bytes, body: dict, fields: Sequence[str] = SIGNED_FIELDS) -> str:
    unsigned = {k: body[k] for k in fields}
    return _mac(key, b"checkpoint:" + json.dumps(unsigned, sort_keys=True).encode()).hex()


def signature_ok(key: bytes, body: dict, fields: Sequence[str] = SIGNED_FIELDS) -> bool:
    try:
        return hmac.compare_digest(str(body.get("signature", "")), sign(key, body, fields))
    except (KeyError, TypeError):
        return False


def anchor_body(key: bytes, database_id: str, created_ms: int, entry_id: int, count: int, mac: str) -> dict:
    """The signed start of a log whose oldest entries were archived and purged (access-log retention).

    Its own format is part of what is signed, so an ordinary checkpoint can never be passed off as one.
    """
    body = checkpoint_body(database_id, created_ms, entry_id, count, mac, ANCHOR_FORMAT)
    body["signature"] = sign(key, body)
    return body


def archive_meta(key: bytes, kind: str, name: str, database_id: str, created_ms: int,
                 base: tuple[int, int, str], last: tuple[int, int, str], **extra: str) -> dict:
    """The signed description of an archive file: which stretch of the chain it holds (see storage/audit_archive)."""
    meta = {"format": ARCHIVE_FORMAT, "kind": kind, "name": name, "database_id": database_id,
            "created_ms": str(int(created_ms)), "base_entry_id": str(base[0]), "base_count": str(base[1]),
            "base_mac": base[2], "last_entry_id": str(last[0]), "count": str(last[1]), "last_mac": last[2], **extra}
    meta["signature"] = sign(key, meta, ARCHIVE_SIGNED)
    return meta


@dataclass
class Archive:
    """An archive file as verification sees it: its signed meta and a way to read its entries."""

    meta: dict[str, str]
    rows: Callable[[], Iterable[tuple[dict, str | None, str | None]]]


# --- verification ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Broken:
    entry_id: int | None
    kind: str  # edited, deleted, reordered, forged, truncated, checkpoint, anchor, archive
    text: dict[str, str]


@dataclass
class Verdict:
    entries: int = 0
    checkpoints: int = 0
    broken: Broken | None = None
    notes: list[dict[str, str]] = field(default_factory=list)
    restore_gaps: list[dict] = field(default_factory=list)  # {"restore_entry", "from", "to", "archive"}
    archived_before: int = 0  # entries up to this id were archived and purged (access-log retention)

    @property
    def intact(self) -> bool:
        return self.broken is None


def _broken(entry_id: int | None, kind: str, nl: str, en: str) -> Broken:
    return Broken(entry_id, kind, {"nl": nl, "en": en})


def restore_archive_name(detail: str) -> str | None:
    found = RESTORE_ARCHIVE.search(detail or "")
    return found.group(1) if found else None


def verify(key: bytes, database_id: str, rows: Iterable[tuple[dict, str | None, str | None]],
           head: dict | None, checkpoints: Sequence[dict], orphan_macs: Sequence[int] = (),
           anchor: dict | None = None, archives: Sequence[Archive] = ()) -> Verdict:
    """Check the chain. ``rows`` are (entry, stored MAC or None, stored detail hash) in id order;
    ``checkpoints`` are checkpoint bodies already read (signatures are checked here); ``anchor`` is the
    signed start after an access-log retention purge; ``archives`` are the archive files of the folder."""
    verdict = Verdict()
    previous, last_id, start = genesis(key, database_id), 0, 0
    if anchor is not None:
        if anchor.get("format") != ANCHOR_FORMAT or anchor.get("database_id") != database_id \
                or not signature_ok(key, anchor):
            verdict.broken = _broken(None, "anchor", "het begin van het log (anker) heeft een ongeldige handtekening",
                                     "the start of the log (its anchor) has an invalid signature")
            return verdict
        previous, last_id, start = anchor["last_mac"], int(anchor["last_entry_id"]), int(anchor["count"])
        verdict.archived_before = last_id
    wanted = {int(c["last_entry_id"]) for c in checkpoints} | {int(a.meta.get("base_entry_id", 0)) for a in archives}
    macs: dict[int, tuple[str, int]] = {last_id: (previous, start)}  # entry id -> (mac, position)
    restores: dict[str, int] = {}  # archive name -> id of the restore entry naming it
    for entry, stored, sha in rows:
        entry_id = int(entry["id"])
        verdict.entries += 1
        if stored is None:
            verdict.broken = _broken(entry_id, "forged",
                                     f"regel #{entry_id} heeft geen handtekening (buiten de app toegevoegd)",
                                     f"entry #{entry_id} has no MAC (added outside the app)")
            return verdict
        expected = entry_mac(key, previous, entry, entry_sha(entry, sha))
        if not hmac.compare_digest(expected, stored):
            verdict.broken = _explain(key, previous, entry, stored, sha, last_id)
            return verdict
        if entry_id in wanted:
            macs[entry_id] = (stored, start + verdict.entries)
        if entry["action"] == RESTORE_ACTION and (name := restore_archive_name(entry["detail"])):
            restores[name] = entry_id
        previous, last_id = stored, entry_id
    if orphan_macs:
        first = min(orphan_macs)
        verdict.broken = _broken(first, "deleted", f"regel #{first} is verwijderd (de handtekening bestaat nog)",
                                 f"entry #{first} was deleted (its MAC is still there)")
        return verdict
    if head is not None and int(head["count"]) > 0 and (int(head["last_entry_id"]) != last_id
                                                        or head["last_mac"] != previous):
        verdict.broken = _truncated(int(head["last_entry_id"]), int(head["count"]), last_id,
                                    start + verdict.entries, "de kop van de keten", "the chain head")
        return verdict
    explained = _check_archives(key, database_id, archives, wanted, macs, restores, anchor, verdict)
    if verdict.broken is not None:
        return verdict
    for body in sorted(checkpoints, key=lambda c: int(c["last_entry_id"])):
        verdict.checkpoints += 1
        if not signature_ok(key, body) or body.get("database_id") != database_id:
            verdict.broken = _broken(None, "checkpoint", "een controlepunt heeft een ongeldige handtekening",
                                     "a checkpoint has an invalid signature")
            return verdict
        point = (int(body["last_entry_id"]), body["last_mac"], int(body["count"]))
        found = macs.get(point[0])
        if found is not None and found == (point[1], point[2]):
            continue
        if point in explained:
            continue
        if anchor is not None and point[0] <= int(anchor["last_entry_id"]):
            continue  # older than the kept log: the signed anchor says those entries were archived
        verdict.broken = _truncated(point[0], point[2], last_id, start + verdict.entries,
                                    "een getekend controlepunt", "a signed checkpoint")
        return verdict
    return verdict


def _check_archives(key: bytes, database_id: str, archives: Sequence[Archive], wanted: set[int],
                    live: dict[int, tuple[str, int]], restores: dict[str, int], anchor: dict | None,
                    verdict: Verdict) -> set[tuple[int, str, int]]:
    """Verify every archive of this database; returns the (id, MAC, position) points they explain.

    A restore archive explains old checkpoints only when a signed restore entry of the live chain names
    it and it branches off the live chain; a retention archive must end where the anchor says.
    """
    explained: set[tuple[int, str, int]] = set()
    present = set()
    for archive in archives:
        meta = archive.meta
        if "database_id" in meta and meta["database_id"] != database_id:
            verdict.notes.append({"nl": f"archief {meta.get('name', '?')} hoort bij een andere database (overgeslagen)",
                                  "en": f"archive {meta.get('name', '?')} belongs to another database (skipped)"})
            continue
        name = meta.get("name", "?")
        present.add(name)
        points = _archive_points(key, archive, wanted)
        if points is None:
            verdict.broken = _broken(None, "archive", f"archief {name} is gewijzigd of beschadigd",
                                     f"archive {name} was altered or is damaged")
            return explained
        first, last = int(meta["base_entry_id"]) + 1, int(meta["last_entry_id"])
        if meta["kind"] == "restore":
            base = (int(meta["base_entry_id"]), meta["base_mac"], int(meta["base_count"]))
            on_chain = live.get(base[0]) == (base[1], base[2]) or (
                anchor is not None and base[0] <= int(anchor["last_entry_id"]))
            if name not in restores or not on_chain:
                verdict.notes.append({"nl": f"archief {name} hoort bij geen herstel in dit log (niet gebruikt)",
                                      "en": f"archive {name} matches no restore in this log (not used)"})
                continue
            explained |= points
            verdict.restore_gaps.append({"restore_entry": restores[name], "from": first, "to": last,
                                         "archive": name})
            verdict.notes.append({
                "nl": f"herstel van een back-up (regel #{restores[name]}): regels #{first}..#{last} van de vorige "
                      f"keten staan in archief {name} en kloppen",
                "en": f"restored from a backup (entry #{restores[name]}): entries #{first}..#{last} of the previous "
                      f"chain are in archive {name} and check out"})
        else:
            explained |= points
            if anchor is not None and last == int(anchor["last_entry_id"]) and meta["last_mac"] != anchor["last_mac"]:
                verdict.broken = _broken(last, "archive", f"archief {name} sluit niet aan op het begin van het log",
                                         f"archive {name} does not lead to the start of the log")
                return explained
    for name, entry_id in sorted(restores.items(), key=lambda kv: kv[1]):
        if name not in present:
            verdict.broken = _broken(entry_id, "archive",
                                     f"regel #{entry_id} noemt archief {name}, maar dat ontbreekt",
                                     f"entry #{entry_id} names archive {name}, but it is missing")
            return explained
    return explained


def _archive_points(key: bytes, archive: Archive, wanted: set[int]) -> set[tuple[int, str, int]] | None:
    """Check an archive's signature and chain; None when anything does not fit."""
    meta = archive.meta
    if meta.get("format") != ARCHIVE_FORMAT or not signature_ok(key, meta, ARCHIVE_SIGNED):
        return None
    previous, last_id, position = meta["base_mac"], int(meta["base_entry_id"]), int(meta["base_count"])
    points: set[tuple[int, str, int]] = set()
    try:
        # Ids only ever grow; they may skip a number (a PostgreSQL sequence is not rolled back).
        for entry, stored, sha in archive.rows():
            position += 1
            if int(entry["id"]) <= last_id or stored is None or not hmac.compare_digest(
                    entry_mac(key, previous, entry, entry_sha(entry, sha)), stored):
                return None
            previous, last_id = stored, int(entry["id"])
            if last_id in wanted:
                points.add((last_id, stored, position))
    except Exception:  # noqa: BLE001 - an unreadable archive is a damaged archive
        return None
    if last_id != int(meta["last_entry_id"]) or position != int(meta["count"]) or previous != meta["last_mac"]:
        return None
    return points | {(last_id, previous, position)}


def _truncated(expected_id: int, expected_count: int, last_id: int, count: int, nl_what: str,
               en_what: str) -> Broken:
    return _broken(
        expected_id, "truncated",
        f"ingekort of gewijzigd: volgens {nl_what} eindigt het log bij regel #{expected_id} "
        f"({expected_count} regels), maar het eindigt nu bij #{last_id} ({count} regels)",
        f"truncated or altered: {en_what} says the log ends at entry #{expected_id} ({expected_count} "
        f"entries), but it now ends at #{last_id} ({count} entries)",
    )


def _explain(key: bytes, previous: str, entry: dict, stored: str, sha: str | None, last_id: int) -> Broken:
    entry_id = int(entry["id"])
    if entry_id != last_id + 1:
        return _broken(entry_id, "deleted",
                       f"regel #{entry_id}: de regel(s) ervoor ontbreken (na #{last_id} komt #{entry_id})",
                       f"entry #{entry_id}: the entry before it is missing (#{last_id} is followed by #{entry_id})")
    stored_sha = sha or ""
    if stored_sha and stored_sha != entry_sha(entry, sha):
        return _broken(entry_id, "edited", f"regel #{entry_id} is gewijzigd (de omschrijving klopt niet meer)",
                       f"entry #{entry_id} was edited (its detail no longer matches)")
    return _broken(entry_id, "edited",
                   f"regel #{entry_id} is gewijzigd of verplaatst (de handtekening klopt niet)",
                   f"entry #{entry_id} was edited or moved (its MAC does not match)")


def archive_intact(key: bytes, archive: Archive) -> bool:
    """Whether an archive's signature and chain check out (used right after writing one)."""
    return _archive_points(key, archive, set()) is not None
