"""A professional claim as plain data: what the 837P writer and the CMS-1500 form both
print. The claims service builds these from the database; the writers never read it.

Amounts are integer cents; codes are as the standards spell them (X12 5010 005010X222A1
and the NUCC CMS-1500 02/12 instructions)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Address:
    line1: str
    city: str
    state: str  # two letters
    postal_code: str  # 5 or 9 digits (the billing provider's must be 9)
    line2: str | None = None


@dataclass(frozen=True)
class Person:
    last_name: str
    first_name: str
    middle_name: str | None = None
    suffix: str | None = None


@dataclass(frozen=True)
class BillingProvider:
    """The practice (or the physician billing alone)."""

    organization_name: str
    npi: str  # 10 digits, Luhn check digit with the 80840 prefix
    tax_id: str  # EIN, 9 digits
    address: Address
    phone: str | None = None  # digits only
    taxonomy_code: str | None = None  # NUCC, 10 characters (the practice's own, licensed list)


@dataclass(frozen=True)
class RenderingProvider:
    person: Person
    npi: str
    taxonomy_code: str | None = None


@dataclass(frozen=True)
class Payer:
    name: str
    payer_id: str  # the clearinghouse's / payer's electronic id
    address: Address | None = None


@dataclass(frozen=True)
class Subscriber:
    """The insured person whose coverage pays."""

    person: Person
    member_id: str
    birth_date: date
    sex: str  # "F", "M" or "U"
    address: Address | None
    group_number: str | None = None
    group_name: str | None = None
    # SBR01: P primary, S secondary, T tertiary.
    payer_responsibility: str = "P"
    # SBR09 claim filing indicator: CI commercial, MB Medicare B, MC Medicaid, BL Blue
    # Cross/Blue Shield, HM HMO, ZZ unknown.
    filing_indicator: str = "CI"


@dataclass(frozen=True)
class PatientParty:
    """The patient when not the subscriber (2000C/2010CA loop; CMS-1500 boxes 2, 3, 5)."""

    person: Person
    birth_date: date
    sex: str
    address: Address | None
    # PAT01 / box 6: 01 spouse, 19 child, 20 employee, 21 unknown, G8 other.
    relationship_code: str = "19"


@dataclass(frozen=True)
class Adjustment:
    """A CAS group: CO contractual, PR patient responsibility, OA other, PI payer initiated."""

    group_code: str
    reason_code: str  # CARC
    amount_cents: int


@dataclass(frozen=True)
class OtherPayerLine:
    """What the primary payer did with a line (for the secondary claim's 2430 loop)."""

    paid_cents: int
    adjustments: Sequence[Adjustment]
    paid_on: date


@dataclass(frozen=True)
class ServiceLine:
    procedure_code: str  # CPT or HCPCS
    charge_cents: int
    units: int
    diagnosis_pointers: Sequence[int]  # 1-based into Claim.diagnosis_codes, up to 4
    service_on: date
    modifiers: Sequence[str] = ()
    place_of_service: str | None = None  # only when it differs from the claim's
    line_control_number: str | None = None  # REF*6R: our charge id, echoed by the 835
    other_payer: OtherPayerLine | None = None


@dataclass(frozen=True)
class OtherPayer:
    """The payer that already paid (coordination of benefits on a secondary claim)."""

    payer: Payer
    subscriber: Subscriber
    paid_cents: int
    adjustments: Sequence[Adjustment] = ()  # claim-level CAS, if any
    # 2320 SBR02: the patient's relationship to the other payer's subscriber (18 self,
    # 01 spouse, 19 child, G8 other); None lets the 837P writer work it out.
    patient_relationship_code: str | None = None
    # 2330B DTP*573: when the other payer adjudicated the claim; needed only when the lines
    # carry no adjudication of their own (ServiceLine.other_payer).
    paid_on: date | None = None


@dataclass(frozen=True)
class Claim:
    control_number: str  # CLM01, the patient control number the 835 echoes (≤ 20 chars)
    billing_provider: BillingProvider
    rendering_provider: RenderingProvider
    payer: Payer
    subscriber: Subscriber
    patient: PatientParty | None  # None: the patient is the subscriber
    place_of_service: str  # CMS POS code, e.g. "11"
    diagnosis_codes: Sequence[str]  # ICD-10-CM without the dot, up to 12, claim order
    lines: Sequence[ServiceLine]
    # CLM05-3: 1 original, 7 replacement (corrected), 8 void; 7 and 8 name the payer's
    # claim number of the claim they replace (REF*F8).
    frequency_code: str = "1"
    payer_claim_number: str | None = None
    other_payer: OtherPayer | None = None
    accept_assignment: bool = True
    signature_on_file: bool = True
    onset_on: date | None = None
    prior_authorization: str | None = None

    @property
    def total_cents(self) -> int:
        return sum(line.charge_cents for line in self.lines)


@dataclass(frozen=True)
class Submitter:
    """Who sends the batch (the practice) and who receives it (the clearinghouse)."""

    name: str
    submitter_id: str  # ISA06 / NM1*41 id assigned by the clearinghouse
    contact_name: str
    contact_phone: str  # digits only
    receiver_name: str
    receiver_id: str  # ISA08 / NM1*40
    contact_email: str | None = None


@dataclass(frozen=True)
class ClaimBatch:
    """One 837P interchange: control numbers come from the caller so they never repeat."""

    submitter: Submitter
    claims: Sequence[Claim]
    interchange_number: int  # ISA13, 1..999999999
    created_at_date: date
    created_at_time: str  # HHMM
    production: bool = False  # ISA15: P or T
    batch_id: str = field(default="")  # BHT03, the submitter's reference for the batch
