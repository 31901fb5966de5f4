"""Demo appointments (issue #4): a realistic, consistent schedule around today, read back
from the real encrypted database: every status, no double-booked provider or patient,
nothing outside working hours, in a break, on a holiday or in blocked time, recurring
series, reschedules linked to their new booking, believable fill, history and audit."""

from __future__ import annotations

import itertools
import shutil
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from app.models import AppointmentStatus, Role
from app.services.auth import sign_in
from app.services.clock import FakeClock
from app.services.context import AppContext
from app.services.demo import create_demo_practice
from app.services.demo_appointments import seed_demo_appointments
from app.services.demo_patients import seed_demo_patients
from app.services.schedule_data import HoursInput
from app.services.schedule_rules import OCCUPYING, SEEN, TRANSITIONS, occurrences
from app.services.schedule_setup import AppointmentTypeInput, ScheduleSetupService
from app.services.users import NewUser, UserAdminService
from app.storage.database import PracticePaths
from tests.conftest import DEMO_PASSWORD, FAST_KDF
from tests.services.helpers import audit_events, query

S = AppointmentStatus
# Monday 5 January 2026, 11:30 in Chicago: the morning clinic is under way.
NOW = datetime(2026, 1, 5, 17, 30, tzinfo=UTC)
TODAY = date(2026, 1, 5)
ZONE = ZoneInfo("America/Chicago")
DAYS = 49  # each way: enough for series, reschedules and the fall-off ahead, and quick
_HOLDING = tuple(s.value for s in OCCUPYING)


@pytest.fixture(scope="module")
def before_seeding(tmp_path_factory: pytest.TempPathFactory) -> PracticePaths:
    """A demo practice with 60 patients and no appointments yet."""
    paths = PracticePaths(tmp_path_factory.mktemp("demo-appointments") / "template")
    # Patients seeded apart: create_demo_practice(patients=N) would seed appointments too.
    create_demo_practice(paths, DEMO_PASSWORD, clock=FakeClock(NOW), kdf=FAST_KDF)
    admin = sign_in(paths, "admin", DEMO_PASSWORD, clock=FakeClock(NOW), kdf=FAST_KDF)
    seed_demo_patients(admin, 60, 1)
    admin.close()
    return paths


def _seeded(template: PracticePaths, folder: Path, seed: int, days: int) -> tuple[AppContext, int]:
    shutil.copytree(template.data_dir, folder)
    ctx = sign_in(PracticePaths(folder), "admin", DEMO_PASSWORD, clock=FakeClock(NOW), kdf=FAST_KDF)
    return ctx, seed_demo_appointments(ctx, seed, days_back=days, days_ahead=days)


@pytest.fixture(scope="module")
def seeded(
    before_seeding: PracticePaths, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[AppContext, int]]:
    ctx, count = _seeded(before_seeding, tmp_path_factory.mktemp("seeded") / "p", 1, DAYS)
    yield ctx, count
    ctx.close()


@pytest.fixture(scope="module")
def rows(seeded: tuple[AppContext, int]) -> list[dict[str, Any]]:
    ctx, _ = seeded
    found = query(
        ctx,
        "SELECT a.*, t.name AS type_name, t.new_patients_only, u.username, u.role "
        "FROM appointment a JOIN appointment_type t ON t.id = a.type_id "
        "JOIN user_account u ON u.id = a.provider_id ORDER BY a.starts_at",
    )
    for row in found:
        for key in ("starts_at", "ends_at", "wall_start", "status_changed_at", "arrived_at"):
            if row[key] is not None:
                row[key] = datetime.fromisoformat(row[key])
        for key in ("starts_at", "ends_at", "status_changed_at", "arrived_at"):
            if row[key] is not None:
                row[key] = row[key].replace(tzinfo=UTC)
        row["minutes"] = (row["ends_at"] - row["starts_at"]) // timedelta(minutes=1)
        row["wall_end"] = row["wall_start"] + timedelta(minutes=row["minutes"])
    return found


def _history(ctx: AppContext) -> dict[str, list[tuple[str, datetime]]]:
    changes: dict[str, list[tuple[str, datetime]]] = defaultdict(list)
    for change in query(
        ctx,
        "SELECT appointment_id, status, changed_at FROM appointment_status_change "
        "ORDER BY changed_at, rowid",
    ):
        at = datetime.fromisoformat(change["changed_at"]).replace(tzinfo=UTC)
        changes[change["appointment_id"]].append((change["status"], at))
    return changes


def test_the_count_is_what_was_written_and_each_batch_is_audited(
    seeded: tuple[AppContext, int], rows: list[dict[str, Any]]
) -> None:
    ctx, count = seeded
    assert count == len(rows)
    batches = [
        e["detail"] for e in audit_events(ctx) if e["category"] == "demo_data" and e["detail"]
    ]
    written = [int(d.split()[0]) for d in batches if d.endswith("demo appointments")]
    assert sum(written) == count
    outbox = query(ctx, "SELECT count(*) AS n FROM sync_outbox WHERE table_name = 'appointment'")
    assert outbox[0]["n"] == count  # every row is ready to sync


def test_every_status_appears(rows: list[dict[str, Any]]) -> None:
    assert {row["status"] for row in rows} == {s.value for s in AppointmentStatus}


def _clashes(ctx: AppContext, who: str) -> list[dict[str, Any]]:
    """Pairs of visits that hold the same provider's (or patient's) time at once."""
    marks = ", ".join("?" * len(_HOLDING))
    return query(
        ctx,
        f"SELECT a.id, b.id FROM appointment a JOIN appointment b ON a.{who} = b.{who} "
        f"AND a.id < b.id AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at "
        f"WHERE a.status IN ({marks}) AND b.status IN ({marks})",
        *_HOLDING,
        *_HOLDING,
    )


def test_no_provider_or_patient_is_double_booked(seeded: tuple[AppContext, int]) -> None:
    ctx, _ = seeded
    assert _clashes(ctx, "provider_id") == []
    assert _clashes(ctx, "patient_id") == []


def test_visits_keep_to_working_hours_breaks_holidays_and_blocks(
    seeded: tuple[AppContext, int], rows: list[dict[str, Any]]
) -> None:
    ctx, _ = seeded
    hours: dict[tuple[str, int], list[tuple[time, time]]] = defaultdict(list)
    for h in query(ctx, "SELECT * FROM working_hours WHERE deleted_at IS NULL"):
        start, end = time.fromisoformat(h["starts"]), time.fromisoformat(h["ends"])
        if h["break_starts"]:
            breaks = time.fromisoformat(h["break_starts"]), time.fromisoformat(h["break_ends"])
            hours[(h["provider_id"], h["weekday"])] += [(start, breaks[0]), (breaks[1], end)]
        else:
            hours[(h["provider_id"], h["weekday"])].append((start, end))
    blocks = query(ctx, "SELECT * FROM blocked_time")
    holidays = [b for b in blocks if b["kind"] == "holiday"]
    assert holidays and all(b["provider_id"] is None for b in holidays)
    assert {b["provider_id"] for b in blocks if b["kind"] == "block"} >= {
        row["provider_id"] for row in rows
    }
    closed = [
        (
            b["provider_id"],
            datetime.fromisoformat(b["starts_at"]).replace(tzinfo=UTC),
            datetime.fromisoformat(b["ends_at"]).replace(tzinfo=UTC),
        )
        for b in blocks
    ]
    for row in rows:
        wall_start, wall_end = row["wall_start"], row["wall_end"]
        stretches = hours[(row["provider_id"], wall_start.weekday())]
        same_day = wall_end.date() == wall_start.date()
        assert same_day and any(
            s <= wall_start.time() and wall_end.time() <= e for s, e in stretches
        ), (row["username"], wall_start, row["minutes"])
        for provider_id, shut, reopens in closed:
            if provider_id in (None, row["provider_id"]):
                assert not (row["starts_at"] < reopens and shut < row["ends_at"]), wall_start


def test_series_repeat_at_the_same_time_with_their_rule(
    seeded: tuple[AppContext, int], rows: list[dict[str, Any]]
) -> None:
    ctx, _ = seeded
    members: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if row["series_id"]:
            members[row["series_id"]].append(row)
    series = query(ctx, "SELECT * FROM appointment_series")
    assert len(series) >= 3
    assert max(len(m) for m in members.values()) >= 4
    for one in series:
        first = datetime.fromisoformat(one["first_start"])
        visits = members[one["id"]]
        assert [v["wall_start"] for v in visits] == occurrences(one["rule"], first)
        assert all(datetime.fromisoformat(v["occurrence_start"]) == v["wall_start"] for v in visits)
        assert len({(v["patient_id"], v["provider_id"], v["type_id"]) for v in visits}) == 1
    statuses = {row["status"] for m in members.values() for row in m}
    assert S.CHECKED_OUT in statuses and S.BOOKED in statuses  # series run across today


def test_a_rescheduled_visit_links_to_its_new_booking(
    seeded: tuple[AppContext, int], rows: list[dict[str, Any]]
) -> None:
    ctx, _ = seeded
    by_id = {row["id"]: row for row in rows}
    history = _history(ctx)
    moved = [row for row in rows if row["status"] == S.RESCHEDULED]
    assert len(moved) >= 10
    for old in moved:
        new = by_id[old["rescheduled_to_id"]]
        same = ("patient_id", "provider_id", "type_id", "minutes")
        assert [old[k] for k in same] == [new[k] for k in same]
        assert new["starts_at"] > old["starts_at"]
        # Booked at the moment the old one was moved, and never moved again.
        assert history[new["id"]][0] == (S.BOOKED, history[old["id"]][-1][1])
        assert new["status"] != S.RESCHEDULED
    assert all(row["rescheduled_to_id"] is None for row in rows if row["status"] != "rescheduled")


def test_status_histories_follow_the_rules_and_the_clock(
    seeded: tuple[AppContext, int], rows: list[dict[str, Any]]
) -> None:
    ctx, _ = seeded
    history = _history(ctx)
    for row in rows:
        steps = history[row["id"]]
        assert steps[0][0] in (S.BOOKED, S.REQUESTED)
        for (before, _), (after, _) in itertools.pairwise(steps):
            assert S(after) in TRANSITIONS[S(before)], (before, after)
        assert steps[-1][0] == row["status"]
        assert steps[-1][1] == row["status_changed_at"] <= NOW
        arrivals = [at for status, at in steps if status == S.ARRIVED]
        assert row["arrived_at"] == (arrivals[0] if arrivals else None)
        if row["status"] in (S.ROOMED, S.WITH_PROVIDER, S.CHECKED_OUT):
            assert row["room_id"] is not None
        if row["status"] in (S.CANCELLED, S.RESCHEDULED):
            assert steps[-1][1] <= row["starts_at"]  # called ahead of time
    cancelled = [row for row in rows if row["status"] == S.CANCELLED]
    assert all(row["cancel_reason"] for row in cancelled)
    assert {bool(row["late_cancel"]) for row in cancelled} == {True, False}


def test_past_visits_mostly_happened_today_is_under_way_and_ahead_is_booked(
    rows: list[dict[str, Any]],
) -> None:
    now_wall = NOW.astimezone(ZONE).replace(tzinfo=None)
    past = Counter(row["status"] for row in rows if row["ends_at"] < NOW - timedelta(hours=1))
    total = sum(past.values())
    assert 0.65 < past[S.CHECKED_OUT] / total < 0.85
    assert 0.03 < past[S.NO_SHOW] / total < 0.08
    assert 0.05 < past[S.CANCELLED] / total < 0.12
    assert 0.02 < past[S.RESCHEDULED] / total < 0.07
    ahead = Counter(row["status"] for row in rows if row["wall_start"].date() > TODAY)
    assert set(ahead) <= {S.BOOKED, S.CONFIRMED, S.REQUESTED, S.CANCELLED, S.RESCHEDULED}
    assert 0 < ahead[S.REQUESTED] < 0.03 * sum(ahead.values())
    today = [row for row in rows if row["wall_start"].date() == TODAY]
    for row in today:
        if row["wall_end"] < now_wall - timedelta(minutes=45):  # however late it runs
            assert row["status"] not in (S.BOOKED, S.CONFIRMED, S.ARRIVED, S.ROOMED), row
        if row["wall_start"] > now_wall + timedelta(minutes=30):
            assert row["status"] in (S.REQUESTED, S.BOOKED, S.CONFIRMED, S.CANCELLED, S.RESCHEDULED)
    assert {S.ARRIVED, S.ROOMED, S.WITH_PROVIDER} <= {row["status"] for row in today}


def test_booked_share_of_working_time_falls_off_ahead(
    seeded: tuple[AppContext, int], rows: list[dict[str, Any]]
) -> None:
    """70–85% of open working time is booked on a past day; far fewer weeks ahead."""
    ctx, _ = seeded
    open_minutes = _open_minutes(ctx)
    booked: Counter[tuple[str, date]] = Counter()
    for row in rows:
        if row["status"] in OCCUPYING or row["status"] == S.NO_SHOW:
            booked[(row["provider_id"], row["wall_start"].date())] += row["minutes"]

    def share(first: date, last: date) -> float:
        keys = [k for k in open_minutes if first <= k[1] <= last]
        return sum(booked[k] for k in keys) / sum(open_minutes[k] for k in keys)

    yesterday = TODAY - timedelta(days=1)
    assert 0.7 <= share(TODAY - timedelta(days=DAYS), yesterday) <= 0.85
    assert share(TODAY + timedelta(days=1), TODAY + timedelta(days=7)) > 0.4
    assert share(TODAY + timedelta(days=28), TODAY + timedelta(days=DAYS)) < 0.35
    # And so, on a past day, two to four visits an hour (15- to 40-minute visits).
    for provider_id in {provider_id for provider_id, _ in open_minutes}:
        visits = sum(
            1
            for row in rows
            if row["provider_id"] == provider_id
            and row["wall_start"].date() < TODAY
            and row["status"] in OCCUPYING
        )
        hours = sum(
            m for (who, day), m in open_minutes.items() if who == provider_id and day < TODAY
        )
        assert 2 <= visits / (hours / 60) <= 4


def test_patients_see_their_own_physician_and_new_patients_start_new(
    rows: list[dict[str, Any]],
) -> None:
    seen = [row for row in rows if row["status"] in {s.value for s in SEEN}]
    by_patient: dict[str, Counter[str]] = defaultdict(Counter)
    for row in seen:
        by_patient[row["patient_id"]][row["provider_id"]] += 1
    physicians = {row["provider_id"] for row in rows if row["role"] == "physician"}
    with_own = nurse_most = 0
    for counts in by_patient.values():
        doctors = [v for k, v in counts.most_common() if k in physicians]
        with_own += bool(doctors) and doctors[0] >= 0.75 * sum(doctors)
        nurse_most += max(counts.values()) > max(doctors, default=0)
    assert with_own >= 0.85 * len(by_patient)
    # A few on weekly shots see the nurse most; everyone else sees their own physician.
    assert nurse_most <= 0.1 * len(by_patient)
    first_seen: dict[str, datetime] = {}
    for row in seen:
        first_seen.setdefault(row["patient_id"], row["starts_at"])
    new_visits = [row for row in rows if row["new_patients_only"]]
    assert any(row["status"] == S.CHECKED_OUT for row in new_visits)
    for row in new_visits:
        assert row["role"] == "physician"
        if row["status"] in {s.value for s in SEEN}:
            assert first_seen[row["patient_id"]] == row["starts_at"]  # their very first visit


def test_the_same_seed_gives_the_same_schedule(
    before_seeding: PracticePaths, tmp_path: Path
) -> None:
    def schedule(folder: str, seed: int) -> list[tuple[Any, ...]]:
        ctx, _ = _seeded(before_seeding, tmp_path / folder, seed, 6)
        try:
            return [
                tuple(r.values())
                for r in query(
                    ctx,
                    "SELECT patient_id, provider_id, type_id, wall_start, status, reason "
                    "FROM appointment ORDER BY wall_start, provider_id",
                )
            ]
        finally:
            ctx.close()

    first = schedule("a", 3)
    assert first and schedule("b", 3) == first
    assert schedule("c", 4) != first


def _open_minutes(ctx: AppContext) -> Counter[tuple[str, date]]:
    """Per provider and day: working minutes outside breaks, holidays and blocks."""
    minutes: Counter[tuple[str, date]] = Counter()
    hours = query(ctx, "SELECT * FROM working_hours WHERE deleted_at IS NULL")
    blocks = [
        (
            b["provider_id"],
            datetime.fromisoformat(b["starts_at"]).replace(tzinfo=UTC).astimezone(ZONE),
            datetime.fromisoformat(b["ends_at"]).replace(tzinfo=UTC).astimezone(ZONE),
        )
        for b in query(ctx, "SELECT * FROM blocked_time")
    ]
    for offset in range(-DAYS, DAYS + 1):
        day = TODAY + timedelta(days=offset)
        for h in (h for h in hours if h["weekday"] == day.weekday()):
            spans = [(h["starts"], h["break_starts"] or h["ends"])]
            if h["break_starts"]:
                spans.append((h["break_ends"], h["ends"]))
            for start, end in spans:
                first = datetime.combine(day, time.fromisoformat(start), ZONE)
                last = datetime.combine(day, time.fromisoformat(end), ZONE)
                for minute in range(int((last - first) / timedelta(minutes=1))):
                    at = first + timedelta(minutes=minute)
                    if not any(
                        who in (None, h["provider_id"]) and s <= at < e for who, s, e in blocks
                    ):
                        minutes[(h["provider_id"], day)] += 1
    return minutes


def test_a_second_run_fills_in_only_providers_added_since(
    before_seeding: PracticePaths, tmp_path: Path
) -> None:
    ctx, first = _seeded(before_seeding, tmp_path / "p", 5, 6)
    try:
        nurse = UserAdminService(ctx).create_user(
            NewUser("jlee", "Jordan Lee", Role.NURSE, "a sunny day in may", "RN")
        )
        setup = ScheduleSetupService(ctx)
        setup.save_appointment_type(AppointmentTypeInput("Blood pressure check", 15, "#2E6FAD"))
        location_id = query(ctx, "SELECT id FROM location")[0]["id"]
        setup.set_hours(
            nurse.id, [HoursInput(nurse.id, location_id, d, time(9), time(15)) for d in range(5)]
        )
        holidays = query(ctx, "SELECT count(*) AS n FROM blocked_time WHERE kind = 'holiday'")

        second = seed_demo_appointments(ctx, 5, days_back=6, days_ahead=6)

        assert first > 0 and second > 0
        assert query(ctx, "SELECT count(*) AS n FROM appointment")[0]["n"] == first + second
        mine = query(ctx, "SELECT count(*) AS n FROM appointment WHERE provider_id = ?", nurse.id)
        assert mine[0]["n"] == second  # everyone else already had their schedule
        assert _clashes(ctx, "provider_id") == [] and _clashes(ctx, "patient_id") == []
        assert (
            query(ctx, "SELECT count(*) AS n FROM blocked_time WHERE kind = 'holiday'") == holidays
        )  # New Year's Day is not closed twice
        assert seed_demo_appointments(ctx, 5, days_back=6, days_ahead=6) == 0
    finally:
        ctx.close()
