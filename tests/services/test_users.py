"""Staff accounts: the administrator's use cases (DESIGN §3)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from app.models import Role, User
from app.services.bus import UsersChanged
from app.services.clock import FakeClock
from app.services.context import AppContext
from app.services.errors import ConcurrentChange, DomainError, NotFound, SignInError
from app.services.users import AccountService, NewUser, UserAdminService
from tests.conftest import DEMO_PASSWORD
from tests.services.conftest import SignInAs
from tests.services.helpers import (
    audit_events,
    data_snapshot,
    outbox_rows,
    query,
    slot_names,
    user_id,
    user_row,
)

VALID_NPI = "1234567893"
JLEE = NewUser("jlee", "Jordan Lee", Role.NURSE, "a sunny day in may", credentials="RN")


def _unchanged_by(ctx: AppContext, action: Any) -> Exception:
    """Run `action`, which must fail; assert it saved nothing anywhere. Returns the error."""
    data, slots = data_snapshot(ctx), ctx.vault.snapshot()
    events = audit_events(ctx)
    with pytest.raises(DomainError) as error:
        action()
    assert data_snapshot(ctx) == data
    assert ctx.vault.snapshot() == slots
    assert [e for e in audit_events(ctx) if e["outcome"] == "success"] == [
        e for e in events if e["outcome"] == "success"
    ]
    return error.value


# -- create ----------------------------------------------------------------------------


def test_a_new_user_can_sign_in_and_must_choose_a_password(
    admin: AppContext, sign_in_as: SignInAs
) -> None:
    created = UserAdminService(admin).create_user(JLEE)
    assert (created.username, created.display_name, created.role) == ("jlee", "Jordan Lee", "nurse")
    assert created.active and created.must_change_password and not created.second_factor
    assert "jlee" in slot_names(admin)

    ctx = sign_in_as("jlee", "a sunny day in may")
    assert ctx.actor is not None and ctx.actor.role is Role.NURSE
    assert AccountService(ctx).must_change_password()
    listed = {u.username: u for u in UserAdminService(admin).list_users()}
    assert listed["jlee"] == created


def test_user_names_are_stored_in_lower_case(admin: AppContext) -> None:
    created = UserAdminService(admin).create_user(
        NewUser("  JLee ", " Jordan Lee ", Role.NURSE, "a sunny day in may")
    )
    assert (created.username, created.display_name) == ("jlee", "Jordan Lee")


@pytest.mark.parametrize("taken", ["nkim", "NKim", " nkim "])
def test_a_taken_user_name_is_refused_with_a_clear_message(admin: AppContext, taken: str) -> None:
    new = NewUser(taken, "Nora Kim", Role.NURSE, "a sunny day in may")
    error = _unchanged_by(admin, lambda: UserAdminService(admin).create_user(new))
    assert str(error) == "The user name “nkim” is already taken."


def test_a_physician_needs_a_valid_npi(admin: AppContext) -> None:
    users = UserAdminService(admin)
    no_npi = NewUser("drlee", "Jordan Lee", Role.PHYSICIAN, "a sunny day in may")
    error = _unchanged_by(admin, lambda: users.create_user(no_npi))
    assert "physician needs an NPI" in str(error)

    bad = NewUser("drlee", "Jordan Lee", Role.PHYSICIAN, "a sunny day in may", npi="1234567890")
    error = _unchanged_by(admin, lambda: users.create_user(bad))
    assert "1234567890 is not a valid NPI" in str(error)

    good = NewUser("drlee", "Jordan Lee", Role.PHYSICIAN, "a sunny day in may", npi=VALID_NPI)
    assert users.create_user(good).npi == VALID_NPI


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short", "at least 10"),
        ("password123", "too common"),
        ("jlee-is-my-name", "user name"),
        ("jordan was here", "your name"),
    ],
)
def test_a_weak_password_is_refused_and_nothing_is_saved(
    admin: AppContext, password: str, message: str
) -> None:
    new = NewUser("jlee", "Jordan Lee", Role.NURSE, password)
    outbox = outbox_rows(admin)
    error = _unchanged_by(admin, lambda: UserAdminService(admin).create_user(new))
    assert message in str(error)
    assert user_row(admin, "jlee") is None
    assert "jlee" not in slot_names(admin)
    assert outbox_rows(admin) == outbox


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("username", "j", "3 to 32 characters"), ("display_name", "   ", "full name")],
)
def test_a_bad_name_is_refused(admin: AppContext, field: str, value: str, message: str) -> None:
    fields = {"username": "jlee", "display_name": "Jordan Lee"} | {field: value}
    new = NewUser(fields["username"], fields["display_name"], Role.NURSE, "a sunny day in may")
    error = _unchanged_by(admin, lambda: UserAdminService(admin).create_user(new))
    assert message in str(error)


# -- disable / enable ------------------------------------------------------------------


def test_disabling_a_user(admin: AppContext, sign_in_as: SignInAs) -> None:
    summary = UserAdminService(admin).disable_user(user_id(admin, "nkim"))
    assert not summary.active
    assert user_row(admin, "nkim")["disabled_at"] is not None  # type: ignore[index]
    assert "nkim" not in slot_names(admin)
    with pytest.raises(SignInError):
        sign_in_as("nkim")
    active = {u.username for u in UserAdminService(admin).list_users(include_disabled=False)}
    assert "nkim" not in active
    assert "nkim" in {u.username for u in UserAdminService(admin).list_users()}


def test_you_cannot_disable_yourself(admin: AppContext) -> None:
    assert admin.actor is not None
    me = admin.actor.user_id
    error = _unchanged_by(admin, lambda: UserAdminService(admin).disable_user(me))
    assert str(error) == "You cannot disable your own account."


def test_the_last_admin_cannot_be_disabled(admin: AppContext, sign_in_as: SignInAs) -> None:
    users = UserAdminService(admin)
    users.create_user(NewUser("admin2", "Sam Boyd", Role.ADMIN, "a sunny day in may"))
    second = sign_in_as("admin2", "a sunny day in may")
    # With two admins, one may disable the other...
    users.disable_user(user_id(admin, "admin2"))
    # ...but then the remaining admin is the last one. The second admin's session is still
    # open on another machine; it must not be able to lock the practice out of its admin.
    admin_id = user_id(admin, "admin")
    error = _unchanged_by(second, lambda: UserAdminService(second).disable_user(admin_id))
    assert str(error) == "The practice needs at least one active administrator."


def test_enabling_a_user_needs_a_fresh_password(admin: AppContext, sign_in_as: SignInAs) -> None:
    users = UserAdminService(admin)
    nkim = user_id(admin, "nkim")
    users.disable_user(nkim)

    error = _unchanged_by(admin, lambda: users.enable_user(nkim, "short"))
    assert "at least 10" in str(error)

    summary = users.enable_user(nkim, "back at work again")
    assert summary.active and summary.must_change_password
    assert "nkim" in slot_names(admin)
    with pytest.raises(SignInError):
        sign_in_as("nkim", DEMO_PASSWORD)
    assert sign_in_as("nkim", "back at work again").actor is not None


def test_an_unknown_user_is_not_found(admin: AppContext) -> None:
    with pytest.raises(NotFound, match="no longer exists"):
        UserAdminService(admin).disable_user("01890000-0000-7000-8000-000000000000")


# -- reset password --------------------------------------------------------------------


def test_reset_password(admin: AppContext, sign_in_as: SignInAs) -> None:
    summary = UserAdminService(admin).reset_password(
        user_id(admin, "drokafor"), "temporary words here"
    )
    assert summary.must_change_password
    with pytest.raises(SignInError, match="not correct"):
        sign_in_as("drokafor", DEMO_PASSWORD)
    ctx = sign_in_as("drokafor", "temporary words here")
    assert AccountService(ctx).must_change_password()

    AccountService(ctx).change_password("temporary words here", "my own words now")
    assert not AccountService(ctx).must_change_password()


def test_reset_password_refuses_a_weak_password(admin: AppContext, sign_in_as: SignInAs) -> None:
    drokafor = user_id(admin, "drokafor")
    users = UserAdminService(admin)
    error = _unchanged_by(admin, lambda: users.reset_password(drokafor, "drokafor-2026"))
    assert "user name" in str(error)
    assert sign_in_as("drokafor", DEMO_PASSWORD).actor is not None


def test_a_disabled_account_is_enabled_before_its_password_is_set(admin: AppContext) -> None:
    users = UserAdminService(admin)
    nkim = user_id(admin, "nkim")
    users.disable_user(nkim)
    error = _unchanged_by(admin, lambda: users.reset_password(nkim, "temporary words here"))
    assert "Enable the account" in str(error)
    assert "nkim" not in slot_names(admin)


# -- change role -----------------------------------------------------------------------


def test_change_role(admin: AppContext, sign_in_as: SignInAs) -> None:
    summary = UserAdminService(admin).change_role(user_id(admin, "nkim"), Role.RECEPTIONIST)
    assert summary.role is Role.RECEPTIONIST
    ctx = sign_in_as("nkim")
    assert ctx.actor is not None and ctx.actor.role is Role.RECEPTIONIST
    last_change = [e for e in audit_events(admin) if e["action"] == "change_role"][-1]
    assert last_change["detail"] == "nurse->receptionist"


def test_the_last_admin_cannot_be_demoted(admin: AppContext) -> None:
    users = UserAdminService(admin)
    admin_id = user_id(admin, "admin")
    error = _unchanged_by(admin, lambda: users.change_role(admin_id, Role.NURSE))
    assert str(error) == "The practice needs at least one active administrator."

    users.create_user(NewUser("admin2", "Sam Boyd", Role.ADMIN, "a sunny day in may"))
    assert users.change_role(admin_id, Role.NURSE).role is Role.NURSE


def test_a_deleted_admin_does_not_count_as_another_admin(
    admin: AppContext, clock: FakeClock
) -> None:
    """An admin account tombstoned (e.g. by a change synced from another machine) cannot
    sign in, so it must not let the last real admin demote themselves."""
    users = UserAdminService(admin)
    second = users.create_user(NewUser("admin2", "Sam Boyd", Role.ADMIN, "a sunny day in may"))
    with admin.unit_of_work() as uow:
        row = uow.session.get(User, second.id)
        assert row is not None
        row.deleted_at = clock.now()
    admin_id = user_id(admin, "admin")
    error = _unchanged_by(admin, lambda: users.change_role(admin_id, Role.NURSE))
    assert str(error) == "The practice needs at least one active administrator."


def test_a_physician_role_needs_an_npi(admin: AppContext) -> None:
    users = UserAdminService(admin)
    nkim = user_id(admin, "nkim")
    error = _unchanged_by(admin, lambda: users.change_role(nkim, Role.PHYSICIAN))
    assert "NPI" in str(error)


# -- change notices --------------------------------------------------------------------


def test_users_changed_is_published_after_the_commit(admin: AppContext) -> None:
    """A screen that refreshes on the notice must already see the change."""
    seen: list[tuple[UsersChanged, dict[str, Any] | None]] = []

    def on_change(notice: UsersChanged) -> None:
        # Read through a separate connection, as another screen's query would.
        rows = query(admin, "SELECT * FROM user_account WHERE id = ?", notice.user_ids[0])
        seen.append((notice, rows[0] if rows else None))

    admin.bus.subscribe(UsersChanged, on_change)
    users = UserAdminService(admin)

    created = users.create_user(JLEE)
    users.change_role(created.id, Role.RECEPTIONIST)
    users.reset_password(created.id, "temporary words here")
    users.disable_user(created.id)
    users.enable_user(created.id, "back at work again")

    assert [notice.user_ids for notice, _ in seen] == [(created.id,)] * 5
    rows = [row for _, row in seen]
    assert all(row is not None for row in rows)
    assert rows[0]["username"] == "jlee"  # type: ignore[index]
    assert rows[1]["role"] == "receptionist"  # type: ignore[index]
    assert rows[3]["disabled_at"] is not None  # type: ignore[index]
    assert rows[4]["disabled_at"] is None  # type: ignore[index]


def test_a_failed_use_case_publishes_nothing(admin: AppContext) -> None:
    seen: list[object] = []
    admin.bus.subscribe(UsersChanged, seen.append)
    users = UserAdminService(admin)
    with pytest.raises(DomainError):
        users.create_user(NewUser("nkim", "Nora Kim", Role.NURSE, "a sunny day in may"))
    with pytest.raises(DomainError):
        users.change_role(user_id(admin, "admin"), Role.NURSE)
    assert seen == []


def test_second_factor_turned_on_is_announced(sign_in_as: SignInAs, clock: FakeClock) -> None:
    import pyotp

    ctx = sign_in_as("drpatel")
    seen: list[UsersChanged] = []
    ctx.bus.subscribe(UsersChanged, seen.append)
    account = AccountService(ctx)
    setup = account.start_second_factor()
    account.confirm_second_factor(setup, pyotp.TOTP(setup.secret).at(clock.now()))
    assert ctx.actor is not None
    assert seen == [UsersChanged((ctx.actor.user_id,))]


# -- optimistic locking ----------------------------------------------------------------


def test_the_second_of_two_concurrent_edits_is_refused(
    sign_in_as: SignInAs, clock: FakeClock
) -> None:
    """Two workstations load the same user; both change it; the second save must not win."""
    first, second = sign_in_as("admin"), sign_in_as("admin")
    target = user_id(first, "nkim")

    # Each loads the record (e.g. into an edit form) and the unit of work ends.
    with first.unit_of_work() as uow:
        first_copy = uow.session.get(User, target)
    with second.unit_of_work() as uow:
        second_copy = uow.session.get(User, target)
    assert first_copy is not None and second_copy is not None
    assert first_copy.version == second_copy.version

    # The first saves.
    with first.unit_of_work() as uow:
        uow.session.add(first_copy)
        first_copy.display_name = "Hannah Kim-Lee"
    clock.advance(timedelta(minutes=1))

    # The second saves its stale copy: refused, and the first change stands.
    with pytest.raises(ConcurrentChange, match="Someone else changed this record"):  # noqa: SIM117
        with second.unit_of_work() as uow:
            uow.session.add(second_copy)
            second_copy.credentials = "LPN"
    row = user_row(first, "nkim")
    assert row is not None
    assert (row["display_name"], row["credentials"]) == ("Hannah Kim-Lee", "RN")
    assert row["version"] == first_copy.version


def test_versions_go_up_by_one_per_saved_change(admin: AppContext) -> None:
    users = UserAdminService(admin)
    nkim = user_id(admin, "nkim")
    before = user_row(admin, "nkim")["version"]  # type: ignore[index]
    users.change_role(nkim, Role.RECEPTIONIST)
    users.change_role(nkim, Role.RECEPTIONIST)  # no change: no new version
    assert user_row(admin, "nkim")["version"] == before + 1  # type: ignore[index]
