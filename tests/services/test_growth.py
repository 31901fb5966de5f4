"""Growth charts (issue #5): a child's measurements as centiles on the CDC references
(WHO 2006 standards under 2 years, CDC 2000 from 2 to 20), with centile curves, in the
practice's units, audited. The reference arithmetic itself, and its agreement with
rcpchgrowth, is tested in tests/unit/test_growth_reference.py."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from statistics import NormalDist

import pytest

from app.models import SexAtBirth
from app.services.clock import FakeClock
from app.services.context import AppContext
from app.services.errors import DomainError
from app.services.growth import (
    CENTILES,
    GrowthMeasure,
    GrowthPeriod,
    GrowthService,
    reference_value,
)
from app.services.growth_reference import ReferenceName, load_reference
from app.services.patient_data import PatientInput
from app.services.patients import PatientService
from app.services.settings import SettingsService
from app.services.vitals import Quantity, VitalField, VitalsInput, VitalsService
from tests.services.helpers import audit_events

Login = Callable[[str], AppContext]
F = VitalField
# Medians published by WHO (Child Growth Standards 2006) and CDC (2000 growth charts).
WHO_GIRL_WEIGHT_12_MONTHS_KG = 8.9
WHO_BOY_LENGTH_12_MONTHS_CM = 75.7
CDC_BOY_STATURE_10_YEARS_CM = 138.6
CDC_BOY_BMI_10_YEARS_95TH = 22.1
WHO_BOY_WEIGHT_DAY_3_KG = 3.3627  # WHO expanded (daily) table: after the dip at day 1
TEST_DAY = date(2026, 1, 5)  # the FakeClock's day


def _child(ctx: AppContext, born: date, sex: SexAtBirth) -> str:
    data = PatientInput("Gus", "Growth", born, sex, guarantor_name="Pat Growth")
    return PatientService(ctx).register(data, confirm_not_duplicate=True).id


@pytest.fixture
def doctor(login: Login) -> AppContext:
    return login("drpatel")


def _record(ctx: AppContext, patient_id: str, **values: Quantity) -> None:
    VitalsService(ctx).record(patient_id, VitalsInput(dict(values.items())))


def test_a_median_infant_sits_on_the_50th_centile(doctor: AppContext) -> None:
    girl = _child(doctor, date(2025, 1, 5), SexAtBirth.FEMALE)  # one year old on the test day
    _record(doctor, girl, weight=Quantity(WHO_GIRL_WEIGHT_12_MONTHS_KG, "kg"))

    chart = GrowthService(doctor).growth_chart(girl, GrowthMeasure.WEIGHT)

    assert (chart.period, chart.sex, chart.reference) == (GrowthPeriod.INFANT, "female", "cdc")
    assert (chart.age_from, chart.age_to, chart.unit) == (0.0, 2.0, "lb")
    (point,) = chart.points
    assert point.age_years == pytest.approx(1.0, abs=0.01)
    assert point.centile == pytest.approx(50, abs=3) and point.sds == pytest.approx(0, abs=0.08)
    assert point.value == pytest.approx(19.62, abs=0.01)  # 8.9 kg in pounds
    assert [curve.centile for curve in chart.curves] == list(CENTILES)
    median = dict(chart.curves[3].points)
    assert median[1.0] == pytest.approx(8.95 / 0.45359237, abs=0.1)
    assert min(a for a, _ in chart.curves[0].points) == 0.0
    assert max(a for a, _ in chart.curves[0].points) == 2.0
    for age, low in chart.curves[0].points:  # 3rd below 97th everywhere
        assert low < dict(chart.curves[-1].points)[age]


def test_a_median_length_and_a_low_one(doctor: AppContext, clock: FakeClock) -> None:
    boy = _child(doctor, date(2025, 1, 5), SexAtBirth.MALE)
    VitalsService(doctor).record(
        boy,
        VitalsInput({F.HEIGHT: Quantity(66.0, "cm")}, taken_at=clock.now() - timedelta(days=91)),
    )
    _record(doctor, boy, height=Quantity(WHO_BOY_LENGTH_12_MONTHS_CM, "cm"))

    points = GrowthService(doctor).growth_chart(boy, "height").points

    assert points[1].centile == pytest.approx(50, abs=3)
    assert points[0].centile is not None and points[0].centile < 10  # 66 cm at 9 months
    assert points[0].taken_at < points[1].taken_at


def test_school_age_charts_use_cdc_2000_and_practice_units(
    doctor: AppContext, login: Login
) -> None:
    SettingsService(login("admin")).set_vitals_units("metric")
    boy = _child(doctor, date(2016, 1, 5), SexAtBirth.MALE)  # ten years old
    weight_at_95th = CDC_BOY_BMI_10_YEARS_95TH * 1.386**2
    _record(
        doctor,
        boy,
        height=Quantity(CDC_BOY_STATURE_10_YEARS_CM, "cm"),
        weight=Quantity(round(weight_at_95th, 1), "kg"),
    )
    growth = GrowthService(doctor)

    stature = growth.growth_chart(boy, GrowthMeasure.HEIGHT)
    bmi = growth.growth_chart(boy, GrowthMeasure.BMI)

    assert (stature.period, stature.age_from, stature.age_to) == (GrowthPeriod.CHILD, 2.0, 20.0)
    assert stature.unit == "cm" and stature.points[0].value == CDC_BOY_STATURE_10_YEARS_CM
    assert stature.points[0].centile == pytest.approx(50, abs=3)
    assert bmi.unit == "kg/m²" and bmi.points[0].centile == pytest.approx(95, abs=1)


def test_a_newborn_is_read_against_who_daily_values(doctor: AppContext) -> None:
    baby = _child(doctor, TEST_DAY - timedelta(days=3), SexAtBirth.MALE)
    _record(doctor, baby, weight=Quantity(WHO_BOY_WEIGHT_DAY_3_KG, "kg"))

    (point,) = GrowthService(doctor).growth_chart(baby, GrowthMeasure.WEIGHT).points

    # A line from birth to one week would put the day-3 median near the 46th centile.
    assert point.sds == pytest.approx(0, abs=0.005) and point.centile == 50.0


def test_a_very_high_bmi_is_read_by_cdc_extended_method(doctor: AppContext) -> None:
    """CDC's worked example: a boy of 50.5 months with a BMI of 22.6 is at the 99.77th
    centile, z 2.83 (https://www.cdc.gov/growthcharts/extended-bmi-data-files.htm)."""
    boy = _child(doctor, TEST_DAY - timedelta(days=1537), SexAtBirth.MALE)  # 50.5 months
    _record(doctor, boy, height=Quantity(105, "cm"), weight=Quantity(22.6 * 1.05**2, "kg"))

    chart = GrowthService(doctor).growth_chart(boy, GrowthMeasure.BMI)

    (point,) = chart.points
    assert point.sds == pytest.approx(2.83, abs=0.01) and point.centile == 99.8
    top = dict(chart.curves[-1].points)  # the 97th: also CDC's extended method
    assert top[4.2083] == pytest.approx(17.82 + 2.40 * NormalDist().inv_cdf(0.7), abs=0.02)


def test_head_circumference_is_charted_to_three_years(doctor: AppContext) -> None:
    baby = _child(doctor, date(2025, 7, 5), SexAtBirth.FEMALE)
    _record(doctor, baby, head_circumference=Quantity(42.4, "cm"))
    chart = GrowthService(doctor).growth_chart(baby, GrowthMeasure.OFC)
    assert (chart.age_from, chart.age_to, chart.unit) == (0.0, 3.0, "in")
    assert chart.points[0].centile == pytest.approx(50, abs=5)
    with pytest.raises(DomainError, match="birth to 3 years"):
        GrowthService(doctor).growth_chart(baby, GrowthMeasure.OFC, GrowthPeriod.CHILD)


def test_charts_that_do_not_exist_are_refused(doctor: AppContext) -> None:
    growth = GrowthService(doctor)
    baby = _child(doctor, date(2025, 7, 5), SexAtBirth.MALE)
    with pytest.raises(DomainError, match="BMI-for-age charts start at 2 years"):
        growth.growth_chart(baby, GrowthMeasure.BMI, GrowthPeriod.INFANT)
    adult = _child(doctor, date(1990, 7, 5), SexAtBirth.MALE)
    with pytest.raises(DomainError, match="under 20"):
        growth.growth_chart(adult, GrowthMeasure.WEIGHT)
    unknown = _child(doctor, date(2020, 7, 5), SexAtBirth.UNKNOWN)
    with pytest.raises(DomainError, match="sex at birth"):
        growth.growth_chart(unknown, GrowthMeasure.WEIGHT)


def test_the_chart_is_an_audited_read_without_struck_sets(doctor: AppContext) -> None:
    girl = _child(doctor, date(2023, 1, 5), SexAtBirth.FEMALE)
    vitals = VitalsService(doctor)
    wrong = vitals.record(girl, VitalsInput({F.WEIGHT: Quantity(30, "kg")}))
    vitals.mark_entered_in_error(wrong.id, "typed into the wrong chart")
    before = len(audit_events(doctor))

    chart = GrowthService(doctor).growth_chart(girl, GrowthMeasure.WEIGHT)

    assert chart.points == () and chart.period is GrowthPeriod.CHILD
    (event,) = audit_events(doctor)[before:]
    assert (event["action"], event["category"], event["patient_id"], event["detail"]) == (
        "read",
        "vitals",
        girl,
        "growth weight",
    )


def test_reference_values_come_from_the_chart_for_that_age() -> None:
    """What the demo builds its children from."""
    length = reference_value(GrowthMeasure.HEIGHT, "male", 1.0, 0.0)  # WHO 2006
    assert length == pytest.approx(WHO_BOY_LENGTH_12_MONTHS_CM, abs=0.05)
    stature = reference_value(GrowthMeasure.HEIGHT, "male", 10.0, 0.0)  # CDC 2000
    assert stature == pytest.approx(CDC_BOY_STATURE_10_YEARS_CM, abs=0.05)
    head = load_reference(ReferenceName.CDC_HEAD).lms("female", 30.0).median
    assert reference_value(GrowthMeasure.OFC, "female", 2.5, 0.0) == head  # CDC to 3 years
    with pytest.raises(LookupError):
        reference_value(GrowthMeasure.BMI, "female", 1.0, 0.0)
    with pytest.raises(LookupError):
        reference_value(GrowthMeasure.OFC, "female", 3.5, 0.0)
