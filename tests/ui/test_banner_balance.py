"""The patient banner's balance (issue #6): what the patient owes after their credit, for those
who may see accounts; it follows payments as they are taken, and others never see it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app.models import PaymentMethod
from app.services.context import AppContext
from app.services.ledger_data import PaymentInput
from app.services.patients import PatientService
from app.services.payments import PaymentService
from app.ui.patient_banner import PatientBanner
from app.ui.session import DesktopSession
from tests.services.permission_cases_ledger import new_patient, post_new_charge
from tests.ui.helpers import find_all, find_by_name


def shown_banner(qtbot: QtBot, session: DesktopSession, patient_id: str) -> PatientBanner:
    banner = PatientBanner(session)
    qtbot.addWidget(banner)
    banner.show()
    qtbot.waitExposed(banner)
    banner.show_patient(PatientService(session.ctx).get(patient_id))
    return banner


def test_the_balance_shows_what_the_patient_owes_and_follows_payments(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession], login: Callable[[str], AppContext]
) -> None:
    desk = session_for("frontdesk")
    patient = new_patient(desk.ctx)
    post_new_charge(login("billing"), patient, 4_000, service_on=date(2025, 12, 1))
    banner = shown_banner(qtbot, desk, patient)
    balance = find_by_name(banner, QLabel, "Balance")
    qtbot.waitUntil(lambda: balance.text() == "$40.00", timeout=10000)
    assert "Insurance owes $0.00." in balance.toolTip()

    PaymentService(desk.ctx).take_payment(patient, PaymentInput(PaymentMethod.CASH, 6_500))
    qtbot.waitUntil(lambda: balance.text() == "credit $25.00", timeout=10000)
    assert "Credit on the account (on no charge yet): $25.00." in balance.toolTip()

    banner.clear()  # the screen locks: nothing about the account stays
    assert (balance.text(), balance.toolTip()) == ("—", "")


def test_those_who_may_not_see_accounts_get_no_balance(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    nurse = session_for("nkim")
    patient = new_patient(nurse.ctx)
    banner = shown_banner(qtbot, nurse, patient)
    assert find_all(banner, QLabel, "Balance") == []
    assert find_by_name(banner, QLabel, "Patient name").text().startswith("Ledger, Lee")
