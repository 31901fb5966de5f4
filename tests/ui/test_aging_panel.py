"""A/R aging (issue #6): open balances land in the bucket of their age, for the patient's
and the insurer's parts, with each age's share, the unapplied credit and the net A/R."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from app.models import PaymentMethod
from app.services.context import AppContext
from app.services.ledger_data import PaymentInput
from app.services.payments import PaymentService
from app.ui.billing.aging_panel import AgingPanel
from app.ui.session import DesktopSession
from tests.services.permission_cases_ledger import TODAY, new_patient, post_new_charge
from tests.ui.helpers import click


@pytest.fixture
def desk(login: Callable[[str], AppContext]) -> AppContext:
    return login("frontdesk")


@pytest.fixture
def biller(session_for: Callable[[str], DesktopSession]) -> DesktopSession:
    return session_for("billing")


def _receivables(desk: AppContext, biller: AppContext) -> None:
    """$80 the patient owes for a visit 45 days ago, $200 insurance owes for one 100 days
    ago, and $10 paid ahead and kept as credit."""
    self_pay = new_patient(desk, "Selfpay")
    insured = new_patient(desk, "Insured", insured=True)
    post_new_charge(biller, self_pay, 8_000, service_on=TODAY - timedelta(days=45))
    post_new_charge(biller, insured, 20_000, service_on=TODAY - timedelta(days=100))
    PaymentService(desk).take_payment(insured, PaymentInput(PaymentMethod.CASH, 1_000, applied=[]))


def _run(qtbot: QtBot, panel: AgingPanel, action: Callable[[], object]) -> None:
    action()
    qtbot.waitUntil(lambda: panel.books is not None and not panel.running.isVisible())


def _shown(qtbot: QtBot, session: DesktopSession) -> AgingPanel:
    panel = AgingPanel(session)
    qtbot.addWidget(panel)
    panel.resize(1100, 560)
    panel.show()
    _run(qtbot, panel, panel.reload)
    return panel


def test_balances_show_in_the_bucket_of_their_age(
    qtbot: QtBot, desk: AppContext, biller: DesktopSession
) -> None:
    _receivables(desk, biller.ctx)

    panel = _shown(qtbot, biller)

    assert panel.picker.day == TODAY
    assert panel.title.text() == "Accounts receivable as of January 5, 2026"
    assert panel.ages.texts() == [
        ["Patient", "$0.00", "$80.00", "$0.00", "$0.00", "$0.00", "$80.00"],
        ["Insurance", "$0.00", "$0.00", "$0.00", "$200.00", "$0.00", "$200.00"],
        ["Total", "$0.00", "$80.00", "$0.00", "$200.00", "$0.00", "$280.00"],
        ["Share of total", "0%", "29%", "0%", "71%", "0%", "100%"],
    ]
    assert panel.net.texts() == [
        ["Open balances", "$280.00"],
        ["Unapplied credit, patients", "-$10.00"],
        ["Unapplied credit, insurance", "$0.00"],
        ["Net A/R", "$270.00"],
    ]


def test_a_later_date_ages_the_same_balances(
    qtbot: QtBot, desk: AppContext, biller: DesktopSession
) -> None:
    _receivables(desk, biller.ctx)
    panel = _shown(qtbot, biller)

    month_later = TODAY + timedelta(days=30)
    _run(
        qtbot,
        panel,
        lambda: panel.picker.date_edit.setDate(
            QDate(month_later.year, month_later.month, month_later.day)
        ),
    )

    assert panel.title.text() == "Accounts receivable as of February 4, 2026"
    ages = panel.ages.texts()
    assert ages[0] == ["Patient", "$0.00", "$0.00", "$80.00", "$0.00", "$0.00", "$80.00"]
    assert ages[1] == ["Insurance", "$0.00", "$0.00", "$0.00", "$0.00", "$200.00", "$200.00"]

    _run(qtbot, panel, lambda: click(qtbot, panel, "Today"))
    assert panel.picker.day == TODAY


def test_the_report_says_running_until_its_figures_arrive(
    qtbot: QtBot, desk: AppContext, biller: DesktopSession
) -> None:
    _receivables(desk, biller.ctx)
    panel = _shown(qtbot, biller)
    hold = threading.Event()
    biller.runner.submit(hold.wait, 10)  # the worker is busy with something else first

    click(qtbot, panel, "Run again")

    assert panel.running.isVisible() and panel.running.text() == "Running…"
    assert panel.ages.texts() == []  # no old figures under the "Running…"
    assert not panel.print_button.isEnabled() and not panel.refresh_button.isEnabled()
    hold.set()
    qtbot.waitUntil(lambda: not panel.running.isVisible())
    assert panel.ages.texts()[2][-1] == "$280.00"
    assert panel.print_button.isEnabled()


def test_print_report_previews_the_aging_report(
    qtbot: QtBot, desk: AppContext, biller: DesktopSession
) -> None:
    _receivables(desk, biller.ctx)
    panel = _shown(qtbot, biller)

    click(qtbot, panel, "Print report")

    qtbot.waitUntil(lambda: panel.preview is not None)
    assert panel.preview is not None
    pdf = panel.preview._pdf  # type: ignore[attr-defined]
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for expected in (
        "A/R aging", "As of Monday, January 5, 2026", "91–120", "$200.00", "$280.00", "71%",
        "Unapplied credit, patients", "−$10.00", "Net A/R", "$270.00",
    ):  # fmt: skip
        assert expected in text, expected


def test_someone_without_reports_is_told_so(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    panel = AgingPanel(session_for("frontdesk"))
    qtbot.addWidget(panel)
    panel.show()

    panel.reload()

    qtbot.waitUntil(lambda: panel.message.isVisible())
    assert panel.message.text()
    assert panel.ages.texts() == []
    assert not panel.print_button.isEnabled()


def test_locking_the_screen_empties_the_report(
    qtbot: QtBot, desk: AppContext, biller: DesktopSession
) -> None:
    _receivables(desk, biller.ctx)
    panel = _shown(qtbot, biller)

    panel.clear_sensitive()

    assert panel.books is None
    assert panel.ages.texts() == [] and panel.net.texts() == []
    assert not panel.print_button.isEnabled()
