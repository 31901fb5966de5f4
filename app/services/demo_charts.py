"""Demo charts: every demo patient gets a clinically plausible chart (problems, allergies,
medicines, history, immunizations), and every visit they had in the demo year (each
checked-out appointment) an encounter, a vitals set and a note. A few notes are left as
drafts or awaiting co-signature, a few have addenda, one is entered in error, and a few
charts have documents. The same seed and clock give the same charts.

Like the demo appointments, the rows are made in memory (demo_chart_patient.py) and written
through the ORM in a few large units of work (so the outbox hook records every row), not
one service call per fact, which would take many minutes for a practice.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app.models import (
    Appointment,
    AppointmentStatus,
    AppointmentStatusChange,
    AppointmentType,
    ClinicalDocument,
    ClinicalNote,
    Encounter,
    EncounterType,
    NoteKind,
    NoteTemplate,
    Patient,
    PatientStatus,
    Role,
    SexAtBirth,
    User,
    VitalsSet,
)
from app.models.base import SyncMixin
from app.services.audit_chain import AuditEntry
from app.services.bus import ChartChanged
from app.services.chart_lists_data import default_icd10_catalog
from app.services.context import AppContext
from app.services.demo_chart_patient import build_chart
from app.services.demo_chart_types import (
    ChartPatient,
    ChartSetting,
    DemoVisit,
    NotePlan,
    TemplateForm,
)
from app.services.immunizations import default_cvx_catalog
from app.services.note_records import person_name, practice_zone
from app.services.settings import VITALS_UNITS, read_setting

BATCH_ROWS = 40_000  # chart rows per unit of work
DRAFTS_PER_PHYSICIAN = 2  # their latest visits' notes are still drafts
AWAITING_COSIGN = 4  # recent nursing notes sent to a physician
COSIGNED_SHARE = 0.02
ADDENDA = 3
REPLACED = 1  # doctor's notes entered in error and written again
DOCUMENT_CHARTS_EVERY = 60  # one chart in this many (with visits) has documents
DEFAULT_WINDOW_DAYS = 180
SETTLED = timedelta(days=5)  # an addendum or a correction comes a few days after the visit
S = AppointmentStatus
_FLOW = (S.ARRIVED, S.ROOMED, S.WITH_PROVIDER, S.CHECKED_OUT)


@dataclass(frozen=True)
class DemoChartCounts:
    patients: int
    encounters: int
    notes: int
    vitals_sets: int
    documents: int


def seed_demo_charts(ctx: AppContext, seed: int) -> DemoChartCounts:
    """A chart for every patient of the practice who has none yet; returns what is there."""
    with ctx.unit_of_work() as uow:
        setting = chart_setting(uow.session, ctx.clock.now())
        patients = _patients_without_charts(uow.session)
        visits = _visits(uow.session, setting.physician_ids)
    _plan_notes(visits, [p.id for p in patients], setting, random.Random(seed + 5))
    rng = random.Random(seed + 3)
    seen = [p.id for p in patients if p.id in visits]
    filed = set(rng.sample(seen, min(len(seen), max(2, len(seen) // DOCUMENT_CHARTS_EVERY))))
    batch: list[SyncMixin] = []
    charts = 0
    for index, patient in enumerate(patients):
        own = visits.get(patient.id, [])
        documents = rng.randint(1, 3) if patient.id in filed else 0
        chart_rng = random.Random(seed * 1_000_003 + index)
        batch += build_chart(patient, own, setting, chart_rng, documents=documents)
        charts += 1
        if len(batch) >= BATCH_ROWS:
            write_rows(ctx, batch, charts)
            batch, charts = [], 0
    if batch:
        write_rows(ctx, batch, charts)
    with ctx.unit_of_work() as uow:
        return _counts(uow.session, len(patients))


def write_rows(ctx: AppContext, rows: list[SyncMixin], charts: int) -> None:
    """One unit of work for many charts' rows (links between them checked at commit)."""
    with ctx.unit_of_work() as uow:
        uow.session.execute(text("PRAGMA defer_foreign_keys = ON"))
        uow.session.add_all(rows)
        uow.audit(AuditEntry("create", "demo_data", detail=f"demo charts of {charts} patients"))
        uow.notify(ChartChanged(()))


def chart_setting(session: Session, now: datetime) -> ChartSetting:
    """What the practice gives every demo chart: staff, templates, code sets, units."""
    users = session.scalars(select(User).where(User.deleted_at.is_(None))).all()
    physicians = sorted(
        (u for u in users if u.role is Role.PHYSICIAN and u.is_active), key=lambda u: u.username
    )
    nurses = sorted(
        (u for u in users if u.role is Role.NURSE and u.is_active), key=lambda u: u.username
    )
    if not physicians:
        raise ValueError("demo charts need a physician")
    nurse = (nurses or physicians)[0]
    zone = ZoneInfo(practice_zone(session))
    first_visit = session.scalar(
        select(func.min(Appointment.wall_start)).where(Appointment.status == S.CHECKED_OUT)
    )
    today = now.astimezone(zone).date()
    window_start = first_visit.date() if first_visit else today - timedelta(DEFAULT_WINDOW_DAYS)
    return ChartSetting(
        now=now,
        zone=zone,
        units=str(read_setting(session, VITALS_UNITS)),
        window_start=window_start,
        nurse_id=nurse.id,
        physician_ids=tuple(u.id for u in physicians),
        names={u.id: person_name(u) for u in users},
        soap=_template(session, NoteKind.DOCTOR, EncounterType.OFFICE_VISIT),
        nursing=_template(session, NoteKind.NURSING, EncounterType.NURSING_VISIT),
        icd10=default_icd10_catalog(),
        cvx=default_cvx_catalog(),
    )


def _template(session: Session, kind: NoteKind, encounter_type: EncounterType) -> TemplateForm:
    row = session.scalars(
        select(NoteTemplate)
        .where(
            NoteTemplate.kind == kind,
            NoteTemplate.encounter_type == encounter_type,
            NoteTemplate.active.is_(True),
            NoteTemplate.deleted_at.is_(None),
        )
        .order_by(NoteTemplate.created_at)
    ).first()
    if row is None:
        raise ValueError(f"the practice has no {kind} template for {encounter_type} visits")
    return TemplateForm(row.id, tuple(row.sections))


def _patients_without_charts(session: Session) -> list[ChartPatient]:
    charted = select(VitalsSet.patient_id).union(
        select(ClinicalNote.patient_id), select(ClinicalDocument.patient_id)
    )
    rows = session.execute(
        select(
            Patient.id, Patient.date_of_birth, Patient.sex_at_birth, Patient.last_name,
            Patient.first_name, Patient.mrn,
        )
        .where(
            Patient.status != PatientStatus.MERGED,
            Patient.deleted_at.is_(None),
            Patient.id.not_in(charted),
        )
        .order_by(Patient.mrn)
    )  # fmt: skip
    return [
        ChartPatient(pid, born, sex is SexAtBirth.FEMALE, f"{last}, {first}", mrn or "")
        for pid, born, sex, last, first, mrn in rows
    ]


def _visits(session: Session, physician_ids: tuple[str, ...]) -> dict[str, list[DemoVisit]]:
    """Every checked-out appointment as a visit, with when the patient was roomed, seen and
    checked out (from its status history)."""
    done = select(Appointment.id).where(
        Appointment.status == S.CHECKED_OUT, Appointment.deleted_at.is_(None)
    )
    steps: dict[str, dict[AppointmentStatus, datetime]] = defaultdict(dict)
    for appointment_id, status, at in session.execute(
        select(
            AppointmentStatusChange.appointment_id,
            AppointmentStatusChange.status,
            AppointmentStatusChange.changed_at,
        ).where(
            AppointmentStatusChange.appointment_id.in_(done),
            AppointmentStatusChange.status.in_(_FLOW),
        )
    ):  # fmt: skip
        steps[appointment_id][status] = at
    rows = session.execute(
        select(
            Appointment.id, Appointment.patient_id, Appointment.provider_id,
            Appointment.location_id, AppointmentType.name, Appointment.reason,
            Appointment.arrived_at, Appointment.starts_at,
        )
        .join(AppointmentType, AppointmentType.id == Appointment.type_id)
        .where(Appointment.id.in_(done))
        .order_by(Appointment.starts_at, Appointment.id)
    )  # fmt: skip
    visits: dict[str, list[DemoVisit]] = defaultdict(list)
    for (
        appointment_id,
        patient_id,
        provider_id,
        location_id,
        type_name,
        reason,
        arrived,
        start,
    ) in rows:
        times = steps.get(appointment_id, {})
        arrived = times.get(S.ARRIVED, arrived or start)
        roomed = times.get(S.ROOMED, arrived + timedelta(minutes=5))
        seen = times.get(S.WITH_PROVIDER, roomed + timedelta(minutes=5))
        out = times.get(S.CHECKED_OUT, seen + timedelta(minutes=15))
        visits[patient_id].append(
            DemoVisit(
                appointment_id, provider_id, provider_id not in physician_ids, location_id,
                type_name, reason, arrived, roomed, seen, out,
            )
        )  # fmt: skip
    return visits


def _plan_notes(
    visits: dict[str, list[DemoVisit]],
    patient_ids: list[str],
    setting: ChartSetting,
    rng: random.Random,
) -> None:
    """Mark the few visits whose notes did not simply get signed (in place). Patients are
    taken in MRN order, so the same seed marks the same visits."""
    everyone = [(pid, i, v) for pid in patient_ids for i, v in enumerate(visits.get(pid, ()))]
    now = setting.now
    doctors = [item for item in everyone if not item[2].nurse_visit]
    nurses = [item for item in everyone if item[2].nurse_visit]
    plans: dict[tuple[str, int], NotePlan] = {}
    for physician in setting.physician_ids:
        own = sorted(
            (i for i in doctors if i[2].provider_id == physician), key=lambda i: i[2].out_at
        )
        for pid, index, _ in own[-DRAFTS_PER_PHYSICIAN:]:
            plans[(pid, index)] = NotePlan.DRAFT
    recent = [i for i in nurses if now - i[2].out_at < timedelta(days=14)]
    for pid, index, _ in rng.sample(recent, min(AWAITING_COSIGN, len(recent))):
        plans[(pid, index)] = NotePlan.AWAITING_COSIGN
    for pid, index, _ in nurses:
        if (pid, index) not in plans and rng.random() < COSIGNED_SHARE:
            plans[(pid, index)] = NotePlan.COSIGNED
    older = [i for i in doctors if now - i[2].out_at > SETTLED and (i[0], i[1]) not in plans]
    picked = rng.sample(older, min(ADDENDA + REPLACED, len(older)))
    for number, (pid, index, _) in enumerate(picked):
        plans[(pid, index)] = NotePlan.REPLACED if number < REPLACED else NotePlan.ADDENDUM
    for (pid, index), plan in plans.items():
        visits[pid][index] = replace(visits[pid][index], plan=plan)


def _counts(session: Session, patients: int) -> DemoChartCounts:
    def count(model: type) -> int:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)

    return DemoChartCounts(
        patients, count(Encounter), count(ClinicalNote), count(VitalsSet), count(ClinicalDocument)
    )
