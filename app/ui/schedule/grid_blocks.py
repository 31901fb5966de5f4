"""Appointment blocks on the time grid: their texts fitted once per layout (`make_block`)
and their drawing (`paint_block`): tinted by visit type, a stripe and a pill for the
status, the waiting clock for patients in the building."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen

from app.models.appointment import AppointmentStatus
from app.services.schedule_data import AppointmentView
from app.ui.schedule.grid_geometry import Placed
from app.ui.schedule.schedule_style import (
    ALERT,
    FADED,
    INK,
    MUTED,
    WAITING,
    WARNING,
    balance_text,
    clock_text,
    status_colour,
    status_label,
    time_range,
    tint,
    usual_provider_text,
    visits_text,
    waiting_minutes,
    waiting_text,
)

S = AppointmentStatus
ACCENT = QColor("#1b6e8a")
LONG_WAIT_MINUTES = 30  # waiting this long turns the note red
_PAD = 4.0
_STRIPE = 4.0
# No pill for the ordinary states; the stripe says enough there.
_PILL = frozenset(set(S) - {S.BOOKED, S.CONFIRMED})


@dataclass
class Fonts:
    name: QFont
    detail: QFont
    header: QFont
    small: QFont
    name_metrics: QFontMetrics = field(init=False)
    detail_metrics: QFontMetrics = field(init=False)
    small_metrics: QFontMetrics = field(init=False)
    header_metrics: QFontMetrics = field(init=False)

    def __post_init__(self) -> None:
        self.header_metrics = QFontMetrics(self.header)
        self.name_metrics = QFontMetrics(self.name)
        self.detail_metrics = QFontMetrics(self.detail)
        self.small_metrics = QFontMetrics(self.small)


def make_fonts(base: QFont) -> Fonts:
    def sized(points: float, bold: bool = False) -> QFont:
        font = QFont(base)
        font.setPointSizeF(points)
        font.setBold(bold)
        return font

    return Fonts(sized(9.5, True), sized(8.5), sized(10, True), sized(8))


@dataclass(frozen=True)
class Detail:
    text: str  # fitted to the width; empty for the waiting clock (written when painted)
    colour: QColor
    waiting: bool = False


@dataclass
class Block:
    """One appointment as drawn: where, and the texts that fit, already elided."""

    placed: Placed
    rect: QRectF  # body coordinates
    title: str
    details: list[Detail]  # the lines under the title, or the one beside it (`inline`)
    inline: bool
    pill: str

    @property
    def appointment_id(self) -> str:
        return self.placed.appointment.id


# What matters most when a short visit has room for little: the waiting clock and the
# "usually sees" warning, then the time and type, then the rest. Shown in reading order.
_ORDER = ("when", "waiting", "usual", "history", "room", "reason")
_PRIORITY = ("waiting", "usual", "when", "history", "room", "reason")
_TINY = 40.0  # narrower than this: colour only (not even "11:15" fits)


def make_block(placed: Placed, rect: QRectF, fonts: Fonts, *, detailed: bool) -> Block:
    appt = placed.appointment
    inner = max(0.0, rect.width() - _STRIPE - 2 * _PAD)
    if inner < _TINY:
        return Block(placed, rect, "", [], False, "")
    name_h = fonts.name_metrics.height()
    rows = max(0, int((rect.height() - 2 - name_h) // fonts.detail_metrics.height()))
    pill = ""
    if appt.status in _PILL and inner > 120 and rect.height() >= name_h:
        pill = status_label(appt.status)
    pill_w = fonts.small_metrics.horizontalAdvance(pill) + 12 if pill else 0
    title = appt.patient_name
    if rows == 0:  # a short visit: the time and the name on one line
        title = f"{clock_text(appt.wall_start, suffix=False)}  {title}"
    if appt.status is S.CONFIRMED:
        title = "✓ " + title
    elide = Qt.TextElideMode.ElideRight
    title = fonts.name_metrics.elidedText(title, elide, int(max(0.0, inner - pill_w)))
    room_left = inner - pill_w - fonts.name_metrics.horizontalAdvance(title) - 10
    inline = rows == 0 and room_left > 60
    wanted = _wanted(appt, detailed, 1 if inline else rows)
    if inline and wanted and wanted[0][0] == "when":  # the time is already in the title
        history = visits_text(appt.visit_count) if detailed else ""
        wanted = [("when", " · ".join(filter(None, (appt.type_name, history))), MUTED)]
    width = int(room_left if inline else inner)
    details = [
        Detail("", colour, True)
        if kind == "waiting"
        else Detail(fonts.detail_metrics.elidedText(text, elide, width), colour)
        for kind, text, colour in wanted
    ]
    return Block(placed, rect, title, details, inline, pill)


def _wanted(appt: AppointmentView, detailed: bool, rows: int) -> list[tuple[str, str, QColor]]:
    """The detail lines that fit in `rows`, most important first, shown in reading order."""
    if rows <= 0:
        return []
    texts: dict[str, tuple[str, QColor]] = {
        "when": (f"{time_range(appt.wall_start, appt.wall_end)} · {appt.type_name}", MUTED)
    }
    if appt.status in WAITING:
        texts["waiting"] = ("", WARNING)
    if detailed:
        history = visits_text(appt.visit_count)
        texts["history"] = (f"{history} · {balance_text()}" if history else balance_text(), MUTED)
        if appt.usual_provider_name:
            texts["usual"] = (usual_provider_text(appt), WARNING)
    if appt.room_name:
        texts["room"] = (appt.room_name, MUTED)
    if appt.reason:
        texts["reason"] = (appt.reason, MUTED)
    chosen = [kind for kind in _PRIORITY if kind in texts][:rows]
    if "history" in texts and "history" not in chosen and "when" in chosen:
        # A short visit still shows the visit count and balance, after its time and type.
        when, colour = texts["when"]
        texts["when"] = (f"{when} · {texts['history'][0]}", colour)
    return [(kind, *texts[kind]) for kind in _ORDER if kind in chosen]


def detail_texts(block: Block, now: datetime) -> list[str]:
    """The detail lines as painted now (the waiting clock written in)."""
    appt = block.placed.appointment
    return [waiting_text(appt, now) if d.waiting else d.text for d in block.details]


def paint_block(p: QPainter, block: Block, fonts: Fonts, now: datetime, selected: bool) -> None:
    """One appointment: tinted by type, a stripe and a pill for the status, faded when
    it no longer holds the time, outlined when selected."""
    appt = block.placed.appointment
    rect = block.rect
    p.save()
    if appt.status in FADED:
        p.setOpacity(0.5)
    elif appt.status is S.CHECKED_OUT:
        p.setOpacity(0.75)
    p.setPen(_border(appt.colour, appt.status is S.REQUESTED))
    p.setBrush(tint(appt.colour, 0.17))
    if block.title:
        p.drawRoundedRect(rect, 5, 5)
    else:  # colour only (a crowded week): square corners paint several times faster
        p.drawRect(rect)
    p.fillRect(
        QRectF(rect.left() + 1, rect.top() + 1, _STRIPE, rect.height() - 2),
        status_colour(appt.status),
    )
    if block.title:
        _paint_texts(p, block, fonts, now)
    p.restore()
    if selected:
        p.save()
        p.setPen(QPen(ACCENT, 2))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRoundedRect(rect.adjusted(-1, -1, 1, 1), 6, 6)
        p.restore()


@functools.cache
def _border(colour: str, dashed: bool) -> QPen:
    """The outline of a type's blocks (made once per type, not per block and paint)."""
    pen = QPen(tint(colour, 0.55), 1)
    if dashed:  # a request: not booked yet
        pen.setStyle(Qt.PenStyle.DashLine)
    return pen


def _paint_texts(p: QPainter, block: Block, fonts: Fonts, now: datetime) -> None:
    appt = block.placed.appointment
    rect = block.rect
    left = rect.left() + _STRIPE + _PAD
    width = rect.width() - _STRIPE - 2 * _PAD
    top = rect.top() + 2
    name_h = fonts.name_metrics.height()
    middle = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    if block.pill:
        _pill(p, fonts, rect, block.pill, status_colour(appt.status))
    font = fonts.name
    if appt.status is S.CANCELLED:
        font = QFont(fonts.name)
        font.setStrikeOut(True)
    p.setFont(font)
    p.setPen(INK)
    p.drawText(QRectF(left, top, width, name_h), middle, block.title)
    p.setFont(fonts.detail)
    detail_h = fonts.detail_metrics.height()
    x, y = left, top + name_h
    if block.inline:
        x = left + fonts.name_metrics.horizontalAdvance(block.title) + 10
        y = top + (name_h - detail_h) / 2
    for detail, text in zip(block.details, detail_texts(block, now), strict=True):
        colour = detail.colour
        if detail.waiting:
            waited = waiting_minutes(appt, now) or 0
            colour = ALERT if waited >= LONG_WAIT_MINUTES else WARNING
            text = fonts.detail_metrics.elidedText(
                text, Qt.TextElideMode.ElideRight, int(rect.right() - _PAD - x)
            )
        p.setPen(colour)
        p.drawText(QRectF(x, y, rect.right() - _PAD - x, detail_h), middle, text)
        y += detail_h


def _pill(p: QPainter, fonts: Fonts, rect: QRectF, text: str, colour: QColor) -> None:
    metrics = fonts.small_metrics
    width = metrics.horizontalAdvance(text) + 10
    height = metrics.height() + 2
    pill = QRectF(rect.right() - width - 4, rect.top() + 3, width, height)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(colour)
    p.drawRoundedRect(pill, height / 2, height / 2)
    p.setPen(QColor("#ffffff"))
    p.setFont(fonts.small)
    p.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)
