"""The after-visit summary, previewed before it is printed or saved (the Notes tab's "Visit
summary…"). The PDF is made on the worker and shown from memory; it reaches a file only if
the person presses Save PDF… in the preview."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from app.ui.pdf_preview import PdfPreviewDialog
from app.ui.session import DesktopSession
from app.ui.tasks import Task, error_message
from app.ui.widgets import box_button, message_box

SUGGESTED_FILE_NAME = "Visit summary.pdf"  # no patient name: it would show in folders


def _tr(text: str) -> str:
    return QCoreApplication.translate("VisitSummaryPreview", text)


def preview_visit_summary(session: DesktopSession, encounter_id: str, parent: QWidget) -> Task:
    """Make the visit summary of `encounter_id` on the worker, then open it in the PDF
    preview (Save PDF…, Print…) over `parent`; a refusal ("Sign the note before printing
    the visit summary.") shows in a message box. Nothing is shown once `parent` is gone."""
    # Loaded when first used: the PDF writer (reportlab) would slow every sign-in.
    from app.services.visit_summary import VisitSummaryService

    task = session.run(VisitSummaryService(session.ctx).pdf, encounter_id, owner=parent)
    task.succeeded.connect(lambda pdf: show_visit_summary(session, pdf, parent))
    task.failed.connect(lambda error: _refused(error, parent))
    return task


def show_visit_summary(session: DesktopSession, pdf: bytes, parent: QWidget) -> PdfPreviewDialog:
    dialog = PdfPreviewDialog(
        pdf, SUGGESTED_FILE_NAME, session.runner, title=_tr("Visit summary"), parent=parent
    )
    dialog.setAccessibleName(_tr("Visit summary"))
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # the bytes go with it
    dialog.open()
    return dialog


def _refused(error: BaseException, parent: QWidget) -> None:
    box = message_box(
        parent,
        QMessageBox.Icon.Information,
        _tr("Visit summary"),
        error_message(error),
    )
    box_button(box, QMessageBox.StandardButton.Ok, _tr("OK"))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
