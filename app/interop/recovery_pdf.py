"""The recovery sheet: one printable page that carries the practice's recovery code.

Pure reportlab, no Qt and no database: plain values in, PDF bytes out. The page size is
A4 or US Letter; the layout keeps inside the area both share, so either prints cleanly.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Literal

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

PageSize = Literal["A4", "Letter"]

_INK = HexColor("#1d2630")
_MUTED = HexColor("#56626d")
_ACCENT = HexColor("#1b6e8a")
_BOX = HexColor("#f1f4f6")
_MARGIN = 22 * mm

_PURPOSE = (
    "Every Stethos practice file is encrypted. Each person opens it with their own "
    "password; this code is the one other key. If every administrator forgets their "
    "password, or the key file is damaged, this code is the only way to open the "
    "practice's records again. Nobody, including Stethos support, can recover the data "
    "without it."
)
_KEEPING = (
    "Keep this sheet somewhere safe and separate from the computer: a locked drawer or "
    "the practice safe, with the practice's other important papers.",
    "Do not photograph it, e-mail it or store it on the same computer as Stethos.",
    "Anyone holding this code and a copy of the practice file can read the records, "
    "so treat it like the key to the records room.",
    "If you think the code has been seen by someone who should not have it, an "
    "administrator can issue a new one; this sheet then stops working.",
)


def recovery_sheet_pdf(
    practice_name: str,
    recovery_code: str,
    created_on: date,
    *,
    page_size: PageSize = "A4",
) -> bytes:
    """A one-page PDF with `recovery_code` in large monospace type and how to keep it."""
    buffer = io.BytesIO()
    size = A4 if page_size == "A4" else LETTER
    canvas = Canvas(buffer, pagesize=size, pageCompression=1)
    canvas.setTitle("Stethos recovery code")
    canvas.setAuthor("Stethos")
    canvas.setSubject(f"Recovery code for {practice_name}")
    width, height = size
    # Both paper sizes share this box: A4 is narrower, Letter is shorter.
    box_width = min(A4[0], LETTER[0]) - 2 * _MARGIN
    left = (width - box_width) / 2
    y = height - _MARGIN

    y = _header(canvas, left, y, box_width, practice_name, created_on)
    y = _code_box(canvas, left, y - 10 * mm, box_width, recovery_code)
    y = _section(canvas, left, y - 12 * mm, box_width, "What this code is for", [_PURPOSE])
    y = _section(canvas, left, y - 8 * mm, box_width, "Where to keep it", list(_KEEPING), True)
    _footer(canvas, left, box_width)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _header(
    canvas: Canvas, left: float, y: float, width: float, practice_name: str, created_on: date
) -> float:
    canvas.setFillColor(_ACCENT)
    canvas.setFont("Helvetica-Bold", 11)
    canvas.drawString(left, y - 11, "STETHOS")
    canvas.setFillColor(_INK)
    canvas.setFont("Helvetica-Bold", 22)
    canvas.drawString(left, y - 40, "Practice recovery code")
    canvas.setFont("Helvetica", 12)
    canvas.setFillColor(_MUTED)
    canvas.drawString(left, y - 60, practice_name)
    canvas.drawRightString(left + width, y - 60, f"Created {created_on.isoformat()}")
    canvas.setStrokeColor(_ACCENT)
    canvas.setLineWidth(1.2)
    canvas.line(left, y - 70, left + width, y - 70)
    return y - 70


def _code_box(canvas: Canvas, left: float, top: float, width: float, code: str) -> float:
    # Courier glyphs are 0.6 em wide: the largest size (up to 26 pt) that fits on one line.
    font_size = min(26.0, (width - 16 * mm) / (0.6 * max(len(code), 1)))
    height = 24 * mm + font_size
    canvas.setFillColor(_BOX)
    canvas.setStrokeColor(_ACCENT)
    canvas.setLineWidth(1.5)
    canvas.roundRect(left, top - height, width, height, 6, stroke=1, fill=1)
    canvas.setFillColor(_INK)
    canvas.setFont("Courier-Bold", font_size)
    canvas.drawCentredString(left + width / 2, top - 10 * mm - font_size * 0.8, code)
    canvas.setFont("Helvetica", 9)
    canvas.setFillColor(_MUTED)
    canvas.drawCentredString(
        left + width / 2,
        top - height + 6 * mm,
        "Capital letters and digits only: there is no letter O, I, L or U, and no 0 or 1.",
    )
    return top - height


def _section(
    canvas: Canvas,
    left: float,
    top: float,
    width: float,
    title: str,
    paragraphs: list[str],
    bullets: bool = False,
) -> float:
    canvas.setFillColor(_INK)
    canvas.setFont("Helvetica-Bold", 13)
    canvas.drawString(left, top - 13, title)
    y = top - 32
    for paragraph in paragraphs:
        indent = 12 if bullets else 0
        lines = _wrap(canvas, paragraph, "Helvetica", 11, width - indent)
        if bullets:
            _bullet(canvas, left + 3, y + 3.5, _ACCENT)
        canvas.setFillColor(_INK)
        canvas.setFont("Helvetica", 11)
        for line in lines:
            canvas.drawString(left + indent, y, line)
            y -= 15.5
        y -= 5
    return y


def _bullet(canvas: Canvas, x: float, y: float, color: Color) -> None:
    canvas.setFillColor(color)
    canvas.circle(x, y, 2, stroke=0, fill=1)


def _wrap(canvas: Canvas, text: str, font: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and canvas.stringWidth(candidate, font, size) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def _footer(canvas: Canvas, left: float, width: float) -> None:
    canvas.setStrokeColor(_MUTED)
    canvas.setLineWidth(0.5)
    y = _MARGIN + 28
    canvas.line(left, y, left + width, y)
    canvas.setFont("Helvetica", 9)
    canvas.setFillColor(_MUTED)
    canvas.drawString(left, y - 14, "Stored by: ______________________    Date: ____________")
    canvas.drawRightString(left + width, y - 14, "Printed from Stethos")
