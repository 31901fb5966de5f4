"""The calendar (issue #4): appointments for a stretch of days, the time each provider is
not available shaded (off hours, breaks, blocks, holidays), cancelled visits hidden unless
asked for, each patient's visit count and usual provider, per-day counts, and an audit
event for every read."""

from __future__ import annotations

from datetime import date

from app.models import AppointmentStatus
from app.services.appointments import AppointmentService
from app.services.calendar import CalendarService
from app.services.schedule_data import Unavailable
from app.services.schedule_setup import ScheduleSetupService
from tests.services.scheduling_helpers import (
    Office,
    office_fixture,  # noqa: F401
    wall,
)

S = AppointmentStatus
MONDAY = date(2026, 1, 5)


def spans(office: Office, first_day: date, days: int, username: str) -> list[tuple[str, ...]]:
    provider = office.provider(username)
    found = CalendarService(office.desk).range(first_day, days, [provider]).unavailable
    return [
        (u.kind, f"{u.wall_start:%a %H:%M}", f"{u.wall_end:%a %H:%M}", u.label)
        for u in sorted(found, key=lambda u: u.wall_start)
    ]


def test_off_hours_and_breaks_are_shaded_for_each_day(office: Office) -> None:
    assert spans(office, MONDAY, 1, "drpatel") == [
        ("off", "Mon 00:00", "Mon 08:00", "Not working"),
        ("break", "Mon 12:00", "Mon 13:00", "Break"),
        ("off", "Mon 17:00", "Tue 00:00", "Not working"),
    ]
    assert spans(office, date(2026, 1, 9), 2, "drokafor") == [
        ("off", "Fri 00:00", "Sat 00:00", "Not working"),  # his day off
        ("off", "Sat 00:00", "Sat 09:00", "Not working"),
        ("off", "Sat 12:00", "Sun 00:00", "Not working"),  # Saturday mornings, no break
    ]


def test_blocks_and_holidays_are_shaded_with_their_reason(office: Office) -> None:
    setup = ScheduleSetupService(office.desk)
    setup.block_time(
        office.provider("drpatel"), wall("2026-01-06 09:00"), wall("2026-01-06 10:30"), "CME"
    )
    setup.add_holiday(date(2026, 1, 7), "Staff day")
    setup.block_time(
        office.provider("drokafor"), wall("2026-01-06 09:00"), wall("2026-01-06 10:00"), "Leave"
    )

    found = CalendarService(office.desk).range(date(2026, 1, 6), 2, [office.provider("drpatel")])

    shaded = [u for u in found.unavailable if u.kind in ("block", "holiday")]
    patel = office.provider("drpatel")
    assert sorted(shaded, key=lambda u: u.wall_start) == [
        Unavailable(patel, wall("2026-01-06 09:00"), wall("2026-01-06 10:30"), "block", "CME"),
        Unavailable(
            patel, wall("2026-01-07 00:00"), wall("2026-01-08 00:00"), "holiday", "Staff day"
        ),
    ]


def test_appointments_in_the_range_and_cancelled_ones_only_when_asked(office: Office) -> None:
    service = AppointmentService(office.desk)
    kept = office.book("ana", "2026-01-06 09:00")
    gone = office.book("ben", "2026-01-06 10:00")
    service.cancel(gone.id, gone.version, "Work")
    moved = office.book("cara", "2026-01-06 11:00")
    new = service.reschedule(moved.id, moved.version, wall("2026-01-06 14:00"))
    office.book("dev", "2026-01-07 09:00")  # the next day: outside the range
    calendar = CalendarService(office.desk)

    shown = calendar.range(date(2026, 1, 6), 1)
    everything = calendar.range(date(2026, 1, 6), 1, include_cancelled=True)

    assert [a.id for a in shown.appointments] == [kept.id, new.id]
    assert [(a.id, a.status) for a in everything.appointments] == [
        (kept.id, S.BOOKED),
        (gone.id, S.CANCELLED),
        (moved.id, S.RESCHEDULED),
        (new.id, S.BOOKED),
    ]
    assert [p.name for p in shown.providers] == ["Daniel Okafor", "Priya Patel", "Hannah Kim"]
    only_okafor = calendar.range(date(2026, 1, 6), 1, [office.provider("drokafor")])
    assert (only_okafor.appointments, [p.name for p in only_okafor.providers]) == (
        (),
        ["Daniel Okafor"],
    )


def test_the_range_follows_local_days_across_daylight_saving(office: Office) -> None:
    early = office.book("ana", "2026-03-09 08:00")  # Monday after the change
    calendar = CalendarService(office.desk)
    assert [a.id for a in calendar.range(date(2026, 3, 9), 1).appointments] == [early.id]
    assert calendar.range(date(2026, 3, 8), 1).appointments == ()


def test_with_history_adds_visit_count_and_usual_provider(office: Office) -> None:
    service = AppointmentService(office.desk)
    for at in ("2026-01-05 09:00", "2026-01-05 10:00"):  # Ana seen twice by Dr. Okafor
        visit = office.book("ana", at, "drokafor")
        visit = service.set_status(visit.id, visit.version, S.ARRIVED)
        service.set_status(visit.id, visit.version, S.CHECKED_OUT)
    ben = office.book("ben", "2026-01-05 08:00")
    service.set_status(ben.id, ben.version, S.ARRIVED)  # Ben is here now, with Dr. Patel
    for patient, at in (("ana", "09:00"), ("ben", "10:00"), ("cara", "11:00")):
        office.book(patient, f"2026-01-06 {at}")
    calendar = CalendarService(office.desk)

    plain = calendar.range(date(2026, 1, 6), 1)
    rich = calendar.range(date(2026, 1, 6), 1, with_history=True)

    assert {(a.visit_count, a.usual_provider_name) for a in plain.appointments} == {(None, None)}
    assert [(a.patient_name, a.visit_count, a.usual_provider_name) for a in rich.appointments] == [
        ("Lopez, Ana", 2, "Daniel Okafor"),  # booked with Dr. Patel, usually sees Dr. Okafor
        ("Okoro, Ben", 1, None),
        ("Nguyen, Cara", 0, None),
    ]


def test_reading_the_calendar_is_audited(office: Office) -> None:
    CalendarService(office.ctx("drokafor")).range(MONDAY, 7)
    last = office.audit()[-1]
    assert (last["action"], last["category"], last["user_name"], last["detail"]) == (
        "read",
        "schedule",
        "drokafor",
        "2026-01-05 +7 days",
    )


def test_month_counts_count_visits_that_hold_time(office: Office) -> None:
    service = AppointmentService(office.desk)
    office.book("ana", "2026-01-06 09:00")
    office.book("ben", "2026-01-06 09:00", "drokafor")
    gone = office.book("cara", "2026-01-06 10:00")
    service.cancel(gone.id, gone.version, "Weather")
    office.book("dev", "2026-01-20 09:00")
    service.request(office.booking("eve", "2026-01-21 09:00"))
    calendar = CalendarService(office.desk)

    assert calendar.month_counts(date(2026, 1, 1), date(2026, 1, 31)) == {
        date(2026, 1, 6): 2,
        date(2026, 1, 20): 1,
    }
    patel_only = calendar.month_counts(
        date(2026, 1, 1), date(2026, 1, 31), [office.provider("drpatel")]
    )
    assert patel_only == {date(2026, 1, 6): 1, date(2026, 1, 20): 1}
    assert calendar.month_counts(date(2026, 1, 7), date(2026, 1, 19)) == {}
    last = office.audit()[-1]
    assert (last["action"], last["category"], last["user_name"]) == (
        "read",
        "schedule",
        "frontdesk",
    )


def test_the_range_is_at_most_six_weeks(office: Office) -> None:
    found = CalendarService(office.desk).range(MONDAY, 400)
    assert found.days == 42
