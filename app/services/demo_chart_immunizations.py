"""Demo immunizations: doses by age, from the CDC/ACIP 2024 schedules (child and adolescent:
https://www.cdc.gov/vaccines/hcp/imz-schedules/child-adolescent-age.html; adult:
https://www.cdc.gov/vaccines/hcp/imz-schedules/adult-age.html), simplified to the usual
path: one product per vaccine, no catch-up rules beyond "give what is due".

Doses due before the demo's year are recorded as reported from elsewhere (another clinic,
a pharmacy, the state registry); doses due during it are given here at a visit, by the
nurse, with a lot number, site, route and dose. CVX codes are those of
resources/terminology/cvx.csv; every dose given here uses an active code.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from app.models import Immunization
from app.terminology.cvx import CvxCatalog

SEASON_START = (8, 1)  # a season's influenza vaccine ships in August (app.services.chart)


@dataclass(frozen=True)
class Dose:
    series: str  # "dtap", "hib", ...
    cvx: str
    due_days: int  # age in days at which it is due


_M = 30.44  # days in a month, on average
CHILD_SCHEDULE: tuple[Dose, ...] = tuple(
    Dose(series, cvx, round(months * _M))
    for series, cvx, months in (
        ("hepb", "08", 0), ("hepb", "08", 1.5), ("hepb", "08", 6),
        ("rotavirus", "116", 2), ("rotavirus", "116", 4), ("rotavirus", "116", 6),
        ("dtap", "20", 2), ("dtap", "20", 4), ("dtap", "20", 6), ("dtap", "20", 15),
        ("dtap", "130", 48),  # DTaP-IPV at 4-6 years
        ("hib", "48", 2), ("hib", "48", 4), ("hib", "48", 6), ("hib", "48", 12),
        ("pcv", "216", 2), ("pcv", "216", 4), ("pcv", "216", 6), ("pcv", "216", 12),
        ("ipv", "10", 2), ("ipv", "10", 4), ("ipv", "10", 6),
        ("mmr", "03", 12), ("mmr", "03", 48),
        ("varicella", "21", 12), ("varicella", "21", 48),
        ("hepa", "83", 12), ("hepa", "83", 18),
        ("tdap", "115", 132), ("hpv", "165", 132), ("hpv", "165", 138),
        ("menacwy", "136", 132), ("menacwy", "136", 192),
    )
)  # fmt: skip
# route, dose, site kind ("im": thigh under 3, deltoid after; "sc": arm; "po": mouth)
ADMINISTRATION = {
    "116": ("PO", "2 mL", "po"), "03": ("SC", "0.5 mL", "sc"), "21": ("SC", "0.5 mL", "sc"),
    "43": ("IM", "1 mL", "im"), "83": ("IM", "0.5 mL", "im"), "135": ("IM", "0.7 mL", "im"),
}  # fmt: skip
_REPORTED_FROM = (
    "State immunization registry", "Previous pediatrician", "Previous clinic",
    "Walgreens pharmacy", "CVS pharmacy", "Employer health fair",
)  # fmt: skip
SHORT_NAMES = {  # what a nursing note calls the vaccine
    "08": "Hepatitis B (pediatric)", "43": "Hepatitis B (adult)", "116": "Rotavirus",
    "20": "DTaP", "130": "DTaP-IPV", "48": "Hib", "216": "Pneumococcal conjugate (PCV20)",
    "10": "IPV", "03": "MMR", "21": "Varicella", "83": "Hepatitis A", "115": "Tdap",
    "165": "HPV9", "136": "Meningococcal ACWY", "140": "Influenza", "135": "Influenza (high dose)",
    "187": "Zoster recombinant (Shingrix)",
}  # fmt: skip


@dataclass
class Given:
    """A dose given at a visit, for the visit's note."""

    cvx: str
    name: str
    site: str
    route: str
    dose: str
    lot: str


@dataclass
class ImmunizationRecord:
    """One patient's doses as they build up; `rows` are the chart rows written."""

    patient_id: str
    birth: date
    catalog: CvxCatalog
    rows: list[Immunization] = field(default_factory=list)
    by_series: dict[str, list[date]] = field(default_factory=dict)

    def age_days(self, day: date) -> int:
        return (day - self.birth).days

    def count(self, series: str) -> int:
        return len(self.by_series.get(series, ()))

    def last(self, series: str) -> date | None:
        dates = self.by_series.get(series)
        return max(dates) if dates else None

    def report(
        self, series: str, cvx: str, given_on: date, recorded_at: datetime, source: str
    ) -> None:
        vaccine = self.catalog.get(cvx)
        assert vaccine is not None, cvx
        self.by_series.setdefault(series, []).append(given_on)
        self.rows.append(
            Immunization(
                patient_id=self.patient_id,
                cvx_code=vaccine.code,
                vaccine=vaccine.short_description[:200],
                given_on=given_on,
                given_here=False,
                source=source,
                created_at=recorded_at,
                updated_at=recorded_at,
            )
        )

    def give(
        self,
        series: str,
        cvx: str,
        day: date,
        at: datetime,
        nurse_id: str,
        encounter_id: str,
        rng: random.Random,
    ) -> Given:
        vaccine = self.catalog.get(cvx)
        assert vaccine is not None and vaccine.active, cvx
        route, amount, site_kind = ADMINISTRATION.get(cvx, ("IM", "0.5 mL", "im"))
        side = rng.choice(("Left", "Right"))
        if site_kind == "po":
            site = "Mouth"
        elif site_kind == "sc":
            site = f"{side} arm"
        else:
            site = f"{side} thigh" if self.age_days(day) < 3 * 365 else f"{side} deltoid"
        lot, expires = lot_number(cvx, day)
        self.by_series.setdefault(series, []).append(day)
        self.rows.append(
            Immunization(
                patient_id=self.patient_id,
                cvx_code=vaccine.code,
                vaccine=vaccine.short_description[:200],
                given_on=day,
                given_here=True,
                lot_number=lot,
                expires_on=expires,
                site=site,
                route=route,
                dose=amount,
                given_by_id=nurse_id,
                encounter_id=encounter_id,
                created_at=at,
                updated_at=at,
            )
        )
        return Given(cvx, SHORT_NAMES.get(cvx, vaccine.short_description), site, route, amount, lot)

    # --- what is due -----------------------------------------------------------------------

    def child_doses_due(self, day: date) -> list[Dose]:
        """Scheduled doses due by `day` (a week's grace) and not yet given, at least four
        weeks after the series' previous dose."""
        age = self.age_days(day)
        due = []
        for series in dict.fromkeys(d.series for d in CHILD_SCHEDULE):
            doses = [d for d in CHILD_SCHEDULE if d.series == series]
            taken = self.count(series)
            if taken >= len(doses) or doses[taken].due_days > age + 7:
                continue
            if series == "rotavirus" and age > 8 * 31:
                continue  # rotavirus is not started or finished after 8 months
            previous = self.last(series)
            if previous is None or (day - previous).days >= 28:
                due.append(doses[taken])
        return due

    def influenza_this_season(self, day: date) -> bool:
        start = season_start(day)
        return any(start <= given <= day for given in self.by_series.get("influenza", ()))


def season_start(day: date) -> date:
    month, first = SEASON_START
    start = date(day.year, month, first)
    return start if day >= start else date(day.year - 1, month, first)


def influenza_code(age_years: float) -> str:
    """High-dose vaccine from 65 (ACIP prefers it then); the standard injectable before."""
    return "135" if age_years >= 65 else "140"


def lot_number(cvx: str, day: date) -> tuple[str, date]:
    """The clinic's lot of this vaccine that quarter (one lot lasts a while) and its expiry."""
    quarter = (day.month - 1) // 3
    rng = random.Random(f"lot {cvx} {day.year} {quarter}")
    letters = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(2))
    lot = f"{letters}{rng.randint(1000, 9999)}{rng.choice('ABCDEF')}{rng.randint(1, 9)}"
    expires = date(day.year + 1, quarter * 3 + 1, 28) + timedelta(days=rng.randint(0, 200))
    return lot, expires


def reported_history(
    record: ImmunizationRecord,
    age_years: float,
    window_start: date,
    recorded_at: datetime,
    rng: random.Random,
) -> None:
    """Doses from before the demo's year, as another clinic, a pharmacy or the registry
    reported them: a child's schedule (most doses on time, a few missed), an adult's few."""
    birth = record.birth
    if age_years < 18:
        source = rng.choice(_REPORTED_FROM[:3])
        for dose in CHILD_SCHEDULE:
            due = birth + timedelta(days=dose.due_days)
            if dose.due_days == 0 and due <= recorded_at.date():
                record.report(dose.series, dose.cvx, due, recorded_at, "Birth hospital")
                continue
            if due >= window_start or rng.random() < 0.06:
                continue
            given = min(due + timedelta(days=rng.randint(0, 21)), window_start - timedelta(days=1))
            if record.count(dose.series) == sum(
                1 for d in CHILD_SCHEDULE if d.series == dose.series and d.due_days < dose.due_days
            ):
                record.report(dose.series, dose.cvx, given, recorded_at, source)
        return
    year = window_start.year
    if rng.random() < 0.6:  # a Tdap or Td booster in the last ten years
        record.report(
            "tdap", "115", _day_in(year - rng.randint(1, 9), rng), recorded_at,
            rng.choice(_REPORTED_FROM[1:]),
        )  # fmt: skip
    if rng.random() < 0.6:
        record.report(
            "covid", "213", _day_in(2021, rng), recorded_at, "State immunization registry"
        )
    if age_years >= 55 and rng.random() < 0.3:
        first = _day_in(year - rng.randint(1, 4), rng)
        pharmacy = rng.choice(_REPORTED_FROM[3:5])
        record.report("zoster", "187", first, recorded_at, pharmacy)
        record.report("zoster", "187", first + timedelta(days=rng.randint(60, 150)), recorded_at,
                      pharmacy)  # fmt: skip
    if age_years >= 66 and rng.random() < 0.4:
        record.report("pcv", "216", _day_in(year - rng.randint(1, 3), rng), recorded_at,
                      "Previous clinic")  # fmt: skip
    if age_years >= 50 and rng.random() < 0.35:  # last season's influenza vaccine
        last_season = season_start(window_start) - timedelta(days=365)
        given = last_season + timedelta(days=rng.randint(40, 100))
        if given < window_start:
            record.report("influenza", influenza_code(age_years), given, recorded_at,
                          rng.choice(_REPORTED_FROM[3:5]))  # fmt: skip


def _day_in(year: int, rng: random.Random) -> date:
    return date(year, 1, 1) + timedelta(days=rng.randrange(365))
