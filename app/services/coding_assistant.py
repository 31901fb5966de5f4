"""The coding assistant: reads a signed visit into `VisitFacts` and suggests its office-visit
(E/M) code with the reasons (the rules are in app.services.coding_rules).

What counts, read from the chart of the visit:
- the signed notes of the encounter (and their addenda): the time they state, the problems
  named in the assessment (a pasted "Active problems:" list counts only when the
  assessment says nothing else), tests named, whether a parent or caregiver gave the
  history, drugs in the plan;
- problems diagnosed in the visit (Problem.encounter_id), medications started or stopped
  that day, documents filed with the visit or reviewed by its provider that day;
- new or established: an office or telehealth visit with the practice in the 3 years before.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
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
from app.services import coding_rules as rules
from app.services.audit_chain import AuditEntry
from app.services.coding_rules import EmSuggestion, VisitFacts, suggest_em
from app.services.context import AppContext, requires
from app.services.encounters import load_encounter
from app.services.note_data import NoteSection
from app.services.note_records import practice_zone, section_from_stored
from app.services.permissions import Permission

# Encounters that make a patient established (a professional's visit, in person or video).
ESTABLISHING_TYPES = (EncounterType.OFFICE_VISIT, EncounterType.TELEHEALTH)
# Note sections filled from the chart by snippets: copies, not what was done in the visit.
CHART_COPY_SECTIONS = frozenset({"meds_allergies", "meds", "allergies", "vitals"})
# Lists a snippet pastes into a section: the heading, then "- " lines.
_PASTED_HEADINGS = ("Active problems:", "Active medications:", "Allergies:")
# Words of a problem's title that say nothing about which problem it is (or that a
# clinician leaves out: "Mild intermittent asthma" is "asthma" in an assessment).
_GENERIC_WORDS = frozenset(
    {
        *("unspecified", "without", "with", "complications", "mellitus", "primary"),
        *("essential", "disorder", "other", "of", "the", "and", "or", "in", "type"),
        *("mild", "moderate", "severe", "intermittent", "persistent", "acute", "chronic"),
        "recurrent",
    }
)


def service_date(session: Session, encounter: Encounter) -> date:
    """The date of service: the day the visit started, in the practice's time zone."""
    return encounter.starts_at.astimezone(ZoneInfo(practice_zone(session))).date()


class CodingAssistant:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    @requires(Permission.POST_CHARGES)
    def suggest(self, encounter_id: str) -> EmSuggestion:
        """The office-visit code the visit's signed notes support, and why."""
        with self.ctx.unit_of_work() as uow:
            encounter = load_encounter(uow.session, encounter_id)
            facts = visit_facts(uow.session, encounter)
            uow.audit(
                AuditEntry(
                    "read",
                    "note",
                    patient_id=encounter.patient_id,
                    entity_id=encounter.id,
                    detail="coding assistant",
                )
            )
            return suggest_em(facts)


def visit_facts(session: Session, encounter: Encounter) -> VisitFacts:
    """What the visit's chart says, as the coding rules need it (no audit: the caller's)."""
    on = service_date(session, encounter)
    patient = session.get(Patient, encounter.patient_id)
    assert patient is not None  # an encounter's patient is never hard-deleted
    notes = _signed_notes(session, encounter)
    sections = [section_from_stored(s) for n in notes for s in n.sections or ()]
    addenda = _addenda(session, [n.id for n in notes])
    clinical = [s for s in sections if s.key not in CHART_COPY_SECTIONS]
    own_words = [without_pasted_lists(_section_text(s)) for s in clinical] + addenda
    whole = "\n".join(own_words)
    assessment = "\n".join(
        _section_text(s) for s in clinical if _is_part(s.key, s.label, "assessment", "note")
    )
    plan = "\n".join(
        [_section_text(s) for s in clinical if _is_part(s.key, s.label, "plan", "note")] + addenda
    )
    chronic, new = _problems_addressed(session, encounter, assessment)
    drugs = _prescription_drugs(session, patient.id, on, plan)
    immunizations = session.scalars(
        select(Immunization.id).where(
            Immunization.encounter_id == encounter.id,
            Immunization.given_here.is_(True),
            Immunization.error_at.is_(None),
            Immunization.deleted_at.is_(None),
        )
    ).all()
    return VisitFacts(
        encounter_type=encounter.type,
        new_patient=is_new_patient(session, encounter, on),
        age_years=_age(patient.date_of_birth, on),
        preventive=_is_preventive(session, encounter, notes),
        documented_minutes=rules.documented_minutes([*map(_section_text, sections), *addenda]),
        chronic_problems=chronic,
        new_problems=new,
        worsening=bool(chronic and rules.mentions(assessment, rules.WORSENING_WORDS)),
        severe=bool(rules.mentions(assessment, rules.SEVERE_WORDS)),
        tests=tuple(rules.tests_named(whole)),
        documents_reviewed=_documents_reviewed(session, encounter, on),
        independent_historian=bool(rules.mentions(whole, rules.HISTORIAN_WORDS)),
        prescription_drugs=drugs,
        over_the_counter=bool(rules.mentions(plan, rules.OTC_WORDS)),
        hospital_decision=bool(rules.mentions(f"{assessment}\n{plan}", rules.HOSPITAL_WORDS)),
        immunizations=len(immunizations),
    )


def is_new_patient(session: Session, encounter: Encounter, on: date) -> bool:
    """No office or telehealth visit with the practice in the 3 years before this one."""
    zone = ZoneInfo(practice_zone(session))
    try:
        cutoff_day = on.replace(year=on.year - rules.ESTABLISHED_WITHIN_YEARS)
    except ValueError:  # 29 February
        cutoff_day = on.replace(year=on.year - rules.ESTABLISHED_WITHIN_YEARS, day=28)
    cutoff = datetime.combine(cutoff_day, time(), zone)
    earlier = session.scalar(
        select(Encounter.id)
        .where(
            Encounter.patient_id == encounter.patient_id,
            Encounter.id != encounter.id,
            Encounter.type.in_(ESTABLISHING_TYPES),
            Encounter.status != EncounterStatus.ENTERED_IN_ERROR,
            Encounter.deleted_at.is_(None),
            Encounter.starts_at < encounter.starts_at,
            Encounter.starts_at >= cutoff,
        )
        .limit(1)
    )
    return earlier is None


def without_pasted_lists(text: str) -> str:
    """The text without the lists a snippet pasted ("Active problems:" and its "- " lines)."""
    kept: list[str] = []
    in_list = False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped in _PASTED_HEADINGS:
            in_list = True
            continue
        if in_list and stripped.startswith("- "):
            continue
        in_list = False
        kept.append(line)
    return "\n".join(kept)


def problem_named(description: str, text: str) -> bool:
    """Whether `text` names the problem in its own words: every telling word of the title
    ("Hypothyroidism, unspecified" → "hypothyroidism") is in the text."""
    title = re.sub(r"\(.*?\)", " ", description.split(",")[0]).casefold()
    words = [w for w in re.findall(r"[\w-]+", title) if w not in _GENERIC_WORDS]
    found = set(re.findall(r"[\w-]+", text.casefold()))
    return bool(words) and all(w in found for w in words)


def _problems_addressed(
    session: Session, encounter: Encounter, assessment: str
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(chronic, new) problems the visit addressed, by description (or code)."""
    said = without_pasted_lists(assessment)
    if not said.strip():
        said = assessment  # the pasted list is the assessment
    rows = session.scalars(
        select(Problem)
        .where(
            Problem.patient_id == encounter.patient_id,
            Problem.error_at.is_(None),
            Problem.deleted_at.is_(None),
            or_(Problem.encounter_id == encounter.id, Problem.status == ProblemStatus.ACTIVE),
        )
        .order_by(Problem.created_at)
    ).all()
    codes = set(rules.ICD10_IN_TEXT.findall(said))
    new = [p for p in rows if p.encounter_id == encounter.id]
    chronic = [
        p
        for p in rows
        if p not in new and (p.icd10_code in codes or problem_named(p.description, said))
    ]
    known = {p.icd10_code for p in rows}
    new_names = [p.description for p in new] + sorted(codes - known)
    return tuple(p.description for p in chronic), tuple(new_names)


def _prescription_drugs(session: Session, patient_id: str, on: date, plan: str) -> tuple[str, ...]:
    """Prescription drugs started or stopped on the day, or active ones the plan names
    (drugs sold over the counter, such as ibuprofen, are not prescription management)."""
    rows = session.scalars(
        select(Medication).where(
            Medication.patient_id == patient_id,
            Medication.error_at.is_(None),
            Medication.deleted_at.is_(None),
        )
    ).all()
    names: list[str] = []
    for med in rows:
        changed = on in (med.started_on, med.stopped_on)
        first_word = med.name.split()[0] if med.name.split() else ""
        named = (
            med.status is MedicationStatus.ACTIVE
            and len(first_word) >= 4
            and bool(rules.mentions(plan, [first_word.casefold()]))
        )
        if (changed or named) and first_word.casefold() not in rules.OTC_WORDS:
            names.append(first_word or med.name)
    if not names and rules.mentions(plan, rules.PRESCRIPTION_WORDS):
        names.append("a prescription")
    return tuple(dict.fromkeys(names))


def _documents_reviewed(session: Session, encounter: Encounter, on: date) -> int:
    zone = ZoneInfo(practice_zone(session))
    day_start = datetime.combine(on, time(), zone)
    day_end = datetime.combine(on, time.max, zone)
    return len(
        session.scalars(
            select(ClinicalDocument.id).where(
                ClinicalDocument.patient_id == encounter.patient_id,
                ClinicalDocument.error_at.is_(None),
                ClinicalDocument.deleted_at.is_(None),
                or_(
                    ClinicalDocument.encounter_id == encounter.id,
                    (ClinicalDocument.reviewer_id == encounter.provider_id)
                    & (ClinicalDocument.reviewed_at >= day_start)
                    & (ClinicalDocument.reviewed_at <= day_end),
                ),
            )
        ).all()
    )


def _signed_notes(session: Session, encounter: Encounter) -> list[ClinicalNote]:
    return list(
        session.scalars(
            select(ClinicalNote)
            .where(
                ClinicalNote.encounter_id == encounter.id,
                ClinicalNote.status.in_((NoteStatus.SIGNED, NoteStatus.AWAITING_COSIGN)),
                ClinicalNote.error_at.is_(None),
                ClinicalNote.deleted_at.is_(None),
            )
            .order_by(ClinicalNote.signed_at, ClinicalNote.id)
        )
    )


def _addenda(session: Session, note_ids: list[str]) -> list[str]:
    if not note_ids:
        return []
    return list(
        session.scalars(
            select(NoteAddendum.text)
            .where(NoteAddendum.note_id.in_(note_ids), NoteAddendum.deleted_at.is_(None))
            .order_by(NoteAddendum.signed_at)
        )
    )


def _is_preventive(session: Session, encounter: Encounter, notes: list[ClinicalNote]) -> bool:
    names = [n.title for n in notes]
    template_ids = [n.template_id for n in notes if n.template_id]
    if template_ids:
        names += session.scalars(
            select(NoteTemplate.name).where(NoteTemplate.id.in_(template_ids))
        ).all()
    if encounter.appointment_id:
        type_name = session.scalar(
            select(AppointmentType.name)
            .join(Appointment, Appointment.type_id == AppointmentType.id)
            .where(Appointment.id == encounter.appointment_id)
        )
        names.append(type_name or "")
    return any(rules.mentions(name, rules.PREVENTIVE_WORDS) for name in names)


def _section_text(section: NoteSection) -> str:
    """What a section says: its text and the options picked in it."""
    return "\n".join([section.text, *section.selected]) if section.selected else section.text


def _is_part(key: str, label: str, *names: str) -> bool:
    return key in names or any(label.casefold().startswith(n) for n in names)


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
