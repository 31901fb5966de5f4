"""The appeal dialog (issue #7): the biller sees the payer's denial, writes the argument,
ticks what goes with the letter, previews the letter (to print or save) and marks the
claim appealed; without an argument nothing is sent or recorded."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from app.models import ClaimStatus
from app.services.claims import ClaimService
from app.services.context import AppContext
from app.ui.billing.appeal_dialog import AppealDialog
from app.ui.session import DesktopSession
from tests.interop.pdf_text import pdf_text
from tests.services.permission_cases_claim_editing import claim_built_for
from tests.services.permission_cases_claims import insured_patient, set_up_billing, visit
from tests.services.test_claim_appeals import denied_claim
from tests.ui.helpers import caught, click, find_by_name

Login = Callable[[str], AppContext]
ARGUMENT = "The note documents a separate problem-focused visit before the injection."


@pytest.fixture
def biller(login: Login) -> AppContext:
    ctx = login("billing")
    set_up_billing(ctx)
    return ctx


@pytest.fixture
def denied(login: Login, biller: AppContext, tmp_path: Path) -> str:
    return denied_claim(biller, insured_patient(login("frontdesk"), "Okonkwo"), tmp_path)


@pytest.fixture
def window(qtbot: QtBot) -> QWidget:
    host = QWidget()
    qtbot.addWidget(host)
    return host


def opened(qtbot: QtBot, session: DesktopSession, claim_id: str, window: QWidget) -> AppealDialog:
    dialog = AppealDialog(session, claim_id, window)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.detail is not None, timeout=10000)
    return dialog


def test_preview_the_letter_then_mark_the_claim_appealed(
    qtbot: QtBot,
    session_for: Callable[[str], DesktopSession],
    biller: AppContext,
    denied: str,
    window: QWidget,
) -> None:
    dialog = opened(qtbot, session_for("billing"), denied, window)
    denial = find_by_name(dialog, QLabel, "The payer's denial").text()
    assert "Not deemed a medical necessity" in denial and "CO-50" in denial

    click(qtbot, dialog, "Mark appealed")  # no argument yet
    assert "Write why the payer should reconsider" in dialog.message.text()
    assert ClaimService(biller).claim(denied).summary.status is ClaimStatus.DENIED

    qtbot.keyClicks(find_by_name(dialog, QPlainTextEdit, "Argument"), ARGUMENT)
    click(qtbot, dialog, "Medical records")
    click(qtbot, dialog, "Preview letter")
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=15000)
    assert dialog.preview is not None
    text = " ".join(pdf_text(dialog.preview._pdf).split())  # type: ignore[attr-defined]
    assert ARGUMENT in text and "Medical records" in text and "Noah Okonkwo" in text
    assert ClaimService(biller).claim(denied).summary.status is ClaimStatus.DENIED
    dialog.preview.close()

    appealed, finished = caught(dialog.appealed), caught(dialog.finished)
    argument = find_by_name(dialog, QPlainTextEdit, "Argument")
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    argument.setFocus()
    qtbot.keyClick(argument, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: finished != [], timeout=10000)

    assert finished == [QDialog.DialogCode.Accepted.value]
    assert appealed[0].status is ClaimStatus.APPEALED
    detail = ClaimService(biller).claim(denied)
    assert detail.summary.status is ClaimStatus.APPEALED
    assert detail.history[-1].note == ARGUMENT


def test_a_claim_not_denied_cannot_be_appealed_here(
    qtbot: QtBot,
    session_for: Callable[[str], DesktopSession],
    login: Login,
    biller: AppContext,
    window: QWidget,
) -> None:
    patient = insured_patient(login("frontdesk"))
    visit(biller, patient)
    draft = claim_built_for(biller, patient)

    dialog = opened(qtbot, session_for("billing"), draft.id, window)

    assert "is draft; only a denied or partly paid claim is appealed" in dialog.message.text()
    assert not dialog.ok_button.isEnabled()
    assert not dialog.preview_button.isEnabled()
