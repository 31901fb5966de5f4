"""Vital signs: a set taken at one time, and one observation per measurement (LOINC-coded,
stored in its canonical UCUM unit; screens convert to the practice's preferred units)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, SyncMixin, UtcDateTime, enum_column
from app.models.clinical_base import EnteredInErrorMixin


class VitalFlag(enum.StrEnum):
    NORMAL = "normal"
    LOW = "low"
    HIGH = "high"
    CRITICAL_LOW = "critical_low"
    CRITICAL_HIGH = "critical_high"


class VitalsSet(EnteredInErrorMixin, SyncMixin, Base):
    __tablename__ = "vitals_set"
    __table_args__ = (Index("ix_vitals_set_patient_taken", "patient_id", "taken_at"),)

    patient_id: Mapped[str] = mapped_column(ForeignKey("patient.id"))
    encounter_id: Mapped[str | None] = mapped_column(ForeignKey("encounter.id"), index=True)
    taken_at: Mapped[datetime] = mapped_column(UtcDateTime)
    taken_by_id: Mapped[str] = mapped_column(ForeignKey("user_account.id"))
    note: Mapped[str | None] = mapped_column(String(500))


class VitalObservation(SyncMixin, Base):
    """Append-only; a wrong value is corrected by marking its whole set entered in error."""

    __tablename__ = "vital_observation"
    __table_args__ = (
        Index("ix_vital_observation_patient_code_taken", "patient_id", "loinc_code", "taken_at"),
    )

    vitals_set_id: Mapped[str] = mapped_column(ForeignKey("vitals_set.id"), index=True)
    patient_id: Mapped[str] = mapped_column(ForeignKey("patient.id"))
    taken_at: Mapped[datetime] = mapped_column(UtcDateTime)  # the set's, for trend reads
    loinc_code: Mapped[str] = mapped_column(String(10))
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(20))  # UCUM, canonical for the code
    flag: Mapped[VitalFlag] = mapped_column(enum_column(VitalFlag), default=VitalFlag.NORMAL)
