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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

ERASED_PREFIX = "erased:"
ERASED_DETAIL = "[erased]"
CHECKPOINT_FORMAT = "slimmaatwerk-audit-checkpoint/1"
SIGNED_FIELDS = ("format", "database_id", "created_ms", "last_entry_id", "count", "last_mac")


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


# --- checkpoints -----------------------------------------------------------------------------------
def checkpoint_body(database_id: str, created_ms: int, entry_id: int, count: int, last_mac: str) -> dict:
    return {"format": CHECKPOINT_FORMAT, "database_id": database_id, "created_ms": int(created_ms),
            "last_entry_id": int(entry_id), "count": int(count), "last_mac": last_mac}


def sign(key: bytes, body: dict) -> str:
    unsigned = {k: body[k] for k in SIGNED_FIELDS}
    return _mac(key, b"checkpoint:" + json.dumps(unsigned, sort_keys=True).encode()).hex()


def signature_ok(key: bytes, body: dict) -> bool:
    try:
        return hmac.compare_digest(str(body.get("signature", "")), sign(key, body))
    except (KeyError, TypeError):
        return False


# --- verification ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Broken:
    entry_id: int | None
    kind: str  # edited, deleted, reordered, forged, truncated, checkpoint
    text: dict[str, str]


@dataclass
class Verdict:
    entries: int = 0
    checkpoints: int = 0
    broken: Broken | None = None
    notes: list[dict[str, str]] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return self.broken is None


def _broken(entry_id: int | None, kind: str, nl: str, en: str) -> Broken:
    return Broken(entry_id, kind, {"nl": nl, "en": en})


def verify(key: bytes, database_id: str, rows: Iterable[tuple[dict, str | None, str | None]],
           head: dict | None, checkpoints: Sequence[dict], orphan_macs: Sequence[int] = ()) -> Verdict:
    """Check the chain. ``rows`` are (entry, stored MAC or None, stored detail hash) in id order;
    ``checkpoints`` are checkpoint bodies already read (signatures are checked here)."""
    verdict = Verdict()
    previous = genesis(key, database_id)
    macs: dict[int, tuple[str, int]] = {}  # checkpointed entry id -> (mac, position)
    wanted = {int(c["last_entry_id"]) for c in checkpoints}
    last_id = 0
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
            macs[entry_id] = (stored, verdict.entries)
        previous, last_id = stored, entry_id
    if orphan_macs:
        first = min(orphan_macs)
        verdict.broken = _broken(first, "deleted", f"regel #{first} is verwijderd (de handtekening bestaat nog)",
                                 f"entry #{first} was deleted (its MAC is still there)")
        return verdict
    if head is not None and int(head["count"]) > 0 and (int(head["last_entry_id"]) != last_id
                                                        or head["last_mac"] != previous):
        verdict.broken = _truncated(int(head["last_entry_id"]), int(head["count"]), last_id, verdict.entries,
                                    "de kop van de keten", "the chain head")
        return verdict
    for body in sorted(checkpoints, key=lambda c: int(c["last_entry_id"])):
        verdict.checkpoints += 1
        if not signature_ok(key, body) or body.get("database_id") != database_id:
            verdict.broken = _broken(None, "checkpoint", "een controlepunt heeft een ongeldige handtekening",
                                     "a checkpoint has an invalid signature")
            return verdict
        found = macs.get(int(body["last_entry_id"]))
        if found is None or found[0] != body["last_mac"] or found[1] != int(body["count"]):
            verdict.broken = _truncated(int(body["last_entry_id"]), int(body["count"]), last_id,
                                        verdict.entries, "een getekend controlepunt", "a signed checkpoint")
            return verdict
    return verdict


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
    if last_id and entry_id != last_id + 1:
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
