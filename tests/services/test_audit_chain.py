"""The audit log (DESIGN §3): every use case is recorded; the log is append-only and chained."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError

from app.models import AuditEvent, Role
from app.services.audit import AuditService
from app.services.audit_chain import GENESIS_HASH, entry_hash
from app.services.clock import FakeClock
from app.services.context import AppContext
from app.services.errors import DomainError, PermissionDenied
from app.services.settings import SettingsService
from app.services.users import NewUser, UserAdminService
from tests.services.conftest import SignInAs
from tests.services.helpers import audit_events, raw_db, user_id

Login = Callable[[str], AppContext]


# -- every use case writes an event ----------------------------------------------------


@dataclass(frozen=True)
class Audited:
    """A use case run as `actor`, and the audit event it must leave behind."""

    actor: str
    run: Callable[[AppContext, Login], Any]  # (the actor's context, sign in another session)
    action: str
    category: str
    outcome: str = "success"
    target: str | None = None  # the user name whose id the event's entity_id must be


def _create(ctx: AppContext, login: Login | None = None) -> Any:
    return UserAdminService(ctx).create_user(
        NewUser("jlee", "Jordan Lee", Role.NURSE, "a sunny day in may", credentials="RN")
    )


def _disable(ctx: AppContext, login: Login) -> Any:
    return UserAdminService(ctx).disable_user(user_id(ctx, "nkim"))


def _enable(ctx: AppContext, login: Login) -> Any:
    users = UserAdminService(ctx)
    users.disable_user(user_id(ctx, "nkim"))
    return users.enable_user(user_id(ctx, "nkim"), "back at work again")


def _reset(ctx: AppContext, login: Login | None = None) -> Any:
    return UserAdminService(ctx).reset_password(user_id(ctx, "nkim"), "temporary words here")


def _change_role(ctx: AppContext, login: Login | None = None) -> Any:
    return UserAdminService(ctx).change_role(user_id(ctx, "nkim"), Role.RECEPTIONIST)


def _denied(ctx: AppContext, login: Login) -> Any:
    with pytest.raises(PermissionDenied):
        UserAdminService(ctx).list_users()


AUDITED = {
    "login": Audited("nkim", lambda c, login: login("nkim"), "login", "session", target="nkim"),
    "list users": Audited("admin", lambda c, _: UserAdminService(c).list_users(), "read", "user"),
    "create user": Audited("admin", _create, "create", "user", target="jlee"),
    "disable user": Audited("admin", _disable, "disable", "user", target="nkim"),
    "enable user": Audited("admin", _enable, "enable", "user", target="nkim"),
    "reset password": Audited("admin", _reset, "reset_password", "user", target="nkim"),
    "change role": Audited("admin", _change_role, "change_role", "user", target="nkim"),
    "change a setting": Audited(
        "admin",
        lambda c, _: SettingsService(c).set_auto_lock_minutes(5),
        "update",
        "setting",
    ),
    "read the audit log": Audited(
        "admin", lambda c, _: AuditService(c).recent(), "read", "audit_log"
    ),
    "verify the chain": Audited(
        "admin", lambda c, _: AuditService(c).verify_chain(), "verify", "audit_log"
    ),
    "permission denied": Audited("nkim", _denied, "access", "manage_users", "denied"),
}


@pytest.mark.parametrize("case", AUDITED.values(), ids=AUDITED.keys())
def test_every_use_case_writes_an_audit_event(
    login: Login, clock: FakeClock, case: Audited
) -> None:
    ctx = login(case.actor)
    clock.advance(timedelta(minutes=3))  # a distinct time for this use case
    before = len(audit_events(ctx))

    case.run(ctx, login)

    new = audit_events(ctx)[before:]
    assert new, "the use case wrote no audit event"
    event = new[-1]
    assert (event["action"], event["category"], event["outcome"]) == (
        case.action,
        case.category,
        case.outcome,
    )
    assert ctx.actor is not None
    assert event["user_name"] == case.actor
    assert event["user_id"] == ctx.actor.user_id
    assert event["device_id"] == ctx.device_id
    assert event["occurred_at"].startswith(clock.now().strftime("%Y-%m-%d %H:%M:%S"))
    if case.target:
        assert event["entity_id"] == user_id(ctx, case.target)


def test_the_settings_event_names_the_setting(admin: AppContext) -> None:
    SettingsService(admin).set_auto_lock_minutes(7)
    assert audit_events(admin)[-1]["detail"] == "auto_lock_minutes"
    assert SettingsService(admin).auto_lock_minutes() == 7


def test_a_refused_use_case_leaves_no_success_event(admin: AppContext) -> None:
    before = audit_events(admin)
    with pytest.raises(DomainError, match="already taken"):
        UserAdminService(admin).create_user(
            NewUser("nkim", "Another Kim", Role.NURSE, "a sunny day in may")
        )
    assert audit_events(admin) == before


# -- verifying the chain ---------------------------------------------------------------


def test_an_intact_chain_verifies(admin: AppContext) -> None:
    _create(admin)
    _change_role(admin)
    events = audit_events(admin)
    report = AuditService(admin).verify_chain()
    assert report.ok
    assert report.entries_checked == len(events)
    assert report.first_bad_seq is None
    assert "intact" in report.summary()
    # Genesis, then each entry links to the one before it.
    assert events[0]["prev_hash"] == GENESIS_HASH
    for previous, current in itertools.pairwise(events):
        assert current["prev_hash"] == previous["entry_hash"]
        assert current["seq"] == previous["seq"] + 1


def _drop_append_only_triggers(ctx: AppContext) -> None:
    with raw_db(ctx) as db:
        db.execute("DROP TRIGGER audit_event_no_update")
        db.execute("DROP TRIGGER audit_event_no_delete")


@pytest.fixture
def busy_log(admin: AppContext) -> AppContext:
    """An admin context over a log with a dozen or so entries."""
    _create(admin)
    _change_role(admin)
    _reset(admin)
    SettingsService(admin).set_auto_lock_minutes(5)
    assert len(audit_events(admin)) >= 10
    return admin


def test_an_altered_entry_is_named(busy_log: AppContext) -> None:
    target = audit_events(busy_log)[4]
    _drop_append_only_triggers(busy_log)
    with raw_db(busy_log) as db:
        db.execute(
            "UPDATE audit_event SET outcome = 'success', detail = 'nothing to see' WHERE seq = ?",
            (target["seq"],),
        )

    report = AuditService(busy_log).verify_chain()
    assert not report.ok
    assert report.first_bad_seq == target["seq"]
    assert "altered" in (report.reason or "")
    assert report.entries_checked == target["seq"] - 1
    # The failed check is itself on the record.
    last = audit_events(busy_log)[-1]
    assert (last["action"], last["outcome"]) == ("verify", "failure")
    assert str(target["seq"]) in last["detail"]


def test_an_altered_entry_with_a_recomputed_hash_breaks_the_next_link(
    busy_log: AppContext,
) -> None:
    """A forger who knows the hash function re-hashes the row: the next entry gives it away."""
    target = audit_events(busy_log)[4]
    _drop_append_only_triggers(busy_log)
    forged = AuditService(busy_log).ctx  # same practice; build the forged row in Python
    with forged.unit_of_work() as uow:
        event = uow.session.get(AuditEvent, target["seq"])
        assert event is not None
        event.user_name = "frontdesk"
        event.entry_hash = entry_hash(event)

    report = AuditService(busy_log).verify_chain()
    assert not report.ok
    assert report.first_bad_seq == target["seq"] + 1
    assert "link" in (report.reason or "")


def test_a_deleted_middle_entry_is_named_missing(busy_log: AppContext) -> None:
    target = audit_events(busy_log)[5]
    _drop_append_only_triggers(busy_log)
    with raw_db(busy_log) as db:
        db.execute("DELETE FROM audit_event WHERE seq = ?", (target["seq"],))

    report = AuditService(busy_log).verify_chain()
    assert not report.ok
    assert report.first_bad_seq == target["seq"]
    assert "missing" in (report.reason or "")


def test_a_deleted_last_entry_is_still_detected(busy_log: AppContext, login: Login) -> None:
    last = audit_events(busy_log)[-1]
    _drop_append_only_triggers(busy_log)
    with raw_db(busy_log) as db:
        db.execute("DELETE FROM audit_event WHERE seq = ?", (last["seq"],))

    report = AuditService(busy_log).verify_chain()
    assert not report.ok
    assert report.first_bad_seq == last["seq"]
    assert "missing" in (report.reason or "")


def test_a_deleted_tail_stays_detected_after_new_entries(
    busy_log: AppContext, login: Login
) -> None:
    """Deleting the newest entries and then carrying on must not paper over the gap."""
    tail = audit_events(busy_log)[-3:]
    _drop_append_only_triggers(busy_log)
    with raw_db(busy_log) as db:
        db.execute("DELETE FROM audit_event WHERE seq >= ?", (tail[0]["seq"],))

    login("drokafor")  # someone signs in: a new entry is appended after the gap
    report = AuditService(busy_log).verify_chain()
    assert not report.ok
    assert report.first_bad_seq == tail[0]["seq"]
    assert "missing" in (report.reason or "")


def test_the_log_refuses_update_and_delete(busy_log: AppContext) -> None:
    before = audit_events(busy_log)
    with raw_db(busy_log) as db:
        for statement in (
            "UPDATE audit_event SET detail = 'edited' WHERE seq = 3",
            "DELETE FROM audit_event WHERE seq = 3",
            "DELETE FROM audit_event",
        ):
            with pytest.raises(Exception, match="append-only"):
                db.execute(statement)

    # The same through the ORM, inside a unit of work: the whole use case fails.
    with pytest.raises(IntegrityError, match="append-only"), busy_log.unit_of_work() as uow:
        uow.session.execute(update(AuditEvent).where(AuditEvent.seq == 3).values(detail="x"))
    with pytest.raises(IntegrityError, match="append-only"), busy_log.unit_of_work() as uow:
        uow.session.execute(delete(AuditEvent).where(AuditEvent.seq == 3))

    assert audit_events(busy_log) == before
    assert AuditService(busy_log).verify_chain().ok


def test_recent_shows_the_newest_first(admin: AppContext, sign_in_as: SignInAs) -> None:
    sign_in_as("nkim")
    rows = AuditService(admin).recent(limit=3)
    assert len(rows) == 3
    assert [r.seq for r in rows] == sorted((r.seq for r in rows), reverse=True)
    assert (rows[0].action, rows[0].user_name) == ("login", "nkim")
