"""Scanned and imported documents in a patient's chart: import, list, read, sign off.

The bytes go into the encrypted practice database (DocumentContent), never to disk: no
temp files, no cache folder. Listing reads only the catalogue row; the bytes are read
(and the read audited) only when someone opens the document.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePath
from typing import Any, Literal

from sqlalchemy import Row, Select, select
from sqlalchemy.orm import Session, aliased

from app.models import (
    ClinicalDocument,
    DocumentCategory,
    DocumentContent,
    Encounter,
    EncounterStatus,
    Patient,
    User,
)
from app.services.audit_chain import AuditEntry
from app.services.bus import ChartChanged
from app.services.chart_common import chart_patient, mark_entered_in_error
from app.services.context import AppContext, UnitOfWork, requires
from app.services.errors import DomainError, NotFound
from app.services.patients import practice_today
from app.services.permissions import Permission
from app.services.schedule_queries import practice_zone
from app.services.schedule_rules import to_wall

MAX_DOCUMENT_BYTES = 25 * 1024 * 1024
MAX_TITLE = 200
MAX_REVIEW_NOTE = 1000
CATEGORY_LABELS = {
    DocumentCategory.LAB_REPORT: "Lab report",
    DocumentCategory.IMAGING_REPORT: "Imaging report",
    DocumentCategory.LETTER: "Letter",
    DocumentCategory.REFERRAL: "Referral",
    DocumentCategory.CONSENT: "Consent",
    DocumentCategory.OTHER: "Other",
}
# What the in-app viewer can show (QtPdf for PDFs, QtGui's image plugins for the rest).
MEDIA_TYPE_NAMES = {
    "application/pdf": "PDF",
    "image/png": "PNG image",
    "image/jpeg": "JPEG image",
    "image/tiff": "TIFF image",
}


@dataclass(frozen=True)
class DocumentInput:
    data: bytes
    filename: str  # only for messages and a default title: the type comes from the bytes
    category: DocumentCategory
    title: str
    document_on: date  # the date on the document (report date)
    encounter_id: str | None = None


@dataclass(frozen=True)
class DocumentView:
    id: str
    version: int
    patient_id: str
    category: DocumentCategory
    title: str
    document_on: date
    media_type: str
    byte_count: int
    sha256: str
    imported_at: datetime  # UTC
    imported_by_name: str
    encounter_id: str | None
    reviewed_at: datetime | None  # UTC; None: awaiting sign-off
    reviewer_name: str | None
    review_note: str | None
    error_reason: str | None
    error_at: datetime | None

    @property
    def category_label(self) -> str:
        return CATEGORY_LABELS[self.category]

    @property
    def in_error(self) -> bool:
        return self.error_at is not None

    @property
    def awaiting_review(self) -> bool:
        return self.reviewed_at is None and self.error_at is None


@dataclass(frozen=True)
class DocumentBytes:
    media_type: str
    data: bytes
    title: str


@dataclass(frozen=True)
class ReviewItem:
    """One line of a provider's review queue: the document and whose chart it is in."""

    document: DocumentView
    patient_name: str  # "Last, First"
    mrn: str
    date_of_birth: date


def sniff_media_type(data: bytes, filename: str) -> str:
    """The media type the bytes say they are (not the name), or a DomainError for the user."""
    shown = f"“{PurePath(filename).name or 'The file'}”"
    if not data:
        raise DomainError(f"{shown} is empty: there is nothing to import.")
    if len(data) > MAX_DOCUMENT_BYTES:
        size = len(data) / (1024 * 1024)
        raise DomainError(
            f"{shown} is {size:.1f} MB; a document may be at most 25 MB. "
            "Scan it at a lower resolution or in parts."
        )
    media_type = _media_type(data)
    if media_type is None:
        raise DomainError(
            f"{shown} is not a PDF, PNG, JPEG or TIFF file. Save or scan it as a PDF and "
            "import that."
        )
    if not _looks_complete(media_type, data):
        kind = MEDIA_TYPE_NAMES[media_type]
        raise DomainError(
            f"{shown} starts like a {kind} but is damaged or cut short, so it cannot be shown. "
            "Import the original file again."
        )
    return media_type


def _media_type(data: bytes) -> str | None:
    # PDF readers accept a header anywhere in the first kilobyte (some scanners prefix junk).
    if b"%PDF-" in data[:1024]:
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith((b"II*\x00", b"MM\x00*")):
        return "image/tiff"
    return None


def _looks_complete(media_type: str, data: bytes) -> bool:
    """A cheap structural check for the usual damage (a truncated copy or download)."""
    tail = data[-2048:]
    if media_type == "application/pdf":
        return b"%%EOF" in tail
    if media_type == "image/png":
        # The first chunk is a 13-byte IHDR; the last is IEND (some tools pad after it).
        return data[8:16] == b"\x00\x00\x00\rIHDR" and b"IEND" in tail
    if media_type == "image/jpeg":
        return b"\xff\xd9" in tail  # end-of-image marker (cameras may pad after it)
    order: Literal["little", "big"] = "little" if data.startswith(b"II") else "big"
    first_directory = int.from_bytes(data[4:8], order)
    return 8 <= first_directory < len(data) - 2


class DocumentService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    @requires(Permission.EDIT_CHART)
    def import_document(self, patient_id: str, document: DocumentInput) -> DocumentView:
        """File `document` in the patient's chart, encrypted with the rest of the practice."""
        media_type = sniff_media_type(document.data, document.filename)
        title = " ".join(document.title.split()) or PurePath(document.filename).stem.strip()
        if not title:
            raise DomainError("Give the document a title, e.g. “CBC, Quest Diagnostics”.")
        if len(title) > MAX_TITLE:
            raise DomainError(f"Keep the title under {MAX_TITLE} characters.")
        digest = hashlib.sha256(document.data).hexdigest()
        with self.ctx.unit_of_work() as uow:
            session = uow.session
            chart_patient(session, patient_id)
            if document.document_on > practice_today(session, self.ctx.clock.now()):
                raise DomainError("The document's date is in the future; check the date.")
            if document.encounter_id is not None:
                _check_encounter(session, document.encounter_id, patient_id)
            _refuse_duplicate(session, patient_id, digest)
            row = ClinicalDocument(
                patient_id=patient_id,
                category=document.category,
                title=title,
                document_on=document.document_on,
                media_type=media_type,
                byte_count=len(document.data),
                sha256=digest,
                imported_by_id=self._actor_id(),
                encounter_id=document.encounter_id,
                created_at=self.ctx.clock.now(),
            )
            session.add(row)
            session.flush()
            session.add(DocumentContent(document_id=row.id, data=document.data))
            _audit_write(uow, "create", row, f"{media_type}, {len(document.data)} bytes")
            return _view_of(session, row.id)

    @requires(Permission.VIEW_CHART)
    def for_patient(self, patient_id: str) -> list[DocumentView]:
        """The chart's documents, newest first, struck-through ones included (no bytes read)."""
        with self.ctx.unit_of_work() as uow:
            chart_patient(uow.session, patient_id)
            views = _views(
                uow.session,
                _view_query()
                .where(ClinicalDocument.patient_id == patient_id)
                .order_by(ClinicalDocument.document_on.desc(), ClinicalDocument.id.desc()),
            )
            uow.audit(AuditEntry("read", "document", patient_id=patient_id, detail="list"))
            return views

    @requires(Permission.VIEW_CHART)
    def content(self, document_id: str) -> DocumentBytes:
        """The document's bytes, to preview or print; every opening is in the audit log."""
        with self.ctx.unit_of_work() as uow:
            row = _document(uow.session, document_id)
            chart_patient(uow.session, row.patient_id)
            data = uow.session.scalar(
                select(DocumentContent.data).where(DocumentContent.document_id == document_id)
            )
            if data is None:
                raise NotFound("This document's content is missing from the practice file.")
            uow.audit(
                AuditEntry(
                    "read",
                    "document",
                    patient_id=row.patient_id,
                    entity_id=row.id,
                    detail="content",
                )
            )
            return DocumentBytes(row.media_type, data, row.title)

    @requires(Permission.SIGN_NOTES)
    def sign_off(self, document_id: str, note: str | None = None) -> DocumentView:
        """The provider has read the document (a result is not filed until someone has)."""
        text = " ".join((note or "").split()) or None
        if text and len(text) > MAX_REVIEW_NOTE:
            raise DomainError(f"Keep the review note under {MAX_REVIEW_NOTE} characters.")
        with self.ctx.unit_of_work() as uow:
            row = _document(uow.session, document_id)
            chart_patient(uow.session, row.patient_id)
            if row.error_at is not None:
                raise DomainError("This document was entered in error; there is nothing to sign.")
            if row.reviewed_at is not None:
                raise DomainError(_already_reviewed(uow.session, row, row.reviewed_at))
            row.reviewer_id = self._actor_id()
            row.reviewed_at = self.ctx.clock.now()
            row.review_note = text
            _audit_write(uow, "review", row)
            return _view_of(uow.session, row.id)

    @requires(Permission.SIGN_NOTES)
    def awaiting_review(self) -> list[ReviewItem]:
        """Documents nobody has signed off yet, across the practice, oldest import first."""
        with self.ctx.unit_of_work() as uow:
            session = uow.session
            query = (
                _view_query()
                .join(Patient, Patient.id == ClinicalDocument.patient_id)
                .add_columns(
                    Patient.last_name, Patient.first_name, Patient.mrn, Patient.date_of_birth
                )
                .where(
                    ClinicalDocument.reviewed_at.is_(None),
                    ClinicalDocument.error_at.is_(None),
                    Patient.deleted_at.is_(None),
                )
                .order_by(ClinicalDocument.created_at, ClinicalDocument.id)
            )
            items = [
                ReviewItem(_row_view(row), f"{row.last_name}, {row.first_name}", row.mrn, row[-1])
                for row in session.execute(query)
            ]
            # The queue shows names and titles: a read of each of those charts.
            for patient_id in dict.fromkeys(item.document.patient_id for item in items):
                uow.audit(
                    AuditEntry("read", "document", patient_id=patient_id, detail="review queue")
                )
            if not items:
                uow.audit(AuditEntry("read", "document", detail="review queue (empty)"))
            return items

    @requires(Permission.EDIT_CHART)
    def mark_entered_in_error(self, document_id: str, reason: str) -> DocumentView:
        """Strike the document through (filed on the wrong chart, a duplicate, unreadable)."""
        with self.ctx.unit_of_work() as uow:
            row = _document(uow.session, document_id)
            chart_patient(uow.session, row.patient_id)
            mark_entered_in_error(uow, row, reason, "document")
            _audit_write(uow, "entered_in_error", row)
            return _view_of(uow.session, row.id)

    def _actor_id(self) -> str:
        assert self.ctx.actor is not None  # the permission check ran first
        return self.ctx.actor.user_id


def _document(session: Session, document_id: str) -> ClinicalDocument:
    row = session.get(ClinicalDocument, document_id)
    if row is None or row.deleted_at is not None:
        raise NotFound("That document is no longer in the chart.")
    return row


def _check_encounter(session: Session, encounter_id: str, patient_id: str) -> None:
    encounter = session.get(Encounter, encounter_id)
    if encounter is None or encounter.deleted_at is not None or encounter.patient_id != patient_id:
        raise NotFound("That visit is not in this patient's chart.")
    if encounter.status is EncounterStatus.ENTERED_IN_ERROR:
        raise DomainError("That visit was entered in error; file the document without it.")


def _refuse_duplicate(session: Session, patient_id: str, digest: str) -> None:
    """The same bytes twice in one chart is a double import (a struck-through copy is not)."""
    earlier = session.execute(
        select(ClinicalDocument.title, ClinicalDocument.category, ClinicalDocument.document_on)
        .where(
            ClinicalDocument.patient_id == patient_id,
            ClinicalDocument.sha256 == digest,
            ClinicalDocument.error_at.is_(None),
            ClinicalDocument.deleted_at.is_(None),
        )
        .limit(1)
    ).first()
    if earlier is not None:
        title, category, on = earlier
        raise DomainError(
            f"This file is already in the chart as “{title}” "
            f"({CATEGORY_LABELS[category]}, {on:%b} {on.day}, {on:%Y})."
        )


def _audit_write(uow: UnitOfWork, action: str, row: ClinicalDocument, detail: str = "") -> None:
    uow.audit(
        AuditEntry(
            action, "document", patient_id=row.patient_id, entity_id=row.id, detail=detail or None
        )
    )
    uow.notify(ChartChanged((row.patient_id,)))


def _already_reviewed(session: Session, row: ClinicalDocument, at: datetime) -> str:
    reviewer = session.get(User, row.reviewer_id) if row.reviewer_id else None
    day = to_wall(at, practice_zone(session))
    who = reviewer.display_name if reviewer else "Someone"
    return f"{who} already signed this document off on {day:%b} {day.day}, {day:%Y}."


_Importer = aliased(User)
_Reviewer = aliased(User)


def _view_query() -> Select[*tuple[Any, ...]]:
    return (
        select(ClinicalDocument, _Importer.display_name, _Reviewer.display_name)
        .outerjoin(_Importer, _Importer.id == ClinicalDocument.imported_by_id)
        .outerjoin(_Reviewer, _Reviewer.id == ClinicalDocument.reviewer_id)
        .where(ClinicalDocument.deleted_at.is_(None))
    )


def _views(session: Session, query: Select[*tuple[Any, ...]]) -> list[DocumentView]:
    return [_row_view(row) for row in session.execute(query)]


def _view_of(session: Session, document_id: str) -> DocumentView:
    session.flush()
    (view,) = _views(session, _view_query().where(ClinicalDocument.id == document_id))
    return view


def _row_view(row: Row[*tuple[Any, ...]]) -> DocumentView:
    document, importer, reviewer = row[0], row[1], row[2]
    return DocumentView(
        id=document.id,
        version=document.version,
        patient_id=document.patient_id,
        category=document.category,
        title=document.title,
        document_on=document.document_on,
        media_type=document.media_type,
        byte_count=document.byte_count,
        sha256=document.sha256,
        imported_at=document.created_at,
        imported_by_name=importer or "Unknown user",
        encounter_id=document.encounter_id,
        reviewed_at=document.reviewed_at,
        reviewer_name=reviewer if document.reviewer_id else None,
        review_note=document.review_note,
        error_reason=document.error_reason,
        error_at=document.error_at,
    )
