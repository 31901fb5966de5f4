"""The demo practice's reminder templates: an e-mail and a text message, a day ahead."""

from __future__ import annotations

from app.models import Channel
from app.services.context import AppContext
from app.services.reminder_data import TemplateInput
from app.services.reminders import ReminderService

DEMO_EMAIL = TemplateInput(
    Channel.EMAIL,
    "Appointment reminder (e-mail)",
    subject="Reminder: your appointment on {date} at {time}",
    body=(
        "Hello {patient_first_name},\n\n"
        "This is a reminder of your appointment with {provider_name} on {date} at {time} "
        "at {practice_name}. The attached invitation adds it to your calendar.\n\n"
        "If you need to change or cancel it, please call us.\n\n"
        "{practice_name}"
    ),
    hours_before=24,
)
DEMO_SMS = TemplateInput(
    Channel.SMS,
    "Appointment reminder (text)",
    body=(
        "{practice_name}: Hi {patient_first_name}, a reminder of your visit with "
        "{provider_name} on {date} at {time}. Please call us to change or cancel."
    ),
    hours_before=24,
)


def seed_reminder_templates(ctx: AppContext) -> None:
    """One e-mail and one SMS template, each sent 24 hours before the visit."""
    reminders = ReminderService(ctx)
    for template in (DEMO_EMAIL, DEMO_SMS):
        reminders.save_template(template)
