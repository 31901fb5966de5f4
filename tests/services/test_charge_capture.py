"""Charge capture from signed visits (made with the real encounter and note services), the
coding assistant's E/M levels by documented time and by decision making, idempotence,
confirming and discarding proposed charges."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from app.models import ChargeStatus, EncounterType, NoteKind
from app.services.billing_data import ChargeChanges, ChargeView, FeeItemInput
from app.services.billing_data import FeeScheduleInput as Schedule
from app.services.bus import ChargesChanged
from app.services.charge_capture import ChargeCaptureService
from app.services.coding_assistant import CodingAssistant, problem_named, without_pasted_lists
from app.services.coding_rules import Basis, MdmLevel, VisitFacts, documented_minutes, suggest_em
from app.services.encounters import EncounterInput, EncounterService
from app.services.errors import ConcurrentChange, DomainError
from app.services.fee_schedules import FeeScheduleService
from app.services.immunizations import ImmunizationInput, ImmunizationService
from app.services.insurance import CoverageInput, CoverageService, PayerInput, PayerService
from app.services.medications import MedicationInput, MedicationService
from app.services.note_data import NoteSection, NoteStart
from app.services.notes import NoteService
from app.services.problems import ProblemInput, ProblemService
from app.services.settings import SettingsService
from tests.services.notes_helpers import template_id
from tests.services.scheduling_helpers import Office, office_fixture  # noqa: F401

DAY = date(2026, 1, 5)  # the test clock's day in Chicago
OFFICE = EncounterType.OFFICE_VISIT

# -- the coding rules, on plain facts ----------------------------------------------------

ESTABLISHED = VisitFacts(OFFICE, new_patient=False, age_years=45, preventive=False)
NEW = replace(ESTABLISHED, new_patient=True)


@pytest.mark.parametrize(
    ("new_patient", "minutes", "code"),
    [
        (True, 15, "99202"),
        (True, 29, "99202"),
        (True, 30, "99203"),
        (True, 45, "99204"),
        (True, 74, "99205"),
        (False, 10, "99212"),
        (False, 19, "99212"),
        (False, 20, "99213"),
        (False, 32, "99214"),
        (False, 40, "99215"),
        (False, 54, "99215"),
    ],
)
def test_documented_time_picks_the_level_from_the_2021_ranges(
    new_patient: bool, minutes: int, code: str
) -> None:
    facts = replace(ESTABLISHED, new_patient=new_patient, documented_minutes=minutes)
    suggestion = suggest_em(facts)
    assert (suggestion.code, suggestion.basis) == (code, Basis.TIME)


def test_the_reason_shows_the_time_and_its_range() -> None:
    suggestion = suggest_em(replace(ESTABLISHED, documented_minutes=32))
    assert suggestion.why == "Time 32 min documented → 99214 (30–39 min) (established patient)"
    longer = suggest_em(replace(NEW, documented_minutes=90))
    assert longer.code == "99205"
    assert "past 74 min may add the prolonged-service code 99417" in longer.why


def test_time_under_the_lowest_range_falls_back_to_decision_making() -> None:
    facts = replace(ESTABLISHED, documented_minutes=8, chronic_problems=("I10",))
    suggestion = suggest_em(replace(facts, prescription_drugs=("Lisinopril",)))
    assert (suggestion.code, suggestion.basis) == ("99213", Basis.MDM)
    assert suggestion.reasons[0] == "Time 8 min documented is under 10 min"


@pytest.mark.parametrize(
    ("changes", "level", "code"),
    [
        ({}, MdmLevel.STRAIGHTFORWARD, "99212"),
        (
            {"chronic_problems": ("I10",), "prescription_drugs": ("Lisinopril",)},
            MdmLevel.LOW,
            "99213",
        ),
        (
            {"chronic_problems": ("I10", "E78.5"), "prescription_drugs": ("Lisinopril",)},
            MdmLevel.MODERATE,
            "99214",
        ),
        (
            {
                "chronic_problems": ("E11.9",),
                "worsening": True,
                "prescription_drugs": ("Metformin",),
            },
            MdmLevel.MODERATE,
            "99214",
        ),
        ({"new_problems": ("J02.9",), "over_the_counter": True}, MdmLevel.LOW, "99213"),
        (
            {"chronic_problems": ("a", "b"), "tests": ("A1c", "lipid panel", "TSH")},
            MdmLevel.MODERATE,
            "99214",
        ),
        ({"new_problems": ("R51.9",), "independent_historian": True}, MdmLevel.LOW, "99213"),
        (
            {"severe": True, "hospital_decision": True, "chronic_problems": ("I50.9",)},
            MdmLevel.HIGH,
            "99215",
        ),
        # Two of three: high risk alone does not lift straightforward problems and data.
        ({"hospital_decision": True}, MdmLevel.STRAIGHTFORWARD, "99212"),
    ],
)
def test_decision_making_is_the_level_two_of_three_elements_meet(
    changes: dict[str, object], level: MdmLevel, code: str
) -> None:
    suggestion = suggest_em(replace(ESTABLISHED, **changes))  # type: ignore[arg-type]
    assert (suggestion.mdm, suggestion.code, suggestion.basis) == (level, code, Basis.MDM)
    new_code = suggest_em(replace(NEW, **changes)).code  # type: ignore[arg-type]
    assert new_code == "9920" + str(int(code[-1]))


def test_the_mdm_reason_names_each_element() -> None:
    facts = replace(
        ESTABLISHED,
        chronic_problems=("Essential hypertension", "Hyperlipidemia"),
        tests=("lipid panel",),
        prescription_drugs=("Lisinopril",),
    )
    assert suggest_em(facts).reasons == (
        "Problems: 2 chronic problems (moderate)",
        "Data: lipid panel (straightforward)",
        "Risk: prescription drug management (Lisinopril) (moderate)",
        "moderate MDM → 99214 (established patient)",
    )


@pytest.mark.parametrize(
    ("age", "new_code", "established_code"),
    [
        (0, "99381", "99391"),
        (4, "99382", "99392"),
        (11, "99383", "99393"),
        (17, "99384", "99394"),
        (18, "99385", "99395"),
        (64, "99386", "99396"),
        (65, "99387", "99397"),
    ],
)
def test_preventive_visits_are_coded_by_age(age: int, new_code: str, established_code: str) -> None:
    checkup = replace(ESTABLISHED, preventive=True, age_years=age, documented_minutes=45)
    assert suggest_em(replace(checkup, new_patient=True)).code == new_code
    assert suggest_em(checkup).code == established_code
    assert suggest_em(checkup).basis is Basis.PREVENTIVE


def test_nurse_visits_and_phone_calls() -> None:
    nurse = replace(ESTABLISHED, encounter_type=EncounterType.NURSING_VISIT)
    assert suggest_em(nurse).code == "99211"
    assert suggest_em(replace(nurse, immunizations=1)).code is None
    assert suggest_em(replace(nurse, new_patient=True)).code is None
    phone = suggest_em(replace(ESTABLISHED, encounter_type=EncounterType.PHONE))
    assert (phone.code, phone.basis) == (None, Basis.NONE)


@pytest.mark.parametrize(
    ("texts", "minutes"),
    [
        (["Total time on the date of the encounter: 32 minutes."], 32),
        (["I spent 45 min with the patient and family."], 45),
        (["Time: 25 min"], 25),
        (["30 minutes total, more than half counseling"], 30),
        (["Chest pain for 30 minutes this morning."], None),
        (["Follow up in 3 months."], None),
        (["Total time 20 min.", "Addendum: total time was 35 minutes."], 35),
    ],
)
def test_the_documented_time_is_read_from_the_note(texts: list[str], minutes: int | None) -> None:
    assert documented_minutes(texts) == minutes


def test_problems_are_named_in_the_clinicians_words_not_the_pasted_list() -> None:
    assert problem_named(
        "Type 2 diabetes mellitus without complications", "Type 2 diabetes: A1c 8%"
    )
    assert problem_named("Hypothyroidism, unspecified", "Hypothyroidism: TSH in range.")
    assert problem_named("Mild intermittent asthma, uncomplicated", "Asthma, well controlled.")
    assert not problem_named("Major depressive disorder, single episode", "Depression: better")
    text = "Doing well.\n\nActive problems:\n- Essential (primary) hypertension (I10)\nPlan below."
    assert without_pasted_lists(text) == "Doing well.\n\nPlan below."


# -- capture from real signed visits -------------------------------------------------------

Sections = dict[str, str | tuple[str, ...]]


def _encounter(
    office: Office, patient: str, kind: EncounterType = OFFICE, days_ago: int = 0
) -> str:
    data = EncounterInput(
        kind,
        office.provider("drpatel"),
        starts_at=office.clock.now() - timedelta(days=days_ago),
    )
    return EncounterService(office.ctx("drpatel")).open(office.patient(patient), data).id


def _sign(
    office: Office,
    encounter_id: str,
    patient: str,
    sections: Sections,
    template: str | None = "SOAP office visit",
    title: str | None = None,
) -> None:
    """The physician's visit note, written and signed (None: a note without a template,
    whose one section is "note")."""
    notes = NoteService(office.ctx("drpatel"))
    form = template_id(office, template) if template else None
    start = NoteStart(NoteKind.DOCTOR, form, encounter_id, title)
    note = notes.start(office.patient(patient), start)
    edits = [
        NoteSection(key, "", selected=value)
        if isinstance(value, tuple)
        else NoteSection(key, "", text=value)
        for key, value in sections.items()
    ]
    saved = notes.save_draft(note.id, edits, None, note.version)
    notes.sign(note.id, saved.version)


def _visit(
    office: Office,
    patient: str = "ana",
    sections: Sections | None = None,
    *,
    established: bool = True,
    **kwargs: object,
) -> str:
    if established:
        _encounter(office, patient, days_ago=400)  # seen last year
    encounter_id = _encounter(office, patient)
    _sign(office, encounter_id, patient, sections or {"hpi": "Follow-up."}, **kwargs)  # type: ignore[arg-type]
    return encounter_id


def _problems(office: Office, patient: str, *codes: str, encounter_id: str | None = None) -> None:
    problems = ProblemService(office.ctx("drpatel"))
    for code in codes:
        problems.add(office.patient(patient), ProblemInput(code, encounter_id=encounter_id))


def _capture(office: Office, encounter_id: str, user: str = "billing") -> list[ChargeView]:
    return ChargeCaptureService(office.ctx(user)).capture(encounter_id)


def _charge_rows(office: Office) -> int:
    return int(office.rows("SELECT count(*) AS n FROM charge")[0]["n"])


def test_signing_a_visit_proposes_its_office_visit_charge(office: Office) -> None:
    notices: list[object] = []
    office.bus.subscribe(ChargesChanged, notices.append)
    _problems(office, "ana", "I10", "E78.5")
    encounter_id = _visit(office, sections={"plan": "Continue. Total time 32 minutes."})
    assert notices == [ChargesChanged((office.patient("ana"),))]
    created = office.audit()[-1]

    (charge,) = _capture(office, encounter_id)  # already there: capturing adds nothing

    assert (charge.procedure_code, charge.status, charge.units) == (
        "99214",
        ChargeStatus.PROPOSED,
        1,
    )
    assert charge.description == "Return office visit, moderate-complexity decisions"
    assert (charge.unit_price_cents, charge.amount_cents, charge.priced) == (19500, 19500, True)
    assert (charge.diagnosis_codes, charge.diagnosis_pointers) == (("I10", "E78.5"), (1, 2))
    assert (charge.place_of_service, charge.modifiers, charge.service_on) == ("11", (), DAY)
    assert charge.rendering_provider_id == office.provider("drpatel")
    assert charge.rendering_provider_name == "Priya Patel, MD"
    assert charge.suggestion_reason == (
        "Time 32 min documented → 99214 (30–39 min) (established patient)"
    )
    assert notices == [ChargesChanged((office.patient("ana"),))]
    assert _charge_rows(office) == 1
    event = created
    assert (event["action"], event["category"], event["patient_id"], event["entity_id"]) == (
        "create",
        "billing",
        office.patient("ana"),
        charge.id,
    )


def test_without_a_time_the_level_comes_from_decision_making(office: Office) -> None:
    _problems(office, "ben", "I10", "E78.5")
    MedicationService(office.ctx("drpatel")).add(
        office.patient("ben"), MedicationInput("Lisinopril 10 mg tablet", "1 tablet daily")
    )
    sections: Sections = {
        "assessment": "Essential hypertension (I10): 128/78 today, at goal.\n"
        "Hyperlipidemia: LDL 96 mg/dL, at goal.\n\n"
        "Active problems:\n- Essential (primary) hypertension (I10)\n- Hyperlipidemia (E78.5)",
        "plan": "Continue lisinopril. Lipids and kidney function yearly.",
    }
    encounter_id = _visit(office, "ben", sections)

    suggestion = CodingAssistant(office.ctx("drpatel")).suggest(encounter_id)
    (charge,) = _capture(office, encounter_id)

    assert (suggestion.code, suggestion.mdm, charge.procedure_code) == (
        "99214",
        MdmLevel.MODERATE,
        "99214",
    )
    assert suggestion.reasons == (
        "Problems: 2 chronic problems (moderate)",
        "Data: lipid panel, metabolic panel (low)",
        "Risk: prescription drug management (Lisinopril) (moderate)",
        "moderate MDM → 99214 (established patient)",
    )
    assert charge.suggestion_reason == suggestion.why
    reads = [e for e in office.audit() if e["detail"] == "coding assistant"]
    assert [(e["action"], e["category"], e["user_name"]) for e in reads] == [
        ("read", "note", "drpatel")
    ]


def test_a_chronic_problem_not_at_goal_is_moderate(office: Office) -> None:
    _problems(office, "cara", "E11.9")
    MedicationService(office.ctx("drpatel")).add(
        office.patient("cara"), MedicationInput("Metformin 500 mg tablet")
    )
    sections: Sections = {
        "assessment": "Type 2 diabetes: A1c 8.1% today, above the goal of 7%.",
        "plan": "Continue metformin; diabetes education.",
    }
    (charge,) = _capture(office, _visit(office, "cara", sections))
    assert charge.procedure_code == "99214"
    assert "1 chronic problem, not stable (worse or not at goal) (moderate)" in (
        charge.suggestion_reason or ""
    )


def test_a_sick_visit_with_an_over_the_counter_drug_is_low_risk(office: Office) -> None:
    _encounter(office, "dev", days_ago=90)
    encounter_id = _encounter(office, "dev")
    _problems(office, "dev", "J02.9", encounter_id=encounter_id)  # diagnosed today
    MedicationService(office.ctx("drpatel")).add(
        office.patient("dev"), MedicationInput("Ibuprofen 400 mg tablet", started_on=DAY)
    )
    sections: Sections = {
        "assessment": "Acute viral pharyngitis (J02.9): rapid strep test negative.",
        "plan": "Fluids; ibuprofen as needed for pain.",
    }
    _sign(office, encounter_id, "dev", sections)

    (charge,) = _capture(office, encounter_id)

    assert (charge.procedure_code, charge.diagnosis_codes) == ("99213", ("J02.9",))
    assert charge.suggestion_reason == (
        "Problems: 1 new problem (low); Data: rapid strep test (straightforward); "
        "Risk: over-the-counter drugs (low); low MDM → 99213 (established patient)"
    )


def test_new_or_established_depends_on_a_visit_in_the_past_three_years(office: Office) -> None:
    timed = {"plan": "Total time 32 minutes."}
    _encounter(office, "dev", days_ago=4 * 365)  # four years ago: new again
    (charge,) = _capture(office, _visit(office, "dev", timed, established=False))
    assert charge.procedure_code == "99203"  # new patient, 30–44 min

    _encounter(office, "eve", EncounterType.PHONE, days_ago=30)  # a call does not count
    (charge,) = _capture(office, _visit(office, "eve", timed, established=False))
    assert charge.procedure_code == "99203"

    _encounter(office, "finn", days_ago=2 * 365)
    (charge,) = _capture(office, _visit(office, "finn", timed, established=False))
    assert charge.procedure_code == "99214"


def test_vaccines_given_here_add_administration_lines_pointing_to_z23(office: Office) -> None:
    _problems(office, "ana", "I10")
    _encounter(office, "ana", days_ago=400)
    encounter_id = _encounter(office, "ana")
    shots = ImmunizationService(office.ctx("nkim"))
    for cvx, lot in (("115", "TD-1"), ("187", "SH-2")):
        shots.record(
            office.patient("ana"),
            ImmunizationInput(cvx, DAY, lot_number=lot, encounter_id=encounter_id),
        )
    _sign(office, encounter_id, "ana", {"plan": "Total time 25 minutes."})

    visit, first, second = _capture(office, encounter_id)

    assert [c.procedure_code for c in (visit, first, second)] == ["99213", "90471", "90472"]
    assert visit.modifiers == ("25",)
    assert "modifier 25" in (visit.suggestion_reason or "")
    assert visit.diagnosis_codes == ("I10", "Z23")
    assert [c.diagnosis_pointers for c in (visit, first, second)] == [(1,), (2,), (2,)]
    assert first.suggestion_reason == "Vaccine given here: Tdap (CVX 115) → 90471 (first vaccine)"
    assert (first.amount_cents, second.amount_cents) == (3000, 2000)


def test_a_nurse_vaccine_visit_bills_the_administration_only(office: Office) -> None:
    encounter_id = _encounter(office, "ben", EncounterType.NURSING_VISIT)
    nurse = office.ctx("nkim")
    ImmunizationService(nurse).record(
        office.patient("ben"),
        ImmunizationInput("140", DAY, lot_number="FLU-9", encounter_id=encounter_id),
    )
    notes = NoteService(nurse)
    note = notes.start(
        office.patient("ben"), NoteStart(NoteKind.NURSING, encounter_id=encounter_id)
    )
    saved = notes.save_draft(
        note.id, [NoteSection("note", "", text="Flu shot, L deltoid.")], None, 1
    )
    notes.sign(note.id, saved.version)

    (charge,) = _capture(office, encounter_id)
    assert (charge.procedure_code, charge.diagnosis_codes, charge.diagnosis_pointers) == (
        "90471",
        ("Z23",),
        (1,),
    )


def test_a_visit_with_nothing_to_bill_leaves_the_billers_queue(office: Office) -> None:
    """A nurse's blood-pressure check with no vaccine bills nothing: once signed it is not
    left waiting in "visits to bill" forever."""
    encounter_id = _encounter(office, "ben", EncounterType.NURSING_VISIT)
    notes = NoteService(office.ctx("nkim"))
    note = notes.start(
        office.patient("ben"), NoteStart(NoteKind.NURSING, encounter_id=encounter_id)
    )
    saved = notes.save_draft(note.id, [NoteSection("note", "", text="BP 128/82.")], None, 1)
    notes.sign(note.id, saved.version)

    assert _capture(office, encounter_id) == []
    assert ChargeCaptureService(office.ctx("billing")).visits_to_bill() == []
    (row,) = office.rows("SELECT nothing_to_bill FROM encounter WHERE id = ?", encounter_id)
    assert row["nothing_to_bill"] == 1


def test_a_checkup_is_coded_by_age_with_its_usual_diagnosis_first(office: Office) -> None:
    _problems(office, "ana", "I10")
    encounter_id = _visit(
        office, sections={"hpi": "Here for her yearly checkup."}, title="Annual physical"
    )
    (charge,) = _capture(office, encounter_id)
    assert (charge.procedure_code, charge.amount_cents) == ("99396", 24500)  # 41 years old
    assert (charge.diagnosis_codes, charge.diagnosis_pointers) == (("Z00.00", "I10"), (1,))
    assert (
        charge.suggestion_reason
        == "Preventive visit, established patient aged 41 → 99396 (40–64 years)"
    )


def test_telehealth_sets_the_place_of_service_and_modifier(office: Office) -> None:
    def tele(patient: str, how: str, where: str) -> ChargeView:
        _encounter(office, patient, days_ago=400)
        encounter_id = _encounter(office, patient, EncounterType.TELEHEALTH)
        sections: Sections = {
            "modality": (how,),
            "location": where,
            "plan": "Total time 22 minutes.",
        }
        _sign(office, encounter_id, patient, sections, template="Telehealth visit")
        (charge,) = _capture(office, encounter_id)
        return charge

    video = tele("ana", "Video", "At home in Peoria")
    assert (video.procedure_code, video.place_of_service, video.modifiers) == (
        "99213",
        "10",
        ("95",),
    )
    assert "place of service 10 (telehealth, patient at home)" in (video.suggestion_reason or "")
    audio = tele("ben", "Audio only", "In her car at work")
    assert (audio.place_of_service, audio.modifiers) == ("02", ("93",))


def test_capturing_twice_makes_no_duplicates(office: Office) -> None:
    encounter_id = _visit(office, sections={"plan": "Total time 12 minutes."})
    first = _capture(office, encounter_id)
    again = _capture(office, encounter_id, user="drpatel")
    assert [c.id for c in again] == [c.id for c in first] and _charge_rows(office) == 1

    ChargeCaptureService(office.ctx("billing")).discard(first[0].id, "Billed on paper")
    (voided,) = _capture(office, encounter_id)
    assert (voided.id, voided.status) == (first[0].id, ChargeStatus.VOIDED)
    assert _charge_rows(office) == 1


def test_only_signed_visits_are_captured(office: Office) -> None:
    encounter_id = _encounter(office, "ana")
    with pytest.raises(DomainError, match="sign the visit note first"):
        _capture(office, encounter_id)
    assert _charge_rows(office) == 0


def test_without_a_fee_schedule_capture_refuses_and_writes_nothing(office: Office) -> None:
    fees = FeeScheduleService(office.ctx("billing"))
    (self_pay,) = fees.list_schedules()
    fees.update_schedule(self_pay.id, Schedule("Self-pay", is_default=False), self_pay.version)
    encounter_id = _visit(office)  # signing works without one; the visit waits to be billed
    assert _charge_rows(office) == 0
    before = office.snapshot()
    with pytest.raises(DomainError, match="There is no fee schedule to price this visit"):
        _capture(office, encounter_id)
    assert office.snapshot() == before
    waiting = ChargeCaptureService(office.ctx("billing")).visits_to_bill()
    assert [v.encounter_id for v in waiting] == [encounter_id]


def test_the_payers_schedule_prices_first_then_the_default(office: Office) -> None:
    desk = office.ctx("frontdesk")
    payer = PayerService(desk).add_payer(PayerInput("Prairie Mutual", "PRMU1"))
    CoverageService(desk).add(office.patient("ana"), CoverageInput(payer.id, 1, "PM-77"))
    fees = FeeScheduleService(office.ctx("billing"))
    schedule = fees.add_schedule(Schedule("Prairie Mutual 2026", payer_id=payer.id))
    fees.save_item(schedule.id, FeeItemInput("99213", "Office visit (contracted)", 11000))
    _encounter(office, "ana", days_ago=400)
    encounter_id = _encounter(office, "ana")
    ImmunizationService(office.ctx("nkim")).record(
        office.patient("ana"),
        ImmunizationInput("115", DAY, lot_number="TD-1", encounter_id=encounter_id),
    )
    _sign(office, encounter_id, "ana", {"plan": "Total time 25 minutes."})

    visit, shot = _capture(office, encounter_id)

    assert (visit.procedure_code, visit.amount_cents, visit.description) == (
        "99213",
        11000,
        "Office visit (contracted)",
    )
    assert (shot.procedure_code, shot.amount_cents) == ("90471", 3000)  # from Self-pay


def test_confirming_changes_the_line_and_prices_it_again(office: Office) -> None:
    _problems(office, "ana", "I10", "E78.5")
    (charge,) = _capture(office, _visit(office, sections={"plan": "Total time 25 minutes."}))
    charges = ChargeCaptureService(office.ctx("drpatel"))

    changed = charges.confirm(
        charge.id,
        ChargeChanges("99215", modifiers=("25",), units=1, diagnosis_pointers=(2, 1)),
        charge.version,
    )

    assert (changed.procedure_code, changed.modifiers, changed.diagnosis_pointers) == (
        "99215",
        ("25",),
        (2, 1),
    )
    assert (changed.amount_cents, changed.status) == (27000, ChargeStatus.PROPOSED)
    assert changed.pointed_diagnoses == ("E78.5", "I10")
    with pytest.raises(ConcurrentChange):
        charges.confirm(charge.id, ChargeChanges(units=2), charge.version)
    with pytest.raises(DomainError, match="pointer 3 is not one of the visit's 2 diagnoses"):
        charges.confirm(charge.id, ChargeChanges(diagnosis_pointers=(3,)))
    with pytest.raises(DomainError, match="99499 has no price in the Self-pay fee schedule"):
        charges.confirm(charge.id, ChargeChanges("99499"))
    with pytest.raises(DomainError, match="not a modifier"):
        charges.confirm(charge.id, ChargeChanges(modifiers=("2",)))
    assert charges.confirm(charge.id, ChargeChanges(units=2)).amount_cents == 54000


def test_a_code_without_a_price_is_proposed_at_zero_until_it_has_one(office: Office) -> None:
    _problems(office, "ana", "I10")
    fees = FeeScheduleService(office.ctx("billing"))
    sliding = fees.add_schedule(Schedule("Sliding scale", is_default=True))
    encounter_id = _visit(office, sections={"plan": "Total time 12 minutes."})

    (charge,) = _capture(office, encounter_id)

    assert (charge.procedure_code, charge.amount_cents, charge.priced) == ("99212", 0, False)
    assert "no price for 99212 in the Sliding scale fee schedule" in (
        charge.suggestion_reason or ""
    )
    charges = ChargeCaptureService(office.ctx("billing"))
    with pytest.raises(DomainError, match="99212 has no price in the Sliding scale"):
        charges.confirm(charge.id, ChargeChanges())
    fees.save_item(sliding.id, FeeItemInput("99212", "Short return visit", 4000))
    confirmed = charges.confirm(charge.id, ChargeChanges())
    assert (confirmed.amount_cents, confirmed.description, confirmed.priced) == (
        4000,
        "Short return visit",
        True,
    )


def test_a_charge_needs_a_diagnosis_before_it_is_confirmed(office: Office) -> None:
    (charge,) = _capture(office, _visit(office))  # nothing on the problem list
    assert (charge.diagnosis_codes, charge.diagnosis_pointers) == ((), ())
    charges = ChargeCaptureService(office.ctx("billing"))
    with pytest.raises(DomainError, match="Point the charge to at least one"):
        charges.confirm(charge.id, ChargeChanges(units=1))
    with pytest.raises(DomainError, match="E11 is a category, not a billable"):
        charges.confirm(charge.id, ChargeChanges(diagnosis_codes=("E11",)))
    given = charges.confirm(
        charge.id, ChargeChanges(diagnosis_codes=("j029",), diagnosis_pointers=(1,))
    )
    assert (given.diagnosis_codes, given.diagnosis_pointers) == (("J02.9",), (1,))


def test_changing_the_visits_diagnoses_keeps_every_line_pointing_to_its_code(
    office: Office,
) -> None:
    _problems(office, "ana", "I10")
    _encounter(office, "ana", days_ago=400)
    encounter_id = _encounter(office, "ana")
    ImmunizationService(office.ctx("nkim")).record(
        office.patient("ana"),
        ImmunizationInput("115", DAY, lot_number="TD-1", encounter_id=encounter_id),
    )
    _sign(office, encounter_id, "ana", {"plan": "Total time 25 minutes."})
    visit, shot = _capture(office, encounter_id)
    assert (visit.diagnosis_codes, visit.diagnosis_pointers, shot.diagnosis_pointers) == (
        ("I10", "Z23"),
        (1,),
        (2,),
    )
    charges = ChargeCaptureService(office.ctx("billing"))

    changed = charges.confirm(visit.id, ChargeChanges(diagnosis_codes=("E78.5", "I10", "Z23")))

    (shot_now,) = [c for c in charges.for_encounter(encounter_id) if c.id == shot.id]
    assert (changed.diagnosis_codes, changed.diagnosis_pointers) == (("E78.5", "I10", "Z23"), (2,))
    assert (shot_now.diagnosis_codes, shot_now.diagnosis_pointers) == (
        ("E78.5", "I10", "Z23"),
        (3,),
    )
    assert shot_now.version == shot.version + 1


def test_discarding_voids_the_proposal_with_a_reason(office: Office) -> None:
    (charge,) = _capture(office, _visit(office))
    charges = ChargeCaptureService(office.ctx("billing"))
    with pytest.raises(DomainError, match="Say why"):
        charges.discard(charge.id, "  ")
    voided = charges.discard(charge.id, "Courtesy visit, not billed")
    assert voided.status is ChargeStatus.VOIDED
    assert office.audit()[-1]["detail"] == "discarded 99212: Courtesy visit, not billed"
    with pytest.raises(DomainError, match="was discarded"):
        charges.confirm(charge.id, ChargeChanges(units=2))
    with pytest.raises(DomainError, match="was discarded"):
        charges.discard(charge.id, "again")


def test_the_billers_queues(office: Office) -> None:
    fees = FeeScheduleService(office.ctx("billing"))
    (self_pay,) = fees.list_schedules()
    fees.update_schedule(self_pay.id, Schedule("Self-pay", is_default=False), self_pay.version)
    waiting = _visit(office, "ana")  # signed while nothing could price it
    fees.update_schedule(self_pay.id, Schedule("Self-pay", is_default=True), self_pay.version + 1)
    captured = _visit(office, "ben")
    call = _encounter(office, "cara", EncounterType.PHONE)
    _sign(office, call, "cara", {"note": "Asked about a refill; booked a visit."}, template=None)
    (charge,) = _capture(office, captured)
    charges = ChargeCaptureService(office.ctx("billing"))

    visits = charges.visits_to_bill()
    assert [(v.encounter_id, v.patient_name, v.service_on) for v in visits] == [
        (waiting, "Lopez, Ana", DAY)
    ]
    assert [c.id for c in charges.proposed()] == [charge.id]
    assert [c.id for c in charges.for_encounter(captured)] == [charge.id]
    assert _capture(office, call) == []  # a phone call has nothing to bill


def test_visits_before_the_practice_billed_here_stay_out_of_visits_to_bill(
    office: Office,
) -> None:
    """A practice moving to Stethos billed its older visits elsewhere: "bill visits from"
    leaves them out of the biller's queue; a visit signed late is still proposed."""
    fees = FeeScheduleService(office.ctx("billing"))
    (self_pay,) = fees.list_schedules()
    fees.update_schedule(self_pay.id, Schedule("Self-pay", is_default=False), self_pay.version)
    old = _encounter(office, "ana", days_ago=30)
    _sign(office, old, "ana", {"hpi": "Follow-up."})
    recent = _encounter(office, "ben", days_ago=2)
    _sign(office, recent, "ben", {"hpi": "Follow-up."})
    settings = SettingsService(office.ctx("admin"))
    charges = ChargeCaptureService(office.ctx("billing"))
    assert [v.encounter_id for v in charges.visits_to_bill()] == [old, recent]

    settings.set_billing_starts_on(DAY - timedelta(days=2))
    assert settings.billing_starts_on() == DAY - timedelta(days=2)
    assert [v.encounter_id for v in charges.visits_to_bill()] == [recent]
    with pytest.raises(DomainError, match="cannot be in the future"):
        settings.set_billing_starts_on(DAY + timedelta(days=1))
    settings.set_billing_starts_on(None)
    assert [v.encounter_id for v in charges.visits_to_bill()] == [old, recent]

    settings.set_billing_starts_on(DAY)
    fees.update_schedule(self_pay.id, Schedule("Self-pay", is_default=True), self_pay.version + 1)
    late = _encounter(office, "cara", days_ago=60)
    _sign(office, late, "cara", {"hpi": "Follow-up.", "assessment": "Well."})
    assert [c.encounter_id for c in charges.for_encounter(late)] == [late]
