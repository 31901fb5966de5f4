"""Drawing the time grid around the appointments with one QPainter: shading, grid lines,
the drag ghost, the "now" line, the column header and the hour gutter (the blocks
themselves are in grid_blocks)."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen

from app.ui.schedule.grid_blocks import ACCENT, Fonts
from app.ui.schedule.grid_geometry import Axis, Columns, GridColumn, Shade, wall_at
from app.ui.schedule.schedule_style import INK, MUTED, clock_text, hour_text, time_range

LINE = QColor("#dde2e6")
QUARTER_LINE = QColor("#eef1f3")
NOW = QColor("#d0342c")
GUTTER = 64.0
HEADER = 48.0
_SHADE_FILL = {
    "off": QColor("#eef1f4"),
    "break": QColor("#f1f3f5"),
    "block": QColor("#f3eee6"),
    "holiday": QColor("#fbf1dd"),
}
_SHADE_HATCH = {"block": QColor("#e4dccf"), "holiday": QColor("#f0dfba")}


class GridPainter:
    def __init__(self, fonts: Fonts) -> None:
        self.fonts = fonts

    # -- the body (body coordinates; the caller translates and clips) --------------------

    def background(
        self,
        p: QPainter,
        visible: QRectF,
        axis: Axis,
        cols: Columns,
        columns: list[GridColumn],
        shades: list[list[Shade]],
        today: date | None,
    ) -> None:
        p.fillRect(visible, QColor("#ffffff"))
        for number, column in enumerate(columns):
            x = cols.x(number)
            if x > visible.right() or x + cols.width < visible.left():
                continue
            if column.day == today and _several_days(columns):
                p.fillRect(QRectF(x, 0, cols.width, axis.height), QColor("#fbfdfe"))
            for shade in shades[number]:
                self._shade(
                    p, QRectF(x, axis.y(shade.start), cols.width, _height(axis, shade)), shade
                )
        self._lines(p, visible, axis, cols)

    def _shade(self, p: QPainter, rect: QRectF, shade: Shade) -> None:
        p.fillRect(rect, _SHADE_FILL.get(shade.kind, _SHADE_FILL["off"]))
        hatch = _SHADE_HATCH.get(shade.kind)
        if hatch is not None:
            p.fillRect(rect, QBrush(hatch, Qt.BrushStyle.BDiagPattern))
        if shade.kind != "off" and rect.height() >= self.fonts.small_metrics.height() + 4:
            p.setFont(self.fonts.small)
            p.setPen(MUTED)
            text = self.fonts.small_metrics.elidedText(
                shade.label, Qt.TextElideMode.ElideRight, int(max(0.0, rect.width() - 12))
            )
            p.drawText(rect.adjusted(6, 3, -6, 0), Qt.AlignmentFlag.AlignLeft, text)

    def _lines(self, p: QPainter, visible: QRectF, axis: Axis, cols: Columns) -> None:
        first = max(axis.first, int(axis.minutes_at(visible.top())) // 15 * 15)
        last = min(axis.last, int(axis.minutes_at(visible.bottom())) + 15)
        left, right = visible.left(), min(visible.right(), cols.total)
        for minute in range(first, last + 1, 15):
            y = round(axis.y(minute)) + 0.5
            p.setPen(QPen(LINE if minute % 60 == 0 else QUARTER_LINE, 1))
            p.drawLine(QPointF(left, y), QPointF(right, y))
        p.setPen(QPen(LINE, 1))
        for number in range(1, cols.count + 1):
            x = round(cols.x(number)) - 0.5
            p.drawLine(QPointF(x, visible.top()), QPointF(x, visible.bottom()))

    def ghost(
        self,
        p: QPainter,
        axis: Axis,
        cols: Columns,
        column: GridColumn,
        ghost: tuple[int, int, int],
    ) -> None:
        """Where a dragged visit would land, dashed, with its new times."""
        number, start, end = ghost
        top = axis.y(start)
        rect = QRectF(cols.x(number) + 3, top + 1, cols.width - 8, axis.y(end) - top - 2)
        label = time_range(wall_at(column.day, start), wall_at(column.day, end))
        p.save()
        p.setPen(QPen(ACCENT, 1.5, Qt.PenStyle.DashLine))
        fill = QColor(ACCENT)
        fill.setAlpha(40)
        p.setBrush(fill)
        p.drawRoundedRect(rect, 5, 5)
        p.setPen(QColor("#0f4456"))
        p.setFont(self.fonts.detail)
        p.drawText(rect.adjusted(8, 2, -4, 0), Qt.AlignmentFlag.AlignLeft, label)
        p.restore()

    def now_line(
        self, p: QPainter, axis: Axis, cols: Columns, columns: list[GridColumn], now: datetime
    ) -> float | None:
        """A red line across today's columns at the time; returns the minute (or None)."""
        today = [i for i, c in enumerate(columns) if c.day == now.date()]
        minute = now.hour * 60 + now.minute + now.second / 60
        if not today or not axis.first <= minute <= axis.last:
            return None
        y = axis.y(minute)
        left, right = cols.x(today[0]), cols.x(today[-1]) + cols.width
        p.save()
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(QPen(NOW, 2))
        p.drawLine(QPointF(left, y), QPointF(right, y))
        p.setBrush(NOW)
        p.setPen(Qt.PenStyle.NoPen)
        p.drawEllipse(QPointF(left, y), 4, 4)
        p.restore()
        return minute

    # -- the fixed parts (viewport coordinates) ------------------------------------------

    def header(
        self,
        p: QPainter,
        width: float,
        cols: Columns,
        x_offset: float,
        columns: list[GridColumn],
        today: date | None,
    ) -> None:
        p.fillRect(QRectF(0, 0, width, HEADER), QColor("#ffffff"))
        for number, column in enumerate(columns):
            x = GUTTER + cols.x(number) - x_offset
            if x + cols.width < GUTTER or x > width:
                continue
            cell = QRectF(x + 8, 6, cols.width - 16, HEADER - 10)
            is_today = column.day == today and _several_days(columns)
            p.setFont(self.fonts.header)
            p.setPen(ACCENT if is_today else INK)
            title = self.fonts.header_metrics.elidedText(
                column.title, Qt.TextElideMode.ElideRight, int(cell.width())
            )
            p.drawText(cell, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, title)
            p.setFont(self.fonts.small)
            p.setPen(MUTED)
            p.drawText(
                cell, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, column.subtitle
            )
            if is_today:
                p.fillRect(QRectF(x + 1, HEADER - 3, cols.width - 2, 3), ACCENT)
            p.setPen(LINE)
            p.drawLine(
                QPointF(round(x + cols.width) - 0.5, 8),
                QPointF(round(x + cols.width) - 0.5, HEADER),
            )
        p.setPen(LINE)
        p.drawLine(QPointF(0, HEADER - 0.5), QPointF(width, HEADER - 0.5))

    def gutter(
        self, p: QPainter, height: float, axis: Axis, y_offset: float, now_minute: float | None
    ) -> None:
        p.fillRect(QRectF(0, HEADER, GUTTER, height - HEADER), QColor("#ffffff"))
        p.setFont(self.fonts.small)
        metrics = self.fonts.small_metrics
        for minute in range(axis.first, axis.last + 1, 60):
            y = HEADER + axis.y(minute) - y_offset
            if y < HEADER - 2 or y > height + metrics.height():
                continue
            p.setPen(MUTED)
            label_rect = QRectF(0, y - metrics.height() / 2, GUTTER - 10, metrics.height())
            if minute == axis.first:
                label_rect.moveTop(y + 1)
            p.drawText(
                label_rect,
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                hour_text(minute // 60),
            )
        if now_minute is not None:
            y = HEADER + axis.y(now_minute) - y_offset
            if HEADER <= y <= height:
                p.setPen(NOW)
                p.setFont(self.fonts.small)
                hours, minutes = divmod(int(now_minute), 60)
                text = clock_text(datetime(2000, 1, 1, hours % 24, minutes))
                p.fillRect(
                    QRectF(0, y - metrics.height() / 2, GUTTER - 4, metrics.height()),
                    QColor("#ffffff"),
                )
                p.drawText(
                    QRectF(0, y - metrics.height() / 2, GUTTER - 8, metrics.height()),
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                    text,
                )
        p.setPen(LINE)
        p.drawLine(QPointF(GUTTER - 0.5, HEADER), QPointF(GUTTER - 0.5, height))
        p.fillRect(QRectF(0, 0, GUTTER, HEADER), QColor("#ffffff"))
        p.drawLine(QPointF(0, HEADER - 0.5), QPointF(GUTTER, HEADER - 0.5))


def _height(axis: Axis, shade: Shade) -> float:
    return axis.y(shade.end) - axis.y(shade.start)


def _several_days(columns: list[GridColumn]) -> bool:
    """Today stands out only among other days (the week view)."""
    return len(columns) > 1 and columns[0].day != columns[-1].day
