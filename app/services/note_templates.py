"""The practice's note templates and text snippets: what a new note starts with."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import EncounterType, NoteKind, NoteSnippet, NoteTemplate
from app.services.audit_chain import AuditEntry
from app.services.chart_common import check_version
from app.services.context import AppContext, requires
from app.services.errors import DomainError, NotFound
from app.services.note_data import (
    SectionKind,
    SnippetView,
    TemplateInput,
    TemplateSection,
    TemplateView,
)
from app.services.note_snippets import BUILTIN_SNIPPETS, SHORTCUT
from app.services.note_template_defaults import DEFAULT_TEMPLATES
from app.services.permissions import Permission

MAX_NAME = 100
MAX_SECTIONS = 40
MAX_LABEL = 100
MAX_OPTIONS = 60
MAX_DEFAULT_TEXT = 10_000
MAX_SNIPPET_TEXT = 5_000
_KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")


def _tidy(text: str) -> str:
    return " ".join(text.split())


def checked_section(section: TemplateSection) -> TemplateSection:
    label = _tidy(section.label)
    if not label:
        raise DomainError("Give every section a label.")
    if len(label) > MAX_LABEL:
        raise DomainError(f"Keep the section label “{label[:30]}…” under {MAX_LABEL} characters.")
    key = section.key.strip().lower()
    if not _KEY.fullmatch(key):
        raise DomainError(
            f"The key of section “{label}” must start with a letter and use only lower-case "
            "letters, digits or _ (like “hpi”)."
        )
    try:
        kind = SectionKind(section.kind)
    except ValueError:
        raise DomainError(
            f"Section “{label}” must be text, a single choice or a multiple choice."
        ) from None
    options: tuple[str, ...] = ()
    if kind is not SectionKind.TEXT:
        options = tuple(o for o in (_tidy(o) for o in section.options) if o)
        needed = 2 if kind is SectionKind.CHOICE else 1
        if len(options) < needed:
            raise DomainError(
                f"Section “{label}” is a pick list: give it at least {needed} option"
                f"{'s' if needed > 1 else ''}."
            )
        if len({o.casefold() for o in options}) != len(options):
            raise DomainError(f"Section “{label}” lists an option twice.")
        if len(options) > MAX_OPTIONS or any(len(o) > MAX_LABEL for o in options):
            raise DomainError(
                f"Section “{label}” may have up to {MAX_OPTIONS} options of up to "
                f"{MAX_LABEL} characters."
            )
    if len(section.text) > MAX_DEFAULT_TEXT:
        raise DomainError(
            f"Keep the default text of “{label}” under {MAX_DEFAULT_TEXT} characters."
        )
    return TemplateSection(key, label, kind, options, section.text.strip())


def checked_template(data: TemplateInput) -> TemplateInput:
    """The template tidied, or a DomainError saying what to fix."""
    name = _tidy(data.name)
    if not name:
        raise DomainError("Give the template a name.")
    if len(name) > MAX_NAME:
        raise DomainError(f"Keep the template's name under {MAX_NAME} characters.")
    if not data.sections:
        raise DomainError("A template needs at least one section.")
    if len(data.sections) > MAX_SECTIONS:
        raise DomainError(f"A template may have up to {MAX_SECTIONS} sections.")
    sections = tuple(checked_section(s) for s in data.sections)
    seen: set[str] = set()
    for section in sections:
        if section.key in seen:
            raise DomainError(f"Two sections use the key “{section.key}”; each needs its own.")
        seen.add(section.key)
    return replace(
        data,
        name=name,
        kind=NoteKind(data.kind),
        encounter_type=EncounterType(data.encounter_type) if data.encounter_type else None,
        sections=sections,
    )


def stored_sections(sections: tuple[TemplateSection, ...]) -> list[dict[str, Any]]:
    return [
        {
            "key": s.key,
            "label": s.label,
            "kind": str(s.kind),
            "options": list(s.options),
            "text": s.text,
        }
        for s in sections
    ]


def template_sections(row: NoteTemplate) -> tuple[TemplateSection, ...]:
    return tuple(
        TemplateSection(
            str(s["key"]),
            str(s["label"]),
            SectionKind(s.get("kind", SectionKind.TEXT)),
            tuple(s.get("options") or ()),
            str(s.get("text") or ""),
        )
        for s in row.sections or ()
    )


def template_view(row: NoteTemplate) -> TemplateView:
    return TemplateView(
        row.id,
        row.version,
        row.name,
        row.kind,
        row.encounter_type,
        template_sections(row),
        row.active,
    )


def seed_default_templates(session: Session) -> None:
    """A new practice's templates (inside practice creation's transaction)."""
    for template in DEFAULT_TEMPLATES:
        clean = checked_template(template)
        session.add(
            NoteTemplate(
                name=clean.name,
                kind=clean.kind,
                encounter_type=clean.encounter_type,
                sections=stored_sections(clean.sections),
            )
        )


class NoteTemplateService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    # --- templates ----------------------------------------------------------------------

    @requires(Permission.VIEW_CHART)
    def templates(
        self,
        kind: NoteKind | None = None,
        encounter_type: EncounterType | None = None,
        *,
        include_retired: bool = False,
    ) -> list[TemplateView]:
        """Templates for a kind of note and visit: those made for the visit's type first,
        then the ones for any visit. Not audited: the practice's forms, not a patient's data."""
        with self.ctx.unit_of_work() as uow:
            query = select(NoteTemplate).where(NoteTemplate.deleted_at.is_(None))
            if not include_retired:
                query = query.where(NoteTemplate.active.is_(True))
            if kind is not None:
                query = query.where(NoteTemplate.kind == kind)
            if encounter_type is not None:
                query = query.where(
                    (NoteTemplate.encounter_type == encounter_type)
                    | NoteTemplate.encounter_type.is_(None)
                )
            rows = uow.session.scalars(query).all()
            views = [template_view(row) for row in rows]
        return sorted(
            views,
            key=lambda v: (v.encounter_type is None, not v.active, v.name.casefold()),
        )

    @requires(Permission.SIGN_NOTES)
    def save_template(
        self,
        data: TemplateInput,
        template_id: str | None = None,
        expected_version: int | None = None,
    ) -> TemplateView:
        """Add a template, or change one (notes already started keep their sections)."""
        clean = checked_template(data)
        with self.ctx.unit_of_work() as uow:
            clash = uow.session.scalar(
                select(NoteTemplate.id).where(
                    func.lower(NoteTemplate.name) == clean.name.lower(),
                    NoteTemplate.active.is_(True),
                    NoteTemplate.deleted_at.is_(None),
                    NoteTemplate.id != (template_id or ""),
                )
            )
            if clash:
                raise DomainError(f"A template named “{clean.name}” already exists.")
            if template_id is None:
                row = NoteTemplate(active=True)
                uow.session.add(row)
            else:
                row = self._template(uow.session, template_id)
                check_version(row, expected_version, "template")
            row.name = clean.name
            row.kind = clean.kind
            row.encounter_type = clean.encounter_type
            row.sections = stored_sections(clean.sections)
            uow.session.flush()
            action = "create" if template_id is None else "update"
            uow.audit(AuditEntry(action, "note_template", entity_id=row.id, detail=row.name))
            return template_view(row)

    @requires(Permission.SIGN_NOTES)
    def retire_template(self, template_id: str) -> TemplateView:
        """No longer offered for new notes; notes written with it are unchanged."""
        with self.ctx.unit_of_work() as uow:
            row = self._template(uow.session, template_id)
            if not row.active:
                raise DomainError("This template is already retired.")
            row.active = False
            uow.session.flush()
            uow.audit(AuditEntry("update", "note_template", entity_id=row.id, detail="retired"))
            return template_view(row)

    # --- snippets ------------------------------------------------------------------------

    @requires(Permission.VIEW_CHART)
    def snippets(self) -> list[SnippetView]:
        """Built-in chart snippets, then the practice's own (not audited: no patient data)."""
        builtin = [SnippetView(k, s.description, True) for k, s in BUILTIN_SNIPPETS.items()]
        with self.ctx.unit_of_work() as uow:
            rows = uow.session.scalars(
                select(NoteSnippet)
                .where(NoteSnippet.active.is_(True), NoteSnippet.deleted_at.is_(None))
                .order_by(NoteSnippet.shortcut)
            )
            return builtin + [SnippetView(r.shortcut, r.text, False, r.id, r.version) for r in rows]

    @requires(Permission.SIGN_NOTES)
    def save_snippet(
        self,
        shortcut: str,
        text: str,
        snippet_id: str | None = None,
        expected_version: int | None = None,
    ) -> SnippetView:
        key = shortcut.strip().lower()
        if not SHORTCUT.fullmatch(key):
            raise DomainError(
                "A shortcut is a dot followed by 2 to 20 letters or digits, like “.sob”."
            )
        if key in BUILTIN_SNIPPETS:
            raise DomainError(
                f"“{key}” is built in ({BUILTIN_SNIPPETS[key].description.lower()}); "
                "choose another shortcut."
            )
        body = text.strip()
        if not body:
            raise DomainError("Write the text the shortcut should insert.")
        if len(body) > MAX_SNIPPET_TEXT:
            raise DomainError(f"Keep a snippet under {MAX_SNIPPET_TEXT} characters.")
        with self.ctx.unit_of_work() as uow:
            clash = uow.session.scalar(
                select(NoteSnippet.id).where(
                    NoteSnippet.shortcut == key,
                    NoteSnippet.active.is_(True),
                    NoteSnippet.deleted_at.is_(None),
                    NoteSnippet.id != (snippet_id or ""),
                )
            )
            if clash:
                raise DomainError(f"The practice already has a “{key}” snippet; change that one.")
            if snippet_id is None:
                row = NoteSnippet(active=True)
                uow.session.add(row)
            else:
                row = self._snippet(uow.session, snippet_id)
                check_version(row, expected_version, "snippet")
            row.shortcut = key
            row.text = body
            uow.session.flush()
            action = "create" if snippet_id is None else "update"
            uow.audit(AuditEntry(action, "note_snippet", entity_id=row.id, detail=key))
            return SnippetView(row.shortcut, row.text, False, row.id, row.version)

    @requires(Permission.SIGN_NOTES)
    def retire_snippet(self, snippet_id: str) -> None:
        with self.ctx.unit_of_work() as uow:
            row = self._snippet(uow.session, snippet_id)
            if not row.active:
                raise DomainError("This snippet is already retired.")
            row.active = False
            uow.audit(AuditEntry("update", "note_snippet", entity_id=row.id, detail="retired"))

    # --- helpers ---------------------------------------------------------------------------

    @staticmethod
    def _template(session: Session, template_id: str) -> NoteTemplate:
        row = session.get(NoteTemplate, template_id)
        if row is None or row.deleted_at is not None:
            raise NotFound("That note template no longer exists.")
        return row

    @staticmethod
    def _snippet(session: Session, snippet_id: str) -> NoteSnippet:
        row = session.get(NoteSnippet, snippet_id)
        if row is None or row.deleted_at is not None:
            raise NotFound("That snippet no longer exists.")
        return row
