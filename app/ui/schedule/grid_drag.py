"""One drag on the time grid, with no widgets: the body moves the visit (5-minute steps,
possibly to another column), the bottom edge changes its length. Only visits that have
not started move; a visit in progress may still get longer or shorter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.models.appointment import AppointmentStatus
from app.services.schedule_data import AppointmentView
from app.services.schedule_rules import UPCOMING
from app.ui.schedule.grid_geometry import Axis, GridColumn, Placed, snap, wall_at

S = AppointmentStatus
RESIZABLE = UPCOMING | {S.ARRIVED, S.ROOMED, S.WITH_PROVIDER}


@dataclass(frozen=True)
class Ghost:
    """Where the dragged visit would go: a column and minutes of the day."""

    column: int
    start: int
    end: int


@dataclass(frozen=True)
class MoveRequest:
    appointment: AppointmentView
    wall_start: datetime
    minutes: int | None  # None: the length stays
    provider_id: str | None  # None: the provider stays


@dataclass
class Drag:
    item: Placed
    press_y: float
    resize: bool
    active: bool = False
    ghost: Ghost | None = None

    @property
    def allowed(self) -> bool:
        return self.item.appointment.status in (RESIZABLE if self.resize else UPCOMING)

    def follow(self, y: float, column: int | None, axis: Axis, columns: list[GridColumn]) -> None:
        """The pointer is at body `y` over `column` (None: outside the columns)."""
        item = self.item
        moved = (y - self.press_y) / axis.px_per_minute
        if self.resize:
            self.ghost = Ghost(item.column, item.start, max(item.start + 5, snap(item.end + moved)))
            return
        length = item.end - item.start
        start = max(axis.first, min(axis.last - length, snap(item.start + moved)))
        if column is None or columns[column].by_room:
            column = item.column  # a room column cannot take a provider change
        self.ghost = Ghost(column, start, start + length)

    def request(self, columns: list[GridColumn]) -> MoveRequest | None:
        """What the drop asks for, or None when it lands where it started."""
        ghost, item = self.ghost, self.item
        if ghost is None or (ghost.column, ghost.start, ghost.end) == (
            item.column,
            item.start,
            item.end,
        ):
            return None
        column = columns[ghost.column]
        return MoveRequest(
            item.appointment,
            wall_at(column.day, ghost.start),
            ghost.end - ghost.start if self.resize else None,
            column.drop_provider if ghost.column != item.column else None,
        )
