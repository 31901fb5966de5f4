"""The Billing section as each role sees it, the biller's queue when a line cannot be posted
as proposed, and corrections on the account (reversal with a reason)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QPushButton
from pytestqt.qtbot import QtBot

from app.models import ChargeStatus, EntryKind, PaymentMethod
from app.services.charge_capture import ChargeCaptureService
from app.services.ledger import LedgerService
from app.services.ledger_data import PaymentInput
from app.services.payments import PaymentService
from app.ui.billing.account_panel import AccountPanel
from app.ui.billing.billing_page import ACCOUNTS, DAY_CLOSE, TO_POST, BillingPage
from app.ui.billing.charge_edit_dialog import ChargeEditDialog
from app.ui.billing.charges_panel import ChargesPanel
from app.ui.billing.ledger_model import LedgerModel
from app.ui.billing.payment_dialog import PaymentDialog
from app.ui.billing.refund_dialog import RefundDialog
from app.ui.chart.reason_dialog import ReasonDialog
from app.ui.session import DesktopSession
from tests.ui.helpers import click, find_by_name, opened_child, register_patients
from tests.ui.test_billing_acceptance import _signed_visit


def _page(qtbot: QtBot, session: DesktopSession) -> BillingPage:
    page = BillingPage(session)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    qtbot.waitExposed(page)
    return page


def test_the_front_desk_sees_accounts_and_the_day_but_cannot_change_charges(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    patient = _signed_visit(session_for("drpatel"))
    page = _page(qtbot, session_for("frontdesk"))
    assert page.tab_titles == [ACCOUNTS, DAY_CLOSE]
    page.open_account(patient)
    account = page.show_tab(ACCOUNTS)
    assert isinstance(account, AccountPanel)
    qtbot.waitUntil(lambda: account.record is not None, timeout=10000)
    assert find_by_name(account, QPushButton, "Take payment").isEnabled()
    for name in ("Adjust charge", "Write off", "Move balance", "Reverse line"):
        assert not find_by_name(account, QPushButton, name, visible=False).isVisible()
    # The visit's charge is still only proposed: nothing is on the ledger yet.
    assert "Nothing has been posted" in account.empty.text()
    # The desk's shortcut for a payment (Ctrl+P stays "print").
    with qtbot.waitActive(page):
        page.activateWindow()
    qtbot.keyClick(
        account,
        Qt.Key.Key_P,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    payment = opened_child(qtbot, account, PaymentDialog)
    qtbot.waitUntil(lambda: payment.file is not None, timeout=10000)
    assert payment.heading.text() == "Take a payment from Ana Lopez"


def test_a_line_without_diagnoses_waits_until_the_biller_points_it_to_one(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    _signed_visit(session_for("drpatel"))
    session = session_for("billing")
    (proposed,) = ChargeCaptureService(session.ctx).proposed()
    cleared = ChargeCaptureService(session.ctx)
    page = _page(qtbot, session)
    queue = page.show_tab(TO_POST)
    assert isinstance(queue, ChargesPanel)
    qtbot.waitUntil(lambda: queue.model.rowCount() == 1, timeout=10000)

    # Pointers emptied in the dialog: the service refuses and says why.
    click(qtbot, queue, "Change charge")
    dialog = opened_child(qtbot, queue, ChargeEditDialog)
    find_by_name(dialog, QLineEdit, "Diagnosis pointers").clear()
    click(qtbot, dialog, "Save")
    message = find_by_name(dialog, QLabel, "Dialog message", visible=False)
    qtbot.waitUntil(lambda: "at least one" in message.text(), timeout=10000)

    # Two units and a second diagnosis: saved, repriced, still ready to post.
    pointers = find_by_name(dialog, QLineEdit, "Diagnosis pointers")
    qtbot.keyClicks(pointers, "1, 2")
    find_by_name(dialog, QLineEdit, "Visit diagnoses").setText("I10, E78.5")
    with qtbot.waitSignal(queue.loaded, timeout=10000):
        click(qtbot, dialog, "Save")
    (changed,) = cleared.proposed()
    assert changed.diagnosis_codes == ("I10", "E78.5")
    assert changed.pointed_diagnoses == ("I10", "E78.5")
    assert queue.post_button.isEnabled()
    assert changed.id == proposed.id and changed.status is ChargeStatus.PROPOSED


def test_reversing_a_line_needs_a_reason_and_leaves_it_struck_through(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    patient = _signed_visit(session_for("drpatel"))
    session = session_for("billing")
    (charge,) = ChargeCaptureService(session.ctx).proposed()
    LedgerService(session.ctx).post_charge(charge.id)
    page = _page(qtbot, session)
    page.open_account(patient)
    account = page.show_tab(ACCOUNTS)
    assert isinstance(account, AccountPanel)
    qtbot.waitUntil(lambda: account.model.rowCount() == 1, timeout=10000)

    click(qtbot, account, "Reverse line")
    dialog = opened_child(qtbot, account, ReasonDialog)
    click(qtbot, dialog, "Reverse")
    assert "stays on the ledger" in find_by_name(dialog, QLabel, "Dialog message").text()
    qtbot.keyClicks(find_by_name(dialog, QPlainTextEdit, "Reason"), "Billed to the wrong patient")
    click(qtbot, dialog, "Reverse")
    qtbot.waitUntil(lambda: account.model.rowCount() == 2, timeout=10000)

    first = account.model.row_at(0)
    assert first is not None and first.reversed
    font = account.model.index(0, LedgerModel.WHAT).data(Qt.ItemDataRole.FontRole)
    assert font.strikeOut()
    second = account.model.row_at(1)
    assert second is not None and second.kind is EntryKind.REVERSAL
    assert "Billed to the wrong patient" in account.model.cell_text(second, LedgerModel.WHAT)
    assert LedgerService(session.ctx).account(patient).balance_cents == 0


def test_the_desk_refunds_a_copay_left_as_credit(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    session = session_for("frontdesk")
    (patient,) = register_patients(session.ctx, 1)
    PaymentService(session.ctx).take_payment(
        patient, PaymentInput(PaymentMethod.CASH, 2500, applied=[])
    )
    page = _page(qtbot, session)
    page.open_account(patient)
    account = page.show_tab(ACCOUNTS)
    assert isinstance(account, AccountPanel)
    qtbot.waitUntil(lambda: account.model.rowCount() == 1, timeout=10000)

    click(qtbot, account, "Refund")
    dialog = opened_child(qtbot, account, RefundDialog)
    assert find_by_name(dialog, QLineEdit, "Amount").text() == "25.00"
    click(qtbot, dialog, "Refund")
    message = find_by_name(dialog, QLabel, "Dialog message", visible=False)
    qtbot.waitUntil(lambda: "why" in message.text().lower(), timeout=10000)
    qtbot.keyClicks(find_by_name(dialog, QLineEdit, "Reason"), "Copay taken twice")
    click(qtbot, dialog, "Refund")
    qtbot.waitUntil(lambda: account.model.rowCount() == 2, timeout=10000)

    refund = account.model.row_at(1)
    assert refund is not None and refund.kind is EntryKind.REFUND
    assert "Copay taken twice" in account.model.cell_text(refund, LedgerModel.WHAT)
    after = LedgerService(session.ctx).account(patient)
    assert (after.unapplied_credit_cents, after.balance_cents) == (0, 0)
    assert not account.refund_button.isEnabled()  # no credit left to give back
