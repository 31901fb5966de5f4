"""A made-up claim that fills most boxes of the CMS-1500, for lining a printer up with
pre-printed red forms. Every name on it says SAMPLE — NOT A CLAIM, so a test sheet that
strays into the mail cannot be taken for a bill; nothing in it is a real person or number."""

from __future__ import annotations

from datetime import date

from app.interop.claim_document import (
    Address,
    BillingProvider,
    Claim,
    Payer,
    Person,
    RenderingProvider,
    ServiceLine,
    Subscriber,
)

SAMPLE_LABEL = "SAMPLE — NOT A CLAIM"
# NPIs that pass the check digit (prefix 80840, Luhn) but are the well-known test pattern.
_BILLING_NPI = "1234567893"
_RENDERING_NPI = "1987654328"


def sample_claim(service_on: date) -> Claim:
    """Two service lines on `service_on`, in every part of the form the data touches."""
    address = Address("1 SAMPLE STREET", "ANYTOWN", "IL", "627010000", "NOT A CLAIM")
    lines = tuple(
        ServiceLine(
            procedure_code=code,
            charge_cents=cents,
            units=1,
            diagnosis_pointers=pointers,
            service_on=service_on,
            modifiers=modifiers,
        )
        for code, cents, pointers, modifiers in (
            ("99213", 12_500, (1, 2), ("25",)),
            ("36415", 1_500, (1,), ()),
        )
    )
    return Claim(
        control_number="SAMPLE",
        billing_provider=BillingProvider(
            organization_name=SAMPLE_LABEL,
            npi=_BILLING_NPI,
            tax_id="000000000",
            address=address,
            phone="0000000000",
        ),
        rendering_provider=RenderingProvider(Person("SAMPLE", "NOT A CLAIM"), _RENDERING_NPI),
        payer=Payer(SAMPLE_LABEL, "SAMPLE", address),
        subscriber=Subscriber(
            person=Person("SAMPLE", "NOT A CLAIM"),
            member_id="SAMPLE000000",
            birth_date=date(1970, 1, 1),
            sex="F",
            address=address,
            group_number="SAMPLE",
            group_name=SAMPLE_LABEL,
        ),
        patient=None,
        place_of_service="11",
        diagnosis_codes=("I10", "E119"),
        lines=lines,
    )
