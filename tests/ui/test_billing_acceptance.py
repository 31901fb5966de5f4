"""Issue #6's acceptance walk for the biller: the physician signs a visit (its charge is
proposed by the signing), the biller finds it in Billing → To post, posts it, opens the
account, takes $20 off the charge with a reason, and issues and prints a statement."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from app.models import EncounterType, EntryKind, NoteKind
from app.services.encounters import EncounterInput, EncounterService
from app.services.ledger import LedgerService
from app.services.note_data import NoteSection, NoteStart
from app.services.notes import NoteService
from app.services.problems import ProblemInput, ProblemService
from app.services.schedule_setup import ScheduleSetupService
from app.ui.billing.account_panel import AccountPanel
from app.ui.billing.billing_page import ACCOUNTS, TO_POST, BillingPage
from app.ui.billing.charge_money_dialog import ChargeMoneyDialog
from app.ui.billing.charges_panel import ChargesPanel
from app.ui.billing.statement_print import StatementDialog
from app.ui.pdf_preview import PdfPreviewDialog
from app.ui.session import DesktopSession
from tests.interop.pdf_text import pdf_text
from tests.ui.helpers import click, find_by_name, opened_child, register_patients


def _signed_visit(session: DesktopSession) -> str:
    """Ana Lopez seen today for hypertension, 25 minutes documented, note signed."""
    ctx = session.ctx
    (patient,) = register_patients(ctx, 1)
    ProblemService(ctx).add(patient, ProblemInput("I10"))
    provider = next(p.id for p in ScheduleSetupService(ctx).providers() if "Patel" in p.name)
    encounter = EncounterService(ctx).open(
        patient, EncounterInput(EncounterType.OFFICE_VISIT, provider, starts_at=ctx.clock.now())
    )
    notes = NoteService(ctx)
    note = notes.start(patient, NoteStart(NoteKind.DOCTOR, None, encounter.id))
    text = "Blood pressure follow-up. Total time 25 minutes."
    saved = notes.save_draft(note.id, [NoteSection("note", "", text=text)], None, note.version)
    notes.sign(note.id, saved.version)
    return patient


def test_the_biller_posts_a_signed_visit_adjusts_it_and_prints_a_statement(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    patient = _signed_visit(session_for("drpatel"))
    session = session_for("billing")
    page = BillingPage(session)
    qtbot.addWidget(page)
    page.resize(1280, 860)
    page.show()
    qtbot.waitExposed(page)
    assert page.tab_titles == [
        TO_POST,
        ACCOUNTS,
        "Statements",
        "Claims",
        "Denials",
        "Remittances",
        "Claim setup",
        "Day close",
        "Aging",
    ]

    # The signed visit's charge waits in the queue, ready to post.
    queue = page.show_tab(TO_POST)
    assert isinstance(queue, ChargesPanel)
    qtbot.waitUntil(lambda: queue.model.rowCount() == 1, timeout=10000)
    charge = queue.chosen()
    assert charge is not None
    # A new patient, 25 minutes documented: 99202.
    assert (charge.patient_name, charge.procedure_code) == ("Lopez, Ana", "99202")
    assert charge.pointed_diagnoses == ("I10",)
    click(qtbot, queue, "Post charge")
    qtbot.waitUntil(lambda: queue.model.rowCount() == 0, timeout=10000)
    assert "Posted 1 lines." in find_by_name(queue, QLabel, "Charges message").text()

    # The account shows it; the biller takes $20 off it.
    page.open_account(patient)
    account = page.show_tab(ACCOUNTS)
    assert isinstance(account, AccountPanel)
    qtbot.waitUntil(lambda: account.model.rowCount() == 1, timeout=10000)
    price = charge.amount_cents
    assert "Patient owes $" in find_by_name(account, QLabel, "Account summary").text()
    click(qtbot, account, "Adjust charge")
    dialog = opened_child(qtbot, account, ChargeMoneyDialog)
    assert find_by_name(dialog, QComboBox, "Direction").currentText() == "Lower the charge"
    qtbot.keyClicks(find_by_name(dialog, QLineEdit, "Amount"), "20.00")
    qtbot.keyClicks(find_by_name(dialog, QLineEdit, "Reason"), "Courtesy discount")
    click(qtbot, dialog, "Post adjustment")
    qtbot.waitUntil(lambda: account.model.rowCount() == 2, timeout=10000)
    lines = LedgerService(session.ctx).account(patient)
    assert [(e.kind, e.amount_cents) for e in lines.entries] == [
        (EntryKind.CHARGE, price),
        (EntryKind.ADJUSTMENT, -2000),
    ]
    assert lines.patient_cents == price - 2000
    owed = f"${(price - 2000) // 100:,}.{(price - 2000) % 100:02d}"
    assert f"Patient owes {owed}" in find_by_name(account, QLabel, "Account summary").text()

    # A numbered statement, previewed for printing.
    click(qtbot, account, "Statement")
    statement = opened_child(qtbot, account, StatementDialog)
    qtbot.keyClicks(statement.note, "Thank you for choosing us.")
    with qtbot.waitSignal(account.loaded, timeout=10000):  # reloaded: a statement is recorded
        click(qtbot, statement, "Issue statement")
    preview = opened_child(qtbot, account, PdfPreviewDialog)
    text = pdf_text(preview._pdf)
    assert "Lopez" in text and owed.replace("$", "") in text
    assert "Thank you for choosing us." in text
    # The notice outlives the reload the new statement caused.
    assert "Statement" in find_by_name(account, QLabel, "Account message").text()
    assert preview.print_button.isEnabled()
    preview.close()
    QApplication.processEvents()
