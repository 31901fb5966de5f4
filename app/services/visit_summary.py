"""The after-visit summary: gathers one visit's facts for the patient's printed copy (the
PDF itself is app.interop.visit_summary_pdf).

It prints only what a provider has signed: the plan and instructions come from the visit's
signed doctor's note, so a draft cannot reach a patient.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.interop.visit_summary_pdf import MedicationItem, VisitSummary, visit_summary_pdf
from app.models import (
    Allergy,
    AllergyStatus,
    AllergyType,
    ClinicalNote,
    Encounter,
    EncounterStatus,
    Location,
    Medication,
    MedicationStatus,
    NoteKind,
    NoteStatus,
    Patient,
    Practice,
    Problem,
    User,
    VitalObservation,
    VitalsSet,
)
from app.services.audit_chain import AuditEntry
from app.services.chart import age_in_years
from app.services.chart_common import chart_patient
from app.services.chart_data import vital_readings
from app.services.context import AppContext, requires
from app.services.errors import DomainError, NotFound
from app.services.note_data import ENCOUNTER_TYPE_LABELS
from app.services.permissions import Permission
from app.services.schedule_queries import practice_zone
from app.services.schedule_rules import to_wall
from app.services.settings import VITALS_UNITS, read_setting

UNSIGNED_NOTE = "Sign the note before printing the visit summary."
NO_NOTE = "Write and sign the visit's doctor's note before printing the visit summary."
NO_ALLERGIES = "No known allergies."
ALLERGIES_NOT_RECORDED = "No allergies are recorded. Tell us about any allergies you have."


class VisitSummaryService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    @requires(Permission.VIEW_CHART)
    def pdf(self, encounter_id: str) -> bytes:
        """The patient's after-visit summary for `encounter_id` as a Letter PDF (printing is
        recorded in the audit log)."""
        with self.ctx.unit_of_work() as uow:
            session = uow.session
            encounter = session.get(Encounter, encounter_id)
            if encounter is None or encounter.deleted_at is not None:
                raise NotFound("That visit is no longer in the chart.")
            patient = chart_patient(session, encounter.patient_id)
            if encounter.status is EncounterStatus.ENTERED_IN_ERROR:
                raise DomainError("This visit was entered in error; it has no summary to print.")
            sections = _signed_note_sections(session, encounter_id)
            summary = _gather(session, encounter, patient, sections, self.ctx.clock.now())
            uow.audit(
                AuditEntry(
                    "print",
                    "encounter",
                    patient_id=patient.id,
                    entity_id=encounter_id,
                    detail="after-visit summary",
                )
            )
        return visit_summary_pdf(summary)


def _signed_note_sections(session: Session, encounter_id: str) -> dict[str, str]:
    """The visit's signed doctor's note, by section role ("plan", "instructions", ...)."""
    notes = session.execute(
        select(ClinicalNote.status, ClinicalNote.sections)
        .where(
            ClinicalNote.encounter_id == encounter_id,
            ClinicalNote.kind == NoteKind.DOCTOR,
            ClinicalNote.status != NoteStatus.ENTERED_IN_ERROR,
            ClinicalNote.error_at.is_(None),
            ClinicalNote.deleted_at.is_(None),
        )
        .order_by(ClinicalNote.written_at.desc())
    ).all()
    signed = [sections for status, sections in notes if status is NoteStatus.SIGNED]
    if not signed:
        raise DomainError(UNSIGNED_NOTE if notes else NO_NOTE)
    found: dict[str, str] = {}
    for section in signed[0]:
        role = _role(str(section.get("key", "")), str(section.get("label", "")))
        text = _section_text(section)
        if role and text and role not in found:
            found[role] = text
    return found


def _role(key: str, label: str) -> str | None:
    """What a template's section is for the patient, by its key or label. A combined
    "Assessment and plan" counts as the plan (that is what the patient needs)."""
    name = f"{key} {label}".casefold().replace("_", " ").replace("-", " ")
    if "follow" in name:
        return "follow_up"
    if "instruction" in name:
        return "instructions"
    if "plan" in name:
        return "plan"
    if "assessment" in name or "diagnos" in name or "impression" in name:
        return "assessment"
    return None


def _section_text(section: dict[str, Any]) -> str:
    picked = section.get("selected") or ()
    lines = [", ".join(str(option) for option in picked)] if picked else []
    text = str(section.get("text") or "").strip()
    if text:
        lines.append(text)
    return "\n".join(lines)


def _gather(
    session: Session,
    encounter: Encounter,
    patient: Patient,
    sections: dict[str, str],
    now: datetime,
) -> VisitSummary:
    zone = practice_zone(session)
    practice_name, address, phone = _practice(session, encounter.location_id)
    provider = session.get(User, encounter.provider_id)
    provider_name = "" if provider is None else provider.display_name
    if provider and provider.credentials:
        provider_name = f"{provider_name}, {provider.credentials}"
    visit_date = to_wall(encounter.starts_at, zone).date()
    allergies, statement = _allergies(session, patient.id)
    name = " ".join(p for p in (patient.first_name, patient.last_name, patient.suffix) if p)
    return VisitSummary(
        practice_name=practice_name,
        practice_address=address,
        practice_phone=phone,
        patient_name=name,
        date_of_birth=patient.date_of_birth,
        visit_date=visit_date,
        visit_type=ENCOUNTER_TYPE_LABELS[encounter.type],
        provider_name=provider_name,
        reason=encounter.reason,
        vitals=_visit_vitals(
            session, encounter.id, age_in_years(patient.date_of_birth, visit_date)
        ),
        diagnoses=_diagnoses(session, encounter.id),
        assessment=sections.get("assessment"),
        plan=sections.get("plan"),
        instructions=sections.get("instructions"),
        follow_up=sections.get("follow_up"),
        medications=_medications(session, patient.id),
        allergies=allergies,
        allergy_statement=statement,
        printed_at=to_wall(now, zone),
    )


def _practice(session: Session, location_id: str | None) -> tuple[str, tuple[str, ...], str | None]:
    practice = session.execute(select(Practice.name, Practice.phone).limit(1)).one()
    query = select(Location).where(Location.deleted_at.is_(None))
    location = session.get(Location, location_id) if location_id else None
    location = location or session.scalar(query.order_by(Location.created_at).limit(1))
    if location is None:
        return practice.name, (), practice.phone
    town = " ".join(p for p in (location.state, location.postal_code) if p)
    city = ", ".join(p for p in (location.city, town) if p)
    lines = tuple(p for p in (location.address_line1, location.address_line2, city) if p)
    return practice.name, lines, location.phone or practice.phone


def _visit_vitals(session: Session, encounter_id: str, age: float) -> list[tuple[str, str]]:
    """Every measurement taken at the visit; a value taken twice shows its latest reading."""
    rows = session.execute(
        select(
            VitalObservation.loinc_code,
            VitalObservation.value,
            VitalObservation.unit,
            VitalObservation.flag,
        )
        .join(VitalsSet, VitalsSet.id == VitalObservation.vitals_set_id)
        .where(
            VitalsSet.encounter_id == encounter_id,
            VitalsSet.error_at.is_(None),
            VitalsSet.deleted_at.is_(None),
            VitalObservation.deleted_at.is_(None),
        )
        .order_by(VitalsSet.taken_at)
    )
    latest = {row[0]: row for row in rows}
    units = str(read_setting(session, VITALS_UNITS))
    return [(r.label, r.text) for r in vital_readings(latest.values(), units, age)]


def _diagnoses(session: Session, encounter_id: str) -> list[str]:
    rows = session.execute(
        select(Problem.description, Problem.icd10_code)
        .where(
            Problem.encounter_id == encounter_id,
            Problem.error_at.is_(None),
            Problem.deleted_at.is_(None),
        )
        .order_by(Problem.created_at)
    )
    return [f"{description} ({code})" for description, code in rows]


def _medications(session: Session, patient_id: str) -> list[MedicationItem]:
    rows = session.execute(
        select(Medication.name, Medication.sig)
        .where(
            Medication.patient_id == patient_id,
            Medication.status == MedicationStatus.ACTIVE,
            Medication.error_at.is_(None),
            Medication.deleted_at.is_(None),
        )
        .order_by(Medication.name)
    )
    return [MedicationItem(name, sig) for name, sig in rows]


def _allergies(session: Session, patient_id: str) -> tuple[Sequence[str], str | None]:
    rows = session.execute(
        select(
            Allergy.no_known, Allergy.substance, Allergy.type, Allergy.reaction, Allergy.severity
        )
        .where(
            Allergy.patient_id == patient_id,
            Allergy.status == AllergyStatus.ACTIVE,
            Allergy.error_at.is_(None),
            Allergy.deleted_at.is_(None),
        )
        .order_by(Allergy.substance)
    ).all()
    listed = []
    for row in rows:
        if row.no_known:
            continue
        noun = "intolerance" if row.type is AllergyType.INTOLERANCE else None
        about = ", ".join(p for p in (row.reaction, noun) if p)
        severity = f" ({row.severity.value})" if row.severity else ""
        listed.append(f"{row.substance}: {about}{severity}" if about else row.substance + severity)
    if listed:
        return listed, None
    return [], NO_ALLERGIES if rows else ALLERGIES_NOT_RECORDED
