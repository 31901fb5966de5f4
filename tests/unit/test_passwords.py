"""Password and user-name rules (length over complexity, after NIST SP 800-63B)."""

from __future__ import annotations

import pytest

from app.services.errors import DomainError
from app.services.passwords import (
    check_password,
    check_username,
    hash_password,
    password_matches,
)


@pytest.mark.parametrize(
    "password",
    [
        "riverside demo 2026",
        "correct horse battery staple",
        "Tr0ub4dor&3x",  # exactly ten characters or more, nothing else demanded
        "abcdefghij",
        "the cat sat on the warm windowsill in the morning sun, twice",
    ],
)
def test_reasonable_passwords_are_accepted(password: str) -> None:
    check_password(password, username="jlee", display_name="Jordan Lee")


def test_a_long_passphrase_is_accepted_without_symbols_or_digits() -> None:
    check_password("my dog likes long walks by the river", username="hkim")


@pytest.mark.parametrize("password", ["", "short", "nine char", "a b c d e"])
def test_passwords_under_ten_characters_are_refused(password: str) -> None:
    with pytest.raises(DomainError, match="at least 10 characters"):
        check_password(password)


def test_exactly_ten_characters_is_enough() -> None:
    check_password("kx7-mq2-pz")
    with pytest.raises(DomainError):
        check_password("kx7-mq2-p")


def test_very_long_passwords_are_refused() -> None:
    check_password("w" + "xyz " * 31 + "abc")  # 128 characters
    with pytest.raises(DomainError, match="at most 128"):
        check_password("w" + "xyz " * 32)


@pytest.mark.parametrize(
    "password",
    [
        "password123",
        "Password123",
        "PASSWORD123",
        "1234567890",
        "qwertyuiop",
        "Pass-Word-1",  # the same word with decoration squeezed out
        "administrator",
        "stethoscope",
        "aaaaaaaaaaaa",  # too few distinct characters
        "abababababab",
    ],
)
def test_common_or_trivial_passwords_are_refused(password: str) -> None:
    with pytest.raises(DomainError, match="too common or too simple"):
        check_password(password)


@pytest.mark.parametrize("password", ["drpatel2026!", "I am DrPatel again", "xx-drpatel-xx"])
def test_a_password_containing_the_user_name_is_refused(password: str) -> None:
    with pytest.raises(DomainError, match="user name"):
        check_password(password, username="DrPatel")


def test_a_password_containing_the_persons_name_is_refused() -> None:
    with pytest.raises(DomainError, match="your name"):
        check_password("hello patel family", username="pp", display_name="Priya Patel")


def test_messages_are_written_for_the_person_at_the_screen() -> None:
    with pytest.raises(DomainError) as error:
        check_password("short")
    assert "characters" in str(error.value)
    assert "Exception" not in str(error.value)


def test_the_hash_matches_only_its_password() -> None:
    stored = hash_password("riverside demo 2026")
    assert stored.startswith("$argon2id$")
    assert "riverside" not in stored
    assert password_matches(stored, "riverside demo 2026")
    assert not password_matches(stored, "riverside demo 2027")
    assert not password_matches("not a hash", "riverside demo 2026")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("jlee", "jlee"),
        ("JLee", "jlee"),
        ("  jlee \t", "jlee"),
        ("dr.patel", "dr.patel"),
        ("front-desk_2", "front-desk_2"),
        ("abc", "abc"),
        ("a" * 32, "a" * 32),
    ],
)
def test_valid_user_names_are_normalised(typed: str, stored: str) -> None:
    assert check_username(typed) == stored


@pytest.mark.parametrize(
    "typed",
    ["", "ab", "a" * 33, "1jlee", ".jlee", "j lee", "jlee!", "jlée", "j@lee", "jlee\n2"],
)
def test_invalid_user_names_are_refused(typed: str) -> None:
    with pytest.raises(DomainError, match="3 to 32 characters"):
        check_username(typed)
