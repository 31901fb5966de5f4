"""The Claims and Denials tabs: the worklist filters, the detail's actions follow the claim's
status, the scrubber's errors are shown in words (and stop the claim), and the denial
worklist opens a claim in the Claims tab."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from app.models import ClaimStatus
from app.services.claim_data import ClaimSummary
from app.services.claim_delivery import ClaimDeliveryService
from app.services.claim_device import ClaimDeviceSettings
from app.services.claims import ClaimService
from app.services.claims_setup import ClaimSetupService
from app.ui.billing.appeal_dialog import AppealDialog
from app.ui.billing.billing_page import CLAIMS, DENIALS, BillingPage
from app.ui.billing.claim_actions import Action, ClaimNoteDialog
from app.ui.billing.claim_assign_dialog import ClaimAssignDialog
from app.ui.billing.claims_panel import ClaimsPanel
from app.ui.billing.denials_panel import DenialsPanel
from app.ui.main_window import MainWindow
from app.ui.pdf_preview import PdfPreviewDialog
from app.ui.resources import apply_theme
from app.ui.session import DesktopSession
from tests.interop.pdf_text import pdf_text
from tests.services.permission_cases_claims import set_up_billing
from tests.ui.claims_scenario import built_claim, deny_by_835, send, strict_payer_rule
from tests.ui.helpers import answer_prompt, click, find_all, find_by_name, opened_child

S = ClaimStatus


@dataclass
class World:
    page: BillingPage
    draft: ClaimSummary  # clean, waiting to be marked ready
    faulty: ClaimSummary  # a draft the practice's rule refuses
    submitted: ClaimSummary
    denied: ClaimSummary


@pytest.fixture
def world(qtbot: QtBot, session_for: Callable[[str], DesktopSession], tmp_path: Path) -> World:
    desk = session_for("frontdesk").ctx
    session = session_for("billing")
    biller = session.ctx
    set_up_billing(biller)
    denied = built_claim(desk, biller, "Dixon")
    send(biller, denied, out=tmp_path)
    deny_by_835(biller, denied)
    submitted = built_claim(desk, biller, "Carter")
    send(biller, submitted, out=tmp_path)
    draft = built_claim(desk, biller, "Adams")
    faulty = built_claim(desk, biller, "Baker", payer_code="BETA1")
    strict_payer_rule(biller, "BETA1 Health")
    page = BillingPage(session)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    qtbot.waitExposed(page)
    return World(page, draft, faulty, submitted, denied)


def _claims(qtbot: QtBot, page: BillingPage) -> ClaimsPanel:
    panel = page.show_tab(CLAIMS)
    assert isinstance(panel, ClaimsPanel)
    qtbot.waitUntil(lambda: panel.model.rowCount() > 0, timeout=10000)
    return panel


def _choose(qtbot: QtBot, panel: ClaimsPanel, claim: ClaimSummary) -> None:
    panel.show_claim(claim.id)
    qtbot.waitUntil(
        lambda: panel.detail.claim is not None and panel.detail.claim.id == claim.id,
        timeout=10000,
    )


def _shown_numbers(panel: ClaimsPanel) -> set[str]:
    return {panel.rows.item_at(row).control_number for row in range(panel.rows.rowCount())}


def test_the_claims_list_filters_by_status_and_by_what_is_typed(qtbot: QtBot, world: World) -> None:
    panel = _claims(qtbot, world.page)
    everyone = {c.control_number for c in (world.draft, world.faulty, world.submitted)}
    # Open claims: everything not finished (the denied one is still open).
    assert everyone | {world.denied.control_number} <= _shown_numbers(panel)

    status = find_by_name(panel, QComboBox, "Claim status filter")
    status.setCurrentIndex(status.findData(S.DRAFT.value))
    assert _shown_numbers(panel) >= {world.draft.control_number, world.faulty.control_number}
    assert world.submitted.control_number not in _shown_numbers(panel)

    # Ctrl+F goes to the find box; words narrow the list (patient name here).
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    find = find_by_name(panel, QLineEdit, "Find claim")
    assert find.hasFocus()
    qtbot.keyClicks(find, "baker")
    assert _shown_numbers(panel) == {world.faulty.control_number}
    # A claim number works too, in any status once "All claims" is chosen.
    find.clear()
    qtbot.keyClicks(find, world.submitted.control_number)
    assert _shown_numbers(panel) == set()
    assert "No claim matches" in find_by_name(panel, QLabel, "No claims").text()
    status.setCurrentIndex(status.findData("all"))
    assert _shown_numbers(panel) == {world.submitted.control_number}


def test_the_detail_offers_only_what_the_claim_s_status_allows(qtbot: QtBot, world: World) -> None:
    panel = _claims(qtbot, world.page)
    buttons = panel.detail.buttons

    _choose(qtbot, panel, world.draft)
    enabled = {a for a, b in buttons.items() if b.isEnabled() and b.isVisibleTo(panel)}
    assert {Action.CHECK, Action.MARK_READY, Action.CLOSE} <= enabled
    assert not enabled & {Action.CORRECT, Action.VOID, Action.APPEAL, Action.RETURN_TO_DRAFT}

    _choose(qtbot, panel, world.submitted)
    enabled = {a for a, b in buttons.items() if b.isEnabled()}
    assert enabled == {Action.CHECK}

    _choose(qtbot, panel, world.denied)
    enabled = {a for a, b in buttons.items() if b.isEnabled()}
    assert {Action.CORRECT, Action.VOID, Action.APPEAL, Action.CLOSE} <= enabled
    assert Action.MARK_READY not in enabled
    header = find_by_name(panel, QLabel, "Claim numbers").text()
    assert f"PCN{world.denied.control_number}" in header

    # Ctrl+Enter marks the chosen draft ready; the list and the detail follow.
    _choose(qtbot, panel, world.draft)
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(
        lambda: panel.detail.claim is not None and panel.detail.claim.status is S.READY,
        timeout=10000,
    )
    assert "ready to send" in find_by_name(panel, QLabel, "Claims message").text()
    assert buttons[Action.RETURN_TO_DRAFT].isEnabled()
    assert not buttons[Action.MARK_READY].isEnabled()


def test_a_scrubber_error_is_shown_in_words_and_keeps_the_claim_a_draft(
    qtbot: QtBot, world: World
) -> None:
    panel = _claims(qtbot, world.page)
    _choose(qtbot, panel, world.faulty)
    qtbot.waitUntil(lambda: bool(find_all(panel, QLabel, "Claim error")), timeout=5000)
    assert [e.text() for e in find_all(panel, QLabel, "Claim error")] == [
        "Error: BETA1 Health group numbers start with ACM: check the insurance card.\n"
        "Fix it in: The patient's record → Insurance (the subscriber)."
    ]
    message = find_by_name(panel, QLabel, "Claims message", visible=False)
    click(qtbot, panel, "Check claim")
    qtbot.waitUntil(lambda: "1 error, 0 warnings" in message.text(), timeout=10000)
    click(qtbot, panel, "Mark ready")
    qtbot.waitUntil(lambda: "cannot be sent yet" in message.text(), timeout=10000)
    assert "cannot be sent yet" in message.text()
    assert "BETA1 Health group numbers start with ACM" in message.text()
    assert ClaimService(panel.session.ctx).claim(world.faulty.id).summary.status is S.DRAFT
    qtbot.waitUntil(lambda: bool(find_all(panel, QLabel, "Claim error")), timeout=5000)
    assert panel.detail.problems.texts()[0].startswith("Error: BETA1")  # still beside it


def test_the_denial_worklist_shows_the_reason_and_opens_the_claim(
    qtbot: QtBot, world: World
) -> None:
    denials = world.page.show_tab(DENIALS)
    assert isinstance(denials, DenialsPanel)
    qtbot.waitUntil(lambda: denials.model.rowCount() == 1, timeout=10000)
    row = denials.chosen()
    assert row is not None and row.claim.id == world.denied.id
    reason = find_by_name(denials, QLabel, "Denial reason").text()
    assert "CO-16" in reason and "MA130" in reason
    assert find_by_name(denials, type(denials.correct_button), "Correct claim").isEnabled()
    assert not denials.redo_button.isEnabled()  # denied, not rejected: corrected, not redone

    click(qtbot, denials, "Open claim")
    claims = world.page.tabs.currentWidget()
    assert isinstance(claims, ClaimsPanel)
    qtbot.waitUntil(
        lambda: claims.detail.claim is not None and claims.detail.claim.id == world.denied.id,
        timeout=10000,
    )


def test_render_the_claims_screens(qtbot: QtBot, world: World) -> None:
    """Draws both tabs in the main window to PNG when STETHOS_RENDER_DIR is set (to look at
    them); without it, still walks the screens with more claims in more states."""
    folder = os.environ.get("STETHOS_RENDER_DIR")
    session = world.page.session
    service = ClaimService(session.ctx)
    service.reject(world.submitted.id, "Subscriber not found under this member id", ("A7:21",))
    service.assign(world.denied.id, None, "Send the records the payer asked for", date(2026, 1, 2))
    apply_theme(QApplication.instance())  # type: ignore[arg-type]
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    index = window.section_index("billing")
    assert index is not None
    window.show_section(index)
    page = window.page_at(index)
    assert isinstance(page, BillingPage)

    def save(name: str) -> None:
        qtbot.wait(150)
        if folder:
            window.grab().save(str(Path(folder) / name))

    panel = _claims(qtbot, page)
    _choose(qtbot, panel, world.faulty)
    save("claims.png")
    _choose(qtbot, panel, world.denied)
    save("claims-denied.png")
    denials = page.show_tab(DENIALS)
    assert isinstance(denials, DenialsPanel)
    qtbot.waitUntil(lambda: denials.model.rowCount() == 2, timeout=10000)
    save("denials.png")
    click(qtbot, denials, "Assign claim")
    dialog = opened_child(qtbot, denials, ClaimAssignDialog)
    qtbot.waitUntil(lambda: find_by_name(dialog, QComboBox, "Owner").count() > 1, timeout=5000)
    qtbot.wait(100)
    if folder:
        dialog.grab().save(str(Path(folder) / "assign-dialog.png"))
    dialog.reject()
    denials.select_claim(world.denied.id)
    click(qtbot, denials, "Correct claim")
    note = opened_child(qtbot, denials, ClaimNoteDialog)
    qtbot.wait(100)
    if folder:
        note.grab().save(str(Path(folder) / "correct-dialog.png"))
    note.reject()


def test_the_cms1500_previews_as_a_replica_or_as_data_for_pre_printed_forms(
    qtbot: QtBot, world: World
) -> None:
    panel = _claims(qtbot, world.page)
    _choose(qtbot, panel, world.draft)
    texts = {}
    for choice in ("Replica on plain paper", "For pre-printed forms"):
        prompts = answer_prompt("Print CMS-1500", choice)
        click(qtbot, panel, "Print CMS-1500")
        preview = opened_child(qtbot, panel, PdfPreviewDialog)
        texts[choice] = pdf_text(preview._pdf)
        assert world.draft.control_number in preview.windowTitle()
        assert "Noah" not in preview._suggested_name  # no patient name in file names
        assert prompts and "pre-printed" in prompts[0].text
        preview.close()
        QApplication.processEvents()
    replica, data = texts.values()
    assert "HEALTH INSURANCE CLAIM FORM" in replica and "ADAMS" in replica.upper()
    assert "HEALTH INSURANCE CLAIM FORM" not in data and "ADAMS" in data.upper()


def test_a_denied_claim_is_assigned_with_a_next_action_and_a_due_date(
    qtbot: QtBot, world: World
) -> None:
    denials = world.page.show_tab(DENIALS)
    assert isinstance(denials, DenialsPanel)
    qtbot.waitUntil(lambda: denials.model.rowCount() == 1, timeout=10000)
    click(qtbot, denials, "Assign claim")
    dialog = opened_child(qtbot, denials, ClaimAssignDialog)
    owner = find_by_name(dialog, QComboBox, "Owner")
    qtbot.waitUntil(lambda: owner.count() > 2, timeout=10000)
    names = [owner.itemText(i) for i in range(owner.count())]
    assert names[:2] == ["Nobody", "Grace Whitfield"]  # the biller first
    owner.setCurrentIndex(1)
    qtbot.keyClicks(find_by_name(dialog, QLineEdit, "Next action"), "Call Acme about records")
    due = find_by_name(dialog, QLineEdit, "Due date")
    qtbot.keyClicks(due, "31/31/2025")
    click(qtbot, dialog, "Assign")
    refusal = find_by_name(dialog, QLabel, "Dialog message")
    assert "not a date" in refusal.text()
    due.clear()
    qtbot.keyClicks(due, "01/02/2026")  # before the practice's today (01/05/2026)
    with qtbot.waitSignal(denials.loaded, timeout=10000):
        click(qtbot, dialog, "Assign")
    model = denials.model
    cells = [denials.rows.index(0, c).data() for c in (model.OWNER, model.ACTION, model.DUE)]
    assert cells == ["Grace Whitfield", "Call Acme about records", "01/02/2026 — overdue"]
    assert "1 overdue" in denials.count.text()


def test_nothing_is_sent_while_a_ready_claim_fails_the_scrubber(qtbot: QtBot, world: World) -> None:
    session = world.page.session
    ClaimService(session.ctx).mark_ready(world.draft.id)
    strict_payer_rule(session.ctx, "ACME1 Health")  # made after it was marked ready
    panel = _claims(qtbot, world.page)
    prompts = answer_prompt("Send claims", "Send")
    panel.table.setFocus()
    qtbot.keyClick(
        panel.table,
        Qt.Key.Key_S,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    message = find_by_name(panel, QLabel, "Claims message", visible=False)
    qtbot.waitUntil(lambda: "cannot be sent yet" in message.text(), timeout=10000)
    assert "Send 1 claim ready to go" in prompts[0].text
    assert (
        f"Claim {world.draft.control_number}: ACME1 Health group numbers start with ACM"
        in message.text()
    )
    assert "Nothing was sent" in message.text()
    outbox = session.paths.claims_outbox
    assert not outbox.exists() or not list(outbox.iterdir())
    assert ClaimService(session.ctx).claim(world.draft.id).summary.status is S.READY


def test_a_denied_claim_is_appealed_from_the_worklist(qtbot: QtBot, world: World) -> None:
    denials = world.page.show_tab(DENIALS)
    assert isinstance(denials, DenialsPanel)
    qtbot.waitUntil(lambda: denials.model.rowCount() == 1, timeout=10000)
    click(qtbot, denials, "Appeal claim")
    dialog = opened_child(qtbot, denials, AppealDialog)
    qtbot.waitUntil(lambda: dialog.detail is not None, timeout=10000)
    qtbot.keyClicks(
        find_by_name(dialog, QPlainTextEdit, "Argument"), "The note documents the history."
    )
    click(qtbot, dialog, "Mark appealed")
    qtbot.waitUntil(lambda: denials.model.rowCount() == 0, timeout=10000)  # off the worklist
    message = find_by_name(denials, QLabel, "Denials message").text()
    assert message == f"Claim {world.denied.control_number} is appealed."
    status = ClaimService(world.page.session.ctx).claim(world.denied.id).summary.status
    assert status is S.APPEALED


def test_empty_lists_say_so_in_words(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    folder = os.environ.get("STETHOS_RENDER_DIR")
    if folder:
        apply_theme(QApplication.instance())  # type: ignore[arg-type]
    page = BillingPage(session_for("billing"))
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    claims = page.show_tab(CLAIMS)
    assert isinstance(claims, ClaimsPanel)
    empty = find_by_name(claims, QLabel, "No claims", visible=False)
    qtbot.waitUntil(empty.isVisible, timeout=10000)
    assert empty.text().startswith("No claims yet. Build claims makes drafts")
    assert not claims.table.isVisible() and not claims.detail.isVisible()
    if folder:
        qtbot.wait(100)
        page.grab().save(str(Path(folder) / "claims-empty.png"))
    denials = page.show_tab(DENIALS)
    assert isinstance(denials, DenialsPanel)
    nothing = find_by_name(denials, QLabel, "No denials", visible=False)
    qtbot.waitUntil(nothing.isVisible, timeout=10000)
    assert nothing.text() == "No denied or rejected claims: nothing to work on."


def test_sent_batches_are_handed_to_the_clearinghouse_folder_or_wait_for_it(
    qtbot: QtBot, world: World, tmp_path: Path
) -> None:
    session = world.page.session
    upload = tmp_path / "clearinghouse-upload"
    upload.mkdir()
    ClaimDeviceSettings(session.ctx).set_clearinghouse_folder(upload)
    upload.rmdir()  # the share is away when the biller sends
    ClaimService(session.ctx).mark_ready(world.draft.id)
    panel = _claims(qtbot, world.page)
    message = find_by_name(panel, QLabel, "Claims message", visible=False)

    answer_prompt("Send claims", "Send")
    click(qtbot, panel, "Send ready claims")
    qtbot.waitUntil(lambda: message.text().startswith("Sent 1 claim"), timeout=10000)
    assert "It waits for the clearinghouse: The folder" in message.text()
    waiting = ClaimDeliveryService(session.ctx).waiting()
    assert len(waiting) == 3  # the fixture's two batches and this one

    # Back again: the next send hands every waiting batch over, oldest first.
    upload.mkdir()
    setup = ClaimSetupService(session.ctx)
    setup.remove_rule(setup.rules()[0].id)  # the rule that kept this draft back
    ClaimService(session.ctx).mark_ready(world.faulty.id)
    answer_prompt("Send claims", "Send")
    click(qtbot, panel, "Send ready claims")
    qtbot.waitUntil(lambda: "Handed to the clearinghouse." in message.text(), timeout=10000)
    assert sorted(p.name for p in upload.iterdir()) == sorted([*waiting, message_file(message)])
    assert ClaimDeliveryService(session.ctx).waiting() == []


def message_file(message: QLabel) -> str:
    """The batch file a "Sent … in FILE, in FOLDER." notice names."""
    found = re.search(r" in (\S+), in ", message.text())
    assert found is not None, message.text()
    return found.group(1)
