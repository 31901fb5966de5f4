"""A payment receipt, printed at the desk: who paid what, how, for which visits, and what is
still owed. Pure reportlab; amounts are integer cents. US Letter, portrait."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from app.interop.money_text import dollars
from app.interop.pdf_common import (
    ACCENT,
    INK,
    RULE,
    build_pdf,
    contact_line,
    paragraph_style,
    striped_rows,
)
from app.interop.pdf_common import (
    LABEL_STYLE as _LABEL,
)
from app.interop.pdf_common import (
    PRACTICE_STYLE as _PRACTICE,
)
from app.interop.pdf_common import (
    SMALL_STYLE as _SMALL,
)
from app.interop.pdf_common import (
    TITLE_STYLE as _TITLE,
)
from app.interop.pdf_common import (
    VALUE_STYLE as _VALUE,
)

_MARGIN = 0.75 * inch
_WIDTH = LETTER[0] - 2 * _MARGIN - 12


@dataclass(frozen=True)
class ReceiptLine:
    service_on: date
    description: str
    applied_cents: int


@dataclass(frozen=True)
class Receipt:
    practice_name: str
    practice_address: Sequence[str]
    practice_phone: str | None
    receipt_number: str
    received_on: date
    patient_name: str
    account_number: str  # the patient's MRN
    method: str  # "Cash", "Card", "Check"
    reference: str | None  # "Check 1042", "Card ending 4242"
    amount_cents: int
    applied: Sequence[ReceiptLine]
    unapplied_cents: int  # kept as credit on the account
    balance_after_cents: int  # what the patient still owes (negative: credit)
    received_by: str
    printed_at: datetime


_CELL = paragraph_style("cell", 10.5, INK, leading=13.5)
_AMOUNT = paragraph_style("amount", 16, INK, True, leading=20)
_MONEY = ParagraphStyle("money", parent=_CELL, alignment=TA_RIGHT)


def receipt_pdf(receipt: Receipt) -> bytes:
    story: list[Any] = [
        Paragraph(escape(receipt.practice_name), _PRACTICE),
        Paragraph(escape(contact_line(receipt.practice_address, receipt.practice_phone)), _SMALL),
        Spacer(1, 14),
        Paragraph("Payment receipt", _TITLE),
        Spacer(1, 6),
        _facts(receipt),
        Spacer(1, 16),
        Paragraph(f"Amount received: {dollars(receipt.amount_cents)}", _AMOUNT),
        Spacer(1, 10),
    ]
    if receipt.applied:
        story.append(_applied(receipt.applied))
    if receipt.unapplied_cents:
        story += [
            Spacer(1, 6),
            Paragraph(f"Kept as credit on the account: {dollars(receipt.unapplied_cents)}", _CELL),
        ]
    owed = receipt.balance_after_cents
    balance = (
        f"Account balance after this payment: {dollars(owed)}"
        if owed >= 0
        else f"Account credit after this payment: {dollars(-owed)}"
    )
    story += [Spacer(1, 12), Paragraph(balance, _VALUE)]
    printed = receipt.printed_at
    return build_pdf(
        story,
        page=LETTER,
        margin=_MARGIN,
        title=f"Receipt {receipt.receipt_number}",
        subject=receipt.practice_name,
        footer=[f"Thank you.  ·  Printed {printed:%b} {printed.day}, {printed:%Y}"],
        footer_inset=6,
    )


def _facts(receipt: Receipt) -> Table:
    how = receipt.method + (f" ({receipt.reference})" if receipt.reference else "")
    pairs = [
        ("Receipt", receipt.receipt_number),
        ("Date", f"{receipt.received_on:%B} {receipt.received_on.day}, {receipt.received_on:%Y}"),
        ("Patient", receipt.patient_name),
        ("Account", receipt.account_number),
        ("Paid by", how),
        ("Received by", receipt.received_by),
    ]
    cells = [[Paragraph(escape(label), _LABEL) for label, _ in pairs[i : i + 3]] for i in (0, 3)]
    values = [[Paragraph(escape(value), _VALUE) for _, value in pairs[i : i + 3]] for i in (0, 3)]
    rows = [cells[0], values[0], cells[1], values[1]]
    return Table(
        rows,
        colWidths=[_WIDTH / 3] * 3,
        style=TableStyle(
            [
                ("LINEABOVE", (0, 0), (-1, 0), 1, ACCENT),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 1), (-1, 1), 8),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        ),
    )


def _applied(lines: Sequence[ReceiptLine]) -> Table:
    rows = [
        [
            Paragraph("Date of service", _LABEL),
            Paragraph("For", _LABEL),
            Paragraph("Paid", ParagraphStyle("paid", parent=_LABEL, alignment=TA_RIGHT)),
        ]
    ]
    for line in lines:
        day = f"{line.service_on:%b} {line.service_on.day}, {line.service_on:%Y}"
        rows.append(
            [
                Paragraph(day, _CELL),
                Paragraph(escape(line.description), _CELL),
                Paragraph(dollars(line.applied_cents), _MONEY),
            ]
        )
    style = [
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    return Table(
        rows,
        colWidths=[_WIDTH * 0.22, _WIDTH * 0.58, _WIDTH * 0.20],
        style=TableStyle(style + striped_rows(len(rows))),
    )
