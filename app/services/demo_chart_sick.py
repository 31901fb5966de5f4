"""Demo sick visits: how a visit for each reason turned out (the note's words, the problem
it adds, the medicine prescribed) and weight-based doses for children. Usual primary-care
choices (e.g. amoxicillin for strep throat and otitis media, IDSA/AAP), written for a
believable demo; nothing here is clinical guidance.

Texts are str.format templates; every one must format with `SICK_CONTEXT_KEYS`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from app.services.demo_chart_facts import Drug

SICK_CONTEXT_KEYS = ("days", "side", "Side", "side_digit", "temp", "drug_line", "contact",
                     "trigger", "activity")  # fmt: skip


@dataclass(frozen=True)
class Finding:
    code: str  # the acute problem added to the list (str.format with the context)
    weight: float
    hpi: str
    ros: tuple[str, ...]
    exam: str
    assessment: str
    plan: str
    drug: str | None = None  # a key of `acute_drug`
    fever: bool = False
    pain: tuple[int, int] | None = None
    low_oxygen: bool = False
    lasts: int = 10  # days until it is resolved
    ages: tuple[float, float] = (0.0, 130.0)
    sex: str = ""  # "F" or "M": only for them
    follow_up: str = "As needed"


_F = Finding
SICK: dict[str, tuple[Finding, ...]] = {
    "Sore throat": (
        _F("J02.0", 4, "Sore throat for {days} with fever and pain on swallowing. No cough "
           "or runny nose. {contact}", ("Sore throat", "Fever"),
           "Tonsils enlarged with white exudate. Tender anterior cervical nodes. No trismus or "
           "uvular deviation. Lungs clear.",
           "Streptococcal pharyngitis (J02.0): rapid strep test positive.",
           "{drug_line}Acetaminophen or ibuprofen for pain and fever; salt-water gargles. "
           "Contagious until 12 hours on antibiotics. Return if unable to swallow fluids or "
           "worse after 3 days.", "strep", fever=True, ages=(3, 130)),
        _F("J02.9", 6, "Sore throat for {days} with runny nose and a mild cough. No fever "
           "at home.", ("Sore throat",),
           "Pharynx mildly red, no exudate. No cervical lymphadenopathy. Lungs clear.",
           "Acute viral pharyngitis (J02.9): rapid strep test negative.",
           "Fluids, honey and warm drinks, acetaminophen or ibuprofen as needed. Antibiotics "
           "would not help. Return if fever or worse after a week.", lasts=7),
    ),
    "Cough and fever": (
        _F("J06.9", 6, "Cough, congestion and fever to {temp} for {days}. Eating and "
           "drinking. {contact}", ("Fever", "Cough"),
           "Nasal mucosa swollen with clear discharge. Pharynx mildly red. Lungs clear, no "
           "wheeze or crackles.", "Acute upper respiratory infection (J06.9), likely viral.",
           "Fluids, rest, acetaminophen or ibuprofen for fever; honey for cough (not under 1 "
           "year). Return for fast breathing, fever beyond 5 days or poor drinking.",
           fever=True),
        _F("J20.9", 3, "Cough for {days}, now productive; low-grade fevers early on. No "
           "shortness of breath at rest.", ("Cough", "Fatigue"),
           "No distress. Scattered rhonchi that clear with coughing; no crackles.",
           "Acute bronchitis (J20.9): no signs of pneumonia.",
           "{drug_line}The cough usually lasts 2-3 weeks; antibiotics would not help. Return "
           "for shortness of breath, chest pain or fever after a week.", "cough", lasts=14,
           ages=(12, 130)),
        _F("J18.9", 1, "Fever to {temp}, cough and shortness of breath on exertion for {days}"
           "; feels worse today.", ("Fever", "Chills", "Cough", "Shortness of breath"),
           "Tired but not toxic. Crackles at the {side} base with decreased breath sounds. "
           "Chest x-ray: {side} lower lobe infiltrate.",
           "Community-acquired pneumonia (J18.9), {side} lower lobe; safe to treat at home.",
           "{drug_line}Phone check in 2 days. Emergency department for worse breathing, "
           "confusion or oxygen below 92%.", "pneumonia", fever=True, low_oxygen=True,
           lasts=21, follow_up="1 week"),
        _F("J11.1", 2, "Sudden fever to {temp}, body aches, headache and dry cough for {days}"
           ". {contact}", ("Fever", "Chills", "Fatigue", "Headache", "Cough"),
           "Flushed and tired. Pharynx red. Lungs clear.",
           "Influenza (J11.1): rapid influenza test positive.",
           "{drug_line}Fluids, rest, acetaminophen for fever. Home until 24 hours without "
           "fever. Return for trouble breathing.", "flu", fever=True),
    ),
    "Ear pain": (
        _F("H66.9{side_digit}", 5, "Ear pain, fussiness and fever for {days} after a "
           "cold; pulling at the {side} ear.", ("Fever",),
           "{Side} eardrum red and bulging with poor mobility; the other ear normal. Throat "
           "mildly red.", "Acute otitis media, {side} ear.",
           "{drug_line}Ibuprofen or acetaminophen for pain. Ear recheck in 2-3 weeks if still "
           "symptomatic.", "otitis", fever=True, pain=(4, 7), ages=(0.5, 12)),
        _F("H60.9{side_digit}", 3, "{Side} ear pain and itching for {days} after "
           "swimming; hearing muffled on that side. No fever.", (),
           "Pain on pulling the {side} ear. Canal swollen and red with debris; eardrum normal "
           "where seen.", "Acute otitis externa, {side} ear.",
           "{drug_line}Keep the ear dry for a week. Return if swelling spreads or fever.",
           "otitis_externa", pain=(3, 6), ages=(5, 130)),
        _F("H61.23", 2, "Both ears feel blocked with a mild ache and muffled hearing for {days}"
           ".", (), "Both canals filled with impacted wax. After irrigation by nursing, "
           "eardrums normal.", "Impacted cerumen, both ears (H61.23): removed by irrigation.",
           "Hearing back to normal. Softening drops twice a week; no cotton swabs in the "
           "canals.", pain=(1, 3), lasts=3, ages=(30, 130)),
    ),
    "Rash": (
        _F("L25.9", 4, "Itchy red rash on the forearms for {days} after {trigger}.",
           ("Rash",), "Red papules and vesicles in streaks on both forearms; no sign of "
           "infection.", "Contact dermatitis (L25.9).",
           "{drug_line}Avoid the trigger; wash skin and clothes. Cool compresses. Return if it "
           "reaches the face or looks infected.", "dermatitis", lasts=14, ages=(2, 130)),
        _F("L50.9", 3, "Itchy raised welts that come and go for {days}. No lip or tongue "
           "swelling, no trouble breathing, no new medicines.", ("Rash",),
           "Scattered blanching wheals on the trunk and arms. Lips and tongue normal. Lungs "
           "clear.", "Acute urticaria (L50.9), cause not found; no signs of anaphylaxis.",
           "{drug_line}Keep a diary of foods and exposures. Call 911 for lip swelling or "
           "trouble breathing.", "hives"),
        _F("B35.4", 2, "Round itchy patch on the {side} arm, slowly growing for {days}. "
           "The family cat has bald patches.", ("Rash",),
           "Scaly ring-shaped plaque 3 cm across with a clearer center on the {side} forearm.",
           "Tinea corporis (B35.4).",
           "{drug_line}Continue a week after it clears. Have the cat seen by a vet.", "tinea",
           lasts=28),
        _F("B09", 2, "Fever for 3 days, then a pink rash on the trunk as the fever settled. "
           "Eating and drinking well.", ("Fever", "Rash"),
           "Well-appearing. Blanching pink macules on the trunk and neck. Ears and throat "
           "normal.", "Viral exanthem (B09), likely roseola.",
           "No treatment needed; the rash fades in a few days. Return if the child seems "
           "unwell, stops drinking or the rash does not blanch.", lasts=7, ages=(0.5, 6)),
    ),
    "Urinary symptoms": (
        _F("N30.00", 6, "Burning with urination, urgency and frequency for {days}. No "
           "fever, flank pain or vaginal discharge.", ("Painful urination",),
           "No flank tenderness; mild suprapubic tenderness. Urine dipstick: leukocytes and "
           "nitrites positive.", "Acute cystitis without hematuria (N30.00).",
           "{drug_line}Plenty of fluids; urine culture sent. Return for fever, flank pain or "
           "vomiting.", "cystitis", lasts=7, ages=(12, 130), sex="F"),
        _F("N39.0", 2, "Painful urination and new daytime wetting for {days}, low-grade "
           "fever.", ("Painful urination", "Fever"),
           "Well hydrated. Abdomen soft, no flank tenderness. Urine dipstick positive for "
           "leukocytes and nitrites; culture sent.", "Urinary tract infection (N39.0).",
           "{drug_line}Antibiotic adjusted to the culture if needed. Return for vomiting, high "
           "fever or back pain.", "uti_child", fever=True, ages=(1, 12)),
        _F("R30.0", 3, "Burning with urination for {days}; no frequency, fever or "
           "discharge.", ("Painful urination",),
           "Abdomen soft, not tender. Urine dipstick negative for leukocytes, nitrites and "
           "blood.", "Dysuria (R30.0) with a normal urine test; no infection found.",
           "Urine culture sent; we will call with the result. More fluids; avoid caffeine and "
           "bubble baths. Return if it persists.", lasts=5, ages=(12, 130)),
    ),
    "Sinus congestion": (
        _F("J01.90", 4, "Congestion, facial pressure and thick nasal discharge for {days}, "
           "worse after starting to improve.", ("Headache",),
           "Tender over the maxillary sinuses. Purulent nasal discharge. Throat and ears "
           "normal. Lungs clear.",
           "Acute bacterial sinusitis (J01.90): worse again after initial improvement.",
           "{drug_line}Saline rinses and a steroid nasal spray. Return for eye swelling, severe "
           "headache or no better in 3 days.", "sinusitis", lasts=14, ages=(3, 130)),
        _F("J00", 5, "Stuffy, runny nose and sneezing for {days}. No fever; sleeping "
           "poorly from congestion.", (), "Nasal mucosa swollen with clear discharge. Sinuses "
           "not tender. Throat and ears normal.", "Common cold (J00).",
           "Saline spray, humidifier, fluids; it usually settles in 7-10 days. Return if fever "
           "or facial pain develops."),
    ),
    "Stomach upset": (
        _F("A08.4", 5, "Vomiting and watery diarrhea for {days}; others at home had the "
           "same. Keeping small sips down.", ("Nausea or vomiting", "Diarrhea"),
           "Slightly dry mouth; capillary refill under 2 seconds. Abdomen soft, mildly tender "
           "throughout, no guarding.", "Viral gastroenteritis (A08.4) with mild dehydration.",
           "{drug_line}Oral rehydration in small frequent sips, then a normal diet as "
           "tolerated. Return for blood in the stool, no urine in 8 hours or persistent "
           "vomiting.", "nausea", lasts=7),
        _F("K30", 3, "Upper abdominal burning and bloating after meals for {days}. No "
           "weight loss, vomiting or black stools.", ("Abdominal pain",),
           "Abdomen soft with mild epigastric tenderness; no masses.",
           "Functional dyspepsia (K30); no alarm features.",
           "{drug_line}Smaller meals, less coffee and alcohol, no NSAIDs. Return if no better "
           "in 4 weeks.", "dyspepsia", lasts=30, ages=(16, 130), follow_up="1 month"),
        _F("K59.00", 2, "Hard, infrequent stools and crampy belly pain for {days}.",
           ("Abdominal pain", "Constipation"),
           "Abdomen soft, mildly tender in the left lower quadrant, stool palpable. No "
           "rebound.", "Constipation (K59.00).",
           "{drug_line}More water and fiber. Return for vomiting, fever or worse pain.",
           "constipation", lasts=14),
    ),
    "Ankle sprain": (
        _F("S93.40{side_digit}A", 1, "Rolled the {side} ankle {activity} {days} ago. "
           "Swelling on the outside of the ankle; walks with a limp.", ("Joint pain",),
           "Swelling and bruising over the {side} lateral ankle, tender over the anterior "
           "talofibular ligament. No bony tenderness at the malleoli, navicular or fifth "
           "metatarsal; able to bear weight (Ottawa ankle rules: no x-ray needed).",
           "Sprain of the {side} ankle.",
           "{drug_line}Rest, ice, compression and elevation; lace-up brace. Weight-bearing as "
           "tolerated, then balance exercises. Return if unable to walk after a week.",
           "sprain", pain=(4, 7), lasts=21, ages=(5, 130), follow_up="2 weeks"),
    ),
    "Wound check": (
        _F("S81.812A", 1, "Wound check: laceration of the left shin from a garden tool, "
           "closed with 6 sutures at urgent care {days} ago.", (),
           "Wound edges together, mild redness at the margins only, no discharge or warmth.",
           "Healing laceration of the left lower leg, no infection.",
           "Sutures out at day 10-14. Keep clean and dry; watch for spreading redness or pus.",
           lasts=14, ages=(5, 130), follow_up="1 week"),
    ),
}  # fmt: skip
TRIGGERS = ("clearing brush in the yard", "a new laundry detergent", "gardening", "hiking")
ACTIVITIES = ("playing basketball", "stepping off a curb", "running", "on the stairs")


def pick_finding(reason: str, age: float, female: bool, rng: random.Random) -> Finding | None:
    fits = [
        f
        for f in SICK.get(reason, ())
        if f.ages[0] <= age < f.ages[1] and f.sex in ("", "F" if female else "M")
    ]
    return rng.choices(fits, [f.weight for f in fits])[0] if fits else None


def _ml(mg: float, mg_per_ml: float) -> str:
    return f"{max(0.5, round(mg / mg_per_ml * 2) / 2):g}"


def acute_drug(key: str, age: float, weight_kg: float, avoid: frozenset[str]) -> Drug | None:
    """What is prescribed for a sick visit: adult doses from 12 years and 40 kg, weight-based
    liquid doses below (mL rounded to the half), an alternative when allergic."""
    child = age < 12 or weight_kg < 40
    kg = weight_kg
    options = _children_drugs(key, kg) if child else _adult_drugs(key)
    if key == "nausea" and kg < 15:
        options = ()
    return next((d for d in options if not any(w in d.name.lower() for w in avoid)), None)


_AMOXICILLIN_LIQUID = "Amoxicillin 400 mg/5 mL oral suspension"
_TWICE = "by mouth twice daily"


def _children_drugs(key: str, kg: float) -> tuple[Drug, ...]:
    """Weight-based doses: amoxicillin 25 mg/kg (strep) or 45 mg/kg (otitis, sinusitis,
    pneumonia) twice daily, azithromycin 12 mg/kg, cefdinir 14 mg/kg, cephalexin 12.5 mg/kg
    four times daily, trimethoprim 4 mg/kg, ibuprofen 10 mg/kg, acetaminophen 15 mg/kg,
    oseltamivir by weight band."""
    if key == "strep":
        return (
            Drug(_AMOXICILLIN_LIQUID, f"{_ml(min(25 * kg, 500), 80)} mL {_TWICE} for 10 days"),
            Drug(
                "Azithromycin 200 mg/5 mL oral suspension",
                f"{_ml(min(12 * kg, 500), 40)} mL by mouth once daily for 5 days",
            ),
        )
    if key in ("otitis", "pneumonia", "sinusitis"):
        return (
            Drug(_AMOXICILLIN_LIQUID, f"{_ml(min(45 * kg, 1000), 80)} mL {_TWICE} for 10 days"),
            Drug(
                "Cefdinir 250 mg/5 mL oral suspension",
                f"{_ml(min(14 * kg, 600), 50)} mL by mouth once daily for 10 days",
            ),
        )
    if key == "flu":
        mg = 30 if kg <= 15 else 45 if kg <= 23 else 60
        return (
            Drug("Oseltamivir 6 mg/mL oral suspension", f"{_ml(mg, 6)} mL {_TWICE} for 5 days"),
        )
    if key == "uti_child":
        return (
            Drug(
                "Cephalexin 250 mg/5 mL oral suspension",
                f"{_ml(min(12.5 * kg, 500), 50)} mL by mouth four times daily for 7 days",
            ),
            Drug(
                "Sulfamethoxazole-trimethoprim 200-40 mg/5 mL oral suspension",
                f"{_ml(4 * kg, 8)} mL {_TWICE} for 7 days",
            ),
        )
    if key == "sprain":
        return (
            Drug(
                "Ibuprofen 100 mg/5 mL oral suspension",
                f"{_ml(min(10 * kg, 400), 20)} mL by mouth every 6-8 hours as needed for pain",
            ),
            Drug(
                "Acetaminophen 160 mg/5 mL oral suspension",
                f"{_ml(min(15 * kg, 650), 32)} mL by mouth every 6 hours as needed for pain",
            ),
        )
    children = {
        "dermatitis": Drug(
            "Hydrocortisone 2.5% cream", "Apply a thin layer twice daily for 2 weeks"
        ),
        "hives": Drug("Cetirizine 1 mg/mL oral solution", "5 mL by mouth once daily for 2 weeks"),
        "constipation": Drug("Polyethylene glycol 3350 powder", "8.5 g in 4 oz of water daily"),
    }
    found = children.get(key) or _SAME_FOR_ALL.get(key)
    return (found,) if found else ()


def _adult_drugs(key: str) -> tuple[Drug, ...]:
    doxycycline = "Doxycycline 100 mg capsule"
    table: dict[str, tuple[Drug, ...]] = {
        "strep": (
            Drug("Amoxicillin 500 mg capsule", f"1 capsule {_TWICE} for 10 days"),
            Drug("Azithromycin 250 mg tablet", "2 tablets on day 1, then 1 daily on days 2-5"),
        ),
        "pneumonia": (
            Drug("Amoxicillin 500 mg capsule", "2 capsules 3 times daily for 5 days"),
            Drug(doxycycline, f"1 capsule {_TWICE} for 5 days"),
        ),
        "sinusitis": (
            Drug("Amoxicillin-clavulanate 875-125 mg tablet", f"1 tablet {_TWICE} for 7 days"),
            Drug(doxycycline, f"1 capsule {_TWICE} for 7 days"),
        ),
        "flu": (Drug("Oseltamivir 75 mg capsule", f"1 capsule {_TWICE} for 5 days"),),
        "cystitis": (
            Drug(
                "Nitrofurantoin monohydrate/macrocrystals 100 mg capsule",
                f"1 capsule {_TWICE} for 5 days",
            ),
            Drug("Cephalexin 500 mg capsule", f"1 capsule {_TWICE} for 7 days"),
        ),
        "sprain": (
            Drug("Ibuprofen 400 mg tablet", "1 tablet every 6 hours as needed for pain, with food"),
            Drug("Acetaminophen 500 mg tablet", "2 tablets every 6 hours as needed for pain"),
        ),
        "cough": (Drug("Benzonatate 100 mg capsule", "1 capsule three times daily as needed"),),
        "dermatitis": (
            Drug("Triamcinolone 0.1% cream", "Apply a thin layer twice daily for 2 weeks"),
        ),
        "hives": (Drug("Cetirizine 10 mg tablet", "1 tablet by mouth once daily for 2 weeks"),),
        "nausea": (
            Drug(
                "Ondansetron 4 mg orally disintegrating tablet",
                "1 tablet on the tongue every 8 hours as needed for nausea",
            ),
        ),
        "dyspepsia": (Drug("Famotidine 20 mg tablet", f"1 tablet {_TWICE} for 4 weeks"),),
        "constipation": (Drug("Polyethylene glycol 3350 powder", "17 g in 8 oz of water daily"),),
    }
    found = _SAME_FOR_ALL.get(key)
    return table.get(key, (found,) if found else ())


_SAME_FOR_ALL = {
    "otitis_externa": Drug(
        "Ciprofloxacin-dexamethasone otic suspension",
        "4 drops in the affected ear twice daily for 7 days",
    ),
    "tinea": Drug("Clotrimazole 1% cream", "Apply twice daily for 4 weeks"),
    "nausea": Drug(
        "Ondansetron 4 mg orally disintegrating tablet",
        "1 tablet on the tongue every 8 hours as needed for nausea",
    ),
}
