"""What a signed visit proposes to bill: its office-visit line (the coding assistant's code,
with the reasons) and one line per vaccine given here in it (90471 for the first, 90472 for
each further one; the vaccine products themselves are added by hand until fee schedules map
CVX codes). Diagnoses are the problems diagnosed in the visit, or else the first four of
the active problem list; a line whose fee item names a usual diagnosis (Z00.00 for a
checkup, Z23 for a vaccine) points to that one. Prices come from the patient's primary
payer's fee schedule, else the default (self-pay) one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from app.models import (
    Charge,
    ChargeStatus,
    Encounter,
    EncounterType,
    FeeSchedule,
    FeeScheduleItem,
    NoteStatus,
    ProblemStatus,
)
from app.services import billing_data as rules
from app.services.audit_chain import AuditEntry
from app.services.bus import ChargesChanged
from app.services.coding_assistant import visit_facts
from app.services.coding_rules import Basis, suggest_em
from app.services.context import UnitOfWork
from app.services.fee_schedules import find_item, pricing_schedules
from app.services.note_records import section_from_stored
from app.services.visit_charts import VisitCharts

CATEGORY = "billing"
FIRST_VACCINE_ADMIN = "90471"  # the first vaccine given by injection in a visit
MORE_VACCINE_ADMIN = "90472"  # each further one
IMMUNIZATION_DIAGNOSIS = "Z23"  # ICD-10-CM: encounter for immunization
SEPARATE_VISIT_MODIFIER = "25"  # a significant, separate visit on the day of a procedure
# Telehealth modifiers (CPT Appendix P / CMS): audio and video, or audio only.
VIDEO_MODIFIER, AUDIO_ONLY_MODIFIER = "95", "93"
OFFICE, TELEHEALTH_HOME, TELEHEALTH_ELSEWHERE = "11", "10", "02"


@dataclass
class _Line:
    code: str
    reason: str
    units: int = 1
    modifiers: list[str] = field(default_factory=list)
    usual_diagnosis: str | None = None  # the line points here, if it has no better
    points_to_problems: bool = False


def propose_charges(uow: UnitOfWork, encounter: Encounter) -> list[Charge]:
    """Add the proposed charges of a signed visit (none if it has nothing to bill); the
    caller has checked that it is signed and not captured yet."""
    return ChargeProposer(uow, [encounter]).propose(encounter)


class ChargeProposer:
    """Proposes the charges of signed visits, their charts read for all of them at once
    (a backlog of thousands of visits costs a few queries, not a few per visit)."""

    def __init__(self, uow: UnitOfWork, encounters: Sequence[Encounter]) -> None:
        self.uow = uow
        self.charts = VisitCharts.load(uow.session, encounters)
        self._items: dict[tuple[tuple[str, ...], str], FeeScheduleItem | None] = {}

    def propose(self, encounter: Encounter) -> list[Charge]:
        """`propose_charges` for one of the visits the proposer was made with."""
        return _propose(self, encounter)

    def find_item(self, schedules: list[FeeSchedule], code: str) -> FeeScheduleItem | None:
        """The fee item for `code` (the same few codes come back visit after visit)."""
        key = (tuple(s.id for s in schedules), code)
        if key not in self._items:
            self._items[key] = find_item(self.uow.session, schedules, code)
        return self._items[key]


def _propose(proposer: ChargeProposer, encounter: Encounter) -> list[Charge]:
    uow, charts = proposer.uow, proposer.charts
    session = uow.session
    on = encounter.starts_at.astimezone(charts.zone).date()
    schedules = pricing_schedules(session, encounter.patient_id, on)  # refuses if none
    suggestion = suggest_em(visit_facts(session, encounter, charts))
    shots = charts.vaccines.get(encounter.id, [])
    place, telehealth_modifiers = _place_of_service(charts, encounter)
    lines: list[_Line] = []
    if suggestion.code is not None:
        visit = _Line(suggestion.code, suggestion.why, modifiers=list(telehealth_modifiers))
        visit.points_to_problems = suggestion.basis is not Basis.PREVENTIVE
        if place != OFFICE:
            label = rules.PLACE_OF_SERVICE_LABELS[place].lower()
            visit.reason += f"; place of service {place} ({label})"
        if shots and suggestion.basis in (Basis.TIME, Basis.MDM):
            visit.modifiers.insert(0, SEPARATE_VISIT_MODIFIER)
            visit.reason += "; modifier 25: a separate visit on the day vaccines were given"
        lines.append(visit)
    for index, (vaccine, cvx) in enumerate(shots):
        code = FIRST_VACCINE_ADMIN if index == 0 else MORE_VACCINE_ADMIN
        which = "first" if index == 0 else "another"
        reason = f"Vaccine given here: {vaccine} (CVX {cvx}) → {code} ({which} vaccine)"
        lines.append(_Line(code, reason, usual_diagnosis=IMMUNIZATION_DIAGNOSIS))
    if not lines:
        encounter.nothing_to_bill = True  # out of the biller's queue: it was looked at
        return []
    items = [proposer.find_item(schedules, line.code) for line in lines]
    for line, item in zip(lines, items, strict=True):
        if item is not None and item.default_icd10:
            line.usual_diagnosis = item.default_icd10
    problems = _visit_problems(charts, encounter)
    diagnoses = _diagnosis_list(lines, problems)
    charges: list[Charge] = []
    for line, item in zip(lines, items, strict=True):
        system, code = rules.procedure_code(line.code)
        charge = Charge(
            patient_id=encounter.patient_id,
            encounter_id=encounter.id,
            code_system=system,
            procedure_code=code,
            modifiers=line.modifiers[: rules.MAX_MODIFIERS],
            units=line.units,
            diagnosis_codes=list(diagnoses),
            diagnosis_pointers=_pointers(line, problems, diagnoses),
            place_of_service=place,
            rendering_provider_id=encounter.provider_id,
            service_on=on,
            status=ChargeStatus.PROPOSED,
        )
        reason = line.reason
        if item is None:
            names = " or ".join(s.name for s in schedules)
            reason += f"; no price for {code} in the {names} fee schedule: add it, then confirm"
            set_price(charge, None, f"{code} (not in the fee schedule)", 0)
        else:
            set_price(charge, item.id, item.description, item.price_cents)
        charge.suggestion_reason = reason[:500]
        session.add(charge)
        charges.append(charge)
    session.flush()
    for charge in charges:
        uow.audit(
            billing_entry(
                "create", charge.patient_id, charge.id, f"proposed {charge_summary(charge)}"
            )
        )
    uow.notify(ChargesChanged((encounter.patient_id,)))
    return charges


def set_price(charge: Charge, item_id: str | None, description: str, unit_cents: int) -> None:
    charge.fee_schedule_item_id = item_id
    charge.description = description[: rules.MAX_DESCRIPTION]
    charge.unit_price_cents = unit_cents
    charge.amount_cents = unit_cents * charge.units


def _visit_problems(charts: VisitCharts, encounter: Encounter) -> list[str]:
    """The problems diagnosed in the visit, or else the first four active ones (codes)."""
    rows = charts.visit_problems(encounter)
    codes = [p.icd10_code for p in rows if p.encounter_id == encounter.id]
    if not codes:
        active = [p.icd10_code for p in rows if p.status is ProblemStatus.ACTIVE]
        codes = active[: rules.MAX_POINTERS]
    return list(dict.fromkeys(codes))


def _diagnosis_list(lines: list[_Line], problems: list[str]) -> list[str]:
    """The claim's diagnoses: the problems first when the visit treated them, else the
    lines' usual ones first (a checkup's Z00.00, a vaccine visit's Z23)."""
    usual = [x.usual_diagnosis for x in lines if x.usual_diagnosis and not x.points_to_problems]
    problem_visit = any(x.points_to_problems for x in lines)
    ordered = [*problems, *usual] if problem_visit else [*usual, *problems]
    return list(dict.fromkeys(d for d in ordered if d))[: rules.MAX_DIAGNOSES]


def _pointers(line: _Line, problems: list[str], diagnoses: list[str]) -> list[int]:
    wanted = problems[: rules.MAX_POINTERS] if line.points_to_problems else []
    if not wanted and line.usual_diagnosis:
        wanted = [line.usual_diagnosis]
    if not wanted:  # a checkup whose fee item names no usual diagnosis
        wanted = problems[: rules.MAX_POINTERS]
    return [diagnoses.index(code) + 1 for code in wanted if code in diagnoses]


def _place_of_service(charts: VisitCharts, encounter: Encounter) -> tuple[str, tuple[str, ...]]:
    """POS 11 in the office; a telehealth visit is 10 at home or 02 elsewhere (from the note's
    "Patient's location" answer; home when not said), with modifier 95 for video or 93 for
    audio only."""
    if encounter.type is not EncounterType.TELEHEALTH:
        return OFFICE, ()
    location, modality = "", ""
    signed = [n for n in charts.notes.get(encounter.id, ()) if n.status is NoteStatus.SIGNED]
    for note in signed:
        for section in map(section_from_stored, note.sections or ()):
            if section.key == "location" and section.text.strip():
                location = section.text
            if section.key == "modality" and section.selected:
                modality = section.selected[0]
    place = (
        TELEHEALTH_ELSEWHERE if location and "home" not in location.casefold() else TELEHEALTH_HOME
    )
    modifier = {"video": VIDEO_MODIFIER, "audio only": AUDIO_ONLY_MODIFIER}.get(modality.casefold())
    return place, (modifier,) if modifier else ()


def billing_entry(action: str, patient_id: str, entity_id: str, detail: str) -> AuditEntry:
    return AuditEntry(action, CATEGORY, patient_id=patient_id, entity_id=entity_id, detail=detail)


def charge_summary(charge: Charge) -> str:
    modifiers = "-".join(charge.modifiers or ())
    code = f"{charge.procedure_code}-{modifiers}" if modifiers else charge.procedure_code
    return f"{code} ×{charge.units} {charge.amount_cents}c on {charge.service_on}"
