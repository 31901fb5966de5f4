"""Valid, made-up claims for tests (scrubber, 837P writer, CMS-1500, claims service).

`make_claim()` passes the scrubber on SCRUB_TODAY; change one thing with keyword
arguments or dataclasses.replace to break it. NPIs are invented but carry a correct
Luhn check digit; diagnosis codes are real, billable ICD-10-CM codes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from app.interop.claim_document import (
    Address,
    Adjustment,
    BillingProvider,
    Claim,
    ClaimBatch,
    OtherPayer,
    OtherPayerLine,
    PatientParty,
    Payer,
    Person,
    RenderingProvider,
    ServiceLine,
    Submitter,
    Subscriber,
)
from app.terminology.identifiers import npi_check_digit

BILLING_NPI = "123456789" + npi_check_digit("123456789")  # 1234567893
RENDERING_NPI = "198765432" + npi_check_digit("198765432")  # 1987654328
SERVICE_DAY = date(2025, 3, 10)
SCRUB_TODAY = date(2025, 3, 20)
DIAGNOSES = ("E119", "I10")  # type 2 diabetes without complications; hypertension

PRACTICE_ADDRESS = Address("12 Harbor Street", "Springfield", "IL", "627011234", "Suite 3")
ACME = Payer("Acme Health Plan", "ACME1", Address("PO Box 100", "Chicago", "IL", "60601"))
SECOND_PAYER = Payer("Second Mutual", "SECM2", Address("PO Box 200", "Peoria", "IL", "61602"))


def make_billing_provider(**changes: Any) -> BillingProvider:
    values: dict[str, Any] = {
        "organization_name": "Harbor Family Medicine",
        "npi": BILLING_NPI,
        "tax_id": "371234567",
        "address": PRACTICE_ADDRESS,
        "phone": "2175550100",
        "taxonomy_code": "207Q00000X",
    }
    return BillingProvider(**(values | changes))


def make_rendering_provider(**changes: Any) -> RenderingProvider:
    values: dict[str, Any] = {
        "person": Person("Okafor", "Grace", "A"),
        "npi": RENDERING_NPI,
        "taxonomy_code": "207Q00000X",
    }
    return RenderingProvider(**(values | changes))


def make_subscriber(**changes: Any) -> Subscriber:
    values: dict[str, Any] = {
        "person": Person("Lindqvist", "Maria"),
        "member_id": "XJH123456789",
        "birth_date": date(1968, 7, 14),
        "sex": "F",
        "address": Address("48 Elm Road", "Springfield", "IL", "62704"),
        "group_number": "GRP7788",
        "group_name": "Springfield Schools",
    }
    return Subscriber(**(values | changes))


def make_patient(**changes: Any) -> PatientParty:
    """A child on the subscriber's plan (the patient is not the subscriber)."""
    values: dict[str, Any] = {
        "person": Person("Lindqvist", "Noah"),
        "birth_date": date(2014, 2, 3),
        "sex": "M",
        "address": Address("48 Elm Road", "Springfield", "IL", "62704"),
        "relationship_code": "19",
    }
    return PatientParty(**(values | changes))


def make_line(**changes: Any) -> ServiceLine:
    values: dict[str, Any] = {
        "procedure_code": "99214",
        "charge_cents": 16500,
        "units": 1,
        "diagnosis_pointers": (1, 2),
        "service_on": SERVICE_DAY,
        "modifiers": ("25",),
        "line_control_number": "CHG0001",
    }
    return ServiceLine(**(values | changes))


def default_lines() -> tuple[ServiceLine, ...]:
    return (
        make_line(),
        make_line(
            procedure_code="83036",
            charge_cents=4250,
            diagnosis_pointers=(1,),
            modifiers=(),
            line_control_number="CHG0002",
        ),
    )


def make_claim(**changes: Any) -> Claim:
    values: dict[str, Any] = {
        "control_number": "ENC000123",
        "billing_provider": make_billing_provider(),
        "rendering_provider": make_rendering_provider(),
        "payer": ACME,
        "subscriber": make_subscriber(),
        "patient": None,
        "place_of_service": "11",
        "diagnosis_codes": DIAGNOSES,
        "lines": default_lines(),
    }
    return Claim(**(values | changes))


def make_secondary_claim(**changes: Any) -> Claim:
    """The same visit billed to the second payer after ACME paid part of each line."""
    lines = tuple(
        make_line(
            procedure_code=line.procedure_code,
            charge_cents=line.charge_cents,
            diagnosis_pointers=line.diagnosis_pointers,
            modifiers=line.modifiers,
            line_control_number=line.line_control_number,
            other_payer=_primary_paid(line.charge_cents),
        )
        for line in default_lines()
    )
    primary = OtherPayer(
        payer=ACME,
        subscriber=make_subscriber(),
        paid_cents=sum(line.other_payer.paid_cents for line in lines if line.other_payer),
    )
    values: dict[str, Any] = {
        "payer": SECOND_PAYER,
        "subscriber": make_subscriber(member_id="SM99887766", payer_responsibility="S"),
        "lines": lines,
        "other_payer": primary,
    }
    return make_claim(**(values | changes))


def _primary_paid(charge_cents: int) -> OtherPayerLine:
    """Allowed 80% of the charge; paid 80% of that; 20% of it left to the patient."""
    allowed = charge_cents * 8 // 10
    paid = allowed * 8 // 10
    return OtherPayerLine(
        paid_cents=paid,
        adjustments=(
            Adjustment("CO", "45", charge_cents - allowed),
            Adjustment("PR", "2", allowed - paid),
        ),
        paid_on=date(2025, 3, 18),
    )


def make_submitter(**changes: Any) -> Submitter:
    values: dict[str, Any] = {
        "name": "Harbor Family Medicine",
        "submitter_id": "HFM0001",
        "contact_name": "Dana Biller",
        "contact_phone": "2175550101",
        "receiver_name": "Clearinghouse Example",
        "receiver_id": "CLEARHOUSE01",
    }
    return Submitter(**(values | changes))


def make_batch(claims: Sequence[Claim] | None = None, **changes: Any) -> ClaimBatch:
    values: dict[str, Any] = {
        "submitter": make_submitter(),
        "claims": tuple(claims) if claims is not None else (make_claim(),),
        "interchange_number": 1,
        "created_at_date": SCRUB_TODAY,
        "created_at_time": "0930",
        "batch_id": "B0001",
    }
    return ClaimBatch(**(values | changes))
