"""The month at a glance: six weeks of days with how many visits each has. Clicking a day
(or Enter on the highlighted one) opens it in the day view; the arrow keys move the
highlight. Painted by one widget; tests use `cell_rect` and `day_at`."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from app.ui.schedule.schedule_style import INK, MUTED, tint

ACCENT = QColor("#1b6e8a")
LINE = QColor("#dde2e6")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_HEADER = 30
_WEEKS = 6


def grid_start(month: date) -> date:
    """The Monday on or before the first of `month` (the month grid's first cell)."""
    first = month.replace(day=1)
    return first - timedelta(days=first.weekday())


def grid_days(month: date) -> list[date]:
    start = grid_start(month)
    return [start + timedelta(days=offset) for offset in range(7 * _WEEKS)]


class MonthView(QWidget):
    day_chosen = Signal(object)  # date: open it in the day view
    cursor_moved = Signal(object)  # date: the highlighted day changed by keyboard

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Month calendar"))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(560, 360)
        self.month = date.today().replace(day=1)
        self.highlighted = self.month
        self.today: date | None = None
        self.counts: dict[date, int] = {}

    def set_month(
        self, month: date, counts: dict[date, int], *, highlighted: date, today: date | None
    ) -> None:
        self.month = month.replace(day=1)
        self.counts = dict(counts)
        self.highlighted = highlighted
        self.today = today
        self.setAccessibleDescription(
            self.tr("{month}: {n} visits booked").format(
                month=f"{self.month:%B %Y}",
                n=sum(n for d, n in self.counts.items() if d.month == self.month.month),
            )
        )
        self.update()

    def clear(self) -> None:
        self.counts = {}
        self.update()

    # -- geometry ------------------------------------------------------------------------

    def _cell_size(self) -> tuple[float, float]:
        return self.width() / 7, (self.height() - _HEADER) / _WEEKS

    def cell_rect(self, day: date) -> QRect | None:
        offset = (day - grid_start(self.month)).days
        if not 0 <= offset < 7 * _WEEKS:
            return None
        width, height = self._cell_size()
        row, column = divmod(offset, 7)
        return QRectF(column * width, _HEADER + row * height, width, height).toRect()

    def day_at(self, pos: QPoint) -> date | None:
        width, height = self._cell_size()
        if pos.y() < _HEADER or width <= 0 or height <= 0:
            return None
        column = int(pos.x() // width)
        row = int((pos.y() - _HEADER) // height)
        if not (0 <= column < 7 and 0 <= row < _WEEKS):
            return None
        return grid_start(self.month) + timedelta(days=row * 7 + column)

    # -- painting ------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("#ffffff"))
        width, height = self._cell_size()
        small = QFont(self.font())
        small.setPointSizeF(8.5)
        bold = QFont(self.font())
        bold.setBold(True)
        p.setFont(small)
        p.setPen(MUTED)
        for column, name in enumerate(WEEKDAYS):
            p.drawText(
                QRectF(column * width + 10, 0, width - 20, _HEADER),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                self.tr(name),
            )
        busiest = max([*self.counts.values(), 1])
        for day in grid_days(self.month):
            rect = self.cell_rect(day)
            assert rect is not None
            self._paint_day(p, QRectF(rect), day, busiest, small, bold)
        p.setPen(QPen(LINE, 1))
        for row in range(_WEEKS + 1):
            y = round(_HEADER + row * height) - 0.5
            p.drawLine(QPointF(0, y), QPointF(self.width(), y))
        for column in range(1, 7):
            x = round(column * width) - 0.5
            p.drawLine(QPointF(x, _HEADER), QPointF(x, self.height()))
        p.end()

    def _paint_day(
        self, p: QPainter, rect: QRectF, day: date, busiest: int, small: QFont, bold: QFont
    ) -> None:
        in_month = day.month == self.month.month
        if not in_month:
            p.fillRect(rect, QColor("#f7f9fa"))
        count = self.counts.get(day, 0)
        number_box = QRectF(rect.left() + 6, rect.top() + 6, 26, 22)
        if day == self.today:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(ACCENT)
            p.drawRoundedRect(number_box, 11, 11)
            p.setPen(QColor("#ffffff"))
        else:
            p.setPen(INK if in_month else QColor("#a9b2ba"))
        p.setFont(bold)
        p.drawText(number_box, Qt.AlignmentFlag.AlignCenter, str(day.day))
        if count:
            bar = QRectF(rect.left() + 8, rect.bottom() - 30, rect.width() - 16, 22)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(tint(ACCENT, 0.12 + 0.38 * count / busiest))
            p.drawRoundedRect(bar, 5, 5)
            p.setFont(small)
            p.setPen(INK if in_month else MUTED)
            text = self.tr("1 visit") if count == 1 else self.tr("{n} visits").format(n=count)
            p.drawText(bar.adjusted(8, 0, -4, 0), Qt.AlignmentFlag.AlignVCenter, text)
        if day == self.highlighted:
            p.setPen(QPen(ACCENT, 2))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(rect.adjusted(1.5, 1.5, -1.5, -1.5))

    # -- input ---------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        day = self.day_at(event.position().toPoint())
        if day is not None and event.button() == Qt.MouseButton.LeftButton:
            self.day_chosen.emit(day)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        steps = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1, Qt.Key.Key_Up: -7, Qt.Key.Key_Down: 7}
        key = Qt.Key(event.key())
        if key in steps and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self.cursor_moved.emit(self.highlighted + timedelta(days=steps[key]))
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.day_chosen.emit(self.highlighted)
        else:
            event.ignore()
