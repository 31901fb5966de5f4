"""Reading vitals back as plain data: the views the vitals service returns, and the few
column-only queries behind them (kept on the indexes: a chart may hold thousands of sets)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Patient, Practice, User, VitalFlag, VitalObservation, VitalsSet
from app.services.settings import VITALS_UNITS, read_setting
from app.services.vitals_catalog import (
    BY_LOINC,
    INFANT_OUNCES_AGE,
    KINDS,
    US,
    VitalField,
    format_value,
    format_with_unit,
    rounded,
    worst_flag,
)

BP_COLUMN = "bp"  # the flowsheet shows systolic/diastolic as one "128/82" column
# The order clinicians read vitals in; the flowsheet's columns (BP standing for both numbers).
READING_ORDER = (
    VitalField.SYSTOLIC,
    VitalField.DIASTOLIC,
    VitalField.PULSE,
    VitalField.TEMPERATURE,
    VitalField.RESPIRATORY_RATE,
    VitalField.SPO2,
    VitalField.WEIGHT,
    VitalField.HEIGHT,
    VitalField.BMI,
    VitalField.PAIN,
    VitalField.HEAD_CIRCUMFERENCE,
)
COLUMN_ORDER = tuple(field for field in READING_ORDER if field is not VitalField.DIASTOLIC)
_POSITION = {field: i for i, field in enumerate(READING_ORDER)}

Measured = tuple[float, VitalFlag]  # canonical value and its flag
SeriesRow = tuple[datetime, float, VitalFlag, str]  # taken_at, canonical value, flag, set id


@dataclass(frozen=True)
class VitalValue:
    field: VitalField
    loinc_code: str
    label: str  # "Weight"
    value: float  # canonical unit (as stored)
    unit: str  # canonical UCUM code
    display_value: float  # in the practice's unit, rounded as shown
    display_unit: str  # "lb"
    text: str  # "182 lb" ("7 lb 8 oz" for an infant in US units)
    flag: VitalFlag


@dataclass(frozen=True)
class VitalsView:
    id: str
    version: int
    patient_id: str
    encounter_id: str | None
    taken_at: datetime  # in the practice's time zone
    taken_by_name: str
    note: str | None
    units: str  # "us" | "metric"
    values: tuple[VitalValue, ...]  # in reading order (BP, pulse, temperature, ...)
    in_error: bool
    error_reason: str | None
    error_at: datetime | None

    def get(self, field: VitalField) -> VitalValue | None:
        return next((v for v in self.values if v.field is field), None)

    @property
    def blood_pressure(self) -> str | None:
        """ "128/82" (mmHg), or None."""
        systolic, diastolic = self.get(VitalField.SYSTOLIC), self.get(VitalField.DIASTOLIC)
        if systolic is None or diastolic is None:
            return None
        return f"{systolic.display_value:.0f}/{diastolic.display_value:.0f}"

    @property
    def worst_flag(self) -> VitalFlag:
        return worst_flag(*(v.flag for v in self.values))


@dataclass(frozen=True)
class FlowsheetColumn:
    key: str  # a VitalField value, or BP_COLUMN
    label: str
    unit: str  # display symbol: "lb", "°F", "mmHg"


@dataclass(frozen=True)
class FlowsheetCell:
    text: str  # "182", "128/82", "7 lb 8 oz"
    flag: VitalFlag


@dataclass(frozen=True)
class FlowsheetRow:
    set_id: str
    taken_at: datetime  # practice time zone
    taken_by_name: str
    encounter_id: str | None
    note: str | None
    in_error: bool  # show struck through
    error_reason: str | None
    cells: Mapping[str, FlowsheetCell]  # by column key; a missing key is an empty cell

    def cell(self, key: str) -> FlowsheetCell | None:
        return self.cells.get(key)


@dataclass(frozen=True)
class Flowsheet:
    patient_id: str
    units: str
    columns: tuple[FlowsheetColumn, ...]
    rows: tuple[FlowsheetRow, ...]  # newest first
    has_more: bool  # older sets exist: ask again with before=rows[-1].taken_at


@dataclass(frozen=True)
class TrendPoint:
    taken_at: datetime  # practice time zone
    value: float  # practice unit, rounded as shown
    flag: VitalFlag
    set_id: str


@dataclass(frozen=True)
class Trend:
    patient_id: str
    loinc_code: str
    field: VitalField
    label: str
    unit: str  # display symbol
    points: tuple[TrendPoint, ...]  # oldest first


@dataclass(frozen=True)
class SetRow:
    id: str
    version: int
    patient_id: str
    encounter_id: str | None
    taken_at: datetime
    taken_by_id: str
    note: str | None
    error_at: datetime | None
    error_reason: str | None


_SET_COLUMNS = (
    VitalsSet.id,
    VitalsSet.version,
    VitalsSet.patient_id,
    VitalsSet.encounter_id,
    VitalsSet.taken_at,
    VitalsSet.taken_by_id,
    VitalsSet.note,
    VitalsSet.error_at,
    VitalsSet.error_reason,
)


def practice_units(session: Session) -> str:
    return str(read_setting(session, VITALS_UNITS))


def practice_zone(session: Session) -> ZoneInfo:
    return ZoneInfo(session.scalar(select(Practice.time_zone).limit(1)) or "UTC")


def age_years(date_of_birth: date, on: date) -> float:
    """Decimal age, as growth references count it (days / 365.25)."""
    return (on - date_of_birth).days / 365.25


def set_rows(
    session: Session,
    patient_id: str | None,
    *,
    limit: int | None = None,
    before: datetime | None = None,
    include_errors: bool = True,
    set_id: str | None = None,
) -> list[SetRow]:
    """Sets newest first (patient_id + taken_at is indexed), or the one set `set_id`."""
    query = select(*_SET_COLUMNS).where(VitalsSet.deleted_at.is_(None))
    if set_id is not None:
        query = query.where(VitalsSet.id == set_id)
    if patient_id is not None:
        query = query.where(VitalsSet.patient_id == patient_id)
    if before is not None:
        query = query.where(VitalsSet.taken_at < before)
    if not include_errors:
        query = query.where(VitalsSet.error_at.is_(None))
    query = query.order_by(VitalsSet.taken_at.desc()).limit(limit)
    return [SetRow(*row) for row in session.execute(query)]


def set_values(session: Session, set_ids: list[str]) -> dict[str, dict[VitalField, Measured]]:
    """Each set's values by field (vitals_set_id is indexed)."""
    found: dict[str, dict[VitalField, Measured]] = {set_id: {} for set_id in set_ids}
    if not set_ids:
        return found
    rows = session.execute(
        select(
            VitalObservation.vitals_set_id,
            VitalObservation.loinc_code,
            VitalObservation.value,
            VitalObservation.flag,
        ).where(VitalObservation.vitals_set_id.in_(set_ids), VitalObservation.deleted_at.is_(None))
    )
    for set_id, code, value, flag in rows:
        spec = BY_LOINC.get(code)
        if spec is not None:
            found[set_id][spec.field] = (value, flag)
    return found


def series(session: Session, patient_id: str, loinc_code: str) -> list[SeriesRow]:
    """One measurement's values, oldest first, leaving out sets entered in error (the
    patient + code + taken_at index)."""
    rows = session.execute(
        select(
            VitalObservation.taken_at,
            VitalObservation.value,
            VitalObservation.flag,
            VitalObservation.vitals_set_id,
        )
        .join(VitalsSet, VitalsSet.id == VitalObservation.vitals_set_id)
        .where(
            VitalObservation.patient_id == patient_id,
            VitalObservation.loinc_code == loinc_code,
            VitalObservation.deleted_at.is_(None),
            VitalsSet.error_at.is_(None),
        )
        .order_by(VitalObservation.taken_at)
    )
    return [(at, value, flag, set_id) for at, value, flag, set_id in rows]


def user_names(session: Session, user_ids: Iterable[str]) -> dict[str, str]:
    ids = list(set(user_ids))
    if not ids:
        return {}
    return dict(session.execute(select(User.id, User.display_name).where(User.id.in_(ids))).all())


def vital_value(field: VitalField, measured: Measured, system: str, age: float) -> VitalValue:
    value, flag = measured
    spec = KINDS[field]
    unit = spec.display_unit(system)
    infant = age < INFANT_OUNCES_AGE
    return VitalValue(
        field=field,
        loinc_code=spec.loinc_code,
        label=spec.label,
        value=value,
        unit=spec.canonical.code,
        display_value=rounded(field, value, system),
        display_unit=unit.symbol,
        text=format_with_unit(field, value, system, infant=infant),
        flag=flag,
    )


def view_for(session: Session, row: SetRow, system: str | None = None) -> VitalsView:
    system = system or practice_units(session)
    zone = practice_zone(session)
    birth = session.execute(
        select(Patient.date_of_birth).where(Patient.id == row.patient_id)
    ).scalar_one()
    local = row.taken_at.astimezone(zone)
    age = age_years(birth, local.date())
    measured = set_values(session, [row.id])[row.id]
    values = tuple(
        vital_value(field, measured[field], system, age)
        for field in sorted(measured, key=_POSITION.__getitem__)
    )
    return VitalsView(
        id=row.id,
        version=row.version,
        patient_id=row.patient_id,
        encounter_id=row.encounter_id,
        taken_at=local,
        taken_by_name=user_names(session, [row.taken_by_id]).get(row.taken_by_id, ""),
        note=row.note,
        units=system,
        values=values,
        in_error=row.error_at is not None,
        error_reason=row.error_reason,
        error_at=row.error_at.astimezone(zone) if row.error_at else None,
    )


def cells_for(
    measured: Mapping[VitalField, Measured], system: str, age: float
) -> dict[str, FlowsheetCell]:
    """One flowsheet row's cells: numbers only (the column header carries the unit)."""
    cells: dict[str, FlowsheetCell] = {}
    infant = system == US and age < INFANT_OUNCES_AGE
    for field, (value, flag) in measured.items():
        if field in (VitalField.SYSTOLIC, VitalField.DIASTOLIC):
            continue
        cells[field.value] = FlowsheetCell(format_value(field, value, system, infant=infant), flag)
    systolic, diastolic = measured.get(VitalField.SYSTOLIC), measured.get(VitalField.DIASTOLIC)
    if systolic and diastolic:
        text = f"{systolic[0]:.0f}/{diastolic[0]:.0f}"
        cells[BP_COLUMN] = FlowsheetCell(text, worst_flag(systolic[1], diastolic[1]))
    return cells
