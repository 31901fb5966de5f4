"""The chart's timeline: every dated fact, newest first, one page at a time.

Each kind of fact is read on its own with plain column selects through the patient
indexes. The long lists (visits, signed notes, vitals sets) are cut in SQL at the page's
cursor with a LIMIT; the short ones (problems, allergies, medications, immunizations,
documents) are read whole and cut here. A helper inside the caller's unit of work: the
caller checks permission and audits.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, or_, select, true
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.models import (
    Allergy,
    AllergyStatus,
    AllergyType,
    ClinicalDocument,
    ClinicalNote,
    Encounter,
    EncounterStatus,
    Immunization,
    Medication,
    MedicationStatus,
    NoteStatus,
    Problem,
    ProblemStatus,
    User,
    VitalObservation,
    VitalsSet,
)
from app.services.chart_data import TimelineCursor, TimelineEntry, vital_readings
from app.services.chart_data import TimelineKind as K
from app.services.documents import CATEGORY_LABELS
from app.services.note_data import ENCOUNTER_TYPE_LABELS, KIND_LABELS


def timeline_entries(
    session: Session,
    patient_id: str,
    zone: str,
    units: str,
    age_years: float,
    limit: int,
    before: TimelineCursor | None,
) -> list[TimelineEntry]:
    page = _Page(session, patient_id, ZoneInfo(zone), limit, before)
    entries = [
        *page.encounters(),
        *page.signed_notes(),
        *page.vitals_sets(units, age_years),
        *page.problems(),
        *page.allergies(),
        *page.medications(),
        *page.immunizations(),
        *page.documents(),
    ]
    if before is not None:
        entries = [entry for entry in entries if entry.cursor < before]
    entries.sort(key=lambda entry: entry.cursor, reverse=True)
    return entries[:limit]


def _joined(*parts: str | None) -> str:
    return " · ".join(part for part in parts if part)


class _Page:
    def __init__(
        self,
        session: Session,
        patient_id: str,
        zone: ZoneInfo,
        limit: int,
        before: TimelineCursor | None,
    ) -> None:
        self.session = session
        self.patient_id = patient_id
        self.zone = zone
        self.limit = limit
        self.before = before

    # -- the long lists: cut in SQL ----------------------------------------------------

    def _older(
        self, kind: K, when: InstrumentedAttribute[Any], item_id: InstrumentedAttribute[str]
    ) -> ColumnElement[bool]:
        """SQL for "sorts after the cursor" in (when, kind, id) order, newest first."""
        cursor = self.before
        if cursor is None:
            return true()
        if kind.value < cursor.kind:
            return when <= cursor.when
        if kind.value > cursor.kind:
            return when < cursor.when
        # The first term alone lets SQLite seek the (patient, time) index to the cursor.
        return and_(
            when <= cursor.when,
            or_(when < cursor.when, and_(when == cursor.when, item_id < cursor.item_id)),
        )

    def encounters(self) -> Iterable[TimelineEntry]:
        rows = self.session.execute(
            select(
                Encounter.id,
                Encounter.starts_at,
                Encounter.type,
                Encounter.reason,
                Encounter.status,
                User.display_name,
            )
            .outerjoin(User, User.id == Encounter.provider_id)
            .where(
                Encounter.patient_id == self.patient_id,
                Encounter.deleted_at.is_(None),
                self._older(K.ENCOUNTER, Encounter.starts_at, Encounter.id),
            )
            .order_by(Encounter.starts_at.desc(), Encounter.id.desc())
            .limit(self.limit)
        )
        for row in rows:
            yield TimelineEntry(
                K.ENCOUNTER,
                row.starts_at,
                False,
                ENCOUNTER_TYPE_LABELS[row.type],
                _joined(row.display_name, row.reason),
                row.status is EncounterStatus.ENTERED_IN_ERROR,
                row.id,
            )

    def signed_notes(self) -> Iterable[TimelineEntry]:
        rows = self.session.execute(
            select(
                ClinicalNote.id,
                ClinicalNote.signed_at,
                ClinicalNote.kind,
                ClinicalNote.title,
                ClinicalNote.status,
                ClinicalNote.error_at,
                User.display_name,
            )
            .outerjoin(User, User.id == ClinicalNote.signed_by_id)
            .where(
                ClinicalNote.patient_id == self.patient_id,
                ClinicalNote.signed_at.is_not(None),
                ClinicalNote.deleted_at.is_(None),
                self._older(K.NOTE_SIGNED, ClinicalNote.signed_at, ClinicalNote.id),
            )
            .order_by(ClinicalNote.signed_at.desc(), ClinicalNote.id.desc())
            .limit(self.limit)
        )
        for row in rows:
            signer = f"signed by {row.display_name}" if row.display_name else "signed"
            waiting = "awaiting co-signature" if row.status is NoteStatus.AWAITING_COSIGN else None
            yield TimelineEntry(
                K.NOTE_SIGNED,
                row.signed_at,
                False,
                row.title,
                _joined(f"{KIND_LABELS[row.kind]} {signer}", waiting),
                row.error_at is not None or row.status is NoteStatus.ENTERED_IN_ERROR,
                row.id,
            )

    def vitals_sets(self, units: str, age_years: float) -> Iterable[TimelineEntry]:
        sets = self.session.execute(
            select(VitalsSet.id, VitalsSet.taken_at, VitalsSet.error_at)
            .where(
                VitalsSet.patient_id == self.patient_id,
                VitalsSet.deleted_at.is_(None),
                self._older(K.VITALS, VitalsSet.taken_at, VitalsSet.id),
            )
            .order_by(VitalsSet.taken_at.desc(), VitalsSet.id.desc())
            .limit(self.limit)
        ).all()
        observations: dict[str, list[Any]] = {row.id: [] for row in sets}
        for set_id, *observation in self.session.execute(
            select(
                VitalObservation.vitals_set_id,
                VitalObservation.loinc_code,
                VitalObservation.value,
                VitalObservation.unit,
                VitalObservation.flag,
            ).where(
                VitalObservation.vitals_set_id.in_(list(observations)),
                VitalObservation.deleted_at.is_(None),
            )
        ):
            observations[set_id].append(observation)
        for row in sets:
            readings = vital_readings(observations[row.id], units, age_years)
            detail = " · ".join(f"{reading.short} {reading.text}" for reading in readings)
            yield TimelineEntry(
                K.VITALS, row.taken_at, False, "Vitals", detail, row.error_at is not None, row.id
            )

    # -- the short lists: read whole --------------------------------------------------

    def _start_of(self, day: date) -> datetime:
        return datetime.combine(day, time(), self.zone).astimezone(UTC)

    def _dated(self, day: date | None, recorded_at: datetime) -> tuple[datetime, bool]:
        """A fact's clinical date when known (start of that local day), else when recorded."""
        return (self._start_of(day), True) if day is not None else (recorded_at, False)

    def problems(self) -> Iterable[TimelineEntry]:
        rows = self.session.execute(
            select(
                Problem.id,
                Problem.icd10_code,
                Problem.description,
                Problem.onset_on,
                Problem.created_at,
                Problem.status,
                Problem.resolved_on,
                Problem.error_at,
            ).where(Problem.patient_id == self.patient_id, Problem.deleted_at.is_(None))
        )
        for row in rows:
            title = f"{row.description} ({row.icd10_code})"
            in_error = row.error_at is not None
            when, date_only = self._dated(row.onset_on, row.created_at)
            added = "Onset" if row.onset_on else "Added to the problem list"
            yield TimelineEntry(K.PROBLEM_ADDED, when, date_only, title, added, in_error, row.id)
            if row.status is not ProblemStatus.ACTIVE and row.resolved_on is not None:
                yield TimelineEntry(
                    K.PROBLEM_RESOLVED,
                    self._start_of(row.resolved_on),
                    True,
                    title,
                    "Resolved" if row.status is ProblemStatus.RESOLVED else "Inactive",
                    in_error,
                    row.id,
                )

    def allergies(self) -> Iterable[TimelineEntry]:
        rows = self.session.execute(
            select(
                Allergy.id,
                Allergy.no_known,
                Allergy.substance,
                Allergy.type,
                Allergy.reaction,
                Allergy.severity,
                Allergy.status,
                Allergy.onset_on,
                Allergy.created_at,
                Allergy.error_at,
            ).where(Allergy.patient_id == self.patient_id, Allergy.deleted_at.is_(None))
        )
        for row in rows:
            when, date_only = self._dated(row.onset_on, row.created_at)
            if row.no_known:
                title, detail = "No known allergies", "Stated"
            else:
                noun = "Intolerance" if row.type is AllergyType.INTOLERANCE else "Allergy"
                title = f"{noun}: {row.substance}"
                status = None if row.status is AllergyStatus.ACTIVE else row.status.value
                severity = row.severity.value if row.severity else None
                detail = _joined(row.reaction, severity, status)
            yield TimelineEntry(
                K.ALLERGY, when, date_only, title, detail, row.error_at is not None, row.id
            )

    def medications(self) -> Iterable[TimelineEntry]:
        rows = self.session.execute(
            select(
                Medication.id,
                Medication.name,
                Medication.sig,
                Medication.started_on,
                Medication.created_at,
                Medication.status,
                Medication.stopped_on,
                Medication.stop_reason,
                Medication.updated_at,
                Medication.error_at,
            ).where(Medication.patient_id == self.patient_id, Medication.deleted_at.is_(None))
        )
        for row in rows:
            in_error = row.error_at is not None
            when, date_only = self._dated(row.started_on, row.created_at)
            yield TimelineEntry(
                K.MEDICATION_STARTED, when, date_only, row.name, row.sig or "", in_error, row.id
            )
            if row.status is MedicationStatus.STOPPED:
                when, date_only = self._dated(row.stopped_on, row.updated_at)
                detail = _joined("Stopped", row.stop_reason)
                yield TimelineEntry(
                    K.MEDICATION_STOPPED, when, date_only, row.name, detail, in_error, row.id
                )

    def immunizations(self) -> Iterable[TimelineEntry]:
        rows = self.session.execute(
            select(
                Immunization.id,
                Immunization.vaccine,
                Immunization.given_on,
                Immunization.given_here,
                Immunization.source,
                Immunization.lot_number,
                Immunization.site,
                Immunization.error_at,
            ).where(Immunization.patient_id == self.patient_id, Immunization.deleted_at.is_(None))
        )
        for row in rows:
            where = "Given here" if row.given_here else _joined("Reported", row.source)
            lot = f"lot {row.lot_number}" if row.lot_number else None
            yield TimelineEntry(
                K.IMMUNIZATION,
                self._start_of(row.given_on),
                True,
                row.vaccine,
                _joined(where, lot, row.site),
                row.error_at is not None,
                row.id,
            )

    def documents(self) -> Iterable[TimelineEntry]:
        rows = self.session.execute(
            select(
                ClinicalDocument.id,
                ClinicalDocument.title,
                ClinicalDocument.category,
                ClinicalDocument.document_on,
                ClinicalDocument.reviewed_at,
                ClinicalDocument.error_at,
            ).where(
                ClinicalDocument.patient_id == self.patient_id,
                ClinicalDocument.deleted_at.is_(None),
            )
        )
        for row in rows:
            review = "Signed off" if row.reviewed_at else "Awaiting review"
            yield TimelineEntry(
                K.DOCUMENT,
                self._start_of(row.document_on),
                True,
                row.title,
                _joined(CATEGORY_LABELS[row.category], None if row.error_at else review),
                row.error_at is not None,
                row.id,
            )
