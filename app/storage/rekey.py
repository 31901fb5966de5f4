"""Database key rotation that survives a crash at any point.

1. The new slot file is written beside the current one (`keyslots.json.next`).
2. `PRAGMA rekey` re-encrypts every page under the new key in one SQLCipher transaction.
3. The new slot file replaces the old one.

A crash between 2 and 3 leaves a database under the new key and both slot files; the next
sign-in notices (the current slots' key no longer opens the file) and finishes step 3.
"""

from __future__ import annotations

from pathlib import Path

from app.storage.database import PracticePaths
from app.storage.engine import DatabaseKeyError, connect_raw, key_pragma
from app.storage.files import replace_atomically
from app.storage.keyslots import KeySlotFile


def pending_slots_path(paths: PracticePaths) -> Path:
    return paths.keyslots.with_name(paths.keyslots.name + ".next")


def rotate_database_key(
    paths: PracticePaths, old_key: bytes, new_key: bytes, new_slots: KeySlotFile
) -> None:
    pending = pending_slots_path(paths)
    new_slots.path = pending
    new_slots.save()
    connection = connect_raw(paths.database, old_key)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute(key_pragma(new_key).replace("PRAGMA key", "PRAGMA rekey", 1))
    finally:
        connection.close()
    connect_raw(paths.database, new_key).close()  # prove the new key before promoting it
    replace_atomically(pending, paths.keyslots)
    new_slots.path = paths.keyslots


def finish_interrupted_rotation(paths: PracticePaths, key_from_current_slots: bytes) -> bool:
    """Called when a key from the current slot file does not open the database.

    True if a pending slot file exists (a rotation was interrupted after the rekey): it is
    promoted, and the caller should unlock again with the same secret.
    """
    pending = pending_slots_path(paths)
    if not pending.exists():
        return False
    try:
        connect_raw(paths.database, key_from_current_slots).close()
    except DatabaseKeyError:
        KeySlotFile.load(pending)  # refuse to promote a damaged file
        replace_atomically(pending, paths.keyslots)
        return True
    pending.unlink()  # the rekey never happened; the current slots are right
    return False
