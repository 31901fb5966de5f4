"""Taking a payment at the desk (issue #6): the dialog shows the account, says where the money
goes as it is typed (oldest balance first, kept as credit, or on the charges chosen), refuses
what cannot be a payment with a message the desk understands, and opens the receipt after.
It is Monday Jan 5 2026."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QRadioButton, QWidget
from pytestqt.qtbot import QtBot

from app.models import PaymentMethod
from app.services.context import AppContext
from app.services.ledger import LedgerService
from app.services.payments import PaymentService
from app.ui.billing.payment_dialog import PaymentDialog
from app.ui.pdf_preview import PdfPreviewDialog
from app.ui.session import DesktopSession
from tests.services.helpers import query
from tests.services.permission_cases_ledger import new_patient, post_new_charge
from tests.ui.helpers import book_visit, caught, click, find_by_name, opened_child

Login = Callable[[str], AppContext]


@pytest.fixture
def desk(login: Login) -> AppContext:
    return login("frontdesk")


@pytest.fixture
def window(qtbot: QtBot) -> QWidget:
    host = QWidget()
    qtbot.addWidget(host)
    return host


@pytest.fixture
def account(desk: AppContext, login: Login) -> tuple[str, str, str]:
    """A self-pay patient owing $60 (Nov 3) and $40 (Dec 1): (patient, older, newer)."""
    biller = login("billing")
    patient = new_patient(desk)
    older = post_new_charge(biller, patient, 6_000, service_on=date(2025, 11, 3))
    newer = post_new_charge(biller, patient, 4_000, service_on=date(2025, 12, 1), code="99212")
    return patient, older, newer


def opened(
    qtbot: QtBot, session: DesktopSession, patient: str, window: QWidget, **kw: object
) -> PaymentDialog:
    dialog = PaymentDialog(session, patient, parent=window, **kw)  # type: ignore[arg-type]
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.file is not None, timeout=10000)
    return dialog


def type_into(qtbot: QtBot, root: QWidget, name: str, text: str) -> None:
    edit = find_by_name(root, QLineEdit, name)
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)  # as a person clears it (blank is an answer too)
    qtbot.keyClicks(edit, text)


def where(dialog: PaymentDialog) -> str:
    return find_by_name(dialog, QLabel, "Where the money goes").text()


def opens(desk: AppContext, patient: str) -> dict[str, int]:
    return {c.charge_id: c.patient_open_cents for c in LedgerService(desk).account(patient).charges}


def no_payment(desk: AppContext, patient: str) -> bool:
    return query(desk, "SELECT id FROM payment WHERE patient_id = ?", patient) == []


def test_by_default_a_payment_pays_the_oldest_balance_and_the_receipt_follows(
    qtbot: QtBot,
    window: QWidget,
    session_for: Callable[[str], DesktopSession],
    desk: AppContext,
    account: tuple[str, str, str],
) -> None:
    patient, older, newer = account
    dialog = opened(qtbot, session_for("frontdesk"), patient, window)
    assert find_by_name(dialog, QLabel, "Open for the patient").text() == "$100.00"
    assert find_by_name(dialog, QLabel, "Credit on account").text() == "$0.00"
    assert find_by_name(dialog, QRadioButton, "Oldest balance first").isChecked()
    paid = caught(dialog.paid)

    type_into(qtbot, dialog, "Amount", "75")
    assert where(dialog) == "$75.00 pays charges, oldest first."
    type_into(qtbot, dialog, "Amount", "130")
    assert where(dialog) == "$100.00 pays charges, oldest first; $30.00 stays as credit."
    qtbot.keyClick(find_by_name(dialog, QLineEdit, "Amount"), Qt.Key.Key_Return)  # Enter takes it

    preview = opened_child(qtbot, window, PdfPreviewDialog, timeout=15000)
    assert [p.unapplied_cents for p in paid] == [3_000]
    assert preview.windowTitle() == f"Receipt {paid[0].receipt_number}"
    assert opens(desk, patient) == {older: 0, newer: 0}


def test_chosen_charges_fill_oldest_first_and_the_rest_stays_credit(
    qtbot: QtBot,
    window: QWidget,
    session_for: Callable[[str], DesktopSession],
    desk: AppContext,
    account: tuple[str, str, str],
) -> None:
    patient, older, newer = account
    dialog = opened(qtbot, session_for("frontdesk"), patient, window)
    type_into(qtbot, dialog, "Amount", "80")
    click(qtbot, dialog, "Choose charges")
    first = find_by_name(dialog, QLineEdit, "Apply to 99213 on 11/03/2025")
    second = find_by_name(dialog, QLineEdit, "Apply to 99212 on 12/01/2025")
    assert (first.text(), second.text()) == ("60.00", "20.00")

    type_into(qtbot, dialog, "Apply to 99212 on 12/01/2025", "50")
    assert where(dialog) == "Only $40.00 of 99212 on 12/01/2025 is the patient's to pay."
    type_into(qtbot, dialog, "Apply to 99212 on 12/01/2025", "40")
    assert where(dialog) == "You applied $100.00 to charges, but the payment is $80.00."
    click(qtbot, dialog, "Take payment")
    assert dialog.message.text() == "You applied $100.00 to charges, but the payment is $80.00."
    assert no_payment(desk, patient)

    type_into(qtbot, dialog, "Amount", "90")  # the lines typed stay as they are
    assert first.text() == "60.00"
    type_into(qtbot, dialog, "Apply to 99213 on 11/03/2025", "")
    assert where(dialog) == "$40.00 pays charges; $50.00 stays as credit."
    paid = caught(dialog.paid)
    click(qtbot, dialog, "Take payment")
    qtbot.waitUntil(lambda: bool(paid), timeout=10000)
    assert paid[0].applied == ((newer, 4_000),)
    assert opens(desk, patient) == {older: 6_000, newer: 0}
    assert LedgerService(desk).account(patient).unapplied_credit_cents == 5_000


@pytest.mark.parametrize(
    ("method", "amount", "reference", "message"),
    [
        ("Cash", "", None, "Enter the amount received (more than zero)."),
        ("Cash", "0", None, "Enter the amount received (more than zero)."),
        ("Cash", "twelve", None, "The amount “twelve” is not an amount. Type it like 25.00."),
        ("Cash", "100000.01", None, "A payment is at most $100,000.00; check the amount."),
        ("Check", "40", "", "Enter the check number."),
        ("Card", "40", "42", "Enter the card's last 4 digits, or leave them blank."),
    ],
)
def test_what_cannot_be_a_payment_is_refused_in_place(
    qtbot: QtBot,
    window: QWidget,
    session_for: Callable[[str], DesktopSession],
    desk: AppContext,
    account: tuple[str, str, str],
    method: str,
    amount: str,
    reference: str | None,
    message: str,
) -> None:
    patient = account[0]
    dialog = opened(qtbot, session_for("frontdesk"), patient, window)
    click(qtbot, dialog, method)
    type_into(qtbot, dialog, "Amount", amount)
    if reference is not None:
        name = "Check number" if method == "Check" else "Card last 4 digits"
        type_into(qtbot, dialog, name, reference)
    click(qtbot, dialog, "Take payment")
    assert dialog.message.text() == message
    assert dialog.isVisible() and no_payment(desk, patient)


def test_a_check_keeps_its_number_and_a_card_only_four_digits(
    qtbot: QtBot,
    window: QWidget,
    session_for: Callable[[str], DesktopSession],
    desk: AppContext,
    account: tuple[str, str, str],
) -> None:
    patient = account[0]
    session = session_for("frontdesk")
    dialog = opened(qtbot, session, patient, window)
    click(qtbot, dialog, "Check")
    type_into(qtbot, dialog, "Amount", "40")
    type_into(qtbot, dialog, "Check number", "1042")
    click(qtbot, dialog, "Take payment")
    qtbot.waitUntil(lambda: not no_payment(desk, patient), timeout=10000)

    card = opened(qtbot, session, patient, window)
    click(qtbot, card, "Card")
    type_into(qtbot, card, "Amount", "10")
    type_into(qtbot, card, "Card last 4 digits", "4242 1234")  # only 4 digits go in
    assert find_by_name(card, QLineEdit, "Card last 4 digits").text() == "4242"
    click(qtbot, card, "Take payment")
    sql = "SELECT method, reference FROM payment WHERE patient_id = ? ORDER BY rowid"
    qtbot.waitUntil(lambda: len(query(desk, sql, patient)) == 2, timeout=10000)
    rows = query(desk, sql, patient)
    assert [(r["method"], r["reference"]) for r in rows] == [
        (PaymentMethod.CHEQUE.value, "1042"),
        (PaymentMethod.CARD.value, "4242"),
    ]


def test_a_copay_for_a_visit_is_kept_as_credit_by_default(
    qtbot: QtBot,
    window: QWidget,
    session_for: Callable[[str], DesktopSession],
    desk: AppContext,
    account: tuple[str, str, str],
) -> None:
    patient, older, newer = account
    visit = book_visit(desk, patient, "Priya Patel", "Follow-up", datetime(2026, 1, 5, 9, 0))
    dialog = opened(
        qtbot,
        session_for("frontdesk"),
        patient,
        window,
        amount_cents=2_500,
        appointment_id=visit.id,
    )
    assert find_by_name(dialog, QRadioButton, "Keep as credit").isChecked()
    assert where(dialog) == "All $25.00 stays on the account as credit."
    paid = caught(dialog.paid)
    click(qtbot, dialog, "Take payment")
    qtbot.waitUntil(lambda: bool(paid), timeout=10000)
    assert (paid[0].applied, paid[0].unapplied_cents, paid[0].appointment_id) == (
        (),
        2_500,
        visit.id,
    )
    assert opens(desk, patient) == {older: 6_000, newer: 4_000}  # the old charges stay open
    assert PaymentService(desk).receipt(paid[0].id).credit_cents == 2_500
