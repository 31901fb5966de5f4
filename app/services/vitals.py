"""Vital signs: record a set, correct it (entered in error), read the latest set, the
flowsheet and a measurement's trend. Values are stored LOINC-coded in canonical UCUM units
(app.services.vitals_catalog) and shown in the practice's units."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Encounter, EncounterStatus, VitalObservation, VitalsSet
from app.services.audit_chain import AuditEntry
from app.services.bus import ChartChanged
from app.services.chart_common import chart_patient, mark_entered_in_error
from app.services.context import AppContext, requires
from app.services.errors import DomainError, NotFound
from app.services.permissions import Permission
from app.services.vitals_catalog import (
    ADULT_AGE,
    HEAD_CIRCUMFERENCE_MAX_AGE,
    KINDS,
    VitalField,
    checked_bmi,
    flag_for,
    kind,
    kind_for_loinc,
    rounded,
    to_canonical,
    unit_for,
)
from app.services.vitals_reads import (
    BP_COLUMN,
    COLUMN_ORDER,
    Flowsheet,
    FlowsheetCell,
    FlowsheetColumn,
    FlowsheetRow,
    Trend,
    TrendPoint,
    VitalsView,
    VitalValue,
    age_years,
    cells_for,
    practice_units,
    practice_zone,
    series,
    set_rows,
    set_values,
    user_names,
    view_for,
)

__all__ = [  # what screens import from here
    "Flowsheet",
    "FlowsheetCell",
    "FlowsheetColumn",
    "FlowsheetRow",
    "Quantity",
    "Trend",
    "TrendPoint",
    "VitalField",
    "VitalValue",
    "VitalsInput",
    "VitalsService",
    "VitalsView",
]

FUTURE_SLACK = timedelta(minutes=5)  # a workstation clock a little ahead is not an error
ADULT_HEIGHT_REUSE = timedelta(days=365)
MAX_NOTE = 500


@dataclass(frozen=True)
class Quantity:
    """A value typed in an explicit unit ("lb", "kg", "oz", "in", "cm", "°F", "°C", or UCUM)."""

    value: float
    unit: str


Entered = float | Quantity | None
EnteredValues = Mapping[VitalField, Entered] | Mapping[str, Entered]


@dataclass(frozen=True)
class VitalsInput:
    """Values by field (a bare number is in the practice's display unit); blanks are None."""

    values: EnteredValues
    taken_at: datetime | None = None  # None: now
    encounter_id: str | None = None
    note: str | None = None


class VitalsService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    @requires(Permission.EDIT_CHART)
    def record(self, patient_id: str, data: VitalsInput) -> VitalsView:
        with self.ctx.unit_of_work() as uow:
            session = uow.session
            patient = chart_patient(session, patient_id)
            system = practice_units(session)
            taken_at = self._taken_at(data.taken_at)
            zone = practice_zone(session)
            age = age_years(patient.date_of_birth, taken_at.astimezone(zone).date())
            if age < 0:
                raise DomainError("These vitals would be from before the patient was born.")
            self._check_encounter(session, patient_id, data.encounter_id)
            values = _canonical_values(data.values, system, age)
            _add_bmi(session, patient_id, taken_at, age, values)
            note = " ".join((data.note or "").split()) or None
            if note and len(note) > MAX_NOTE:
                raise DomainError(f"Keep the note under {MAX_NOTE} characters.")
            actor_id = uow.ctx.actor.user_id if uow.ctx.actor else ""
            vitals = VitalsSet(
                patient_id=patient_id,
                encounter_id=data.encounter_id,
                taken_at=taken_at,
                taken_by_id=actor_id,
                note=note,
            )
            session.add(vitals)
            session.flush()
            for field, value in values.items():
                spec = KINDS[field]
                session.add(
                    VitalObservation(
                        vitals_set_id=vitals.id,
                        patient_id=patient_id,
                        taken_at=taken_at,
                        loinc_code=spec.loinc_code,
                        value=value,
                        unit=spec.canonical.code,
                        flag=flag_for(field, value, age),
                    )
                )
            session.flush()
            uow.audit(AuditEntry("create", "vitals", patient_id=patient_id, entity_id=vitals.id))
            uow.notify(ChartChanged((patient_id,)))
            return self._view(session, vitals.id)

    @requires(Permission.EDIT_CHART)
    def mark_entered_in_error(self, set_id: str, reason: str) -> VitalsView:
        with self.ctx.unit_of_work() as uow:
            vitals = uow.session.get(VitalsSet, set_id)
            if vitals is None or vitals.deleted_at is not None:
                raise NotFound("Those vitals are not in the chart.")
            chart_patient(uow.session, vitals.patient_id)
            mark_entered_in_error(uow, vitals, reason, "set of vitals")
            uow.session.flush()
            uow.audit(
                AuditEntry(
                    "entered_in_error", "vitals", patient_id=vitals.patient_id, entity_id=set_id
                )
            )
            uow.notify(ChartChanged((vitals.patient_id,)))
            return self._view(uow.session, set_id)

    @requires(Permission.VIEW_CHART)
    def latest(self, patient_id: str) -> VitalsView | None:
        """The most recent set not entered in error, or None."""
        with self.ctx.unit_of_work() as uow:
            chart_patient(uow.session, patient_id)
            rows = set_rows(uow.session, patient_id, limit=1, include_errors=False)
            view = view_for(uow.session, rows[0]) if rows else None
            uow.audit(AuditEntry("read", "vitals", patient_id=patient_id, detail="latest"))
            return view

    @requires(Permission.VIEW_CHART)
    def flowsheet(
        self, patient_id: str, limit: int = 50, before: datetime | None = None
    ) -> Flowsheet:
        """Newest first, one row per set (entered-in-error sets included, marked); the next
        page is `flowsheet(patient_id, limit, before=rows[-1].taken_at)`."""
        limit = max(1, min(limit, 500))
        with self.ctx.unit_of_work() as uow:
            session = uow.session
            patient = chart_patient(session, patient_id)
            system, zone = practice_units(session), practice_zone(session)
            rows = set_rows(session, patient_id, limit=limit + 1, before=before)
            page = rows[:limit]
            values = set_values(session, [row.id for row in page])
            names = user_names(session, {row.taken_by_id for row in page})
            flowsheet_rows = tuple(
                FlowsheetRow(
                    set_id=row.id,
                    taken_at=row.taken_at.astimezone(zone),
                    taken_by_name=names.get(row.taken_by_id, ""),
                    encounter_id=row.encounter_id,
                    note=row.note,
                    in_error=row.error_at is not None,
                    error_reason=row.error_reason,
                    cells=cells_for(
                        values.get(row.id, {}),
                        system,
                        age_years(patient.date_of_birth, row.taken_at.astimezone(zone).date()),
                    ),
                )
                for row in page
            )
            uow.audit(AuditEntry("read", "vitals", patient_id=patient_id, detail="flowsheet"))
        columns = tuple(
            FlowsheetColumn(BP_COLUMN, "BP", "mmHg")
            if field is VitalField.SYSTOLIC
            else FlowsheetColumn(
                field.value, kind(field).label, kind(field).display_unit(system).symbol
            )
            for field in COLUMN_ORDER
        )
        return Flowsheet(patient_id, system, columns, flowsheet_rows, len(rows) > limit)

    @requires(Permission.VIEW_CHART)
    def trend(self, patient_id: str, loinc_code: str) -> Trend:
        """One measurement over time, oldest first, in the practice's units (sets entered in
        error left out)."""
        spec = kind_for_loinc(loinc_code)
        with self.ctx.unit_of_work() as uow:
            session = uow.session
            chart_patient(session, patient_id)
            system, zone = practice_units(session), practice_zone(session)
            rows = series(session, patient_id, loinc_code)
            uow.audit(AuditEntry("read", "vitals", patient_id=patient_id, detail=loinc_code))
        points = tuple(
            TrendPoint(at.astimezone(zone), rounded(spec.field, value, system), flag, set_id)
            for at, value, flag, set_id in rows
        )
        unit = spec.display_unit(system).symbol
        return Trend(patient_id, loinc_code, spec.field, spec.label, unit, points)

    @requires(Permission.VIEW_CHART)
    def units(self) -> str:
        """The practice's vitals units: "us" (lb, in, °F) or "metric" (kg, cm, °C)."""
        with self.ctx.unit_of_work() as uow:
            return practice_units(uow.session)

    def _taken_at(self, taken_at: datetime | None) -> datetime:
        now = self.ctx.clock.now()
        if taken_at is None:
            return now
        if taken_at.tzinfo is None:
            raise ValueError("taken_at must be an aware datetime")
        if taken_at > now + FUTURE_SLACK:
            raise DomainError("Vitals cannot be recorded for a time in the future.")
        return taken_at

    @staticmethod
    def _check_encounter(session: Session, patient_id: str, encounter_id: str | None) -> None:
        if encounter_id is None:
            return
        encounter = session.get(Encounter, encounter_id)
        if encounter is None or encounter.deleted_at is not None:
            raise NotFound("That visit is not in the chart.")
        if encounter.patient_id != patient_id:
            raise DomainError("That visit belongs to another patient's chart.")
        if encounter.status is EncounterStatus.ENTERED_IN_ERROR:
            raise DomainError("That visit was entered in error; record the vitals without it.")

    @staticmethod
    def _view(session: Session, set_id: str) -> VitalsView:
        (row,) = set_rows(session, None, set_id=set_id)
        return view_for(session, row)


def _canonical_values(entered: EnteredValues, system: str, age: float) -> dict[VitalField, float]:
    """Each typed value in its canonical unit, checked; BMI is never typed."""
    values: dict[VitalField, float] = {}
    for key, typed in entered.items():
        field = kind(key).field
        if typed is None:
            continue
        if field is VitalField.BMI:
            raise DomainError("BMI is calculated from height and weight; it is not typed in.")
        if field is VitalField.HEAD_CIRCUMFERENCE and age >= HEAD_CIRCUMFERENCE_MAX_AGE:
            raise DomainError("Head circumference is recorded for children under 3 years.")
        if isinstance(typed, Quantity):
            unit, number = unit_for(field, typed.unit), typed.value
        else:
            unit, number = kind(field).display_unit(system), typed
        values[field] = to_canonical(field, float(number), unit)
    if not values:
        raise DomainError("Enter at least one measurement.")
    systolic, diastolic = values.get(VitalField.SYSTOLIC), values.get(VitalField.DIASTOLIC)
    if (systolic is None) != (diastolic is None):
        raise DomainError("Enter both numbers of the blood pressure (systolic and diastolic).")
    if systolic is not None and diastolic is not None and systolic <= diastolic:
        raise DomainError(
            f"Systolic {systolic:.0f} must be higher than diastolic {diastolic:.0f}; "
            "were they swapped?"
        )
    return values


def _add_bmi(
    session: Session,
    patient_id: str,
    taken_at: datetime,
    age: float,
    values: dict[VitalField, float],
) -> None:
    """BMI from this set's weight and height; an adult's weight may use a recent height."""
    weight, height = values.get(VitalField.WEIGHT), values.get(VitalField.HEIGHT)
    if weight is None:
        return
    if height is None and age >= ADULT_AGE:
        height = _recent_height(session, patient_id, taken_at)
    if height is not None:
        values[VitalField.BMI] = checked_bmi(weight, height)


def _recent_height(session: Session, patient_id: str, taken_at: datetime) -> float | None:
    """An adult's latest height from the year before `taken_at` (adults stop growing)."""
    return session.scalar(
        select(VitalObservation.value)
        .join(VitalsSet, VitalsSet.id == VitalObservation.vitals_set_id)
        .where(
            VitalObservation.patient_id == patient_id,
            VitalObservation.loinc_code == KINDS[VitalField.HEIGHT].loinc_code,
            VitalObservation.taken_at <= taken_at,
            VitalObservation.taken_at >= taken_at - ADULT_HEIGHT_REUSE,
            VitalsSet.error_at.is_(None),
        )
        .order_by(VitalObservation.taken_at.desc())
        .limit(1)
    )
