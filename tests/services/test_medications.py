"""The medication list (issue #5): add, stop with a date and a reason, entered in error,
active before stopped, audit and outbox."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from app.models import MedicationStatus, SexAtBirth
from app.services.bus import ChartChanged
from app.services.context import AppContext
from app.services.errors import ConcurrentChange, DomainError
from app.services.medications import MedicationInput, MedicationService
from app.services.patient_data import PatientInput
from app.services.patients import PatientService
from tests.services.helpers import audit_events, data_snapshot, outbox_rows

Login = Callable[[str], AppContext]
METFORMIN = MedicationInput(
    "Metformin 500 mg tablet",
    sig="1 tablet by mouth twice daily with meals",
    started_on=date(2022, 3, 1),
    prescriber="Priya Patel, MD",
    rxnorm_code="860975",
)


@pytest.fixture
def doctor(login: Login) -> AppContext:
    return login("drpatel")


@pytest.fixture
def patient_id(doctor: AppContext) -> str:
    data = PatientInput("Milo", "Medson", date(1958, 11, 30), SexAtBirth.MALE)
    return PatientService(doctor).register(data, confirm_not_duplicate=True).id


def _audit(ctx: AppContext) -> list[tuple[str, str | None]]:
    return [(e["action"], e["detail"]) for e in audit_events(ctx) if e["category"] == "medication"]


def test_add_then_stop_with_a_reason(doctor: AppContext, patient_id: str) -> None:
    meds = MedicationService(doctor)
    notices: list[object] = []
    doctor.bus.subscribe(ChartChanged, notices.append)
    added = meds.add(patient_id, METFORMIN)
    assert (added.name, added.sig, added.rxnorm_code) == (
        "Metformin 500 mg tablet",
        "1 tablet by mouth twice daily with meals",
        "860975",
    )
    assert added.is_active and added.status_label == "Active"

    stopped = meds.stop(added.id, date(2026, 1, 2), "  GI upset;  switched to ER  ", added.version)

    assert (stopped.status, stopped.stopped_on) == (MedicationStatus.STOPPED, date(2026, 1, 2))
    assert stopped.stop_reason == "GI upset; switched to ER"
    assert stopped.status_label == "Stopped" and not stopped.is_active
    assert notices == [ChartChanged((patient_id,))] * 2
    assert _audit(doctor) == [("create", None), ("update", "stopped")]
    (update,) = [
        r for r in outbox_rows(doctor) if r["row_id"] == added.id and r["operation"] == "update"
    ]
    assert update["changes"]["status"] == ["active", "stopped"]
    assert update["changes"]["stop_reason"] == [None, "GI upset; switched to ER"]


def test_stopping_needs_a_reason_and_a_sensible_date(doctor: AppContext, patient_id: str) -> None:
    meds = MedicationService(doctor)
    added = meds.add(patient_id, METFORMIN)
    before = data_snapshot(doctor)
    with pytest.raises(DomainError, match="Say why it was stopped"):
        meds.stop(added.id, date(2026, 1, 2), "  ", added.version)
    with pytest.raises(DomainError, match="stopped before it was started"):
        meds.stop(added.id, date(2021, 1, 1), "never taken", added.version)
    with pytest.raises(DomainError, match="stop date cannot be in the future"):
        meds.stop(added.id, date(2026, 1, 6), "planned", added.version)
    with pytest.raises(ConcurrentChange):
        meds.stop(added.id, date(2026, 1, 2), "side effects", added.version + 1)
    assert data_snapshot(doctor) == before

    stopped = meds.stop(added.id, date(2026, 1, 5), "side effects", added.version)
    with pytest.raises(DomainError, match="already stopped"):
        meds.stop(added.id, date(2026, 1, 5), "again", stopped.version)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (MedicationInput(" "), "Enter the medication name"),
        (MedicationInput("Lisinopril 10 mg", rxnorm_code="RX-1"), "RxNorm code is a number"),
        (MedicationInput("Lisinopril 10 mg", started_on=date(2026, 1, 6)), "in the future"),
        (MedicationInput("Lisinopril 10 mg", sig="s" * 301), "under 300 characters"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(
    doctor: AppContext, patient_id: str, data: MedicationInput, message: str
) -> None:
    before = data_snapshot(doctor)
    with pytest.raises(DomainError, match=message):
        MedicationService(doctor).add(patient_id, data)
    assert data_snapshot(doctor) == before


def test_the_same_active_medication_twice_is_refused(doctor: AppContext, patient_id: str) -> None:
    meds = MedicationService(doctor)
    first = meds.add(patient_id, METFORMIN)
    with pytest.raises(DomainError, match="Metformin 500 mg tablet is already on the"):
        meds.add(patient_id, MedicationInput("metformin  500 MG tablet"))
    meds.stop(first.id, date(2025, 6, 1), "A1c at goal", first.version)
    restarted = meds.add(patient_id, MedicationInput("Metformin 500 mg tablet"))
    assert restarted.is_active


def test_entered_in_error_keeps_the_row_and_the_list_order(
    login: Login, doctor: AppContext, patient_id: str
) -> None:
    meds = MedicationService(doctor)
    lisinopril = meds.add(patient_id, MedicationInput("Lisinopril 10 mg tablet"))
    atorva = meds.add(patient_id, MedicationInput("Atorvastatin 20 mg tablet"))
    wrong = meds.add(patient_id, MedicationInput("Warfarin 5 mg tablet"))
    old = meds.add(patient_id, MedicationInput("Amoxicillin 500 mg capsule"))
    older = meds.add(patient_id, MedicationInput("Ibuprofen 400 mg tablet"))
    meds.stop(old.id, date(2025, 12, 20), "course finished", old.version)
    meds.stop(older.id, date(2024, 2, 1), "no longer needed", older.version)

    nurse = MedicationService(login("nkim"))
    marked = nurse.mark_entered_in_error(wrong.id, "another patient's medication", wrong.version)
    assert marked.entered_in_error is not None
    assert marked.entered_in_error.by_name == "Hannah Kim" and marked.in_error

    listed = meds.for_patient(patient_id)
    assert [m.id for m in listed] == [atorva.id, lisinopril.id, old.id, older.id, wrong.id]
    assert [m.status_label for m in listed][-1] == "Entered in error"
    active = meds.for_patient(patient_id, include_stopped=False)
    assert [m.id for m in active] == [atorva.id, lisinopril.id]
    with pytest.raises(DomainError, match="can no longer be changed"):
        meds.stop(wrong.id, date(2026, 1, 5), "wrong", marked.version)
    assert ("entered_in_error", None) in _audit(doctor)
    assert _audit(doctor)[-2:] == [("read", None), ("read", None)]
