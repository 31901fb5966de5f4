"""Scheduling rules with no database: status transitions, wall time and UTC across the
2026 daylight-saving change in Chicago, recurrence rules, and interval arithmetic."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time

import pytest

from app.models import AppointmentStatus, PartOfDay
from app.services.appointment_series import shifted_rule
from app.services.errors import DomainError
from app.services.schedule_data import Recurrence
from app.services.schedule_rules import (
    TRANSITIONS,
    check_minutes,
    check_transition,
    merge_intervals,
    occurrences,
    part_of_day_window,
    recurrence_rule,
    subtract,
    to_utc,
    to_wall,
    truncate_rule,
)

S = AppointmentStatus
CHICAGO = "America/Chicago"
LEGAL_PATH = [S.BOOKED, S.CONFIRMED, S.ARRIVED, S.ROOMED, S.WITH_PROVIDER, S.CHECKED_OUT]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


# -- statuses --------------------------------------------------------------------------


def test_the_whole_visit_is_a_legal_path() -> None:
    for current, new in itertools.pairwise(LEGAL_PATH):
        check_transition(current, new)


@pytest.mark.parametrize(
    ("current", "new", "message"),
    [
        (S.BOOKED, S.ROOMED, "An appointment that is booked cannot be marked roomed."),
        (S.CHECKED_OUT, S.ARRIVED, "An appointment that is checked out cannot be marked arrived."),
        (S.CANCELLED, S.BOOKED, "An appointment that is cancelled cannot be marked booked."),
        (S.REQUESTED, S.ARRIVED, "An appointment that is requested cannot be marked arrived."),
        (S.NO_SHOW, S.CHECKED_OUT, "An appointment that is no-show cannot be marked checked out."),
        (S.ROOMED, S.ARRIVED, "An appointment that is roomed cannot be marked arrived."),
    ],
)
def test_an_illegal_step_says_where_the_visit_is(current: S, new: S, message: str) -> None:
    with pytest.raises(DomainError) as refused:
        check_transition(current, new)
    assert str(refused.value) == message


def test_finished_visits_go_nowhere_and_every_status_has_a_rule() -> None:
    assert set(TRANSITIONS) == set(S)
    for done in (S.CHECKED_OUT, S.CANCELLED, S.RESCHEDULED, S.DECLINED):
        assert TRANSITIONS[done] == frozenset()


# -- wall time -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("local", "utc_hour"),
    [("2026-03-06 09:00", 15), ("2026-03-09 09:00", 14), ("2026-11-02 09:00", 15)],
)
def test_nine_o_clock_is_a_different_utc_hour_after_the_change(local: str, utc_hour: int) -> None:
    instant = to_utc(at(local), CHICAGO)
    assert (instant.tzinfo, instant.hour) == (UTC, utc_hour)
    assert to_wall(instant, CHICAGO) == at(local)


@pytest.mark.parametrize(("minutes", "ok"), [(4, False), (5, True), (480, True), (481, False)])
def test_a_visit_lasts_five_minutes_to_eight_hours(minutes: int, ok: bool) -> None:
    if ok:
        check_minutes(minutes)
    else:
        with pytest.raises(DomainError):
            check_minutes(minutes)


def test_parts_of_the_day() -> None:
    assert part_of_day_window(PartOfDay.MORNING) == (time(0), time(12))
    assert part_of_day_window(PartOfDay.AFTERNOON) == (time(12), time(17))
    assert part_of_day_window(PartOfDay.EVENING)[0] == time(17)


# -- recurrence ------------------------------------------------------------------------


def test_a_weekly_rule_keeps_the_wall_time_over_the_change() -> None:
    first = at("2026-02-23 09:00")
    rule = recurrence_rule(Recurrence(count=4), first)
    assert rule == "FREQ=WEEKLY;COUNT=4;BYDAY=MO"
    assert occurrences(rule, first) == [
        at("2026-02-23 09:00"),
        at("2026-03-02 09:00"),
        at("2026-03-09 09:00"),
        at("2026-03-16 09:00"),
    ]


def test_every_other_week_on_two_days_until_a_date() -> None:
    first = at("2026-01-05 10:00")
    rule = recurrence_rule(Recurrence(2, (3, 0), until=date(2026, 1, 22)), first)
    assert occurrences(rule, first) == [
        at("2026-01-05 10:00"),
        at("2026-01-08 10:00"),
        at("2026-01-19 10:00"),
        at("2026-01-22 10:00"),  # the end date is included
    ]


@pytest.mark.parametrize(
    ("recurrence", "message"),
    [
        (Recurrence(interval_weeks=53, count=3), "Repeat every 1 to 52 weeks."),
        (Recurrence(count=3, until=date(2026, 3, 1)), "Say when the series ends"),
        (Recurrence(count=105), "A series has from 2 to 104 visits."),
        (Recurrence(until=date(2026, 1, 5)), "The series must end after its first visit."),
        (Recurrence(until=date(2028, 6, 1)), "A series may run for up to two years"),
        (Recurrence(weekdays=(7,), count=3), "Weekdays run from Monday (0) to Sunday (6)."),
    ],
)
def test_a_rule_that_makes_no_sense_is_refused(recurrence: Recurrence, message: str) -> None:
    with pytest.raises(DomainError) as refused:
        recurrence_rule(recurrence, at("2026-01-05 10:00"))
    assert message in str(refused.value)


def test_too_many_visits_in_the_allowed_span_are_refused() -> None:
    first = at("2026-01-05 10:00")
    rule = recurrence_rule(Recurrence(weekdays=(0, 2, 4), until=date(2027, 6, 30)), first)
    with pytest.raises(DomainError, match="at most 104 visits"):
        occurrences(rule, first)


def test_truncating_a_rule_ends_it_before_the_split() -> None:
    first = at("2026-02-23 09:00")
    rule = truncate_rule("FREQ=WEEKLY;COUNT=4;BYDAY=MO", first, at("2026-03-09 09:00"))
    assert occurrences(rule, first) == [at("2026-02-23 09:00"), at("2026-03-02 09:00")]


@pytest.mark.parametrize(
    ("days", "byday"), [(0, "MO,TH"), (1, "TU,FR"), (-1, "WE,SU"), (3, "TH,SU"), (7, "MO,TH")]
)
def test_shifting_a_rule_moves_its_weekdays(days: int, byday: str) -> None:
    shifted = shifted_rule("FREQ=WEEKLY;COUNT=6;BYDAY=MO,TH", days, at("2026-03-30 09:00"))
    assert shifted == f"FREQ=WEEKLY;BYDAY={byday};UNTIL=20260330T090000"


# -- intervals -------------------------------------------------------------------------


def test_merging_and_subtracting_intervals() -> None:
    day = [(at("2026-01-05 08:00"), at("2026-01-05 17:00"))]
    busy = [
        (at("2026-01-05 12:00"), at("2026-01-05 13:00")),
        (at("2026-01-05 08:00"), at("2026-01-05 08:20")),
        (at("2026-01-05 08:15"), at("2026-01-05 08:40")),
        (at("2026-01-05 16:30"), at("2026-01-05 18:00")),
    ]
    assert merge_intervals(busy)[0] == (at("2026-01-05 08:00"), at("2026-01-05 08:40"))
    assert subtract(day, busy) == [
        (at("2026-01-05 08:40"), at("2026-01-05 12:00")),
        (at("2026-01-05 13:00"), at("2026-01-05 16:30")),
    ]
    assert subtract(day, []) == day
