"""Printing a provider's day for the front desk (the PDF itself is app.interop)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from app.interop.day_schedule_pdf import DaySchedule, ScheduleLine, day_schedule_pdf
from app.models import Appointment, AppointmentStatus, Patient, Practice, User
from app.services.appointment_rows import PROVIDER_ROLES
from app.services.audit_chain import AuditEntry
from app.services.context import AppContext, requires
from app.services.errors import NotFound
from app.services.permissions import Permission
from app.services.schedule_data import AppointmentView
from app.services.schedule_queries import practice_zone, view_query, views
from app.services.schedule_rules import STATUS_LABELS, to_utc, to_wall

S = AppointmentStatus
# Kept on the sheet but struck through: the time was booked and then not used.
_STRUCK = frozenset({S.CANCELLED, S.NO_SHOW, S.RESCHEDULED})
# Never booked: a declined request has no place on the day's list.
_LEFT_OUT = frozenset({S.DECLINED})


class SchedulePrintService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    @requires(Permission.SCHEDULE)
    def day_schedule_pdf(self, day: date, provider_id: str) -> bytes:
        """`provider_id`'s appointments on `day` (the practice's local day) as a printable
        PDF, in time order. Printing is recorded in the audit log."""
        with self.ctx.unit_of_work() as uow:
            session = uow.session
            provider = session.get(User, provider_id)
            if provider is None or provider.role not in PROVIDER_ROLES:
                raise NotFound("That provider no longer exists.")
            zone = practice_zone(session)
            starts = to_utc(datetime.combine(day, time()), zone)
            ends = to_utc(datetime.combine(day + timedelta(days=1), time()), zone)
            found = views(
                session,
                view_query()
                .where(
                    Appointment.provider_id == provider_id,
                    Appointment.starts_at >= starts,
                    Appointment.starts_at < ends,
                    Appointment.status.not_in(_LEFT_OUT),
                )
                .order_by(Appointment.starts_at, Appointment.id),
            )
            patients = {a.patient_id for a in found}
            births = {
                patient_id: born
                for patient_id, born in session.execute(
                    select(Patient.id, Patient.date_of_birth).where(Patient.id.in_(patients))
                )
            }
            practice_name = session.scalar(select(Practice.name).limit(1)) or ""
            provider_name = _with_credentials(provider)
            uow.audit(
                AuditEntry(
                    "print",
                    "schedule",
                    entity_id=provider_id,
                    detail=f"day schedule {day.isoformat()}, {provider.display_name}",
                )
            )
            printed_at = to_wall(self.ctx.clock.now(), zone)
        lines = [_line(a, births.get(a.patient_id)) for a in found]
        return day_schedule_pdf(DaySchedule(practice_name, provider_name, day, lines, printed_at))


def _line(appointment: AppointmentView, birth: date | None) -> ScheduleLine:
    return ScheduleLine(
        start=appointment.wall_start,
        minutes=appointment.minutes,
        patient_name=appointment.patient_name,
        date_of_birth=birth,
        mrn=appointment.mrn,
        visit_type=appointment.type_name,
        status=STATUS_LABELS[appointment.status],
        reason=appointment.reason,
        room=appointment.room_name,
        struck=appointment.status in _STRUCK,
    )


def _with_credentials(user: User) -> str:
    return f"{user.display_name}, {user.credentials}" if user.credentials else user.display_name
