"""Merging a duplicate record into the one that stays, and undoing it (issue #3): every
linked row moves, the merge is recorded and audited, and undo moves exactly those rows back."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from app.models import PatientStatus, PhoneKind, SexAtBirth
from app.services.bus import PatientsChanged
from app.services.context import AppContext
from app.services.errors import DomainError, NotFound, PermissionDenied
from app.services.insurance import CoverageInput, CoverageService, PayerInput, PayerService
from app.services.patient_data import ContactInput, PatientInput, PhoneInput
from app.services.patient_merge import PatientMergeService
from app.services.patient_search import PatientSearch
from app.services.patients import PatientService
from tests.services.helpers import audit_events, data_snapshot, outbox_rows, query

Login = Callable[[str], AppContext]


@dataclass
class Pair:
    """Two records of one person, each with its own phones, contact and coverage, and a
    child whose guarantor is the duplicate record."""

    ctx: AppContext
    survivor: str
    duplicate: str
    child: str
    lakeshore: str
    prairie: str

    @property
    def merges(self) -> PatientMergeService:
        return PatientMergeService(self.ctx)

    def owners(self) -> dict[tuple[str, str], str]:
        """(table, row id) → the patient each linked row belongs to, tombstones included."""
        owned = {}
        for table in ("patient_phone", "emergency_contact", "coverage"):
            for row in query(self.ctx, f"SELECT id, patient_id FROM {table}"):
                owned[(table, row["id"])] = row["patient_id"]
        for row in query(self.ctx, "SELECT id, guarantor_patient_id FROM patient"):
            if row["guarantor_patient_id"]:
                owned[("patient", row["id"])] = row["guarantor_patient_id"]
        return owned


def adult(first: str, *phones: str, **more: Any) -> PatientInput:
    return PatientInput(
        first_name=first,
        last_name="Delgado",
        date_of_birth=date(1985, 3, 14),
        sex_at_birth=SexAtBirth.FEMALE,
        phones=tuple(PhoneInput(p) for p in phones),
        **more,
    )


@pytest.fixture
def pair(login: Login) -> Pair:
    ctx = login("admin")
    patients, coverage = PatientService(ctx), CoverageService(ctx)
    survivor = patients.register(
        adult(
            "Maria",
            "312-555-0142",
            emergency_contacts=(ContactInput("Jorge Delgado", "spouse", "312-555-0177"),),
        )
    )
    duplicate = patients.register(
        adult(
            "Marie",
            "773-555-0199",
            emergency_contacts=(ContactInput("Ana Ruiz", "sister", "847-555-0100"),),
        ),
        confirm_not_duplicate=True,
    )
    # The duplicate's first phone was replaced once: its tombstone belongs to it too.
    duplicate = patients.update(
        duplicate.id,
        adult(
            "Marie",
            "773-555-0199",
            "630-555-0123",
            emergency_contacts=(ContactInput("Ana Ruiz", "sister", "847-555-0100"),),
        ),
        duplicate.version,
    )
    child = patients.register(
        PatientInput(
            "Sofia",
            "Delgado",
            date(2019, 6, 2),
            SexAtBirth.FEMALE,
            guarantor_patient_id=duplicate.id,
            guarantor_relationship="mother",
        )
    )
    payers = PayerService(ctx)
    lakeshore = payers.add_payer(PayerInput("Lakeshore Health Plan", "LKSH1")).id
    prairie = payers.add_payer(PayerInput("Prairie Mutual Insurance", "PRMU2")).id
    coverage.add(survivor.id, CoverageInput(lakeshore, 1, "LK-1"))
    coverage.add(duplicate.id, CoverageInput(prairie, 2, "PM-2"))
    return Pair(ctx, survivor.id, duplicate.id, child.id, lakeshore, prairie)


def test_merge_moves_everything_linked_to_the_duplicate(pair: Pair) -> None:
    before = pair.owners()
    from_duplicate = {key for key, owner in before.items() if owner == pair.duplicate}
    assert {table for table, _ in from_duplicate} == {
        "patient_phone",
        "emergency_contact",
        "coverage",
        "patient",
    }

    result = pair.merges.merge(pair.survivor, pair.duplicate, reason=" registered twice ")

    assert (result.survivor_id, result.duplicate_id) == (pair.survivor, pair.duplicate)
    assert result.rows_moved == len(from_duplicate) == 6  # 3 phones, contact, coverage, child
    assert result.needs_review == ()
    after = pair.owners()
    assert {key for key, owner in after.items() if owner == pair.duplicate} == set()
    assert all(after[key] == pair.survivor for key in from_duplicate)
    assert all(after[key] == owner for key, owner in before.items() if key not in from_duplicate)

    patients = PatientService(pair.ctx)
    kept = patients.get(pair.survivor)
    assert [p.number for p in kept.phones] == ["+13125550142", "+17735550199", "+16305550123"]
    assert [c.name for c in kept.contacts] == ["Jorge Delgado", "Ana Ruiz"]
    assert patients.get(pair.child).guarantor_patient_id == pair.survivor
    coverages = CoverageService(pair.ctx).coverages(pair.survivor)
    assert [(c.priority, c.member_id) for c in coverages] == [(1, "LK-1"), (2, "PM-2")]
    assert CoverageService(pair.ctx).coverages(pair.duplicate) == []


def test_the_duplicate_is_marked_merged_and_leaves_search(pair: Pair) -> None:
    patients = PatientService(pair.ctx)
    search = PatientSearch(pair.ctx)
    assert pair.duplicate in {h.id for h in search.search("Delgado")}

    pair.merges.merge(pair.survivor, pair.duplicate)

    gone = patients.get(pair.duplicate)  # still readable, for the history
    assert (gone.status, gone.merged_into_id) == (PatientStatus.MERGED, pair.survivor)
    assert gone.phones == () and gone.contacts == ()
    for typed in ("Delgado", "Marie", "Delgado, Marie", "3/14/1985", "773-555-0199", gone.mrn):
        assert pair.duplicate not in {h.id for h in search.search(typed)}, typed
    assert [h.id for h in search.search("773-555-0199")] == [pair.survivor]
    with pytest.raises(DomainError, match="merged into another"):
        patients.update(pair.duplicate, adult("Marie"), gone.version)
    with pytest.raises(DomainError, match="merged into another"):
        patients.set_status(pair.duplicate, PatientStatus.INACTIVE)


def test_merge_is_recorded_with_the_rows_it_moved(pair: Pair) -> None:
    from_duplicate = {key for key, owner in pair.owners().items() if owner == pair.duplicate}

    result = pair.merges.merge(pair.survivor, pair.duplicate, reason=" registered twice ")

    (record,) = query(pair.ctx, "SELECT * FROM patient_merge WHERE id = ?", result.merge_id)
    assert (record["survivor_id"], record["duplicate_id"]) == (pair.survivor, pair.duplicate)
    assert record["duplicate_status"] == "active"
    assert record["reason"] == "registered twice"
    assert record["undone_at"] is None
    moved = json.loads(record["moved_rows"])
    assert {(table, row_id) for table, _, row_id in moved} == from_duplicate
    assert {(table, column) for table, column, _ in moved} == {
        ("patient_phone", "patient_id"),
        ("emergency_contact", "patient_id"),
        ("coverage", "patient_id"),
        ("patient", "guarantor_patient_id"),
    }
    # Seen from either record.
    for patient_id in (pair.survivor, pair.duplicate):
        (view,) = pair.merges.merges_for(patient_id)
        assert (view.id, view.survivor_id, view.duplicate_id) == (
            result.merge_id,
            pair.survivor,
            pair.duplicate,
        )
        assert (view.reason, view.rows_moved, view.undone_at) == ("registered twice", 6, None)


def test_merge_is_audited_for_both_patients(pair: Pair) -> None:
    before = audit_events(pair.ctx)
    result = pair.merges.merge(pair.survivor, pair.duplicate)
    new = audit_events(pair.ctx)[len(before) :]
    assert [(e["action"], e["category"], e["patient_id"], e["entity_id"]) for e in new] == [
        ("merge", "demographics", pair.survivor, result.merge_id),
        ("merge", "demographics", pair.duplicate, result.merge_id),
    ]
    assert {e["user_name"] for e in new} == {"admin"}


def test_moved_rows_reach_the_sync_outbox(pair: Pair) -> None:
    """Rows are re-pointed through the ORM, so each move is a change other devices receive."""
    seen = len(outbox_rows(pair.ctx))
    pair.merges.merge(pair.survivor, pair.duplicate)
    repointed = sorted(
        (row["table_name"], column)
        for row in outbox_rows(pair.ctx)[seen:]
        for column, change in row["changes"].items()
        if change == [pair.duplicate, pair.survivor]
    )
    assert repointed == [
        ("coverage", "patient_id"),
        ("emergency_contact", "patient_id"),
        ("patient", "guarantor_patient_id"),
        ("patient_phone", "patient_id"),
        ("patient_phone", "patient_id"),
        ("patient_phone", "patient_id"),
    ]


def test_merge_and_undo_announce_both_records(pair: Pair) -> None:
    notices: list[PatientsChanged] = []
    pair.ctx.bus.subscribe(PatientsChanged, notices.append)
    result = pair.merges.merge(pair.survivor, pair.duplicate)
    pair.merges.undo(result.merge_id)
    assert notices == [PatientsChanged((pair.survivor, pair.duplicate))] * 2


# -- undo ------------------------------------------------------------------------------


def test_undo_moves_exactly_the_moved_rows_back(pair: Pair) -> None:
    PatientService(pair.ctx).set_status(pair.duplicate, PatientStatus.INACTIVE)
    before = pair.owners()
    result = pair.merges.merge(pair.survivor, pair.duplicate)
    # After the merge, the kept record gains a coverage of its own: it stays there.
    payer = PayerService(pair.ctx).add_payer(PayerInput("Summit Employee Benefits", "SMEB5"))
    added = CoverageService(pair.ctx).add(pair.survivor, CoverageInput(payer.id, 3, "SM-3"))
    events = audit_events(pair.ctx)

    pair.merges.undo(result.merge_id)

    after = pair.owners()
    assert after.pop(("coverage", added.id)) == pair.survivor
    assert after == before
    restored = PatientService(pair.ctx).get(pair.duplicate)
    assert (restored.status, restored.merged_into_id) == (PatientStatus.INACTIVE, None)
    assert [p.number for p in restored.phones] == ["+17735550199", "+16305550123"]
    assert [(p.kind, p.number) for p in PatientService(pair.ctx).get(pair.survivor).phones] == [
        (PhoneKind.MOBILE, "+13125550142")
    ]
    assert pair.duplicate in {h.id for h in PatientSearch(pair.ctx).search("Marie")}
    new = audit_events(pair.ctx)[len(events) :]
    assert [(e["action"], e["patient_id"], e["entity_id"]) for e in new[:2]] == [
        ("unmerge", pair.survivor, result.merge_id),
        ("unmerge", pair.duplicate, result.merge_id),
    ]
    (view,) = pair.merges.merges_for(pair.survivor)
    assert view.undone_at is not None
    (record,) = query(pair.ctx, "SELECT undone_by FROM patient_merge")
    assert pair.ctx.actor is not None and record["undone_by"] == pair.ctx.actor.user_id


def test_undo_twice_is_refused(pair: Pair) -> None:
    result = pair.merges.merge(pair.survivor, pair.duplicate)
    pair.merges.undo(result.merge_id)
    before = data_snapshot(pair.ctx)
    with pytest.raises(DomainError, match="already undone"):
        pair.merges.undo(result.merge_id)
    assert data_snapshot(pair.ctx) == before
    with pytest.raises(NotFound, match="does not exist"):
        pair.merges.undo("no-such-merge")


def test_the_same_records_can_be_merged_again_after_an_undo(pair: Pair) -> None:
    first = pair.merges.merge(pair.survivor, pair.duplicate)
    pair.merges.undo(first.merge_id)
    second = pair.merges.merge(pair.survivor, pair.duplicate)
    assert second.merge_id != first.merge_id and second.rows_moved == first.rows_moved
    assert [v.id for v in pair.merges.merges_for(pair.duplicate)] == [
        second.merge_id,
        first.merge_id,
    ]


def test_undo_waits_for_a_later_merge_of_the_kept_record(pair: Pair) -> None:
    """A ← B, then C ← A: undoing A ← B first would strand B's rows on C."""
    third = PatientService(pair.ctx).register(adult("Mary"), confirm_not_duplicate=True)
    first = pair.merges.merge(pair.survivor, pair.duplicate)
    second = pair.merges.merge(third.id, pair.survivor)
    before = data_snapshot(pair.ctx)
    with pytest.raises(DomainError, match="later merged into another; undo that merge first"):
        pair.merges.undo(first.merge_id)
    assert data_snapshot(pair.ctx) == before

    pair.merges.undo(second.merge_id)
    pair.merges.undo(first.merge_id)
    assert PatientService(pair.ctx).get(pair.duplicate).status is PatientStatus.ACTIVE
    assert len(PatientService(pair.ctx).get(pair.duplicate).phones) == 2


# -- refusals --------------------------------------------------------------------------


def test_merge_refusals_change_nothing(pair: Pair) -> None:
    merged = PatientService(pair.ctx).register(adult("Mari"), confirm_not_duplicate=True)
    pair.merges.merge(pair.survivor, merged.id)
    before, events = data_snapshot(pair.ctx), audit_events(pair.ctx)
    for survivor, duplicate, error, message in [
        (pair.survivor, pair.survivor, DomainError, "two different records"),
        (pair.survivor, merged.id, DomainError, "duplicate record was itself merged"),
        (merged.id, pair.duplicate, DomainError, "record to keep was itself merged"),
        ("no-such-patient", pair.duplicate, NotFound, "record to keep does not exist"),
        (pair.survivor, "no-such-patient", NotFound, "duplicate record does not exist"),
    ]:
        with pytest.raises(error, match=message):
            pair.merges.merge(survivor, duplicate)
    assert data_snapshot(pair.ctx) == before
    assert audit_events(pair.ctx) == events


def test_a_priority_clash_after_merge_is_reported_for_review(pair: Pair) -> None:
    CoverageService(pair.ctx).add(pair.duplicate, CoverageInput(pair.prairie, 1, "PM-1"))
    result = pair.merges.merge(pair.survivor, pair.duplicate)
    assert result.needs_review == (
        "Two active coverages now share a priority: review the insurance.",
    )
    assert [c.priority for c in CoverageService(pair.ctx).coverages(pair.survivor)] == [1, 1, 2]


def test_an_ended_coverage_does_not_need_review(pair: Pair) -> None:
    CoverageService(pair.ctx).add(
        pair.duplicate,
        CoverageInput(pair.prairie, 1, "PM-1", terminated_on=date(2025, 6, 30)),
    )
    assert pair.merges.merge(pair.survivor, pair.duplicate).needs_review == ()


@pytest.mark.parametrize("username", ["drpatel", "nkim", "frontdesk", "billing"])
def test_only_an_administrator_may_merge_or_undo(pair: Pair, login: Login, username: str) -> None:
    done = pair.merges.merge(pair.survivor, pair.duplicate)
    other = login(username)
    merges = PatientMergeService(other)
    before = data_snapshot(other)
    with pytest.raises(PermissionDenied, match="may not do this"):
        merges.merge(pair.survivor, pair.child)
    with pytest.raises(PermissionDenied, match="may not do this"):
        merges.undo(done.merge_id)
    assert data_snapshot(other) == before
    assert [e["outcome"] for e in audit_events(other)[-2:]] == ["denied", "denied"]
    # Everyone who may see patients may see the merge history.
    assert [v.id for v in merges.merges_for(pair.survivor)] == [done.merge_id]
