"""Key slots: the database key, wrapped once per user and once for the recovery code.

The database key is 32 random bytes that never touch the disk in the clear. Each slot holds
that key encrypted with AES-256-GCM under a key derived by Argon2id from a secret (a user's
password or the recovery code). The slot file sits beside the database and holds no PHI:
user names, KDF parameters, nonces and ciphertext, plus the login-lockout counters that must
work before the database can be opened.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.storage.files import write_atomically
from app.storage.paths import SLOT_FILE_NAME

SLOT_FORMAT = 1
DATABASE_KEY_BYTES = 32
RECOVERY_SLOT = "__recovery__"
RECOVERY_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"  # no 0/O, 1/I/L, U: read aloud safely
RECOVERY_GROUPS = 6
RECOVERY_GROUP_LEN = 5  # 30 symbols ≈ 147 bits

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)


class SlotError(Exception):
    """Base class for key-slot failures (each carries a message fit for the user)."""


class WrongSecret(SlotError):
    """The password or recovery code does not open the slot."""


class UnknownUser(SlotError):
    """No slot exists for this user name on this machine."""


class AccountLocked(SlotError):
    def __init__(self, until: datetime) -> None:
        super().__init__(
            f"This account is locked after {MAX_FAILED_LOGINS} failed sign-ins. "
            f"Try again after {until.astimezone().strftime('%H:%M')}."
        )
        self.until = until


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost. Stored in each slot, so costs can rise without breaking old slots."""

    time_cost: int = 3
    memory_kib: int = 64 * 1024
    parallelism: int = 2

    def derive(self, secret: str, salt: bytes) -> bytes:
        return hash_secret_raw(
            secret.encode("utf-8"),
            salt,
            time_cost=self.time_cost,
            memory_cost=self.memory_kib,
            parallelism=self.parallelism,
            hash_len=32,
            type=Type.ID,
        )


# Tests and benchmarks may pass cheaper parameters; production uses the default.
DEFAULT_KDF = KdfParams()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def new_database_key() -> bytes:
    return secrets.token_bytes(DATABASE_KEY_BYTES)


def new_recovery_code() -> str:
    symbols = [
        secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_GROUPS * RECOVERY_GROUP_LEN)
    ]
    groups = [
        "".join(symbols[i : i + RECOVERY_GROUP_LEN])
        for i in range(0, len(symbols), RECOVERY_GROUP_LEN)
    ]
    return "-".join(groups)


def normalise_recovery_code(code: str) -> str:
    """Accept what people type: lower case, spaces, missing dashes, O for 0 is not allowed."""
    compact = "".join(ch for ch in code.upper() if ch.isalnum())
    groups = [
        compact[i : i + RECOVERY_GROUP_LEN] for i in range(0, len(compact), RECOVERY_GROUP_LEN)
    ]
    return "-".join(groups)


@dataclass
class Slot:
    name: str  # user name, or RECOVERY_SLOT
    salt: bytes
    nonce: bytes
    wrapped: bytes
    kdf: KdfParams

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "salt": _b64(self.salt),
            "nonce": _b64(self.nonce),
            "wrapped": _b64(self.wrapped),
            "kdf": {
                "alg": "argon2id",
                "t": self.kdf.time_cost,
                "m": self.kdf.memory_kib,
                "p": self.kdf.parallelism,
            },
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Slot:
        kdf = data["kdf"]
        if kdf.get("alg") != "argon2id":
            raise SlotError("The key-slot file uses an unknown key-derivation method.")
        slot = cls(
            name=data["name"],
            salt=_unb64(data["salt"]),
            nonce=_unb64(data["nonce"]),
            wrapped=_unb64(data["wrapped"]),
            kdf=KdfParams(kdf["t"], kdf["m"], kdf["p"]),
        )
        # Fail here, as a damaged file, rather than inside Argon2 or AES-GCM at sign-in.
        costs = (slot.kdf.time_cost, slot.kdf.memory_kib, slot.kdf.parallelism)
        if not all(type(c) is int and c >= 1 for c in costs):
            raise ValueError("bad KDF parameters")
        if len(slot.salt) < 8 or len(slot.nonce) != 12 or slot.kdf.memory_kib < 8 * costs[2]:
            raise ValueError("bad salt, nonce or KDF parameters")
        return slot


def _aad(name: str) -> bytes:
    # Binding the slot's name into the tag stops a slot being copied under another user's name.
    return f"stethos-keyslot:{SLOT_FORMAT}:{name}".encode()


def wrap_key(name: str, secret: str, database_key: bytes, kdf: KdfParams) -> Slot:
    salt = os.urandom(16)
    nonce = os.urandom(12)
    wrapping_key = kdf.derive(secret, salt)
    wrapped = AESGCM(wrapping_key).encrypt(nonce, database_key, _aad(name))
    return Slot(name=name, salt=salt, nonce=nonce, wrapped=wrapped, kdf=kdf)


def unwrap_key(slot: Slot, secret: str) -> bytes:
    wrapping_key = slot.kdf.derive(secret, slot.salt)
    try:
        return AESGCM(wrapping_key).decrypt(slot.nonce, slot.wrapped, _aad(slot.name))
    except InvalidTag:
        raise WrongSecret("The password is not correct.") from None


@dataclass
class LoginFailures:
    count: int = 0
    locked_until: datetime | None = None


@dataclass
class KeySlotFile:
    """The whole slot file, loaded; `save()` writes it back atomically (0600)."""

    path: Path
    slots: dict[str, Slot] = field(default_factory=dict)
    failures: dict[str, LoginFailures] = field(default_factory=dict)
    # Security events that happened while the database was closed (failed sign-ins,
    # lockouts); they move into the audit log at the next successful sign-in.
    pending_events: list[dict[str, str]] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path) -> KeySlotFile:
        try:
            return cls.from_bytes(path.read_bytes(), path)
        except FileNotFoundError:
            raise SlotError(f"No practice key file in {path.parent}.") from None
        except OSError as exc:
            raise SlotError(f"The key-slot file {path.name} is unreadable.") from exc

    @classmethod
    def from_bytes(cls, data: bytes, path: Path = Path(SLOT_FILE_NAME)) -> KeySlotFile:
        try:
            raw = json.loads(data.decode("utf-8"))
        except ValueError as exc:
            raise SlotError(f"The key-slot file {path.name} is damaged.") from exc
        if not isinstance(raw, dict):
            raise SlotError(f"The key-slot file {path.name} is damaged.")
        if raw.get("format") != SLOT_FORMAT:
            raise SlotError("The key-slot file was written by a newer Stethos.")
        try:
            slots = {s["name"]: Slot.from_json(s) for s in raw["slots"]}
            failures = {
                name: LoginFailures(
                    f["count"],
                    datetime.fromisoformat(f["locked_until"]) if f.get("locked_until") else None,
                )
                for name, f in raw.get("failures", {}).items()
            }
            pending = list(raw.get("pending_events", []))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise SlotError(f"The key-slot file {path.name} is damaged.") from exc
        return cls(path, slots, failures, pending)

    def save(self) -> None:
        data = {
            "format": SLOT_FORMAT,
            "slots": [slot.to_json() for slot in self.slots.values()],
            "failures": {
                name: {
                    "count": f.count,
                    "locked_until": f.locked_until.isoformat() if f.locked_until else None,
                }
                for name, f in self.failures.items()
                if f.count or f.locked_until
            },
            "pending_events": self.pending_events,
        }
        write_atomically(self.path, json.dumps(data, indent=1).encode("utf-8"))

    # -- slots -------------------------------------------------------------------------

    def set_slot(self, name: str, secret: str, database_key: bytes, kdf: KdfParams) -> None:
        self.slots[name] = wrap_key(name, secret, database_key, kdf)

    def remove_slot(self, name: str) -> None:
        self.slots.pop(name, None)
        self.failures.pop(name, None)

    def has_slot(self, name: str) -> bool:
        return name in self.slots

    def user_names(self) -> list[str]:
        return sorted(n for n in self.slots if n != RECOVERY_SLOT)

    def open_with_recovery_code(self, code: str) -> bytes:
        slot = self.slots.get(RECOVERY_SLOT)
        if slot is None:
            raise SlotError("This practice has no recovery slot.")
        try:
            return unwrap_key(slot, normalise_recovery_code(code))
        except WrongSecret:
            raise WrongSecret("The recovery code is not correct.") from None

    def open_with_password(
        self, user_name: str, password: str, now: datetime, *, reset_failures: bool = True
    ) -> bytes:
        """Unwrap the database key for `user_name`, counting failures toward a lockout.

        The caller saves the file afterwards (the counters change on success and failure).
        `reset_failures=False` when the password is only the first step (a second factor
        follows): the caller clears the count once the whole sign-in has succeeded.
        """
        slot = self.slots.get(user_name)
        if slot is None or user_name == RECOVERY_SLOT:
            raise UnknownUser("The user name or password is not correct.")
        self.check_not_locked(user_name, now)
        try:
            key = unwrap_key(slot, password)
        except WrongSecret:
            if self.record_failure(user_name, now, "login_failed"):
                raise AccountLocked(self.failures[user_name].locked_until or now) from None
            raise WrongSecret("The user name or password is not correct.") from None
        if reset_failures:
            self.failures.pop(user_name, None)
        return key

    def check_not_locked(self, user_name: str, now: datetime) -> None:
        state = self.failures.get(user_name)
        if state and state.locked_until and now < state.locked_until:
            raise AccountLocked(state.locked_until)

    def record_failure(
        self, user_name: str, now: datetime, event: str, *, pending: bool = True
    ) -> bool:
        """Count a failure toward the lockout; True when this failure locked the account."""
        state = self.failures.setdefault(user_name, LoginFailures())
        state.count += 1
        if pending:
            self._pending(now, user_name, event)
        if state.count < MAX_FAILED_LOGINS:
            return False
        state.locked_until = now + LOCKOUT
        state.count = 0
        self._pending(now, user_name, "account_locked")
        return True

    def take_pending_events(self) -> list[dict[str, str]]:
        events, self.pending_events = self.pending_events, []
        return events

    def _pending(self, now: datetime, user_name: str, event: str) -> None:
        self.pending_events.append({"at": now.isoformat(), "user": user_name, "event": event})
