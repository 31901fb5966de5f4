"""Setting the schedule up (issue #4): providers' weekly hours with their checks,
appointment types (unique names, #RRGGBB colours, lengths, who offers them), rooms,
blocked time and holidays. Refusals save nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time
from typing import Any

import pytest

from app.models import BlockKind
from app.services.appointment_rows import ScheduleConflict
from app.services.appointments import AppointmentService
from app.services.bus import ScheduleSetupChanged
from app.services.errors import ConcurrentChange, DomainError, NotFound
from app.services.schedule_data import HoursInput
from app.services.schedule_setup import AppointmentTypeInput, ScheduleSetupService
from tests.services.scheduling_helpers import (
    FOLLOW_UP,
    Office,
    office_fixture,  # noqa: F401
    wall,
)


def setup_as_admin(office: Office) -> ScheduleSetupService:
    return ScheduleSetupService(office.ctx("admin"))


def stretch(office: Office, weekday: int, starts: int, ends: int, **changes: Any) -> HoursInput:
    base = HoursInput(
        office.provider("drokafor"), office.template.location_id, weekday, time(starts), time(ends)
    )
    return replace(base, **changes)


# -- hours -----------------------------------------------------------------------------


def test_new_hours_replace_the_old_week_and_govern_booking(office: Office) -> None:
    notices: list[object] = []
    office.bus.subscribe(ScheduleSetupChanged, notices.append)
    okafor = office.provider("drokafor")
    week = [
        stretch(office, 4, 8, 12),
        stretch(office, 0, 14, 18),
        stretch(office, 0, 9, 13, break_starts=time(11), break_ends=time(11, 15)),
    ]

    saved = setup_as_admin(office).set_hours(okafor, week)

    assert [(h.weekday, h.starts, h.ends, h.break_starts) for h in saved] == [
        (0, time(9), time(13), time(11)),
        (0, time(14), time(18), None),
        (4, time(8), time(12), None),
    ]
    assert ScheduleSetupService(office.desk).hours(okafor) == saved
    assert notices == [ScheduleSetupChanged()]
    office.book("ana", "2026-01-09 08:00", "drokafor")  # Friday now
    with pytest.raises(ScheduleConflict, match="outside Daniel Okafor's working hours"):
        office.book("ben", "2026-01-06 10:00", "drokafor")  # Tuesday no longer
    with pytest.raises(ScheduleConflict, match="outside Daniel Okafor's working hours"):
        office.book("ben", "2026-01-12 13:00", "drokafor")  # between the two stretches
    with pytest.raises(ScheduleConflict, match="in Daniel Okafor's break"):
        office.book("ben", "2026-01-12 11:00", "drokafor")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ([{}, {"starts": time(17), "ends": time(19)}], "Two stretches overlap on Tuesday."),
        (
            [{"break_starts": time(8), "break_ends": time(9)}],
            "On Tuesday the break must fall inside the working hours.",
        ),
        (
            [{"break_starts": time(17), "break_ends": time(19)}],
            "On Tuesday the break must fall inside the working hours.",
        ),
        ([{"break_starts": time(12)}], "On Tuesday give both the start and the end of the break."),
        ([{"starts": time(18)}], "On Tuesday the day must end after it starts."),
        ([{"weekday": 7}], "Each stretch of hours needs a weekday and this provider."),
        ([{"provider_id": "drpatel"}], "Each stretch of hours needs a weekday and this provider."),
        ([{"location_id": "no-such-place"}], "Choose a location for each stretch of hours."),
    ],
)
def test_hours_that_make_no_sense_are_refused(
    office: Office, changes: list[dict[str, Any]], message: str
) -> None:
    """Each stretch is Tuesday 9:00-18:00 for Dr. Okafor with `changes` applied."""
    tuesday = stretch(office, 1, 9, 18)
    week = []
    for change in changes:
        if "provider_id" in change:
            change = {"provider_id": office.provider(str(change["provider_id"]))}
        week.append(replace(tuesday, **change))
    before = office.snapshot()
    with pytest.raises(DomainError) as refused:
        setup_as_admin(office).set_hours(office.provider("drokafor"), week)
    assert str(refused.value) == message
    assert office.snapshot() == before


def test_hours_are_only_for_providers(office: Office) -> None:
    desk = office.provider("frontdesk")
    hours = [replace(stretch(office, 0, 9, 17), provider_id=desk)]
    with pytest.raises(DomainError, match="Hours are for active physicians and nurses"):
        setup_as_admin(office).set_hours(desk, hours)


# -- appointment types ---------------------------------------------------------------


def test_an_appointment_type_round_trips_and_can_be_retired(office: Office) -> None:
    setup = setup_as_admin(office)
    patel, okafor = office.provider("drpatel"), office.provider("drokafor")

    made = setup.save_appointment_type(
        AppointmentTypeInput(" Telehealth check ", 25, "#3a7bd5", (patel, okafor))
    )

    assert (made.name, made.default_minutes, made.colour) == ("Telehealth check", 25, "#3A7BD5")
    assert made.provider_ids == tuple(sorted((patel, okafor)))
    assert made.offered_by(patel) and not made.offered_by(office.provider("nkim"))
    retired = setup.save_appointment_type(
        AppointmentTypeInput("Telehealth check", 25, "#3A7BD5", active=False),
        made.id,
        made.version,
    )
    listed = ScheduleSetupService(office.desk).appointment_types()
    assert "Telehealth check" not in [t.name for t in listed]
    everything = setup.appointment_types(include_inactive=True)
    assert retired in everything
    with pytest.raises(DomainError, match="Telehealth check is no longer offered"):
        AppointmentService(office.desk).book(
            replace(office.booking("ana", "2026-01-06 10:00"), type_id=made.id)
        )


@pytest.mark.parametrize("name", ["Follow-up", " follow-up ", "FOLLOW-UP"])
def test_appointment_type_names_are_unique(office: Office, name: str) -> None:
    before = office.snapshot()
    with pytest.raises(DomainError, match="There is already an appointment type called"):
        setup_as_admin(office).save_appointment_type(AppointmentTypeInput(name, 20, "#2E9E6A"))
    assert office.snapshot() == before


def test_renaming_a_type_to_another_types_name_is_refused(office: Office) -> None:
    setup = setup_as_admin(office)
    (sick,) = [t for t in setup.appointment_types() if t.name == "Sick visit"]
    with pytest.raises(DomainError, match="already an appointment type called Follow-up"):
        setup.save_appointment_type(
            AppointmentTypeInput(FOLLOW_UP, 15, sick.colour), sick.id, sick.version
        )
    kept = setup.save_appointment_type(
        AppointmentTypeInput("Sick visit", 20, sick.colour, sick.provider_ids),
        sick.id,
        sick.version,
    )
    assert kept.default_minutes == 20
    with pytest.raises(ConcurrentChange):
        setup.save_appointment_type(
            AppointmentTypeInput("Sick visit", 25, sick.colour), sick.id, sick.version
        )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (AppointmentTypeInput("Consult", 20, "3A7BD5"), "The colour must look like #3A7BD5."),
        (AppointmentTypeInput("Consult", 20, "#3A7BD"), "The colour must look like #3A7BD5."),
        (AppointmentTypeInput("Consult", 20, "#GG7BD5"), "The colour must look like #3A7BD5."),
        (AppointmentTypeInput("Consult", 20, "#3A7BD5\n"), "The colour must look like #3A7BD5."),
        (AppointmentTypeInput("Consult", 20, "blue"), "The colour must look like #3A7BD5."),
        (AppointmentTypeInput("  ", 20, "#3A7BD5"), "Give the appointment type a name."),
        (AppointmentTypeInput("Consult", 4, "#3A7BD5"), "from 5 minutes to 8 hours"),
        (AppointmentTypeInput("Consult", 481, "#3A7BD5"), "from 5 minutes to 8 hours"),
    ],
)
def test_an_appointment_type_must_make_sense(
    office: Office, data: AppointmentTypeInput, message: str
) -> None:
    before = office.snapshot()
    with pytest.raises(DomainError, match=message.replace(".", "\\.")):
        setup_as_admin(office).save_appointment_type(data)
    assert office.snapshot() == before


def test_only_providers_offer_appointment_types(office: Office) -> None:
    with pytest.raises(DomainError, match="Only active physicians and nurses"):
        setup_as_admin(office).save_appointment_type(
            AppointmentTypeInput("Consult", 20, "#3A7BD5", (office.provider("frontdesk"),))
        )


# -- rooms, providers ----------------------------------------------------------------


def test_rooms_and_providers(office: Office) -> None:
    setup = setup_as_admin(office)
    room = setup.save_room(" Exam 4 ")
    renamed = setup.save_room("Exam 4 (window)", room_id=room.id)
    with pytest.raises(DomainError, match="Give the room a name"):
        setup.save_room(" ")

    reader = ScheduleSetupService(office.desk)
    assert renamed.id == room.id
    assert [r.name for r in reader.rooms()] == [
        "Exam 1",
        "Exam 2",
        "Exam 3",
        "Exam 4 (window)",
        "Procedure room",
    ]
    assert [p.name for p in reader.providers()] == ["Daniel Okafor", "Priya Patel", "Hannah Kim"]


# -- blocked time --------------------------------------------------------------------


def test_blocks_and_holidays_are_listed_by_day_and_can_be_removed(office: Office) -> None:
    setup = ScheduleSetupService(office.desk)
    patel = office.provider("drpatel")
    block = setup.block_time(patel, wall("2026-01-06 13:00"), wall("2026-01-06 17:00"), " CME ")
    holiday = setup.add_holiday(date(2026, 1, 19), "MLK Day")

    assert (block.reason, block.kind, holiday.kind, holiday.provider_id) == (
        "CME",
        BlockKind.BLOCK,
        BlockKind.HOLIDAY,
        None,
    )
    assert (holiday.wall_start, holiday.wall_end) == (
        wall("2026-01-19 00:00"),
        wall("2026-01-20 00:00"),
    )
    assert setup.blocks(date(2026, 1, 5), date(2026, 1, 31)) == [block, holiday]
    assert setup.blocks(date(2026, 1, 7), date(2026, 1, 18)) == []

    setup.remove_block(block.id)

    assert setup.blocks(date(2026, 1, 5), date(2026, 1, 31)) == [holiday]
    assert office.book("ana", "2026-01-06 14:00").status.value == "booked"
    with pytest.raises(NotFound, match="already removed"):
        setup.remove_block(block.id)


@pytest.mark.parametrize(
    ("start", "end", "reason", "message"),
    [
        ("2026-01-06 13:00", "2026-01-06 17:00", "  ", "Say why the time is blocked"),
        ("2026-01-06 13:00", "2026-01-06 13:00", "CME", "The block must end after it starts."),
    ],
)
def test_a_block_needs_a_reason_and_a_length(
    office: Office, start: str, end: str, reason: str, message: str
) -> None:
    with pytest.raises(DomainError, match=message):
        ScheduleSetupService(office.desk).block_time(
            office.provider("drpatel"), wall(start), wall(end), reason
        )
    assert office.rows("SELECT id FROM blocked_time") == []
