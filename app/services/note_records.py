"""What the note use cases share: loading a note, its content hash, building views, and
refusing someone who may not touch a note (audited like any refused access)."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import ClinicalNote, NoteAddendum, NoteStatus, Practice, Role, User
from app.services.audit_chain import AuditEntry
from app.services.context import HasContext
from app.services.errors import DomainError, NotFound, PermissionDenied
from app.services.note_data import (
    AddendumView,
    NoteRow,
    NoteSection,
    NoteView,
    SectionKind,
)

P = ParamSpec("P")
R = TypeVar("R")


class Refused(PermissionDenied):
    """The role may do this, but not to this note (not its author, not the named
    co-signer). Raised inside a unit of work; `audit_refusals` records it after rollback."""

    def __init__(self, message: str, *, patient_id: str, entity_id: str, category: str) -> None:
        super().__init__(message)
        self.patient_id = patient_id
        self.entity_id = entity_id
        self.category = category


def audit_refusals(method: Callable[P, R]) -> Callable[P, R]:
    """Record a `Refused` in its own transaction (the use case's one was rolled back)."""

    @functools.wraps(method)
    def checked(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except Refused as refused:
            service: HasContext = args[0]  # type: ignore[assignment]
            with service.ctx.unit_of_work() as uow:
                uow.audit(
                    AuditEntry(
                        "access",
                        refused.category,
                        outcome="denied",
                        patient_id=refused.patient_id,
                        entity_id=refused.entity_id,
                    )
                )
            raise

    return checked


def refuse(note: ClinicalNote, message: str, category: str = "note") -> Refused:
    return Refused(message, patient_id=note.patient_id, entity_id=note.id, category=category)


# -- people ------------------------------------------------------------------------------


def person_name(user: User) -> str:
    """'Priya Patel, MD': how a signature reads."""
    return f"{user.display_name}, {user.credentials}" if user.credentials else user.display_name


def staff_names(session: Session, ids: Iterable[str | None]) -> dict[str, str]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    return {u.id: person_name(u) for u in session.scalars(select(User).where(User.id.in_(wanted)))}


def active_physician(session: Session, user_id: str | None, what: str) -> User:
    user = session.get(User, user_id) if user_id else None
    if user is None or not user.is_active or user.role is not Role.PHYSICIAN:
        raise DomainError(f"Choose an active physician as the {what}.")
    return user


def practice_zone(session: Session) -> str:
    return session.scalar(select(Practice.time_zone).limit(1)) or "UTC"


# -- loading -------------------------------------------------------------------------------


def load_note(session: Session, note_id: str) -> ClinicalNote:
    """A note that was not discarded (a discarded draft is gone for everyone)."""
    note = session.get(ClinicalNote, note_id)
    if note is None or note.deleted_at is not None:
        raise NotFound("That note does not exist (a discarded draft is gone).")
    return note


def addenda_of(session: Session, note_ids: list[str]) -> dict[str, list[NoteAddendum]]:
    found: dict[str, list[NoteAddendum]] = {i: [] for i in note_ids}
    if note_ids:
        rows = session.scalars(
            select(NoteAddendum)
            .where(NoteAddendum.note_id.in_(note_ids), NoteAddendum.deleted_at.is_(None))
            .order_by(NoteAddendum.signed_at, NoteAddendum.id)
        )
        for row in rows:
            found[row.note_id].append(row)
    return found


# -- the content hash ------------------------------------------------------------------------


def _stamp(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _sha256(content: dict[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def content_hash(note: ClinicalNote) -> str:
    """SHA-256 of a canonical JSON of what was signed: who, about whom, what and when."""
    return _sha256(
        {
            "patient_id": note.patient_id,
            "kind": str(note.kind),
            "title": note.title,
            "sections": note.sections,
            "author_id": note.author_id,
            "signed_at": _stamp(note.signed_at),
        }
    )


def addendum_hash(addendum: NoteAddendum) -> str:
    return _sha256(
        {
            "note_id": addendum.note_id,
            "author_id": addendum.author_id,
            "text": addendum.text,
            "signed_at": _stamp(addendum.signed_at),
        }
    )


def note_intact(note: ClinicalNote) -> bool:
    """A draft carries no hash; anything else must still match the hash taken at signing."""
    if note.status is NoteStatus.DRAFT and note.signed_at is None:
        return note.content_hash is None
    return note.content_hash is not None and note.content_hash == content_hash(note)


# -- sections ----------------------------------------------------------------------------------


def section_from_stored(raw: dict[str, Any]) -> NoteSection:
    return NoteSection(
        key=str(raw.get("key", "")),
        label=str(raw.get("label", "")),
        kind=SectionKind(raw.get("kind", SectionKind.TEXT)),
        text=str(raw.get("text", "")),
        options=tuple(raw.get("options") or ()),
        selected=tuple(raw.get("selected") or ()),
    )


def section_to_stored(section: NoteSection) -> dict[str, Any]:
    # Lists, not tuples: the JSON column gives lists back, and the hash must not change.
    return {
        "key": section.key,
        "label": section.label,
        "kind": str(section.kind),
        "text": section.text,
        "options": list(section.options),
        "selected": list(section.selected),
    }


# -- views ------------------------------------------------------------------------------------


def note_view(session: Session, note: ClinicalNote) -> NoteView:
    return note_views(session, [note])[0]


def note_views(session: Session, notes: list[ClinicalNote]) -> list[NoteView]:
    addenda = addenda_of(session, [n.id for n in notes])
    people = staff_names(
        session,
        [
            *(n.author_id for n in notes),
            *(n.signed_by_id for n in notes),
            *(n.cosigner_id for n in notes),
            *(n.error_by_id for n in notes),
            *(a.author_id for rows in addenda.values() for a in rows),
        ],
    )
    zone = practice_zone(session)
    return [_view(note, addenda[note.id], people, zone) for note in notes]


def _view(
    note: ClinicalNote, addenda: list[NoteAddendum], people: dict[str, str], zone: str
) -> NoteView:
    addendum_views = tuple(
        AddendumView(
            a.id,
            a.author_id,
            people.get(a.author_id, "?"),
            a.text,
            a.signed_at,
            a.content_hash,
            a.content_hash == addendum_hash(a),
        )
        for a in addenda
    )
    return NoteView(
        id=note.id,
        version=note.version,
        patient_id=note.patient_id,
        encounter_id=note.encounter_id,
        kind=note.kind,
        template_id=note.template_id,
        title=note.title,
        author_id=note.author_id,
        author_name=people.get(note.author_id, "?"),
        written_at=note.written_at,
        status=note.status,
        sections=tuple(section_from_stored(s) for s in note.sections or ()),
        draft_saved_at=note.draft_saved_at,
        signed_at=note.signed_at,
        signed_by_name=people.get(note.signed_by_id) if note.signed_by_id else None,
        cosigner_id=note.cosigner_id,
        cosigner_name=people.get(note.cosigner_id) if note.cosigner_id else None,
        cosigned_at=note.cosigned_at,
        content_hash=note.content_hash,
        intact=note_intact(note) and all(a.intact for a in addendum_views),
        error_reason=note.error_reason,
        error_at=note.error_at,
        error_by_name=people.get(note.error_by_id) if note.error_by_id else None,
        addenda=addendum_views,
        time_zone=zone,
    )


def note_rows(session: Session, notes: list[ClinicalNote]) -> list[NoteRow]:
    ids = [n.id for n in notes]
    counts: dict[str, int] = {}
    if ids:
        counts = dict(
            session.execute(
                select(NoteAddendum.note_id, func.count())
                .where(NoteAddendum.note_id.in_(ids), NoteAddendum.deleted_at.is_(None))
                .group_by(NoteAddendum.note_id)
            ).all()
        )
    people = staff_names(session, [*(n.author_id for n in notes), *(n.cosigner_id for n in notes)])
    return [
        NoteRow(
            id=n.id,
            version=n.version,
            patient_id=n.patient_id,
            encounter_id=n.encounter_id,
            kind=n.kind,
            title=n.title,
            status=n.status,
            author_id=n.author_id,
            author_name=people.get(n.author_id, "?"),
            written_at=n.written_at,
            signed_at=n.signed_at,
            cosigner_name=people.get(n.cosigner_id) if n.cosigner_id else None,
            addendum_count=counts.get(n.id, 0),
        )
        for n in notes
    ]
