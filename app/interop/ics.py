"""iCalendar (RFC 5545) invites for appointments, attached to reminder e-mails.

Pure: plain data in, bytes out. The invite says who, when and where, never why: the
reason for the visit stays out of a file that lands in a mailbox and a phone's calendar.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from icalendar import Calendar, Event, vCalAddress, vText

PRODUCT_ID = "-//Stethos//Appointment reminders//EN"


@dataclass(frozen=True)
class AppointmentInvite:
    appointment_id: str  # the UID: a later invite for the same visit replaces this one
    starts_at: datetime  # aware; written in UTC
    ends_at: datetime
    provider_name: str
    location: str  # the practice's name and address, as one line
    stamp: datetime  # when the invite was made (DTSTAMP)
    sequence: int = 0  # grows each time the appointment changes (RFC 5546 updates)
    description: str | None = None  # e.g. how to change or cancel; never clinical text
    organizer_email: str | None = None  # the practice's sending address
    organizer_name: str | None = None
    attendee_email: str | None = None  # the patient


def appointment_ics(invite: AppointmentInvite) -> bytes:
    """A VCALENDAR with METHOD:REQUEST and one VEVENT for the appointment."""
    for name, value in (
        ("starts_at", invite.starts_at),
        ("ends_at", invite.ends_at),
        ("stamp", invite.stamp),
    ):
        if value.tzinfo is None:
            raise ValueError(f"{name} must be an aware datetime")
    if invite.ends_at <= invite.starts_at:
        raise ValueError("an appointment must end after it starts")

    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "REQUEST")

    event = Event()
    event.add("uid", invite.appointment_id)
    event.add("dtstamp", _utc(invite.stamp))
    event.add("dtstart", _utc(invite.starts_at))
    event.add("dtend", _utc(invite.ends_at))
    event.add("sequence", invite.sequence)
    event.add("summary", f"Appointment with {invite.provider_name}")
    event.add("location", invite.location)
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")
    if invite.description:
        event.add("description", invite.description)
    if invite.organizer_email:
        event.add("organizer", _address(invite.organizer_email, invite.organizer_name))
    if invite.attendee_email:
        attendee = _address(invite.attendee_email, None)
        attendee.params["ROLE"] = vText("REQ-PARTICIPANT")
        attendee.params["RSVP"] = vText("FALSE")
        event.add("attendee", attendee)
    calendar.add_component(event)
    return calendar.to_ical()


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def _address(email: str, name: str | None) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["CN"] = vText(name)
    return address
