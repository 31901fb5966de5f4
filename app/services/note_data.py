"""Plain data for clinical notes, their templates and snippets, and a note as plain text.

Everything here is frozen and free of the database, so screens, the visit-summary PDF and
the timeline can all render a note the same way (`note_text`).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from app.models import EncounterType, NoteKind, NoteStatus

KIND_LABELS = {
    NoteKind.DOCTOR: "Doctor's note",
    NoteKind.NURSING: "Nursing note",
    NoteKind.PROGRESS: "Progress note",
}
STATUS_LABELS = {
    NoteStatus.DRAFT: "Draft",
    NoteStatus.AWAITING_COSIGN: "Awaiting co-signature",
    NoteStatus.SIGNED: "Signed",
    NoteStatus.ENTERED_IN_ERROR: "Entered in error",
}
ENCOUNTER_TYPE_LABELS = {
    EncounterType.OFFICE_VISIT: "Office visit",
    EncounterType.TELEHEALTH: "Telehealth visit",
    EncounterType.PHONE: "Phone call",
    EncounterType.NURSING_VISIT: "Nursing visit",
}
# Signed, awaiting co-signature or struck through: the content can no longer change.
LOCKED_STATUSES = frozenset(
    {NoteStatus.SIGNED, NoteStatus.AWAITING_COSIGN, NoteStatus.ENTERED_IN_ERROR}
)
LOCKED_MESSAGE = "This note is signed and locked. Add an addendum instead."


class SectionKind(enum.StrEnum):
    TEXT = "text"  # free text
    CHOICE = "choice"  # one option from a pick list (plus optional text)
    MULTI = "multi"  # any number of options from a pick list (plus optional text)


@dataclass(frozen=True)
class NoteSection:
    """One part of a note as it is written. `options` come from the template; `selected`
    holds the picked options (at most one for a choice)."""

    key: str
    label: str
    kind: SectionKind = SectionKind.TEXT
    text: str = ""
    options: tuple[str, ...] = ()
    selected: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.text.strip() and not self.selected


@dataclass(frozen=True)
class NoteStart:
    kind: NoteKind
    template_id: str | None = None
    encounter_id: str | None = None
    title: str | None = None  # None: the template's name, or the kind's label


@dataclass(frozen=True)
class DraftSaved:
    """What an autosave did. `changed` is False when the content was already saved (the
    version did not move and nothing was written)."""

    version: int
    saved_at: datetime | None
    changed: bool


@dataclass(frozen=True)
class AddendumView:
    id: str
    author_id: str
    author_name: str
    text: str
    signed_at: datetime
    content_hash: str
    intact: bool


@dataclass(frozen=True)
class NoteView:
    id: str
    version: int
    patient_id: str
    encounter_id: str | None
    kind: NoteKind
    template_id: str | None
    title: str
    author_id: str
    author_name: str
    written_at: datetime
    status: NoteStatus
    sections: tuple[NoteSection, ...]
    draft_saved_at: datetime | None
    signed_at: datetime | None
    signed_by_name: str | None
    cosigner_id: str | None
    cosigner_name: str | None
    cosigned_at: datetime | None
    content_hash: str | None
    intact: bool  # the stored hashes still match the content (False: the database was altered)
    error_reason: str | None
    error_at: datetime | None
    error_by_name: str | None
    addenda: tuple[AddendumView, ...]
    time_zone: str  # the practice's, for showing times

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def locked(self) -> bool:
        return self.status in LOCKED_STATUSES

    @property
    def in_error(self) -> bool:
        return self.status is NoteStatus.ENTERED_IN_ERROR


@dataclass(frozen=True)
class NoteRow:
    """A note in a list (no text: lists stay cheap however long the notes are)."""

    id: str
    version: int
    patient_id: str
    encounter_id: str | None
    kind: NoteKind
    title: str
    status: NoteStatus
    author_id: str
    author_name: str
    written_at: datetime
    signed_at: datetime | None
    cosigner_name: str | None
    addendum_count: int

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def in_error(self) -> bool:
        return self.status is NoteStatus.ENTERED_IN_ERROR


@dataclass(frozen=True)
class CosignItem:
    """A note in a physician's co-signature queue, and whose chart it is in."""

    note: NoteRow
    patient_name: str  # "Last, First"
    mrn: str

    @property
    def id(self) -> str:
        return self.note.id


@dataclass(frozen=True)
class TemplateSection:
    key: str  # a-z, digits and "_", unique in its template
    label: str
    kind: SectionKind = SectionKind.TEXT
    options: tuple[str, ...] = ()  # the pick list of a choice or multi section
    text: str = ""  # default text; snippet shortcuts in it are expanded when a note starts


@dataclass(frozen=True)
class TemplateInput:
    name: str
    kind: NoteKind
    sections: tuple[TemplateSection, ...]
    encounter_type: EncounterType | None = None  # None: offered for every kind of visit


@dataclass(frozen=True)
class TemplateView:
    id: str
    version: int
    name: str
    kind: NoteKind
    encounter_type: EncounterType | None
    sections: tuple[TemplateSection, ...]
    active: bool

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def encounter_type_label(self) -> str:
        return ENCOUNTER_TYPE_LABELS[self.encounter_type] if self.encounter_type else "Any visit"


@dataclass(frozen=True)
class SnippetView:
    """A text shortcut. Built-in ones are read from the chart when used (`text` says what
    they insert); practice ones insert their text."""

    shortcut: str
    text: str
    builtin: bool
    id: str | None = None
    version: int | None = None


# -- a note as plain text --------------------------------------------------------------


def format_time(moment: datetime, zone: str) -> str:
    """'Jan 5, 2026 8:00 AM CST' in the practice's zone."""
    local = moment.astimezone(ZoneInfo(zone))
    hour = local.hour % 12 or 12
    return f"{local:%b} {local.day}, {local:%Y} {hour}:{local:%M %p} {local.tzname()}"


def section_text(section: NoteSection) -> str:
    """What one section says: the picked options, then the text."""
    lines = []
    if section.selected:
        lines.append(", ".join(section.selected))
    if section.text.strip():
        lines.append(section.text.strip())
    return "\n".join(lines)


def note_text(view: NoteView) -> str:
    """The note as plain text: header, sections (empty ones left out), signatures, addenda."""
    zone = view.time_zone
    lines = [
        view.title,
        f"{view.kind_label} · {view.author_name} · {format_time(view.written_at, zone)}",
    ]
    if view.in_error and view.error_at:
        lines.append(
            f"ENTERED IN ERROR by {view.error_by_name or 'unknown'} on "
            f"{format_time(view.error_at, zone)}: {view.error_reason}"
        )
    elif view.status is NoteStatus.DRAFT:
        lines.append("DRAFT: not signed")
    for section in view.sections:
        body = section_text(section)
        if body:
            lines += ["", section.label, body]
    lines += _signature_lines(view)
    for addendum in view.addenda:
        lines += [
            "",
            f"Addendum by {addendum.author_name}, {format_time(addendum.signed_at, zone)}",
            addendum.text,
        ]
    if not view.intact:
        lines += ["", "WARNING: this note no longer matches what was signed."]
    return "\n".join(lines)


def _signature_lines(view: NoteView) -> list[str]:
    if view.signed_at is None:
        return []
    zone = view.time_zone
    lines = [
        "",
        f"Electronically signed by {view.signed_by_name} on {format_time(view.signed_at, zone)}",
    ]
    if view.cosigned_at is not None:
        lines.append(f"Co-signed by {view.cosigner_name} on {format_time(view.cosigned_at, zone)}")
    elif view.cosigner_name and view.status is NoteStatus.AWAITING_COSIGN:
        lines.append(f"Awaiting co-signature by {view.cosigner_name}")
    return lines
