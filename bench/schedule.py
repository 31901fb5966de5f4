"""Schedule speed: 10 providers with a year of appointments.

    python bench/schedule.py [--patients 3000] [--repeats 30]

Builds (once, then reuses from bench/.cache/) an encrypted demo practice with 10
providers working Monday to Friday and a year of demo appointments (half past, half
ahead). Then measures, offscreen:
- week view: the calendar read for 7 days × 10 providers plus the grid laid out and
  painted into an image;
- day view: the same for one day with visit history (counts, usual provider);
- next available: the first 5 free slots for a 20-minute visit with anyone, and for a
  morning slot with one provider.
Baseline, measured interleaved in the same run: the calendar read and paint of one
provider's single day. Prints JSON with p50/p95 in milliseconds, the ratio of each
figure's p95 to the baseline's p95, and whether the budgets hold: week view < 150 ms
p95, next available < 50 ms p95.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtGui import QImage  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from sqlalchemy import text  # noqa: E402

from app.models import PartOfDay, Role  # noqa: E402
from app.services.auth import sign_in  # noqa: E402
from app.services.availability import AvailabilityService  # noqa: E402
from app.services.calendar import CalendarService  # noqa: E402
from app.services.context import AppContext  # noqa: E402
from app.services.demo import create_demo_practice, demo_npi  # noqa: E402
from app.services.demo_appointments import seed_demo_appointments  # noqa: E402
from app.services.practice import PracticeInfo  # noqa: E402
from app.services.schedule_data import CalendarRange, HoursInput, SlotSearch  # noqa: E402
from app.services.schedule_setup import AppointmentTypeInput, ScheduleSetupService  # noqa: E402
from app.services.users import NewUser, UserAdminService  # noqa: E402
from app.storage.database import PracticePaths  # noqa: E402
from app.storage.keyslots import KdfParams  # noqa: E402
from app.ui.app import settle_heap  # noqa: E402
from app.ui.schedule.schedule_columns import columns_for, week_start  # noqa: E402
from app.ui.schedule.time_grid import TimeGrid  # noqa: E402
from bench.timing import summarise, timed  # noqa: E402

PASSWORD = "benchmark password 2026"
PROVIDERS = 10
WEEK_BUDGET_MS = 150.0
NEXT_AVAILABLE_BUDGET_MS = 50.0
EXTRA_PHYSICIANS = (
    "Amara Lindqvist",
    "Tomás Herrera",
    "Mei Tanaka",
    "Samuel Oduya",
    "Ingrid Halvorsen",
    "Rahul Mehta",
    "Claire Dubois",
    "Kwame Mensah",
)


def build(cache: Path, patients: int, seed: int) -> PracticePaths:
    paths = PracticePaths(cache / f"schedule-{PROVIDERS}p-{patients}-seed{seed}")
    if paths.exists():
        return paths
    started = time.perf_counter()
    print(f"building {PROVIDERS} providers, {patients:,} patients, a year...", file=sys.stderr)
    create_demo_practice(paths, PASSWORD, patients=patients, seed=seed, kdf=KdfParams(1, 1024, 1))
    admin = sign_in(paths, "admin", PASSWORD)
    try:
        _add_providers(admin, seed)
        count = seed_demo_appointments(admin, seed, days_back=182, days_ahead=182)
    finally:
        admin.close()
    print(f"{count:,} appointments in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return paths


def _add_providers(admin: AppContext, seed: int) -> None:
    """Physicians up to PROVIDERS in all, each working Mon–Fri 8–17 with a lunch break;
    every physician offers every visit type the demo physicians offer."""
    rng = random.Random(seed)
    users = UserAdminService(admin)
    setup = ScheduleSetupService(admin)
    existing = setup.providers()
    location_id = setup.hours(existing[0].id)[0].location_id
    for name in EXTRA_PHYSICIANS[: PROVIDERS - len(existing)]:
        username = name.split()[1].lower()
        user = users.create_user(
            NewUser(username, name, Role.PHYSICIAN, PASSWORD, npi=demo_npi(rng), credentials="MD")
        )
        hours = [
            HoursInput(user.id, location_id, day, clock(8), clock(17), clock(12), clock(13))
            for day in range(5)
        ]
        setup.set_hours(user.id, hours)
    physicians = tuple(p.id for p in setup.providers() if p.name not in ("Hannah Kim",))
    for kind in setup.appointment_types():
        if kind.name != "Immunization":
            setup.save_appointment_type(
                AppointmentTypeInput(
                    kind.name, kind.default_minutes, kind.colour, physicians, kind.new_patients_only
                ),
                kind.id,
                kind.version,
            )


class ViewTimer:
    """Does what the Schedule page does for a view: the calendar read on the worker's
    side, then the grid's layout and a full paint into an image the size of a screen."""

    def __init__(self, ctx: AppContext) -> None:
        self.app = QApplication.instance() or QApplication([])
        self.calendar = CalendarService(ctx)
        setup = ScheduleSetupService(ctx)
        self.provider_ids = [p.id for p in setup.providers()]
        self.types = setup.appointment_types()
        summary = PracticeInfo(ctx).summary()
        self.today = summary.today
        self.grid = TimeGrid()
        self.grid.set_clock(ctx.clock.now, summary.time_zone)
        self.grid.resize(1600, 900)
        self.image = QImage(1600, 900, QImage.Format.Format_ARGB32_Premultiplied)
        with ctx.session_factory() as session:
            self.appointment_count = session.scalar(text("SELECT count(*) FROM appointment"))
        settle_heap()  # as the desktop does once its main window is up

    def week(self, day: date, provider_ids: list[str]) -> None:
        data = self.calendar.range(week_start(day), 7, provider_ids)
        self._paint("week", day, data)

    def day(self, day: date, provider_ids: list[str]) -> None:
        data = self.calendar.range(day, 1, provider_ids, with_history=True)
        self._paint("day", day, data)

    def _paint(self, view: str, day: date, data: CalendarRange) -> None:
        self.grid.set_content(
            columns_for(view, day, data),
            data.appointments,
            data.unavailable,
            detailed=view == "day",
        )
        self.grid.render(self.image)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--cache", type=Path, default=ROOT / "bench" / ".cache")
    args = parser.parse_args()

    paths = build(args.cache, args.patients, args.seed)
    ctx = sign_in(paths, "frontdesk", PASSWORD)
    views = ViewTimer(ctx)
    available = AvailabilityService(ctx)
    providers = views.provider_ids
    type_id = next(t.id for t in views.types if t.name == "Follow-up")
    today = views.today
    anyone = SlotSearch(type_id)
    morning_one = SlotSearch(type_id, (providers[3],), PartOfDay.MORNING)

    measures: dict[str, Callable[[int], Any]] = {
        "baseline_one_provider_day": lambda i: views.day(today, providers[:1]),
        "week_view_10_providers": lambda i: views.week(today + timedelta(weeks=i % 8), providers),
        "day_view_10_providers": lambda i: views.day(today + timedelta(days=i % 10), providers),
        "next_available_anyone": lambda i: available.find_next_available(anyone),
        "next_available_morning_one_provider": lambda i: available.find_next_available(morning_one),
    }
    for measure in measures.values():  # warm caches, as a working day would
        measure(0)
    samples: dict[str, list[float]] = {name: [] for name in measures}
    for i in range(args.repeats):
        for name, measure in measures.items():  # interleaved: noise hits every figure
            samples[name].append(timed(lambda m=measure, i=i: m(i)))  # type: ignore[misc]
    ctx.close()

    base = summarise(samples["baseline_one_provider_day"])
    report: dict[str, Any] = {
        "providers": PROVIDERS,
        "appointments": views.appointment_count,
        "figures_ms": {},
        "budgets_ms": {
            "week_view_p95": WEEK_BUDGET_MS,
            "next_available_p95": NEXT_AVAILABLE_BUDGET_MS,
        },
    }
    for name, values in samples.items():
        figure = summarise(values)
        figure["ratio_p95_to_baseline"] = round(figure["p95"] / base["p95"], 2)
        report["figures_ms"][name] = figure
    figures = report["figures_ms"]
    report["within_budget"] = (
        figures["week_view_10_providers"]["p95"] < WEEK_BUDGET_MS
        and figures["next_available_anyone"]["p95"] < NEXT_AVAILABLE_BUDGET_MS
        and figures["next_available_morning_one_provider"]["p95"] < NEXT_AVAILABLE_BUDGET_MS
    )
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
