"""The recovery sheet from the UI: previewed in memory, saved owner-only, printable."""

from __future__ import annotations

import io
import stat
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from app.storage.keyslots import new_recovery_code
from app.ui.pdf_preview import can_print
from app.ui.recovery_page import RecoveryCodePage
from app.ui.tasks import TaskRunner


@pytest.fixture
def page(qtbot: QtBot) -> RecoveryCodePage:
    runner = TaskRunner()
    page = RecoveryCodePage(runner)
    qtbot.addWidget(page)
    page.destroyed.connect(lambda *_: runner.shutdown())
    return page


def open_preview(qtbot: QtBot, page: RecoveryCodePage, code: str) -> None:
    page.show_code("Lakeside Pediatrics", code, date(2026, 1, 5))
    page.open_sheet()
    qtbot.waitUntil(lambda: page.preview is not None, timeout=10000)


def test_the_sheet_is_saved_with_owner_only_permissions(
    qtbot: QtBot, page: RecoveryCodePage, tmp_path: Path
) -> None:
    code = new_recovery_code()
    open_preview(qtbot, page, code)
    assert page.preview is not None
    target = tmp_path / "usb" / "recovery"
    page.preview.save_to(target)
    saved = target.with_suffix(".pdf")
    qtbot.waitUntil(lambda: page.preview is not None and page.preview.saved_to == saved)
    text = PdfReader(io.BytesIO(saved.read_bytes())).pages[0].extract_text()
    assert code in text
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600


def test_continuing_wipes_the_code(qtbot: QtBot, page: RecoveryCodePage) -> None:
    open_preview(qtbot, page, new_recovery_code())
    page.stored.setChecked(True)
    with qtbot.waitSignal(page.continued):
        page.continue_button.click()
    assert page.code_label.text() == ""
    assert page.preview is None


@pytest.mark.skipif(not can_print(), reason="QtPdf or QtPrintSupport is not installed")
def test_printing_paints_the_page(qtbot: QtBot, page: RecoveryCodePage, tmp_path: Path) -> None:
    from PySide6.QtPrintSupport import QPrinter

    open_preview(qtbot, page, new_recovery_code())
    assert page.preview is not None
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printed = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(printed))
    page.preview.print_to(printer)
    assert printed.stat().st_size > 10_000  # a rendered page image, not an empty sheet
    assert len(PdfReader(str(printed)).pages) == 1
