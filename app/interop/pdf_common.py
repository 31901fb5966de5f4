"""What every printed page shares: the palette, paragraph styles, and a document whose
footer says "Page n of m". Pure reportlab; no Qt, no database."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, SimpleDocTemplate

INK = HexColor("#1d2630")
MUTED = HexColor("#56626d")
ACCENT = HexColor("#1b6e8a")
GONE = HexColor("#9aa3ab")  # cancelled, struck through
RULE = HexColor("#d5dce1")
STRIPE = HexColor("#f4f7f9")
BOX = HexColor("#f1f4f6")
FOOTER_ROOM = 14  # points kept under the body for the footer line


def paragraph_style(
    name: str,
    size: float,
    color: Color,
    bold: bool = False,
    leading: float | None = None,
    *,
    line_ratio: float = 1.3,
) -> ParagraphStyle:
    return ParagraphStyle(
        name,
        fontName="Helvetica-Bold" if bold else "Helvetica",
        fontSize=size,
        leading=leading or size * line_ratio,
        textColor=color,
    )


# The letterhead and the label/value pairs every patient printout shares.
PRACTICE_STYLE = paragraph_style("practice", 13, ACCENT, True)
SMALL_STYLE = paragraph_style("small", 9.5, MUTED)
TITLE_STYLE = paragraph_style("title", 20, INK, True, leading=26)
LABEL_STYLE = paragraph_style("label", 8.5, MUTED)
VALUE_STYLE = paragraph_style("value", 11, INK, True, leading=14)


def contact_line(address: Sequence[str], phone: str | None) -> str:
    """The practice's address lines and phone on one line, as every page's letterhead shows."""
    parts = [*address, *([f"Phone {phone}"] if phone else [])]
    return "  ·  ".join(parts)


def striped_rows(count: int, first: int = 1) -> list[tuple[Any, ...]]:
    """Table style commands that shade every other row from `first` on."""
    return [("BACKGROUND", (0, i), (-1, i), STRIPE) for i in range(first, count, 2)]


class RestartPageNumbers(Flowable):
    """Put at the top of a page (after a PageBreak): "Page n of m" counts from 1 again
    there, so several letters printed as one file each read as their own."""

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return (0, 0)

    def draw(self) -> None:
        canvas = self.canv
        if isinstance(canvas, _NumberedCanvas):
            canvas.restart_numbering()


def build_pdf(
    story: Sequence[Any],
    *,
    page: tuple[float, float],
    margin: float,
    title: str,
    subject: str,
    footer: Sequence[str],
    footer_size: float = 8.5,
    footer_inset: float = 0,
) -> bytes:
    """Lay `story` out on `page`-sized pages and return the PDF. The footer is the given
    texts (left, and centre when there are two) and "Page n of m" on the right.
    Metadata travels with the file into print queues and folders: callers keep patient
    names out of `title` and `subject`."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=page,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin + FOOTER_ROOM,
        title=title,
        author="Stethos",
        subject=subject,
    )

    def canvas(*args: Any, **kwargs: Any) -> Canvas:
        return _NumberedCanvas(
            *args,
            footer=tuple(footer),
            margin=margin,
            inset=footer_inset,
            size=footer_size,
            **kwargs,
        )

    document.build(list(story), canvasmaker=canvas)
    return buffer.getvalue()


class _NumberedCanvas(Canvas):
    """Holds each page until the end, so every footer can say "Page n of m"."""

    def __init__(
        self,
        *args: Any,
        footer: tuple[str, ...],
        margin: float,
        inset: float,
        size: float,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._margin = margin
        self._inset = inset  # in line with the body text when tables pad their frame
        self._size = size
        self._pages: list[dict[str, Any]] = []
        self._group_starts = [0]  # page indexes where "Page 1 of m" is

    def restart_numbering(self) -> None:
        if self._group_starts[-1] != len(self._pages):
            self._group_starts.append(len(self._pages))

    def showPage(self) -> None:  # reportlab calls it by this name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        ends = [*self._group_starts[1:], len(self._pages)]
        for start, end in zip(self._group_starts, ends, strict=True):
            for index in range(start, end):
                self.__dict__.update(self._pages[index])
                self._draw_footer(index - start + 1, end - start)
                super().showPage()
        super().save()

    def _draw_footer(self, number: int, total: int) -> None:
        width = self._pagesize[0]
        left, right = self._margin + self._inset, width - self._margin - self._inset
        y = self._margin - 2  # just under the body
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(left, y + 12, right, y + 12)
        self.setFont("Helvetica", self._size)
        self.setFillColor(MUTED)
        if self._footer:
            self.drawString(left, y, self._footer[0])
        if len(self._footer) > 1:
            self.drawCentredString(width / 2, y, self._footer[1])
        self.drawRightString(right, y, f"Page {number} of {total}")
