"""Encounters: one contact between the practice and a patient, which notes, vitals and
(later) charges hang from."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, false
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, SyncMixin, UtcDateTime, enum_column


class EncounterType(enum.StrEnum):
    OFFICE_VISIT = "office_visit"
    TELEHEALTH = "telehealth"
    PHONE = "phone"
    NURSING_VISIT = "nursing_visit"


class EncounterStatus(enum.StrEnum):
    OPEN = "open"  # being documented
    SIGNED = "signed"  # its provider note is signed: the visit is closed (billing starts here)
    ENTERED_IN_ERROR = "entered_in_error"  # opened on the wrong patient or by mistake


class Encounter(SyncMixin, Base):
    __tablename__ = "encounter"
    __table_args__ = (Index("ix_encounter_patient_start", "patient_id", "starts_at"),)

    patient_id: Mapped[str] = mapped_column(ForeignKey("patient.id"))
    provider_id: Mapped[str] = mapped_column(ForeignKey("user_account.id"))
    location_id: Mapped[str | None] = mapped_column(ForeignKey("location.id"))
    appointment_id: Mapped[str | None] = mapped_column(ForeignKey("appointment.id"), index=True)
    type: Mapped[EncounterType] = mapped_column(enum_column(EncounterType))
    reason: Mapped[str | None] = mapped_column(
        String(200)
    )  # reason for visit, as the patient said it
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[EncounterStatus] = mapped_column(
        enum_column(EncounterStatus), default=EncounterStatus.OPEN
    )
    signed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    signed_by_id: Mapped[str | None] = mapped_column(String(36))
    error_reason: Mapped[str | None] = mapped_column(String(500))
    # Signed and read for charges, and nothing billable was found (e.g. a nursing visit
    # with no vaccine given): it leaves the biller's "visits to bill".
    nothing_to_bill: Mapped[bool] = mapped_column(default=False, server_default=false())
