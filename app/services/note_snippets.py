"""Text shortcuts in notes: built-in chart snippets (".vitals", ".problems", ".meds",
".allergies") read the chart when used; the practice's own (".sob") insert fixed text.

These are helpers inside the caller's unit of work: the caller checks permission and audits.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import (
    Allergy,
    AllergyStatus,
    AllergyType,
    Medication,
    MedicationStatus,
    NoteSnippet,
    Problem,
    ProblemStatus,
    Severity,
)
from app.services.vitals_text import latest_vitals_text

# A shortcut is a dot and 2 to 20 letters or digits. In text it must stand as a word of its
# own: ".vitals" expands, "x.vitals" and "0.25" do not.
SHORTCUT = re.compile(r"\.[a-z0-9]{2,20}")
_IN_TEXT = re.compile(r"(?<![\w.])\.[A-Za-z0-9]{2,20}(?!\w)")

NO_ACTIVE_PROBLEMS = "No active problems."
NO_ACTIVE_MEDICATIONS = "No active medications."
NO_KNOWN_ALLERGIES = "No known allergies"
ALLERGIES_NOT_RECORDED = "Allergies not recorded"


@dataclass(frozen=True)
class ChartSnippet:
    description: str  # what it inserts, for the snippet list
    read: Callable[[Session, str], str]


def problems_text(session: Session, patient_id: str) -> str:
    rows = session.scalars(
        select(Problem)
        .where(
            Problem.patient_id == patient_id,
            Problem.status == ProblemStatus.ACTIVE,
            Problem.error_at.is_(None),
            Problem.deleted_at.is_(None),
        )
        .order_by(Problem.created_at)
    ).all()
    if not rows:
        return NO_ACTIVE_PROBLEMS
    return "Active problems:\n" + "\n".join(f"- {p.description} ({p.icd10_code})" for p in rows)


def medications_text(session: Session, patient_id: str) -> str:
    rows = session.scalars(
        select(Medication)
        .where(
            Medication.patient_id == patient_id,
            Medication.status == MedicationStatus.ACTIVE,
            Medication.error_at.is_(None),
            Medication.deleted_at.is_(None),
        )
        .order_by(Medication.name)
    ).all()
    if not rows:
        return NO_ACTIVE_MEDICATIONS
    return "Active medications:\n" + "\n".join(
        f"- {m.name}: {m.sig}" if m.sig else f"- {m.name}" for m in rows
    )


_SEVERITY_ORDER = {Severity.SEVERE: 0, Severity.MODERATE: 1, Severity.MILD: 2, None: 3}


def allergies_text(session: Session, patient_id: str) -> str:
    rows = session.scalars(
        select(Allergy).where(
            Allergy.patient_id == patient_id,
            Allergy.status == AllergyStatus.ACTIVE,
            Allergy.error_at.is_(None),
            Allergy.deleted_at.is_(None),
        )
    ).all()
    allergies = sorted(
        (a for a in rows if not a.no_known),
        key=lambda a: (_SEVERITY_ORDER[a.severity], a.substance.casefold()),
    )
    if allergies:
        return "Allergies:\n" + "\n".join(_allergy_line(a) for a in allergies)
    # An explicit "no known allergies" differs from never having asked.
    return NO_KNOWN_ALLERGIES if rows else ALLERGIES_NOT_RECORDED


def _allergy_line(allergy: Allergy) -> str:
    details = [d for d in (allergy.reaction, allergy.severity and str(allergy.severity)) if d]
    name = allergy.substance
    if allergy.type is AllergyType.INTOLERANCE:
        name += " (intolerance)"
    return f"- {name}: {', '.join(details)}" if details else f"- {name}"


BUILTIN_SNIPPETS: dict[str, ChartSnippet] = {
    ".vitals": ChartSnippet("The latest vitals", latest_vitals_text),
    ".problems": ChartSnippet("Active problems with their ICD-10-CM codes", problems_text),
    ".meds": ChartSnippet("Active medications with how to take them", medications_text),
    ".allergies": ChartSnippet(
        "Active allergies with reaction and severity (or no known allergies)", allergies_text
    ),
}


def practice_snippets(session: Session, shortcuts: Iterable[str] | None = None) -> dict[str, str]:
    """The practice's active snippets (only `shortcuts`, when given): shortcut → text."""
    query = select(NoteSnippet.shortcut, NoteSnippet.text).where(
        NoteSnippet.active.is_(True), NoteSnippet.deleted_at.is_(None)
    )
    if shortcuts is not None:
        query = query.where(NoteSnippet.shortcut.in_(list(shortcuts)))
    return {shortcut: text for shortcut, text in session.execute(query).all()}


def shortcuts_in(text: str) -> set[str]:
    return {found.lower() for found in _IN_TEXT.findall(text)}


def snippet_text(session: Session, patient_id: str, shortcut: str) -> str | None:
    """What one shortcut inserts for this patient, or None if there is no such shortcut."""
    key = shortcut.strip().lower()
    builtin = BUILTIN_SNIPPETS.get(key)
    if builtin is not None:
        return builtin.read(session, patient_id)
    return practice_snippets(session, [key]).get(key)


def expand_text(session: Session, patient_id: str, text: str) -> str:
    """`text` with every known shortcut replaced (unknown ones are left as typed). One pass:
    a snippet's own text is not expanded again, so snippets cannot loop."""
    wanted = shortcuts_in(text)
    if not wanted:
        return text
    replacements = practice_snippets(session, wanted - BUILTIN_SNIPPETS.keys())
    for key in wanted & BUILTIN_SNIPPETS.keys():
        replacements[key] = BUILTIN_SNIPPETS[key].read(session, patient_id)
    return _IN_TEXT.sub(lambda m: replacements.get(m.group(0).lower(), m.group(0)), text)
