"""What the permission table needs to run the reminder use cases (tests/services/
test_permissions.py): a visit that is due for a reminder, and a transport that keeps what
it is given (delivery itself is tested with real servers in test_reminders.py)."""

from __future__ import annotations

from datetime import date, datetime

from app.models import Channel, SexAtBirth
from app.services.appointments import AppointmentService
from app.services.context import AppContext
from app.services.patient_data import PatientInput, PhoneInput
from app.services.patients import PatientService
from app.services.reminder_data import TemplateInput
from app.services.reminder_settings import GatewaySettingsInput
from app.services.reminder_transport import OutgoingMessage
from app.services.reminders import ReminderService
from app.services.schedule_data import BookingInput
from app.services.schedule_setup import ScheduleSetupService
from tests.services.helpers import query

REMINDER_TEMPLATE = TemplateInput(Channel.SMS, "Day before", "See you {date} at {time}.")
REMINDER_GATEWAYS = GatewaySettingsInput(sms_url="https://sms.example.com/v1/messages")
# Monday 2026-01-05, 15:00 in Chicago: seven hours after the permission tests' clock.
_VISIT = datetime(2026, 1, 5, 15, 0)


class KeptMessages:
    """A transport that keeps messages in memory."""

    channels = frozenset(Channel)

    def __init__(self) -> None:
        self.sent: list[OutgoingMessage] = []

    def send(self, message: OutgoingMessage) -> None:
        self.sent.append(message)


def reminder_due(admin: AppContext, target: object) -> object:
    """A text-message template and a consenting patient's visit within its window (made
    once per practice: the shared practice prepares several use cases)."""
    if not query(admin, "SELECT id FROM message_template"):
        ReminderService(admin).save_template(REMINDER_TEMPLATE)
    if query(admin, "SELECT id FROM patient WHERE last_name = 'Reminder'"):
        return None
    patient = PatientService(admin).register(
        PatientInput(
            "Rhea",
            "Reminder",
            date(1979, 8, 9),
            SexAtBirth.FEMALE,
            phones=(PhoneInput("312-555-0142"),),
            consent_sms=True,
        )
    )
    setup = ScheduleSetupService(admin)
    patel = next(p for p in setup.providers() if p.name == "Priya Patel")
    follow_up = next(t for t in setup.appointment_types() if t.name == "Follow-up")
    return AppointmentService(admin).book(BookingInput(patient.id, patel.id, follow_up.id, _VISIT))


def reminder_queued(admin: AppContext, target: object) -> object:
    reminder_due(admin, target)
    return ReminderService(admin).queue_due_reminders()
