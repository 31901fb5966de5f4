"""What the Schedule page asks the database for, run on the worker: the set-up (zone,
today, providers, rooms) once, and per view either a stretch of the calendar or the
month's counts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from app.services.calendar import CalendarService
from app.services.context import AppContext
from app.services.practice import PracticeInfo, PracticeSummary
from app.services.schedule_data import CalendarRange, ProviderView, RoomView
from app.services.schedule_setup import ScheduleSetupService
from app.ui.schedule.month_view import grid_start
from app.ui.schedule.schedule_columns import AGENDA_DAYS, week_start
from app.ui.schedule.schedule_toolbar import ViewMode


@dataclass(frozen=True)
class ScheduleSetup:
    practice: PracticeSummary
    providers: list[ProviderView]
    rooms: list[RoomView]


def fetch_setup(ctx: AppContext) -> ScheduleSetup:
    """On the worker: the practice's zone and today, who can be booked, the rooms."""
    setup = ScheduleSetupService(ctx)
    return ScheduleSetup(PracticeInfo(ctx).summary(), setup.providers(), setup.rooms())


@dataclass(frozen=True)
class CalendarRequest:
    view: ViewMode
    day: date
    provider_ids: tuple[str, ...] = ()  # empty: everyone
    include_cancelled: bool = False

    def span(self) -> tuple[date, int]:
        """The first day fetched and how many days."""
        if self.view is ViewMode.MONTH:
            return grid_start(self.day), 42
        return {
            ViewMode.DAY: (self.day, 1),
            ViewMode.WEEK: (week_start(self.day), 7),
            ViewMode.AGENDA: (self.day, AGENDA_DAYS),
        }[self.view]


def fetch_calendar(ctx: AppContext, request: CalendarRequest) -> CalendarRange | dict[date, int]:
    """On the worker: the month view's counts per day, else the appointments and shading
    (with visit history in the day view)."""
    calendar = CalendarService(ctx)
    first, days = request.span()
    ids: Sequence[str] | None = request.provider_ids or None
    if request.view is ViewMode.MONTH:
        return calendar.month_counts(first, first + timedelta(days=days - 1), ids)
    return calendar.range(
        first,
        days,
        ids,
        include_cancelled=request.include_cancelled,
        with_history=request.view is ViewMode.DAY,
    )
