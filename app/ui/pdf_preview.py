"""See a PDF before printing or saving it (DESIGN §4). The bytes stay in memory: no temp file.

QtPdf (preview and printing) ships in PySide6's add-ons; without it the dialog still saves.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QDialog, QFileDialog, QHBoxLayout, QVBoxLayout, QWidget

from app.storage.files import write_atomically
from app.ui.tasks import TaskRunner, error_message
from app.ui.widgets import MessageLabel, button, text_label

try:
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPdfWidgets import QPdfView
except ImportError:  # pragma: no cover - depends on the installed PySide6 flavour
    QPdfDocument = None  # type: ignore[assignment,misc]
    QPdfView = None  # type: ignore[assignment,misc]

try:
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter
except ImportError:  # pragma: no cover
    QPrintDialog = None  # type: ignore[assignment,misc]
    QPrinter = None  # type: ignore[assignment,misc]


def can_preview() -> bool:
    return QPdfDocument is not None and QPdfView is not None


def can_print() -> bool:
    return can_preview() and QPrinter is not None


class PdfPreviewDialog(QDialog):
    """Shows `pdf` and offers Save PDF… and Print…."""

    def __init__(
        self,
        pdf: bytes,
        suggested_name: str,
        runner: TaskRunner,
        *,
        title: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title or self.tr("Preview"))
        self.resize(720, 820)
        self._pdf = pdf
        self._suggested_name = suggested_name
        self._runner = runner
        self.saved_to: Path | None = None
        self.message = MessageLabel("notice", self.tr("Preview message"))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(12)
        self._buffer = QBuffer()
        self.document = None
        if can_preview():
            self._buffer.setData(QByteArray(pdf))
            self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
            self.document = QPdfDocument(self)
            self.document.load(self._buffer)
            view = QPdfView(self)
            view.setAccessibleName(self.tr("Document preview"))
            view.setDocument(self.document)
            view.setZoomMode(QPdfView.ZoomMode.FitInView)
            layout.addWidget(view, 1)
        else:
            layout.addWidget(
                text_label(self.tr("Preview is not available; save the PDF to see it."))
            )
        layout.addWidget(self.message)

        actions = QHBoxLayout()
        actions.addStretch(1)
        self.save_button = button(self.tr("Save PDF…"), self.tr("Save PDF"))
        self.save_button.clicked.connect(self.choose_file_and_save)
        actions.addWidget(self.save_button)
        if can_print():
            self.print_button = button(
                self.tr("Print…"), self.tr("Print"), variant="primary", icon_name="printer"
            )
            self.print_button.clicked.connect(self.print_document)
            actions.addWidget(self.print_button)
        close = button(self.tr("Close"), self.tr("Close preview"))
        close.clicked.connect(self.accept)
        actions.addWidget(close)
        layout.addLayout(actions)

    def choose_file_and_save(self) -> None:
        start = str(Path.home() / self._suggested_name)
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Save PDF"), start, self.tr("PDF documents (*.pdf)")
        )
        if path:
            self.save_to(Path(path))

    def save_to(self, path: Path) -> None:
        """Write the PDF (owner-only permissions, atomically) on the worker thread."""
        if path.suffix.lower() != ".pdf":
            path = path.with_suffix(".pdf")
        task = self._runner.submit(write_atomically, path, self._pdf, owner=self, name="save_pdf")
        task.succeeded.connect(lambda _: self._saved(path))
        task.failed.connect(lambda exc: self.message.show_message(self._save_failed(exc)))

    def _saved(self, path: Path) -> None:
        self.saved_to = path
        self.message.show_message(self.tr("Saved to {path}").format(path=path))

    def _save_failed(self, error: BaseException) -> str:
        if isinstance(error, OSError):
            return self.tr("The PDF could not be saved there: {reason}").format(
                reason=error.strerror or type(error).__name__
            )
        return error_message(error)

    def print_document(self) -> None:
        if self.document is None or QPrinter is None or QPrintDialog is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.print_to(printer)

    def print_to(self, printer: QPrinter) -> None:
        """Paint each page, scaled to fit the printer's page, keeping its proportions."""
        assert self.document is not None
        painter = QPainter()
        if not painter.begin(printer):
            self.message.show_message(self.tr("The printer could not be started."))
            return
        try:
            for page in range(self.document.pageCount()):
                if page:
                    printer.newPage()
                target = painter.viewport()
                size = self.document.pagePointSize(page).toSize()
                size.scale(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
                image = self.document.render(page, QSize(size.width(), size.height()))
                painter.drawImage(QRect(target.topLeft(), size), image)
        finally:
            painter.end()
        self.message.show_message(self.tr("Sent to the printer."))
