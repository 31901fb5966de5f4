"""An appeal letter: the practice asks a payer to reconsider a denied claim. One to two pages
on the practice's letterhead: the payer's address, "Re: request for reconsideration" with
the patient and the claim, the denial as the payer gave it, the biller's argument, the
enclosures and the billing contact's signature block. Pure reportlab, from plain data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import LETTER
from reportlab.lib.units import inch
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from app.interop.money_text import dollars
from app.interop.pdf_common import (
    BOX,
    INK,
    LABEL_STYLE,
    PRACTICE_STYLE,
    SMALL_STYLE,
    VALUE_STYLE,
    build_pdf,
    contact_line,
    paragraph_style,
)

_MARGIN = 0.9 * inch
_WIDTH = LETTER[0] - 2 * _MARGIN
_BODY = paragraph_style("letter-body", 10.5, INK, leading=14)
_RE = paragraph_style("letter-re", 11, INK, True, leading=14)


@dataclass(frozen=True)
class AppealLetter:
    practice_name: str
    practice_address: Sequence[str]
    practice_phone: str | None
    practice_npi: str | None
    written_on: date
    payer_name: str
    payer_address: Sequence[str]  # "PO Box 100", "Chicago, IL 60601"; empty if unknown
    patient_name: str  # "Noah Claimant"
    patient_birth_date: date
    member_id: str
    group_number: str | None
    claim_number: str  # ours (CLM01)
    payer_claim_number: str | None
    first_service_on: date
    last_service_on: date
    billed_cents: int
    denial_reason: str | None  # in words, as the remittance or the biller recorded it
    denial_codes: Sequence[str]  # "CO-16", "M51"
    argument: str  # the biller's case, in their words (paragraphs split on blank lines)
    enclosures: Sequence[str]
    contact_name: str  # who signs: the practice's billing contact
    contact_phone: str | None
    decision: str = "denied"  # what the payer did: "denied", or "paid only in part"


def appeal_letter_pdf(letter: AppealLetter) -> bytes:
    if not letter.argument.strip():
        raise ValueError("an appeal letter needs the argument")
    return build_pdf(
        _story(letter),
        page=LETTER,
        margin=_MARGIN,
        # No patient in the metadata: it travels with the file into print queues.
        title=f"Appeal of claim {letter.claim_number}",
        subject=letter.practice_name,
        footer=[f"{letter.practice_name}  ·  appeal of claim {letter.claim_number}"],
    )


def _story(letter: AppealLetter) -> list[Any]:
    story: list[Any] = [
        Paragraph(escape(letter.practice_name), PRACTICE_STYLE),
        Paragraph(
            escape(contact_line(letter.practice_address, letter.practice_phone)), SMALL_STYLE
        ),
        Spacer(1, 18),
        Paragraph(_day(letter.written_on), _BODY),
        Spacer(1, 12),
        Paragraph(_lines([letter.payer_name, *letter.payer_address]), _BODY),
        Spacer(1, 14),
        Paragraph(f"Re: request for reconsideration of claim {escape(letter.claim_number)}", _RE),
        Spacer(1, 6),
        _facts(letter),
        Spacer(1, 12),
        Paragraph("To the claims review department:", _BODY),
        Spacer(1, 8),
        Paragraph(_opening(letter), _BODY),
        Spacer(1, 8),
    ]
    for paragraph in _paragraphs(letter.argument):
        story += [Paragraph(escape(paragraph), _BODY), Spacer(1, 8)]
    story += [
        Paragraph(
            "We ask that you reconsider the claim and process it for payment. Please contact "
            f"us{_at(letter.contact_phone)} with any question about this appeal.",
            _BODY,
        ),
        Spacer(1, 12),
    ]
    if letter.enclosures:
        story.append(
            KeepTogether(
                [
                    Paragraph("Enclosures", LABEL_STYLE),
                    Paragraph(_lines([f"•  {e}" for e in letter.enclosures]), _BODY),
                    Spacer(1, 12),
                ]
            )
        )
    story.append(KeepTogether(_signature(letter)))
    return story


def _facts(letter: AppealLetter) -> Table:
    """The claim at a glance, label beside value, in a light box."""
    service = _day(letter.first_service_on)
    if letter.last_service_on != letter.first_service_on:
        service += f" to {_day(letter.last_service_on)}"
    member = letter.member_id + (f"  (group {letter.group_number})" if letter.group_number else "")
    denial = "; ".join(
        part for part in (letter.denial_reason, ", ".join(letter.denial_codes) or None) if part
    )
    rows = [
        ("Patient", letter.patient_name),
        ("Date of birth", _day(letter.patient_birth_date)),
        ("Member id", member),
        ("Our claim number", letter.claim_number),
        ("Your claim number", letter.payer_claim_number or "not given"),
        ("Dates of service", service),
        ("Billed amount", dollars(letter.billed_cents)),
        ("Denial", denial or "not stated"),
    ]
    if letter.practice_npi:
        rows.insert(3, ("Billing provider NPI", letter.practice_npi))
    cells = [
        [Paragraph(label, LABEL_STYLE), Paragraph(escape(value), _BODY)] for label, value in rows
    ]
    return Table(
        cells,
        colWidths=[_WIDTH * 0.28, _WIDTH * 0.72],
        style=TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), BOX),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, 0), 6),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 6),
            ]
        ),
    )


def _opening(letter: AppealLetter) -> str:
    denied = escape(letter.decision)
    if letter.denial_codes:
        denied += f" with {escape(', '.join(letter.denial_codes))}"
    return (
        f"On behalf of our patient, {escape(letter.patient_name)}, we appeal your decision on "
        f"the claim above for services on {_day(letter.first_service_on)}, billed at "
        f"{dollars(letter.billed_cents)} and {denied}. We believe the claim should be paid, "
        "for the following reasons."
    )


def _signature(letter: AppealLetter) -> list[Any]:
    lines = [letter.contact_name, f"Billing, {letter.practice_name}"]
    if letter.contact_phone:
        lines.append(f"Phone {letter.contact_phone}")
    return [
        Paragraph("Sincerely,", _BODY),
        Spacer(1, 30),  # room to sign by hand
        Paragraph(escape(letter.contact_name), VALUE_STYLE),
        Paragraph(_lines(lines[1:]), _BODY),
    ]


def _paragraphs(text: str) -> list[str]:
    blocks = [" ".join(block.split()) for block in text.replace("\r\n", "\n").split("\n\n")]
    return [b for b in blocks if b]


def _lines(lines: Sequence[str]) -> str:
    return "<br/>".join(escape(line) for line in lines if line)


def _at(phone: str | None) -> str:
    return f" at {escape(phone)}" if phone else ""


def _day(day: date) -> str:
    return f"{day:%B} {day.day}, {day:%Y}"
