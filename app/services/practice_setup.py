"""First run: create a practice (database, key slots, device, admin) in one step."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.orm import Session, sessionmaker

from app.models import Device, LocalState, Location, Practice, Role, Setting, User
from app.models.base import new_id
from app.services import audit_chain
from app.services.audit_chain import AuditEntry
from app.services.clock import Clock, SystemClock
from app.services.errors import DomainError
from app.services.note_templates import seed_default_templates
from app.services.numbering import PREFIX_LENGTH
from app.services.passwords import check_password, check_username, hash_password
from app.services.settings import DEFAULTS
from app.storage.database import PracticePaths, create_database
from app.storage.keyslots import (
    DEFAULT_KDF,
    RECOVERY_ALPHABET,
    RECOVERY_SLOT,
    KdfParams,
    KeySlotFile,
    new_database_key,
    new_recovery_code,
)

DEVICE_ID_KEY = "device_id"


@dataclass(frozen=True)
class NewPractice:
    practice_name: str
    time_zone: str
    admin_username: str
    admin_display_name: str
    admin_password: str
    device_name: str = "Front desk PC"


@dataclass(frozen=True)
class CreatedPractice:
    practice_id: str
    admin_user_id: str
    device_id: str
    recovery_code: str  # shown once; never stored anywhere but in its wrapped slot


def validate_new_practice(new: NewPractice) -> str:
    """Check every field before anything is written; returns the normalised user name."""
    if not new.practice_name.strip():
        raise DomainError("Enter the practice's name.")
    try:
        ZoneInfo(new.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise DomainError(f"“{new.time_zone}” is not a time zone Stethos knows.") from None
    if not new.admin_display_name.strip():
        raise DomainError("Enter the administrator's full name.")
    username = check_username(new.admin_username)
    check_password(new.admin_password, username=username, display_name=new.admin_display_name)
    return username


def create_practice(
    paths: PracticePaths,
    new: NewPractice,
    *,
    clock: Clock | None = None,
    kdf: KdfParams = DEFAULT_KDF,
) -> CreatedPractice:
    clock = clock or SystemClock()
    username = validate_new_practice(new)
    if paths.database.exists() or paths.keyslots.exists():
        raise DomainError(f"A practice already exists in {paths.data_dir}.")

    key = new_database_key()
    recovery_code = new_recovery_code()
    engine = create_database(paths, key)
    try:
        slots = KeySlotFile(paths.keyslots)
        slots.set_slot(username, new.admin_password, key, kdf)
        slots.set_slot(RECOVERY_SLOT, recovery_code, key, kdf)
        with sessionmaker(engine).begin() as session:
            created = _seed(session, new, username, clock)
        slots.save()
    except BaseException:
        engine.dispose()
        for path in (paths.database, paths.keyslots):
            path.unlink(missing_ok=True)
        for suffix in ("-wal", "-shm"):
            paths.database.with_name(paths.database.name + suffix).unlink(missing_ok=True)
        raise
    engine.dispose()
    return CreatedPractice(*created, recovery_code=recovery_code)


def _seed(session: Session, new: NewPractice, username: str, clock: Clock) -> tuple[str, str, str]:
    device = Device(id=new_id(), name=new.device_name, id_prefix=_device_prefix())
    session.info.update(device_id=device.id, clock=clock.now)
    session.add(device)
    session.flush()
    session.add(LocalState(key=DEVICE_ID_KEY, value=device.id))

    practice = Practice(name=new.practice_name.strip(), time_zone=new.time_zone)
    session.add(practice)
    session.flush()
    session.add(Location(practice_id=practice.id, name="Main office"))
    admin = User(
        username=username,
        display_name=new.admin_display_name.strip(),
        role=Role.ADMIN,
        password_hash=hash_password(new.admin_password),
        password_changed_at=clock.now(),
    )
    session.add(admin)
    for key, value in DEFAULTS.items():
        session.add(Setting(key=key, value=value))
    seed_default_templates(session)
    session.flush()
    session.info["user_id"] = admin.id
    for entry in (
        AuditEntry("create", "practice", entity_id=practice.id),
        AuditEntry("create", "user", entity_id=admin.id, detail="role=admin"),
    ):
        audit_chain.append(
            session,
            entry,
            occurred_at=clock.now(),
            user_id=admin.id,
            user_name=admin.username,
            device_id=device.id,
        )
    return practice.id, admin.id, device.id


def _device_prefix() -> str:
    # Three symbols from the recovery alphabet: readable, and 24,000+ possibilities. The sync
    # server will hand out prefixes at enrollment; until then a random one is unique enough.
    return "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(PREFIX_LENGTH))
