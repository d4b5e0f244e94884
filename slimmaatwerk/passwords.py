"""Password hashing with argon2id (argon2-cffi) and the password policy.

Only hashes are stored. A wrong user name and a wrong password give the same answer and take the same
time (a dummy hash is verified for unknown users), so a login screen does not reveal who has an account.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from .errors import InputError

MIN_LENGTH = 10

_HASHER = PasswordHasher()
# Verified for unknown users, so they take as long as a wrong password. A fixed hash of a filler text
# with argon2-cffi's default parameters: hashing it at import cost every process start ~0.15 s.
_DUMMY_HASH = "$argon2id$v=19$m=65536,t=3,p=4$qKQ5T8hhIb9NS3ZA4ndKmw$zTt/bnvhWA+ZT/Y+Edk4vRIizdHiuMSUe1aNMZwJbUI"

POLICY_TEXT = {
    "nl": f"een wachtwoord moet minstens {MIN_LENGTH} tekens lang zijn",
    "en": f"a password must be at least {MIN_LENGTH} characters long",
}


def check_policy(password: str) -> None:
    if len(password) < MIN_LENGTH or not password.strip():
        raise InputError(POLICY_TEXT["en"] + " / " + POLICY_TEXT["nl"])


def hash_password(password: str) -> str:
    check_policy(password)
    return _HASHER.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; False for a mismatch, a missing or a malformed hash."""
    try:
        return _HASHER.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Hash parameters grow over the years; a successful login upgrades an old hash."""
    try:
        return _HASHER.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True
