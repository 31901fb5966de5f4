"""Clinical notes: start from a template, autosave the draft, read. Signing, co-signing,
addenda and entered-in-error are in note_signing.py (the same NoteService)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from app.models import ClinicalNote, EncounterStatus, NoteKind, NoteStatus, NoteTemplate
from app.services.audit_chain import AuditEntry
from app.services.bus import ChartChanged
from app.services.chart_common import chart_patient
from app.services.context import AppContext, requires
from app.services.encounters import load_encounter
from app.services.errors import ConcurrentChange, DomainError, NotFound, PermissionDenied
from app.services.note_data import (
    KIND_LABELS,
    DraftSaved,
    NoteRow,
    NoteSection,
    NoteStart,
    NoteView,
    SectionKind,
)
from app.services.note_records import (
    audit_refusals,
    load_note,
    note_rows,
    note_view,
    note_views,
    refuse,
    section_from_stored,
    section_to_stored,
)
from app.services.note_signing import CATEGORY, STALE_DRAFT, NoteSigning, refuse_if_locked
from app.services.note_snippets import expand_text, shortcuts_in, snippet_text
from app.services.permissions import Permission

MAX_TITLE = 200
MAX_SECTION_TEXT = 50_000
FREE_TEXT = NoteSection("note", "Note")  # the one section of a note without a template


def _title(text: str) -> str:
    title = " ".join(text.split())
    if not title:
        raise DomainError("Give the note a title.")
    if len(title) > MAX_TITLE:
        raise DomainError(f"Keep the title under {MAX_TITLE} characters.")
    return title


def _checked_edit(stored: NoteSection, edit: NoteSection) -> NoteSection:
    """The stored section with the edit's text and picks (its form comes from the note)."""
    if len(edit.text) > MAX_SECTION_TEXT:
        raise DomainError(f"“{stored.label}” is longer than {MAX_SECTION_TEXT:,} characters.")
    picked = tuple(dict.fromkeys(edit.selected))
    if stored.kind is SectionKind.TEXT and picked:
        raise DomainError(f"“{stored.label}” is free text; it has nothing to pick.")
    if any(p not in stored.options for p in picked):
        raise DomainError(f"Pick “{stored.label}” from its list.")
    if stored.kind is SectionKind.CHOICE and len(picked) > 1:
        raise DomainError(f"Pick one answer for “{stored.label}”.")
    return NoteSection(stored.key, stored.label, stored.kind, edit.text, stored.options, picked)


class NoteService(NoteSigning):
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    # --- drafts ------------------------------------------------------------------------

    @requires(Permission.EDIT_CHART)
    def start(self, patient_id: str, data: NoteStart) -> NoteView:
        """A draft note by the signed-in clinician: the template's sections, their default
        text with snippets (".vitals", ".problems", ...) already filled in from the chart."""
        kind = NoteKind(data.kind)
        actor = self._actor()
        if kind is NoteKind.DOCTOR and not actor.can(Permission.SIGN_NOTES):
            try:
                self.ctx.require(Permission.SIGN_NOTES)  # audits the refusal
            except PermissionDenied:
                raise PermissionDenied(
                    "A doctor's note is written by a physician; write a nursing or progress "
                    "note instead."
                ) from None
        title = _title(data.title) if data.title is not None else None
        with self.ctx.unit_of_work() as uow:
            session = uow.session
            chart_patient(session, patient_id)
            encounter_id = None
            if data.encounter_id is not None:
                encounter = load_encounter(session, data.encounter_id)
                if encounter.patient_id != patient_id:
                    raise DomainError("That encounter belongs to another patient's chart.")
                if encounter.status is EncounterStatus.ENTERED_IN_ERROR:
                    raise DomainError("That encounter was entered in error; it takes no notes.")
                encounter_id = encounter.id
            sections, used = [FREE_TEXT], set[str]()
            template = self._template(data.template_id, kind, session)
            if template is not None:
                sections = []
                for raw in template.sections:
                    form = section_from_stored(raw)  # the default text, with shortcuts
                    used |= shortcuts_in(form.text)
                    sections.append(replace(form, text=expand_text(session, patient_id, form.text)))
            note = ClinicalNote(
                patient_id=patient_id,
                encounter_id=encounter_id,
                kind=kind,
                template_id=template.id if template else None,
                title=title or (template.name if template else KIND_LABELS[kind]),
                author_id=actor.user_id,
                written_at=self.ctx.clock.now(),
                sections=[section_to_stored(s) for s in sections],
                status=NoteStatus.DRAFT,
            )
            session.add(note)
            session.flush()
            detail = f"snippets: {' '.join(sorted(used))}" if used else None
            uow.audit(
                AuditEntry(
                    "create", CATEGORY, patient_id=patient_id, entity_id=note.id, detail=detail
                )
            )
            uow.notify(ChartChanged((patient_id,)))
            return note_view(session, note)

    @requires(Permission.EDIT_CHART)
    @audit_refusals
    def save_draft(
        self,
        note_id: str,
        sections: Sequence[NoteSection],
        title: str | None,
        expected_version: int,
    ) -> DraftSaved:
        """Autosave (the author only, drafts only). Sections are matched by key; ones not
        given stay as they are; `title` None keeps the title. Saving what is already saved
        writes nothing and keeps the version."""
        new_title = _title(title) if title is not None else None
        with self.ctx.unit_of_work() as uow:
            note = load_note(uow.session, note_id)
            refuse_if_locked(note)
            if note.author_id != self._actor().user_id:
                raise refuse(note, "Only the note's author can edit the draft.")
            if note.version != expected_version:
                raise ConcurrentChange(STALE_DRAFT)
            current = [section_from_stored(s) for s in note.sections or ()]
            by_key = {s.key: s for s in current}
            edits: dict[str, NoteSection] = {}
            for edit in sections:
                if edit.key not in by_key:
                    raise DomainError(f"This note has no “{edit.label or edit.key}” section.")
                if edit.key in edits:
                    raise DomainError(f"“{edit.label or edit.key}” was given twice.")
                edits[edit.key] = _checked_edit(by_key[edit.key], edit)
            updated = [edits.get(s.key, s) for s in current]
            if updated == current and new_title in (None, note.title):
                return DraftSaved(note.version, note.draft_saved_at, changed=False)
            note.sections = [section_to_stored(s) for s in updated]
            note.title = new_title or note.title
            note.draft_saved_at = self.ctx.clock.now()
            uow.session.flush()
            uow.audit(self._entry("update", note, "draft saved"))
            uow.notify(ChartChanged((note.patient_id,)))
            return DraftSaved(note.version, note.draft_saved_at, changed=True)

    @requires(Permission.EDIT_CHART)
    @audit_refusals
    def discard_draft(self, note_id: str) -> None:
        """The author throws a draft away (kept as a tombstone: it was never signed)."""
        with self.ctx.unit_of_work() as uow:
            note = load_note(uow.session, note_id)
            if note.status is not NoteStatus.DRAFT:
                raise DomainError(
                    "Only a draft can be discarded; mark a signed note entered in error instead."
                )
            if note.author_id != self._actor().user_id:
                raise refuse(note, "Only the note's author can discard the draft.")
            note.deleted_at = self.ctx.clock.now()
            uow.audit(self._entry("delete", note, "draft discarded"))
            uow.notify(ChartChanged((note.patient_id,)))

    # --- reading -----------------------------------------------------------------------

    @requires(Permission.VIEW_CHART)
    def get(self, note_id: str) -> NoteView:
        """The whole note with its addenda; `intact` is False if the stored content no
        longer matches the hash taken at signing."""
        with self.ctx.unit_of_work() as uow:
            note = load_note(uow.session, note_id)
            uow.audit(self._entry("read", note))
            return note_view(uow.session, note)

    @requires(Permission.VIEW_CHART)
    def for_patient(self, patient_id: str, limit: int = 200) -> list[NoteRow]:
        """The patient's notes, newest first, without their text (open one with `get`)."""
        with self.ctx.unit_of_work() as uow:
            chart_patient(uow.session, patient_id)
            notes = uow.session.scalars(
                select(ClinicalNote)
                .options(defer(ClinicalNote.sections))
                .where(ClinicalNote.patient_id == patient_id, ClinicalNote.deleted_at.is_(None))
                .order_by(ClinicalNote.written_at.desc(), ClinicalNote.id.desc())
                .limit(max(1, limit))
            ).all()
            uow.audit(AuditEntry("read", CATEGORY, patient_id=patient_id, detail="list"))
            return note_rows(uow.session, list(notes))

    @requires(Permission.VIEW_CHART)
    def for_encounter(self, encounter_id: str) -> list[NoteView]:
        """The encounter's notes in full, in the order they were started."""
        with self.ctx.unit_of_work() as uow:
            encounter = load_encounter(uow.session, encounter_id)
            notes = uow.session.scalars(
                select(ClinicalNote)
                .where(ClinicalNote.encounter_id == encounter.id, ClinicalNote.deleted_at.is_(None))
                .order_by(ClinicalNote.written_at, ClinicalNote.id)
            ).all()
            uow.audit(
                AuditEntry(
                    "read",
                    CATEGORY,
                    patient_id=encounter.patient_id,
                    entity_id=encounter.id,
                    detail="encounter's notes",
                )
            )
            return note_views(uow.session, list(notes))

    # --- snippets ----------------------------------------------------------------------

    @requires(Permission.VIEW_CHART)
    def expand(self, patient_id: str, text: str) -> str:
        """`text` with every known shortcut (whole words only) replaced from this chart."""
        with self.ctx.unit_of_work() as uow:
            chart_patient(uow.session, patient_id)
            expanded = expand_text(uow.session, patient_id, text)
            used = " ".join(sorted(shortcuts_in(text))) or "none"
            uow.audit(
                AuditEntry("read", "chart", patient_id=patient_id, detail=f"snippets: {used}")
            )
            return expanded

    @requires(Permission.VIEW_CHART)
    def snippet(self, patient_id: str, shortcut: str) -> str:
        """What one shortcut inserts for this patient (".vitals" → the latest vitals)."""
        with self.ctx.unit_of_work() as uow:
            chart_patient(uow.session, patient_id)
            text = snippet_text(uow.session, patient_id, shortcut)
            if text is None:
                raise NotFound(f"“{shortcut.strip()}” is not a snippet.")
            uow.audit(
                AuditEntry(
                    "read",
                    "chart",
                    patient_id=patient_id,
                    detail=f"snippet {shortcut.strip().lower()}",
                )
            )
            return text

    # --- helpers -----------------------------------------------------------------------

    @staticmethod
    def _template(template_id: str | None, kind: NoteKind, session: Session) -> NoteTemplate | None:
        if template_id is None:
            return None
        template = session.get(NoteTemplate, template_id)
        if template is None or template.deleted_at is not None:
            raise NotFound("That note template no longer exists.")
        if not template.active:
            raise DomainError(f"The “{template.name}” template was retired; choose another.")
        if template.kind is not kind:
            raise DomainError(
                f"“{template.name}” is a template for a {KIND_LABELS[template.kind].lower()}."
            )
        return template
