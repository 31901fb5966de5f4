"""Encrypted backups: one file holding the encrypted database and its key slots.

The database part is written by SQLCipher's `sqlcipher_export` into an attached file keyed
with the same database key, so no plaintext exists at any moment. The backup is a ZIP
(stored, not compressed: ciphertext does not compress) of three members: the encrypted
database, the key-slot file (so the backup can be restored on a new machine with a user's
password or the recovery code) and a manifest with the database's SHA-256. Every backup is
opened and integrity-checked after writing.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from app.storage.engine import DatabaseKeyError, connect_raw
from app.storage.files import (
    ensure_private_dir,
    private_temp_path,
    replace_atomically,
)
from app.storage.paths import DATABASE_FILE_NAME, SLOT_FILE_NAME

BACKUP_FORMAT = 1
MANIFEST = "manifest.json"


class BackupError(Exception):
    """The backup could not be written, or the file is not a usable Stethos backup."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created_at: datetime
    database_sha256: str
    size_bytes: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_database(path: Path, key: bytes) -> str | None:
    """Run SQLCipher's page check and SQLite's integrity check; None when both pass."""
    try:
        connection = connect_raw(path, key)
    except DatabaseKeyError:
        return "the database cannot be opened with its key (damaged or not a Stethos file)"
    except Exception as exc:  # sqlcipher raises DatabaseError for mangled headers
        return f"the database cannot be opened ({type(exc).__name__})"
    try:
        cipher_problems = connection.execute("PRAGMA cipher_integrity_check").fetchall()
        if cipher_problems:
            return f"encrypted page check failed: {cipher_problems[0][0]}"
        result = connection.execute("PRAGMA integrity_check").fetchall()
        if result != [("ok",)]:
            return f"SQLite integrity check failed: {result[0][0]}"
    except Exception as exc:
        return f"integrity check could not run ({exc})"
    finally:
        connection.close()
    return None


def export_encrypted_copy(source: Path, key: bytes, target: Path) -> None:
    """Copy the live database into `target` (encrypted with the same key) consistently."""
    connection = connect_raw(source, key)
    try:
        target.unlink(missing_ok=True)
        connection.execute(f"ATTACH DATABASE ? AS backup KEY \"x'{key.hex()}'\"", (str(target),))
        connection.execute("SELECT sqlcipher_export('backup')")
        connection.execute("DETACH DATABASE backup")
    finally:
        connection.close()


def write_backup(data_dir: Path, key: bytes, out: Path, now: datetime | None = None) -> BackupInfo:
    created = now or datetime.now(UTC)
    out = out.resolve()
    ensure_private_dir(out.parent)
    db_copy = private_temp_path(out.parent, ".db")
    archive = private_temp_path(out.parent, ".zip")
    try:
        export_encrypted_copy(data_dir / DATABASE_FILE_NAME, key, db_copy)
        problem = check_database(db_copy, key)
        if problem:
            raise BackupError(f"The backup copy failed its check: {problem}.")
        digest = _sha256(db_copy)
        manifest = {
            "format": BACKUP_FORMAT,
            "created_at": created.isoformat(),
            "database_sha256": digest,
        }
        with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_STORED) as zf:
            zf.writestr(MANIFEST, json.dumps(manifest))
            zf.write(db_copy, DATABASE_FILE_NAME)
            zf.write(data_dir / SLOT_FILE_NAME, SLOT_FILE_NAME)
        replace_atomically(archive, out)
    except BaseException:
        archive.unlink(missing_ok=True)
        raise
    finally:
        db_copy.unlink(missing_ok=True)
    return BackupInfo(out, created, digest, out.stat().st_size)


def read_backup_slots(backup: Path) -> bytes:
    """The key-slot file inside a backup (to unwrap its key before restoring)."""
    try:
        with zipfile.ZipFile(backup) as zf:
            return zf.read(SLOT_FILE_NAME)
    except FileNotFoundError:
        raise BackupError(f"No backup file at {backup}.") from None
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise BackupError(f"{backup.name} is not a Stethos backup or is damaged.") from exc


def restore_backup(
    backup: Path,
    key: bytes,
    data_dir: Path,
    accept: Callable[[Path], None] = lambda staged: None,
) -> None:
    """Replace the practice in `data_dir` with the backup, after checking the backup fully.

    `accept(staged_database)` runs on the unpacked, verified copy before anything is
    replaced; it raises to refuse (for example, when the person is not an administrator).

    The current database (if any) is set aside as `practice.db.before-restore` (still
    encrypted) rather than deleted, so a restore can itself be undone.
    """
    ensure_private_dir(data_dir)
    staged_db = private_temp_path(data_dir, ".db")
    staged_slots = private_temp_path(data_dir, ".json")
    try:
        try:
            with zipfile.ZipFile(backup) as zf:
                manifest = json.loads(zf.read(MANIFEST))
                staged_db.write_bytes(zf.read(DATABASE_FILE_NAME))
                staged_slots.write_bytes(zf.read(SLOT_FILE_NAME))
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise BackupError(f"{backup.name} is not a Stethos backup or is damaged.") from exc
        if manifest.get("format") != BACKUP_FORMAT:
            raise BackupError("This backup was made by a newer Stethos.")
        if _sha256(staged_db) != manifest.get("database_sha256"):
            raise BackupError("The backup is damaged: its database does not match its checksum.")
        problem = check_database(staged_db, key)
        if problem:
            raise BackupError(f"The backup is damaged: {problem}.")
        accept(staged_db)
        live = data_dir / DATABASE_FILE_NAME
        if live.exists():
            _set_aside(live, key)
        for suffix in ("-wal", "-shm"):
            Path(f"{live}{suffix}").unlink(missing_ok=True)
        replace_atomically(staged_db, live)
        replace_atomically(staged_slots, data_dir / SLOT_FILE_NAME)
    finally:
        staged_db.unlink(missing_ok=True)
        staged_slots.unlink(missing_ok=True)


def _set_aside(live: Path, key: bytes) -> None:
    """Checkpoint the WAL into the live file and keep it as `.before-restore`."""
    try:
        connection = connect_raw(live, key)
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.close()
    except Exception:  # a damaged live database is exactly why people restore
        pass
    aside = live.with_name(live.name + ".before-restore")
    replace_atomically(live, aside)
