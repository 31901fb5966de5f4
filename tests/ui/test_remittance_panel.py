"""Billing → Remittances: the biller imports the payer's 835 for a submitted claim and reads
what it did (paid, and how much); the same file again changes nothing and says so; the
claim the payer paid that Stethos never sent waits on the review list until resolved with
a note (then shows only with "Show resolved")."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QCheckBox, QLabel, QPlainTextEdit
from pytestqt.qtbot import QtBot

from app.ui.billing.remittance_panel import RemittancePanel
from app.ui.chart.reason_dialog import ReasonDialog
from app.ui.session import DesktopSession
from tests.services.claim_review_cases import STRAY_CLAIM, submitted_claim_and_835
from tests.ui.helpers import click, find_by_name, opened_child


def _panel(qtbot: QtBot, session: DesktopSession) -> RemittancePanel:
    panel = RemittancePanel(session)
    qtbot.addWidget(panel)
    panel.resize(1280, 800)
    panel.show()
    qtbot.waitExposed(panel)
    with qtbot.waitSignal(panel.loaded, timeout=10000):
        panel.reload()
    return panel


def _import(qtbot: QtBot, panel: RemittancePanel, path: Path) -> None:
    # The import's own notice may reload the list before the summary is shown: wait for the
    # summary, then for the reload the summary starts.
    with qtbot.waitSignal(panel.imported, timeout=15000):
        panel.import_files([path])
    with qtbot.waitSignal(panel.loaded, timeout=15000):
        pass


def test_the_biller_imports_an_835_and_resolves_what_it_could_not_apply(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession], tmp_path: Path
) -> None:
    session = session_for("billing")
    case = submitted_claim_and_835(session_for("frontdesk").ctx, session.ctx, tmp_path)
    era = tmp_path / "acme-0302.835"
    era.write_bytes(case.era)
    panel = _panel(qtbot, session)
    assert panel.empty.isVisible() and "Nothing to review" in panel.empty.text()

    _import(qtbot, panel, era)
    results = find_by_name(panel, QLabel, "Import results").text()
    assert "acme-0302.835 — remittance (835): 1 claim paid." in results
    assert "Insurance paid $100.00; adjusted $25.00." in results
    assert "1 item to review below." in results
    assert not find_by_name(panel, QLabel, "Files not imported", visible=False).isVisible()
    assert panel.model.rowCount() == 1
    item = panel.chosen()
    assert item is not None and item.control_number == STRAY_CLAIM
    assert not find_by_name(panel, type(panel.claim_button), "Open claim").isEnabled()

    # The same file again: refused in words, nothing more on the list.
    _import(qtbot, panel, era)
    refused = find_by_name(panel, QLabel, "Files not imported").text()
    assert "acme-0302.835 was already imported" in refused and "nothing was changed" in refused
    assert not find_by_name(panel, QLabel, "Import results", visible=False).isVisible()
    assert panel.model.rowCount() == 1

    # Resolve it: a note is needed; then it leaves the open list.
    click(qtbot, panel, "Resolve item")
    dialog = opened_child(qtbot, panel, ReasonDialog)
    click(qtbot, dialog, "Resolve")
    assert "Say what you did" in find_by_name(dialog, QLabel, "Dialog message").text()
    find_by_name(dialog, QPlainTextEdit, "What you did").setPlainText("Not our patient; called")
    click(qtbot, dialog, "Resolve")
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0, timeout=10000)
    assert panel.empty.isVisible() and not panel.table.isVisible()

    with qtbot.waitSignal(panel.loaded, timeout=10000):
        find_by_name(panel, QCheckBox, "Show resolved items").setChecked(True)
    assert panel.model.rowCount() == 1
    resolved = panel.chosen()
    assert resolved is not None and resolved.resolved_at is not None
    assert not panel.resolve_button.isEnabled()
