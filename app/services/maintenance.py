"""Keeping the practice file safe: backups, integrity checks, key rotation, restore."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from app.models import Role, User
from app.services import audit_chain
from app.services.audit_chain import AuditEntry, ChainReport
from app.services.auth import sign_in
from app.services.clock import Clock, SystemClock
from app.services.context import AppContext, requires
from app.services.errors import DomainError, SignInError
from app.services.passwords import normalise_username, password_matches
from app.services.permissions import Permission
from app.storage import backup as backup_files
from app.storage.backup import BackupError, BackupInfo
from app.storage.database import PracticePaths
from app.storage.engine import open_engine
from app.storage.keyslots import RECOVERY_SLOT, KeySlotFile, SlotError, new_database_key
from app.storage.keyslots import new_recovery_code as make_recovery_code
from app.storage.rekey import rotate_database_key


@dataclass(frozen=True)
class IntegrityReport:
    ok: bool
    storage_problem: str | None
    chain: ChainReport | None

    def reason(self) -> str:
        if self.storage_problem:
            return self.storage_problem
        if self.chain and not self.chain.ok:
            return self.chain.summary()
        return "database and audit chain intact"


@dataclass(frozen=True)
class KeyRotation:
    recovery_code: str  # the old code no longer works; show and print this one
    users_needing_new_password: tuple[str, ...]


class MaintenanceService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    @requires(Permission.BACKUP_DATA)
    def backup(self, out: Path) -> BackupInfo:
        try:
            info = backup_files.write_backup(
                self.ctx.vault.paths.data_dir,
                self.ctx.vault.database_key,
                out,
                self.ctx.clock.now(),
            )
        except (BackupError, OSError) as exc:
            raise DomainError(f"The backup was not written: {exc}") from None
        with self.ctx.unit_of_work() as uow:
            uow.audit(AuditEntry("backup", "practice", detail=f"{info.size_bytes} bytes"))
        return info

    @requires(Permission.VERIFY_DATA)
    def verify(self) -> IntegrityReport:
        """SQLCipher's page check, SQLite's integrity check, then the audit chain."""
        vault = self.ctx.vault
        problem = backup_files.check_database(vault.paths.database, vault.database_key)
        if problem:
            return IntegrityReport(False, problem, None)
        with self.ctx.unit_of_work() as uow:
            chain = audit_chain.verify(uow.session)
            outcome = "success" if chain.ok else "failure"
            uow.audit(AuditEntry("verify", "practice", outcome=outcome, detail=chain.summary()))
        return IntegrityReport(chain.ok, None, chain)

    @requires(Permission.ROTATE_KEY)
    def rotate_key(self, admin_password: str) -> KeyRotation:
        """Re-encrypt the database under a new key.

        Slots hold the key wrapped by each person's password, which Stethos never keeps, so
        only the administrator's slot and a new recovery code can be made now; everyone
        else's access is withdrawn until the administrator sets them a new password. That
        is the point of rotating a key that may have leaked.
        """
        actor = self.ctx.actor
        assert actor is not None
        vault = self.ctx.vault
        with self.ctx.unit_of_work() as uow:
            me = uow.session.get(User, actor.user_id)
            if me is None or not password_matches(me.password_hash, admin_password):
                raise DomainError("Your password is not correct; the key was not changed.")
            others = tuple(
                uow.session.scalars(
                    select(User.username).where(
                        User.disabled_at.is_(None), User.id != actor.user_id
                    )
                )
            )
        stamp = self.ctx.clock.now().strftime("%Y%m%dT%H%M%SZ")
        self.backup(vault.paths.backups / f"before-key-rotation-{stamp}.stethos-backup")

        new_key = new_database_key()
        recovery_code = make_recovery_code()
        slots = KeySlotFile.load(vault.paths.keyslots)
        slots.slots.clear()
        slots.set_slot(actor.username, admin_password, new_key, vault.kdf)
        slots.set_slot(RECOVERY_SLOT, recovery_code, new_key, vault.kdf)

        engine = self.ctx.session_factory.kw["bind"]
        engine.dispose()
        rotate_database_key(vault.paths, vault.database_key, new_key, slots)
        vault.database_key = new_key
        self.ctx.session_factory.configure(bind=open_engine(vault.paths.database, new_key))
        with self.ctx.unit_of_work() as uow:
            uow.audit(
                AuditEntry("rotate_key", "practice", detail=f"{len(others)} users need a reset")
            )
        return KeyRotation(recovery_code, others)


def restore_practice(
    backup: Path,
    data_dir: Path,
    username: str,
    password: str,
    *,
    clock: Clock | None = None,
) -> AppContext:
    """Replace the practice in `data_dir` with `backup`, as an administrator of the backup.

    The person proves who they are against the backup's own key slots and user table, so
    a backup can be restored onto a new, empty machine. Returns the signed-in context.
    """
    clock = clock or SystemClock()
    try:
        slots = KeySlotFile.from_bytes(backup_files.read_backup_slots(backup))
        key = slots.open_with_password(normalise_username(username), password, clock.now())
    except BackupError as exc:
        raise DomainError(str(exc)) from None
    except SlotError:
        raise SignInError("The user name or password does not open this backup.") from None

    def accept(staged_database: Path) -> None:
        _require_admin(staged_database, key, normalise_username(username), password)

    try:
        backup_files.restore_backup(backup, key, data_dir, accept)
    except BackupError as exc:
        raise DomainError(str(exc)) from None
    ctx = sign_in(PracticePaths(data_dir), username, password, clock=clock)
    with ctx.unit_of_work() as uow:
        uow.audit(AuditEntry("restore", "practice", detail=backup.name))
    return ctx


def _require_admin(database: Path, key: bytes, username: str, password: str) -> None:
    engine = open_engine(database, key)
    try:
        with sessionmaker(engine)() as session:
            user = session.scalar(select(User).where(User.username == username))
    finally:
        engine.dispose()
    if user is None or not user.is_active or not password_matches(user.password_hash, password):
        raise SignInError("The user name or password does not open this backup.")
    if user.role is not Role.ADMIN:
        raise DomainError("Only an administrator may restore a backup.")
