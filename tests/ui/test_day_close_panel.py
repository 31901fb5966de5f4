"""Day close (issue #6): the biller sees the day's charges and the money taken in, by
method and by provider, closes a balanced day, and prints the report."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.models import EntryKind, LedgerEntry, Payment, PaymentMethod, Responsibility
from app.services.context import AppContext
from app.services.errors import DomainError
from app.services.ledger_data import PaymentInput
from app.services.payments import PaymentService
from app.ui.billing.day_close_panel import DayClosePanel
from app.ui.session import DesktopSession
from tests.services.helpers import user_id
from tests.services.permission_cases_ledger import TODAY, new_patient, post_new_charge
from tests.ui.helpers import answer_prompt, click

CASH, CARD = PaymentMethod.CASH, PaymentMethod.CARD
ALT = Qt.KeyboardModifier.AltModifier
LEFT, RIGHT = Qt.Key.Key_Left, Qt.Key.Key_Right


@pytest.fixture
def desk(login: Callable[[str], AppContext]) -> AppContext:
    return login("frontdesk")


@pytest.fixture
def biller(session_for: Callable[[str], DesktopSession]) -> DesktopSession:
    return session_for("billing")


def _a_day_of_work(desk: AppContext, biller: AppContext) -> str:
    """A $120 visit with Dr. Patel, paid $40 cash and $30 by card; the patient's id."""
    patient = new_patient(desk)
    charge = post_new_charge(biller, patient, 12_000)
    payments = PaymentService(desk)
    payments.take_payment(patient, PaymentInput(CASH, 4_000, applied=[(charge, 4_000)]))
    payments.take_payment(patient, PaymentInput(CARD, 3_000, "4242", applied=[(charge, 3_000)]))
    return patient


def _shown(qtbot: QtBot, session: DesktopSession) -> DayClosePanel:
    panel = DayClosePanel(session)
    qtbot.addWidget(panel)
    panel.resize(1100, 640)
    panel.show()
    panel.reload()
    qtbot.waitUntil(lambda: panel.books is not None and not panel.busy.isVisible())
    return panel


def _reloaded(qtbot: QtBot, panel: DayClosePanel, action: Callable[[], object]) -> None:
    """Do `action`, then wait for the report it leads to."""
    before = panel.books
    action()
    qtbot.waitUntil(lambda: panel.books is not before and panel.books is not None)
    qtbot.waitUntil(lambda: not panel.busy.isVisible())


def test_the_biller_sees_the_days_money_and_closes_the_day(
    qtbot: QtBot, desk: AppContext, biller: DesktopSession
) -> None:
    _a_day_of_work(desk, biller.ctx)

    panel = _shown(qtbot, biller)

    assert panel.picker.day == TODAY
    lines = dict(map(tuple, panel.lines.texts()))  # type: ignore[arg-type]
    assert lines["Charges"] == "$120.00"
    assert lines["Receipts"] == "-$70.00"
    assert lines["Net change in A/R"] == "$50.00"
    assert panel.methods.texts() == [
        ["Cash", "$40.00"],
        ["Card", "$30.00"],
        ["Check", "$0.00"],
        ["Insurance", "$0.00"],
        ["Total received", "$70.00"],
    ]
    assert panel.providers.texts() == [["Priya Patel", "$120.00", "$70.00"]]
    assert panel.balanced.isVisible() and "Balanced ✓" in panel.balanced.text()
    assert not panel.problems.isVisible()
    assert panel.status.text() == "Open: not closed yet"
    assert not panel.lock_mark.isVisible()
    assert panel.close_button.isEnabled()

    prompts = answer_prompt("Close the day", "Close day")
    _reloaded(qtbot, panel, lambda: click(qtbot, panel, "Close day"))

    assert "Nothing more can be posted on this day" in prompts[0].text
    assert "reversals on a later day" in prompts[0].text
    name = biller.ctx.actor.display_name  # type: ignore[union-attr]
    assert panel.status.text().startswith(f"Closed by {name} on Jan 5, 2026 at ")
    assert panel.lock_mark.isVisible()
    assert not panel.close_button.isEnabled()
    assert panel.close_button.toolTip() == "This day is already closed"
    with pytest.raises(DomainError, match="books are closed"):
        PaymentService(desk).take_payment(new_patient(desk, "Late"), PaymentInput(CASH, 100))


def test_cancelling_the_prompt_leaves_the_day_open(
    qtbot: QtBot, desk: AppContext, biller: DesktopSession
) -> None:
    _a_day_of_work(desk, biller.ctx)
    panel = _shown(qtbot, biller)

    prompts = answer_prompt("Close the day", "Cancel")
    click(qtbot, panel, "Close day")

    qtbot.waitUntil(lambda: bool(prompts))
    assert panel.status.text() == "Open: not closed yet"
    assert panel.close_button.isEnabled()
    PaymentService(desk).take_payment(new_patient(desk, "OnTime"), PaymentInput(CASH, 100))


def test_a_payment_taken_while_the_report_is_open_shows_on_it(
    qtbot: QtBot, desk: AppContext, biller: DesktopSession
) -> None:
    patient = _a_day_of_work(desk, biller.ctx)
    panel = _shown(qtbot, biller)

    # Taken in this window (its notices reach the panel), e.g. at the billing desk.
    PaymentService(biller.ctx).take_payment(patient, PaymentInput(CASH, 2_500))

    qtbot.waitUntil(lambda: ["Cash", "$65.00"] in panel.methods.texts())
    assert ["Total received", "$95.00"] in panel.methods.texts()


def test_the_arrows_walk_the_days_and_a_day_to_come_cannot_be_closed(
    qtbot: QtBot, desk: AppContext, biller: DesktopSession
) -> None:
    _a_day_of_work(desk, biller.ctx)
    panel = _shown(qtbot, biller)

    _reloaded(qtbot, panel, lambda: qtbot.keyClick(panel.lines, RIGHT, ALT))
    assert panel.picker.day == TODAY + timedelta(days=1)
    assert panel.status.text() == "This day has not come yet."
    assert not panel.close_button.isEnabled()
    assert not panel.balanced.isVisible()
    assert ["Charges", "$0.00"] in panel.lines.texts()

    _reloaded(qtbot, panel, lambda: qtbot.keyClick(panel.lines, LEFT, ALT))
    _reloaded(qtbot, panel, lambda: qtbot.keyClick(panel.lines, LEFT, ALT))
    assert panel.picker.day == TODAY - timedelta(days=1)
    assert panel.close_button.isEnabled()  # a quiet day before balances: it can be closed
    assert panel.providers.isHidden() and panel.no_providers.isVisible()

    _reloaded(qtbot, panel, lambda: click(qtbot, panel, "Today"))
    assert ["Charges", "$120.00"] in panel.lines.texts()


def test_a_day_that_does_not_balance_says_why_and_cannot_be_closed(
    qtbot: QtBot, desk: AppContext, biller: DesktopSession
) -> None:
    patient = new_patient(desk)
    # A payment whose ledger line does not add up to it (what a bug would leave behind).
    with biller.ctx.unit_of_work() as uow:
        stray = Payment(
            patient_id=patient,
            method=CASH,
            amount_cents=2_000,
            received_on=TODAY,
            receipt_number="STRAY1",
            received_by_id=user_id(biller.ctx, "billing"),
        )
        uow.session.add(stray)
        uow.session.flush()
        uow.session.add(
            LedgerEntry(
                patient_id=patient,
                kind=EntryKind.PAYMENT,
                amount_cents=-1_500,
                responsibility=Responsibility.PATIENT,
                payment_id=stray.id,
                business_day=TODAY,
                posted_at=biller.ctx.clock.now(),
            )
        )

    panel = _shown(qtbot, biller)

    assert panel.problems.isVisible() and panel.problems.property("role") == "error"
    assert "This day does not balance" in panel.problems.text()
    assert "Cash payments received add up to $20.00, but the ledger shows $15.00." in (
        panel.problems.text()
    )
    assert not panel.balanced.isVisible()
    assert not panel.close_button.isEnabled()
    assert panel.close_button.toolTip() == "The day must balance before it can be closed"


def test_print_report_previews_the_days_report(
    qtbot: QtBot, desk: AppContext, biller: DesktopSession
) -> None:
    _a_day_of_work(desk, biller.ctx)
    panel = _shown(qtbot, biller)

    click(qtbot, panel, "Print report")

    qtbot.waitUntil(lambda: panel.preview is not None)
    assert panel.preview is not None
    assert panel.preview.accessibleName() == "Daily close report"
    pdf = panel.preview._pdf  # type: ignore[attr-defined]
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for expected in ("Daily close", "Monday, January 5, 2026", "Not closed yet", "Balanced"):
        assert expected in text, expected
    for expected in ("Charges", "$120.00", "−$70.00", "Priya Patel", "Cash", "$40.00"):
        assert expected in text, expected


def test_locking_the_screen_empties_the_report(
    qtbot: QtBot, desk: AppContext, biller: DesktopSession
) -> None:
    _a_day_of_work(desk, biller.ctx)
    panel = _shown(qtbot, biller)

    panel.clear_sensitive()

    assert panel.books is None
    assert [t.amounts.rowCount() for t in (panel.lines, panel.methods, panel.providers)] == [
        0,
        0,
        0,
    ]
    assert panel.status.text() == ""
    assert not panel.balanced.isVisible()
    assert not panel.print_button.isEnabled() and not panel.close_button.isEnabled()

    panel.reload()  # unlocked: the same day comes back
    qtbot.waitUntil(lambda: panel.books is not None)
    assert ["Charges", "$120.00"] in panel.lines.texts()
