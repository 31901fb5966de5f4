"""Where things are on the time grid: the columns of time laid out in a scroll area, the
blocks placed in them, and the queries that turn a point into a visit or a time and back.
Tests and the page find things this way: `block_rect`, `point_at`, `appointment_at`,
`slot_at` (viewport coordinates). What the grid does (selection, painting, mouse, keys) is
TimeGrid, built on this."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

from app.services.schedule_data import AppointmentView, Unavailable
from app.ui.schedule.grid_blocks import Block, detail_texts, make_block, make_fonts
from app.ui.schedule.grid_geometry import (
    Axis,
    Columns,
    GridColumn,
    Placed,
    Shade,
    block_box,
    minutes_into,
    open_window,
    place,
    shade_table,
    shading,
    wall_at,
)
from app.ui.schedule.grid_painter import GUTTER, HEADER, GridPainter

PX_PER_MINUTE = 1.6  # 96 px an hour: a 20-minute visit has room for two lines
MIN_COLUMN_WIDTH = 120.0


class GridArea(QAbstractScrollArea):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # The day is always taller than the screen; a bar that comes and goes would
        # change the columns' width after each layout.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.painter = GridPainter(make_fonts(self.font()))
        self.columns: list[GridColumn] = []
        self.detailed = False
        self._placed: list[Placed] = []
        self._shades: list[list[Shade]] = []
        self._blocks: list[Block] = []
        self._by_id: dict[str, Block] = {}
        self._order: list[str] = []  # appointment ids in time order
        self.axis = Axis(7 * 60, 19 * 60, PX_PER_MINUTE)
        self.cols = Columns(0, MIN_COLUMN_WIDTH)
        self._now: Callable[[], datetime] = lambda: datetime.now(UTC)
        self._zone = ZoneInfo("UTC")

    # -- layout --------------------------------------------------------------------------

    def set_clock(self, now: Callable[[], datetime], zone: str) -> None:
        self._now = now
        self._zone = ZoneInfo(zone)

    def _lay_out(
        self,
        columns: Sequence[GridColumn],
        appointments: Sequence[AppointmentView],
        unavailable: Sequence[Unavailable],
        detailed: bool,
    ) -> None:
        """Columns, lanes, shading and the hours shown."""
        self.columns = list(columns)
        self.detailed = detailed
        self._placed = place(self.columns, appointments)
        table = shade_table(unavailable)
        self._shades = [shading(column, table) for column in self.columns]
        first, last = open_window(self._placed, self._shades)
        self.axis = Axis(first, last, PX_PER_MINUTE)
        self._relayout()

    def _relayout(self) -> None:
        width = max(1.0, self.viewport().width() - GUTTER)
        count = len(self.columns)
        column_width = max(MIN_COLUMN_WIDTH, width / count) if count else width
        self.cols = Columns(count, column_width)
        self._blocks = [
            make_block(
                item,
                QRectF(*block_box(item, self.axis, self.cols)),
                self.painter.fonts,
                detailed=self.detailed,
            )
            for item in self._placed
        ]
        self._by_id = {block.appointment_id: block for block in self._blocks}
        self._order = [
            b.appointment_id
            for b in sorted(self._blocks, key=lambda b: (b.placed.start, b.placed.column))
        ]
        body_height = self.viewport().height() - HEADER
        self.verticalScrollBar().setRange(0, max(0, round(self.axis.height - body_height)))
        self.verticalScrollBar().setPageStep(max(1, round(body_height)))
        self.verticalScrollBar().setSingleStep(round(15 * PX_PER_MINUTE))
        self.horizontalScrollBar().setRange(0, max(0, round(self.cols.total - width)))
        self.horizontalScrollBar().setPageStep(max(1, round(width)))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._relayout()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        self.viewport().update()

    def scroll_to_start(self) -> None:
        """Today: an hour before now; another day: the first appointment or open hour."""
        now = self.now_wall()
        if any(c.day == now.date() for c in self.columns):
            minute = (minutes_into(now.date(), now) - 45) // 60 * 60
        elif self._placed:
            minute = min(item.start for item in self._placed) // 60 * 60
        else:
            minute = 8 * 60
        top = self.axis.y(max(self.axis.first, minute))
        self.verticalScrollBar().setValue(round(max(0.0, top - 10)))  # the hour label shows

    def now_wall(self) -> datetime:
        return self._now().astimezone(self._zone).replace(tzinfo=None)

    # -- what is where (viewport coordinates) --------------------------------------------

    @property
    def appointments(self) -> list[AppointmentView]:
        return [block.placed.appointment for block in self._blocks]

    def _to_view(self, rect: QRectF) -> QRectF:
        return rect.translated(
            GUTTER - self.horizontalScrollBar().value(), HEADER - self.verticalScrollBar().value()
        )

    def _to_body(self, pos: QPoint | QPointF) -> QPointF:
        return QPointF(
            pos.x() - GUTTER + self.horizontalScrollBar().value(),
            pos.y() - HEADER + self.verticalScrollBar().value(),
        )

    def block_rect(self, appointment_id: str) -> QRect | None:
        """Where an appointment is drawn now, in viewport coordinates (None: not shown)."""
        block = self._by_id.get(appointment_id)
        return self._to_view(block.rect).toRect() if block else None

    def texts_of(self, appointment_id: str) -> list[str]:
        """The lines an appointment's block shows now (title first), for tests and readers."""
        block = self._by_id.get(appointment_id)
        return [block.title, *detail_texts(block, self._now())] if block else []

    def column_of(self, appointment_id: str) -> int | None:
        block = self._by_id.get(appointment_id)
        return block.placed.column if block else None

    def point_at(self, column: int, wall: datetime) -> QPoint:
        """The viewport point in the middle of `column` at `wall` time."""
        minute = minutes_into(self.columns[column].day, wall)
        body = QPointF(self.cols.x(column) + self.cols.width / 2, self.axis.y(minute))
        return self._to_view(QRectF(body, body)).topLeft().toPoint()

    def reveal(self, rect: QRectF) -> None:
        """Scroll so a body rectangle is on screen."""
        bar = self.verticalScrollBar()
        body_height = self.viewport().height() - HEADER
        if rect.top() < bar.value():
            bar.setValue(round(rect.top() - 8))
        elif rect.bottom() > bar.value() + body_height:
            bar.setValue(round(min(rect.top() - 8, rect.bottom() - body_height + 8)))

    def reveal_time(self, wall: datetime) -> None:
        minute = minutes_into(wall.date(), wall)
        self.reveal(QRectF(0, self.axis.y(minute) - 30, 1, 60))

    def appointment_at(self, pos: QPoint) -> AppointmentView | None:
        block = self._block_at(pos)
        return block.placed.appointment if block else None

    def _block_at(self, pos: QPoint | QPointF) -> Block | None:
        if pos.x() < GUTTER or pos.y() < HEADER:
            return None
        body = self._to_body(pos)
        for block in reversed(self._blocks):
            if block.rect.contains(body):
                return block
        return None

    def slot_at(self, pos: QPoint, step: int = 5) -> tuple[GridColumn, datetime] | None:
        """The column and the wall time (in `step` minutes) under a viewport point."""
        if pos.x() < GUTTER or pos.y() < HEADER:
            return None
        body = self._to_body(pos)
        column = self.cols.at(body.x())
        minute = self.axis.minutes_at(body.y())
        if column is None or not self.axis.first <= minute < self.axis.last:
            return None
        start = int(minute // step * step)
        return self.columns[column], wall_at(self.columns[column].day, start)
