"""Reminder wording: placeholders, template checks, and the facts a reminder may state.

A reminder says who, when and where. It never carries the reason for the visit or any
other clinical text: it lands on lock screens and in shared mailboxes.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import (
    Appointment,
    Channel,
    Location,
    Patient,
    PatientStatus,
    PhoneKind,
    Practice,
    User,
)
from app.services.errors import DomainError
from app.services.reminder_data import TemplateInput
from app.services.schedule_queries import clock_label

PLACEHOLDERS: dict[str, str] = {
    "patient_first_name": "the patient's first name (or the name they go by)",
    "provider_name": "the provider, e.g. Priya Patel, MD",
    "date": "the day of the visit, e.g. Tuesday, January 6",
    "time": "the time of the visit, e.g. 10:30 AM",
    "practice_name": "the practice's name",
    "practice_phone": "the practice's phone number",
}
MAX_HOURS_BEFORE = 14 * 24
MAX_SMS_BODY = 480  # about three text messages once the placeholders are filled in
MAX_EMAIL_BODY = 5000
MAX_SUBJECT = 150  # the column holds 200; placeholders grow it


@dataclass(frozen=True)
class CleanTemplate:
    channel: Channel
    name: str
    subject: str | None
    body: str
    hours_before: int
    active: bool


def checked_template(data: TemplateInput) -> CleanTemplate:
    """The template, trimmed, or DomainError saying what to fix."""
    name = data.name.strip()
    body = data.body.strip()
    subject = (data.subject or "").strip() or None
    if not name:
        raise DomainError("Give the template a name.")
    if len(name) > 100:
        raise DomainError("Keep the template's name under 100 characters.")
    if not body:
        raise DomainError("Write the message the patient will get.")
    if data.channel is Channel.EMAIL:
        if subject is None:
            raise DomainError("An e-mail reminder needs a subject.")
        if len(subject) > MAX_SUBJECT:
            raise DomainError(f"Keep the subject under {MAX_SUBJECT} characters.")
        if len(body) > MAX_EMAIL_BODY:
            raise DomainError(f"Keep the e-mail under {MAX_EMAIL_BODY} characters.")
    else:
        if subject is not None:
            raise DomainError("Text messages have no subject; leave it empty.")
        if len(body) > MAX_SMS_BODY:
            raise DomainError(f"Keep a text message under {MAX_SMS_BODY} characters.")
    if not 1 <= data.hours_before <= MAX_HOURS_BEFORE:
        raise DomainError("Send reminders between 1 hour and 14 days before the visit.")
    for part, text in (("subject", subject), ("message", body)):
        if text is not None:
            check_placeholders(text, part)
    return CleanTemplate(data.channel, name, subject, body, data.hours_before, data.active)


def check_placeholders(text: str, part: str = "message") -> None:
    """Every {placeholder} must be one we can fill in; literal braces are written {{ }}."""
    known = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
    try:
        fields = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise DomainError(
            f"The {part} has a {{ or }} that does not close; write {{{{ or }}}} for a "
            "brace of its own."
        ) from exc
    for _literal, field, spec, conversion in fields:
        if field is None:
            continue
        if field not in PLACEHOLDERS or spec or conversion:
            shown = "{" + field + (f"!{conversion}" if conversion else "")
            shown += (f":{spec}" if spec else "") + "}"
            raise DomainError(
                f"The {part} uses {shown}, which Stethos cannot fill in. Use {known}."
            )


def render(text: str, facts: Mapping[str, str]) -> str:
    return text.format_map(facts)


def visit_facts(session: Session, appt: Appointment) -> dict[str, str]:
    """The values of the placeholders for one appointment."""
    patient = session.get(Patient, appt.patient_id)
    provider = session.get(User, appt.provider_id)
    practice = session.scalars(select(Practice).limit(1)).one()
    location = session.get(Location, appt.location_id)
    assert patient is not None and provider is not None
    wall = appt.wall_start
    return {
        "patient_first_name": patient.preferred_name or patient.first_name,
        "provider_name": provider_label(provider),
        "date": f"{wall:%A, %B} {wall.day}",
        "time": clock_label(wall),
        "practice_name": practice.name,
        "practice_phone": practice.phone or (location.phone if location else None) or "",
    }


def provider_label(provider: User) -> str:
    if provider.credentials:
        return f"{provider.display_name}, {provider.credentials}"
    return provider.display_name


def place_line(session: Session, appt: Appointment) -> str:
    """Where the visit is, as one line: the practice, its office and the address."""
    practice = session.scalars(select(Practice).limit(1)).one()
    location = session.get(Location, appt.location_id)
    parts = [practice.name]
    if location is not None:
        region = " ".join(p for p in (location.state, location.postal_code) if p)
        parts += [
            location.name if location.name != practice.name else "",
            location.address_line1 or "",
            location.address_line2 or "",
            location.city or "",
            region,
        ]
    return ", ".join(part for part in parts if part)


def recipient(patient: Patient, channel: Channel) -> tuple[str, str | None]:
    """Where this channel reaches the patient, and why not to send, if so."""
    if channel is Channel.EMAIL:
        address = patient.email or ""
        if not patient.consent_email:
            return address, "The patient has not agreed to reminders by e-mail."
        missing = None if address else "There is no e-mail address on file."
    else:
        mobiles = [
            p.number for p in patient.phones if p.kind is PhoneKind.MOBILE and p.deleted_at is None
        ]
        address = mobiles[0] if mobiles else ""
        if not patient.consent_sms:
            return address, "The patient has not agreed to reminders by text message."
        missing = None if address else "There is no mobile number on file."
    if patient.status in (PatientStatus.DECEASED, PatientStatus.MERGED):
        return address, "The patient's record is no longer active."
    return address, missing
