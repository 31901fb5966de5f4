"""The day and week calendar: columns of time with appointments as blocks, painted by one
widget (no widget per appointment). Click selects, double-click opens, dragging the body
moves (5-minute steps, across columns), dragging the bottom edge changes the length.

The grid only asks; the page does the service calls. A drop leaves a dashed "pending"
ghost until fresh data arrives (`set_content`) or the move is refused (`cancel_pending`).
Tests and the page find things by geometry: `block_rect`, `point_at`, `appointment_at`,
`slot_at`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QToolTip, QWidget

from app.models.appointment import AppointmentStatus
from app.services.schedule_data import AppointmentView, Unavailable
from app.ui.schedule.grid_blocks import Block, detail_texts, make_block, make_fonts, paint_block
from app.ui.schedule.grid_drag import Drag, Ghost
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
from app.ui.schedule.schedule_style import (
    describe,
    tooltip,
)

S = AppointmentStatus
PX_PER_MINUTE = 1.6  # 96 px an hour: a 20-minute visit has room for two lines
MIN_COLUMN_WIDTH = 120.0
_EDGE = 6  # px at a block's bottom that resize instead of move


class TimeGrid(QAbstractScrollArea):
    selection_changed = Signal(object)  # AppointmentView | None
    activated = Signal(object)  # AppointmentView: Enter or double-click
    slot_activated = Signal(object, object)  # GridColumn, wall datetime: double-click on free time
    move_requested = Signal(object, object, object, object)  # appt, wall start, minutes, provider
    context_requested = Signal(object, QPoint)  # AppointmentView, global position

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Appointment calendar"))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setObjectName("TimeGrid")
        self.setStyleSheet("QAbstractScrollArea#TimeGrid { border: 1px solid #dde2e6; }")
        self.viewport().setMouseTracking(True)
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
        self._order: list[str] = []
        self._selected: str | None = None
        self._drag: Drag | None = None
        self._pending: Ghost | None = None
        self._press = QPoint()
        self.axis = Axis(7 * 60, 19 * 60, PX_PER_MINUTE)
        self.cols = Columns(0, MIN_COLUMN_WIDTH)
        self._now: Callable[[], datetime] = lambda: datetime.now(UTC)
        self._zone = ZoneInfo("UTC")
        self._ticker = QTimer(self)
        self._ticker.setInterval(30_000)  # the now line and the waiting clocks move
        self._ticker.timeout.connect(self.viewport().update)
        self._ticker.start()

    # -- content -------------------------------------------------------------------------

    def set_clock(self, now: Callable[[], datetime], zone: str) -> None:
        self._now = now
        self._zone = ZoneInfo(zone)

    def set_content(
        self,
        columns: Sequence[GridColumn],
        appointments: Sequence[AppointmentView],
        unavailable: Sequence[Unavailable],
        *,
        detailed: bool = False,
        keep_scroll: bool = True,
    ) -> None:
        """Lay out once: columns, lanes, shading and the hours shown. The selection stays
        when the appointment is still there; so does the scroll position (by time)."""
        top_minute = self.axis.minutes_at(self.verticalScrollBar().value())
        self.columns = list(columns)
        self.detailed = detailed
        self._placed = place(self.columns, appointments)
        table = shade_table(unavailable)
        self._shades = [shading(column, table) for column in self.columns]
        first, last = open_window(self._placed, self._shades)
        self.axis = Axis(first, last, PX_PER_MINUTE)
        self._pending = None
        self._drag = None
        self._relayout()
        if self._selected not in self._by_id:
            self._select(None)
        if keep_scroll:
            self.verticalScrollBar().setValue(round(self.axis.y(top_minute)))
        else:
            self.scroll_to_start()
        self.viewport().update()

    def clear(self) -> None:
        self.set_content([], [], [])
        self._select(None)

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

    # -- selection -----------------------------------------------------------------------

    @property
    def appointments(self) -> list[AppointmentView]:
        return [block.placed.appointment for block in self._blocks]

    def selected(self) -> AppointmentView | None:
        block = self._by_id.get(self._selected or "")
        return block.placed.appointment if block else None

    def select(self, appointment_id: str | None) -> None:
        self._select(appointment_id if appointment_id in self._by_id else None)
        if self._selected:
            self.reveal(self._by_id[self._selected].rect)

    def _select(self, appointment_id: str | None) -> None:
        if appointment_id == self._selected:
            return
        self._selected = appointment_id
        chosen = self.selected()
        self.setAccessibleDescription(describe(chosen) if chosen else "")
        self.viewport().update()
        self.selection_changed.emit(chosen)

    def step_selection(self, step: int) -> None:
        if not self._order:
            return
        if self._selected in self._order:
            index = self._order.index(self._selected) + step
        else:
            index = 0 if step > 0 else len(self._order) - 1
        self.select(self._order[max(0, min(len(self._order) - 1, index))])

    # -- geometry (viewport coordinates) --------------------------------------------------

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

    @property
    def pending(self) -> bool:
        """A dropped move is waiting for its answer (its ghost is drawn)."""
        return self._pending is not None

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

    def now_wall(self) -> datetime:
        return self._now().astimezone(self._zone).replace(tzinfo=None)

    # -- painting ------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._relayout()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        self.viewport().update()

    def paintEvent(self, event: QPaintEvent) -> None:
        viewport = self.viewport()
        p = QPainter(viewport)
        width, height = float(viewport.width()), float(viewport.height())
        x_offset = float(self.horizontalScrollBar().value())
        y_offset = float(self.verticalScrollBar().value())
        now = self._now()
        now_wall = self.now_wall()
        today = now_wall.date()
        p.save()
        p.setClipRect(QRectF(GUTTER, HEADER, width - GUTTER, height - HEADER))
        p.translate(GUTTER - x_offset, HEADER - y_offset)
        visible = QRectF(x_offset, y_offset, width - GUTTER, height - HEADER)
        self.painter.background(p, visible, self.axis, self.cols, self.columns, self._shades, today)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fonts = self.painter.fonts
        for block in self._blocks:
            if block.rect.intersects(visible):
                paint_block(p, block, fonts, now, block.appointment_id == self._selected)
        ghost = self._drag.ghost if self._drag is not None and self._drag.active else self._pending
        if ghost is not None:
            column = self.columns[ghost.column]
            self.painter.ghost(
                p, self.axis, self.cols, column, (ghost.column, ghost.start, ghost.end)
            )
        now_minute = self.painter.now_line(p, self.axis, self.cols, self.columns, now_wall)
        p.restore()
        self.painter.header(p, width, self.cols, x_offset, self.columns, today)
        self.painter.gutter(p, height, self.axis, y_offset, now_minute)
        p.end()

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            block = self._block_at(event.pos())
            if block is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(
                    event.globalPos(), tooltip(block.placed.appointment), self.viewport()
                )
            return True
        return super().viewportEvent(event)

    # -- mouse ---------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        block = self._block_at(event.position())
        self._select(block.appointment_id if block else None)
        if block is not None and event.button() == Qt.MouseButton.LeftButton:
            on_edge = self._on_bottom_edge(block, event.position())
            self._press = event.position().toPoint()
            self._drag = Drag(block.placed, self._to_body(self._press).y(), resize=on_edge)
        event.accept()

    def _on_bottom_edge(self, block: Block, pos: QPointF) -> bool:
        rect = self._to_view(block.rect)
        return rect.height() >= 16 and rect.bottom() - _EDGE <= pos.y() <= rect.bottom() + 1

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        drag = self._drag
        pos = event.position()
        if drag is None:
            block = self._block_at(pos)
            if block is not None and self._on_bottom_edge(block, pos):
                self.viewport().setCursor(Qt.CursorShape.SizeVerCursor)
            else:
                self.viewport().unsetCursor()
            return
        if not drag.active:
            moved = (pos.toPoint() - self._press).manhattanLength()
            if moved < QApplication.startDragDistance() or not drag.allowed:
                return
            drag.active = True
        body = self._to_body(pos)
        drag.follow(body.y(), self.cols.at(body.x()), self.axis, self.columns)
        self.viewport().update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        drag, self._drag = self._drag, None
        request = drag.request(self.columns) if drag is not None and drag.active else None
        if drag is not None and request is not None:
            self._pending = drag.ghost
            self.move_requested.emit(
                request.appointment, request.wall_start, request.minutes, request.provider_id
            )
        self.viewport().update()

    def cancel_pending(self) -> None:
        """The move was refused or abandoned: the block is back where it was."""
        self._pending = None
        self.viewport().update()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self._drag = None
        block = self._block_at(event.position())
        if block is not None:
            self.activated.emit(block.placed.appointment)
            return
        slot = self.slot_at(event.position().toPoint(), step=15)
        if slot is not None:
            self.slot_activated.emit(*slot)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        if event.reason() == QContextMenuEvent.Reason.Mouse:
            block = self._block_at(event.pos())
            self._select(block.appointment_id if block else None)
        chosen = self.selected()
        if chosen is None:
            return
        rect = self._to_view(self._by_id[chosen.id].rect)
        where = event.pos() if event.reason() == QContextMenuEvent.Reason.Mouse else None
        anchor = where or rect.bottomLeft().toPoint() + QPoint(12, -4)
        self.context_requested.emit(chosen, self.viewport().mapToGlobal(anchor))

    # -- keyboard ------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Up/Down walk the appointments in time order, Enter opens the selected one;
        everything else goes on to the page (days, views, status keys)."""
        key = event.key()
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and plain:
            self.step_selection(-1 if key == Qt.Key.Key_Up else 1)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.selected() is not None:
            self.activated.emit(self.selected())
        elif key == Qt.Key.Key_Escape and self._drag is not None:
            self._drag = None
            self.viewport().update()
        else:
            event.ignore()
