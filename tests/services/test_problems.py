"""The problem list (issue #5): ICD-10-CM search, coded problems with onset and status,
duplicates refused, resolve and reactivate, entered in error, audit and change notices."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest

from app.models import Encounter, EncounterType, ProblemStatus, SexAtBirth
from app.services.bus import ChartChanged
from app.services.context import AppContext
from app.services.errors import ConcurrentChange, DomainError, NotFound
from app.services.patient_data import PatientInput
from app.services.patients import PatientService
from app.services.problems import ProblemChange, ProblemInput, ProblemService
from tests.services.helpers import audit_events, data_snapshot, outbox_rows, query, user_id

Login = Callable[[str], AppContext]
TODAY = date(2026, 1, 5)  # the test clock's day in the practice's time zone


def _patient(ctx: AppContext, first: str = "Ada", last: str = "Problemson") -> str:
    data = PatientInput(first, last, date(1961, 4, 2), SexAtBirth.FEMALE)
    return PatientService(ctx).register(data, confirm_not_duplicate=True).id


@pytest.fixture
def doctor(login: Login) -> AppContext:
    return login("drpatel")


@pytest.fixture
def patient_id(doctor: AppContext) -> str:
    return _patient(doctor)


def test_type_2_diabetes_search_puts_an_e11_code_on_the_list(
    doctor: AppContext, patient_id: str
) -> None:
    problems = ProblemService(doctor)
    notices: list[object] = []
    doctor.bus.subscribe(ChartChanged, notices.append)

    hits = problems.search_codes("type 2 diabetes")
    assert hits and all(hit.code.startswith("E11") for hit in hits[:5])
    chosen = next(hit for hit in hits if hit.billable)

    added = problems.add(patient_id, ProblemInput(chosen.code, onset_on=date(2019, 6, 1)))

    assert (added.icd10_code, added.description) == (chosen.code, chosen.description)
    assert added.billable is True and added.status is ProblemStatus.ACTIVE
    assert added.entered_in_error is None and added.version == 1
    assert notices == [ChartChanged((patient_id,))]
    listed = problems.for_patient(patient_id)
    assert [(p.id, p.icd10_code) for p in listed] == [(added.id, chosen.code)]
    events = [(e["action"], e["category"], e["patient_id"]) for e in audit_events(doctor)[-2:]]
    assert events == [("create", "problem", patient_id), ("read", "problem", patient_id)]
    (insert,) = [r for r in outbox_rows(doctor) if r["row_id"] == added.id]
    assert insert["table_name"] == "problem" and insert["operation"] == "insert"
    assert insert["changes"]["icd10_code"][1] == chosen.code


def test_code_search_names_no_patient_and_is_not_audited(doctor: AppContext) -> None:
    before = audit_events(doctor)
    by_code = ProblemService(doctor).search_codes("e11.9", limit=3)
    assert by_code[0].code == "E11.9"
    assert len(by_code) <= 3
    assert audit_events(doctor) == before


def test_a_category_code_is_allowed_but_marked_not_billable(
    doctor: AppContext, patient_id: str
) -> None:
    added = ProblemService(doctor).add(patient_id, ProblemInput("e11"))
    assert (added.icd10_code, added.billable) == ("E11", False)
    assert added.description == "Type 2 diabetes mellitus"


def test_code_typed_without_its_dot_is_stored_with_it(doctor: AppContext, patient_id: str) -> None:
    added = ProblemService(doctor).add(patient_id, ProblemInput(" i10 ", note="  home BP high "))
    assert (added.icd10_code, added.note) == ("I10", "home BP high")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (ProblemInput("E11.999"), "not an ICD-10-CM code"),
        (ProblemInput("   "), "Choose a diagnosis code"),
        (ProblemInput("I10", onset_on=date(2026, 1, 6)), "cannot be in the future"),
        (ProblemInput("I10", note="x" * 1001), "under 1000 characters"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(
    doctor: AppContext, patient_id: str, data: ProblemInput, message: str
) -> None:
    before = data_snapshot(doctor)
    with pytest.raises(DomainError, match=message):
        ProblemService(doctor).add(patient_id, data)
    assert data_snapshot(doctor) == before


def test_unknown_patient_and_other_patients_visit_are_refused(
    doctor: AppContext, patient_id: str
) -> None:
    problems = ProblemService(doctor)
    with pytest.raises(NotFound):
        problems.add("no-such-patient", ProblemInput("I10"))
    other = _patient(doctor, "Bea", "Elsewhere")
    with doctor.unit_of_work() as uow:
        visit = Encounter(
            patient_id=other,
            provider_id=user_id(doctor, "drpatel"),
            type=EncounterType.OFFICE_VISIT,
            starts_at=datetime(2026, 1, 5, 14, tzinfo=UTC),
        )
        uow.session.add(visit)
        uow.session.flush()
        visit_id = visit.id
    with pytest.raises(NotFound, match="visit is not in this patient's chart"):
        problems.add(patient_id, ProblemInput("I10", encounter_id=visit_id))
    added = problems.add(other, ProblemInput("I10", encounter_id=visit_id))
    assert added.encounter_id == visit_id


def test_the_same_active_code_twice_is_refused(doctor: AppContext, patient_id: str) -> None:
    problems = ProblemService(doctor)
    first = problems.add(patient_id, ProblemInput("I10"))
    with pytest.raises(DomainError, match=r"I10 Essential \(primary\) hypertension is already"):
        problems.add(patient_id, ProblemInput("i10"))

    resolved = problems.update(first.id, ProblemChange(ProblemStatus.RESOLVED), first.version)
    again = problems.add(patient_id, ProblemInput("I10"))  # a recurrence is a new entry
    with pytest.raises(DomainError, match="already on the problem list"):
        problems.update(resolved.id, ProblemChange(ProblemStatus.ACTIVE), resolved.version)
    assert {p.id for p in problems.for_patient(patient_id, include_inactive=False)} == {again.id}


def test_resolve_with_a_date_then_reactivate(doctor: AppContext, patient_id: str) -> None:
    problems = ProblemService(doctor)
    added = problems.add(patient_id, ProblemInput("J45.909", onset_on=date(2020, 3, 1)))

    resolved = problems.update(
        added.id,
        ProblemChange(
            ProblemStatus.RESOLVED, onset_on=date(2020, 3, 1), resolved_on=date(2025, 12, 1)
        ),
        added.version,
    )
    assert (resolved.status, resolved.resolved_on) == (ProblemStatus.RESOLVED, date(2025, 12, 1))
    assert resolved.version == added.version + 1

    reactivated = problems.update(
        resolved.id,
        ProblemChange(ProblemStatus.ACTIVE, onset_on=date(2020, 3, 1), note="flared again"),
        resolved.version,
    )
    assert (reactivated.status, reactivated.resolved_on) == (ProblemStatus.ACTIVE, None)
    assert reactivated.note == "flared again"

    today_resolved = problems.update(
        added.id, ProblemChange(ProblemStatus.RESOLVED), reactivated.version
    )
    assert today_resolved.resolved_on == TODAY
    (row,) = query(doctor, "SELECT status, resolved_on FROM problem WHERE id = ?", added.id)
    assert row["status"] == "resolved" and str(row["resolved_on"]).startswith("2026-01-05")
    updates = [
        e for e in audit_events(doctor) if (e["action"], e["category"]) == ("update", "problem")
    ]
    assert [(e["detail"], e["entity_id"], e["patient_id"]) for e in updates] == [
        ("status active → resolved", added.id, patient_id),
        ("status resolved → active", added.id, patient_id),
        ("status active → resolved", added.id, patient_id),
    ]


def test_update_refuses_a_stale_copy_and_impossible_dates(
    doctor: AppContext, patient_id: str
) -> None:
    problems = ProblemService(doctor)
    added = problems.add(patient_id, ProblemInput("I10", onset_on=date(2024, 1, 1)))
    problems.update(added.id, ProblemChange(ProblemStatus.ACTIVE, note="first"), added.version)
    before = data_snapshot(doctor)
    with pytest.raises(ConcurrentChange):
        problems.update(added.id, ProblemChange(ProblemStatus.INACTIVE), added.version)
    current = added.version + 1
    with pytest.raises(DomainError, match="resolved before its onset"):
        problems.update(
            added.id,
            ProblemChange(
                ProblemStatus.RESOLVED, onset_on=date(2024, 1, 1), resolved_on=date(2023, 1, 1)
            ),
            current,
        )
    with pytest.raises(DomainError, match="resolved date cannot be in the future"):
        problems.update(
            added.id,
            ProblemChange(ProblemStatus.RESOLVED, resolved_on=date(2026, 2, 1)),
            current,
        )
    assert data_snapshot(doctor) == before


def test_entered_in_error_keeps_the_row_struck_through(
    login: Login, doctor: AppContext, patient_id: str
) -> None:
    problems = ProblemService(doctor)
    wrong = problems.add(patient_id, ProblemInput("E66.9"))
    kept = problems.add(patient_id, ProblemInput("I10"))
    nurse = ProblemService(login("nkim"))

    with pytest.raises(DomainError, match="Say why"):
        nurse.mark_entered_in_error(wrong.id, "   ")
    marked = nurse.mark_entered_in_error(wrong.id, "wrong patient's chart", wrong.version)

    mark = marked.entered_in_error
    assert mark is not None and marked.in_error and not marked.is_active
    assert (mark.reason, mark.by_name) == ("wrong patient's chart", "Hannah Kim")
    assert marked.status_label == "Entered in error"
    listed = problems.for_patient(patient_id)
    assert [p.id for p in listed] == [kept.id, wrong.id]  # struck-through rows last
    assert listed[1].entered_in_error == mark
    assert [p.id for p in problems.for_patient(patient_id, include_inactive=False)] == [kept.id]
    with pytest.raises(DomainError, match="can no longer be changed"):
        problems.update(wrong.id, ProblemChange(ProblemStatus.RESOLVED), marked.version)
    with pytest.raises(DomainError, match="already marked entered in error"):
        problems.mark_entered_in_error(wrong.id, "again")
    # The code may go on the list again, correctly this time.
    assert problems.add(patient_id, ProblemInput("E66.9")).is_active
    (row,) = query(doctor, "SELECT error_reason, error_by_id FROM problem WHERE id = ?", wrong.id)
    assert row == {"error_reason": "wrong patient's chart", "error_by_id": user_id(doctor, "nkim")}
    (event,) = [e for e in audit_events(doctor) if e["action"] == "entered_in_error"]
    assert (event["category"], event["entity_id"], event["user_name"]) == (
        "problem",
        wrong.id,
        "nkim",
    )


def test_list_order_active_first_by_latest_onset(doctor: AppContext, patient_id: str) -> None:
    problems = ProblemService(doctor)
    old = problems.add(patient_id, ProblemInput("I10", onset_on=date(2010, 1, 1)))
    recent = problems.add(patient_id, ProblemInput("E78.5", onset_on=date(2024, 1, 1)))
    undated = problems.add(patient_id, ProblemInput("K21.9"))
    gone = problems.add(patient_id, ProblemInput("J02.9", onset_on=date(2025, 1, 1)))
    problems.update(gone.id, ProblemChange(ProblemStatus.RESOLVED), gone.version)

    listed = problems.for_patient(patient_id)
    assert [p.id for p in listed] == [recent.id, old.id, undated.id, gone.id]
    assert [p.status_label for p in listed] == ["Active", "Active", "Active", "Resolved"]
