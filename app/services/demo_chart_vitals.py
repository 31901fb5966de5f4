"""Demo vital signs: each patient has their own numbers (height, build, blood pressure) and
every set varies around them, as a nurse would have keyed them in US units.

Adults: heights from the US adult means (NHANES 2015-2018: men 175.4 cm, women 161.5 cm,
SD about 7 cm); blood pressure rising with age and weight; treated hypertension around
the 130s, sometimes above goal. Children follow one centile of the references the growth
charts use (WHO 2006 under 2 years, CDC 2000 from 2 to 20 years), with a little measuring
noise; head circumference up to 3 years.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from statistics import NormalDist

from app.models import VitalObservation, VitalsSet
from app.models.base import new_id
from app.services.growth import GrowthMeasure, reference_value
from app.services.vitals_catalog import (
    HEAD_CIRCUMFERENCE_MAX_AGE,
    INFANT_OUNCES_AGE,
    KINDS,
    VitalField,
    body_mass_index,
    flag_for,
    format_with_unit,
    rounded,
)
from app.services.vitals_reads import READING_ORDER

F = VitalField
ADULT = 18.0
HEIGHT_REMEASURED_DAYS = 300  # an adult's height is taken again after this long
_ENTERED_DECIMALS = {  # how precisely a nurse keys each value in US units
    F.WEIGHT: 1, F.HEIGHT: 1, F.HEAD_CIRCUMFERENCE: 1, F.TEMPERATURE: 1,
    F.SYSTOLIC: 0, F.DIASTOLIC: 0, F.PULSE: 0, F.RESPIRATORY_RATE: 0, F.SPO2: 0, F.PAIN: 0,
}  # fmt: skip
_PLAUSIBLE_SDS = 2.3  # children's centiles stay between about the 1st and the 99th


@dataclass
class BodyPlan:
    """One patient's own numbers; sets vary around them."""

    female: bool
    height_cm: float  # adult height
    bmi: float  # adult build
    systolic: float  # usual resting blood pressure
    diastolic: float
    pulse: float
    weight_sds: float  # children: the centiles they follow
    height_sds: float
    ofc_sds: float
    weight_drift_kg: float = 0.0  # an adult's weight wanders from visit to visit
    last_height: tuple[datetime, float] | None = None  # when and what (cm)

    @property
    def sex(self) -> str:
        return "female" if self.female else "male"


def body_plan(
    age: float, female: bool, rng: random.Random, *, hypertension: str, bmi_at_least: float = 0
) -> BodyPlan:
    """`hypertension`: "" (none), "treated" or "elevated" (high, no diagnosis yet)."""
    height = rng.gauss(161.5 if female else 175.4, 7.0)
    bmi = max(bmi_at_least, min(52.0, max(17.5, rng.gauss(28.5, 5.8))))
    systolic = 110 + 0.35 * max(0.0, age - 20) + 0.6 * (bmi - 25) + (0 if female else 4)
    systolic += rng.gauss(0, 7)
    if hypertension == "treated":
        systolic = rng.gauss(133, 8)
    elif hypertension == "elevated":
        systolic = max(systolic + 12, rng.gauss(146, 6))
    diastolic = 0.45 * systolic + rng.gauss(22, 4)
    sds = [max(-_PLAUSIBLE_SDS, min(_PLAUSIBLE_SDS, rng.gauss(0, 1))) for _ in range(3)]
    weight_sds = sds[0] * 0.5 + sds[1] * 0.5 + rng.gauss(0, 0.3)  # heavier with taller, mostly
    return BodyPlan(
        female, height, bmi, systolic, diastolic, rng.gauss(72, 8),
        weight_sds, sds[1], sds[2],
    )  # fmt: skip


@dataclass(frozen=True)
class Measuring:
    """What is measured at one visit."""

    full: bool  # a provider visit (not a quick nurse check)
    growth: bool = False  # a child's well visit: length/height and head circumference
    fever: bool = False
    pain: int | None = None  # the score the patient gives, when asked about pain
    low_oxygen: bool = False
    blood_pressure: bool = False  # a child's too (adults' is always taken)


def measure(
    plan: BodyPlan, age: float, taken_at: datetime, how: Measuring, rng: random.Random
) -> dict[VitalField, float]:
    """One set, canonical units, as keyed in US units (BMI left to `vitals_set_rows`)."""
    typed: dict[VitalField, float] = {}
    child = age < ADULT
    temperature = rng.gauss(101.6, 0.8) if how.fever else rng.gauss(98.2, 0.4)
    typed[F.TEMPERATURE] = max(96.8, min(104.5, temperature))
    if child:
        typed[F.WEIGHT] = _lb(_growth("weight", plan.weight_sds, plan.sex, age, rng, 0.03))
        if how.growth or (age < 2 and how.full):
            height = _growth("height", plan.height_sds, plan.sex, age, rng, 0.006)
            typed[F.HEIGHT] = _inches(height)
            if age < HEAD_CIRCUMFERENCE_MAX_AGE:
                typed[F.HEAD_CIRCUMFERENCE] = _inches(
                    _growth("ofc", plan.ofc_sds, plan.sex, age, rng, 0.008)
                )
        if how.full:
            typed[F.PULSE] = _child_pulse(age, how.fever, rng)
            typed[F.RESPIRATORY_RATE] = _child_breathing(age, rng)
            typed[F.SPO2] = _oxygen(how, rng)
            if age >= 3 and (how.growth or how.blood_pressure):
                systolic = rng.gauss(92 + 1.6 * age, 7)
                typed[F.SYSTOLIC], typed[F.DIASTOLIC] = systolic, systolic * 0.6 + rng.gauss(2, 4)
    else:
        systolic = plan.systolic + rng.gauss(0, 7) + (8 if rng.random() < 0.06 else 0)
        typed[F.SYSTOLIC], typed[F.DIASTOLIC] = systolic, _diastolic(plan, systolic, rng)
        typed[F.PULSE] = plan.pulse + rng.gauss(0, 6) + (12 if how.fever else 0)
        if how.full:
            typed[F.RESPIRATORY_RATE] = rng.gauss(16, 1.5) + (3 if how.fever else 0)
            typed[F.SPO2] = _oxygen(how, rng)
            plan.weight_drift_kg += rng.gauss(0, 0.7)
            height_m = plan.height_cm / 100
            typed[F.WEIGHT] = _lb(plan.bmi * height_m * height_m + plan.weight_drift_kg)
            last = plan.last_height
            if last is None or (taken_at - last[0]).days > HEIGHT_REMEASURED_DAYS or how.growth:
                shrink = 0.1 * max(0.0, age - 70)  # older adults lose a little height
                typed[F.HEIGHT] = _inches(plan.height_cm - shrink + rng.gauss(0, 0.6))
            if how.pain is not None:
                typed[F.PAIN] = how.pain
    values = {field: _canonical(field, value) for field, value in typed.items()}
    if F.HEIGHT in values:
        plan.last_height = (taken_at, values[F.HEIGHT])
    return values


def vitals_set_rows(
    patient_id: str,
    encounter_id: str | None,
    taken_at: datetime,
    taken_by_id: str,
    values: dict[VitalField, float],
    age: float,
    plan: BodyPlan,
    note: str | None = None,
) -> tuple[VitalsSet, list[VitalObservation]]:
    """The set and its observations as VitalsService.record writes them (BMI computed from
    this set's height, or for an adult from a height taken in the year before)."""
    height = values.get(F.HEIGHT)
    if height is None and age >= ADULT and plan.last_height is not None:
        when, last = plan.last_height
        if 0 <= (taken_at - when).days <= 365:
            height = last
    if height is not None and F.WEIGHT in values:
        values[F.BMI] = body_mass_index(values[F.WEIGHT], height)
    stamp = {"created_at": taken_at, "updated_at": taken_at}
    vitals = VitalsSet(
        patient_id=patient_id,
        encounter_id=encounter_id,
        taken_at=taken_at,
        taken_by_id=taken_by_id,
        note=note,
        **stamp,
    )
    vitals.id = new_id()
    observations = [
        VitalObservation(
            vitals_set_id=vitals.id,
            patient_id=patient_id,
            taken_at=taken_at,
            loinc_code=KINDS[field].loinc_code,
            value=value,
            unit=KINDS[field].canonical.code,
            flag=flag_for(field, value, age),
            **stamp,
        )
        for field, value in values.items()
    ]
    return vitals, observations


def vitals_line(values: dict[VitalField, float], system: str, age: float, day: date) -> str:
    """What the ".vitals" snippet inserts for this set (app.services.vitals_text)."""
    parts = []
    if F.SYSTOLIC in values and F.DIASTOLIC in values:
        parts.append(f"BP {blood_pressure(values, system)} mmHg")
    infant = age < INFANT_OUNCES_AGE
    for field in READING_ORDER:
        if field in values and field not in (F.SYSTOLIC, F.DIASTOLIC):
            text = format_with_unit(field, values[field], system, infant=infant)
            parts.append(f"{KINDS[field].short} {text}")
    return " · ".join(parts) + f" ({day:%b} {day.day}, {day.year})"


def blood_pressure(values: dict[VitalField, float], system: str) -> str:
    systolic = rounded(F.SYSTOLIC, values[F.SYSTOLIC], system)
    diastolic = rounded(F.DIASTOLIC, values[F.DIASTOLIC], system)
    return f"{systolic:.0f}/{diastolic:.0f}"


def centile(sds: float) -> int:
    """The centile a child follows, as a clinician would say it ("50th")."""
    return max(1, min(99, round(NormalDist().cdf(sds) * 100)))


def home_reading(plan: BodyPlan, rng: random.Random) -> dict[VitalField, float]:
    """A blood pressure and pulse sent in from home (remote monitoring)."""
    systolic = plan.systolic - 4 + rng.gauss(0, 8)
    typed = {
        F.SYSTOLIC: systolic,
        F.DIASTOLIC: _diastolic(plan, systolic, rng),
        F.PULSE: plan.pulse + rng.gauss(0, 6),
    }
    return {field: _canonical(field, value) for field, value in typed.items()}


# --- helpers ------------------------------------------------------------------------------


def _canonical(field: VitalField, typed: float) -> float:
    """A value keyed in the US unit, rounded as keyed, converted as the service does."""
    spec = KINDS[field]
    keyed = round(typed, _ENTERED_DECIMALS[field])
    keyed = max(spec.us.from_canonical(spec.low), min(spec.us.from_canonical(spec.high), keyed))
    return spec.us.to_canonical(keyed)


def _diastolic(plan: BodyPlan, systolic: float, rng: random.Random) -> float:
    """Moves with the systolic reading (about half as much), never too close to it."""
    return min(plan.diastolic + 0.45 * (systolic - plan.systolic) + rng.gauss(0, 4), systolic - 30)


def _lb(kg: float) -> float:
    return kg / 0.45359237


def _inches(cm: float) -> float:
    return cm / 2.54


def _growth(
    measurement: str, sds: float, sex: str, age: float, rng: random.Random, noise: float
) -> float:
    """The reference value at this centile and age, with a small measuring error (a share)."""
    return _reference(measurement, round(sds, 2), sex, round(age, 3)) * (1 + rng.gauss(0, noise))


@lru_cache(maxsize=65536)
def _reference(measurement: str, sds: float, sex: str, age: float) -> float:
    return reference_value(GrowthMeasure(measurement), sex, max(age, 0.02), sds)


def _child_pulse(age: float, fever: bool, rng: random.Random) -> float:
    usual = 130 if age < 1 else 110 if age < 3 else 95 if age < 10 else 80
    return rng.gauss(usual, 9) + (15 if fever else 0)


def _child_breathing(age: float, rng: random.Random) -> float:
    usual = 36 if age < 1 else 28 if age < 4 else 24 if age < 6 else 20 if age < 13 else 15
    return rng.gauss(usual, 2)


def _oxygen(how: Measuring, rng: random.Random) -> float:
    return min(100.0, rng.gauss(93.5, 1.2) if how.low_oxygen else rng.gauss(98, 0.8))
