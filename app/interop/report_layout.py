"""What the practice's printed reports (the day's closing report, A/R aging) share: a
heading, tables of amounts with the labels left and the money right, and the footer.
Pure reportlab; amounts are integer cents. US Letter, portrait."""

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
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from app.interop.money_text import dollars
from app.interop.pdf_common import (
    ACCENT,
    BOX,
    INK,
    MUTED,
    RULE,
    build_pdf,
    paragraph_style,
    striped_rows,
)

MARGIN = 0.75 * inch
WIDTH = LETTER[0] - 2 * MARGIN - 12  # the frame keeps 6 pt of padding each side

PRACTICE = paragraph_style("report-practice", 9, ACCENT, True)
TITLE = paragraph_style("report-title", 18, INK, True, leading=22)
SUBTITLE = paragraph_style("report-subtitle", 11, MUTED)
SECTION = paragraph_style("report-section", 11, INK, True, leading=15)
CELL = paragraph_style("report-cell", 9.5, INK, leading=12)
NOTE = paragraph_style("report-note", 9, MUTED, leading=12)
_LABEL = paragraph_style("report-label", 8.5, MUTED, True)
_MONEY_LABEL = ParagraphStyle("report-money-label", parent=_LABEL, alignment=TA_RIGHT)
_MONEY = ParagraphStyle("report-money", parent=CELL, alignment=TA_RIGHT)
_BOLD = paragraph_style("report-bold", 9.5, INK, True, leading=12)
_MONEY_BOLD = ParagraphStyle("report-money-bold", parent=_BOLD, alignment=TA_RIGHT)
_SMALL_MONEY = ParagraphStyle(
    "report-small-money", parent=paragraph_style("report-small", 8, MUTED), alignment=TA_RIGHT
)


@dataclass(frozen=True)
class AmountRow:
    """A row of a table of amounts: its label and one amount (cents) per money column.
    `total` rows are bold over a rule; `note` rows are small and muted and their values
    are printed as given (percentages)."""

    label: str
    amounts: Sequence[int | str]
    total: bool = False
    note: bool = False


def long_day(day: date) -> str:
    return f"{day:%A, %B} {day.day}, {day:%Y}"


def clock_time(wall: datetime) -> str:
    return f"{wall:%I:%M %p}".lstrip("0")


def heading(practice_name: str, title: str, subtitle: str) -> list[Flowable]:
    return [
        Paragraph(escape(practice_name.upper()), PRACTICE),
        Paragraph(escape(title), TITLE),
        Paragraph(escape(subtitle), SUBTITLE),
        Spacer(1, 12),
    ]


def amount_table(
    headers: Sequence[str], rows: Sequence[AmountRow], label_share: float = 0.4
) -> Table:
    """The first column is labels (`label_share` of the width); the others are money,
    right-aligned in equal columns."""
    money_columns = len(headers) - 1
    cells: list[list[Paragraph]] = [
        [Paragraph(escape(h), _LABEL if i == 0 else _MONEY_LABEL) for i, h in enumerate(headers)]
    ]
    style: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), BOX),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    plain = 0
    for number, row in enumerate(rows, start=1):
        label_style, money_style = (_BOLD, _MONEY_BOLD) if row.total else (CELL, _MONEY)
        if row.note:
            label_style, money_style = NOTE, _SMALL_MONEY
        values = [
            Paragraph(value if isinstance(value, str) else dollars(value), money_style)
            for value in row.amounts
        ]
        cells.append([Paragraph(escape(row.label), label_style), *values])
        if row.total:
            style.append(("LINEABOVE", (0, number), (-1, number), 0.9, INK))
        elif not row.note:
            plain = number + 1
    style += striped_rows(plain, first=2)
    share = (1 - label_share) / money_columns
    return Table(
        cells,
        colWidths=[WIDTH * label_share] + [WIDTH * share] * money_columns,
        repeatRows=1,
        style=TableStyle(style),
    )


def report_pdf(
    story: Sequence[Any], *, title: str, practice_name: str, printed_at: datetime
) -> bytes:
    """The report's pages. Reports name no patient, so the title can travel as metadata."""
    printed = f"Printed {printed_at:%b} {printed_at.day}, {printed_at:%Y} {clock_time(printed_at)}"
    return build_pdf(
        story,
        page=LETTER,
        margin=MARGIN,
        title=title,
        subject=practice_name,
        footer=["Confidential: practice financial report.", printed],
        footer_inset=6,
    )
