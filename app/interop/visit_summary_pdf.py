"""The after-visit summary a patient takes home: why they came, what was measured and
addressed, what to do next, and their medication and allergy lists as the chart has them.

Pure reportlab (platypus), no Qt and no database: plain values in, PDF bytes out. US Letter,
portrait. Written for the patient, so plain headings and generous type. The file's metadata
never carries the patient's name (it travels with the file into print queues and folders).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import LETTER
from reportlab.lib.units import inch
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

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
    SMALL_STYLE as _ADDRESS,
)
from app.interop.pdf_common import (
    TITLE_STYLE as _TITLE,
)
from app.interop.pdf_common import (
    VALUE_STYLE as _VALUE,
)

_MARGIN = 0.75 * inch
_PAGE = LETTER
_WIDTH = _PAGE[0] - 2 * _MARGIN - 12  # the frame keeps 6 pt of padding each side


@dataclass(frozen=True)
class MedicationItem:
    name: str
    instructions: str | None  # the sig: how to take it


@dataclass(frozen=True)
class VisitSummary:
    practice_name: str
    practice_address: Sequence[str]  # lines, e.g. ("120 Main St", "Springfield, IL 62701")
    practice_phone: str | None
    patient_name: str  # as the patient reads it: "Ana Lopez"
    date_of_birth: date
    visit_date: date
    visit_type: str  # "Office visit"
    provider_name: str  # "Priya Patel, MD"
    reason: str | None
    vitals: Sequence[tuple[str, str]]  # ("Blood pressure", "128/82 mmHg")
    diagnoses: Sequence[str]  # "Essential (primary) hypertension (I10)"
    assessment: str | None  # the note's assessment, shown when no diagnosis was coded
    plan: str | None
    instructions: str | None
    follow_up: str | None
    medications: Sequence[MedicationItem]
    allergies: Sequence[str]  # "Penicillin: hives (severe)"
    allergy_statement: str | None  # when `allergies` is empty: "No known allergies", ...
    printed_at: datetime  # wall time


def visit_summary_pdf(summary: VisitSummary) -> bytes:
    """The after-visit summary as PDF pages, "Page n of m" at the foot of each."""
    story: list[Any] = [*_header(summary), Spacer(1, 10), _visit_table(summary)]
    story += _section("Why you came in", [_text(summary.reason)] if summary.reason else [])
    story += _section("Your measurements today", [_pairs(summary.vitals)] if summary.vitals else [])
    story += _section("What we addressed today", _addressed(summary))
    story += _section("Your plan", [_text(summary.plan)] if summary.plan else [])
    story += _section("Instructions", [_text(summary.instructions)] if summary.instructions else [])
    story += _section("Follow-up", [_text(summary.follow_up)] if summary.follow_up else [])
    story += _section("Your medications", [_medications(summary.medications)])
    story += _section("Your allergies", _allergies(summary))
    return build_pdf(
        story,
        page=_PAGE,
        margin=_MARGIN,
        title=f"After-visit summary {summary.visit_date.isoformat()}",
        subject=summary.practice_name,
        footer=[_footer_text(summary)],
        footer_inset=6,  # in line with the body text
    )


_HEADING = paragraph_style("heading", 12.5, ACCENT, True)
_BODY = paragraph_style("body", 11, INK, leading=15)
_CELL = paragraph_style("cell", 10.5, INK, leading=13.5)
_CELL_BOLD = paragraph_style("cell-bold", 10.5, INK, True, leading=13.5)


def _text(value: str) -> Paragraph:
    """Clinician's text, with its line breaks kept."""
    lines = [escape(line) for line in value.strip().splitlines()]
    return Paragraph("<br/>".join(lines), _BODY)


def _day(day: date) -> str:
    return f"{day:%B} {day.day}, {day:%Y}"


def _header(summary: VisitSummary) -> list[Any]:
    contact = contact_line(summary.practice_address, summary.practice_phone)
    flowables: list[Any] = [Paragraph(escape(summary.practice_name), _PRACTICE)]
    if contact:
        flowables.append(Paragraph(escape(contact), _ADDRESS))
    flowables += [Spacer(1, 10), Paragraph("After-visit summary", _TITLE)]
    return flowables


def _visit_table(summary: VisitSummary) -> Table:
    cells = [
        ("Patient", summary.patient_name),
        ("Date of birth", f"{summary.date_of_birth:%m/%d/%Y}"),
        ("Visit", f"{summary.visit_type}, {_day(summary.visit_date)}"),
        ("Provider", summary.provider_name),
    ]
    row = [[Paragraph(label, _LABEL), Paragraph(escape(value), _VALUE)] for label, value in cells]
    widths = [_WIDTH * share for share in (0.25, 0.16, 0.35, 0.24)]
    table = Table([row], colWidths=widths)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("LINEABOVE", (0, 0), (-1, 0), 1.2, ACCENT),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return table


def _section(title: str, body: list[Any]) -> list[Any]:
    """A heading kept with the start of its body; nothing at all when there is no body."""
    if not body:
        return []
    return [Spacer(1, 14), KeepTogether([Paragraph(title, _HEADING), Spacer(1, 4), body[0]])]


def _addressed(summary: VisitSummary) -> list[Any]:
    if summary.diagnoses:
        items = "<br/>".join(f"•&nbsp;&nbsp;{escape(item)}" for item in summary.diagnoses)
        return [Paragraph(items, _BODY)]
    return [_text(summary.assessment)] if summary.assessment else []


def _pairs(pairs: Sequence[tuple[str, str]]) -> Table:
    rows = [[Paragraph(escape(a), _CELL), Paragraph(escape(b), _CELL_BOLD)] for a, b in pairs]
    return _list_table(rows, [_WIDTH * 0.4, _WIDTH * 0.6])


def _medications(medications: Sequence[MedicationItem]) -> Any:
    if not medications:
        return Paragraph("No medications are on your list.", _BODY)
    rows = [
        [
            Paragraph(escape(item.name), _CELL_BOLD),
            Paragraph(escape(item.instructions or ""), _CELL),
        ]
        for item in medications
    ]
    return _list_table(rows, [_WIDTH * 0.45, _WIDTH * 0.55])


def _allergies(summary: VisitSummary) -> list[Any]:
    if summary.allergies:
        items = "<br/>".join(f"•&nbsp;&nbsp;{escape(item)}" for item in summary.allergies)
        return [Paragraph(items, _BODY)]
    return [Paragraph(escape(summary.allergy_statement or "None recorded."), _BODY)]


def _list_table(rows: list[list[Paragraph]], widths: list[float]) -> Table:
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
    ]
    style += striped_rows(len(rows))
    return Table(rows, colWidths=widths, style=TableStyle(style))


def _footer_text(summary: VisitSummary) -> str:
    printed = f"Printed {summary.printed_at:%b} {summary.printed_at.day}, {summary.printed_at:%Y}"
    if summary.practice_phone:
        return f"Questions? Call {summary.practice_phone}.  ·  {printed}"
    return printed
