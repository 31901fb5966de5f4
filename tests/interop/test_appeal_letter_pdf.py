"""The appeal letter (issue #7): the payer reads who the patient is, which claim (ours and
theirs), what was billed, why it was denied and why it should be paid."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

import pytest
from pypdf import PdfReader

from app.interop.appeal_letter_pdf import AppealLetter, appeal_letter_pdf
from tests.interop.pdf_text import pdf_text

LETTER = AppealLetter(
    practice_name="Riverside Family Medicine",
    practice_address=("12 Harbor Street", "Springfield, IL 62701"),
    practice_phone="(217) 555-0100",
    practice_npi="1234567893",
    written_on=date(2026, 1, 5),
    payer_name="Acme Health Plan",
    payer_address=("PO Box 100", "Chicago, IL 60601"),
    patient_name="Noah Claimant",
    patient_birth_date=date(1975, 3, 14),
    member_id="XJH123456789",
    group_number="GRP7788",
    claim_number="C-000042",
    payer_claim_number="PAYER-77",
    first_service_on=date(2025, 12, 15),
    last_service_on=date(2025, 12, 15),
    billed_cents=14_000,
    denial_reason="Claim lacks information needed for adjudication",
    denial_codes=("CO-16", "M51"),
    argument=(
        "The visit was a significant, separately identifiable evaluation on the day of a "
        "procedure.\n\nThe enclosed note documents 32 minutes of decision making."
    ),
    enclosures=("Medical records", "Itemised bill"),
    contact_name="Grace Whitfield",
    contact_phone="(217) 555-0100",
)


def test_the_letter_names_the_patient_the_claim_the_denial_and_the_argument() -> None:
    text = " ".join(pdf_text(appeal_letter_pdf(LETTER)).split())

    for expected in (
        "Riverside Family Medicine",
        "Acme Health Plan",
        "Re: request for reconsideration of claim C-000042",
        "Noah Claimant",
        "March 14, 1975",
        "XJH123456789",
        "PAYER-77",
        "December 15, 2025",
        "$140.00",
        "Claim lacks information needed for adjudication; CO-16, M51",
        "separately identifiable evaluation",
        "32 minutes of decision making",
        "Medical records",
        "Itemised bill",
        "Sincerely,",
        "Grace Whitfield",
        "Page 1 of 1",
    ):
        assert expected in text, expected


def test_a_long_argument_runs_onto_a_second_page_and_keeps_the_patient_out_of_metadata() -> None:
    long = replace(LETTER, argument="\n\n".join(["The records show medical necessity. " * 12] * 5))
    pdf = appeal_letter_pdf(long)
    text = pdf_text(pdf)
    assert "Page 2 of 2" in text
    metadata = PdfReader(io.BytesIO(pdf)).metadata
    assert metadata is not None and metadata.title == "Appeal of claim C-000042"
    assert "Claimant" not in str(dict(metadata))


def test_a_letter_without_an_argument_is_refused() -> None:
    with pytest.raises(ValueError, match="argument"):
        appeal_letter_pdf(replace(LETTER, argument="  "))
