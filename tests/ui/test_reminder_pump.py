"""The main window's reminder pump: rounds run off the database worker and really send."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from pytestqt.qtbot import QtBot

from app.models import MessageStatus
from app.services.clock import FakeClock
from app.services.context import AppContext
from app.services.reminder_settings import GatewaySettingsInput
from app.services.reminders import ReminderService
from app.ui.reminder_pump import ReminderPump
from tests.services.reminder_servers import sms_gateway
from tests.ui.helpers import book_visit, register_patient

Login = Callable[[str], AppContext]


def _book_tomorrow(ctx: AppContext) -> None:
    patient = register_patient(
        ctx, "Ana", "Lopez", date(1985, 3, 4), phone="312-555-0123", consent_sms=True
    )
    book_visit(ctx, patient, "Priya Patel", "Follow-up", datetime(2026, 1, 6, 10, 0))


def test_a_round_queues_and_sends_due_reminders(
    qtbot: QtBot, login: Login, clock: FakeClock
) -> None:
    with sms_gateway() as sms:
        ReminderService(login("admin")).save_gateway_settings(GatewaySettingsInput(sms_url=sms.url))
        desk = login("frontdesk")
        _book_tomorrow(desk)
        clock.advance(timedelta(hours=2))  # the visit is now less than 24 hours away
        pump = ReminderPump(desk)
        pump.start()
        pump.run_round()
        qtbot.waitUntil(lambda: not pump.busy, timeout=10_000)
        pump.stop()

        (request,) = sms.requests
        assert request.payload["to"] == "+13125550123"
    sent = [m for m in ReminderService(desk).messages() if m.status is MessageStatus.SENT]
    assert len(sent) == 1


def test_roles_that_do_not_schedule_run_no_rounds(login: Login) -> None:
    pump = ReminderPump(login("billing"))
    pump.start()
    pump.run_round()
    assert not pump.busy
    pump.stop()
