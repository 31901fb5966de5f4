"""Password rules a clinic can live with (length over complexity, after NIST SP 800-63B),
and the Argon2id hash kept in the user row."""

from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app.services.errors import DomainError

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 128
USERNAME_PATTERN = re.compile(r"^[a-z][a-z0-9._-]{2,31}$")

# Passwords people reach for first; refusing them costs nothing and stops the easy guesses.
_COMMON = {
    "password", "password1", "password123", "passw0rd", "123456", "1234567890",
    "12345678", "123456789", "qwerty", "qwertyuiop", "letmein", "welcome", "welcome1",
    "iloveyou", "admin", "administrator", "changeme", "abc123", "monkey", "dragon",
    "football", "baseball", "sunshine", "princess", "trustno1", "doctor", "nurse",
    "medical", "clinic", "hospital", "patient", "healthcare", "stethoscope", "stethos",
}  # fmt: skip

_hasher = PasswordHasher()  # argon2id, library defaults (t=3, m=64 MiB, p=4)


def normalise_username(username: str) -> str:
    return username.strip().lower()


def check_username(username: str) -> str:
    name = normalise_username(username)
    if not USERNAME_PATTERN.match(name):
        raise DomainError(
            "A user name has 3 to 32 characters: letters, digits, dots, dashes or "
            "underscores, starting with a letter (for example “jlee”)."
        )
    return name


def check_password(password: str, *, username: str = "", display_name: str = "") -> None:
    """Raise DomainError with a helpful message when `password` is too weak."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(
            f"Use at least {MIN_PASSWORD_LENGTH} characters. A short sentence is easy to "
            "remember and hard to guess."
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise DomainError(f"Use at most {MAX_PASSWORD_LENGTH} characters.")
    lowered = password.lower()
    squeezed = re.sub(r"[^a-z0-9]", "", lowered)
    if lowered in _COMMON or squeezed in _COMMON or len(set(password)) < 4:
        raise DomainError("That password is too common or too simple. Choose another.")
    if username and normalise_username(username) in lowered:
        raise DomainError("The password must not contain your user name.")
    for part in display_name.lower().split():
        if len(part) >= 4 and part in lowered:
            raise DomainError("The password must not contain your name.")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
