"""Backups, integrity checks, key rotation and migrations, on a real encrypted practice."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from app.services.auth import sign_in, unlock_key_with_recovery_code
from app.services.context import AppContext
from app.services.demo import DemoPractice
from app.services.errors import DomainError, SignInError
from app.services.maintenance import MaintenanceService, restore_practice
from app.services.settings import SettingsService
from app.storage.engine import DatabaseKeyError, connect_raw
from app.storage.keyslots import KeySlotFile
from app.storage.rekey import pending_slots_path, rotate_database_key
from tests.conftest import DEMO_PASSWORD, FAST_KDF


def test_backup_is_verified_encrypted_and_restorable(
    admin: AppContext, practice: DemoPractice, tmp_path: Path
) -> None:
    out = tmp_path / "out" / "monday.stethos-backup"
    info = MaintenanceService(admin).backup(out)
    assert out.exists() and info.size_bytes == out.stat().st_size
    assert out.stat().st_mode & 0o777 == 0o600
    assert b"Riverside" not in out.read_bytes()

    SettingsService(admin).set_auto_lock_minutes(42)  # a change made after the backup
    admin.close()
    restored = restore_practice(out, practice.paths.data_dir, "admin", DEMO_PASSWORD)
    assert SettingsService(restored).auto_lock_minutes() == 10  # back to the backup's value
    assert (practice.paths.data_dir / "practice.db.before-restore").exists()
    restored.close()


def test_restore_refuses_a_damaged_backup_and_changes_nothing(
    admin: AppContext, practice: DemoPractice, tmp_path: Path
) -> None:
    out = tmp_path / "b.stethos-backup"
    MaintenanceService(admin).backup(out)
    admin.close()
    data = bytearray(out.read_bytes())
    data[len(data) // 2] ^= 0xFF
    out.write_bytes(bytes(data))
    before = practice.paths.database.read_bytes()
    with pytest.raises(DomainError, match="damaged"):
        restore_practice(out, practice.paths.data_dir, "admin", DEMO_PASSWORD)
    assert practice.paths.database.read_bytes() == before


def test_verify_reports_an_intact_practice(admin: AppContext) -> None:
    report = MaintenanceService(admin).verify()
    assert report.ok, report.reason()


def test_key_rotation_keeps_the_admin_and_withdraws_everyone_else(
    admin: AppContext, practice: DemoPractice
) -> None:
    admin.vault.kdf = FAST_KDF
    old_key = admin.vault.database_key
    rotation = MaintenanceService(admin).rotate_key(DEMO_PASSWORD)
    assert "drpatel" in rotation.users_needing_new_password
    assert rotation.recovery_code != practice.recovery_code
    # The running session goes on working under the new key.
    SettingsService(admin).set_auto_lock_minutes(15)
    admin.close()

    with pytest.raises(DatabaseKeyError):
        connect_raw(practice.paths.database, old_key)
    with pytest.raises(SignInError):
        unlock_key_with_recovery_code(practice.paths, practice.recovery_code)
    unlock_key_with_recovery_code(practice.paths, rotation.recovery_code)
    with pytest.raises(SignInError):
        sign_in(practice.paths, "drpatel", DEMO_PASSWORD)
    again = sign_in(practice.paths, "admin", DEMO_PASSWORD)
    assert SettingsService(again).auto_lock_minutes() == 15
    again.close()
    assert list(practice.paths.backups.glob("before-key-rotation-*"))


def test_a_rotation_interrupted_after_the_rekey_is_finished_at_sign_in(
    admin: AppContext, practice: DemoPractice
) -> None:
    key = admin.vault.database_key
    admin.close()
    new_key = bytes(32)
    slots = KeySlotFile.load(practice.paths.keyslots)
    slots.set_slot("admin", DEMO_PASSWORD, new_key, FAST_KDF)
    rotate_database_key(practice.paths, key, new_key, slots)
    # Simulate the crash: the old slot file is back in place and the new one still pending.
    pending = pending_slots_path(practice.paths)
    pending.write_bytes(practice.paths.keyslots.read_bytes())
    old = KeySlotFile.load(practice.paths.keyslots)
    old.set_slot("admin", DEMO_PASSWORD, key, FAST_KDF)
    old.save()

    ctx = sign_in(practice.paths, "admin", DEMO_PASSWORD)
    assert ctx.vault.database_key == new_key
    assert not pending.exists()
    ctx.close()


def test_permission_to_rotate_is_checked_first(login: Callable[[str], AppContext]) -> None:
    nurse = login("nkim")
    with pytest.raises(DomainError, match="may not"):
        MaintenanceService(nurse).rotate_key(DEMO_PASSWORD)
