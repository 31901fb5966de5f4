"""Next available slot (issue #4): the earliest free times on the 15-minute grid that fit
the visit, inside working hours and outside breaks, blocks, holidays and booked visits;
never in the past; for a part of the day, chosen providers and a date range; at most one
slot per provider per free stretch, up to the limit asked for."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest

from app.models import PartOfDay
from app.services.appointments import AppointmentService
from app.services.availability import AvailabilityService
from app.services.errors import DomainError
from app.services.schedule_data import SlotSearch
from app.services.schedule_setup import ScheduleSetupService
from tests.services.scheduling_helpers import (
    FOLLOW_UP,
    IMMUNIZATION,
    NEW_PATIENT,
    Office,
    office_fixture,  # noqa: F401
    wall,
)


def find(
    office: Office,
    providers: tuple[str, ...] = ("drpatel",),
    type_name: str = FOLLOW_UP,
    **search: Any,
) -> list[tuple[str, datetime]]:
    """(provider's user name, wall start) of each slot found."""
    ids = tuple(office.provider(p) for p in providers)
    slots = AvailabilityService(office.desk).find_next_available(
        SlotSearch(office.type(type_name), ids, **search)
    )
    names = {office.provider(u): u for u in ("drpatel", "drokafor", "nkim")}
    return [(names[s.provider_id], s.wall_start) for s in slots]


def patel(*times: str) -> list[tuple[str, datetime]]:
    return [("drpatel", wall(t)) for t in times]


def test_an_empty_week_offers_each_free_stretch_once(office: Office) -> None:
    assert find(office) == patel(
        "2026-01-05 08:00",  # now
        "2026-01-05 13:00",  # after the break
        "2026-01-06 08:00",
        "2026-01-06 13:00",
        "2026-01-07 08:00",
    )


@pytest.mark.parametrize(
    ("now", "first"),
    [
        (timedelta(minutes=7), "2026-01-05 08:15"),  # the next grid line, not 8:07
        (timedelta(hours=3, minutes=50), "2026-01-05 13:00"),  # 11:50: too late before lunch
        (timedelta(hours=9), "2026-01-06 08:00"),  # 5:00 PM: the day is over
    ],
)
def test_slots_are_never_in_the_past(office: Office, now: timedelta, first: str) -> None:
    office.clock.advance(now)
    assert find(office, limit=1) == patel(first)


def test_booked_visits_are_avoided_on_the_grid(office: Office) -> None:
    office.book("ana", "2026-01-05 08:00")  # until 8:20
    office.book("ben", "2026-01-05 08:30")  # until 8:50: 8:20-8:30 is too short
    office.book("cara", "2026-01-05 13:00", minutes=240)  # the whole afternoon
    assert find(office, limit=2) == patel("2026-01-05 09:00", "2026-01-06 08:00")


def test_visits_that_hold_no_time_do_not_hide_slots(office: Office) -> None:
    service = AppointmentService(office.desk)
    taken = office.book("ana", "2026-01-05 08:00")
    service.cancel(taken.id, taken.version, "Sick")
    service.request(office.booking("ben", "2026-01-05 08:00"))
    assert find(office, limit=1) == patel("2026-01-05 08:00")


def test_a_longer_visit_needs_a_longer_gap(office: Office) -> None:
    office.book("ana", "2026-01-05 08:00", minutes=210)  # until 11:30; 30 min left before lunch
    assert find(office, type_name=NEW_PATIENT, limit=1) == patel("2026-01-05 13:00")
    assert find(office, limit=1) == patel("2026-01-05 11:30")  # 20 minutes fit
    assert find(office, limit=1, minutes=31) == patel("2026-01-05 13:00")


def test_blocks_and_holidays_are_skipped(office: Office) -> None:
    setup = ScheduleSetupService(office.desk)
    setup.add_holiday(date(2026, 1, 6), "Closed for training")
    setup.block_time(
        office.provider("drpatel"), wall("2026-01-05 13:00"), wall("2026-01-05 17:00"), "Rounds"
    )
    setup.block_time(
        office.provider("drokafor"), wall("2026-01-07 08:00"), wall("2026-01-07 17:00"), "Leave"
    )
    assert find(office, limit=3) == patel(
        "2026-01-05 08:00", "2026-01-07 08:00", "2026-01-07 13:00"
    )


@pytest.mark.parametrize(
    ("part", "expected"),
    [
        (PartOfDay.MORNING, ["2026-01-05 08:00", "2026-01-06 08:00"]),
        (PartOfDay.AFTERNOON, ["2026-01-05 13:00", "2026-01-06 13:00"]),
    ],
)
def test_part_of_day(office: Office, part: PartOfDay, expected: list[str]) -> None:
    assert find(office, part_of_day=part, limit=2) == patel(*expected)


def test_evenings_only_with_someone_who_works_late(office: Office) -> None:
    assert find(office, part_of_day=PartOfDay.EVENING, last_day=date(2026, 1, 16)) == []
    assert find(office, ("drokafor",), part_of_day=PartOfDay.EVENING, limit=2) == [
        ("drokafor", wall("2026-01-05 17:00")),
        ("drokafor", wall("2026-01-06 17:00")),
    ]


def test_any_provider_who_offers_the_type_in_time_order(office: Office) -> None:
    assert find(office, (), limit=4) == [
        ("drpatel", wall("2026-01-05 08:00")),
        ("drokafor", wall("2026-01-05 09:00")),
        ("drpatel", wall("2026-01-05 13:00")),
        ("drokafor", wall("2026-01-05 14:00")),
    ]
    assert find(office, (), IMMUNIZATION, limit=2) == [
        ("nkim", wall("2026-01-05 08:30")),
        ("nkim", wall("2026-01-05 13:00")),
    ]


def test_a_date_range(office: Office) -> None:
    weekend: dict[str, Any] = {"first_day": date(2026, 1, 10), "last_day": date(2026, 1, 11)}
    assert find(office, ("drokafor",), **weekend) == [("drokafor", wall("2026-01-10 09:00"))]
    assert find(office, **weekend) == []
    past = find(office, first_day=date(2025, 12, 1), limit=1)  # the past is not offered
    assert past == patel("2026-01-05 08:00")
    with pytest.raises(DomainError, match="must not be before the first"):
        find(office, first_day=date(2026, 1, 9), last_day=date(2026, 1, 8))


def test_the_limit(office: Office) -> None:
    assert len(find(office, (), limit=12)) == 12
    for wrong in (0, 51):
        with pytest.raises(DomainError, match="between 1 and 50"):
            find(office, limit=wrong)


def test_a_type_nobody_chosen_offers_is_refused(office: Office) -> None:
    with pytest.raises(DomainError) as refused:
        find(office, ("drpatel",), IMMUNIZATION)
    assert str(refused.value) == "No chosen provider offers Immunization."


def test_a_search_writes_nothing_not_even_an_audit_entry(office: Office) -> None:
    """Free times name providers, never a patient: no chart read to audit, and the search
    stays a pure read (no commit on the disk for each keystroke of the slot finder)."""
    before = office.audit()
    find(office, limit=1)
    assert office.audit() == before
