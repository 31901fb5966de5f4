"""A small trend chart for one measurement over time, or a child's growth chart, drawn with
QPainter (no charting dependency).

`ChartData` is what is drawn: the patient's series (with markers, flagged ones coloured),
reference curves labelled at the right edge (growth centiles) and shaded reference bands
(an adult's normal range). Tests read `VitalsChart.data`, not pixels."""

from __future__ import annotations

import enum
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from app.models import VitalFlag

# Shared with the flowsheet: amber for out of range, red for critical, as on the Summary.
FLAG_INK = {
    VitalFlag.LOW: QColor("#8a5a00"),
    VitalFlag.HIGH: QColor("#8a5a00"),
    VitalFlag.CRITICAL_LOW: QColor("#a12622"),
    VitalFlag.CRITICAL_HIGH: QColor("#a12622"),
}
FLAG_MARK = {
    VitalFlag.LOW: "↓",
    VitalFlag.HIGH: "↑",
    VitalFlag.CRITICAL_LOW: "↓↓",
    VitalFlag.CRITICAL_HIGH: "↑↑",
}
SERIES_COLOURS = ("#1b6e8a", "#7a4fa3")  # accent, then a violet that reads apart from it
_INK = QColor("#1d2630")
_MUTED = QColor("#56626d")
_FAINT = QColor("#8d99a4")
_GRID = QColor("#edf0f2")
_AXIS = QColor("#c3cbd2")
_CURVE = QColor("#a9b2ba")
_MEDIAN = QColor("#6b7785")
_BAND = QColor(46, 139, 87, 34)  # a light green wash: the normal range
_MIN_LABEL_GAP = 12  # px between centile labels at the right edge
_HOVER_REACH = 12  # px: how near the pointer must be to a point for its tooltip
Mapper = Callable[[float, float], QPointF]  # chart values to widget coordinates


class XAxis(enum.StrEnum):
    TIME = "time"  # x is a POSIX timestamp
    AGE = "age"  # x is the age in years


@dataclass(frozen=True)
class PlotPoint:
    x: float
    y: float
    tip: str  # what hovering says: "182 lb · Mar 14, 2025"
    flag: VitalFlag = VitalFlag.NORMAL


@dataclass(frozen=True)
class PlotSeries:
    label: str  # "Systolic"
    points: tuple[PlotPoint, ...]  # in x order
    colour: str = SERIES_COLOURS[0]


@dataclass(frozen=True)
class ReferenceCurve:
    label: str  # "97th"
    points: tuple[tuple[float, float], ...]
    emphasis: bool = False  # the median, drawn a little darker


@dataclass(frozen=True)
class RangeBand:
    low: float | None  # None: from the bottom of the chart
    high: float | None  # None: to the top
    label: str


@dataclass(frozen=True)
class ChartData:
    unit: str  # on the y axis: "lb", "mmHg"
    x_axis: XAxis
    series: tuple[PlotSeries, ...]
    curves: tuple[ReferenceCurve, ...] = ()
    bands: tuple[RangeBand, ...] = ()
    x_range: tuple[float, float] | None = None  # fixed (a growth chart's ages), else the data's
    zone: tzinfo | None = None  # for the dates on a time axis
    caption: str = ""  # a line beside the chart: the latest value
    footnote: str = ""  # small print in the chart: the reference the curves come from
    empty_text: str = ""  # shown when no series has a point

    @property
    def point_count(self) -> int:
        return sum(len(series.points) for series in self.series)


# --- ticks ------------------------------------------------------------------------------


def nice_step(span: float, most: int = 6) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10ⁿ that cuts `span` into at most `most` parts."""
    span = span if span > 0 else 1.0
    magnitude = 10 ** math.floor(math.log10(span / most))
    for multiple in (1, 2, 2.5, 5, 10):
        if span / (multiple * magnitude) <= most:
            return multiple * magnitude
    return 10 * magnitude


def value_ticks(low: float, high: float) -> tuple[float, float, list[float]]:
    """The axis widened to whole steps, and its ticks."""
    step = nice_step(high - low)
    start, end = math.floor(low / step) * step, math.ceil(high / step) * step
    if end <= start:
        start, end = start - step, end + step
    count = round((end - start) / step)
    return start, end, [round(start + i * step, 6) for i in range(count + 1)]


def tick_text(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _month_start(day: datetime, months: int) -> datetime:
    index = (day.year * 12 + day.month - 1) // months * months
    return day.replace(year=index // 12, month=index % 12 + 1, day=1)


def _add_months(day: datetime, months: int) -> datetime:
    index = day.year * 12 + day.month - 1 + months
    return day.replace(year=index // 12, month=index % 12 + 1)


def time_ticks(low: float, high: float, zone: tzinfo | None) -> list[tuple[float, str]]:
    """Day, week or month ticks (whichever gives at most six) with short date labels."""
    first = datetime.fromtimestamp(low, zone)
    last = datetime.fromtimestamp(high, zone)
    midnight = first.replace(hour=0, minute=0, second=0, microsecond=0)
    for days in (1, 2, 7, 14):
        if (last - first).days / days <= 6:
            return [
                (at.timestamp(), f"{at:%b} {at.day}")
                for at in (midnight + timedelta(days=days * i) for i in range(1, 9))
                if low <= at.timestamp() <= high
            ]
    for months in (1, 2, 3, 6, 12, 24, 60, 120):
        span = (last.year - first.year) * 12 + last.month - first.month
        if span / months <= 6:
            break
    at, ticks = _month_start(midnight, months), []
    while at.timestamp() <= high:
        if at.timestamp() >= low:
            label = f"{at:%Y}" if months >= 12 else f"{at:%b} {at:%Y}"
            ticks.append((at.timestamp(), label))
        at = _add_months(at, months)
    return ticks


def age_ticks(low: float, high: float) -> tuple[list[tuple[float, str]], str]:
    """Months for an infant chart (birth to 2 or 3 years), years after; and the axis title."""
    if high - low <= 3:
        step = 3 if high - low <= 2 else 6
        months = range(round(low * 12), round(high * 12) + 1, step)
        return [(m / 12, "Birth" if m == 0 else str(m)) for m in months], "Age (months)"
    years = range(math.ceil(low), math.floor(high) + 1, 1 if high - low <= 8 else 2)
    return [(float(y), str(y)) for y in years], "Age (years)"


def label_positions(wanted: list[float], gap: float) -> list[float]:
    """Labels' y positions (any order) pushed down until they are `gap` apart, keeping
    their order."""
    order = sorted(range(len(wanted)), key=wanted.__getitem__)
    placed = list(wanted)
    for before, after in itertools.pairwise(order):
        placed[after] = max(placed[after], placed[before] + gap)
    return placed


# --- the widget -----------------------------------------------------------------------


class VitalsChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data: ChartData | None = None
        self.message = ""  # shown instead of a chart (nothing chosen, or a refusal)
        self._plotted: list[tuple[QPointF, PlotPoint]] = []
        self.setAccessibleName(self.tr("Vitals chart"))
        self.setMouseTracking(True)
        self.setMinimumHeight(220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(640, 300)

    def show_data(self, data: ChartData) -> None:
        self.data, self.message = data, ""
        self.setAccessibleDescription(data.empty_text if not data.point_count else "")
        self.update()

    def show_message(self, text: str) -> None:
        self.data, self.message = None, text
        self.setAccessibleDescription(text)
        self.update()

    def clear(self) -> None:
        self.show_message("")

    # -- geometry ------------------------------------------------------------------------

    def _ranges(
        self, data: ChartData
    ) -> tuple[tuple[float, float], tuple[float, float, list[float]]]:
        xs = [p.x for s in data.series for p in s.points]
        ys = [p.y for s in data.series for p in s.points]
        ys += [y for curve in data.curves for _x, y in curve.points]
        ys += [v for band in data.bands for v in (band.low, band.high) if v is not None]
        if data.x_range is not None:
            x_low, x_high = data.x_range
        else:
            x_low, x_high = min(xs), max(xs)
            pad = max((x_high - x_low) * 0.04, 86400.0 * 10)  # at least ten days either side
            x_low, x_high = x_low - pad, x_high + pad
        y_low, y_high = min(ys), max(ys)
        if data.x_axis is XAxis.TIME:  # room above and below the readings
            pad = max((y_high - y_low) * 0.08, abs(y_high) * 0.02, 1.0)
            y_low, y_high = y_low - pad, y_high + pad
        return (x_low, x_high), value_ticks(y_low, y_high)

    # -- painting --------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        frame = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.setPen(QPen(QColor("#dde2e6"), 1))
        painter.setBrush(QColor("#ffffff"))
        painter.drawRoundedRect(frame, 8, 8)
        data = self.data
        self._plotted = []
        if data is None or (not data.point_count and not data.curves):
            text = self.message if data is None else data.empty_text
            painter.setPen(_MUTED)
            painter.drawText(frame, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text)
            return
        small = QFont(self.font())
        small.setPointSizeF(max(7.5, self.font().pointSizeF() * 0.85))
        painter.setFont(small)
        metrics = QFontMetrics(small)
        (x_low, x_high), (y_low, y_high, y_ticks) = self._ranges(data)
        left = 14 + max(metrics.horizontalAdvance(tick_text(t)) for t in y_ticks)
        right = 16 + (
            max(metrics.horizontalAdvance(c.label) for c in data.curves) if data.curves else 0
        )
        plot = QRectF(frame).adjusted(left, 34, -right, -(metrics.height() * 2 + 14))

        def at(x: float, y: float) -> QPointF:
            return QPointF(
                plot.left() + (x - x_low) / (x_high - x_low) * plot.width(),
                plot.bottom() - (y - y_low) / (y_high - y_low) * plot.height(),
            )

        for band in data.bands:
            top = at(x_low, min(band.high if band.high is not None else y_high, y_high)).y()
            bottom = at(x_low, max(band.low if band.low is not None else y_low, y_low)).y()
            painter.fillRect(QRectF(plot.left(), top, plot.width(), bottom - top), _BAND)
        self._axes(painter, data, plot, (x_low, x_high), y_ticks, at, metrics)
        painter.setClipRect(plot.adjusted(-6, -6, 6, 6))
        for curve in data.curves:
            painter.setPen(
                QPen(_MEDIAN if curve.emphasis else _CURVE, 1.6 if curve.emphasis else 1)
            )
            painter.drawPolyline([at(x, y) for x, y in curve.points])
        for series in data.series:
            colour = QColor(series.colour)
            painter.setPen(QPen(colour, 2))
            painter.drawPolyline([at(p.x, p.y) for p in series.points])
            for point in series.points:
                centre = at(point.x, point.y)
                ink = FLAG_INK.get(point.flag, colour)
                painter.setPen(QPen(ink, 2))
                painter.setBrush(ink if point.flag in FLAG_INK else QColor("#ffffff"))
                painter.drawEllipse(centre, 3.8, 3.8)
                self._plotted.append((centre, point))
        painter.setClipping(False)
        self._curve_labels(painter, data, plot, at, metrics)
        self._legend(painter, data, plot, metrics)

    def _axes(
        self,
        painter: QPainter,
        data: ChartData,
        plot: QRectF,
        x_span: tuple[float, float],
        y_ticks: list[float],
        at: Mapper,
        metrics: QFontMetrics,
    ) -> None:
        for value in y_ticks:
            y = at(x_span[0], value).y()
            painter.setPen(QPen(_GRID, 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(_MUTED)
            box = QRectF(0, y - metrics.height() / 2, plot.left() - 8, metrics.height())
            painter.drawText(
                box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, tick_text(value)
            )
        if data.x_axis is XAxis.AGE:
            x_ticks, title = age_ticks(*x_span)
        else:
            x_ticks, title = time_ticks(*x_span, data.zone), ""
        painter.setPen(QPen(_AXIS, 1))
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        painter.drawLine(plot.bottomLeft(), plot.topLeft())
        for value, label in x_ticks:
            x = at(value, 0).x()
            painter.setPen(QPen(_GRID, 1))
            painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
            painter.setPen(QPen(_AXIS, 1))
            painter.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 4))
            painter.setPen(_MUTED)
            box = QRectF(x - 50, plot.bottom() + 6, 100, metrics.height())
            painter.drawText(box, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, label)
        # The axis title at the left, the curves' reference in small print at the right.
        line = QRectF(plot.left(), plot.bottom() + 8 + metrics.height(), plot.width(), 99)
        painter.drawText(line, Qt.AlignmentFlag.AlignLeft, title)
        painter.setPen(_FAINT)
        painter.drawText(line, Qt.AlignmentFlag.AlignRight, data.footnote)
        painter.setPen(_MUTED)
        painter.drawText(QRectF(8, 10, plot.left() + 60, metrics.height()), data.unit)

    def _curve_labels(
        self, painter: QPainter, data: ChartData, plot: QRectF, at: Mapper, metrics: QFontMetrics
    ) -> None:
        drawn = [curve for curve in data.curves if curve.points]
        placed = label_positions([at(*c.points[-1]).y() for c in drawn], _MIN_LABEL_GAP)
        for curve, y in zip(drawn, placed, strict=True):
            painter.setPen(_MEDIAN if curve.emphasis else _FAINT)
            box = QRectF(plot.right() + 5, y - metrics.height() / 2, 60, metrics.height())
            painter.drawText(
                box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, curve.label
            )

    def _legend(
        self, painter: QPainter, data: ChartData, plot: QRectF, metrics: QFontMetrics
    ) -> None:
        """What is drawn, at the top right: the series (when more than one) and the band."""
        entries: list[tuple[QColor, str, bool]] = []
        if len(data.series) > 1:
            entries += [(QColor(s.colour), s.label, False) for s in data.series]
        entries += [(_BAND, band.label, True) for band in data.bands[:1]]
        x = plot.right()
        for colour, label, wash in reversed(entries):
            width = metrics.horizontalAdvance(label)
            x -= width
            painter.setPen(_MUTED)
            painter.drawText(QRectF(x, 10, width + 2, metrics.height()), label)
            x -= 18
            swatch = QRectF(x, 10 + metrics.height() / 2 - 5, 12, 10)
            if wash:
                painter.fillRect(swatch, colour)
            else:
                painter.setPen(QPen(colour, 2))
                painter.drawLine(
                    swatch.topLeft() + QPointF(0, 5), swatch.topRight() + QPointF(0, 5)
                )
            x -= 16

    # -- hovering ------------------------------------------------------------------------

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        where = event.position()
        near = [
            (abs(centre.x() - where.x()) + abs(centre.y() - where.y()), point)
            for centre, point in self._plotted
        ]
        best = min(near, key=lambda pair: pair[0], default=None)
        if best is not None and best[0] <= _HOVER_REACH:
            QToolTip.showText(event.globalPosition().toPoint(), best[1].tip, self)
        else:
            QToolTip.hideText()
        super().mouseMoveEvent(event)
