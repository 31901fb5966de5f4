"""Signing in: unwrap your key slot, open the database, check your user row and 2nd factor.

Failed attempts are counted in the slot file (the database cannot be opened without a
correct password); those events move into the audit log at the next successful sign-in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pyotp
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from app.models import LocalState, User
from app.services.audit_chain import AuditEntry
from app.services.bus import EventBus
from app.services.clock import Clock, SystemClock
from app.services.context import Actor, AppContext
from app.services.errors import AccountLockedOut, SecondFactorRequired, SignInError
from app.services.passwords import normalise_username, password_matches
from app.services.practice_setup import DEVICE_ID_KEY
from app.storage.database import PracticeMissing, PracticePaths, open_database
from app.storage.engine import DatabaseKeyError
from app.storage.keyslots import DEFAULT_KDF, AccountLocked, KdfParams, KeySlotFile, SlotError
from app.storage.rekey import finish_interrupted_rotation
from app.storage.vault import Vault

BAD_CREDENTIALS = "The user name or password is not correct."


def unlock_key(
    paths: PracticePaths,
    username: str,
    password: str,
    now: datetime,
    *,
    reset_failures: bool = True,
) -> bytes:
    """The database key from `username`'s slot; failures are counted toward a lockout."""
    if not paths.exists():
        raise SignInError(f"There is no Stethos practice in {paths.data_dir}.")
    try:
        slots = KeySlotFile.load(paths.keyslots)
    except SlotError as exc:
        raise SignInError(str(exc)) from None
    try:
        return slots.open_with_password(username, password, now, reset_failures=reset_failures)
    except AccountLocked as exc:
        raise AccountLockedOut(str(exc)) from None
    except SlotError as exc:
        raise SignInError(str(exc)) from None
    finally:
        slots.save()  # failure counters change on success and failure alike


def unlock_key_with_recovery_code(paths: PracticePaths, code: str) -> bytes:
    try:
        return KeySlotFile.load(paths.keyslots).open_with_recovery_code(code)
    except SlotError as exc:
        raise SignInError(str(exc)) from None


@dataclass
class SignIn:
    paths: PracticePaths
    clock: Clock
    bus: EventBus
    kdf: KdfParams = DEFAULT_KDF

    def __call__(self, username: str, password: str, totp_code: str | None = None) -> AppContext:
        username = normalise_username(username)
        now = self.clock.now()
        # The failure count is cleared only once every check (user row, 2nd factor) passed:
        # otherwise each right password would reset it and allow endless guesses at the code.
        key = unlock_key(self.paths, username, password, now, reset_failures=False)
        if finish_interrupted_rotation(self.paths, key):
            key = unlock_key(self.paths, username, password, now, reset_failures=False)
        try:
            engine = open_database(self.paths, key)
        except (DatabaseKeyError, PracticeMissing) as exc:
            raise SignInError(f"The practice database cannot be opened: {exc}") from None
        factory = sessionmaker(engine, expire_on_commit=False)
        vault = Vault(self.paths, key, self.kdf)
        with factory() as session:
            device_id = session.get(LocalState, DEVICE_ID_KEY)
            user = session.scalar(select(User).where(User.username == username))
        if device_id is None:
            engine.dispose()
            raise SignInError("This database has no device identity; restore it from a backup.")
        ctx = AppContext(factory, device_id.value, vault, clock=self.clock, bus=self.bus)
        try:
            actor = self._check_user(ctx, user, username, password, totp_code)
        except BaseException:
            engine.dispose()
            raise
        ctx.actor = actor
        vault.clear_failures(username)
        with ctx.unit_of_work() as uow:
            for event in vault.take_pending_events():
                uow.audit(_pending_entry(event))
            uow.audit(AuditEntry("login", "session", entity_id=actor.user_id))
        return ctx

    def _check_user(
        self,
        ctx: AppContext,
        user: User | None,
        username: str,
        password: str,
        totp_code: str | None,
    ) -> Actor:
        now = self.clock.now()
        if user is None or not user.is_active:
            # A slot without an active user: the account was disabled on another machine.
            ctx.vault.remove_password_slot(username)
            self._audit_failure(ctx, username, "account disabled")
            raise SignInError("This account is disabled. Ask the practice administrator.")
        if not password_matches(user.password_hash, password):
            ctx.vault.record_security_event(username, now, "login_failed")
            raise SignInError(BAD_CREDENTIALS)
        if user.totp_secret:
            if not totp_code:
                raise SecondFactorRequired("Enter the 6-digit code from your authenticator app.")
            if not pyotp.TOTP(user.totp_secret).verify(
                totp_code.strip(), for_time=now, valid_window=1
            ):
                ctx.vault.record_security_event(username, now, "second_factor_failed")
                raise SignInError("That code is not correct or has expired.")
        return Actor(user.id, user.username, user.display_name, user.role)

    def _audit_failure(self, ctx: AppContext, username: str, why: str) -> None:
        with ctx.unit_of_work() as uow:
            uow.audit(
                AuditEntry("login", "session", outcome="failure", detail=f"{username}: {why}")
            )


def _pending_entry(event: dict[str, str]) -> AuditEntry:
    kind = event.get("event", "login_failed")
    outcome = "failure" if kind != "account_locked" else "locked"
    return AuditEntry(
        "login",
        "session",
        outcome=outcome,
        detail=f"{event.get('user')}: {kind} at {event.get('at')}",
    )


def sign_in(
    paths: PracticePaths,
    username: str,
    password: str,
    totp_code: str | None = None,
    *,
    clock: Clock | None = None,
    bus: EventBus | None = None,
    kdf: KdfParams = DEFAULT_KDF,
) -> AppContext:
    """Open the practice as `username`. Raises SignInError (or SecondFactorRequired)."""
    return SignIn(paths, clock or SystemClock(), bus or EventBus(), kdf)(
        username, password, totp_code
    )


def confirm_password(ctx: AppContext, password: str) -> None:
    """Unlock a locked screen: the signed-in user proves it is still them.

    Failures count toward the same lockout as sign-in; once locked, the caller signs out.
    """
    actor = ctx.actor
    if actor is None:
        raise SignInError("Nobody is signed in.")
    now = ctx.clock.now()
    try:
        ctx.vault.check_not_locked(actor.username, now)
    except SlotError as exc:
        raise AccountLockedOut(str(exc)) from None
    with ctx.unit_of_work() as uow:
        user = uow.session.get(User, actor.user_id)
        ok = user is not None and user.is_active and password_matches(user.password_hash, password)
        if ok:
            uow.audit(AuditEntry("unlock", "session", entity_id=actor.user_id))
            ctx.vault.clear_failures(actor.username)
            return
        uow.audit(AuditEntry("unlock", "session", outcome="failure", entity_id=actor.user_id))
    locked = ctx.vault.record_security_event(actor.username, now, "unlock_failed", pending=False)
    if locked:
        raise AccountLockedOut(
            "Too many wrong passwords: this account is locked for 15 minutes. Signing out."
        )
    raise SignInError("The password is not correct.")
