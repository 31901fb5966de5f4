"""Clinical notes, their addenda, and the practice's note templates and text snippets.

A signed note is locked: its content hash is stored at signing and checked on every read;
after that only addenda (each signed when written) or "entered in error" change the chart.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, SyncMixin, UtcDateTime, enum_column
from app.models.clinical_base import EnteredInErrorMixin
from app.models.encounter import EncounterType


class NoteKind(enum.StrEnum):
    DOCTOR = "doctor"  # the provider's visit note (SOAP)
    NURSING = "nursing"
    PROGRESS = "progress"


class NoteStatus(enum.StrEnum):
    DRAFT = "draft"
    AWAITING_COSIGN = "awaiting_cosign"  # signed by its author, waiting for the provider
    SIGNED = "signed"
    ENTERED_IN_ERROR = "entered_in_error"


class NoteTemplate(SyncMixin, Base):
    """A practice-editable form for one kind of note.

    `sections` is a list of {"key", "label", "kind": "text" | "choice" | "multi",
    "options": [...], "text": default text (may hold snippet shortcuts)}.
    """

    __tablename__ = "note_template"

    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[NoteKind] = mapped_column(enum_column(NoteKind))
    encounter_type: Mapped[EncounterType | None] = mapped_column(enum_column(EncounterType))
    sections: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(default=True)


class NoteSnippet(SyncMixin, Base):
    """A practice's own text shortcut (".sob" → a sentence); chart snippets are built in."""

    __tablename__ = "note_snippet"

    shortcut: Mapped[str] = mapped_column(String(30), index=True)
    text: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True)


class ClinicalNote(EnteredInErrorMixin, SyncMixin, Base):
    __tablename__ = "clinical_note"
    __table_args__ = (Index("ix_clinical_note_patient_time", "patient_id", "written_at"),)

    patient_id: Mapped[str] = mapped_column(ForeignKey("patient.id"))
    encounter_id: Mapped[str | None] = mapped_column(ForeignKey("encounter.id"), index=True)
    kind: Mapped[NoteKind] = mapped_column(enum_column(NoteKind))
    template_id: Mapped[str | None] = mapped_column(ForeignKey("note_template.id"))
    title: Mapped[str] = mapped_column(String(200))
    author_id: Mapped[str] = mapped_column(ForeignKey("user_account.id"))
    written_at: Mapped[datetime] = mapped_column(UtcDateTime)  # when the note was started
    # [{"key", "label", "text"}, ...] in template order: what the note says.
    sections: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    status: Mapped[NoteStatus] = mapped_column(enum_column(NoteStatus), default=NoteStatus.DRAFT)
    draft_saved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    signed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    signed_by_id: Mapped[str | None] = mapped_column(String(36))
    content_hash: Mapped[str | None] = mapped_column(String(64))  # SHA-256 at signing
    cosigner_id: Mapped[str | None] = mapped_column(ForeignKey("user_account.id"))
    cosigned_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class NoteAddendum(SyncMixin, Base):
    """Text added to a signed note; signed as it is saved and never changed."""

    __tablename__ = "note_addendum"

    note_id: Mapped[str] = mapped_column(ForeignKey("clinical_note.id"), index=True)
    author_id: Mapped[str] = mapped_column(ForeignKey("user_account.id"))
    text: Mapped[str] = mapped_column(Text)
    signed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    content_hash: Mapped[str] = mapped_column(String(64))
