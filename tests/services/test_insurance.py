"""Payers and patients' coverages (issue #3): the payer list, coverages by priority,
subscriber rules, dates, copay, member IDs, card images stored encrypted, tombstones, audit."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import pytest

from app.models import SexAtBirth, SubscriberRelationship
from app.services.auth import sign_in
from app.services.clock import FakeClock
from app.services.context import AppContext
from app.services.demo import DemoPractice
from app.services.errors import ConcurrentChange, DomainError, NotFound
from app.services.insurance import (
    CoverageInput,
    CoverageService,
    CoverageView,
    PayerInput,
    PayerService,
    PayerView,
)
from app.services.patient_data import PatientInput
from app.services.patient_merge import PatientMergeService
from app.services.patients import PatientService
from app.storage.database import PracticePaths
from tests.conftest import DEMO_PASSWORD, FAST_KDF
from tests.services.helpers import audit_events, data_snapshot, query

Login = Callable[[str], AppContext]

PNG = b"\x89PNG\r\n\x1a\n" + b"CARD-FRONT-SECRET-4471" + bytes(32)
JPEG = b"\xff\xd8\xff\xe0" + b"CARD-BACK-SECRET-9902" + bytes(32)
TODAY = date(2026, 1, 5)  # the test clock's day in Chicago


@dataclass
class Desk:
    ctx: AppContext
    patient_id: str
    lakeshore: PayerView
    prairie: PayerView
    summit: PayerView

    @property
    def coverage(self) -> CoverageService:
        return CoverageService(self.ctx)

    def add(self, payer: PayerView, priority: int = 1, **more: Any) -> CoverageView:
        data = CoverageInput(payer.id, priority, more.pop("member_id", "M123456"))
        return self.coverage.add(self.patient_id, replace(data, **more))


def _desk(ctx: AppContext) -> Desk:
    patient = PatientService(ctx).register(
        PatientInput("Maria", "Delgado", date(1985, 3, 14), SexAtBirth.FEMALE)
    )
    payers = PayerService(ctx)
    return Desk(
        ctx,
        patient.id,
        payers.add_payer(PayerInput("Lakeshore Health Plan", "LKSH1")),
        payers.add_payer(PayerInput("Prairie Mutual Insurance", "PRMU2")),
        payers.add_payer(PayerInput("Summit Employee Benefits", "SMEB5")),
    )


@pytest.fixture
def desk(login: Login) -> Desk:
    """The front desk, one patient (Maria Delgado) and three payers."""
    return _desk(login("frontdesk"))


@pytest.fixture(scope="module")
def refusing_desk(
    demo_template: DemoPractice, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Desk]:
    """The same, shared by tests where every call is refused (each checks nothing changed)."""
    folder = tmp_path_factory.mktemp("insurance") / "practice"
    shutil.copytree(demo_template.paths.data_dir, folder)
    ctx = sign_in(
        PracticePaths(folder), "frontdesk", DEMO_PASSWORD, clock=FakeClock(), kdf=FAST_KDF
    )
    yield _desk(ctx)
    ctx.close()


def assert_refused(ctx: AppContext, message: str, call: Callable[[], object]) -> None:
    """`call` fails with a message containing `message`, and nothing changed."""
    before, events = data_snapshot(ctx), audit_events(ctx)
    with pytest.raises(DomainError) as refused:
        call()
    assert message in str(refused.value)
    assert data_snapshot(ctx) == before
    assert audit_events(ctx) == events


# -- payers ----------------------------------------------------------------------------


def test_a_payer_is_added_to_the_list_with_its_details(login: Login) -> None:
    billing = login("billing")
    payers = PayerService(billing)
    added = payers.add_payer(
        PayerInput(
            "  Lakeshore Health Plan ",
            " lksh1 ",
            address_line1="PO Box 1200",
            city="Chicago",
            state="IL",
            postal_code="60690",
            phone="(800) 555-0100",
        )
    )
    assert (added.name, added.payer_code, added.phone) == (
        "Lakeshore Health Plan",
        "LKSH1",
        "+18005550100",
    )
    payers.add_payer(PayerInput("Great Rivers Medicare Advantage", "GRMA3"))
    assert [p.name for p in payers.list_payers()] == [
        "Great Rivers Medicare Advantage",
        "Lakeshore Health Plan",
    ]
    (row,) = query(billing, "SELECT * FROM payer WHERE id = ?", added.id)
    assert (row["address_line1"], row["city"], row["state"], row["postal_code"]) == (
        "PO Box 1200",
        "Chicago",
        "IL",
        "60690",
    )
    created = [e for e in audit_events(billing) if e["category"] == "payer"]
    assert [(e["action"], e["user_name"]) for e in created] == [("create", "billing")] * 2
    assert created[0]["entity_id"] == added.id


def test_a_payer_id_belongs_to_one_payer(desk: Desk) -> None:
    assert_refused(
        desk.ctx,
        "Payer ID LKSH1 already belongs to Lakeshore Health Plan.",
        lambda: PayerService(desk.ctx).add_payer(PayerInput("Lakeshore Copy", "lksh1")),
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (PayerInput("Acme", "L"), "2 to 15 letters or digits"),
        (PayerInput("Acme", "LK SH"), "2 to 15 letters or digits"),
        (PayerInput("Acme", "AB-12"), "2 to 15 letters or digits"),
        (PayerInput("Acme", "A" * 16), "2 to 15 letters or digits"),
        (PayerInput("   ", "ACME1"), "Enter the payer's name"),
        (PayerInput("Acme", "ACME1", phone="555"), "number of digits"),
    ],
)
def test_bad_payer_details_are_refused(refusing_desk: Desk, data: PayerInput, message: str) -> None:
    ctx = refusing_desk.ctx
    assert_refused(ctx, message, lambda: PayerService(ctx).add_payer(data))


# -- coverages and priority ------------------------------------------------------------


def test_primary_secondary_and_tertiary(desk: Desk) -> None:
    third = desk.add(desk.summit, 3, member_id="S-3")
    first = desk.add(desk.lakeshore, 1, member_id="L-1", group_number=" grp 100 ", copay_cents=2500)
    second = desk.add(desk.prairie, 2, member_id="P-2")

    listed = desk.coverage.coverages(desk.patient_id)

    assert [c.id for c in listed] == [first.id, second.id, third.id]
    assert [c.priority_label for c in listed] == ["Primary", "Secondary", "Tertiary"]
    assert [c.payer_name for c in listed] == [
        "Lakeshore Health Plan",
        "Prairie Mutual Insurance",
        "Summit Employee Benefits",
    ]
    assert (listed[0].payer_code, listed[0].member_id) == ("LKSH1", "L-1")
    assert (listed[0].group_number, listed[0].copay_cents) == ("GRP 100", 2500)
    assert_refused(desk.ctx, "primary, secondary or tertiary", lambda: desk.add(desk.summit, 4))


def test_a_second_active_primary_is_refused_naming_the_payer(desk: Desk) -> None:
    desk.add(desk.lakeshore, 1)
    assert_refused(
        desk.ctx,
        "This patient already has an active primary coverage (Lakeshore Health Plan).",
        lambda: desk.add(desk.prairie, 1),
    )
    # A policy that ends today is still in force today.
    ending = desk.add(desk.summit, 2, terminated_on=TODAY)
    assert_refused(
        desk.ctx,
        "active secondary coverage (Summit Employee Benefits)",
        lambda: desk.add(desk.prairie, 2),
    )
    assert ending.terminated_on == TODAY


def test_a_terminated_primary_makes_room_for_a_new_one(desk: Desk) -> None:
    old = desk.add(
        desk.lakeshore, 1, effective_on=date(2024, 1, 1), terminated_on=date(2025, 12, 31)
    )
    new = desk.add(desk.prairie, 1, effective_on=date(2026, 1, 1))

    assert [c.id for c in desk.coverage.coverages(desk.patient_id)] == [old.id, new.id]
    assert [c.id for c in desk.coverage.coverages(desk.patient_id, include_ended=False)] == [new.id]


def test_ending_the_old_primary_by_update_makes_room(desk: Desk) -> None:
    old = desk.add(desk.lakeshore, 1)
    with pytest.raises(DomainError, match="already has an active primary"):
        desk.add(desk.prairie, 1)
    ended = desk.coverage.update(
        old.id,
        CoverageInput(desk.lakeshore.id, 1, "M123456", terminated_on=TODAY - timedelta(days=1)),
        old.version,
    )
    assert ended.terminated_on == date(2026, 1, 4)
    assert desk.add(desk.prairie, 1).priority == 1


def test_an_ended_policy_can_be_recorded_beside_the_current_one(desk: Desk) -> None:
    """Only coverages in force on the same day, from today on, clash."""
    current = desk.add(desk.lakeshore, 1, effective_on=date(2025, 1, 1))
    history = desk.add(
        desk.prairie, 1, effective_on=date(2020, 1, 1), terminated_on=date(2024, 12, 31)
    )
    assert {c.id for c in desk.coverage.coverages(desk.patient_id)} == {current.id, history.id}


def test_next_months_plan_can_be_entered_when_this_one_ends_before_it(desk: Desk) -> None:
    desk.add(desk.lakeshore, 1, terminated_on=date(2026, 1, 31))
    assert_refused(
        desk.ctx,
        "active primary coverage (Lakeshore Health Plan)",
        lambda: desk.add(desk.prairie, 1, effective_on=date(2026, 1, 31)),  # one day overlaps
    )
    starting = desk.add(desk.prairie, 1, effective_on=date(2026, 2, 1))
    assert starting.effective_on == date(2026, 2, 1)


def test_in_force_is_judged_on_the_practice_day(desk: Desk, clock: FakeClock) -> None:
    """At 9 pm in Chicago (already tomorrow in UTC) a policy ending today is still in force."""
    ending = desk.add(desk.lakeshore, 1, terminated_on=TODAY)
    clock.advance(timedelta(hours=13))  # 03:00 UTC on 6 January = 21:00 on 5 January
    shown = desk.coverage.coverages(desk.patient_id, include_ended=False)
    assert [c.id for c in shown] == [ending.id]
    with pytest.raises(DomainError, match="already has an active primary"):
        desk.add(desk.prairie, 1)
    clock.advance(timedelta(hours=6))  # 00:00 on 6 January in Chicago
    assert desk.coverage.coverages(desk.patient_id, include_ended=False) == []
    assert desk.add(desk.prairie, 1).payer_name == "Prairie Mutual Insurance"


# -- subscriber, dates, copay, member ID -----------------------------------------------


def test_self_as_subscriber_copies_the_patients_name_and_birth_date(desk: Desk) -> None:
    own = desk.add(
        desk.lakeshore,
        subscriber_first_name="Somebody",  # ignored: the patient holds the policy
        subscriber_last_name="Else",
    )
    assert own.relationship_to_subscriber is SubscriberRelationship.SELF
    assert own.subscriber_name == "Maria Delgado"
    assert own.subscriber_date_of_birth == date(1985, 3, 14)


@pytest.mark.parametrize(
    "relationship",
    [SubscriberRelationship.SPOUSE, SubscriberRelationship.CHILD, SubscriberRelationship.OTHER],
)
def test_other_relationships_need_the_subscribers_name(
    desk: Desk, relationship: SubscriberRelationship
) -> None:
    assert_refused(
        desk.ctx,
        "Enter the subscriber's name",
        lambda: desk.add(
            desk.lakeshore, relationship_to_subscriber=relationship, subscriber_first_name="Jorge"
        ),
    )
    held = desk.add(
        desk.lakeshore,
        relationship_to_subscriber=relationship,
        subscriber_first_name=" Jorge ",
        subscriber_last_name=" Delgado ",
        subscriber_date_of_birth=date(1983, 8, 9),
    )
    assert (held.subscriber_name, held.subscriber_date_of_birth) == (
        "Jorge Delgado",
        date(1983, 8, 9),
    )


def test_coverage_cannot_end_before_it_starts(desk: Desk) -> None:
    assert_refused(
        desk.ctx,
        "cannot end before it starts",
        lambda: desk.add(
            desk.lakeshore, effective_on=date(2026, 3, 1), terminated_on=date(2026, 2, 28)
        ),
    )
    one_day = desk.add(
        desk.lakeshore, effective_on=date(2026, 3, 1), terminated_on=date(2026, 3, 1)
    )
    assert one_day.effective_on == one_day.terminated_on


def test_copay_cannot_be_negative(desk: Desk) -> None:
    assert_refused(
        desk.ctx, "copay cannot be negative", lambda: desk.add(desk.lakeshore, copay_cents=-1)
    )
    assert desk.add(desk.lakeshore, copay_cents=0).copay_cents == 0


def test_member_id_is_stored_upper_case_without_spaces(desk: Desk) -> None:
    added = desk.add(desk.lakeshore, member_id="  xqz 1234-5678 ")
    assert added.member_id == "XQZ1234-5678"
    (row,) = query(desk.ctx, "SELECT member_id FROM coverage WHERE id = ?", added.id)
    assert row["member_id"] == "XQZ1234-5678"


@pytest.mark.parametrize("member_id", ["", "X", "AB#123", "ABC/123", "A" * 41])
def test_impossible_member_ids_are_refused(refusing_desk: Desk, member_id: str) -> None:
    desk = refusing_desk
    assert_refused(
        desk.ctx,
        "member ID is 2 to 40 letters, digits or dashes",
        lambda: desk.add(desk.lakeshore, member_id=member_id),
    )


def test_a_payer_must_come_from_the_list(desk: Desk) -> None:
    assert_refused(
        desk.ctx,
        "from the payer list",
        lambda: desk.coverage.add(desk.patient_id, CoverageInput("no-such-payer", 1, "M1")),
    )


def test_coverage_for_a_missing_or_merged_patient_is_refused(login: Login) -> None:
    admin = login("admin")
    payer = PayerService(admin).add_payer(PayerInput("Lakeshore Health Plan", "LKSH1"))
    coverage = CoverageService(admin)
    with pytest.raises(NotFound, match="does not exist"):
        coverage.add("no-such-patient", CoverageInput(payer.id, 1, "M1"))
    patients = PatientService(admin)
    kept = patients.register(PatientInput("Ann", "Lee", date(1970, 1, 1), SexAtBirth.FEMALE))
    gone = patients.register(
        PatientInput("Ann", "Lee", date(1970, 1, 1), SexAtBirth.FEMALE), confirm_not_duplicate=True
    )
    PatientMergeService(admin).merge(kept.id, gone.id)
    assert_refused(
        admin,
        "merged into another",
        lambda: coverage.add(gone.id, CoverageInput(payer.id, 1, "M1")),
    )


def test_update_with_a_stale_version_is_refused(desk: Desk) -> None:
    added = desk.add(desk.lakeshore, member_id="L-1")
    data = CoverageInput(desk.lakeshore.id, 1, "L-2")
    changed = desk.coverage.update(added.id, data, added.version)
    assert (changed.member_id, changed.version) == ("L-2", added.version + 1)
    before = data_snapshot(desk.ctx)
    with pytest.raises(ConcurrentChange, match="Someone else changed this coverage"):
        desk.coverage.update(added.id, replace(data, member_id="L-3"), added.version)
    assert data_snapshot(desk.ctx) == before


# -- card images -----------------------------------------------------------------------


def test_card_images_are_stored_and_read_back(desk: Desk) -> None:
    added = desk.add(desk.lakeshore)
    assert (added.has_card_front, added.has_card_back) == (False, False)
    assert desk.coverage.card_image(added.id, "front") is None

    desk.coverage.set_card_images(added.id, PNG, JPEG)

    assert desk.coverage.card_image(added.id, "front") == PNG
    assert desk.coverage.card_image(added.id, "back") == JPEG
    (listed,) = desk.coverage.coverages(desk.patient_id)
    assert (listed.has_card_front, listed.has_card_back) == (True, True)

    assert_refused(
        desk.ctx,
        "back of the card must be a JPEG or PNG",
        lambda: desk.coverage.set_card_images(added.id, PNG, b"GIF89a" + bytes(10)),
    )
    assert_refused(
        desk.ctx,
        "front of the card is larger than 5 MB",
        lambda: desk.coverage.set_card_images(added.id, PNG + bytes(5 * 1024 * 1024), None),
    )
    desk.coverage.set_card_images(added.id, PNG, None)  # the back removed
    assert desk.coverage.card_image(added.id, "back") is None
    with pytest.raises(ValueError):
        desk.coverage.card_image(added.id, "side")


def test_card_images_are_not_readable_in_the_database_files(
    desk: Desk, practice: DemoPractice
) -> None:
    added = desk.add(desk.lakeshore, member_id="ZZTOP778899")
    desk.coverage.set_card_images(added.id, PNG, JPEG)
    secrets = [b"CARD-FRONT-SECRET-4471", b"CARD-BACK-SECRET-9902", b"ZZTOP778899", b"Delgado"]
    desk.ctx.close()
    files = [p for p in practice.paths.data_dir.rglob("*") if p.is_file()]
    assert any(p.name == "practice.db" for p in files)
    for path in files:
        data = path.read_bytes()
        for secret in secrets:
            assert secret not in data, f"{secret!r} readable in {path.name}"
            assert PNG[:8] + secret not in data


# -- removal and audit -----------------------------------------------------------------


def test_remove_leaves_a_tombstone(desk: Desk) -> None:
    added = desk.add(desk.lakeshore)
    desk.coverage.set_card_images(added.id, PNG, None)

    desk.coverage.remove(added.id)

    assert desk.coverage.coverages(desk.patient_id) == []
    (row,) = query(desk.ctx, "SELECT deleted_at, member_id FROM coverage WHERE id = ?", added.id)
    assert row["deleted_at"] is not None and row["member_id"] == "M123456"
    for call in (
        lambda: desk.coverage.remove(added.id),
        lambda: desk.coverage.card_image(added.id, "front"),
        lambda: desk.coverage.update(added.id, CoverageInput(desk.lakeshore.id, 1, "M1"), 1),
    ):
        with pytest.raises(NotFound, match="no longer exists"):
            call()
    # The removed primary no longer blocks a new one.
    assert desk.add(desk.prairie, 1).priority == 1


def test_reads_and_changes_are_audited_with_the_patient(desk: Desk, login: Login) -> None:
    added = desk.add(desk.lakeshore)
    desk.coverage.update(added.id, CoverageInput(desk.lakeshore.id, 1, "M2"), added.version)
    desk.coverage.set_card_images(added.id, PNG, JPEG)
    nurse = CoverageService(login("nkim"))
    nurse.coverages(desk.patient_id)
    nurse.card_image(added.id, "front")
    desk.coverage.remove(added.id)

    events = [e for e in audit_events(desk.ctx) if e["patient_id"] == desk.patient_id]
    assert [(e["action"], e["category"], e["user_name"]) for e in events[1:]] == [
        ("create", "insurance", "frontdesk"),
        ("update", "insurance", "frontdesk"),
        ("update", "insurance_card", "frontdesk"),
        ("read", "insurance", "nkim"),
        ("read", "insurance_card", "nkim"),
        ("delete", "insurance", "frontdesk"),
    ]
    assert events[0]["action"] == "create" and events[0]["category"] == "demographics"
    list_read = ("read", "insurance")  # the list of a patient's coverages, not one of them
    assert {e["entity_id"] for e in events[1:] if (e["action"], e["category"]) != list_read} == {
        added.id
    }
