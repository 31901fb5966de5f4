"""The vault: the open database key and the slot file that wraps it for each person."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from app.storage.database import PracticePaths
from app.storage.files import write_atomically
from app.storage.keyslots import (
    DEFAULT_KDF,
    RECOVERY_SLOT,
    KdfParams,
    KeySlotFile,
    new_recovery_code,
)


@dataclass
class Vault:
    paths: PracticePaths
    database_key: bytes = field(repr=False)
    kdf: KdfParams = DEFAULT_KDF

    def _slots(self) -> KeySlotFile:
        return KeySlotFile.load(self.paths.keyslots)

    def set_password_slot(self, username: str, password: str) -> None:
        """Wrap the database key under `password` for `username` (new or replaced slot)."""
        slots = self._slots()
        slots.set_slot(username, password, self.database_key, self.kdf)
        slots.save()

    def remove_password_slot(self, username: str) -> None:
        slots = self._slots()
        slots.remove_slot(username)
        slots.save()

    def has_password_slot(self, username: str) -> bool:
        return self._slots().has_slot(username)

    def replace_recovery_code(self) -> str:
        code = new_recovery_code()
        slots = self._slots()
        slots.set_slot(RECOVERY_SLOT, code, self.database_key, self.kdf)
        slots.save()
        return code

    def record_security_event(
        self, username: str, now: datetime, event: str, *, pending: bool = True
    ) -> bool:
        """Count a failure for `username`; True if it locked the account.

        `pending=False` when the caller audits the event in the database itself.
        """
        slots = self._slots()
        locked = slots.record_failure(username, now, event, pending=pending)
        slots.save()
        return locked

    def check_not_locked(self, username: str, now: datetime) -> None:
        self._slots().check_not_locked(username, now)

    def clear_failures(self, username: str) -> None:
        slots = self._slots()
        if slots.failures.pop(username, None) is not None:
            slots.save()

    def take_pending_events(self) -> list[dict[str, str]]:
        slots = self._slots()
        events = slots.take_pending_events()
        if events:
            slots.save()
        return events

    def snapshot(self) -> bytes:
        """The slot file as it is now (to put back if a later step fails)."""
        return self.paths.keyslots.read_bytes()

    def restore_snapshot(self, data: bytes) -> None:
        write_atomically(self.paths.keyslots, data)
