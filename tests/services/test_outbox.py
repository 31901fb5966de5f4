"""Change capture (DESIGN §2): every change to a syncable row writes a sync_outbox row in the
same transaction, with what changed, the base version, a hybrid logical clock and a sequence."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.models import Location, Role
from app.models.outbox import HybridLogicalClock
from app.services.audit import AuditService
from app.services.clock import FakeClock
from app.services.context import AppContext
from app.services.settings import SettingsService
from app.services.users import NewUser, UserAdminService
from tests.services.helpers import outbox_rows, query, user_row

JLEE = NewUser("jlee", "Jordan Lee", Role.NURSE, "a sunny day in may", credentials="RN")


def _hlc_ms(hlc: str) -> int:
    return int(hlc.split(".")[0])


def _main_office(ctx: AppContext) -> str:
    return str(query(ctx, "SELECT id FROM location WHERE name = 'Main office'")[0]["id"])


def test_creating_a_row_writes_an_insert(admin: AppContext, clock: FakeClock) -> None:
    before = outbox_rows(admin)
    created = UserAdminService(admin).create_user(JLEE)

    new = outbox_rows(admin)[len(before) :]
    assert [(r["table_name"], r["operation"]) for r in new] == [("user_account", "insert")]
    row = new[0]
    assert row["row_id"] == created.id
    assert row["base_version"] == 0
    assert row["device_id"] == admin.device_id
    assert admin.actor is not None and row["user_id"] == admin.actor.user_id
    assert row["pushed_at"] is None
    changes = row["changes"]
    assert changes["username"] == [None, "jlee"]
    assert changes["display_name"] == [None, "Jordan Lee"]
    assert changes["role"] == [None, "nurse"]
    assert changes["credentials"] == [None, "RN"]
    assert changes["origin_device"] == [None, admin.device_id]
    assert not {"version", "created_at", "updated_at"} & changes.keys()  # row metadata
    assert _hlc_ms(row["hlc"]) == int(clock.now().timestamp() * 1000)
    # The row itself records where it was made.
    assert user_row(admin, "jlee")["origin_device"] == admin.device_id  # type: ignore[index]


def test_updating_a_row_writes_old_and_new_values_and_the_base_version(
    admin: AppContext,
) -> None:
    created = UserAdminService(admin).create_user(JLEE)
    version = user_row(admin, "jlee")["version"]  # type: ignore[index]
    before = outbox_rows(admin)

    UserAdminService(admin).change_role(created.id, Role.RECEPTIONIST)

    new = outbox_rows(admin)[len(before) :]
    assert len(new) == 1
    assert (new[0]["table_name"], new[0]["row_id"], new[0]["operation"]) == (
        "user_account",
        created.id,
        "update",
    )
    assert new[0]["changes"] == {"role": ["nurse", "receptionist"]}
    assert new[0]["base_version"] == version
    assert user_row(admin, "jlee")["version"] == version + 1  # type: ignore[index]


def test_a_setting_change_is_captured(admin: AppContext) -> None:
    before = outbox_rows(admin)
    SettingsService(admin).set_auto_lock_minutes(25)
    new = outbox_rows(admin)[len(before) :]
    assert [(r["table_name"], r["operation"], r["changes"]) for r in new] == [
        ("setting", "update", {"value": [10, 25]})
    ]


def test_tombstoning_a_row_writes_a_delete(admin: AppContext, clock: FakeClock) -> None:
    office = _main_office(admin)
    before = outbox_rows(admin)
    with admin.unit_of_work() as uow:
        location = uow.session.get(Location, office)
        assert location is not None
        location.deleted_at = clock.now()

    new = outbox_rows(admin)[len(before) :]
    assert len(new) == 1
    assert (new[0]["table_name"], new[0]["row_id"], new[0]["operation"]) == (
        "location",
        office,
        "delete",
    )
    assert new[0]["changes"] == {"deleted_at": [None, clock.now().isoformat()]}
    assert query(admin, "SELECT deleted_at FROM location WHERE id = ?", office)[0]["deleted_at"]


def test_sequence_and_clock_increase_with_every_change(admin: AppContext, clock: FakeClock) -> None:
    users = UserAdminService(admin)
    before = outbox_rows(admin)
    created = users.create_user(JLEE)
    users.change_role(created.id, Role.BILLER)  # same millisecond: the counter moves
    clock.advance(timedelta(seconds=2))
    users.change_role(created.id, Role.RECEPTIONIST)
    clock.advance(timedelta(hours=-1))  # the wall clock steps back: order still holds
    users.change_role(created.id, Role.NURSE)

    rows = outbox_rows(admin)
    new = rows[len(before) :]
    assert len(new) == 4
    seqs = [r["device_seq"] for r in rows]
    assert seqs == list(range(seqs[0], seqs[0] + len(rows)))  # no gaps, no repeats
    hlcs = [r["hlc"] for r in rows]
    assert hlcs == sorted(hlcs) and len(set(hlcs)) == len(hlcs)
    assert [r["base_version"] for r in new] == [0, 1, 2, 3]


def test_the_hybrid_logical_clock() -> None:
    first = HybridLogicalClock.next_after(None, 1_000)
    same_ms = HybridLogicalClock.next_after(first, 1_000)
    stepped_back = HybridLogicalClock.next_after(same_ms, 500)
    later = HybridLogicalClock.next_after(stepped_back, 2_000)
    assert first < same_ms < stepped_back < later
    assert _hlc_ms(stepped_back) == 1_000 and _hlc_ms(later) == 2_000


def test_the_outbox_row_commits_with_the_change_and_not_before(admin: AppContext) -> None:
    practice_id = query(admin, "SELECT id FROM practice")[0]["id"]
    before = outbox_rows(admin)
    with admin.unit_of_work() as uow:
        uow.session.add(Location(practice_id=practice_id, name="Satellite clinic"))
        uow.session.flush()
        # Written, but not yet visible to anyone else.
        assert outbox_rows(admin) == before
        assert query(admin, "SELECT * FROM location WHERE name = 'Satellite clinic'") == []
    new = outbox_rows(admin)[len(before) :]
    satellite = query(admin, "SELECT id FROM location WHERE name = 'Satellite clinic'")
    assert [(r["table_name"], r["operation"], r["row_id"]) for r in new] == [
        ("location", "insert", satellite[0]["id"])
    ]


def test_a_rolled_back_use_case_leaves_no_outbox_row(admin: AppContext) -> None:
    practice_id = query(admin, "SELECT id FROM practice")[0]["id"]
    before = outbox_rows(admin)

    class Oops(Exception):
        pass

    with pytest.raises(Oops), admin.unit_of_work() as uow:
        uow.session.add(Location(practice_id=practice_id, name="Satellite clinic"))
        uow.session.flush()
        raise Oops
    # A use case refused half-way (the NPI check fails after nothing was written) and one
    # refused inside its transaction (the last admin) both leave nothing behind either.
    with pytest.raises(Exception, match="NPI"):
        UserAdminService(admin).create_user(
            NewUser("drlee", "Jordan Lee", Role.PHYSICIAN, "a sunny day in may")
        )
    assert admin.actor is not None
    with pytest.raises(Exception, match="administrator"):
        UserAdminService(admin).change_role(admin.actor.user_id, Role.NURSE)

    assert outbox_rows(admin) == before
    assert query(admin, "SELECT * FROM location WHERE name = 'Satellite clinic'") == []


def test_a_syncable_row_cannot_be_hard_deleted(admin: AppContext) -> None:
    office = _main_office(admin)
    before = outbox_rows(admin)
    with pytest.raises(RuntimeError, match="never hard-deleted"), admin.unit_of_work() as uow:
        location = uow.session.scalar(select(Location).where(Location.id == office))
        uow.session.delete(location)
    assert query(admin, "SELECT deleted_at FROM location WHERE id = ?", office) == [
        {"deleted_at": None}
    ]
    assert outbox_rows(admin) == before


def test_rows_that_do_not_sync_write_no_outbox_rows(admin: AppContext) -> None:
    """Audit entries and this machine's local state are not synced row changes."""
    before = outbox_rows(admin)
    AuditService(admin).recent()
    AuditService(admin).verify_chain()
    UserAdminService(admin).list_users()
    assert outbox_rows(admin) == before
