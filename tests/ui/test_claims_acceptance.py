"""Issue #7's acceptance walk: the biller opens the denial worklist, corrects a claim and
resubmits it.

The claim is sent and denied through the services (a real 835 from the payer: CO-16, the
claim lacks information); from there everything is done in the Billing screens, as the
biller would: Denials shows the claim and why, Correct… makes the replacement, the Claims
tab shows it as a corrected draft, Mark ready, Send ready… puts a valid 837P in the outbox
that names it a replacement (CLM05-3 = 7) of the payer's claim (REF*F8), and the original
reads "Corrected"."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QPlainTextEdit
from pytestqt.qtbot import QtBot

from app.models import ClaimStatus
from app.services.claims import ClaimService
from app.ui.billing.billing_page import CLAIMS, DENIALS, BillingPage
from app.ui.billing.claim_actions import ClaimNoteDialog
from app.ui.billing.claims_panel import ClaimsPanel
from app.ui.billing.denials_panel import DenialsPanel
from app.ui.session import DesktopSession
from tests.interop.x12_helpers import assert_valid_x12
from tests.services.permission_cases_claims import set_up_billing
from tests.ui.claims_scenario import built_claim, deny_by_835, send
from tests.ui.helpers import answer_prompt, click, find_by_name, opened_child

S = ClaimStatus


def _segments(data: bytes) -> list[list[str]]:
    text = data.decode("ascii")
    terminator = text[105]  # ISA is fixed width: its segment terminator follows ISA16
    element = text[3]
    return [s.strip().split(element) for s in text.split(terminator) if s.strip()]


def _click_row(qtbot: QtBot, panel: ClaimsPanel, claim_id: str) -> None:
    row = panel.rows.row_of(claim_id)
    assert row is not None, "the claim is not in the list"
    rect = panel.table.visualRect(panel.rows.index(row, 1))
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(
        lambda: panel.detail.claim is not None and panel.detail.claim.id == claim_id,
        timeout=10000,
    )


def test_the_biller_corrects_a_denied_claim_and_sends_it_again(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession], tmp_path: Path
) -> None:
    desk = session_for("frontdesk").ctx
    session = session_for("billing")
    set_up_billing(session.ctx)
    original = built_claim(desk, session.ctx, "Dixon")
    send(session.ctx, original, out=tmp_path / "first-batch")
    deny_by_835(session.ctx, original)
    payer_number = f"PCN{original.control_number}"  # what the 835 called it

    page = BillingPage(session)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    qtbot.waitExposed(page)
    assert CLAIMS in page.tab_titles and DENIALS in page.tab_titles

    # Billing → Denials: the claim, and the payer's reason in words and codes.
    denials = page.show_tab(DENIALS)
    assert isinstance(denials, DenialsPanel)
    qtbot.waitUntil(lambda: denials.model.rowCount() == 1, timeout=10000)
    row = denials.chosen()
    assert row is not None and row.claim.control_number == original.control_number
    reason = find_by_name(denials, QLabel, "Denial reason").text()
    assert "lacks information" in reason and "CO-16" in reason and "MA130" in reason

    # Correct… with a note.
    click(qtbot, denials, "Correct claim")
    dialog = opened_child(qtbot, denials, ClaimNoteDialog)
    assert payer_number in find_by_name(dialog, QLabel, "What happens").text()
    qtbot.keyClicks(find_by_name(dialog, QPlainTextEdit, "Note"), "Diagnosis order fixed")
    click(qtbot, dialog, "Make corrected claim")
    qtbot.waitUntil(lambda: denials.model.rowCount() == 0, timeout=10000)
    assert "replacement" in find_by_name(denials, QLabel, "Denials message").text()

    # The Claims tab shows the replacement as a corrected draft.
    claims = page.show_tab(CLAIMS)
    assert isinstance(claims, ClaimsPanel)
    qtbot.waitUntil(lambda: claims.model.rowCount() == 2, timeout=10000)
    listed = [claims.model.row_at(i) for i in range(claims.model.rowCount())]
    (replacement,) = [c for c in listed if c is not None and c.id != original.id]
    assert (replacement.frequency_code, replacement.status) == ("7", S.DRAFT)
    assert replacement.replaces_claim_id == original.id
    _click_row(qtbot, claims, replacement.id)
    heading = find_by_name(claims, QLabel, "Claim").text()
    assert replacement.control_number in heading and "Draft" in heading
    assert "corrected" in find_by_name(claims, QLabel, "Claim summary").text()
    numbers = find_by_name(claims, QLabel, "Claim numbers").text()
    assert payer_number in numbers and f"Replaces {original.control_number}" in numbers

    # Mark ready, then Send ready… (confirmed).
    click(qtbot, claims, "Mark ready")
    qtbot.waitUntil(
        lambda: claims.detail.claim is not None and claims.detail.claim.status is S.READY,
        timeout=10000,
    )
    prompts = answer_prompt("Send claims", "Send")
    click(qtbot, claims, "Send ready claims")
    message = find_by_name(claims, QLabel, "Claims message", visible=False)
    qtbot.waitUntil(lambda: message.text().startswith("Sent 1 claim"), timeout=10000)
    outbox = session.paths.claims_outbox
    assert len(prompts) == 1 and str(outbox) in prompts[0].text
    assert "Send 1 claim ready to go" in prompts[0].text

    # The outbox holds the file: valid 5010, a replacement of the payer's claim.
    (sent,) = list(outbox.iterdir())
    assert sent.name in message.text()
    assert outbox.stat().st_mode & 0o777 == 0o700
    data = sent.read_bytes()
    assert_valid_x12(data)
    segments = _segments(data)
    (clm,) = [s for s in segments if s[0] == "CLM"]
    assert clm[1] == replacement.control_number
    assert clm[5].split(":")[2] == "7"
    assert ["REF", "F8", payer_number] in segments
    assert ClaimService(session.ctx).claim(replacement.id).summary.status is S.SUBMITTED

    # The original reads "Corrected" (it has left the open claims).
    qtbot.waitUntil(lambda: claims.rows.row_of(original.id) is None, timeout=10000)
    status = find_by_name(claims, QComboBox, "Claim status filter")
    status.setCurrentIndex(status.findData("all"))
    row_number = claims.rows.row_of(original.id)
    assert row_number is not None
    shown = claims.rows.index(row_number, claims.model.STATUS).data()
    assert shown == "Corrected"
    QApplication.processEvents()
