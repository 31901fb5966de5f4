"""The coding assistant: reads a signed visit into `VisitFacts` and suggests its office-visit
(E/M) code with the reasons (the rules are in app.services.coding_rules).

What counts, read from the chart of the visit:
- the signed notes of the encounter (and their addenda): the time they state, the problems
  named in the assessment (a pasted "Active problems:" list counts only when the
  assessment says nothing else), tests named, whether a parent or caregiver gave the
  history, drugs in the plan;
- problems diagnosed in the visit (Problem.encounter_id), medications started or stopped
  that day, documents filed with the visit or reviewed by its provider that day;
- new or established: an office or telehealth visit with the practice in the 3 years before.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from app.models import ClinicalNote, Encounter, MedicationStatus
from app.services import coding_rules as rules
from app.services.audit_chain import AuditEntry
from app.services.coding_rules import EmSuggestion, VisitFacts, suggest_em
from app.services.context import AppContext, requires
from app.services.encounters import load_encounter
from app.services.note_data import NoteSection
from app.services.note_records import practice_zone, section_from_stored
from app.services.permissions import Permission
from app.services.visit_charts import MedicationRow, ProblemRow, VisitCharts

# Note sections filled from the chart by snippets: copies, not what was done in the visit.
CHART_COPY_SECTIONS = frozenset({"meds_allergies", "meds", "allergies", "vitals"})
# Lists a snippet pastes into a section: the heading, then "- " lines.
_PASTED_HEADINGS = ("Active problems:", "Active medications:", "Allergies:")
# Words of a problem's title that say nothing about which problem it is (or that a
# clinician leaves out: "Mild intermittent asthma" is "asthma" in an assessment).
_GENERIC_WORDS = frozenset(
    {
        *("unspecified", "without", "with", "complications", "mellitus", "primary"),
        *("essential", "disorder", "other", "of", "the", "and", "or", "in", "type"),
        *("mild", "moderate", "severe", "intermittent", "persistent", "acute", "chronic"),
        "recurrent",
    }
)


def service_date(session: Session, encounter: Encounter) -> date:
    """The date of service: the day the visit started, in the practice's time zone."""
    return encounter.starts_at.astimezone(ZoneInfo(practice_zone(session))).date()


class CodingAssistant:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    @requires(Permission.POST_CHARGES)
    def suggest(self, encounter_id: str) -> EmSuggestion:
        """The office-visit code the visit's signed notes support, and why."""
        with self.ctx.unit_of_work() as uow:
            encounter = load_encounter(uow.session, encounter_id)
            facts = visit_facts(uow.session, encounter)
            uow.audit(
                AuditEntry(
                    "read",
                    "note",
                    patient_id=encounter.patient_id,
                    entity_id=encounter.id,
                    detail="coding assistant",
                )
            )
            return suggest_em(facts)


def visit_facts(
    session: Session, encounter: Encounter, charts: VisitCharts | None = None
) -> VisitFacts:
    """What the visit's chart says, as the coding rules need it (no audit: the caller's).
    `charts` holds the rows read for many visits at once; without it they are read now."""
    charts = charts or VisitCharts.load(session, [encounter])
    on = encounter.starts_at.astimezone(charts.zone).date()
    notes = charts.notes.get(encounter.id, [])
    sections = [section_from_stored(s) for n in notes for s in n.sections or ()]
    addenda = charts.addenda.get(encounter.id, [])
    clinical = [s for s in sections if s.key not in CHART_COPY_SECTIONS]
    own_words = [without_pasted_lists(_section_text(s)) for s in clinical] + addenda
    whole = "\n".join(own_words)
    assessment = "\n".join(
        _section_text(s) for s in clinical if _is_part(s.key, s.label, "assessment", "note")
    )
    plan = "\n".join(
        [_section_text(s) for s in clinical if _is_part(s.key, s.label, "plan", "note")] + addenda
    )
    chronic, new = _problems_addressed(charts.visit_problems(encounter), encounter, assessment)
    drugs = _prescription_drugs(charts.medications.get(encounter.patient_id, []), on, plan)
    return VisitFacts(
        encounter_type=encounter.type,
        new_patient=is_new_patient(charts, encounter, on),
        age_years=_age(charts.birth_dates[encounter.patient_id], on),
        preventive=_is_preventive(charts, encounter, notes),
        documented_minutes=rules.documented_minutes([*map(_section_text, sections), *addenda]),
        chronic_problems=chronic,
        new_problems=new,
        worsening=bool(chronic and rules.mentions(assessment, rules.WORSENING_WORDS)),
        severe=bool(rules.mentions(assessment, rules.SEVERE_WORDS)),
        tests=tuple(rules.tests_named(whole)),
        documents_reviewed=_documents_reviewed(charts, encounter, on),
        independent_historian=bool(rules.mentions(whole, rules.HISTORIAN_WORDS)),
        prescription_drugs=drugs,
        over_the_counter=bool(rules.mentions(plan, rules.OTC_WORDS)),
        hospital_decision=bool(rules.mentions(f"{assessment}\n{plan}", rules.HOSPITAL_WORDS)),
        immunizations=len(charts.vaccines.get(encounter.id, [])),
    )


def is_new_patient(charts: VisitCharts, encounter: Encounter, on: date) -> bool:
    """No office or telehealth visit with the practice in the 3 years before this one."""
    try:
        cutoff_day = on.replace(year=on.year - rules.ESTABLISHED_WITHIN_YEARS)
    except ValueError:  # 29 February
        cutoff_day = on.replace(year=on.year - rules.ESTABLISHED_WITHIN_YEARS, day=28)
    cutoff = datetime.combine(cutoff_day, time(), charts.zone)
    return not any(
        earlier.id != encounter.id and cutoff <= earlier.starts_at < encounter.starts_at
        for earlier in charts.establishing_visits.get(encounter.patient_id, ())
    )


def without_pasted_lists(text: str) -> str:
    """The text without the lists a snippet pasted ("Active problems:" and its "- " lines)."""
    kept: list[str] = []
    in_list = False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped in _PASTED_HEADINGS:
            in_list = True
            continue
        if in_list and stripped.startswith("- "):
            continue
        in_list = False
        kept.append(line)
    return "\n".join(kept)


def problem_named(description: str, text: str) -> bool:
    """Whether `text` names the problem in its own words: every telling word of the title
    ("Hypothyroidism, unspecified" → "hypothyroidism") is in the text."""
    title = re.sub(r"\(.*?\)", " ", description.split(",")[0]).casefold()
    words = [w for w in re.findall(r"[\w-]+", title) if w not in _GENERIC_WORDS]
    found = set(re.findall(r"[\w-]+", text.casefold()))
    return bool(words) and all(w in found for w in words)


def _problems_addressed(
    rows: list[ProblemRow], encounter: Encounter, assessment: str
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(chronic, new) problems the visit addressed, by description (or code)."""
    said = without_pasted_lists(assessment)
    if not said.strip():
        said = assessment  # the pasted list is the assessment
    codes = set(rules.ICD10_IN_TEXT.findall(said))
    new = [p for p in rows if p.encounter_id == encounter.id]
    chronic = [
        p
        for p in rows
        if p not in new and (p.icd10_code in codes or problem_named(p.description, said))
    ]
    known = {p.icd10_code for p in rows}
    new_names = [p.description for p in new] + sorted(codes - known)
    return tuple(p.description for p in chronic), tuple(new_names)


def _prescription_drugs(rows: list[MedicationRow], on: date, plan: str) -> tuple[str, ...]:
    """Prescription drugs started or stopped on the day, or active ones the plan names
    (drugs sold over the counter, such as ibuprofen, are not prescription management)."""
    names: list[str] = []
    for med in rows:
        changed = on in (med.started_on, med.stopped_on)
        first_word = med.name.split()[0] if med.name.split() else ""
        named = (
            med.status is MedicationStatus.ACTIVE
            and len(first_word) >= 4
            and bool(rules.mentions(plan, [first_word.casefold()]))
        )
        if (changed or named) and first_word.casefold() not in rules.OTC_WORDS:
            names.append(first_word or med.name)
    if not names and rules.mentions(plan, rules.PRESCRIPTION_WORDS):
        names.append("a prescription")
    return tuple(dict.fromkeys(names))


def _documents_reviewed(charts: VisitCharts, encounter: Encounter, on: date) -> int:
    """Documents filed with the visit, or reviewed by its provider on the day."""
    day_start = datetime.combine(on, time(), charts.zone)
    day_end = datetime.combine(on, time.max, charts.zone)
    return sum(
        1
        for doc in charts.documents.get(encounter.patient_id, ())
        if doc.encounter_id == encounter.id
        or (
            encounter.provider_id is not None
            and doc.reviewer_id == encounter.provider_id
            and doc.reviewed_at is not None
            and day_start <= doc.reviewed_at <= day_end
        )
    )


def _is_preventive(charts: VisitCharts, encounter: Encounter, notes: list[ClinicalNote]) -> bool:
    names = [n.title for n in notes]
    names += [
        charts.template_names[n.template_id]
        for n in notes
        if n.template_id in charts.template_names
    ]
    if encounter.appointment_id:
        names.append(charts.appointment_types.get(encounter.appointment_id) or "")
    return any(rules.mentions(name, rules.PREVENTIVE_WORDS) for name in names)


def _section_text(section: NoteSection) -> str:
    """What a section says: its text and the options picked in it."""
    return "\n".join([section.text, *section.selected]) if section.selected else section.text


def _is_part(key: str, label: str, *names: str) -> bool:
    return key in names or any(label.casefold().startswith(n) for n in names)


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
