"""Demo allergies and past, family and social history: tables and the pickers that turn
them into chart rows for one patient. Shares are rough figures for a US primary-care panel
(about 1 in 10 people report a penicillin allergy, CDC; food allergies mostly in children);
nothing here is clinical guidance."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime

from app.models import (
    Allergy,
    AllergyCategory,
    AllergyStatus,
    AllergyType,
    Criticality,
    FamilyHistory,
    HistoryKind,
    PastHistory,
    Severity,
    SmokingStatus,
    SocialHistory,
)
from app.services.allergies import NO_KNOWN_ALLERGIES

MED, FOOD, ENV, OTHER = (
    AllergyCategory.MEDICATION,
    AllergyCategory.FOOD,
    AllergyCategory.ENVIRONMENT,
    AllergyCategory.OTHER,
)
ALLERGY, INTOLERANCE = AllergyType.ALLERGY, AllergyType.INTOLERANCE
MILD, MODERATE, SEVERE = Severity.MILD, Severity.MODERATE, Severity.SEVERE
LOW, HIGH = Criticality.LOW, Criticality.HIGH


@dataclass(frozen=True)
class Allergen:
    substance: str
    category: AllergyCategory
    type: AllergyType
    reactions: tuple[tuple[str, Severity, Criticality], ...]
    weight: float  # how often, relative to the others
    avoid: tuple[str, ...] = ()  # words of drug names the patient must not be given
    child_only: bool = False  # mostly children's allergies (outgrown later)


ALLERGENS = (
    Allergen("Penicillin", MED, ALLERGY,
             (("Hives", MODERATE, LOW), ("Rash", MILD, LOW), ("Anaphylaxis", SEVERE, HIGH)),
             30, ("penicillin", "amoxicillin")),
    Allergen("Amoxicillin", MED, ALLERGY, (("Rash", MILD, LOW),), 6, ("amoxicillin",)),
    Allergen("Sulfonamide antibiotics", MED, ALLERGY,
             (("Rash", MODERATE, LOW), ("Hives", MODERATE, LOW)), 14, ("sulfamethoxazole",)),
    Allergen("Codeine", MED, INTOLERANCE, (("Nausea and vomiting", MILD, LOW),), 8, ("codeine",)),
    Allergen("Cephalexin", MED, ALLERGY, (("Hives", MODERATE, LOW),), 3, ("cephalexin",)),
    Allergen("Lisinopril", MED, ALLERGY,
             (("Angioedema of lips and tongue", SEVERE, HIGH),), 2, ("lisinopril",)),
    Allergen("Ibuprofen", MED, INTOLERANCE, (("Stomach pain", MILD, LOW),), 4,
             ("ibuprofen", "naproxen", "meloxicam")),
    Allergen("Morphine", MED, INTOLERANCE, (("Itching", MILD, LOW),), 2, ("morphine",)),
    Allergen("Iodinated contrast media", MED, ALLERGY, (("Hives", MODERATE, LOW),), 2),
    Allergen("Peanut", FOOD, ALLERGY,
             (("Anaphylaxis", SEVERE, HIGH), ("Hives and lip swelling", MODERATE, HIGH)), 7),
    Allergen("Tree nuts", FOOD, ALLERGY, (("Throat tightness and hives", SEVERE, HIGH),), 3),
    Allergen("Shellfish", FOOD, ALLERGY,
             (("Hives", MODERATE, LOW), ("Vomiting and wheeze", SEVERE, HIGH)), 5),
    Allergen("Egg", FOOD, ALLERGY, (("Hives", MILD, LOW),), 3, child_only=True),
    Allergen("Cow's milk protein", FOOD, ALLERGY, (("Vomiting and rash", MODERATE, LOW),), 2,
             child_only=True),
    Allergen("Lactose", FOOD, INTOLERANCE, (("Bloating and diarrhea", MILD, LOW),), 4),
    Allergen("Latex", ENV, ALLERGY, (("Contact dermatitis", MILD, LOW),), 3),
    Allergen("Bee stings", ENV, ALLERGY,
             (("Large local swelling", MODERATE, LOW), ("Anaphylaxis", SEVERE, HIGH)), 3),
    Allergen("Cat dander", ENV, ALLERGY, (("Sneezing and itchy eyes", MILD, LOW),), 5),
    Allergen("Adhesive tape", OTHER, INTOLERANCE, (("Skin irritation", MILD, LOW),), 2),
)  # fmt: skip
LISTED_SHARE = 0.22  # of patients who were asked: at least one allergy
NOT_ASKED_WITH_VISITS = 0.03  # charts nobody has recorded allergies in
NOT_ASKED_WITHOUT_VISITS = 0.35


def allergy_rows(
    patient_id: str,
    age: float,
    had_visits: bool,
    recorded_at: datetime,
    today: date,
    rng: random.Random,
) -> list[Allergy]:
    """The patient's allergy list: allergies, an explicit "no known allergies", or nothing."""
    if rng.random() < (NOT_ASKED_WITH_VISITS if had_visits else NOT_ASKED_WITHOUT_VISITS):
        return []
    stamp = {"created_at": recorded_at, "updated_at": recorded_at}
    if rng.random() >= LISTED_SHARE:
        return [
            Allergy(
                patient_id=patient_id,
                no_known=True,
                substance=NO_KNOWN_ALLERGIES,
                category=OTHER,
                type=ALLERGY,
                status=AllergyStatus.ACTIVE,
                **stamp,
            )
        ]
    pool = [a for a in ALLERGENS if not a.child_only or age < 18]
    chosen: list[Allergen] = []
    for _ in range(rng.choices((1, 2, 3), (70, 22, 8))[0]):
        allergen = rng.choices(pool, [a.weight for a in pool])[0]
        if allergen not in chosen:
            chosen.append(allergen)
    rows = []
    for allergen in chosen:
        reaction, severity, criticality = rng.choice(allergen.reactions)
        outgrown = allergen.child_only and age >= 4 and rng.random() < 0.4
        onset = None
        if rng.random() < 0.4 and age >= 1:
            onset = date(today.year - rng.randrange(int(min(age, 30)) + 1), rng.randint(1, 12), 1)
            onset = min(onset, today)
        rows.append(
            Allergy(
                patient_id=patient_id,
                no_known=False,
                substance=allergen.substance,
                category=allergen.category,
                type=allergen.type,
                reaction=reaction,
                severity=severity,
                criticality=criticality,
                onset_on=onset,
                status=AllergyStatus.RESOLVED if outgrown else AllergyStatus.ACTIVE,
                note="Outgrown: now eats it baked into food without a reaction."
                if outgrown
                else None,
                **stamp,
            )
        )
    if all(row.status is not AllergyStatus.ACTIVE for row in rows):
        rows.append(  # only outgrown ones: the clinician then stated there are none left
            Allergy(
                patient_id=patient_id,
                no_known=True,
                substance=NO_KNOWN_ALLERGIES,
                category=OTHER,
                type=ALLERGY,
                status=AllergyStatus.ACTIVE,
                **stamp,
            )
        )
    return rows


def avoided_words(rows: list[Allergy]) -> frozenset[str]:
    """Words of drug names this patient must not be prescribed (active allergies only)."""
    words: set[str] = set()
    for row in rows:
        if row.status is AllergyStatus.ACTIVE and not row.no_known:
            allergen = next((a for a in ALLERGENS if a.substance == row.substance), None)
            words.update(allergen.avoid if allergen else ())
    return frozenset(words)


# --- past medical and surgical history ---------------------------------------------------

# description, ICD-10-CM code or None, youngest age, sex ("F", "M" or ""), share, when
PAST: tuple[tuple[HistoryKind, str, str | None, int, str, float, str | None], ...] = (
    (HistoryKind.MEDICAL, "Chickenpox", "B01.9", 30, "", 0.35, "childhood"),
    (HistoryKind.MEDICAL, "Pneumonia, treated as an outpatient", "J18.9", 3, "", 0.05, None),
    (HistoryKind.MEDICAL, "Infectious mononucleosis", "B27.90", 17, "", 0.04, None),
    (HistoryKind.MEDICAL, "Kidney stone, passed", "N20.0", 25, "", 0.05, None),
    (HistoryKind.MEDICAL, "Gestational diabetes", "O24.419", 25, "F", 0.05, None),
    (HistoryKind.MEDICAL, "Fracture of the right wrist", "S52.501A", 8, "", 0.05, None),
    (HistoryKind.MEDICAL, "Concussion", "S06.0X0A", 10, "", 0.03, None),
    (HistoryKind.MEDICAL, "Gallstones", "K80.20", 30, "F", 0.04, None),
    (HistoryKind.SURGICAL, "Appendectomy", None, 8, "", 0.06, None),
    (HistoryKind.SURGICAL, "Laparoscopic cholecystectomy", None, 25, "F", 0.08, None),
    (HistoryKind.SURGICAL, "Laparoscopic cholecystectomy", None, 30, "M", 0.03, None),
    (HistoryKind.SURGICAL, "Cesarean delivery", None, 22, "F", 0.15, None),
    (HistoryKind.SURGICAL, "Tonsillectomy and adenoidectomy", None, 5, "", 0.07, "childhood"),
    (HistoryKind.SURGICAL, "Ear tubes (tympanostomy)", None, 2, "", 0.05, "age 2"),
    (HistoryKind.SURGICAL, "Right knee arthroscopy", None, 25, "", 0.03, None),
    (HistoryKind.SURGICAL, "Total knee replacement, left", None, 60, "", 0.06, None),
    (HistoryKind.SURGICAL, "Cataract surgery with lens implant, right eye", None, 65, "", 0.15,
     None),
    (HistoryKind.SURGICAL, "Hysterectomy", None, 40, "F", 0.1, None),
    (HistoryKind.SURGICAL, "Inguinal hernia repair", None, 25, "M", 0.06, None),
    (HistoryKind.SURGICAL, "Wisdom teeth extraction", None, 18, "", 0.2, None),
    (HistoryKind.SURGICAL, "Colonoscopy with removal of two polyps", None, 50, "", 0.1, None),
)  # fmt: skip


def past_history_rows(
    patient_id: str, age: float, female: bool, today: date, recorded_at: datetime,
    rng: random.Random,
) -> list[PastHistory]:  # fmt: skip
    rows = []
    for kind, description, code, youngest, sex, share, when in PAST:
        if age < youngest or sex == ("M" if female else "F") or rng.random() >= share:
            continue
        if when is None:
            years_ago = rng.randint(1, max(1, int(age - youngest) + 1))
            when = str(today.year - years_ago)
            if rng.random() < 0.3:
                when = f"{date(2000, rng.randint(1, 12), 1):%b} {when}"
        rows.append(
            PastHistory(
                patient_id=patient_id,
                kind=kind,
                description=description,
                icd10_code=code,
                when_text=when,
                created_at=recorded_at,
                updated_at=recorded_at,
            )
        )
    return rows


# --- family history ------------------------------------------------------------------------

_WOMEN = ("mother", "sister", "maternal_grandmother", "paternal_grandmother", "aunt")
_MEN = ("father", "brother", "maternal_grandfather", "paternal_grandfather", "uncle")
_PARENTS = ("mother", "father")
_GRANDPARENTS = (
    "maternal_grandmother",
    "maternal_grandfather",
    "paternal_grandmother",
    "paternal_grandfather",
)
# condition, code, relatives it is told of, onset ages, share, deceased share
FAMILY: tuple[tuple[str, str, tuple[str, ...], tuple[int, int], float, float], ...] = (
    ("High blood pressure", "I10", _PARENTS, (40, 65), 0.35, 0.0),
    ("Type 2 diabetes", "E11.9", (*_PARENTS, *_GRANDPARENTS), (40, 70), 0.22, 0.1),
    ("High cholesterol", "E78.5", _PARENTS, (40, 60), 0.2, 0.0),
    ("Coronary artery disease", "I25.10", ("father", "paternal_grandfather", "uncle"), (50, 72),
     0.1, 0.3),
    ("Heart attack", "I21.9", ("father", "maternal_grandfather", "paternal_grandfather"), (48, 75),
     0.08, 0.7),
    ("Stroke", "I63.9", _GRANDPARENTS, (65, 85), 0.1, 0.7),
    ("Breast cancer", "C50.919", ("mother", "sister", "maternal_grandmother", "aunt"), (38, 72),
     0.08, 0.3),
    ("Colon cancer", "C18.9", (*_PARENTS, *_GRANDPARENTS), (50, 78), 0.05, 0.4),
    ("Prostate cancer", "C61", ("father", "paternal_grandfather", "maternal_grandfather"),
     (60, 80), 0.05, 0.3),
    ("Alzheimer's disease", "G30.9", _GRANDPARENTS, (70, 88), 0.08, 0.8),
    ("Depression", "F32.A", (*_PARENTS, "sister", "brother"), (18, 45), 0.08, 0.0),
    ("Asthma", "J45.909", (*_PARENTS, "sister", "brother"), (3, 20), 0.06, 0.0),
    ("Lung cancer", "C34.90", _GRANDPARENTS, (60, 80), 0.04, 0.9),
    ("Alcohol use disorder", "F10.20", ("father", "uncle", "paternal_grandfather"), (25, 50),
     0.04, 0.3),
)  # fmt: skip


def family_history_rows(
    patient_id: str, age: float, recorded_at: datetime, rng: random.Random
) -> list[FamilyHistory]:
    rows = []
    for condition, code, relatives, (low, high), share, deceased in FAMILY:
        if rng.random() >= share:
            continue
        relative = rng.choice(relatives)
        if relative in ("sister", "brother") and age < 10:
            continue  # a young child's siblings are younger still
        onset = rng.randint(low, high) if rng.random() < 0.7 else None
        rows.append(
            FamilyHistory(
                patient_id=patient_id,
                relative=relative,
                condition=condition,
                icd10_code=code,
                age_at_onset=onset,
                deceased=(relative in _GRANDPARENTS or age > 55) and rng.random() < deceased,
                created_at=recorded_at,
                updated_at=recorded_at,
            )
        )
    return rows


# --- social history ------------------------------------------------------------------------

OCCUPATIONS = (
    "Teacher", "Registered nurse", "Truck driver", "Software developer", "Accountant",
    "Electrician", "Warehouse associate", "Cashier", "Farmer", "Homemaker", "Mechanic", "Chef",
    "Attorney", "Sales representative", "Construction worker", "Office manager", "Mail carrier",
    "Hair stylist", "Police officer", "Pharmacy technician", "Plumber", "Bank teller",
    "Machine operator", "Graphic designer", "Unemployed, looking for work",
)  # fmt: skip
ALCOHOL = (
    ("None", 35), ("Socially, 1-2 drinks a week", 34), ("3-7 drinks a week", 20),
    ("2-3 beers most evenings", 6), ("None since 2018 (in recovery)", 3), ("Rarely", 2),
)  # fmt: skip
SMOKING = (
    (SmokingStatus.NEVER, 57), (SmokingStatus.FORMER, 25), (SmokingStatus.CURRENT_EVERY_DAY, 12),
    (SmokingStatus.CURRENT_SOME_DAYS, 4), (SmokingStatus.UNKNOWN, 2),
)  # fmt: skip
SMOKERS = frozenset(
    {SmokingStatus.FORMER, SmokingStatus.CURRENT_EVERY_DAY, SmokingStatus.CURRENT_SOME_DAYS}
)


def smoking_status(age: float, rng: random.Random) -> SmokingStatus:
    if age < 13:
        return SmokingStatus.NEVER
    if age < 18:
        return SmokingStatus.CURRENT_SOME_DAYS if rng.random() < 0.04 else SmokingStatus.NEVER
    return rng.choices([status for status, _ in SMOKING], [weight for _, weight in SMOKING])[0]


def social_history_row(
    patient_id: str,
    age: float,
    smoking: SmokingStatus,
    today: date,
    recorded_at: datetime,
    rng: random.Random,
) -> SocialHistory:
    tobacco = None
    if smoking is SmokingStatus.CURRENT_EVERY_DAY:
        tobacco = f"{rng.choice(('Half a pack', '1 pack', '1 pack'))} a day for "
        tobacco += f"{rng.randint(3, max(3, int(age) - 16))} years; thinking about quitting"
    elif smoking is SmokingStatus.CURRENT_SOME_DAYS:
        tobacco = rng.choice(("A few cigarettes on weekends", "Vapes nicotine most days"))
    elif smoking is SmokingStatus.FORMER:
        quit = today.year - rng.randint(1, max(1, int(age) - 20))
        tobacco = f"Quit in {quit}; about {rng.randint(3, 30)} pack-years"
    alcohol = drugs = occupation = note = None
    if age < 5:
        note = rng.choice(("Lives with both parents", "Lives with mother", "Attends daycare"))
        note += "; no smokers in the home."
    elif age < 18:
        occupation = "Student"
        note = f"Grade {min(12, max(1, int(age) - 5))}; "
        note += rng.choice(("plays soccer", "swims", "plays in the school band", "enjoys art"))
    else:
        texts, weights = zip(*ALCOHOL, strict=True)
        alcohol = rng.choices(texts, weights)[0]
        drugs = rng.choices(
            ("Denies", "Cannabis occasionally", "Cannabis in college; none now"), (85, 10, 5)
        )[0]
        if age < 23 and rng.random() < 0.6:
            occupation = "College student"
        elif age >= 67:
            occupation = f"Retired {rng.choice(OCCUPATIONS[:-1]).lower()}"
        else:
            occupation = rng.choice(OCCUPATIONS)
        note = rng.choice(
            ("Married, two children", "Lives alone", "Lives with partner", "Widowed; lives alone",
             "Single, lives with roommates", "Married; exercises three times a week")
        )  # fmt: skip
    return SocialHistory(
        patient_id=patient_id,
        smoking_status=smoking,
        tobacco_note=tobacco,
        alcohol=alcohol,
        drugs=drugs,
        occupation=occupation,
        note=note,
        created_at=recorded_at,
        updated_at=recorded_at,
    )
