"""Booking (issue #4): what a booking saves, every kind of overlap refused with a message
that says what it runs into, double-booking by permission, visit-type rules, rescheduling
and optimistic locking. Refusals save nothing (data snapshot before/after)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from app.models import AppointmentStatus
from app.services.appointment_rows import ScheduleConflict
from app.services.appointments import AppointmentService
from app.services.bus import AppointmentsChanged
from app.services.errors import ConcurrentChange, DomainError, PermissionDenied
from app.services.schedule_setup import ScheduleSetupService
from tests.services.scheduling_helpers import (
    IMMUNIZATION,
    NEW_PATIENT,
    Office,
    office_fixture,  # noqa: F401
    wall,
)

S = AppointmentStatus


def test_a_booking_saves_the_visit_its_history_and_an_audit_trail(office: Office) -> None:
    notices: list[AppointmentsChanged] = []
    office.bus.subscribe(AppointmentsChanged, notices.append)

    booked = office.book("ana", "2026-01-06 10:00", reason=" cough ", room_id=office.room("Exam 2"))

    assert (booked.patient_name, booked.provider_name, booked.type_name) == (
        "Lopez, Ana",
        "Priya Patel",
        "Follow-up",
    )
    assert (booked.wall_start, booked.wall_end, booked.minutes) == (
        wall("2026-01-06 10:00"),
        wall("2026-01-06 10:20"),
        20,  # the type's default length
    )
    assert booked.starts_at == datetime(2026, 1, 6, 16, 0, tzinfo=UTC)  # CST is UTC-6
    assert (booked.status, booked.reason, booked.room_name) == (S.BOOKED, "cough", "Exam 2")
    assert booked.location_id == office.template.location_id
    history = office.rows(
        "SELECT status, changed_by FROM appointment_status_change WHERE appointment_id = ?",
        booked.id,
    )
    assert history == [{"status": "booked", "changed_by": office.provider("frontdesk")}]
    assert [
        (e["action"], e["category"], e["user_name"])
        for e in office.audit()
        if e["entity_id"] == booked.id
    ] == [("status", "appointment", "frontdesk"), ("create", "appointment", "frontdesk")]
    assert notices == [AppointmentsChanged((booked.id,))]


def test_a_booking_may_set_its_own_length_within_limits(office: Office) -> None:
    assert office.book("ana", "2026-01-06 10:00", minutes=45).wall_end == wall("2026-01-06 10:45")
    with pytest.raises(DomainError, match="from 5 minutes to 8 hours"):
        office.book("ben", "2026-01-06 14:00", minutes=3)


# -- overlaps ------------------------------------------------------------------------

Setup = Callable[[Office], object]


def _ana_at_ten(office: Office) -> object:
    return office.book("ana", "2026-02-23 10:00", room_id=office.room("Exam 1"))


def _patel_blocked(office: Office) -> object:
    setup = ScheduleSetupService(office.desk)
    return setup.block_time(
        office.provider("drpatel"), wall("2026-02-23 10:00"), wall("2026-02-23 11:00"), "Meeting"
    )


def _holiday(office: Office) -> object:
    return ScheduleSetupService(office.desk).add_holiday(wall("2026-02-16 00:00").date(), "Closed")


def _nothing(office: Office) -> object:
    return None


Attempt = tuple[str, str, str, str | None]  # patient, wall start, provider, room
OVERLAPS = [
    pytest.param(
        _ana_at_ten,
        ("ben", "2026-02-23 10:10", "drpatel", None),
        "appointment",
        "Mon Feb 23 10:10 AM overlaps Priya Patel's 10:00 AM appointment with Lopez, Ana.",
        id="provider-busy",
    ),
    pytest.param(
        _ana_at_ten,
        ("ana", "2026-02-23 10:10", "drokafor", None),
        "patient",
        "Lopez, Ana already has a 10:00 AM appointment with Priya Patel on Mon Feb 23.",
        id="patient-busy",
    ),
    pytest.param(
        _ana_at_ten,
        ("ben", "2026-02-23 10:10", "drokafor", "Exam 1"),
        "room",
        "Exam 1 is taken at 10:00 AM on Mon Feb 23.",
        id="room-taken",
    ),
    pytest.param(
        _patel_blocked,
        ("ben", "2026-02-23 10:50", "drpatel", None),
        "blocked",
        "Priya Patel is blocked 10:00 AM–11:00 AM on Mon Feb 23: Meeting.",
        id="blocked",
    ),
    pytest.param(
        _holiday,
        ("ben", "2026-02-16 10:00", "drokafor", None),
        "blocked",
        "The practice is closed on Mon Feb 16: Closed.",
        id="holiday",
    ),
    pytest.param(
        _nothing,
        ("ben", "2026-02-23 07:45", "drpatel", None),
        "hours",
        "Mon Feb 23 7:45 AM is outside Priya Patel's working hours at this location.",
        id="before-hours",
    ),
    pytest.param(
        _nothing,
        ("ben", "2026-02-23 16:50", "drpatel", None),
        "hours",
        "Mon Feb 23 4:50 PM is outside Priya Patel's working hours at this location.",
        id="runs-past-closing",
    ),
    pytest.param(
        _nothing,
        ("ben", "2026-02-27 10:00", "drokafor", None),
        "hours",
        "Fri Feb 27 10:00 AM is outside Daniel Okafor's working hours at this location.",
        id="day-off",
    ),
    pytest.param(
        _nothing,
        ("ben", "2026-02-28 11:50", "drokafor", None),
        "hours",
        "Sat Feb 28 11:50 AM is outside Daniel Okafor's working hours at this location.",
        id="saturday-morning-only",
    ),
    pytest.param(
        _nothing,
        ("ben", "2026-02-23 12:10", "drpatel", None),
        "hours",
        "Mon Feb 23 12:10 PM is in Priya Patel's break.",
        id="in-break",
    ),
    pytest.param(
        _nothing,
        ("ben", "2026-02-23 11:50", "drpatel", None),
        "hours",
        "Mon Feb 23 11:50 AM is in Priya Patel's break.",
        id="runs-into-break",
    ),
]


@pytest.mark.parametrize(("setup", "attempt", "kind", "message"), OVERLAPS)
def test_an_overlap_is_refused_saying_what_it_runs_into(
    office: Office, setup: Setup, attempt: Attempt, kind: str, message: str
) -> None:
    setup(office)
    patient, at, provider, room = attempt
    before = office.snapshot()

    with pytest.raises(ScheduleConflict) as refused:
        office.book(patient, at, provider, room_id=office.room(room) if room else None)

    assert str(refused.value) == message
    assert [c.kind for c in refused.value.conflicts] == [kind]
    assert refused.value.can_double_book is False  # the receptionist may not override
    assert office.snapshot() == before


def test_back_to_back_visits_do_not_overlap(office: Office) -> None:
    office.book("ana", "2026-01-06 10:00")  # until 10:20
    office.book("ben", "2026-01-06 10:20")
    office.book("cara", "2026-01-06 09:40")  # until 10:00
    assert len(office.rows("SELECT id FROM appointment")) == 3


def test_every_conflict_is_listed_when_a_time_runs_into_several(office: Office) -> None:
    office.book("ana", "2026-02-23 11:40", room_id=office.room("Exam 1"))
    with pytest.raises(ScheduleConflict) as refused:
        office.book("ben", "2026-02-23 11:50", room_id=office.room("Exam 1"))
    assert [c.kind for c in refused.value.conflicts] == ["appointment", "hours"]
    assert str(refused.value).splitlines() == [
        "Mon Feb 23 11:50 AM overlaps Priya Patel's 11:40 AM appointment with Lopez, Ana.",
        "Mon Feb 23 11:50 AM is in Priya Patel's break.",
    ]


def _cancel(office: Office, appt_id: str) -> None:
    AppointmentService(office.desk).cancel(appt_id, office.current(appt_id).version, "Sick")


def _no_show(office: Office, appt_id: str) -> None:
    office.clock.advance(timedelta(hours=3))  # 11:00 AM: the 10:00 visit's time has come
    AppointmentService(office.desk).set_status(appt_id, office.current(appt_id).version, S.NO_SHOW)


def _reschedule(office: Office, appt_id: str) -> None:
    version = office.current(appt_id).version
    AppointmentService(office.desk).reschedule(appt_id, version, wall("2026-01-07 10:00"))


@pytest.mark.parametrize("end", [_cancel, _no_show, _reschedule], ids=lambda f: f.__name__[1:])
def test_a_visit_that_no_longer_holds_its_time_does_not_block(
    office: Office, end: Callable[[Office, str], None]
) -> None:
    first = office.book("ana", "2026-01-05 10:00")
    end(office, first.id)
    second = office.book("ben", "2026-01-05 10:00")
    assert second.status is S.BOOKED


def test_a_request_does_not_hold_the_time(office: Office) -> None:
    AppointmentService(office.desk).request(office.booking("ana", "2026-01-06 10:00"))
    assert office.book("ben", "2026-01-06 10:00").status is S.BOOKED


# -- double-booking ------------------------------------------------------------------


@pytest.mark.parametrize("username", ["drpatel", "admin"])
def test_physicians_and_administrators_may_double_book_explicitly(
    office: Office, username: str
) -> None:
    office.book("ana", "2026-01-06 10:00")
    service = AppointmentService(office.ctx(username))
    with pytest.raises(ScheduleConflict) as refused:
        service.book(office.booking("ben", "2026-01-06 10:00"))
    assert refused.value.can_double_book is True  # the screen offers "book anyway"

    extra = service.book(office.booking("ben", "2026-01-06 10:00"), double_book=True)

    assert extra.status is S.BOOKED
    assert len(office.rows("SELECT id FROM appointment WHERE status = 'booked'")) == 2


@pytest.mark.parametrize("username", ["frontdesk", "nkim"])
def test_double_booking_is_refused_to_the_desk_and_nurses(office: Office, username: str) -> None:
    office.book("ana", "2026-01-06 10:00")
    before = office.snapshot()
    with pytest.raises(PermissionDenied, match="double_book"):
        AppointmentService(office.ctx(username)).book(
            office.booking("ben", "2026-01-06 10:00"), double_book=True
        )
    assert office.snapshot() == before
    denied = office.audit()[-1]
    assert (denied["action"], denied["outcome"], denied["user_name"]) == (
        "access",
        "denied",
        username,
    )


# -- who and what may be booked --------------------------------------------------------


def _seen_before(office: Office) -> None:
    """Ana came in this morning and was checked out."""
    visit = office.book("ana", "2026-01-05 08:00")
    service = AppointmentService(office.desk)
    for status in (S.ARRIVED, S.CHECKED_OUT):
        visit = service.set_status(visit.id, visit.version, status)


def test_a_new_patient_visit_is_refused_for_someone_seen_before(office: Office) -> None:
    _seen_before(office)
    before = office.snapshot()
    with pytest.raises(DomainError) as refused:
        office.book("ana", "2026-01-12 09:00", type_name=NEW_PATIENT)
    assert str(refused.value) == (
        "Ana Lopez has been seen here before; New patient visit is for new patients."
    )
    assert office.snapshot() == before
    assert office.book("ben", "2026-01-12 09:00", type_name=NEW_PATIENT).minutes == 40


def test_a_patient_who_only_cancelled_is_still_new(office: Office) -> None:
    first = office.book("ana", "2026-01-06 09:00", type_name=NEW_PATIENT)
    _cancel(office, first.id)
    assert office.book("ana", "2026-01-07 09:00", type_name=NEW_PATIENT).status is S.BOOKED


@pytest.mark.parametrize(
    ("provider", "type_name", "message"),
    [
        ("drpatel", IMMUNIZATION, "Priya Patel does not offer Immunization."),
        ("nkim", "Follow-up", "Hannah Kim does not offer Follow-up."),
        ("frontdesk", "Follow-up", "Choose an active physician or nurse as the provider."),
    ],
)
def test_the_provider_must_offer_the_visit_type(
    office: Office, provider: str, type_name: str, message: str
) -> None:
    with pytest.raises(DomainError) as refused:
        office.book("ana", "2026-01-06 10:00", provider, type_name)
    assert str(refused.value) == message
    assert office.rows("SELECT id FROM appointment") == []


def test_dragging_a_visit_to_someone_who_does_not_offer_it_is_refused(office: Office) -> None:
    visit = office.book("ana", "2026-01-06 10:00")
    service = AppointmentService(office.desk)
    before = office.snapshot()
    with pytest.raises(DomainError, match="Hannah Kim does not offer Follow-up"):
        service.move(visit.id, visit.version, visit.wall_start, provider_id=office.provider("nkim"))
    assert office.snapshot() == before
    (moved,) = service.move(
        visit.id, visit.version, visit.wall_start, provider_id=office.provider("drokafor")
    )
    assert (moved.provider_name, moved.wall_start) == ("Daniel Okafor", visit.wall_start)


def test_the_nurse_books_immunizations_in_her_own_hours(office: Office) -> None:
    shot = office.book("ana", "2026-01-06 08:30", "nkim", IMMUNIZATION)
    assert (shot.provider_name, shot.minutes) == ("Hannah Kim", 15)
    with pytest.raises(ScheduleConflict, match="outside Hannah Kim's working hours"):
        office.book("ben", "2026-01-06 08:15", "nkim", IMMUNIZATION)


def test_a_day_that_has_passed_cannot_be_booked(office: Office) -> None:
    with pytest.raises(DomainError, match="That day has passed"):
        office.book("ana", "2026-01-02 10:00")
    assert office.book("ana", "2026-01-05 15:00").status is S.BOOKED  # later today is fine


# -- rescheduling ----------------------------------------------------------------------


def test_rescheduling_books_the_new_time_and_links_the_old_one(office: Office) -> None:
    old = office.book("ana", "2026-01-06 10:00", minutes=30, reason="Knee")
    new = AppointmentService(office.desk).reschedule(old.id, old.version, wall("2026-01-08 14:00"))

    assert (new.wall_start, new.minutes, new.reason, new.status) == (
        wall("2026-01-08 14:00"),
        30,
        "Knee",
        S.BOOKED,
    )
    was = office.current(old.id)
    assert (was.status, was.rescheduled_to_id) == (S.RESCHEDULED, new.id)
    assert office.book("ben", "2026-01-06 10:00").status is S.BOOKED  # the old slot is free


def test_rescheduling_to_another_provider_checks_that_provider(office: Office) -> None:
    old = office.book("ana", "2026-01-06 10:00")
    service = AppointmentService(office.desk)
    with pytest.raises(DomainError, match="Hannah Kim does not offer Follow-up"):
        service.reschedule(old.id, old.version, wall("2026-01-07 10:00"), office.provider("nkim"))
    new = service.reschedule(
        old.id, old.version, wall("2026-01-07 10:00"), office.provider("drokafor")
    )
    assert new.provider_name == "Daniel Okafor"


def test_rescheduling_into_a_taken_time_is_refused_and_changes_nothing(office: Office) -> None:
    old = office.book("ana", "2026-01-06 10:00")
    office.book("ben", "2026-01-08 14:00")
    before = office.snapshot()
    with pytest.raises(ScheduleConflict, match="appointment with Okoro, Ben"):
        AppointmentService(office.desk).reschedule(old.id, old.version, wall("2026-01-08 14:10"))
    assert office.snapshot() == before


# -- someone else changed it first ---------------------------------------------------

Edit = Callable[[AppointmentService, str, int], object]
STALE_EDITS: list[tuple[str, Edit]] = [
    ("move", lambda s, i, v: s.move(i, v, wall("2026-01-06 11:00"))),
    ("reschedule", lambda s, i, v: s.reschedule(i, v, wall("2026-01-07 11:00"))),
    ("set_status", lambda s, i, v: s.set_status(i, v, S.CONFIRMED)),
    ("check_in", lambda s, i, v: s.check_in(i, v, 2500)),
    ("cancel", lambda s, i, v: s.cancel(i, v, "Feeling better")),
]


@pytest.mark.parametrize(("name", "edit"), STALE_EDITS, ids=[n for n, _ in STALE_EDITS])
def test_an_edit_from_a_stale_copy_is_refused(office: Office, name: str, edit: Edit) -> None:
    seen = office.book("ana", "2026-01-05 10:00")  # today, so check-in is allowed
    AppointmentService(office.ctx("drpatel")).move(seen.id, seen.version, seen.wall_start, 30)
    before = office.snapshot()

    with pytest.raises(ConcurrentChange, match="Someone else changed this appointment"):
        edit(AppointmentService(office.desk), seen.id, seen.version)

    assert office.snapshot() == before


# -- reading -------------------------------------------------------------------------


def test_reading_appointments_is_audited_for_the_patient(office: Office) -> None:
    early = office.book("ana", "2026-01-06 10:00")
    late = office.book("ana", "2026-01-09 10:00")
    office.book("ben", "2026-01-07 10:00")
    service = AppointmentService(office.ctx("nkim"))
    ana = office.patient("ana")

    assert [a.id for a in service.for_patient(ana)] == [late.id, early.id]
    assert service.get(early.id).wall_start == wall("2026-01-06 10:00")

    reads = [
        (e["action"], e["patient_id"], e["entity_id"], e["user_name"])
        for e in office.audit()
        if e["action"] == "read"
    ]
    assert reads == [("read", ana, None, "nkim"), ("read", ana, early.id, "nkim")]
