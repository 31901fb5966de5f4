"""Allergies (issue #5): the three banner states, "no known allergies" as a statement that an
allergy retires, duplicates, high-risk flags, versioned updates, entered in error, audit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from app.models import (
    AllergyCategory,
    AllergyStatus,
    AllergyType,
    Criticality,
    Severity,
    SexAtBirth,
)
from app.services.allergies import (
    AllergyChange,
    AllergyInput,
    AllergyService,
    AllergyState,
)
from app.services.bus import ChartChanged
from app.services.context import AppContext
from app.services.errors import ConcurrentChange, DomainError
from app.services.patient_data import PatientInput
from app.services.patients import PatientService
from tests.services.helpers import audit_events, data_snapshot, outbox_rows, query

Login = Callable[[str], AppContext]
PENICILLIN = AllergyInput(
    "Penicillin",
    reaction="hives",
    severity=Severity.MODERATE,
    criticality=Criticality.LOW,
    onset_on=date(2001, 5, 1),
)


@pytest.fixture
def nurse(login: Login) -> AppContext:
    return login("nkim")


@pytest.fixture
def patient_id(nurse: AppContext) -> str:
    data = PatientInput("Alma", "Allergo", date(1975, 8, 9), SexAtBirth.FEMALE)
    return PatientService(nurse).register(data, confirm_not_duplicate=True).id


def _audit(ctx: AppContext) -> list[tuple[str, str | None]]:
    return [(e["action"], e["detail"]) for e in audit_events(ctx) if e["category"] == "allergy"]


def test_a_chart_with_nothing_recorded_says_so(nurse: AppContext, patient_id: str) -> None:
    allergies = AllergyService(nurse).for_patient(patient_id)
    assert allergies.state is AllergyState.NOT_RECORDED
    assert allergies.banner_text == "Allergies not recorded"
    assert allergies.entries == () and not allergies.has_high_risk
    assert _audit(nurse) == [("read", None)]


def test_no_known_allergies_is_a_statement_an_allergy_retires(
    nurse: AppContext, patient_id: str
) -> None:
    service = AllergyService(nurse)
    notices: list[object] = []
    nurse.bus.subscribe(ChartChanged, notices.append)

    statement = service.record_no_known_allergies(patient_id)
    assert statement.no_known and statement.is_active
    listed = service.for_patient(patient_id)
    assert (listed.state, listed.banner_text) == (AllergyState.NO_KNOWN, "No known allergies")
    assert listed.no_known_statement == statement and listed.active == ()
    with pytest.raises(DomainError, match="already recorded"):
        service.record_no_known_allergies(patient_id)

    allergy = service.add(patient_id, PENICILLIN)

    listed = service.for_patient(patient_id)
    assert (listed.state, listed.banner_text) == (AllergyState.LISTED, "Penicillin")
    assert [e.id for e in listed.active] == [allergy.id]
    assert listed.no_known_statement is None
    (retired,) = [e for e in listed.entries if e.no_known]
    assert (retired.id, retired.status) == (statement.id, AllergyStatus.INACTIVE)
    assert retired.version == statement.version + 1
    # One notice per write, although adding the allergy changed two rows.
    assert notices == [ChartChanged((patient_id,))] * 2
    assert _audit(nurse) == [
        ("create", "no known allergies"),
        ("read", None),
        ("create", None),
        ("update", "no known allergies retired"),
        ("read", None),
    ]
    changes = [r for r in outbox_rows(nurse) if r["row_id"] == statement.id]
    assert [r["operation"] for r in changes] == ["insert", "update"]
    assert changes[1]["changes"]["status"] == ["active", "inactive"]

    with pytest.raises(DomainError, match="allergies on the list"):
        service.record_no_known_allergies(patient_id)


def test_no_known_allergies_can_follow_once_the_allergies_are_inactive(
    nurse: AppContext, patient_id: str
) -> None:
    service = AllergyService(nurse)
    wrong = service.add(patient_id, AllergyInput("Sulfa"))
    outgrown = service.add(patient_id, AllergyInput("Egg", category=AllergyCategory.FOOD))
    service.mark_entered_in_error(wrong.id, "recorded for the wrong patient")
    service.update(outgrown.id, AllergyChange(AllergyStatus.RESOLVED), outgrown.version)

    service.record_no_known_allergies(patient_id)
    assert service.for_patient(patient_id).state is AllergyState.NO_KNOWN


def test_reactivating_an_allergy_retires_no_known_allergies(
    nurse: AppContext, patient_id: str
) -> None:
    service = AllergyService(nurse)
    egg = service.add(patient_id, AllergyInput("Egg", category=AllergyCategory.FOOD))
    egg = service.update(egg.id, AllergyChange(AllergyStatus.RESOLVED), egg.version)
    service.record_no_known_allergies(patient_id)

    egg = service.update(egg.id, AllergyChange(AllergyStatus.ACTIVE, reaction="vomiting"), 2)

    listed = service.for_patient(patient_id)
    assert (listed.state, listed.banner_text) == (AllergyState.LISTED, "Egg")
    assert egg.reaction == "vomiting"


def test_the_same_active_substance_twice_is_refused(nurse: AppContext, patient_id: str) -> None:
    service = AllergyService(nurse)
    service.add(patient_id, PENICILLIN)
    before = data_snapshot(nurse)
    with pytest.raises(DomainError, match="Penicillin is already on the allergy list"):
        service.add(patient_id, AllergyInput("  penicillin "))
    assert data_snapshot(nurse) == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (AllergyInput("  "), "Enter the substance"),
        (AllergyInput("NKA"), "No known allergies"),
        (AllergyInput("Latex", onset_on=date(2026, 1, 6)), "cannot be in the future"),
        (AllergyInput("Latex", reaction="r" * 301), "under 300 characters"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(
    nurse: AppContext, patient_id: str, data: AllergyInput, message: str
) -> None:
    before = data_snapshot(nurse)
    with pytest.raises(DomainError, match=message):
        AllergyService(nurse).add(patient_id, data)
    assert data_snapshot(nurse) == before


def test_severe_or_high_criticality_is_high_risk_and_listed_first(
    nurse: AppContext, patient_id: str
) -> None:
    service = AllergyService(nurse)
    mild = service.add(patient_id, AllergyInput("Adhesive tape", severity=Severity.MILD))
    peanut = service.add(
        patient_id,
        AllergyInput(
            "Peanut", AllergyCategory.FOOD, reaction="anaphylaxis", severity=Severity.SEVERE
        ),
    )
    codeine = service.add(
        patient_id,
        AllergyInput("Codeine", type=AllergyType.INTOLERANCE, criticality=Criticality.HIGH),
    )
    assert (mild.high_risk, peanut.high_risk, codeine.high_risk) == (False, True, True)

    listed = service.for_patient(patient_id)
    assert [e.substance for e in listed.entries] == ["Codeine", "Peanut", "Adhesive tape"]
    assert listed.has_high_risk
    assert listed.banner_text == "Codeine, Peanut, Adhesive tape"

    calmer = service.update(
        peanut.id,
        AllergyChange(AllergyStatus.ACTIVE, reaction="lip swelling", severity=Severity.MODERATE),
        peanut.version,
    )
    assert not calmer.high_risk and calmer.reaction == "lip swelling"
    inactive = service.update(
        codeine.id, AllergyChange(AllergyStatus.INACTIVE, criticality=Criticality.HIGH), 1
    )
    assert not inactive.high_risk  # only what stands is shouted about
    assert not service.for_patient(patient_id).has_high_risk


def test_updates_are_versioned_and_refused_on_struck_or_statement_rows(
    nurse: AppContext, patient_id: str
) -> None:
    service = AllergyService(nurse)
    latex = service.add(patient_id, AllergyInput("Latex", AllergyCategory.ENVIRONMENT))
    service.update(latex.id, AllergyChange(AllergyStatus.ACTIVE, note="gloves"), latex.version)
    with pytest.raises(ConcurrentChange):
        service.update(latex.id, AllergyChange(AllergyStatus.INACTIVE), latex.version)

    marked = service.mark_entered_in_error(latex.id, "duplicate entry", latex.version + 1)
    mark = marked.entered_in_error
    assert mark is not None and (mark.reason, mark.by_name) == ("duplicate entry", "Hannah Kim")
    with pytest.raises(DomainError, match="can no longer be changed"):
        service.update(latex.id, AllergyChange(AllergyStatus.INACTIVE), marked.version)

    statement = service.record_no_known_allergies(patient_id)
    with pytest.raises(DomainError, match="record the allergy"):
        service.update(statement.id, AllergyChange(AllergyStatus.INACTIVE), statement.version)


def test_entered_in_error_keeps_the_row_and_the_banner_falls_back(
    login: Login, nurse: AppContext, patient_id: str
) -> None:
    service = AllergyService(nurse)
    statement = service.record_no_known_allergies(patient_id)
    doctor = AllergyService(login("drpatel"))
    doctor.mark_entered_in_error(statement.id, "patient was not asked")

    listed = service.for_patient(patient_id)
    assert listed.state is AllergyState.NOT_RECORDED
    (row,) = listed.entries
    assert row.in_error and row.status_label == "Entered in error"
    assert row.entered_in_error is not None and row.entered_in_error.by_name == "Priya Patel"
    (stored,) = query(nurse, "SELECT error_reason, status FROM allergy WHERE id = ?", statement.id)
    assert stored == {"error_reason": "patient was not asked", "status": "active"}
    assert ("entered_in_error", None) in _audit(nurse)
