"""Signing in (DESIGN §2): unwrap your slot → open the database → check your user row."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

import pyotp
import pytest

from app.services.audit import AuditService
from app.services.auth import confirm_password, unlock_key, unlock_key_with_recovery_code
from app.services.clock import FakeClock
from app.services.context import AppContext
from app.services.demo import DEMO_STAFF, DemoPractice
from app.services.errors import DomainError, SecondFactorRequired, SignInError
from app.services.users import AccountService, UserAdminService
from app.storage.keyslots import KeySlotFile
from tests.conftest import DEMO_PASSWORD
from tests.services.conftest import SignInAs
from tests.services.helpers import audit_events, slot_names, user_id, user_row

NEW_PASSWORD = "a quiet walk at dusk"


def _files_except_slots(practice: DemoPractice) -> dict[str, str]:
    """Fingerprint of everything in the practice folder except the key-slot file."""
    folder: Path = practice.paths.data_dir
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p != practice.paths.keyslots
    }


def _wrapped_slots(practice: DemoPractice) -> dict[str, bytes]:
    slots = KeySlotFile.load(practice.paths.keyslots).slots
    return {name: slot.wrapped for name, slot in slots.items()}


# -- passwords -------------------------------------------------------------------------


@pytest.mark.parametrize("person", DEMO_STAFF, ids=lambda p: p.username)
def test_every_demo_user_can_sign_in(sign_in_as: SignInAs, person: object) -> None:
    username = person.username  # type: ignore[attr-defined]
    ctx = sign_in_as(username)
    assert ctx.actor is not None
    assert ctx.actor.username == username
    assert ctx.actor.role == person.role  # type: ignore[attr-defined]
    assert ctx.actor.display_name == person.display_name  # type: ignore[attr-defined]
    last = audit_events(ctx)[-1]
    assert (last["action"], last["outcome"], last["user_name"]) == ("login", "success", username)


def test_user_names_are_not_case_sensitive(sign_in_as: SignInAs) -> None:
    ctx = sign_in_as("  DrPatel ")
    assert ctx.actor is not None and ctx.actor.username == "drpatel"


def test_a_wrong_password_fails_cleanly_and_changes_nothing_else(
    sign_in_as: SignInAs, practice: DemoPractice
) -> None:
    files, slots = _files_except_slots(practice), _wrapped_slots(practice)

    with pytest.raises(SignInError) as wrong:
        sign_in_as("drpatel", "riverside demo 2025")
    with pytest.raises(SignInError) as unknown:
        sign_in_as("drnobody", DEMO_PASSWORD)

    # The same words either way: no hint about which user names exist.
    assert str(wrong.value) == str(unknown.value) == "The user name or password is not correct."
    assert type(wrong.value) is SignInError  # not SecondFactorRequired or anything else
    assert _files_except_slots(practice) == files  # the database was not even opened
    assert _wrapped_slots(practice) == slots
    assert KeySlotFile.load(practice.paths.keyslots).failures["drpatel"].count == 1
    assert sign_in_as("drpatel").actor is not None


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(
    sign_in_as: SignInAs, clock: FakeClock
) -> None:
    for _ in range(4):
        with pytest.raises(SignInError, match="not correct"):
            sign_in_as("drpatel", "not my password")
    with pytest.raises(SignInError, match="locked"):
        sign_in_as("drpatel", "not my password")

    # Even the right password is refused while the lock lasts.
    with pytest.raises(SignInError, match="locked"):
        sign_in_as("drpatel")
    clock.advance(timedelta(minutes=14, seconds=59))
    with pytest.raises(SignInError, match="locked"):
        sign_in_as("drpatel")
    # Others can still work.
    assert sign_in_as("drokafor").actor is not None

    clock.advance(timedelta(seconds=1))
    ctx = sign_in_as("drpatel")
    assert ctx.actor is not None and ctx.actor.username == "drpatel"


def test_failed_sign_ins_and_the_lockout_reach_the_audit_log(
    sign_in_as: SignInAs, clock: FakeClock
) -> None:
    for _ in range(5):
        with pytest.raises(SignInError):
            sign_in_as("drpatel", "not my password")
    clock.advance(timedelta(minutes=15))
    admin = sign_in_as("admin")

    events = audit_events(admin)
    about_drpatel = [e for e in events if (e["detail"] or "").startswith("drpatel:")]
    assert [(e["action"], e["outcome"]) for e in about_drpatel] == [("login", "failure")] * 5 + [
        ("login", "locked")
    ]
    assert all("login_failed" in e["detail"] for e in about_drpatel[:5])
    assert "account_locked" in about_drpatel[5]["detail"]
    # They were recorded before the sign-in that found them, and only once.
    assert events[-1]["action"] == "login" and events[-1]["user_name"] == "admin"
    sign_in_as("drokafor")
    again = [e for e in audit_events(admin) if (e["detail"] or "").startswith("drpatel:")]
    assert len(again) == 6
    assert AuditService(admin).verify_chain().ok


def test_a_successful_sign_in_resets_the_failure_count(sign_in_as: SignInAs) -> None:
    for _ in range(4):
        with pytest.raises(SignInError):
            sign_in_as("drpatel", "not my password")
    sign_in_as("drpatel").close()
    for _ in range(4):
        with pytest.raises(SignInError, match="not correct"):
            sign_in_as("drpatel", "not my password")
    assert sign_in_as("drpatel").actor is not None


# -- recovery code ---------------------------------------------------------------------


def test_the_recovery_code_opens_the_database_key(
    admin: AppContext, practice: DemoPractice
) -> None:
    key = unlock_key_with_recovery_code(practice.paths, practice.recovery_code)
    assert key == admin.vault.database_key
    typed = practice.recovery_code.lower().replace("-", " ")
    assert unlock_key_with_recovery_code(practice.paths, typed) == key


def test_a_wrong_recovery_code_fails(practice: DemoPractice) -> None:
    code = practice.recovery_code
    wrong = code[:-1] + ("A" if code[-1] != "A" else "B")
    with pytest.raises(SignInError, match="recovery code is not correct"):
        unlock_key_with_recovery_code(practice.paths, wrong)
    with pytest.raises(SignInError):
        unlock_key_with_recovery_code(practice.paths, DEMO_PASSWORD)


def test_a_missing_practice_is_reported(tmp_path: Path, clock: FakeClock) -> None:
    from app.storage.database import PracticePaths

    with pytest.raises(SignInError, match="no Stethos practice"):
        unlock_key(PracticePaths(tmp_path / "nowhere"), "admin", DEMO_PASSWORD, clock.now())


# -- changing a password ---------------------------------------------------------------


def test_after_a_password_change_only_the_new_password_works(sign_in_as: SignInAs) -> None:
    ctx = sign_in_as("nkim")
    AccountService(ctx).change_password(DEMO_PASSWORD, NEW_PASSWORD)
    ctx.close()

    with pytest.raises(SignInError, match="not correct"):
        sign_in_as("nkim", DEMO_PASSWORD)
    again = sign_in_as("nkim", NEW_PASSWORD)
    assert again.actor is not None and again.actor.username == "nkim"
    assert AccountService(again).must_change_password() is False
    changes = [e for e in audit_events(again) if e["action"] == "change_password"]
    assert [(e["outcome"], e["user_name"]) for e in changes] == [("success", "nkim")]


def test_a_password_change_needs_the_current_password(sign_in_as: SignInAs) -> None:
    ctx = sign_in_as("nkim")
    before = user_row(ctx, "nkim")
    with pytest.raises(DomainError, match="current password is not correct"):
        AccountService(ctx).change_password("not my password", NEW_PASSWORD)
    with pytest.raises(DomainError, match="at least 10"):
        AccountService(ctx).change_password(DEMO_PASSWORD, "short")
    assert user_row(ctx, "nkim") == before
    failure = [e for e in audit_events(ctx) if e["action"] == "change_password"]
    assert [e["outcome"] for e in failure] == ["failure"]
    assert sign_in_as("nkim", DEMO_PASSWORD).actor is not None


# -- disabled accounts -----------------------------------------------------------------


def test_a_disabled_user_cannot_sign_in_and_loses_their_slot(
    admin: AppContext, sign_in_as: SignInAs
) -> None:
    assert "drokafor" in slot_names(admin)
    UserAdminService(admin).disable_user(user_id(admin, "drokafor"))

    assert "drokafor" not in slot_names(admin)
    with pytest.raises(SignInError):
        sign_in_as("drokafor")


def test_a_slot_left_for_a_disabled_user_is_refused_and_removed(
    admin: AppContext, sign_in_as: SignInAs
) -> None:
    """The account was disabled on another machine, but this slot file still has the slot."""
    old_slots = admin.vault.snapshot()
    UserAdminService(admin).disable_user(user_id(admin, "drokafor"))
    admin.vault.restore_snapshot(old_slots)

    with pytest.raises(SignInError, match="disabled"):
        sign_in_as("drokafor")
    assert "drokafor" not in slot_names(admin)
    last = audit_events(admin)[-1]
    assert (last["action"], last["outcome"]) == ("login", "failure")
    assert "drokafor" in last["detail"]


# -- second factor ---------------------------------------------------------------------


@pytest.fixture
def totp_secret(sign_in_as: SignInAs, clock: FakeClock) -> str:
    """drpatel turns on an authenticator app; returns the shared secret."""
    ctx = sign_in_as("drpatel")
    account = AccountService(ctx)
    setup = account.start_second_factor()
    assert "drpatel" in setup.provisioning_uri and "Stethos" in setup.provisioning_uri
    with pytest.raises(DomainError, match="does not match"):
        account.confirm_second_factor(setup, "000000")
    account.confirm_second_factor(setup, pyotp.TOTP(setup.secret).at(clock.now()))
    ctx.close()
    return setup.secret


def test_with_a_second_factor_the_password_alone_is_not_enough(
    sign_in_as: SignInAs, totp_secret: str
) -> None:
    with pytest.raises(SecondFactorRequired, match="6-digit code"):
        sign_in_as("drpatel")


def test_a_wrong_second_factor_code_fails(
    sign_in_as: SignInAs, totp_secret: str, clock: FakeClock
) -> None:
    right = pyotp.TOTP(totp_secret).at(clock.now())
    wrong = f"{(int(right) + 500_000) % 1_000_000:06d}"
    with pytest.raises(SignInError, match="not correct or has expired") as error:
        sign_in_as("drpatel", totp_code=wrong)
    assert not isinstance(error.value, SecondFactorRequired)
    # A code from an hour ago is no good either.
    stale = pyotp.TOTP(totp_secret).at(clock.now() - timedelta(hours=1))
    if stale != right:
        with pytest.raises(SignInError):
            sign_in_as("drpatel", totp_code=stale)


def test_the_right_second_factor_code_signs_in(
    sign_in_as: SignInAs, totp_secret: str, clock: FakeClock
) -> None:
    clock.advance(timedelta(minutes=5))
    ctx = sign_in_as("drpatel", totp_code=pyotp.TOTP(totp_secret).at(clock.now()))
    assert ctx.actor is not None and ctx.actor.username == "drpatel"


def test_wrong_second_factor_codes_count_toward_the_lockout(
    sign_in_as: SignInAs, totp_secret: str, clock: FakeClock
) -> None:
    """Knowing the password must not give unlimited guesses at the 6-digit code."""
    right = pyotp.TOTP(totp_secret).at(clock.now())
    wrong = f"{(int(right) + 500_000) % 1_000_000:06d}"
    for _ in range(4):
        with pytest.raises(SignInError, match="not correct"):
            sign_in_as("drpatel", totp_code=wrong)
    with pytest.raises(SignInError):
        sign_in_as("drpatel", totp_code=wrong)
    with pytest.raises(SignInError, match="locked"):
        sign_in_as("drpatel", totp_code=right)

    clock.advance(timedelta(minutes=15))
    ctx = sign_in_as("drpatel", totp_code=pyotp.TOTP(totp_secret).at(clock.now()))
    assert ctx.actor is not None
    failed = [e for e in audit_events(ctx) if "second_factor_failed" in (e["detail"] or "")]
    assert len(failed) == 5


def test_a_password_reset_removes_the_second_factor(
    admin: AppContext, sign_in_as: SignInAs, totp_secret: str
) -> None:
    UserAdminService(admin).reset_password(user_id(admin, "drpatel"), "lost my phone today")
    ctx = sign_in_as("drpatel", "lost my phone today")
    assert ctx.actor is not None
    assert AccountService(ctx).must_change_password()


# -- unlocking a locked screen ---------------------------------------------------------


def test_confirm_password_unlocks_the_screen(sign_in_as: SignInAs) -> None:
    ctx = sign_in_as("frontdesk")
    confirm_password(ctx, DEMO_PASSWORD)
    last = audit_events(ctx)[-1]
    assert (last["action"], last["outcome"], last["user_name"]) == (
        "unlock",
        "success",
        "frontdesk",
    )


def test_confirm_password_refuses_a_wrong_password(sign_in_as: SignInAs) -> None:
    ctx = sign_in_as("frontdesk")
    with pytest.raises(SignInError, match="password is not correct"):
        confirm_password(ctx, "riverside demo 2025")
    last = audit_events(ctx)[-1]
    assert (last["action"], last["outcome"]) == ("unlock", "failure")
    confirm_password(ctx, DEMO_PASSWORD)  # the right one still works


def test_confirm_password_locks_after_five_failures(sign_in_as: SignInAs, clock: FakeClock) -> None:
    ctx = sign_in_as("frontdesk")
    for _ in range(4):
        with pytest.raises(SignInError, match="not correct"):
            confirm_password(ctx, "wrong wrong wrong")
    with pytest.raises(SignInError, match="locked for 15 minutes"):
        confirm_password(ctx, "wrong wrong wrong")

    with pytest.raises(SignInError, match="locked"):
        confirm_password(ctx, DEMO_PASSWORD)
    with pytest.raises(SignInError, match="locked"):
        sign_in_as("frontdesk")
    clock.advance(timedelta(minutes=15))
    confirm_password(ctx, DEMO_PASSWORD)
    assert sign_in_as("frontdesk").actor is not None


def test_a_successful_unlock_resets_the_count(sign_in_as: SignInAs) -> None:
    ctx = sign_in_as("frontdesk")
    for _ in range(4):
        with pytest.raises(SignInError):
            confirm_password(ctx, "wrong wrong wrong")
    confirm_password(ctx, DEMO_PASSWORD)
    for _ in range(4):
        with pytest.raises(SignInError, match="not correct"):
            confirm_password(ctx, "wrong wrong wrong")
    confirm_password(ctx, DEMO_PASSWORD)


def test_confirm_password_needs_someone_signed_in(sign_in_as: SignInAs) -> None:
    ctx = sign_in_as("frontdesk")
    ctx.close()
    with pytest.raises(SignInError, match="Nobody is signed in"):
        confirm_password(ctx, DEMO_PASSWORD)
