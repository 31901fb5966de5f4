"""Scanned and imported documents. The bytes live in their own table inside the encrypted
practice database, so listing a chart's documents never reads them."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, SyncMixin, UtcDateTime, enum_column
from app.models.clinical_base import EnteredInErrorMixin


class DocumentCategory(enum.StrEnum):
    LAB_REPORT = "lab_report"
    IMAGING_REPORT = "imaging_report"
    LETTER = "letter"
    REFERRAL = "referral"
    CONSENT = "consent"
    OTHER = "other"


class ClinicalDocument(EnteredInErrorMixin, SyncMixin, Base):
    __tablename__ = "clinical_document"
    __table_args__ = (Index("ix_clinical_document_patient_date", "patient_id", "document_on"),)

    patient_id: Mapped[str] = mapped_column(ForeignKey("patient.id"))
    category: Mapped[DocumentCategory] = mapped_column(enum_column(DocumentCategory))
    title: Mapped[str] = mapped_column(String(200))
    document_on: Mapped[date] = mapped_column()  # the date on the document (report date)
    media_type: Mapped[str] = mapped_column(String(60))  # application/pdf, image/png, image/jpeg
    byte_count: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    imported_by_id: Mapped[str] = mapped_column(ForeignKey("user_account.id"))
    encounter_id: Mapped[str | None] = mapped_column(ForeignKey("encounter.id"))
    # Sign-off: the provider has seen it (results are not "filed" until someone has).
    reviewer_id: Mapped[str | None] = mapped_column(ForeignKey("user_account.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    review_note: Mapped[str | None] = mapped_column(String(1000))


class DocumentContent(SyncMixin, Base):
    __tablename__ = "document_content"

    document_id: Mapped[str] = mapped_column(ForeignKey("clinical_document.id"), unique=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
