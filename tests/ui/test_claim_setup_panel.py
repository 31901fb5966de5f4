"""Billing → Claim setup: the billing provider form refuses a bad NPI in words and saves
nothing, then saves good details; a practice rule with a broken pattern is refused in words
in its editor, then added; a payer's timely filing limit and this machine's printer offset
are saved; the test form is a sample, never a claim."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QLabel, QLineEdit, QSpinBox
from pytestqt.qtbot import QtBot

from app.models import ScrubCheck
from app.services.claim_device import ClaimDeviceSettings, FormOffset
from app.services.claim_payer_rules import PayerClaimRulesService
from app.services.claim_rules import field_type
from app.services.claims_setup import ClaimSetupService
from app.ui.billing.claim_setup_fields import CHECK_LABELS, RULE_FIELDS
from app.ui.billing.claim_setup_panel import ClaimSetupPanel
from app.ui.billing.scrub_rule_dialog import ScrubRuleDialog
from app.ui.pdf_preview import PdfPreviewDialog
from app.ui.session import DesktopSession
from tests.interop.pdf_text import pdf_text
from tests.services.permission_cases_claims import PRACTICE_NPI, insured_patient
from tests.ui.helpers import click, find_by_name, opened_child


def _panel(qtbot: QtBot, session: DesktopSession) -> ClaimSetupPanel:
    panel = ClaimSetupPanel(session)
    qtbot.addWidget(panel)
    panel.resize(1280, 800)
    panel.show()
    qtbot.waitExposed(panel)
    parts = (panel.billing, panel.payers, panel.rules, panel.device)
    with qtbot.waitSignals([part.loaded for part in parts], timeout=10000):
        panel.reload()
    return panel


def _edit(root: ClaimSetupPanel | ScrubRuleDialog, name: str, text: str) -> None:
    edit = find_by_name(root, QLineEdit, name)
    edit.setText(text)


def test_every_listed_rule_field_is_a_field_of_a_claim() -> None:
    assert all(field_type(path)[1] is None for path in RULE_FIELDS)
    assert set(CHECK_LABELS) == set(ScrubCheck)


def test_the_biller_sets_up_claims(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    session = session_for("billing")
    insured_patient(session_for("frontdesk").ctx, payer_code="ACME1")
    panel = _panel(qtbot, session)
    setup = ClaimSetupService(session.ctx)
    before = setup.billing_setup()

    # A wrong check digit: refused in words, nothing saved.
    _edit(panel, "Billing NPI", "1234567890")
    _edit(panel, "Tax id (EIN)", "37-1234567")
    _edit(panel, "Submitter id", "STETHOS01")
    click(qtbot, panel, "Save billing setup")
    message = find_by_name(panel, QLabel, "Billing setup message", visible=False)
    qtbot.waitUntil(lambda: "not a valid NPI" in message.text(), timeout=10000)
    assert setup.billing_setup() == before

    _edit(panel, "Billing NPI", PRACTICE_NPI)
    click(qtbot, panel, "Save billing setup")
    qtbot.waitUntil(lambda: message.text().startswith("Saved."), timeout=10000)
    saved = setup.billing_setup()
    assert (saved.npi, saved.tax_id, saved.submitter_id) == (
        PRACTICE_NPI,
        "371234567",
        "STETHOS01",
    )

    # A rule whose pattern is not a regular expression is refused in the editor.
    assert panel.rules.empty.isVisible()
    click(qtbot, panel, "Add claim rule")
    dialog = opened_child(qtbot, panel, ScrubRuleDialog)
    _edit(dialog, "Rule name", "Acme member ids")
    fields = find_by_name(dialog, QComboBox, "Field checked")
    fields.setCurrentIndex(fields.findData("subscriber.member_id"))
    checks = find_by_name(dialog, QComboBox, "Check")
    checks.setCurrentIndex(checks.findData(ScrubCheck.PATTERN.value))
    payers = find_by_name(dialog, QComboBox, "Payer")
    payers.setCurrentIndex(payers.findText("ACME1 Health (ACME1)"))
    _edit(dialog, "Argument", "[A-Z{3")
    click(qtbot, dialog, "Save rule")
    refusal = find_by_name(dialog, QLabel, "Dialog message", visible=False)
    qtbot.waitUntil(lambda: "not a valid regular expression" in refusal.text(), timeout=10000)
    assert setup.rules() == []
    _edit(dialog, "Argument", "[A-Z]{3}[0-9]{9}")
    with qtbot.waitSignal(panel.rules.loaded, timeout=10000):
        click(qtbot, dialog, "Save rule")
    (rule,) = setup.rules()
    assert (rule.field, rule.check, rule.payer_name) == (
        "subscriber.member_id",
        ScrubCheck.PATTERN,
        "ACME1 Health",
    )
    shown = panel.rules.model
    assert [shown.cell_text(rule, c) for c in range(shown.columnCount())] == [
        "Acme member ids",
        "Insured's member ID",
        "Pattern: [A-Z]{3}[0-9]{9}",
        "ACME1 Health",
        "Stops sending",
    ]

    # A payer's timely filing limit and kind.
    find_by_name(panel, QSpinBox, "Timely filing days").setValue(90)
    kinds = find_by_name(panel, QComboBox, "Payer kind")
    kinds.setCurrentIndex(kinds.findData("MB"))
    with qtbot.waitSignal(panel.payers.loaded, timeout=10000):
        click(qtbot, panel, "Save payer rules")
    acme = next(p for p in PayerClaimRulesService(session.ctx).payers() if p.payer_code == "ACME1")
    assert (acme.timely_filing_days, acme.filing_indicator) == (90, "MB")

    # This machine: the default outbox is named; the printer offset is kept.
    outbox = find_by_name(panel, QLabel, "Claims outbox folder").text()
    assert str(session.paths.claims_outbox) in outbox and "(the default)" in outbox
    assert not find_by_name(
        panel, type(panel.device.default_button), "Use default outbox folder"
    ).isEnabled()
    find_by_name(panel, QDoubleSpinBox, "Offset right").setValue(1.3)
    find_by_name(panel, QDoubleSpinBox, "Offset down").setValue(-0.7)
    click(qtbot, panel, "Save printer offset")
    device_message = find_by_name(panel, QLabel, "This machine message", visible=False)
    qtbot.waitUntil(lambda: device_message.text().startswith("Saved"), timeout=10000)
    assert ClaimDeviceSettings(session.ctx).form_offset() == FormOffset(1.3, -0.7)

    with qtbot.waitSignal(panel.device.preview_opened, timeout=10000) as opened:
        click(qtbot, panel, "Print a test form")
    preview = opened.args[0]
    assert isinstance(preview, PdfPreviewDialog)
    text = pdf_text(preview._pdf)
    assert "SAMPLE" in text and "NOT A CLAIM" in text
    preview.close()
