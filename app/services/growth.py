"""Growth charts for children: the child's measurements as centiles against the CDC
references, with reference centile curves to draw them on.

The references are what the CDC recommends for US children: under 2 years the WHO 2006 Child
Growth Standards (weight- and length-for-age), from 2 to 20 years the CDC 2000 growth charts
(weight-, stature- and BMI-for-age; BMI above the 95th centile by the CDC 2022 extended
BMI-for-age method), and head circumference-for-age from birth to 3 years (CDC 2000 infant
charts). There is no BMI chart under 2 years (CDC uses weight-for-length there) and no head
circumference after 3. The LMS tables ship in resources/growth/ and are read by
app/services/growth_reference.py (standard library only, loaded on the first chart).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from app.models import SexAtBirth
from app.services.audit_chain import AuditEntry
from app.services.chart_common import chart_patient
from app.services.context import AppContext, requires
from app.services.errors import DomainError
from app.services.growth_reference import (
    ReferenceName,
    centile_for_z,
    load_reference,
    z_for_centile,
)
from app.services.patients import practice_today
from app.services.permissions import Permission
from app.services.vitals_catalog import KINDS, VitalField, kind
from app.services.vitals_reads import age_years, practice_units, practice_zone, series

REFERENCE = "cdc"
REFERENCE_LABEL = "CDC: WHO 2006 standards under 2 years, CDC 2000 charts from 2 to 20 years"
CENTILES = (3.0, 10.0, 25.0, 50.0, 75.0, 90.0, 97.0)
OLDEST = 20.0  # the CDC references end at 20 years


class GrowthMeasure(enum.StrEnum):
    WEIGHT = "weight"
    HEIGHT = "height"  # length under 2 years
    BMI = "bmi"
    OFC = "ofc"  # head (occipitofrontal) circumference


class GrowthPeriod(enum.StrEnum):
    INFANT = "infant"  # birth to 2 years (head circumference: to 3 years)
    CHILD = "child"  # 2 to 20 years


_FIELD = {
    GrowthMeasure.WEIGHT: VitalField.WEIGHT,
    GrowthMeasure.HEIGHT: VitalField.HEIGHT,
    GrowthMeasure.BMI: VitalField.BMI,
    GrowthMeasure.OFC: VitalField.HEAD_CIRCUMFERENCE,
}
_SEX = {SexAtBirth.MALE: "male", SexAtBirth.FEMALE: "female"}
_REFERENCE = {
    (GrowthMeasure.WEIGHT, GrowthPeriod.INFANT): ReferenceName.WHO_WEIGHT,
    (GrowthMeasure.HEIGHT, GrowthPeriod.INFANT): ReferenceName.WHO_LENGTH,
    (GrowthMeasure.OFC, GrowthPeriod.INFANT): ReferenceName.CDC_HEAD,
    (GrowthMeasure.WEIGHT, GrowthPeriod.CHILD): ReferenceName.CDC_WEIGHT,
    (GrowthMeasure.HEIGHT, GrowthPeriod.CHILD): ReferenceName.CDC_STATURE,
    (GrowthMeasure.BMI, GrowthPeriod.CHILD): ReferenceName.CDC_BMI,
}


@dataclass(frozen=True)
class GrowthPoint:
    taken_at: datetime  # practice time zone
    age_years: float  # decimal age (days / 365.25)
    value: float  # in the chart's unit
    sds: float | None  # standard deviation score (z); None where the reference has no data
    centile: float | None  # 0–100
    set_id: str


@dataclass(frozen=True)
class CentileCurve:
    centile: float  # 3.0, 10.0, ... 97.0
    points: tuple[tuple[float, float], ...]  # (age in years, value in the chart's unit)


@dataclass(frozen=True)
class GrowthChart:
    patient_id: str
    measurement: GrowthMeasure
    period: GrowthPeriod
    sex: str  # "male" | "female"
    reference: str  # "cdc"
    reference_label: str
    unit: str  # display symbol: "lb", "in", "kg", "cm", "kg/m²"
    age_from: float  # the x axis, in years
    age_to: float
    points: tuple[GrowthPoint, ...]  # oldest first, within the period
    curves: tuple[CentileCurve, ...]


class GrowthService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    @requires(Permission.VIEW_CHART)
    def growth_chart(
        self,
        patient_id: str,
        measurement: GrowthMeasure | str,
        period: GrowthPeriod | None = None,
    ) -> GrowthChart:
        """The child's `measurement` on the CDC chart for `period` (None: the chart for the
        child's age today)."""
        measure = GrowthMeasure(measurement)
        with self.ctx.unit_of_work() as uow:
            session = uow.session
            patient = chart_patient(session, patient_id)
            sex = _SEX.get(patient.sex_at_birth)
            if sex is None:
                raise DomainError(
                    "Growth charts need the sex at birth: the references differ for girls and boys."
                )
            born = patient.date_of_birth
            age_now = age_years(born, practice_today(session, self.ctx.clock.now()))
            if age_now >= OLDEST:
                raise DomainError("Growth charts are for children and young people under 20.")
            system, zone = practice_units(session), practice_zone(session)
            chosen = period or _period_for(measure, age_now)
            age_from, age_to = _window(measure, chosen)
            field = _FIELD[measure]
            rows = series(session, patient_id, KINDS[field].loinc_code)
            uow.audit(
                AuditEntry("read", "vitals", patient_id=patient_id, detail=f"growth {measure}")
            )
        unit = kind(field).display_unit(system)
        points = []
        for taken_at, value, _flag, set_id in rows:
            local = taken_at.astimezone(zone)
            age = age_years(born, local.date())
            if age_from <= age <= age_to:
                sds = _sds(measure, chosen, sex, age, value)
                centile = None if sds is None else _centile(sds)
                shown = round(unit.from_canonical(value), 2)
                points.append(GrowthPoint(local, round(age, 3), shown, sds, centile, set_id))
        curves = tuple(
            CentileCurve(c, tuple((age, round(unit.from_canonical(v), 2)) for age, v in line))
            for c, line in _curves(measure, sex, chosen)
        )
        return GrowthChart(
            patient_id, measure, chosen, sex, REFERENCE, REFERENCE_LABEL, unit.symbol,
            age_from, age_to, tuple(points), curves,
        )  # fmt: skip


def _period_for(measure: GrowthMeasure, age_now: float) -> GrowthPeriod:
    if measure is GrowthMeasure.OFC or (measure is not GrowthMeasure.BMI and age_now < 2):
        return GrowthPeriod.INFANT
    return GrowthPeriod.CHILD


def _window(measure: GrowthMeasure, period: GrowthPeriod) -> tuple[float, float]:
    if measure is GrowthMeasure.OFC:
        if period is GrowthPeriod.CHILD:
            raise DomainError("Head circumference is charted from birth to 3 years only.")
        return 0.0, 3.0
    if period is GrowthPeriod.INFANT:
        if measure is GrowthMeasure.BMI:
            raise DomainError("BMI-for-age charts start at 2 years.")
        return 0.0, 2.0
    return 2.0, OLDEST


def reference_value(measure: GrowthMeasure, sex: str, age: float, sds: float) -> float:
    """The measurement (canonical unit) at this SDS and decimal age on the chart a child of
    that age is measured against (used to make demo children). LookupError where there is
    no such chart (BMI under 2 years, head circumference after 3)."""
    reference = load_reference(_REFERENCE[measure, _period_for(measure, age)])
    value = reference.value_at(sex, age * 12, sds)
    if value is None:
        raise ValueError(f"no {measure} at SDS {sds} at {age:.2f} years")
    return value


def _sds(
    measure: GrowthMeasure, period: GrowthPeriod, sex: str, age: float, value: float
) -> float | None:
    """Against the reference the chart's curves come from (so a point at exactly 2 years
    sits on the chart it is drawn on)."""
    reference = load_reference(_REFERENCE[measure, period])
    try:
        sds = reference.sds(sex, age * 12, value)
    except (LookupError, ValueError):
        return None  # outside the reference's ages, or not a measurement
    return round(sds, 3)


def _centile(sds: float) -> float:
    return round(centile_for_z(sds), 1)


@lru_cache(maxsize=32)
def _curves(
    measure: GrowthMeasure, sex: str, period: GrowthPeriod
) -> tuple[tuple[float, tuple[tuple[float, float], ...]], ...]:
    """Each centile's line (age, canonical value) on the reference's own age grid (immutable
    data: computed once per chart kind)."""
    reference = load_reference(_REFERENCE[measure, period])
    age_from, age_to = _window(measure, period)
    months = [m for m in reference.ages(sex) if age_from * 12 <= m <= age_to * 12]
    lines = []
    for centile in CENTILES:
        sds = z_for_centile(centile)
        line = []
        for month in months:
            value = reference.value_at(sex, month, sds)
            if value is not None:
                line.append((round(month / 12, 4), round(value, 4)))
        lines.append((centile, tuple(line)))
    return tuple(lines)
