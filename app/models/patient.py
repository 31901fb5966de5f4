"""Patients: demographics, phones, emergency contacts, and the merge record."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, SyncMixin, UtcDateTime, enum_column


class SexAtBirth(enum.StrEnum):
    FEMALE = "female"
    MALE = "male"
    UNKNOWN = "unknown"


class PatientStatus(enum.StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"
    DECEASED = "deceased"
    MERGED = "merged"  # a duplicate folded into another record; hidden from search


class PhoneKind(enum.StrEnum):
    MOBILE = "mobile"
    HOME = "home"
    WORK = "work"


class Patient(SyncMixin, Base):
    __tablename__ = "patient"
    __table_args__ = (
        Index("ix_patient_name_search", "last_key", "first_key", "date_of_birth"),
        Index("ix_patient_first_key", "first_key", "last_key"),
        Index("ix_patient_preferred_key", "preferred_key"),
        Index("ix_patient_last_sound", "last_sound", "last_key", "first_key", "date_of_birth"),
        Index("ix_patient_dob", "date_of_birth"),
    )

    mrn: Mapped[str] = mapped_column(String(20), unique=True)
    first_name: Mapped[str] = mapped_column(String(100))
    middle_name: Mapped[str | None] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    suffix: Mapped[str | None] = mapped_column(String(20))
    preferred_name: Mapped[str | None] = mapped_column(String(100))
    date_of_birth: Mapped[date] = mapped_column(Date)
    sex_at_birth: Mapped[SexAtBirth] = mapped_column(enum_column(SexAtBirth))
    gender_identity: Mapped[str | None] = mapped_column(String(60))
    pronouns: Mapped[str | None] = mapped_column(String(30))
    email: Mapped[str | None] = mapped_column(String(200))
    address_line1: Mapped[str | None] = mapped_column(String(200))
    address_line2: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[str | None] = mapped_column(String(2))
    postal_code: Mapped[str | None] = mapped_column(String(10))
    preferred_language: Mapped[str | None] = mapped_column(String(40))
    race: Mapped[str | None] = mapped_column(String(60))
    ethnicity: Mapped[str | None] = mapped_column(String(60))
    status: Mapped[PatientStatus] = mapped_column(
        enum_column(PatientStatus), default=PatientStatus.ACTIVE
    )
    deceased_on: Mapped[date | None] = mapped_column(Date)
    consent_sms: Mapped[bool] = mapped_column(default=False)
    consent_email: Mapped[bool] = mapped_column(default=False)
    consent_voicemail: Mapped[bool] = mapped_column(default=False)
    photo: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    # Guarantor: another patient (a parent who is also our patient) or a named person.
    guarantor_patient_id: Mapped[str | None] = mapped_column(ForeignKey("patient.id"))
    guarantor_name: Mapped[str | None] = mapped_column(String(200))
    guarantor_relationship: Mapped[str | None] = mapped_column(String(40))
    guarantor_phone: Mapped[str | None] = mapped_column(String(30))
    merged_into_id: Mapped[str | None] = mapped_column(ForeignKey("patient.id"))
    # Search keys, kept in step with the names by the patient service.
    last_key: Mapped[str] = mapped_column(String(100))  # folded: lower case, no accents
    first_key: Mapped[str] = mapped_column(String(100))
    preferred_key: Mapped[str | None] = mapped_column(String(100))
    last_sound: Mapped[str] = mapped_column(String(40))  # Metaphone code, for typos

    phones: Mapped[list[PatientPhone]] = relationship(
        back_populates="patient", order_by="PatientPhone.created_at", lazy="selectin"
    )
    contacts: Mapped[list[EmergencyContact]] = relationship(
        back_populates="patient", order_by="EmergencyContact.created_at", lazy="selectin"
    )


class PatientPhone(SyncMixin, Base):
    __tablename__ = "patient_phone"

    patient_id: Mapped[str] = mapped_column(ForeignKey("patient.id"), index=True)
    kind: Mapped[PhoneKind] = mapped_column(enum_column(PhoneKind))
    number: Mapped[str] = mapped_column(String(30))  # E.164, e.g. +13125550123
    # The national number's digits reversed: "ends with 0123" becomes an indexed prefix
    # search, so people can type the last digits they remember.
    digits_reversed: Mapped[str] = mapped_column(String(20), index=True)

    patient: Mapped[Patient] = relationship(back_populates="phones")


class EmergencyContact(SyncMixin, Base):
    __tablename__ = "emergency_contact"

    patient_id: Mapped[str] = mapped_column(ForeignKey("patient.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    relationship_to_patient: Mapped[str] = mapped_column(String(40))
    phone: Mapped[str] = mapped_column(String(30))

    patient: Mapped[Patient] = relationship(back_populates="contacts")


class PatientMerge(SyncMixin, Base):
    """A merge of `duplicate` into `survivor`, with every row it moved, so it can be undone."""

    __tablename__ = "patient_merge"

    survivor_id: Mapped[str] = mapped_column(ForeignKey("patient.id"), index=True)
    duplicate_id: Mapped[str] = mapped_column(ForeignKey("patient.id"), index=True)
    moved_rows: Mapped[list[list[str]]] = mapped_column(JSON)  # [table, column, row id]
    duplicate_status: Mapped[str] = mapped_column(String(20))
    merged_by: Mapped[str] = mapped_column(String(36))
    reason: Mapped[str | None] = mapped_column(String(500))
    undone_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    undone_by: Mapped[str | None] = mapped_column(String(36))
