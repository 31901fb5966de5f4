"""The claim scrubber: everything a payer would reject a professional claim for, found
before it is sent, in words a biller understands. Pure functions over the Claim data
(app/interop/claim_document.py), no database: the claims service builds the Claim and
refuses to submit it while `scrub` reports an error.

Built-in checks follow the X12 5010 837P guide (005010X222A1) and CMS rules; the
practice adds its own as data (claim_rules.PracticeRule)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from app.interop.claim_document import Address, Claim, Person, ServiceLine
from app.services import billing_data
from app.services.chart_lists_data import default_icd10_catalog
from app.services.claim_rules import (
    PracticeRule,
    RuleKind,
    ScrubProblem,
    Severity,
    check_rule,
    rule_problems,
)
from app.terminology.icd10cm import Icd10Catalog, Icd10Code, compact_code
from app.terminology.identifiers import NPI_PATTERN, npi_is_valid

__all__ = [
    "DiagnosisLookup",
    "PracticeRule",
    "RuleKind",
    "ScrubContext",
    "ScrubProblem",
    "Severity",
    "check_rule",
    "has_errors",
    "scrub",
]

# Finds an ICD-10-CM code typed with or without its dot (Icd10Catalog.get fits).
DiagnosisLookup = Callable[[str], Icd10Code | None]

DEFAULT_TIMELY_FILING_DAYS = 365  # most commercial payers and Medicare (42 CFR 424.44)
TIMELY_FILING_WARNING_DAYS = 30
# 837P: CLM01 may hold 38 characters, but payers keep and return only 20 (005010X222A1
# 2300 CLM01 note); the 2400 loop repeats at most 50 times per claim.
MAX_CONTROL_NUMBER = 20
MAX_LINES = 50
SEXES = ("F", "M", "U")
# PAT01 (005010X222A1 2000C): spouse, child, employee, unknown, other relationship.
PATIENT_RELATIONSHIPS = ("01", "19", "20", "21", "G8")
# CLM05-3: original, replacement (corrected), void.
FREQUENCY_CODES = ("1", "7", "8")


@dataclass(frozen=True)
class ScrubContext:
    today: date
    timely_filing_days: int = DEFAULT_TIMELY_FILING_DAYS  # the payer's limit
    # The ICD-10-CM code set (an Icd10Catalog or a lookup); None opens the installed one.
    icd10: Icd10Catalog | DiagnosisLookup | None = None
    rules: Sequence[PracticeRule] = ()  # the practice's own; per-payer ones filter here

    def find_diagnosis(self, code: str) -> Icd10Code | None:
        if isinstance(self.icd10, Icd10Catalog):
            return self.icd10.get(code)
        if self.icd10 is not None:
            return self.icd10(code)
        return default_icd10_catalog().get(code)


def scrub(claim: Claim, context: ScrubContext) -> list[ScrubProblem]:
    """Every problem with the claim, errors and warnings, in the order of the claim."""
    problems = list(_builtin(claim, context))
    for rule in context.rules:
        reasons = check_rule(rule)
        if reasons:  # saved before a check existed, or edited outside the screen
            message = f"The practice rule “{rule.name}” cannot be used: {reasons[0]}"
            problems.append(ScrubProblem(rule.field, message, Severity.WARNING, rule.name))
        else:
            problems += rule_problems(claim, rule, context.today)
    return problems


def has_errors(problems: Sequence[ScrubProblem]) -> bool:
    return any(problem.blocks_submission for problem in problems)


# -- built-in checks -------------------------------------------------------------------


def _builtin(claim: Claim, context: ScrubContext) -> Iterator[ScrubProblem]:
    yield from _claim_header(claim)
    yield from _providers(claim)
    yield from _insured(claim)
    yield from _diagnoses(claim, context)
    yield from _lines(claim, context)
    yield from _timely_filing(claim, context)
    yield from _coordination(claim)


def _error(field: str, rule: str, message: str) -> ScrubProblem:
    return ScrubProblem(field, message, Severity.ERROR, rule)


def _claim_header(claim: Claim) -> Iterator[ScrubProblem]:
    number = claim.control_number.strip()
    if not number:
        yield _error("control_number", "control_number", "The claim has no claim number.")
    elif len(number) > MAX_CONTROL_NUMBER:
        yield _error(
            "control_number",
            "control_number",
            f"The claim number {number} is longer than {MAX_CONTROL_NUMBER} characters; "
            "payers would cut it and could not match their payment to it.",
        )
    if not claim.payer.payer_id.strip():
        yield _error(
            "payer.payer_id",
            "payer_id",
            f"The payer {claim.payer.name} has no payer ID; add it to the payer's details.",
        )
    yield from _place_of_service("place_of_service", claim.place_of_service, "The claim's ")
    if claim.frequency_code not in FREQUENCY_CODES:
        yield _error(
            "frequency_code",
            "frequency_code",
            f"The claim frequency {claim.frequency_code} is not 1 (original), "
            "7 (corrected) or 8 (void).",
        )
    elif claim.frequency_code != "1" and not (claim.payer_claim_number or "").strip():
        action = "A corrected" if claim.frequency_code == "7" else "A void"
        yield _error(
            "payer_claim_number",
            "payer_claim_number",
            f"{action} claim must give the payer's claim number of the claim it replaces "
            "(from the remittance or the payer's portal).",
        )


def _providers(claim: Claim) -> Iterator[ScrubProblem]:
    billing = claim.billing_provider
    yield from _npi("billing_provider.npi", billing.npi, "The billing provider's NPI")
    yield from _npi(
        "rendering_provider.npi",
        claim.rendering_provider.npi,
        f"The NPI of {_name(claim.rendering_provider.person)}",
    )
    if not billing.organization_name.strip():
        yield _error(
            "billing_provider.organization_name", "billing_name", "The practice name is missing."
        )
    if not _digits(billing.tax_id, 9):
        yield _error(
            "billing_provider.tax_id",
            "tax_id",
            f"The practice's tax ID (EIN) must be 9 digits without a dash; it is "
            f"“{billing.tax_id}”.",
        )
    yield from _address("billing_provider.address", billing.address, "The billing address")
    if not _digits(billing.address.postal_code, 9):
        yield _error(
            "billing_provider.address.postal_code",
            "billing_zip",
            "The billing address needs the 9-digit ZIP code (ZIP+4) on a claim; it is "
            f"“{billing.address.postal_code}”.",
        )
    person = claim.rendering_provider.person
    if not person.last_name.strip():
        yield _error(
            "rendering_provider.person.last_name",
            "rendering_name",
            "The rendering provider's last name is missing.",
        )


def _npi(field: str, npi: str, whose: str) -> Iterator[ScrubProblem]:
    # NPI: 10 digits, the last a Luhn check digit computed with the 80840 prefix (CMS,
    # "Requirements for National Provider Identifier (NPI) and NPI Enumeration").
    if not NPI_PATTERN.fullmatch(npi):
        yield _error(field, "npi", f"{whose} must be 10 digits; it is “{npi}”.")
    elif not npi_is_valid(npi):
        yield _error(
            field,
            "npi",
            f"{whose} {npi} is not a valid NPI: its check digit is wrong, so a digit was "
            "probably mistyped. Compare it with the NPI registry.",
        )


def _insured(claim: Claim) -> Iterator[ScrubProblem]:
    subscriber = claim.subscriber
    if not subscriber.member_id.strip():
        yield _error(
            "subscriber.member_id",
            "member_id",
            "The subscriber's member ID is missing; it is on the insurance card.",
        )
    yield from _party("subscriber", subscriber.person, subscriber.birth_date, subscriber.sex)
    if claim.patient is None:
        return
    patient = claim.patient
    yield from _party("patient", patient.person, patient.birth_date, patient.sex)
    if patient.relationship_code not in PATIENT_RELATIONSHIPS:
        yield _error(
            "patient.relationship_code",
            "patient_relationship",
            f"The patient's relationship to the subscriber ({patient.relationship_code}) is "
            "not one a claim can carry: spouse, child, employee, other or unknown.",
        )


def _party(role: str, person: Person, birth_date: date | None, sex: str) -> Iterator[ScrubProblem]:
    whose = f"The {role}'s"
    if not person.last_name.strip():
        yield _error(f"{role}.person.last_name", f"{role}_name", f"{whose} last name is missing.")
    if not person.first_name.strip():
        yield _error(f"{role}.person.first_name", f"{role}_name", f"{whose} first name is missing.")
    if birth_date is None:
        yield _error(f"{role}.birth_date", f"{role}_birth_date", f"{whose} birth date is missing.")
    if sex not in SEXES:
        yield _error(
            f"{role}.sex",
            f"{role}_sex",
            f"{whose} sex on a claim must be F, M or U (unknown); it is “{sex}”.",
        )


def _address(field: str, address: Address, what: str) -> Iterator[ScrubProblem]:
    missing = [
        name
        for name, value in (
            ("street", address.line1),
            ("city", address.city),
            ("state", address.state),
        )
        if not value.strip()
    ]
    if missing:
        yield _error(field, "address", f"{what} has no {' or '.join(missing)}.")
    elif len(address.state.strip()) != 2:
        yield _error(
            f"{field}.state",
            "address",
            f"{what}'s state must be the two-letter abbreviation; it is “{address.state}”.",
        )


def _diagnoses(claim: Claim, context: ScrubContext) -> Iterator[ScrubProblem]:
    codes = list(claim.diagnosis_codes)
    if not codes:
        yield _error(
            "diagnosis_codes", "diagnosis_count", "The claim has no diagnosis; add at least one."
        )
    elif len(codes) > billing_data.MAX_DIAGNOSES:
        yield _error(
            "diagnosis_codes",
            "diagnosis_count",
            f"The claim has {len(codes)} diagnoses; a claim holds at most "
            f"{billing_data.MAX_DIAGNOSES}. Split the visit's charges over two claims.",
        )
    seen: dict[str, int] = {}
    for position, code in enumerate(codes, start=1):
        field = f"diagnosis_codes[{position}]"
        compact = compact_code(code)
        if compact in seen:
            yield _error(
                field,
                "diagnosis_duplicate",
                f"Diagnosis {position} ({code}) repeats diagnosis {seen[compact]}; "
                "list each diagnosis once.",
            )
            continue
        seen[compact] = position
        found = context.find_diagnosis(code) if compact else None
        if found is None:
            yield _error(
                field,
                "diagnosis_code",
                f"Diagnosis {position} “{code}” is not an ICD-10-CM code.",
            )
        elif not found.billable:
            yield _error(
                field,
                "diagnosis_code",
                f"Diagnosis {position} {found.code} ({found.description}) is a category, not "
                "a billable code; choose a more specific code under it.",
            )


def _lines(claim: Claim, context: ScrubContext) -> Iterator[ScrubProblem]:
    if not claim.lines:
        yield _error("lines", "line_count", "The claim has no service lines.")
    elif len(claim.lines) > MAX_LINES:
        yield _error(
            "lines",
            "line_count",
            f"The claim has {len(claim.lines)} lines; an electronic claim holds at most "
            f"{MAX_LINES}. Split it.",
        )
    for number, line in enumerate(claim.lines, start=1):
        yield from _line(number, line, len(claim.diagnosis_codes), context.today)


def _line(number: int, line: ServiceLine, diagnoses: int, today: date) -> Iterator[ScrubProblem]:
    at, name = f"lines[{number}]", f"Line {number}"
    if billing_data.code_system_of(line.procedure_code) is None:
        yield _error(
            f"{at}.procedure_code",
            "procedure_code",
            f"{name}: “{line.procedure_code}” is not a CPT or HCPCS code.",
        )
    yield from _pointers(at, name, line.diagnosis_pointers, diagnoses)
    if line.place_of_service is not None:
        yield from _place_of_service(f"{at}.place_of_service", line.place_of_service, f"{name}: ")
    try:
        billing_data.modifiers(list(line.modifiers))
    except ValueError as error:
        yield _error(f"{at}.modifiers", "modifiers", f"{name}: {error}.")
    try:
        billing_data.units(line.units)
    except ValueError as error:
        yield _error(f"{at}.units", "units", f"{name}: {error}; it is {line.units}.")
    if line.charge_cents <= 0:
        yield _error(f"{at}.charge_cents", "charge", f"{name}: the charge must be more than $0.00.")
    if line.service_on > today:
        yield _error(
            f"{at}.service_on",
            "service_date",
            f"{name}: the date of service {line.service_on:%m/%d/%Y} is in the future.",
        )


def _pointers(
    at: str, name: str, pointers: Sequence[int], diagnoses: int
) -> Iterator[ScrubProblem]:
    field = f"{at}.diagnosis_pointers"
    if not pointers:
        yield _error(field, "diagnosis_pointer", f"{name} points to no diagnosis; choose one.")
    elif len(pointers) > billing_data.MAX_POINTERS:
        yield _error(
            field,
            "diagnosis_pointer",
            f"{name} points to {len(pointers)} diagnoses; a line points to at most "
            f"{billing_data.MAX_POINTERS}.",
        )
    elif len(set(pointers)) != len(pointers):
        yield _error(field, "diagnosis_pointer", f"{name} points to the same diagnosis twice.")
    for pointer in pointers:
        if pointer < 1:
            yield _error(
                field,
                "diagnosis_pointer",
                f"{name} points to diagnosis {pointer}; diagnoses are numbered from 1.",
            )
        elif diagnoses and pointer > diagnoses:  # with none, the claim's own error says so
            yield _error(
                field,
                "diagnosis_pointer",
                f"{name} points to diagnosis {pointer}, but the claim has only {diagnoses}.",
            )


def _place_of_service(field: str, code: str, where: str) -> Iterator[ScrubProblem]:
    if code not in billing_data.PLACE_OF_SERVICE_LABELS:
        yield _error(
            field,
            "place_of_service",
            f"{where}place of service “{code}” is not a place-of-service code a practice "
            "bills from (11 is the office; 02 and 10 are telehealth).",
        )


def _timely_filing(claim: Claim, context: ScrubContext) -> Iterator[ScrubProblem]:
    """The oldest line decides: the payer refuses a claim filed after its limit."""
    if not claim.lines or claim.frequency_code == "8":  # a void is not a new filing
        return
    number, oldest = min(enumerate(claim.lines, start=1), key=lambda item: item[1].service_on)
    deadline = oldest.service_on + timedelta(days=context.timely_filing_days)
    left = (deadline - context.today).days
    field = f"lines[{number}].service_on"
    limit = f"the payer's {context.timely_filing_days}-day filing limit"
    if left < 0:
        yield _error(
            field,
            "timely_filing",
            f"Line {number} (seen {oldest.service_on:%m/%d/%Y}) is past {limit}, which ended "
            f"{deadline:%m/%d/%Y}. The payer will deny it unless you have proof of timely "
            "filing.",
        )
    elif left <= TIMELY_FILING_WARNING_DAYS:
        yield ScrubProblem(
            field,
            f"Send this claim soon: {limit} for line {number} (seen "
            f"{oldest.service_on:%m/%d/%Y}) ends {deadline:%m/%d/%Y}, in {left} days.",
            Severity.WARNING,
            "timely_filing",
        )


def _coordination(claim: Claim) -> Iterator[ScrubProblem]:
    """A secondary (or tertiary) claim must say what the earlier payer did."""
    if claim.subscriber.payer_responsibility == "P":
        return
    other = claim.other_payer
    if other is None:
        yield _error(
            "other_payer",
            "other_payer",
            "This is a secondary claim, but it has no primary payer's payment; post the "
            "primary payer's remittance first.",
        )
        return
    if not other.payer.payer_id.strip():
        yield _error(
            "other_payer.payer.payer_id",
            "other_payer",
            f"The primary payer {other.payer.name} has no payer ID.",
        )
    if not other.subscriber.member_id.strip():
        yield _error(
            "other_payer.subscriber.member_id",
            "other_payer",
            "The member ID with the primary payer is missing.",
        )


def _digits(text: str, count: int) -> bool:
    return len(text) == count and text.isascii() and text.isdigit()


def _name(person: Person) -> str:
    return f"{person.first_name} {person.last_name}".strip() or "the rendering provider"
