"""Appointments, the series they may belong to, their status history, and the waitlist."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, SyncMixin, UtcDateTime, enum_column


class AppointmentStatus(enum.StrEnum):
    REQUESTED = "requested"  # asked for online; staff accept or decline
    BOOKED = "booked"
    CONFIRMED = "confirmed"
    ARRIVED = "arrived"
    ROOMED = "roomed"
    WITH_PROVIDER = "with_provider"
    CHECKED_OUT = "checked_out"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"
    RESCHEDULED = "rescheduled"
    DECLINED = "declined"


class AppointmentSeries(SyncMixin, Base):
    """A recurring booking. Every occurrence exists as an Appointment row (series are
    bounded by an end date or a count), so the calendar never computes rules to draw."""

    __tablename__ = "appointment_series"

    patient_id: Mapped[str] = mapped_column(ForeignKey("patient.id"), index=True)
    rule: Mapped[str] = mapped_column(String(300))  # RFC 5545 RRULE, without DTSTART
    first_start: Mapped[datetime] = mapped_column(DateTime)  # local wall time (naive)
    time_zone: Mapped[str] = mapped_column(String(64))
    # When "this and following" splits a series, the later part points at the earlier.
    split_from_id: Mapped[str | None] = mapped_column(ForeignKey("appointment_series.id"))
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # cancelled as a whole


class Appointment(SyncMixin, Base):
    __tablename__ = "appointment"
    __table_args__ = (
        Index("ix_appointment_provider_start", "provider_id", "starts_at"),
        Index("ix_appointment_patient_start", "patient_id", "starts_at"),
        Index("ix_appointment_start", "starts_at"),
        Index("ix_appointment_series", "series_id", "occurrence_start"),
    )

    patient_id: Mapped[str] = mapped_column(ForeignKey("patient.id"))
    provider_id: Mapped[str] = mapped_column(ForeignKey("user_account.id"))
    location_id: Mapped[str] = mapped_column(ForeignKey("location.id"))
    room_id: Mapped[str | None] = mapped_column(ForeignKey("room.id"))
    type_id: Mapped[str] = mapped_column(ForeignKey("appointment_type.id"))
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # The wall time the patient was told, and its zone: a 9:00 visit stays at 9:00 across
    # a daylight-saving change, whatever UTC says.
    wall_start: Mapped[datetime] = mapped_column(DateTime)
    time_zone: Mapped[str] = mapped_column(String(64))
    status: Mapped[AppointmentStatus] = mapped_column(
        enum_column(AppointmentStatus), default=AppointmentStatus.BOOKED
    )
    status_changed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    arrived_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reason: Mapped[str | None] = mapped_column(String(200))  # reason for visit
    notes: Mapped[str | None] = mapped_column(String(1000))
    copay_due_cents: Mapped[int | None] = mapped_column(Integer)
    cancel_reason: Mapped[str | None] = mapped_column(String(200))
    cancelled_by: Mapped[str | None] = mapped_column(String(36))
    late_cancel: Mapped[bool] = mapped_column(default=False)
    rescheduled_to_id: Mapped[str | None] = mapped_column(ForeignKey("appointment.id"))
    series_id: Mapped[str | None] = mapped_column(ForeignKey("appointment_series.id"))
    # The occurrence's original wall start in its series (RFC 5545 RECURRENCE-ID).
    occurrence_start: Mapped[datetime | None] = mapped_column(DateTime)
    # Moved or resized on its own: series-wide time changes leave it where it is.
    detached: Mapped[bool] = mapped_column(default=False)


class AppointmentStatusChange(SyncMixin, Base):
    """Every status an appointment went through, when and by whom (append-only)."""

    __tablename__ = "appointment_status_change"

    appointment_id: Mapped[str] = mapped_column(ForeignKey("appointment.id"), index=True)
    status: Mapped[AppointmentStatus] = mapped_column(enum_column(AppointmentStatus))
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    changed_by: Mapped[str | None] = mapped_column(String(36))
    note: Mapped[str | None] = mapped_column(String(200))


class PartOfDay(enum.StrEnum):
    ANY = "any"
    MORNING = "morning"  # before noon
    AFTERNOON = "afternoon"  # noon to 17:00
    EVENING = "evening"  # from 17:00


class WaitlistStatus(enum.StrEnum):
    WAITING = "waiting"
    BOOKED = "booked"
    REMOVED = "removed"


class WaitlistEntry(SyncMixin, Base):
    """A patient who wants an earlier slot (or any slot) and should be offered one."""

    __tablename__ = "waitlist_entry"

    patient_id: Mapped[str] = mapped_column(ForeignKey("patient.id"), index=True)
    type_id: Mapped[str] = mapped_column(ForeignKey("appointment_type.id"))
    provider_ids: Mapped[list[str]] = mapped_column(JSON, default=list)  # empty: anyone
    part_of_day: Mapped[PartOfDay] = mapped_column(enum_column(PartOfDay))
    earliest: Mapped[date] = mapped_column(Date)
    latest: Mapped[date] = mapped_column(Date)
    # The later appointment they already hold, if any; booking the offer reschedules it.
    current_appointment_id: Mapped[str | None] = mapped_column(ForeignKey("appointment.id"))
    notes: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[WaitlistStatus] = mapped_column(
        enum_column(WaitlistStatus), default=WaitlistStatus.WAITING
    )
