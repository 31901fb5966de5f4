"""Plain data for fee schedules and charges, and the rules for the codes and prices in them.

Everything here is frozen and free of the database, so the fee-schedule import, charge
capture, the ledger and the screens all check a code or a price the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from app.models import ChargeStatus, CodeSystem, EncounterType

# CPT (Level I HCPCS): five digits, or four digits and F (Category II, performance
# measures) or T (Category III, emerging technology). Only the format is checked: the
# practice brings its own licensed code list.
_CPT = re.compile(r"\d{5}|\d{4}[FT]")
# HCPCS Level II (CMS): a letter A to V and four digits.
_HCPCS = re.compile(r"[A-V]\d{4}")
_MODIFIER = re.compile(r"[A-Z0-9]{2}")
_PRICE = re.compile(r"\$?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?")

MAX_PRICE_CENTS = 10_000_000  # $100,000.00: anything above is a typing slip
MAX_UNITS = 999
MAX_MODIFIERS = 4  # a claim line holds four
MAX_POINTERS = 4  # a claim line points to at most four of the claim's diagnoses
MAX_DIAGNOSES = 12  # a professional claim lists at most twelve
MAX_DESCRIPTION = 300

# The places a small practice bills from, out of CMS's Place of Service Code Set
# (cms.gov, "Place of Service Code Set"); a code not listed here is reported by the scrubber.
PLACE_OF_SERVICE_LABELS = {
    "02": "Telehealth, patient not at home",
    "03": "School",
    "04": "Homeless shelter",
    "10": "Telehealth, patient at home",
    "11": "Office",
    "12": "Home",
    "13": "Assisted living facility",
    "14": "Group home",
    "15": "Mobile unit",
    "17": "Walk-in retail health clinic",
    "19": "Off-campus outpatient hospital",
    "20": "Urgent care facility",
    "21": "Inpatient hospital",
    "22": "On-campus outpatient hospital",
    "23": "Emergency room, hospital",
    "24": "Ambulatory surgical center",
    "31": "Skilled nursing facility",
    "32": "Nursing facility",
    "33": "Custodial care facility",
    "49": "Independent clinic",
    "50": "Federally qualified health center",
    "71": "Public health clinic",
    "72": "Rural health clinic",
    "81": "Independent laboratory",
    "99": "Other place of service",
}
CHARGE_STATUS_LABELS = {
    ChargeStatus.PROPOSED: "Proposed",
    ChargeStatus.POSTED: "Posted",
    ChargeStatus.VOIDED: "Voided",
}


def code_system_of(code: str) -> CodeSystem | None:
    """Which code set a procedure code is written in, by its form; None if neither."""
    if _CPT.fullmatch(code):
        return CodeSystem.CPT
    if _HCPCS.fullmatch(code):
        return CodeSystem.HCPCS
    return None


def procedure_code(text: str) -> tuple[CodeSystem, str]:
    """A procedure code as typed (any case, spaces around) → its code set and the code;
    ValueError with the reason (for the user) when it has neither form."""
    code = text.strip().upper()
    if not code:
        raise ValueError("the procedure code is missing")
    system = code_system_of(code)
    if system is None:
        raise ValueError(
            f"{code} is not a procedure code: CPT is 5 digits (or 4 digits and F or T), "
            "HCPCS Level II is a letter A to V and 4 digits"
        )
    return system, code


def price_cents(text: str) -> int:
    """ "$1,234.5" → 123450: dollars with at most two decimals, above zero, read exactly
    (no binary floating point); ValueError with the reason otherwise."""
    typed = text.strip()
    if typed.startswith(("-", "−")):
        raise ValueError("the price must be more than $0.00")
    match = _PRICE.fullmatch(typed)
    if not match:
        raise ValueError(f"the price {typed!r} is not dollars and cents like 125.00")
    dollars, cents = match.group(1).replace(",", ""), match.group(2) or "0"
    try:
        amount = Decimal(dollars) + Decimal(cents.ljust(2, "0")) / 100
    except InvalidOperation:  # pragma: no cover - the pattern admits digits only
        raise ValueError(f"the price {typed!r} is not a number") from None
    value = int(amount * 100)
    if value <= 0:
        raise ValueError("the price must be more than $0.00")
    if value > MAX_PRICE_CENTS:
        raise ValueError(f"the price {typed} is more than {format_cents(MAX_PRICE_CENTS)}")
    return value


def format_cents(cents: int) -> str:
    """12345 → "$123.45"; −500 → "−$5.00"."""
    sign = "−" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}${whole:,}.{part:02d}"


def modifiers(values: tuple[str, ...] | list[str]) -> list[str]:
    """Up to four two-character modifiers ("25", "95", "QW"), in order, no repeats."""
    cleaned = [v.strip().upper() for v in values if v.strip()]
    if len(cleaned) > MAX_MODIFIERS:
        raise ValueError(f"a charge takes at most {MAX_MODIFIERS} modifiers")
    for value in cleaned:
        if not _MODIFIER.fullmatch(value):
            raise ValueError(f"{value} is not a modifier: modifiers are two letters or digits")
    if len(set(cleaned)) != len(cleaned):
        raise ValueError("a modifier is given twice")
    return cleaned


def units(value: int) -> int:
    if not 1 <= value <= MAX_UNITS:
        raise ValueError(f"units must be a whole number from 1 to {MAX_UNITS}")
    return value


def pointers(values: tuple[int, ...] | list[int], diagnosis_count: int) -> list[int]:
    """Diagnosis pointers (1-based positions in the claim's diagnosis list), 1 to 4 of them."""
    chosen = list(values)
    if not chosen:
        raise ValueError("point the charge to at least one diagnosis")
    if len(chosen) > MAX_POINTERS:
        raise ValueError(f"a charge points to at most {MAX_POINTERS} diagnoses")
    if len(set(chosen)) != len(chosen):
        raise ValueError("a diagnosis pointer is given twice")
    for pointer in chosen:
        if not 1 <= pointer <= diagnosis_count:
            raise ValueError(
                f"diagnosis pointer {pointer} is not one of the visit's {diagnosis_count} diagnoses"
            )
    return chosen


# -- fee schedules -------------------------------------------------------------------------


@dataclass(frozen=True)
class FeeScheduleInput:
    name: str
    payer_id: str | None = None  # None: not a payer's (self-pay or a practice list)
    is_default: bool = False  # the self-pay schedule, used when the payer has none
    effective_on: date | None = None
    active: bool = True


@dataclass(frozen=True)
class FeeScheduleView:
    id: str
    version: int
    name: str
    payer_id: str | None
    payer_name: str | None
    is_default: bool
    effective_on: date | None
    active: bool
    item_count: int  # active items


@dataclass(frozen=True)
class FeeItemInput:
    code: str  # CPT or HCPCS Level II, any case
    description: str  # blank: for a HCPCS Level II code, our short description of it
    price_cents: int  # per unit
    units: int = 1
    default_icd10: str | None = None  # the diagnosis it usually goes with


@dataclass(frozen=True)
class FeeItemView:
    id: str
    version: int
    schedule_id: str
    code_system: CodeSystem
    code: str
    description: str
    price_cents: int
    default_units: int
    default_icd10: str | None
    active: bool

    @property
    def price_text(self) -> str:
        return format_cents(self.price_cents)


@dataclass(frozen=True)
class ImportProblem:
    line: int  # the line of the file, counting from 1 (the header is line 1 or later)
    code: str  # as typed ("" when the line has none)
    reason: str


@dataclass(frozen=True)
class ImportReport:
    """What an import did. With any problem nothing was written (`written` False)."""

    schedule_id: str
    lines_read: int  # item lines (not the header, comments or blank lines)
    added: int
    updated: int
    unchanged: int
    problems: tuple[ImportProblem, ...]

    @property
    def written(self) -> bool:
        return not self.problems and (self.added + self.updated) > 0

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class HcpcsCode:
    code: str
    description: str  # our own short words; CMS publishes the official ones


# -- charges -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ChargeView:
    id: str
    version: int
    patient_id: str
    encounter_id: str | None
    code_system: CodeSystem
    procedure_code: str
    description: str
    modifiers: tuple[str, ...]
    units: int
    diagnosis_codes: tuple[str, ...]  # the visit's, in claim order
    diagnosis_pointers: tuple[int, ...]  # 1-based positions in diagnosis_codes
    place_of_service: str
    rendering_provider_id: str
    rendering_provider_name: str
    service_on: date
    unit_price_cents: int
    amount_cents: int
    fee_schedule_item_id: str | None
    status: ChargeStatus
    suggestion_reason: str | None
    patient_name: str = ""  # "Lopez, Ana", for the biller's lists

    @property
    def priced(self) -> bool:
        """False: the code has no price in the fee schedules; add it there, then confirm."""
        return self.fee_schedule_item_id is not None

    @property
    def status_label(self) -> str:
        return CHARGE_STATUS_LABELS[self.status]

    @property
    def amount_text(self) -> str:
        return format_cents(self.amount_cents)

    @property
    def pointed_diagnoses(self) -> tuple[str, ...]:
        return tuple(self.diagnosis_codes[p - 1] for p in self.diagnosis_pointers)


@dataclass(frozen=True)
class ChargeChanges:
    """What the physician or biller changes on a proposed charge; None leaves it as it is."""

    procedure_code: str | None = None
    modifiers: tuple[str, ...] | None = None
    units: int | None = None
    diagnosis_pointers: tuple[int, ...] | None = None
    # The visit's ICD-10-CM codes in claim order, for all its proposed charges (their
    # pointers follow the codes they pointed to).
    diagnosis_codes: tuple[str, ...] | None = None


@dataclass(frozen=True)
class VisitToBill:
    """A signed visit whose charges have not been captured yet."""

    encounter_id: str
    patient_id: str
    patient_name: str  # "Lopez, Ana"
    mrn: str
    encounter_type: EncounterType
    service_on: date
    provider_name: str
