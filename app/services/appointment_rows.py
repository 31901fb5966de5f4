"""Building and changing appointment rows inside a unit of work (shared by the booking,
series and waitlist services): validation, conflicts, status history, audit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from app.models import (
    Appointment,
    AppointmentSeries,
    AppointmentStatus,
    AppointmentStatusChange,
    Location,
    Patient,
    PatientStatus,
    Room,
    User,
    WorkingHours,
)
from app.models.user import Role
from app.services.audit_chain import AuditEntry
from app.services.bus import AppointmentsChanged
from app.services.context import UnitOfWork
from app.services.errors import DomainError, NotFound
from app.services.permissions import Permission
from app.services.schedule_data import BookingInput, Conflict
from app.services.schedule_queries import (
    ConflictFinder,
    practice_zone,
    type_row,
)
from app.services.schedule_rules import (
    SEEN,
    check_minutes,
    check_transition,
    to_utc,
    to_wall,
)

PROVIDER_ROLES = (Role.PHYSICIAN, Role.NURSE)
_MAX_LISTED = 4


class ScheduleConflict(DomainError):
    """The time runs into something. `conflicts` lists each; someone with the double-book
    permission may book anyway, explicitly."""

    def __init__(self, conflicts: Sequence[Conflict], can_double_book: bool) -> None:
        lines = [conflict.message for conflict in conflicts[:_MAX_LISTED]]
        if len(conflicts) > _MAX_LISTED:
            lines.append(f"…and {len(conflicts) - _MAX_LISTED} more.")
        super().__init__("\n".join(lines))
        self.conflicts = tuple(conflicts)
        self.can_double_book = can_double_book


@dataclass
class Placement:
    """Where and when one appointment would go."""

    provider_id: str
    location_id: str
    room_id: str | None
    wall_start: datetime
    minutes: int


def placement_of(appt: Appointment) -> Placement:
    minutes = int((appt.ends_at - appt.starts_at).total_seconds() // 60)
    return Placement(appt.provider_id, appt.location_id, appt.room_id, appt.wall_start, minutes)


class AppointmentWriter:
    """One unit of work's view of the schedule: checks and writes appointments."""

    def __init__(self, uow: UnitOfWork, *, double_book: bool = False) -> None:
        self.uow = uow
        self.session = uow.session
        self.zone = practice_zone(self.session)
        self.finder = ConflictFinder(self.session, self.zone)
        self.double_book = double_book
        self.now = uow.ctx.clock.now()
        self.changed: list[str] = []
        self.pending: list[Conflict] = []

    # --- validation -----------------------------------------------------------------

    def patient(self, patient_id: str) -> Patient:
        patient = self.session.get(Patient, patient_id)
        if patient is None or patient.deleted_at is not None:
            raise NotFound("That patient no longer exists.")
        if patient.status is PatientStatus.MERGED:
            raise DomainError("This record was merged into another; book the surviving record.")
        if patient.status is PatientStatus.DECEASED:
            raise DomainError("This patient is recorded as deceased.")
        return patient

    def provider(self, provider_id: str) -> User:
        user = self.session.get(User, provider_id)
        if user is None or not user.is_active or user.role not in PROVIDER_ROLES:
            raise DomainError("Choose an active physician or nurse as the provider.")
        return user

    def placement(self, data: BookingInput) -> Placement:
        appt_type = type_row(self.session, data.type_id)
        if not appt_type.active:
            raise DomainError(f"{appt_type.name} is no longer offered.")
        provider = self.provider(data.provider_id)
        self.check_offers(provider, data.type_id)
        minutes = data.minutes or appt_type.default_minutes
        check_minutes(minutes)
        location_id = data.location_id or self.location_for(provider.id, data.wall_start)
        if data.room_id:
            room = self.session.get(Room, data.room_id)
            if room is None or not room.active or room.location_id != location_id:
                raise DomainError("That room is not available at this location.")
        return Placement(provider.id, location_id, data.room_id, data.wall_start, minutes)

    def check_offers(self, provider: User, type_id: str) -> None:
        appt_type = type_row(self.session, type_id)
        if appt_type.provider_ids and provider.id not in appt_type.provider_ids:
            raise DomainError(f"{provider.display_name} does not offer {appt_type.name}.")

    def location_for(self, provider_id: str, wall_start: datetime) -> str:
        """Where the provider works that weekday, else the practice's first location."""
        location_id = self.session.scalar(
            select(WorkingHours.location_id).where(
                WorkingHours.provider_id == provider_id,
                WorkingHours.weekday == wall_start.weekday(),
                WorkingHours.deleted_at.is_(None),
            )
        ) or self.session.scalar(
            select(Location.id).where(Location.deleted_at.is_(None)).order_by(Location.created_at)
        )
        if location_id is None:
            raise DomainError("Add a location to the practice before booking.")
        return location_id

    def check_new_patient_type(self, patient: Patient, type_id: str) -> None:
        appt_type = type_row(self.session, type_id)
        if not appt_type.new_patients_only:
            return
        seen_before = self.session.scalar(
            select(Appointment.id).where(
                Appointment.patient_id == patient.id,
                Appointment.status.in_(SEEN),
                Appointment.deleted_at.is_(None),
            )
        )
        if seen_before:
            raise DomainError(
                f"{patient.first_name} {patient.last_name} has been seen here before; "
                f"{appt_type.name} is for new patients."
            )

    def check_not_past_day(self, wall_start: datetime) -> None:
        if wall_start.date() < to_wall(self.now, self.zone).date():
            raise DomainError("That day has passed; choose today or a later day.")

    # --- writing --------------------------------------------------------------------

    def book(
        self,
        data: BookingInput,
        status: AppointmentStatus,
        *,
        series: AppointmentSeries | None = None,
        check: bool = True,
        check_type: bool = True,
        ignore: Sequence[str] = (),
        note: str | None = None,
    ) -> Appointment:
        """A new appointment from `data`, validated, placed and added. `check=False`
        leaves conflicts pending (a series raises them all at once)."""
        patient = self.patient(data.patient_id)
        where = self.placement(data)
        self.check_not_past_day(data.wall_start)
        if check_type:
            self.check_new_patient_type(patient, data.type_id)
        appt = Appointment(
            patient_id=patient.id,
            type_id=data.type_id,
            status=status,
            status_changed_at=self.now,
            reason=clean_text(data.reason),
            notes=clean_text(data.notes),
        )
        if series is not None:
            appt.series_id = series.id
            appt.occurrence_start = data.wall_start
        self.place(appt, where, ignore=ignore)
        if check:
            self.raise_conflicts()
        self.add(appt, note)
        return appt

    def place(self, appt: Appointment, where: Placement, *, ignore: Sequence[str] = ()) -> None:
        """Put `appt` at `where`, collecting what it would run into (see `raise_conflicts`)."""
        starts_at = to_utc(where.wall_start, self.zone)
        ends_at = starts_at + timedelta(minutes=where.minutes)
        self.pending += self.finder.conflicts(
            provider_id=where.provider_id,
            patient_id=appt.patient_id,
            room_id=where.room_id,
            location_id=where.location_id,
            starts_at=starts_at,
            ends_at=ends_at,
            ignore_ids=[*ignore, *([appt.id] if appt.id else [])],
        )
        appt.provider_id = where.provider_id
        appt.location_id = where.location_id
        appt.room_id = where.room_id
        appt.wall_start = where.wall_start
        appt.time_zone = self.zone
        appt.starts_at = starts_at
        appt.ends_at = ends_at

    def raise_conflicts(self) -> None:
        """Refuse if anything placed so far conflicts, unless the user chose to double-book."""
        if self.pending and not self.double_book:
            actor = self.uow.ctx.actor
            allowed = actor is not None and actor.can(Permission.DOUBLE_BOOK)
            raise ScheduleConflict(self.pending, allowed)

    def add(self, appt: Appointment, note: str | None = None) -> None:
        self.session.add(appt)
        self.session.flush()
        self.record_status(appt, note)
        self.audit("create", appt, note)

    def set_status(
        self, appt: Appointment, status: AppointmentStatus, note: str | None = None
    ) -> None:
        check_transition(appt.status, status)
        appt.status = status
        appt.status_changed_at = self.now
        if status is AppointmentStatus.ARRIVED:
            appt.arrived_at = self.now
        elif status is AppointmentStatus.BOOKED:
            appt.arrived_at = None  # an arrival marked by mistake, undone
        self.record_status(appt, note)

    def record_status(self, appt: Appointment, note: str | None) -> None:
        actor = self.uow.ctx.actor
        self.session.add(
            AppointmentStatusChange(
                appointment_id=appt.id,
                status=appt.status,
                changed_at=self.now,
                changed_by=actor.user_id if actor else None,
                note=note,
            )
        )
        self.audit("status", appt, appt.status.value + (f": {note}" if note else ""))

    def audit(self, action: str, appt: Appointment, detail: str | None = None) -> None:
        self.uow.audit(
            AuditEntry(
                action, "appointment", patient_id=appt.patient_id, entity_id=appt.id, detail=detail
            )
        )
        if appt.id not in self.changed:
            self.changed.append(appt.id)

    def finish(self) -> None:
        self.session.flush()
        if self.changed:
            self.uow.notify(AppointmentsChanged(tuple(self.changed)))


def clean_text(text: str | None) -> str | None:
    text = (text or "").strip()
    return text or None
