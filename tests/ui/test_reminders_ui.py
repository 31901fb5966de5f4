"""Admin → Reminders as the practice uses it (issue #4), on a real encrypted practice: editing
a template, a template the service refuses, the gateway settings and their secrets, and the
message log after a "Send now" round against a real SMS gateway on loopback.

The visit used: Tuesday 2026-01-06 at 10:00 in Chicago with Dr. Patel. The clock starts on
Monday at 14:00 UTC (26 hours before); the demo templates go 24 hours ahead."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableView,
)
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.models import Channel, MessageStatus
from app.services.clock import FakeClock
from app.services.context import AppContext
from app.services.errors import DomainError
from app.services.reminder_data import TemplateInput
from app.services.reminder_settings import GatewaySettingsInput, read_gateways
from app.services.reminders import ReminderService
from app.ui.admin.message_log_model import LogColumn, MessageLogModel
from app.ui.admin.reminders_panel import RemindersPanel
from app.ui.session import DesktopSession
from tests.services.reminder_servers import sms_gateway
from tests.ui.helpers import book_visit, click, find_all, find_by_name, register_patient
from tests.ui.test_patients_lock import every_text

Login = Callable[[str], AppContext]
VISIT = datetime(2026, 1, 6, 10, 0)  # Chicago wall time
SMS_NAME = "Appointment reminder (text)"


# --- set-up -----------------------------------------------------------------------------


def open_panel(qtbot: QtBot, session: DesktopSession) -> RemindersPanel:
    panel = RemindersPanel(session)
    qtbot.addWidget(panel)
    panel.resize(1100, 720)
    panel.show()
    panel.reload()
    return panel


def table_texts(table: QTableView) -> list[list[str]]:
    model = table.model()
    return [
        [str(model.index(row, column).data() or "") for column in range(model.columnCount())]
        for row in range(model.rowCount(QModelIndex()))
    ]


def dialog_named(name: str) -> QDialog:
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, QDialog) and dialog.accessibleName() == name
    return dialog


def book_tomorrow_for_a_texting_patient(ctx: AppContext) -> str:
    """Ana agreed to text messages (not e-mail) and has a mobile number."""
    patient = register_patient(
        ctx,
        "Ana",
        "Lopez",
        date(1985, 3, 4),
        phone="312-555-0123",
        email="ana.lopez@example.org",
        consent_sms=True,
    )
    book_visit(ctx, patient, "Priya Patel", "Follow-up", VISIT)
    return patient


def open_templates(qtbot: QtBot, session: DesktopSession) -> tuple[RemindersPanel, QTableView]:
    """The panel on its templates, the two demo templates listed."""
    panel = open_panel(qtbot, session)
    click(qtbot, panel, "Templates section")
    table = find_by_name(panel, QTableView, "Reminder templates")
    qtbot.waitUntil(lambda: table.model().rowCount() == 2)
    return panel, table


# --- templates --------------------------------------------------------------------------


def test_editing_a_template_from_the_keyboard_saves_it(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    session = session_for("frontdesk")
    panel, table = open_templates(qtbot, session)
    assert sorted(row[:4] for row in table_texts(table)) == [
        ["E-mail", "Appointment reminder (e-mail)", "1 day before", "Yes"],
        ["Text message", SMS_NAME, "1 day before", "Yes"],
    ]
    sms_row = next(r for r, row in enumerate(table_texts(table)) if row[1] == SMS_NAME)
    table.setFocus()
    table.selectRow(sms_row)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    dialog = dialog_named("Edit reminder template")

    assert not find_by_name(dialog, QLineEdit, "Subject", visible=False).isVisible()  # SMS
    name = find_by_name(dialog, QLineEdit, "Template name")
    name.setText("Day-before text")
    hours = find_by_name(dialog, QLineEdit, "Hours before the visit")
    hours.setText("48")
    body = find_by_name(dialog, QPlainTextEdit, "Message")
    body.setPlainText("Hi {patient_first_name}, see you {date} at {time}. Questions? ")
    body.moveCursor(body.textCursor().MoveOperation.End)
    click(qtbot, dialog, "Insert {practice_phone}")  # goes where the cursor was
    assert body.toPlainText().endswith("Questions? {practice_phone}")
    preview = find_by_name(dialog, QPlainTextEdit, "Preview").toPlainText()
    assert preview.startswith("Hi Ana, see you ")
    assert preview.endswith("Questions? (312) 555-0100")
    qtbot.keyClick(body, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # save

    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog) or not dialog.isVisible(), timeout=5000)
    saved = {t.name: t for t in ReminderService(session.ctx).templates()}
    assert SMS_NAME not in saved
    text = saved["Day-before text"]
    assert (text.channel, text.hours_before, text.active) == (Channel.SMS, 48, True)
    assert (
        text.body
        == "Hi {patient_first_name}, see you {date} at {time}. Questions? {practice_phone}"
    )
    qtbot.waitUntil(
        lambda: ["Text message", "Day-before text", "2 days before", "Yes"] in table_texts(table)
    )
    notice = find_by_name(panel, QLabel, "Templates message")
    assert notice.text() == "“Day-before text” saved."


def test_an_unknown_placeholder_shows_the_services_message_and_saves_nothing(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    session = session_for("frontdesk")
    panel, _table = open_templates(qtbot, session)
    click(qtbot, panel, "New template")
    dialog = dialog_named("New reminder template")
    channel = find_by_name(dialog, QComboBox, "Channel")
    channel.setCurrentIndex(channel.findText("E-mail"))
    find_by_name(dialog, QLineEdit, "Template name").setText("Week-ahead e-mail")
    find_by_name(dialog, QLineEdit, "Subject").setText("Your visit on {date}")
    typed = "Dear {patient_last_name}, we look forward to seeing you on {date}."
    find_by_name(dialog, QPlainTextEdit, "Message").setPlainText(typed)
    with pytest.raises(DomainError) as refusal:  # what the service says about it
        ReminderService(session.ctx).save_template(
            TemplateInput(Channel.EMAIL, "Week-ahead e-mail", typed, "Your visit on {date}")
        )

    click(qtbot, dialog, "Save template")
    message = find_by_name(dialog, QLabel, "Dialog message", visible=False)
    qtbot.waitUntil(message.isVisible, timeout=5000)
    assert message.text() == str(refusal.value)
    assert "{patient_last_name}" in message.text()
    assert dialog.isVisible()  # nothing typed is lost
    assert find_by_name(dialog, QPlainTextEdit, "Message").toPlainText() == typed
    assert find_by_name(dialog, QLabel, "Preview problem").text() == str(refusal.value)
    names = [t.name for t in ReminderService(session.ctx).templates()]
    assert "Week-ahead e-mail" not in names and len(names) == 2
    dialog.reject()


# --- gateways ---------------------------------------------------------------------------


def _stored(ctx: AppContext) -> dict[str, Any]:
    with ctx.unit_of_work() as uow:
        return read_gateways(uow.session)


def test_gateway_settings_keep_the_saved_password_when_left_blank(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    session = session_for("admin")
    panel = open_panel(qtbot, session)
    click(qtbot, panel, "Gateways section")
    host = find_by_name(panel, QLineEdit, "Mail server")
    password = find_by_name(panel, QLineEdit, "Mail password")
    message = find_by_name(panel, QLabel, "Gateway message", visible=False)
    state = find_by_name(panel, QLabel, "E-mail gateway state")
    qtbot.waitUntil(lambda: state.text().startswith("Not set up"))  # loaded
    assert password.placeholderText() == "None saved"

    host.setText("mail.riverside.example")
    find_by_name(panel, QLineEdit, "Mail server port").setText("587")
    find_by_name(panel, QLineEdit, "Sender address").setText("reminders@riverside.example")
    find_by_name(panel, QLineEdit, "Mail user name").setText("reminders")
    password.setText("mail pass 2026")
    starttls = find_by_name(panel, QCheckBox, "Use STARTTLS")
    starttls.setChecked(False)
    click(qtbot, panel, "Save gateway settings")
    qtbot.waitUntil(message.isVisible, timeout=5000)
    assert "STARTTLS" in message.text()  # the service's refusal, in place
    assert _stored(session.ctx) == {}  # nothing saved
    assert password.text() == "mail pass 2026"  # nothing typed lost

    starttls.setChecked(True)
    find_by_name(panel, QLineEdit, "SMS gateway address").setText("https://sms.example.com/v1")
    find_by_name(panel, QLineEdit, "SMS gateway token").setText("tok-123")
    click(qtbot, panel, "Save gateway settings")
    qtbot.waitUntil(lambda: message.text() == "Gateway settings saved.", timeout=5000)
    stored = _stored(session.ctx)
    assert (stored["smtp_password"], stored["sms_token"]) == ("mail pass 2026", "tok-123")
    assert password.text() == ""  # never shown back
    assert password.placeholderText() == "Saved · leave blank to keep it"

    # A new sender, the password left blank: the saved one stays.
    find_by_name(panel, QLineEdit, "Sender address").setText("desk@riverside.example")
    click(qtbot, panel, "Save gateway settings")
    qtbot.waitUntil(message.isVisible, timeout=5000)
    assert message.text() == "Gateway settings saved."
    stored = _stored(session.ctx)
    assert (stored["smtp_sender"], stored["smtp_password"]) == (
        "desk@riverside.example",
        "mail pass 2026",
    )

    # Removing the token forgets it; the password is still kept.
    find_by_name(panel, QCheckBox, "Remove saved SMS token").setChecked(True)
    token = find_by_name(panel, QLineEdit, "SMS gateway token")
    assert not token.isEnabled()
    click(qtbot, panel, "Save gateway settings")
    qtbot.waitUntil(message.isVisible, timeout=5000)
    stored = _stored(session.ctx)
    assert (stored["smtp_password"], stored["sms_token"]) == ("mail pass 2026", None)
    assert token.placeholderText() == "None saved" and token.isEnabled()
    assert find_all(panel, QCheckBox, "Remove saved SMS token") == []  # nothing left to remove


def test_roles_without_settings_rights_see_no_gateways(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    panel = open_panel(qtbot, session_for("frontdesk"))
    assert find_all(panel, QAbstractButton, "Gateways section") == []
    assert find_all(panel, QLineEdit, "Mail password", visible=False) == []
    assert find_by_name(panel, QAbstractButton, "Send now").isEnabled()


# --- the message log --------------------------------------------------------------------


def test_send_now_runs_a_round_and_the_log_shows_sent_and_skipped(
    qtbot: QtBot, login: Login, clock: FakeClock, session_for: Callable[[str], DesktopSession]
) -> None:
    with sms_gateway() as sms:
        ReminderService(login("admin")).save_gateway_settings(GatewaySettingsInput(sms_url=sms.url))
        session = session_for("frontdesk")
        book_tomorrow_for_a_texting_patient(session.ctx)
        clock.advance(timedelta(hours=2))  # the visit is now less than 24 hours away
        panel = open_panel(qtbot, session)
        table = find_by_name(panel, QTableView, "Message log", visible=False)
        result = find_by_name(panel, QLabel, "Send result", visible=False)
        qtbot.waitUntil(find_by_name(panel, QLabel, "No messages", visible=False).isVisible)

        click(qtbot, panel, "Send now")
        qtbot.waitUntil(result.isVisible, timeout=10_000)
        assert result.text() == (
            "1 sent, 1 skipped. No mail server is set up: e-mail reminders wait."
        )
        (request,) = sms.requests
        assert request.payload["to"] == "+13125550123"

    qtbot.waitUntil(lambda: table.model().rowCount() == 2, timeout=5000)
    rows = {row[LogColumn.CHANNEL]: row for row in table_texts(table)}
    assert rows["Text message"][LogColumn.PATIENT :] == [
        "Lopez, Ana",
        "Text message",
        "+13125550123",
        "Sent",
        "1",
        "",
    ]
    assert rows["E-mail"][LogColumn.PATIENT :] == [
        "Lopez, Ana",
        "E-mail",
        "ana.lopez@example.org",
        "Skipped",
        "0",
        "The patient has not agreed to reminders by e-mail.",
    ]
    assert rows["Text message"][LogColumn.WHEN] == "Mon Jan 5, 10:00 AM"  # Chicago time

    # The filter shows one status at a time, and says how many of each there are.
    show = find_by_name(panel, QComboBox, "Show messages")
    assert show.itemText(show.findData(MessageStatus.SENT)) == "Sent (1)"
    show.setCurrentIndex(show.findData(MessageStatus.SKIPPED))
    assert [row[LogColumn.STATUS] for row in table_texts(table)] == ["Skipped"]

    # The selected message's text is there to read; locking forgets all of it.
    table.selectRow(0)
    details = find_by_name(panel, QPlainTextEdit, "Message text")
    assert "Hello Ana" in details.toPlainText()
    assert "The patient has not agreed to reminders by e-mail." in details.toPlainText()
    panel.clear_sensitive()
    assert details.toPlainText() == ""
    leftovers = " ".join(every_text(panel))
    for secret in ("Ana", "Lopez", "+13125550123", "ana.lopez@example.org", "Hello"):
        assert secret not in leftovers


def test_the_log_refreshes_itself_when_reminders_change(
    qtbot: QtBot, clock: FakeClock, session_for: Callable[[str], DesktopSession]
) -> None:
    session = session_for("frontdesk")
    book_tomorrow_for_a_texting_patient(session.ctx)
    panel = open_panel(qtbot, session)
    table = find_by_name(panel, QTableView, "Message log", visible=False)
    qtbot.waitUntil(find_by_name(panel, QLabel, "No messages", visible=False).isVisible)

    clock.advance(timedelta(hours=2))
    ReminderService(session.ctx).queue_due_reminders()  # as the pump's timer round does
    qtbot.waitUntil(lambda: table.model().rowCount() == 2, timeout=5000)
    statuses = sorted(row[LogColumn.STATUS] for row in table_texts(table))
    assert statuses == ["Queued", "Skipped"]


def test_the_log_model_lists_messages_and_filters_by_status(
    qtmodeltester: ModelTester, clock: FakeClock, login: Login
) -> None:
    with sms_gateway() as sms:
        sms.status = 503  # the gateway is down: the text is retried later
        ReminderService(login("admin")).save_gateway_settings(GatewaySettingsInput(sms_url=sms.url))
        desk = login("frontdesk")
        book_tomorrow_for_a_texting_patient(desk)
        clock.advance(timedelta(hours=2))
        service = ReminderService(desk)
        service.queue_due_reminders()
        assert service.send_due(service.configured_transport()).retrying == 1

    model = MessageLogModel()
    qtmodeltester.check(model)
    model.set_messages(service.messages(), "America/Chicago")
    assert model.rowCount() == 2 and model.columnCount() == 7
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(7)]
    assert headers == ["When", "Patient", "Channel", "Sent to", "Status", "Attempts", "Last error"]
    text_row = next(
        r for r in range(2) if model.index(r, LogColumn.CHANNEL).data() == "Text message"
    )
    assert model.index(text_row, LogColumn.STATUS).data() == "Will retry Mon Jan 5, 10:05 AM"
    assert model.index(text_row, LogColumn.ATTEMPTS).data() == "1"
    assert "503" in model.index(text_row, LogColumn.LAST_ERROR).data()

    model.set_status_filter(MessageStatus.QUEUED)
    assert model.rowCount() == 1
    assert model.index(0, LogColumn.RECIPIENT).data() == "+13125550123"
    model.set_status_filter(MessageStatus.SENT)
    assert model.rowCount() == 0
    model.set_status_filter(None)
    assert model.counts() == {MessageStatus.QUEUED: 1, MessageStatus.SKIPPED: 1}
    qtmodeltester.check(model)
    model.clear()
    assert model.rowCount() == 0 and model.total() == 0
