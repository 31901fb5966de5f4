"""Appointment reminders: templates, the queue of messages (which is also their log), and
sending it when the network is there.

The device that queued a message is the only one that sends it, so two synced machines
never both remind a patient. Sending happens outside any transaction: one unit of work
claims a message, the network call follows, another unit of work records the outcome, so
a slow mail server never holds the database's write lock.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import or_, select

from app.models import (
    Appointment,
    MessageStatus,
    MessageTemplate,
    OutboundMessage,
    Patient,
)
from app.services.audit_chain import AuditEntry
from app.services.bus import SettingsChanged
from app.services.context import AppContext, UnitOfWork, requires
from app.services.errors import ConcurrentChange, NotFound
from app.services.permissions import Permission
from app.services.reminder_data import (
    MessageView,
    QueueResult,
    RemindersChanged,
    SendResult,
    TemplateInput,
    TemplateView,
)
from app.services.reminder_sending import (
    OUTDATED,
    REMINDABLE,
    claim_for_sending,
    expire_stale,
    record_outcome,
)
from app.services.reminder_settings import (
    GATEWAYS_KEY,
    GatewaySettings,
    GatewaySettingsInput,
    gateway_view,
    read_gateways,
    transport_from,
    validated_gateways,
    write_gateways,
)
from app.services.reminder_texts import checked_template, recipient, render, visit_facts
from app.services.reminder_transport import ChannelTransports, Transport, TransportError
from app.services.schedule_queries import patient_display_name

SEND_BATCH = 50


class ReminderService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    # --- templates --------------------------------------------------------------------

    @requires(Permission.SCHEDULE)
    def templates(self, *, include_inactive: bool = True) -> list[TemplateView]:
        with self.ctx.unit_of_work() as uow:
            query = select(MessageTemplate).where(MessageTemplate.deleted_at.is_(None))
            if not include_inactive:
                query = query.where(MessageTemplate.active.is_(True))
            rows = uow.session.scalars(
                query.order_by(MessageTemplate.channel, MessageTemplate.name)
            )
            return [_template_view(row) for row in rows]

    @requires(Permission.SCHEDULE)
    def save_template(
        self,
        data: TemplateInput,
        template_id: str | None = None,
        expected_version: int | None = None,
    ) -> TemplateView:
        """Add a template, or change one. Unknown {placeholders} are refused by name."""
        clean = checked_template(data)
        with self.ctx.unit_of_work() as uow:
            if template_id is None:
                row = MessageTemplate()
                uow.session.add(row)
            else:
                found = uow.session.get(MessageTemplate, template_id)
                if found is None or found.deleted_at is not None:
                    raise NotFound("That reminder template no longer exists.")
                if expected_version is not None and found.version != expected_version:
                    raise ConcurrentChange(
                        "Someone else changed this template a moment ago; it has been reloaded."
                    )
                row = found
            row.channel = clean.channel
            row.name = clean.name
            row.subject = clean.subject
            row.body = clean.body
            row.hours_before = clean.hours_before
            row.active = clean.active
            uow.session.flush()
            uow.audit(AuditEntry("update", "reminder_template", entity_id=row.id, detail=row.name))
            return _template_view(row)

    # --- the queue --------------------------------------------------------------------

    @requires(Permission.SCHEDULE)
    def queue_due_reminders(self) -> QueueResult:
        """For every active template, one message per upcoming visit that starts within
        its window. Patients who did not agree to the channel, or have no address or
        mobile number, get a SKIPPED message saying why (so the log shows it)."""
        now = self.ctx.clock.now()
        counts: Counter[MessageStatus] = Counter()
        with self.ctx.unit_of_work() as uow:
            templates = uow.session.scalars(
                select(MessageTemplate)
                .where(MessageTemplate.active.is_(True), MessageTemplate.deleted_at.is_(None))
                .order_by(MessageTemplate.created_at)
            ).all()
            made: list[str] = []
            for template in templates:
                for appt in self._due_without_message(uow, template, now):
                    message = self._new_message(uow, template, appt, now)
                    counts[message.status] += 1
                    made.append(message.id)
            if made:
                uow.notify(RemindersChanged(tuple(made)))
        return QueueResult(counts[MessageStatus.QUEUED], counts[MessageStatus.SKIPPED])

    @requires(Permission.SCHEDULE)
    def send_due(self, transport: Transport, limit: int = SEND_BATCH) -> SendResult:
        """Send this device's queued messages that are due, for the channels `transport`
        delivers. Failures are tried again later (5 min, 15 min, 1 h, 4 h), then FAILED."""
        with self.ctx.unit_of_work() as uow:
            expired = expire_stale(uow)
            if expired:
                uow.notify(RemindersChanged(tuple(expired)))
            due = uow.session.scalars(
                select(OutboundMessage.id)
                .where(
                    OutboundMessage.status == MessageStatus.QUEUED,
                    OutboundMessage.next_attempt_at <= self.ctx.clock.now(),
                    OutboundMessage.origin_device == self.ctx.device_id,
                    OutboundMessage.channel.in_(sorted(transport.channels)),
                    OutboundMessage.deleted_at.is_(None),
                )
                .order_by(OutboundMessage.next_attempt_at, OutboundMessage.id)
                .limit(limit)
            ).all()
        counts: Counter[str] = Counter()
        for message_id in due:
            with self.ctx.unit_of_work() as uow:
                claimed = claim_for_sending(uow, message_id)
                if claimed.outgoing is not None or claimed.skipped:
                    uow.notify(RemindersChanged((message_id,)))
            if claimed.outgoing is None:
                counts["skipped"] += claimed.skipped
                continue
            error: TransportError | None = None
            try:
                transport.send(claimed.outgoing)
            except TransportError as exc:
                error = exc
            except Exception as exc:  # a bug must not leave one message blocking the queue
                error = TransportError(f"Unexpected error while sending ({type(exc).__name__}).")
            with self.ctx.unit_of_work() as uow:
                counts[record_outcome(uow, message_id, error)] += 1
                uow.notify(RemindersChanged((message_id,)))
        return SendResult(
            sent=counts["sent"],
            retrying=counts["retrying"],
            failed=counts["failed"],
            skipped=counts["skipped"] + len(expired),
        )

    @requires(Permission.SCHEDULE)
    def messages(self, patient_id: str | None = None, limit: int = 200) -> list[MessageView]:
        """The message log, newest first: everything queued, sent, failed or skipped."""
        limit = max(1, min(limit, 2000))
        with self.ctx.unit_of_work() as uow:
            query = (
                select(
                    OutboundMessage,
                    Patient.first_name,
                    Patient.last_name,
                    Patient.preferred_name,
                )
                .join(Patient, Patient.id == OutboundMessage.patient_id)
                .where(OutboundMessage.deleted_at.is_(None))
            )
            if patient_id is not None:
                query = query.where(OutboundMessage.patient_id == patient_id)
            rows = uow.session.execute(
                query.order_by(OutboundMessage.created_at.desc(), OutboundMessage.id.desc()).limit(
                    limit
                )
            ).all()
            found = [
                _message_view(m, patient_display_name(first, last, preferred), self.ctx.device_id)
                for m, first, last, preferred in rows
            ]
            uow.audit(
                AuditEntry("read", "reminder", patient_id=patient_id, detail=f"message log {limit}")
            )
            return found

    # --- gateways ---------------------------------------------------------------------

    @requires(Permission.MANAGE_SETTINGS)
    def gateway_settings(self) -> GatewaySettings:
        with self.ctx.unit_of_work() as uow:
            return gateway_view(read_gateways(uow.session))

    @requires(Permission.MANAGE_SETTINGS)
    def save_gateway_settings(self, data: GatewaySettingsInput) -> GatewaySettings:
        """The mail server and SMS gateway. A blank password or token keeps the saved one
        (None), an empty string removes it."""
        with self.ctx.unit_of_work() as uow:
            value = validated_gateways(data, read_gateways(uow.session))
            row_id = write_gateways(uow.session, value)
            uow.audit(AuditEntry("update", "setting", entity_id=row_id, detail=GATEWAYS_KEY))
            uow.notify(SettingsChanged((GATEWAYS_KEY,)))
            return gateway_view(value)

    @requires(Permission.SCHEDULE)
    def configured_transport(self) -> ChannelTransports:
        """Transports for the practice's gateways, to pass to `send_due`."""
        with self.ctx.unit_of_work() as uow:
            return transport_from(read_gateways(uow.session))

    # --- helpers ----------------------------------------------------------------------

    def _due_without_message(
        self, uow: UnitOfWork, template: MessageTemplate, now: datetime
    ) -> list[Appointment]:
        horizon = now + timedelta(hours=template.hours_before)
        appointments = uow.session.scalars(
            select(Appointment)
            .where(
                Appointment.status.in_(sorted(REMINDABLE)),
                Appointment.deleted_at.is_(None),
                Appointment.starts_at > now,
                Appointment.starts_at <= horizon,
            )
            .order_by(Appointment.starts_at, Appointment.id)
        ).all()
        if not appointments:
            return []
        # A message skipped because the visit changed does not count: the visit at its
        # new time (or the new wording) gets a fresh one.
        have = set(
            uow.session.scalars(
                select(OutboundMessage.appointment_id).where(
                    OutboundMessage.template_id == template.id,
                    OutboundMessage.appointment_id.in_([a.id for a in appointments]),
                    OutboundMessage.deleted_at.is_(None),
                    or_(
                        OutboundMessage.status != MessageStatus.SKIPPED,
                        OutboundMessage.last_error.is_(None),
                        OutboundMessage.last_error != OUTDATED,
                    ),
                )
            )
        )
        return [appt for appt in appointments if appt.id not in have]

    def _new_message(
        self, uow: UnitOfWork, template: MessageTemplate, appt: Appointment, now: datetime
    ) -> OutboundMessage:
        patient = uow.session.get(Patient, appt.patient_id)
        assert patient is not None
        facts = visit_facts(uow.session, appt)
        address, reason = recipient(patient, template.channel)
        message = OutboundMessage(
            channel=template.channel,
            patient_id=patient.id,
            appointment_id=appt.id,
            template_id=template.id,
            recipient=address,
            subject=render(template.subject, facts) if template.subject else None,
            body=render(template.body, facts),
            status=MessageStatus.SKIPPED if reason else MessageStatus.QUEUED,
            attempts=0,
            next_attempt_at=now,
            last_error=reason,
            origin_device=self.ctx.device_id,
        )
        uow.session.add(message)
        uow.session.flush()
        what = f"{template.channel.value} reminder " + (
            f"skipped: {reason}" if reason else "queued"
        )
        uow.audit(
            AuditEntry(
                "create",
                "reminder",
                outcome="success",
                patient_id=patient.id,
                entity_id=message.id,
                detail=what,
            )
        )
        return message


def _template_view(row: MessageTemplate) -> TemplateView:
    return TemplateView(
        row.id,
        row.version,
        row.channel,
        row.name,
        row.subject,
        row.body,
        row.hours_before,
        row.active,
    )


def _message_view(message: OutboundMessage, patient_name: str, device_id: str) -> MessageView:
    return MessageView(
        id=message.id,
        channel=message.channel,
        patient_id=message.patient_id,
        patient_name=patient_name,
        appointment_id=message.appointment_id,
        template_id=message.template_id,
        recipient=message.recipient,
        subject=message.subject,
        body=message.body,
        status=message.status,
        attempts=message.attempts,
        next_attempt_at=message.next_attempt_at,
        sent_at=message.sent_at,
        last_error=message.last_error,
        created_at=message.created_at,
        queued_here=message.origin_device == device_id,
    )
