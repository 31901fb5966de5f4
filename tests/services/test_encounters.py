"""Encounters: opened from an arrived appointment (once) or directly, read, and entered in
error. Real encrypted practice, real services, audit chain and outbox."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.models import EncounterStatus, EncounterType, NoteKind
from app.services.appointments import AppointmentService
from app.services.encounters import EncounterInput, EncounterService
from app.services.errors import DomainError, NotFound
from app.services.note_data import NoteSection, NoteStart
from app.services.notes import NoteService
from app.services.schedule_data import AppointmentView
from tests.services.scheduling_helpers import (  # noqa: F401  (office is a fixture)
    IMMUNIZATION,
    Office,
    office_fixture,
)


def _arrived(office: Office, patient: str = "ana", **booking: str) -> AppointmentView:
    """Today 10:00 (the clock says 08:00), checked in by the front desk."""
    visit = office.book(patient, "2026-01-05 10:00", reason="Cough for two weeks", **booking)
    return AppointmentService(office.desk).check_in(visit.id, visit.version, None)


def _events(office: Office, since: int) -> list[tuple[str, str, str | None]]:
    return [(e["action"], e["category"], e["patient_id"]) for e in office.audit()[since:]]


def test_an_arrived_appointment_opens_one_encounter_however_often_it_is_clicked(
    office: Office,
) -> None:
    visit = _arrived(office)
    encounters = EncounterService(office.ctx("drpatel"))
    before = len(office.audit())

    first = encounters.open_for_appointment(visit.id)
    second = encounters.open_for_appointment(visit.id)

    assert second.id == first.id
    assert first.patient_id == office.patient("ana")
    assert first.provider_id == office.provider("drpatel")
    assert first.provider_name == "Priya Patel, MD"
    assert first.location_id == office.template.location_id
    assert first.location_name
    assert first.reason == "Cough for two weeks"
    assert first.type is EncounterType.OFFICE_VISIT and first.type_label == "Office visit"
    assert first.status is EncounterStatus.OPEN and first.status_label == "Open"
    assert first.appointment_id == visit.id
    assert first.starts_at == visit.arrived_at
    assert first.note_count == 0
    assert len(office.rows("SELECT id FROM encounter WHERE appointment_id = ?", visit.id)) == 1
    ana = office.patient("ana")
    assert _events(office, before) == [("create", "encounter", ana), ("read", "encounter", ana)]
    outbox = office.rows("SELECT operation FROM sync_outbox WHERE row_id = ?", first.id)
    assert [r["operation"] for r in outbox] == ["insert"]


def test_a_visit_not_yet_arrived_cannot_be_documented(office: Office) -> None:
    booked = office.book("ben", "2026-01-05 11:00")
    before = office.snapshot()
    with pytest.raises(DomainError, match="Check the patient in first"):
        EncounterService(office.ctx("drpatel")).open_for_appointment(booked.id)
    assert office.snapshot() == before
    with pytest.raises(NotFound):
        EncounterService(office.ctx("drpatel")).open_for_appointment("no-such-appointment")


def test_a_visit_with_the_nurse_is_a_nursing_visit(office: Office) -> None:
    visit = _arrived(office, "cara", provider="nkim", type_name=IMMUNIZATION)
    encounter = EncounterService(office.ctx("nkim")).open_for_appointment(visit.id)
    assert encounter.type is EncounterType.NURSING_VISIT
    assert encounter.provider_name == "Hannah Kim, RN"


def test_the_type_can_be_chosen_when_opening_from_the_schedule(office: Office) -> None:
    visit = _arrived(office)
    encounter = EncounterService(office.ctx("drpatel")).open_for_appointment(
        visit.id, EncounterType.TELEHEALTH
    )
    assert encounter.type is EncounterType.TELEHEALTH


def test_opening_directly_needs_an_active_physician_and_no_future_start(office: Office) -> None:
    encounters = EncounterService(office.ctx("nkim"))
    ana = office.patient("ana")
    before = office.snapshot()
    for provider in ("nkim", "frontdesk", "admin"):
        with pytest.raises(DomainError, match="active physician"):
            encounters.open(ana, EncounterInput(EncounterType.PHONE, office.provider(provider)))
    with pytest.raises(DomainError, match="active physician"):
        encounters.open(ana, EncounterInput(EncounterType.PHONE, "nobody"))
    later = office.clock.now() + timedelta(hours=2)
    with pytest.raises(DomainError, match="future"):
        encounters.open(
            ana, EncounterInput(EncounterType.PHONE, office.provider("drpatel"), starts_at=later)
        )
    with pytest.raises(DomainError, match="locations"):
        encounters.open(
            ana,
            EncounterInput(EncounterType.OFFICE_VISIT, office.provider("drpatel"), "nowhere"),
        )
    with pytest.raises(NotFound):
        encounters.open(
            "no-such-patient", EncounterInput(EncounterType.PHONE, office.provider("drpatel"))
        )
    assert office.snapshot() == before

    call = encounters.open(
        ana,
        EncounterInput(
            EncounterType.PHONE, office.provider("drokafor"), reason="  Refill   request "
        ),
    )
    assert call.starts_at == office.clock.now()
    assert call.reason == "Refill request"
    assert call.provider_name == "Daniel Okafor, DO"
    assert call.location_id is None and call.appointment_id is None
    assert call.type_label == "Phone call"


def test_reading_encounters_is_audited_and_counts_their_notes(office: Office) -> None:
    ana = office.patient("ana")
    encounters = EncounterService(office.ctx("drpatel"))
    older = encounters.open(
        ana,
        EncounterInput(
            EncounterType.PHONE,
            office.provider("drpatel"),
            starts_at=office.clock.now() - timedelta(days=3),
        ),
    )
    newer = encounters.open(
        ana, EncounterInput(EncounterType.OFFICE_VISIT, office.provider("drpatel"))
    )
    NoteService(office.ctx("drpatel")).start(ana, NoteStart(NoteKind.DOCTOR, encounter_id=newer.id))
    NoteService(office.ctx("nkim")).start(ana, NoteStart(NoteKind.NURSING, encounter_id=newer.id))
    before = len(office.audit())

    listed = EncounterService(office.ctx("nkim")).for_patient(ana)
    one = EncounterService(office.ctx("nkim")).get(newer.id)

    assert [e.id for e in listed] == [newer.id, older.id]
    assert [e.note_count for e in listed] == [2, 0]
    assert one.note_count == 2
    assert _events(office, before) == [("read", "encounter", ana), ("read", "encounter", ana)]
    assert EncounterService(office.ctx("nkim")).for_patient(office.patient("ben")) == []
    with pytest.raises(NotFound):
        EncounterService(office.ctx("nkim")).get("no-such-encounter")


def test_an_encounter_entered_in_error_needs_a_reason_and_takes_its_drafts_along(
    office: Office,
) -> None:
    ana = office.patient("ana")
    visit = _arrived(office)
    encounters = EncounterService(office.ctx("drpatel"))
    encounter = encounters.open_for_appointment(visit.id)
    draft = NoteService(office.ctx("nkim")).start(
        ana, NoteStart(NoteKind.NURSING, encounter_id=encounter.id)
    )
    with pytest.raises(DomainError, match="Say why"):
        encounters.mark_entered_in_error(encounter.id, "   ")

    struck = encounters.mark_entered_in_error(encounter.id, "Opened on the wrong patient")

    assert struck.status is EncounterStatus.ENTERED_IN_ERROR and struck.in_error
    assert struck.error_reason == "Opened on the wrong patient"
    assert struck.note_count == 0
    (row,) = office.rows("SELECT deleted_at, status FROM clinical_note WHERE id = ?", draft.id)
    assert row["deleted_at"] is not None and row["status"] == "draft"
    events = [(e["action"], e["category"]) for e in office.audit()[-2:]]
    assert events == [("delete", "note"), ("entered_in_error", "encounter")]
    with pytest.raises(DomainError, match="already"):
        encounters.mark_entered_in_error(encounter.id, "Again")
    with pytest.raises(DomainError, match="entered in error"):
        NoteService(office.ctx("drpatel")).start(
            ana, NoteStart(NoteKind.DOCTOR, encounter_id=encounter.id)
        )
    # The appointment can be documented again, in a new encounter.
    again = encounters.open_for_appointment(visit.id)
    assert again.id != encounter.id and again.status is EncounterStatus.OPEN


def test_an_encounter_with_a_signed_note_cannot_be_entered_in_error(office: Office) -> None:
    ana = office.patient("ana")
    encounters = EncounterService(office.ctx("drpatel"))
    encounter = encounters.open(
        ana, EncounterInput(EncounterType.OFFICE_VISIT, office.provider("drpatel"))
    )
    notes = NoteService(office.ctx("drpatel"))
    note = notes.start(ana, NoteStart(NoteKind.DOCTOR, encounter_id=encounter.id))
    saved = notes.save_draft(
        note.id, [NoteSection("note", "Note", text="Well.")], None, note.version
    )
    notes.sign(note.id, saved.version)
    assert encounters.get(encounter.id).status is EncounterStatus.SIGNED

    with pytest.raises(DomainError, match="Mark that note entered in error first"):
        encounters.mark_entered_in_error(encounter.id, "Wrong patient")

    notes.mark_entered_in_error(note.id, "Wrong patient")
    reopened = encounters.get(encounter.id)
    assert reopened.status is EncounterStatus.OPEN and reopened.signed_at is None
    assert encounters.mark_entered_in_error(encounter.id, "Wrong patient").in_error
