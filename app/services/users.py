"""Staff accounts: the administrator's use cases, and each person's own account."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import pyotp
from sqlalchemy import func, select

from app.models import Role, User
from app.services.audit_chain import AuditEntry
from app.services.bus import UsersChanged
from app.services.context import AppContext, UnitOfWork, requires
from app.services.errors import DomainError, NotFound, SignInError
from app.services.passwords import (
    check_password,
    check_username,
    hash_password,
    password_matches,
)
from app.services.permissions import Permission
from app.terminology.identifiers import npi_is_valid

TOTP_ISSUER = "Stethos"


@dataclass(frozen=True)
class UserSummary:
    id: str
    username: str
    display_name: str
    role: Role
    credentials: str | None
    npi: str | None
    active: bool
    second_factor: bool
    must_change_password: bool
    created_at: datetime


@dataclass(frozen=True)
class NewUser:
    username: str
    display_name: str
    role: Role
    password: str
    credentials: str | None = None
    npi: str | None = None
    must_change_password: bool = True  # the admin chose it, so the person should replace it


@dataclass(frozen=True)
class SecondFactorSetup:
    secret: str
    provisioning_uri: str  # what the authenticator app scans (as a QR code) or types


def _summary(user: User) -> UserSummary:
    return UserSummary(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        credentials=user.credentials,
        npi=user.npi,
        active=user.is_active,
        second_factor=user.totp_secret is not None,
        must_change_password=user.must_change_password,
        created_at=user.created_at,
    )


def _clean_npi(npi: str | None) -> str | None:
    if npi is None or not npi.strip():
        return None
    npi = npi.strip()
    if not npi_is_valid(npi):
        raise DomainError(f"{npi} is not a valid NPI (10 digits with a correct check digit).")
    return npi


class UserAdminService:
    """Create, disable, reset, change role: the administrator's use cases."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    @requires(Permission.MANAGE_USERS)
    def list_users(self, include_disabled: bool = True) -> list[UserSummary]:
        with self.ctx.unit_of_work() as uow:
            query = select(User).where(User.deleted_at.is_(None)).order_by(User.display_name)
            users = [_summary(u) for u in uow.session.scalars(query)]
            uow.audit(AuditEntry("read", "user", detail=f"list ({len(users)})"))
        return [u for u in users if include_disabled or u.active]

    @requires(Permission.MANAGE_USERS)
    def create_user(self, new: NewUser) -> UserSummary:
        username = check_username(new.username)
        display_name = new.display_name.strip()
        if not display_name:
            raise DomainError("Enter the person's full name.")
        check_password(new.password, username=username, display_name=display_name)
        npi = _clean_npi(new.npi)
        if new.role is Role.PHYSICIAN and npi is None:
            raise DomainError("A physician needs an NPI (it goes on every claim they render).")
        with self.ctx.unit_of_work() as uow:
            taken = uow.session.scalar(select(User.id).where(User.username == username))
            if taken:
                raise DomainError(f"The user name “{username}” is already taken.")
            user = User(
                username=username,
                display_name=display_name,
                role=new.role,
                password_hash=hash_password(new.password),
                password_changed_at=self.ctx.clock.now(),
                must_change_password=new.must_change_password,
                credentials=(new.credentials or "").strip() or None,
                npi=npi,
            )
            uow.session.add(user)
            uow.session.flush()
            uow.audit(AuditEntry("create", "user", entity_id=user.id, detail=f"role={new.role}"))
            uow.notify(UsersChanged((user.id,)))
            self._with_slot(uow, lambda: self.ctx.vault.set_password_slot(username, new.password))
            return _summary(user)

    @requires(Permission.MANAGE_USERS)
    def disable_user(self, user_id: str) -> UserSummary:
        with self.ctx.unit_of_work() as uow:
            user = self._get(uow, user_id)
            if self.ctx.actor and user.id == self.ctx.actor.user_id:
                raise DomainError("You cannot disable your own account.")
            if not user.is_active:
                return _summary(user)
            if user.role is Role.ADMIN:
                self._keep_an_admin(uow, user)
            user.disabled_at = self.ctx.clock.now()
            uow.audit(AuditEntry("disable", "user", entity_id=user.id))
            uow.notify(UsersChanged((user.id,)))
            name = user.username
            self._with_slot(uow, lambda: self.ctx.vault.remove_password_slot(name))
            return _summary(user)

    @requires(Permission.MANAGE_USERS)
    def enable_user(self, user_id: str, new_password: str) -> UserSummary:
        """Re-enable a disabled account; it needs a fresh password (its slot was removed)."""
        with self.ctx.unit_of_work() as uow:
            user = self._get(uow, user_id)
            check_password(new_password, username=user.username, display_name=user.display_name)
            user.disabled_at = None
            self._set_password(user, new_password, must_change=True)
            uow.audit(AuditEntry("enable", "user", entity_id=user.id))
            uow.notify(UsersChanged((user.id,)))
            name = user.username
            self._with_slot(uow, lambda: self.ctx.vault.set_password_slot(name, new_password))
            return _summary(user)

    @requires(Permission.MANAGE_USERS)
    def reset_password(self, user_id: str, temporary_password: str) -> UserSummary:
        with self.ctx.unit_of_work() as uow:
            user = self._get(uow, user_id)
            if not user.is_active:
                raise DomainError("Enable the account before setting its password.")
            check_password(
                temporary_password, username=user.username, display_name=user.display_name
            )
            self._set_password(user, temporary_password, must_change=True)
            user.totp_secret = None  # a reset usually means a lost phone as well
            uow.audit(AuditEntry("reset_password", "user", entity_id=user.id))
            uow.notify(UsersChanged((user.id,)))
            name = user.username
            self._with_slot(uow, lambda: self.ctx.vault.set_password_slot(name, temporary_password))
            return _summary(user)

    @requires(Permission.MANAGE_USERS)
    def change_role(self, user_id: str, role: Role) -> UserSummary:
        with self.ctx.unit_of_work() as uow:
            user = self._get(uow, user_id)
            if user.role is role:
                return _summary(user)
            if user.role is Role.ADMIN:
                self._keep_an_admin(uow, user)
            if role is Role.PHYSICIAN and not user.npi:
                raise DomainError("Add the person's NPI before making them a physician.")
            old = user.role
            user.role = role
            uow.audit(AuditEntry("change_role", "user", entity_id=user.id, detail=f"{old}->{role}"))
            uow.notify(UsersChanged((user.id,)))
            return _summary(user)

    # -- helpers -----------------------------------------------------------------------

    def _get(self, uow: UnitOfWork, user_id: str) -> User:
        user = uow.session.get(User, user_id)
        if user is None or user.deleted_at is not None:
            raise NotFound("That user no longer exists.")
        return user

    def _keep_an_admin(self, uow: UnitOfWork, leaving: User) -> None:
        admins = uow.session.scalar(
            select(func.count())
            .select_from(User)
            .where(
                User.role == Role.ADMIN,
                User.disabled_at.is_(None),
                User.deleted_at.is_(None),  # a tombstoned admin cannot sign in either
                User.id != leaving.id,
            )
        )
        if not admins:
            raise DomainError("The practice needs at least one active administrator.")

    def _set_password(self, user: User, password: str, *, must_change: bool) -> None:
        user.password_hash = hash_password(password)
        user.password_changed_at = self.ctx.clock.now()
        user.must_change_password = must_change

    def _with_slot(self, uow: UnitOfWork, change_slot: Callable[[], None]) -> None:
        """Change the slot file, then commit; if the commit fails, put the slot file back."""
        before = self.ctx.vault.snapshot()
        uow.session.flush()
        change_slot()
        uow.on_rollback(lambda: self.ctx.vault.restore_snapshot(before))


class AccountService:
    """What every signed-in person may do with their own account."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def _me(self, uow: UnitOfWork) -> User:
        if self.ctx.actor is None:
            raise SignInError("Nobody is signed in.")
        user = uow.session.get(User, self.ctx.actor.user_id)
        if user is None or not user.is_active:
            raise SignInError("This account is no longer active.")
        return user

    def must_change_password(self) -> bool:
        with self.ctx.unit_of_work() as uow:
            return self._me(uow).must_change_password

    def change_password(self, current_password: str, new_password: str) -> None:
        with self.ctx.unit_of_work() as uow:
            user = self._me(uow)
            if not password_matches(user.password_hash, current_password):
                uow.audit(AuditEntry("change_password", "user", "failure", entity_id=user.id))
                uow.session.commit()  # keep the failure in the log, then refuse
                raise DomainError("Your current password is not correct.")
            if current_password == new_password:
                raise DomainError("Choose a password different from the current one.")
            check_password(new_password, username=user.username, display_name=user.display_name)
            user.password_hash = hash_password(new_password)
            user.password_changed_at = self.ctx.clock.now()
            user.must_change_password = False
            uow.audit(AuditEntry("change_password", "user", entity_id=user.id))
            name = user.username
            before = self.ctx.vault.snapshot()
            uow.session.flush()
            self.ctx.vault.set_password_slot(name, new_password)
            uow.on_rollback(lambda: self.ctx.vault.restore_snapshot(before))

    def start_second_factor(self) -> SecondFactorSetup:
        """A new secret to add to an authenticator app; nothing changes until confirmed."""
        with self.ctx.unit_of_work() as uow:
            user = self._me(uow)
            secret = pyotp.random_base32()
            uri = pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=TOTP_ISSUER)
            return SecondFactorSetup(secret, uri)

    def confirm_second_factor(self, setup: SecondFactorSetup, code: str) -> None:
        now = self.ctx.clock.now()
        if not pyotp.TOTP(setup.secret).verify(code.strip(), for_time=now, valid_window=1):
            raise DomainError("That code does not match. Check the time on your phone and retry.")
        with self.ctx.unit_of_work() as uow:
            user = self._me(uow)
            user.totp_secret = setup.secret
            uow.audit(AuditEntry("enable_second_factor", "user", entity_id=user.id))
            uow.notify(UsersChanged((user.id,)))
