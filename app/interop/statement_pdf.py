"""A patient statement: what is owed, from which visits, how old it is, and a slip to send
back with a check. Pure reportlab; amounts are integer cents. US Letter, portrait; the
address block sits where a standard #10 window envelope shows it."""

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
from reportlab.platypus import PageBreak, Paragraph, Spacer, Table, TableStyle

from app.interop.money_text import dollars
from app.interop.pdf_common import (
    BOX,
    INK,
    MUTED,
    RULE,
    RestartPageNumbers,
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
AGING_BUCKETS = ("0–30 days", "31–60 days", "61–90 days", "91–120 days", "Over 120 days")


@dataclass(frozen=True)
class StatementLine:
    service_on: date
    description: str  # "Office visit, established patient" (our words; never CPT text)
    charged_cents: int
    paid_cents: int  # payments and adjustments, as a positive number
    insurance_pending_cents: int
    you_owe_cents: int


@dataclass(frozen=True)
class PatientStatement:
    practice_name: str
    practice_address: Sequence[str]
    practice_phone: str | None
    statement_number: str
    issued_on: date
    due_on: date
    account_number: str
    bill_to_name: str  # the guarantor
    bill_to_address: Sequence[str]
    patient_name: str
    lines: Sequence[StatementLine]
    aging_cents: Sequence[int]  # one amount per AGING_BUCKETS entry
    amount_due_cents: int
    message: str | None
    printed_at: datetime


_CELL = paragraph_style("cell", 10, INK, leading=13)
_MONEY = ParagraphStyle("money", parent=_CELL, alignment=TA_RIGHT)
_MONEY_LABEL = ParagraphStyle("money-label", parent=_LABEL, alignment=TA_RIGHT)
_DUE = paragraph_style("due", 15, INK, True, leading=19)


def statement_pdf(statement: PatientStatement) -> bytes:
    return statements_pdf([statement])


def statements_pdf(statements: Sequence[PatientStatement]) -> bytes:
    """Several statements in one file to print in one go (a batch): each starts on a new
    page and counts its own pages. They share the practice and the printing time."""
    if not statements:
        raise ValueError("no statements to print")
    story: list[Any] = []
    for index, statement in enumerate(statements):
        if index:
            story += [PageBreak(), RestartPageNumbers()]
        story += _story(statement)
    first = statements[0]
    printed = first.printed_at
    questions = (
        f"Questions about this bill? Call {first.practice_phone}.  ·  "
        if first.practice_phone
        else ""
    )
    title = (
        f"Statement {first.statement_number}"
        if len(statements) == 1
        else f"{len(statements)} statements"
    )
    return build_pdf(
        story,
        page=LETTER,
        margin=_MARGIN,
        title=title,
        subject=first.practice_name,
        footer=[f"{questions}Printed {printed:%b} {printed.day}, {printed:%Y}"],
        footer_inset=6,
    )


def _story(statement: PatientStatement) -> list[Any]:
    story: list[Any] = [
        *_header(statement),
        Spacer(1, 14),
        _address(statement),
        Spacer(1, 16),
        Paragraph(
            f"Amount due: {dollars(statement.amount_due_cents)}  ·  please pay by "
            f"{_day(statement.due_on)}",
            _DUE,
        ),
        Spacer(1, 10),
        _lines(statement.lines),
        Spacer(1, 12),
        Paragraph("How old the balance is", _LABEL),
        _aging(statement.aging_cents),
    ]
    if statement.message:
        story += [Spacer(1, 12), Paragraph(escape(statement.message), _CELL)]
    return [*story, Spacer(1, 22), _slip(statement)]


def _day(day: date) -> str:
    return f"{day:%b} {day.day}, {day:%Y}"


def _header(statement: PatientStatement) -> list[Any]:
    facts = (
        f"Statement {escape(statement.statement_number)}  ·  {_day(statement.issued_on)}  ·  "
        f"Account {escape(statement.account_number)}  ·  Patient {escape(statement.patient_name)}"
    )
    return [
        Paragraph(escape(statement.practice_name), _PRACTICE),
        Paragraph(
            escape(contact_line(statement.practice_address, statement.practice_phone)), _SMALL
        ),
        Spacer(1, 10),
        Paragraph("Statement", _TITLE),
        Paragraph(facts, _SMALL),
    ]


def _address(statement: PatientStatement) -> Paragraph:
    lines = [statement.bill_to_name, *statement.bill_to_address]
    return Paragraph("<br/>".join(escape(line) for line in lines), _VALUE)


def _lines(lines: Sequence[StatementLine]) -> Table:
    heads = ("Date", "Service", "Charged", "Paid / adjusted", "Insurance pending", "You owe")
    rows: list[list[Paragraph]] = [
        [Paragraph(h, _LABEL if i < 2 else _MONEY_LABEL) for i, h in enumerate(heads)]
    ]
    for line in lines:
        rows.append(
            [
                Paragraph(_day(line.service_on), _CELL),
                Paragraph(escape(line.description), _CELL),
                Paragraph(dollars(line.charged_cents), _MONEY),
                Paragraph(dollars(line.paid_cents), _MONEY),
                Paragraph(dollars(line.insurance_pending_cents), _MONEY),
                Paragraph(dollars(line.you_owe_cents), _MONEY),
            ]
        )
    widths = [0.16, 0.32, 0.12, 0.14, 0.14, 0.12]
    style = [
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    return Table(
        rows,
        colWidths=[_WIDTH * w for w in widths],
        repeatRows=1,
        style=TableStyle(style + striped_rows(len(rows))),
    )


def _aging(amounts: Sequence[int]) -> Table:
    rows = [
        [Paragraph(bucket, _MONEY_LABEL) for bucket in AGING_BUCKETS],
        [Paragraph(dollars(cents), _MONEY) for cents in amounts],
    ]
    return Table(
        rows,
        colWidths=[_WIDTH / len(AGING_BUCKETS)] * len(AGING_BUCKETS),
        style=TableStyle(
            [("BOX", (0, 0), (-1, -1), 0.5, RULE), ("BACKGROUND", (0, 0), (-1, 0), BOX)]
        ),
    )


def _slip(statement: PatientStatement) -> Table:
    """The part to tear off and send back with a payment."""
    text = (
        f"<b>Please return this part with your payment.</b><br/>"
        f"Make checks payable to {escape(statement.practice_name)}.<br/>"
        f"Account {escape(statement.account_number)}  ·  Statement "
        f"{escape(statement.statement_number)}<br/>"
        f"Amount due {dollars(statement.amount_due_cents)}  ·  Amount enclosed: ____________"
    )
    return Table(
        [[Paragraph(text, _CELL)]],
        colWidths=[_WIDTH],
        style=TableStyle(
            [
                ("LINEABOVE", (0, 0), (-1, 0), 0.8, MUTED, None, (3, 3)),
                ("TOPPADDING", (0, 0), (-1, -1), 10),
            ]
        ),
    )
