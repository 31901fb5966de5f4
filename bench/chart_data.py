"""The chart benchmark's dataset, and how fast the chart's queries are on it.

    python bench/chart_data.py [--patients 100000] [--repeats 30]

Builds (once, then reuses from bench/.cache/) an encrypted demo practice with 100,000
patients (the demo's own patient generator, batched as `stethos demo` does) and ONE heavy
patient: 300 visits over six years, each with an encounter, a vitals set and a signed note
(a nurse's note for the yearly influenza shot), 1,700 more blood pressures sent in from
home (2,000 vitals sets in all), 50 documents, and problems, medicines, allergies, history
and immunizations to match. The heavy chart is made by the same per-patient generator as
the demo charts (app/services/demo_chart_patient.py).

`chart_practice()` returns (paths, password, heavy patient id) for bench/chart.py.
`main` times, as a physician, the chart's queries for the heavy patient, interleaved:
ChartService.summary, ChartService.timeline (first page, 200 entries) and the timeline's
next page; baseline, in the same run: the summary of a patient with an empty chart. Prints
JSON with p50/p95 in milliseconds and each figure's p95 over the baseline's.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from app.models import Patient, SexAtBirth  # noqa: E402
from app.services.auth import sign_in  # noqa: E402
from app.services.chart import ChartService  # noqa: E402
from app.services.context import AppContext  # noqa: E402
from app.services.demo import create_demo_practice  # noqa: E402
from app.services.demo_chart_patient import build_chart  # noqa: E402
from app.services.demo_chart_sick import SICK  # noqa: E402
from app.services.demo_chart_types import ChartPatient, ChartSetting, DemoVisit, NotePlan  # noqa: E402
from app.services.demo_charts import chart_setting, write_rows  # noqa: E402
from app.services.demo_patients import seed_demo_patients  # noqa: E402
from app.storage.database import PracticePaths  # noqa: E402
from app.storage.keyslots import KdfParams  # noqa: E402
from bench.timing import summarise, timed  # noqa: E402

PASSWORD = "benchmark password 2026"
CACHE = ROOT / "bench" / ".cache"
VISITS = 300
VITALS_SETS = 2000
DOCUMENTS = 50
YEARS = 6
FOLLOW_UPS = (
    "Diabetes follow-up", "Blood pressure check", "Medication review", "Lab results",
    "Thyroid follow-up", "Back pain follow-up", "Mood follow-up",
)  # fmt: skip
ADDENDA = 5
SUMMARY_BUDGET_MS = 150.0  # bench/chart.py's budget covers query + paint; this is the query


def chart_practice(
    patients: int = 100_000, seed: int = 1, cache: Path = CACHE
) -> tuple[PracticePaths, str, str]:
    """The cached practice (built on first use): its paths, every user's password, and the
    heavy patient's id."""
    folder = cache / f"chart-{patients}-seed{seed}"
    marker = cache / f"chart-{patients}-seed{seed}.json"
    paths = PracticePaths(folder)
    if marker.exists() and paths.exists():
        return paths, PASSWORD, str(json.loads(marker.read_text())["heavy_patient_id"])
    shutil.rmtree(folder, ignore_errors=True)  # a build cut short is made again
    timings = build(paths, patients, seed)
    marker.write_text(json.dumps(timings, indent=2))
    return paths, PASSWORD, str(timings["heavy_patient_id"])


def build(paths: PracticePaths, patients: int, seed: int) -> dict[str, Any]:
    started = time.perf_counter()
    print(f"building {patients:,} patients and one heavy chart...", file=sys.stderr)
    create_demo_practice(paths, PASSWORD, seed=seed, kdf=KdfParams(1, 1024, 1))
    admin = sign_in(paths, "admin", PASSWORD)
    try:
        seed_demo_patients(admin, patients, seed)
        patients_done = time.perf_counter()
        print(f"  patients: {patients_done - started:.0f} s", file=sys.stderr)
        patient_id, rows = _heavy_chart(admin, seed)
        write_rows(admin, rows, 1)
    finally:
        admin.close()
    finished = time.perf_counter()
    print(f"  heavy chart ({len(rows):,} rows): {finished - patients_done:.0f} s", file=sys.stderr)
    return {
        "heavy_patient_id": patient_id,
        "patients": patients,
        "heavy_chart_rows": len(rows),
        "build_seconds": {
            "practice_and_patients": round(patients_done - started, 1),
            "heavy_chart": round(finished - patients_done, 1),
            "total": round(finished - started, 1),
        },
    }


def _heavy_chart(admin: AppContext, seed: int) -> tuple[str, list[Any]]:
    """A woman in her sixties with long-term conditions, seen about weekly for six years."""
    with admin.unit_of_work() as uow:
        setting = chart_setting(uow.session, admin.clock.now())
        today = setting.today
        born = Patient.date_of_birth.between(
            date(today.year - 70, 1, 1), date(today.year - 62, 1, 1)
        )
        row = uow.session.execute(
            select(Patient)
            .where(Patient.sex_at_birth == SexAtBirth.FEMALE, born)
            .order_by(Patient.mrn)
            .limit(1)
        ).scalar_one()
        name = f"{row.last_name}, {row.first_name}"
        patient = ChartPatient(row.id, row.date_of_birth, True, name, row.mrn or "")
    rng = random.Random(seed)
    visits = heavy_visits(setting, rng)
    rows = build_chart(
        patient, visits, setting, rng, documents=DOCUMENTS, home_readings=VITALS_SETS - VISITS
    )
    return patient.id, rows


def heavy_visits(setting: ChartSetting, rng: random.Random) -> list[DemoVisit]:
    """VISITS visits over YEARS years up to a few days ago, on weekdays in clinic hours:
    chronic follow-ups, sick visits, a yearly physical and a yearly influenza shot."""
    last = setting.today - timedelta(days=3)
    first = last - timedelta(days=365 * YEARS)
    step = (last - first) / VISITS
    visits, physical_year, flu_year = [], 0, 0
    physicians, nurse = setting.physician_ids, setting.nurse_id
    for index in range(VISITS):
        day = first + step * index
        day += timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)
        nurse_visit = False
        if day.month >= 10 and flu_year < day.year:
            kind, reason, flu_year, nurse_visit = "Immunization", "Flu shot", day.year, True
        elif physical_year < day.year:
            kind, reason, physical_year = "Annual physical", "Annual physical", day.year
        elif rng.random() < 0.3:
            kind, reason = "Sick visit", rng.choice(sorted(SICK))
        else:
            kind, reason = "Follow-up", rng.choice(FOLLOW_UPS)
        start = datetime.combine(day, clock(9), setting.zone) + timedelta(
            minutes=15 * rng.randint(0, 26)
        )
        arrived = start - timedelta(minutes=rng.randint(5, 15))
        roomed = start + timedelta(minutes=rng.randint(0, 5))
        seen = roomed + timedelta(minutes=rng.randint(4, 10))
        out = seen + timedelta(minutes=rng.randint(12, 30))
        provider = nurse if nurse_visit else physicians[index % len(physicians)]
        plan = NotePlan.ADDENDUM if index % (VISITS // ADDENDA) == 7 else NotePlan.SIGNED
        visits.append(
            DemoVisit(None, provider, nurse_visit, None, kind, reason, arrived, roomed, seen, out,
                      plan)
        )  # fmt: skip
    return visits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--cache", type=Path, default=CACHE)
    args = parser.parse_args()

    paths, password, heavy = chart_practice(args.patients, args.seed, args.cache)
    built = json.loads((args.cache / f"chart-{args.patients}-seed{args.seed}.json").read_text())
    ctx = sign_in(paths, "drpatel", password)
    chart = ChartService(ctx)
    with ctx.unit_of_work() as uow:
        light = uow.session.scalar(
            select(Patient.id).where(Patient.id != heavy).order_by(Patient.mrn).limit(1)
        )
    assert light is not None
    first_page = chart.timeline(heavy)
    measures: dict[str, Callable[[], Any]] = {
        "baseline_summary_empty_chart": lambda: chart.summary(light),
        "summary_heavy_patient": lambda: chart.summary(heavy),
        "timeline_first_page_heavy_patient": lambda: chart.timeline(heavy),
        "timeline_next_page_heavy_patient": lambda: chart.timeline(
            heavy, before=first_page[-1].cursor
        ),
    }
    for measure in measures.values():  # warm caches, as opening the chart section would
        measure()
    samples: dict[str, list[float]] = {name: [] for name in measures}
    for _ in range(args.repeats):
        for name, measure in measures.items():  # interleaved: noise hits every figure
            samples[name].append(timed(measure))
    summary = chart.summary(heavy)
    ctx.close()

    base = summarise(samples["baseline_summary_empty_chart"])
    figures: dict[str, Any] = {}
    for name, values in samples.items():
        figure = summarise(values)
        figure["ratio_p95_to_baseline"] = round(figure["p95"] / base["p95"], 2)
        figures[name] = figure
    report = {
        "patients": args.patients,
        "heavy_patient": {
            "visits": VISITS,
            "vitals_sets": VITALS_SETS,
            "documents": DOCUMENTS,
            "chart_rows": built["heavy_chart_rows"],
            "active_problems": len(summary.problems),
            "active_medications": len(summary.medications),
            "timeline_page": len(first_page),
        },
        "build_seconds": built["build_seconds"],
        "figures_ms": figures,
        "budgets_ms": {"summary_query_p95": SUMMARY_BUDGET_MS},
        "within_budget": figures["summary_heavy_patient"]["p95"] < SUMMARY_BUDGET_MS,
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
