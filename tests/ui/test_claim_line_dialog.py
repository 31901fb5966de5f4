"""The claim line editor (issue #7): the biller sees the line and the claim's diagnoses with
their titles, adds a modifier and the claim bills the corrected charge; a bad change is
explained in the dialog, which stays open; a claim already sent cannot be changed here."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from app.services.claims import ClaimService
from app.services.context import AppContext
from app.ui.billing.claim_line_dialog import ClaimLineDialog
from app.ui.session import DesktopSession
from tests.services.helpers import query
from tests.services.permission_cases_claim_editing import claim_built_for
from tests.services.permission_cases_claims import insured_patient, set_up_billing, visit
from tests.ui.helpers import caught, click, find_by_name

Login = Callable[[str], AppContext]


@pytest.fixture
def biller(login: Login) -> AppContext:
    ctx = login("billing")
    set_up_billing(ctx)
    return ctx


@pytest.fixture
def draft(login: Login, biller: AppContext) -> str:
    patient = insured_patient(login("frontdesk"))
    visit(biller, patient, (("99213", 12_500), ("36415", 1_500)))
    claim = claim_built_for(biller, patient)
    return claim.id


@pytest.fixture
def window(qtbot: QtBot) -> QWidget:
    host = QWidget()
    qtbot.addWidget(host)
    return host


def opened(
    qtbot: QtBot, session: DesktopSession, claim_id: str, window: QWidget
) -> ClaimLineDialog:
    dialog = ClaimLineDialog(session, claim_id, 1, window)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.form is not None, timeout=10000)
    return dialog


def type_into(qtbot: QtBot, root: QWidget, name: str, text: str) -> None:
    edit = find_by_name(root, QLineEdit, name)
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)


def test_adding_a_modifier_changes_the_line_and_accepts(
    qtbot: QtBot,
    session_for: Callable[[str], DesktopSession],
    biller: AppContext,
    draft: str,
    window: QWidget,
) -> None:
    dialog = opened(qtbot, session_for("billing"), draft, window)
    assert "99213" in find_by_name(dialog, QLabel, "The line now").text()
    diagnoses = find_by_name(dialog, QLabel, "Claim diagnoses").text().splitlines()
    assert diagnoses[0].startswith("1.  E11.9 — Type 2 diabetes mellitus")
    assert diagnoses[1] == "2.  I10 — Essential (primary) hypertension"
    assert find_by_name(dialog, QLineEdit, "Diagnosis pointers").text() == "2, 1"
    changed, finished = caught(dialog.changed), caught(dialog.finished)

    type_into(qtbot, dialog, "Modifiers", "25")
    click(qtbot, dialog, "Change line")

    qtbot.waitUntil(lambda: finished != [], timeout=10000)
    assert finished == [QDialog.DialogCode.Accepted.value]
    (result,) = changed
    assert result.modifiers == ("25",)
    line = ClaimService(biller).claim(draft).lines[0]
    assert (line.modifiers, line.charge_id) == (("25",), result.new_charge_id)


def test_a_bad_modifier_is_explained_and_the_dialog_stays_open(
    qtbot: QtBot,
    session_for: Callable[[str], DesktopSession],
    biller: AppContext,
    draft: str,
    window: QWidget,
) -> None:
    dialog = opened(qtbot, session_for("billing"), draft, window)
    entries = query(biller, "SELECT id FROM ledger_entry")

    type_into(qtbot, dialog, "Modifiers", "2X5")
    click(qtbot, dialog, "Change line")

    qtbot.waitUntil(lambda: "2X5 is not a modifier" in dialog.message.text(), timeout=10000)
    assert dialog.message.isVisible()
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert query(biller, "SELECT id FROM ledger_entry") == entries
    assert find_by_name(dialog, QLineEdit, "Modifiers").text() == "2X5"  # kept to fix


def test_a_claim_already_sent_says_why_it_cannot_change(
    qtbot: QtBot,
    session_for: Callable[[str], DesktopSession],
    biller: AppContext,
    draft: str,
    tmp_path: Path,
    window: QWidget,
) -> None:
    ClaimService(biller).mark_ready(draft)
    ClaimService(biller).submit_ready(tmp_path)

    dialog = opened(qtbot, session_for("billing"), draft, window)

    message = find_by_name(dialog, QLabel, "Dialog message")
    assert "is submitted; only a draft claim's lines can change" in message.text()
    assert not dialog.ok_button.isEnabled()
    assert not find_by_name(dialog, QLineEdit, "Modifiers").isEnabled()
