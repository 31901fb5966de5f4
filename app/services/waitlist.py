"""The waitlist: patients who want an earlier (or any) slot, offered one when it frees up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from app.models import (
    Appointment,
    AppointmentStatus,
    AppointmentType,
    PartOfDay,
    Patient,
    WaitlistEntry,
    WaitlistStatus,
)
from app.services.appointment_rows import AppointmentWriter
from app.services.audit_chain import AuditEntry
from app.services.context import AppContext, UnitOfWork, requires
from app.services.errors import ConcurrentChange, DomainError, NotFound
from app.services.permissions import Permission
from app.services.schedule_data import (
    AppointmentView,
    BookingInput,
    Slot,
    WaitlistOffer,
    WaitlistView,
)
from app.services.schedule_queries import (
    get_appointment,
    patient_display_name,
    type_row,
    view_of,
)
from app.services.schedule_rules import OCCUPYING, part_of_day_window, to_wall

S = AppointmentStatus
_FREES_A_SLOT = (S.CANCELLED, S.NO_SHOW, S.RESCHEDULED)


@dataclass(frozen=True)
class WaitlistInput:
    patient_id: str
    type_id: str
    earliest: date
    latest: date
    provider_ids: tuple[str, ...] = ()
    part_of_day: PartOfDay = PartOfDay.ANY
    current_appointment_id: str | None = None
    notes: str | None = None


class WaitlistService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    @requires(Permission.SCHEDULE)
    def add(self, data: WaitlistInput) -> WaitlistView:
        if data.latest < data.earliest:
            raise DomainError("The last acceptable day must not be before the first.")
        with self.ctx.unit_of_work() as uow:
            writer = AppointmentWriter(uow)
            writer.patient(data.patient_id)
            type_row(uow.session, data.type_id)
            if data.current_appointment_id:
                current = get_appointment(uow.session, data.current_appointment_id)
                if current.patient_id != data.patient_id or current.status not in OCCUPYING:
                    raise DomainError("That appointment is not one of this patient's bookings.")
            entry = WaitlistEntry(
                patient_id=data.patient_id,
                type_id=data.type_id,
                provider_ids=sorted(data.provider_ids),
                part_of_day=data.part_of_day,
                earliest=data.earliest,
                latest=data.latest,
                current_appointment_id=data.current_appointment_id,
                notes=(data.notes or "").strip()[:500] or None,
            )
            uow.session.add(entry)
            uow.session.flush()
            _audit(uow, "create", entry)
            return _view(uow, entry)

    @requires(Permission.SCHEDULE)
    def entries(self) -> list[WaitlistView]:
        """Everyone still waiting, first come first."""
        with self.ctx.unit_of_work() as uow:
            rows = _waiting(uow)
            uow.audit(AuditEntry("read", "waitlist", detail=f"{len(rows)} waiting"))
            return [_view(uow, row) for row in rows]

    @requires(Permission.SCHEDULE)
    def remove(self, entry_id: str, expected_version: int) -> None:
        with self.ctx.unit_of_work() as uow:
            entry = _entry(uow, entry_id, expected_version)
            entry.status = WaitlistStatus.REMOVED
            _audit(uow, "delete", entry)

    @requires(Permission.SCHEDULE)
    def offers_for(self, appointment_id: str) -> list[WaitlistOffer]:
        """Who on the waitlist could take the slot this cancelled, missed or rescheduled
        appointment left free, in the order they joined the list."""
        with self.ctx.unit_of_work() as uow:
            writer = AppointmentWriter(uow)
            freed = get_appointment(uow.session, appointment_id)
            # Offers name waiting patients: reading them is audited like the list itself.
            uow.audit(AuditEntry("read", "waitlist", entity_id=freed.id, detail="offers"))
            if freed.status not in _FREES_A_SLOT or freed.starts_at <= writer.now:
                return []
            minutes = int((freed.ends_at - freed.starts_at).total_seconds() // 60)
            offers = []
            for entry in _waiting(uow):
                if not self._fits(uow, entry, freed, minutes):
                    continue
                slot_minutes = type_row(uow.session, entry.type_id).default_minutes
                taken = writer.finder.conflicts(
                    provider_id=freed.provider_id,
                    patient_id=entry.patient_id,
                    room_id=None,
                    location_id=freed.location_id,
                    starts_at=freed.starts_at,
                    ends_at=freed.starts_at + timedelta(minutes=slot_minutes),
                )
                if taken:
                    continue  # the patient is busy then, or the time was taken again
                offers.append(
                    WaitlistOffer(
                        _view(uow, entry),
                        Slot(
                            freed.provider_id,
                            writer.finder.provider_name(freed.provider_id),
                            freed.location_id,
                            freed.wall_start,
                            slot_minutes,
                        ),
                    )
                )
            return offers

    @requires(Permission.SCHEDULE)
    def book_offer(
        self, entry_id: str, expected_version: int, slot: Slot, *, double_book: bool = False
    ) -> AppointmentView:
        """Book the waiting patient into `slot`; the later appointment they held (if any)
        is marked rescheduled, linked to the new one."""
        if double_book:
            self.ctx.require(Permission.DOUBLE_BOOK)
        with self.ctx.unit_of_work() as uow:
            writer = AppointmentWriter(uow, double_book=double_book)
            entry = _entry(uow, entry_id, expected_version)
            data = BookingInput(
                patient_id=entry.patient_id,
                provider_id=slot.provider_id,
                type_id=entry.type_id,
                wall_start=slot.wall_start,
                minutes=slot.minutes,
                location_id=slot.location_id,
                reason="From the waitlist",
            )
            ignore = [entry.current_appointment_id] if entry.current_appointment_id else []
            appt = writer.book(data, S.BOOKED, ignore=ignore, note="from the waitlist")
            if entry.current_appointment_id:
                old = get_appointment(uow.session, entry.current_appointment_id)
                if old.status in (S.BOOKED, S.CONFIRMED):
                    writer.set_status(old, S.RESCHEDULED, "moved earlier from the waitlist")
                    old.rescheduled_to_id = appt.id
            entry.status = WaitlistStatus.BOOKED
            _audit(uow, "update", entry)
            writer.finish()
            return view_of(uow.session, appt.id)

    def _fits(
        self, uow: UnitOfWork, entry: WaitlistEntry, freed: Appointment, minutes: int
    ) -> bool:
        if entry.patient_id == freed.patient_id:
            return False
        if entry.provider_ids and freed.provider_id not in entry.provider_ids:
            return False
        if not entry.earliest <= freed.wall_start.date() <= entry.latest:
            return False
        start, end = part_of_day_window(entry.part_of_day)
        if not start <= freed.wall_start.time() < end:
            return False
        appt_type = uow.session.get(AppointmentType, entry.type_id)
        if appt_type is None or appt_type.default_minutes > minutes:
            return False
        if appt_type.provider_ids and freed.provider_id not in appt_type.provider_ids:
            return False
        if entry.current_appointment_id:
            current = uow.session.get(Appointment, entry.current_appointment_id)
            if current is not None and current.starts_at <= freed.starts_at:
                return False  # what they hold is already sooner
        return True


def _waiting(uow: UnitOfWork) -> list[WaitlistEntry]:
    return list(
        uow.session.scalars(
            select(WaitlistEntry)
            .where(
                WaitlistEntry.status == WaitlistStatus.WAITING,
                WaitlistEntry.deleted_at.is_(None),
            )
            .order_by(WaitlistEntry.created_at)
        )
    )


def _entry(uow: UnitOfWork, entry_id: str, expected_version: int) -> WaitlistEntry:
    entry = uow.session.get(WaitlistEntry, entry_id)
    if entry is None or entry.status is not WaitlistStatus.WAITING:
        raise NotFound("That patient is no longer on the waitlist.")
    if entry.version != expected_version:
        raise ConcurrentChange("Someone else changed this waitlist entry; it has been reloaded.")
    return entry


def _audit(uow: UnitOfWork, action: str, entry: WaitlistEntry) -> None:
    uow.audit(AuditEntry(action, "waitlist", patient_id=entry.patient_id, entity_id=entry.id))


def _view(uow: UnitOfWork, entry: WaitlistEntry) -> WaitlistView:
    patient = uow.session.get(Patient, entry.patient_id)
    appt_type = uow.session.get(AppointmentType, entry.type_id)
    assert patient is not None and appt_type is not None
    current = (
        uow.session.get(Appointment, entry.current_appointment_id)
        if entry.current_appointment_id
        else None
    )
    return WaitlistView(
        id=entry.id,
        version=entry.version,
        patient_id=entry.patient_id,
        patient_name=patient_display_name(
            patient.first_name, patient.last_name, patient.preferred_name
        ),
        type_id=entry.type_id,
        type_name=appt_type.name,
        provider_ids=tuple(entry.provider_ids or ()),
        part_of_day=entry.part_of_day,
        earliest=entry.earliest,
        latest=entry.latest,
        current_appointment_id=entry.current_appointment_id,
        current_wall_start=to_wall(current.starts_at, current.time_zone) if current else None,
        notes=entry.notes,
    )
