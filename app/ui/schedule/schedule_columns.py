"""Which columns each view shows and the words above them (no widgets): a day by provider
or by room, a week of days, and the titles for the range on screen."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, timedelta

from PySide6.QtCore import QCoreApplication

from app.models.appointment import AppointmentStatus
from app.services.schedule_data import (
    AppointmentView,
    CalendarRange,
    ProviderView,
    RoomView,
)
from app.ui.schedule.grid_geometry import GridColumn
from app.ui.schedule.schedule_style import FADED, WAITING

AGENDA_DAYS = 14


def _tr(text: str) -> str:
    return QCoreApplication.translate("Schedule", text)


def visits(count: int) -> str:
    if count == 0:
        return _tr("No visits")
    return _tr("1 visit") if count == 1 else _tr("{n} visits").format(n=count)


def week_start(day: date) -> date:
    """The Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())


def _booked(appointments: Sequence[AppointmentView]) -> list[AppointmentView]:
    return [a for a in appointments if a.status not in FADED]


def day_columns(
    day: date,
    providers: Sequence[ProviderView],
    appointments: Sequence[AppointmentView],
    *,
    rooms: Sequence[RoomView] = (),
    by_room: bool = False,
) -> list[GridColumn]:
    """One column per provider; or per room (plus "No room" when a visit has none)."""
    booked = _booked(appointments)
    ids = tuple(p.id for p in providers)
    if not by_room:
        per_provider = Counter(a.provider_id for a in booked)
        return [GridColumn(day, p.name, (p.id,), visits(per_provider[p.id])) for p in providers]
    per_room = Counter(a.room_id or "" for a in booked)
    columns = [
        GridColumn(day, r.name, ids, visits(per_room[r.id]), room_id=r.id, by_room=True)
        for r in rooms
        if r.active
    ]
    unplaced = [a for a in appointments if not a.room_id]
    if unplaced or not columns:
        columns.append(
            GridColumn(day, _tr("No room"), ids, visits(per_room[""]), room_id="", by_room=True)
        )
    return columns


def week_columns(
    first: date, provider_ids: Sequence[str], appointments: Sequence[AppointmentView]
) -> list[GridColumn]:
    per_day = Counter(a.wall_start.date() for a in _booked(appointments))
    days = [first + timedelta(days=offset) for offset in range(7)]
    return [
        GridColumn(day, f"{day:%a} {day.day}", tuple(provider_ids), visits(per_day[day]))
        for day in days
    ]


def columns_for(
    view: str,
    day: date,
    data: CalendarRange,
    *,
    rooms: Sequence[RoomView] = (),
    by_room: bool = False,
) -> list[GridColumn]:
    """The time grid's columns for the day or week view of `data` (what the page shows;
    the benchmark lays out the same)."""
    if view == "day":
        return day_columns(day, data.providers, data.appointments, rooms=rooms, by_room=by_room)
    ids = [p.id for p in data.providers]
    return week_columns(data.first_day, ids, data.appointments)


def range_title(view: str, day: date) -> str:
    """What the page shows, in words: "Monday, January 5, 2026", "Jan 5 – 11, 2026"."""
    if view == "day":
        return f"{day:%A, %B} {day.day}, {day.year}"
    if view == "month":
        return f"{day:%B %Y}"
    first = week_start(day) if view == "week" else day
    last = first + timedelta(days=(7 if view == "week" else AGENDA_DAYS) - 1)
    if first.year != last.year:
        return f"{first:%b} {first.day}, {first.year} – {last:%b} {last.day}, {last.year}"
    if first.month != last.month:
        return f"{first:%b} {first.day} – {last:%b} {last.day}, {last.year}"
    return f"{first:%b} {first.day} – {last.day}, {last.year}"


def day_summary(appointments: Sequence[AppointmentView], today: bool) -> str:
    """ "23 visits · 3 in the office" (the office part only for today)."""
    booked = _booked(appointments)
    text = visits(len(booked))
    here = sum(1 for a in booked if a.status in WAITING | {AppointmentStatus.WITH_PROVIDER})
    if today and here:
        text += " · " + _tr("{n} in the office").format(n=here)
    return text
