"""Setting the schedule up: providers' hours, blocked time and holidays, rooms, and
appointment types."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from app.models import (
    AppointmentType,
    BlockedTime,
    BlockKind,
    Location,
    Role,
    Room,
    User,
    WorkingHours,
)
from app.services.appointment_rows import PROVIDER_ROLES
from app.services.audit_chain import AuditEntry
from app.services.bus import ScheduleSetupChanged
from app.services.context import AppContext, UnitOfWork, requires
from app.services.errors import ConcurrentChange, DomainError, NotFound
from app.services.permissions import Permission
from app.services.schedule_data import (
    AppointmentTypeView,
    BlockView,
    HoursInput,
    HoursView,
    LocationView,
    ProviderView,
    RoomView,
)
from app.services.schedule_queries import practice_zone
from app.services.schedule_rules import check_minutes, to_utc, to_wall

_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")  # used with fullmatch: "$" lets a newline through
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class AppointmentTypeInput:
    name: str
    default_minutes: int
    colour: str
    provider_ids: tuple[str, ...] = ()
    new_patients_only: bool = False
    active: bool = True


def list_providers(uow: UnitOfWork) -> list[ProviderView]:
    users = uow.session.scalars(
        select(User).where(User.role.in_(PROVIDER_ROLES), User.deleted_at.is_(None))
    )
    physicians_first = sorted(users, key=lambda u: (u.role is not Role.PHYSICIAN, u.display_name))
    return [
        ProviderView(u.id, u.display_name, u.role is Role.PHYSICIAN)
        for u in physicians_first
        if u.is_active
    ]


def type_view(row: AppointmentType) -> AppointmentTypeView:
    return AppointmentTypeView(
        row.id,
        row.version,
        row.name,
        row.default_minutes,
        row.colour,
        tuple(row.provider_ids or ()),
        row.new_patients_only,
        row.active,
    )


class ScheduleSetupService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    # --- reading (anyone who schedules) ---------------------------------------------

    @requires(Permission.SCHEDULE)
    def providers(self) -> list[ProviderView]:
        with self.ctx.unit_of_work() as uow:
            return list_providers(uow)

    @requires(Permission.SCHEDULE)
    def appointment_types(self, *, include_inactive: bool = False) -> list[AppointmentTypeView]:
        with self.ctx.unit_of_work() as uow:
            query = select(AppointmentType).where(AppointmentType.deleted_at.is_(None))
            if not include_inactive:
                query = query.where(AppointmentType.active.is_(True))
            rows = uow.session.scalars(query.order_by(AppointmentType.name))
            return [type_view(row) for row in rows]

    @requires(Permission.SCHEDULE)
    def locations(self) -> list[LocationView]:
        with self.ctx.unit_of_work() as uow:
            rows = uow.session.scalars(
                select(Location).where(Location.deleted_at.is_(None)).order_by(Location.name)
            )
            return [LocationView(row.id, row.name) for row in rows]

    @requires(Permission.SCHEDULE)
    def rooms(self) -> list[RoomView]:
        with self.ctx.unit_of_work() as uow:
            rows = uow.session.scalars(
                select(Room).where(Room.deleted_at.is_(None)).order_by(Room.name)
            )
            return [RoomView(r.id, r.name, r.location_id, r.active) for r in rows]

    @requires(Permission.SCHEDULE)
    def hours(self, provider_id: str | None = None) -> list[HoursView]:
        with self.ctx.unit_of_work() as uow:
            query = select(WorkingHours).where(WorkingHours.deleted_at.is_(None))
            if provider_id:
                query = query.where(WorkingHours.provider_id == provider_id)
            rows = uow.session.scalars(query.order_by(WorkingHours.weekday, WorkingHours.starts))
            return [
                HoursView(
                    r.provider_id,
                    r.location_id,
                    r.weekday,
                    r.starts,
                    r.ends,
                    r.break_starts,
                    r.break_ends,
                    id=r.id,
                )
                for r in rows
            ]

    @requires(Permission.SCHEDULE)
    def blocks(self, first_day: date, last_day: date) -> list[BlockView]:
        with self.ctx.unit_of_work() as uow:
            zone = practice_zone(uow.session)
            starts = to_utc(datetime.combine(first_day, time()), zone)
            ends = to_utc(datetime.combine(last_day + timedelta(days=1), time()), zone)
            rows = uow.session.scalars(
                select(BlockedTime)
                .where(
                    BlockedTime.starts_at < ends,
                    BlockedTime.ends_at > starts,
                    BlockedTime.deleted_at.is_(None),
                )
                .order_by(BlockedTime.starts_at)
            )
            return [
                BlockView(
                    b.id,
                    b.provider_id,
                    b.kind,
                    to_wall(b.starts_at, zone),
                    to_wall(b.ends_at, zone),
                    b.reason,
                )
                for b in rows
            ]

    # --- changing (the practice's administrator) ------------------------------------

    @requires(Permission.MANAGE_SETTINGS)
    def save_appointment_type(
        self,
        data: AppointmentTypeInput,
        type_id: str | None = None,
        expected_version: int | None = None,
    ) -> AppointmentTypeView:
        name = data.name.strip()
        if not name:
            raise DomainError("Give the appointment type a name.")
        check_minutes(data.default_minutes)
        if not _COLOUR.fullmatch(data.colour):
            raise DomainError("The colour must look like #3A7BD5.")
        with self.ctx.unit_of_work() as uow:
            duplicate = uow.session.scalar(
                select(AppointmentType.id).where(
                    func.lower(AppointmentType.name) == name.lower(),
                    AppointmentType.deleted_at.is_(None),
                    AppointmentType.id != (type_id or ""),
                )
            )
            if duplicate:
                raise DomainError(f"There is already an appointment type called {name}.")
            providers = {p.id for p in list_providers(uow)}
            if set(data.provider_ids) - providers:
                raise DomainError("Only active physicians and nurses can offer appointments.")
            if type_id is None:
                row = AppointmentType()
                uow.session.add(row)
            else:
                found = uow.session.get(AppointmentType, type_id)
                if found is None or found.deleted_at is not None:
                    raise NotFound("That appointment type no longer exists.")
                _check_version(found.version, expected_version)
                row = found
            row.name = name
            row.default_minutes = data.default_minutes
            row.colour = data.colour.upper()
            row.provider_ids = sorted(data.provider_ids)
            row.new_patients_only = data.new_patients_only
            row.active = data.active
            uow.session.flush()
            uow.audit(AuditEntry("update", "appointment_type", entity_id=row.id, detail=name))
            uow.notify(ScheduleSetupChanged())
            return type_view(row)

    @requires(Permission.MANAGE_SETTINGS)
    def save_room(
        self, name: str, location_id: str | None = None, room_id: str | None = None
    ) -> RoomView:
        name = name.strip()
        if not name:
            raise DomainError("Give the room a name.")
        with self.ctx.unit_of_work() as uow:
            location = location_id or uow.session.scalar(
                select(Location.id).where(Location.deleted_at.is_(None))
            )
            if location is None or uow.session.get(Location, location) is None:
                raise DomainError("Choose the location the room is in.")
            row = uow.session.get(Room, room_id) if room_id else Room(location_id=location)
            if row is None:
                raise NotFound("That room no longer exists.")
            row.name = name
            row.location_id = location
            uow.session.add(row)
            uow.session.flush()
            uow.audit(AuditEntry("update", "room", entity_id=row.id, detail=name))
            uow.notify(ScheduleSetupChanged())
            return RoomView(row.id, row.name, row.location_id, row.active)

    @requires(Permission.MANAGE_SETTINGS)
    def set_hours(self, provider_id: str, hours: list[HoursInput]) -> list[HoursView]:
        """Replace a provider's weekly hours. Each day: start before end, the break inside
        the day, and no two stretches on the same weekday overlapping."""
        for entry in hours:
            _check_hours(entry, provider_id)
        by_day = sorted(hours, key=lambda h: (h.weekday, h.starts))
        for earlier, later in itertools.pairwise(by_day):
            if earlier.weekday == later.weekday and later.starts < earlier.ends:
                raise DomainError(f"Two stretches overlap on {WEEKDAY_NAMES[later.weekday]}.")
        with self.ctx.unit_of_work() as uow:
            if provider_id not in {p.id for p in list_providers(uow)}:
                raise DomainError("Hours are for active physicians and nurses.")
            locations = set(
                uow.session.scalars(select(Location.id).where(Location.deleted_at.is_(None)))
            )
            if {entry.location_id for entry in hours} - locations:
                raise DomainError("Choose a location for each stretch of hours.")
            now = self.ctx.clock.now()
            for row in uow.session.scalars(
                select(WorkingHours).where(
                    WorkingHours.provider_id == provider_id, WorkingHours.deleted_at.is_(None)
                )
            ):
                row.deleted_at = now
            for entry in by_day:
                uow.session.add(WorkingHours(**entry.__dict__))
            uow.session.flush()
            uow.audit(AuditEntry("update", "working_hours", entity_id=provider_id))
            uow.notify(ScheduleSetupChanged())
        return self.hours(provider_id)

    # --- blocked time (anyone who schedules) ----------------------------------------

    @requires(Permission.SCHEDULE)
    def block_time(
        self,
        provider_id: str | None,
        wall_start: datetime,
        wall_end: datetime,
        reason: str,
        kind: BlockKind = BlockKind.BLOCK,
    ) -> BlockView:
        """Block a provider's time (or, with no provider, close the practice)."""
        reason = reason.strip()
        if not reason:
            raise DomainError("Say why the time is blocked; colleagues will see it.")
        if wall_end <= wall_start:
            raise DomainError("The block must end after it starts.")
        with self.ctx.unit_of_work() as uow:
            zone = practice_zone(uow.session)
            row = BlockedTime(
                provider_id=provider_id,
                kind=kind,
                starts_at=to_utc(wall_start, zone),
                ends_at=to_utc(wall_end, zone),
                reason=reason[:200],
            )
            uow.session.add(row)
            uow.session.flush()
            uow.audit(AuditEntry("create", "blocked_time", entity_id=row.id, detail=reason))
            uow.notify(ScheduleSetupChanged())
            return BlockView(row.id, provider_id, kind, wall_start, wall_end, row.reason)

    @requires(Permission.SCHEDULE)
    def add_holiday(self, day: date, name: str) -> BlockView:
        start = datetime.combine(day, time())
        return self.block_time(None, start, start + timedelta(days=1), name, BlockKind.HOLIDAY)

    @requires(Permission.SCHEDULE)
    def remove_block(self, block_id: str) -> None:
        with self.ctx.unit_of_work() as uow:
            row = uow.session.get(BlockedTime, block_id)
            if row is None or row.deleted_at is not None:
                raise NotFound("That blocked time was already removed.")
            row.deleted_at = self.ctx.clock.now()
            uow.audit(AuditEntry("delete", "blocked_time", entity_id=row.id))
            uow.notify(ScheduleSetupChanged())


def _check_hours(entry: HoursInput, provider_id: str) -> None:
    day = WEEKDAY_NAMES[entry.weekday] if 0 <= entry.weekday <= 6 else None
    if day is None or entry.provider_id != provider_id:
        raise DomainError("Each stretch of hours needs a weekday and this provider.")
    if entry.starts >= entry.ends:
        raise DomainError(f"On {day} the day must end after it starts.")
    if (entry.break_starts is None) != (entry.break_ends is None):
        raise DomainError(f"On {day} give both the start and the end of the break.")
    if entry.break_starts is not None and entry.break_ends is not None:
        inside = entry.starts < entry.break_starts < entry.break_ends < entry.ends
        if not inside:
            raise DomainError(f"On {day} the break must fall inside the working hours.")


def _check_version(actual: int, expected: int | None) -> None:
    if expected is not None and actual != expected:
        raise ConcurrentChange("Someone else changed this a moment ago; it has been reloaded.")
