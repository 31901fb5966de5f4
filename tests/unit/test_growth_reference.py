"""Our LMS growth references (app/services/growth_reference.py, resources/growth/) against
values CDC and WHO publish, and against rcpchgrowth (a test-only dependency: the independent
implementation the app used before) at many ages, both sexes and every measurement."""

from __future__ import annotations

import math
import random
import subprocess
import sys
from pathlib import Path

import pytest
import rcpchgrowth

from app.services.errors import DomainError
from app.services.growth_reference import (
    GROWTH_DIR,
    SEXES,
    Z_95TH,
    GrowthReferenceUnavailable,
    Lms,
    LmsTable,
    ReferenceName,
    centile_for_z,
    load_reference,
    value_for_z,
    z_for_centile,
    z_for_value,
)

ROOT = Path(__file__).resolve().parents[2]
N = ReferenceName
SAMPLES = 300  # random (age, sex, z) per comparison, from a fixed seed
AGREEMENT = 0.01  # SDS


def _years(name: ReferenceName) -> tuple[float, float]:
    ages = load_reference(name).ages("male")
    return ages[0] / 12, ages[-1] / 12


# --- the LMS method (Cole 1990) ---------------------------------------------------------


def test_z_and_value_are_inverses_for_every_kind_of_l() -> None:
    for lms in (Lms(-1.8, 17.0, 0.12), Lms(0.0, 10.0, 0.1), Lms(1.0, 100.0, 0.04)):
        for z in (-3.0, -1.2, 0.0, 0.7, 2.5):
            value = value_for_z(z, lms)
            assert value is not None
            assert z_for_value(value, lms) == pytest.approx(z, abs=1e-12)
    assert value_for_z(0.0, Lms(-1.8, 17.0, 0.12)) == 17.0  # z 0 is the median
    assert value_for_z(1.0, Lms(0.0, 10.0, 0.1)) == pytest.approx(10 * math.exp(0.1))
    assert value_for_z(1.0, Lms(1.0, 100.0, 0.04)) == pytest.approx(104.0)  # normal when L = 1


def test_the_formula_has_no_value_where_1_plus_lsz_is_not_positive() -> None:
    assert value_for_z(5.0, Lms(-2.0, 17.0, 0.1)) is None  # 1 + (-2)(0.1)(5) = 0
    with pytest.raises(ValueError):
        z_for_value(0.0, Lms(1.0, 50.0, 0.04))


def test_centiles_and_z_scores() -> None:
    assert centile_for_z(0.0) == 50.0
    assert centile_for_z(1.0) == pytest.approx(84.13, abs=0.01)
    assert z_for_centile(97.0) == pytest.approx(1.881, abs=0.001)
    assert z_for_centile(95.0) == Z_95TH == pytest.approx(1.645, abs=0.001)


def test_between_rows_lms_follows_the_cubic_through_four_rows_and_a_line_at_the_ends() -> None:
    def cubic(age: float) -> float:
        return 2 + 0.5 * age - 0.1 * age**2 + 0.01 * age**3

    ages = (0.0, 1.0, 2.5, 4.0, 6.0, 7.0)
    table = LmsTable(ages, tuple(Lms(cubic(a), 10 + cubic(a), 0.1) for a in ages))
    for age in (1.3, 2.0, 3.2, 5.9):  # inside: exact for a cubic
        assert table.at(age).power == pytest.approx(cubic(age), abs=1e-12)
        assert table.at(age).median == pytest.approx(10 + cubic(age), abs=1e-12)
    halfway = (cubic(0.0) + cubic(1.0)) / 2  # first interval: a straight line
    assert table.at(0.5).power == pytest.approx(halfway, abs=1e-12)
    assert table.at(6.5).power == pytest.approx((cubic(6.0) + cubic(7.0)) / 2, abs=1e-12)
    assert table.at(4.0) == table.rows[3]  # on a row: the row itself
    assert table.at(7.0) == table.rows[-1]
    with pytest.raises(LookupError):
        table.at(7.01)
    with pytest.raises(LookupError):
        table.at(-0.01)


# --- the shipped tables -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "first_month", "last_month"),
    [
        (N.WHO_WEIGHT, 0.0, 24.0),
        (N.WHO_LENGTH, 0.0, 24.0),
        (N.CDC_HEAD, 0.0, 36.0),
        (N.CDC_WEIGHT, 24.0, 240.0),
        (N.CDC_STATURE, 24.0, 240.0),
        (N.CDC_BMI, 24.0, 240.5),
    ],
)
def test_each_table_covers_its_ages_for_both_sexes_and_names_its_source(
    name: ReferenceName, first_month: float, last_month: float
) -> None:
    reference = load_reference(name)
    for sex in SEXES:
        ages = reference.ages(sex)
        assert ages[0] == first_month and ages[-1] == pytest.approx(last_month, abs=1e-9)
    path = GROWTH_DIR / f"{name.value}.csv"
    first_line = path.read_text("utf-8").splitlines()[0]
    assert first_line.startswith("#") and "README.md" in first_line
    assert ("WHO" if name.value.startswith("who") else "CDC") in first_line
    assert path.stat().st_size < 25_000  # monthly rows (WHO: a few daily and weekly ones too)


def test_the_readme_cites_the_publishers() -> None:
    readme = (GROWTH_DIR / "README.md").read_text("utf-8")
    for source in (
        "https://www.cdc.gov/growthcharts/percentile_data_files.htm",
        "https://www.cdc.gov/growthcharts/who-data-files.htm",
        "https://www.cdc.gov/growthcharts/extended-bmi-data-files.htm",
        "https://www.who.int/tools/child-growth-standards/standards",
        "Kuczmarski RJ",
        "Cole TJ",
        "rcpchgrowth",
    ):
        assert source in readme


def test_published_who_values() -> None:
    weight, length = load_reference(N.WHO_WEIGHT), load_reference(N.WHO_LENGTH)
    assert weight.lms("male", 0.0) == Lms(0.3487, 3.3464, 0.14602)  # boys at birth
    assert weight.lms("female", 12.0).median == 8.9481  # girls at 12 months
    assert length.lms("male", 12.0).median == 75.7488  # boys at 12 months
    assert length.lms("male", 24.0).median == 87.8161  # boys at 24 months


def test_cdc_extended_bmi_worked_examples() -> None:
    """The examples on CDC's extended BMI-for-age data file page
    (https://www.cdc.gov/growthcharts/extended-bmi-data-files.htm)."""
    bmi = load_reference(N.CDC_BMI)
    # A girl of 114.5 months, BMI 21.2: below the 95th centile (22.3979), plain LMS.
    assert bmi.lms("female", 114.5) == Lms(-2.257782149, 16.57626713, 0.132796819)
    assert bmi.value_at("female", 114.5, Z_95TH) == pytest.approx(22.3979, abs=1e-4)
    girl = bmi.sds("female", 114.5, 21.2)
    assert girl == pytest.approx(1.4215, abs=1e-4)
    assert centile_for_z(girl) == pytest.approx(92.2, abs=0.05)
    # A boy of 50.5 months, BMI 22.6: above P95 17.8219 (sigma 2.3983), extended method.
    assert bmi.value_at("male", 50.5, Z_95TH) == pytest.approx(17.8219, abs=1e-4)
    boy = bmi.sds("male", 50.5, 22.6)
    assert centile_for_z(boy) == pytest.approx(99.7683, abs=1e-4)
    assert boy == pytest.approx(2.83, abs=0.005)
    assert z_for_value(22.6, bmi.lms("male", 50.5)) > boy + 0.8  # not the plain LMS tail
    # BMI for a centile: a girl of 184.5 months at z 1.5, a boy of 92.5 months at the 98.7th.
    assert bmi.value_at("female", 184.5, 1.5) == pytest.approx(27.2, abs=0.05)
    assert bmi.value_at("male", 92.5, z_for_centile(98.7)) == pytest.approx(24.1, abs=0.05)


def test_who_weight_beyond_3_sd_uses_the_2_to_3_sd_distance() -> None:
    weight = load_reference(N.WHO_WEIGHT)
    lms = weight.lms("female", 6.0)
    sd2, sd3 = value_for_z(2, lms), value_for_z(3, lms)
    sd2neg, sd3neg = value_for_z(-2, lms), value_for_z(-3, lms)
    assert sd2 and sd3 and sd2neg and sd3neg
    assert weight.sds("female", 6.0, sd3 + 0.5 * (sd3 - sd2)) == pytest.approx(3.5)
    assert weight.sds("female", 6.0, sd3neg - (sd2neg - sd3neg)) == pytest.approx(-4.0)
    assert weight.sds("female", 6.0, sd3) == pytest.approx(3.0)  # continuous at 3 SD
    length = load_reference(N.WHO_LENGTH)  # length keeps the plain formula
    far = value_for_z(4, length.lms("female", 6.0))
    assert far is not None and length.sds("female", 6.0, far) == pytest.approx(4.0)


@pytest.mark.parametrize("name", list(N))
def test_sds_and_value_are_inverses_in_every_tail(name: ReferenceName) -> None:
    reference = load_reference(name)
    rng = random.Random(name.value)
    low, high = reference.ages("female")[0], reference.ages("female")[-1]
    for _ in range(100):
        sex, age, z = rng.choice(SEXES), rng.uniform(low, high), rng.uniform(-4.5, 4.5)
        value = reference.value_at(sex, age, z)
        if value is not None:  # CDC weight has no value far below the median at some ages
            assert reference.sds(sex, age, value) == pytest.approx(z, abs=1e-9)


def test_an_extreme_bmi_still_has_a_finite_z() -> None:
    z = load_reference(N.CDC_BMI).sds("male", 30.0, 90.0)
    assert math.isfinite(z) and z > 8


# --- agreement with rcpchgrowth ---------------------------------------------------------

# (our table, rcpchgrowth's measurement, its reference, lowest z, highest z, whole days)
COMPARISONS = [
    # CDC 2000 tables: rcpchgrowth's "cdc" reference (the one the app used), same data.
    (N.CDC_HEAD, "ofc", "cdc", -4.0, 4.0, False),
    (N.CDC_WEIGHT, "weight", "cdc", -4.0, 4.0, False),
    (N.CDC_STATURE, "height", "cdc", -4.0, 4.0, False),
    (N.CDC_BMI, "bmi", "cdc", -4.0, 5.0, False),  # above 1.645: extended BMI in both
    # WHO under 2: rcpchgrowth's "who" reference reads WHO's daily tables (so ages in whole
    # days) and bends weight beyond 3 SD as WHO does. Its "cdc" reference interpolates
    # WHO's weekly rows straight through a newborn's first week (0.1 SD off WHO's own daily
    # values there), so it is not the check here. It also bends length beyond 3 SD, which
    # WHO does not: length is compared within 3 SD.
    (N.WHO_WEIGHT, "weight", "who", -5.0, 5.0, True),
    (N.WHO_LENGTH, "height", "who", -3.0, 3.0, True),
]


@pytest.mark.parametrize(
    ("name", "measurement", "source", "z_low", "z_high", "whole_days"),
    COMPARISONS,
    ids=[c[0].value for c in COMPARISONS],
)
def test_our_sds_agree_with_rcpchgrowth(
    name: ReferenceName,
    measurement: str,
    source: str,
    z_low: float,
    z_high: float,
    whole_days: bool,
) -> None:
    reference = load_reference(name)
    first, last = _years(name)
    rng = random.Random(f"sds {name.value}")
    compared = 0
    for _ in range(SAMPLES):
        sex, z = rng.choice(SEXES), rng.uniform(z_low, z_high)
        age = rng.uniform(first, min(last, 20.0))
        if whole_days:
            age = min(round(age * 365.25), 730) / 365.25
        value = reference.value_at(sex, age * 12, z)
        if value is None:
            continue
        theirs = rcpchgrowth.sds_for_measurement(source, age, measurement, value, sex)
        assert reference.sds(sex, age * 12, value) == pytest.approx(theirs, abs=AGREEMENT), (
            sex,
            age,
            value,
        )
        compared += 1
    assert compared > SAMPLES * 0.9


@pytest.mark.parametrize(
    ("name", "measurement"),
    [(N.CDC_HEAD, "ofc"), (N.CDC_WEIGHT, "weight"), (N.CDC_STATURE, "height"), (N.CDC_BMI, "bmi")],
)
def test_our_centile_curves_agree_with_rcpchgrowth(name: ReferenceName, measurement: str) -> None:
    """The value at each chart centile (the curves), on the table's ages and between them."""
    reference = load_reference(name)
    first, last = _years(name)
    rng = random.Random(f"curves {name.value}")
    ages = [age / 12 for age in reference.ages("male") if age / 12 <= 20.0]
    ages += [rng.uniform(first, min(last, 20.0)) for _ in range(60)]
    for sex in SEXES:
        for age in ages:
            for centile in (3.0, 10.0, 50.0, 90.0, 97.0):
                z = z_for_centile(centile)
                ours = reference.value_at(sex, age * 12, z)
                theirs = rcpchgrowth.measurement_from_sds("cdc", z, measurement, sex, age)
                assert ours is not None
                # rcpchgrowth rounds to 4 decimals; compare as SDS at our LMS
                assert reference.sds(sex, age * 12, theirs) == pytest.approx(z, abs=AGREEMENT)


# --- loading ----------------------------------------------------------------------------


def test_a_missing_or_damaged_table_is_reported(tmp_path: Path) -> None:
    with pytest.raises(GrowthReferenceUnavailable, match="not installed") as missing:
        load_reference(N.CDC_HEAD, tmp_path)
    assert isinstance(missing.value, DomainError)
    (tmp_path / "cdc2000_head_circumference_for_age.csv").write_text(
        "# test\nsex,age_months,L,M,S\nmale,0,1,35,0.05\nmale,0,1,36,0.05\n"
        "female,0,1,34,0.05\nfemale,1,1,35,0.05\n"
    )
    with pytest.raises(GrowthReferenceUnavailable, match=r"damaged.*rising"):
        load_reference(N.CDC_HEAD, tmp_path)


def test_a_table_may_count_age_in_days(tmp_path: Path) -> None:
    (tmp_path / "who2006_length_for_age.csv").write_text(
        "sex,age_days,L,M,S\nmale,0,1,50,0.04\nmale,30.4375,1,54,0.04\n"
        "female,0,1,49,0.04\nfemale,30.4375,1,53,0.04\n"
    )
    reference = load_reference(N.WHO_LENGTH, tmp_path)
    assert reference.ages("male") == (0.0, 1.0)
    assert reference.lms("female", 0.5).median == pytest.approx(51.0)


# --- no heavy packages at run time ------------------------------------------------------


def test_growth_charts_need_neither_numpy_nor_scipy_nor_rcpchgrowth() -> None:
    """The installer ships without them: importing the growth service and computing a
    centile and a curve must not load them."""
    script = (
        "import sys\n"
        "from app.services.growth import GrowthMeasure, reference_value\n"
        "reference_value(GrowthMeasure.BMI, 'male', 10.0, 2.5)\n"
        "reference_value(GrowthMeasure.WEIGHT, 'female', 0.5, -3.5)\n"
        "heavy = {'numpy', 'scipy', 'rcpchgrowth', 'pandas'}\n"
        "print(sorted(heavy & {name.split('.')[0] for name in sys.modules}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
