"""The coding assistant's rules: which office-visit (E/M) code a visit supports, and why.

Rules of the AMA CPT Evaluation and Management guidelines for office and other outpatient
visits, in effect since 1 January 2021 (the code levels and their thresholds are facts; the
wording here is ours):
- by total time on the date of the encounter, when the note states it (the ranges below);
- otherwise by medical decision making (MDM): the level that two of its three elements
  meet — problems addressed, data reviewed or ordered, risk of the management.
We approximate the MDM elements from the chart (the `VisitFacts` a visit is read into):
problems named in the assessment, tests and documents reviewed, and prescription drug
management. A person confirms every suggestion; the reasons say what it rests on.

Everything here is pure (tables and functions of plain data); app.services.coding_assistant
reads a visit's facts from the database and asks `suggest_em`.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass

from app.models import EncounterType


class MdmLevel(enum.IntEnum):
    STRAIGHTFORWARD = 1
    LOW = 2
    MODERATE = 3
    HIGH = 4

    @property
    def label(self) -> str:
        return self.name.lower()


class Basis(enum.StrEnum):
    TIME = "time"
    MDM = "mdm"
    PREVENTIVE = "preventive"
    NURSE_VISIT = "nurse_visit"
    NONE = "none"  # no office-visit code for this visit


# Total time on the date of the encounter (AMA CPT 2021 office E/M guidelines):
# (from minutes, to minutes, code). 99211 has no time range.
NEW_PATIENT_TIME = ((15, 29, "99202"), (30, 44, "99203"), (45, 59, "99204"), (60, 74, "99205"))
ESTABLISHED_TIME = ((10, 19, "99212"), (20, 29, "99213"), (30, 39, "99214"), (40, 54, "99215"))
# The code for each level of medical decision making: (new patient, established).
MDM_CODES = {
    MdmLevel.STRAIGHTFORWARD: ("99202", "99212"),
    MdmLevel.LOW: ("99203", "99213"),
    MdmLevel.MODERATE: ("99204", "99214"),
    MdmLevel.HIGH: ("99205", "99215"),
}
# Preventive medicine visits by age on the day (CPT 99381-99387 new, 99391-99397
# established): (from age in years, up to age, new, established, label).
PREVENTIVE_CODES = (
    (0, 1, "99381", "99391", "under 1 year"),
    (1, 5, "99382", "99392", "1–4 years"),
    (5, 12, "99383", "99393", "5–11 years"),
    (12, 18, "99384", "99394", "12–17 years"),
    (18, 40, "99385", "99395", "18–39 years"),
    (40, 65, "99386", "99396", "40–64 years"),
    (65, 200, "99387", "99397", "65 years and over"),
)
NURSE_VISIT_CODE = "99211"  # established patient, may not need the physician
PROLONGED_ADD_ON = "99417"
ESTABLISHED_WITHIN_YEARS = 3  # AMA: seen by the group (same specialty) within 3 years

# -- reading the note's words ---------------------------------------------------------------

# "Total time 32 min", "I spent 45 minutes", "Time: 32 min", "32 minutes total".
_TIME_PATTERNS = (
    re.compile(r"\btotal\s+(?:time|of)\b[^0-9\n]{0,50}?(\d{1,3})\s*min", re.I),
    re.compile(r"\bspent\b[^0-9\n]{0,30}?(\d{1,3})\s*min", re.I),
    re.compile(r"\btime\s*(?:spent)?\s*[:=]?\s*(\d{1,3})\s*min", re.I),
    re.compile(r"(\d{1,3})\s*min(?:utes?|s)?\s+(?:total|in total|spent)\b", re.I),
)
# An ICD-10-CM code in brackets, as the .problems snippet and clinicians write it: "(I10)".
ICD10_IN_TEXT = re.compile(r"\(([A-TV-Z][0-9][0-9AB](?:\.[0-9A-Z]{1,4})?)\)")
# The assessment says a chronic problem is not stable. AMA: a patient not at their
# treatment goal is not stable (progression), even if unchanged.
WORSENING_WORDS = (
    "worse",
    "worsening",
    "exacerbation",
    "flare",
    "uncontrolled",
    "not well controlled",
    "poorly controlled",
    "above goal",
    "above the goal",
    "not at goal",
    "progressing",
    "progression",
    "side effect",
)
SEVERE_WORDS = ("severe exacerbation", "threat to life", "life-threatening", "life threatening")
HOSPITAL_WORDS = (
    "admit to",
    "admitted to the hospital",
    "hospitalization",
    "hospitalisation",
    "sent to the emergency",
    "to the emergency department",
)
# One word list per unique test (ordering and reviewing the same test counts once).
TEST_WORDS: dict[str, tuple[str, ...]] = {
    "A1c": ("a1c",),
    "lipid panel": ("lipid", "ldl", "cholesterol panel"),
    "TSH": ("tsh", "thyroid function"),
    "blood count": ("cbc", "blood count"),
    "metabolic panel": ("metabolic panel", "bmp", "cmp", "kidney function", "creatinine"),
    "potassium": ("potassium",),
    "urinalysis": ("urinalysis", "urine dipstick", "urine culture"),
    "urine albumin": ("urine albumin", "microalbumin"),
    "rapid strep test": ("rapid strep", "strep test", "throat culture"),
    "influenza test": ("flu test", "influenza test", "rapid flu"),
    "COVID-19 test": ("covid test", "covid-19 test", "sars-cov-2 test"),
    "pregnancy test": ("pregnancy test",),
    "ECG": ("ecg", "ekg", "electrocardiogram"),
    "chest x-ray": ("chest x-ray", "chest xray", "cxr"),
    "x-ray": ("x-ray of", "xray of"),
    "spirometry": ("spirometry", "pulmonary function"),
    "PSA": ("psa",),
    "vitamin D": ("vitamin d level", "25-oh vitamin d"),
}
HISTORIAN_WORDS = ("parent", "mother", "father", "guardian", "caregiver", "historian")
PRESCRIPTION_WORDS = (
    "prescri",
    "refill",
    "antibiotic",
    "increase the dose",
    "decrease the dose",
    "adjust the dose",
    "step up",
    "taper",
)
OTC_WORDS = (
    *("over-the-counter", "over the counter", "otc", "acetaminophen", "ibuprofen"),
    *("naproxen", "cetirizine", "loratadine", "fexofenadine", "guaifenesin"),
)
PREVENTIVE_WORDS = (
    "annual physical",
    "physical exam",
    "preventive",
    "well child",
    "well-child",
    "well baby",
    "well-baby",
    "wellness",
    "checkup",
    "check-up",
)


def documented_minutes(texts: Iterable[str]) -> int | None:
    """The total time the note states; the last statement wins (an addendum may correct it)."""
    found: int | None = None
    for text in texts:
        hits = [(m.start(), int(m.group(1))) for p in _TIME_PATTERNS for m in p.finditer(text)]
        if hits:
            found = max(hits)[1]
    return found


def mentions(text: str, words: Iterable[str]) -> list[str]:
    """The words (or phrases) found in `text` as whole words, case-insensitive."""
    lowered = text.casefold()
    return [w for w in words if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", lowered)]


def tests_named(text: str) -> list[str]:
    return [test for test, words in TEST_WORDS.items() if mentions(text, words)]


# -- the facts of a visit, and the suggestion ---------------------------------------------


@dataclass(frozen=True)
class VisitFacts:
    """What the assistant needs to know about a signed visit (see coding_assistant)."""

    encounter_type: EncounterType
    new_patient: bool
    age_years: int
    preventive: bool
    documented_minutes: int | None = None
    chronic_problems: tuple[str, ...] = ()  # on the list before the visit, addressed now
    new_problems: tuple[str, ...] = ()  # diagnosed in this visit (or named, not on the list)
    worsening: bool = False  # a chronic problem worse or not at its goal
    severe: bool = False  # a severe exacerbation or a threat to life
    tests: tuple[str, ...] = ()  # unique tests ordered or reviewed
    documents_reviewed: int = 0  # outside reports and letters reviewed for the visit
    independent_historian: bool = False
    prescription_drugs: tuple[str, ...] = ()  # the prescription drugs managed
    over_the_counter: bool = False
    hospital_decision: bool = False
    immunizations: int = 0


@dataclass(frozen=True)
class EmSuggestion:
    code: str | None  # None: no office-visit code for this visit
    basis: Basis
    reasons: tuple[str, ...]
    new_patient: bool
    mdm: MdmLevel | None = None

    @property
    def why(self) -> str:
        return "; ".join(self.reasons)


def suggest_em(facts: VisitFacts) -> EmSuggestion:
    """The office-visit code the facts support and the reasons, in order of the rules."""
    status = "new patient" if facts.new_patient else "established patient"
    if facts.encounter_type is EncounterType.PHONE:
        return _none(facts, "Phone calls are not billed with an office-visit code")
    if facts.encounter_type is EncounterType.NURSING_VISIT:
        return _nurse_visit(facts)
    if facts.preventive:
        return _preventive(facts, status)
    minutes = facts.documented_minutes
    if minutes is not None:
        by_time = _by_time(minutes, facts.new_patient)
        if by_time is not None:
            code, reason = by_time
            return EmSuggestion(code, Basis.TIME, (f"{reason} ({status})",), facts.new_patient)
    level, reasons = mdm_level(facts)
    code = MDM_CODES[level][0 if facts.new_patient else 1]
    summary = f"{level.label} MDM → {code} ({status})"
    if minutes is not None:
        lowest = (NEW_PATIENT_TIME if facts.new_patient else ESTABLISHED_TIME)[0][0]
        reasons = (f"Time {minutes} min documented is under {lowest} min", *reasons)
    return EmSuggestion(code, Basis.MDM, (*reasons, summary), facts.new_patient, level)


def mdm_level(facts: VisitFacts) -> tuple[MdmLevel, tuple[str, ...]]:
    """The MDM level two of the three elements meet (the middle one of the three), with
    one reason per element."""
    elements = (_problems(facts), _data(facts), _risk(facts))
    level = sorted(e[0] for e in elements)[1]
    return level, tuple(f"{text} ({lvl.label})" for lvl, text in elements)


def _problems(f: VisitFacts) -> tuple[MdmLevel, str]:
    chronic, new = len(f.chronic_problems), len(f.new_problems)
    named = _count(chronic, "chronic problem") if chronic else ""
    if new:
        named = ", ".join(filter(None, (named, _count(new, "new problem"))))
    if f.severe:
        return MdmLevel.HIGH, f"Problems: {named or 'one'}, severe or a threat to life"
    if chronic and f.worsening:
        return MdmLevel.MODERATE, f"Problems: {named}, not stable (worse or not at goal)"
    if chronic >= 2:
        return MdmLevel.MODERATE, f"Problems: {named}"
    if chronic or new:
        return MdmLevel.LOW, f"Problems: {named}"
    return MdmLevel.STRAIGHTFORWARD, "Problems: none named in the assessment"


def _data(f: VisitFacts) -> tuple[MdmLevel, str]:
    items = [*f.tests]
    if f.documents_reviewed:
        items.append(_count(f.documents_reviewed, "document reviewed", "documents reviewed"))
    if f.independent_historian:
        items.append("independent historian")
    count = len(f.tests) + f.documents_reviewed + f.independent_historian
    text = f"Data: {', '.join(items)}" if items else "Data: none reviewed or ordered"
    if count >= 3:
        return MdmLevel.MODERATE, text
    if count >= 2 or f.independent_historian:
        return MdmLevel.LOW, text
    return MdmLevel.STRAIGHTFORWARD, text


def _risk(f: VisitFacts) -> tuple[MdmLevel, str]:
    if f.hospital_decision:
        return MdmLevel.HIGH, "Risk: decision about hospital care"
    if f.prescription_drugs:
        drugs = ", ".join(f.prescription_drugs[:3])
        return MdmLevel.MODERATE, f"Risk: prescription drug management ({drugs})"
    if f.over_the_counter:
        return MdmLevel.LOW, "Risk: over-the-counter drugs"
    return MdmLevel.STRAIGHTFORWARD, "Risk: minimal"


def _by_time(minutes: int, new_patient: bool) -> tuple[str, str] | None:
    table = NEW_PATIENT_TIME if new_patient else ESTABLISHED_TIME
    for low, high, code in table:
        if low <= minutes <= high:
            return code, f"Time {minutes} min documented → {code} ({low}–{high} min)"
    low, high, code = table[-1]
    if minutes > high:
        return code, (
            f"Time {minutes} min documented → {code} ({low}–{high} min); the time past "
            f"{high} min may add the prolonged-service code {PROLONGED_ADD_ON}"
        )
    return None  # under the lowest range: decide by MDM


def _preventive(f: VisitFacts, status: str) -> EmSuggestion:
    for low, high, new, established, ages in PREVENTIVE_CODES:
        if low <= f.age_years < high:
            code = new if f.new_patient else established
            reason = f"Preventive visit, {status} aged {f.age_years} → {code} ({ages})"
            return EmSuggestion(code, Basis.PREVENTIVE, (reason,), f.new_patient)
    raise ValueError(f"no preventive code for age {f.age_years}")  # pragma: no cover


def _nurse_visit(f: VisitFacts) -> EmSuggestion:
    if f.immunizations:
        return _none(f, "Nurse visit for vaccines: billed with the vaccine administration codes")
    if f.new_patient:
        return _none(
            f,
            "Nurse visit for a new patient: no office-visit code (99211 is for "
            "established patients)",
        )
    reason = f"Nurse visit, established patient → {NURSE_VISIT_CODE}"
    return EmSuggestion(NURSE_VISIT_CODE, Basis.NURSE_VISIT, (reason,), f.new_patient)


def _none(f: VisitFacts, reason: str) -> EmSuggestion:
    return EmSuggestion(None, Basis.NONE, (reason,), f.new_patient)


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"
