"""Reads the scheduling services share: appointment rows as views, and conflict checks."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session

from app.models import (
    Appointment,
    AppointmentType,
    BlockedTime,
    Patient,
    Practice,
    Room,
    User,
    WorkingHours,
)
from app.services.errors import NotFound
from app.services.schedule_data import AppointmentView, Conflict
from app.services.schedule_rules import MAX_MINUTES, OCCUPYING, SEEN, to_wall


def appointments_overlapping(starts: datetime, ends: datetime) -> ColumnElement[bool]:
    """Appointments that overlap [starts, ends). No visit is longer than MAX_MINUTES, so
    a lower bound on the indexed start keeps the read to the range instead of every
    earlier row of the provider or patient."""
    return and_(
        Appointment.starts_at < ends,
        Appointment.ends_at > starts,
        Appointment.starts_at > starts - timedelta(minutes=MAX_MINUTES),
    )


def practice_zone(session: Session) -> str:
    return session.scalar(select(Practice.time_zone).limit(1)) or "UTC"


def clock_label(wall: datetime) -> str:
    """10:30 AM, as a US front desk says it."""
    return f"{wall:%I:%M %p}".lstrip("0")


def day_label(wall: datetime) -> str:
    return f"{wall:%a %b} {wall.day}"


def patient_display_name(first: str, last: str, preferred: str | None) -> str:
    return f"{last}, {first}" + (f" ({preferred})" if preferred and preferred != first else "")


# The appointment's own columns the views need, read as plain values: building ORM
# objects for a busy week of ten providers cost more than the query itself.
_APPOINTMENT_FIELDS = (
    "id",
    "version",
    "patient_id",
    "provider_id",
    "location_id",
    "room_id",
    "type_id",
    "starts_at",
    "ends_at",
    "wall_start",
    "status",
    "status_changed_at",
    "arrived_at",
    "reason",
    "notes",
    "series_id",
    "detached",
    "copay_due_cents",
    "cancel_reason",
    "late_cancel",
    "rescheduled_to_id",
)
_FIELD_COUNT = len(_APPOINTMENT_FIELDS)


def view_query() -> Select[*tuple[Any, ...]]:
    return (
        select(
            *(getattr(Appointment, name) for name in _APPOINTMENT_FIELDS),
            Patient.first_name,
            Patient.last_name,
            Patient.preferred_name,
            Patient.mrn,
            User.display_name,
            AppointmentType.name,
            AppointmentType.colour,
            Room.name,
        )
        .join(Patient, Patient.id == Appointment.patient_id)
        .join(User, User.id == Appointment.provider_id)
        .join(AppointmentType, AppointmentType.id == Appointment.type_id)
        .outerjoin(Room, Room.id == Appointment.room_id)
        .where(Appointment.deleted_at.is_(None))
    )


def to_view(row: Sequence[Any]) -> AppointmentView:
    fields = dict(zip(_APPOINTMENT_FIELDS, row[:_FIELD_COUNT], strict=True))
    first, last, preferred, mrn, provider_name, type_name, colour, room_name = row[_FIELD_COUNT:]
    minutes = int((fields["ends_at"] - fields["starts_at"]).total_seconds() // 60)
    return AppointmentView(
        **fields,
        patient_name=patient_display_name(first, last, preferred),
        mrn=mrn,
        provider_name=provider_name,
        room_name=room_name,
        type_name=type_name,
        colour=colour,
        wall_end=fields["wall_start"] + timedelta(minutes=minutes),
        minutes=minutes,
    )


def views(session: Session, query: Select[*tuple[Any, ...]]) -> list[AppointmentView]:
    return [to_view(row) for row in session.execute(query)]


def view_of(session: Session, appointment_id: str) -> AppointmentView:
    row = session.execute(view_query().where(Appointment.id == appointment_id)).first()
    if row is None:
        raise NotFound("That appointment no longer exists.")
    return to_view(row)


def get_appointment(session: Session, appointment_id: str) -> Appointment:
    appt = session.get(Appointment, appointment_id)
    if appt is None or appt.deleted_at is not None:
        raise NotFound("That appointment no longer exists.")
    return appt


def visit_history(
    session: Session, patient_ids: Iterable[str], physician_ids: Collection[str]
) -> dict[str, tuple[int, str | None]]:
    """Per patient: visits so far, and the physician they have seen most (their usual
    one; nurse visits count as visits but make no one a usual provider)."""
    ids = list(set(patient_ids))
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for start in range(0, len(ids), 500):
        rows = session.execute(
            select(Appointment.patient_id, Appointment.provider_id, func.count())
            .where(
                Appointment.patient_id.in_(ids[start : start + 500]),
                Appointment.status.in_(SEEN),
                Appointment.deleted_at.is_(None),
            )
            .group_by(Appointment.patient_id, Appointment.provider_id)
        )
        for patient_id, provider_id, count in rows:
            counts[patient_id][provider_id] = count
    history = {}
    for patient_id in ids:
        seen = counts[patient_id]
        physicians = [provider for provider in seen if provider in physician_ids]
        usual = max(physicians, key=seen.__getitem__) if physicians else None
        history[patient_id] = (sum(seen.values()), usual)
    return history


class ConflictFinder:
    """What a proposed time for an appointment runs into. Each conflict says it plainly."""

    def __init__(self, session: Session, zone: str) -> None:
        self.session = session
        self.zone = zone
        self._names: dict[str, str] = {}

    def provider_name(self, provider_id: str) -> str:
        if provider_id not in self._names:
            name = self.session.scalar(select(User.display_name).where(User.id == provider_id))
            if name is None:
                raise NotFound("That provider no longer exists.")
            self._names[provider_id] = name
        return self._names[provider_id]

    def conflicts(
        self,
        *,
        provider_id: str,
        patient_id: str,
        room_id: str | None,
        location_id: str,
        starts_at: datetime,
        ends_at: datetime,
        ignore_ids: Iterable[str] = (),
    ) -> list[Conflict]:
        wall = to_wall(starts_at, self.zone)
        found = self._appointment_overlaps(
            provider_id, patient_id, room_id, starts_at, ends_at, set(ignore_ids), wall
        )
        found += self._blocks(provider_id, starts_at, ends_at, wall)
        found += self._outside_hours(provider_id, location_id, starts_at, ends_at, wall)
        return found

    def _appointment_overlaps(
        self,
        provider_id: str,
        patient_id: str,
        room_id: str | None,
        starts_at: datetime,
        ends_at: datetime,
        ignore: set[str],
        wall: datetime,
    ) -> list[Conflict]:
        who = [Appointment.provider_id == provider_id, Appointment.patient_id == patient_id]
        if room_id:
            who.append(Appointment.room_id == room_id)
        rows = self.session.execute(
            view_query().where(
                or_(*who),
                appointments_overlapping(starts_at, ends_at),
                Appointment.status.in_(OCCUPYING),
            )
        )
        found: list[Conflict] = []
        for other in (to_view(row) for row in rows):
            if other.id in ignore:
                continue
            at = clock_label(other.wall_start)
            if other.provider_id == provider_id:
                message = (
                    f"{day_label(wall)} {clock_label(wall)} overlaps {other.provider_name}'s "
                    f"{at} appointment with {other.patient_name}."
                )
                found.append(Conflict("appointment", message, wall))
            elif other.patient_id == patient_id:
                message = (
                    f"{other.patient_name} already has a {at} appointment with "
                    f"{other.provider_name} on {day_label(other.wall_start)}."
                )
                found.append(Conflict("patient", message, wall))
            else:
                message = f"{other.room_name} is taken at {at} on {day_label(other.wall_start)}."
                found.append(Conflict("room", message, wall))
        return found

    def _blocks(
        self, provider_id: str, starts_at: datetime, ends_at: datetime, wall: datetime
    ) -> list[Conflict]:
        blocks = self.session.scalars(
            select(BlockedTime).where(
                or_(BlockedTime.provider_id == provider_id, BlockedTime.provider_id.is_(None)),
                BlockedTime.starts_at < ends_at,
                BlockedTime.ends_at > starts_at,
                BlockedTime.deleted_at.is_(None),
            )
        )
        found = []
        for block in blocks:
            if block.provider_id is None:
                message = f"The practice is closed on {day_label(wall)}: {block.reason}."
            else:
                start = to_wall(block.starts_at, self.zone)
                end = to_wall(block.ends_at, self.zone)
                message = (
                    f"{self.provider_name(provider_id)} is blocked {clock_label(start)}–"
                    f"{clock_label(end)} on {day_label(start)}: {block.reason}."
                )
            found.append(Conflict("blocked", message, wall))
        return found

    def _outside_hours(
        self,
        provider_id: str,
        location_id: str,
        starts_at: datetime,
        ends_at: datetime,
        wall: datetime,
    ) -> list[Conflict]:
        hours = self.session.scalars(
            select(WorkingHours).where(
                WorkingHours.provider_id == provider_id, WorkingHours.deleted_at.is_(None)
            )
        ).all()
        if not hours:
            return []  # hours not set up for this provider: nothing to check against
        wall_end = to_wall(ends_at, self.zone)
        name = self.provider_name(provider_id)
        for day_hours in hours:
            if day_hours.weekday != wall.weekday() or day_hours.location_id != location_id:
                continue
            if not (day_hours.starts <= wall.time() and wall_end.time() <= day_hours.ends):
                continue
            if wall_end.date() != wall.date():
                continue
            in_break = (
                day_hours.break_starts is not None
                and day_hours.break_ends is not None
                and wall.time() < day_hours.break_ends
                and wall_end.time() > day_hours.break_starts
            )
            if in_break:
                message = f"{day_label(wall)} {clock_label(wall)} is in {name}'s break."
                return [Conflict("hours", message, wall)]
            return []
        return [
            Conflict(
                "hours",
                f"{day_label(wall)} {clock_label(wall)} is outside {name}'s working hours "
                "at this location.",
                wall,
            )
        ]


def type_row(session: Session, type_id: str) -> AppointmentType:
    appt_type = session.get(AppointmentType, type_id)
    if appt_type is None or appt_type.deleted_at is not None:
        raise NotFound("That appointment type no longer exists.")
    return appt_type
