"""Who may do what (DESIGN §3): every role × every use case, from an explicit table.

The expected outcomes are written out here, not read from ROLE_PERMISSIONS, so a wrong entry
in that table makes this test fail. To cover a new use case, add one `UseCase(...)` entry to
USE_CASES (and its service class to SERVICES if it is new).
"""

from __future__ import annotations

import inspect
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from app.models import Role
from app.services.audit import AuditService
from app.services.auth import sign_in
from app.services.clock import FakeClock
from app.services.context import AppContext
from app.services.demo import DemoPractice
from app.services.errors import PermissionDenied
from app.services.permissions import Permission
from app.services.settings import SettingsService
from app.services.users import NewUser, UserAdminService
from app.storage.database import PracticePaths
from tests.conftest import DEMO_PASSWORD, FAST_KDF
from tests.services.helpers import audit_events, data_snapshot, user_id

# The demo user who plays each role. Every role must be here (checked below).
ACTOR = {
    Role.ADMIN: "admin",
    Role.PHYSICIAN: "drpatel",
    Role.NURSE: "nkim",
    Role.RECEPTIONIST: "frontdesk",
    Role.BILLER: "billing",
}
ADMIN_ONLY = frozenset({Role.ADMIN})


@dataclass(frozen=True)
class Target:
    """Ids a use case acts on, looked up in the test's practice (never one of the actors)."""

    user_id: str


Call = Callable[[AppContext, Target], object]


@dataclass(frozen=True)
class UseCase:
    name: str  # "Service.method": must match the method it calls
    permission: Permission  # what the method declares
    allowed: frozenset[Role]  # who may do it: every other role is refused
    call: Call
    prepare: Call | None = None  # run as admin first, so that the call makes sense


def _new_user(ctx: AppContext, t: Target) -> object:
    return UserAdminService(ctx).create_user(
        NewUser("jlee", "Jordan Lee", Role.NURSE, "a sunny day in may")
    )


def _disable_target(ctx: AppContext, t: Target) -> object:
    return UserAdminService(ctx).disable_user(t.user_id)


USE_CASES = [
    UseCase(
        "UserAdminService.list_users",
        Permission.MANAGE_USERS,
        ADMIN_ONLY,
        lambda c, t: UserAdminService(c).list_users(),
    ),
    UseCase("UserAdminService.create_user", Permission.MANAGE_USERS, ADMIN_ONLY, _new_user),
    UseCase("UserAdminService.disable_user", Permission.MANAGE_USERS, ADMIN_ONLY, _disable_target),
    UseCase(
        "UserAdminService.enable_user",
        Permission.MANAGE_USERS,
        ADMIN_ONLY,
        lambda c, t: UserAdminService(c).enable_user(t.user_id, "back at work again"),
        prepare=_disable_target,
    ),
    UseCase(
        "UserAdminService.reset_password",
        Permission.MANAGE_USERS,
        ADMIN_ONLY,
        lambda c, t: UserAdminService(c).reset_password(t.user_id, "temporary words here"),
    ),
    UseCase(
        "UserAdminService.change_role",
        Permission.MANAGE_USERS,
        ADMIN_ONLY,
        lambda c, t: UserAdminService(c).change_role(t.user_id, Role.NURSE),
    ),
    UseCase(
        "SettingsService.set_auto_lock_minutes",
        Permission.MANAGE_SETTINGS,
        ADMIN_ONLY,
        lambda c, t: SettingsService(c).set_auto_lock_minutes(3),
    ),
    UseCase(
        "AuditService.recent",
        Permission.VIEW_AUDIT_LOG,
        ADMIN_ONLY,
        lambda c, t: AuditService(c).recent(),
    ),
    UseCase(
        "AuditService.verify_chain",
        Permission.VERIFY_DATA,
        ADMIN_ONLY,
        lambda c, t: AuditService(c).verify_chain(),
    ),
]

# Services whose every public method is a use case in the table, except these reads that
# every signed-in person needs (the auto-lock delay applies to everyone).
SERVICES = [UserAdminService, SettingsService, AuditService]
OPEN_TO_EVERYONE = {"SettingsService.get", "SettingsService.auto_lock_minutes"}

TARGET_USER = "drokafor"  # a physician who is not the physician actor


# -- practices -------------------------------------------------------------------------

SignInFn = Callable[[str], AppContext]


@pytest.fixture(scope="module")
def shared_sign_in(
    demo_template: DemoPractice, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SignInFn]:
    """One practice for all refused calls of this module (a refused call changes nothing,
    and each test checks exactly that); allowed calls get a fresh copy each."""
    folder = tmp_path_factory.mktemp("permissions") / "practice"
    shutil.copytree(demo_template.paths.data_dir, folder)
    paths, clock = PracticePaths(folder), FakeClock()
    contexts: dict[str, AppContext] = {}

    def _sign_in(username: str) -> AppContext:
        if username not in contexts:
            contexts[username] = sign_in(paths, username, DEMO_PASSWORD, clock=clock, kdf=FAST_KDF)
        return contexts[username]

    yield _sign_in
    for ctx in contexts.values():
        ctx.close()


def _cases() -> list[object]:
    return [
        pytest.param(case, role, id=f"{case.name}-{role.value}")
        for case in USE_CASES
        for role in ACTOR
    ]


# -- the table -------------------------------------------------------------------------


@pytest.mark.parametrize(("case", "role"), _cases())
def test_role_may_or_may_not_run_use_case(
    case: UseCase, role: Role, request: pytest.FixtureRequest
) -> None:
    allowed = role in case.allowed
    if allowed:
        sign_in_fn: SignInFn = request.getfixturevalue("login")
    else:
        sign_in_fn = request.getfixturevalue("shared_sign_in")
    actor = sign_in_fn(ACTOR[role])
    admin = actor if role is Role.ADMIN else sign_in_fn("admin")
    target = Target(user_id(admin, TARGET_USER))
    if case.prepare:
        case.prepare(admin, target)

    data, slots, events = data_snapshot(actor), actor.vault.snapshot(), audit_events(actor)

    if allowed:
        case.call(actor, target)
        new = audit_events(actor)[len(events) :]
        assert [e for e in new if e["outcome"] == "denied"] == []
        assert any(e["user_name"] == ACTOR[role] for e in new), "the use case was not audited"
        return

    with pytest.raises(PermissionDenied) as refused:
        case.call(actor, target)
    assert role.label in str(refused.value)
    assert data_snapshot(actor) == data
    assert actor.vault.snapshot() == slots
    new = audit_events(actor)
    assert new[: len(events)] == events
    assert actor.actor is not None
    assert [
        (e["action"], e["category"], e["outcome"], e["user_name"], e["user_id"])
        for e in new[len(events) :]
    ] == [("access", case.permission.value, "denied", ACTOR[role], actor.actor.user_id)]


def test_the_table_covers_every_role() -> None:
    assert set(ACTOR) == set(Role)


def test_every_use_case_is_guarded_and_in_the_table() -> None:
    """A data-changing method without a permission, or missing from the table, fails here."""
    table = {case.name: case for case in USE_CASES}
    assert len(table) == len(USE_CASES), "a use case appears twice"
    for service in SERVICES:
        for name, method in inspect.getmembers(service, inspect.isfunction):
            qualified = f"{service.__name__}.{name}"
            if name.startswith("_") or qualified in OPEN_TO_EVERYONE:
                continue
            assert hasattr(method, "required_permission"), f"{qualified} is not guarded"
            assert qualified in table, f"{qualified} is missing from USE_CASES"
    # And each row names a real method that declares the permission the row says.
    services = {service.__name__: service for service in SERVICES}
    for case in USE_CASES:
        service_name, method_name = case.name.split(".")
        assert service_name in services, f"add {service_name} to SERVICES"
        method = getattr(services[service_name], method_name)
        assert method.required_permission is case.permission, case.name


def test_reads_open_to_everyone_change_nothing(login: SignInFn) -> None:
    ctx = login("frontdesk")
    data, events = data_snapshot(ctx), audit_events(ctx)
    settings = SettingsService(ctx)
    assert settings.auto_lock_minutes() == 10
    assert settings.get("auto_lock_minutes") == 10
    with pytest.raises(KeyError):
        settings.get("no_such_setting")
    assert data_snapshot(ctx) == data
    assert audit_events(ctx) == events


def test_permission_is_checked_before_the_input(login: SignInFn) -> None:
    """A refused person learns nothing about the data from validation messages."""
    nurse = login("nkim")
    with pytest.raises(PermissionDenied):
        UserAdminService(nurse).create_user(NewUser("x", "", Role.PHYSICIAN, "short"))
    with pytest.raises(PermissionDenied):
        UserAdminService(nurse).disable_user("no-such-id")
    with pytest.raises(PermissionDenied):
        SettingsService(nurse).set_auto_lock_minutes(100_000)


def test_nobody_signed_in_is_refused_and_audited(login: SignInFn) -> None:
    ctx = login("admin")
    before = audit_events(ctx)
    ctx.close()  # signed out: the context no longer has an actor
    with pytest.raises(PermissionDenied, match="Nobody signed in"):
        UserAdminService(ctx).list_users()
    new = audit_events(ctx)[len(before) :]
    assert [(e["action"], e["outcome"], e["user_name"]) for e in new] == [
        ("access", "denied", None)
    ]
