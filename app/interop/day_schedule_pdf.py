"""One provider's day, printed for the front desk: who is coming, when, for what.

Pure reportlab (platypus), no Qt and no database: plain values in, PDF bytes out. US
Letter, landscape, so every column fits without squeezing names. Cancelled, missed and
moved visits stay in their place, greyed and struck through, so a caller asking about one
is answered from the sheet; the summary under the title counts them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.colors import Color, white
from reportlab.lib.pagesizes import LETTER, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from app.interop.pdf_common import (
    ACCENT,
    GONE,
    INK,
    MUTED,
    RULE,
    build_pdf,
    paragraph_style,
    striped_rows,
)

_MARGIN = 0.5 * inch
_PAGE = landscape(LETTER)

# Column titles and widths (points); the reason column takes what is left.
_COLUMNS = (
    ("Time", 58),
    ("Min", 28),
    ("Patient", 150),
    ("DOB", 62),
    ("MRN", 58),
    ("Type", 92),
    ("Status", 70),
    ("Reason", 0),
    ("Room", 52),
)


@dataclass(frozen=True)
class ScheduleLine:
    """One appointment as printed: wall time in the practice's zone, plain labels."""

    start: datetime
    minutes: int
    patient_name: str
    date_of_birth: date | None
    mrn: str
    visit_type: str
    status: str  # the label people read: "Checked out", "No-show"
    reason: str | None = None
    room: str | None = None
    struck: bool = False  # cancelled, missed or moved: kept in place, greyed out


@dataclass(frozen=True)
class DaySchedule:
    practice_name: str
    provider_name: str
    day: date
    lines: Sequence[ScheduleLine]
    printed_at: datetime  # wall time


def day_schedule_pdf(schedule: DaySchedule) -> bytes:
    """The day's schedule as PDF pages, in time order, "Page n of m" at the foot."""
    story: list[Any] = [
        Paragraph(escape(schedule.practice_name.upper()), _style("practice", 9, ACCENT, True)),
        Paragraph(escape(schedule.provider_name), _style("title", 18, INK, True, leading=22)),
        Paragraph(f"{schedule.day:%A, %B} {schedule.day.day}, {schedule.day:%Y}", _DAY),
        Paragraph(escape(_summary(schedule.lines)), _SUMMARY),
        Spacer(1, 8),
    ]
    if schedule.lines:
        story.append(_table(sorted(schedule.lines, key=lambda line: line.start)))
    else:
        story.append(Paragraph("No appointments on this day.", _DAY))
    printed = f"Printed {_day_label(schedule.printed_at)} {_clock(schedule.printed_at)}"
    return build_pdf(
        story,
        page=_PAGE,
        margin=_MARGIN,
        # Metadata travels with the file: no patient's name ever goes here.
        title=f"Day schedule {schedule.day.isoformat()}",
        subject=f"{schedule.provider_name}, {schedule.practice_name}",
        footer=["Confidential: patient information. Shred after use.", printed],
        footer_size=8,
    )


def _style(
    name: str, size: float, color: Color, bold: bool = False, leading: float | None = None
) -> ParagraphStyle:
    return paragraph_style(name, size, color, bold, leading, line_ratio=1.25)


_DAY = _style("day", 11, MUTED)
_SUMMARY = _style("summary", 9, MUTED, leading=14)
_CELL = _style("cell", 8.5, INK, leading=10.5)
_CELL_BOLD = _style("cell-bold", 8.5, INK, True, leading=10.5)
_CELL_GONE = _style("cell-gone", 8.5, GONE, leading=10.5)
_HEAD = _style("head", 8, white, True)


def _summary(lines: Sequence[ScheduleLine]) -> str:
    kept = [line for line in lines if not line.struck]
    minutes = sum(line.minutes for line in kept)
    hours, rest = divmod(minutes, 60)
    parts = [f"{len(kept)} appointment{'' if len(kept) == 1 else 's'}"]
    if kept:
        parts.append(f"{hours} h {rest:02d} min booked" if hours else f"{rest} min booked")
    gone: dict[str, int] = {}
    for line in lines:
        if line.struck:
            gone[line.status.lower()] = gone.get(line.status.lower(), 0) + 1
    parts += [f"{count} {status}" for status, count in sorted(gone.items())]
    return "  ·  ".join(parts)


def _table(lines: list[ScheduleLine]) -> Table:
    fixed = sum(width for _, width in _COLUMNS)
    usable = _PAGE[0] - 2 * _MARGIN - 12  # the frame keeps 6 pt of padding each side
    widths = [width or (usable - fixed) for _, width in _COLUMNS]
    rows: list[list[Any]] = [[Paragraph(title, _HEAD) for title, _ in _COLUMNS]]
    for line in lines:
        rows.append(_cells(line))
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
    ]
    style += striped_rows(len(rows), first=2)
    return Table(rows, colWidths=widths, repeatRows=1, style=TableStyle(style))


def _cells(line: ScheduleLine) -> list[Paragraph]:
    values = [
        _clock(line.start),
        str(line.minutes),
        line.patient_name,
        f"{line.date_of_birth:%m/%d/%Y}" if line.date_of_birth else "",
        line.mrn,
        line.visit_type,
        line.status,
        line.reason or "",
        line.room or "",
    ]
    cells = []
    for index, value in enumerate(values):
        text = escape(value)
        if line.struck and index != 6:  # the status says why it is struck
            cells.append(Paragraph(f"<strike>{text}</strike>", _CELL_GONE))
        elif line.struck:
            cells.append(Paragraph(text, _CELL_GONE))
        else:
            cells.append(Paragraph(text, _CELL_BOLD if index in (0, 2) else _CELL))
    return cells


def _clock(wall: datetime) -> str:
    return f"{wall:%I:%M %p}".lstrip("0")


def _day_label(wall: datetime) -> str:
    return f"{wall:%b} {wall.day}, {wall:%Y}"
