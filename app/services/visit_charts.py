"""The chart rows the coding assistant and the charge proposal read about signed visits,
loaded for many visits at once: one query per kind of row, not one per visit (signing
reads one visit; the demo and a practice's backlog read thousands).

Rows are grouped by visit or by patient in the order the rules need them; the rules
themselves stay in app.services.coding_assistant and app.services.charge_proposal.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.models import (
    Appointment,
    AppointmentType,
    ClinicalDocument,
    ClinicalNote,
    Encounter,
    EncounterStatus,
    EncounterType,
    Immunization,
    Medication,
    MedicationStatus,
    NoteAddendum,
    NoteStatus,
    NoteTemplate,
    Patient,
    Problem,
    ProblemStatus,
)
from app.services.note_records import practice_zone

# Encounters that make a patient established (a professional's visit, in person or video).
ESTABLISHING_TYPES = (EncounterType.OFFICE_VISIT, EncounterType.TELEHEALTH)
# Keeps every IN (...) list well under SQLite's limit on bound parameters.
CHUNK = 500

T = TypeVar("T")
_SIGNED_NOTE = (
    ClinicalNote.status.in_((NoteStatus.SIGNED, NoteStatus.AWAITING_COSIGN)),
    ClinicalNote.error_at.is_(None),
    ClinicalNote.deleted_at.is_(None),
)


class ProblemRow(NamedTuple):
    id: str
    encounter_id: str | None
    status: ProblemStatus
    icd10_code: str
    description: str


class MedicationRow(NamedTuple):
    name: str
    status: MedicationStatus
    started_on: date | None
    stopped_on: date | None


class DocumentRow(NamedTuple):
    encounter_id: str | None
    reviewer_id: str | None
    reviewed_at: datetime | None


class EarlierVisit(NamedTuple):
    id: str
    starts_at: datetime


@dataclass
class VisitCharts:
    """What the chart says about a set of visits (read inside the caller's unit of work)."""

    zone: ZoneInfo
    birth_dates: dict[str, date] = field(default_factory=dict)  # by patient
    notes: dict[str, list[ClinicalNote]] = field(default_factory=dict)  # signed, by visit
    addenda: dict[str, list[str]] = field(default_factory=dict)  # by visit, in signing order
    template_names: dict[str, str] = field(default_factory=dict)
    appointment_types: dict[str, str | None] = field(default_factory=dict)  # by appointment
    problems: dict[str, list[ProblemRow]] = field(default_factory=dict)  # by patient
    medications: dict[str, list[MedicationRow]] = field(default_factory=dict)  # by patient
    documents: dict[str, list[DocumentRow]] = field(default_factory=dict)  # by patient
    vaccines: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # by visit
    establishing_visits: dict[str, list[EarlierVisit]] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session, encounters: Sequence[Encounter]) -> VisitCharts:
        charts = cls(ZoneInfo(practice_zone(session)))
        for chunk in _chunks(encounters):
            charts._load_chunk(session, chunk)
        return charts

    def visit_problems(self, encounter: Encounter) -> list[ProblemRow]:
        """The patient's active problems and those diagnosed in the visit, oldest first."""
        return [
            p
            for p in self.problems.get(encounter.patient_id, ())
            if p.encounter_id == encounter.id or p.status is ProblemStatus.ACTIVE
        ]

    def _load_chunk(self, session: Session, encounters: Sequence[Encounter]) -> None:
        visit_ids = [e.id for e in encounters]
        patient_ids = sorted({e.patient_id for e in encounters})
        self.birth_dates.update(
            session.execute(
                select(Patient.id, Patient.date_of_birth).where(Patient.id.in_(patient_ids))
            ).all()
        )
        self._load_notes(session, visit_ids)
        appointment_ids = [e.appointment_id for e in encounters if e.appointment_id]
        if appointment_ids:
            self.appointment_types.update(
                session.execute(
                    select(Appointment.id, AppointmentType.name)
                    .outerjoin(AppointmentType, Appointment.type_id == AppointmentType.id)
                    .where(Appointment.id.in_(appointment_ids))
                ).all()
            )
        live_problems = (Problem.error_at.is_(None), Problem.deleted_at.is_(None))
        _group(
            self.problems,
            session.execute(
                select(Problem.patient_id, Problem.id, Problem.encounter_id, Problem.status)
                .add_columns(Problem.icd10_code, Problem.description)
                .where(
                    Problem.patient_id.in_(patient_ids),
                    *live_problems,
                    or_(
                        Problem.encounter_id.in_(visit_ids), Problem.status == ProblemStatus.ACTIVE
                    ),
                )
                .order_by(Problem.created_at, Problem.id)
            ),
            ProblemRow,
        )
        _group(
            self.medications,
            session.execute(
                select(Medication.patient_id, Medication.name, Medication.status)
                .add_columns(Medication.started_on, Medication.stopped_on)
                .where(
                    Medication.patient_id.in_(patient_ids),
                    Medication.error_at.is_(None),
                    Medication.deleted_at.is_(None),
                )
            ),
            MedicationRow,
        )
        _group(
            self.documents,
            session.execute(
                select(ClinicalDocument.patient_id, ClinicalDocument.encounter_id)
                .add_columns(ClinicalDocument.reviewer_id, ClinicalDocument.reviewed_at)
                .where(
                    ClinicalDocument.patient_id.in_(patient_ids),
                    ClinicalDocument.error_at.is_(None),
                    ClinicalDocument.deleted_at.is_(None),
                )
            ),
            DocumentRow,
        )
        _group(
            self.vaccines,
            session.execute(
                select(Immunization.encounter_id, Immunization.vaccine, Immunization.cvx_code)
                .where(
                    Immunization.encounter_id.in_(visit_ids),
                    Immunization.given_here.is_(True),
                    Immunization.error_at.is_(None),
                    Immunization.deleted_at.is_(None),
                )
                .order_by(Immunization.created_at, Immunization.id)
            ),
            lambda vaccine, cvx: (vaccine, cvx),
        )
        _group(
            self.establishing_visits,
            session.execute(
                select(Encounter.patient_id, Encounter.id, Encounter.starts_at).where(
                    Encounter.patient_id.in_(patient_ids),
                    Encounter.type.in_(ESTABLISHING_TYPES),
                    Encounter.status != EncounterStatus.ENTERED_IN_ERROR,
                    Encounter.deleted_at.is_(None),
                )
            ),
            EarlierVisit,
        )

    def _load_notes(self, session: Session, visit_ids: list[str]) -> None:
        notes = session.scalars(
            select(ClinicalNote)
            .where(ClinicalNote.encounter_id.in_(visit_ids), *_SIGNED_NOTE)
            .order_by(ClinicalNote.signed_at, ClinicalNote.id)
        ).all()
        visit_of: dict[str, str] = {}
        for note in notes:
            visit = str(note.encounter_id)  # never None: picked by it
            self.notes.setdefault(visit, []).append(note)
            visit_of[note.id] = visit
        signed_notes = select(ClinicalNote.id).where(
            ClinicalNote.encounter_id.in_(visit_ids), *_SIGNED_NOTE
        )
        for note_id, text in session.execute(
            select(NoteAddendum.note_id, NoteAddendum.text)
            .where(NoteAddendum.note_id.in_(signed_notes), NoteAddendum.deleted_at.is_(None))
            .order_by(NoteAddendum.signed_at)
        ):
            self.addenda.setdefault(visit_of[note_id], []).append(text)
        template_ids = sorted({n.template_id for n in notes if n.template_id})
        for chunk in _chunks(template_ids):
            self.template_names.update(
                session.execute(
                    select(NoteTemplate.id, NoteTemplate.name).where(NoteTemplate.id.in_(chunk))
                ).all()
            )


def _chunks(items: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _group(into: dict[str, list[Any]], rows: Iterable[Any], make: Any) -> None:
    """Rows whose first column is the key, as `make(*rest)` lists in the rows' order."""
    for key, *rest in rows:
        into.setdefault(key, []).append(make(*rest))
