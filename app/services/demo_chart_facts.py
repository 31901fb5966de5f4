"""Clinical tables for the demo charts: long-term conditions with the medicines usually
taken for them, and what a reason for visit says about the patient's problem list.

Prevalences are rough orders of magnitude for a US family-practice panel (CDC NCHS
FastStats and NHANES summaries), enough for a believable demo; nothing here is clinical
guidance. Every ICD-10-CM code here is checked against the installed code set by the tests.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Drug:
    name: str  # drug, strength and form, as the medication list shows it
    sig: str  # how to take it


@dataclass(frozen=True)
class Switch:
    """A medicine tried first and stopped, and what the patient takes instead."""

    first: Drug
    reason: str
    then: Drug


@dataclass(frozen=True)
class Condition:
    key: str
    codes: tuple[str, ...]  # ICD-10-CM; one is chosen per patient
    # (age from, share of patients that age who have it), ascending; empty: only when a
    # visit or a measurement says so.
    bands: tuple[tuple[int, float], ...] = ()
    drugs: tuple[Drug, ...] = ()  # one of these is the usual treatment
    child_drugs: tuple[Drug, ...] = ()  # instead, under 12
    extras: tuple[Drug, ...] = ()  # often added on
    extra_share: float = 0.3
    switches: tuple[Switch, ...] = ()
    female: float = 1.0  # prevalence multipliers
    male: float = 1.0
    smokers_only: bool = False
    needs: tuple[str, ...] = ()  # only with one of these conditions (kidney disease)
    excludes: tuple[str, ...] = ()
    min_onset_age: int = 0

    def share(self, age: float, female: bool) -> float:
        rate = 0.0
        for start, value in self.bands:
            if age >= start:
                rate = value
        return rate * (self.female if female else self.male)


D = Drug
DAILY = "1 tablet by mouth once daily"
CONDITIONS: tuple[Condition, ...] = (
    Condition(
        "hypertension", ("I10",), ((18, 0.03), (30, 0.1), (45, 0.28), (60, 0.5), (75, 0.62)),
        (D("Lisinopril 10 mg tablet", DAILY), D("Amlodipine 5 mg tablet", DAILY),
         D("Losartan 50 mg tablet", DAILY),
         D("Hydrochlorothiazide 25 mg tablet", "1 tablet by mouth every morning")),
        switches=(
            Switch(D("Lisinopril 10 mg tablet", DAILY), "Dry cough; changed to losartan",
                   D("Losartan 50 mg tablet", DAILY)),
            Switch(D("Amlodipine 10 mg tablet", DAILY), "Ankle swelling",
                   D("Lisinopril 20 mg tablet", DAILY)),
        ),
    ),
    Condition(
        "hyperlipidemia", ("E78.5", "E78.00"), ((30, 0.05), (40, 0.15), (55, 0.32), (65, 0.42)),
        (D("Atorvastatin 20 mg tablet", "1 tablet by mouth at bedtime"),
         D("Rosuvastatin 10 mg tablet", DAILY)),
        switches=(
            Switch(D("Simvastatin 40 mg tablet", "1 tablet by mouth at bedtime"), "Muscle aches",
                   D("Rosuvastatin 5 mg tablet", DAILY)),
        ),
    ),
    Condition(
        "t2dm", ("E11.9", "E11.65"), ((30, 0.02), (45, 0.08), (60, 0.16), (70, 0.21)),
        (D("Metformin 500 mg tablet", "1 tablet by mouth twice daily with meals"),
         D("Metformin 1,000 mg tablet", "1 tablet by mouth twice daily with meals")),
        extras=(D("Empagliflozin 10 mg tablet", "1 tablet by mouth every morning"),
                D("Glipizide 5 mg tablet", "1 tablet by mouth daily before breakfast")),
        switches=(
            Switch(D("Metformin 500 mg tablet", "1 tablet by mouth twice daily with meals"),
                   "Dose increased for A1c above goal",
                   D("Metformin 1,000 mg tablet", "1 tablet by mouth twice daily with meals")),
        ),
        excludes=("prediabetes", "t1dm"),
        min_onset_age=25,
    ),
    Condition("prediabetes", ("R73.03",), ((30, 0.06), (45, 0.1)), excludes=("t2dm", "t1dm")),
    Condition(
        "t1dm", ("E10.9",), ((5, 0.002),),
        (D("Insulin glargine 100 units/mL pen", "Inject 14 units under the skin at bedtime"),),
        child_drugs=(
            D("Insulin glargine 100 units/mL pen", "Inject 8 units under the skin at bedtime"),
        ),
        extras=(D("Insulin lispro 100 units/mL pen",
                  "Inject under the skin with meals: 1 unit per 15 g of carbohydrate"),),
        extra_share=1.0,
        excludes=("t2dm", "prediabetes"),
    ),
    Condition(
        "hypothyroidism", ("E03.9", "E06.3"),
        ((10, 0.004), (30, 0.03), (50, 0.07), (65, 0.1)),
        tuple(D(f"Levothyroxine {dose} mcg tablet",
                "1 tablet by mouth every morning, 30 minutes before breakfast")
              for dose in (50, 75, 88, 100)),
        child_drugs=(D("Levothyroxine 25 mcg tablet",
                       "1 tablet by mouth every morning, 30 minutes before breakfast"),),
        male=0.25,
    ),
    Condition(
        "asthma", ("J45.909", "J45.20", "J45.30"),
        ((2, 0.04), (5, 0.08), (18, 0.09), (40, 0.08)),
        (D("Albuterol HFA 90 mcg/actuation inhaler",
           "2 puffs every 4 to 6 hours as needed for wheeze or shortness of breath"),),
        child_drugs=(D("Albuterol HFA 90 mcg/actuation inhaler",
                       "2 puffs with spacer every 4 to 6 hours as needed for wheeze"),),
        extras=(D("Fluticasone HFA 110 mcg/actuation inhaler",
                  "2 puffs twice daily; rinse mouth after use"),),
    ),
    Condition(
        "depression", ("F32.A", "F33.1", "F32.1"), ((12, 0.02), (18, 0.07), (65, 0.05)),
        (D("Sertraline 50 mg tablet", DAILY), D("Escitalopram 10 mg tablet", DAILY),
         D("Bupropion XL 150 mg tablet", "1 tablet by mouth every morning")),
        switches=(
            Switch(D("Citalopram 20 mg tablet", DAILY), "Not effective after 8 weeks",
                   D("Bupropion XL 150 mg tablet", "1 tablet by mouth every morning")),
            Switch(D("Fluoxetine 20 mg capsule", "1 capsule by mouth every morning"),
                   "Nausea and poor sleep", D("Escitalopram 10 mg tablet", DAILY)),
        ),
        female=1.4, male=0.7,
    ),
    Condition(
        "anxiety", ("F41.1",), ((6, 0.02), (18, 0.06), (65, 0.04)),
        (D("Buspirone 10 mg tablet", "1 tablet by mouth twice daily"),
         D("Sertraline 50 mg tablet", DAILY)),
        child_drugs=(),
        female=1.5, male=0.6,
    ),
    Condition(
        "gerd", ("K21.9",), ((18, 0.03), (30, 0.08), (50, 0.12)),
        (D("Omeprazole 20 mg capsule", "1 capsule by mouth daily before breakfast"),
         D("Famotidine 20 mg tablet", "1 tablet by mouth twice daily"),
         D("Pantoprazole 40 mg tablet", "1 tablet by mouth daily before breakfast")),
    ),
    Condition(
        "back_pain", ("M54.50",), ((18, 0.03), (30, 0.07), (50, 0.09)),
        (D("Ibuprofen 600 mg tablet", "1 tablet by mouth every 8 hours as needed, with food"),
         D("Naproxen 500 mg tablet", "1 tablet by mouth twice daily as needed, with food")),
        extras=(D("Cyclobenzaprine 5 mg tablet", "1 tablet by mouth at bedtime as needed"),),
        extra_share=0.25,
    ),
    Condition(
        "osteoarthritis", ("M17.0", "M17.11", "M17.12", "M19.90"),
        ((45, 0.05), (60, 0.15), (75, 0.28)),
        (D("Acetaminophen 500 mg tablet", "2 tablets by mouth every 8 hours as needed for pain"),
         D("Meloxicam 7.5 mg tablet", "1 tablet by mouth once daily with food"),
         D("Diclofenac 1% gel", "Apply 4 g to the painful joint four times daily")),
    ),
    Condition(
        "allergic_rhinitis", ("J30.9", "J30.2", "J30.81"),
        ((2, 0.04), (5, 0.1), (18, 0.14), (65, 0.07)),
        (D("Cetirizine 10 mg tablet", DAILY),
         D("Fluticasone propionate 50 mcg/spray nasal spray",
           "2 sprays in each nostril once daily"),
         D("Loratadine 10 mg tablet", DAILY)),
        child_drugs=(D("Cetirizine 1 mg/mL oral solution", "5 mL by mouth once daily"),),
    ),
    Condition(
        "migraine", ("G43.909",), ((12, 0.02), (18, 0.06), (50, 0.03)),
        (D("Sumatriptan 50 mg tablet",
           "1 tablet at the start of a migraine; may repeat once after 2 hours"),
         D("Rizatriptan 10 mg tablet",
           "1 tablet at the start of a migraine; may repeat once after 2 hours")),
        female=1.6, male=0.5,
    ),
    Condition(
        "afib", ("I48.91",), ((55, 0.01), (65, 0.04), (75, 0.09)),
        (D("Apixaban 5 mg tablet", "1 tablet by mouth twice daily"),),
        extras=(D("Metoprolol succinate ER 25 mg tablet", DAILY),),
        extra_share=1.0,
    ),
    Condition(
        "copd", ("J44.9",), ((45, 0.04), (60, 0.1), (70, 0.14)),
        (D("Tiotropium 18 mcg inhalation capsule", "Inhale the contents of 1 capsule once daily"),),
        extras=(D("Albuterol HFA 90 mcg/actuation inhaler",
                  "2 puffs every 4 to 6 hours as needed for shortness of breath"),),
        extra_share=1.0,
        smokers_only=True,
    ),
    Condition(
        "bph", ("N40.0",), ((50, 0.15), (60, 0.3), (70, 0.45)),
        (D("Tamsulosin 0.4 mg capsule", "1 capsule by mouth 30 minutes after supper"),),
        female=0.0,
    ),
    Condition(
        "osteoporosis", ("M81.0",), ((60, 0.1), (70, 0.2)),
        (D("Alendronate 70 mg tablet",
           "1 tablet weekly with a full glass of water, 30 minutes before food; stay upright"),),
        extras=(D("Calcium 600 mg with vitamin D3 400 units tablet",
                  "1 tablet by mouth twice daily"),),
        extra_share=0.8,
        male=0.2,
    ),
    Condition(
        "cad", ("I25.10",), ((50, 0.03), (65, 0.08), (75, 0.13)),
        (D("Aspirin 81 mg delayed-release tablet", DAILY),),
        extras=(D("Nitroglycerin 0.4 mg sublingual tablet",
                  "1 tablet under the tongue every 5 minutes as needed for chest pain, up to 3"),),
        extra_share=0.6,
        male=1.4, female=0.7,
    ),
    Condition(
        "adhd", ("F90.9", "F90.0"), ((6, 0.07), (13, 0.08), (18, 0.05), (30, 0.02), (45, 0.0)),
        (D("Methylphenidate ER 18 mg tablet", "1 tablet by mouth every morning"),
         D("Methylphenidate ER 27 mg tablet", "1 tablet by mouth every morning")),
        child_drugs=(D("Methylphenidate ER 18 mg tablet", "1 tablet by mouth every morning"),),
        male=1.5, female=0.6,
    ),
    Condition(
        "eczema", ("L20.9",), ((0, 0.1), (6, 0.07), (13, 0.04), (18, 0.02)),
        (D("Triamcinolone 0.1% cream", "Apply a thin layer to rough patches twice daily"),),
        child_drugs=(D("Hydrocortisone 2.5% cream",
                       "Apply a thin layer to rough patches twice daily, up to 2 weeks"),),
        extras=(D("White petrolatum ointment", "Apply to the skin after bathing every day"),),
        extra_share=0.5,
    ),
    Condition(
        "ckd", ("N18.31", "N18.30"), ((60, 0.08), (70, 0.16)), needs=("t2dm", "hypertension")
    ),
    Condition("sleep_apnea", ("G47.33",), ((35, 0.05), (50, 0.1)), needs=("obesity",)),
    Condition(
        "insomnia", ("G47.00",), ((25, 0.03), (60, 0.06)),
        (D("Melatonin 3 mg tablet", "1 tablet by mouth at bedtime as needed"),
         D("Trazodone 50 mg tablet", "1 tablet by mouth at bedtime as needed for sleep")),
    ),
    Condition(
        "vitamin_d", ("E55.9",), ((18, 0.05),),
        (D("Cholecalciferol (vitamin D3) 2,000 units capsule", "1 capsule by mouth once daily"),),
        child_drugs=(D("Cholecalciferol (vitamin D3) 400 units/mL drops", "1 mL by mouth daily"),),
    ),
    Condition(
        "gout", ("M10.9",), ((40, 0.04), (60, 0.07)),
        (D("Allopurinol 100 mg tablet", DAILY),),
        female=0.3,
    ),
    Condition(
        "anemia", ("D50.9",), ((13, 0.02), (18, 0.04), (50, 0.02)),
        (D("Ferrous sulfate 325 mg tablet", "1 tablet by mouth once daily with orange juice"),),
        child_drugs=(D("Ferrous sulfate 75 mg/mL oral drops", "1 mL by mouth once daily"),),
        male=0.3,
    ),
    # Only when a visit or a measurement says so:
    Condition("obesity", ("E66.811",)),
    Condition("elevated_bp", ("R03.0",)),
    Condition("wheezing", ("R06.2",)),
    Condition("adjustment", ("F43.20",)),
    Condition("nicotine", ("F17.210",)),
    Condition(
        "b12", ("E53.8",),
        drugs=(D("Cyanocobalamin 1,000 mcg/mL injection", "1 mL into the muscle monthly"),),
    ),
)  # fmt: skip
BY_KEY = {condition.key: condition for condition in CONDITIONS}
OBESITY_CODES = ((40.0, "E66.813"), (35.0, "E66.812"), (30.0, "E66.811"))  # BMI from: code
CHILD_OBESITY_CODE = "E66.9"  # a child's BMI above the 95th centile has no adult class

# A follow-up's reason → the conditions it implies, by the youngest age each fits.
FOLLOW_UP_CONDITIONS: dict[str, tuple[tuple[int, tuple[str, ...]], ...]] = {
    "Blood pressure check": ((18, ("hypertension",)), (0, ("elevated_bp",))),
    "New patient: blood pressure": ((18, ("hypertension",)), (0, ("elevated_bp",))),
    "Diabetes follow-up": ((25, ("t2dm",)), (0, ("t1dm",))),
    "Thyroid follow-up": ((0, ("hypothyroidism",)),),
    "Asthma check": ((2, ("asthma",)), (0, ("wheezing",))),
    "Back pain follow-up": ((8, ("back_pain",)),),
    "Mood follow-up": ((12, ("depression", "anxiety")), (5, ("anxiety",)), (0, ("adjustment",))),
    "Weight management": ((0, ("obesity",)),),
    "Allergy shot": ((0, ("allergic_rhinitis",)),),
    "B12 injection": ((0, ("b12",)),),
    "Medication review": (
        (18, ("hypertension", "hyperlipidemia", "hypothyroidism", "gerd")),
        (0, ("asthma", "allergic_rhinitis")),
    ),
    "Lab results": ((18, ("hyperlipidemia", "prediabetes", "vitamin_d")), (0, ("anemia",))),
}
# The conditions a "Medication review" or "Lab results" note can be about.
REVIEWABLE = frozenset(c.key for c in CONDITIONS if c.drugs or c.key in ("prediabetes", "ckd"))


def implied_conditions(reason: str | None, age: float) -> tuple[str, ...]:
    """The conditions one of which a follow-up for `reason` at `age` is about."""
    for youngest, keys in FOLLOW_UP_CONDITIONS.get(reason or "", ()):
        if age >= youngest:
            return keys
    return ()


def obesity_code(bmi: float) -> str | None:
    return next((code for floor, code in OBESITY_CODES if bmi >= floor), None)


def pick_drugs(
    condition: Condition, age: float, rng: random.Random
) -> tuple[list[Drug], Switch | None]:
    """The medicines taken for `condition` now, and the one stopped before (if any)."""
    # Under 12 only the medicines with a children's form or dose (none: no medicine).
    choices = condition.child_drugs if age < 12 else condition.drugs
    if not choices:
        return [], None
    switch = None
    if condition.switches and age >= 18 and rng.random() < 0.2:
        switch = rng.choice(condition.switches)
        taking = [switch.then]
    else:
        taking = [rng.choice(choices)]
    if (
        condition.extras
        and (age >= 12 or condition.key == "t1dm")
        and rng.random() < condition.extra_share
    ):
        taking.append(rng.choice(condition.extras))
    return taking, switch
