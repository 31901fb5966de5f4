"""The time grid's layout, with no widgets: which column and lane each appointment takes,
what each column shades, and how minutes map to pixels. Computed once per data change."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from app.services.schedule_data import AppointmentView, Unavailable

DAY_MINUTES = 24 * 60
SNAP_MINUTES = 5
DEFAULT_FIRST_HOUR = 7
DEFAULT_LAST_HOUR = 19


@dataclass(frozen=True)
class GridColumn:
    """One column: a day, whose appointments it holds (one provider, several, or one room)."""

    day: date
    title: str
    provider_ids: tuple[str, ...]
    subtitle: str = ""
    room_id: str | None = None  # with by_room: this room ("" = no room given)
    by_room: bool = False

    @property
    def drop_provider(self) -> str | None:
        """The provider an appointment dropped here is booked with (None: keep its own)."""
        return self.provider_ids[0] if len(self.provider_ids) == 1 and not self.by_room else None


@dataclass(frozen=True)
class Shade:
    """A stretch of a column the provider(s) cannot be booked: minutes from midnight."""

    start: int
    end: int
    kind: str  # "off", "break", "block", "holiday"
    label: str


@dataclass(frozen=True)
class Placed:
    appointment: AppointmentView
    column: int
    lane: int
    lanes: int
    start: int  # minutes from the column day's midnight
    end: int


def minutes_into(day: date, wall: datetime) -> int:
    """Minutes from `day`'s midnight to `wall`, clipped to the day."""
    minutes = int((wall - datetime.combine(day, time())).total_seconds() // 60)
    return max(0, min(DAY_MINUTES, minutes))


def wall_at(day: date, minutes: int) -> datetime:
    return datetime.combine(day, time()) + timedelta(minutes=minutes)


def snap(minutes: float, step: int = SNAP_MINUTES) -> int:
    return int(round(minutes / step) * step)


def column_index(columns: Sequence[GridColumn]) -> dict[tuple[date, str, str | None], int]:
    """(day, provider, room or None) → column, for placing appointments in O(1)."""
    index: dict[tuple[date, str, str | None], int] = {}
    for number, column in enumerate(columns):
        room = (column.room_id or "") if column.by_room else None
        for provider_id in column.provider_ids:
            index.setdefault((column.day, provider_id, room), number)
    return index


def place(columns: Sequence[GridColumn], appointments: Iterable[AppointmentView]) -> list[Placed]:
    """Each appointment in its column, overlapping ones side by side in lanes."""
    index = column_index(columns)
    by_room = any(c.by_room for c in columns)
    per_column: dict[int, list[AppointmentView]] = defaultdict(list)
    for appt in appointments:
        room = (appt.room_id or "") if by_room else None
        number = index.get((appt.wall_start.date(), appt.provider_id, room))
        if number is not None:
            per_column[number].append(appt)
    placed: list[Placed] = []
    for number, items in per_column.items():
        day = columns[number].day
        spans = [
            (minutes_into(day, a.wall_start), max(minutes_into(day, a.wall_end), 1), a)
            for a in items
        ]
        spans.sort(key=lambda s: (s[0], -s[1], s[2].id))
        for (start, end, appt), (lane, lanes) in zip(
            spans, assign_lanes([(s, e) for s, e, _ in spans]), strict=True
        ):
            placed.append(Placed(appt, number, lane, lanes, start, max(end, start + 1)))
    return placed


def assign_lanes(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """(lane, lanes in its cluster) for spans sorted by start: overlapping spans share a
    cluster and each takes the first lane free at its start."""
    result: list[tuple[int, int]] = []
    cluster_start = 0
    cluster_end = -1
    lane_ends: list[int] = []

    def close_cluster() -> None:
        for i in range(cluster_start, len(result)):
            result[i] = (result[i][0], len(lane_ends))

    for start, end in spans:
        if start >= cluster_end and result:
            close_cluster()
            cluster_start = len(result)
            lane_ends = []
        lane = next((i for i, lane_end in enumerate(lane_ends) if lane_end <= start), None)
        if lane is None:
            lane = len(lane_ends)
            lane_ends.append(end)
        else:
            lane_ends[lane] = end
        result.append((lane, 0))
        cluster_end = max(cluster_end, end)
    if result:
        close_cluster()
    return result


ShadeTable = dict[tuple[str, date], list[Unavailable]]


def shade_table(unavailable: Iterable[Unavailable]) -> ShadeTable:
    """The unavailable stretches by provider and each day they touch (read once)."""
    table: ShadeTable = defaultdict(list)
    for span in unavailable:
        day = span.wall_start.date()
        while datetime.combine(day, time()) < span.wall_end:
            table[(span.provider_id, day)].append(span)
            day += timedelta(days=1)
    return table


def shading(column: GridColumn, table: ShadeTable) -> list[Shade]:
    """What the column shades: the stretches when none of its providers can be booked
    (a provider's off hours, breaks, blocks and holidays; a room column shades the time
    nobody shown works)."""
    common: list[Shade] | None = None
    for provider_id in column.provider_ids:
        spans = [
            Shade(
                minutes_into(column.day, span.wall_start),
                minutes_into(column.day, span.wall_end),
                span.kind,
                span.label,
            )
            for span in table.get((provider_id, column.day), ())
        ]
        mine = _disjoint([s for s in spans if s.end > s.start])
        if not mine:
            return []  # this provider is free all day (or has no hours set up)
        common = mine if common is None else _disjoint(_intersect(common, mine))
        if not common:
            return []
    return common or []


def _disjoint(shades: list[Shade]) -> list[Shade]:
    """Overlapping stretches as one sorted run of pieces, each named by its strongest
    reason (a holiday beats a block beats a break beats off hours)."""
    points = sorted({s.start for s in shades} | {s.end for s in shades})
    pieces: list[Shade] = []
    for start, end in itertools.pairwise(points):
        covering = [s for s in shades if s.start <= start and s.end >= end]
        if not covering:
            continue
        top = max(covering, key=_rank)
        last = pieces[-1] if pieces else None
        if last and last.end == start and (last.kind, last.label) == (top.kind, top.label):
            pieces[-1] = Shade(last.start, end, top.kind, top.label)
        else:
            pieces.append(Shade(start, end, top.kind, top.label))
    return pieces


def _intersect(first: list[Shade], second: list[Shade]) -> list[Shade]:
    out: list[Shade] = []
    for a in first:
        for b in second:
            start, end = max(a.start, b.start), min(a.end, b.end)
            if end > start:
                kind, label = (a.kind, a.label) if _rank(a) >= _rank(b) else (b.kind, b.label)
                out.append(Shade(start, end, kind, label))
    return out


def _rank(shade: Shade) -> int:
    return {"off": 0, "break": 1, "block": 2, "holiday": 3}.get(shade.kind, 0)


def open_window(placed: Iterable[Placed], shades: Iterable[Sequence[Shade]]) -> tuple[int, int]:
    """The hours the axis shows: 7:00–19:00, widened to any appointment or working time
    outside it (whole hours)."""
    first, last = DEFAULT_FIRST_HOUR * 60, DEFAULT_LAST_HOUR * 60
    for item in placed:
        first, last = min(first, item.start), max(last, item.end)
    for column_shades in shades:
        closed = sorted((s.start, s.end) for s in column_shades if s.kind == "off")
        cursor = 0
        for start, end in [*closed, (DAY_MINUTES, DAY_MINUTES)]:
            if start > cursor:  # an open stretch from cursor to start
                first, last = min(first, cursor), max(last, start)
            cursor = max(cursor, end)
    return (first // 60) * 60, min(DAY_MINUTES, -(-last // 60) * 60)


@dataclass(frozen=True)
class Axis:
    """Maps minutes of the day to body y (0 = the top of the first hour shown)."""

    first: int  # minute shown at the top
    last: int
    px_per_minute: float

    @property
    def height(self) -> float:
        return (self.last - self.first) * self.px_per_minute

    def y(self, minutes: float) -> float:
        return (minutes - self.first) * self.px_per_minute

    def minutes_at(self, y: float) -> float:
        return self.first + y / self.px_per_minute


@dataclass(frozen=True)
class Columns:
    """Maps columns to body x (0 = the left edge of the first column)."""

    count: int
    width: float

    @property
    def total(self) -> float:
        return self.count * self.width

    def x(self, column: int) -> float:
        return column * self.width

    def at(self, x: float) -> int | None:
        if self.count == 0 or x < 0 or x >= self.total:
            return None
        return int(x // self.width)


def block_box(
    item: Placed, axis: Axis, columns: Columns, gap: float = 3.0
) -> tuple[float, float, float, float]:
    """x, y, width, height of an appointment's block in body coordinates."""
    lane_width = (columns.width - 2 * gap) / item.lanes
    x = columns.x(item.column) + gap + item.lane * lane_width
    y = axis.y(item.start)
    height = max(axis.y(item.end) - y, 10.0)
    return x, y + 1, max(lane_width - 2, 4.0), height - 2
