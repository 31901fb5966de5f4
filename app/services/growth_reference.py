"""Growth references by the LMS method, read from resources/growth/*.csv (standard library only).

Cole TJ. The LMS method for constructing normalized growth standards. Eur J Clin Nutr
1990;44:45-60. A reference gives, for each sex and age, three numbers: L (Box-Cox power),
M (median) and S (coefficient of variation). A measurement y is then
    z = ((y / M) ** L - 1) / (L * S)        (z = ln(y / M) / S when L = 0)
    y = M * (1 + L * S * z) ** (1 / L)      (y = M * exp(S * z) when L = 0)
and its centile is 100 * Phi(z). Between the tables' rows (WHO and CDC values at their
published ages: resources/growth/README.md) L, M and S follow the cubic through the two rows
either side (four-point Lagrange), a straight line in the first and last interval.

Two references bend the plain LMS tails, each as its publisher defines it:
- WHO 2006 weight-for-age beyond +-3 SD ("restricted application of the LMS method": WHO
  Child Growth Standards, Methods and development, 2006, and CDC's SAS program for the WHO
  charts): outside 3 SD the distance between the 2 and 3 SD curves is one SD.
- CDC 2000 BMI-for-age above the 95th centile, by CDC's 2022 extended BMI-for-age method
  (Wei R et al., Ann Hum Biol 2020;47:514-521; https://www.cdc.gov/growthcharts/extended-bmi-data-files.htm):
  centile = 90 + 10 * Phi((BMI - P95) / sigma), z = Phi^-1(centile / 100), with sigma from
  CDC's published regression on age in years.
"""

from __future__ import annotations

import csv
import enum
import math
import sys
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path
from statistics import NormalDist

from app.errors import DomainError
from app.terminology.code_sets import PROJECT_ROOT, shown_path

GROWTH_DIR = PROJECT_ROOT / "resources" / "growth"
DAYS_PER_MONTH = 365.25 / 12  # 30.4375: the month of both the WHO and the CDC tables
SEXES = ("male", "female")
_NORMAL = NormalDist()
Z_95TH = _NORMAL.inv_cdf(0.95)  # 1.6449: where CDC's extended BMI method takes over
# CDC, extended BMI-for-age data files (2022): sigma = a + b * age + c * age**2, age in years.
_BMI_SIGMA = {"male": (0.3728, 0.5196, -0.0091), "female": (0.8334, 0.3712, -0.0011)}
_TINY = sys.float_info.min  # keeps an extreme BMI's upper-tail probability above zero


class ReferenceName(enum.StrEnum):
    """One table per measurement and source: the file resources/growth/<name>.csv."""

    WHO_WEIGHT = "who2006_weight_for_age"  # birth to 24 months
    WHO_LENGTH = "who2006_length_for_age"  # birth to 24 months, lying down
    CDC_HEAD = "cdc2000_head_circumference_for_age"  # birth to 36 months
    CDC_WEIGHT = "cdc2000_weight_for_age"  # 2 to 20 years
    CDC_STATURE = "cdc2000_stature_for_age"  # 2 to 20 years, standing
    CDC_BMI = "cdc2000_bmi_for_age"  # 2 to 20 years


class Tail(enum.Enum):
    LMS = "lms"  # the LMS formula at every z
    WHO_RESTRICTED = "who_restricted"  # beyond +-3 SD: linear in the 2-3 SD distance
    CDC_EXTENDED_BMI = "cdc_extended_bmi"  # above the 95th centile: CDC 2022 half-normal

    @staticmethod
    def of(name: ReferenceName) -> Tail:
        if name is ReferenceName.WHO_WEIGHT:
            return Tail.WHO_RESTRICTED
        if name is ReferenceName.CDC_BMI:
            return Tail.CDC_EXTENDED_BMI
        return Tail.LMS


class GrowthReferenceUnavailable(DomainError):
    """A growth reference table is missing or damaged on this computer."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(
            f"The growth reference table {shown_path(path)} {problem}. Reinstall Stethos."
        )


@dataclass(frozen=True)
class Lms:
    power: float  # L
    median: float  # M
    cv: float  # S


def z_for_value(value: float, lms: Lms) -> float:
    """The plain LMS z-score of a positive measurement."""
    if value <= 0:
        raise ValueError("a growth measurement must be positive")
    ratio = value / lms.median
    if lms.power == 0:
        return math.log(ratio) / lms.cv
    return (ratio**lms.power - 1) / (lms.power * lms.cv)


def value_for_z(z: float, lms: Lms) -> float | None:
    """The measurement at z by the plain LMS formula (None where the formula has no value)."""
    if lms.power == 0:
        return lms.median * math.exp(lms.cv * z)
    base = 1 + lms.power * lms.cv * z
    if base <= 0:
        return None
    return lms.median * base ** (1 / lms.power)


def centile_for_z(z: float) -> float:
    """0-100."""
    return 100 * _NORMAL.cdf(z)


def z_for_centile(centile: float) -> float:
    return _NORMAL.inv_cdf(centile / 100)


@dataclass(frozen=True)
class LmsTable:
    """One sex's rows, ages in months ascending."""

    ages: tuple[float, ...]
    rows: tuple[Lms, ...]

    def at(self, age_months: float) -> Lms:
        ages = self.ages
        if not ages[0] <= age_months <= ages[-1]:
            raise LookupError(f"no reference row at {age_months:.2f} months")
        below = min(bisect_right(ages, age_months) - 1, len(ages) - 2)
        if age_months == ages[below]:
            return self.rows[below]
        if 1 <= below <= len(ages) - 3:
            nodes = range(below - 1, below + 3)
        else:
            nodes = range(below, below + 2)
        weights = [
            math.prod((age_months - ages[k]) / (ages[j] - ages[k]) for k in nodes if k != j)
            for j in nodes
        ]
        rows = [self.rows[j] for j in nodes]
        return Lms(
            sum(w * row.power for w, row in zip(weights, rows, strict=True)),
            sum(w * row.median for w, row in zip(weights, rows, strict=True)),
            sum(w * row.cv for w, row in zip(weights, rows, strict=True)),
        )


@dataclass(frozen=True, eq=False)
class GrowthReference:
    name: ReferenceName
    tail: Tail
    tables: Mapping[str, LmsTable]  # by sex: "male", "female"

    def ages(self, sex: str) -> tuple[float, ...]:
        """The table's own ages in months (where curves are drawn)."""
        return self._table(sex).ages

    def lms(self, sex: str, age_months: float) -> Lms:
        return self._table(sex).at(age_months)

    def sds(self, sex: str, age_months: float, value: float) -> float:
        """The standard deviation score (z) of `value` at this age. LookupError outside the
        table's ages; ValueError for a value that is not positive."""
        lms = self.lms(sex, age_months)
        z = z_for_value(value, lms)
        if self.tail is Tail.WHO_RESTRICTED and abs(z) > 3:
            sd3, sd2 = _value(math.copysign(3, z), lms), _value(math.copysign(2, z), lms)
            return math.copysign(3, z) + (value - sd3) / abs(sd3 - sd2)
        if self.tail is Tail.CDC_EXTENDED_BMI:
            p95 = _value(Z_95TH, lms)
            if value > p95:
                above = (value - p95) / _bmi_sigma(sex, age_months)
                # 1 - centile/100 = 0.1 * Phi(-above): the upper tail, kept exact when tiny
                return -_NORMAL.inv_cdf(max(0.1 * _NORMAL.cdf(-above), _TINY))
        return z

    def value_at(self, sex: str, age_months: float, z: float) -> float | None:
        """The measurement at z (the inverse of `sds`); None where the LMS formula has none."""
        lms = self.lms(sex, age_months)
        if self.tail is Tail.WHO_RESTRICTED and abs(z) > 3:
            sd3, sd2 = _value(math.copysign(3, z), lms), _value(math.copysign(2, z), lms)
            return sd3 + (z - math.copysign(3, z)) * abs(sd3 - sd2)
        if self.tail is Tail.CDC_EXTENDED_BMI and z > Z_95TH:
            p95 = _value(Z_95TH, lms)
            # Phi^-1((centile - 90) / 10) = -Phi^-1(10 * (1 - Phi(z))), exact in the far tail
            above = -_NORMAL.inv_cdf(max(10 * _NORMAL.cdf(-z), _TINY))
            return p95 + above * _bmi_sigma(sex, age_months)
        return value_for_z(z, lms)

    def _table(self, sex: str) -> LmsTable:
        try:
            return self.tables[sex]
        except KeyError:
            raise LookupError(f"no {self.name} table for sex {sex!r}") from None


def _value(z: float, lms: Lms) -> float:
    value = value_for_z(z, lms)
    if value is None:
        raise ValueError(f"the LMS formula has no value at z = {z}")
    return value


def _bmi_sigma(sex: str, age_months: float) -> float:
    a, b, c = _BMI_SIGMA[sex]
    years = age_months / 12
    return a + b * years + c * years * years


@cache
def load_reference(name: ReferenceName, directory: Path = GROWTH_DIR) -> GrowthReference:
    """The reference, read once (the tables never change while the program runs)."""
    path = directory / f"{name.value}.csv"
    try:
        text = path.read_text("utf-8")
    except OSError:
        raise GrowthReferenceUnavailable(path, "is not installed on this computer") from None
    try:
        tables = _parse(text)
    except (KeyError, ValueError) as err:
        raise GrowthReferenceUnavailable(path, f"is damaged ({err})") from None
    return GrowthReference(name, Tail.of(name), tables)


def _parse(text: str) -> dict[str, LmsTable]:
    """CSV: sex, age_months or age_days, L, M, S; lines starting with # are comments."""
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    reader = csv.DictReader(lines)
    fields = reader.fieldnames or []
    age_field = "age_days" if "age_days" in fields else "age_months"
    per_month = DAYS_PER_MONTH if age_field == "age_days" else 1.0
    columns: dict[str, tuple[list[float], list[Lms]]] = {sex: ([], []) for sex in SEXES}
    for row in reader:
        ages, rows = columns[row["sex"]]
        ages.append(float(row[age_field]) / per_month)
        rows.append(Lms(float(row["L"]), float(row["M"]), float(row["S"])))
        if rows[-1].median <= 0 or rows[-1].cv <= 0:
            raise ValueError(f"M and S must be positive (line {reader.line_num})")
    tables = {}
    for sex, (ages, rows) in columns.items():
        if len(ages) < 2 or any(b <= a for a, b in pairwise(ages)):
            raise ValueError(f"the {sex} ages must be at least two and rising")
        tables[sex] = LmsTable(tuple(ages), tuple(rows))
    return tables
