"""What each vital sign is: its LOINC code, canonical UCUM unit, display units, plausible
limits and reference ranges. Pure functions, no database.

Codes are LOINC (https://loinc.org; each code's page is https://loinc.org/<code>/), units are
UCUM (https://ucum.org). Values are stored in the canonical unit; screens convert.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from app.models import VitalFlag
from app.services.errors import DomainError

US = "us"
METRIC = "metric"
UNIT_SYSTEMS = (US, METRIC)


class VitalField(enum.StrEnum):
    HEIGHT = "height"
    WEIGHT = "weight"
    BMI = "bmi"
    SYSTOLIC = "systolic"
    DIASTOLIC = "diastolic"
    PULSE = "pulse"
    TEMPERATURE = "temperature"
    RESPIRATORY_RATE = "respiratory_rate"
    SPO2 = "spo2"
    PAIN = "pain"
    HEAD_CIRCUMFERENCE = "head_circumference"


class ImplausibleValue(DomainError):
    """A number no living patient could have (a typo, or the wrong unit)."""


@dataclass(frozen=True)
class Unit:
    """A unit and its exact relation to the canonical one: canonical = value × scale + offset."""

    code: str  # UCUM
    symbol: str  # as shown: "lb", "°F"
    decimals: int  # shown to this many places
    scale: float = 1.0
    offset: float = 0.0
    fixed_decimals: bool = False  # BMI shows "26.0", weight shows "182" (not "182.0")

    def to_canonical(self, value: float) -> float:
        return value * self.scale + self.offset

    def from_canonical(self, value: float) -> float:
        return (value - self.offset) / self.scale


# Exact definitions: 1 lb = 0.45359237 kg (international pound, 1959), 1 in = 2.54 cm,
# °F = °C × 9/5 + 32.
KG = Unit("kg", "kg", 1)
LB = Unit("[lb_av]", "lb", 1, scale=0.45359237)
OZ = Unit("[oz_av]", "oz", 1, scale=0.45359237 / 16)
G = Unit("g", "g", 0, scale=0.001)
CM = Unit("cm", "cm", 1)
IN = Unit("[in_i]", "in", 1, scale=2.54)
CEL = Unit("Cel", "°C", 1, fixed_decimals=True)
DEGF = Unit("[degF]", "°F", 1, scale=5 / 9, offset=-32 * 5 / 9, fixed_decimals=True)
MMHG = Unit("mm[Hg]", "mmHg", 0)
PER_MIN = Unit("/min", "/min", 0)
PERCENT = Unit("%", "%", 0)
KG_M2 = Unit("kg/m2", "kg/m²", 1, fixed_decimals=True)
SCORE = Unit("{score}", "/10", 0)


@dataclass(frozen=True)
class VitalKind:
    field: VitalField
    loinc_code: str
    label: str  # "Weight"
    short: str  # "Wt", as in a note's one-line summary
    canonical: Unit
    us: Unit
    metric: Unit
    low: float  # plausible limits, canonical unit: outside is refused
    high: float
    aliases: tuple[Unit, ...] = ()  # further units a value may be entered in

    def display_unit(self, system: str) -> Unit:
        return self.us if system == US else self.metric

    def units(self) -> tuple[Unit, ...]:
        return (self.canonical, self.us, self.metric, *self.aliases)


# Plausible limits are wide on purpose (a premature newborn to the heaviest adults, shock to
# hyperpyrexia): they catch typos and unit mix-ups, not illness. Illness is what flags are for.
_KINDS = (
    VitalKind(VitalField.HEIGHT, "8302-2", "Height", "Ht", CM, IN, CM, 20, 275),
    VitalKind(VitalField.WEIGHT, "29463-7", "Weight", "Wt", KG, LB, KG, 0.2, 650, (OZ, G)),
    VitalKind(VitalField.BMI, "39156-5", "BMI", "BMI", KG_M2, KG_M2, KG_M2, 5, 200),
    VitalKind(VitalField.SYSTOLIC, "8480-6", "Systolic BP", "BP", MMHG, MMHG, MMHG, 30, 300),
    VitalKind(VitalField.DIASTOLIC, "8462-4", "Diastolic BP", "BP", MMHG, MMHG, MMHG, 10, 220),
    VitalKind(VitalField.PULSE, "8867-4", "Pulse", "P", PER_MIN, PER_MIN, PER_MIN, 20, 300),
    VitalKind(VitalField.TEMPERATURE, "8310-5", "Temperature", "T", CEL, DEGF, CEL, 25, 46),
    VitalKind(
        VitalField.RESPIRATORY_RATE,
        "9279-1",
        "Respiratory rate",
        "RR",
        PER_MIN,
        PER_MIN,
        PER_MIN,
        2,
        120,
    ),
    VitalKind(VitalField.SPO2, "59408-5", "SpO2", "SpO2", PERCENT, PERCENT, PERCENT, 30, 100),
    VitalKind(VitalField.PAIN, "72514-3", "Pain", "Pain", SCORE, SCORE, SCORE, 0, 10),
    VitalKind(
        VitalField.HEAD_CIRCUMFERENCE, "9843-4", "Head circumference", "HC", CM, IN, CM, 20, 70
    ),
)
KINDS: dict[VitalField, VitalKind] = {kind.field: kind for kind in _KINDS}
BY_LOINC: dict[str, VitalKind] = {kind.loinc_code: kind for kind in _KINDS}
HEAD_CIRCUMFERENCE_MAX_AGE = 3.0  # years: measured at well-child visits up to 36 months
ADULT_AGE = 18.0
INFANT_OUNCES_AGE = 2.0  # US display shows an infant's weight as "7 lb 8 oz"

_ALIASES = {
    "lbs": "lb", "pound": "lb", "pounds": "lb", "ounce": "oz", "ounces": "oz", "inch": "in",
    "inches": "in", '"': "in", "degf": "°F", "f": "°F", "°f": "°F", "degc": "°C", "c": "°C",
    "°c": "°C", "mmhg": "mmHg", "mm hg": "mmHg", "bpm": "/min", "kg/m^2": "kg/m²",
}  # fmt: skip


def kind(field: VitalField | str) -> VitalKind:
    try:
        return KINDS[VitalField(field)]
    except ValueError:
        raise DomainError(f"“{field}” is not a vital sign this chart records.") from None


def kind_for_loinc(loinc_code: str) -> VitalKind:
    found = BY_LOINC.get(loinc_code)
    if found is None:
        raise DomainError(f"LOINC {loinc_code} is not a vital sign this chart records.")
    return found


def check_system(system: str) -> str:
    if system not in UNIT_SYSTEMS:
        raise DomainError("Vitals units are either US (lb, in, °F) or metric (kg, cm, °C).")
    return system


def unit_for(field: VitalField | str, text: str) -> Unit:
    """The unit `text` names ("lb", "[lb_av]", "°F", "degF", ...) if it measures `field`."""
    wanted = text.strip()
    wanted = _ALIASES.get(wanted.lower(), wanted)
    for unit in kind(field).units():
        if wanted in (unit.code, unit.symbol):
            return unit
    raise DomainError(f"{kind(field).label} cannot be given in “{text}”.")


def number_text(value: float, unit: Unit) -> str:
    """A value already in `unit`, rounded for reading: "2,000", "98.6", "26.0"."""
    text = f"{value:,.{unit.decimals}f}"
    if not unit.fixed_decimals and "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def rounded(field: VitalField, canonical_value: float, system: str) -> float:
    """The value in the practice's display unit, rounded as shown."""
    unit = kind(field).display_unit(system)
    return round(unit.from_canonical(canonical_value), unit.decimals)


def format_value(
    field: VitalField, canonical_value: float, system: str, *, infant: bool = False
) -> str:
    """The number only, in the practice's unit: "182", "98.6", or "7 lb 8 oz" for an infant."""
    if field is VitalField.WEIGHT and system == US and infant:
        ounces = round(OZ.from_canonical(canonical_value), 1)
        pounds, rest = divmod(ounces, 16)
        return f"{int(pounds)} lb {number_text(rest, OZ)} oz"
    unit = kind(field).display_unit(system)
    return number_text(unit.from_canonical(canonical_value), unit)


def format_with_unit(
    field: VitalField, canonical_value: float, system: str, *, infant: bool = False
) -> str:
    """ "182 lb", "98.6 °F", "3/10", "7 lb 8 oz"."""
    text = format_value(field, canonical_value, system, infant=infant)
    if field is VitalField.WEIGHT and system == US and infant:
        return text
    symbol = kind(field).display_unit(system).symbol
    return f"{text}{symbol}" if symbol == "/10" else f"{text} {symbol}"


def to_canonical(field: VitalField, value: float, unit: Unit) -> float:
    """Convert and check that a person could have this value; the message names the field,
    the number as typed and the range, in the unit it was typed in."""
    spec = kind(field)
    if value != value or value in (float("inf"), float("-inf")):  # NaN or infinite
        raise ImplausibleValue(f"Enter {spec.label.lower()} as a number.")
    if field is VitalField.PAIN and value != int(value):
        raise ImplausibleValue("Pain is a whole number from 0 (none) to 10 (worst imaginable).")
    canonical = unit.to_canonical(value)
    if not spec.low <= canonical <= spec.high:
        low = number_text(unit.from_canonical(spec.low), unit)
        high = number_text(unit.from_canonical(spec.high), unit)
        typed = f"{value:,.4f}".rstrip("0").rstrip(".")
        if unit is SCORE:
            raise ImplausibleValue(f"Pain {typed} is not possible; pain is scored 0 to 10.")
        raise ImplausibleValue(
            f"{spec.label} {typed} {unit.symbol} is not possible; check the number "
            f"(expected {low} to {high} {unit.symbol})."
        )
    return canonical


def body_mass_index(weight_kg: float, height_cm: float) -> float:
    """BMI = weight (kg) / height (m)²."""
    metres = height_cm / 100
    return weight_kg / (metres * metres)


def checked_bmi(weight_kg: float, height_cm: float) -> float:
    value = body_mass_index(weight_kg, height_cm)
    if not KINDS[VitalField.BMI].low <= value <= KINDS[VitalField.BMI].high:
        raise ImplausibleValue(
            f"A height of {number_text(height_cm, CM)} cm and a weight of "
            f"{number_text(weight_kg, KG)} kg give a BMI of {value:,.0f}, which is not possible; "
            "check both numbers."
        )
    return value


@dataclass(frozen=True)
class ReferenceRange:
    """Canonical-unit limits: below `low` is low, at or above `high` is high (and likewise
    for the critical limits). None: no limit on that side."""

    low: float | None = None
    high: float | None = None
    critical_low: float | None = None
    critical_high: float | None = None

    def flag(self, value: float) -> VitalFlag:
        value = round(value, 4)  # 100.4 °F is 38 °C, not 37.99999
        if self.critical_low is not None and value < self.critical_low:
            return VitalFlag.CRITICAL_LOW
        if self.critical_high is not None and value >= self.critical_high:
            return VitalFlag.CRITICAL_HIGH
        if self.low is not None and value < self.low:
            return VitalFlag.LOW
        if self.high is not None and value >= self.high:
            return VitalFlag.HIGH
        return VitalFlag.NORMAL


_R = ReferenceRange
# Adults. Blood pressure: 2017 ACC/AHA guideline (Whelton et al., Hypertension 2018;71:e13):
# ≥ 130/80 is stage 1 hypertension, > 180/120 a hypertensive crisis; systolic < 90 is the
# usual definition of hypotension. Pulse 60–100 and respiratory rate 12–20 are the usual
# adult resting ranges; the critical limits are the NEWS2 "score 3" bands (Royal College of
# Physicians, National Early Warning Score 2, 2017): pulse ≤ 40 or ≥ 131, respiratory rate
# ≤ 8 or ≥ 25, SpO2 ≤ 91 %. Temperature: fever ≥ 38.0 °C (100.4 °F), hypothermia < 35 °C.
# BMI: WHO / CDC adult categories (underweight < 18.5, obesity ≥ 30).
_ADULT: dict[VitalField, ReferenceRange] = {
    VitalField.SYSTOLIC: _R(low=90, high=130, critical_low=70, critical_high=180),
    VitalField.DIASTOLIC: _R(low=60, high=80, critical_high=120),
    VitalField.PULSE: _R(low=60, high=101, critical_low=41, critical_high=131),
    VitalField.RESPIRATORY_RATE: _R(low=12, high=21, critical_low=9, critical_high=25),
    VitalField.SPO2: _R(low=95, critical_low=92),
    VitalField.TEMPERATURE: _R(low=36.0, high=38.0, critical_low=35.0, critical_high=40.0),
    VitalField.BMI: _R(low=18.5, high=30),
    VitalField.PAIN: _R(high=7),  # 7–10 is severe pain on the 0–10 numeric rating scale
}
# Children (under 18), by age band (upper bound in years, exclusive). Awake heart rate and
# respiratory rate ranges from the AHA Pediatric Advanced Life Support provider manual
# (PALS 2015/2016 tables). Critical: heart rate < 60 (PALS: bradycardia needing CPR when
# perfusion is poor), ≥ 220 in infants / ≥ 180 in children (the usual SVT thresholds);
# respiratory rate < 10 or > 60 at any age (PALS: abnormal at any age).
_CHILD_PULSE = (
    (0.25, _R(low=85, high=206, critical_low=60, critical_high=220)),
    (2.0, _R(low=100, high=191, critical_low=60, critical_high=220)),
    (10.0, _R(low=60, high=141, critical_low=60, critical_high=180)),
    (18.0, _R(low=60, high=101, critical_low=41, critical_high=180)),
)
_CHILD_RESPIRATORY_RATE = (
    (1.0, _R(low=30, high=61, critical_low=10, critical_high=61)),
    (4.0, _R(low=24, high=41, critical_low=10, critical_high=61)),
    (6.0, _R(low=22, high=35, critical_low=10, critical_high=61)),
    (13.0, _R(low=18, high=31, critical_low=10, critical_high=61)),
    (18.0, _R(low=12, high=17, critical_low=10, critical_high=61)),
)
# Children's blood pressure: AAP 2017 (Flynn et al., Pediatrics 2017;140:e20171904) uses
# the adult thresholds from age 13; younger children need height-percentile tables, so only
# hypotension is flagged, with the PALS limits: systolic < 60 (first month), < 70 (infants),
# < 70 + 2 × age in years (1–10 years), < 90 from 10 years.
BP_ADULT_THRESHOLDS_FROM = 13.0


def _child_hypotension(age: float) -> ReferenceRange:
    if age < 28 / 365.25:
        limit = 60.0
    elif age < 1:
        limit = 70.0
    elif age < 10:
        limit = 70 + 2 * int(age)
    else:
        limit = 90.0
    return _R(critical_low=limit)


def reference_range(field: VitalField, age_years: float | None) -> ReferenceRange | None:
    """The range a value is flagged against (age unknown: the adult one)."""
    if age_years is None or age_years >= ADULT_AGE:
        return _ADULT.get(field)
    if field is VitalField.PULSE:
        return next(r for bound, r in _CHILD_PULSE if age_years < bound)
    if field is VitalField.RESPIRATORY_RATE:
        return next(r for bound, r in _CHILD_RESPIRATORY_RATE if age_years < bound)
    if field in (VitalField.SYSTOLIC, VitalField.DIASTOLIC):
        if age_years >= BP_ADULT_THRESHOLDS_FROM:
            return _ADULT[field]
        return _child_hypotension(age_years) if field is VitalField.SYSTOLIC else None
    if field is VitalField.BMI:
        return None  # a child's BMI is read as a percentile on the growth chart
    return _ADULT.get(field)


def flag_for(field: VitalField, canonical_value: float, age_years: float | None) -> VitalFlag:
    limits = reference_range(field, age_years)
    return VitalFlag.NORMAL if limits is None else limits.flag(canonical_value)


FLAG_SEVERITY = {
    VitalFlag.NORMAL: 0,
    VitalFlag.LOW: 1,
    VitalFlag.HIGH: 1,
    VitalFlag.CRITICAL_LOW: 2,
    VitalFlag.CRITICAL_HIGH: 2,
}


def worst_flag(*flags: VitalFlag) -> VitalFlag:
    return max(flags, key=FLAG_SEVERITY.__getitem__, default=VitalFlag.NORMAL)
