"""Our own X12 5010 837P (professional claim) writer.

Layout: ASC X12 implementation guide 005010X222A1 (loops 1000A/B, 2000A-C, 2010xx, 2300,
2310B, 2320/2330A/2330B, 2400, 2430). The writer takes the plain claim data of
app/interop/claim_document.py and never reads the database.

The claim scrubber gives users their messages; `validate_batch` here is the last line of
defence and raises ValueError naming the claim and field it cannot write.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time

from app.interop.claim_document import (
    Address,
    Adjustment,
    BillingProvider,
    Claim,
    ClaimBatch,
    OtherPayer,
    PatientParty,
    Payer,
    Person,
    ServiceLine,
    Subscriber,
)
from app.interop.x12_common import (
    DEFAULT_SEPARATORS,
    clean_text,
    format_amount,
    format_date,
    format_quantity,
)
from app.interop.x12_envelope import Envelope, TransactionBody, interchange
from app.terminology.identifiers import npi_is_valid

IMPLEMENTATION_GUIDE = "005010X222A1"
MAX_DIAGNOSES = 12  # HI01..HI12
MAX_POINTERS = 4  # SV107-1..SV107-4
MAX_MODIFIERS = 4  # SV101-3..SV101-6
MAX_LINES = 50  # 2400 loop repeat
MAX_CAS_REASONS = 6  # CAS02..CAS19 hold six reason/amount/quantity triplets
FREQUENCIES = frozenset({"1", "7", "8"})
RESPONSIBILITIES = frozenset("ABCDEFGHPSTU")  # SBR01
SEXES = frozenset({"F", "M", "U"})
# 2000C PAT01 (patient is not the subscriber) and 2320 SBR02 (relationship to the other
# subscriber) code lists.
PATIENT_RELATIONSHIPS = frozenset({"01", "19", "20", "21", "39", "40", "53", "G8"})
OTHER_SUBSCRIBER_RELATIONSHIPS = frozenset({"01", "18", "19", "20", "21", "39", "40", "53", "G8"})


def _code_list(codes: str) -> frozenset[str]:
    return frozenset(codes.split())


# SBR09 claim filing indicator codes (CI commercial, MB Medicare B, MC Medicaid, ...).
FILING_INDICATORS = _code_list(
    "11 12 13 14 15 16 17 AM BL CH CI DS FI HM LM MA MB MC OF TV VA WC ZZ"
)
ADJUSTMENT_GROUPS = frozenset({"CO", "CR", "OA", "PI", "PR"})
# N402 for US addresses (code source 22, USPS): the states, DC, the outlying areas and the
# military "states" AA/AE/AP.
US_STATES = _code_list(
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ"
    " NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC"
    " AS FM GU MH MP PR PW VI AA AE AP"
)

_ICD10 = re.compile(r"[A-Z][0-9][0-9A-Z]{1,5}")  # without the dot
_PROCEDURE = re.compile(r"[0-9A-Z]{5}")  # CPT or HCPCS level II
_MODIFIER = re.compile(r"[0-9A-Z]{2}")
_POS = re.compile(r"[0-9]{2}")
_ZIP = re.compile(r"[0-9]{5}([0-9]{4})?")
_ZIP9 = re.compile(r"[0-9]{9}")
_TAX_ID = re.compile(r"[0-9]{9}")
_PHONE = re.compile(r"[0-9]{10}")
_TAXONOMY = re.compile(r"[0-9A-Z]{9}X")
_TIME = re.compile(r"([01][0-9]|2[0-3])[0-5][0-9]")
# Identifiers go out as given, so they may hold nothing that could break the file.
_IDENTIFIER = re.compile(r"[0-9A-Za-z][0-9A-Za-z .\-/]*")


# ---------------------------------------------------------------------------- validation


class _Problems:
    """Collects what is wrong so one ValueError lists every problem at once."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.items.append(f"{where}: {message}")

    def text(self, where: str, name: str, value: str | None, limit: int) -> None:
        cleaned = clean_text(value or "")
        if not cleaned:
            self.add(where, f"{name} is missing")
        elif len(cleaned) > limit:
            self.add(where, f"{name} is longer than {limit} characters")

    def optional_text(self, where: str, name: str, value: str | None, limit: int) -> None:
        if value and len(clean_text(value)) > limit:
            self.add(where, f"{name} is longer than {limit} characters")

    def identifier(self, where: str, name: str, value: str | None, low: int, high: int) -> None:
        if not value:
            self.add(where, f"{name} is missing")
        elif not _IDENTIFIER.fullmatch(value) or not low <= len(value) <= high:
            self.add(where, f"{name} {value!r} must be {low}-{high} letters or digits")

    def pattern(self, where: str, name: str, value: str | None, pattern: re.Pattern[str]) -> None:
        if not value or not pattern.fullmatch(value):
            self.add(where, f"{name} {value!r} is not valid")

    def one_of(self, where: str, name: str, value: str, allowed: frozenset[str]) -> None:
        if value not in allowed:
            self.add(where, f"{name} {value!r} is not one of {', '.join(sorted(allowed))}")

    def npi(self, where: str, name: str, value: str) -> None:
        if not npi_is_valid(value):
            self.add(where, f"{name} {value!r} is not a valid NPI (10 digits, check digit)")


def _check_person(p: _Problems, where: str, person: Person) -> None:
    p.text(where, "last name", person.last_name, 60)
    p.text(where, "first name", person.first_name, 35)
    p.optional_text(where, "middle name", person.middle_name, 25)
    p.optional_text(where, "suffix", person.suffix, 10)


def _check_address(p: _Problems, where: str, address: Address, *, zip9: bool = False) -> None:
    p.text(where, "address line 1", address.line1, 55)
    p.optional_text(where, "address line 2", address.line2, 55)
    p.text(where, "city", address.city, 30)
    if address.state not in US_STATES:
        p.add(where, f"state {address.state!r} is not a US state or territory code")
    p.pattern(where, "ZIP code", address.postal_code, _ZIP9 if zip9 else _ZIP)


def _check_payer(p: _Problems, where: str, payer: Payer) -> None:
    p.text(where, "payer name", payer.name, 60)
    p.identifier(where, "payer ID", payer.payer_id, 2, 80)
    if payer.address is not None:
        _check_address(p, where + " payer address", payer.address)


def _check_subscriber(p: _Problems, where: str, subscriber: Subscriber, is_patient: bool) -> None:
    _check_person(p, where, subscriber.person)
    p.identifier(where, "member ID", subscriber.member_id, 2, 80)
    p.one_of(where, "sex", subscriber.sex, SEXES)
    p.one_of(where, "payer responsibility", subscriber.payer_responsibility, RESPONSIBILITIES)
    p.one_of(where, "claim filing indicator", subscriber.filing_indicator, FILING_INDICATORS)
    if subscriber.group_number:
        p.identifier(where, "group number", subscriber.group_number, 1, 50)
    p.optional_text(where, "group name", subscriber.group_name, 60)
    if subscriber.address is not None:
        _check_address(p, where + " address", subscriber.address)
    elif is_patient:  # 2010BA N3/N4 are required when the subscriber is the patient
        p.add(where, "address is missing")


def _check_billing_provider(p: _Problems, where: str, provider: BillingProvider) -> None:
    p.text(where, "billing provider name", provider.organization_name, 60)
    p.npi(where, "billing provider NPI", provider.npi)
    p.pattern(where, "billing provider tax ID (9 digits)", provider.tax_id, _TAX_ID)
    # 2010AA N403: the billing provider's ZIP code must have all nine digits.
    _check_address(p, where + " billing provider address", provider.address, zip9=True)
    if provider.taxonomy_code is not None:
        p.pattern(where, "billing provider taxonomy", provider.taxonomy_code, _TAXONOMY)


def _check_adjustments(p: _Problems, where: str, adjustments: Sequence[Adjustment]) -> None:
    per_group: dict[str, int] = {}
    for adjustment in adjustments:
        p.one_of(where, "adjustment group", adjustment.group_code, ADJUSTMENT_GROUPS)
        p.identifier(where, "adjustment reason", adjustment.reason_code, 1, 5)
        per_group[adjustment.group_code] = per_group.get(adjustment.group_code, 0) + 1
    for group, count in per_group.items():
        if count > MAX_CAS_REASONS:
            p.add(where, f"more than {MAX_CAS_REASONS} {group} adjustment reasons")


def _check_line(p: _Problems, where: str, claim: Claim, line: ServiceLine) -> None:
    p.pattern(where, "procedure code", line.procedure_code, _PROCEDURE)
    if len(line.modifiers) > MAX_MODIFIERS:
        p.add(where, f"more than {MAX_MODIFIERS} modifiers")
    for modifier in line.modifiers:
        p.pattern(where, "modifier", modifier, _MODIFIER)
    if line.charge_cents < 0:
        p.add(where, "charge is negative")
    if line.units < 1:
        p.add(where, "units must be at least 1")
    pointers = list(line.diagnosis_pointers)
    if not 1 <= len(pointers) <= MAX_POINTERS:
        p.add(where, f"needs 1 to {MAX_POINTERS} diagnosis pointers")
    if len(set(pointers)) != len(pointers):
        p.add(where, "a diagnosis pointer repeats")
    for pointer in pointers:
        if not 1 <= pointer <= len(claim.diagnosis_codes):
            p.add(where, f"diagnosis pointer {pointer} points at no diagnosis")
    if line.place_of_service is not None:
        p.pattern(where, "place of service", line.place_of_service, _POS)
    if line.line_control_number is not None:
        p.identifier(where, "line control number", line.line_control_number, 1, 50)
    adjudication = line.other_payer
    if adjudication is not None:
        if claim.other_payer is None:
            p.add(where, "has the other payer's adjudication but the claim has no other payer")
        _check_adjustments(p, where, adjudication.adjustments)
        # 005010X222A1 2430: the line charge minus the line adjustments is what was paid.
        adjusted = sum(a.amount_cents for a in adjudication.adjustments)
        if adjudication.paid_cents + adjusted != line.charge_cents:
            p.add(
                where, "the other payer's paid amount and adjustments do not add up to the charge"
            )


def _check_other_payer(p: _Problems, where: str, claim: Claim, other: OtherPayer) -> None:
    _check_payer(p, where + " other payer", other.payer)
    _check_subscriber(p, where + " other subscriber", other.subscriber, is_patient=False)
    _check_adjustments(p, where + " other payer", other.adjustments)
    if other.paid_cents < 0:
        p.add(where, "the other payer's paid amount is negative")
    if other.payer.payer_id == claim.payer.payer_id:
        p.add(where, "the other payer has the same payer ID as the payer billed")
    relationship = other.patient_relationship_code
    if relationship is not None:
        p.one_of(
            where, "relationship to other subscriber", relationship, OTHER_SUBSCRIBER_RELATIONSHIPS
        )
    adjudicated = [line.other_payer for line in claim.lines if line.other_payer is not None]
    if adjudicated:
        if len(adjudicated) != len(claim.lines):
            p.add(where, "some service lines lack the other payer's adjudication")
        # The claim-level paid amount (AMT*D) is the sum of the lines' paid amounts (SVD02).
        elif sum(a.paid_cents for a in adjudicated) != other.paid_cents:
            p.add(where, "the other payer's paid amount differs from the sum of its line payments")
    elif other.paid_on is None:
        # 2330B DTP*573 is required when no 2430 line carries the adjudication date.
        p.add(where, "the other payer's adjudication date is missing")


def _check_claim(p: _Problems, claim: Claim) -> None:
    where = f"claim {claim.control_number or '(no control number)'}"
    p.identifier(where, "control number", claim.control_number, 1, 20)
    _check_billing_provider(p, where, claim.billing_provider)
    _check_person(p, where + " rendering provider", claim.rendering_provider.person)
    p.npi(where, "rendering provider NPI", claim.rendering_provider.npi)
    if claim.rendering_provider.taxonomy_code is not None:
        p.pattern(
            where, "rendering provider taxonomy", claim.rendering_provider.taxonomy_code, _TAXONOMY
        )
    _check_payer(p, where, claim.payer)
    _check_subscriber(p, where + " subscriber", claim.subscriber, is_patient=claim.patient is None)
    if claim.patient is not None:
        _check_patient(p, where + " patient", claim.patient)
    p.pattern(where, "place of service", claim.place_of_service, _POS)
    if not claim.diagnosis_codes:
        p.add(where, "has no diagnosis")
    if len(claim.diagnosis_codes) > MAX_DIAGNOSES:
        p.add(where, f"has more than {MAX_DIAGNOSES} diagnoses")
    if len(set(claim.diagnosis_codes)) != len(claim.diagnosis_codes):
        p.add(where, "a diagnosis code repeats")
    for code in claim.diagnosis_codes:
        p.pattern(where, "diagnosis code (ICD-10-CM without the dot)", code, _ICD10)
    if not claim.lines:
        p.add(where, "has no service lines")
    if len(claim.lines) > MAX_LINES:
        p.add(where, f"has more than {MAX_LINES} service lines")
    for number, line in enumerate(claim.lines, start=1):
        _check_line(p, f"{where} line {number}", claim, line)
    p.one_of(where, "frequency code", claim.frequency_code, FREQUENCIES)
    if claim.frequency_code in ("7", "8"):
        # REF*F8 names the payer's claim that a replacement or void replaces.
        p.identifier(
            where, "payer claim number of the replaced claim", claim.payer_claim_number, 1, 50
        )
    if claim.prior_authorization is not None:
        p.identifier(where, "prior authorization", claim.prior_authorization, 1, 50)
    if claim.other_payer is not None:
        _check_other_payer(p, where, claim, claim.other_payer)


def _check_patient(p: _Problems, where: str, patient: PatientParty) -> None:
    _check_person(p, where, patient.person)
    p.one_of(where, "sex", patient.sex, SEXES)
    p.one_of(where, "relationship to subscriber", patient.relationship_code, PATIENT_RELATIONSHIPS)
    if patient.address is None:  # 2010CA N3/N4 are required
        p.add(where, "address is missing")
    else:
        _check_address(p, where + " address", patient.address)


def validate_batch(batch: ClaimBatch) -> None:
    """Raise ValueError listing everything in `batch` the writer cannot put in a file."""
    p = _Problems()
    submitter = batch.submitter
    p.text("submitter", "name", submitter.name, 60)
    p.text("submitter", "contact name", submitter.contact_name, 60)
    p.pattern("submitter", "contact phone (10 digits)", submitter.contact_phone, _PHONE)
    p.text("submitter", "receiver name", submitter.receiver_name, 60)
    # ISA06/ISA08 are 15 characters wide; GS02/GS03 need at least 2.
    p.identifier("submitter", "submitter ID", submitter.submitter_id, 2, 15)
    p.identifier("submitter", "receiver ID", submitter.receiver_id, 2, 15)
    if submitter.contact_email is not None and not re.fullmatch(
        r"[^\s*:^~]+@[^\s*:^~]+", submitter.contact_email
    ):
        p.add("submitter", f"contact e-mail {submitter.contact_email!r} is not valid")
    if not 1 <= batch.interchange_number <= 999_999_999:
        p.add("batch", "interchange number must be 1 to 999999999")
    p.pattern("batch", "creation time (HHMM)", batch.created_at_time, _TIME)
    if batch.batch_id:
        p.identifier("batch", "batch ID", batch.batch_id, 1, 50)
    if not batch.claims:
        p.add("batch", "has no claims")
    for claim in batch.claims:
        _check_claim(p, claim)
    if p.items:
        raise ValueError("cannot write the 837P: " + "; ".join(p.items))


# ------------------------------------------------------------------------------- writing


@dataclass
class _Segments:
    """The transaction's segments between ST and SE, as element lists (x12_envelope
    drops trailing empty elements and adds the envelope)."""

    lines: list[list[str]] = field(default_factory=list)

    def add(self, *elements: str | Sequence[str]) -> None:
        """One segment; a tuple element is a composite, its trailing empty parts dropped."""
        component = DEFAULT_SEPARATORS.component
        self.lines.append(
            [e if isinstance(e, str) else component.join(e).rstrip(component) for e in elements]
        )


def _name_elements(person: Person) -> tuple[str, str, str, str, str]:
    """NM103..NM107: last, first, middle, prefix (not used), suffix."""
    return (
        clean_text(person.last_name),
        clean_text(person.first_name),
        clean_text(person.middle_name or ""),
        "",
        clean_text(person.suffix or ""),
    )


def _address(out: _Segments, address: Address) -> None:
    out.add("N3", clean_text(address.line1), clean_text(address.line2 or ""))
    out.add("N4", clean_text(address.city), address.state, address.postal_code)


def _demographics(out: _Segments, birth: str, sex: str) -> None:
    out.add("DMG", "D8", birth, sex)


def _adjustments(out: _Segments, adjustments: Iterable[Adjustment]) -> None:
    """One CAS per group code, its reasons as reason/amount/quantity triplets."""
    by_group: dict[str, list[Adjustment]] = {}
    for adjustment in adjustments:
        by_group.setdefault(adjustment.group_code, []).append(adjustment)
    for group, items in by_group.items():
        triplets: list[str] = []
        for item in items:
            triplets += [item.reason_code, format_amount(item.amount_cents), ""]
        out.add("CAS", group, *triplets)


@dataclass
class _PatientGroup:
    patient: PatientParty | None
    claims: list[Claim] = field(default_factory=list)


@dataclass
class _SubscriberGroup:
    subscriber: Subscriber
    payer: Payer
    patients: dict[PatientParty | None, _PatientGroup] = field(default_factory=dict)


def _grouped(
    claims: Sequence[Claim],
) -> dict[BillingProvider, dict[tuple[Subscriber, Payer, bool], _SubscriberGroup]]:
    """Billing provider -> (subscriber, payer, patient is subscriber) -> patient -> claims,
    in first-seen order. Self and dependent claims need separate 2000B loops because SBR02
    (18 = self) differs."""
    tree: dict[BillingProvider, dict[tuple[Subscriber, Payer, bool], _SubscriberGroup]] = {}
    for claim in claims:
        subscribers = tree.setdefault(claim.billing_provider, {})
        key = (claim.subscriber, claim.payer, claim.patient is None)
        group = subscribers.setdefault(key, _SubscriberGroup(claim.subscriber, claim.payer))
        group.patients.setdefault(claim.patient, _PatientGroup(claim.patient)).claims.append(claim)
    return tree


def _other_relationship(claim: Claim, other: OtherPayer) -> str:
    """2320 SBR02: the patient's relationship to the other payer's subscriber."""
    if other.patient_relationship_code is not None:
        return other.patient_relationship_code
    patient_person = claim.patient.person if claim.patient else claim.subscriber.person
    patient_birth = claim.patient.birth_date if claim.patient else claim.subscriber.birth_date
    if (other.subscriber.person, other.subscriber.birth_date) == (patient_person, patient_birth):
        return "18"
    if claim.patient is not None and other.subscriber == claim.subscriber:
        return claim.patient.relationship_code
    return "G8"


def _patient_liability(claim: Claim, other: OtherPayer) -> int:
    adjustments = list(other.adjustments)
    for line in claim.lines:
        if line.other_payer is not None:
            adjustments += line.other_payer.adjustments
    return sum(a.amount_cents for a in adjustments if a.group_code == "PR")


class _Writer:
    def __init__(self, batch: ClaimBatch) -> None:
        self.batch = batch
        self.out = _Segments()
        self.hl = 0

    def _next_hl(self) -> int:
        self.hl += 1
        return self.hl

    def transaction(self) -> list[list[str]]:
        """BHT through the last claim: what goes between ST and SE."""
        self._header()
        for provider, subscribers in _grouped(self.batch.claims).items():
            provider_hl = self._next_hl()
            self.out.add("HL", str(provider_hl), "", "20", "1")
            self._billing_provider(provider)
            for group in subscribers.values():
                self._subscriber_group(provider_hl, group)
        return self.out.lines

    def _header(self) -> None:
        batch, out = self.batch, self.out
        submitter = batch.submitter
        # BHT: 0019 information source/subscriber/dependent structure, 00 original,
        # CH chargeable (a claim, not an encounter report).
        out.add(
            "BHT",
            "0019",
            "00",
            batch.batch_id or str(batch.interchange_number),
            format_date(batch.created_at_date),
            batch.created_at_time,
            "CH",
        )
        out.add(
            "NM1",
            "41",
            "2",
            clean_text(submitter.name),
            "",
            "",
            "",
            "",
            "46",
            submitter.submitter_id,
        )
        contact = ["PER", "IC", clean_text(submitter.contact_name), "TE", submitter.contact_phone]
        if submitter.contact_email:
            contact += ["EM", submitter.contact_email]
        out.add(*contact)
        out.add(
            "NM1",
            "40",
            "2",
            clean_text(submitter.receiver_name),
            "",
            "",
            "",
            "",
            "46",
            submitter.receiver_id,
        )

    def _billing_provider(self, provider: BillingProvider) -> None:
        out = self.out
        if provider.taxonomy_code:
            out.add("PRV", "BI", "PXC", provider.taxonomy_code)
        out.add(
            "NM1",
            "85",
            "2",
            clean_text(provider.organization_name),
            "",
            "",
            "",
            "",
            "XX",
            provider.npi,
        )
        _address(out, provider.address)
        out.add("REF", "EI", provider.tax_id)

    def _subscriber_group(self, parent_hl: int, group: _SubscriberGroup) -> None:
        out = self.out
        subscriber = group.subscriber
        is_patient = None in group.patients
        subscriber_hl = self._next_hl()
        out.add("HL", str(subscriber_hl), str(parent_hl), "22", "0" if is_patient else "1")
        out.add(
            "SBR",
            subscriber.payer_responsibility,
            "18" if is_patient else "",
            subscriber.group_number or "",
            # SBR04 only when there is no group number to identify the plan.
            "" if subscriber.group_number else clean_text(subscriber.group_name or ""),
            "",
            "",
            "",
            "",
            subscriber.filing_indicator,
        )
        out.add("NM1", "IL", "1", *_name_elements(subscriber.person), "MI", subscriber.member_id)
        if subscriber.address is not None:
            _address(out, subscriber.address)
        if is_patient:  # 2010BA DMG is sent only when the subscriber is the patient
            _demographics(out, format_date(subscriber.birth_date), subscriber.sex)
        self._payer(group.payer)
        for patient_group in group.patients.values():
            patient = patient_group.patient
            if patient is not None:
                out.add("HL", str(self._next_hl()), str(subscriber_hl), "23", "0")
                out.add("PAT", patient.relationship_code)
                out.add("NM1", "QC", "1", *_name_elements(patient.person))
                assert patient.address is not None  # validated
                _address(out, patient.address)
                _demographics(out, format_date(patient.birth_date), patient.sex)
            for claim in patient_group.claims:
                self._claim(claim)

    def _payer(self, payer: Payer) -> None:
        self.out.add("NM1", "PR", "2", clean_text(payer.name), "", "", "", "", "PI", payer.payer_id)
        if payer.address is not None:
            _address(self.out, payer.address)

    def _claim(self, claim: Claim) -> None:
        out = self.out
        # CLM05: place of service : B (professional, UB facility code qualifier) : frequency.
        # CLM06 provider signature on file, CLM07 assignment (A assigned, C not assigned),
        # CLM08 benefits assigned to the provider, CLM09 release of information (Y signed,
        # I informed consent only).
        out.add(
            "CLM",
            claim.control_number,
            format_amount(claim.total_cents),
            "",
            "",
            (claim.place_of_service, "B", claim.frequency_code),
            "Y",
            "A" if claim.accept_assignment else "C",
            "Y" if claim.signature_on_file else "N",
            "Y" if claim.signature_on_file else "I",
        )
        if claim.onset_on is not None:
            out.add("DTP", "431", "D8", format_date(claim.onset_on))
        if claim.prior_authorization:
            out.add("REF", "G1", claim.prior_authorization)
        if claim.frequency_code in ("7", "8"):
            out.add("REF", "F8", claim.payer_claim_number or "")
        diagnoses = [
            ("ABK" if index == 0 else "ABF", code)
            for index, code in enumerate(claim.diagnosis_codes)
        ]
        out.add("HI", *diagnoses)
        rendering = claim.rendering_provider
        out.add("NM1", "82", "1", *_name_elements(rendering.person), "XX", rendering.npi)
        if rendering.taxonomy_code:
            out.add("PRV", "PE", "PXC", rendering.taxonomy_code)
        if claim.other_payer is not None:
            self._other_payer(claim, claim.other_payer)
        for number, line in enumerate(claim.lines, start=1):
            self._line(claim, number, line)

    def _other_payer(self, claim: Claim, other: OtherPayer) -> None:
        out = self.out
        subscriber = other.subscriber
        out.add(
            "SBR",
            subscriber.payer_responsibility,
            _other_relationship(claim, other),
            subscriber.group_number or "",
            "" if subscriber.group_number else clean_text(subscriber.group_name or ""),
            "",
            "",
            "",
            "",
            subscriber.filing_indicator,
        )
        _adjustments(out, other.adjustments)
        out.add("AMT", "D", format_amount(other.paid_cents))
        # AMT*EAF: what the other payer left to the patient (its PR adjustments), which the
        # secondary payer needs to decide what it covers.
        out.add("AMT", "EAF", format_amount(_patient_liability(claim, other)))
        out.add(
            "OI",
            "",
            "",
            "Y" if claim.signature_on_file else "N",
            "",
            "",
            "Y" if claim.signature_on_file else "I",
        )
        out.add("NM1", "IL", "1", *_name_elements(subscriber.person), "MI", subscriber.member_id)
        if subscriber.address is not None:
            _address(out, subscriber.address)
        out.add(
            "NM1",
            "PR",
            "2",
            clean_text(other.payer.name),
            "",
            "",
            "",
            "",
            "PI",
            other.payer.payer_id,
        )
        if other.payer.address is not None:
            _address(out, other.payer.address)
        if not any(line.other_payer for line in claim.lines) and other.paid_on is not None:
            out.add("DTP", "573", "D8", format_date(other.paid_on))

    def _line(self, claim: Claim, number: int, line: ServiceLine) -> None:
        out = self.out
        procedure = ("HC", line.procedure_code, *line.modifiers)
        place = (
            line.place_of_service
            if line.place_of_service not in (None, claim.place_of_service)
            else ""
        )
        out.add("LX", str(number))
        out.add(
            "SV1",
            procedure,
            format_amount(line.charge_cents),
            "UN",
            format_quantity(line.units),
            place or "",
            "",
            tuple(str(pointer) for pointer in line.diagnosis_pointers),
        )
        out.add("DTP", "472", "D8", format_date(line.service_on))
        if line.line_control_number:
            out.add("REF", "6R", line.line_control_number)
        adjudication = line.other_payer
        if adjudication is not None and claim.other_payer is not None:
            out.add(
                "SVD",
                claim.other_payer.payer.payer_id,
                format_amount(adjudication.paid_cents),
                procedure,
                "",
                format_quantity(line.units),
            )
            _adjustments(out, adjudication.adjustments)
            out.add("DTP", "573", "D8", format_date(adjudication.paid_on))


def write_837p(batch: ClaimBatch, *, line_breaks: bool = False) -> bytes:
    """The 837P interchange for `batch`, ASCII, separators * : ^ ~. `line_breaks` puts
    each segment on its own line for people reading the file; receivers accept both."""
    validate_batch(batch)
    hour, minute = int(batch.created_at_time[:2]), int(batch.created_at_time[2:])
    envelope = Envelope(
        sender_id=batch.submitter.submitter_id,
        receiver_id=batch.submitter.receiver_id,
        interchange_number=batch.interchange_number,
        created_at=datetime.combine(batch.created_at_date, time(hour, minute)),
        production=batch.production,
        group_number=batch.interchange_number,  # one group per interchange
    )
    body = TransactionBody("837", _Writer(batch).transaction())
    return interchange(envelope, "HC", IMPLEMENTATION_GUIDE, [body], newline=line_breaks)
