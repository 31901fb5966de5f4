"""One demo visit in the chart: its encounter, the vitals the nurse took when rooming, the
doses given, the problem and medicine a sick visit adds, and the note, signed (or not) as
its NotePlan says, with the content hash NoteService.sign would have stored."""

from __future__ import annotations

import random
import re
from datetime import date, datetime, timedelta

from app.models import (
    ClinicalNote,
    Encounter,
    EncounterStatus,
    EncounterType,
    NoteAddendum,
    NoteKind,
    NoteStatus,
)
from app.models.base import new_id
from app.services.demo_chart_facts import REVIEWABLE, implied_conditions
from app.services.demo_chart_notes import (
    EDUCATION_VACCINE,
    NoteParts,
    adult_physical_parts,
    follow_up_parts,
    injection_parts,
    new_patient_parts,
    nursing_vaccine_parts,
    vaccines_given_text,
    well_child_parts,
)
from app.services.demo_chart_patient import ChartState
from app.services.demo_chart_sections import (
    allergies_text,
    medications_text,
    problems_text,
    sections,
)
from app.services.demo_chart_sick import ACTIVITIES, TRIGGERS, Finding, acute_drug, pick_finding
from app.services.demo_chart_types import DemoVisit, NotePlan
from app.services.demo_chart_vaccines import PHYSICALS, vaccinate
from app.services.demo_chart_vitals import (
    Measuring,
    blood_pressure,
    centile,
    measure,
    vitals_line,
    vitals_set_rows,
)
from app.services.note_records import addendum_hash, content_hash
from app.services.note_signing import closes_encounter
from app.services.vitals_catalog import VitalField, format_with_unit

NEW_PATIENT = frozenset({"Establish care", "Transferring care"})
CONTACTS = (
    "Classmates have been sick.",
    "A sibling had the same.",
    "No sick contacts.",
    "Coworkers have been sick.",
)
SPORTS = ("soccer", "basketball", "cross-country", "volleyball", "baseball", "swimming")
_COURSE = re.compile(r"for (\d+) (days|weeks)")
_ROS = {"depression": ("Low mood",), "anxiety": ("Anxiety",), "back_pain": ("Back pain",),
        "migraine": ("Headache",), "gerd": ("Abdominal pain",)}  # fmt: skip
ADDENDA = (
    "Lab results back and reviewed; called the patient. No change to the plan.",
    "Patient called on day 3: feeling better, taking the medicine as prescribed.",
    "Culture result reviewed: sensitive to the current treatment; continue as planned.",
    "Outside records received and reviewed; history above confirmed.",
)
REPLACED_REASON = "Signed before the plan was written; replaced by the complete note."


def write_visit(state: ChartState, visit: DemoVisit) -> None:
    setting, rng = state.setting, state.rng
    day = state.local(visit.arrived_at).date()
    age = state.age_on(day)
    encounter = Encounter(
        id=new_id(),
        patient_id=state.patient.id,
        provider_id=visit.provider_id,
        location_id=visit.location_id,
        appointment_id=visit.appointment_id,
        type=EncounterType.NURSING_VISIT if visit.nurse_visit else EncounterType.OFFICE_VISIT,
        reason=visit.reason,
        starts_at=visit.arrived_at,
        status=EncounterStatus.OPEN,
        created_at=visit.roomed_at,
        updated_at=visit.roomed_at,
    )
    state.rows.append(encounter)
    reason = visit.reason or visit.type_name
    finding = None if visit.nurse_visit else pick_finding(reason, age, state.patient.female, rng)
    well = reason in PHYSICALS
    pressure = "pressure" in reason.lower()
    how = Measuring(not visit.nurse_visit, well, pain=0 if well else None, blood_pressure=pressure)
    if finding is not None:
        pain = rng.randint(*finding.pain) if finding.pain else 0
        how = Measuring(True, fever=finding.fever, pain=pain, low_oxygen=finding.low_oxygen)
    elif "Back pain" in reason:
        how = Measuring(True, pain=rng.randint(2, 6))
    taken_at = visit.roomed_at + timedelta(minutes=3)
    values = measure(state.plan, age, taken_at, how, rng)
    note_text = None
    if age >= 18 and values.get(VitalField.SYSTOLIC, 0) >= 140 and rng.random() < 0.5:
        note_text = "Repeated after 5 minutes seated; second reading recorded."
    vitals, observations = vitals_set_rows(
        state.patient.id, encounter.id, taken_at, setting.nurse_id, values, age, state.plan,
        note_text,
    )  # fmt: skip
    state.rows.append(vitals)
    state.rows.extend(observations)
    vitals_text = vitals_line(values, setting.units, age, state.local(taken_at).date())
    given, not_given = vaccinate(state, visit, encounter.id, age, day, finding)
    if visit.nurse_visit:
        _nursing_note(state, visit, encounter, vitals_text, given, not_given)
        return
    parts = _doctor_parts(state, visit, encounter.id, age, day, finding, values, given)
    _doctor_note(state, visit, encounter, parts, vitals_text)


# --- what the doctor found -------------------------------------------------------------------


def _doctor_parts(
    state: ChartState,
    visit: DemoVisit,
    encounter_id: str,
    age: float,
    day: date,
    finding: Finding | None,
    values: dict[VitalField, float],
    given: list[str],
) -> NoteParts:
    rng, units = state.rng, state.setting.units
    reason = visit.reason or visit.type_name
    if finding is not None:
        return _sick_parts(state, visit, encounter_id, age, day, finding, values)
    if reason in PHYSICALS:
        vaccines = vaccines_given_text(given)
        if age < 18:
            plan = state.plan
            growth = f"weight {_ordinal(centile(plan.weight_sds))}"
            if VitalField.HEIGHT in values:
                growth += f", {'length' if age < 2 else 'height'} "
                growth += f"{_ordinal(centile(plan.height_sds))}"
            if VitalField.HEAD_CIRCUMFERENCE in values:
                growth += f", head circumference {_ordinal(centile(plan.ofc_sds))}"
            sport = rng.choice(SPORTS) if reason == "Sports physical" else None
            return well_child_parts(age * 12, growth + " centile", vaccines, sport)
        smoker = state.smoking.value.startswith("current") or state.smoking.value == "former"
        return adult_physical_parts(age, state.patient.female, smoker, vaccines, rng)
    if reason in NEW_PATIENT:
        known = [p.description for p in state.problems[:3]]
        history = "; ".join(known) if known else "no long-term conditions"
        return new_patient_parts(reason, history, rng)
    keys = [k for k in implied_conditions(reason, age) if k in state.conditions]
    if reason in ("Medication review", "Lab results"):
        keys = [k for k in state.conditions if k in REVIEWABLE] or keys
    if not keys:
        return NoteParts(
            hpi=f"{reason}. Doing well since the last visit; no new concerns.",
            exam="Heart regular. Lungs clear. Abdomen soft.",
            assessment="Doing well; nothing new found.",
            plan="Continue current care. Routine visit as due.",
            follow_up="6 months",
        )
    key = rng.choice(keys)
    problem = state.conditions[key]
    active = {m.name for m in state.active_medications(day, visit.seen_at)}
    taking = [name for name in state.treats.get(key, ()) if name in active]
    taking = taking or ["lifestyle measures"]
    at_goal = rng.random() < 0.7
    if VitalField.SYSTOLIC in values and key in ("hypertension", "elevated_bp"):
        at_goal = values[VitalField.SYSTOLIC] < 130 and values[VitalField.DIASTOLIC] < 80
    context = {"meds": " and ".join(taking[:2]), "bp": blood_pressure(values, units)
               if VitalField.SYSTOLIC in values else "not taken"}  # fmt: skip
    if VitalField.WEIGHT in values:
        context["weight"] = format_with_unit(VitalField.WEIGHT, values[VitalField.WEIGHT], units)
        context["bmi"] = f"{values.get(VitalField.BMI, state.plan.bmi):.1f}"
    parts = follow_up_parts(key, problem.description, at_goal, context, rng)
    prefix = {
        "Medication review": "Medication review with all pill bottles. ",
        "Lab results": "Here to go over recent labs. ",
        "New patient: blood pressure": "New patient, here about blood pressure. ",
    }
    return NoteParts(
        hpi=prefix.get(reason, "") + parts.hpi,
        ros=_ROS.get(key, ()),
        exam=parts.exam,
        assessment=parts.assessment,
        plan=parts.plan,
        follow_up=parts.follow_up,
    )


def _sick_parts(
    state: ChartState,
    visit: DemoVisit,
    encounter_id: str,
    age: float,
    day: date,
    finding: Finding,
    values: dict[VitalField, float],
) -> NoteParts:
    rng, units = state.rng, state.setting.units
    side = rng.choice(("right", "left"))
    ill = rng.randint(7, 10) if "Wound" in (visit.reason or "") else rng.randint(1, 5)
    context = {
        "days": f"{ill} day" if ill == 1 else f"{ill} days",
        "side": side,
        "Side": side.capitalize(),
        "side_digit": "1" if side == "right" else "2",
        "temp": format_with_unit(VitalField.TEMPERATURE, values[VitalField.TEMPERATURE], units),
        "contact": rng.choice(CONTACTS),
        "trigger": rng.choice(TRIGGERS),
        "activity": rng.choice(ACTIVITIES),
        "drug_line": "",
    }
    weight = values.get(VitalField.WEIGHT, state.plan.bmi * (state.plan.height_cm / 100) ** 2)
    drug = acute_drug(finding.drug, age, weight, state.avoid) if finding.drug else None
    seen = visit.seen_at + timedelta(minutes=10)
    if drug is not None:
        medication = state.add_medication(drug, day, seen, state.setting.names[visit.provider_id])
        if medication is not None:
            context["drug_line"] = f"Prescribed {drug.name}: {drug.sig[:1].lower()}{drug.sig[1:]}. "
            course = _COURSE.search(drug.sig)  # "... for 10 days": stopped when it is done
            if course:
                days = int(course.group(1)) * (7 if course.group(2) == "weeks" else 1)
                state.stop(medication, day + timedelta(days=days), "Course completed")
            else:
                state.stop(medication, day + timedelta(days=finding.lasts), "No longer needed")
    code = finding.code.format_map(context)
    onset = day - timedelta(days=ill)
    problem = state.add_problem(code, onset, seen, encounter_id)
    if problem is not None:
        state.resolve(problem, day + timedelta(days=finding.lasts))
    return NoteParts(
        hpi=finding.hpi.format_map(context),
        ros=finding.ros,
        general="Tired but in no distress." if finding.fever else "Well-appearing, no distress.",
        exam=finding.exam.format_map(context),
        assessment=finding.assessment.format_map(context),
        plan=finding.plan.format_map(context),
        follow_up=finding.follow_up,
    )


# --- notes ---------------------------------------------------------------------------------


def _doctor_note(
    state: ChartState,
    visit: DemoVisit,
    encounter: Encounter,
    parts: NoteParts,
    vitals_text: str,
) -> None:
    setting, rng = state.setting, state.rng
    written = visit.seen_at
    day = state.local(written).date()
    filled = {
        "hpi": (f"Chief complaint: {visit.reason or visit.type_name}.\n{parts.hpi}", ()),
        "ros": ("All other systems reviewed and negative.", parts.ros),
        "meds_allergies": (
            medications_text(state.active_medications(day, written))
            + "\n"
            + allergies_text([a for a in state.allergies if a.created_at <= written]),
            (),
        ),
        "objective": (f"{vitals_text}\nGeneral: {parts.general}\nExam: {parts.exam}", ()),
        "assessment": (
            f"{parts.assessment}\n\n{problems_text(state.active_problems(written))}",
            (),
        ),
        "plan": (parts.plan, ()),
        "follow_up": ("", (parts.follow_up,)),
    }
    title = visit.reason or visit.type_name
    plan = visit.plan
    signed_at = visit.out_at + timedelta(minutes=_signing_delay(rng))
    if signed_at > setting.now - timedelta(minutes=1):
        plan = NotePlan.DRAFT  # the visit just ended: the note is still being written
    if plan is NotePlan.REPLACED:
        early = dict(filled, plan=("", ()))
        first = _note(state, visit, encounter, NoteKind.DOCTOR, early, title, written)
        _sign(first, visit.provider_id, visit.out_at + timedelta(minutes=2))
        first.status = NoteStatus.ENTERED_IN_ERROR
        first.error_reason = REPLACED_REASON
        first.error_at = visit.out_at + timedelta(minutes=20)
        first.error_by_id = visit.provider_id
        first.updated_at = first.error_at
        written = first.error_at
        signed_at = written + timedelta(minutes=12)
    note = _note(state, visit, encounter, NoteKind.DOCTOR, filled, title, written)
    if plan is NotePlan.DRAFT:
        note.draft_saved_at = min(visit.out_at + timedelta(minutes=3), setting.now)
        note.updated_at = note.draft_saved_at
        return
    _sign(note, visit.provider_id, signed_at)
    _close(encounter, signed_at, visit.provider_id)
    if plan is NotePlan.ADDENDUM:
        moment = min(
            signed_at + timedelta(days=rng.randint(1, 4)), setting.now - timedelta(hours=1)
        )
        addendum = NoteAddendum(
            id=new_id(), note_id=note.id, author_id=visit.provider_id, text=rng.choice(ADDENDA),
            signed_at=moment, created_at=moment, updated_at=moment,
        )  # fmt: skip
        addendum.content_hash = addendum_hash(addendum)
        state.rows.append(addendum)


def _nursing_note(
    state: ChartState,
    visit: DemoVisit,
    encounter: Encounter,
    vitals_text: str,
    given: list[str],
    not_given: str | None,
) -> None:
    """The nurse's own note, signed by her (a nursing visit's encounter stays open: only a
    doctor's note signs an encounter); some are sent to a physician to co-sign."""
    rng, setting = state.rng, state.setting
    reason = visit.reason or visit.type_name
    if reason in ("Allergy shot", "B12 injection"):
        interventions, plan = injection_parts(reason, rng.choice(("Left", "Right")))
        education: tuple[str, ...] = ("Side effects to watch for", "When to call or come back")
    else:
        interventions, plan = nursing_vaccine_parts(reason, given, not_given)
        education = EDUCATION_VACCINE if given else ("When to call or come back",)
    written = visit.roomed_at
    allergies = [a for a in state.allergies if a.created_at <= written]
    filled = {
        "reason": (reason, ()),
        "vitals": (vitals_text, ()),
        "allergies": (allergies_text(allergies), ()),
        "interventions": (interventions, ()),
        "education": ("", education),
        "plan": (plan, ()),
    }
    note = _note(state, visit, encounter, NoteKind.NURSING, filled, reason, written)
    signed_at = min(visit.out_at + timedelta(minutes=rng.randint(2, 30)), setting.now)
    if visit.plan is NotePlan.DRAFT or signed_at >= setting.now:
        note.draft_saved_at = visit.out_at
        return
    _sign(note, setting.nurse_id, signed_at)
    if visit.plan in (NotePlan.AWAITING_COSIGN, NotePlan.COSIGNED):
        note.cosigner_id = rng.choice(setting.physician_ids)
        note.status = NoteStatus.AWAITING_COSIGN
        cosigned = signed_at + timedelta(hours=rng.randint(1, 20))
        if visit.plan is NotePlan.COSIGNED and cosigned < setting.now:
            note.status = NoteStatus.SIGNED
            note.cosigned_at = cosigned
            note.updated_at = cosigned
    if note.status is NoteStatus.SIGNED and closes_encounter(NoteKind.NURSING, encounter.type):
        if note.cosigned_at is not None and note.cosigner_id is not None:
            _close(encounter, note.cosigned_at, note.cosigner_id)
        else:
            _close(encounter, signed_at, setting.nurse_id)


def _close(encounter: Encounter, at: datetime, by_id: str) -> None:
    """As signing the visit's closing note does (note_signing)."""
    encounter.status = EncounterStatus.SIGNED
    encounter.signed_at = at
    encounter.signed_by_id = by_id
    encounter.updated_at = at


def _note(
    state: ChartState,
    visit: DemoVisit,
    encounter: Encounter,
    kind: NoteKind,
    filled: dict[str, tuple[str, tuple[str, ...]]],
    title: str,
    written: datetime,
) -> ClinicalNote:
    form = state.setting.soap if kind is NoteKind.DOCTOR else state.setting.nursing
    author = visit.provider_id if kind is NoteKind.DOCTOR else state.setting.nurse_id
    note = ClinicalNote(
        id=new_id(),
        patient_id=state.patient.id,
        encounter_id=encounter.id,
        kind=kind,
        template_id=form.id,
        title=title,
        author_id=author,
        written_at=written,
        sections=sections(form, filled),
        status=NoteStatus.DRAFT,
        created_at=written,
        updated_at=written,
    )
    state.rows.append(note)
    return note


def _sign(note: ClinicalNote, signer_id: str, at: datetime) -> None:
    note.draft_saved_at = at - timedelta(minutes=1)
    note.status = NoteStatus.SIGNED
    note.signed_at = at
    note.signed_by_id = signer_id
    note.content_hash = content_hash(note)
    note.updated_at = at


def _signing_delay(rng: random.Random) -> int:
    """Minutes from check-out to signing: most right away, some that evening, a few next day."""
    roll = rng.random()
    if roll < 0.7:
        return rng.randint(3, 60)
    if roll < 0.95:
        return rng.randint(60, 300)
    return rng.randint(900, 1300)


def _ordinal(number: int) -> str:
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"
