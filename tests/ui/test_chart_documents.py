"""The chart's Documents tab (issue #5): a scanned PDF or image imported from a file is
filed, listed "To review" and previewed beside the list from memory; the service's refusals
show in the dialog and file nothing; a physician signs a document off; entered in error
strikes it through; lock empties the list and the preview."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QImage
from PySide6.QtWidgets import QAbstractButton, QApplication, QPlainTextEdit
from pytestqt.qtbot import QtBot
from reportlab.pdfgen.canvas import Canvas

from app.models import DocumentCategory
from app.services.context import AppContext
from app.services.documents import MAX_DOCUMENT_BYTES, DocumentInput, DocumentService
from app.services.patients import PatientService
from app.ui.chart import document_viewer
from app.ui.chart.document_dialogs import ImportDocumentDialog, SignOffDialog
from app.ui.chart.documents_tab import (
    ERROR_INK,
    MIN_TITLE_WIDTH,
    TO_REVIEW_INK,
    DocumentColumn,
    DocumentsTab,
)
from app.ui.chart.reason_dialog import ReasonDialog
from app.ui.session import DesktopSession
from tests.services.helpers import audit_events
from tests.ui.helpers import click, find_all, find_by_name, opened_child, register_patients

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
TODAY = date(2026, 1, 5)  # the FakeClock's day in the practice


def pdf_bytes(*pages: str) -> bytes:
    """A real (small) PDF, one line of text a page."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=True)
    for text in pages or ("CBC with differential",):
        canvas.setFont("Helvetica", 14)
        canvas.drawString(72, 720, text)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def png_bytes(width: int = 600, height: int = 800, text: str = "Chest X-ray report") -> bytes:
    image = Image.new("RGB", (width, height), "white")
    ImageDraw.Draw(image).text((40, 40), text, fill="black")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def file_of(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def filed(
    ctx: AppContext,
    patient_id: str,
    data: bytes,
    title: str,
    category: DocumentCategory = DocumentCategory.LAB_REPORT,
    on: date = date(2025, 12, 30),
) -> str:
    document = DocumentInput(data, f"{title}.pdf", category, title, on)
    return DocumentService(ctx).import_document(patient_id, document).id


def show_tab(qtbot: QtBot, session: DesktopSession, patient_id: str) -> DocumentsTab:
    """The tab on screen (its window active, so its shortcuts work) with the patient loaded."""
    tab = DocumentsTab(session)
    qtbot.addWidget(tab)
    tab.resize(1280, 760)
    tab.show()
    qtbot.waitExposed(tab)
    with qtbot.waitActive(tab):
        tab.activateWindow()
    with qtbot.waitSignal(tab.loaded, timeout=10000):
        tab.show_patient(PatientService(session.ctx).get(patient_id))
    return tab


def rows(tab: DocumentsTab) -> list[list[str]]:
    model = tab.model
    return [
        [str(model.index(row, column).data()) for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]


def preview(qtbot: QtBot, tab: DocumentsTab, title: str) -> None:
    """Choose the row titled `title` and wait until its document is on screen."""
    row = next(i for i, cells in enumerate(rows(tab)) if cells[DocumentColumn.TITLE] == title)
    with qtbot.waitSignal(tab.viewer.shown, timeout=10000):
        tab.table.selectRow(row)


def content_reads(ctx: AppContext) -> int:
    return sum(
        1
        for e in audit_events(ctx)
        if (e["action"], e["category"], e["detail"]) == ("read", "document", "content")
    )


def test_import_a_pdf_from_the_keyboard_and_preview_it_beside_the_list(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession], tmp_path: Path
) -> None:
    session = session_for("drpatel")
    (patient_id,) = register_patients(session.ctx, 1)
    tab = show_tab(qtbot, session, patient_id)
    assert tab.stack.currentWidget() is tab.empty
    assert tab.viewer.stack.currentWidget() is tab.viewer.empty

    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_I, CTRL_SHIFT)  # Import document…
    dialog = opened_child(qtbot, tab, ImportDocumentDialog)
    assert dialog.document_on.text() == "01/05/2026"  # today, in the practice
    dialog.set_path(file_of(tmp_path, "cbc-quest.pdf", pdf_bytes("CBC page 1", "CBC page 2")))
    assert (dialog.file.text(), dialog.title_edit.text()) == ("cbc-quest.pdf", "cbc-quest")
    dialog.title_edit.clear()
    qtbot.keyClicks(dialog.title_edit, "CBC, Quest Diagnostics")
    dialog.document_on.clear()
    qtbot.keyClicks(dialog.document_on, "12/30/2025")
    with qtbot.waitSignal(tab.chart_changed), qtbot.waitSignal(tab.loaded, timeout=5000):
        qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return)  # Enter imports

    assert rows(tab) == [
        ["Dec 30, 2025", "Lab report", "CBC, Quest Diagnostics", "Priya Patel", "To review"]
    ]
    review = tab.model.index(0, DocumentColumn.REVIEW)
    assert review.data(Qt.ItemDataRole.ForegroundRole) == TO_REVIEW_INK
    assert tab.model.index(0, DocumentColumn.TITLE).data(Qt.ItemDataRole.ForegroundRole) is None
    (stored,) = DocumentService(session.ctx).for_patient(patient_id)
    assert stored.media_type == "application/pdf" and stored.awaiting_review

    # The new document is chosen and previewed: both pages, fit to the pane's width.
    viewer = tab.viewer
    qtbot.waitUntil(lambda: bool(viewer.opened and viewer.opened.id == stored.id), timeout=10000)
    assert tab.current_id() == stored.id
    assert viewer.pdf is not None and viewer.pdf_view is not None
    assert viewer.stack.currentWidget() is viewer.pdf_view
    assert viewer.pdf.pageCount() == 2
    assert viewer.title.text() == "CBC, Quest Diagnostics"
    assert viewer.about.text() == "PDF · 2 pages"
    assert viewer.fit_button.isChecked() and viewer.zoom == 1.0
    assert "imported by Priya Patel" in tab.detail.text()
    assert content_reads(session.ctx) == 1

    click(qtbot, viewer, "Zoom in")
    assert viewer.pdf_view.zoomMode() is viewer.pdf_view.ZoomMode.Custom
    assert abs(viewer.zoom - 1.25) < 0.01 and not viewer.fit_button.isChecked()
    click(qtbot, viewer, "Fit to width")
    assert viewer.pdf_view.zoomMode() is viewer.pdf_view.ZoomMode.FitToWidth


def test_an_image_previews_fit_to_the_width_and_zooms(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    session = session_for("nkim")
    (patient_id,) = register_patients(session.ctx, 1)
    filed(
        session.ctx, patient_id, png_bytes(600, 800), "Chest X-ray", DocumentCategory.IMAGING_REPORT
    )
    filed(session.ctx, patient_id, pdf_bytes(), "CBC", on=date(2025, 11, 2))
    tab = show_tab(qtbot, session, patient_id)
    assert [r[DocumentColumn.TITLE] for r in rows(tab)] == ["Chest X-ray", "CBC"]  # newest first
    assert tab.viewer.document_id is None and content_reads(session.ctx) == 0  # none opened yet

    preview(qtbot, tab, "Chest X-ray")
    viewer = tab.viewer
    assert viewer.stack.currentWidget() is viewer.images
    assert viewer.about.text() == "PNG image · 600 × 800"
    (page,) = viewer.images.labels
    fit = viewer.images.fit_width()
    assert abs(page.pixmap().deviceIndependentSize().width() - fit) <= 1
    assert page.pixmap().deviceIndependentSize().height() > fit  # the page keeps its shape

    viewer.images.setFocus()
    qtbot.keyClick(viewer.images, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert abs(page.pixmap().deviceIndependentSize().width() - fit * 1.25) <= 1
    click(qtbot, viewer, "Zoom out")
    click(qtbot, viewer, "Zoom out")
    assert abs(viewer.zoom - 0.8) < 0.01
    click(qtbot, viewer, "Fit to width")
    assert abs(page.pixmap().deviceIndependentSize().width() - fit) <= 1

    header = tab.table.horizontalHeader()
    assert not header.isSectionHidden(DocumentColumn.IMPORTED_BY)
    tab.resize(760, 700)  # a narrow list keeps its titles readable
    qtbot.waitUntil(lambda: header.isSectionHidden(DocumentColumn.IMPORTED_BY))
    assert header.sectionSize(DocumentColumn.TITLE) >= MIN_TITLE_WIDTH
    assert not header.isSectionHidden(DocumentColumn.REVIEW)

    preview(qtbot, tab, "CBC")  # another row: the image goes, the PDF comes
    assert viewer.stack.currentWidget() is viewer.pdf_view and viewer.images.labels == []
    assert content_reads(session.ctx) == 2
    assert not find_all(tab, QAbstractButton, "Sign off document")  # physicians only


def tiff_bytes(pages: int) -> bytes:
    """A multi-page scan, as a fax or a sheet-fed scanner saves it."""
    sheets = [Image.new("L", (850, 1100), 255) for _ in range(pages)]
    for number, sheet in enumerate(sheets, start=1):
        ImageDraw.Draw(sheet).text((60, 60), f"Referral letter, page {number}", fill=0)
    buffer = io.BytesIO()
    sheets[0].save(buffer, format="TIFF", save_all=True, append_images=sheets[1:])
    return buffer.getvalue()


def test_a_multi_page_scan_shows_its_pages_one_under_another(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    session = session_for("drpatel")
    (patient_id,) = register_patients(session.ctx, 1)
    filed(session.ctx, patient_id, tiff_bytes(3), "Referral letter", DocumentCategory.REFERRAL)
    filed(session.ctx, patient_id, tiff_bytes(5), "Old records", on=date(2025, 1, 2))
    tab = show_tab(qtbot, session, patient_id)

    preview(qtbot, tab, "Referral letter")
    viewer = tab.viewer
    assert viewer.about.text() == "TIFF image · 3 pages"
    assert [label.accessibleName() for label in viewer.images.labels] == [
        "Page 1",
        "Page 2",
        "Page 3",
    ]
    tops = [label.pixmap().deviceIndependentSize().height() for label in viewer.images.labels]
    assert len(set(tops)) == 1 and tops[0] > viewer.images.fit_width()  # upright, same size

    # A scan too long to hold decoded shows its first pages, and says so.
    page_bytes = QImage(850, 1100, QImage.Format.Format_Grayscale8).sizeInBytes()
    monkeypatch.setattr(document_viewer, "MAX_DECODED_BYTES", 2 * page_bytes)
    preview(qtbot, tab, "Old records")
    assert viewer.about.text() == "TIFF image · 5 pages (first 2 shown)"
    assert len(viewer.images.labels) == 2


def test_refused_imports_say_why_keep_the_dialog_and_file_nothing(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession], tmp_path: Path
) -> None:
    session = session_for("nkim")  # a nurse imports documents too
    (patient_id,) = register_patients(session.ctx, 1)
    filed(session.ctx, patient_id, pdf_bytes("Lipid panel"), "Lipid panel")
    tab = show_tab(qtbot, session, patient_id)
    click(qtbot, tab, "Import document")
    dialog = opened_child(qtbot, tab, ImportDocumentDialog)

    click(qtbot, dialog, "Import")
    assert dialog.message.text() == "Choose the file to import."

    def refused(path: Path, expected: str) -> None:
        dialog.set_path(path)
        click(qtbot, dialog, "Import")
        assert dialog.message.text() == ""  # at work
        qtbot.waitUntil(lambda: dialog.ok_button.isEnabled(), timeout=5000)
        assert expected in dialog.message.text()
        assert dialog.isVisible()

    refused(file_of(tmp_path, "notes.pdf", b"just some text"), "is not a PDF, PNG, JPEG or TIFF")
    refused(file_of(tmp_path, "half.pdf", pdf_bytes()[:300]), "damaged or cut short")
    again = file_of(tmp_path, "scan0001.pdf", pdf_bytes("Lipid panel"))
    refused(again, "already in the chart as “Lipid panel” (Lab report, Dec 30, 2025)")

    big = tmp_path / "whole-binder.pdf"
    with big.open("wb") as stream:
        stream.truncate(MAX_DOCUMENT_BYTES + 1)  # sparse: no 25 MB written
    dialog.set_path(big)  # said as soon as it is chosen
    assert "a document may be at most 25 MB" in dialog.message.text()
    refused(big, "“whole-binder.pdf” is 25.0 MB; a document may be at most 25 MB")

    dialog.set_path(file_of(tmp_path, "echo.pdf", pdf_bytes("Echo")))
    dialog.title_edit.setText("Echocardiogram")
    dialog.document_on.setText("02/01/2026")
    click(qtbot, dialog, "Import")
    qtbot.waitUntil(lambda: dialog.ok_button.isEnabled(), timeout=5000)
    assert "in the future" in dialog.message.text()
    assert dialog.title_edit.text() == "Echocardiogram"  # what was typed stays
    dialog.document_on.setText("13/45/2025")
    click(qtbot, dialog, "Import")
    assert "not a date" in dialog.message.text()

    assert [d.title for d in DocumentService(session.ctx).for_patient(patient_id)] == [
        "Lipid panel"
    ]
    click(qtbot, dialog, "Cancel")  # closed and gone, with what it read
    qtbot.waitUntil(lambda: not tab.findChildren(ImportDocumentDialog), timeout=5000)


def test_a_physician_signs_a_document_off_with_a_comment(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    nurse = session_for("nkim")
    (patient_id,) = register_patients(nurse.ctx, 1)
    filed(nurse.ctx, patient_id, pdf_bytes("A1c 6.1%"), "Hemoglobin A1c")
    session = session_for("drpatel")
    tab = show_tab(qtbot, session, patient_id)
    assert rows(tab)[0][DocumentColumn.IMPORTED_BY] == "Hannah Kim"
    sign = find_by_name(tab, QAbstractButton, "Sign off document")
    assert not sign.isEnabled()  # nothing chosen yet
    preview(qtbot, tab, "Hemoglobin A1c")

    click(qtbot, tab, "Sign off document")
    dialog = opened_child(qtbot, tab, SignOffDialog)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.comment)
    qtbot.keyClicks(dialog.comment, "Prediabetic range; discuss at next visit.")
    with qtbot.waitSignal(tab.chart_changed), qtbot.waitSignal(tab.loaded, timeout=5000):
        click(qtbot, dialog, "Sign off")

    assert rows(tab)[0][DocumentColumn.REVIEW] == "Reviewed by Priya Patel, Jan 5, 2026"
    review = tab.model.index(0, DocumentColumn.REVIEW)
    assert review.data(Qt.ItemDataRole.ForegroundRole) is None
    assert not sign.isEnabled()  # signed once
    assert "Prediabetic range; discuss at next visit." in tab.detail.text()
    assert tab.viewer.document_id == tab.current_id()  # still previewed, not read again
    assert content_reads(session.ctx) == 1
    (signed,) = DocumentService(session.ctx).for_patient(patient_id)
    assert signed.reviewer_name == "Priya Patel" and signed.review_note is not None


def test_entered_in_error_strikes_the_document_through(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    session = session_for("drpatel")
    (patient_id,) = register_patients(session.ctx, 1)
    filed(session.ctx, patient_id, pdf_bytes("Someone else's letter"), "Cardiology letter")
    tab = show_tab(qtbot, session, patient_id)
    preview(qtbot, tab, "Cardiology letter")

    with qtbot.waitSignal(tab.chart_changed, timeout=5000):
        click(qtbot, tab, "Mark document entered in error")
        dialog = opened_child(qtbot, tab, ReasonDialog)
        qtbot.keyClicks(find_by_name(dialog, QPlainTextEdit, "Reason"), "Filed on the wrong chart")
        with qtbot.waitSignal(tab.loaded, timeout=5000):
            click(qtbot, dialog, "Mark entered in error")

    assert rows(tab)[0][DocumentColumn.REVIEW] == "Entered in error"
    for column in DocumentColumn:
        index = tab.model.index(0, column)
        font = index.data(Qt.ItemDataRole.FontRole)
        assert isinstance(font, QFont) and font.strikeOut()
        assert index.data(Qt.ItemDataRole.ForegroundRole) == ERROR_INK
    assert "Filed on the wrong chart" in tab.detail.text()
    assert not find_by_name(tab, QAbstractButton, "Mark document entered in error").isEnabled()
    assert not find_by_name(tab, QAbstractButton, "Sign off document").isEnabled()
    (struck,) = DocumentService(session.ctx).for_patient(patient_id)
    assert struck.in_error and struck.error_reason == "Filed on the wrong chart"


def test_lock_empties_the_list_and_the_preview(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    session = session_for("drpatel")
    lopez, johnson = register_patients(session.ctx, 2)
    filed(session.ctx, lopez, pdf_bytes("Lopez CBC"), "Lopez CBC")
    filed(session.ctx, johnson, png_bytes(text="Johnson X-ray"), "Johnson X-ray")
    tab = show_tab(qtbot, session, lopez)
    preview(qtbot, tab, "Lopez CBC")
    viewer = tab.viewer
    assert viewer.pdf is not None

    tab.clear_sensitive()
    assert tab.model.rowCount() == 0 and tab.patient is None
    assert tab.detail.text() == "" and not tab.error_button.isEnabled()
    assert viewer.document_id is None and viewer.title.text() == ""
    assert viewer.stack.currentWidget() is viewer.empty
    assert viewer.pdf.pageCount() == 0 and viewer.images.images == []

    records = PatientService(session.ctx)
    tab.show_patient(records.get(lopez))  # its answer comes too late to be shown
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        tab.show_patient(records.get(johnson))
    qtbot.wait(100)
    assert [r[DocumentColumn.TITLE] for r in rows(tab)] == ["Johnson X-ray"]
    preview(qtbot, tab, "Johnson X-ray")
    tab.clear_sensitive()
    assert viewer.images.labels == [] and viewer.stack.currentWidget() is viewer.empty
