"""Chart speed: opening the chart summary of a patient with years of visits, and searching
ICD-10-CM, in a 100,000-patient practice.

    python bench/chart.py [--patients 100000] [--repeats 30]

The practice comes from bench/chart_data.py (built once into bench/.cache/): 100,000
patients and one heavy chart (300 visits with signed notes, 2,000 vitals sets, 50
documents). Measured offscreen, as a physician:
- summary: ChartService.summary for the heavy patient (the query) plus the Summary tab
  filled and painted into an image at desk size (what opening the chart shows first);
- ICD-10-CM search: the problem dialog's search over a mix of words, partial words and
  codes (bench/icd10cm.py's queries).
Baseline, interleaved in the same run: the same summary read and paint for a patient with
an empty chart. Prints JSON with p50/p95 in milliseconds, each figure's p95 over the
baseline's, and whether the budgets hold: summary < 150 ms p95, search < 10 ms p95.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtGui import QImage  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from sqlalchemy import select  # noqa: E402

from app.models import Patient  # noqa: E402
from app.services.auth import sign_in  # noqa: E402
from app.services.patients import PatientService  # noqa: E402
from app.services.problems import ProblemService  # noqa: E402
from app.ui.app import settle_heap  # noqa: E402
from app.ui.chart.summary_tab import SummaryTab, load_summary  # noqa: E402
from app.ui.resources import apply_theme  # noqa: E402
from app.ui.session import DesktopSession  # noqa: E402
from app.ui.tasks import TaskRunner  # noqa: E402
from bench.chart_data import CACHE, chart_practice  # noqa: E402
from bench.icd10cm import CODES, PARTIAL_WORDS, WORDS  # noqa: E402
from bench.timing import summarise, timed  # noqa: E402

SUMMARY_BUDGET_MS = 150.0
SEARCH_BUDGET_MS = 10.0
SIZE = (1280, 760)  # the chart's tab area on a 1080p desk screen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--cache", type=Path, default=CACHE)
    args = parser.parse_args()

    paths, password, heavy = chart_practice(args.patients, args.seed, args.cache)
    app = QApplication.instance() or QApplication([])
    apply_theme(app)  # type: ignore[arg-type]
    ctx = sign_in(paths, "drpatel", password)
    runner = TaskRunner()
    session = DesktopSession(ctx, runner, paths, "Benchmark")
    with ctx.unit_of_work() as uow:
        light = uow.session.scalar(
            select(Patient.id).where(Patient.id != heavy).order_by(Patient.mrn).limit(1)
        )
    assert light is not None
    tab = SummaryTab(session)
    tab.resize(*SIZE)
    tab.show()
    image = QImage(*SIZE, QImage.Format.Format_ARGB32_Premultiplied)
    records = {pid: PatientService(ctx).get(pid) for pid in (heavy, light)}

    def open_summary(patient_id: str) -> None:
        """The read the tab runs on its worker, then filling and painting it."""
        tab.patient = records[patient_id]
        summary, zone = load_summary(ctx, patient_id)
        tab.show_summary(summary, zone)
        app.processEvents()  # layout settles, as after the answer arrives
        tab.render(image)

    problems = ProblemService(ctx)
    queries = WORDS + PARTIAL_WORDS + CODES
    position = {"next": 0}

    def search() -> None:
        query = queries[position["next"] % len(queries)]
        position["next"] += 1
        problems.search_codes(query)

    measures: dict[str, Callable[[], Any]] = {
        "baseline_summary_empty_chart": lambda: open_summary(light),
        "summary_heavy_patient_query_and_paint": lambda: open_summary(heavy),
        "icd10cm_search": search,
    }
    for measure in measures.values():  # warm-up: first paint, fonts, code-set file
        measure()
    settle_heap()  # as the app does once its main window is up
    samples: dict[str, list[float]] = {name: [] for name in measures}
    for _ in range(args.repeats):
        for name, measure in measures.items():  # interleaved: noise hits every figure
            if name == "icd10cm_search":
                samples[name] += [timed(measure) for _ in range(len(queries) // 4)]
            else:
                samples[name].append(timed(measure))
    runner.shutdown()
    ctx.close()

    base = summarise(samples["baseline_summary_empty_chart"])
    figures: dict[str, Any] = {}
    for name, values in samples.items():
        figure = summarise(values)
        figure["ratio_p95_to_baseline"] = round(figure["p95"] / base["p95"], 2)
        figure["samples"] = len(values)
        figures[name] = figure
    summary_p95 = figures["summary_heavy_patient_query_and_paint"]["p95"]
    search_p95 = figures["icd10cm_search"]["p95"]
    print(
        json.dumps(
            {
                "patients": args.patients,
                "figures_ms": figures,
                "budgets_ms": {"summary_p95": SUMMARY_BUDGET_MS, "search_p95": SEARCH_BUDGET_MS},
                "within_budget": {
                    "summary": summary_p95 < SUMMARY_BUDGET_MS,
                    "search": search_p95 < SEARCH_BUDGET_MS,
                },
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
