"""Password hashes: verification, the policy, and unknown users costing what a wrong password costs."""

from __future__ import annotations

import pytest

from slimmaatwerk import passwords
from slimmaatwerk.errors import InputError


def test_a_hash_verifies_its_password_only() -> None:
    stored = passwords.hash_password("correct horse battery")
    assert passwords.verify_password(stored, "correct horse battery")
    assert not passwords.verify_password(stored, "correct horse batterY")
    assert not passwords.verify_password("not a hash", "correct horse battery")


def test_an_unknown_user_is_refused_through_a_full_verification() -> None:
    assert not passwords.verify_password(None, "no such user: constant-time filler")
    # The filler hash has the parameters real hashes get, so refusing an unknown user costs as much.
    assert not passwords.needs_rehash(passwords._DUMMY_HASH)


def test_short_passwords_are_refused_in_both_languages() -> None:
    with pytest.raises(InputError, match="at least 10 characters.*minstens 10 tekens"):
        passwords.hash_password("kort")
