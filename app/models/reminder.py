"""Reminder templates and the queue of messages to patients (which is also their log)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, SyncMixin, UtcDateTime, enum_column


class Channel(enum.StrEnum):
    EMAIL = "email"
    SMS = "sms"


class MessageTemplate(SyncMixin, Base):
    __tablename__ = "message_template"

    channel: Mapped[Channel] = mapped_column(enum_column(Channel))
    name: Mapped[str] = mapped_column(String(100))
    subject: Mapped[str | None] = mapped_column(String(200))  # e-mail only
    body: Mapped[str] = mapped_column(Text)  # with {placeholders}
    hours_before: Mapped[int] = mapped_column(Integer, default=24)
    active: Mapped[bool] = mapped_column(default=True)


class MessageStatus(enum.StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"  # gave up after the last retry
    SKIPPED = "skipped"  # no consent, no address, or the appointment was cancelled


class OutboundMessage(SyncMixin, Base):
    """One message to one patient. The device that queued it is the one that sends it."""

    __tablename__ = "outbound_message"
    __table_args__ = (Index("ix_outbound_message_due", "status", "next_attempt_at"),)

    channel: Mapped[Channel] = mapped_column(enum_column(Channel))
    patient_id: Mapped[str] = mapped_column(ForeignKey("patient.id"), index=True)
    appointment_id: Mapped[str | None] = mapped_column(ForeignKey("appointment.id"), index=True)
    template_id: Mapped[str | None] = mapped_column(ForeignKey("message_template.id"))
    recipient: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[MessageStatus] = mapped_column(
        enum_column(MessageStatus), default=MessageStatus.QUEUED
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(String(500))
