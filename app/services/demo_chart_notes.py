"""Demo note texts for visits that are not sick visits: follow-ups of long-term conditions,
physicals and well-child checks (screening by USPSTF age ranges, milestones from CDC
"Learn the Signs. Act Early."), new patients, and the nurse's immunization and injection
visits. Written for a believable demo; nothing here is clinical guidance.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class NoteParts:
    """What a doctor's note says beyond what its template's snippets fill in."""

    hpi: str
    ros: tuple[str, ...] = ()
    general: str = "Well-appearing, in no distress."
    exam: str = ""
    assessment: str = ""
    plan: str = ""
    follow_up: str = "3 months"


# key: (hpi, exam, assessment when at goal, plan at goal, assessment otherwise, plan otherwise)
_FOLLOW_UPS: dict[str, tuple[str, str, str, str, str, str]] = {
    "hypertension": (
        "Blood pressure follow-up on {meds}. Home readings mostly {home}. No headache, chest "
        "pain or shortness of breath; takes the medicine every day.",
        "Heart regular, no murmur. Lungs clear. No ankle swelling.",
        "Essential hypertension (I10): {bp} today, at goal.",
        "Continue {meds}. Low-salt diet and regular walking. Kidney function and potassium "
        "yearly.",
        "Essential hypertension (I10): {bp} today, above the goal of under 130/80.",
        "Reviewed salt intake and missed doses; continue {meds} for now and bring a week of "
        "home readings. Will adjust treatment if still above goal.",
    ),
    "elevated_bp": (
        "Blood pressure recheck after a high reading at the last visit. Active, no headaches.",
        "Heart regular, no murmur; femoral pulses normal.",
        "Elevated blood-pressure reading without hypertension (R03.0): {bp} today, normal on "
        "repeat.", "Recheck at the next routine visit. Less salt, more activity.",
        "Elevated blood-pressure reading (R03.0): {bp} today, still raised on repeat.",
        "Home or school readings for two weeks; basic labs and urinalysis ordered.",
    ),
    "t2dm": (
        "Diabetes follow-up on {meds}. Checks sugars some mornings: {sugars}. No low sugars, "
        "no numbness in the feet.",
        "Feet: skin intact, pulses present, monofilament sensation normal.",
        "Type 2 diabetes: A1c {a1c}% today, at goal.",
        "Continue {meds}. Eye exam yearly, urine albumin and lipids due. Walk 30 minutes most "
        "days.",
        "Type 2 diabetes: A1c {a1c}% today, above the goal of 7%.",
        "Reviewed diet and missed doses; referral to diabetes education. Continue {meds} and "
        "recheck A1c in 3 months before changing treatment.",
    ),
    "t1dm": (
        "Type 1 diabetes follow-up with a parent; on {meds}. Sugars logged in the app: "
        "{sugars}. One mild low after sports, treated with juice.",
        "Injection sites without lumps. Thyroid not enlarged. Feet normal.",
        "Type 1 diabetes: A1c {a1c}%, at goal.",
        "Continue {meds}; snack before sports. Endocrinology visit as scheduled.",
        "Type 1 diabetes: A1c {a1c}%, above goal.",
        "Reviewed carbohydrate counting; endocrinology to adjust doses. Glucagon at school.",
    ),
    "prediabetes": (
        "Prediabetes follow-up. Has cut back on soda and walks after dinner.",
        "No acanthosis.", "Prediabetes (R73.03): A1c {a1c}%, stable.",
        "Keep up the changes; aim for 5-7% weight loss. A1c yearly.",
        "Prediabetes (R73.03): A1c {a1c}%, creeping up.",
        "Referral to the diabetes prevention program; A1c again in 6 months.",
    ),
    "hypothyroidism": (
        "Thyroid follow-up on {meds}, taken on an empty stomach. Energy good, no palpitations.",
        "Thyroid not enlarged, no nodules. Reflexes normal.",
        "Hypothyroidism: TSH {tsh} mIU/L, in range on the current dose.",
        "Continue {meds}. TSH yearly.",
        "Hypothyroidism: TSH {tsh} mIU/L, high: under-replaced.",
        "Take the tablet 30 minutes before breakfast, away from calcium and iron. Recheck TSH "
        "in 6 weeks; adjust the dose then.",
    ),
    "hyperlipidemia": (
        "Cholesterol follow-up on {meds}. No muscle aches.", "No xanthomas.",
        "Hyperlipidemia: LDL {ldl} mg/dL, at goal.", "Continue {meds}. Lipids yearly.",
        "Hyperlipidemia: LDL {ldl} mg/dL, above goal.",
        "Reviewed adherence and diet; continue {meds} and recheck lipids in 3 months.",
    ),
    "asthma": (
        "Asthma check. Uses {meds}. Rescue inhaler {rescue}. No night waking, no emergency "
        "visits since the last visit.",
        "No wheeze, good air entry, no retractions. Peak flow {peak}% of personal best.",
        "Asthma, well controlled.", "Continue {meds}. Updated the asthma action plan; "
        "influenza vaccine each fall.",
        "Asthma, not well controlled: rescue inhaler needed more than twice a week.",
        "Reviewed inhaler technique with a spacer. Step up the controller and recheck in 4 "
        "weeks. Updated the asthma action plan.",
    ),
    "wheezing": (
        "Follow-up of wheezing with colds; parent reports noisy breathing last week, now "
        "settled.", "No wheeze or retractions today. Good air entry.",
        "Wheezing (R06.2), resolved between colds.",
        "Albuterol by nebulizer or spacer if wheezing returns; return for fast breathing.",
        "Wheezing (R06.2), still some wheeze today.",
        "Albuterol with spacer every 4 hours for 2 days, then as needed. Recheck in 1 week.",
    ),
    "depression": (
        "Mood follow-up on {meds}. Sleeping better and back to walking. No thoughts of "
        "self-harm.", "Calm, good eye contact, normal speech. Thought process linear.",
        "Depression: PHQ-9 {phq} today, improving.",
        "Continue {meds}; continue counseling. Crisis line 988 reviewed.",
        "Depression: PHQ-9 {phq} today, still moderate.",
        "Continue {meds} and counseling; consider a higher dose at the next visit if no "
        "better. Safety plan reviewed; 988 crisis line.",
    ),
    "anxiety": (
        "Anxiety follow-up on {meds}. Worry more manageable; using breathing exercises.",
        "Calm, normal speech, appropriate affect.", "Generalized anxiety: GAD-7 {gad}, better.",
        "Continue {meds} and therapy.", "Generalized anxiety: GAD-7 {gad}, still high.",
        "Referral for cognitive behavioral therapy. Continue {meds}; sleep and caffeine "
        "reviewed.",
    ),
    "adjustment": (
        "Parent concerned about tantrums and clinginess since a move and a new sibling.",
        "Playful, interactive, age-appropriate speech.",
        "Adjustment reaction (F43.20), improving with routines.",
        "Consistent routines, special one-on-one time daily. Parenting resources given.",
        "Adjustment reaction (F43.20), ongoing.",
        "Referral to a child behavioral health clinician; parenting resources given.",
    ),
    "back_pain": (
        "Low back pain follow-up. Doing the home exercises; pain now {pain}/10. No leg "
        "weakness, numbness or bladder trouble.",
        "Mild paraspinal tenderness. Straight-leg raise negative. Strength and reflexes normal.",
        "Low back pain, improving.", "Continue exercises and stay active. {meds} as needed.",
        "Low back pain, slow to improve.",
        "Referral to physical therapy. {meds} as needed; heat. Return for any leg weakness.",
    ),
    "obesity": (
        "Weight management visit. Food log kept; walking {walk} minutes a day.",
        "BMI {bmi} kg/m2. No acanthosis.", "Obesity: weight {weight}, down since the last visit.",
        "Keep the food log and activity; goal 1-2 lb a week.",
        "Obesity: weight {weight}, unchanged.",
        "Referral to a dietitian; discussed medicines for weight loss. Labs ordered.",
    ),
}  # fmt: skip
LABS = {  # at goal (low, high), above goal (low, high)
    "a1c": ((6.2, 6.9), (7.4, 9.1)), "ldl": ((62, 99), (122, 168)), "tsh": ((0.8, 3.6), (6.2, 9.5)),
    "phq": ((2, 8), (11, 17)), "gad": ((2, 7), (10, 15)), "peak": ((88, 100), (65, 79)),
}  # fmt: skip
SOAP_FOLLOW_UP = ("As needed", "1 week", "2 weeks", "1 month", "3 months", "6 months", "1 year")


def follow_up_parts(
    key: str, description: str, at_goal: bool, context: dict[str, str], rng: random.Random
) -> NoteParts:
    """A follow-up of one condition; conditions without their own text get a plain one."""
    values = dict(context)
    for name, ranges in LABS.items():
        low, high = ranges[0] if at_goal else ranges[1]
        number = rng.uniform(low, high)
        values[name] = f"{number:.1f}" if name in ("a1c", "tsh") else f"{number:.0f}"
    values.setdefault("home", "120s-130s over 70s-80s" if at_goal else "140s over 90s")
    values["sugars"] = "100-130" if at_goal else "150-210"
    values["rescue"] = "about once a month" if at_goal else "3-4 times a week"
    values["walk"] = str(rng.choice((15, 20, 30, 45)))
    values["pain"] = str(rng.randint(1, 3) if at_goal else rng.randint(4, 6))
    texts = _FOLLOW_UPS.get(key)
    if texts is None:
        return NoteParts(
            hpi=f"Follow-up of {description.lower()}. Taking {values['meds']}; no new concerns.",
            ros=(),
            exam="Heart regular. Lungs clear.",
            assessment=f"{description}: stable.",
            plan=f"Continue {values['meds']}. Routine labs as due.",
            follow_up="6 months",
        )
    hpi, exam, good, good_plan, bad, bad_plan = texts
    return NoteParts(
        hpi=hpi.format_map(values),
        exam=exam.format_map(values),
        assessment=(good if at_goal else bad).format_map(values),
        plan=(good_plan if at_goal else bad_plan).format_map(values),
        follow_up="3 months" if at_goal else "1 month",
    )


# --- physicals and well-child checks -------------------------------------------------------

_MILESTONES = (  # age in months from: what the child does
    (0, "Feeds well every 2-3 hours, good wet diapers; startles to sound."),
    (2, "Smiles, coos and holds the head up on the tummy."),
    (4, "Laughs, brings hands to mouth and pushes up on the elbows."),
    (6, "Rolls over, babbles and reaches for toys."),
    (9, "Sits without support, says 'mamama' and picks up food with the fingers."),
    (12, "Pulls to stand, waves bye-bye and says 'mama' and 'dada' for the parents."),
    (15, "Takes a few steps and says one or two words besides 'mama' and 'dada'."),
    (18, "Walks alone, says three or more words and follows simple directions."),
    (24, "Kicks a ball, says two-word phrases and points to pictures in a book."),
    (36, "Talks in sentences, climbs stairs and plays with other children."),
    (48, "Tells stories, hops on one foot and draws a person."),
    (60, "Counts to 10, dresses without help and is ready for school."),
    (72, "Doing well in school and active every day."),
    (144, "School going well; adolescent screening done privately, no concerns."),
)
_GUIDANCE = (
    (0, "Back to sleep in a bare crib, rear-facing car seat, no honey before 1 year."),
    (12, "Childproofing, first dental visit, whole milk up to 16 oz a day, limit screens."),
    (36, "Car seat or booster, water safety, brush teeth twice daily, 1 hour of active play."),
    (72, "Booster seat until 4 ft 9 in, bike helmet, 60 minutes of activity, screen limits."),
    (144, "Seat belts, no phone while driving, 8-10 hours of sleep, sports safety, vaping."),
)


def _by_age(table: tuple[tuple[int, str], ...], months: float) -> str:
    return [text for start, text in table if months >= start][-1]


def well_child_parts(months: float, centiles: str, vaccines: str, sport: str | None) -> NoteParts:
    if sport:
        return NoteParts(
            hpi=f"Sports physical for {sport}. No chest pain, fainting or shortness of breath "
            "with exercise; no family history of sudden cardiac death before 50.",
            exam="Heart regular, no murmur standing or squatting. Lungs clear. Full range of "
            "motion in all joints; duck walk normal. Vision 20/20 both eyes.",
            assessment="Examination for participation in sport (Z02.5): no concerns.",
            plan=f"Cleared for {sport} without restriction. {vaccines}",
            follow_up="1 year",
        )
    infant = months < 12
    return NoteParts(
        hpi="Well-child check with a parent. "
        + _by_age(_MILESTONES, months)
        + " Eating well, sleeping well, no concerns from the parent.",
        exam=f"Growth: {centiles}. Alert and interactive. "
        + ("Anterior fontanelle soft; hips stable. " if infant else "")
        + "Heart regular, no murmur. Lungs clear. Abdomen soft. Skin clear.",
        assessment="Routine child health examination without abnormal findings (Z00.129): "
        "growing and developing well.",
        plan=f"{vaccines} Guidance: {_by_age(_GUIDANCE, months)}",
        follow_up="3 months" if months < 18 else "6 months" if months < 30 else "1 year",
    )


def adult_physical_parts(
    age: float, female: bool, smoker: bool, vaccines: str, rng: random.Random
) -> NoteParts:
    """Screening as USPSTF recommends by age and sex (colorectal 45-75, breast 40-74,
    cervical 21-65, lung 50-80 with a smoking history, abdominal aortic aneurysm for men
    65-75 who ever smoked, diabetes 35-70 when overweight)."""
    plan = ["Lipid panel, A1c and basic metabolic panel ordered."]
    if 45 <= age <= 75:
        plan.append(rng.choice(("Colonoscopy up to date.", "FIT kit given for colon cancer "
                                "screening.", "Referred for screening colonoscopy.")))  # fmt: skip
    if female and 40 <= age <= 74:
        plan.append("Screening mammogram ordered.")
    if female and 21 <= age <= 65:
        plan.append("Cervical screening up to date.")
    if smoker and 50 <= age <= 80:
        plan.append("Low-dose CT for lung cancer screening ordered; quitting discussed.")
    if smoker and not female and 65 <= age <= 75:
        plan.append("Ultrasound for abdominal aortic aneurysm ordered.")
    plan.append("Depression screen (PHQ-2) negative. 150 minutes of activity a week.")
    plan.append(vaccines)
    return NoteParts(
        hpi="Annual physical. Feels well; "
        + rng.choice(("walks most days.", "busy at work, sleeping 7 hours.", "no concerns."))
        + (" Smokes; thinking about quitting." if smoker else ""),
        exam="Ears, eyes, throat normal. Thyroid not enlarged. Heart regular, no murmur. Lungs "
        "clear. Abdomen soft, non-tender. Skin: no worrying lesions. No ankle swelling.",
        assessment="General adult medical examination without abnormal findings (Z00.00).",
        plan=" ".join(plan),
        follow_up="1 year",
    )


def new_patient_parts(reason: str, history: str, rng: random.Random) -> NoteParts:
    why = "moved to the area" if reason == "Transferring care" else rng.choice(
        ("previous doctor retired", "new insurance", "wants a family doctor")
    )  # fmt: skip
    return NoteParts(
        hpi=f"New patient establishing care ({why}). Past history reviewed: {history}.",
        exam="Ears, eyes, throat normal. Heart regular, no murmur. Lungs clear. Abdomen soft.",
        assessment="New patient; history, medicines and allergies reconciled.",
        plan="Release signed to request records from the previous clinic. Labs as due. Bring "
        "all medicine bottles to the next visit.",
        follow_up="3 months",
    )


# --- nursing visits ----------------------------------------------------------------------

EDUCATION_VACCINE = (
    "Vaccine information statement given",
    "Side effects to watch for",
    "When to call or come back",
)


def vaccines_given_text(given: list[str]) -> str:
    """ "Tdap 0.5 mL IM, left deltoid, lot AB1234C5" lines joined for a note."""
    if not given:
        return "No vaccines due today."
    return "Vaccines given today: " + "; ".join(given) + "."


def nursing_vaccine_parts(reason: str, given: list[str], not_given: str | None) -> tuple[str, str]:
    """The interventions and plan of a nurse's immunization visit."""
    if given:
        screening = (
            "Screening questions answered: no fever today, no serious reaction to a vaccine "
            "before. Vaccine information statement given. "
        )
        return (
            screening + vaccines_given_text(given) + " Observed 15 minutes; no reaction.",
            "Next doses as the immunization schedule says; call for high fever or swelling "
            "beyond the arm.",
        )
    return (
        f"Immunization record reviewed for {reason.lower()}. {not_given} No vaccine given.",
        "Discussed which vaccines are due at the next routine visit.",
    )


def injection_parts(reason: str, side: str) -> tuple[str, str]:
    if reason == "B12 injection":
        return (
            f"Cyanocobalamin 1,000 mcg IM given in the {side.lower()} deltoid. Tolerated well.",
            "Next injection as scheduled.",
        )
    return (
        f"Allergen immunotherapy maintenance dose 0.5 mL SC in the {side.lower()} arm, per the "
        "allergist's schedule. Observed 30 minutes: small local wheal only, no systemic "
        "reaction. Peak flow normal before and after.",
        "Next injection in 1 week; epinephrine auto-injector carried.",
    )
