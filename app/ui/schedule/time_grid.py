"""The day and week calendar: columns of time with appointments as blocks, painted by one
widget (no widget per appointment). Click selects, double-click opens, dragging the body
moves (5-minute steps, across columns), dragging the bottom edge changes the length.

The grid only asks; the page does the service calls. A drop leaves a dashed "pending"
ghost until fresh data arrives (`set_content`) or the move is refused (`cancel_pending`).
Where things are (and the geometry tests and the page use) is GridArea, in grid_area."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
)
from PySide6.QtWidgets import QApplication, QToolTip, QWidget

from app.services.schedule_data import AppointmentView, Unavailable
from app.ui.schedule.grid_area import GridArea
from app.ui.schedule.grid_blocks import Block, paint_block
from app.ui.schedule.grid_drag import Drag, Ghost
from app.ui.schedule.grid_geometry import GridColumn
from app.ui.schedule.grid_painter import GUTTER, HEADER
from app.ui.schedule.schedule_style import describe, tooltip

_EDGE = 6  # px at a block's bottom that resize instead of move


class TimeGrid(GridArea):
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
        self._selected: str | None = None
        self._drag: Drag | None = None
        self._pending: Ghost | None = None
        self._press = QPoint()
        self._ticker = QTimer(self)
        self._ticker.setInterval(30_000)  # the now line and the waiting clocks move
        self._ticker.timeout.connect(self.viewport().update)
        self._ticker.start()

    # -- content -------------------------------------------------------------------------

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
        self._pending = None
        self._drag = None
        self._lay_out(columns, appointments, unavailable, detailed)
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

    # -- selection -----------------------------------------------------------------------

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

    # -- painting ------------------------------------------------------------------------

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

    @property
    def pending(self) -> bool:
        """A dropped move is waiting for its answer (its ghost is drawn)."""
        return self._pending is not None

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
