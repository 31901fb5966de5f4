"""A patient's chart at a glance: the summary page and the timeline of everything dated.

Opening a chart must feel instant even for a patient with hundreds of visits and thousands
of vitals sets: every read here selects plain columns through the patient indexes, with a
LIMIT where a list can grow, and never loads document bytes or ORM objects for long lists.
The tables are read directly (the section services are for changing them).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import (
    Allergy,
    AllergyStatus,
    ClinicalDocument,
    ClinicalNote,
    Encounter,
    EncounterStatus,
    Immunization,
    Medication,
    MedicationStatus,
    NoteKind,
    NoteStatus,
    Problem,
    ProblemStatus,
    User,
    VitalObservation,
    VitalsSet,
)
from app.services.audit_chain import AuditEntry
from app.services.chart_common import chart_patient
from app.services.chart_data import (
    AllergyLine,
    AllergyState,
    AllergySummary,
    ChartSummary,
    DueItem,
    DueKind,
    LastVitals,
    MedicationLine,
    ProblemLine,
    RecentVisit,
    TimelineCursor,
    TimelineEntry,
    vital_readings,
)
from app.services.chart_timeline import timeline_entries
from app.services.context import AppContext, requires
from app.services.note_data import ENCOUNTER_TYPE_LABELS
from app.services.permissions import Permission
from app.services.schedule_queries import practice_zone
from app.services.schedule_rules import to_wall
from app.services.settings import VITALS_UNITS, read_setting

RECENT_VISITS = 5
MAX_TIMELINE_PAGE = 1000
VITALS_DUE_AFTER_DAYS = 365
# CDC/ACIP: routine annual influenza vaccination for everyone aged 6 months and older
# (https://www.cdc.gov/flu/prevent/vaccinations.htm). A season's vaccine ships in August,
# so a dose given since August 1 counts for the current season.
INFLUENZA_FROM_MONTHS = 6
INFLUENZA_SEASON_STARTS = (8, 1)  # month, day


class ChartService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    @requires(Permission.VIEW_CHART)
    def summary(self, patient_id: str) -> ChartSummary:
        """What a clinician reads first on opening the chart (the opening is audited)."""
        with self.ctx.unit_of_work() as uow:
            session = uow.session
            patient = chart_patient(session, patient_id)
            zone = practice_zone(session)
            today = to_wall(self.ctx.clock.now(), zone).date()
            age = age_in_years(patient.date_of_birth, today)
            last_vitals = _last_vitals(session, patient_id, _units(session), age)
            summary = ChartSummary(
                patient_id=patient_id,
                today=today,
                problems=_active_problems(session, patient_id),
                allergies=_allergies(session, patient_id),
                medications=_active_medications(session, patient_id),
                last_vitals=last_vitals,
                recent_visits=_recent_visits(session, patient_id),
                documents_awaiting_review=_documents_awaiting_review(session, patient_id),
                due=_due_items(
                    session, patient_id, patient.date_of_birth, today, zone, last_vitals
                ),
            )
            uow.audit(AuditEntry("read", "chart", patient_id=patient_id, detail="summary"))
            return summary

    @requires(Permission.VIEW_CHART)
    def timeline(
        self, patient_id: str, limit: int = 200, before: TimelineCursor | None = None
    ) -> list[TimelineEntry]:
        """Everything dated in the chart, newest first, `limit` at a time. For the next page
        pass the last entry's `cursor` as `before`."""
        limit = max(1, min(limit, MAX_TIMELINE_PAGE))
        with self.ctx.unit_of_work() as uow:
            session = uow.session
            patient = chart_patient(session, patient_id)
            zone = practice_zone(session)
            age = age_in_years(patient.date_of_birth, to_wall(self.ctx.clock.now(), zone).date())
            entries = timeline_entries(
                session, patient_id, zone, _units(session), age, limit, before
            )
            uow.audit(AuditEntry("read", "chart", patient_id=patient_id, detail="timeline"))
            return entries


def age_in_years(born: date, on: date) -> float:
    return (on - born).days / 365.25


def _units(session: Session) -> str:
    return str(read_setting(session, VITALS_UNITS))


def _active_problems(session: Session, patient_id: str) -> tuple[ProblemLine, ...]:
    rows = session.execute(
        select(Problem.id, Problem.icd10_code, Problem.description, Problem.onset_on)
        .where(
            Problem.patient_id == patient_id,
            Problem.status == ProblemStatus.ACTIVE,
            Problem.error_at.is_(None),
            Problem.deleted_at.is_(None),
        )
        .order_by(Problem.description, Problem.id)
    )
    return tuple(ProblemLine(*row) for row in rows)


def _allergies(session: Session, patient_id: str) -> AllergySummary:
    rows = session.execute(
        select(
            Allergy.id,
            Allergy.no_known,
            Allergy.substance,
            Allergy.type,
            Allergy.reaction,
            Allergy.severity,
            Allergy.criticality,
            Allergy.created_at,
        ).where(
            Allergy.patient_id == patient_id,
            Allergy.status == AllergyStatus.ACTIVE,
            Allergy.error_at.is_(None),
            Allergy.deleted_at.is_(None),
        )
    ).all()
    listed = [
        AllergyLine(row.id, row.substance, row.type, row.reaction, row.severity, row.criticality)
        for row in rows
        if not row.no_known
    ]
    if listed:
        listed.sort(key=lambda line: (not line.severe, line.substance.casefold()))
        return AllergySummary(AllergyState.LISTED, tuple(listed))
    statements = [row.created_at for row in rows if row.no_known]
    if statements:
        return AllergySummary(AllergyState.NO_KNOWN, (), max(statements))
    return AllergySummary(AllergyState.NOT_RECORDED, ())


def _active_medications(session: Session, patient_id: str) -> tuple[MedicationLine, ...]:
    rows = session.execute(
        select(Medication.id, Medication.name, Medication.sig, Medication.started_on)
        .where(
            Medication.patient_id == patient_id,
            Medication.status == MedicationStatus.ACTIVE,
            Medication.error_at.is_(None),
            Medication.deleted_at.is_(None),
        )
        .order_by(Medication.name, Medication.id)
    )
    return tuple(MedicationLine(*row) for row in rows)


def _last_vitals(session: Session, patient_id: str, units: str, age: float) -> LastVitals | None:
    latest = session.execute(
        select(VitalsSet.id, VitalsSet.taken_at)
        .where(
            VitalsSet.patient_id == patient_id,
            VitalsSet.error_at.is_(None),
            VitalsSet.deleted_at.is_(None),
        )
        .order_by(VitalsSet.taken_at.desc())
        .limit(1)
    ).first()
    if latest is None:
        return None
    observations = session.execute(
        select(
            VitalObservation.loinc_code,
            VitalObservation.value,
            VitalObservation.unit,
            VitalObservation.flag,
        ).where(VitalObservation.vitals_set_id == latest.id, VitalObservation.deleted_at.is_(None))
    )
    return LastVitals(latest.id, latest.taken_at, vital_readings(observations, units, age))


def _recent_visits(session: Session, patient_id: str) -> tuple[RecentVisit, ...]:
    visits = session.execute(
        select(
            Encounter.id,
            Encounter.starts_at,
            Encounter.type,
            User.display_name,
            Encounter.reason,
            Encounter.status,
        )
        .outerjoin(User, User.id == Encounter.provider_id)
        .where(
            Encounter.patient_id == patient_id,
            Encounter.status != EncounterStatus.ENTERED_IN_ERROR,
            Encounter.deleted_at.is_(None),
        )
        .order_by(Encounter.starts_at.desc())
        .limit(RECENT_VISITS)
    ).all()
    statuses = _note_statuses(session, [visit.id for visit in visits])
    return tuple(
        RecentVisit(
            encounter_id=visit.id,
            starts_at=visit.starts_at,
            type=visit.type,
            type_label=ENCOUNTER_TYPE_LABELS[visit.type],
            provider_name=visit.display_name or "Unknown provider",
            reason=visit.reason,
            status=visit.status,
            note_status=statuses.get(visit.id),
        )
        for visit in visits
    )


def _note_statuses(session: Session, encounter_ids: list[str]) -> dict[str, NoteStatus]:
    """Each visit's doctor's note status (or its latest note's, when it has no doctor's note)."""
    rows = session.execute(
        select(ClinicalNote.encounter_id, ClinicalNote.kind, ClinicalNote.status)
        .where(
            ClinicalNote.encounter_id.in_(encounter_ids),
            ClinicalNote.status != NoteStatus.ENTERED_IN_ERROR,
            ClinicalNote.error_at.is_(None),
            ClinicalNote.deleted_at.is_(None),
        )
        .order_by(ClinicalNote.written_at)
    )
    found: dict[str, tuple[bool, NoteStatus]] = {}
    for encounter_id, kind, status in rows:
        if encounter_id is None:
            continue
        is_doctor = kind is NoteKind.DOCTOR
        if encounter_id not in found or is_doctor or not found[encounter_id][0]:
            found[encounter_id] = (is_doctor, status)
    return {encounter_id: status for encounter_id, (_, status) in found.items()}


def _documents_awaiting_review(session: Session, patient_id: str) -> int:
    count = session.scalar(
        select(func.count())
        .select_from(ClinicalDocument)
        .where(
            ClinicalDocument.patient_id == patient_id,
            ClinicalDocument.reviewed_at.is_(None),
            ClinicalDocument.error_at.is_(None),
            ClinicalDocument.deleted_at.is_(None),
        )
    )
    return int(count or 0)


def _due_items(
    session: Session,
    patient_id: str,
    born: date,
    today: date,
    zone: str,
    last_vitals: LastVitals | None,
) -> tuple[DueItem, ...]:
    """Three plain reminders, nothing inferred: vitals not taken in a year, no influenza
    vaccine this season (from 6 months of age), notes still unsigned."""
    due: list[DueItem] = []
    if last_vitals is None:
        due.append(DueItem(DueKind.VITALS, "Vitals", "None recorded yet"))
    else:
        taken_on = to_wall(last_vitals.taken_at, zone).date()
        if (today - taken_on).days > VITALS_DUE_AFTER_DAYS:
            due.append(DueItem(DueKind.VITALS, "Vitals", f"Last taken {_day(taken_on)}"))
    season = _influenza_season_start(today)
    if _months_old(born, today) >= INFLUENZA_FROM_MONTHS and not _influenza_since(
        session, patient_id, season
    ):
        due.append(
            DueItem(DueKind.INFLUENZA, "Influenza vaccine", f"None recorded since {_day(season)}")
        )
    unsigned = _unsigned_note_counts(session, patient_id)
    if unsigned:
        parts = []
        if drafts := unsigned.get(NoteStatus.DRAFT, 0):
            parts.append(f"{drafts} draft{'' if drafts == 1 else 's'}")
        if waiting := unsigned.get(NoteStatus.AWAITING_COSIGN, 0):
            parts.append(f"{waiting} awaiting co-signature")
        due.append(DueItem(DueKind.UNSIGNED_NOTES, "Unsigned notes", " · ".join(parts)))
    return tuple(due)


def _influenza_season_start(today: date) -> date:
    month, day = INFLUENZA_SEASON_STARTS
    start = date(today.year, month, day)
    return start if today >= start else date(today.year - 1, month, day)


def _months_old(born: date, today: date) -> int:
    return (today.year - born.year) * 12 + today.month - born.month - (today.day < born.day)


def _influenza_since(session: Session, patient_id: str, since: date) -> bool:
    # Every CVX influenza vaccine's name says "influenza" (CDC CVX table); the chart keeps the
    # name chosen from it, so the name is the dependable test.
    found = session.scalar(
        select(Immunization.id)
        .where(
            Immunization.patient_id == patient_id,
            Immunization.given_on >= since,
            Immunization.vaccine.ilike("%influenza%"),
            Immunization.error_at.is_(None),
            Immunization.deleted_at.is_(None),
        )
        .limit(1)
    )
    return found is not None


def _unsigned_note_counts(session: Session, patient_id: str) -> dict[NoteStatus, int]:
    rows = session.execute(
        select(ClinicalNote.status, func.count())
        .where(
            ClinicalNote.patient_id == patient_id,
            ClinicalNote.status.in_((NoteStatus.DRAFT, NoteStatus.AWAITING_COSIGN)),
            ClinicalNote.error_at.is_(None),
            ClinicalNote.deleted_at.is_(None),
        )
        .group_by(ClinicalNote.status)
    )
    return {status: int(count) for status, count in rows}


def _day(day: date) -> str:
    return f"{day:%b} {day.day}, {day:%Y}"
