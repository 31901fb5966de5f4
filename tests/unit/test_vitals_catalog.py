"""The vitals catalog: LOINC codes and UCUM units, exact unit conversion and rounding, BMI,
plausible limits and reference-range flags (no database)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.models import VitalFlag
from app.services.errors import DomainError
from app.services.vitals_catalog import (
    BY_LOINC,
    CEL,
    CM,
    DEGF,
    IN,
    KG,
    KINDS,
    LB,
    OZ,
    ImplausibleValue,
    VitalField,
    body_mass_index,
    checked_bmi,
    flag_for,
    format_value,
    format_with_unit,
    kind_for_loinc,
    reference_range,
    rounded,
    to_canonical,
    unit_for,
    worst_flag,
)

F = VitalField
N, L, H = VitalFlag.NORMAL, VitalFlag.LOW, VitalFlag.HIGH
CL, CH = VitalFlag.CRITICAL_LOW, VitalFlag.CRITICAL_HIGH


def test_codes_and_canonical_units_are_the_loinc_ucum_pairs() -> None:
    pairs = {kind.loinc_code: kind.canonical.code for kind in KINDS.values()}
    assert pairs == {
        "8302-2": "cm", "29463-7": "kg", "39156-5": "kg/m2", "8480-6": "mm[Hg]",
        "8462-4": "mm[Hg]", "8867-4": "/min", "8310-5": "Cel", "9279-1": "/min",
        "59408-5": "%", "72514-3": "{score}", "9843-4": "cm",
    }  # fmt: skip
    assert kind_for_loinc("29463-7").field is F.WEIGHT and len(BY_LOINC) == len(F)
    with pytest.raises(DomainError, match="LOINC 1234-5"):
        kind_for_loinc("1234-5")


def test_conversions_use_the_exact_definitions() -> None:
    assert LB.to_canonical(1) == 0.45359237
    assert KG.from_canonical(LB.to_canonical(2.2)) == pytest.approx(0.997903214)
    assert OZ.to_canonical(16) == pytest.approx(LB.to_canonical(1))
    assert IN.to_canonical(1) == 2.54 and IN.from_canonical(CM.to_canonical(177.8)) == 70
    assert DEGF.to_canonical(98.6) == pytest.approx(37.0)
    assert DEGF.to_canonical(212) == pytest.approx(100.0)
    assert DEGF.to_canonical(-40) == pytest.approx(CEL.to_canonical(-40))
    assert DEGF.from_canonical(38) == pytest.approx(100.4)


def test_display_rounds_sensibly_in_both_systems() -> None:
    weight = LB.to_canonical(182)
    assert format_with_unit(F.WEIGHT, weight, "us") == "182 lb"
    assert format_with_unit(F.WEIGHT, weight, "metric") == "82.6 kg"
    assert rounded(F.WEIGHT, weight, "metric") == 82.6
    assert format_with_unit(F.HEIGHT, 177.8, "us") == "70 in"
    assert format_with_unit(F.TEMPERATURE, 37, "us") == "98.6 °F"
    assert format_with_unit(F.TEMPERATURE, 37, "metric") == "37.0 °C"
    assert format_with_unit(F.BMI, 26.0, "us") == "26.0 kg/m²"
    assert format_with_unit(F.PAIN, 3, "metric") == "3/10"
    assert format_with_unit(F.SYSTOLIC, 128, "us") == "128 mmHg"
    assert format_value(F.WEIGHT, LB.to_canonical(1500.26), "us") == "1,500.3"


def test_an_infants_weight_reads_in_pounds_and_ounces_in_us_units() -> None:
    assert format_with_unit(F.WEIGHT, LB.to_canonical(7.5), "us", infant=True) == "7 lb 8 oz"
    assert format_with_unit(F.WEIGHT, 3.4, "us", infant=True) == "7 lb 7.9 oz"
    assert format_with_unit(F.WEIGHT, 3.4, "metric", infant=True) == "3.4 kg"


@given(st.integers(min_value=5, max_value=14_000).map(lambda tenths: tenths / 10))
def test_a_weight_typed_in_pounds_reads_back_as_typed(pounds: float) -> None:
    assert rounded(F.WEIGHT, to_canonical(F.WEIGHT, pounds, LB), "us") == pounds


@given(st.integers(min_value=860, max_value=1140).map(lambda tenths: tenths / 10))
def test_a_temperature_typed_in_fahrenheit_reads_back_as_typed(fahrenheit: float) -> None:
    assert rounded(F.TEMPERATURE, to_canonical(F.TEMPERATURE, fahrenheit, DEGF), "us") == (
        fahrenheit
    )


def test_bmi_is_weight_over_height_squared() -> None:
    assert body_mass_index(80, 180) == pytest.approx(24.691, abs=1e-3)
    assert body_mass_index(LB.to_canonical(182), IN.to_canonical(70)) == pytest.approx(
        26.114, abs=1e-3
    )
    with pytest.raises(ImplausibleValue, match="give a BMI of 60,000"):
        checked_bmi(600, 10)


def test_units_are_found_by_symbol_alias_or_ucum_code() -> None:
    assert unit_for(F.WEIGHT, "lbs") is LB and unit_for(F.WEIGHT, "[lb_av]") is LB
    assert unit_for(F.WEIGHT, "oz") is OZ and unit_for(F.TEMPERATURE, "F") is DEGF
    assert unit_for(F.TEMPERATURE, "Cel") is CEL and unit_for(F.HEIGHT, "inches") is IN
    with pytest.raises(DomainError, match="Height cannot be given in “kg”"):
        unit_for(F.HEIGHT, "kg")


@pytest.mark.parametrize(
    ("field", "value", "unit", "message"),
    [
        (F.WEIGHT, 2000, LB, "Weight 2,000 lb is not possible; check the number "
         "(expected 0.4 to 1,433 lb)."),
        (F.WEIGHT, 0.05, KG, "Weight 0.05 kg is not possible; check the number "
         "(expected 0.2 to 650 kg)."),
        (F.HEIGHT, 300, CM, "Height 300 cm is not possible; check the number "
         "(expected 20 to 275 cm)."),
        (F.TEMPERATURE, 37, DEGF, "Temperature 37 °F is not possible; check the number "
         "(expected 77.0 to 114.8 °F)."),
        (F.TEMPERATURE, float("nan"), CEL, "Enter temperature as a number."),
    ],
)  # fmt: skip
def test_impossible_values_name_the_field_and_the_range(
    field: VitalField, value: float, unit: object, message: str
) -> None:
    with pytest.raises(ImplausibleValue) as refused:
        to_canonical(field, value, unit)  # type: ignore[arg-type]
    assert str(refused.value) == message


def test_the_edges_of_the_plausible_range_are_accepted() -> None:
    assert to_canonical(F.SPO2, 100, KINDS[F.SPO2].canonical) == 100
    assert to_canonical(F.PAIN, 0, KINDS[F.PAIN].canonical) == 0
    with pytest.raises(ImplausibleValue, match="whole number"):
        to_canonical(F.PAIN, 4.5, KINDS[F.PAIN].canonical)


@pytest.mark.parametrize(
    ("field", "value", "flag"),
    [
        (F.SYSTOLIC, 128, N), (F.SYSTOLIC, 130, H), (F.SYSTOLIC, 180, CH), (F.SYSTOLIC, 88, L),
        (F.SYSTOLIC, 65, CL), (F.DIASTOLIC, 79, N), (F.DIASTOLIC, 80, H), (F.DIASTOLIC, 120, CH),
        (F.DIASTOLIC, 55, L), (F.PULSE, 60, N), (F.PULSE, 100, N), (F.PULSE, 101, H),
        (F.PULSE, 131, CH), (F.PULSE, 59, L), (F.PULSE, 40, CL), (F.RESPIRATORY_RATE, 16, N),
        (F.RESPIRATORY_RATE, 21, H), (F.RESPIRATORY_RATE, 25, CH), (F.RESPIRATORY_RATE, 8, CL),
        (F.SPO2, 95, N), (F.SPO2, 94, L), (F.SPO2, 91, CL), (F.TEMPERATURE, 37.9, N),
        (F.TEMPERATURE, DEGF.to_canonical(100.4), H), (F.TEMPERATURE, 40.0, CH),
        (F.TEMPERATURE, DEGF.to_canonical(96.0), L), (F.TEMPERATURE, 34.9, CL),
        (F.BMI, 18.4, L), (F.BMI, 24.9, N), (F.BMI, 30.0, H), (F.PAIN, 6, N), (F.PAIN, 7, H),
        (F.WEIGHT, 200, N), (F.HEIGHT, 120, N),
    ],
)  # fmt: skip
def test_adult_flags(field: VitalField, value: float, flag: VitalFlag) -> None:
    assert flag_for(field, value, 45.0) is flag
    assert flag_for(field, value, None) is flag  # age unknown: adult ranges


@pytest.mark.parametrize(
    ("field", "value", "age", "flag"),
    [
        (F.PULSE, 150, 0.1, N), (F.PULSE, 80, 0.1, L), (F.PULSE, 210, 0.1, H),
        (F.PULSE, 225, 0.5, CH), (F.PULSE, 55, 1.0, CL), (F.PULSE, 130, 6.0, N),
        (F.PULSE, 145, 6.0, H), (F.PULSE, 185, 6.0, CH), (F.PULSE, 150, 30.0, CH),
        (F.RESPIRATORY_RATE, 45, 0.5, N), (F.RESPIRATORY_RATE, 62, 0.5, CH),
        (F.RESPIRATORY_RATE, 20, 2.0, L), (F.RESPIRATORY_RATE, 30, 5.0, N),
        (F.RESPIRATORY_RATE, 30, 14.0, H), (F.RESPIRATORY_RATE, 8, 8.0, CL),
        (F.SYSTOLIC, 79, 5.0, CL), (F.SYSTOLIC, 80, 5.0, N), (F.SYSTOLIC, 150, 5.0, N),
        (F.SYSTOLIC, 65, 0.5, CL), (F.SYSTOLIC, 132, 14.0, H), (F.DIASTOLIC, 90, 8.0, N),
        (F.BMI, 35, 10.0, N), (F.SPO2, 93, 4.0, L), (F.TEMPERATURE, 38.5, 1.0, H),
    ],
)  # fmt: skip
def test_childrens_flags_follow_their_age_band(
    field: VitalField, value: float, age: float, flag: VitalFlag
) -> None:
    assert flag_for(field, value, age) is flag


def test_a_child_under_13_has_no_high_blood_pressure_limit_without_percentiles() -> None:
    assert reference_range(F.DIASTOLIC, 8.0) is None
    limits = reference_range(F.SYSTOLIC, 8.0)
    assert limits is not None and (limits.high, limits.critical_low) == (None, 86)


def test_the_worst_flag_wins() -> None:
    assert worst_flag(N, H, CL) is CL and worst_flag(N, L) is L and worst_flag() is N
