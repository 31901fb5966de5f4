"""Recurring visits (issue #4): booking a series across the 2026 daylight-saving change in
Chicago (Sunday March 8), and moving or cancelling this visit, this and the following
ones, or all of them, without touching history or visits the user moved on their own."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest

from app.models import AppointmentStatus
from app.services.appointment_rows import ScheduleConflict
from app.services.appointments import AppointmentService
from app.services.errors import ConcurrentChange, DomainError
from app.services.schedule_data import AppointmentView, Recurrence, Scope
from app.services.schedule_rules import occurrences
from app.services.schedule_setup import ScheduleSetupService
from tests.services.scheduling_helpers import (
    Office,
    office_fixture,  # noqa: F401
    wall,
)

S = AppointmentStatus
# Mondays at 9:00 AM with Dr. Patel, two before the change and two after it.
ACROSS_DST = ("2026-02-23 09:00", Recurrence(count=4))
MONDAYS = [date(2026, 2, 23), date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 16)]


def book_series(
    office: Office, at: str, recurrence: Recurrence, patient: str = "ana"
) -> list[AppointmentView]:
    return AppointmentService(office.desk).book_series(office.booking(patient, at), recurrence)


def walls(visits: list[AppointmentView]) -> list[datetime]:
    return [v.wall_start for v in visits]


def appointment_rows(office: Office, ids: list[str]) -> list[dict[str, Any]]:
    marks = ",".join("?" * len(ids))
    return office.rows(f"SELECT * FROM appointment WHERE id IN ({marks}) ORDER BY id", *ids)


def assert_rule_matches_visits(office: Office, series_id: str) -> None:
    """The stored RRULE (what an iCalendar export sends) still yields the series' visits."""
    (series,) = office.rows("SELECT * FROM appointment_series WHERE id = ?", series_id)
    members = office.rows(
        "SELECT occurrence_start FROM appointment WHERE series_id = ? ORDER BY occurrence_start",
        series_id,
    )
    first = datetime.fromisoformat(str(series["first_start"]))
    assert occurrences(series["rule"], first) == [
        datetime.fromisoformat(str(m["occurrence_start"])) for m in members
    ]


def test_a_weekly_series_keeps_its_wall_time_across_daylight_saving(office: Office) -> None:
    visits = book_series(office, *ACROSS_DST)

    assert walls(visits) == [datetime.combine(day, time(9)) for day in MONDAYS]
    assert [v.starts_at.hour for v in visits] == [15, 15, 14, 14]  # CST, CST, CDT, CDT
    assert len({v.series_id for v in visits}) == 1 and visits[0].series_id is not None
    assert all(v.is_recurring and not v.detached for v in visits)
    assert_rule_matches_visits(office, str(visits[0].series_id))


def test_a_series_with_one_taken_date_books_nothing(office: Office) -> None:
    office.book("ben", "2026-03-09 09:10")
    ScheduleSetupService(office.desk).add_holiday(date(2026, 3, 16), "Spring closure")
    before = office.snapshot()

    with pytest.raises(ScheduleConflict) as refused:
        book_series(office, *ACROSS_DST)

    assert str(refused.value).splitlines() == [
        "Mon Mar 9 9:00 AM overlaps Priya Patel's 9:10 AM appointment with Okoro, Ben.",
        "The practice is closed on Mon Mar 16: Spring closure.",
    ]
    assert office.snapshot() == before


@pytest.mark.parametrize(
    ("recurrence", "message"),
    [
        (Recurrence(count=1), "A series has from 2 to 104 visits."),
        (Recurrence(), "Say when the series ends"),
        (Recurrence(interval_weeks=0, count=3), "Repeat every 1 to 52 weeks."),
        (Recurrence(until=date(2026, 2, 23)), "The series must end after its first visit."),
        (Recurrence(weekdays=(0, 2, 4), until=date(2027, 12, 31)), "at most 104 visits"),
    ],
)
def test_a_series_that_makes_no_sense_is_refused(
    office: Office, recurrence: Recurrence, message: str
) -> None:
    with pytest.raises(DomainError, match=message):
        book_series(office, "2026-02-23 09:00", recurrence)
    assert office.rows("SELECT id FROM appointment_series") == []


def test_twice_a_week_every_other_week(office: Office) -> None:
    visits = book_series(office, "2026-01-12 10:00", Recurrence(2, (0, 3), until=date(2026, 2, 5)))
    assert [v.wall_start.date() for v in visits] == [
        date(2026, 1, 12),
        date(2026, 1, 15),
        date(2026, 1, 26),
        date(2026, 1, 29),
    ]


# -- moving ----------------------------------------------------------------------------


def test_moving_one_visit_detaches_it_and_leaves_the_rest(office: Office) -> None:
    visits = book_series(office, *ACROSS_DST)
    others = [v.id for i, v in enumerate(visits) if i != 1]
    before = appointment_rows(office, others)

    (moved,) = AppointmentService(office.desk).move(
        visits[1].id, visits[1].version, wall("2026-03-03 11:00"), scope=Scope.THIS
    )

    assert (moved.wall_start, moved.detached, moved.series_id) == (
        wall("2026-03-03 11:00"),
        True,
        visits[0].series_id,
    )
    assert appointment_rows(office, others) == before


def test_this_and_following_splits_the_series_and_leaves_the_earlier_part(
    office: Office,
) -> None:
    visits = book_series(office, *ACROSS_DST)
    earlier = appointment_rows(office, [visits[0].id])

    moved = AppointmentService(office.desk).move(
        visits[1].id, visits[1].version, wall("2026-03-02 10:30"), scope=Scope.FOLLOWING
    )

    assert [m.id for m in moved] == [v.id for v in visits[1:]]
    assert walls(moved) == [wall(f"2026-03-{d:02} 10:30") for d in (2, 9, 16)]
    assert [m.starts_at.hour for m in moved] == [16, 15, 15]  # 10:30 CST, then CDT
    assert appointment_rows(office, [visits[0].id]) == earlier
    old_id, new_id = visits[0].series_id, moved[0].series_id
    assert new_id != old_id and {m.series_id for m in moved} == {new_id}
    (split,) = office.rows("SELECT split_from_id FROM appointment_series WHERE id = ?", new_id)
    assert split["split_from_id"] == old_id
    assert_rule_matches_visits(office, str(old_id))
    assert_rule_matches_visits(office, str(new_id))


def test_moving_all_an_hour_earlier_keeps_the_weekday_and_wall_time(office: Office) -> None:
    visits = book_series(office, *ACROSS_DST)

    moved = AppointmentService(office.desk).move(
        visits[2].id, visits[2].version, wall("2026-03-09 08:00"), scope=Scope.ALL
    )

    assert walls(moved) == [datetime.combine(day, time(8)) for day in MONDAYS]
    assert [m.starts_at.hour for m in moved] == [14, 14, 13, 13]
    assert {m.series_id for m in moved} == {visits[0].series_id}  # nothing before: no split
    assert_rule_matches_visits(office, str(visits[0].series_id))


def test_moving_all_leaves_history_and_visits_moved_on_their_own(office: Office) -> None:
    service = AppointmentService(office.desk)
    visits = book_series(office, "2026-01-05 09:00", Recurrence(count=6))  # Jan 5 .. Feb 9
    seen = visits[0]
    for status in (S.ARRIVED, S.CHECKED_OUT):
        seen = service.set_status(seen.id, seen.version, status)
    office.clock.advance(timedelta(days=8))  # Tuesday Jan 13: Jan 12 passed, still "booked"
    (own,) = service.move(visits[2].id, visits[2].version, wall("2026-01-20 11:00"))
    history = appointment_rows(office, [visits[0].id, visits[1].id])

    moved = service.move(
        visits[3].id,
        visits[3].version,
        wall("2026-01-26 10:00"),
        provider_id=office.provider("drokafor"),
        scope=Scope.ALL,
    )

    assert [m.id for m in moved] == [v.id for v in visits[2:]]
    assert appointment_rows(office, [visits[0].id, visits[1].id]) == history
    by_id = {m.id: m for m in moved}
    assert by_id[own.id].wall_start == wall("2026-01-20 11:00")  # kept its own time...
    assert by_id[own.id].provider_name == "Daniel Okafor"  # ...but follows the provider
    assert [by_id[v.id].wall_start for v in visits[3:]] == [
        wall("2026-01-26 10:00"),
        wall("2026-02-02 10:00"),
        wall("2026-02-09 10:00"),
    ]
    assert {m.provider_name for m in moved} == {"Daniel Okafor"}


def test_moving_all_leaves_a_visit_under_way_today(office: Office) -> None:
    service = AppointmentService(office.desk)
    visits = book_series(office, "2026-01-05 09:00", Recurrence(count=3))
    here = service.check_in(visits[0].id, visits[0].version, None)

    moved = service.move(visits[1].id, visits[1].version, wall("2026-01-12 10:00"), scope=Scope.ALL)

    assert walls(moved) == [wall("2026-01-12 10:00"), wall("2026-01-19 10:00")]
    assert office.current(here.id) == here  # still 9:00, arrived, not even re-saved


def test_a_series_move_into_a_taken_time_changes_nothing(office: Office) -> None:
    visits = book_series(office, *ACROSS_DST)
    office.book("ben", "2026-03-16 10:00")
    before = office.snapshot()
    with pytest.raises(ScheduleConflict) as refused:
        AppointmentService(office.desk).move(
            visits[1].id, visits[1].version, wall("2026-03-02 10:00"), scope=Scope.FOLLOWING
        )
    assert str(refused.value) == (
        "Mon Mar 16 10:00 AM overlaps Priya Patel's 10:00 AM appointment with Okoro, Ben."
    )
    assert office.snapshot() == before


def test_a_series_move_from_a_stale_copy_is_refused(office: Office) -> None:
    visits = book_series(office, *ACROSS_DST)
    service = AppointmentService(office.desk)
    service.set_status(visits[1].id, visits[1].version, S.CONFIRMED)
    with pytest.raises(ConcurrentChange):
        service.move(visits[1].id, visits[1].version, wall("2026-03-02 10:00"), scope=Scope.ALL)


# -- cancelling ------------------------------------------------------------------------


def test_cancelling_this_and_following_ends_the_series_before_them(office: Office) -> None:
    visits = book_series(office, *ACROSS_DST)

    cancelled = AppointmentService(office.desk).cancel(
        visits[2].id, visits[2].version, "Moving away", scope=Scope.FOLLOWING
    )

    assert [c.id for c in cancelled] == [visits[2].id, visits[3].id]
    assert {(c.status, c.cancel_reason, c.late_cancel) for c in cancelled} == {
        (S.CANCELLED, "Moving away", False)
    }
    assert [office.current(v.id).status for v in visits[:2]] == [S.BOOKED, S.BOOKED]
    (series,) = office.rows("SELECT * FROM appointment_series")
    first = datetime.fromisoformat(str(series["first_start"]))
    assert occurrences(series["rule"], first) == [
        wall("2026-02-23 09:00"),
        wall("2026-03-02 09:00"),
    ]
    assert series["ended_at"] is None


def test_cancelling_all_leaves_past_visits_and_ends_the_series(office: Office) -> None:
    service = AppointmentService(office.desk)
    visits = book_series(office, "2026-01-05 09:00", Recurrence(count=3))
    seen = service.set_status(visits[0].id, visits[0].version, S.ARRIVED)

    cancelled = service.cancel(visits[2].id, visits[2].version, "Treatment done", scope=Scope.ALL)

    assert [c.id for c in cancelled] == [visits[1].id, visits[2].id]
    assert office.current(seen.id).status is S.ARRIVED


def test_cancelling_a_whole_upcoming_series_marks_it_ended(office: Office) -> None:
    visits = book_series(office, *ACROSS_DST)
    cancelled = AppointmentService(office.desk).cancel(
        visits[1].id, visits[1].version, "Changed clinics", scope=Scope.ALL
    )
    assert len(cancelled) == 4
    (series,) = office.rows("SELECT ended_at FROM appointment_series")
    assert series["ended_at"] is not None
