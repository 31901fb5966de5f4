"""A demo note's sections in the form the note services store them, and the text the
built-in snippets (".meds", ".allergies", ".problems") insert, made from the chart rows
still in memory (app.services.note_snippets reads the same from the database)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from app.models import Allergy, AllergyStatus, AllergyType, Medication, Problem, Severity
from app.services.demo_chart_types import TemplateForm
from app.services.note_data import SectionKind
from app.services.note_records import section_from_stored, section_to_stored
from app.services.note_snippets import (
    ALLERGIES_NOT_RECORDED,
    NO_ACTIVE_MEDICATIONS,
    NO_ACTIVE_PROBLEMS,
    NO_KNOWN_ALLERGIES,
)

Filled = dict[str, tuple[str, tuple[str, ...]]]  # section key → (text, picked options)
_SEVERITY_ORDER = {Severity.SEVERE: 0, Severity.MODERATE: 1, Severity.MILD: 2, None: 3}


def sections(form: TemplateForm, filled: Filled) -> list[dict[str, Any]]:
    """The template's sections in order with this note's text and picks (only options the
    template offers; one for a single choice; a section not filled is left empty)."""
    stored = []
    for raw in form.sections:
        section = section_from_stored(dict(raw))
        text, picks = filled.get(section.key, ("", ()))
        chosen = tuple(option for option in section.options if option in picks)
        if section.kind is SectionKind.TEXT:
            chosen = ()
        elif section.kind is SectionKind.CHOICE:
            chosen = chosen[:1]
        stored.append(section_to_stored(replace(section, text=text, selected=chosen)))
    return stored


def medications_text(medications: Iterable[Medication]) -> str:
    rows = sorted(medications, key=lambda m: m.name)
    if not rows:
        return NO_ACTIVE_MEDICATIONS
    return "Active medications:\n" + "\n".join(
        f"- {m.name}: {m.sig}" if m.sig else f"- {m.name}" for m in rows
    )


def problems_text(problems: Iterable[Problem]) -> str:
    rows = list(problems)  # in the order they were recorded
    if not rows:
        return NO_ACTIVE_PROBLEMS
    return "Active problems:\n" + "\n".join(f"- {p.description} ({p.icd10_code})" for p in rows)


def allergies_text(allergies: Iterable[Allergy]) -> str:
    rows = [a for a in allergies if a.status is AllergyStatus.ACTIVE and a.error_at is None]
    listed = sorted(
        (a for a in rows if not a.no_known),
        key=lambda a: (_SEVERITY_ORDER[a.severity], a.substance.casefold()),
    )
    if listed:
        return "Allergies:\n" + "\n".join(_allergy_line(a) for a in listed)
    return NO_KNOWN_ALLERGIES if rows else ALLERGIES_NOT_RECORDED


def _allergy_line(allergy: Allergy) -> str:
    details = [d for d in (allergy.reaction, allergy.severity and str(allergy.severity)) if d]
    name = allergy.substance
    if allergy.type is AllergyType.INTOLERANCE:
        name += " (intolerance)"
    return f"- {name}: {', '.join(details)}" if details else f"- {name}"
