"""Finding the next free slots that fit a visit type, provider(s), part of day and dates."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.models import Appointment, BlockedTime, WorkingHours
from app.services.context import AppContext, requires
from app.services.errors import DomainError
from app.services.permissions import Permission
from app.services.schedule_data import ProviderView, Slot, SlotSearch
from app.services.schedule_queries import appointments_overlapping, practice_zone, type_row
from app.services.schedule_rules import (
    OCCUPYING,
    check_minutes,
    days_between,
    part_of_day_window,
    subtract,
    to_utc,
    to_wall,
)
from app.services.schedule_setup import list_providers
from app.services.settings import SLOT_MINUTES, read_setting

DEFAULT_SEARCH_DAYS = 90
MAX_SEARCH_DAYS = 366
# Appointments are read a stretch of days at a time: one day first (the usual answer is
# soon), then twice as many each time, up to two weeks, so a search far ahead stays quick.
_MAX_CHUNK_DAYS = 14

Interval = tuple[datetime, datetime]


class AvailabilityService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    @requires(Permission.SCHEDULE)
    def find_next_available(self, search: SlotSearch) -> list[Slot]:
        """The earliest free slots, day by day: at most one per provider per free stretch,
        so the list offers different times rather than 9:00, 9:15, 9:30 of one gap."""
        if not 1 <= search.limit <= 50:
            raise DomainError("Ask for between 1 and 50 slots.")
        with self.ctx.unit_of_work() as uow:
            session = uow.session
            zone = practice_zone(session)
            appt_type = type_row(session, search.type_id)
            minutes = search.minutes or appt_type.default_minutes
            check_minutes(minutes)
            providers = [
                p
                for p in list_providers(uow)
                if (not appt_type.provider_ids or p.id in appt_type.provider_ids)
                and (not search.provider_ids or p.id in search.provider_ids)
            ]
            if not providers:
                raise DomainError(f"No chosen provider offers {appt_type.name}.")
            now = self.ctx.clock.now()
            today = to_wall(now, zone).date()
            first = max(search.first_day or today, today)
            last = search.last_day or first + timedelta(days=DEFAULT_SEARCH_DAYS)
            if last < first:
                raise DomainError("The last day must not be before the first.")
            last = min(last, first + timedelta(days=MAX_SEARCH_DAYS))
            finder = _SlotFinder(session, zone, providers, int(read_setting(session, SLOT_MINUTES)))
            # Not audited: free times name providers, never a patient (DESIGN §3 audits
            # chart reads and every write; this is neither).
            return finder.find(first, last, minutes, search, now)


class _SlotFinder:
    def __init__(
        self, session: Session, zone: str, providers: list[ProviderView], grid_minutes: int
    ) -> None:
        self.session = session
        self.zone = zone
        self.providers = providers
        self.grid = timedelta(minutes=grid_minutes)
        self.hours: dict[tuple[str, int], list[WorkingHours]] = defaultdict(list)
        for row in session.scalars(
            select(WorkingHours).where(
                WorkingHours.provider_id.in_([p.id for p in providers]),
                WorkingHours.deleted_at.is_(None),
            )
        ):
            self.hours[(row.provider_id, row.weekday)].append(row)

    def find(
        self, first: date, last: date, minutes: int, search: SlotSearch, now: datetime
    ) -> list[Slot]:
        length = timedelta(minutes=minutes)
        window_start, window_end = part_of_day_window(search.part_of_day)
        earliest = to_wall(now, self.zone)
        found: list[Slot] = []
        chunk_start, chunk_days = first, 1
        while chunk_start <= last and len(found) < search.limit:
            chunk_end = min(chunk_start + timedelta(days=chunk_days - 1), last)
            chunk_days = min(chunk_days * 2, _MAX_CHUNK_DAYS)
            busy = self._busy(chunk_start, chunk_end)
            for day in days_between(chunk_start, chunk_end):
                day_slots: list[Slot] = []
                for provider in self.providers:
                    for location_id, free in self._free(provider.id, day, busy):
                        for stretch in free:
                            start = self._first_fit(
                                stretch, length, earliest, window_start, window_end
                            )
                            if start is not None:
                                day_slots.append(
                                    Slot(provider.id, provider.name, location_id, start, minutes)
                                )
                day_slots.sort(key=lambda s: s.wall_start)
                found += day_slots[: search.limit - len(found)]
                if len(found) >= search.limit:
                    break
            chunk_start = chunk_end + timedelta(days=1)
        return found

    def _busy(self, first: date, last: date) -> dict[str | None, list[Interval]]:
        """Occupied wall-time intervals per provider (None: the whole practice)."""
        starts = to_utc(datetime.combine(first, time()), self.zone)
        ends = to_utc(datetime.combine(last + timedelta(days=1), time()), self.zone)
        ids = [p.id for p in self.providers]
        busy: dict[str | None, list[Interval]] = defaultdict(list)
        rows = self.session.execute(
            select(Appointment.provider_id, Appointment.starts_at, Appointment.ends_at).where(
                Appointment.provider_id.in_(ids),
                appointments_overlapping(starts, ends),
                Appointment.status.in_(OCCUPYING),
                Appointment.deleted_at.is_(None),
            )
        )
        for provider_id, appt_start, appt_end in rows:
            busy[provider_id].append((to_wall(appt_start, self.zone), to_wall(appt_end, self.zone)))
        blocks = self.session.execute(
            select(BlockedTime.provider_id, BlockedTime.starts_at, BlockedTime.ends_at).where(
                or_(BlockedTime.provider_id.in_(ids), BlockedTime.provider_id.is_(None)),
                BlockedTime.starts_at < ends,
                BlockedTime.ends_at > starts,
                BlockedTime.deleted_at.is_(None),
            )
        )
        for blocked_id, block_start, block_end in blocks:
            busy[blocked_id].append(
                (to_wall(block_start, self.zone), to_wall(block_end, self.zone))
            )
        return busy

    def _free(
        self, provider_id: str, day: date, busy: dict[str | None, list[Interval]]
    ) -> list[tuple[str, list[Interval]]]:
        """Per location the provider works at that day: the free wall-time intervals."""
        result = []
        for row in self.hours[(provider_id, day.weekday())]:
            stretch: list[Interval] = [
                (datetime.combine(day, row.starts), datetime.combine(day, row.ends))
            ]
            taken = busy[provider_id] + busy[None]
            if row.break_starts and row.break_ends:
                lunch = (
                    datetime.combine(day, row.break_starts),
                    datetime.combine(day, row.break_ends),
                )
                taken = [*taken, lunch]
            result.append((row.location_id, subtract(stretch, taken)))
        return result

    def _first_fit(
        self,
        stretch: Interval,
        length: timedelta,
        earliest: datetime,
        window_start: time,
        window_end: time,
    ) -> datetime | None:
        """The first grid-aligned start in one free stretch that fits the visit."""
        start, end = stretch
        candidate = self._align(max(start, earliest))
        while candidate + length <= end:
            if window_start <= candidate.time() < window_end:
                return candidate
            candidate += self.grid
        return None

    def _align(self, moment: datetime) -> datetime:
        midnight = datetime.combine(moment.date(), time())
        steps = -(-(moment - midnight) // self.grid)  # round up to the grid
        return midnight + steps * self.grid
