"""Errors a user can cause. Their messages are written for the person at the screen."""

from __future__ import annotations

from app.errors import DomainError

__all__ = [
    "AccountLockedOut",
    "ConcurrentChange",
    "DomainError",
    "NotFound",
    "PermissionDenied",
    "SecondFactorRequired",
    "SignInError",
]


class PermissionDenied(DomainError):
    pass


class NotFound(DomainError):
    pass


class ConcurrentChange(DomainError):
    """Someone else saved this record first (optimistic locking)."""


class SignInError(DomainError):
    pass


class SecondFactorRequired(SignInError):
    """Password accepted; the user must now give the 6-digit code from their app."""


class AccountLockedOut(SignInError):
    """Too many failed attempts: the account is locked for a while (the message says until when)."""
