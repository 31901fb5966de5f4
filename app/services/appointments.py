"""Booking and running appointments: the front desk's use cases."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from app.models import Appointment, AppointmentSeries, AppointmentStatus
from app.services.appointment_rows import AppointmentWriter, clean_text, placement_of
from app.services.appointment_series import SeriesEditor
from app.services.audit_chain import AuditEntry
from app.services.context import AppContext, requires
from app.services.errors import ConcurrentChange, DomainError
from app.services.permissions import Permission
from app.services.schedule_data import AppointmentView, BookingInput, Recurrence, Scope
from app.services.schedule_queries import (
    get_appointment,
    view_of,
    view_query,
    views,
)
from app.services.schedule_rules import (
    UPCOMING,
    check_minutes,
    occurrences,
    recurrence_rule,
    to_wall,
)
from app.services.settings import LATE_CANCEL_HOURS, read_setting

S = AppointmentStatus
# Statuses set through set_status; cancelling, rescheduling and requests have their own.
_PLAIN_STATUSES = frozenset(
    {S.CONFIRMED, S.ARRIVED, S.ROOMED, S.WITH_PROVIDER, S.CHECKED_OUT, S.NO_SHOW, S.BOOKED}
)


class AppointmentService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    # --- booking --------------------------------------------------------------------

    @requires(Permission.SCHEDULE)
    def book(self, data: BookingInput, *, double_book: bool = False) -> AppointmentView:
        """Book one visit. Refuses overlaps, blocked time and off hours (saying what it
        runs into) unless the user may double-book and chose to."""
        self._allow_double_book(double_book)
        with self.ctx.unit_of_work() as uow:
            rows = AppointmentWriter(uow, double_book=double_book)
            appt = rows.book(data, S.BOOKED)
            rows.finish()
            return view_of(uow.session, appt.id)

    @requires(Permission.SCHEDULE)
    def book_series(
        self, data: BookingInput, recurrence: Recurrence, *, double_book: bool = False
    ) -> list[AppointmentView]:
        """Book a recurring visit: every occurrence is checked and booked, or none is."""
        self._allow_double_book(double_book)
        with self.ctx.unit_of_work() as uow:
            rows = AppointmentWriter(uow, double_book=double_book)
            patient = rows.patient(data.patient_id)
            rule = recurrence_rule(recurrence, data.wall_start)
            series = AppointmentSeries(
                patient_id=patient.id, rule=rule, first_start=data.wall_start, time_zone=rows.zone
            )
            uow.session.add(series)
            uow.session.flush()
            ids = []
            for start in occurrences(rule, data.wall_start):
                occurrence = BookingInput(**{**data.__dict__, "wall_start": start})
                appt = rows.book(occurrence, S.BOOKED, series=series, check=False)
                ids.append(appt.id)
            rows.raise_conflicts()
            rows.finish()
            return views(
                uow.session,
                view_query().where(Appointment.id.in_(ids)).order_by(Appointment.starts_at),
            )

    @requires(Permission.SCHEDULE)
    def request(self, data: BookingInput) -> AppointmentView:
        """An appointment asked for (online booking, later through sync): staff accept or
        decline it. It holds no time until accepted."""
        with self.ctx.unit_of_work() as uow:
            rows = AppointmentWriter(uow, double_book=True)
            appt = rows.book(data, S.REQUESTED, check=False)
            rows.finish()
            return view_of(uow.session, appt.id)

    @requires(Permission.SCHEDULE)
    def accept_request(
        self, appointment_id: str, expected_version: int, *, double_book: bool = False
    ) -> AppointmentView:
        self._allow_double_book(double_book)
        with self.ctx.unit_of_work() as uow:
            rows = AppointmentWriter(uow, double_book=double_book)
            appt = self._current(uow.session, appointment_id, expected_version)
            if appt.status is not S.REQUESTED:
                raise DomainError("Only a requested appointment can be accepted.")
            rows.check_not_past_day(appt.wall_start)
            rows.place(appt, placement_of(appt))
            rows.raise_conflicts()
            rows.set_status(appt, S.BOOKED, "request accepted")
            rows.finish()
            return view_of(uow.session, appt.id)

    @requires(Permission.SCHEDULE)
    def decline_request(
        self, appointment_id: str, expected_version: int, reason: str
    ) -> AppointmentView:
        reason = _required_reason(reason, "Say why the request is declined.")
        with self.ctx.unit_of_work() as uow:
            rows = AppointmentWriter(uow)
            appt = self._current(uow.session, appointment_id, expected_version)
            rows.set_status(appt, S.DECLINED, reason)
            appt.cancel_reason = reason
            rows.finish()
            return view_of(uow.session, appt.id)

    # --- moving ---------------------------------------------------------------------

    @requires(Permission.SCHEDULE)
    def move(
        self,
        appointment_id: str,
        expected_version: int,
        wall_start: datetime,
        minutes: int | None = None,
        provider_id: str | None = None,
        *,
        scope: Scope = Scope.THIS,
        double_book: bool = False,
    ) -> list[AppointmentView]:
        """Drag to another time or provider, or drag the edge to change the length; for
        a series, this visit only, this and the following ones, or all upcoming ones."""
        if minutes is not None:
            check_minutes(minutes)
        self._allow_double_book(double_book)
        with self.ctx.unit_of_work() as uow:
            rows = AppointmentWriter(uow, double_book=double_book)
            appt = self._current(uow.session, appointment_id, expected_version)
            moved_start = wall_start != appt.wall_start or (
                provider_id is not None and provider_id != appt.provider_id
            )
            if moved_start and appt.status not in UPCOMING:
                raise DomainError(
                    "This visit has already started or ended; only its length can change."
                )
            if appt.status not in UPCOMING | {S.ARRIVED, S.ROOMED, S.WITH_PROVIDER}:
                raise DomainError("A finished, cancelled or missed visit cannot be moved.")
            if moved_start:
                rows.check_not_past_day(wall_start)
            if provider_id is not None and provider_id != appt.provider_id:
                rows.check_offers(rows.provider(provider_id), appt.type_id)
            if scope is Scope.THIS or appt.series_id is None:
                where = placement_of(appt)
                where.wall_start = wall_start
                where.minutes = minutes or where.minutes
                if provider_id is not None:
                    where.provider_id = provider_id
                rows.place(appt, where)
                appt.detached = appt.series_id is not None
                rows.audit("move", appt, f"{wall_start:%Y-%m-%d %H:%M}, {where.minutes} min")
                changed = [appt.id]
            else:
                changed = SeriesEditor(rows).move(appt, scope, wall_start, minutes, provider_id)
            rows.raise_conflicts()
            rows.finish()
            return views(
                uow.session,
                view_query().where(Appointment.id.in_(changed)).order_by(Appointment.starts_at),
            )

    @requires(Permission.SCHEDULE)
    def reschedule(
        self,
        appointment_id: str,
        expected_version: int,
        wall_start: datetime,
        provider_id: str | None = None,
        *,
        double_book: bool = False,
    ) -> AppointmentView:
        """The patient asked for another time: a new appointment is booked and the old
        one is kept, marked rescheduled, with a link to the new one."""
        self._allow_double_book(double_book)
        with self.ctx.unit_of_work() as uow:
            rows = AppointmentWriter(uow, double_book=double_book)
            old = self._current(uow.session, appointment_id, expected_version)
            data = BookingInput(
                patient_id=old.patient_id,
                provider_id=provider_id or old.provider_id,
                type_id=old.type_id,
                wall_start=wall_start,
                minutes=int((old.ends_at - old.starts_at).total_seconds() // 60),
                location_id=None if provider_id else old.location_id,
                room_id=None if provider_id else old.room_id,
                reason=old.reason,
                notes=old.notes,
            )
            rows.set_status(old, S.RESCHEDULED)
            new = rows.book(data, S.BOOKED, ignore=[old.id], check_type=False)
            old.rescheduled_to_id = new.id
            rows.finish()
            return view_of(uow.session, new.id)

    # --- the visit itself -----------------------------------------------------------

    @requires(Permission.SCHEDULE)
    def set_status(
        self,
        appointment_id: str,
        expected_version: int,
        status: AppointmentStatus,
        note: str | None = None,
    ) -> AppointmentView:
        """Confirmed, arrived, roomed, with provider, checked out, no-show (or back to
        booked when an arrival was marked by mistake). Illegal steps are refused."""
        with self.ctx.unit_of_work() as uow:
            rows = AppointmentWriter(uow)
            appt = self._current(uow.session, appointment_id, expected_version)
            self._change_status(rows, appt, status, clean_text(note))
            rows.finish()
            return view_of(uow.session, appt.id)

    @requires(Permission.SCHEDULE)
    def check_in(
        self, appointment_id: str, expected_version: int, copay_due_cents: int | None
    ) -> AppointmentView:
        """Mark arrived once demographics and insurance are confirmed; note the copay due."""
        if copay_due_cents is not None and not 0 <= copay_due_cents <= 10_000_00:
            raise DomainError("The copay must be between $0 and $10,000.")
        with self.ctx.unit_of_work() as uow:
            rows = AppointmentWriter(uow)
            appt = self._current(uow.session, appointment_id, expected_version)
            self._change_status(rows, appt, S.ARRIVED, "checked in")
            appt.copay_due_cents = copay_due_cents
            rows.finish()
            return view_of(uow.session, appt.id)

    @requires(Permission.SCHEDULE)
    def cancel(
        self,
        appointment_id: str,
        expected_version: int,
        reason: str,
        *,
        scope: Scope = Scope.THIS,
    ) -> list[AppointmentView]:
        """Cancel with a reason; within the late-cancel window it is marked late. For a
        series: this visit, this and the following ones, or every upcoming one."""
        reason = _required_reason(reason, "Say why the appointment is cancelled.")
        with self.ctx.unit_of_work() as uow:
            rows = AppointmentWriter(uow)
            appt = self._current(uow.session, appointment_id, expected_version)
            if appt.status not in UPCOMING:
                raise DomainError("Only a booked or confirmed appointment can be cancelled.")
            late_hours = int(read_setting(uow.session, LATE_CANCEL_HOURS))
            if scope is Scope.THIS or appt.series_id is None:
                targets = [appt]
            else:
                targets = SeriesEditor(rows).cancel_targets(appt, scope)
            for target in targets:
                rows.set_status(target, S.CANCELLED, reason)
                target.cancel_reason = reason
                target.cancelled_by = self.ctx.actor.user_id if self.ctx.actor else None
                target.late_cancel = target.starts_at - rows.now < timedelta(hours=late_hours)
            rows.finish()
            return views(
                uow.session,
                view_query()
                .where(Appointment.id.in_([t.id for t in targets]))
                .order_by(Appointment.starts_at),
            )

    # --- reading --------------------------------------------------------------------

    @requires(Permission.SCHEDULE)
    def get(self, appointment_id: str) -> AppointmentView:
        with self.ctx.unit_of_work() as uow:
            view = view_of(uow.session, appointment_id)
            AppointmentWriter(uow).audit("read", get_appointment(uow.session, appointment_id))
            return view

    @requires(Permission.SCHEDULE)
    def for_patient(self, patient_id: str) -> list[AppointmentView]:
        """A patient's appointments, latest first (upcoming ones at the top)."""
        with self.ctx.unit_of_work() as uow:
            found = views(
                uow.session,
                view_query()
                .where(Appointment.patient_id == patient_id)
                .order_by(Appointment.starts_at.desc()),
            )
            uow.audit(AuditEntry("read", "appointment", patient_id=patient_id, detail="list"))
            return found

    # --- helpers --------------------------------------------------------------------

    def _change_status(
        self,
        rows: AppointmentWriter,
        appt: Appointment,
        status: AppointmentStatus,
        note: str | None,
    ) -> None:
        if status not in _PLAIN_STATUSES:
            raise DomainError("Use Cancel or Reschedule for that.")
        today = to_wall(rows.now, rows.zone).date()
        if status is S.ARRIVED and appt.wall_start.date() != today:
            raise DomainError(
                f"This appointment is on {appt.wall_start:%a %b} {appt.wall_start.day}, "
                "not today; reschedule it to today first."
            )
        if status is S.NO_SHOW and appt.starts_at > rows.now:
            raise DomainError("A patient can only be marked as a no-show once the time has come.")
        rows.set_status(appt, status, note)

    def _allow_double_book(self, double_book: bool) -> None:
        if double_book:
            self.ctx.require(Permission.DOUBLE_BOOK)

    def _current(self, session: Session, appointment_id: str, expected_version: int) -> Appointment:
        appt = get_appointment(session, appointment_id)
        if appt.version != expected_version:
            raise ConcurrentChange(
                "Someone else changed this appointment a moment ago; it has been reloaded."
            )
        return appt


def _required_reason(reason: str, message: str) -> str:
    cleaned = clean_text(reason)
    if cleaned is None:
        raise DomainError(message)
    return cleaned[:200]
