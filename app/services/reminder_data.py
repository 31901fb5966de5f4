"""Plain data the reminder service takes and returns (safe to pass between threads)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.models import Channel, MessageStatus


@dataclass(frozen=True)
class TemplateInput:
    channel: Channel
    name: str
    body: str  # with {placeholders}
    subject: str | None = None  # e-mail only, may hold placeholders too
    hours_before: int = 24  # how long before the visit the reminder goes
    active: bool = True


@dataclass(frozen=True)
class TemplateView:
    id: str
    version: int
    channel: Channel
    name: str
    subject: str | None
    body: str
    hours_before: int
    active: bool


@dataclass(frozen=True)
class MessageView:
    """One row of the message log."""

    id: str
    channel: Channel
    patient_id: str
    patient_name: str
    appointment_id: str | None
    template_id: str | None
    recipient: str
    subject: str | None
    body: str
    status: MessageStatus
    attempts: int
    next_attempt_at: datetime
    sent_at: datetime | None
    last_error: str | None
    created_at: datetime
    queued_here: bool  # this device sends it (the one that queued it)


@dataclass(frozen=True)
class QueueResult:
    queued: int  # waiting to be sent
    skipped: int  # logged but never sent (no consent, no address or number)


@dataclass(frozen=True)
class SendResult:
    sent: int
    retrying: int  # failed this time; tried again later
    failed: int  # gave up
    skipped: int  # the visit was cancelled, moved or has passed, or consent was withdrawn


@dataclass(frozen=True)
class RemindersChanged:
    """Messages were queued, sent, retried or skipped: the message log redraws."""

    message_ids: tuple[str, ...]
