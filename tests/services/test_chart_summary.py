"""The chart at a glance: the summary (active lists, the three allergy states, last vitals,
recent visits, due items), the timeline (newest first, paged without skipping a tie) and
the after-visit summary printed from a signed note. Other sections' rows are written here
straight through the ORM, as their own services would leave them."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from pypdf import PdfReader

from app.models import (
    Allergy,
    AllergyStatus,
    AllergyType,
    ClinicalDocument,
    ClinicalNote,
    Criticality,
    DocumentCategory,
    Encounter,
    EncounterStatus,
    EncounterType,
    Immunization,
    Medication,
    MedicationStatus,
    NoteKind,
    NoteStatus,
    Problem,
    ProblemStatus,
    Severity,
    SexAtBirth,
    VitalFlag,
    VitalObservation,
    VitalsSet,
)
from app.services.chart import ChartService
from app.services.chart_data import AllergyState, DueKind, TimelineKind
from app.services.clock import FakeClock
from app.services.context import AppContext
from app.services.errors import DomainError
from app.services.patient_data import PatientInput
from app.services.patients import PatientService
from app.services.visit_summary import VisitSummaryService
from tests.services.helpers import audit_events, user_id

Login = Callable[[str], AppContext]
NOW = datetime(2026, 1, 5, 14, 0, tzinfo=UTC)  # the FakeClock: 8:00 AM in Chicago


def at(day: date, hour: int = 15) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


class Chart:
    """One new patient's chart, filled straight through the ORM."""

    def __init__(self, ctx: AppContext, born: date = date(1980, 5, 6)) -> None:
        self.ctx = ctx
        data = PatientInput(
            "Tess", "Summary", born, SexAtBirth.FEMALE, guarantor_name="Ann Summary"
        )
        self.patient_id = PatientService(ctx).register(data, confirm_not_duplicate=True).id
        self.doctor_id = user_id(ctx, "drpatel")

    def add(self, row: Any) -> str:
        with self.ctx.unit_of_work() as uow:
            uow.session.add(row)
            uow.session.flush()
            return str(row.id)

    def visit(self, starts_at: datetime, **values: Any) -> str:
        values.setdefault("type", EncounterType.OFFICE_VISIT)
        return self.add(
            Encounter(
                patient_id=self.patient_id,
                provider_id=self.doctor_id,
                starts_at=starts_at,
                **values,
            )
        )

    def note(self, encounter_id: str | None, status: NoteStatus, **values: Any) -> str:
        values.setdefault("kind", NoteKind.DOCTOR)
        values.setdefault("written_at", NOW - timedelta(hours=1))
        values.setdefault("sections", [])
        if status is not NoteStatus.DRAFT:
            values.setdefault("signed_at", values["written_at"] + timedelta(minutes=30))
            values.setdefault("signed_by_id", self.doctor_id)
            values.setdefault("content_hash", "0" * 64)
        return self.add(
            ClinicalNote(
                patient_id=self.patient_id,
                encounter_id=encounter_id,
                title=values.pop("title", "Office visit note"),
                author_id=self.doctor_id,
                status=status,
                **values,
            )
        )

    def vitals(self, taken_at: datetime, encounter_id: str | None = None, **values: Any) -> str:
        """`values`: LOINC code → (value in the canonical unit, unit[, flag])."""
        error = values.pop("error_at", None)
        set_id = self.add(
            VitalsSet(
                patient_id=self.patient_id,
                encounter_id=encounter_id,
                taken_at=taken_at,
                taken_by_id=self.doctor_id,
                error_at=error,
                error_reason="wrong patient" if error else None,
            )
        )
        with self.ctx.unit_of_work() as uow:
            for code, (value, unit, *flag) in values.items():
                uow.session.add(
                    VitalObservation(
                        vitals_set_id=set_id,
                        patient_id=self.patient_id,
                        taken_at=taken_at,
                        loinc_code=code.replace("_", "-").lstrip("c"),
                        value=value,
                        unit=unit,
                        flag=flag[0] if flag else VitalFlag.NORMAL,
                    )
                )
        return set_id

    def problem(self, description: str, code: str, **values: Any) -> str:
        return self.add(
            Problem(patient_id=self.patient_id, description=description, icd10_code=code, **values)
        )

    def allergy(self, substance: str, **values: Any) -> str:
        return self.add(Allergy(patient_id=self.patient_id, substance=substance, **values))

    def medication(self, name: str, **values: Any) -> str:
        return self.add(Medication(patient_id=self.patient_id, name=name, **values))

    def immunization(self, vaccine: str, given_on: date, cvx: str = "88", **values: Any) -> str:
        return self.add(
            Immunization(
                patient_id=self.patient_id,
                vaccine=vaccine,
                cvx_code=cvx,
                given_on=given_on,
                **values,
            )
        )

    def document(self, title: str, on: date, **values: Any) -> str:
        values.setdefault("category", DocumentCategory.LAB_REPORT)
        return self.add(
            ClinicalDocument(
                patient_id=self.patient_id,
                title=title,
                document_on=on,
                media_type="application/pdf",
                byte_count=10,
                sha256=title.encode().hex().ljust(64, "0")[:64],
                imported_by_id=self.doctor_id,
                **values,
            )
        )


BP: dict[str, Any] = {
    "c8480_6": (142.0, "mm[Hg]", VitalFlag.HIGH),
    "c8462_4": (91.0, "mm[Hg]", VitalFlag.HIGH),
}
ERROR = {"error_at": NOW, "error_reason": "entered on the wrong chart", "error_by_id": "x"}


def test_an_empty_chart_says_what_is_missing_and_the_opening_is_audited(login: Login) -> None:
    doctor = login("drpatel")
    chart = Chart(doctor)
    before = audit_events(doctor)

    summary = ChartService(doctor).summary(chart.patient_id)

    assert summary.today == date(2026, 1, 5)
    assert (summary.problems, summary.medications, summary.recent_visits) == ((), (), ())
    assert summary.allergies.state is AllergyState.NOT_RECORDED
    assert summary.last_vitals is None and summary.documents_awaiting_review == 0
    assert [(d.kind, d.detail) for d in summary.due] == [
        (DueKind.VITALS, "None recorded yet"),
        (DueKind.INFLUENZA, "None recorded since Aug 1, 2025"),
    ]
    new = audit_events(doctor)[len(before) :]
    assert [(e["action"], e["category"], e["patient_id"]) for e in new] == [
        ("read", "chart", chart.patient_id)
    ]


def test_the_summary_shows_only_what_is_active_and_current(login: Login) -> None:
    nurse = login("nkim")
    chart = Chart(nurse)
    chart.problem(
        "Type 2 diabetes mellitus without complications", "E11.9", onset_on=date(2019, 3, 1)
    )
    chart.problem("Essential (primary) hypertension", "I10")
    chart.problem(
        "Acute bronchitis", "J20.9", status=ProblemStatus.RESOLVED, resolved_on=date(2025, 2, 1)
    )
    chart.problem("Asthma", "J45.909", **ERROR)
    chart.medication("Metformin 500 mg tablet", sig="1 tablet twice a day with meals")
    chart.medication("Amoxicillin 500 mg capsule", status=MedicationStatus.STOPPED)
    chart.medication("Lisinopril 10 mg tablet", **ERROR)
    chart.vitals(at(date(2025, 6, 1)), c29463_7=(90.0, "kg"))
    latest = chart.vitals(
        at(date(2025, 11, 20)),
        **BP,
        c29463_7=(82.5, "kg"),
        c8310_5=(37.0, "Cel"),
        c8867_4=(72.0, "/min"),
    )
    chart.vitals(at(date(2025, 12, 1)), c29463_7=(20.0, "kg"), error_at=NOW)
    chart.document("A1c", date(2025, 12, 1))
    chart.document("Lipids", date(2025, 12, 2))
    chart.document("TSH", date(2025, 11, 2), reviewed_at=NOW, reviewer_id=chart.doctor_id)
    chart.document("Wrong", date(2025, 11, 3), **ERROR)
    chart.immunization("Influenza, injectable, quadrivalent", date(2025, 10, 1), "150")

    summary = ChartService(nurse).summary(chart.patient_id)

    assert [(p.icd10_code, p.description, p.onset_on) for p in summary.problems] == [
        ("I10", "Essential (primary) hypertension", None),
        ("E11.9", "Type 2 diabetes mellitus without complications", date(2019, 3, 1)),
    ]
    assert [(m.name, m.sig) for m in summary.medications] == [
        ("Metformin 500 mg tablet", "1 tablet twice a day with meals")
    ]
    assert summary.last_vitals is not None
    assert summary.last_vitals.vitals_set_id == latest  # the newer set was entered in error
    assert [(r.label, r.text, r.flag) for r in summary.last_vitals.readings] == [
        ("Blood pressure", "142/91 mmHg", VitalFlag.HIGH),
        ("Pulse", "72 /min", VitalFlag.NORMAL),
        ("Temperature", "98.6 °F", VitalFlag.NORMAL),  # the practice shows US units
        ("Weight", "181.9 lb", VitalFlag.NORMAL),
    ]
    assert (summary.last_vitals.readings[3].value, summary.last_vitals.readings[3].unit) == (
        82.5,
        "kg",
    )
    assert summary.documents_awaiting_review == 2
    assert summary.due == ()  # vitals this year, a flu shot this season, nothing unsigned


def test_three_allergy_states_and_severe_allergies_first(login: Login) -> None:
    doctor = login("drpatel")
    service = ChartService(doctor)
    chart = Chart(doctor)
    assert service.summary(chart.patient_id).allergies.state is AllergyState.NOT_RECORDED

    statement = chart.allergy("No known allergies", no_known=True)
    allergies = service.summary(chart.patient_id).allergies
    assert (allergies.state, allergies.allergies) == (AllergyState.NO_KNOWN, ())
    assert allergies.no_known_recorded_at is not None

    with doctor.unit_of_work() as uow:
        row = uow.session.get(Allergy, statement)
        assert row is not None
        row.error_at, row.error_reason = NOW, "not asked"
    assert service.summary(chart.patient_id).allergies.state is AllergyState.NOT_RECORDED

    chart.allergy("Latex", category="environment", reaction="Rash", severity=Severity.MILD)
    chart.allergy("Penicillin", reaction="Hives", severity=Severity.SEVERE)
    chart.allergy("Sulfa", reaction="Anaphylaxis", criticality=Criticality.HIGH)
    chart.allergy("Lactose", type=AllergyType.INTOLERANCE, reaction="Bloating")
    chart.allergy("Codeine", status=AllergyStatus.RESOLVED)
    chart.allergy("Aspirin", **ERROR)
    allergies = service.summary(chart.patient_id).allergies
    assert allergies.state is AllergyState.LISTED
    assert [(a.substance, a.severe) for a in allergies.allergies] == [
        ("Penicillin", True),
        ("Sulfa", True),
        ("Lactose", False),
        ("Latex", False),
    ]
    assert [a.substance for a in allergies.severe] == ["Penicillin", "Sulfa"]


def test_recent_visits_newest_first_with_their_note_status(login: Login) -> None:
    doctor = login("drpatel")
    chart = Chart(doctor)
    days = [date(2025, month, 10) for month in range(1, 8)]
    visits = [chart.visit(at(day), reason=f"Visit {n}") for n, day in enumerate(days, 1)]
    chart.visit(at(date(2025, 12, 1)), status=EncounterStatus.ENTERED_IN_ERROR)
    chart.note(visits[6], NoteStatus.DRAFT)
    chart.note(visits[5], NoteStatus.AWAITING_COSIGN, kind=NoteKind.NURSING)
    chart.note(visits[4], NoteStatus.SIGNED)
    chart.note(visits[4], NoteStatus.DRAFT, kind=NoteKind.NURSING, written_at=NOW)
    chart.note(visits[3], NoteStatus.SIGNED, **ERROR)

    summary = ChartService(doctor).summary(chart.patient_id)

    assert [(v.reason, v.note_status) for v in summary.recent_visits] == [
        ("Visit 7", NoteStatus.DRAFT),
        ("Visit 6", NoteStatus.AWAITING_COSIGN),
        ("Visit 5", NoteStatus.SIGNED),  # the doctor's note, not the later nursing draft
        ("Visit 4", None),  # its only note was entered in error
        ("Visit 3", None),
    ]
    first = summary.recent_visits[0]
    assert (first.type_label, first.provider_name, first.starts_at) == (
        "Office visit",
        "Priya Patel",
        at(days[6]),
    )
    (unsigned,) = [d for d in summary.due if d.kind is DueKind.UNSIGNED_NOTES]
    assert unsigned.detail == "2 drafts · 1 awaiting co-signature"


def test_due_items_for_old_vitals_and_infants(login: Login) -> None:
    doctor = login("drpatel")
    adult = Chart(doctor)
    adult.vitals(at(date(2024, 12, 1)), c8867_4=(70.0, "/min"))
    adult.immunization("Influenza, seasonal, injectable", date(2025, 7, 30))  # last season
    due = ChartService(doctor).summary(adult.patient_id).due
    assert [(d.title, d.detail) for d in due] == [
        ("Vitals", "Last taken Dec 1, 2024"),
        ("Influenza vaccine", "None recorded since Aug 1, 2025"),
    ]
    baby = Chart(doctor, born=date(2025, 8, 1))  # five months old: too young for the vaccine
    baby.vitals(at(date(2025, 12, 20)), c29463_7=(6.8, "kg"))
    summary = ChartService(doctor).summary(baby.patient_id)
    assert summary.due == ()
    assert summary.last_vitals is not None
    assert [r.text for r in summary.last_vitals.readings] == ["14 lb 15.9 oz"]


def test_the_timeline_is_newest_first_and_marks_entered_in_error(login: Login) -> None:
    doctor = login("drpatel")
    chart = Chart(doctor)
    visit = chart.visit(at(date(2025, 12, 1)), reason="Cough")
    chart.note(visit, NoteStatus.SIGNED, written_at=at(date(2025, 12, 1), 16), title="Cough visit")
    chart.note(visit, NoteStatus.DRAFT, written_at=at(date(2025, 12, 2)))  # not signed: not shown
    chart.vitals(at(date(2025, 12, 1), 15), visit, **BP)
    wrong = chart.vitals(at(date(2025, 11, 1)), error_at=NOW, c8867_4=(70.0, "/min"))
    chart.problem(
        "Acute bronchitis",
        "J20.9",
        onset_on=date(2025, 11, 28),
        status=ProblemStatus.RESOLVED,
        resolved_on=date(2025, 12, 20),
    )
    chart.medication(
        "Benzonatate 100 mg capsule",
        sig="1 capsule three times a day",
        started_on=date(2025, 12, 1),
        status=MedicationStatus.STOPPED,
        stopped_on=date(2025, 12, 10),
        stop_reason="Cough resolved",
    )
    chart.allergy(
        "Penicillin", reaction="Hives", severity=Severity.SEVERE, onset_on=date(2001, 1, 1)
    )
    chart.immunization("Influenza, seasonal, injectable", date(2025, 10, 1), lot_number="AB12")
    chart.document("Chest X-ray", date(2025, 12, 3), category=DocumentCategory.IMAGING_REPORT)

    before = audit_events(doctor)
    entries = ChartService(doctor).timeline(chart.patient_id)

    assert [(e.kind, e.title) for e in entries] == [
        (TimelineKind.PROBLEM_RESOLVED, "Acute bronchitis (J20.9)"),
        (TimelineKind.MEDICATION_STOPPED, "Benzonatate 100 mg capsule"),
        (TimelineKind.DOCUMENT, "Chest X-ray"),
        (TimelineKind.NOTE_SIGNED, "Cough visit"),
        (TimelineKind.VITALS, "Vitals"),
        (TimelineKind.ENCOUNTER, "Office visit"),
        (TimelineKind.MEDICATION_STARTED, "Benzonatate 100 mg capsule"),
        (TimelineKind.PROBLEM_ADDED, "Acute bronchitis (J20.9)"),
        (TimelineKind.VITALS, "Vitals"),
        (TimelineKind.IMMUNIZATION, "Influenza, seasonal, injectable"),
        (TimelineKind.ALLERGY, "Allergy: Penicillin"),
    ]
    details = {(e.kind, e.item_id): e for e in entries}
    assert details[(TimelineKind.ENCOUNTER, visit)].detail == "Priya Patel · Cough"
    assert details[(TimelineKind.MEDICATION_STOPPED, entries[1].item_id)].detail == (
        "Stopped · Cough resolved"
    )
    assert entries[4].detail == "BP 142/91 mmHg"
    assert entries[8].item_id == wrong and entries[8].entered_in_error
    assert [e.entered_in_error for e in entries].count(True) == 1
    assert entries[9].detail == "Given here · lot AB12" and entries[9].date_only
    assert entries[2].detail == "Imaging report · Awaiting review"
    new = audit_events(doctor)[len(before) :]
    assert [(e["action"], e["category"], e["detail"]) for e in new] == [
        ("read", "chart", "timeline")
    ]


def test_timeline_pages_join_up_without_skipping_ties(login: Login) -> None:
    doctor = login("drpatel")
    chart = Chart(doctor)
    same_day = date(2025, 6, 1)
    for n in range(7):  # many facts dated the same day: the page edge falls among them
        chart.medication(f"Medication {n}", started_on=same_day)
    for n in range(5):
        chart.vitals(at(date(2025, 1, 1)) + timedelta(days=n), c8867_4=(70.0 + n, "/min"))
    for _ in range(4):
        chart.visit(at(date(2025, 3, 1)))  # four visits at the very same time
    service = ChartService(doctor)
    everything = service.timeline(chart.patient_id, limit=100)
    assert len(everything) == 16

    pages, before = [], None
    while True:
        page = service.timeline(chart.patient_id, limit=3, before=before)
        if not page:
            break
        assert len(page) <= 3
        pages.append(page)
        before = page[-1].cursor
    assert [e for page in pages for e in page] == everything
    assert [e.when for e in everything] == sorted((e.when for e in everything), reverse=True)


# -- the after-visit summary -------------------------------------------------------------


def _pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


SOAP = [
    {"key": "subjective", "label": "Subjective", "text": "Headaches for two weeks."},
    {"key": "assessment", "label": "Assessment", "text": "Hypertension, not at goal."},
    {"key": "plan", "label": "Plan", "text": "Start lisinopril 10 mg daily."},
    {"key": "follow_up", "label": "Follow-up", "text": "Return in 4 weeks.", "selected": []},
]


def test_the_visit_summary_prints_the_signed_note_for_the_patient(
    login: Login, clock: FakeClock
) -> None:
    nurse = login("nkim")
    chart = Chart(nurse)
    visit = chart.visit(NOW - timedelta(hours=2), reason="Headaches")
    other = chart.visit(at(date(2025, 6, 1)))
    chart.vitals(NOW - timedelta(hours=2), visit, **BP, c29463_7=(82.5, "kg"))
    chart.vitals(at(date(2025, 6, 1)), other, c8867_4=(99.0, "/min"))
    chart.problem("Essential (primary) hypertension", "I10", encounter_id=visit)
    chart.problem("Migraine", "G43.909")  # on the list, but not addressed at this visit
    chart.medication("Lisinopril 10 mg tablet", sig="1 tablet by mouth daily")
    chart.allergy("Penicillin", reaction="Hives", severity=Severity.SEVERE)
    draft = chart.note(visit, NoteStatus.DRAFT, sections=SOAP)
    service = VisitSummaryService(nurse)

    with pytest.raises(DomainError, match="Sign the note before printing the visit summary"):
        service.pdf(visit)

    with nurse.unit_of_work() as uow:
        note = uow.session.get(ClinicalNote, draft)
        assert note is not None
        note.status, note.signed_at, note.signed_by_id = NoteStatus.SIGNED, NOW, chart.doctor_id
    before = audit_events(nurse)
    text = _pdf_text(service.pdf(visit))

    for expected in (
        "Riverside Family Medicine",
        "Tess Summary",
        "05/06/1980",
        "Office visit, January 5, 2026",
        "Priya Patel, MD",
        "Why you came in Headaches",
        "Blood pressure 142/91 mmHg",
        "Weight 181.9 lb",
        "Essential (primary) hypertension (I10)",
        "Your plan Start lisinopril 10 mg daily.",
        "Follow-up Return in 4 weeks.",
        "Lisinopril 10 mg tablet 1 tablet by mouth daily",
        "Penicillin: Hives (severe)",
        "Printed Jan 5, 2026",
    ):
        assert expected in text
    for absent in ("Migraine", "99 /min", "Headaches for two weeks", "not at goal"):
        assert absent not in text
    new = audit_events(nurse)[len(before) :]
    assert [(e["action"], e["category"], e["patient_id"], e["entity_id"]) for e in new] == [
        ("print", "encounter", chart.patient_id, visit)
    ]


def test_the_visit_summary_needs_a_signed_doctors_note(login: Login) -> None:
    doctor = login("drpatel")
    chart = Chart(doctor)
    service = VisitSummaryService(doctor)
    visit = chart.visit(NOW)
    with pytest.raises(DomainError, match="Write and sign the visit's doctor's note"):
        service.pdf(visit)
    chart.note(visit, NoteStatus.AWAITING_COSIGN, kind=NoteKind.NURSING)
    with pytest.raises(DomainError, match="Write and sign the visit's doctor's note"):
        service.pdf(visit)
    chart.note(visit, NoteStatus.SIGNED, sections=SOAP, **ERROR)
    with pytest.raises(DomainError, match="Write and sign"):
        service.pdf(visit)

    # No diagnosis coded at the visit: the assessment says what was addressed.
    chart.note(visit, NoteStatus.SIGNED, sections=SOAP)
    text = _pdf_text(service.pdf(visit))
    assert "What we addressed today Hypertension, not at goal." in text
    assert "Your allergies No allergies are recorded." in text
    assert "No medications are on your list." in text

    gone = chart.visit(NOW, status=EncounterStatus.ENTERED_IN_ERROR)
    chart.note(gone, NoteStatus.SIGNED, sections=SOAP)
    with pytest.raises(DomainError, match="entered in error"):
        service.pdf(gone)
