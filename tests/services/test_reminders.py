"""Appointment reminders, end to end: a real SMTP server and a real HTTP SMS gateway on
loopback, the real encrypted practice, and the clock moved by hand.

The visit used throughout: Tuesday 2026-01-06 at 10:00 in Chicago (16:00 UTC) with Dr.
Patel. The clock starts on Monday at 14:00 UTC, 26 hours before; the demo templates go
24 hours ahead, so reminders fall due once the clock has moved two hours.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar

from app.models import Channel, MessageStatus, PhoneKind, SexAtBirth
from app.services.appointments import AppointmentService
from app.services.clock import FakeClock
from app.services.context import AppContext
from app.services.errors import DomainError
from app.services.patient_data import PatientInput, PhoneInput
from app.services.patients import PatientService
from app.services.reminder_data import MessageView, SendResult, TemplateInput
from app.services.reminder_sending import BACKOFF, MAX_ATTEMPTS
from app.services.reminder_settings import GatewaySettingsInput
from app.services.reminder_transport import ChannelTransports, SmtpTransport
from app.services.reminders import ReminderService
from app.services.schedule_data import AppointmentView, BookingInput
from app.services.schedule_setup import ScheduleSetupService
from tests.services.helpers import audit_events, query, raw_db
from tests.services.reminder_servers import (
    LOOPBACK,
    SmsGateway,
    SmtpServer,
    sms_gateway,
    smtp_server,
)

SENDER = "reminders@riverside.example"
SMS_TOKEN = "gw-token-7f3a9c"
VISIT = datetime(2026, 1, 6, 10, 0)  # Chicago wall time = 16:00 UTC
VISIT_UTC = datetime(2026, 1, 6, 16, 0, tzinfo=UTC)
REASON = "Chest pain follow-up"  # must never leave the practice in a reminder

Login = Callable[[str], AppContext]


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with smtp_server() as server:
        yield server


@pytest.fixture
def sms() -> Iterator[SmsGateway]:
    with sms_gateway() as gateway:
        yield gateway


@dataclass
class Desk:
    """The front desk of a practice whose gateways and demo templates are set up."""

    ctx: AppContext
    clock: FakeClock
    reminders: ReminderService

    def patient(
        self,
        first: str = "Ana",
        last: str = "Lopez",
        *,
        email: str | None = "ana.lopez@example.org",
        phones: tuple[PhoneInput, ...] = (PhoneInput("312-555-0123"),),
        consent_email: bool = True,
        consent_sms: bool = True,
    ) -> str:
        record = PatientService(self.ctx).register(
            PatientInput(
                first,
                last,
                date(1985, 3, 4),
                SexAtBirth.FEMALE,
                email=email,
                phones=phones,
                consent_email=consent_email,
                consent_sms=consent_sms,
            )
        )
        return record.id

    def book(self, patient_id: str, wall_start: datetime = VISIT) -> AppointmentView:
        setup = ScheduleSetupService(self.ctx)
        patel = next(p for p in setup.providers() if p.name == "Priya Patel")
        follow_up = next(t for t in setup.appointment_types() if t.name == "Follow-up")
        return AppointmentService(self.ctx).book(
            BookingInput(patient_id, patel.id, follow_up.id, wall_start, reason=REASON)
        )

    def send(self) -> SendResult:
        return self.reminders.send_due(self.reminders.configured_transport())

    def log(self, channel: Channel | None = None) -> list[MessageView]:
        rows = self.reminders.messages()
        return [m for m in rows if channel is None or m.channel is channel]

    def one(self, channel: Channel) -> MessageView:
        (message,) = self.log(channel)
        return message


@pytest.fixture
def desk(login: Login, clock: FakeClock, smtp: SmtpServer, sms: SmsGateway) -> Desk:
    ReminderService(login("admin")).save_gateway_settings(
        GatewaySettingsInput(
            smtp_host=LOOPBACK,
            smtp_port=smtp.port,
            smtp_sender=SENDER,
            smtp_starttls=False,  # loopback test server without TLS
            sms_url=sms.url,
            sms_token=SMS_TOKEN,
        )
    )
    ctx = login("frontdesk")  # the demo practice has its e-mail and SMS templates
    return Desk(ctx, clock, ReminderService(ctx))


def _reminder_audit(ctx: AppContext) -> list[tuple[str, str, str | None, str]]:
    return [
        (e["action"], e["outcome"], e["patient_id"], e["detail"])
        for e in audit_events(ctx)
        if e["category"] == "reminder" and e["action"] != "read"
    ]


# --- queueing -------------------------------------------------------------------------


def test_reminders_are_queued_when_the_visit_nears_and_never_twice(desk: Desk) -> None:
    patient = desk.patient()
    desk.book(patient)

    assert desk.reminders.queue_due_reminders().queued == 0  # 26 hours ahead: not yet
    desk.clock.advance(timedelta(hours=2))
    first = desk.reminders.queue_due_reminders()
    assert (first.queued, first.skipped) == (2, 0)
    for _ in range(3):
        desk.clock.advance(timedelta(minutes=30))
        assert desk.reminders.queue_due_reminders().queued == 0

    email, text = desk.one(Channel.EMAIL), desk.one(Channel.SMS)
    assert email.status is text.status is MessageStatus.QUEUED
    assert email.recipient == "ana.lopez@example.org"
    assert text.recipient == "+13125550123"
    assert email.subject == "Reminder: your appointment on Tuesday, January 6 at 10:00 AM"
    assert text.body == (
        "Riverside Family Medicine: Hi Ana, a reminder of your visit with Priya Patel, MD "
        "on Tuesday, January 6 at 10:00 AM. Please call us to change or cancel."
    )
    assert REASON not in email.body + text.body
    assert email.queued_here and text.queued_here
    queued = [a for a in _reminder_audit(desk.ctx) if a[0] == "create"]
    assert [(a[1], a[2]) for a in queued] == [("success", patient)] * 2


def test_patients_without_consent_or_address_are_logged_as_skipped(
    desk: Desk, smtp: SmtpServer, sms: SmsGateway
) -> None:
    unwilling = desk.patient("Ben", "Okoro", consent_email=False, consent_sms=False)
    unreachable = desk.patient(
        "Cara", "Nguyen", email=None, phones=(PhoneInput("312-555-0177", PhoneKind.HOME),)
    )
    desk.book(unwilling)
    desk.book(unreachable, VISIT + timedelta(minutes=30))
    desk.clock.advance(timedelta(hours=3))

    result = desk.reminders.queue_due_reminders()
    assert (result.queued, result.skipped) == (0, 4)
    reasons = {(m.patient_id, m.channel): (m.status, m.last_error) for m in desk.log()}
    assert reasons == {
        (unwilling, Channel.EMAIL): (
            MessageStatus.SKIPPED,
            "The patient has not agreed to reminders by e-mail.",
        ),
        (unwilling, Channel.SMS): (
            MessageStatus.SKIPPED,
            "The patient has not agreed to reminders by text message.",
        ),
        (unreachable, Channel.EMAIL): (
            MessageStatus.SKIPPED,
            "There is no e-mail address on file.",
        ),
        (unreachable, Channel.SMS): (MessageStatus.SKIPPED, "There is no mobile number on file."),
    }

    assert desk.send() == SendResult(sent=0, retrying=0, failed=0, skipped=0)
    assert smtp.mailbox.received == []
    assert sms.requests == []
    skipped = [a for a in _reminder_audit(desk.ctx) if "skipped" in a[3]]
    assert sorted(a[2] or "" for a in skipped) == sorted([unwilling] * 2 + [unreachable] * 2)
    assert desk.reminders.queue_due_reminders().skipped == 0  # logged once, not every sweep


def test_consent_withdrawn_after_queueing_stops_the_message(desk: Desk, sms: SmsGateway) -> None:
    patient = desk.patient(consent_email=False)
    desk.book(patient)
    desk.clock.advance(timedelta(hours=2))
    assert desk.reminders.queue_due_reminders().queued == 1

    patients = PatientService(desk.ctx)
    record = patients.get(patient)
    patients.update(
        patient,
        PatientInput(
            "Ana",
            "Lopez",
            date(1985, 3, 4),
            SexAtBirth.FEMALE,
            email="ana.lopez@example.org",
            phones=(PhoneInput("312-555-0123"),),
        ),
        record.version,
    )

    assert desk.send().skipped == 1
    assert sms.requests == []
    text = desk.one(Channel.SMS)
    assert text.status is MessageStatus.SKIPPED
    assert text.last_error == "The patient has not agreed to reminders by text message."


# --- sending --------------------------------------------------------------------------


def test_the_email_arrives_with_an_invite_for_the_visit_in_utc(
    desk: Desk, smtp: SmtpServer
) -> None:
    patient = desk.patient(consent_sms=False)
    visit = desk.book(patient)
    desk.clock.advance(timedelta(hours=2))
    desk.reminders.queue_due_reminders()

    assert desk.send() == SendResult(sent=1, retrying=0, failed=0, skipped=0)

    (envelope,) = smtp.mailbox.received
    assert envelope.mail_from == SENDER
    assert envelope.rcpt_tos == ["ana.lopez@example.org"]
    (email,) = smtp.mailbox.emails()
    assert email["Subject"] == "Reminder: your appointment on Tuesday, January 6 at 10:00 AM"
    assert email["From"] == f"Riverside Family Medicine <{SENDER}>"
    text = email.get_body(("plain",))
    assert text is not None and "Hello Ana," in text.get_content()
    (invite,) = [p for p in email.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert invite.get_param("method") == "REQUEST"
    assert invite.get_filename() == "appointment.ics"
    calendar = Calendar.from_ical(invite.get_content())
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == visit.id
    assert event["DTSTART"].dt == VISIT_UTC
    assert event["DTEND"].dt == VISIT_UTC + timedelta(minutes=20)
    assert str(event["SUMMARY"]) == "Appointment with Priya Patel, MD"
    assert str(event["LOCATION"]).startswith("Riverside Family Medicine")
    raw = envelope.original_content or b""
    assert REASON.encode() not in raw and b"Chest" not in raw

    sent = desk.one(Channel.EMAIL)
    assert (sent.status, sent.attempts, sent.sent_at) == (
        MessageStatus.SENT,
        1,
        desk.clock.now(),
    )
    assert ("send", "success", patient, "email sent, attempt 1") in _reminder_audit(desk.ctx)
    assert desk.send().sent == 0  # sent once only


def test_the_sms_gateway_gets_the_number_and_text_as_json(desk: Desk, sms: SmsGateway) -> None:
    patient = desk.patient(consent_email=False)
    desk.book(patient)
    desk.clock.advance(timedelta(hours=2))
    desk.reminders.queue_due_reminders()

    assert desk.send().sent == 1

    (request,) = sms.requests
    assert request.path == "/v1/messages"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["Authorization"] == f"Bearer {SMS_TOKEN}"
    assert request.payload == {"to": "+13125550123", "body": desk.one(Channel.SMS).body}
    assert desk.one(Channel.SMS).status is MessageStatus.SENT
    # The token is a secret: it appears in no audit entry and no screen's data.
    everything = json.dumps(audit_events(desk.ctx), default=str)
    assert SMS_TOKEN not in everything
    assert SMS_TOKEN not in repr(ReminderService(desk.ctx).configured_transport().__dict__)


def test_a_gateway_error_is_retried_later_and_then_succeeds(desk: Desk, sms: SmsGateway) -> None:
    patient = desk.patient(consent_email=False)
    desk.book(patient)
    desk.clock.advance(timedelta(hours=2))
    desk.reminders.queue_due_reminders()
    sms.status = 500

    assert desk.send() == SendResult(sent=0, retrying=1, failed=0, skipped=0)
    failed_at = desk.clock.now()
    waiting = desk.one(Channel.SMS)
    assert waiting.status is MessageStatus.QUEUED
    assert waiting.attempts == 1
    assert waiting.next_attempt_at == failed_at + timedelta(minutes=5)
    assert waiting.last_error == "The SMS gateway answered 500 Internal Server Error."

    sms.status = 200
    desk.clock.advance(timedelta(minutes=4))
    assert desk.send().sent == 0  # not due yet
    assert len(sms.requests) == 1
    desk.clock.advance(timedelta(minutes=1))
    assert desk.send().sent == 1

    sent = desk.one(Channel.SMS)
    assert (sent.status, sent.attempts, sent.last_error) == (MessageStatus.SENT, 2, None)
    assert len(sms.requests) == 2
    outcomes = [(a[0], a[1]) for a in _reminder_audit(desk.ctx) if a[0] == "send"]
    assert outcomes == [("send", "failure"), ("send", "success")]


def test_a_mail_server_that_is_down_keeps_the_email_queued(desk: Desk, smtp: SmtpServer) -> None:
    patient = desk.patient(consent_sms=False)
    desk.book(patient)
    desk.clock.advance(timedelta(hours=2))
    desk.reminders.queue_due_reminders()
    smtp.stop()

    assert desk.send().retrying == 1
    waiting = desk.one(Channel.EMAIL)
    assert (waiting.status, waiting.attempts) == (MessageStatus.QUEUED, 1)
    assert waiting.next_attempt_at == desk.clock.now() + timedelta(minutes=5)
    assert waiting.last_error is not None and "mail server" in waiting.last_error

    smtp.start()  # back online
    desk.clock.advance(timedelta(minutes=5))
    assert desk.send().sent == 1
    assert len(smtp.mailbox.received) == 1
    assert desk.one(Channel.EMAIL).attempts == 2


def test_it_gives_up_as_failed_after_the_last_retry(desk: Desk, sms: SmsGateway) -> None:
    patient = desk.patient(consent_email=False)
    desk.book(patient)
    desk.clock.advance(timedelta(hours=2))
    desk.reminders.queue_due_reminders()
    sms.status = 503

    for attempt, wait in enumerate(BACKOFF, start=1):
        assert desk.send().retrying == 1
        message = desk.one(Channel.SMS)
        assert (message.status, message.attempts) == (MessageStatus.QUEUED, attempt)
        assert message.next_attempt_at == desk.clock.now() + wait
        desk.clock.advance(wait)

    assert desk.send() == SendResult(sent=0, retrying=0, failed=1, skipped=0)
    message = desk.one(Channel.SMS)
    assert (message.status, message.attempts) == (MessageStatus.FAILED, MAX_ATTEMPTS)
    assert message.last_error == "The SMS gateway answered 503 Service Unavailable."
    desk.clock.advance(timedelta(days=1))
    desk.send()
    assert len(sms.requests) == MAX_ATTEMPTS == 5
    last = [a for a in _reminder_audit(desk.ctx) if a[0] == "send"][-1]
    assert last[:3] == ("send", "failure", patient)
    assert "given up" in last[3]


def test_an_address_the_server_refuses_fails_at_once(desk: Desk, smtp: SmtpServer) -> None:
    desk.book(desk.patient(consent_sms=False))
    desk.clock.advance(timedelta(hours=2))
    desk.reminders.queue_due_reminders()
    smtp.mailbox.refuse_recipients = True

    assert desk.send().failed == 1
    message = desk.one(Channel.EMAIL)
    assert (message.status, message.attempts) == (MessageStatus.FAILED, 1)
    assert message.last_error == "The mail server refused the patient's address (550)."


# --- checks just before sending -------------------------------------------------------


def test_a_cancelled_visit_is_skipped_at_send_time(
    desk: Desk, smtp: SmtpServer, sms: SmsGateway
) -> None:
    visit = desk.book(desk.patient())
    desk.clock.advance(timedelta(hours=2))
    assert desk.reminders.queue_due_reminders().queued == 2
    AppointmentService(desk.ctx).cancel(visit.id, visit.version, "Patient called to cancel")

    assert desk.send() == SendResult(sent=0, retrying=0, failed=0, skipped=2)
    assert smtp.mailbox.received == [] and sms.requests == []
    assert {(m.status, m.last_error) for m in desk.log()} == {
        (MessageStatus.SKIPPED, "The appointment was marked cancelled.")
    }
    assert desk.reminders.queue_due_reminders().queued == 0


def test_a_moved_visit_gets_a_fresh_reminder_with_the_new_time(
    desk: Desk, smtp: SmtpServer, sms: SmsGateway
) -> None:
    visit = desk.book(desk.patient())
    desk.clock.advance(timedelta(hours=2))
    desk.reminders.queue_due_reminders()
    AppointmentService(desk.ctx).move(visit.id, visit.version, VISIT + timedelta(hours=1))

    assert desk.send().skipped == 2  # they would name 10:00 AM
    assert sms.requests == [] and smtp.mailbox.received == []
    assert desk.reminders.queue_due_reminders().queued == 0  # 11:00 is 25 hours away
    desk.clock.advance(timedelta(hours=1))
    assert desk.reminders.queue_due_reminders().queued == 2
    assert desk.send().sent == 2

    (request,) = sms.requests
    assert "at 11:00 AM" in request.payload["body"]
    (email,) = smtp.mailbox.emails()
    (invite,) = list(email.iter_attachments())
    (event,) = Calendar.from_ical(invite.get_content()).walk("VEVENT")
    assert event["DTSTART"].dt == VISIT_UTC + timedelta(hours=1)
    statuses = sorted(m.status.value for m in desk.log())
    assert statuses == ["sent", "sent", "skipped", "skipped"]


def test_a_message_queued_on_another_device_is_not_sent_here(
    desk: Desk, smtp: SmtpServer, sms: SmsGateway
) -> None:
    desk.book(desk.patient())
    desk.clock.advance(timedelta(hours=2))
    desk.reminders.queue_due_reminders()
    # As sync would bring it: the same messages, queued by the clinic's other machine.
    with raw_db(desk.ctx) as db:
        db.execute("UPDATE outbound_message SET origin_device = 'front-desk-pc-2'")

    assert desk.send() == SendResult(sent=0, retrying=0, failed=0, skipped=0)
    assert smtp.mailbox.received == [] and sms.requests == []
    assert {(m.status, m.queued_here) for m in desk.log()} == {(MessageStatus.QUEUED, False)}


def test_messages_for_a_gateway_not_set_up_wait_then_expire_with_the_visit(
    desk: Desk, smtp: SmtpServer, sms: SmsGateway
) -> None:
    desk.book(desk.patient())
    desk.clock.advance(timedelta(hours=2))
    desk.reminders.queue_due_reminders()
    email_only = ChannelTransports(SmtpTransport(LOOPBACK, smtp.port, SENDER, starttls=False))

    assert desk.reminders.send_due(email_only).sent == 1
    assert desk.one(Channel.SMS).status is MessageStatus.QUEUED  # waits for a gateway
    desk.clock.advance(timedelta(days=1))  # the visit has begun
    assert desk.reminders.send_due(email_only).skipped == 1

    text = desk.one(Channel.SMS)
    assert (text.status, text.attempts) == (MessageStatus.SKIPPED, 0)
    assert text.last_error == "The appointment has already started."
    assert sms.requests == []


# --- templates and gateway settings ---------------------------------------------------


@pytest.mark.parametrize(
    ("body", "subject", "message"),
    [
        ("See you {day} at {time}", "Reminder", "uses {day}, which Stethos cannot fill in"),
        ("See you {date:%A}", "Reminder", "uses {date:%A}"),
        ("See you {date", "Reminder", "does not close"),
        ("See you {date}", None, "needs a subject"),
        ("See you {date}", "For {patient_name}", "The subject uses {patient_name}"),
    ],
)
def test_templates_with_unknown_placeholders_are_refused(
    desk: Desk, body: str, subject: str | None, message: str
) -> None:
    before = desk.reminders.templates()
    with pytest.raises(DomainError, match=message.replace("{", r"\{").replace("}", r"\}")):
        desk.reminders.save_template(TemplateInput(Channel.EMAIL, "Bad", body, subject))
    assert desk.reminders.templates() == before


def test_a_template_can_be_changed_and_literal_braces_survive(desk: Desk) -> None:
    text = next(t for t in desk.reminders.templates() if t.channel is Channel.SMS)
    changed = desk.reminders.save_template(
        TemplateInput(Channel.SMS, "Short text", "{{Riverside}} {date} {time}", hours_before=2),
        text.id,
        text.version,
    )
    assert (changed.name, changed.hours_before, changed.version) == ("Short text", 2, 2)
    desk.book(desk.patient(consent_email=False))
    desk.clock.advance(timedelta(hours=24))  # 2 hours before the visit
    desk.reminders.queue_due_reminders()
    assert desk.one(Channel.SMS).body == "{Riverside} Tuesday, January 6 10:00 AM"


def test_gateway_secrets_are_kept_but_never_shown(login: Login) -> None:
    admin = ReminderService(login("admin"))
    settings = GatewaySettingsInput(
        smtp_host="smtp.riverside.example",
        smtp_port=587,
        smtp_sender=SENDER,
        smtp_username="reminders",
        smtp_password="mail-pass-93k",
        sms_url="https://sms.example.com/v1/messages",
        sms_token=SMS_TOKEN,
    )
    shown = admin.save_gateway_settings(settings)
    assert shown.has_smtp_password and shown.has_sms_token
    assert "mail-pass-93k" not in repr(shown) and SMS_TOKEN not in repr(shown)

    # Saving again without retyping them keeps both.
    again = admin.save_gateway_settings(
        GatewaySettingsInput(**{**settings.__dict__, "smtp_password": None, "sms_token": None})
    )
    assert again.has_smtp_password and again.has_sms_token
    (row,) = query(admin.ctx, "SELECT value FROM setting WHERE key = 'reminder_gateways'")
    stored = json.loads(row["value"])
    assert (stored["smtp_password"], stored["sms_token"]) == ("mail-pass-93k", SMS_TOKEN)
    assert "mail-pass-93k" not in json.dumps(audit_events(admin.ctx), default=str)

    with pytest.raises(DomainError, match="https://"):
        admin.save_gateway_settings(
            GatewaySettingsInput(sms_url="http://sms.example.com/v1/messages")
        )
    with pytest.raises(DomainError, match="STARTTLS"):
        admin.save_gateway_settings(
            GatewaySettingsInput(**{**settings.__dict__, "smtp_starttls": False})
        )
    with pytest.raises(DomainError, match="sender address"):
        admin.save_gateway_settings(
            GatewaySettingsInput(smtp_host="smtp.riverside.example", smtp_sender="not an address")
        )
    assert admin.gateway_settings() == again
