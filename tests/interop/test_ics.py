"""The .ics invite: what a patient's calendar will show, read back with icalendar."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Component

from app.interop.ics import AppointmentInvite, appointment_ics

CHICAGO = ZoneInfo("America/Chicago")


def _invite(**changes: object) -> AppointmentInvite:
    base = AppointmentInvite(
        appointment_id="0194a1b2-0000-7000-8000-000000000001",
        starts_at=datetime(2026, 1, 6, 10, 0, tzinfo=CHICAGO),
        ends_at=datetime(2026, 1, 6, 10, 20, tzinfo=CHICAGO),
        provider_name="Priya Patel, MD",
        location="Riverside Family Medicine, Main office, 12 River Rd, Peoria, IL 61602",
        stamp=datetime(2026, 1, 5, 16, 0, tzinfo=UTC),
        sequence=3,
        description="To change or cancel, call (309) 555-0100.",
        organizer_email="reminders@riverside.example",
        organizer_name="Riverside Family Medicine",
        attendee_email="ana@example.org",
    )
    return AppointmentInvite(**{**base.__dict__, **changes})


def _event(ics: bytes) -> tuple[Calendar, Component]:
    calendar = Calendar.from_ical(ics)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return calendar, events[0]


def test_the_invite_is_a_request_for_one_event_at_the_visit_in_utc() -> None:
    ics = appointment_ics(_invite())
    calendar, event = _event(ics)

    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(event["UID"]) == "0194a1b2-0000-7000-8000-000000000001"
    start = event["DTSTART"].dt
    end = event["DTEND"].dt
    # 10:00 in Chicago in January is 16:00 UTC, and it is written as UTC ("Z").
    assert start == datetime(2026, 1, 6, 16, 0, tzinfo=UTC)
    assert start.utcoffset() == timedelta(0)
    assert end - start == timedelta(minutes=20)
    assert b"DTSTART:20260106T160000Z" in ics
    assert str(event["SUMMARY"]) == "Appointment with Priya Patel, MD"
    assert str(event["LOCATION"]) == (
        "Riverside Family Medicine, Main office, 12 River Rd, Peoria, IL 61602"
    )
    assert int(event["SEQUENCE"]) == 3
    assert str(event["ORGANIZER"]) == "mailto:reminders@riverside.example"
    assert str(event["ATTENDEE"]) == "mailto:ana@example.org"


def test_the_invite_carries_no_clinical_text_and_lines_are_folded() -> None:
    ics = appointment_ics(_invite(description=None, organizer_email=None, attendee_email=None))
    _, event = _event(ics)
    assert "DESCRIPTION" not in event
    assert "ORGANIZER" not in event
    # RFC 5545: CRLF line endings, no line longer than 75 octets.
    lines = ics.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)
    assert ics.endswith(b"END:VCALENDAR\r\n")


def test_a_summer_visit_is_converted_with_daylight_saving() -> None:
    ics = appointment_ics(
        _invite(
            starts_at=datetime(2026, 7, 1, 9, 0, tzinfo=CHICAGO),
            ends_at=datetime(2026, 7, 1, 9, 40, tzinfo=CHICAGO),
        )
    )
    _, event = _event(ics)
    assert event["DTSTART"].dt == datetime(2026, 7, 1, 14, 0, tzinfo=UTC)


def test_naive_or_backwards_times_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        appointment_ics(_invite(starts_at=datetime(2026, 1, 6, 10, 0)))
    with pytest.raises(ValueError, match="end after"):
        appointment_ics(_invite(ends_at=datetime(2026, 1, 6, 9, 0, tzinfo=CHICAGO)))
