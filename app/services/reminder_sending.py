"""Sending one queued reminder: the checks made just before it goes, and the record of
what happened. Each step runs in its own unit of work; the network call runs between them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.interop.ics import AppointmentInvite, appointment_ics
from app.models import (
    Appointment,
    AppointmentStatus,
    Channel,
    MessageStatus,
    MessageTemplate,
    OutboundMessage,
    Patient,
)
from app.services.audit_chain import AuditEntry
from app.services.context import UnitOfWork
from app.services.reminder_settings import read_gateways
from app.services.reminder_texts import place_line, recipient, render, visit_facts
from app.services.reminder_transport import OutgoingMessage, TransportError
from app.services.schedule_rules import STATUS_LABELS

# Visits still to come that a reminder may speak of (a request holds no time yet).
REMINDABLE = frozenset({AppointmentStatus.BOOKED, AppointmentStatus.CONFIRMED})
# Waits after the 1st, 2nd, 3rd and 4th failure; the 5th failure is final.
BACKOFF = (timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1), timedelta(hours=4))
MAX_ATTEMPTS = len(BACKOFF) + 1
# A message being sent is not due again for this long, so a second run on this device
# (a timer and a click) never sends it twice; if the app dies mid-send it is retried.
SEND_LEASE = timedelta(minutes=10)
# The reminder no longer says what would be said now: a fresh one is queued instead.
OUTDATED = "The appointment or the template changed after this reminder was queued."


@dataclass(frozen=True)
class Claim:
    outgoing: OutgoingMessage | None = None  # None: nothing to send
    skipped: bool = False  # it was due, but must not go (the reason is in last_error)


def claim_for_sending(uow: UnitOfWork, message_id: str) -> Claim:
    """Check a due message once more and hold it for sending, or mark it SKIPPED."""
    now = uow.ctx.clock.now()
    message = uow.session.get(OutboundMessage, message_id)
    if (
        message is None
        or message.deleted_at is not None
        or message.status is not MessageStatus.QUEUED
        or message.next_attempt_at > now
        or message.origin_device != uow.ctx.device_id
    ):
        return Claim()
    reason = reason_not_to_send(uow.session, message, now)
    if reason is not None:
        message.status = MessageStatus.SKIPPED
        message.last_error = reason
        uow.audit(_entry(message, "skip", "success", f"{message.channel.value}: {reason}"))
        return Claim(skipped=True)
    message.next_attempt_at = now + SEND_LEASE
    return Claim(outgoing=_outgoing(uow.session, message, now))


def record_outcome(uow: UnitOfWork, message_id: str, error: TransportError | None) -> str:
    """Record one attempt: "sent", "retrying" (with the next try set) or "failed"."""
    now = uow.ctx.clock.now()
    message = uow.session.get(OutboundMessage, message_id)
    assert message is not None
    message.attempts += 1
    channel = message.channel.value
    if error is None:
        message.status = MessageStatus.SENT
        message.sent_at = now
        message.last_error = None
        uow.audit(_entry(message, "send", "success", f"{channel} sent, attempt {message.attempts}"))
        return "sent"
    message.last_error = str(error)[:500]
    if error.permanent or message.attempts >= MAX_ATTEMPTS:
        message.status = MessageStatus.FAILED
        detail = f"{channel} failed, attempt {message.attempts}; given up"
        uow.audit(_entry(message, "send", "failure", detail))
        return "failed"
    message.next_attempt_at = now + BACKOFF[message.attempts - 1]
    detail = (
        f"{channel} failed, attempt {message.attempts}; "
        f"next try {message.next_attempt_at:%Y-%m-%d %H:%M} UTC"
    )
    uow.audit(_entry(message, "send", "failure", detail))
    return "retrying"


def reason_not_to_send(session: Session, message: OutboundMessage, now: datetime) -> str | None:
    """Why this message must not go now, or None. Checks the visit first (cancelled,
    moved, passed), then consent and address, then that the text is still true."""
    appt = session.get(Appointment, message.appointment_id) if message.appointment_id else None
    if message.appointment_id is not None:
        stale = visit_reason(appt, now)
        if stale is not None:
            return stale
    patient = session.get(Patient, message.patient_id)
    assert patient is not None
    address, refusal = recipient(patient, message.channel)
    if refusal is not None:
        return refusal
    if address != message.recipient:
        return OUTDATED
    if message.template_id is None or appt is None:
        return None
    template = session.get(MessageTemplate, message.template_id)
    if template is None or template.deleted_at is not None or not template.active:
        return "The reminder template was turned off."
    if appt.starts_at > now + timedelta(hours=template.hours_before):
        return OUTDATED  # moved later: a reminder goes when the new time comes near
    facts = visit_facts(session, appt)
    subject = render(template.subject, facts) if template.subject else None
    if (subject, render(template.body, facts)) != (message.subject, message.body):
        return OUTDATED  # a new time, provider or wording
    return None


def visit_reason(appt: Appointment | None, now: datetime) -> str | None:
    """Why a reminder about this visit can no longer go, or None."""
    if appt is None or appt.deleted_at is not None:
        return "The appointment no longer exists."
    if appt.status not in REMINDABLE:
        return f"The appointment was marked {STATUS_LABELS[appt.status].lower()}."
    if appt.starts_at <= now:
        return "The appointment has already started."
    return None


def expire_stale(uow: UnitOfWork) -> list[str]:
    """Mark SKIPPED this device's queued messages about visits that are over, cancelled or
    gone, whatever their channel: a message for a gateway the practice never set up (or
    that waited through days offline) ends up in the log as skipped, not queued forever."""
    now = uow.ctx.clock.now()
    candidates = uow.session.scalars(
        select(OutboundMessage)
        .join(Appointment, Appointment.id == OutboundMessage.appointment_id)
        .where(
            OutboundMessage.status == MessageStatus.QUEUED,
            OutboundMessage.origin_device == uow.ctx.device_id,
            OutboundMessage.deleted_at.is_(None),
            or_(
                Appointment.starts_at <= now,
                Appointment.status.not_in(sorted(REMINDABLE)),
                Appointment.deleted_at.is_not(None),
            ),
        )
    ).all()
    expired = []
    for message in candidates:
        reason = visit_reason(uow.session.get(Appointment, message.appointment_id), now)
        if reason is None:
            continue
        message.status = MessageStatus.SKIPPED
        message.last_error = reason
        uow.audit(_entry(message, "skip", "success", f"{message.channel.value}: {reason}"))
        expired.append(message.id)
    return expired


def _outgoing(session: Session, message: OutboundMessage, now: datetime) -> OutgoingMessage:
    calendar = None
    practice_name = None
    if message.appointment_id is not None:
        appt = session.get(Appointment, message.appointment_id)
        assert appt is not None
        facts = visit_facts(session, appt)
        practice_name = facts["practice_name"]
        if message.channel is Channel.EMAIL:
            phone = facts["practice_phone"]
            calendar = appointment_ics(
                AppointmentInvite(
                    appointment_id=appt.id,
                    starts_at=appt.starts_at,
                    ends_at=appt.ends_at,
                    provider_name=facts["provider_name"],
                    location=place_line(session, appt),
                    stamp=now,
                    sequence=appt.version,
                    description=f"To change or cancel, call {phone}." if phone else None,
                    organizer_email=read_gateways(session).get("smtp_sender"),
                    organizer_name=practice_name,
                    attendee_email=message.recipient,
                )
            )
    return OutgoingMessage(
        channel=message.channel,
        to=message.recipient,
        body=message.body,
        subject=message.subject,
        calendar=calendar,
        sender_name=practice_name,
    )


def _entry(message: OutboundMessage, action: str, outcome: str, detail: str) -> AuditEntry:
    return AuditEntry(
        action,
        "reminder",
        outcome=outcome,
        patient_id=message.patient_id,
        entity_id=message.id,
        detail=detail,
    )
