"""Doses given at a demo visit: a child's scheduled doses at well visits and vaccine
visits, influenza in season, the vaccine a nurse visit was booked for when it is indicated
(and the reason when it is not), an adult's boosters at a physical."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from app.services.demo_chart_immunizations import influenza_code
from app.services.demo_chart_patient import ChartState
from app.services.demo_chart_sick import Finding
from app.services.demo_chart_types import DemoVisit

PHYSICALS = frozenset({"Annual physical", "Wellness visit", "Well-child check", "Sports physical"})


def vaccinate(
    state: ChartState,
    visit: DemoVisit,
    encounter_id: str,
    age: float,
    day: date,
    finding: Finding | None,
) -> tuple[list[str], str | None]:
    """Doses given at this visit (as note lines), or why the one asked for was not given."""
    record, rng = state.immunizations, state.rng
    reason = visit.reason or ""
    at = visit.out_at - timedelta(minutes=5)
    given: list[str] = []

    def give(series: str, cvx: str) -> None:
        dose = record.give(series, cvx, day, at, state.setting.nurse_id, encounter_id, rng)
        given.append(f"{dose.name} {dose.dose} {dose.route}, {dose.site.lower()}, lot {dose.lot}")

    why_not = None
    vaccine_visit = visit.nurse_visit and reason not in ("Allergy shot", "B12 injection")
    flu_season = day.month in (9, 10, 11, 12, 1, 2, 3)
    offered = flu_season and finding is None and rng.random() < 0.3
    if age >= 0.5 and (reason == "Flu shot" or offered) and not record.influenza_this_season(day):
        give("influenza", influenza_code(age))
    elif reason == "Flu shot":
        why_not = "This season's influenza vaccine is already recorded."
        if age < 0.5:
            why_not = "Influenza vaccine starts at 6 months of age."
    if age < 18 and (vaccine_visit or reason in PHYSICALS):
        for dose in record.child_doses_due(day):
            give(dose.series, dose.cvx)
    if vaccine_visit and reason != "Flu shot":
        why_not = _specific_vaccine(state, reason, age, day, give)
        if why_not is None and not given:
            why_not = "Record up to date for age."
    elif reason in ("Annual physical", "Wellness visit") and age >= 18:
        last_tdap = record.last("tdap")
        if (last_tdap is None or (day - last_tdap).days > 3650) and rng.random() < 0.6:
            give("tdap", "115")
        if age >= 50 and record.count("zoster") < 2 and rng.random() < 0.4:
            give("zoster", "187")
    return given, None if given else why_not


def _specific_vaccine(
    state: ChartState, reason: str, age: float, day: date, give: Callable[[str, str], None]
) -> str | None:
    """Give the vaccine a nurse visit was booked for when it is indicated; otherwise say why
    not (ACIP: zoster from 50, pneumococcal conjugate from 50 or with a risk condition, HPV
    9-26, Tdap booster every 10 years)."""
    record = state.immunizations
    last = {series: record.last(series) for series in ("tdap", "zoster", "hpv", "hepb")}
    if reason == "Tdap booster" and age >= 7:
        if last["tdap"] is not None and (day - last["tdap"]).days < 3650:
            return (
                f"Tdap was given on {last['tdap']:%b %d, %Y}; the next booster is due in 10 years."
            )
        give("tdap", "115")
    elif reason == "Shingles vaccine":
        if age < 50:
            return "Shingrix is recommended from age 50 (or 19 with a weakened immune system)."
        if record.count("zoster") >= 2:
            return "Both Shingrix doses are already recorded."
        if last["zoster"] is not None and (day - last["zoster"]).days < 56:
            return "The second Shingrix dose is due 2 to 6 months after the first."
        give("zoster", "187")
    elif reason == "Pneumococcal vaccine" and age >= 5:
        risk = any(k in state.conditions for k in ("t2dm", "copd", "asthma", "ckd", "cad"))
        if age < 50 and not risk and not state.smoking.value.startswith("current"):
            return "Pneumococcal vaccine is not routinely recommended at this age."
        if record.count("pcv") > 0 and age >= 19:
            return "PCV20 is already recorded; no further pneumococcal doses are needed."
        if age >= 19:
            give("pcv", "216")
    elif reason == "Hepatitis B" and age >= 18:
        if record.count("hepb") >= 3:
            return "The hepatitis B series is complete."
        if last["hepb"] is not None and (day - last["hepb"]).days < 28:
            return "The next hepatitis B dose is due at least 4 weeks after the last."
        give("hepb", "43")
    elif reason == "HPV vaccine":
        if not 9 <= age < 27:
            return "HPV vaccine is given from 9 to 26 years of age."
        doses = 2 if age < 15 else 3
        if record.count("hpv") >= doses:
            return "The HPV series is complete."
        if last["hpv"] is not None and (day - last["hpv"]).days < 150:
            return "The next HPV dose is due 6 to 12 months after the first."
        give("hpv", "165")
    return None
