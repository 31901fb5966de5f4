"""Payers and each patient's coverages."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, SyncMixin, enum_column
from app.models.patient import Patient


class SubscriberRelationship(enum.StrEnum):
    """The patient's relationship to the subscriber (X12 individual relationship codes)."""

    SELF = "self"  # 18
    SPOUSE = "spouse"  # 01
    CHILD = "child"  # 19
    OTHER = "other"  # G8


class Payer(SyncMixin, Base):
    __tablename__ = "payer"

    name: Mapped[str] = mapped_column(String(200))
    payer_code: Mapped[str] = mapped_column(String(20), index=True)  # electronic payer ID
    address_line1: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[str | None] = mapped_column(String(2))
    postal_code: Mapped[str | None] = mapped_column(String(10))
    phone: Mapped[str | None] = mapped_column(String(30))
    # Claims: days after the service within which the payer must receive a claim, and the
    # X12 claim filing indicator (SBR09): CI commercial, MB Medicare B, MC Medicaid, BL Blue
    # Cross/Blue Shield, HM HMO.
    timely_filing_days: Mapped[int] = mapped_column(Integer, default=365, server_default="365")
    filing_indicator: Mapped[str] = mapped_column(String(2), default="CI", server_default="CI")


class Coverage(SyncMixin, Base):
    __tablename__ = "coverage"

    patient_id: Mapped[str] = mapped_column(ForeignKey("patient.id"), index=True)
    payer_id: Mapped[str] = mapped_column(ForeignKey("payer.id"))
    priority: Mapped[int] = mapped_column(Integer)  # 1 primary, 2 secondary, 3 tertiary
    member_id: Mapped[str] = mapped_column(String(40), index=True)
    group_number: Mapped[str | None] = mapped_column(String(40))
    relationship_to_subscriber: Mapped[SubscriberRelationship] = mapped_column(
        enum_column(SubscriberRelationship)
    )
    subscriber_first_name: Mapped[str] = mapped_column(String(100))
    subscriber_last_name: Mapped[str] = mapped_column(String(100))
    subscriber_date_of_birth: Mapped[date | None] = mapped_column(Date)
    effective_on: Mapped[date | None] = mapped_column(Date)
    terminated_on: Mapped[date | None] = mapped_column(Date)
    copay_cents: Mapped[int] = mapped_column(Integer, default=0)
    card_front: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    card_back: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)

    payer: Mapped[Payer] = relationship(lazy="joined")
    patient: Mapped[Patient] = relationship()
