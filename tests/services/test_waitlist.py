"""The waitlist (issue #4): when a visit is cancelled, who could take the freed slot (the
right provider, a visit that fits, their part of the day and dates, not someone who
already holds a sooner visit or is busy then), and booking the offer, which moves their
later appointment earlier with a link from the old one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from app.models import AppointmentStatus, PartOfDay
from app.services.appointment_rows import ScheduleConflict
from app.services.appointments import AppointmentService
from app.services.errors import DomainError, NotFound
from app.services.schedule_data import AppointmentView
from app.services.waitlist import WaitlistInput, WaitlistService
from tests.services.scheduling_helpers import (
    FOLLOW_UP,
    IMMUNIZATION,
    PHYSICAL,
    SICK,
    Office,
    office_fixture,  # noqa: F401
    wall,
)

S = AppointmentStatus


def freed_slot(office: Office) -> AppointmentView:
    """Ana's Wednesday 10:00 follow-up with Dr. Patel (20 minutes), just cancelled."""
    visit = office.book("ana", "2026-01-07 10:00")
    AppointmentService(office.desk).cancel(visit.id, visit.version, "Out of town")
    return visit


def wish(office: Office, patient: str, **changes: Any) -> WaitlistInput:
    """Any follow-up from today for two weeks; `changes` narrow it."""
    base = WaitlistInput(
        office.patient(patient), office.type(FOLLOW_UP), date(2026, 1, 5), date(2026, 1, 19)
    )
    return replace(base, **changes)


def test_fitting_patients_are_offered_the_slot_in_the_order_they_joined(office: Office) -> None:
    waitlist = WaitlistService(office.desk)
    later = office.book("ben", "2026-01-14 10:00")
    ben = waitlist.add(wish(office, "ben", current_appointment_id=later.id, notes=" mornings "))
    finn = waitlist.add(wish(office, "finn", type_id=office.type(SICK)))
    freed = freed_slot(office)

    offers = waitlist.offers_for(freed.id)

    assert [o.entry.id for o in offers] == [ben.id, finn.id]
    assert [(o.slot.wall_start, o.slot.minutes, o.slot.provider_name) for o in offers] == [
        (wall("2026-01-07 10:00"), 20, "Priya Patel"),
        (wall("2026-01-07 10:00"), 15, "Priya Patel"),  # the waiting visit's own length
    ]
    assert (offers[0].entry.current_wall_start, offers[0].entry.notes) == (
        wall("2026-01-14 10:00"),
        "mornings",
    )


Prepare = Callable[[Office], WaitlistInput]


def _other_provider(office: Office) -> WaitlistInput:
    return wish(office, "ben", provider_ids=(office.provider("drokafor"),))


def _too_long(office: Office) -> WaitlistInput:
    return wish(office, "ben", type_id=office.type(PHYSICAL))  # 40 minutes in a 20-minute gap


def _not_offered_there(office: Office) -> WaitlistInput:
    return wish(office, "ben", type_id=office.type(IMMUNIZATION))  # the nurse's visit


def _afternoons(office: Office) -> WaitlistInput:
    return wish(office, "ben", part_of_day=PartOfDay.AFTERNOON)


def _from_thursday(office: Office) -> WaitlistInput:
    return wish(office, "ben", earliest=date(2026, 1, 8))


def _already_sooner(office: Office) -> WaitlistInput:
    sooner = office.book("ben", "2026-01-06 10:00")
    return wish(office, "ben", current_appointment_id=sooner.id)


def _busy_then(office: Office) -> WaitlistInput:
    office.book("ben", "2026-01-07 10:10", "drokafor")
    return wish(office, "ben")


def _own_slot(office: Office) -> WaitlistInput:
    return wish(office, "ana")


@pytest.mark.parametrize(
    "prepare",
    [
        _other_provider,
        _too_long,
        _not_offered_there,
        _afternoons,
        _from_thursday,
        _already_sooner,
        _busy_then,
        _own_slot,
    ],
    ids=lambda f: f.__name__.strip("_"),
)
def test_someone_the_slot_does_not_suit_is_not_offered_it(office: Office, prepare: Prepare) -> None:
    WaitlistService(office.desk).add(prepare(office))
    assert WaitlistService(office.desk).offers_for(freed_slot(office).id) == []


def test_a_removed_entry_is_not_offered(office: Office) -> None:
    waitlist = WaitlistService(office.desk)
    entry = waitlist.add(wish(office, "ben"))
    waitlist.remove(entry.id, entry.version)
    assert waitlist.entries() == []
    assert waitlist.offers_for(freed_slot(office).id) == []


def test_only_a_freed_future_slot_has_offers(office: Office) -> None:
    waitlist = WaitlistService(office.desk)
    waitlist.add(wish(office, "ben"))
    still_booked = office.book("cara", "2026-01-08 10:00")
    assert waitlist.offers_for(still_booked.id) == []
    freed = freed_slot(office)
    office.clock.advance(timedelta(days=2, hours=2))  # Wednesday 10:00: too late to offer
    assert waitlist.offers_for(freed.id) == []


def test_looking_for_offers_is_audited(office: Office) -> None:
    freed = freed_slot(office)
    WaitlistService(office.ctx("nkim")).offers_for(freed.id)
    last = office.audit()[-1]
    assert (last["action"], last["category"], last["entity_id"], last["user_name"]) == (
        "read",
        "waitlist",
        freed.id,
        "nkim",
    )


def test_booking_an_offer_moves_the_later_visit_earlier(office: Office) -> None:
    waitlist = WaitlistService(office.desk)
    later = office.book("ben", "2026-01-14 10:00")
    entry = waitlist.add(wish(office, "ben", current_appointment_id=later.id))
    (offer,) = waitlist.offers_for(freed_slot(office).id)

    booked = waitlist.book_offer(entry.id, entry.version, offer.slot)

    assert (booked.patient_id, booked.wall_start, booked.status) == (
        office.patient("ben"),
        wall("2026-01-07 10:00"),
        S.BOOKED,
    )
    old = office.current(later.id)
    assert (old.status, old.rescheduled_to_id) == (S.RESCHEDULED, booked.id)
    assert waitlist.entries() == []
    with pytest.raises(NotFound, match="no longer on the waitlist"):
        waitlist.book_offer(entry.id, entry.version, offer.slot)


def test_an_offer_taken_in_the_meantime_is_refused(office: Office) -> None:
    waitlist = WaitlistService(office.desk)
    entry = waitlist.add(wish(office, "ben"))
    (offer,) = waitlist.offers_for(freed_slot(office).id)
    office.book("cara", "2026-01-07 10:00")  # a phone call got there first
    before = office.snapshot()
    with pytest.raises(ScheduleConflict, match="appointment with Nguyen, Cara"):
        waitlist.book_offer(entry.id, entry.version, offer.slot)
    assert office.snapshot() == before


def test_a_waitlist_entry_must_make_sense(office: Office) -> None:
    waitlist = WaitlistService(office.desk)
    with pytest.raises(DomainError, match="must not be before the first"):
        waitlist.add(wish(office, "ben", earliest=date(2026, 1, 9), latest=date(2026, 1, 8)))
    someone_elses = office.book("cara", "2026-01-14 10:00")
    with pytest.raises(DomainError, match="not one of this patient's bookings"):
        waitlist.add(wish(office, "ben", current_appointment_id=someone_elses.id))
    assert office.rows("SELECT id FROM waitlist_entry") == []
