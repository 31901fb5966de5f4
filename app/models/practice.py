"""The practice itself and its locations."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, SyncMixin


class Practice(SyncMixin, Base):
    __tablename__ = "practice"

    name: Mapped[str] = mapped_column(String(200))
    time_zone: Mapped[str] = mapped_column(String(64))  # IANA name, e.g. America/Chicago
    npi: Mapped[str | None] = mapped_column(String(10))  # group (type 2) NPI, for claims
    tax_id: Mapped[str | None] = mapped_column(String(20))
    phone: Mapped[str | None] = mapped_column(String(30))
    # Claims: the billing provider's NUCC taxonomy and phone, and the clearinghouse that
    # receives the 837P batches (its name, its id for us and its own id).
    taxonomy_code: Mapped[str | None] = mapped_column(String(10))
    billing_phone: Mapped[str | None] = mapped_column(String(30))
    billing_contact: Mapped[str | None] = mapped_column(String(100))
    clearinghouse_name: Mapped[str | None] = mapped_column(String(100))
    submitter_id: Mapped[str | None] = mapped_column(String(15))  # ISA06 / NM1*41
    receiver_id: Mapped[str | None] = mapped_column(String(15))  # ISA08 / NM1*40


class Location(SyncMixin, Base):
    __tablename__ = "location"

    practice_id: Mapped[str] = mapped_column(ForeignKey("practice.id"))
    name: Mapped[str] = mapped_column(String(200))
    address_line1: Mapped[str | None] = mapped_column(String(200))
    address_line2: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[str | None] = mapped_column(String(2))
    postal_code: Mapped[str | None] = mapped_column(String(10))
    phone: Mapped[str | None] = mapped_column(String(30))
    place_of_service: Mapped[str] = mapped_column(String(2), default="11")  # 11 = office
