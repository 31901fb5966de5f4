"""One patient's demo chart: who they are clinically (conditions, medicines, allergies,
history, immunizations, their own vital-sign numbers), then one encounter, vitals set and
note per visit (demo_chart_visits.py). Returns ORM rows as the charting services write
them; the caller adds them to a unit of work, so the outbox hook records every one.

`build_chart` is what `stethos demo` runs for each patient and what bench/chart_data.py
runs for its one very heavy patient.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from app.models import (
    Allergy,
    Medication,
    MedicationStatus,
    Problem,
    ProblemStatus,
    SmokingStatus,
)
from app.models.base import SyncMixin
from app.services.demo_chart_facts import (
    BY_KEY,
    CHILD_OBESITY_CODE,
    CONDITIONS,
    Condition,
    Drug,
    implied_conditions,
    obesity_code,
    pick_drugs,
)
from app.services.demo_chart_history import (
    allergy_rows,
    avoided_words,
    family_history_rows,
    past_history_rows,
    smoking_status,
    social_history_row,
)
from app.services.demo_chart_immunizations import ImmunizationRecord, reported_history
from app.services.demo_chart_types import ChartPatient, ChartSetting, DemoVisit
from app.services.demo_chart_vitals import BodyPlan, body_plan, home_reading, vitals_set_rows

EARLIEST_VISIT_AGE_DAYS = 3  # a visit booked before the baby was born (or just after) is skipped
OUTSIDE_PRESCRIBERS = (
    "Dr. Alan Brooks (previous clinic)",
    "Dr. Maria Santos (previous clinic)",
    "Urgent care",
    "Lakeview Cardiology",
    "Dr. Ruth Feld (endocrinology)",
)


@dataclass
class ChartState:
    """One patient's chart as it builds up: the visit writer reads and adds to it."""

    patient: ChartPatient
    setting: ChartSetting
    rng: random.Random
    opened_at: datetime  # when the practice first recorded this chart
    smoking: SmokingStatus
    plan: BodyPlan
    immunizations: ImmunizationRecord
    conditions: dict[str, Problem] = field(default_factory=dict)  # long-term, by key
    problems: list[Problem] = field(default_factory=list)
    medications: list[Medication] = field(default_factory=list)
    allergies: list[Allergy] = field(default_factory=list)
    treats: dict[str, list[str]] = field(default_factory=dict)  # condition → medicine names
    rows: list[SyncMixin] = field(default_factory=list)

    def age_on(self, day: date) -> float:
        return (day - self.patient.birth).days / 365.25

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.setting.zone)

    def at(self, day: date, hour: int = 10) -> datetime:
        """A time on `day` in the practice's zone (and never after now)."""
        moment = datetime.combine(day, time(hour), self.setting.zone)
        return min(moment, self.setting.now - timedelta(minutes=1))

    @property
    def avoid(self) -> frozenset[str]:
        return avoided_words(self.allergies)

    def active_medications(self, day: date, before: datetime) -> list[Medication]:
        return [
            m
            for m in self.medications
            if m.created_at <= before
            and (m.started_on is None or m.started_on <= day)
            and (m.status is MedicationStatus.ACTIVE or (m.stopped_on or day) > day)
        ]

    def active_problems(self, before: datetime) -> list[Problem]:
        return [
            p
            for p in self.problems
            if p.created_at <= before
            and (p.status is ProblemStatus.ACTIVE or p.updated_at > before)
        ]

    def add_problem(
        self, code: str, onset: date | None, recorded: datetime, encounter_id: str | None = None
    ) -> Problem | None:
        """A problem with the code set's description; None when the same code is already
        active (the problem service refuses a duplicate)."""
        if any(p.icd10_code == code for p in self.active_problems(recorded)):
            return None
        found = self.setting.icd10.get(code)
        if found is None:
            raise ValueError(f"demo ICD-10-CM code {code} is not in the code set")
        problem = Problem(
            patient_id=self.patient.id,
            icd10_code=found.code,
            description=found.description,
            onset_on=onset,
            status=ProblemStatus.ACTIVE,
            encounter_id=encounter_id,
            created_at=recorded,
            updated_at=recorded,
        )
        self.problems.append(problem)
        self.rows.append(problem)
        return problem

    def add_medication(
        self, drug: Drug, started: date, recorded: datetime, prescriber: str
    ) -> Medication | None:
        """None when the patient already takes it or is allergic to it."""
        lowered = drug.name.lower()
        if any(word in lowered for word in self.avoid):
            return None
        taking = {ingredient(m.name) for m in self.active_medications(started, recorded)}
        if ingredient(drug.name) in taking:
            return None
        medication = Medication(
            patient_id=self.patient.id,
            name=drug.name,
            sig=drug.sig,
            started_on=started,
            status=MedicationStatus.ACTIVE,
            prescriber=prescriber,
            created_at=recorded,
            updated_at=recorded,
        )
        self.medications.append(medication)
        self.rows.append(medication)
        return medication

    def stop(self, medication: Medication, day: date, reason: str) -> None:
        """Stopped on `day` if that has come (a course still running stays active)."""
        if day <= self.setting.today:
            medication.status = MedicationStatus.STOPPED
            medication.stopped_on = day
            medication.stop_reason = reason
            medication.updated_at = max(medication.created_at, self.at(day, 17))

    def resolve(self, problem: Problem, day: date) -> None:
        if day <= self.setting.today:
            problem.status = ProblemStatus.RESOLVED
            problem.resolved_on = day
            problem.updated_at = max(problem.created_at, self.at(day, 17))


def ingredient(name: str) -> str:
    """What a medicine is, without strength and form: "ibuprofen", "fluticasone hfa"."""
    return re.split(r"\d", name, maxsplit=1)[0].strip().lower()


def build_chart(
    patient: ChartPatient,
    visits: list[DemoVisit],
    setting: ChartSetting,
    rng: random.Random,
    *,
    documents: int = 0,
    home_readings: int = 0,
) -> list[SyncMixin]:
    """Every row of one patient's chart (list facts first, then visit by visit), with
    `documents` filed after their visits and `home_readings` blood pressures sent in from
    home between the first visit and now (remote monitoring)."""
    # These import ChartState from here.
    from app.services.demo_chart_documents import add_documents
    from app.services.demo_chart_visits import write_visit

    earliest = patient.birth + timedelta(days=EARLIEST_VISIT_AGE_DAYS)
    visits = sorted(
        (v for v in visits if v.arrived_at.astimezone(setting.zone).date() >= earliest),
        key=lambda v: v.arrived_at,
    )
    today = setting.today
    if visits:
        opened_at = visits[0].roomed_at
    else:
        opened = max(patient.birth, setting.window_start - timedelta(days=rng.randint(20, 700)))
        opened_at = min(
            datetime.combine(opened, time(10), setting.zone), setting.now - timedelta(hours=1)
        )
    age = (today - patient.birth).days / 365.25
    smoking = smoking_status(age, rng)
    keys = _conditions(patient, visits, setting, age, smoking, rng)
    hypertension = "treated" if "hypertension" in keys else ""
    hypertension = "elevated" if "elevated_bp" in keys else hypertension
    plan = body_plan(
        age, patient.female, rng, hypertension=hypertension,
        bmi_at_least=31.0 if "obesity" in keys else 0.0,
    )  # fmt: skip
    if age >= 18 and plan.bmi >= 30 and rng.random() < 0.75:
        keys.append("obesity")
    if age < 18 and "obesity" in keys:  # a child's weight well above their height's centile
        plan.weight_sds = max(plan.weight_sds, plan.height_sds + 1.5, 1.8)
    state = ChartState(
        patient, setting, rng, opened_at, smoking, plan,
        ImmunizationRecord(patient.id, patient.birth, setting.cvx),
    )  # fmt: skip
    state.allergies = allergy_rows(patient.id, age, bool(visits), opened_at, today, rng)
    state.rows.extend(state.allergies)
    doctors = [v.provider_id for v in visits if not v.nurse_visit]
    prescriber = setting.names.get(doctors[0], "") if doctors else ""
    for key in dict.fromkeys(keys):
        _add_condition(state, BY_KEY[key], prescriber or rng.choice(OUTSIDE_PRESCRIBERS))
    if age >= 0.2 or visits:
        female = patient.female
        state.rows.extend(past_history_rows(patient.id, age, female, today, opened_at, rng))
        state.rows.extend(family_history_rows(patient.id, age, opened_at, rng))
        if visits or rng.random() < 0.6:
            state.rows.append(social_history_row(patient.id, age, smoking, today, opened_at, rng))
    reported_history(state.immunizations, age, setting.window_start, opened_at, rng)
    for visit in visits:
        write_visit(state, visit)
    _add_home_readings(state, home_readings)
    add_documents(state, documents, rng)
    state.rows.extend(state.immunizations.rows)
    return state.rows


def _add_home_readings(state: ChartState, count: int) -> None:
    if count <= 0:
        return
    setting = state.setting
    first = state.local(state.opened_at).date()
    step = (setting.today - first) / count
    for index in range(count):
        # Mornings and evenings, as a home monitor is used.
        day = first + step * (index + 0.5)
        hour = 7 if index % 2 else 19
        taken_at = datetime.combine(day, time(hour, state.rng.randint(0, 59)), setting.zone)
        if taken_at >= setting.now:
            break
        age = state.age_on(state.local(taken_at).date())
        values = home_reading(state.plan, state.rng)
        vitals, observations = vitals_set_rows(
            state.patient.id, None, taken_at, setting.nurse_id, values, age, state.plan,
            "Home reading (remote monitoring)",
        )  # fmt: skip
        state.rows.append(vitals)
        state.rows.extend(observations)


def _conditions(
    patient: ChartPatient,
    visits: list[DemoVisit],
    setting: ChartSetting,
    age: float,
    smoking: SmokingStatus,
    rng: random.Random,
) -> list[str]:
    """Long-term conditions: those the visits' reasons imply, then others by age and sex."""
    keys: list[str] = []
    for visit in visits:
        day = visit.arrived_at.astimezone(setting.zone).date()
        implied = implied_conditions(visit.reason, (day - patient.birth).days / 365.25)
        if implied and not any(key in keys for key in implied):
            keys.append(rng.choice(implied))
    smoker = smoking in (
        SmokingStatus.FORMER,
        SmokingStatus.CURRENT_EVERY_DAY,
        SmokingStatus.CURRENT_SOME_DAYS,
    )
    for condition in CONDITIONS:
        if condition.key in keys or not condition.bands:
            continue
        if condition.smokers_only and not smoker:
            continue
        if rng.random() < condition.share(age, patient.female):
            keys.append(condition.key)
    if smoking is SmokingStatus.CURRENT_EVERY_DAY and rng.random() < 0.7:
        keys.append("nicotine")
    kept: list[str] = []
    for key in keys:  # the first of two that exclude each other wins (visits' come first)
        condition = BY_KEY[key]
        if any(other in kept for other in condition.excludes):
            continue
        kept.append(key)
    # A condition that needs another keeps only when that one is there (obesity is decided
    # from the body plan afterwards, so sleep apnea may stand on its own).
    return [
        key
        for key in kept
        if not BY_KEY[key].needs
        or any(need in kept or need == "obesity" for need in BY_KEY[key].needs)
    ]


def _add_condition(state: ChartState, condition: Condition, prescriber: str) -> None:
    """The condition on the problem list (recorded when the chart was opened, onset some
    time before) and its medicines, perhaps after a first one that did not suit."""
    rng, patient = state.rng, state.patient
    recorded = state.opened_at
    recorded_day = state.local(recorded).date()
    youngest = max((start for start, _ in condition.bands[:1]), default=0)
    youngest = max(youngest, condition.min_onset_age)
    first = patient.birth + timedelta(days=int(youngest * 365.25))
    first = min(max(first, patient.birth + timedelta(days=30)), recorded_day)
    span = (recorded_day - first).days
    onset = first + timedelta(days=rng.randint(span // 3, span)) if span > 0 else first
    code = rng.choice(condition.codes)
    if condition.key == "obesity":  # adults by class of BMI
        adult = state.age_on(recorded_day) >= 18
        code = (obesity_code(state.plan.bmi) or code) if adult else CHILD_OBESITY_CODE
    problem = state.add_problem(code, onset if rng.random() < 0.8 else None, recorded)
    if problem is None:
        return
    state.conditions[condition.key] = problem
    age = state.age_on(recorded_day)
    drugs, switch = pick_drugs(condition, age, rng)
    started = min(onset + timedelta(days=rng.randint(0, 60)), recorded_day)
    if switch is not None:
        stopped_on = min(started + timedelta(days=rng.randint(30, 400)), recorded_day)
        tried = state.add_medication(switch.first, started, recorded, prescriber)
        if tried is not None:
            state.stop(tried, stopped_on, switch.reason)
            started = stopped_on
    names = state.treats.setdefault(condition.key, [])
    for drug in drugs:
        for option in (drug, *(d for d in condition.drugs if d is not drug)):
            if state.add_medication(option, started, recorded, prescriber) is not None:
                names.append(option.name)
                break
            same = [
                m.name for m in state.medications if ingredient(m.name) == ingredient(option.name)
            ]
            if same:
                names.append(same[-1])  # taken for another condition already
                break
