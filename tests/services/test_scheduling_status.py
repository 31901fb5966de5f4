"""A visit's life (issue #4): requests accepted (conflicts checked then) or declined, the
legal path from booked to checked out with its history and audit trail, illegal steps
refused with a clear message, arrival only on the day, no-show only once the time has
come, check-in with a copay, resizing, and cancellation (late within 24 hours)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.models import AppointmentStatus
from app.services.appointment_rows import ScheduleConflict
from app.services.appointments import AppointmentService
from app.services.errors import DomainError
from app.services.schedule_data import AppointmentView
from tests.services.scheduling_helpers import (
    NEW_PATIENT,
    Office,
    office_fixture,  # noqa: F401
    wall,
)

S = AppointmentStatus
LEGAL_PATH = [S.CONFIRMED, S.ARRIVED, S.ROOMED, S.WITH_PROVIDER, S.CHECKED_OUT]


def walk(office: Office, visit: AppointmentView, *statuses: S) -> AppointmentView:
    service = AppointmentService(office.desk)
    for status in statuses:
        visit = service.set_status(visit.id, visit.version, status)
    return visit


def test_the_whole_legal_path_is_recorded_step_by_step(office: Office) -> None:
    visit = office.book("ana", "2026-01-05 09:00")
    service = AppointmentService(office.desk)
    steps = []
    for status in LEGAL_PATH:
        office.clock.advance(timedelta(minutes=5))
        visit = service.set_status(visit.id, visit.version, status)
        steps.append((visit.status, visit.status_changed_at))
        if status is S.ARRIVED:
            assert visit.arrived_at == office.clock.now()

    assert [s for s, _ in steps] == LEGAL_PATH
    assert visit.arrived_at == datetime(2026, 1, 5, 14, 10, tzinfo=UTC)
    history = office.rows(
        "SELECT status, changed_at FROM appointment_status_change WHERE appointment_id = ? "
        "ORDER BY changed_at",
        visit.id,
    )
    assert [h["status"] for h in history] == ["booked", *[s.value for s in LEGAL_PATH]]
    audited = [
        (e["action"], e["detail"], e["patient_id"])
        for e in office.audit()
        if e["entity_id"] == visit.id and e["action"] == "status"
    ]
    ana = office.patient("ana")
    assert audited == [(("status", s.value, ana)) for s in [S.BOOKED, *LEGAL_PATH]]


@pytest.mark.parametrize(
    ("path", "illegal", "message"),
    [
        ([], S.ROOMED, "An appointment that is booked cannot be marked roomed."),
        ([], S.CHECKED_OUT, "An appointment that is booked cannot be marked checked out."),
        ([S.ARRIVED], S.CONFIRMED, "An appointment that is arrived cannot be marked confirmed."),
        (
            [S.ARRIVED, S.CHECKED_OUT],
            S.ARRIVED,
            "An appointment that is checked out cannot be marked arrived.",
        ),
        (
            [S.ARRIVED, S.WITH_PROVIDER],
            S.ROOMED,
            "An appointment that is with provider cannot be marked roomed.",
        ),
        ([], S.CANCELLED, "Use Cancel or Reschedule for that."),
        ([], S.RESCHEDULED, "Use Cancel or Reschedule for that."),
    ],
)
def test_an_illegal_step_is_refused_and_changes_nothing(
    office: Office, path: list[S], illegal: S, message: str
) -> None:
    visit = walk(office, office.book("ana", "2026-01-05 09:00"), *path)
    before = office.snapshot()
    with pytest.raises(DomainError) as refused:
        AppointmentService(office.desk).set_status(visit.id, visit.version, illegal)
    assert str(refused.value) == message
    assert office.snapshot() == before


def test_a_cancelled_visit_cannot_be_marked_arrived(office: Office) -> None:
    visit = office.book("ana", "2026-01-05 09:00")
    (gone,) = AppointmentService(office.desk).cancel(visit.id, visit.version, "Car trouble")
    with pytest.raises(DomainError, match="cancelled cannot be marked arrived"):
        walk(office, gone, S.ARRIVED)


def test_arrival_is_only_on_the_day(office: Office) -> None:
    visit = office.book("ana", "2026-01-06 09:00")
    with pytest.raises(DomainError) as refused:
        walk(office, visit, S.ARRIVED)
    assert str(refused.value) == (
        "This appointment is on Tue Jan 6, not today; reschedule it to today first."
    )
    office.clock.advance(timedelta(days=1) - timedelta(hours=1))  # Tue 7:00 AM, early
    assert walk(office, visit, S.ARRIVED).status is S.ARRIVED


def test_a_no_show_only_once_the_time_has_come(office: Office) -> None:
    visit = office.book("ana", "2026-01-05 10:00")
    with pytest.raises(DomainError, match="once the time has come"):
        walk(office, visit, S.NO_SHOW)
    office.clock.advance(timedelta(hours=2, minutes=1))  # 10:01 AM
    missed = walk(office, visit, S.NO_SHOW)
    assert missed.status is S.NO_SHOW
    late = walk(office, missed, S.ARRIVED)  # turned up after all: still seen
    assert (late.status, late.arrived_at) == (S.ARRIVED, office.clock.now())


def test_an_arrival_marked_by_mistake_can_be_undone(office: Office) -> None:
    visit = walk(office, office.book("ana", "2026-01-05 10:00"), S.ARRIVED)
    undone = walk(office, visit, S.BOOKED)
    assert (undone.status, undone.arrived_at) == (S.BOOKED, None)


def test_check_in_marks_arrived_with_the_copay_due(office: Office) -> None:
    visit = office.book("ana", "2026-01-05 10:00")
    service = AppointmentService(office.desk)
    with pytest.raises(DomainError, match="between \\$0 and \\$10,000"):
        service.check_in(visit.id, visit.version, -1)

    arrived = service.check_in(visit.id, visit.version, 2500)

    assert (arrived.status, arrived.copay_due_cents, arrived.arrived_at) == (
        S.ARRIVED,
        2500,
        office.clock.now(),
    )
    (change,) = office.rows(
        "SELECT note FROM appointment_status_change WHERE appointment_id = ? AND status = ?",
        visit.id,
        "arrived",
    )
    assert change["note"] == "checked in"


# -- requests ------------------------------------------------------------------------


def test_an_accepted_request_is_checked_for_conflicts_then(office: Office) -> None:
    service = AppointmentService(office.desk)
    asked = service.request(office.booking("ana", "2026-01-06 10:00"))
    assert asked.status is S.REQUESTED
    taken = office.book("ben", "2026-01-06 10:10")
    before = office.snapshot()

    with pytest.raises(ScheduleConflict) as refused:
        service.accept_request(asked.id, asked.version)
    assert str(refused.value) == (
        "Tue Jan 6 10:00 AM overlaps Priya Patel's 10:10 AM appointment with Okoro, Ben."
    )
    assert office.snapshot() == before

    service.cancel(taken.id, taken.version, "Sick")
    office.clock.advance(timedelta(minutes=5))
    accepted = service.accept_request(asked.id, asked.version)
    assert accepted.status is S.BOOKED
    history = office.rows(
        "SELECT status, note FROM appointment_status_change WHERE appointment_id = ? "
        "ORDER BY changed_at",
        asked.id,
    )
    assert history == [
        {"status": "requested", "note": None},
        {"status": "booked", "note": "request accepted"},
    ]


def test_a_request_for_a_day_that_has_passed_cannot_be_accepted(office: Office) -> None:
    service = AppointmentService(office.desk)
    asked = service.request(office.booking("ana", "2026-01-06 10:00"))
    office.clock.advance(timedelta(days=2))  # nobody looked at the inbox until Wednesday
    with pytest.raises(DomainError, match="That day has passed"):
        service.accept_request(asked.id, asked.version)
    declined = service.decline_request(asked.id, asked.version, "Too late")
    assert declined.status is S.DECLINED


def test_a_declined_request_keeps_the_reason(office: Office) -> None:
    service = AppointmentService(office.desk)
    asked = service.request(office.booking("ana", "2026-01-06 10:00"))
    with pytest.raises(DomainError, match="Say why"):
        service.decline_request(asked.id, asked.version, "  ")

    declined = service.decline_request(asked.id, asked.version, "Provider on leave")

    assert (declined.status, declined.cancel_reason) == (S.DECLINED, "Provider on leave")
    with pytest.raises(DomainError, match="Only a requested appointment can be accepted"):
        service.accept_request(declined.id, declined.version)


def test_only_a_request_can_be_declined(office: Office) -> None:
    booked = office.book("ana", "2026-01-06 10:00")
    with pytest.raises(DomainError) as refused:
        AppointmentService(office.desk).decline_request(booked.id, booked.version, "No")
    assert str(refused.value) == "An appointment that is booked cannot be marked declined."


def test_a_request_for_a_new_patient_visit_from_a_seen_patient_is_refused(
    office: Office,
) -> None:
    walk(office, office.book("ana", "2026-01-05 08:00"), S.ARRIVED, S.CHECKED_OUT)
    with pytest.raises(DomainError, match="is for new patients"):
        AppointmentService(office.desk).request(
            office.booking("ana", "2026-01-12 09:00", type_name=NEW_PATIENT)
        )


# -- moving a visit that has started ---------------------------------------------------


def test_a_visit_under_way_may_only_change_length(office: Office) -> None:
    visit = walk(office, office.book("ana", "2026-01-05 09:00"), S.ARRIVED)
    service = AppointmentService(office.desk)
    with pytest.raises(DomainError, match="only its length can change"):
        service.move(visit.id, visit.version, wall("2026-01-05 10:00"))
    (longer,) = service.move(visit.id, visit.version, visit.wall_start, 40)
    assert longer.wall_end == wall("2026-01-05 09:40")
    done = walk(office, longer, S.CHECKED_OUT)
    with pytest.raises(DomainError, match="cannot be moved"):
        service.move(done.id, done.version, done.wall_start, 20)


@pytest.mark.parametrize("minutes", [4, 481])
def test_resizing_keeps_a_visit_between_five_minutes_and_eight_hours(
    office: Office, minutes: int
) -> None:
    visit = office.book("ana", "2026-01-06 09:00")
    before = office.snapshot()
    with pytest.raises(DomainError, match="from 5 minutes to 8 hours"):
        AppointmentService(office.desk).move(visit.id, visit.version, visit.wall_start, minutes)
    assert office.snapshot() == before


# -- cancelling ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("at", "clock_moves", "late"),
    [
        ("2026-01-06 10:00", timedelta(hours=2), False),  # exactly 24 hours ahead
        ("2026-01-06 10:00", timedelta(hours=2, minutes=1), True),  # 23 h 59 min ahead
        ("2026-01-05 15:00", timedelta(0), True),  # later today
        ("2026-01-09 10:00", timedelta(0), False),
    ],
)
def test_a_cancellation_within_24_hours_is_late(
    office: Office, at: str, clock_moves: timedelta, late: bool
) -> None:
    visit = office.book("ana", at)
    office.clock.advance(clock_moves)
    (cancelled,) = AppointmentService(office.desk).cancel(visit.id, visit.version, " Flu ")
    assert (cancelled.status, cancelled.cancel_reason, cancelled.late_cancel) == (
        S.CANCELLED,
        "Flu",
        late,
    )
    (row,) = office.rows("SELECT cancelled_by FROM appointment WHERE id = ?", visit.id)
    assert row["cancelled_by"] == office.provider("frontdesk")


def test_a_cancellation_needs_a_reason_and_an_upcoming_visit(office: Office) -> None:
    visit = office.book("ana", "2026-01-05 09:00")
    service = AppointmentService(office.desk)
    with pytest.raises(DomainError, match="Say why the appointment is cancelled"):
        service.cancel(visit.id, visit.version, "")
    arrived = walk(office, visit, S.ARRIVED)
    with pytest.raises(DomainError, match="Only a booked or confirmed appointment"):
        service.cancel(arrived.id, arrived.version, "Changed mind")
