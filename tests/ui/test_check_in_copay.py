"""The copay at check-in (issue #6 acceptance check): the receptionist checks a patient in
with a $25 copay, takes it in cash (kept as credit until the visit's charges are posted), and
the receipt opens in the preview, ready to print. Someone who does not take payments is told
who does; cancelling the payment leaves the check-in saved and the copay not collected.
It is Monday Jan 5 2026, 8:00 AM in Chicago."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import pytest
from PySide6.QtWidgets import QAbstractButton, QCheckBox, QLabel, QLineEdit, QRadioButton, QWidget
from pytestqt.qtbot import QtBot

from app.models import AppointmentStatus, PaymentMethod
from app.services.appointments import AppointmentService
from app.services.context import AppContext
from app.services.ledger import LedgerService
from app.services.schedule_data import AppointmentView
from app.ui.billing.payment_dialog import PaymentDialog
from app.ui.pdf_preview import PdfPreviewDialog
from app.ui.schedule.check_in_dialog import CheckInDialog
from app.ui.session import DesktopSession
from tests.services.helpers import query
from tests.ui.helpers import book_visit, caught, click, find_by_name, opened_child, register_patient
from tests.ui.test_visit_summary_preview import shown_text


@pytest.fixture
def desk(login: Callable[[str], AppContext]) -> AppContext:
    return login("frontdesk")


@pytest.fixture
def window(qtbot: QtBot) -> QWidget:
    """Stands in for the main window the dialogs open over."""
    host = QWidget()
    qtbot.addWidget(host)
    return host


@pytest.fixture
def visit(desk: AppContext) -> AppointmentView:
    patient = register_patient(desk, "Grace", "Hopper", date(1946, 12, 9))
    return book_visit(desk, patient, "Priya Patel", "Follow-up", datetime(2026, 1, 5, 9, 0))


def check_in_with_copay(
    qtbot: QtBot, session: DesktopSession, appt: AppointmentView, window: QWidget, copay: str
) -> str:
    """Check `appt` in with `copay` due; what the dialog said about taking the copay."""
    dialog = CheckInDialog(session, appt, parent=window)
    checked = caught(dialog.checked_in)
    dialog.show()
    qtbot.waitExposed(dialog)
    payer = find_by_name(dialog, QLabel, "Primary payer")
    qtbot.waitUntil(lambda: payer.text() == "None on file — self-pay", timeout=10000)
    note = find_by_name(dialog, QLabel, "Copay note").text()
    field = find_by_name(dialog, QLineEdit, "Copay due")
    field.selectAll()
    qtbot.keyClicks(field, copay)
    find_by_name(dialog, QCheckBox, "Demographics and insurance confirmed").click()
    click(qtbot, dialog, "Check in")
    qtbot.waitUntil(lambda: bool(checked), timeout=10000)
    return note


def loaded(qtbot: QtBot, dialog: PaymentDialog) -> PaymentDialog:
    qtbot.waitUntil(lambda: dialog.file is not None, timeout=10000)
    return dialog


def test_the_receptionist_takes_the_copay_at_check_in_and_prints_a_receipt(
    qtbot: QtBot,
    window: QWidget,
    session_for: Callable[[str], DesktopSession],
    desk: AppContext,
    visit: AppointmentView,
) -> None:
    session = session_for("frontdesk")
    note = check_in_with_copay(qtbot, session, visit, window, "25")
    assert note == "Noted on the visit; you take it right after checking in."
    assert AppointmentService(desk).get(visit.id).status is AppointmentStatus.ARRIVED

    payment = loaded(qtbot, opened_child(qtbot, window, PaymentDialog))
    assert payment.heading.text() == "Take a payment from Grace Hopper"
    assert find_by_name(payment, QLineEdit, "Amount").text() == "25.00"
    assert find_by_name(payment, QRadioButton, "Cash").isChecked()
    assert find_by_name(payment, QRadioButton, "Keep as credit").isChecked()
    assert "is checked in" in find_by_name(payment, QLabel, "Copay").text()
    click(qtbot, payment, "Take payment")

    preview = opened_child(qtbot, window, PdfPreviewDialog, timeout=15000)
    (row,) = query(desk, "SELECT * FROM payment WHERE patient_id = ?", visit.patient_id)
    assert preview.windowTitle() == f"Receipt {row['receipt_number']}"
    text = shown_text(preview)
    for expected in (
        row["receipt_number"],
        "Grace Hopper",
        "Amount received: $25.00",
        "Kept as credit on the account: $25.00",
        "Account credit after this payment: $25.00",
    ):
        assert expected in text, expected
    print_button = find_by_name(preview, QAbstractButton, "Print")
    assert print_button.isEnabled()

    assert (row["method"], row["amount_cents"], row["appointment_id"]) == (
        PaymentMethod.CASH.value,
        2500,
        visit.id,
    )
    account = LedgerService(desk).account(visit.patient_id)
    assert (account.unapplied_credit_cents, account.patient_cents) == (2500, -2500)


def test_whoever_does_not_take_payments_is_told_who_does(
    qtbot: QtBot,
    window: QWidget,
    session_for: Callable[[str], DesktopSession],
    desk: AppContext,
    visit: AppointmentView,
) -> None:
    nurse = session_for("nkim")
    note = check_in_with_copay(qtbot, nurse, visit, window, "25")
    assert "for Front desk or Billing to collect" in note

    assert not window.findChildren(PaymentDialog)  # it would have opened with the check-in
    saved = AppointmentService(desk).get(visit.id)
    assert (saved.status, saved.copay_due_cents) == (AppointmentStatus.ARRIVED, 2500)


def test_cancelling_the_payment_keeps_the_check_in_and_the_copay_due(
    qtbot: QtBot,
    window: QWidget,
    session_for: Callable[[str], DesktopSession],
    desk: AppContext,
    visit: AppointmentView,
) -> None:
    check_in_with_copay(qtbot, session_for("frontdesk"), visit, window, "25")
    payment = loaded(qtbot, opened_child(qtbot, window, PaymentDialog))
    assert "Cancel leaves the copay not collected" in find_by_name(payment, QLabel, "Copay").text()
    click(qtbot, payment, "Cancel")

    assert not payment.isVisible()
    assert not window.findChildren(PdfPreviewDialog)
    saved = AppointmentService(desk).get(visit.id)
    assert (saved.status, saved.copay_due_cents) == (AppointmentStatus.ARRIVED, 2500)
    assert query(desk, "SELECT * FROM payment WHERE patient_id = ?", visit.patient_id) == []
